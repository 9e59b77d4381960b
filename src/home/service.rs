//! What the home page shows, read in one trip to the database.

use crate::access::{self, Actor};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::spaces::Space;

pub struct Overview {
    pub spaces: Vec<Space>,
    /// Active people the person may see.
    pub people: i64,
}

/// The home page of `portal`: the spaces published there that the person may see.
pub async fn overview(db: &Db, actor: &Actor, portal: i64, max_spaces: u32) -> Result<Overview> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let spaces_filter = access::spaces_filter(&p, "s");
    let people_filter = access::people_filter(&p, "p");
    db.read(move |c| {
        Ok(Overview {
            spaces: crate::spaces::store::list(
                c,
                &spaces_filter,
                &crate::spaces::store::Narrow {
                    search: None,
                    portal: Some(portal),
                },
                max_spaces,
            )?,
            people: crate::people::store::count(c, &people_filter)?,
        })
    })
    .await
}
