//! Space rules: listings trimmed by `access`.

use super::model::Space;
use super::store;
use crate::access::{self, Actor};
use crate::db::Db;
use crate::service::{Error, Result};

/// Spaces the actor may see, by name; `search` narrows by name or description.
pub async fn list(
    db: &Db,
    actor: &Actor,
    search: Option<String>,
    limit: u32,
) -> Result<Vec<Space>> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let filter = access::spaces_filter(&p, "s");
    let search = search
        .map(|s| s.trim().chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty());
    db.read(move |c| Ok(store::list(c, &filter, search.as_deref(), limit)?))
        .await
}
