//! `/api/v1`: a space's flow templates, a document's flows, one flow with
//! its decisions, deciding, the signed record, and checking a record.

use super::flows::Decision;
use super::service;
use super::service::{DecisionRow, FlowRow};
use super::subject::On;
use crate::app::AppState;
use crate::auth::tokens::Scope;
use crate::web::api::{created, require_scope, to_json};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Json, Path};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

type JsonResult = Result<axum::Json<Value>, HttpError>;

/// A flow as the API shows it: steps counted from 1.
pub fn flow_json(f: &FlowRow, decisions: &[DecisionRow], sealed: bool) -> Value {
    let step = f.definition.steps.get(f.step as usize);
    json!({
        "id": f.id,
        "template": {"id": f.template_id, "name": f.template_name, "version": f.template_version},
        "document": f.document_id().map(|id| json!({"id": id, "version": f.version_number, "blake3": f.blob_hash})),
        // On a request: the bytes decided on (its public side), which a
        // record verifies against, and the status it waits to enter.
        "request": f.request_id().map(|id| json!({"id": id, "version": f.version_number,
            "blake3": f.blob_hash, "snapshot": f.snapshot, "status": f.target_status})),
        "state": f.state,
        "step": f.step + 1,
        "step_name": step.map(|s| s.name.clone()),
        "steps": f.definition.steps.len(),
        "started_at": f.started_at,
        "finished_at": f.finished_at,
        "decisions": decisions.iter().map(|d| json!({
            "step": d.step + 1,
            "approver": d.approver_id.map(|id| json!({"id": id, "name": d.approver_name})),
            "on_behalf_of": d.on_behalf_of.map(|id| json!({"id": id, "name": d.on_behalf_of_name})),
            // A signatory without an account: their name, never their address.
            "signatory": d.signatory.as_ref().map(|_| json!({"name": d.approver_name})),
            "decision": d.decision,
            "comment": d.comment,
            "blake3": d.blob_hash,
            "decided_at": d.decided_at,
        })).collect::<Vec<_>>(),
        "record": sealed.then(|| format!("/api/v1/approvals/{}/record", f.id)),
    })
}

pub async fn templates(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
) -> JsonResult {
    let all = service::templates(&state.db, &caller.actor(), space).await?;
    Ok(axum::Json(json!({ "items": to_json(&all) })))
}

/// A space's bound folders.
pub async fn bindings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
) -> JsonResult {
    let all = service::bindings(&state.db, &caller.actor(), space).await?;
    Ok(axum::Json(json!({ "items": to_json(&all) })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindingBody {
    /// The template; `null` unbinds. Required: no default that can be wrong.
    template: Option<i64>,
}

/// Binds a folder to a template (files landing there start it), or unbinds it.
pub async fn bind(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(folder): Path<i64>,
    Json(body): Json<Value>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    // `template` must be said, as a number or null.
    let given = body
        .as_object()
        .filter(|o| o.len() == 1 && o.contains_key("template"));
    let Some(given) = given else {
        return Err(crate::service::Error::invalid("template", "approval-template-unknown").into());
    };
    let body: BindingBody = serde_json::from_value(Value::Object(given.clone()))
        .map_err(|_| crate::service::Error::invalid("template", "approval-template-unknown"))?;
    service::bind(&state.db, &caller.actor(), folder, body.template).await?;
    Ok(axum::Json(
        json!({"folder": folder, "template": body.template}),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    name: String,
    definition: Value,
}

pub async fn save_template(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(space): Path<i64>,
    Json(body): Json<TemplateBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let t = service::save_template(
        &state.db,
        &caller.actor(),
        space,
        &body.name,
        body.definition,
    )
    .await?;
    Ok(created(to_json(&t)))
}

pub async fn of_document(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(document): Path<i64>,
) -> JsonResult {
    of_subject(&state, &caller, On::Document(document)).await
}

pub async fn of_request(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(request): Path<i64>,
) -> JsonResult {
    of_subject(&state, &caller, On::Request(request)).await
}

async fn of_subject(state: &AppState, caller: &ApiCaller, on: On) -> JsonResult {
    let flows = service::of_subject(&state.db, &caller.actor(), on).await?;
    let items: Vec<Value> = flows
        .iter()
        .map(|(f, d, sealed)| flow_json(f, d, *sealed))
        .collect();
    Ok(axum::Json(json!({ "items": items })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestStartBody {
    /// The status the request waits to enter.
    status: String,
}

/// Asks for the approval a status of the request requires.
pub async fn start_on_request(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(request): Path<i64>,
    Json(body): Json<RequestStartBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let f = service::start_on_request(&state.db, &caller.actor(), request, &body.status).await?;
    Ok(created(flow_json(&f, &[], false)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    template: i64,
}

pub async fn start(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(document): Path<i64>,
    Json(body): Json<StartBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let f = service::start(&state.db, &caller.actor(), document, body.template).await?;
    Ok(created(flow_json(&f, &[], false)))
}

pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let (f, d, record) = service::flow(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(flow_json(&f, &d, record.is_some())))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    decision: String,
    /// Public: every reader of the file sees it.
    #[serde(default)]
    comment: String,
    /// A note to the flow's internal discussion, for the people of the
    /// host organization alone.
    #[serde(default)]
    internal_note: String,
    /// The BLAKE3 hash of the bytes the decision is made on (as the flow
    /// gave them): a file changed since is refused as stale.
    blake3: String,
}

pub async fn decide(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<DecisionBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let decision = Decision::parse(&body.decision)?;
    let actor = caller.actor();
    let said = (body.comment.as_str(), body.internal_note.as_str());
    service::decide_noting(&state.db, &actor, id, decision, said, &body.blake3).await?;
    let (f, d, record) = service::flow(&state.db, &actor, id).await?;
    Ok(axum::Json(flow_json(&f, &d, record.is_some())))
}

/// A flow's internal discussion.
pub async fn notes(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    let all = service::notes(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(json!({ "items": to_json(&all) })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    body: String,
}

/// Adds a note to a flow's internal discussion.
pub async fn note(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<NoteBody>,
) -> Result<Response, HttpError> {
    require_scope(&caller, Scope::Write)?;
    let note = service::note(&state.db, &caller.actor(), id, &body.body).await?;
    Ok(created(to_json(&note)))
}

/// Sends a flow's signatories new links.
pub async fn resend(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let links = service::resend(&state.db, &caller.actor(), id).await?;
    Ok(axum::Json(json!({ "links": links })))
}

/// Withdraws an open flow.
pub async fn withdraw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let actor = caller.actor();
    service::withdraw(&state.db, &actor, id).await?;
    let (f, d, record) = service::flow(&state.db, &actor, id).await?;
    Ok(axum::Json(flow_json(&f, &d, record.is_some())))
}

/// The caller's delegation, if any.
pub async fn delegation(State(state): State<AppState>, caller: ApiCaller) -> JsonResult {
    let d = service::delegation(&state.db, &caller.actor(), &state.time_zone).await?;
    Ok(axum::Json(json!({ "delegation": d })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationBody {
    /// The delegate; `null` ends the delegation.
    delegate: Option<i64>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

/// Sets the caller's delegation (dates in their time zone), or
/// ends it (`delegate: null`).
pub async fn delegate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Json(body): Json<DelegationBody>,
) -> JsonResult {
    require_scope(&caller, Scope::Write)?;
    let to = body
        .delegate
        .map(|id| (super::delegation::Who::Id(id), body.from, body.until));
    let d = service::delegate(&state.db, &caller.actor(), to, &state.time_zone).await?;
    Ok(axum::Json(json!({ "delegation": d })))
}

/// The flows waiting for the caller's decision.
pub async fn waiting(State(state): State<AppState>, caller: ApiCaller) -> JsonResult {
    let all = service::waiting(&state.db, &caller.actor()).await?;
    let items: Vec<Value> = all
        .iter()
        .map(|w| {
            let mut v = flow_json(&w.flow, &[], false);
            if let Some(o) = v.as_object_mut() {
                o.insert("document_name".into(), json!(w.document));
                o.insert("space_name".into(), json!(w.space));
            }
            v
        })
        .collect();
    Ok(axum::Json(json!({ "items": items })))
}

/// The signed record of a finished flow, as a file to keep.
pub async fn record(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (_, _, record) = service::flow(&state.db, &caller.actor(), id).await?;
    let record = record.ok_or_else(HttpError::not_found)?;
    let mut res =
        crate::web::download::attachment(&format!("approval-{id}.json"), record.into_bytes());
    res.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    Ok(res)
}

/// Checks a record (the body, JSON) against this instance. The record is
/// read whole; its signature covers its canonical form, not its layout.
pub async fn verify(
    State(state): State<AppState>,
    _caller: ApiCaller,
    Json(record): Json<Value>,
) -> JsonResult {
    let bytes = serde_json::to_vec(&record).map_err(|_| HttpError::bad_request("json-invalid"))?;
    let v = service::verify(&state.db, bytes, None).await?;
    let mut out = to_json(&v);
    if let Some(o) = out.as_object_mut() {
        o.insert("holds".into(), json!(v.holds()));
    }
    Ok(axum::Json(out))
}
