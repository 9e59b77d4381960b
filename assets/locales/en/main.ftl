# Parvis — English

skip-to-content = Skip to content
footer-powered = Powered by Parvis
nav-label = Main navigation
nav-home = Home
nav-spaces = Spaces
nav-people = People
nav-account = My account
user-menu-label = Your account menu
language-label = Language
signout = Sign out

search-label = Search
search-placeholder = Search…
search-submit = Search
search-title = Search
search-results-for = Results for “{ $query }”
search-hint = Type a few words in the search box to find files, spaces and people.
search-nothing = Nothing matches your search among what you can see.

filter-submit = Filter

signin-title = Sign in
signin-intro = Sign in to { $portal } with your work e-mail address.
signin-email = E-mail address
signin-password = Password
signin-submit = Sign in

home-title = Home
home-greeting = Hello { $name }
home-spaces = Your spaces
home-see-all = See all
home-glance = At a glance
home-stat-spaces = Spaces
home-stat-people = People you can reach
home-internal-note = As a member of the staff, you see the whole directory and the spaces open to all staff.
home-external-note = You see the spaces you were invited to and the people who share them with you.
home-directory-link = Open the directory

spaces-title = Spaces
spaces-filter = Filter spaces by name
spaces-empty = No space to show yet.
space-shared-badge = Shared externally
space-visibility-internal = Open to all staff
space-visibility-members = Members only
space-members-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}

people-title = People
people-filter = Filter by name, title or department
people-empty = Nobody matches.
people-back = Back to the directory
person-external-badge = External
person-department = Department
person-organization = Organization
person-email = E-mail
person-phone = Phone

account-title = My account
account-must-change = Please choose your own password before going further.
account-password-title = Change password
account-password-current = Current password
account-password-new = New password
account-password-confirm = Repeat the new password
account-password-rules = At least 12 characters. A few unrelated words make a strong, memorable password.
account-password-submit = Change password
account-sessions-title = Where you are signed in
account-session-device = Device
account-session-address = Address
account-session-last-seen = Last active
account-session-current = This device
account-session-since = Signed in { $date }
account-signout-others = Sign out of all other devices
account-signout-everywhere = Sign out everywhere

notice-signed-out = You are signed out.
notice-signed-out-everywhere = You are signed out on every device.
notice-password-changed = Your password was changed. Your other sessions have ended.
notice-others-signed-out = Your other sessions have ended.
notice-session-ended = Your session has ended. Please sign in again.

throttle-wait = Too many attempts. Please wait { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} before trying again.

error-home-link = Back to the home page
error-reference = Reference for your administrator:
error-400-title = Something is wrong with this request
error-401-title = Please sign in
error-403-title = Not allowed
error-404-title = Page not found
error-405-title = Not allowed here
error-408-title = The request took too long
error-409-title = This conflicts with the current state
error-413-title = Too large
error-414-title = Address too long
error-415-title = Unsupported format
error-429-title = Too many requests
error-431-title = Request headers too large
error-500-title = Something went wrong on our side
error-503-title = Temporarily unavailable
error-507-title = No room left to store this

error-not-found = This page does not exist, or you do not have access to it.
error-unauthorized = You need to sign in to see this page.
error-forbidden = You are not allowed to do this.
error-csrf = This form has expired or did not come from this site. Go back, reload the page and try again.
error-method-not-allowed = This address does not accept this kind of request.
error-too-large = What you sent is larger than this site accepts.
error-uri-too-long = The address is too long.
error-unsupported-media-type = This kind of content is not accepted here.
error-bad-request = The request could not be understood. Please check what you entered and try again.
error-form-invalid = The form could not be read. Please reload the page and try again.
error-query-invalid = The address contains invalid parameters.
error-limit-invalid = The `limit` parameter is outside the page sizes this list accepts (see the API description).
error-internal = An unexpected error occurred. It has been logged; please try again in a moment.
error-too-many = Too many requests. Please wait a moment before trying again.
error-unavailable = The service is busy or unavailable. Please try again in a moment.
error-storage-full = The server has no room left to store this (its disk is full), so nothing was kept. Ask an administrator to free space, then try again.
error-timeout = The request took too long to complete. Please try again.
error-conflict = This change conflicts with the current state. Reload the page and try again.
error-signin-failed = Wrong e-mail address or password.
error-password-mismatch = The two new passwords differ.
error-password-too-short = Passwords need at least 12 characters.
error-password-too-long = Passwords may have at most 256 characters.
error-password-too-common = This password is too common or too easy to guess. Choose another one.
error-current-password-wrong = Your current password is not correct.
error-language-invalid = This language is not available.
error-email-invalid = This is not a valid e-mail address.
error-email-taken = This e-mail address is already used.
error-name-empty = A name is required.
error-name-too-long = This name is too long.
error-last-admin = This is the last active administrator.
error-token-invalid = This access token is not valid: it may be mistyped, expired or revoked.
space-your-role = Your role:
space-members = Members
space-no-members = No members you can see.
spaces-back = All spaces
role-reader = Reader
role-contributor = Contributor
role-manager = Manager
member-kind-person = person
member-kind-group = group
member-kind-organization = whole organization
forgot-title = Forgot your password?
forgot-intro = Enter the e-mail address of your account. If it can sign in here, we send it a link to choose a new password; the link works for 30 minutes, once.
forgot-submit = Send the link
forgot-sent = If an account uses this address, a link is on its way. Check your inbox (and your spam folder).
forgot-link = Forgot your password?
reset-title = Choose a new password
reset-submit = Set the new password
reset-invalid = This link is not valid any more: it was used already, it expired, or it was mistyped. Ask for a new one.
reset-ask-again = Ask for a new link
notice-password-reset = Your password was changed. Sign in with your new password.
error-reset-link-invalid = This link is not valid any more: it was used already, it expired, or it was mistyped.
mail-reset-subject = Reset your password
mail-reset-body = Hello { $name },

    someone asked to reset the password of your account. If it was you, open this link within 30 minutes to choose a new password:

    { $link }

    If it was not you, ignore this message: your password stays as it is.
search-count = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-filters = Filters
search-sort = Sort by
search-sort-relevance = Relevance
search-sort-date = Most recent
search-type = Type
search-any = any
search-file-type = File type
search-pages = Pages of results
search-previous = Previous
search-next = Next
search-kind-document = File
search-kind-space = Space
search-kind-person = Person
search-sort-recent = Relevance, recent first
search-author = Changed by
search-changed = Changed
search-any-date = any date
search-last-days = in the last { $days } days
time-just-now = just now
time-minutes-ago = { $n ->
        [one] a minute ago
       *[other] { $n } minutes ago
    }
time-hours-ago = { $n ->
        [one] an hour ago
       *[other] { $n } hours ago
    }
time-yesterday = yesterday
time-days-ago = { $n } days ago
space-activity = Recent activity
space-activity-none = Nothing has happened here yet.
space-recent-files = Recently changed files
space-all-files = All files
space-no-files = No files yet.
space-links = Links
space-links-none = No links pinned yet.
space-link-title = Title
space-link-url = Address
space-link-url-hint = A page of this site (/spaces/…) or a web address (https://…).
space-link-add = Pin the link
space-link-remove-named = Remove { $title } from the links
link-new-window = opens in a new window
notice-link-added = The link was pinned.
notice-link-removed = The link was unpinned.
activity-someone = Someone
activity-added = { $who } added
activity-version = { $who } added version { $number } of
activity-joined-person = { $who } joined the space
activity-joined-group = The group { $who } joined the space
activity-joined-organization = Everyone at { $who } joined the space
error-link-url-invalid = The address must be a page of this site (starting with /) or a web address (https://…).
error-link-title-invalid = Give the link a title of at most 120 characters.
error-links-too-many = A space holds at most 20 links.
language-label-signed = Language of your pages and e-mails, saved in your profile
language-switch-signed = { $language }: your pages and e-mails, saved in your profile
member-everyone-at = Everyone at { $org }
space-about-edit = Describe this space
notice-about-saved = The description was saved.
error-live-too-many-streams = You have too many live connections open. Close a few tabs or apps and try again.
error-live-full = The server holds as many live connections as it can. The page still works; live updates resume later.
live-changed = This space changed since you opened the page.
live-reload = Show the changes
notifications-title = Notifications
notifications-none = Nothing yet. You are told here when someone adds you to a space or changes a file you made.
notifications-all-read = You have read everything.
notifications-unread = { $count ->
    [one] One unread notification.
   *[other] { $count } unread notifications.
}
notifications-mark-all = Mark all as read
notifications-new = New:
notifications-bell = Notifications
notification-someone = Someone
notification-space-added = { $actor } added you to { $title }
notification-document-new-version = { $actor } added a new version of { $title }
