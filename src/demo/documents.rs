//! The demo's files, added through the documents service like any upload:
//! folders, Markdown notes, a text specification, a PDF certificate, a plan
//! drawn as an image, a second version with its comment, a description and
//! tags, a check-out, and a folder only managers see.

use crate::access::{Actor, Principal};
use crate::app::AppState;
use crate::documents::model::FileName;
use crate::documents::service::{self, UploadTarget};
use crate::documents::{folders, model::Folder};
use crate::service::{Error, Result};
use crate::spaces::Role;

pub(super) async fn person(state: &AppState, email: &str) -> Result<Actor> {
    let email = email.to_string();
    let principal: Principal = state
        .db
        .read(move |c| {
            let id: i64 = c.query_row("SELECT id FROM people WHERE email = ?1", [&email], |r| {
                r.get(0)
            })?;
            Ok::<_, Error>(crate::auth::signin::principal_of(c, id)?.0)
        })
        .await?;
    Ok(Actor::person(principal, None))
}

pub(super) async fn space(state: &AppState, slug: &str) -> Result<i64> {
    let slug = slug.to_string();
    state
        .db
        .read(move |c| Ok::<_, Error>(crate::spaces::store::id_by_slug(c, &slug)?))
        .await?
        .ok_or(Error::NotFound)
}

async fn folder(
    state: &AppState,
    actor: &Actor,
    space: i64,
    parent: Option<&Folder>,
    name: &str,
) -> Result<Folder> {
    service::create_folder(
        &state.db,
        actor,
        space,
        parent.map(|f| f.id),
        FileName::parse(name)?,
    )
    .await
}

pub(super) async fn put(
    state: &AppState,
    actor: &Actor,
    space: i64,
    folder: Option<&Folder>,
    name: &str,
    content: &[u8],
    comment: &str,
) -> Result<i64> {
    let stored = state.blobs.put(content).map_err(service::blob_error)?;
    let first = content[..content.len().min(512)].to_vec();
    let target = UploadTarget {
        space_id: space,
        folder: folder.map(|f| f.id),
        name: FileName::parse(name)?,
        comment: comment.to_string(),
    };
    let quota = state.config.documents.space_quota_bytes;
    let (doc, _) =
        service::commit_upload(&state.db, &state.blobs, actor, target, stored, first, quota)
            .await?;
    Ok(doc.id)
}

pub async fn seed(state: &AppState) -> Result<()> {
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let ingrid = person(state, "ingrid.solberg@nordhavn.example").await?;
    let lucas = person(state, "lucas.bernard@lumen.example").await?;
    let marc = person(state, "marc.verdier@verdier.example").await?;
    let thomas = person(state, "thomas.leroy@lumen.example").await?;
    let julien = person(state, "julien.moreau@lumen.example").await?;

    // The shared project with the client.
    let nordhavn = space(state, "nordhavn-warehouse-automation").await?;
    let plans = folder(state, &sofia, nordhavn, None, "Plans").await?;
    let meetings = folder(state, &sofia, nordhavn, None, "Meeting notes").await?;
    let layout = put(
        state,
        &sofia,
        nordhavn,
        Some(&plans),
        "Zone A layout.png",
        &warehouse_plan()?,
        "First layout for the pick-and-place zone",
    )
    .await?;
    service::describe(
        &state.db,
        &sofia,
        layout,
        "Conveyor lines, picking stations and the robot cell of zone A (north hall).",
        "layout, zone A, conveyors",
    )
    .await?;
    // A link for the client's site manager, who has no account: the
    // partners portal allows them; it ends in a month, after 20 downloads.
    let portals = state.portals.current();
    let partners = portals
        .all()
        .iter()
        .find(|p| p.slug == "partners")
        .ok_or(crate::service::Error::NotFound)?;
    crate::documents::share::create(
        &state.db,
        &state.hasher,
        &sofia,
        &**partners,
        layout,
        crate::documents::share::NewLink {
            days: 30,
            password: None,
            max_downloads: Some(20),
        },
    )
    .await?;
    put(
        state,
        &sofia,
        nordhavn,
        Some(&meetings),
        "2026-11-12 Steering committee.md",
        STEERING_V1.as_bytes(),
        "",
    )
    .await?;
    put(
        state,
        &ingrid,
        nordhavn,
        Some(&meetings),
        "2026-11-12 Steering committee.md",
        STEERING_V2.as_bytes(),
        "Nordhavn's corrections: go-live moved to week 12",
    )
    .await?;
    let spec = put(
        state,
        &sofia,
        nordhavn,
        None,
        "Conveyor specification.txt",
        SPEC.as_bytes(),
        "",
    )
    .await?;
    service::lock(
        &state.db,
        &ingrid,
        spec,
        true,
        state.config.documents.lock_duration,
    )
    .await?;

    // The supplier's quality space.
    let verdier = space(state, "verdier-supply-quality").await?;
    let certificates = folder(state, &lucas, verdier, None, "Certificates").await?;
    let certificate = put(
        state,
        &marc,
        verdier,
        Some(&certificates),
        "ISO 9001 certificate 2026.pdf",
        &pdf(&[
            "ATELIER VERDIER - Quality management",
            "",
            "Certificate of registration - ISO 9001:2015",
            "Scope: precision sheet metal work, welding and assembly.",
            "Valid from 2026-03-01 until 2029-02-28.",
            "Certificate number FR-QM-2026-0418",
        ]),
        "",
    )
    .await?;
    service::describe(
        &state.db,
        &marc,
        certificate,
        "",
        "ISO 9001, certificate, 2026",
    )
    .await?;
    let reports = folder(state, &lucas, verdier, None, "Inspection reports").await?;
    put(
        state,
        &lucas,
        verdier,
        Some(&reports),
        "Incoming inspection - batch 2611.md",
        INSPECTION.as_bytes(),
        "",
    )
    .await?;

    // HR: a folder only the space's managers see.
    let hr = space(state, "human-resources").await?;
    put(
        state,
        &thomas,
        hr,
        None,
        "Onboarding checklist.md",
        ONBOARDING.as_bytes(),
        "",
    )
    .await?;
    let salaries = folder(state, &thomas, hr, None, "Salary reviews").await?;
    folders::restrict(
        &state.db,
        &thomas,
        salaries.id,
        Some(Role::Manager),
        Vec::new(),
        Vec::new(),
    )
    .await?;
    put(
        state,
        &thomas,
        hr,
        Some(&salaries),
        "2027 salary review guidelines.md",
        SALARIES.as_bytes(),
        "",
    )
    .await?;

    // Engineering.
    let eng = space(state, "engineering").await?;
    let standards = folder(state, &julien, eng, None, "Standards").await?;
    put(
        state,
        &julien,
        eng,
        Some(&standards),
        "Coding standards.md",
        CODING.as_bytes(),
        "",
    )
    .await?;
    Ok(())
}

/// A one-page PDF with the given lines in Helvetica (ASCII only), with a
/// correct cross-reference table, so viewers and text extractors accept it.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 13 Tf 72 770 Td 20 TL\n");
    for line in lines {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!("({escaped}) Tj T*\n"));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A plan of a warehouse zone: conveyor lines, picking stations, a robot cell.
fn warehouse_plan() -> Result<Vec<u8>> {
    let (w, h) = (960u32, 600u32);
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([244, 246, 248]));
    let mut rect = |x0: u32, y0: u32, x1: u32, y1: u32, c: [u8; 3]| {
        for y in y0..y1.min(h) {
            for x in x0..x1.min(w) {
                img.put_pixel(x, y, image::Rgb(c));
            }
        }
    };
    rect(20, 20, 940, 26, [90, 100, 115]);
    rect(20, 574, 940, 580, [90, 100, 115]);
    rect(20, 20, 26, 580, [90, 100, 115]);
    rect(934, 20, 940, 580, [90, 100, 115]);
    for i in 0..3 {
        let y = 110 + i * 150;
        rect(80, y, 760, y + 28, [46, 111, 190]);
        for s in 0..5 {
            let x = 120 + s * 130;
            rect(x, y + 44, x + 60, y + 84, [11, 122, 90]);
        }
    }
    rect(790, 90, 900, 500, [214, 120, 40]);
    rect(810, 110, 880, 180, [250, 250, 250]);
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(out.into_inner())
}

const STEERING_V1: &str = "# Steering committee — 12 November 2026

**Present:** Sofia Almeida, Julien Moreau (Lumen); Ingrid Solberg, Erik Lund (Nordhavn)

## Decisions
1. Zone A layout v3 is approved, with the wider aisle near the robot cell.
2. Factory acceptance test in week 8.

## Planning

| Milestone | Week | Owner |
|---|---:|---|
| Conveyor delivery | 6 | Lumen |
| Factory acceptance test | 8 | Lumen + Nordhavn |
| Go-live | 10 | Nordhavn |
";

const STEERING_V2: &str = "# Steering committee — 12 November 2026

**Present:** Sofia Almeida, Julien Moreau (Lumen); Ingrid Solberg, Erik Lund (Nordhavn)

## Decisions
1. Zone A layout v3 is approved, with the wider aisle near the robot cell.
2. Factory acceptance test in week 8.
3. Go-live moves to week 12: the night shift needs two more weeks of training.

## Planning

| Milestone | Week | Owner |
|---|---:|---|
| Conveyor delivery | 6 | Lumen |
| Factory acceptance test | 8 | Lumen + Nordhavn |
| Training of the night shift | 9–11 | Nordhavn |
| Go-live | 12 | Nordhavn |
";

const SPEC: &str = "CONVEYOR SPECIFICATION — ZONE A (revision C)

1. Throughput: 2,400 totes per hour per line, three lines.
2. Tote size: 600 x 400 x 300 mm, up to 30 kg.
3. Speed: 0.8 m/s nominal, 1.2 m/s peak.
4. Noise: below 70 dB(A) at 1 m.
5. Emergency stops every 10 m and at each picking station.
6. Controls: PLC with OPC UA towards the warehouse management system.
";

const INSPECTION: &str = "# Incoming inspection — batch 2611

Supplier: Atelier Verdier · Part: welded bracket LB-2044 · Quantity: 400

| Check | Sample | Result |
|---|---:|---|
| Dimensions (±0.1 mm) | 32 | 32 conform |
| Weld penetration | 8 | 8 conform |
| Surface (no burrs) | 32 | 31 conform, 1 reworked |

**Decision:** accepted.
";

const ONBOARDING: &str = "# Onboarding checklist

- [x] Contract signed and filed
- [ ] Laptop and badge ready on day one
- [ ] Buddy assigned for the first month
- [ ] Safety training booked (north hall)
- [ ] Introduction to the intranet and to the partner portal
";

const SALARIES: &str = "# 2027 salary review guidelines

Confidential — managers of Human Resources only.

- Budget: 3.2 % of the payroll, plus 0.5 % for equity adjustments.
- Reviews are due by 15 January 2027.
";

const CODING: &str = "# Coding standards

- Every change is reviewed by someone else.
- Tests first for bugs: a failing test, then the fix.
- No secret in the repository; configuration comes from the environment.
";
