-- Parvis schema 18: what each person is told of. One row per person, change
-- and reason (added to a space, a new version of a file they made; mentions,
-- replies and announcements as they come), written by the notifier after the
-- change commits. What a row names is asked again when it is shown: a row
-- never reveals what its reader may no longer see. Where the notifier stands
-- in the audit log is the setting `notifier_position`: a new instance starts
-- at its beginning (`parvis init`), one that had a history before this
-- schema from the change it is at (the worker's first step).

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    actor_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    -- The change (an audit entry) it tells of: written once per person and reason.
    audit_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (person_id, audit_id, reason)
) STRICT;
CREATE INDEX notifications_unread ON notifications(person_id, read_at, id);

