//! The demo's discussions: in the supplier's space, a forum of questions
//! where Atelier Verdier asked how to send a certificate and accepted
//! Amina's answer; in Engineering, a discussion with a quoted reply; in
//! the client's project space, a question the client's team accepted.

use super::documents::{person, space};
use crate::discussions::model::{ForumFields, Mode};
use crate::discussions::service;
use crate::service::{DisplayName, Result};

pub async fn seed(state: &crate::app::AppState) -> Result<()> {
    let db = &state.db;
    let lucas = person(state, "lucas.bernard@lumen.example").await?;
    let amina = person(state, "amina.diallo@lumen.example").await?;
    let marc = person(state, "marc.verdier@verdier.example").await?;
    let chloe = person(state, "chloe.roux@verdier.example").await?;

    let verdier = space(state, "verdier-supply-quality").await?;
    let questions = service::create_forum(
        db,
        &lucas,
        verdier,
        ForumFields {
            name: DisplayName::parse("Supplier questions")?,
            description:
                "Ask Lumen's purchasing and quality teams; the answer that helped is shown first."
                    .into(),
            mode: Mode::Questions,
        },
    )
    .await?;
    let asked = service::create_topic(
        db,
        &marc,
        questions.id,
        "Which format for material certificates (EN 10204 3.1)?",
        "We will ship the next batch of LB-2044 brackets on Friday. Should the 3.1 \
         certificates be **one PDF per heat number**, or one file for the whole delivery?",
    )
    .await?
    .item;
    service::reply(
        db,
        &lucas,
        asked.id,
        &format!(
            "Thanks for asking before shipping. @[Amina Diallo](mention:{}) from Quality \
             will confirm the format.",
            amina.principal().map(|p| p.person_id).unwrap_or_default()
        ),
    )
    .await?;
    let answer = service::reply(
        db,
        &amina,
        asked.id,
        "One PDF **per heat number**, named `LB-2044_<heat>.pdf`, uploaded to the \
         *Certificates* folder of this space before the truck leaves.\n\n\
         - The heat number must match the marking on the parts\n\
         - Signed by your quality manager",
    )
    .await?
    .item;
    service::accept(db, &marc, answer.id, true).await?;
    service::reply(
        db,
        &chloe,
        asked.id,
        "Noted, we will follow this for every delivery.",
    )
    .await?;
    service::create_topic(
        db,
        &chloe,
        questions.id,
        "Can we propose an alternative surface treatment?",
        "Our zinc-nickel line will be down for maintenance in week 12. Would a \
         zinc-flake coating be acceptable for that week's production?",
    )
    .await?;

    let julien = person(state, "julien.moreau@lumen.example").await?;
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let engineering = space(state, "engineering").await?;
    let talk = service::create_forum(
        db,
        &julien,
        engineering,
        ForumFields {
            name: DisplayName::parse("Engineering talk")?,
            description: "Design choices, tools and standards, in the open.".into(),
            mode: Mode::Discussion,
        },
    )
    .await?;
    let topic = service::create_topic(
        db,
        &julien,
        talk.id,
        "Moving drawings to the new revision scheme",
        "From March, drawings use letters for released revisions (A, B, C) and \
         numbers for drafts (01, 02). Objections before we switch?",
    )
    .await?
    .item;
    service::reply(
        db,
        &sofia,
        topic.id,
        "> Julien Moreau wrote:\n> numbers for drafts (01, 02)\n\n\
         Good for me, as long as the PDF exports carry the revision in the file name.",
    )
    .await?;
    // The client's project space: Nordhavn asks, Lumen answers.
    let ingrid = person(state, "ingrid.solberg@nordhavn.example").await?;
    let nordhavn = space(state, "nordhavn-warehouse-automation").await?;
    let project = service::create_forum(
        db,
        &sofia,
        nordhavn,
        ForumFields {
            name: DisplayName::parse("Project questions")?,
            description: "Questions between Nordhavn and the Lumen project team.".into(),
            mode: Mode::Questions,
        },
    )
    .await?;
    let cutover = service::create_topic(
        db,
        &ingrid,
        project.id,
        "Can the conveyor cut-over happen on a Sunday?",
        "Our warehouse is closed on Sundays. Could the cut-over of line 2 be planned then, \
         to avoid stopping shipments?",
    )
    .await?
    .item;
    let plan = service::reply(
        db,
        &sofia,
        cutover.id,
        "Yes: Sunday 14 March, from 06:00 to 14:00. Two of our technicians will be on site, \
         and the line is tested with your team on Monday at 07:00.",
    )
    .await?
    .item;
    service::accept(db, &ingrid, plan.id, true).await?;
    Ok(())
}
