# Parvis — français

skip-to-content = Aller au contenu
footer-powered = Propulsé par Parvis
nav-label = Navigation principale
nav-home = Accueil
nav-spaces = Espaces
nav-people = Annuaire
nav-account = Mon compte
user-menu-label = Menu de votre compte
language-label = Langue
signout = Se déconnecter

search-label = Rechercher
search-placeholder = Rechercher…
search-submit = Rechercher
search-title = Recherche
search-results-for = Résultats pour « { $query } »
search-hint = Saisissez quelques mots dans la barre de recherche pour trouver des fichiers, des espaces et des personnes.
search-nothing = Rien ne correspond à votre recherche parmi ce que vous pouvez voir.

filter-submit = Filtrer

signin-title = Connexion
signin-intro = Connectez-vous à { $portal } avec votre adresse e-mail professionnelle.
signin-email = Adresse e-mail
signin-password = Mot de passe
signin-submit = Se connecter

home-title = Accueil
home-greeting = Bonjour { $name }
home-spaces = Vos espaces
home-see-all = Tout voir
home-glance = En bref
home-stat-spaces = Espaces
home-stat-people = Personnes joignables
home-internal-note = En tant que membre du personnel, vous voyez tout l’annuaire et les espaces ouverts à tout le personnel.
home-external-note = Vous voyez les espaces auxquels vous avez été invité et les personnes qui les partagent avec vous.
home-directory-link = Ouvrir l’annuaire

spaces-title = Espaces
spaces-filter = Filtrer les espaces par nom
spaces-empty = Aucun espace à afficher pour l’instant.
space-shared-badge = Partagé à l’extérieur
space-visibility-internal = Ouvert à tout le personnel
space-visibility-members = Réservé aux membres
space-members-count = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}

people-title = Annuaire
people-filter = Filtrer par nom, fonction ou service
people-empty = Personne ne correspond.
people-back = Retour à l’annuaire
person-external-badge = Externe
person-department = Service
person-organization = Organisation
person-email = E-mail
person-phone = Téléphone

account-title = Mon compte
account-must-change = Veuillez choisir votre propre mot de passe avant de continuer.
account-password-title = Changer de mot de passe
account-password-current = Mot de passe actuel
account-password-new = Nouveau mot de passe
account-password-confirm = Répétez le nouveau mot de passe
account-password-rules = Au moins 12 caractères. Quelques mots sans rapport entre eux font un mot de passe solide et facile à retenir.
account-password-submit = Changer de mot de passe
account-sessions-title = Où vous êtes connecté
account-session-device = Appareil
account-session-address = Adresse
account-session-last-seen = Dernière activité
account-session-current = Cet appareil
account-session-since = Connecté le { $date }
account-signout-others = Déconnecter tous les autres appareils
account-signout-everywhere = Se déconnecter partout

notice-signed-out = Vous êtes déconnecté.
notice-signed-out-everywhere = Vous êtes déconnecté sur tous vos appareils.
notice-password-changed = Votre mot de passe a été changé. Vos autres sessions sont fermées.
notice-others-signed-out = Vos autres sessions sont fermées.
notice-session-ended = Votre session a pris fin. Veuillez vous reconnecter.

throttle-wait = Trop de tentatives. Veuillez patienter { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
} avant de réessayer.

error-home-link = Retour à l’accueil
error-reference = Référence pour votre administrateur :
error-400-title = Cette requête pose problème
error-401-title = Veuillez vous connecter
error-403-title = Action non autorisée
error-404-title = Page introuvable
error-405-title = Action impossible ici
error-408-title = La requête a pris trop de temps
error-409-title = Conflit avec l’état actuel
error-413-title = Trop volumineux
error-414-title = Adresse trop longue
error-415-title = Format non pris en charge
error-429-title = Trop de requêtes
error-431-title = En-têtes de requête trop volumineux
error-500-title = Une erreur est survenue de notre côté
error-503-title = Service momentanément indisponible
error-507-title = Plus de place pour enregistrer ceci

error-not-found = Cette page n’existe pas, ou vous n’y avez pas accès.
error-unauthorized = Vous devez vous connecter pour voir cette page.
error-forbidden = Vous n’êtes pas autorisé à faire cela.
error-csrf = Ce formulaire a expiré ou ne provient pas de ce site. Revenez en arrière, rechargez la page et réessayez.
error-method-not-allowed = Cette adresse n’accepte pas ce type de requête.
error-too-large = Ce que vous avez envoyé dépasse la taille acceptée par ce site.
error-uri-too-long = L’adresse est trop longue.
error-unsupported-media-type = Ce type de contenu n’est pas accepté ici.
error-bad-request = La requête n’a pas pu être comprise. Vérifiez votre saisie et réessayez.
error-form-invalid = Le formulaire n’a pas pu être lu. Rechargez la page et réessayez.
error-query-invalid = L’adresse contient des paramètres invalides.
error-limit-invalid = Le paramètre `limit` sort des tailles de page acceptées pour cette liste (voir la description de l’API).
error-internal = Une erreur inattendue s’est produite. Elle a été enregistrée ; réessayez dans un instant.
error-too-many = Trop de requêtes. Patientez un instant avant de réessayer.
error-unavailable = Le service est occupé ou indisponible. Réessayez dans un instant.
error-storage-full = Le serveur n’a plus de place pour enregistrer ceci (son disque est plein) : rien n’a été conservé. Demandez à un administrateur de libérer de la place, puis réessayez.
error-timeout = La requête a pris trop de temps. Veuillez réessayer.
error-conflict = Cette modification entre en conflit avec l’état actuel. Rechargez la page et réessayez.
error-signin-failed = Adresse e-mail ou mot de passe incorrect.
error-password-mismatch = Les deux nouveaux mots de passe sont différents.
error-password-too-short = Les mots de passe doivent compter au moins 12 caractères.
error-password-too-long = Les mots de passe ne peuvent pas dépasser 256 caractères.
error-password-too-common = Ce mot de passe est trop courant ou trop facile à deviner. Choisissez-en un autre.
error-current-password-wrong = Votre mot de passe actuel est incorrect.
error-language-invalid = Cette langue n’est pas disponible.
error-email-invalid = Cette adresse e-mail n’est pas valide.
error-email-taken = Cette adresse e-mail est déjà utilisée.
error-name-empty = Un nom est requis.
error-name-too-long = Ce nom est trop long.
error-last-admin = C’est le dernier administrateur actif.
error-token-invalid = Ce jeton d’accès n’est pas valide : il est peut-être mal saisi, expiré ou révoqué.
space-your-role = Votre rôle :
space-members = Membres
space-no-members = Aucun membre visible pour vous.
spaces-back = Tous les espaces
role-reader = Lecteur
role-contributor = Contributeur
role-manager = Responsable
member-kind-person = personne
member-kind-group = groupe
member-kind-organization = organisation entière
forgot-title = Mot de passe oublié ?
forgot-intro = Saisissez l’adresse e-mail de votre compte. S’il peut se connecter ici, nous lui envoyons un lien pour choisir un nouveau mot de passe ; le lien fonctionne 30 minutes, une seule fois.
forgot-submit = Envoyer le lien
forgot-sent = Si un compte utilise cette adresse, un lien est en route. Consultez votre boîte de réception (et vos indésirables).
forgot-link = Mot de passe oublié ?
reset-title = Choisir un nouveau mot de passe
reset-submit = Enregistrer le nouveau mot de passe
reset-invalid = Ce lien n’est plus valable : il a déjà servi, il a expiré ou il a été mal recopié. Demandez-en un nouveau.
reset-ask-again = Demander un nouveau lien
notice-password-reset = Votre mot de passe a été changé. Connectez-vous avec le nouveau.
error-reset-link-invalid = Ce lien n’est plus valable : il a déjà servi, il a expiré ou il a été mal recopié.
mail-reset-subject = Réinitialisation de votre mot de passe
mail-reset-body = Bonjour { $name },

    quelqu’un a demandé à réinitialiser le mot de passe de votre compte. Si c’est vous, ouvrez ce lien dans les 30 minutes pour choisir un nouveau mot de passe :

    { $link }

    Si ce n’est pas vous, ignorez ce message : votre mot de passe reste inchangé.
search-count = { $count ->
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-filters = Filtres
search-sort = Trier par
search-sort-relevance = Pertinence
search-sort-date = Plus récents
search-type = Type
search-any = tous
search-file-type = Type de fichier
search-pages = Pages de résultats
search-previous = Précédente
search-next = Suivante
search-kind-document = Fichier
search-kind-space = Espace
search-kind-person = Personne
search-sort-recent = Pertinence, récents d’abord
search-author = Modifié par
search-changed = Modifié
search-any-date = toutes dates
search-last-days = ces { $days } derniers jours
time-just-now = à l’instant
time-minutes-ago = { $n ->
        [one] il y a une minute
       *[other] il y a { $n } minutes
    }
time-hours-ago = { $n ->
        [one] il y a une heure
       *[other] il y a { $n } heures
    }
time-yesterday = hier
time-days-ago = il y a { $n } jours
space-activity = Activité récente
space-activity-none = Rien ne s’est encore passé ici.
space-recent-files = Fichiers modifiés récemment
space-all-files = Tous les fichiers
space-no-files = Aucun fichier pour l’instant.
space-links = Liens
space-links-none = Aucun lien épinglé pour l’instant.
space-link-title = Titre
space-link-url = Adresse
space-link-url-hint = Une page de ce site (/spaces/…) ou une adresse web (https://…).
space-link-add = Épingler le lien
space-link-remove-named = Retirer { $title } des liens
link-new-window = s’ouvre dans une nouvelle fenêtre
notice-link-added = Le lien a été épinglé.
notice-link-removed = Le lien a été désépinglé.
activity-someone = Quelqu’un
activity-added = { $who } a ajouté
activity-version = { $who } a ajouté la version { $number } de
activity-joined-person = { $who } a rejoint l’espace
activity-joined-group = Le groupe { $who } a rejoint l’espace
activity-joined-organization = Toute l’organisation { $who } a rejoint l’espace
error-link-url-invalid = L’adresse doit être une page de ce site (commençant par /) ou une adresse web (https://…).
error-link-title-invalid = Donnez au lien un titre de 120 caractères au plus.
error-links-too-many = Un espace contient au plus 20 liens.
language-label-signed = Langue de vos pages et e-mails, enregistrée dans votre profil
language-switch-signed = { $language } : vos pages et e-mails, enregistrée dans votre profil
member-everyone-at = Toute l’organisation { $org }
space-about-edit = Décrire cet espace
notice-about-saved = La description a été enregistrée.
error-live-too-many-streams = Vous avez trop de connexions en direct ouvertes. Fermez quelques onglets ou applications, puis réessayez.
error-live-full = Le serveur tient déjà autant de connexions en direct qu’il le peut. La page fonctionne toujours ; les mises à jour en direct reprendront plus tard.
live-changed = Cet espace a changé depuis l’ouverture de la page.
live-reload = Voir les changements
notifications-title = Notifications
notifications-none = Rien pour l’instant. Vous êtes prévenu ici quand quelqu’un vous ajoute à un espace ou modifie un fichier que vous avez créé.
notifications-all-read = Vous avez tout lu.
notifications-unread = { $count ->
    [one] Une notification non lue.
   *[other] { $count } notifications non lues.
}
notifications-mark-all = Tout marquer comme lu
notifications-new = Nouveau :
notifications-bell = Notifications
notification-someone = Quelqu’un
notification-space-added = { $actor } vous a ajouté à { $title }
notification-document-new-version = { $actor } a ajouté une nouvelle version de { $title }
