# Identity and access: organizations, people, groups, portals, spaces, accounts.

error-access-days-invalid = The access length must be between 1 and 3650 days.
error-admin-must-be-internal = Administrators must belong to the host organization.
error-cannot-disable-self = You cannot suspend your own account.
error-color-invalid = Colours are written as #rrggbb, for example #1f5fbf.
error-default-portal-needs-staff = The default portal must stay open to the staff (organization kind “host”).
error-default-portal-stays = The default portal cannot be removed.
error-expiry-in-past = This date is already past.
error-field-invalid = This text contains characters that are not allowed.
error-field-too-long = This text is too long.
error-group-exists = A group with this identifier already exists.
error-group-unknown = There is no such group.
error-hostname-invalid = A host name is made of letters, digits, dashes and dots (use the punycode form for accented names), without a port.
error-hostname-taken = Another portal already answers to this host name.
error-image-empty = The image is empty.
error-image-too-large = Images may be at most 512 KiB.
error-image-type = Only PNG, JPEG, GIF and WebP images are accepted (SVG is refused because it can carry scripts).
error-name-invalid = This name contains characters that are not allowed.
error-org-exists = An organization with this identifier already exists.
error-org-host-exists = There is only one host organization.
error-org-kind-invalid = The kind must be client, partner, supplier or other.
error-org-no-host = This instance is not initialized yet.
error-org-unknown = There is no such organization.
error-person-unknown = Nobody has this e-mail address.
error-portal-exists = A portal with this identifier already exists.
error-portal-unknown = There is no such portal.
error-role-invalid = The role must be reader, contributor or manager.
error-scope-admin-needs-admin = Only administrators can hold tokens with the admin scope.
error-scope-invalid = The scope must be read, write or admin.
error-signin-wrong-portal = Your account cannot sign in on this portal. Use the address you were invited to.
error-slug-invalid = Identifiers are lower-case letters, digits and single dashes (2 to 60 characters).
error-space-exists = A space with this identifier already exists.
error-space-unknown = There is no such space.
error-status-invalid = This status does not exist.
error-token-expiry-invalid = The expiry must be between 1 and 3650 days.
error-token-name-invalid = Give the token a name of 1 to 80 characters.
error-visibility-invalid = The visibility must be “members” or “internal”.

space-shown-on = Shown on:

error-invite-already-accepted = This person has already accepted the invitation.
error-invite-external-only = Invitations are for people of external organizations. Add staff with an account instead.
error-invite-link-invalid = This invitation link is not valid any more: it was used already, it expired, or it was mistyped.
error-invite-needs-space = Choose at least one space the person will join.
error-not-external = This is not an external account.
error-portal-refuses-org = This portal's audience does not include this organization.
error-sponsor-must-be-internal = The sponsor must be an active member of the staff.
error-sponsor-required = Name the sponsor: the member of the staff answerable for this account.

invite-title = Your invitation
invite-intro = You are invited to { $portal }. Choose a password to open your account.
invite-password = Choose a password
invite-submit = Open my account
invite-invalid = This invitation link is not valid any more: it was used already, it expired, or it was mistyped. Ask the person who invited you to send a new one.
person-name = Name
person-skills = Skills
person-sponsor = Sponsor
person-access-ends = Access ends
person-access-ended = Access ended
person-invitation-pending = Invitation not accepted yet
person-access-title = Access
person-access-renew = Renew access
person-access-end = End access now
person-invite-resend = Send the invitation again
notice-access-renewed = Access renewed until { $date }.
notice-access-ended = Access ended. Their sessions are closed.
notice-invite-sent = Invitation sent to { $email }.
space-invite-title = Invite someone external
space-invite-intro = They receive an e-mail with a link to choose a password. You are their sponsor: you will be reminded before their access ends.
space-invite-email = E-mail address
space-invite-name = Full name
space-invite-org = Organization
space-invite-role = Role in this space
space-invite-submit = Send the invitation
mail-invite-subject = { $spaces_count ->
        [0] { $inviter } invites you to { $portal }
       *[other] { $inviter } invites you to { $spaces } on { $portal }
    }
mail-invite-body =
    Hello { $name },

    { $spaces_count ->
        [0] { $inviter } invites you to { $portal }.
        [one] { $inviter } invites you to the space { $spaces } on { $portal }.
       *[other] { $inviter } invites you to the spaces { $spaces } on { $portal }.
    }
    { $ends ->
        [none] {""}
       *[other] Your access runs until { $ends }; { $inviter } can extend it.
    }

    Open this link to choose your password (it works once, for { $days } days):
    { $link }

    If you did not expect this invitation, you can ignore this message.
mail-expiry-subject = Access of { $name } ends on { $date }
mail-expiry-body =
    Hello { $sponsor },

    You sponsor { $name } ({ $org }). Their access ends on { $date }.

    To renew it in one click, or to end it, open:
    { $link }

    Without renewal, their account closes on that date.

error-scope-insufficient = This access token's scope does not allow this.
error-member-one-of = Name exactly one member: a person, a group or an organization.
error-org-host-stays = The host organization cannot be removed.
error-org-not-empty = This organization still has people: move or delete them first.
error-cannot-delete-self = You cannot delete your own account.

account-profile-title = Profile
account-skills-help = Separated by commas; colleagues find you by them in the directory.
account-photo = Photo
account-photo-remove = Remove the photo
account-email-title = E-mail address
account-email-new = New e-mail address
account-email-submit = Change the address
account-tokens-title = Access tokens
account-tokens-intro = For scripts and the API (Authorization: Bearer …), and later as app passwords. A token never does more than you may.
account-token-once = Copy this token now: it is shown only once.
account-token-name = What it is for
account-token-scope = Scope
account-token-days = Valid for (days)
account-token-expires = Expires
account-token-used = Last used
account-token-create = Create a token
account-token-revoke = Revoke
notice-profile-saved = Your profile was saved.
notice-email-changed = Your e-mail address was changed. Your former address was told.
notice-photo-saved = Your photo was updated.
notice-token-revoked = The token was revoked.
mail-email-changed-subject = Your e-mail address was changed
mail-email-changed-body =
    Hello { $name },

    The e-mail address of your account is now { $email }.

    If you did not make this change, tell your administrator at once.

mail-moved-subject = { $portal } has moved
mail-moved-body =
    Hello { $name },

    { $portal } has moved to a new server. Your spaces and documents came with it; passwords did not.

    Open this link to choose a new password (it works once, for { $days } days):
    { $link }

account-data-title = Your data
account-data-intro = Download everything Parvis holds about you: your profile, your memberships, the documents you wrote and the files you uploaded (where you still have access), and the record of your actions. One archive (.tar) with a README that explains each file.
account-data-download = Download my data
choose-placeholder = Choose…
space-add-title = Add a member
space-add-intro = Someone who already has an account: a colleague, or an external person already invited elsewhere.
space-add-person = Person
space-add-person-hint = A name or an e-mail address.
space-add-submit = Add to this space
space-add-existing-submit = Add to this space
space-member-remove-named = Remove { $name } from this space
notice-member-added = { $name } was added to this space.
notice-member-removed = The member was removed from this space.
invite-orgs-in-space = Already in this space
invite-orgs-other = Other organizations
invite-org-proposed = Addresses at { $domain } belong to { $org }, now selected below. Check it, then send the invitation.
invite-org-confirm-other = { $email } is an address of { $owner }, not of { $org }. The person will see everything granted to { $org }.
invite-org-confirm-unlisted = { $org } does not list { $domain } among its e-mail domains. The person will see everything granted to { $org }.
invite-org-confirm-check = Yes, this person belongs to the organization chosen above
invite-existing = { $name } ({ $org }) already has an account. Add them to this space instead:
error-invite-org-required = Choose the organization this person belongs to.
error-invite-org-mismatch = The address does not belong to this organization: confirm the organization.
error-role-required = Choose a role.
error-member-kind-invalid = A member is a person, a group or an organization.
error-domain-invalid = An e-mail domain looks like example.com.
error-domain-taken = This e-mail domain already belongs to another organization.
error-domains-too-many = At most 20 e-mail domains.
error-org-domain-elsewhere = This address's domain belongs to another organization.
error-org-domain-unlisted = This organization does not list the address's domain among its e-mail domains.
account-language = Language
account-language-help = The language of your pages and of the e-mails you receive, wherever you sign in.
account-time-zone = Time zone
account-time-zone-default = The organization's ({ $zone })
error-time-zone-invalid = Choose a time zone from the list.
