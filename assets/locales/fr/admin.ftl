# Pages d’administration.

nav-admin = Administration
admin-nav-label = Rubriques d’administration
admin-people = Personnes
admin-orgs = Organisations
admin-groups = Groupes
admin-spaces = Espaces
admin-portals = Portails
admin-actions = Actions
admin-badge = Admin
admin-status = Statut
admin-status-active = Actif
admin-status-disabled = Suspendu
admin-enable = Réactiver
admin-disable = Suspendre
admin-mfa-reset = Réinitialiser le second facteur
admin-title = Fonction
admin-person-new = Nouveau compte
admin-person-new-intro = La personne reçoit un e-mail avec un lien à usage unique pour choisir son mot de passe. Vous êtes le parrain des personnes externes.
admin-person-create = Créer le compte
admin-import-link = Importer un fichier CSV
admin-import-title = Importer des personnes
admin-import-lead = Vérifiez d’abord le fichier : rien n’est écrit tant que toutes les lignes ne sont pas correctes.
admin-import-columns = Une ligne d’en-tête avec certaines de ces colonnes (email et name sont obligatoires ; séparateur virgule ou point-virgule, UTF-8) :
admin-import-file = Fichier CSV
admin-import-check = Vérifier le fichier
admin-import-run = Importer
admin-import-report = Lignes
admin-import-line = Ligne
admin-import-result = Résultat
admin-import-ready = Les { $count } lignes sont correctes. Choisissez « Importer » pour créer les comptes.
admin-import-done = { $count } comptes créés ; chaque personne reçoit un lien pour choisir son mot de passe.
admin-import-errors = { $count } lignes sont à corriger. Rien n’a été importé.
notice-person-created = Le compte a été créé et la personne a reçu un lien pour choisir son mot de passe.
notice-status-changed = Le statut du compte a été modifié.
notice-mfa-reset-done = Les seconds facteurs ont été supprimés ; la personne se connecte avec son mot de passe et en configure un nouveau.

error-csv-encoding = Le fichier n’est pas un texte UTF-8. Dans votre tableur, enregistrez-le en « CSV UTF-8 ».
error-csv-unknown-column = La ligne d’en-tête contient une colonne inconnue. Utilisez seulement : email, name, organization, title, department, phone, language, skills.
error-csv-missing-column = La ligne d’en-tête doit contenir les colonnes email et name.
error-csv-unreadable = Le fichier n’est pas un fichier CSV lisible.
error-csv-empty = Le fichier ne contient aucune ligne.
error-csv-too-many-rows = Le fichier dépasse 5000 lignes. Découpez-le.
error-csv-too-large = Le fichier dépasse 2 Mio.
error-csv-duplicate-row = Cette adresse e-mail apparaît deux fois dans le fichier.
mail-welcome-body =
    Bonjour { $name },

    Un compte a été créé pour vous sur { $portal }.

    Ouvrez ce lien pour choisir votre mot de passe (il fonctionne une fois, pendant { $days } jours) :
    { $link }
