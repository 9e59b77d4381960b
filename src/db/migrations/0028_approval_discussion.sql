-- Approval flows, continued (issue 18).

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
    on_behalf_of INTEGER REFERENCES people(id) ON DELETE SET NULL
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
