-- Parvis schema 8: folders go to the trash with their contents, and come
-- back with them; WebDAV clients may store their own ("dead") properties on
-- spaces, folders and documents; image thumbnails are cached as blobs.

-- The folder whose trashing took this row along (NULL: trashed on its own).
ALTER TABLE folders ADD COLUMN trashed_with INTEGER;
ALTER TABLE documents ADD COLUMN trashed_with INTEGER;
CREATE INDEX folders_trash ON folders(space_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE dav_properties (
    id INTEGER PRIMARY KEY,
    space_id INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
    folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    namespace TEXT NOT NULL DEFAULT '',
    prefix TEXT,
    name TEXT NOT NULL,
    -- The property element as the client sent it (namespaces declared).
    xml BLOB,
    CHECK ((space_id IS NOT NULL) + (folder_id IS NOT NULL) + (document_id IS NOT NULL) = 1)
) STRICT;
CREATE UNIQUE INDEX dav_properties_unique ON dav_properties(
    ifnull(space_id, 0), ifnull(folder_id, 0), ifnull(document_id, 0), namespace, name);
CREATE INDEX dav_properties_document ON dav_properties(document_id) WHERE document_id IS NOT NULL;
CREATE INDEX dav_properties_folder ON dav_properties(folder_id) WHERE folder_id IS NOT NULL;

-- Previews computed from a blob (image thumbnails), themselves stored as
-- blobs: a cache keyed by content, rebuilt when missing, dropped with the
-- content they were made from.
CREATE TABLE previews (
    source_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('thumbnail')),
    blob_hash TEXT NOT NULL,
    content_type TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (source_hash, kind)
) STRICT, WITHOUT ROWID;
CREATE INDEX previews_blob ON previews(blob_hash);
