//! What every place where people write to each other shares: naming
//! writers as the reader may know them, and mentions — whom a message
//! names, who of them may read it and are told, and whom a writer may
//! mention. Discussions and comments use it; each says who may read.

mod mentions;
mod writers;

pub use mentions::{MAX_MENTIONS, MayRead, Suggestion, mentioned, sort_mentions, suggestions};
pub use writers::{Writer, Writers, me};

/// `?q=`: the start of a name or an address, for mention suggestions.
#[derive(Debug, Default, serde::Deserialize)]
pub struct MentionQuery {
    #[serde(default)]
    pub q: String,
}
