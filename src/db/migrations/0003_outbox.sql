-- Derived work enqueued in the same transaction as the change that causes it
-- (mail, and later index updates, notifications, webhooks). Workers consume it
-- after commit and delete each row once done; a crash replays, never loses.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_due ON outbox(kind, next_attempt_at);
