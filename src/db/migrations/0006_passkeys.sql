-- Parvis schema 6: a passkey belongs to the relying party (host name) it was
-- registered on; a registration in progress keeps its server-side state.

ALTER TABLE webauthn_credentials ADD COLUMN rp_id TEXT NOT NULL DEFAULT '';

CREATE TABLE webauthn_registrations (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    rp_id TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
