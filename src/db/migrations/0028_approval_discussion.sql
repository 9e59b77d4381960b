-- Approval flows, continued (issue 18).

-- An approver without an account (a client's signatory), asked for one
-- decision at one entry into a step (its round), on one version's bytes.
-- The link's token is made and mailed by a worker (`token_hash` NULL
-- until then); opening it sends a one-time code to the same address, and
-- the code opens a grant that lets its holder read that version and
-- decide, once. Only hashes are kept.
CREATE TABLE approval_signatories (
    id INTEGER PRIMARY KEY,
    flow_id INTEGER NOT NULL REFERENCES approval_flows(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    round INTEGER NOT NULL,
    version_number INTEGER NOT NULL,
    content_blake3 TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash BLOB UNIQUE,
    code_hash BLOB,
    code_expires_at INTEGER,
    code_attempts INTEGER NOT NULL DEFAULT 0,
    codes_sent INTEGER NOT NULL DEFAULT 0,
    grant_hash BLOB,
    grant_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Decided, or no longer asked (the flow moved on, restarted or ended).
    closed_at INTEGER,
    UNIQUE (flow_id, round, email)
) STRICT;
CREATE INDEX approval_signatories_unsent ON approval_signatories(id)
    WHERE token_hash IS NULL AND closed_at IS NULL;

-- A decision counts once per round for whom it is made: an approver
-- deciding for themselves, or a delegate deciding for someone away. A
-- delegate who is also an approver of the step may then decide both for
-- themselves and for the one they stand for. SQLite cannot drop a table's
-- UNIQUE constraint, so the table is built again with the same rows.
CREATE TABLE approval_decisions_next (
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
    stand_in INTEGER NOT NULL DEFAULT 0 CHECK (stand_in IN (0, 1)),
    on_behalf_of INTEGER REFERENCES people(id) ON DELETE SET NULL,
    -- Made by a signatory without an account (`approver_id` is NULL).
    signatory_id INTEGER REFERENCES approval_signatories(id) ON DELETE SET NULL
) STRICT;
INSERT INTO approval_decisions_next
    (id, flow_id, step, round, approver_id, decision, comment, content_blake3,
     decided_at, audit_id, stand_in, on_behalf_of)
SELECT id, flow_id, step, round, approver_id, decision, comment, content_blake3,
       decided_at, audit_id, stand_in, on_behalf_of
  FROM approval_decisions;
DROP TABLE approval_decisions;
ALTER TABLE approval_decisions_next RENAME TO approval_decisions;
CREATE INDEX approval_decisions_approver ON approval_decisions(approver_id);
CREATE INDEX approval_decisions_on_behalf_of ON approval_decisions(on_behalf_of);
CREATE INDEX approval_decisions_signatory ON approval_decisions(signatory_id);
CREATE UNIQUE INDEX approval_decisions_once
    ON approval_decisions(flow_id, round, coalesce(on_behalf_of, approver_id));

-- The internal discussion of a flow: notes that only people of the host
-- organization who read the file see, never its external readers (a
-- supplier who submitted it, a client approving it). Decision comments
-- stay public to every reader of the file.
CREATE TABLE approval_notes (
    id INTEGER PRIMARY KEY,
    flow_id INTEGER NOT NULL REFERENCES approval_flows(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX approval_notes_flow ON approval_notes(flow_id, id);
CREATE INDEX approval_notes_author ON approval_notes(author_id);
