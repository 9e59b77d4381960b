-- Parvis schema 9: the text extracted from stored files for search, kept
-- per content (a cache: derived from the blobs, dropped with them), with
-- the reason when a file gave no text.

CREATE TABLE text_extracts (
    id INTEGER PRIMARY KEY,
    blob_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('text', 'none', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    extracted_at INTEGER NOT NULL
) STRICT;
