//! Approval flows in the demo: Verdier's ISO certificate, dropped by Marc,
//! waits for Lumen's quality check; the Zone A layout went through
//! engineering and Nordhavn's validation and carries its signed record.
//! Each has an internal note its external readers never see. The
//! steering committee's minutes wait for a signatory without an account.

use crate::access::Actor;
use crate::approvals::flows::Decision;
use crate::approvals::service;
use crate::service::{Error, Result};
use serde_json::json;

async fn person(state: &crate::app::AppState, email: &'static str) -> Result<Actor> {
    state
        .db
        .read(move |c| {
            let id: i64 = c.query_row("SELECT id FROM people WHERE email = ?1", [email], |r| {
                r.get(0)
            })?;
            let p = crate::auth::principal_now(c, id)?.ok_or(Error::NotFound)?;
            Ok::<_, Error>(Actor::person(p, None))
        })
        .await
}

async fn id_of(state: &crate::app::AppState, sql: &'static str, key: &'static str) -> Result<i64> {
    state
        .db
        .read(move |c| Ok::<_, Error>(c.query_row(sql, [key], |r| r.get(0))?))
        .await
}

pub async fn seed(state: &crate::app::AppState) -> Result<()> {
    let db = &state.db;
    let space = "SELECT id FROM spaces WHERE slug = ?1";
    let document = "SELECT id FROM documents WHERE name = ?1";

    // Verdier's certificate: quality checks it, then the quality manager.
    let lucas = person(state, "lucas.bernard@lumen.example").await?;
    let marc = person(state, "marc.verdier@verdier.example").await?;
    let amina = id_of(
        state,
        "SELECT id FROM people WHERE email = ?1",
        "amina.diallo@lumen.example",
    )
    .await?;
    let verdier = id_of(state, space, "verdier-supply-quality").await?;
    let certificates = service::save_template(
        db,
        &lucas,
        verdier,
        "Supplier certificate",
        json!({"steps": [
            {"name": "Quality check", "approvers": [{"type": "person", "id": amina}], "deadline_days": 3},
            {"name": "Quality manager", "approvers": [{"type": "role", "role": "manager"}], "on_reject": "back"}
        ], "forbid_self_approval": true}),
    )
    .await?;
    let certificate = id_of(state, document, "ISO 9001 certificate 2026.pdf").await?;
    let submitted = service::start(db, &marc, certificate, certificates.id).await?;
    // What Lumen says among itself, Marc never sees.
    service::note(
        db,
        &lucas,
        submitted.id,
        "Their previous certificate lapsed for two weeks in 2025: check the validity dates closely.",
    )
    .await?;
    // Its folder takes submissions: the next certificate Verdier puts
    // there starts the same flow by itself.
    let folder: Option<i64> = db
        .read(move |c| {
            Ok::<_, Error>(c.query_row(
                "SELECT folder_id FROM documents WHERE id = ?1",
                [certificate],
                |r| r.get(0),
            )?)
        })
        .await?;
    if let Some(f) = folder {
        service::bind(db, &lucas, f, Some(certificates.id)).await?;
    }

    // The Zone A layout: engineering reviews, Nordhavn validates.
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let julien = person(state, "julien.moreau@lumen.example").await?;
    let ingrid = person(state, "ingrid.solberg@nordhavn.example").await?;
    let nordhavn = id_of(state, space, "nordhavn-warehouse-automation").await?;
    let engineering = id_of(
        state,
        "SELECT id FROM groups WHERE slug = ?1",
        "engineering",
    )
    .await?;
    let client = id_of(
        state,
        "SELECT id FROM organizations WHERE slug = ?1",
        "nordhavn-logistics",
    )
    .await?;
    let deliverables = service::save_template(
        db,
        &sofia,
        nordhavn,
        "Client deliverable",
        json!({"steps": [
            {"name": "Engineering review", "approvers": [{"type": "group", "id": engineering}]},
            {"name": "Client validation", "approvers": [{"type": "organization", "id": client}], "on_reject": "back"}
        ]}),
    )
    .await?;
    let layout = id_of(state, document, "Zone A layout.png").await?;
    let flow = service::start(db, &sofia, layout, deliverables.id).await?;
    let hash = flow.blob_hash.clone();
    service::decide_noting(
        db,
        &julien,
        flow.id,
        Decision::Approve,
        (
            "Clearances checked against the conveyor specification.",
            "Aisle 4 is 3 cm from the limit: fine, but no margin if Nordhavn changes racks.",
        ),
        &hash,
    )
    .await?;
    service::decide(
        db,
        &ingrid,
        flow.id,
        Decision::Approve,
        "Validated for Nordhavn. Go ahead with the installation.",
        &hash,
    )
    .await?;

    // The steering committee's minutes wait for the signature of
    // Nordhavn's director, who has no account: the link is on its way.
    let signature = service::save_template(
        db,
        &sofia,
        nordhavn,
        "Minutes signature",
        json!({"steps": [{"name": "Signature by Nordhavn's director", "approvers": [
            {"type": "signatory", "email": "henrik.dahl@nordhavn.example", "name": "Henrik Dahl"}
        ]}]}),
    )
    .await?;
    let minutes = id_of(state, document, "2026-11-12 Steering committee.md").await?;
    service::start(db, &sofia, minutes, signature.id).await?;
    change_orders(state, nordhavn, client).await
}

/// Nordhavn's change orders: Lumen's project manager approves each; one
/// above 10,000 € also waits for Nordhavn's budget owner (its requester
/// aside), the other was settled by the project manager alone and moved.
async fn change_orders(state: &crate::app::AppState, nordhavn: i64, client: i64) -> Result<()> {
    use crate::requests::{filing, service::NewRequest, work};
    let db = &state.db;
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let julien = person(state, "julien.moreau@lumen.example").await?;
    let ingrid = person(state, "ingrid.solberg@nordhavn.example").await?;
    service::save_template(
        db,
        &sofia,
        nordhavn,
        "Change order approval",
        json!({"steps": [
            {"name": "Project manager", "approvers": [{"type": "role", "role": "manager"}], "deadline_days": 3},
            {"name": "Nordhavn budget owner", "approvers": [{"type": "organization", "id": client}],
             "when": {"field": "amount", "above": 10000}, "on_reject": "end"}
        ], "forbid_self_approval": true}),
    )
    .await?;
    for (title, cents, why) in [
        (
            "Two extra pick-to-light stations in zone B",
            1_480_000,
            "Zone B picks 30 % more lines since the seasonal range came in.",
        ),
        (
            "Relabel aisle 3 after the rack change",
            240_000,
            "The new racks moved every location by one bay.",
        ),
    ] {
        let fields = json!({"amount": {"amount": cents, "currency": "EUR"}, "reason": why});
        let new = NewRequest {
            type_key: "change".into(),
            title: title.into(),
            fields: fields.as_object().cloned().unwrap_or_default(),
            priority: None,
            on_behalf_of: None,
        };
        let r = filing::file(db, &ingrid, nordhavn, new).await?;
        let r = work::move_to(db, &julien, r.item.id, "estimated".into(), r.version).await?;
        let flow = service::start_on_request(db, &julien, r.item.id, "approved").await?;
        let hash = flow.blob_hash.clone();
        service::decide(
            db,
            &sofia,
            flow.id,
            Decision::Approve,
            "Estimate checked against the framework prices.",
            &hash,
        )
        .await?;
    }
    Ok(())
}
