-- Approval states in the library, locks during review, and deadlines
-- (issue 18).

-- A file's review state as the library shows and filters it, and the
-- version it applies to: a newer version is a draft until it is reviewed.
-- Set by approval flows; the documents feature only reads it.
ALTER TABLE documents ADD COLUMN review_state TEXT
    CHECK (review_state IN ('review', 'approved', 'rejected', 'changes'));
ALTER TABLE documents ADD COLUMN review_version INTEGER;
-- No change to the file (new version, restore, rename, move, trash) while
-- a flow whose template locks it is running.
ALTER TABLE documents ADD COLUMN review_lock INTEGER NOT NULL DEFAULT 0
    CHECK (review_lock IN (0, 1));

-- How far the deadline of a running flow's current step has been told:
-- 0 not yet, 1 its approvers reminded, 2 escalated. Back to 0 at each step.
ALTER TABLE approval_flows ADD COLUMN warned INTEGER NOT NULL DEFAULT 0
    CHECK (warned IN (0, 1, 2));
CREATE INDEX approval_flows_deadlines ON approval_flows(step_started_at)
    WHERE state = 'running' AND warned < 2;

-- A folder bound to a flow template (external submission): each file that
-- lands in it or below it, and each new version of one, starts that flow
-- in the name of whoever put it there. The nearest bound folder decides.
CREATE TABLE approval_bindings (
    folder_id INTEGER PRIMARY KEY REFERENCES folders(id) ON DELETE CASCADE,
    template_id INTEGER NOT NULL REFERENCES approval_templates(id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX approval_bindings_template ON approval_bindings(template_id);

-- Delegation: while a person is away, someone they chose decides in their
-- place; a decision so made names both (`on_behalf_of`).
CREATE TABLE approval_delegations (
    person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    delegate_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX approval_delegations_delegate ON approval_delegations(delegate_id, ends_at);
ALTER TABLE approval_decisions ADD COLUMN on_behalf_of INTEGER REFERENCES people(id) ON DELETE SET NULL;
