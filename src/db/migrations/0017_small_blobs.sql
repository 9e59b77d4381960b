-- Parvis schema 17: contents up to `storage.small_blob_bytes` live here
-- instead of one file each under blobs/ (a 1 KiB file took a 4 KiB block and
-- a directory entry). Keyed by the 32 bytes of the BLAKE3 hash (the hex form
-- names the same content elsewhere); `deflated` = 1 when `content` is the
-- raw-deflate of the bytes. A rowid table, not WITHOUT ROWID: there, a row
-- over ~1 KB spills into an overflow page of its own (measured: 3.05 × the
-- content for 1–2 KiB rows, against 1.32 × here, uncompressed).
-- Rows are written in the transaction that first refers to them and removed
-- by the collector in the one that finds them unreferenced.

CREATE TABLE small_blobs (
    hash BLOB PRIMARY KEY NOT NULL CHECK (length(hash) = 32),
    deflated INTEGER NOT NULL CHECK (deflated IN (0, 1)),
    content BLOB NOT NULL
);
