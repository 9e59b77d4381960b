//! The demo's comments and reactions: the client asks about a plan on the
//! plan itself and is answered; the supplier thanks Quality for its
//! answer; colleagues cheer the year-end party.

use super::documents::person;
use crate::access::Actor;
use crate::comments::model::{On, Reaction};
use crate::comments::{reactions, service};
use crate::service::{Error, Result};
use rusqlite::OptionalExtension;

/// The item of `kind` that `sql` finds (by a name the demo gave it).
async fn item(
    state: &crate::app::AppState,
    kind: &str,
    sql: &'static str,
    name: &'static str,
) -> Result<On> {
    let id: Option<i64> = state
        .db
        .read(move |c| Ok::<_, Error>(c.query_row(sql, [name], |r| r.get(0)).optional()?))
        .await?;
    Ok(On {
        kind: kind.to_string(),
        id: id.ok_or(Error::NotFound)?,
    })
}

fn id_of(actor: &Actor) -> i64 {
    actor.principal().map(|p| p.person_id).unwrap_or_default()
}

pub async fn seed(state: &crate::app::AppState) -> Result<()> {
    let (db, kinds) = (&state.db, state.kinds);
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let ingrid = person(state, "ingrid.solberg@nordhavn.example").await?;
    let julien = person(state, "julien.moreau@lumen.example").await?;
    let thomas = person(state, "thomas.leroy@lumen.example").await?;

    let layout = item(
        state,
        "document",
        "SELECT id FROM documents WHERE name = ?1",
        "Zone A layout.png",
    )
    .await?;
    let asked = service::add(
        db,
        kinds,
        &ingrid,
        layout.clone(),
        &format!(
            "Could the two picking stations move **2 m east**, closer to the dock doors? \
             @[Sofia Almeida](mention:{})",
            id_of(&sofia)
        ),
    )
    .await?;
    service::add(
        db,
        kinds,
        &sofia,
        layout.clone(),
        "Yes: the conveyor allows it. The next version of the plan will show them there.",
    )
    .await?;
    let asked = On {
        kind: "comment".into(),
        id: asked.comment.id,
    };
    reactions::set(
        db,
        kinds,
        &state.reactions_added,
        &sofia,
        asked,
        Reaction::Like,
        true,
    )
    .await?;
    reactions::set(
        db,
        kinds,
        &state.reactions_added,
        &ingrid,
        layout,
        Reaction::Thanks,
        true,
    )
    .await?;

    // The supplier thanks Quality for the answer it accepted.
    let marc = person(state, "marc.verdier@verdier.example").await?;
    let answer = item(
        state,
        "reply",
        "SELECT id FROM replies WHERE body LIKE ?1",
        "One PDF **per heat number**%",
    )
    .await?;
    reactions::set(
        db,
        kinds,
        &state.reactions_added,
        &marc,
        answer,
        Reaction::Thanks,
        true,
    )
    .await?;

    let party = item(
        state,
        "news",
        "SELECT id FROM news WHERE title = ?1",
        "End-of-year celebration on 18 December",
    )
    .await?;
    service::add(
        db,
        kinds,
        &julien,
        party.clone(),
        "The engineering team brings the desserts!",
    )
    .await?;
    for (who, reaction) in [
        (&julien, Reaction::Celebrate),
        (&thomas, Reaction::Celebrate),
        (&sofia, Reaction::Love),
    ] {
        reactions::set(
            db,
            kinds,
            &state.reactions_added,
            who,
            party.clone(),
            reaction,
            true,
        )
        .await?;
    }
    Ok(())
}
