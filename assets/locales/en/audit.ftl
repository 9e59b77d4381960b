## The audit log in the browser

admin-audit = Activity log
audit-csv = Download as CSV
audit-csv-help = The CSV file holds the events the filters select, at most the newest { $count }.
audit-chain-title = Integrity of the log
audit-chain-ok = Verified { $when }: the chain of { $count } events is intact.
audit-chain-broken = Verified { $when }: the chain is broken after { $count } intact events. The log was altered outside Parvis.
audit-chain-since = { $count ->
    [one] One event was recorded since.
   *[other] { $count } events were recorded since.
}
audit-chain-unverified = The chain has not been verified since the server started. Verifying reads every event once.
audit-chain-count = { $count ->
    [one] One event is kept.
   *[other] { $count } events are kept.
}
audit-chain-verify = Verify the chain now
audit-filters = Filter the activity log
audit-who = Person (e-mail or full name)
audit-action = Action
audit-target-type = Object type
audit-target-id = Object number
audit-from = From
audit-to = To
audit-none = No event matches.
audit-when = When
audit-actor = Who
audit-target = Object
audit-ip = From address
audit-detail = Details
audit-older = Older events
audit-actor-cli = Command line
audit-actor-system = Parvis
audit-actor-anonymous = Visitor (not signed in)
audit-actor-someone = Someone
space-activity-title = Activity in { $space }
space-activity-back = Back to { $space }
space-activity-intro = Everything recorded about this space, its files and its folders, newest first, as far as you may see it.
space-activity-the-space = The space
space-activity-link = Activity log of the space
error-audit-person-unknown = Nobody has this e-mail address or exactly this name.
error-audit-target-type-invalid = The object type is a word in lower case, such as person, space or document.
error-audit-target-id-invalid = The object number is at most 64 letters, digits, dots, dashes or underscores.
error-audit-action-invalid = The action is the start of an action name, such as person. or signin.failure.
error-audit-date-invalid = Dates are written YYYY-MM-DD.
error-audit-dates-reversed = The first day must come before the last one.
error-audit-page-invalid = This page of the log does not exist; start again from the newest events.
