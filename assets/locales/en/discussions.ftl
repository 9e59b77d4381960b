discussions-link = Discussions
forums-title = Discussions in { $space }
forums-heading = Discussions
forums-lead = Forums of this space: ask, answer, discuss with everyone who reads it.
forums-none = There is no forum in this space yet. Its managers can open one.
forums-none-moderator = There is no forum in this space yet. Open the first one below.
forum-topics = { $count ->
    [one] One topic
   *[other] { $count } topics
}
forum-new = Open a forum
forum-create = Open the forum
forum-name = Name
forum-description = Description (optional)
forum-mode = Kind of forum
forum-mode-discussion = Discussion
forum-mode-discussion-help = topics and replies in order
forum-mode-questions = Questions and answers
forum-mode-questions-help = the asker accepts the answer that helped, shown first
forum-edit = Forum settings
forum-delete = Delete this forum
forum-delete-help = { $count ->
    [one] Its topic and that topic’s replies are deleted with it.
   *[other] Its { $count } topics and their replies are deleted with it.
}
forum-notice-created = The forum is open.
forum-notice-deleted = The forum was deleted.
forum-topics-heading = Topics
forum-empty = Nothing here yet. Start the first topic.
forum-older = Older topics
topic-start = Start a topic
topic-ask = Ask a question
topic-new-in = New topic in { $forum }
topic-title = Title
topic-edit = Edit the topic
reply-edit = Edit the reply
topic-pinned = Pinned
topic-locked = Locked
topic-answered = Answered
topic-replies = { $count ->
    [0] no reply yet
    [one] one reply
   *[other] { $count } replies
}
topic-opening = The opening message
topic-follow = Follow this topic
topic-unfollow = Stop following
topic-answers = Answers
topic-replies-heading = Replies
topic-no-answer = No answer yet.
topic-no-reply = No reply yet.
topic-accepted-answer = Accepted answer
topic-accept = Accept this answer
topic-unaccept = Take back the acceptance
topic-more-replies = Later replies
topic-your-answer = Your answer
topic-your-reply = Your reply
topic-locked-note = This topic is locked: it takes no more replies.
topic-moderation = Moderation
topic-pin = Pin to the top
topic-unpin = Unpin
topic-lock = Lock
topic-unlock = Unlock
topic-delete = Delete the topic
topic-move-to = Move to the forum
topic-move = Move
topic-notice-deleted = The topic was deleted.
discussion-former-member = A former member
discussion-wrote = { $name } wrote:
discussion-edited = edited
discussion-quote = Quote
discussion-edit = Edit
discussion-delete = Delete
discussion-text = Message
discussion-markdown-help = Markdown: **bold**, *italic*, [link](https://…), lists, > quotes.
discussion-publish = Publish
discussion-send = Send
discussion-cancel = Cancel
discussion-history = Edit history
discussion-back = Back to the discussion
discussion-current = Current text
discussion-never-edited = This text was never edited.
discussion-revision = Written by { $name } on { $date }
discussion-replaced = replaced on { $date }
live-replies = Someone replied in this space’s discussions.
search-kind-topic = Topic
search-kind-reply = Reply
notification-topic-new = { $actor } started { $title }
notification-topic-reply = { $actor } replied in { $title }
notification-answer-accepted = { $actor } accepted your answer in { $title }
error-topic-title-required = Give the topic a title.
error-topic-title-invalid = The title must be at most 200 characters, on one line.
error-discussion-body-required = Write a message.
error-discussion-body-too-long = The message is too long (at most 50,000 characters).
error-discussion-body-invalid = The message contains a character that cannot be stored.
error-forum-mode-required = Choose the kind of forum: discussion, or questions and answers.
error-forum-mode-invalid = The kind of forum is “discussion” or “questions”.
error-forum-description-invalid = The description must be at most 2,000 characters.
error-forum-exists = This space already has a forum with that name.
error-topic-locked = This topic is locked: it takes no more replies.
error-forum-not-questions = Answers are accepted only in a forum of questions and answers.
error-quote-invalid = The message to quote is named by its number.
error-accepted-invalid = Say whether the answer is accepted (1) or not (0).
error-moderation-invalid = Pinned and locked are 1 or 0; a forum is named by its number.
error-following-invalid = Say whether you follow the topic (1) or not (0).

home-discussions = Latest discussions
discussion-not-told = Not told, as they may not read this space: { $names }.
error-discussion-mentions-too-many = A message may mention at most 20 people.
notification-mention = { $actor } mentioned you in { $title }
mention-suggestions = People to mention
mention-cannot-see = cannot read this space: will not be told
mention-help = Type @ and the start of a name to mention someone.
