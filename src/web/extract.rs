//! Our own extractors: who is asking (`Signed`), and form/query/path
//! wrappers whose rejections become our localized errors, never axum's text.

use super::context::Ctx;
use super::error::HttpError;
use crate::auth::session::Viewer;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

/// A signed-in person. Anonymous visitors are sent to the sign-in page and
/// come back afterwards; someone who must change their password is sent to
/// their account page first.
pub struct Signed {
    pub ctx: Ctx,
    pub viewer: Viewer,
}

impl Signed {
    pub fn actor(&self) -> crate::access::Actor {
        crate::access::Actor::person(self.viewer.principal, self.ctx.ip)
    }
}

/// Paths a person who must change their password or enroll a second factor may still reach.
fn allowed_before_password_change(path: &str) -> bool {
    path.starts_with("/account") || path.starts_with("/signout") || path.starts_with("/language")
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(viewer) = ctx.viewer.clone() else {
            if ctx.path.starts_with("/api/") {
                return Err(
                    HttpError::new(StatusCode::UNAUTHORIZED, "unauthorized").into_response()
                );
            }
            let next = percent_encoding::utf8_percent_encode(
                &ctx.path,
                percent_encoding::NON_ALPHANUMERIC,
            );
            return Err(Redirect::to(&format!("/signin?next={next}")).into_response());
        };
        if viewer.must_change_password && !allowed_before_password_change(parts.uri.path()) {
            return Err(Redirect::to("/account#password").into_response());
        }
        if viewer.must_enroll_mfa && !allowed_before_password_change(parts.uri.path()) {
            return Err(Redirect::to("/account/security").into_response());
        }
        Ok(Signed { ctx, viewer })
    }
}

/// `axum::Form` with our error on rejection.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(rejection) => {
                let status = rejection.status();
                tracing::debug!(%rejection, "form rejected");
                Err(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::new(status, "too-large")
                } else if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    HttpError::new(status, "unsupported-media-type")
                } else {
                    HttpError::bad_request("form-invalid")
                })
            }
        }
    }
}

/// `axum::Json` with our error on rejection (the pages' own scripts and the API).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rejection) => {
                let status = rejection.status();
                tracing::debug!(%rejection, "json rejected");
                Err(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::new(status, "too-large")
                } else if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    HttpError::new(status, "unsupported-media-type")
                } else {
                    HttpError::bad_request("json-invalid")
                })
            }
        }
    }
}

/// `axum::extract::Query` with our error on rejection.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|_| HttpError::bad_request("query-invalid"))
    }
}

/// `axum::extract::Path` with our error on rejection: a path that does not
/// parse names nothing, so it is not found.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|_| HttpError::not_found())
    }
}

/// A same-site path to return to after a form, or `/`. Refuses anything that
/// could leave the site (`//host`, `/\host`, schemes).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\')
                && n.len() <= 2000 =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// A caller of the JSON API: a Bearer token (scripts), or the session of the
/// pages' own scripts. Unauthenticated calls get 401 problem+json.
pub struct ApiCaller {
    pub ctx: Ctx,
    pub principal: crate::access::Principal,
    pub scope: crate::auth::tokens::Scope,
    /// The token or the session the call came with.
    pub credential: crate::auth::Credential,
}

impl ApiCaller {
    pub fn actor(&self) -> crate::access::Actor {
        crate::access::Actor::person(self.principal, self.ctx.ip)
    }
}

/// Needs only the database (to check a Bearer token): any state that gives
/// one (`FromRef`), not the whole application.
impl<S> FromRequestParts<S> for ApiCaller
where
    S: Send + Sync,
    crate::db::Db: axum::extract::FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use crate::auth::tokens::{self, Scope};
        let db = <crate::db::Db as axum::extract::FromRef<S>>::from_ref(state);
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let unauthorized = |code: &'static str| {
            let mut res = HttpError::new(StatusCode::UNAUTHORIZED, code).into_response();
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"parvis\""),
            );
            res
        };
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(presented) = bearer {
            return match tokens::authenticate_token(&db, presented).await {
                Ok(Some((_, principal, _)))
                    if !crate::access::admitted_on(ctx.portal.as_ref(), &principal) =>
                {
                    Err(unauthorized("token-invalid"))
                }
                Ok(Some((id, principal, scope))) => Ok(ApiCaller {
                    ctx,
                    principal,
                    scope,
                    credential: crate::auth::Credential::Token(id),
                }),
                Ok(None) => Err(unauthorized("token-invalid")),
                Err(e) => Err(HttpError::from(e).into_response()),
            };
        }
        match &ctx.viewer {
            Some(v) => {
                let principal = v.principal;
                let scope = if principal.admin {
                    Scope::Admin
                } else {
                    Scope::Write
                };
                let credential = crate::auth::Credential::Session(v.session_id);
                Ok(ApiCaller {
                    ctx,
                    principal,
                    scope,
                    credential,
                })
            }
            None => Err(unauthorized("unauthorized")),
        }
    }
}

/// The fields of a multipart form, each at most `max` bytes (a larger one is refused).
pub async fn multipart_fields(
    multipart: axum::extract::Multipart,
    max: usize,
) -> Result<Vec<(String, Vec<u8>)>, HttpError> {
    Ok(multipart_parts(multipart, max, usize::MAX, 20)
        .await?
        .into_iter()
        .map(|p| (p.name, p.data))
        .collect())
}

/// One part of a multipart form: its field name, the file name a file
/// field came with, and its bytes.
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// The parts of a multipart form: each at most `max` bytes, all together at
/// most `total`, at most `count` of them; beyond, the form is refused whole.
pub async fn multipart_parts(
    mut multipart: axum::extract::Multipart,
    max: usize,
    total: usize,
    count: usize,
) -> Result<Vec<Part>, HttpError> {
    let too_large = || HttpError::new(axum::http::StatusCode::PAYLOAD_TOO_LARGE, "too-large");
    let mut out = Vec::new();
    let mut read = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    HttpError::bad_request("form-invalid")
                });
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let mut data = Vec::new();
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    read = read.saturating_add(chunk.len());
                    if data.len() + chunk.len() > max || read > total {
                        return Err(too_large());
                    }
                    data.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return Err(HttpError::bad_request("form-invalid")),
            }
        }
        out.push(Part {
            name,
            file_name,
            data,
        });
        if out.len() > count {
            return Err(HttpError::bad_request("form-invalid"));
        }
    }
    Ok(out)
}

/// The body length a request announced (`Content-Length`), if it is one.
pub fn declared_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/people?q=a")), "/people?q=a");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/a\nb",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
