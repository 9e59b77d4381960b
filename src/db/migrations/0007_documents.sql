-- Parvis schema 7: document libraries. Each space has nested folders and
-- documents; a document has numbered versions, each pointing at an immutable
-- blob (by BLAKE3 hash); folders may be restricted to chosen members or to a
-- minimum role, inherited downwards; deleted items wait in the trash.

CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- '/<id of each ancestor>/.../<own id>/', kept up to date on moves, so
    -- "inside this folder" and "restricted above" are one LIKE / instr away.
    path TEXT NOT NULL DEFAULT '',
    -- A restriction on this folder (and everything below): a minimum role,
    -- and/or the people and groups listed in folder_access.
    min_role TEXT CHECK (min_role IN ('reader', 'contributor', 'manager')),
    restricted_to_listed INTEGER NOT NULL DEFAULT 0 CHECK (restricted_to_listed IN (0, 1)),
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER,
    deleted_by INTEGER REFERENCES people(id) ON DELETE SET NULL
) STRICT;
CREATE UNIQUE INDEX folders_unique_name ON folders(space_id, ifnull(parent_id, 0), name COLLATE NOCASE)
    WHERE deleted_at IS NULL;
CREATE INDEX folders_parent ON folders(space_id, parent_id);
CREATE INDEX folders_restricted ON folders(space_id) WHERE min_role IS NOT NULL OR restricted_to_listed = 1;

-- Who may see a folder restricted to listed members (besides the space's managers).
CREATE TABLE folder_access (
    id INTEGER PRIMARY KEY,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    CHECK ((person_id IS NOT NULL) + (group_id IS NOT NULL) = 1)
) STRICT;
CREATE UNIQUE INDEX folder_access_person ON folder_access(folder_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX folder_access_group ON folder_access(folder_id, group_id) WHERE group_id IS NOT NULL;

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Comma-separated, as typed (normalized by the service).
    tags TEXT NOT NULL DEFAULT '',
    -- The current version, repeated here so listings read one row per file.
    current_version INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    blob_hash TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL,
    -- Check-out: who holds the lock, until when.
    locked_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    locked_until INTEGER,
    deleted_at INTEGER,
    deleted_by INTEGER REFERENCES people(id) ON DELETE SET NULL
) STRICT;
CREATE UNIQUE INDEX documents_unique_name ON documents(space_id, ifnull(folder_id, 0), name COLLATE NOCASE)
    WHERE deleted_at IS NULL;
-- The hot listing: one folder, sorted by name, keyset-paginated.
CREATE INDEX documents_listing ON documents(space_id, ifnull(folder_id, 0), name COLLATE NOCASE, id)
    WHERE deleted_at IS NULL;
CREATE INDEX documents_trash ON documents(space_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE document_versions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    blob_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    -- The name the file had when this version was uploaded.
    original_name TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (document_id, number)
) STRICT;
CREATE INDEX document_versions_blob ON document_versions(blob_hash);

-- Blobs no version refers to any more, with the time they became so; the
-- collector removes them after a grace period (a concurrent upload of the
-- same content may be about to refer to one again).
CREATE TABLE blob_orphans (
    hash TEXT PRIMARY KEY,
    since INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Public links to a document (a portal setting), expiring, optionally
-- password-protected and download-limited, revocable; each use audited.
CREATE TABLE share_links (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    password_hash TEXT,
    expires_at INTEGER NOT NULL,
    max_downloads INTEGER,
    downloads INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX share_links_document ON share_links(document_id);

ALTER TABLE portals ADD COLUMN share_links_allowed INTEGER NOT NULL DEFAULT 0 CHECK (share_links_allowed IN (0, 1));
-- Bytes a space may hold (all versions, trash included); NULL: the instance default.
ALTER TABLE spaces ADD COLUMN quota_bytes INTEGER;
