comments-title = { $count ->
    [0] Comments
    [one] 1 comment
   *[other] { $count } comments
}
comments-none = No comment yet.
comments-more = Only the first 100 comments are shown here; the API lists them all.
comments-your-comment = Your comment
comments-send = Comment
comments-cancel = Cancel
comments-back = Back to the page
comments-posted = Your comment is posted.
comment-form-title = Comment
reactions-label = Reactions
reactions-add = React
reaction-like = Like
reaction-love = Love
reaction-celebrate = Celebrate
reaction-laugh = Funny
reaction-surprised = Surprising
reaction-thanks = Thanks
error-comment-required = Write something before sending.
error-comment-too-long = This comment is too long (at most 10,000 characters): shorten it, or start a discussion.
error-comment-invalid = This comment holds characters that cannot be stored.
error-comment-mentions-too-many = A comment may mention at most 20 people.
error-comment-on-invalid = This is not an item one can comment on or react to (write it as kind:id, such as document:12).
error-reaction-invalid = This reaction is not one of like, love, celebrate, laugh, surprised or thanks.
notification-comment = { $actor } commented on { $title }
notification-topic-comments = Comments
notification-topic-comments-help = Comments on what you wrote or commented on.
search-kind-comment = Comment
