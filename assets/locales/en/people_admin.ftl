## Administration of people: facts, filters and bulk changes

roster-filters = Filter people
roster-any-org = Any organization
roster-any-kind = Any kind
roster-any-end = Any end of access
roster-ends-30 = Ends within 30 days
roster-clear = Clear the filters
roster-kind-internal = Internal (staff)
roster-kind-client = Client
roster-kind-partner = Partner
roster-kind-supplier = Supplier
roster-kind-other = Other
roster-count = { $count ->
    [0] Nobody matches.
    [one] One person.
   *[other] { $count } people.
}
roster-last-signin = Last sign-in
roster-second-factor = Second factor
roster-never = Never
roster-no-end = No end
roster-ends-soon = soon
roster-mfa-totp = Authenticator app
roster-mfa-passkeys = { $count ->
    [one] One passkey
   *[other] { $count } passkeys
}
roster-mfa-none = None
roster-select = Select { $name }
roster-bulk-legend = With the people ticked in the list
roster-bulk-renew = Renew access by
roster-bulk-days = days
roster-bulk-end = End access now
roster-bulk-apply = Apply
roster-bulk-help = Only external people have an end of access; each change is recorded in the audit log. Ending access signs the person out everywhere at once.
roster-renewed = { $count ->
    [one] Access renewed for one person.
   *[other] Access renewed for { $count } people.
}
roster-ended = { $count ->
    [one] Access ended for one person.
   *[other] Access ended for { $count } people.
}
roster-refused = { $count ->
    [one] One person was left unchanged:
   *[other] { $count } people were left unchanged:
}
roster-refusal = { $name }: { $reason }
error-roster-kind-unknown = Unknown kind of organization in the filter: choose internal, client, partner, supplier or other.
error-roster-org-unknown = Unknown organization in the filter.
error-roster-ends-invalid = The end-of-access filter must be a number of days between 1 and 365.
error-roster-action-invalid = Choose what to do with the selected people: renew their access or end it.
error-roster-selection-empty = Tick at least one person in the list first.
error-roster-selection-invalid = The selection is not valid; reload the page and try again.
error-roster-selection-too-large = At most 500 people can be changed at once.
error-roster-person-unknown = This person does not exist.
