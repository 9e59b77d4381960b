# Pages d’administration.

nav-admin = Admin
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
admin-import-ready = { $count ->
    [one] La ligne est correcte. Choisissez de nouveau le fichier puis « Importer » pour créer le compte.
   *[other] Les { $count } lignes sont correctes. Choisissez de nouveau le fichier puis « Importer » pour créer les comptes.
}
admin-import-done = { $count ->
    [one] Un compte créé ; la personne reçoit un lien pour choisir son mot de passe.
   *[other] { $count } comptes créés ; chaque personne reçoit un lien pour choisir son mot de passe.
}
admin-import-errors = { $count ->
    [one] Une ligne est à corriger. Rien n’a été importé.
   *[other] { $count } lignes sont à corriger. Rien n’a été importé.
}
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
mail-welcome-subject = Votre compte sur { $portal }
mail-welcome-body =
    Bonjour { $name },

    Un compte a été créé pour vous sur { $portal }.

    Ouvrez ce lien pour choisir votre mot de passe (il fonctionne une fois, pendant { $days } jours) :
    { $link }

admin-access-days = Jours d’accès des personnes externes invitées ici
admin-add = Ajouter
admin-add-member = Ajouter une personne (e-mail)
admin-any-host = Tout autre nom d’hôte
admin-audience = Qui peut se connecter ici
admin-color = Couleur principale (#rrvvbb)
admin-color-preview = Aperçu de la couleur
admin-color-sample = Bouton
admin-create = Créer
admin-default = par défaut
admin-delete = Supprimer
admin-description = Description
admin-grant = Accorder
admin-group-delete = Supprimer ce groupe
admin-group-new = Nouveau groupe
admin-hostnames = Noms d’hôte
admin-hostnames-help = Un par ligne, sans https:// ni port. Laissez vide pour que le portail par défaut serve tout autre nom.
admin-kind = Type
admin-language = Langue des nouveaux visiteurs
admin-logo = Logo
admin-logo-file = PNG, JPEG, GIF ou WebP, 512 Kio au plus
admin-logo-remove = Revenir au logo intégré
admin-logo-upload = Envoyer
admin-member-kind = Membre
admin-member-who = E-mail ou identifiant
admin-mfa-admins = Les administrateurs doivent utiliser un second facteur
admin-mfa-kinds = Les membres de ces types d’organisations doivent en utiliser un
admin-mfa-policy = Second facteur, pour toute l’instance
admin-org-new = Nouvelle organisation
admin-portal-delete = Supprimer ce portail
admin-portal-new = Nouveau portail
admin-publish = Afficher sur son accueil
admin-remove = Retirer
admin-require-mfa = Toute personne se connectant ici doit utiliser un second facteur
admin-save = Enregistrer
admin-space-delete = Supprimer cet espace
admin-space-new = Nouvel espace
admin-unpublish = Ne plus afficher
admin-visibility = Visibilité
admin-welcome = Texte d’accueil
notice-admin-saved = Enregistré.
notice-admin-deleted = Supprimé.
org-kind-host = Hôte (personnel)
org-kind-client = Client
org-kind-partner = Partenaire
org-kind-supplier = Fournisseur
org-kind-other = Autre
org-kind-host-all = Le personnel
org-kind-client-all = Tous les clients
org-kind-partner-all = Tous les partenaires
org-kind-supplier-all = Tous les fournisseurs
org-kind-other-all = Toutes les autres organisations
admin-shown = affiché
admin-share-links = Les contributeurs peuvent partager des documents par lien public ici

admin-export-data = Exporter les données
admin-personal-data = Données personnelles
admin-personal-data-title = Données personnelles : { $name }
admin-export-title = Export (droit d’accès)
admin-export-intro = Une archive (.tar) avec tout ce que Parvis conserve sur cette personne : profil, appartenances, documents écrits et versions déposées, et sa trace dans le journal d’audit, avec un README qui explique chaque fichier.
admin-erase-heading = Effacement (droit à l’effacement)
admin-status-erased = Effacé
admin-erase-intro = L’effacement est définitif
admin-erase-removed-title = Supprimé :
admin-erase-removed = nom, adresse e-mail, fonction, service, téléphone, compétences, photo et langue ; les moyens de se connecter (mot de passe, seconds facteurs, sessions, jetons d’accès, liens en attente) ; l’appartenance aux groupes, espaces et dossiers.
admin-erase-kept-title = Conservé :
admin-erase-kept = les documents et versions que la personne a écrits, signés d’un nom neutre, pour que le travail partagé reste lisible ; et le journal d’audit, qui consigne qu’un effacement a eu lieu mais pas ce qui a été effacé. Les événements antérieurs restent jusqu’à ce que la durée de conservation du journal les supprime.
admin-erase-export-first = Si la personne a demandé ses données, exportez-les avant d’effacer.
admin-erase-confirm = Effacer { $name } définitivement
admin-erase-cancel = Annuler
notice-person-erased = La personne a été effacée. Ce qu’elle a écrit porte désormais un nom neutre.
person-erased-name = Ancien membre
error-cannot-erase-self = Vous ne pouvez pas effacer votre propre compte.
error-already-erased = Cette personne a déjà été effacée.
admin-org-domains = Domaines de messagerie
admin-org-domains-of = Domaines de messagerie de { $org }
admin-org-domains-hint = Séparés par des espaces. Les invitations proposent cette organisation pour ces adresses et demandent confirmation avant d’y mettre quelqu’un d’autre.
admin-member-who-hint = Une personne (nom ou e-mail), un groupe ou une organisation.
admin-import-row-ok = Prête à importer
admin-description-en = Description en anglais
admin-description-fr = Description en français

## Adoption figures
admin-adoption = Adoption
adoption-lead = Combien de personnes utilisent cette instance, où, et si elles trouvent ce qu’elles cherchent. Des comptes seulement : jamais qui a fait quoi.
adoption-filters = Quels chiffres
adoption-period = Période
adoption-days = { $n } derniers jours
adoption-of = Pour
adoption-whole-instance = Toute l’instance
adoption-portals = Portails
adoption-organizations = Organisations
adoption-range = Du { $from } au { $to }
adoption-narrowed = { $name } seulement
adoption-active-people = Personnes actives
adoption-split = { $internal } internes, { $external } externes
adoption-searches = Recherches
adoption-missed-share = { $share } sans résultat
adoption-uploads = Dépôts
adoption-downloads = Téléchargements
adoption-per-day-title = Personnes actives par jour
adoption-per-week-title = Personnes actives par semaine
adoption-by-portal = Par portail
adoption-by-org = Par organisation
adoption-top-spaces = Espaces les plus utilisés
adoption-misses = Recherches sans résultat
adoption-day = Jour
adoption-week-of = Semaine du
adoption-active = Personnes actives
adoption-today = Aujourd’hui
adoption-last-7 = 7 derniers jours
adoption-in-period = Sur la période
adoption-per-day = Un jour moyen
adoption-portal = Portail
adoption-organization = Organisation
adoption-space = Espace
adoption-people = Personnes
adoption-query = Recherché
adoption-times = Fois
adoption-numbers = Les chiffres ({ $n } lignes)
adoption-nothing = Rien encore sur cette période.
error-adoption-period = Choisissez une période de 7, 30 ou 90 jours.
error-adoption-narrow-one = Choisissez un portail ou une organisation, pas les deux.
