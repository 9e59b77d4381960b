//! The changes made to news, as values (see `content::events`).

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;

fn item(id: i64) -> Option<Change> {
    Some(Change::item(&super::KIND, id))
}

#[derive(Serialize)]
pub struct Created<'a> {
    #[serde(skip)]
    pub id: i64,
    pub title: &'a str,
    pub space: Option<i64>,
    pub state: &'static str,
}

/// New text or settings. `version` is the text's; `acknowledge_again`:
/// the text of a published announcement changed, readers are asked again.
#[derive(Serialize)]
pub struct Updated<'a> {
    #[serde(skip)]
    pub id: i64,
    pub title: &'a str,
    pub version: i64,
    pub state: &'static str,
    pub acknowledge_again: bool,
}

/// Its readers can read it from now (its audience is told).
#[derive(Serialize)]
pub struct Published<'a> {
    #[serde(skip)]
    pub id: i64,
    pub title: &'a str,
    pub version: i64,
    pub requires_ack: bool,
}

/// Its time is over: it leaves feeds and search.
#[derive(Serialize)]
pub struct Expired {
    #[serde(skip)]
    pub id: i64,
}

#[derive(Serialize)]
pub struct Deleted {
    #[serde(skip)]
    pub id: i64,
    pub title: String,
}

/// "I have read and understood", for one version of the text, with the
/// fingerprint of that text (title and body), so what was acknowledged can
/// be shown again.
#[derive(Serialize)]
pub struct Acknowledged {
    #[serde(skip)]
    pub id: i64,
    pub version: i64,
    pub text_blake3: String,
}

/// The writers remind those who have not acknowledged yet.
#[derive(Serialize)]
pub struct Reminded {
    #[serde(skip)]
    pub id: i64,
    pub version: i64,
    pub pending: usize,
}

#[derive(Serialize)]
pub struct FileAdded<'a> {
    #[serde(skip)]
    pub id: i64,
    pub file: i64,
    pub name: &'a str,
    pub bytes: usize,
}

#[derive(Serialize)]
pub struct FileRemoved {
    #[serde(skip)]
    pub id: i64,
    pub file: i64,
    pub name: String,
}

#[derive(Serialize)]
pub struct CoverChanged {
    #[serde(skip)]
    pub id: i64,
    pub removed: bool,
}

recorded! {
    Created<'_> => "news", |_s| "news.create", |s| item(s.id);
    Updated<'_> => "news", |_s| "news.update", |s| item(s.id);
    Published<'_> => "news", |_s| "news.publish", |s| item(s.id);
    Expired => "news", |_s| "news.expire", |s| item(s.id);
    Deleted => "news", |_s| "news.delete", |s| item(s.id);
    Acknowledged => "news", |_s| "news.acknowledge", |_s| None;
    Reminded => "news", |_s| "news.remind", |_s| None;
    FileAdded<'_> => "news", |_s| "news.file.add", |_s| None;
    FileRemoved => "news", |_s| "news.file.remove", |_s| None;
    CoverChanged => "news", |_s| "news.cover", |_s| None;
}

/// The fingerprint of a text as acknowledged.
pub fn text_fingerprint(title: &str, body: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(title.as_bytes());
    h.update(b"\n\n");
    h.update(body.as_bytes());
    h.finalize().to_hex().to_string()
}
