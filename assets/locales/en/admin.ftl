# Administration pages.

nav-admin = Admin
admin-nav-label = Administration sections
admin-people = People
admin-orgs = Organizations
admin-groups = Groups
admin-spaces = Spaces
admin-portals = Portals
admin-actions = Actions
admin-badge = Admin
admin-status = Status
admin-status-active = Active
admin-status-disabled = Suspended
admin-enable = Reactivate
admin-disable = Suspend
admin-mfa-reset = Reset second factor
admin-title = Job title
admin-person-new = New account
admin-person-new-intro = The person receives an e-mail with a single-use link to choose a password. External people get you as sponsor.
admin-person-create = Create the account
admin-import-link = Import from a CSV file
admin-import-title = Import people
admin-import-lead = Check the file first: nothing is written until every row is right.
admin-import-columns = A header line with some of these columns (email and name are required; comma or semicolon separated, UTF-8):
admin-import-file = CSV file
admin-import-check = Check the file
admin-import-run = Import
admin-import-report = Rows
admin-import-line = Line
admin-import-result = Result
admin-import-ready = { $count ->
    [one] The row is right. Choose the file again and “Import” to create the account.
   *[other] All { $count } rows are right. Choose the file again and “Import” to create the accounts.
}
admin-import-done = { $count ->
    [one] One account created; the person receives a link to choose a password.
   *[other] { $count } accounts created; each person receives a link to choose a password.
}
admin-import-errors = { $count ->
    [one] One row needs fixing. Nothing was imported.
   *[other] { $count } rows need fixing. Nothing was imported.
}
notice-person-created = The account was created and the person was sent a link to choose a password.
notice-status-changed = The account status was changed.
notice-mfa-reset-done = The second factors were removed; the person signs in with the password and sets up a new one.

error-csv-encoding = The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.
error-csv-unknown-column = The header line has a column Parvis does not know. Use only: email, name, organization, title, department, phone, language, skills.
error-csv-missing-column = The header line must have the columns email and name.
error-csv-unreadable = The file is not a readable CSV file.
error-csv-empty = The file has no rows.
error-csv-too-many-rows = The file has more than 5000 rows. Split it.
error-csv-too-large = The file is larger than 2 MiB.
error-csv-duplicate-row = This e-mail address appears twice in the file.
mail-welcome-subject = Your account on { $portal }
mail-welcome-body =
    Hello { $name },

    An account was created for you on { $portal }.

    Open this link to choose your password (it works once, for { $days } days):
    { $link }

admin-access-days = Days of access for external people invited here
admin-add = Add
admin-add-member = Add a person (e-mail)
admin-any-host = Any other host name
admin-audience = Who may sign in here
admin-color = Primary colour (#rrggbb)
admin-color-preview = Preview of the colour
admin-color-sample = Button
admin-create = Create
admin-default = default
admin-delete = Delete
admin-description = Description
admin-grant = Grant
admin-group-delete = Delete this group
admin-group-new = New group
admin-hostnames = Host names
admin-hostnames-help = One per line, without https:// or port. Leave empty for the default portal to serve every other name.
admin-kind = Kind
admin-language = Language for new visitors
admin-logo = Logo
admin-logo-file = PNG, JPEG, GIF or WebP, at most 512 KiB
admin-logo-remove = Back to the built-in logo
admin-logo-upload = Upload
admin-member-kind = Member
admin-member-who = E-mail or identifier
admin-mfa-admins = Administrators must use a second factor
admin-mfa-kinds = Members of these kinds of organizations must use one
admin-mfa-policy = Second factor, instance-wide
admin-org-new = New organization
admin-portal-delete = Delete this portal
admin-portal-new = New portal
admin-publish = Show on its home page
admin-remove = Remove
admin-require-mfa = Everyone signing in here must use a second factor
admin-save = Save
admin-space-delete = Delete this space
admin-space-new = New space
admin-unpublish = Stop showing
admin-visibility = Visibility
admin-welcome = Welcome text on the home page
notice-admin-saved = Saved.
notice-admin-deleted = Deleted.
org-kind-host = Host (staff)
org-kind-client = Client
org-kind-partner = Partner
org-kind-supplier = Supplier
org-kind-other = Other
org-kind-host-all = The staff
org-kind-client-all = Every client
org-kind-partner-all = Every partner
org-kind-supplier-all = Every supplier
org-kind-other-all = Every other organization
admin-shown = shown
admin-share-links = Contributors may share documents by public link here

admin-export-data = Export data
admin-personal-data = Personal data
admin-personal-data-title = Personal data: { $name }
admin-export-title = Export (right of access)
admin-export-intro = One archive (.tar) with everything Parvis holds about this person: profile, memberships, the documents they wrote and the versions they uploaded, and their audit trail, with a README that explains each file.
admin-erase-heading = Erase (right to erasure)
admin-status-erased = Erased
admin-erase-intro = Erasure cannot be undone
admin-erase-removed-title = Removed:
admin-erase-removed = name, e-mail address, job title, department, phone, skills, photo and language; the means to sign in (password, second factors, sessions, access tokens, pending links); memberships of groups, spaces and folders.
admin-erase-kept-title = Kept:
admin-erase-kept = the documents and versions they wrote, signed with a neutral name, so that shared work stays readable; and the audit log, which records that an erasure took place but not what was erased. Events recorded earlier stay until the audit log’s retention removes them.
admin-erase-export-first = If the person asked for their data, export it before erasing.
admin-erase-confirm = Erase { $name } for good
admin-erase-cancel = Cancel
notice-person-erased = The person was erased. What they wrote now shows a neutral name.
person-erased-name = Former member
error-cannot-erase-self = You cannot erase your own account.
error-already-erased = This person was already erased.
admin-org-domains = E-mail domains
admin-org-domains-of = E-mail domains of { $org }
admin-org-domains-hint = Separated by spaces. Invitations propose this organization for these addresses and ask before putting anyone else in it.
admin-member-who-hint = A person (name or e-mail), a group or an organization.
admin-import-row-ok = Ready to import
admin-description-en = Description in English
admin-description-fr = Description in French

## Adoption figures
admin-adoption = Adoption
adoption-lead = How many people use this instance, where, and whether they find what they look for. Counts only: never who did what.
adoption-filters = Which figures
adoption-period = Period
adoption-days = Last { $n } days
adoption-of = For
adoption-whole-instance = The whole instance
adoption-portals = Portals
adoption-organizations = Organizations
adoption-range = From { $from } to { $to }
adoption-narrowed = { $name } only
adoption-active-people = Active people
adoption-split = { $internal } internal, { $external } external
adoption-searches = Searches
adoption-missed-share = { $share } found nothing
adoption-uploads = Uploads
adoption-downloads = Downloads
adoption-per-day-title = Active people per day
adoption-per-week-title = Active people per week
adoption-by-portal = By portal
adoption-by-org = By organization
adoption-top-spaces = Most used spaces
adoption-misses = Searches that found nothing
adoption-day = Day
adoption-week-of = Week of
adoption-active = Active people
adoption-today = Today
adoption-last-7 = Last 7 days
adoption-in-period = Over the period
adoption-per-day = On an average day
adoption-portal = Portal
adoption-organization = Organization
adoption-space = Space
adoption-people = People
adoption-query = Searched for
adoption-times = Times
adoption-numbers = The numbers ({ $n } rows)
adoption-nothing = Nothing yet over this period.
error-adoption-period = Choose a period of 7, 30 or 90 days.
error-adoption-narrow-one = Choose one portal or one organization, not both.
