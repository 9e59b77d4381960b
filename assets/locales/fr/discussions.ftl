discussions-link = Discussions
forums-title = Discussions de { $space }
forums-heading = Discussions
forums-lead = Les forums de cet espace : demandez, répondez, échangez avec tous ceux qui le lisent.
forums-none = Cet espace n’a pas encore de forum. Ses gestionnaires peuvent en ouvrir un.
forums-none-moderator = Cet espace n’a pas encore de forum. Ouvrez le premier ci-dessous.
forum-topics = { $count ->
    [one] Un sujet
   *[other] { $count } sujets
}
forum-new = Ouvrir un forum
forum-create = Ouvrir le forum
forum-name = Nom
forum-description = Description (facultative)
forum-mode = Type de forum
forum-mode-discussion = Discussion
forum-mode-discussion-help = des sujets et leurs réponses, dans l’ordre
forum-mode-questions = Questions-réponses
forum-mode-questions-help = l’auteur de la question accepte la réponse qui l’a aidé, affichée en premier
forum-edit = Réglages du forum
forum-delete = Supprimer ce forum
forum-delete-help = { $count ->
    [one] Son sujet et les réponses à ce sujet sont supprimés avec lui.
   *[other] Ses { $count } sujets et leurs réponses sont supprimés avec lui.
}
forum-notice-created = Le forum est ouvert.
forum-notice-deleted = Le forum a été supprimé.
forum-topics-heading = Sujets
forum-empty = Rien pour l’instant. Lancez le premier sujet.
forum-older = Sujets plus anciens
topic-start = Lancer un sujet
topic-ask = Poser une question
topic-new-in = Nouveau sujet dans { $forum }
topic-title = Titre
topic-edit = Modifier le sujet
reply-edit = Modifier la réponse
topic-pinned = Épinglé
topic-locked = Verrouillé
topic-answered = Résolu
topic-replies = { $count ->
    [0] aucune réponse
    [one] une réponse
   *[other] { $count } réponses
}
topic-opening = Le message d’ouverture
topic-follow = Suivre ce sujet
topic-unfollow = Ne plus suivre
topic-answers = Réponses
topic-replies-heading = Réponses
topic-no-answer = Pas encore de réponse.
topic-no-reply = Pas encore de réponse.
topic-accepted-answer = Réponse acceptée
topic-accept = Accepter cette réponse
topic-unaccept = Retirer l’acceptation
topic-more-replies = Réponses suivantes
topic-your-answer = Votre réponse
topic-your-reply = Votre réponse
topic-locked-note = Ce sujet est verrouillé : il n’accepte plus de réponse.
topic-moderation = Modération
topic-pin = Épingler en haut
topic-unpin = Désépingler
topic-lock = Verrouiller
topic-unlock = Déverrouiller
topic-delete = Supprimer le sujet
topic-move-to = Déplacer vers le forum
topic-move = Déplacer
topic-notice-deleted = Le sujet a été supprimé.
discussion-former-member = Un ancien membre
discussion-wrote = { $name } a écrit :
discussion-edited = modifié
discussion-quote = Citer
discussion-edit = Modifier
discussion-delete = Supprimer
discussion-text = Message
discussion-markdown-help = Markdown : **gras**, *italique*, [lien](https://…), listes, > citations.
discussion-publish = Publier
discussion-send = Envoyer
discussion-cancel = Annuler
discussion-history = Historique des modifications
discussion-back = Retour à la discussion
discussion-current = Texte actuel
discussion-never-edited = Ce texte n’a jamais été modifié.
discussion-revision = Écrit par { $name } le { $date }
discussion-replaced = remplacé le { $date }
live-replies = Quelqu’un a répondu dans les discussions de cet espace.
search-kind-topic = Sujet
search-kind-reply = Réponse
notification-topic-new = { $actor } a lancé { $title }
notification-topic-reply = { $actor } a répondu dans { $title }
notification-answer-accepted = { $actor } a accepté votre réponse dans { $title }
error-topic-title-required = Donnez un titre au sujet.
error-topic-title-invalid = Le titre doit tenir en 200 caractères, sur une ligne.
error-discussion-body-required = Écrivez un message.
error-discussion-body-too-long = Le message est trop long (50 000 caractères au plus).
error-discussion-body-invalid = Le message contient un caractère qui ne peut pas être enregistré.
error-forum-mode-required = Choisissez le type de forum : discussion, ou questions-réponses.
error-forum-mode-invalid = Le type de forum est « discussion » ou « questions ».
error-forum-description-invalid = La description doit tenir en 2 000 caractères.
error-forum-exists = Cet espace a déjà un forum de ce nom.
error-topic-locked = Ce sujet est verrouillé : il n’accepte plus de réponse.
error-forum-not-questions = On n’accepte une réponse que dans un forum de questions-réponses.
error-quote-invalid = Le message à citer se désigne par son numéro.
error-accepted-invalid = Indiquez si la réponse est acceptée (1) ou non (0).
error-moderation-invalid = Épinglé et verrouillé valent 1 ou 0 ; un forum se désigne par son numéro.
error-following-invalid = Indiquez si vous suivez le sujet (1) ou non (0).

home-discussions = Dernières discussions
discussion-not-told = Non prévenus, car ils ne peuvent pas lire cet espace : { $names }.
error-discussion-mentions-too-many = Un message peut mentionner 20 personnes au plus.
notification-mention = { $actor } vous a mentionné dans { $title }
mention-suggestions = Personnes à mentionner
mention-cannot-see = ne peut pas lire cet espace : ne sera pas prévenu
mention-help = Tapez @ et le début d’un nom pour mentionner quelqu’un.
