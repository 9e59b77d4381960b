//! Small contents kept in the database (`small_blobs`, migration 17) rather
//! than one file each: a 1–2 KiB file took a 4 KiB block and a directory
//! entry, and its write two fsyncs (file and directory) on top of the commit.
//! A row is written in the transaction that first refers to its content, so
//! it is durable exactly when that reference is (invariant 3), and nothing is
//! left behind when that transaction fails. Text is stored deflated when that
//! saves room; the hash is always of the original bytes.

use super::{BlobError, is_hash};
use rusqlite::{Connection, OptionalExtension, params};
use std::io::{Read, Write};

/// Refuses to inflate beyond this (a damaged row must not fill memory).
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// The 32 bytes a hex hash stands for.
pub fn key(hash: &str) -> Result<[u8; 32], BlobError> {
    if !is_hash(hash) {
        return Err(BlobError::BadHash);
    }
    let mut out = [0u8; 32];
    for (i, pair) in hash.as_bytes().chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).map_err(|_| BlobError::BadHash)?;
        out[i] = u8::from_str_radix(text, 16).map_err(|_| BlobError::BadHash)?;
    }
    Ok(out)
}

fn hex(key: &[u8]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The table is missing when the database predates migration 17 (a command
/// run against an older file): then nothing is stored in it.
fn no_table(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(_, Some(m)) if m.starts_with("no such table"))
}

/// Stores `content` under `hash` in the caller's transaction (nothing if it
/// is there already). Deflated only when that saves at least a sixteenth.
pub fn insert(c: &Connection, hash: &str, content: &[u8]) -> Result<(), BlobError> {
    let key = key(hash)?;
    let mut enc = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(content.len()),
        flate2::Compression::default(),
    );
    let packed = enc
        .write_all(content)
        .and_then(|()| enc.finish())
        .map_err(|e| BlobError::Interrupted(e.to_string()))?;
    let (deflated, bytes) = if packed.len() < content.len() - content.len() / 16 {
        (1, packed.as_slice())
    } else {
        (0, content)
    };
    c.prepare_cached(
        "INSERT INTO small_blobs (hash, deflated, content) VALUES (?1, ?2, ?3)
         ON CONFLICT (hash) DO NOTHING",
    )?
    .execute(params![key.as_slice(), deflated, bytes])?;
    Ok(())
}

/// The content stored under `hash`, if it is here.
pub fn get(c: &Connection, hash: &str) -> Result<Option<Vec<u8>>, BlobError> {
    let key = key(hash)?;
    let row = c
        .prepare_cached("SELECT deflated, content FROM small_blobs WHERE hash = ?1")
        .and_then(|mut st| {
            st.query_row([key.as_slice()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional()
        });
    let (deflated, bytes) = match row {
        Ok(Some(row)) => row,
        Ok(None) => return Ok(None),
        Err(e) if no_table(&e) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if deflated == 0 {
        return Ok(Some(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len() * 3);
    let read = flate2::read::DeflateDecoder::new(bytes.as_slice())
        .take(MAX_INFLATED)
        .read_to_end(&mut out);
    // Damaged compressed bytes read as whatever came out: the hash then
    // differs and `parvis check` names the blob.
    if read.is_err() {
        out.clear();
    }
    Ok(Some(out))
}

/// Whether `hash` is stored here.
pub fn contains(c: &Connection, hash: &str) -> Result<bool, BlobError> {
    let key = key(hash)?;
    let found = c
        .prepare_cached("SELECT 1 FROM small_blobs WHERE hash = ?1")
        .and_then(|mut st| st.exists([key.as_slice()]));
    match found {
        Ok(found) => Ok(found),
        Err(e) if no_table(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Removes `hash` (the collector, in the transaction that found it unreferenced).
pub fn remove(c: &Connection, hash: &str) -> Result<bool, BlobError> {
    let key = key(hash)?;
    match c.execute("DELETE FROM small_blobs WHERE hash = ?1", [key.as_slice()]) {
        Ok(n) => Ok(n > 0),
        Err(e) if no_table(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Every hash stored here, sorted.
pub fn list(c: &Connection) -> Result<Vec<String>, BlobError> {
    let rows = c
        .prepare("SELECT hash FROM small_blobs ORDER BY hash")
        .and_then(|mut st| {
            st.query_map([], |r| r.get::<_, Vec<u8>>(0))?
                .collect::<Result<Vec<_>, _>>()
        });
    match rows {
        Ok(keys) => Ok(keys.iter().map(|k| hex(k)).collect()),
        Err(e) if no_table(&e) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// Whether the content under `hash` has that hash (false when absent).
pub fn verify(c: &Connection, hash: &str) -> Result<bool, BlobError> {
    Ok(get(c, hash)?.is_some_and(|b| blake3::hash(&b).to_hex().as_str() == hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(include_str!("../db/migrations/0017_small_blobs.sql"))
            .unwrap();
        c
    }

    #[test]
    fn contents_come_back_as_they_went_in_compressed_or_not() {
        let c = db();
        let text = "le parvis de la cathédrale ".repeat(40).into_bytes();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..2000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for content in [text.as_slice(), noise.as_slice(), b"".as_slice()] {
            let hash = blake3::hash(content).to_hex().to_string();
            insert(&c, &hash, content).unwrap();
            insert(&c, &hash, content).unwrap();
            assert_eq!(get(&c, &hash).unwrap().as_deref(), Some(content));
            assert!(verify(&c, &hash).unwrap());
        }
        let deflated: i64 = c
            .query_row("SELECT sum(deflated) FROM small_blobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(deflated, 1, "only the text is worth deflating");
        assert_eq!(list(&c).unwrap().len(), 3);
        let hash = blake3::hash(&text).to_hex().to_string();
        assert!(remove(&c, &hash).unwrap());
        assert!(!contains(&c, &hash).unwrap());
        assert_eq!(get(&c, &hash).unwrap(), None);
    }

    #[test]
    fn damage_is_seen_and_bad_hashes_refused() {
        let c = db();
        let hash = blake3::hash(b"intact").to_hex().to_string();
        insert(&c, &hash, b"intact").unwrap();
        c.execute("UPDATE small_blobs SET content = x'00'", [])
            .unwrap();
        assert!(!verify(&c, &hash).unwrap());
        assert!(matches!(get(&c, "../x"), Err(BlobError::BadHash)));
        let before = Connection::open_in_memory().unwrap();
        assert_eq!(get(&before, &hash).unwrap(), None, "no table yet");
        assert!(list(&before).unwrap().is_empty());
    }
}
