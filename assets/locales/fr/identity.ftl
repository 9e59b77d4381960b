# Identité et accès : organisations, personnes, groupes, portails, espaces, comptes.

error-access-days-invalid = La durée d’accès doit être comprise entre 1 et 3650 jours.
error-admin-must-be-internal = Les administrateurs doivent appartenir à l’organisation hôte.
error-cannot-disable-self = Vous ne pouvez pas suspendre votre propre compte.
error-color-invalid = Une couleur s’écrit #rrvvbb, par exemple #1f5fbf.
error-default-portal-needs-staff = Le portail par défaut doit rester ouvert au personnel (organisation de type « hôte »).
error-default-portal-stays = Le portail par défaut ne peut pas être supprimé.
error-expiry-in-past = Cette date est déjà passée.
error-field-invalid = Ce texte contient des caractères non autorisés.
error-field-too-long = Ce texte est trop long.
error-group-exists = Un groupe avec cet identifiant existe déjà.
error-group-unknown = Ce groupe n’existe pas.
error-hostname-invalid = Un nom d’hôte se compose de lettres, chiffres, tirets et points (forme punycode pour les noms accentués), sans port.
error-hostname-taken = Un autre portail répond déjà à ce nom d’hôte.
error-image-empty = L’image est vide.
error-image-too-large = Les images ne doivent pas dépasser 512 Kio.
error-image-type = Seules les images PNG, JPEG, GIF et WebP sont acceptées (le SVG est refusé car il peut contenir des scripts).
error-name-invalid = Ce nom contient des caractères non autorisés.
error-org-exists = Une organisation avec cet identifiant existe déjà.
error-org-host-exists = Il n’y a qu’une seule organisation hôte.
error-org-kind-invalid = Le type doit être client, partenaire, fournisseur ou autre.
error-org-no-host = Cette instance n’est pas encore initialisée.
error-org-unknown = Cette organisation n’existe pas.
error-person-unknown = Personne n’a cette adresse e-mail.
error-portal-exists = Un portail avec cet identifiant existe déjà.
error-portal-unknown = Ce portail n’existe pas.
error-role-invalid = Le rôle doit être lecteur, contributeur ou responsable.
error-scope-admin-needs-admin = Seuls les administrateurs peuvent détenir des jetons de portée admin.
error-scope-invalid = La portée doit être read, write ou admin.
error-signin-wrong-portal = Votre compte ne peut pas se connecter sur ce portail. Utilisez l’adresse à laquelle vous avez été invité.
error-slug-invalid = Les identifiants se composent de minuscules, de chiffres et de tirets simples (2 à 60 caractères).
error-space-exists = Un espace avec cet identifiant existe déjà.
error-space-unknown = Cet espace n’existe pas.
error-status-invalid = Ce statut n’existe pas.
error-token-expiry-invalid = L’expiration doit être comprise entre 1 et 3650 jours.
error-token-name-invalid = Donnez au jeton un nom de 1 à 80 caractères.
error-visibility-invalid = La visibilité doit être « membres » ou « interne ».

space-shown-on = Affiché sur :

error-invite-already-accepted = Cette personne a déjà accepté l’invitation.
error-invite-external-only = Les invitations sont destinées aux personnes d’organisations externes. Créez plutôt un compte pour le personnel.
error-invite-link-invalid = Ce lien d’invitation n’est plus valide : il a déjà servi, il a expiré, ou il est mal recopié.
error-invite-needs-space = Choisissez au moins un espace que la personne rejoindra.
error-not-external = Ce compte n’est pas un compte externe.
error-portal-refuses-org = L’audience de ce portail n’inclut pas cette organisation.
error-sponsor-must-be-internal = Le parrain doit être un membre actif du personnel.
error-sponsor-required = Indiquez le parrain : le membre du personnel responsable de ce compte.

invite-title = Votre invitation
invite-intro = Vous êtes invité sur { $portal }. Choisissez un mot de passe pour ouvrir votre compte.
invite-password = Choisissez un mot de passe
invite-submit = Ouvrir mon compte
invite-invalid = Ce lien d’invitation n’est plus valide : il a déjà servi, il a expiré, ou il est mal recopié. Demandez à la personne qui vous a invité de vous en envoyer un nouveau.
person-name = Nom
person-skills = Compétences
person-sponsor = Parrain
person-access-ends = Fin de l’accès
person-access-ended = Accès terminé
person-invitation-pending = Invitation pas encore acceptée
person-access-title = Accès
person-access-renew = Prolonger l’accès
person-access-end = Mettre fin à l’accès maintenant
person-invite-resend = Renvoyer l’invitation
notice-access-renewed = Accès prolongé jusqu’au { $date }.
notice-access-ended = Accès terminé. Ses sessions sont fermées.
notice-invite-sent = Invitation envoyée à { $email }.
space-invite-title = Inviter une personne externe
space-invite-intro = Elle reçoit un e-mail avec un lien pour choisir son mot de passe. Vous êtes son parrain : vous serez prévenu avant la fin de son accès.
space-invite-email = Adresse e-mail
space-invite-name = Nom complet
space-invite-org = Organisation
space-invite-role = Rôle dans cet espace
space-invite-submit = Envoyer l’invitation
mail-invite-subject = { $spaces_count ->
        [0] { $inviter } vous invite sur { $portal }
       *[other] { $inviter } vous invite dans { $spaces } sur { $portal }
    }
mail-invite-body =
    Bonjour { $name },

    { $spaces_count ->
        [0] { $inviter } vous invite sur { $portal }.
        [one] { $inviter } vous invite dans l’espace { $spaces } sur { $portal }.
       *[other] { $inviter } vous invite dans les espaces { $spaces } sur { $portal }.
    }
    { $ends ->
        [none] {""}
       *[other] Votre accès est ouvert jusqu’au { $ends } ; { $inviter } peut le prolonger.
    }

    Ouvrez ce lien pour choisir votre mot de passe (il fonctionne une fois, pendant { $days } jours) :
    { $link }

    Si vous n’attendiez pas cette invitation, vous pouvez ignorer ce message.
mail-expiry-subject = L’accès de { $name } se termine le { $date }
mail-expiry-body =
    Bonjour { $sponsor },

    Vous êtes le parrain de { $name } ({ $org }). Son accès se termine le { $date }.

    Pour le prolonger en un clic, ou y mettre fin, ouvrez :
    { $link }

    Sans prolongation, son compte se ferme à cette date.

error-scope-insufficient = La portée de ce jeton d’accès ne permet pas cette action.
error-member-one-of = Indiquez exactement un membre : une personne, un groupe ou une organisation.
error-org-host-stays = L’organisation hôte ne peut pas être supprimée.
error-org-not-empty = Cette organisation compte encore des personnes : déplacez-les ou supprimez-les d’abord.
error-cannot-delete-self = Vous ne pouvez pas supprimer votre propre compte.

account-profile-title = Profil
account-skills-help = Séparées par des virgules ; vos collègues vous trouvent grâce à elles dans l’annuaire.
account-photo = Photo
account-photo-remove = Retirer la photo
account-email-title = Adresse e-mail
account-email-new = Nouvelle adresse e-mail
account-email-submit = Changer d’adresse
account-tokens-title = Jetons d’accès
account-tokens-intro = Pour les scripts et l’API (Authorization: Bearer …), et plus tard comme mots de passe d’application. Un jeton ne peut jamais plus que vous.
account-token-once = Copiez ce jeton maintenant : il n’est affiché qu’une fois.
account-token-name = À quoi il sert
account-token-scope = Portée
account-token-days = Valable (jours)
account-token-expires = Expire le
account-token-used = Dernière utilisation
account-token-create = Créer un jeton
account-token-revoke = Révoquer
notice-profile-saved = Votre profil a été enregistré.
notice-email-changed = Votre adresse e-mail a été changée. Votre ancienne adresse en a été avertie.
notice-photo-saved = Votre photo a été mise à jour.
notice-token-revoked = Le jeton a été révoqué.
mail-email-changed-subject = Votre adresse e-mail a été changée
mail-email-changed-body =
    Bonjour { $name },

    L’adresse e-mail de votre compte est désormais { $email }.

    Si vous n’êtes pas à l’origine de ce changement, prévenez immédiatement votre administrateur.

mail-moved-subject = { $portal } a déménagé
mail-moved-body =
    Bonjour { $name },

    { $portal } a déménagé sur un nouveau serveur. Vos espaces et documents ont suivi ; les mots de passe, non.

    Ouvrez ce lien pour choisir un nouveau mot de passe (il fonctionne une fois, pendant { $days } jours) :
    { $link }

account-data-title = Vos données
account-data-intro = Téléchargez tout ce que Parvis conserve sur vous : votre profil, vos appartenances, les documents que vous avez écrits et les fichiers que vous avez déposés (là où vous avez encore accès), et la trace de vos actions. Une archive (.tar) avec un README qui explique chaque fichier.
account-data-download = Télécharger mes données
choose-placeholder = Choisir…
space-add-title = Ajouter un membre
space-add-intro = Une personne qui a déjà un compte : un collègue, ou une personne externe déjà invitée ailleurs.
space-add-person = Personne
space-add-person-hint = Un nom ou une adresse e-mail.
space-add-submit = Ajouter à cet espace
space-add-existing-submit = Ajouter à cet espace
space-member-remove-named = Retirer { $name } de cet espace
notice-member-added = { $name } a été ajouté à cet espace.
notice-member-removed = Le membre a été retiré de cet espace.
invite-orgs-in-space = Déjà dans cet espace
invite-orgs-other = Autres organisations
invite-org-proposed = Les adresses en { $domain } appartiennent à { $org }, sélectionnée ci-dessous. Vérifiez, puis envoyez l’invitation.
invite-org-confirm-other = { $email } est une adresse de { $owner }, pas de { $org }. La personne verra tout ce qui est ouvert à { $org }.
invite-org-confirm-unlisted = { $org } ne compte pas { $domain } parmi ses domaines de messagerie. La personne verra tout ce qui est ouvert à { $org }.
invite-org-confirm-check = Oui, cette personne appartient à l’organisation choisie ci-dessus
invite-existing = { $name } ({ $org }) a déjà un compte. Ajoutez cette personne à cet espace :
error-invite-org-required = Choisissez l’organisation de cette personne.
error-invite-org-mismatch = L’adresse n’appartient pas à cette organisation : confirmez l’organisation.
error-role-required = Choisissez un rôle.
error-member-kind-invalid = Un membre est une personne, un groupe ou une organisation.
error-domain-invalid = Un domaine de messagerie ressemble à exemple.fr.
error-domain-taken = Ce domaine de messagerie appartient déjà à une autre organisation.
error-domains-too-many = 20 domaines de messagerie au plus.
error-org-domain-elsewhere = Le domaine de cette adresse appartient à une autre organisation.
error-org-domain-unlisted = Cette organisation ne compte pas le domaine de cette adresse parmi ses domaines de messagerie.
account-language = Langue
account-language-help = La langue de vos pages et des e-mails que vous recevez, où que vous vous connectiez.
account-time-zone = Fuseau horaire
account-time-zone-default = Celui de l’organisation ({ $zone })
error-time-zone-invalid = Choisissez un fuseau horaire dans la liste.
