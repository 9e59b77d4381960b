-- Parvis schema 23: requests. An administrator defines request types
-- (support ticket, order, delivery…) for one space or for every space;
-- each change of a type is a new version, and a request keeps the version
-- it was filed under (its fields, statuses and targets). A request is
-- filed in a space by someone who reads it, on behalf of their
-- organization, and worked on by agents. What happens to it is its
-- timeline: public entries (`request_events`), seen by the requester, and
-- internal notes and changes of internal fields (`request_notes`), seen by
-- agents alone — kept apart so that nothing public reads the internal.

CREATE TABLE request_types (
    id INTEGER PRIMARY KEY,
    -- Its key in the API (`/api/v1/requests/{type}/by-external-id/…`).
    key TEXT NOT NULL UNIQUE,
    -- The latest version's numbering prefix, one type each.
    prefix TEXT NOT NULL UNIQUE,
    -- Null: offered in every space.
    space_id INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
    -- Beside the space's contributors, the people of this group handle it.
    agent_group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
    -- The version new requests are filed under.
    version INTEGER NOT NULL,
    -- The latest version's say on who sees a request beside its agents:
    -- its requester alone (0) or their organization (1). An access rule,
    -- so it holds for every request of the type, whatever its version.
    org_visible INTEGER NOT NULL DEFAULT 0 CHECK (org_visible IN (0, 1)),
    -- Archived types take no new requests; their requests stay.
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE request_type_versions (
    type_id INTEGER NOT NULL REFERENCES request_types(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- The whole definition as JSON (names, prefix, fields, workflow,
    -- priorities, calendar, who sees whose requests), checked when kept.
    definition TEXT NOT NULL CHECK (json_valid(definition)),
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (type_id, version)
) STRICT;

-- The last number given per type and year (`SUP-2026-00042`).
CREATE TABLE request_counters (
    type_id INTEGER NOT NULL REFERENCES request_types(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (type_id, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    type_id INTEGER NOT NULL REFERENCES request_types(id),
    type_version INTEGER NOT NULL,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Whether its status is an open one (kept for lists and dashboards).
    is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),
    priority TEXT NOT NULL,
    requester_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    -- The requester's organization when they filed it.
    org_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    assignee_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    -- The values of its fields, by key: those everyone who sees it sees,
    -- and the internal ones, kept apart so that nothing public reads them.
    fields TEXT NOT NULL CHECK (json_valid(fields)),
    internal_fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(internal_fields)),
    -- The id an outside system (an ERP) knows it by, unique per type.
    external_id TEXT,
    -- Raised by every public change: a change made on an older one is
    -- refused. Internal changes (internal fields) raise the second, which
    -- only agents see, so that nothing public moves when they happen.
    version INTEGER NOT NULL DEFAULT 1,
    internal_version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    -- Service levels: when the first answer is due and when it came; when
    -- the resolution is due (null while the clock is stopped or the
    -- request closed), the working time used before the clock last
    -- stopped, and whether either target was missed.
    respond_due_at INTEGER,
    responded_at INTEGER,
    resolve_due_at INTEGER,
    clock_used_ms INTEGER NOT NULL DEFAULT 0,
    clock_since INTEGER,
    respond_late INTEGER NOT NULL DEFAULT 0 CHECK (respond_late IN (0, 1)),
    resolve_late INTEGER NOT NULL DEFAULT 0 CHECK (resolve_late IN (0, 1)),
    -- The requester's rating once it is closed (1 to 5) and its words.
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment TEXT,
    UNIQUE (type_id, external_id)
) STRICT;
CREATE INDEX requests_space ON requests(space_id, updated_at DESC, id DESC);
CREATE INDEX requests_org ON requests(org_id, updated_at DESC, id DESC);
CREATE INDEX requests_requester ON requests(requester_id, updated_at DESC, id DESC);
CREATE INDEX requests_assignee ON requests(assignee_id, is_open);
CREATE INDEX requests_type ON requests(type_id, status);

-- The public timeline: filing, replies, changes of status, priority,
-- assignee and visible fields, ratings.
CREATE TABLE request_events (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    what TEXT NOT NULL CHECK (what IN
        ('filed', 'reply', 'status', 'priority', 'assignee', 'fields', 'rating')),
    -- A reply's words (Markdown).
    body TEXT NOT NULL DEFAULT '',
    -- What changed, from what to what.
    detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    -- Came in by e-mail.
    by_mail INTEGER NOT NULL DEFAULT 0 CHECK (by_mail IN (0, 1))
) STRICT;
CREATE INDEX request_events_request ON request_events(request_id, id);
CREATE INDEX request_events_actor ON request_events(actor_id);

-- The internal timeline: notes between agents, changes of internal fields.
CREATE TABLE request_notes (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    what TEXT NOT NULL CHECK (what IN ('note', 'fields')),
    body TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX request_notes_request ON request_notes(request_id, id);
CREATE INDEX request_notes_actor ON request_notes(actor_id);

CREATE TABLE request_watchers (
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX request_watchers_person ON request_watchers(person_id);

-- Files sent with a request (in a reply, a note, or as a field's value):
-- stored as a document's bytes are, and seen as the entry they came with.
-- A file sent before its request is filed (the form's file fields) waits
-- with no request, seen by its sender alone, and goes if never used.
CREATE TABLE request_files (
    id INTEGER PRIMARY KEY,
    request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    blob_hash TEXT NOT NULL,
    -- Sent with an internal note: agents alone see it.
    internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    uploaded_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    uploaded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX request_files_request ON request_files(request_id, id);
CREATE INDEX request_files_blob ON request_files(blob_hash);
