//! The approval operations, each in one transaction, for the pages, the
//! API, the CLI and the tests.

use super::bindings::Binding;
use super::flows::{self, Decision};
use super::record::Verdict;
pub use super::store::{DecisionRow, FlowRow};
use super::subject::{self, On, Subject};
use super::templates::{self, Template};
use crate::access::Actor;
use crate::access::SpaceAction;
use crate::db::Db;
use crate::service::Result;

pub async fn save_template(
    db: &Db,
    actor: &Actor,
    space: i64,
    name: &str,
    definition: serde_json::Value,
) -> Result<Template> {
    let (actor, name) = (*actor, name.to_string());
    db.write(move |tx| templates::save_in(tx, &actor, space, &name, &definition))
        .await
}

pub async fn start(db: &Db, actor: &Actor, document: i64, template: i64) -> Result<FlowRow> {
    let actor = *actor;
    db.write(move |tx| flows::start_in(tx, &actor, document, template))
        .await
}

pub async fn decide(
    db: &Db,
    actor: &Actor,
    flow: i64,
    decision: Decision,
    comment: &str,
    seen: &str,
) -> Result<FlowRow> {
    let (actor, comment, seen) = (*actor, comment.to_string(), seen.to_string());
    db.write(move |tx| flows::decide_in(tx, &actor, flow, decision, &comment, &seen))
        .await
}

/// As `decide`, with a note to the flow's internal discussion (`note`, if
/// not blank) in the same transaction: someone who may not write one is
/// refused and nothing is decided.
pub async fn decide_noting(
    db: &Db,
    actor: &Actor,
    flow: i64,
    decision: Decision,
    (comment, note): (&str, &str),
    seen: &str,
) -> Result<FlowRow> {
    let (actor, comment, seen) = (*actor, comment.to_string(), seen.to_string());
    let note = (!note.trim().is_empty()).then(|| note.to_string());
    db.write(move |tx| {
        // The decision is checked first (someone who may not see the flow
        // finds none); then whether they may write a note, then what they
        // wrote. A refusal rolls the whole back.
        let decided = flows::decide_in(tx, &actor, flow, decision, &comment, &seen)?;
        if let Some(note) = note {
            if !super::notes::allowed(tx, &actor, flow)? {
                return Err(crate::service::Error::invalid(
                    "internal_note",
                    "approval-note-internal",
                ));
            }
            let note = super::notes::clean(&note, "internal_note")?;
            super::notes::add_in(tx, &actor, flow, &note)?;
        }
        Ok(decided)
    })
    .await
}

/// Adds a note to a flow's internal discussion: to whoever may not take
/// part in it, there is none (not found), whatever they wrote.
pub async fn note(db: &Db, actor: &Actor, flow: i64, body: &str) -> Result<super::notes::Note> {
    let (actor, body) = (*actor, body.to_string());
    db.write(move |tx| {
        if !super::notes::allowed(tx, &actor, flow)? {
            return Err(crate::service::Error::NotFound);
        }
        let body = super::notes::clean(&body, "body")?;
        super::notes::add_in(tx, &actor, flow, &body)
    })
    .await
}

/// A flow's internal discussion, for those who take part in it.
pub async fn notes(db: &Db, actor: &Actor, flow: i64) -> Result<Vec<super::notes::Note>> {
    let actor = *actor;
    db.read(move |c| super::notes::of_flow(c, &actor, flow))
        .await
}

/// Binds a folder to a template of its space, or unbinds it (`None`).
pub async fn bind(db: &Db, actor: &Actor, folder: i64, template: Option<i64>) -> Result<()> {
    let actor = *actor;
    db.write(move |tx| super::bindings::bind_in(tx, &actor, folder, template))
        .await
}

/// A space's bound folders.
pub async fn bindings(db: &Db, actor: &Actor, space: i64) -> Result<Vec<Binding>> {
    let actor = *actor;
    db.read(move |c| super::bindings::of_space(c, &actor, space))
        .await
}

/// Sends a flow's signatories their links again: how many.
pub async fn resend(db: &Db, actor: &Actor, flow: i64) -> Result<i64> {
    let actor = *actor;
    db.write(move |tx| super::signatories::resend_in(tx, &actor, flow))
        .await
}

/// Withdraws an open flow (its starter, or a manager of its space).
pub async fn withdraw(db: &Db, actor: &Actor, flow: i64) -> Result<FlowRow> {
    let actor = *actor;
    db.write(move |tx| flows::withdraw_in(tx, &actor, flow))
        .await
}

/// A flow, its decisions and its record (once finished), as the actor may know them.
pub async fn flow(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> Result<(FlowRow, Vec<DecisionRow>, Option<String>)> {
    let actor = *actor;
    // Written: bringing a flow to its document's current version may move it.
    db.write(move |tx| {
        let (flow, _) = flows::visible(tx, &actor, id)?;
        let decisions = super::store::decisions(tx, id)?;
        let record = super::store::record_of(tx, id)?;
        Ok((flow, decisions, record))
    })
    .await
}

/// A space's flow templates, for those who read the space.
pub async fn templates(db: &Db, actor: &Actor, space: i64) -> Result<Vec<Template>> {
    let actor = *actor;
    db.read(move |c| templates::of_space(c, &actor, space))
        .await
}

/// A document's or a request's flows, newest first, each with its
/// decisions and whether it has its record.
pub async fn of_subject(db: &Db, actor: &Actor, on: On) -> Result<Flows> {
    let actor = *actor;
    db.write(move |tx| Ok(readable(tx, &actor, on)?.1)).await
}

/// The subject the actor may read, and its flows (each brought to what it
/// decides on now) with their decisions and whether each has its record.
type Flows = Vec<(FlowRow, Vec<DecisionRow>, bool)>;

fn readable(tx: &rusqlite::Transaction<'_>, actor: &Actor, on: On) -> Result<(Subject, Flows)> {
    let s = Subject::load(tx, on)?.ok_or(crate::service::Error::NotFound)?;
    subject::require(tx, actor, &s, SpaceAction::Read)?;
    let mut out = Vec::new();
    for f in super::store::of_subject(tx, on)? {
        let f = flows::follow_versions(tx, f)?;
        let decisions = super::store::decisions(tx, f.id)?;
        let sealed = super::store::record_of(tx, f.id)?.is_some();
        out.push((f, decisions, sealed));
    }
    Ok((s, out))
}

/// The approvals page of a file or a request: its name, its flows, and
/// what the reader may start — on a file, the space's templates; on a
/// request, the statuses that wait for an approval (key, flow name).
pub struct SubjectPage {
    pub name: String,
    /// The reader takes part in the flows' internal discussions.
    pub internal: bool,
    pub flows: Vec<PageFlow>,
    pub templates: Vec<(i64, String)>,
    pub statuses: Vec<(crate::requests::model::Named, String)>,
    /// On a request: its type's statuses, by name.
    pub status_names: Vec<crate::requests::model::Named>,
    pub can_start: bool,
}

/// A flow on its file's page, with what the reader may do with it.
pub struct PageFlow {
    pub flow: FlowRow,
    pub decisions: Vec<DecisionRow>,
    pub sealed: bool,
    /// The reader decides at its current step now.
    pub mine: bool,
    /// The reader may withdraw it: open, and theirs or in a space they manage.
    pub can_withdraw: bool,
    /// Its internal discussion, for people of the host organization
    /// (`None` for anyone else: they are not told there is one).
    pub notes: Option<Vec<super::notes::Note>>,
}

fn allowed(r: Result<()>) -> Result<bool> {
    match r {
        Ok(()) => Ok(true),
        Err(crate::service::Error::NotFound | crate::service::Error::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn subject_page(db: &Db, actor: &Actor, on: On) -> Result<SubjectPage> {
    let actor = *actor;
    // One transaction: the flows and what the reader may do with them.
    db.write(move |tx| {
        let (s, flows_of) = readable(tx, &actor, on)?;
        let me = actor.principal().map(|p| p.person_id);
        let manages = allowed(subject::require(tx, &actor, &s, SpaceAction::Manage))?;
        let can_start = allowed(subject::require(tx, &actor, &s, SpaceAction::Contribute))?;
        let internal = match on {
            On::Document(_) => allowed(
                crate::access::require_internal_folder(tx, &actor, s.space_id, s.folder_id)
                    .map(|_| ()),
            )?,
            On::Request(r) => {
                allowed(crate::access::requests::require_agent(tx, &actor, r).map(|_| ()))?
            }
        };
        let mut flows = Vec::with_capacity(flows_of.len());
        for (f, decisions, sealed) in flows_of {
            // Whom its step waits for (a decision asks again who may decide).
            let mine = f.state == "running"
                && match me {
                    Some(m) => {
                        super::store::waits_for(tx, m, f.id, crate::util::now_ms())?
                            && !super::store::barred(tx, &f, m)?
                    }
                    None => false,
                };
            let can_withdraw = f.is_open() && (me.is_some() && f.started_by == me || manages);
            let notes = if internal {
                Some(super::notes::notes(tx, f.id)?)
            } else {
                None
            };
            flows.push(PageFlow {
                flow: f,
                decisions,
                sealed,
                mine,
                can_withdraw,
                notes,
            });
        }
        let (mut templates, mut statuses) = (Vec::new(), Vec::new());
        let status_names = match on {
            On::Request(r) => crate::requests::work::statuses_of(tx, r)?
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            On::Document(_) => Vec::new(),
        };
        match on {
            On::Document(_) if can_start => {
                templates = templates::of_space(tx, &actor, s.space_id)?
                    .into_iter()
                    .filter(|t| !t.archived)
                    .map(|t| (t.id, t.name))
                    .collect();
            }
            On::Request(r) if can_start => statuses = gated(tx, &actor, r)?,
            _ => {}
        }
        Ok(SubjectPage {
            name: s.name,
            internal,
            flows,
            templates,
            statuses,
            status_names,
            can_start,
        })
    })
    .await
}

/// The statuses request `r` may wait for an approval to enter, from
/// where it is: (key, flow name).
fn gated(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    r: i64,
) -> Result<Vec<(crate::requests::model::Named, String)>> {
    let mut out = Vec::new();
    for (status, _) in crate::requests::work::statuses_of(tx, r)?
        .into_iter()
        .filter(|(_, gated)| *gated)
    {
        if let Ok(flow) = crate::requests::work::approval_for(tx, actor, r, &status.key) {
            out.push((status, flow));
        }
    }
    Ok(out)
}

/// Asks for the approval that lets request `request` into status `to`:
/// the flow its type names there starts on the request as it is now.
pub async fn start_on_request(db: &Db, actor: &Actor, request: i64, to: &str) -> Result<FlowRow> {
    let (actor, to) = (*actor, to.to_string());
    db.write(move |tx| {
        let name = crate::requests::work::approval_for(tx, &actor, request, &to)?;
        flows::start_on_request(tx, &actor, request, &to, &name)
    })
    .await
}

/// One flow waiting for its reader: the flow, its document's name, its space's.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub flow: FlowRow,
    pub document: String,
    pub space: String,
}

/// The running flows waiting for the actor's decision, the longest waiting
/// first (at most 200). Flows whose document has a new version are brought
/// to it first; a flow whose document they may no longer read is left out
/// (deciding asks again who may decide).
pub async fn waiting(db: &Db, actor: &Actor) -> Result<Vec<Waiting>> {
    let actor = *actor;
    let Some(me) = actor.principal().map(|p| p.person_id) else {
        return Ok(Vec::new());
    };
    let read = move |c: &rusqlite::Connection| -> Result<(Vec<Waiting>, Vec<i64>)> {
        let mut out = Vec::new();
        let mut behind = Vec::new();
        for f in super::store::waiting_for(c, me, crate::util::now_ms(), 200)? {
            let Some(d) = Subject::of_flow(c, &f)? else {
                continue;
            };
            if !d.is_at(&f) {
                behind.push(f.id);
                continue;
            }
            // Listed as someone's delegate, on a version of their own.
            if super::store::barred(c, &f, me)? {
                continue;
            }
            if subject::require(c, &actor, &d, SpaceAction::Read).is_err() {
                continue;
            }
            let space: String =
                c.query_row("SELECT name FROM spaces WHERE id = ?1", [d.space_id], |r| {
                    r.get(0)
                })?;
            out.push(Waiting {
                flow: f,
                document: d.name,
                space,
            });
        }
        Ok((out, behind))
    };
    let (list, behind) = db.read(read).await?;
    if behind.is_empty() {
        return Ok(list);
    }
    db.write(move |tx| {
        for id in behind {
            if let Some(f) = super::store::flow(tx, id)? {
                flows::follow_versions(tx, f)?;
            }
        }
        Ok::<_, crate::service::Error>(())
    })
    .await?;
    Ok(db.read(read).await?.0)
}

/// Checks a record (and the BLAKE3 hash of the document's bytes, if given)
/// against this instance.
pub async fn verify(db: &Db, record: Vec<u8>, document: Option<String>) -> Result<Verdict> {
    db.read(move |c| super::sealing::verify(c, &record, document.as_deref()))
        .await
}

/// The instance's record keys: the one it signs with, and those of
/// instances it was imported from.
pub async fn keys(db: &Db) -> Result<Vec<super::keys::PublicKey>> {
    db.read(super::keys::known).await
}

/// Sets the actor's delegation (`None`: ends it), its days in the actor's
/// time zone (the instance's, `tz`, if they chose none).
pub async fn delegate(
    db: &Db,
    actor: &Actor,
    to: Option<(super::delegation::Who, String, String)>,
    tz: &jiff::tz::TimeZone,
) -> Result<Option<super::delegation::Delegation>> {
    let (actor, tz) = (*actor, tz.clone());
    db.write(move |tx| {
        let to = to.as_ref().map(|(w, f, u)| (w, f.as_str(), u.as_str()));
        super::delegation::set_in(tx, &actor, to, &tz)
    })
    .await
}

/// The actor's delegation, if any.
pub async fn delegation(
    db: &Db,
    actor: &Actor,
    tz: &jiff::tz::TimeZone,
) -> Result<Option<super::delegation::Delegation>> {
    let (actor, tz) = (*actor, tz.clone());
    db.read(move |c| super::delegation::of(c, &actor, &tz))
        .await
}

/// What a signatory's link shows: who is asked, and with the grant their
/// browser holds, the version to decide on.
pub struct Signing {
    pub name: String,
    /// Their address, mostly hidden: the page says where the code goes
    /// without telling whoever holds the link.
    pub masked: String,
    pub code_live: bool,
    pub open: Option<SigningOpen>,
}

pub struct SigningOpen {
    pub document: String,
    pub template: String,
    pub step_name: String,
    pub version: i64,
    pub blake3: String,
    pub size: i64,
    /// The decisions made so far, with their public comments.
    pub decisions: Vec<DecisionRow>,
}

fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".into(),
    }
}

/// A signatory's link: `None` once it no longer works (used, replaced,
/// expired, the flow moved on, or never was).
pub async fn signing(db: &Db, token: &str, grant: Option<String>) -> Result<Option<Signing>> {
    // Anyone may try a link: only one that opens something takes the writer.
    if !link_opens(db, token, None).await? {
        return Ok(None);
    }
    let token = token.to_string();
    db.write(move |tx| {
        let Some((inv, flow)) = super::signatories::current(tx, &token, grant.as_deref())? else {
            return Ok(None);
        };
        let open = if inv.granted {
            let document = flow.document_id().ok_or(crate::service::Error::NotFound)?;
            let doc = crate::documents::store::document(tx, document)?
                .ok_or(crate::service::Error::NotFound)?;
            Some(SigningOpen {
                document: doc.name,
                template: flow.template_name.clone(),
                step_name: flow.step_name(),
                version: flow.version_number,
                blake3: flow.blob_hash.clone(),
                size: doc.size,
                // What was said on these bytes, nothing of other versions.
                decisions: super::store::decisions(tx, flow.id)?
                    .into_iter()
                    .filter(|d| d.blob_hash == flow.blob_hash)
                    .collect(),
            })
        } else {
            None
        };
        Ok(Some(Signing {
            masked: masked(&inv.email),
            name: inv.name,
            code_live: inv.code_live,
            open,
        }))
    })
    .await
}

/// Whether `token` is an open link (and `grant`, if given, opened it), read
/// without taking the writer.
async fn link_opens(db: &Db, token: &str, grant: Option<&str>) -> Result<bool> {
    let (token, grant) = (token.to_string(), grant.map(str::to_string));
    db.read(move |c| {
        let found = super::signatories::find(c, &token, grant.as_deref())?;
        Ok(found.is_some_and(|i| grant.is_none() || i.granted))
    })
    .await
}

/// Sends a signatory a one-time code, in the page's language.
pub async fn signing_code(
    db: &Db,
    i18n: &std::sync::Arc<crate::i18n::I18n>,
    token: &str,
    locale: crate::service::Locale,
) -> Result<()> {
    let (i18n, token) = (i18n.clone(), token.to_string());
    db.write(move |tx| super::signatories::send_code_in(tx, &i18n, &token, locale))
        .await
}

/// Tries a signatory's code.
pub async fn signing_open(db: &Db, token: &str, code: &str) -> Result<super::signatories::Opened> {
    let (token, code) = (token.to_string(), code.to_string());
    db.write(move |tx| super::signatories::open_in(tx, &token, &code))
        .await
}

/// The version a granted signatory may download, and nothing else:
/// (name, content type, content hash, size).
pub async fn signing_file(
    db: &Db,
    token: &str,
    grant: &str,
) -> Result<(String, String, String, i64)> {
    if !link_opens(db, token, Some(grant)).await? {
        return Err(crate::service::Error::NotFound);
    }
    let (token, grant) = (token.to_string(), grant.to_string());
    db.write(move |tx| {
        let (_, flow, doc) = super::signatories::granted(tx, &token, &grant)?;
        Ok((doc.name, doc.content_type, flow.blob_hash, doc.size))
    })
    .await
}

/// A granted signatory's decision.
pub async fn signing_decide(
    db: &Db,
    actor: &Actor,
    (token, grant): (&str, &str),
    decision: Decision,
    comment: &str,
) -> Result<FlowRow> {
    let (actor, token, grant, comment) = (
        *actor,
        token.to_string(),
        grant.to_string(),
        comment.to_string(),
    );
    db.write(move |tx| {
        super::signatories::decide_in(tx, &actor, (&token, &grant), decision, &comment)
    })
    .await
}
