//! The changes made to comments, as values (see `content::events`).
//! Reactions are not audited: they are many, small and undone at will;
//! the rows themselves say who reacted.

use crate::content::events::recorded;
use crate::search::sources::Change;
use serde::Serialize;

fn comment(id: i64) -> Option<Change> {
    Some(Change::item(&super::kind::KIND, id))
}

#[derive(Serialize)]
pub struct Commented {
    #[serde(skip)]
    pub id: i64,
    /// The item, `kind:id`.
    pub on: String,
    /// The people it mentions who may read it (they are told).
    pub mentions: Vec<i64>,
}

#[derive(Serialize)]
pub struct CommentEdited {
    #[serde(skip)]
    pub id: i64,
    pub on: String,
    /// The people the new words mention, and the old did not.
    pub mentions: Vec<i64>,
}

#[derive(Serialize)]
pub struct CommentRemoved {
    #[serde(skip)]
    pub id: i64,
    pub on: String,
    /// Removed by a moderator rather than its writer.
    pub moderated: bool,
}

recorded! {
    Commented => "comment", |_s| "comment.create", |s| comment(s.id);
    CommentEdited => "comment", |_s| "comment.update", |s| comment(s.id);
    CommentRemoved => "comment", |_s| "comment.delete", |s| comment(s.id);
}
