## Approval flows
error-approval-definition-invalid = This flow is not written as a flow template (steps, approvers, rules).
error-approval-no-steps = A flow needs at least one step.
error-approval-too-many-steps = A flow has at most 20 steps.
error-approval-step-name = Each step needs a name of at most 120 characters.
error-approval-step-empty = Each step needs at least one approver.
error-approval-too-many-approvers = A step names at most 50 approvers.
error-approval-role = A role is reader, contributor or manager.
error-approval-rule = "At least N" needs a number of approvers of 1 or more.
error-approval-deadline = A deadline is 1 to 365 working days.
error-approval-step-nobody = Nobody named in this step may decide on the space's files.
error-approval-template-name = A flow template needs a name of at most 120 characters.
error-approval-template-unknown = There is no such flow template in this space.
error-approval-open = A flow is already at work on this file.
error-approval-decision = A decision is approve, reject or ask for changes.
error-approval-comment = A comment has at most 2,000 characters.
error-approval-finished = This flow is not waiting for a decision any more.
error-approval-stale = The file changed since you opened it: look at the new version before deciding.
error-approval-self = You may not decide on a file you submitted yourself.
error-approval-decided = You already decided at this step.

## Pages
approvals-title = Approvals
approvals-lead = Who approved this file, step by step, on which exact bytes.
approvals-none = No approval flow has run on this file yet.
approvals-record = Download the signed record
approvals-state-running = In review
approvals-state-returned = Back to the author
approvals-state-approved = Approved
approvals-state-rejected = Rejected
approvals-state-cancelled = Cancelled
approvals-decision-approve = approved
approvals-decision-reject = rejected
approvals-decision-changes = asked for changes
approvals-at-step = step { $step }: { $name }
approvals-on-version = On version { $number }
approvals-started = started { $when }
approvals-step-n = step { $step }
approvals-comment = Comment (optional)
approvals-approve = Approve
approvals-changes = Ask for changes
approvals-reject = Reject
approvals-start = Start an approval flow
approvals-template = Flow
approvals-choose = Choose a flow…
approvals-start-button = Start
approvals-notice-started = The approval flow has started on the current version.
approvals-notice-decided = Your decision is recorded.
approvals-waiting-title = Waiting for my approval
approvals-waiting-lead = Files whose current step waits for your decision, the longest waiting first.
approvals-waiting-none = Nothing waits for your decision.
approvals-file = File
approvals-space = Space
approvals-step = Step
approvals-since = Waiting since
docs-approvals = Approvals

error-approval-backup-deadline = Backup approvers step in once a deadline has passed: give this step a deadline.
approvals-withdraw = Withdraw this flow
approvals-notice-withdrawn = The flow is withdrawn.

search-kind-approval = Approval
notification-topic-approvals = Approvals
notification-topic-approvals-help = Files waiting for your approval, reminders and escalations of their deadlines, and the end of the flows you started.
notification-approval-waiting = { $title } is waiting for your approval
notification-approval-reminder = Reminder: { $title } is waiting for your approval, and its deadline is near
notification-approval-escalated = The deadline to approve { $title } has passed: the step now goes to those who stand in too
notification-approval-approved = { $title } is approved
notification-approval-rejected = { $title } is rejected
notification-approval-returned = Changes are asked on { $title }
notification-approval-cancelled = The approval flow of { $title } is cancelled

approvals-space-title = Approval flows
approvals-space-lead = The flows this space's files go through, and the folders where a file that lands starts one.
approvals-space-templates = Flow templates
approvals-space-no-templates = No flow template yet: the space's managers define them.
approvals-step-with-deadline = { $name } ({ $days } working days)
approvals-space-bindings = Submission folders
approvals-space-bindings-help = A file put in one of these folders, or below it, and each new version of it, starts the folder's flow in the name of whoever put it there: a supplier drops a certificate, quality checks it.
approvals-space-no-bindings = No folder starts a flow yet.
approvals-bind-folder = Folder
approvals-choose-folder = Choose a folder…
approvals-bind = Start this flow for files put here
approvals-unbind = Stop
approvals-notice-bound = Files put in that folder now start its flow.
approvals-notice-unbound = That folder no longer starts a flow.
approvals-space-link = Approval flows
error-approval-folder-choose = Choose a folder from the list.

approvals-verify-title = Verify an approval record
approvals-verify-lead = Give a record this instance signed, and the file it is about if you have it: each check says what holds.
approvals-verify-form = A record to check
approvals-verify-record = The record (JSON)
approvals-verify-document = The file it approves (optional)
approvals-verify-document-hint = Its bytes are hashed as they arrive and not kept.
approvals-verify-submit = Verify
approvals-verify-cli = The same check from the command line:
approvals-verify-holds = Everything holds
approvals-verify-fails = Something does not hold
approvals-verify-readable-holds = The file is an approval record.
approvals-verify-readable-fails = The file is not an approval record (or its signature part is missing or doubled).
approvals-verify-readable-unasked = The file was not read.
approvals-verify-signature-holds = Its signature matches its contents.
approvals-verify-signature-fails = Its signature does not match its contents: it was changed after signing, or signed by another key.
approvals-verify-signature-unasked = Its signature was not checked.
approvals-verify-key-holds = It was signed by this instance's key.
approvals-verify-key-fails = It was not signed by this instance's key: it comes from elsewhere.
approvals-verify-key-unasked = Its key was not checked.
approvals-verify-chain-holds = Each decision is in this instance's audit log, with the hash the record gives.
approvals-verify-chain-fails = A decision is not in this instance's audit log with the hash the record gives.
approvals-verify-chain-unasked = Its decisions were not looked up in the audit log (the record is not this instance's).
approvals-verify-document-holds = The file given is exactly the one approved.
approvals-verify-document-fails = The file given is not the one approved: its bytes differ.
approvals-verify-document-unasked = No file was given: its bytes were not compared.
error-approval-record-missing = Choose the record file to check.
error-approval-record-too-large = This file is too large to be an approval record.
about-title = About this instance
about-lead = Parvis { $version }.
about-keys = Approval record keys
about-keys-help = This instance signs the records of finished approval flows with this Ed25519 key. Whoever holds a record can check its signature with the public key shown here.
about-no-keys = No key yet: one is made when the first record is signed.
about-key-active = signs new records

approvals-delegation-title = While you are away
approvals-delegation-help = Choose who decides in your place for a period (leave, travel): they see what waits for you, are told of it, and each decision they make names you both.
approvals-delegation-now = { $name } decides in your place from { $from } to { $until }.
approvals-delegation-end = End this delegation
approvals-delegation-who = Their e-mail address
approvals-delegation-from = First day
approvals-delegation-until = Last day
approvals-delegation-save = Delegate my approvals
approvals-notice-delegated = Your approvals are delegated.
approvals-notice-undelegated = Your delegation has ended.
approvals-for = for { $name }
error-approval-delegate-unknown = There is nobody you may choose at that address.
error-approval-delegate-self = Choose someone other than yourself.
error-approval-delegate-dates = Give a first and a last day, the last not before the first nor in the past, less than a year apart.

## Internal discussion
approvals-comment-help = Every reader of the file sees it, external people included.
approvals-note = Internal note (optional)
approvals-note-help = Added to the internal discussion: only people of your organization see it.
approvals-notes = Internal discussion
approvals-notes-lead = Only people of your organization see these notes, never the file’s external readers.
approvals-notes-none = No note yet.
approvals-note-add = Add a note
approvals-note-send = Add the note
approvals-notice-noted = Your note is added to the internal discussion.
error-approval-note = A note has 1 to 4,000 characters.
error-approval-note-internal = Internal notes are for the people of the organization that runs this site.

## Signatories without an account
error-approval-signatory = A signatory needs a valid e-mail address and a name of at most 120 characters.
error-approval-signatory-backup = Nobody stands in for a signatory, and a signatory stands in for nobody: a step that names one has no backup.
error-approval-sign-codes = Too many codes were sent for this link. Ask whoever sent it to start the flow again.
error-approval-sign-code = This code is not the right one, or no longer works. Ask for a new one.
sign-title = A decision is asked of you
sign-gone = This link no longer works: it was used, it expired, or the file it was for changed.
sign-hello = Hello { $name },
sign-code-lead = To open this request, we send a one-time code to { $address }.
sign-code = The code you received
sign-open = Open
sign-code-send = Send me a code
sign-code-again = Send a new code
sign-asked = You are asked to decide on this file: { $template }, step “{ $step }”.
sign-download = Download the file
sign-done = Your decision is recorded. You can close this page: the link no longer works.
mail-sign-subject = Your decision is asked on { $document }
mail-sign-body = Hello { $name },

    { $sender } asks for your decision on “{ $document }”.

    Open this link to see the file and decide; a one-time code will be sent to this address:
    { $link }

    The link works once, for this file only. If you did not expect it, ignore this message.
mail-sign-code-subject = Your one-time code
mail-sign-code-body = Hello { $name },

    Your code is { $code }. It works for 15 minutes.

    If you did not ask for it, ignore this message: nobody can use it without the link.
approvals-resend = Send the signatories new links
approvals-resend-help = This step waits for signatories without an account. A new link replaces the one they were sent, which stops working.
approvals-notice-resent = New links are on their way to the signatories.

## Defining flows
approvals-edit = Change
approvals-define = Define or change a flow
approvals-define-help = Saving under the name of an existing flow makes a new version of it: flows already running keep the version they started with.
approvals-define-name = Name
approvals-define-definition = Steps and rules (JSON)
approvals-define-definition-help = Each step: its name, its approvers (person, group and organization by id; role: reader, contributor or manager; signatory: e-mail and name, asked by e-mail without an account), its rule (any, all, or at_least n), a deadline in working days, backup approvers, and what a rejection does (author, back, end). Then: whether authors may approve their own file, what a new version does (restart or cancel), and whether the file is locked during review. The example works as it is.
approvals-define-save = Save the flow
approvals-notice-template-saved = The flow is saved.
approvals-mistake-in-step = Step { $step }: { $error }

# Flows on requests
approvals-request-waits = Before the status “{ $status }”
approvals-request-choice = { $status } (flow: { $flow })
approvals-request-bytes = What is approved: the request as its customer sees it (the exact bytes hashed)
approvals-request-ask = Ask for an approval
approvals-request-status = The status it waits to enter
approvals-request-choose = Choose a status…
approvals-request-ask-button = Ask for approval
error-approval-request-template = This request's space has no flow of the name its type gives for that status. A manager of the space defines it on the space's flows page.
error-approval-condition = A step's condition needs a field key and at least one test (above, at_least, below, at_most: a number; one_of: choices).
error-approval-step-always = At least one step must have no condition, so that every flow has a step.
error-approval-condition-field = A condition names the field “{ $item }”, which this request type does not show its customer.
error-approval-conditions-request = This flow chooses its steps from a request's fields: it starts on requests, not on files.
error-approval-signatory-document = A signatory without an account signs files: this flow names one, so it cannot start on a request.
approvals-lead-request = Who approved this request, step by step, on which exact words: its title and public fields as its customer sees them.
approvals-comment-help-request = Everyone who sees the request sees it, its customer included.
approvals-notes-lead-request = Only the request's agents see these notes, never its customer.
