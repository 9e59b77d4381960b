-- Parvis schema 14: when each person last signed in (the moment a session
-- was opened for them, after any second factor), for the administration of
-- people. Filled from the audit log's sign-ins for those who signed in before.

ALTER TABLE people ADD COLUMN last_signin_at INTEGER;

UPDATE people SET last_signin_at = (
    SELECT max(a.at) FROM audit_events a
    WHERE a.action = 'signin.success' AND a.target_type = 'person'
      AND a.target_id = CAST(people.id AS TEXT)
);
