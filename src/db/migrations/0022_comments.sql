-- Parvis schema 22: comments and reactions. A comment is written on an
-- item of a kind that takes comments (a document, a news post), and read
-- by whoever may see that item; reactions (a small fixed set) go on items
-- of kinds that take them, one of each per person. Both follow their item:
-- when it is deleted for good, so are they.

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER
) STRICT;
CREATE INDEX comments_target ON comments(target_type, target_id, id);
CREATE INDEX comments_author ON comments(author_id);

CREATE TABLE reactions (
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reaction TEXT NOT NULL
        CHECK (reaction IN ('like', 'love', 'celebrate', 'laugh', 'surprised', 'thanks')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (target_type, target_id, reaction, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX reactions_person ON reactions(person_id, created_at);

CREATE TRIGGER documents_talk_gone AFTER DELETE ON documents BEGIN
    DELETE FROM comments WHERE target_type = 'document' AND target_id = old.id;
    DELETE FROM reactions WHERE target_type = 'document' AND target_id = old.id;
END;
CREATE TRIGGER news_talk_gone AFTER DELETE ON news BEGIN
    DELETE FROM comments WHERE target_type = 'news' AND target_id = old.id;
    DELETE FROM reactions WHERE target_type = 'news' AND target_id = old.id;
END;
-- However a comment goes (with its item, its space, or alone), its search
-- entry goes too: the indexer is asked, in the same transaction, to drop
-- it (the outbox's payload for one item of a kind).
CREATE TRIGGER comments_talk_gone AFTER DELETE ON comments BEGIN
    DELETE FROM reactions WHERE target_type = 'comment' AND target_id = old.id;
    INSERT INTO outbox (kind, payload, created_at, next_attempt_at)
    VALUES ('search', json_object('t', 'item', 'id', json_array('comment', old.id)),
            CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER topics_talk_gone AFTER DELETE ON topics BEGIN
    DELETE FROM reactions WHERE target_type = 'topic' AND target_id = old.id;
END;
CREATE TRIGGER replies_talk_gone AFTER DELETE ON replies BEGIN
    DELETE FROM reactions WHERE target_type = 'reply' AND target_id = old.id;
END;
