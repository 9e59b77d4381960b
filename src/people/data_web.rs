//! Pages and API of personal data: "download my data" in one's settings,
//! the same for administrators on anyone, and erasure with its confirmation.

use crate::app::AppState;
use crate::service::Error;
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Path, Signed};
use crate::web::page::render;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// Exports read the whole of someone's data: two at a time at most, so a
/// few clicks cannot take the server's disks and processors away.
static EXPORTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// Where archives are prepared before they are sent (removed as soon as open).
fn work_dir(state: &AppState) -> Result<std::path::PathBuf, Error> {
    let dir = state.config.data_dir.join("exports");
    crate::util::private_dir(&dir).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(dir)
}

/// Removes what an interrupted export left in the work directory.
pub fn sweep(data_dir: &std::path::Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(data_dir.join("exports")) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|a| a > age);
        if old {
            let p = e.path();
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
}

/// Prepares the archive of `person_id`'s data (their own when `own`) and
/// streams it.
async fn send(
    state: &AppState,
    actor: &crate::access::Actor,
    person_id: i64,
    own: bool,
) -> Result<Response, Error> {
    let _permit = EXPORTS.try_acquire().map_err(|_| Error::TooMany {
        retry_after: std::time::Duration::from_secs(60),
    })?;
    let out = work_dir(state)?.join(format!("{}.tar", crate::util::random_token(16)));
    if own {
        super::data_export::export_own(state, actor, &out).await?;
    } else {
        super::data_export::export_for(state, actor, person_id, &out).await?;
    }
    let file = tokio::fs::File::open(&out)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    // Unlinked at once: the open file is all that is left, gone when sent.
    let _ = tokio::fs::remove_file(&out).await;
    let len = file
        .metadata()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .len();
    let day = crate::util::format_ms(crate::util::now_ms());
    let name = format!("parvis-data-{person_id}-{}.tar", &day[..day.len().min(10)]);
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-tar"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `POST /account/data`: the signed-in person's own data.
pub async fn account_export(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, HttpError> {
    let me = signed.viewer.principal.person_id;
    Ok(send(&state, &signed.actor(), me, true).await?)
}

/// `POST /admin/people/{id}/data`: anyone's data, for an administrator.
pub async fn admin_export(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    crate::access::require_admin(&signed.actor())?;
    Ok(send(&state, &signed.actor(), id, false).await?)
}

/// `GET /api/v1/me/export`: the caller's own data.
pub async fn api_export(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Response, HttpError> {
    let me = caller.principal.person_id;
    Ok(send(&state, &caller.actor(), me, true).await?)
}

/// `POST /api/v1/people/{id}/erase` (admin scope).
pub async fn api_erase(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<axum::Json<super::erasure::Erased>, HttpError> {
    crate::web::api::require_scope(&caller, crate::auth::tokens::Scope::Admin)?;
    let erased = super::erasure::erase(&state.db, state.kinds, &caller.actor(), id).await?;
    Ok(axum::Json(erased))
}

#[derive(Template)]
#[template(path = "admin_erase.html")]
struct ErasePage {
    page: crate::web::page::Chrome,
    section: &'static str,
    person: super::Person,
    error: Option<String>,
    me: i64,
}

impl ErasePage {
    /// The person's name, or the neutral one in the page's language.
    fn name(&self) -> String {
        if self.person.erased {
            self.page.tr.t("person-erased-name").to_string()
        } else {
            self.person.display_name.clone()
        }
    }
}

/// `GET /admin/people/{id}/data`: export and erasure of one person's data.
pub async fn erase_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    crate::access::require_admin(&signed.actor())?;
    let person = super::service::get(&state.db, &signed.actor(), id).await?;
    erase_page(&signed, person, StatusCode::OK, None)
}

fn erase_page(
    signed: &Signed,
    person: super::Person,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let page = ErasePage {
        page: crate::web::page::Chrome::admin(&signed.ctx, "admin-people"),
        section: "admin-people",
        person,
        error,
        me: signed.viewer.principal.person_id,
    };
    render(status, &page)
}

/// `POST /admin/people/{id}/erase`.
pub async fn erase(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    match super::erasure::erase(&state.db, state.kinds, &signed.actor(), id).await {
        Ok(_) => Ok(Redirect::to("/admin/people?notice=person-erased").into_response()),
        Err(Error::Conflict(code)) => {
            let person = super::service::get(&state.db, &signed.actor(), id).await?;
            let text = signed.ctx.tr.t(&format!("error-{code}")).to_string();
            erase_page(&signed, person, StatusCode::CONFLICT, Some(text))
        }
        Err(e) => Err(e.into()),
    }
}
