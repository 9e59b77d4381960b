//! A flow as a search entry: found by its file's name, its template, its
//! steps and the comments of its decisions, by whoever may read the file
//! (its entry takes the file's access tokens, and follows the file's
//! entry when it moves or its folder's access changes). Notifications
//! name a flow by its file.

use super::store;
use crate::content::search::{Entry, Source};
use crate::service::Result;
use rusqlite::Connection;

pub const SOURCE: Source = Source {
    // As the files' own entries: none for a file in the trash.
    all: "SELECT f.id FROM approval_flows f LEFT JOIN documents d ON d.id = f.document_id
           WHERE f.request_id IS NOT NULL OR d.deleted_at IS NULL",
    load,
};

fn load(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let Some(flow) = store::flow(c, id)? else {
        return Ok(None);
    };
    let Some(load_document) = crate::documents::KIND.search.map(|s| s.load) else {
        return Ok(None);
    };
    // A flow is found as what it decides on is: a file (none in the trash,
    // or gone), or a request, by whoever may see them.
    let (file, current) = match flow.on {
        super::subject::On::Document(document) => {
            let Some(file) = load_document(c, document)? else {
                return Ok(None);
            };
            let current =
                crate::documents::store::document(c, document)?.map(|d| d.current_version);
            (file, current)
        }
        super::subject::On::Request(request) => {
            let load_request = crate::requests::kind::REQUEST.search.map(|s| s.load);
            let Some(entry) = load_request.map(|l| l(c, request)).transpose()?.flatten() else {
                return Ok(None);
            };
            // A request's flow is current while it decides on its bytes.
            let now = super::subject::Subject::request(c, request)?
                .filter(|s| s.is_at(&flow))
                .map(|_| flow.version_number);
            (entry, now)
        }
    };
    let mut body: Vec<String> = vec![flow.template_name.clone()];
    body.extend(flow.definition.steps.iter().map(|s| s.name.clone()));
    body.extend(
        store::decisions(c, id)?
            .into_iter()
            .map(|d| d.comment)
            .filter(|c| !c.is_empty()),
    );
    let updated = flow
        .finished_at
        .unwrap_or(flow.step_started_at)
        .max(flow.started_at);
    Ok(Some(Entry {
        allow: file.allow,
        restrict: file.restrict,
        context: Some(file.title.clone()),
        title: file.title,
        tags: flow.state.clone(),
        // As its file's library says it, while it is about the file's
        // current bytes: a cancelled flow, or one a newer version
        // superseded, has none.
        state: Some(super::flows::review_state(&flow.state))
            .filter(|s| *s != crate::documents::ReviewState::Draft)
            .filter(|_| current == Some(flow.version_number))
            .map(|s| s.as_str()),
        body: body.join("\n"),
        space: file.space,
        author: flow.started_by,
        updated,
        url: super::subject::url(flow.on),
        ..Entry::default()
    }))
}
