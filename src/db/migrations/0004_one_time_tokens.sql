-- Single-use secrets sent by e-mail (password reset; invitations later).
-- Only a BLAKE3 hash is stored; using one sets used_at in the same statement
-- that checks it, so concurrent uses succeed exactly once.
CREATE TABLE one_time_tokens (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
    token_hash BLOB NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
) STRICT;
CREATE INDEX one_time_tokens_person ON one_time_tokens(person_id, purpose);
