-- Parvis schema 10: erasure of a person (GDPR) and audit log retention.

-- When a person was erased: their row stays, anonymized, so that what they
-- wrote keeps an author (under a neutral name).
ALTER TABLE people ADD COLUMN erased_at INTEGER;

-- Retention may drop the oldest audit events. The chain then starts at
-- first_id, whose prev_hash is first_prev_hash; only rows below first_id
-- may be deleted, and first_id moves in the same transaction as the delete.
ALTER TABLE audit_head ADD COLUMN first_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_head ADD COLUMN first_prev_hash TEXT NOT NULL DEFAULT '';
DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN OLD.id >= (SELECT first_id FROM audit_head WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
