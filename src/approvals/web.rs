//! The pages of approval flows: a file's flows (`/files/{id}/approvals`),
//! with the form that starts one and, for its approvers, the one that
//! decides; and the list of flows waiting for the reader (`/approvals`).

use super::flows::Decision;
use super::service;
use super::subject::{On, url};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Form, Path, Query, Signed};
use crate::web::notice::{self, Notice};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const NOTICES: &[Notice] = &[
    Notice::new("started", "approvals-notice-started"),
    Notice::new("decided", "approvals-notice-decided"),
    Notice::new("withdrawn", "approvals-notice-withdrawn"),
    Notice::new("noted", "approvals-notice-noted"),
    Notice::new("resent", "approvals-notice-resent"),
];

/// A flow as the page shows it.
struct FlowView {
    id: i64,
    template: String,
    state: String,
    step: i64,
    steps: usize,
    step_name: String,
    version: i64,
    blake3: String,
    started: String,
    decisions: Vec<DecisionView>,
    sealed: bool,
    /// The reader decides at the current step now.
    mine: bool,
    can_withdraw: bool,
    /// Its current step waits for signatories without an account.
    asks_signatories: bool,
    /// The internal discussion, for people of the host organization only.
    notes: Option<Vec<NoteView>>,
    /// On a request: the bytes decided on, and the status it waits to enter.
    snapshot: Option<String>,
    target: Option<String>,
}

struct NoteView {
    who: String,
    body: String,
    when: String,
}

struct DecisionView {
    step: i64,
    who: String,
    /// The approver a delegate decided for.
    for_whom: Option<String>,
    decision: String,
    comment: String,
    when: String,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct FlowsPage {
    page: Chrome,
    on_request: bool,
    /// The file's or the request's page, and this one.
    subject_url: String,
    base: String,
    name: String,
    flows: Vec<FlowView>,
    /// The reader may write internal notes (with a decision too).
    internal: bool,
    templates: Vec<(i64, String)>,
    /// On a request: the statuses that wait for an approval (key, name, flow).
    statuses: Vec<(String, String, String)>,
    can_start: bool,
    notice: Option<String>,
    error: Option<String>,
}

impl FlowsPage {
    /// The words of `key`, said of a request when the page is one's.
    fn say(&self, key: &str) -> String {
        if self.on_request {
            self.page.tr.t(&format!("{key}-request")).to_string()
        } else {
            self.page.tr.t(key).to_string()
        }
    }

    fn waits_for(&self, status: &str) -> String {
        self.page
            .tr
            .t1("approvals-request-waits", "status", status.to_string())
    }

    fn status_choice(&self, status: &str, flow: &str) -> String {
        self.page.tr.t2(
            "approvals-request-choice",
            ("status", status.to_string()),
            ("flow", flow.to_string()),
        )
    }

    fn state(&self, f: &FlowView) -> String {
        self.page
            .tr
            .t(&format!("approvals-state-{}", f.state))
            .to_string()
    }

    fn decision(&self, d: &DecisionView) -> String {
        self.page
            .tr
            .t(&format!("approvals-decision-{}", d.decision))
            .to_string()
    }

    fn at_step(&self, f: &FlowView) -> String {
        self.page.tr.t2(
            "approvals-at-step",
            ("step", format!("{} / {}", f.step, f.steps)),
            ("name", f.step_name.clone()),
        )
    }

    fn on_version(&self, f: &FlowView) -> String {
        self.page.tr.t1("approvals-on-version", "number", f.version)
    }

    fn started(&self, f: &FlowView) -> String {
        self.page
            .tr
            .t1("approvals-started", "when", f.started.clone())
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    notice: Option<String>,
}

async fn flows_page(
    state: &AppState,
    signed: &Signed,
    on: On,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let page = service::subject_page(&state.db, &actor, on).await?;
    let lang = signed.ctx.tr.code();
    let tab = match on {
        On::Document(_) => "spaces",
        On::Request(_) => "requests",
    };
    let chrome = Chrome::new(&signed.ctx, tab, &page.name);
    let names = &page.status_names;
    let flows = page
        .flows
        .into_iter()
        .map(
            |service::PageFlow {
                 flow: f,
                 decisions,
                 sealed,
                 mine,
                 can_withdraw,
                 notes,
             }| FlowView {
                id: f.id,
                template: f.template_name.clone(),
                step: f.step + 1,
                steps: f.definition.steps.len(),
                step_name: f.step_name(),
                version: f.version_number,
                blake3: f.blob_hash.clone(),
                started: chrome.datetime(&f.started_at),
                decisions: decisions
                    .iter()
                    .map(|d| DecisionView {
                        step: d.step + 1,
                        who: d
                            .approver_name
                            .clone()
                            .unwrap_or_else(|| chrome.tr.t("person-erased-name").to_string()),
                        for_whom: d
                            .on_behalf_of
                            .map(|_| d.on_behalf_of_name.clone().unwrap_or_default()),
                        decision: d.decision.clone(),
                        comment: d.comment.clone(),
                        when: chrome.datetime(&d.decided_at),
                    })
                    .collect(),
                asks_signatories: f.state == "running"
                    && super::signatories::asks(&f, f.step as usize),
                snapshot: f.snapshot,
                target: f.target_status.map(|key| {
                    names
                        .iter()
                        .find(|s| s.key == key)
                        .map(|s| s.name(lang).to_string())
                        .unwrap_or(key)
                }),
                state: f.state,
                sealed,
                mine,
                can_withdraw,
                notes: notes.map(|all| {
                    all.into_iter()
                        .map(|n| NoteView {
                            who: n
                                .author_name
                                .unwrap_or_else(|| chrome.tr.t("person-erased-name").to_string()),
                            body: n.body,
                            when: chrome.datetime(&n.created_at),
                        })
                        .collect()
                }),
            },
        )
        .collect();
    render(
        status,
        &FlowsPage {
            page: chrome,
            on_request: matches!(on, On::Request(_)),
            subject_url: match on {
                On::Document(id) => format!("/files/{id}"),
                On::Request(id) => format!("/requests/{id}"),
            },
            base: url(on),
            name: page.name,
            internal: page.internal,
            flows,
            templates: page.templates,
            statuses: page
                .statuses
                .iter()
                .map(|(s, flow)| (s.key.clone(), s.name(lang).to_string(), flow.clone()))
                .collect(),
            can_start: page.can_start,
            notice,
            error,
        },
    )
}

/// `GET /files/{id}/approvals`.
pub async fn document(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    shown(&state, &signed, On::Document(id), &q).await
}

/// `GET /requests/{id}/approvals`.
pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    shown(&state, &signed, On::Request(id), &q).await
}

async fn shown(
    state: &AppState,
    signed: &Signed,
    on: On,
    q: &PageQuery,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, NOTICES, q.notice.as_deref());
    flows_page(state, signed, on, StatusCode::OK, notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct RequestStartForm {
    /// No status is chosen for the reader: an empty choice is refused.
    #[serde(default)]
    status: String,
}

/// `POST /requests/{id}/approvals`: asks for the approval a status needs.
pub async fn start_on_request(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<RequestStartForm>,
) -> Result<Response, HttpError> {
    let done = service::start_on_request(&state.db, &signed.actor(), id, &form.status)
        .await
        .map(|_| ());
    after(&state, &signed, On::Request(id), done, "started").await
}

/// After a form: back to the flows with a notice, or the error said there.
async fn after(
    state: &AppState,
    signed: &Signed,
    on: On,
    done: crate::service::Result<()>,
    notice: &str,
) -> Result<Response, HttpError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("{}?notice={notice}", url(on))).into_response()),
        Err(e) => match crate::web::error::fixable_text(&signed.ctx.tr, &e) {
            Some(text) => {
                let status = crate::web::error::status_of(&e);
                flows_page(state, signed, on, status, None, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct StartForm {
    /// No template is chosen for the reader: an empty choice is refused.
    #[serde(default)]
    template: String,
}

/// `POST /files/{id}/approvals`.
pub async fn start(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<StartForm>,
) -> Result<Response, HttpError> {
    let done = match form.template.parse::<i64>() {
        Ok(t) => service::start(&state.db, &signed.actor(), id, t)
            .await
            .map(|_| ()),
        Err(_) => Err(crate::service::Error::invalid(
            "template",
            "approval-template-unknown",
        )),
    };
    after(&state, &signed, On::Document(id), done, "started").await
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
    /// For the internal discussion.
    #[serde(default)]
    note: String,
    #[serde(default)]
    blake3: String,
}

/// `POST /approvals/{id}/decide`.
pub async fn decide(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Result<Response, HttpError> {
    let actor = signed.actor();
    let (flow, ..) = service::flow(&state.db, &actor, id).await?;
    let done = match Decision::parse(&form.decision) {
        Ok(d) => {
            let said = (form.comment.as_str(), form.note.as_str());
            service::decide_noting(&state.db, &actor, id, d, said, &form.blake3)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    after(&state, &signed, flow.on, done, "decided").await
}

#[derive(Debug, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

/// What a form does to a flow, besides deciding.
enum Act<'a> {
    Note(&'a str),
    Resend,
    Withdraw,
}

/// Does `act` to flow `id`, then back to its file with a notice (or the
/// refusal said there).
async fn act_on(
    state: &AppState,
    signed: &Signed,
    id: i64,
    act: Act<'_>,
) -> Result<Response, HttpError> {
    let (db, actor) = (&state.db, signed.actor());
    let (flow, ..) = service::flow(db, &actor, id).await?;
    let (done, notice) = match act {
        Act::Note(body) => (
            service::note(db, &actor, id, body).await.map(|_| ()),
            "noted",
        ),
        Act::Resend => (service::resend(db, &actor, id).await.map(|_| ()), "resent"),
        Act::Withdraw => (
            service::withdraw(db, &actor, id).await.map(|_| ()),
            "withdrawn",
        ),
    };
    after(state, signed, flow.on, done, notice).await
}

/// `POST /approvals/{id}/notes`: a note to the flow's internal discussion.
pub async fn note(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> Result<Response, HttpError> {
    act_on(&state, &signed, id, Act::Note(&form.body)).await
}

/// `POST /approvals/{id}/resend`: the signatories' links sent again.
pub async fn resend(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    act_on(&state, &signed, id, Act::Resend).await
}

/// `POST /approvals/{id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    act_on(&state, &signed, id, Act::Withdraw).await
}

#[derive(Debug, Deserialize)]
pub struct DelegationForm {
    /// The delegate's address; nobody is chosen for the reader.
    #[serde(default)]
    delegate: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    /// `end` ends the delegation.
    #[serde(default)]
    action: String,
}

/// `POST /approvals/delegation`: sets or ends the reader's delegation.
pub async fn delegate(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<DelegationForm>,
) -> Result<Response, HttpError> {
    use super::delegation::Who;
    let end = form.action == "end";
    let to = (!end).then(|| (Who::Email(form.delegate.clone()), form.from, form.until));
    match service::delegate(&state.db, &signed.actor(), to, &state.time_zone).await {
        Ok(_) => {
            let notice = if end { "undelegated" } else { "delegated" };
            Ok(Redirect::to(&format!("/approvals?notice={notice}")).into_response())
        }
        Err(e) => match crate::web::error::fixable_text(&signed.ctx.tr, &e) {
            Some(text) => {
                let status = crate::web::error::status_of(&e);
                waiting_page(&state, &signed, status, None, Some(text)).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "approvals_waiting.html")]
struct WaitingPage {
    page: Chrome,
    /// (its page, what it decides on, the space, the step, since when)
    items: Vec<(String, String, String, String, String)>,
    delegation: Option<super::delegation::Delegation>,
    notice: Option<String>,
    error: Option<String>,
}

impl WaitingPage {
    fn delegated(&self, d: &super::delegation::Delegation) -> String {
        self.page.tr.format(
            "approvals-delegation-now",
            &[
                ("name", d.delegate_name.clone().into()),
                ("from", d.from.clone().into()),
                ("until", d.until.clone().into()),
            ],
        )
    }
}

const WAITING_NOTICES: &[Notice] = &[
    Notice::new("delegated", "approvals-notice-delegated"),
    Notice::new("undelegated", "approvals-notice-undelegated"),
];

/// `GET /approvals`: the flows waiting for the reader, and who decides in
/// their place while they are away.
pub async fn waiting(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::shown(&signed.ctx.tr, WAITING_NOTICES, q.notice.as_deref());
    waiting_page(&state, &signed, StatusCode::OK, notice, None).await
}

pub(super) async fn waiting_page(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let list = service::waiting(&state.db, &signed.actor()).await?;
    let delegation = service::delegation(&state.db, &signed.actor(), &state.time_zone).await?;
    let title = signed.ctx.tr.t("approvals-waiting-title").to_string();
    let page = Chrome::new(&signed.ctx, "home", &title);
    let items = list
        .into_iter()
        .map(|w| {
            (
                url(w.flow.on),
                w.document,
                w.space,
                w.flow.step_name(),
                page.datetime(&w.flow.step_started_at),
            )
        })
        .collect();
    render(
        status,
        &WaitingPage {
            page,
            items,
            delegation,
            notice,
            error,
        },
    )
}
