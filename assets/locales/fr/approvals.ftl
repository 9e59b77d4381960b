## Approval flows
error-approval-definition-invalid = Ce circuit n’est pas écrit comme un modèle de circuit (étapes, valideurs, règles).
error-approval-no-steps = Un circuit a au moins une étape.
error-approval-too-many-steps = Un circuit a au plus 20 étapes.
error-approval-step-name = Chaque étape a un nom d’au plus 120 caractères.
error-approval-step-empty = Chaque étape a au moins un valideur.
error-approval-too-many-approvers = Une étape nomme au plus 50 valideurs.
error-approval-role = Un rôle est lecteur, contributeur ou responsable (reader, contributor, manager).
error-approval-rule = « Au moins N » demande un nombre de valideurs de 1 ou plus.
error-approval-deadline = Un délai compte de 1 à 365 jours ouvrés.
error-approval-step-nobody = Personne de nommé à cette étape ne peut décider sur les fichiers de l’espace.
error-approval-template-name = Un modèle de circuit a un nom d’au plus 120 caractères.
error-approval-template-unknown = Il n’y a pas de tel modèle de circuit dans cet espace.
error-approval-open = Un circuit est déjà en cours sur ce fichier.
error-approval-decision = Une décision est approuver, refuser ou demander des modifications.
error-approval-comment = Un commentaire a au plus 2 000 caractères.
error-approval-finished = Ce circuit n’attend plus de décision.
error-approval-stale = Le fichier a changé depuis que vous l’avez ouvert : regardez la nouvelle version avant de décider.
error-approval-self = Vous ne pouvez pas décider sur un fichier que vous avez vous-même soumis.
error-approval-decided = Vous avez déjà décidé à cette étape.

## Pages
approvals-title = Validations
approvals-lead = Qui a validé ce fichier, étape par étape, sur quels octets exactement.
approvals-none = Aucun circuit de validation n’a encore porté sur ce fichier.
approvals-record = Télécharger l’attestation signée
approvals-state-running = En revue
approvals-state-returned = Renvoyé à l’auteur
approvals-state-approved = Validé
approvals-state-rejected = Refusé
approvals-state-cancelled = Annulé
approvals-decision-approve = a validé
approvals-decision-reject = a refusé
approvals-decision-changes = a demandé des modifications
approvals-at-step = étape { $step } : { $name }
approvals-on-version = Sur la version { $number }
approvals-started = lancé { $when }
approvals-step-n = étape { $step }
approvals-comment = Commentaire (facultatif)
approvals-approve = Valider
approvals-changes = Demander des modifications
approvals-reject = Refuser
approvals-start = Lancer un circuit de validation
approvals-template = Circuit
approvals-choose = Choisir un circuit…
approvals-start-button = Lancer
approvals-notice-started = Le circuit de validation a commencé sur la version actuelle.
approvals-notice-decided = Votre décision est enregistrée.
approvals-waiting-title = En attente de ma validation
approvals-waiting-lead = Les fichiers dont l’étape en cours attend votre décision, les plus anciens d’abord.
approvals-waiting-none = Rien n’attend votre décision.
approvals-file = Fichier
approvals-space = Espace
approvals-step = Étape
approvals-since = En attente depuis
docs-approvals = Validations

error-approval-backup-deadline = Les suppléants interviennent une fois le délai passé : donnez un délai à cette étape.
approvals-withdraw = Retirer ce circuit
approvals-notice-withdrawn = Le circuit est retiré.

search-kind-approval = Validation
notification-topic-approvals = Validations
notification-topic-approvals-help = Les fichiers qui attendent votre validation, les rappels et escalades de leurs délais, et la fin des circuits que vous avez lancés.
notification-approval-waiting = { $title } attend votre validation
notification-approval-reminder = Rappel : { $title } attend votre validation, et son délai approche
notification-approval-escalated = Le délai pour valider { $title } est dépassé : l’étape va désormais aussi aux suppléants
notification-approval-approved = { $title } est validé
notification-approval-rejected = { $title } est refusé
notification-approval-returned = Des modifications sont demandées sur { $title }
notification-approval-cancelled = Le circuit de validation de { $title } est annulé

approvals-space-title = Circuits de validation
approvals-space-lead = Les circuits que suivent les fichiers de cet espace, et les dossiers où un fichier déposé en lance un.
approvals-space-templates = Modèles de circuit
approvals-space-no-templates = Aucun modèle de circuit pour l’instant : les responsables de l’espace les définissent.
approvals-step-with-deadline = { $name } ({ $days } jours ouvrés)
approvals-space-bindings = Dossiers de dépôt
approvals-space-bindings-help = Un fichier déposé dans l’un de ces dossiers, ou plus bas, et chacune de ses nouvelles versions, lance le circuit du dossier au nom de qui l’a déposé : un fournisseur dépose un certificat, la qualité le vérifie.
approvals-space-no-bindings = Aucun dossier ne lance encore de circuit.
approvals-bind-folder = Dossier
approvals-choose-folder = Choisissez un dossier…
approvals-bind = Lancer ce circuit pour les fichiers déposés ici
approvals-unbind = Arrêter
approvals-notice-bound = Les fichiers déposés dans ce dossier lancent désormais son circuit.
approvals-notice-unbound = Ce dossier ne lance plus de circuit.
approvals-space-link = Circuits de validation
error-approval-folder-choose = Choisissez un dossier dans la liste.

approvals-verify-title = Vérifier une attestation de validation
approvals-verify-lead = Donnez une attestation signée par cette instance, et le fichier qu’elle concerne si vous l’avez : chaque contrôle dit ce qui tient.
approvals-verify-form = Une attestation à vérifier
approvals-verify-record = L’attestation (JSON)
approvals-verify-document = Le fichier validé (facultatif)
approvals-verify-document-hint = Ses octets sont hachés à la réception et ne sont pas conservés.
approvals-verify-submit = Vérifier
approvals-verify-cli = Le même contrôle en ligne de commande :
approvals-verify-holds = Tout est conforme
approvals-verify-fails = Un contrôle échoue
approvals-verify-readable-holds = Le fichier est une attestation de validation.
approvals-verify-readable-fails = Le fichier n’est pas une attestation de validation (ou sa signature manque ou est doublée).
approvals-verify-readable-unasked = Le fichier n’a pas été lu.
approvals-verify-signature-holds = Sa signature correspond à son contenu.
approvals-verify-signature-fails = Sa signature ne correspond pas à son contenu : il a été modifié après signature, ou signé par une autre clé.
approvals-verify-signature-unasked = Sa signature n’a pas été vérifiée.
approvals-verify-key-holds = Elle a été signée par la clé de cette instance.
approvals-verify-key-fails = Elle n’a pas été signée par la clé de cette instance : elle vient d’ailleurs.
approvals-verify-key-unasked = Sa clé n’a pas été vérifiée.
approvals-verify-chain-holds = Chaque décision figure dans le journal d’audit de cette instance, avec l’empreinte que donne l’attestation.
approvals-verify-chain-fails = Une décision ne figure pas dans le journal d’audit de cette instance avec l’empreinte que donne l’attestation.
approvals-verify-chain-unasked = Ses décisions n’ont pas été cherchées dans le journal d’audit (l’attestation n’est pas de cette instance).
approvals-verify-document-holds = Le fichier donné est exactement celui qui a été validé.
approvals-verify-document-fails = Le fichier donné n’est pas celui qui a été validé : ses octets diffèrent.
approvals-verify-document-unasked = Aucun fichier donné : ses octets n’ont pas été comparés.
error-approval-record-missing = Choisissez le fichier d’attestation à vérifier.
error-approval-record-too-large = Ce fichier est trop gros pour être une attestation de validation.
about-title = À propos de cette instance
about-lead = Parvis { $version }.
about-keys = Clés des attestations de validation
about-keys-help = Cette instance signe les attestations des circuits de validation terminés avec cette clé Ed25519. Qui détient une attestation peut en vérifier la signature avec la clé publique affichée ici.
about-no-keys = Pas encore de clé : elle est créée à la signature de la première attestation.
about-key-active = signe les nouvelles attestations

approvals-delegation-title = Pendant votre absence
approvals-delegation-help = Choisissez qui décide à votre place pour une période (congés, déplacement) : cette personne voit ce qui vous attend, en est avertie, et chacune de ses décisions vous nomme tous les deux.
approvals-delegation-now = { $name } décide à votre place du { $from } au { $until }.
approvals-delegation-end = Mettre fin à cette délégation
approvals-delegation-who = Son adresse e-mail
approvals-delegation-from = Premier jour
approvals-delegation-until = Dernier jour
approvals-delegation-save = Déléguer mes validations
approvals-notice-delegated = Vos validations sont déléguées.
approvals-notice-undelegated = Votre délégation a pris fin.
approvals-for = pour { $name }
error-approval-delegate-unknown = Personne que vous puissiez choisir n’a cette adresse.
error-approval-delegate-self = Choisissez quelqu’un d’autre que vous.
error-approval-delegate-dates = Indiquez un premier et un dernier jour, le dernier ni avant le premier ni passé, à moins d’un an d’écart.

## Discussion interne
approvals-comment-help = Tous les lecteurs du fichier le voient, personnes externes comprises.
approvals-note = Note interne (facultative)
approvals-note-help = Ajoutée à la discussion interne : seules les personnes de votre organisation la voient.
approvals-notes = Discussion interne
approvals-notes-lead = Seules les personnes de votre organisation voient ces notes, jamais les lecteurs externes du fichier.
approvals-notes-none = Aucune note pour l’instant.
approvals-note-add = Ajouter une note
approvals-note-send = Ajouter la note
approvals-notice-noted = Votre note est ajoutée à la discussion interne.
error-approval-note = Une note compte de 1 à 4 000 caractères.
error-approval-note-internal = Les notes internes sont réservées aux personnes de l’organisation qui gère ce site.

## Signataires sans compte
error-approval-signatory = Un signataire doit avoir une adresse e-mail valide et un nom d’au plus 120 caractères.
error-approval-signatory-backup = Personne ne supplée un signataire, et un signataire ne supplée personne : une étape qui en nomme un n’a pas de suppléant.
error-approval-sign-codes = Trop de codes ont été envoyés pour ce lien. Demandez à qui vous l’a envoyé de relancer le circuit.
error-approval-sign-code = Ce code n’est pas le bon, ou ne fonctionne plus. Demandez-en un nouveau.
sign-title = Votre décision est demandée
sign-gone = Ce lien ne fonctionne plus : il a servi, il a expiré, ou le fichier qu’il concernait a changé.
sign-hello = Bonjour { $name },
sign-code-lead = Pour ouvrir cette demande, nous envoyons un code à usage unique à { $address }.
sign-code = Le code reçu
sign-open = Ouvrir
sign-code-send = M’envoyer un code
sign-code-again = Envoyer un nouveau code
sign-asked = Votre décision est demandée sur ce fichier : { $template }, étape « { $step } ».
sign-download = Télécharger le fichier
sign-done = Votre décision est enregistrée. Vous pouvez fermer cette page : le lien ne fonctionne plus.
mail-sign-subject = Votre décision est demandée sur { $document }
mail-sign-body = Bonjour { $name },

    { $sender } demande votre décision sur « { $document } ».

    Ouvrez ce lien pour voir le fichier et décider ; un code à usage unique sera envoyé à cette adresse :
    { $link }

    Le lien ne sert qu’une fois, pour ce fichier seulement. Si vous ne l’attendiez pas, ignorez ce message.
mail-sign-code-subject = Votre code à usage unique
mail-sign-code-body = Bonjour { $name },

    Votre code est { $code }. Il fonctionne 15 minutes.

    Si vous ne l’avez pas demandé, ignorez ce message : personne ne peut s’en servir sans le lien.
approvals-resend = Envoyer de nouveaux liens aux signataires
approvals-resend-help = Cette étape attend des signataires sans compte. Un nouveau lien remplace celui qu’ils ont reçu, qui ne fonctionne plus.
approvals-notice-resent = De nouveaux liens partent vers les signataires.

## Définir des circuits
approvals-edit = Modifier
approvals-define = Définir ou modifier un circuit
approvals-define-help = Enregistrer sous le nom d’un circuit existant en crée une nouvelle version : les circuits déjà en cours gardent celle avec laquelle ils ont commencé.
approvals-define-name = Nom
approvals-define-definition = Étapes et règles (JSON)
approvals-define-definition-help = Chaque étape : son nom, ses validateurs (person, group et organization par identifiant ; role : reader, contributor ou manager ; signatory : e-mail et nom, sollicité par e-mail sans compte), sa règle (any, all ou at_least n), un délai en jours ouvrés, des suppléants, et l’effet d’un refus (author, back, end). Puis : si les auteurs peuvent valider leur propre fichier, l’effet d’une nouvelle version (restart ou cancel) et si le fichier est verrouillé pendant la validation. L’exemple fonctionne tel quel.
approvals-define-save = Enregistrer le circuit
approvals-notice-template-saved = Le circuit est enregistré.
approvals-mistake-in-step = Étape { $step } : { $error }

# Circuits sur les demandes
approvals-request-waits = Avant le statut « { $status } »
approvals-request-choice = { $status } (circuit : { $flow })
approvals-request-bytes = Ce qui est validé : la demande telle que son client la voit (les octets exacts hachés)
approvals-request-ask = Demander une validation
approvals-request-status = Le statut où elle attend d’entrer
approvals-request-choose = Choisir un statut…
approvals-request-ask-button = Demander la validation
error-approval-request-template = L’espace de cette demande n’a pas de circuit du nom que son type donne pour ce statut. Un gestionnaire de l’espace le définit sur la page des circuits de l’espace.
error-approval-condition = La condition d’une étape nomme la clé d’un champ et au moins un test (above, at_least, below, at_most : un nombre ; one_of : des choix).
error-approval-step-always = Au moins une étape doit être sans condition, pour que chaque circuit ait une étape.
error-approval-condition-field = Une condition nomme le champ « { $item } », que ce type de demande ne montre pas à son client.
error-approval-conditions-request = Ce circuit choisit ses étapes d’après les champs d’une demande : il s’applique aux demandes, pas aux fichiers.
error-approval-signatory-document = Un signataire sans compte signe des fichiers : ce circuit en nomme un, il ne peut donc pas s’appliquer à une demande.
approvals-lead-request = Qui a validé cette demande, étape par étape, sur quels mots exactement : son titre et ses champs publics tels que son client les voit.
approvals-comment-help-request = Tous ceux qui voient la demande le voient, son client compris.
approvals-notes-lead-request = Seuls les agents de la demande voient ces notes, jamais son client.
