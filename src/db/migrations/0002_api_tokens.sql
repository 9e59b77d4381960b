-- Personal access tokens: for scripts, the JSON API and (later) WebDAV app passwords.
-- Only a BLAKE3 hash of the secret is stored; the secret is shown once.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_person ON api_tokens(person_id);
