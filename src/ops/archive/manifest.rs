//! The manifests of backups and exports, written and read one file entry at
//! a time: a million entries are about 170 MB of JSON, which neither side
//! holds in memory. The entries come from, and go to, a [`FileList`].

use super::ledger::{FileList, Order};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeSeq};
use std::io::{Read, Write};

/// One file of an archive or an export tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileEntry {
    /// Relative to the archive's root, `/`-separated.
    pub path: String,
    pub size: u64,
    pub blake3: String,
    /// In an incremental backup, the earlier archive (a file name in the
    /// same directory) that holds this file; absent: this archive holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_in: Option<String>,
}

/// A list serialized as the manifest's `files` array, read from the ledger
/// as it is written.
pub struct Listed<'l> {
    pub list: FileList<'l>,
    pub order: Order,
}

impl serde::Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (count, _) = self.list.totals().map_err(S::Error::custom)?;
        let mut seq = s.serialize_seq(Some(count))?;
        let mut failed = None;
        let read = self.list.each::<rusqlite::Error>(self.order, |f| {
            if failed.is_none()
                && let Err(e) = seq.serialize_element(&f)
            {
                failed = Some(e);
            }
            Ok(())
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// Writes `manifest` (a struct holding a [`Listed`]) as indented JSON.
pub fn write(out: impl Write, manifest: &impl serde::Serialize) -> serde_json::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, manifest)?;
    out.flush().map_err(serde_json::Error::io)
}

/// Why a manifest could not be read.
#[derive(Debug)]
pub enum ReadError<E> {
    /// Not JSON of a manifest's shape.
    Json(serde_json::Error),
    /// `each` refused an entry.
    Entry(E),
}

/// Reads a manifest: `each` gets every entry of `files` as it is parsed;
/// the other fields are returned as `H`.
pub fn read<H: DeserializeOwned, E>(
    from: impl Read,
    mut each: impl FnMut(FileEntry) -> Result<(), E>,
) -> Result<H, ReadError<E>> {
    let mut refused = None;
    let mut json = serde_json::Deserializer::from_reader(std::io::BufReader::new(from));
    let top = Top {
        each: &mut each,
        refused: &mut refused,
    };
    let head = de::Deserializer::deserialize_map(&mut json, top).and_then(|head| {
        json.end()?;
        Ok(head)
    });
    if let Some(e) = refused {
        return Err(ReadError::Entry(e));
    }
    let head = head.map_err(ReadError::Json)?;
    H::deserialize(serde_json::Value::Object(head)).map_err(ReadError::Json)
}

struct Top<'a, F, E> {
    each: &'a mut F,
    refused: &'a mut Option<E>,
}

impl<'de, F: FnMut(FileEntry) -> Result<(), E>, E> Visitor<'de> for Top<'_, F, E> {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a manifest object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut head = serde_json::Map::new();
        let mut files = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "files" {
                if files {
                    return Err(de::Error::duplicate_field("files"));
                }
                files = true;
                map.next_value_seed(Files {
                    each: &mut *self.each,
                    refused: &mut *self.refused,
                })?;
            } else {
                let value = map.next_value()?;
                if head.insert(key.clone(), value).is_some() {
                    return Err(de::Error::custom(format!("duplicate field `{key}`")));
                }
            }
        }
        if !files {
            return Err(de::Error::missing_field("files"));
        }
        Ok(head)
    }
}

struct Files<'a, F, E> {
    each: &'a mut F,
    refused: &'a mut Option<E>,
}

impl<'de, F: FnMut(FileEntry) -> Result<(), E>, E> DeserializeSeed<'de> for Files<'_, F, E> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(FileEntry) -> Result<(), E>, E> Visitor<'de> for Files<'_, F, E> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of files")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<FileEntry>()? {
            if let Err(e) = (self.each)(entry) {
                *self.refused = Some(e);
                return Err(de::Error::custom("entry refused"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::ledger::Ledger;
    use super::*;

    #[derive(serde::Serialize)]
    struct Out<'l> {
        format: u32,
        files: Listed<'l>,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Head {
        format: u32,
    }

    fn entry(path: &str) -> FileEntry {
        FileEntry {
            path: path.into(),
            size: 3,
            blake3: "ab".repeat(32),
            stored_in: (path == "b").then(|| "earlier.tar".into()),
        }
    }

    #[test]
    fn a_manifest_written_from_a_list_reads_back_entry_by_entry() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::create(dir.path()).unwrap();
        let list = ledger.list("files").unwrap();
        for p in ["c", "a", "b"] {
            list.add(&entry(p)).unwrap();
        }
        let mut json = Vec::new();
        let out = Out {
            format: 7,
            files: Listed {
                list,
                order: Order::ByPath,
            },
        };
        write(&mut json, &out).unwrap();
        // The same bytes as the whole manifest serialized at once.
        #[derive(serde::Serialize)]
        struct Whole {
            format: u32,
            files: Vec<FileEntry>,
        }
        let whole = Whole {
            format: 7,
            files: vec![entry("a"), entry("b"), entry("c")],
        };
        assert_eq!(json, serde_json::to_vec_pretty(&whole).unwrap());
        let mut seen = Vec::new();
        let head: Head = read::<_, ()>(json.as_slice(), |f| {
            seen.push(f);
            Ok(())
        })
        .unwrap();
        assert_eq!(head, Head { format: 7 });
        assert_eq!(seen, [entry("a"), entry("b"), entry("c")]);
    }

    #[test]
    fn a_refused_entry_stops_the_reading_with_its_own_error() {
        let json = serde_json::to_vec(&serde_json::json!({
            "format": 1, "files": [entry("a"), entry("b")]
        }))
        .unwrap();
        let got = read::<Head, &str>(json.as_slice(), |f| {
            if f.path == "b" { Err("no b") } else { Ok(()) }
        });
        assert!(matches!(got, Err(ReadError::Entry("no b"))));
    }

    #[test]
    fn malformed_manifests_are_errors() {
        for bad in [
            &b"{\"format\": 1}"[..],
            b"{\"format\": 1, \"files\": [], \"files\": []}",
            b"{\"format\": 1, \"files\": [{\"path\": 3}]}",
            b"{\"format\": 1, \"files\": []} trailing",
            b"[]",
            b"{\"files\": []}",
            b"",
        ] {
            let got = read::<Head, ()>(bad, |_| Ok(()));
            assert!(
                matches!(got, Err(ReadError::Json(_))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
