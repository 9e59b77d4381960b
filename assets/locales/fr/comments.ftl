comments-title = { $count ->
    [0] Commentaires
    [one] 1 commentaire
   *[other] { $count } commentaires
}
comments-none = Pas encore de commentaire.
comments-more = Seuls les 100 premiers commentaires sont affichés ici ; l’API les donne tous.
comments-your-comment = Votre commentaire
comments-send = Commenter
comments-cancel = Annuler
comments-back = Revenir à la page
comments-posted = Votre commentaire est publié.
comment-form-title = Commentaire
reactions-label = Réactions
reactions-add = Réagir
reaction-like = J’aime
reaction-love = J’adore
reaction-celebrate = Bravo
reaction-laugh = Drôle
reaction-surprised = Étonnant
reaction-thanks = Merci
error-comment-required = Écrivez quelque chose avant d’envoyer.
error-comment-too-long = Ce commentaire est trop long (10 000 caractères au plus) : raccourcissez-le, ou ouvrez une discussion.
error-comment-invalid = Ce commentaire contient des caractères qui ne peuvent pas être enregistrés.
error-comment-mentions-too-many = Un commentaire peut mentionner 20 personnes au plus.
error-comment-on-invalid = Ce n’est pas un élément que l’on peut commenter ou auquel on peut réagir (écrivez-le type:id, comme document:12).
error-reaction-invalid = Cette réaction n’est pas l’une de : like, love, celebrate, laugh, surprised, thanks.
notification-comment = { $actor } a commenté { $title }
notification-topic-comments = Commentaires
notification-topic-comments-help = Les commentaires sur ce que vous avez écrit ou commenté.
search-kind-comment = Commentaire
