-- Parvis schema 5: portals (host names, audience, logo, policies), spaces
-- published on portals, richer profiles, the external account lifecycle
-- (sponsor, home portal, reminders) and second factors (TOTP, recovery codes,
-- passkeys) with their sign-in challenges.

ALTER TABLE portals ADD COLUMN external_access_days INTEGER NOT NULL DEFAULT 365
    CHECK (external_access_days BETWEEN 1 AND 3650);
ALTER TABLE portals ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0 CHECK (require_mfa IN (0, 1));

-- Host names a portal answers to (lower-case, no port). A request whose Host
-- header matches none is served by the default portal.
CREATE TABLE portal_hostnames (
    hostname TEXT PRIMARY KEY,
    portal_id INTEGER NOT NULL REFERENCES portals(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX portal_hostnames_portal ON portal_hostnames(portal_id);

-- Who may sign in on a portal: whole kinds of organizations, or named ones.
CREATE TABLE portal_audience (
    id INTEGER PRIMARY KEY,
    portal_id INTEGER NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
    org_kind TEXT CHECK (org_kind IN ('host', 'client', 'partner', 'supplier', 'other')),
    org_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
    CHECK ((org_kind IS NOT NULL) + (org_id IS NOT NULL) = 1)
) STRICT;
CREATE UNIQUE INDEX portal_audience_kind ON portal_audience(portal_id, org_kind) WHERE org_kind IS NOT NULL;
CREATE UNIQUE INDEX portal_audience_org ON portal_audience(portal_id, org_id) WHERE org_id IS NOT NULL;
-- With a single host name the default portal serves everyone.
INSERT INTO portal_audience (portal_id, org_kind)
SELECT p.id, k.kind FROM portals p,
       (SELECT 'host' AS kind UNION ALL SELECT 'client' UNION ALL SELECT 'partner'
        UNION ALL SELECT 'supplier' UNION ALL SELECT 'other') k
WHERE p.is_default = 1;

-- Logos live beside the portal row, so listings never drag the image along.
CREATE TABLE portal_logos (
    portal_id INTEGER PRIMARY KEY REFERENCES portals(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    etag TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Which portals show a space on their home page.
CREATE TABLE space_portals (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    portal_id INTEGER NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, portal_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX space_portals_portal ON space_portals(portal_id);
INSERT INTO space_portals (space_id, portal_id)
SELECT s.id, p.id FROM spaces s, portals p WHERE p.is_default = 1;

-- Profiles and the external account lifecycle.
ALTER TABLE people ADD COLUMN skills TEXT NOT NULL DEFAULT '';
-- The internal person answerable for an external account.
ALTER TABLE people ADD COLUMN sponsor_id INTEGER REFERENCES people(id) ON DELETE SET NULL;
-- The portal an external person was invited to: links point there, access length comes from it.
ALTER TABLE people ADD COLUMN portal_id INTEGER REFERENCES portals(id) ON DELETE SET NULL;
ALTER TABLE people ADD COLUMN invited_at INTEGER;
-- When the sponsor was last reminded that the access ends (cleared on renewal).
ALTER TABLE people ADD COLUMN expiry_reminded_at INTEGER;
-- Wrong second-factor codes in a row, and until when the second factor is locked.
ALTER TABLE people ADD COLUMN mfa_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN mfa_locked_until INTEGER;
CREATE INDEX people_expiry ON people(expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX people_sponsor ON people(sponsor_id) WHERE sponsor_id IS NOT NULL;

CREATE TABLE person_photos (
    person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    etag TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- TOTP (RFC 6238). The secret must be readable to verify codes; it is never
-- exported. `last_step` is the newest time step accepted, so a code is used once.
CREATE TABLE mfa_totp (
    person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    secret BLOB NOT NULL,
    confirmed_at INTEGER,
    last_step INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) STRICT;

-- Single-use recovery codes, stored hashed.
CREATE TABLE mfa_recovery_codes (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    used_at INTEGER
) STRICT;
CREATE INDEX mfa_recovery_codes_person ON mfa_recovery_codes(person_id);

-- WebAuthn passkeys used as a second factor.
CREATE TABLE webauthn_credentials (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential_id BLOB NOT NULL UNIQUE,
    -- The verified public key and counter, as the WebAuthn library serializes them.
    credential TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;
CREATE INDEX webauthn_credentials_person ON webauthn_credentials(person_id);

-- Between a correct password and the second factor: a short-lived challenge
-- named by a cookie (only its hash is stored). Passkey ceremonies keep their
-- server-side state here too.
CREATE TABLE signin_challenges (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    portal_id INTEGER,
    next TEXT NOT NULL DEFAULT '/',
    webauthn_state TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX signin_challenges_expiry ON signin_challenges(expires_at);
