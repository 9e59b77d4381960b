//! A kind of content added by one line: the throwaway "note" below declares
//! itself once (a table, a search source, a blob column, an erasure rule, a
//! page and an API route), is added to the registry list, and nothing else.
//! It is then indexed and found only by those who may see it, exported,
//! its file kept while it refers to it and collected after, kept through
//! an erasure, and asked by the role matrix like every other route.

use crate::helpers::*;
use crate::role_matrix::{check_every_route, fixture};
use axum::extract::{Path, State};
use axum::routing::get;
use parvis::access::{self, SpaceAction};
use parvis::app::AppState;
use parvis::content::erasure::keep;
use parvis::content::export::{exported, plain};
use parvis::content::search::{Entry, Source};
use parvis::content::{BlobRef, ContentKind, Pages, Placement, Seen};
use parvis::service::Error;
use parvis::web::api::{Api, Endpoint, Need};
use parvis::web::csrf::Guard;
use parvis::web::error::HttpError;
use parvis::web::extract::{ApiCaller, Signed};
use rusqlite::OptionalExtension;

const SCHEMA: &str = "CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    blob_hash TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL DEFAULT 0
) STRICT;";

static NOTE: ContentKind = ContentKind {
    name: "note",
    placement: Placement::Space { space: "space_id" },
    tables: &[exported("notes", plain("notes", "id"))],
    search: Some(Source {
        all: "SELECT id FROM notes",
        load: note_entry,
    }),
    blobs: &[BlobRef {
        table: "notes",
        column: "blob_hash",
        live: "",
        required: true,
    }],
    erasure: &[keep("notes", "created_by", "a note stays with its space")],
    audit: &[],
    seen: Seen {
        by: note_seen,
        live: &[],
    },
    notify: parvis::content::NOBODY,
    talk: parvis::content::SILENT,
    pages: note_pages,
    api: note_api,
};

/// A note is known to its space's members.
fn note_seen(
    c: &rusqlite::Connection,
    p: &access::Principal,
    id: i64,
) -> parvis::service::Result<bool> {
    let space: Option<i64> = c
        .query_row("SELECT space_id FROM notes WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match space {
        Some(space) => access::seen::space(c, p, space),
        None => Ok(false),
    }
}

fn note_entry(c: &rusqlite::Connection, id: i64) -> parvis::service::Result<Option<Entry>> {
    let row = c
        .query_row(
            "SELECT space_id, title, updated_at FROM notes WHERE id = ?1",
            [id],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(space, title, updated)| Entry {
        allow: vec![access::search::space_token(space)],
        title,
        space: Some(space),
        updated,
        url: format!("/notes/{id}"),
        ..Entry::default()
    }))
}

/// The note's title, for whoever may read its space.
async fn title_for(state: &AppState, actor: access::Actor, id: i64) -> Result<String, HttpError> {
    Ok(state
        .db
        .read(move |c| {
            let (space, title): (i64, String) = c
                .query_row(
                    "SELECT space_id, title FROM notes WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or(Error::NotFound)?;
            access::require_space(c, &actor, space, SpaceAction::Read)?;
            Ok::<_, Error>(title)
        })
        .await?)
}

async fn note_page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<String, HttpError> {
    title_for(&state, signed.actor(), id).await
}

async fn note_json(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<serde_json::Value>, HttpError> {
    let title = title_for(&state, caller.actor(), id).await?;
    Ok(axum::Json(serde_json::json!({ "id": id, "title": title })))
}

fn note_pages(guard: &Guard) -> Pages {
    Pages::default().page("/notes/{id}", Need::SpaceRead, guard.on(get(note_page)))
}

fn note_api(api: Api, guard: &Guard) -> Api {
    api.add(
        Endpoint::new("get", "/api/v1/notes/{id}", "A note").need(Need::SpaceRead),
        guard.on(get(note_json)),
    )
}

#[tokio::test]
async fn a_kind_added_in_one_line_is_searched_exported_collected_erased_and_guarded() {
    // The one line: the registry list, with the note.
    let kinds: &'static [&'static ContentKind] = Box::leak(
        parvis::content::KINDS
            .iter()
            .copied()
            .chain([&NOTE])
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let app = TestApp::start_kinds(config, TempOrKept::Temp(dir), kinds, SCHEMA).await;
    let mut f = fixture(&app).await;

    // A note in the deal room, with a file of its own.
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let stored = app.state.blobs.put(&data).unwrap();
    let hash = stored.hash.clone();
    let contributor = app
        .count("SELECT id FROM people WHERE email = 'contrib@host.example'")
        .await;
    app.sql(&format!(
        "INSERT INTO notes (id, space_id, title, blob_hash, created_by, updated_at)
         VALUES (90, 50, 'Zanzibar shipment plan', '{hash}', {contributor}, 1)"
    ))
    .await;
    f.ids.insert("notes", 90);
    app.state
        .db
        .write(|tx| {
            parvis::search::sources::enqueue(tx, parvis::search::sources::Change::item(&NOTE, 90))
        })
        .await
        .unwrap();

    // Indexed, and found only by those who may see the deal room.
    let reader = f.tokens[2].clone().unwrap();
    let rival = f.tokens[1].clone().unwrap();
    app.until_search(&reader, "zanzibar", "the note is indexed", |v| {
        v["items"][0]["url"] == "/notes/90"
    })
    .await;
    let seen = app.search_api(&rival, "zanzibar").await;
    assert_eq!(seen["total"], 0, "{seen}");
    let known = app.search_api(&rival, "rival").await;
    assert!(known.get("items").is_some(), "{known}");
    // The type facet and filter know the kind.
    let typed = app
        .bare_client()
        .get(app.url("/api/v1/search?q=zanzibar&type=note"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(typed.status(), 200);
    let typed: serde_json::Value = typed.json().await.unwrap();
    assert_eq!(typed["total"], 1, "{typed}");

    // Its page and API route, asked by every kind of caller with the rest.
    let asked = check_every_route(&app, &f).await;
    assert!(asked > 150);

    // Exported.
    let out = tempfile::tempdir().unwrap();
    let to = out.path().join("export");
    parvis::ops::export::export(
        &app.state.config,
        kinds,
        &parvis::ops::export::Scope::Instance,
        &to,
        |_| {},
    )
    .unwrap();
    let notes = std::fs::read_to_string(to.join("notes.jsonl")).unwrap();
    assert!(notes.contains("Zanzibar shipment plan"), "{notes}");
    let readme = std::fs::read_to_string(to.join(parvis::ops::export::README)).unwrap();
    assert!(readme.contains("notes"), "{readme}");

    // Its file is kept while the note refers to it…
    let grace = std::time::Duration::ZERO;
    let gc = || parvis::content::collect_garbage(&app.state.db, &app.state.blobs, kinds, grace);
    gc().await.unwrap();
    gc().await.unwrap();
    assert!(
        app.state.blobs.path(&hash).unwrap().is_file(),
        "a file in use was collected"
    );

    // …kept through its author's erasure (the note stays, indexed again)…
    parvis::people::erasure::erase(
        &app.state.db,
        kinds,
        &parvis::access::Actor::cli(),
        contributor,
    )
    .await
    .unwrap();
    assert_eq!(
        app.count("SELECT count(*) FROM notes WHERE id = 90 AND created_by IS NOT NULL")
            .await,
        1
    );

    // The registry is what protects it: without the note, nothing would.
    let h = hash.clone();
    let (with, without) = app
        .state
        .db
        .read(move |c| {
            Ok::<_, Error>((
                parvis::content::blob_referenced(c, kinds, &h)?,
                parvis::content::blob_referenced(c, parvis::content::KINDS, &h)?,
            ))
        })
        .await
        .unwrap();
    assert!(with && !without);

    // …and collected once nothing refers to it.
    app.sql("DELETE FROM notes WHERE id = 90").await;
    gc().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    gc().await.unwrap();
    assert!(
        !app.state.blobs.path(&hash).unwrap().is_file(),
        "an unused file stayed"
    );
}
