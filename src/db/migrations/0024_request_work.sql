-- Quotas count the files sent with a space's requests.
CREATE INDEX request_files_space ON request_files(space_id);
-- Waiting files (sent ahead of a filing) are found by age to be swept.
CREATE INDEX request_files_waiting ON request_files(uploaded_at) WHERE request_id IS NULL;

-- Breach warnings: the stage told for each target (1: due soon, 2: missed)
-- and the due instant it was told for (a new one — a new priority, a clock
-- started again — is told afresh).
ALTER TABLE requests ADD COLUMN respond_warned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN respond_warned_due INTEGER;
ALTER TABLE requests ADD COLUMN resolve_warned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN resolve_warned_due INTEGER;
CREATE INDEX requests_respond_due ON requests(respond_due_at)
    WHERE is_open = 1 AND responded_at IS NULL AND respond_due_at IS NOT NULL;
CREATE INDEX requests_resolve_due ON requests(resolve_due_at)
    WHERE is_open = 1 AND resolve_due_at IS NOT NULL;

-- Replies by e-mail: each message read from the mailbox, by its id, so that
-- none lands twice (kept in the transaction of its reply), and what became
-- of it; and how the last polls of the mailbox went, for `parvis check`.
CREATE TABLE inbound_mail (
    message_id TEXT PRIMARY KEY,
    read_at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    request_id INTEGER REFERENCES requests(id) ON DELETE SET NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX inbound_mail_request ON inbound_mail(request_id);

CREATE TABLE inbound_mail_polls (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_ok_at INTEGER,
    last_error TEXT,
    last_error_at INTEGER
) STRICT;

-- Saved views of the requests list: a person's own filters under a name
-- ("late deliveries"), kept as the list's query string.
CREATE TABLE request_views (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (person_id, name)
) STRICT;
