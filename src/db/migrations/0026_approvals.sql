-- Approval flows over document versions (issue 18).

-- The instance's Ed25519 keys for approval records. The active key has its
-- private part (PKCS#8); keys of an instance this one was imported from
-- are public only, so that the records they signed still verify here.
CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY,
    public_key BLOB NOT NULL,
    private_key BLOB,
    created_at INTEGER NOT NULL
) STRICT;

-- A space's flow templates. Each change is a new version; a flow keeps the
-- version it started with.
CREATE TABLE approval_templates (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (space_id, name)
) STRICT;

CREATE TABLE approval_template_versions (
    template_id INTEGER NOT NULL REFERENCES approval_templates(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (template_id, version)
) STRICT;

-- A flow over one version of a document: its exact bytes (their BLAKE3
-- hash, as the version's content is named; the version keeps the bytes), the
-- step it is at, and its round (each entry into a step is a new round, so
-- that decisions of an earlier pass through a step never count again).
CREATE TABLE approval_flows (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES approval_templates(id) ON DELETE CASCADE,
    template_version INTEGER NOT NULL,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version_number INTEGER NOT NULL,
    content_blake3 TEXT NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('running', 'returned', 'approved', 'rejected', 'cancelled')),
    step INTEGER NOT NULL,
    round INTEGER NOT NULL,
    started_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    started_at INTEGER NOT NULL,
    step_started_at INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;
CREATE INDEX approval_flows_document ON approval_flows(document_id, id);
CREATE INDEX approval_flows_space ON approval_flows(space_id, state);
-- One flow at work on a document at a time.
CREATE UNIQUE INDEX approval_flows_one_open ON approval_flows(document_id)
    WHERE state IN ('running', 'returned');

-- Each decision, on the bytes it was made on, and its audit entry.
CREATE TABLE approval_decisions (
    id INTEGER PRIMARY KEY,
    flow_id INTEGER NOT NULL REFERENCES approval_flows(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    round INTEGER NOT NULL,
    approver_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'changes')),
    comment TEXT NOT NULL DEFAULT '',
    content_blake3 TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    audit_id INTEGER NOT NULL,
    -- The space's managers decided in the step's place: its approvers
    -- named nobody who could.
    stand_in INTEGER NOT NULL DEFAULT 0 CHECK (stand_in IN (0, 1)),
    UNIQUE (flow_id, round, approver_id)
) STRICT;
CREATE INDEX approval_decisions_approver ON approval_decisions(approver_id);

-- Who the current step of each running flow waits for: set when the flow
-- enters a step (the step's approvers resolved then), left by each who
-- decides, emptied when the flow stops running. The "waiting for me" list
-- reads it by person; a decision resolves the approvers again.
CREATE TABLE approval_waiting (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    flow_id INTEGER NOT NULL REFERENCES approval_flows(id) ON DELETE CASCADE,
    since INTEGER NOT NULL,
    PRIMARY KEY (person_id, flow_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX approval_waiting_flow ON approval_waiting(flow_id);

-- The signed record of a finished flow, kept with its version.
CREATE TABLE approval_records (
    flow_id INTEGER PRIMARY KEY REFERENCES approval_flows(id) ON DELETE CASCADE,
    record TEXT NOT NULL,
    key_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
