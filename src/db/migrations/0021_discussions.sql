-- Parvis schema 21: discussions. A space has forums (each for discussion
-- or for questions and answers); a forum has topics, a topic has replies.
-- Whoever reads the space reads and writes in its forums; its managers
-- moderate (pin, lock, move, delete). Every edit keeps the text it
-- replaced. People follow topics (`topic_follows`; `following = 0` is an
-- explicit "stop following", which replying does not undo).

CREATE TABLE forums (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL CHECK (mode IN ('discussion', 'questions')),
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (space_id, name)
) STRICT;

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    forum_id INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    -- The forum's space, kept with the topic so that access and search
    -- read it in one step (a move changes both).
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    -- In a forum of questions: the answer its asker (or a moderator) accepted.
    accepted_reply_id INTEGER,
    reply_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    last_activity_at INTEGER NOT NULL
) STRICT;
CREATE INDEX topics_forum ON topics(forum_id, pinned DESC, last_activity_at DESC, id DESC);
CREATE INDEX topics_space ON topics(space_id, last_activity_at DESC, id DESC);
CREATE INDEX topics_author ON topics(author_id);

CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    -- Its topic's space (a move changes both).
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER
) STRICT;
CREATE INDEX replies_space ON replies(space_id);
CREATE INDEX replies_topic ON replies(topic_id, id);
CREATE INDEX replies_author ON replies(author_id);

-- The text an edit replaced, newest last.
CREATE TABLE topic_revisions (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    written_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    written_at INTEGER NOT NULL,
    replaced_at INTEGER NOT NULL
) STRICT;
CREATE INDEX topic_revisions_topic ON topic_revisions(topic_id, id);

CREATE TABLE reply_revisions (
    id INTEGER PRIMARY KEY,
    reply_id INTEGER NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    written_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    written_at INTEGER NOT NULL,
    replaced_at INTEGER NOT NULL
) STRICT;
CREATE INDEX reply_revisions_reply ON reply_revisions(reply_id, id);

CREATE TABLE topic_follows (
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    following INTEGER NOT NULL CHECK (following IN (0, 1)),
    PRIMARY KEY (topic_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX topic_follows_person ON topic_follows(person_id);
