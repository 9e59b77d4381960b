-- Approval flows on requests (issue 18): a flow decides on a document's
-- version or on a request as its customer sees it (its title and public
-- fields, kept as canonical JSON bytes with the flow, hashed with BLAKE3).
-- A request type's status may require one: the request moves there once
-- the flow is approved. SQLite cannot make a column nullable, so the table
-- is built again with its rows; this migration runs with foreign keys off
-- (the flows' decisions, notes and records stay as they are) and checks
-- them before it commits.
CREATE TABLE approval_flows_next (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES approval_templates(id) ON DELETE CASCADE,
    template_version INTEGER NOT NULL,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    version_number INTEGER NOT NULL,
    content_blake3 TEXT NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('running', 'returned', 'approved', 'rejected', 'cancelled')),
    step INTEGER NOT NULL,
    round INTEGER NOT NULL,
    started_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    started_at INTEGER NOT NULL,
    step_started_at INTEGER NOT NULL,
    finished_at INTEGER,
    warned INTEGER NOT NULL DEFAULT 0 CHECK (warned IN (0, 1, 2)),
    request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,
    -- The status the request moves to once approved.
    target_status TEXT,
    -- The bytes decided on, for a request (a document's are its version's).
    snapshot TEXT,
    CHECK ((document_id IS NULL) <> (request_id IS NULL)),
    CHECK (request_id IS NULL OR (target_status IS NOT NULL AND snapshot IS NOT NULL))
) STRICT;
INSERT INTO approval_flows_next
    (id, template_id, template_version, space_id, document_id, version_number,
     content_blake3, state, step, round, started_by, started_at, step_started_at,
     finished_at, warned)
SELECT id, template_id, template_version, space_id, document_id, version_number,
       content_blake3, state, step, round, started_by, started_at, step_started_at,
       finished_at, warned
  FROM approval_flows;
DROP TABLE approval_flows;
ALTER TABLE approval_flows_next RENAME TO approval_flows;
CREATE INDEX approval_flows_document ON approval_flows(document_id, id);
CREATE INDEX approval_flows_request ON approval_flows(request_id, id);
CREATE INDEX approval_flows_space ON approval_flows(space_id, state);
CREATE INDEX approval_flows_started_by ON approval_flows(started_by);
CREATE UNIQUE INDEX approval_flows_one_open ON approval_flows(document_id)
    WHERE state IN ('running', 'returned') AND document_id IS NOT NULL;
CREATE UNIQUE INDEX approval_flows_one_open_request ON approval_flows(request_id)
    WHERE state IN ('running', 'returned') AND request_id IS NOT NULL;
CREATE INDEX approval_flows_deadlines ON approval_flows(step_started_at)
    WHERE state = 'running' AND warned < 2;
