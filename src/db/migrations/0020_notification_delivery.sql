-- Parvis schema 20: how each person is told. Per topic of notification
-- (mentions, replies, news, announcements to acknowledge…): in the
-- application only, or by e-mail too, at once or as a daily or weekly
-- digest. Per space: follow, mentions only, or mute. A person without a row
-- has the defaults, which live in the code (`notifications::prefs`).

CREATE TABLE notification_topic_prefs (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('app', 'immediately', 'daily', 'weekly')),
    PRIMARY KEY (person_id, topic)
) STRICT, WITHOUT ROWID;

CREATE TABLE notification_space_prefs (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    level TEXT NOT NULL CHECK (level IN ('follow', 'mentions', 'mute')),
    PRIMARY KEY (person_id, space_id)
) STRICT, WITHOUT ROWID;

-- When a notification is to be e-mailed (null: it is not, or it was). The
-- mailer writes the e-mail to the outbox and clears this in one transaction.
ALTER TABLE notifications ADD COLUMN mail_due_at INTEGER;
CREATE INDEX notifications_mail_due ON notifications(mail_due_at, person_id)
    WHERE mail_due_at IS NOT NULL;

-- The key that signs the one-click unsubscribe links of e-mails. Never
-- exported: an instance rebuilt from an export makes a new one.
CREATE TABLE mail_link_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL
) STRICT;
