-- Parvis schema 1: organizations, people, sessions, groups, portals, spaces, audit log.
-- Timestamps are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE instance_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('host', 'client', 'partner', 'supplier', 'other')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
-- Exactly one host organization: its members are the internal staff.
CREATE UNIQUE INDEX organizations_one_host ON organizations(kind) WHERE kind = 'host';

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    locale TEXT CHECK (locale IN ('en', 'fr')),
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash TEXT,
    password_must_change INTEGER NOT NULL DEFAULT 0 CHECK (password_must_change IN (0, 1)),
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX people_org ON people(org_id);

-- Server-side sessions; only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_person ON sessions(person_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_person ON group_members(person_id);

CREATE TABLE portals (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    primary_color TEXT NOT NULL DEFAULT '#1f5fbf',
    default_locale TEXT NOT NULL DEFAULT 'en' CHECK (default_locale IN ('en', 'fr')),
    welcome_text TEXT NOT NULL DEFAULT '',
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX portals_one_default ON portals(is_default) WHERE is_default = 1;

CREATE TABLE spaces (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- 'internal': every internal person may read; 'members': members only.
    visibility TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('internal', 'members')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- A member is exactly one of: a person, a group, a whole organization.
CREATE TABLE space_members (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    org_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('reader', 'contributor', 'manager')),
    added_at INTEGER NOT NULL,
    CHECK ((person_id IS NOT NULL) + (group_id IS NOT NULL) + (org_id IS NOT NULL) = 1)
) STRICT;
CREATE UNIQUE INDEX space_members_person ON space_members(person_id, space_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX space_members_group ON space_members(group_id, space_id) WHERE group_id IS NOT NULL;
CREATE UNIQUE INDEX space_members_org ON space_members(org_id, space_id) WHERE org_id IS NOT NULL;
CREATE INDEX space_members_space ON space_members(space_id);

-- Append-only, hash-chained: each row's hash covers its fields and the previous hash.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('person', 'cli', 'system', 'anonymous')),
    actor_id INTEGER,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_actor ON audit_events(actor_id, at);
CREATE INDEX audit_events_target ON audit_events(target_type, target_id, at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The chain's head, updated in the same transaction as each append, so that
-- removing the newest rows is detected too.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    row_count INTEGER NOT NULL
) STRICT;
INSERT INTO audit_head (id, last_id, last_hash, row_count) VALUES (1, 0, '', 0);
