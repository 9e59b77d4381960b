-- Parvis schema 19: news and announcements. A post sits in a space (its
-- members read it) or is instance-wide (its audience says who: everyone
-- internal, organizations, kinds of organization, groups, spaces, portals).
-- `publish_at` NULL is a draft; a time in the future is scheduled; the post
-- is read from then until `expires_at`. `announced` / `withdrawn` say that
-- the publication / the expiry has been recorded (audit, index, notices):
-- what readers see follows the times themselves, never these flags.
-- `version` counts the texts published: an announcement to acknowledge is
-- acknowledged for one version, and an edit after publication asks again.

CREATE TABLE news (
    id INTEGER PRIMARY KEY,
    space_id INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    publish_at INTEGER,
    expires_at INTEGER,
    announced INTEGER NOT NULL DEFAULT 0 CHECK (announced IN (0, 1)),
    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    requires_ack INTEGER NOT NULL DEFAULT 0 CHECK (requires_ack IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (expires_at IS NULL OR publish_at IS NULL OR expires_at > publish_at)
) STRICT;
CREATE INDEX news_published ON news(publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX news_pinned ON news(publish_at) WHERE pinned = 1;
CREATE INDEX news_space ON news(space_id, publish_at);
CREATE INDEX news_author ON news(author_id);
-- The posts whose publication or expiry is still to be recorded.
CREATE INDEX news_pending ON news(publish_at) WHERE announced = 0 AND publish_at IS NOT NULL;
CREATE INDEX news_expiring ON news(expires_at) WHERE withdrawn = 0 AND expires_at IS NOT NULL;

-- Who a post is for. A space's post has one row, its space.
CREATE TABLE news_targets (
    id INTEGER PRIMARY KEY,
    news_id INTEGER NOT NULL REFERENCES news(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('internal', 'space', 'org', 'org_kind', 'group', 'portal')),
    ref INTEGER,
    org_kind TEXT CHECK (org_kind IN ('host', 'client', 'partner', 'supplier', 'other')),
    CHECK ((kind = 'internal' AND ref IS NULL AND org_kind IS NULL)
        OR (kind = 'org_kind' AND ref IS NULL AND org_kind IS NOT NULL)
        OR (kind NOT IN ('internal', 'org_kind') AND ref IS NOT NULL AND org_kind IS NULL)),
    UNIQUE (news_id, kind, ref, org_kind)
) STRICT;
CREATE INDEX news_targets_ref ON news_targets(kind, ref);

CREATE TABLE news_covers (
    news_id INTEGER PRIMARY KEY REFERENCES news(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    etag TEXT NOT NULL
) STRICT;

CREATE TABLE news_files (
    id INTEGER PRIMARY KEY,
    news_id INTEGER NOT NULL REFERENCES news(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX news_files_news ON news_files(news_id);

-- "I have read and understood": the version of the text, and when.
CREATE TABLE news_acks (
    news_id INTEGER NOT NULL REFERENCES news(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (news_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX news_acks_person ON news_acks(person_id);

-- The members of the groups marked here write instance-wide news, with the
-- administrators. An instance that exists gets one such group here (a new
-- one at `parvis init`); administrators fill it.
ALTER TABLE groups ADD COLUMN writes_news INTEGER NOT NULL DEFAULT 0 CHECK (writes_news IN (0, 1));
INSERT INTO groups (slug, name, description, writes_news, created_at)
SELECT CASE WHEN EXISTS (SELECT 1 FROM groups WHERE slug = 'communicators')
            THEN 'news-communicators' ELSE 'communicators' END,
       'Communicators', 'They write news and announcements for the whole instance.', 1,
       CAST(unixepoch('subsec') * 1000 AS INTEGER)
WHERE EXISTS (SELECT 1 FROM organizations WHERE kind = 'host');
