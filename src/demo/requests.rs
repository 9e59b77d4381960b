//! The demo's requests: Nordhavn's support tickets (one answered and rated,
//! one being worked on with an internal note) and orders with their
//! history; Verdier's deliveries and a quality complaint Lumen's quality
//! team filed with them.

use super::documents::person;
use crate::access::Actor;
use crate::documents::model::FileName;
use crate::requests::conversation;
use crate::requests::fields::{FieldDef, FieldKind};
use crate::requests::files::{Batch, Incoming};
use crate::requests::filing::{self, Upsert};
use crate::requests::service::{self, NewRequest};
use crate::requests::type_service::{self, NewTypeBody};
use crate::requests::types::{Definition, Visibility, example};
use crate::requests::work::{self, Patch};
use crate::requests::workflow::{Move, Mover, Status};
use crate::service::{Error, Result};
use serde_json::{Map, Value, json};

fn field(
    key: &str,
    en: &str,
    fr: &str,
    kind: FieldKind,
    required: bool,
    internal: bool,
) -> FieldDef {
    FieldDef {
        key: key.into(),
        label_en: en.into(),
        label_fr: fr.into(),
        kind,
        required,
        internal,
    }
}

fn support() -> Definition {
    let mut d = example(
        "SUP",
        "Support ticket",
        "Ticket d’assistance",
        "Europe/Paris",
    );
    d.visibility = Visibility::Organization;
    d.fields = vec![
        field(
            "area",
            "Area",
            "Domaine",
            FieldKind::Choice {
                options: vec!["Software".into(), "Hardware".into(), "Training".into()],
            },
            true,
            false,
        ),
        field("site", "Site", "Site", FieldKind::Text {}, false, false),
        field(
            "root-cause",
            "Root cause",
            "Cause première",
            FieldKind::LongText {},
            false,
            true,
        ),
    ];
    d
}

fn status(key: &str, en: &str, fr: &str, open: bool) -> Status {
    Status {
        key: key.into(),
        name_en: en.into(),
        name_fr: fr.into(),
        open,
        pauses_clock: false,
        approval: None,
    }
}

fn by_agents(from: &str, to: &str) -> Move {
    Move {
        from: from.into(),
        to: to.into(),
        by: vec![Mover::Agent, Mover::Manager],
    }
}

/// Orders and deliveries: received, confirmed, shipped, delivered.
fn shipping(prefix: &str, en: &str, fr: &str) -> Definition {
    let mut d = example(prefix, en, fr, "Europe/Paris");
    d.visibility = Visibility::Organization;
    d.workflow.statuses = vec![
        status("received", "Received", "Reçue", true),
        status("confirmed", "Confirmed", "Confirmée", true),
        status("shipped", "Shipped", "Expédiée", true),
        status("delivered", "Delivered", "Livrée", false),
        status("cancelled", "Cancelled", "Annulée", false),
    ];
    d.workflow.initial = "received".into();
    d.workflow.moves = vec![
        by_agents("received", "confirmed"),
        by_agents("confirmed", "shipped"),
        by_agents("shipped", "delivered"),
        Move {
            from: "received".into(),
            to: "cancelled".into(),
            by: vec![Mover::Requester, Mover::Agent, Mover::Manager],
        },
    ];
    d.fields = vec![
        field(
            "po",
            "Order number",
            "Numéro de commande",
            FieldKind::Text {},
            true,
            false,
        ),
        field(
            "amount",
            "Amount",
            "Montant",
            FieldKind::Money {
                currency: "EUR".into(),
            },
            true,
            false,
        ),
        field(
            "due",
            "Due on",
            "Attendue le",
            FieldKind::Date {},
            false,
            false,
        ),
        field(
            "margin",
            "Margin",
            "Marge",
            FieldKind::Number {},
            false,
            true,
        ),
    ];
    d
}

/// Change orders on Nordhavn's project: estimated by Lumen, then approved
/// through the space's "Change order approval" flow before work starts (a
/// change above 10,000 € also needs Nordhavn's budget owner).
fn change_order() -> Definition {
    let mut d = example(
        "CHG",
        "Change order",
        "Demande de modification",
        "Europe/Paris",
    );
    d.visibility = Visibility::Organization;
    d.workflow.statuses = vec![
        status("submitted", "Submitted", "Soumise", true),
        status("estimated", "Estimated", "Chiffrée", true),
        Status {
            approval: Some("Change order approval".into()),
            ..status("approved", "Approved", "Approuvée", true)
        },
        status("done", "Done", "Réalisée", false),
        status("declined", "Declined", "Refusée", false),
    ];
    d.workflow.initial = "submitted".into();
    d.workflow.moves = vec![
        by_agents("submitted", "estimated"),
        by_agents("estimated", "approved"),
        by_agents("approved", "done"),
        Move {
            from: "estimated".into(),
            to: "declined".into(),
            by: vec![Mover::Requester, Mover::Agent, Mover::Manager],
        },
    ];
    d.fields = vec![
        field(
            "amount",
            "Estimated cost",
            "Coût estimé",
            FieldKind::Money {
                currency: "EUR".into(),
            },
            false,
            false,
        ),
        field(
            "reason",
            "Why",
            "Pourquoi",
            FieldKind::LongText {},
            true,
            false,
        ),
    ];
    d
}

fn complaint() -> Definition {
    let mut d = example(
        "QC",
        "Quality complaint",
        "Réclamation qualité",
        "Europe/Paris",
    );
    d.fields = vec![
        field("batch", "Batch", "Lot", FieldKind::Text {}, true, false),
        field(
            "severity",
            "Severity",
            "Gravité",
            FieldKind::Choice {
                options: vec!["Minor".into(), "Major".into(), "Critical".into()],
            },
            true,
            false,
        ),
    ];
    d
}

async fn space_id(state: &crate::app::AppState, slug: &'static str) -> Result<i64> {
    state
        .db
        .read(move |c| {
            Ok::<_, Error>(
                c.query_row("SELECT id FROM spaces WHERE slug = ?1", [slug], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
}

fn values(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn new(type_key: &str, title: &str, fields: Value, priority: Option<&str>) -> NewRequest {
    NewRequest {
        type_key: type_key.into(),
        title: title.into(),
        fields: values(fields),
        priority: priority.map(str::to_string),
        on_behalf_of: None,
    }
}

fn id_of(actor: &Actor) -> Option<i64> {
    actor.principal().map(|p| p.person_id)
}

/// Sends a generated PDF with request `id`, as `who` attaches a file.
async fn attach_pdf(
    state: &crate::app::AppState,
    who: &Actor,
    id: i64,
    name: &str,
    lines: &[&str],
) -> Result<()> {
    let stored = state
        .blobs
        .put(&super::documents::pdf(lines))
        .map_err(crate::documents::service::blob_error)?;
    let file = Incoming {
        name: FileName::parse(name)?,
        content_type: "application/pdf",
        stored,
    };
    let batch = Batch {
        blobs: state.blobs.clone(),
        quota: state.config.documents.space_quota_bytes,
        files: vec![file],
    };
    conversation::send_files(&state.db, who, id, false, batch).await?;
    Ok(())
}

pub async fn seed(state: &crate::app::AppState) -> Result<()> {
    let db = &state.db;
    let system = Actor::system();
    let nordhavn = space_id(state, "nordhavn-warehouse-automation").await?;
    let verdier = space_id(state, "verdier-supply-quality").await?;
    for (key, space, definition) in [
        ("support", None, support()),
        (
            "order",
            Some(nordhavn),
            shipping("ORD", "Order", "Commande"),
        ),
        (
            "delivery",
            Some(verdier),
            shipping("DEL", "Delivery", "Livraison"),
        ),
        ("complaint", Some(verdier), complaint()),
        ("change", Some(nordhavn), change_order()),
    ] {
        type_service::create(
            db,
            &system,
            NewTypeBody {
                key: key.into(),
                space,
                agent_group: None,
                definition,
            },
        )
        .await?;
    }
    let ingrid = person(state, "ingrid.solberg@nordhavn.example").await?;
    let erik = person(state, "erik.lund@nordhavn.example").await?;
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let julien = person(state, "julien.moreau@lumen.example").await?;
    let marc = person(state, "marc.verdier@verdier.example").await?;
    let amina = person(state, "amina.diallo@lumen.example").await?;
    let lucas = person(state, "lucas.bernard@lumen.example").await?;

    // A ticket answered, resolved and rated.
    let t = filing::file(
        db,
        &erik,
        nordhavn,
        new(
            "support",
            "Training for the night shift on the new picking screens",
            json!({"area": "Training", "site": "Aarhus"}),
            None,
        ),
    )
    .await?;
    let t = work::assign(db, &sofia, t.item.id, id_of(&julien)).await?;
    let t = work::move_to(
        db,
        &julien,
        t.item.id,
        "in-progress".into(),
        t.version.clone(),
    )
    .await?;
    conversation::reply(
        db,
        &julien,
        t.item.id,
        "We can run two sessions on **Tuesday at 22:00**, on site. Does that suit the team?",
        false,
        None,
    )
    .await?;
    conversation::reply(
        db,
        &erik,
        t.item.id,
        "Tuesday works. Thank you!",
        false,
        None,
    )
    .await?;
    let t = service::get(db, &julien, t.item.id, false).await?;
    work::move_to(db, &julien, t.item.id, "resolved".into(), t.version).await?;
    work::rate(db, &erik, t.item.id, 5, "Clear and on time.").await?;

    // A ticket being worked on, with an internal note the client never sees.
    let t = filing::file(
        db,
        &ingrid,
        nordhavn,
        new(
            "support",
            "Scanner at dock 3 drops its connection",
            json!({"area": "Hardware", "site": "Aarhus, dock 3"}),
            Some("urgent"),
        ),
    )
    .await?;
    let t = work::assign(db, &sofia, t.item.id, id_of(&sofia)).await?;
    let t = work::move_to(
        db,
        &sofia,
        t.item.id,
        "in-progress".into(),
        t.version.clone(),
    )
    .await?;
    conversation::reply(
        db,
        &sofia,
        t.item.id,
        "We are looking at it. Could you tell us when it last dropped?",
        false,
        None,
    )
    .await?;
    conversation::note(
        db,
        &sofia,
        t.item.id,
        "Firmware 4.2 has a known roaming bug: the vendor's fix ships next week.",
        None,
    )
    .await?;
    let t = service::get(db, &sofia, t.item.id, false).await?;
    work::update(
        db,
        &sofia,
        t.item.id,
        Patch {
            version: t.version,
            fields: values(json!({"root-cause": "Access point roaming, firmware 4.2"})),
            ..Patch::default()
        },
    )
    .await?;

    // Orders, as an ERP would have followed them; a shipped one carries
    // its invoice and delivery note.
    for (po, title, cents, due, steps_done) in [
        (
            "PO-88412",
            "Conveyor spare parts",
            1_845_000,
            "2026-12-18",
            3,
        ),
        (
            "PO-88530",
            "Picking station, second unit",
            6_420_000,
            "2027-01-15",
            1,
        ),
        ("PO-87901", "Labels and ribbons", 98_000, "2026-11-20", 0),
    ] {
        // The ERP says where each order stands, once per step; each step
        // sent twice changes nothing the second time.
        let steps = ["received", "confirmed", "shipped", "delivered"];
        let mut order = None;
        for status in steps.into_iter().take(steps_done + 1) {
            for _ in 0..2 {
                let (_, seen) = filing::upsert(
                    db,
                    &sofia,
                    "order",
                    &format!("ERP-{po}"),
                    Upsert {
                        space: nordhavn,
                        title: format!("{po} — {title}"),
                        fields: values(
                            json!({"po": po, "amount": {"amount": cents, "currency": "EUR"}, "due": due}),
                        ),
                        status: Some(status.into()),
                        priority: None,
                        requester: id_of(&ingrid),
                    },
                )
                .await?;
                order = Some(seen);
            }
        }
        if let Some(order) = order.filter(|_| steps_done >= 2) {
            let amount = format!("Total: {}.{:02} EUR", cents / 100, cents % 100);
            attach_pdf(
                state,
                &sofia,
                order.item.id,
                &format!("Invoice {po}.pdf"),
                &[&format!("Lumen Systems — Invoice for {po}"), title, &amount],
            )
            .await?;
            attach_pdf(
                state,
                &sofia,
                order.item.id,
                &format!("Delivery note {po}.pdf"),
                &[&format!("Delivery note — {po}"), title, "3 parcels, 212 kg"],
            )
            .await?;
        }
    }

    // Verdier's deliveries, and a complaint Lumen's quality team files for them.
    for (batch, title, cents) in [
        ("2026-47", "Sheet metal, batch 2026-47", 1_210_000),
        ("2026-48", "Welded frames, batch 2026-48", 2_380_000),
    ] {
        let d = filing::file(
            db,
            &marc,
            verdier,
            new(
                "delivery",
                title,
                json!({"po": format!("LUM-{batch}"), "amount": {"amount": cents, "currency": "EUR"}}),
                None,
            ),
        )
        .await?;
        work::move_to(db, &amina, d.item.id, "confirmed".into(), d.version).await?;
        attach_pdf(
            state,
            &marc,
            d.item.id,
            &format!("Delivery note {batch}.pdf"),
            &[&format!("Verdier — delivery note, batch {batch}"), title],
        )
        .await?;
    }
    let marc_id = id_of(&marc);
    let c = filing::file(
        db,
        &amina,
        verdier,
        NewRequest {
            on_behalf_of: marc_id,
            ..new(
                "complaint",
                "Weld porosity on frames of batch 2026-45",
                json!({"batch": "2026-45", "severity": "Major"}),
                None,
            )
        },
    )
    .await?;
    work::assign(db, &lucas, c.item.id, id_of(&amina)).await?;
    conversation::reply(
        db,
        &amina,
        c.item.id,
        "Three frames of batch 2026-45 show porosity on the lower welds (photos in the inspection report). Please send your corrective action.",
        false, None)
    .await?;
    conversation::reply(
        db,
        &marc,
        c.item.id,
        "Received. We are checking the shielding gas supply on line 2 and will answer by Friday.",
        false,
        None,
    )
    .await?;
    Ok(())
}
