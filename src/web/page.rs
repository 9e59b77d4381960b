//! The page frame every HTML page shares (portal, navigation, search box, user
//! menu, language switch) and the error pages.

use super::assets;
use super::context::Ctx;
use super::error::ErrorInfo;
use crate::i18n::{Tr, time};
use crate::service::Locale;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The signed-in person, as the header shows them.
pub struct ChromeViewer {
    pub name: String,
    pub initials: String,
    pub email: String,
    pub admin: bool,
    /// Staff of the host organization (externals get wording meant for them).
    pub internal: bool,
}

pub struct LangChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub active: bool,
}

/// What the layout needs; every page template has one as `page`.
pub struct Chrome {
    pub tr: Tr,
    pub lang: &'static str,
    pub portal_name: String,
    pub viewer: Option<ChromeViewer>,
    pub csrf: String,
    /// Which navigation entry is current.
    pub nav: &'static str,
    pub css: String,
    pub js: String,
    pub logo: String,
    pub favicon: String,
    /// The favicon's media type (empty: let the browser tell).
    pub favicon_type: String,
    /// The portal's welcome text in the page's language (else the other's).
    pub welcome: String,
    /// The portal's footer links: legal notice, support (target, shown text).
    pub legal_url: String,
    pub support: Option<(String, String)>,
    /// Path and query of this page, to come back after switching language.
    pub here: String,
    pub query: String,
    pub languages: Vec<LangChoice>,
    pub title: String,
    /// The viewer's time zone (their profile's, else the instance's).
    pub tz: jiff::tz::TimeZone,
}

/// The URL of the logo a portal shows in the header.
pub fn logo_url(portal: &crate::portals::model::Portal) -> String {
    match &portal.logo_etag {
        Some(tag) => format!("/portal/logo?v={tag}"),
        None => super::assets::url("img/logo.svg"),
    }
}

/// The URL and media type of the icon browsers show in tabs: the portal's
/// favicon, else its uploaded logo, else the built-in one.
pub fn favicon_of(portal: &crate::portals::model::Portal) -> (String, String) {
    match (
        &portal.favicon_etag,
        &portal.favicon_type,
        &portal.logo_etag,
    ) {
        (Some(tag), Some(kind), _) => (format!("/portal/favicon?v={tag}"), kind.clone()),
        (_, _, Some(_)) => (logo_url(portal), String::new()),
        _ => (super::assets::url("img/logo.svg"), "image/svg+xml".into()),
    }
}

impl Chrome {
    /// The chrome of an administration page, titled by `title_key`.
    pub fn admin(ctx: &Ctx, title_key: &str) -> Chrome {
        Chrome::new(ctx, "admin", ctx.tr.t(title_key))
    }

    pub fn new(ctx: &Ctx, nav: &'static str, title: &str) -> Chrome {
        let viewer = ctx.viewer.as_ref().map(|v| ChromeViewer {
            initials: v
                .display_name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .take(2)
                .flat_map(char::to_uppercase)
                .collect(),
            name: v.display_name.clone(),
            email: v.email.clone(),
            admin: v.principal.admin,
            internal: v.principal.internal,
        });
        let (favicon, favicon_type) = favicon_of(&ctx.portal);
        let support = ctx
            .portal
            .support_href()
            .map(|href| (href, ctx.portal.support_contact.clone()));
        Chrome {
            tr: ctx.tr.clone(),
            lang: ctx.tr.code(),
            portal_name: ctx.portal.name.clone(),
            viewer,
            csrf: ctx.csrf.clone(),
            nav,
            css: assets::url("css/parvis.css"),
            js: assets::url("js/parvis.js"),
            logo: logo_url(&ctx.portal),
            favicon,
            favicon_type,
            welcome: ctx.portal.welcome(ctx.tr.locale).to_string(),
            legal_url: ctx.portal.legal_url.clone(),
            support,
            here: ctx.path.clone(),
            query: String::new(),
            languages: Locale::ALL
                .iter()
                .map(|l| LangChoice {
                    code: l.code(),
                    name: l.native_name(),
                    active: *l == ctx.tr.locale,
                })
                .collect(),
            title: title.to_string(),
            tz: ctx.tz.clone(),
        }
    }

    pub fn with_query(mut self, q: &str) -> Chrome {
        self.query = q.to_string();
        self
    }

    /// "Manager", "Responsable"… for a role code.
    pub fn role_label<'a>(&'a self, role: &'a str) -> &'a str {
        match role {
            "reader" => self.tr.t("role-reader"),
            "contributor" => self.tr.t("role-contributor"),
            "manager" => self.tr.t("role-manager"),
            other => other,
        }
    }

    /// "person", "group", "whole organization" in the page's language.
    pub fn member_kind_label(&self, kind: &str) -> &str {
        match kind {
            "person" => self.tr.t("member-kind-person"),
            "group" => self.tr.t("member-kind-group"),
            _ => self.tr.t("member-kind-organization"),
        }
    }

    /// Whether the viewer is staff: internal notions (who may see a space,
    /// whether it is shared outside) are shown to them only.
    pub fn internal(&self) -> bool {
        self.viewer.as_ref().is_some_and(|v| v.internal)
    }

    /// A space member's name as the page says it: an organization member is
    /// "everyone at" it.
    pub fn member_name(&self, kind: &str, name: &str) -> String {
        match kind {
            "organization" => self.tr.t1("member-everyone-at", "org", name.to_string()),
            _ => name.to_string(),
        }
    }

    /// An inline SVG icon (see `icons`), for `{{ page.icon("folder")|safe }}`.
    pub fn icon(&self, name: &str) -> &'static str {
        super::icons::svg(name)
    }

    /// A date and time in the viewer's time zone and language.
    pub fn datetime(&self, ms: &i64) -> String {
        time::format_datetime(*ms, self.tr.locale, &self.tz)
    }

    /// A date in the viewer's time zone and language.
    pub fn date(&self, ms: &i64) -> String {
        time::format_date(*ms, self.tr.locale, &self.tz)
    }

    /// How long ago, as people say it ("2 hours ago"), up to a week; the
    /// date beyond.
    pub fn ago(&self, ms: &i64) -> String {
        time::relative(*ms, crate::util::now_ms(), &self.tr, &self.tz)
    }

    /// A size in bytes as people read it (`1.4 MB`, `1,4 Mo`).
    pub fn size(&self, bytes: &i64) -> String {
        crate::i18n::human_size(*bytes, self.tr.locale)
    }

    /// The instant for `<time datetime>`, in RFC 3339.
    pub fn iso(&self, ms: &i64) -> String {
        time::iso(*ms)
    }
}

/// Marks a response as a refusal to try again yet (429), saying for how long:
/// every 429 carries `Retry-After`, whichever page or API answers it.
pub fn too_many(mut res: Response, wait: std::time::Duration) -> Response {
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// Renders a template into a response with the given status.
pub fn render<T: Template>(
    status: StatusCode,
    page: &T,
) -> Result<Response, super::error::HttpError> {
    let html = page.render()?;
    Ok((status, Html(html)).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Chrome,
    status: u16,
    heading: String,
    message: String,
    request_id: String,
    signin: bool,
}

fn message_for(tr: &Tr, status: StatusCode, info: &ErrorInfo) -> (String, String) {
    let s = status.as_u16();
    let heading_key = format!("error-{s}-title");
    let heading = if tr.has(&heading_key) {
        tr.t(&heading_key)
    } else if status.is_server_error() {
        tr.t("error-500-title")
    } else {
        tr.t("error-400-title")
    }
    .to_string();
    let code_key = format!("error-{}", info.code);
    let message = if let Some(wait) = info.retry_after {
        tr.t1("throttle-wait", "seconds", wait.as_secs().max(1))
    } else if let (Some(item), true) = (&info.item, tr.has(&code_key)) {
        tr.t1(&code_key, "item", item.to_string())
    } else if tr.has(&code_key) {
        tr.t(&code_key).to_string()
    } else if status.is_server_error() {
        tr.t("error-internal").to_string()
    } else {
        tr.t("error-bad-request").to_string()
    };
    (heading, message)
}

/// An error page (or problem+json) in the visitor's language; no internal detail ever.
pub fn render_error(ctx: &Ctx, status: StatusCode, info: ErrorInfo, json: bool) -> Response {
    let (heading, message) = message_for(&ctx.tr, status, &info);
    let res = if json {
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": heading,
            "status": status.as_u16(),
            "detail": message,
            "code": info.code,
            "request_id": ctx.request_id,
        });
        if let Some(field) = info.field {
            body["field"] = field.into();
        }
        if let Some(item) = &info.item {
            body["item"] = item.as_ref().into();
        }
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else {
        let page = ErrorPage {
            page: Chrome::new(ctx, "", &heading),
            status: status.as_u16(),
            heading,
            message,
            request_id: ctx.request_id.clone(),
            signin: status == StatusCode::UNAUTHORIZED && ctx.viewer.is_none(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page rendering failed");
                (
                    status,
                    Html(format!(
                        "<!doctype html><title>{}</title><h1>{}</h1>",
                        status.as_u16(),
                        status.as_u16()
                    )),
                )
                    .into_response()
            }
        }
    };
    match info.retry_after {
        Some(wait) if status == StatusCode::TOO_MANY_REQUESTS => too_many(res, wait),
        _ => res,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use crate::portals::Portal;
    use std::sync::Arc;
    use std::time::Duration;

    fn ctx(locale: Locale) -> Ctx {
        let i18n = Arc::new(I18n::load().expect("locales"));
        Ctx {
            ip: None,
            secure: true,
            tr: Tr::new(i18n, locale),
            portal: Arc::new(Portal {
                id: 1,
                name: "Lumen".into(),
                ..Portal::fallback()
            }),
            viewer: None,
            csrf: "t".repeat(43),
            path: "/x".into(),
            request_id: "req-123".into(),
            user_agent: String::new(),
            host: "localhost".into(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    async fn body(res: Response) -> String {
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn error_pages_in_both_languages_leak_nothing() {
        let cases = [
            (
                Locale::En,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side",
            ),
            (
                Locale::Fr,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Une erreur est survenue de notre côté",
            ),
            (Locale::En, StatusCode::FORBIDDEN, "csrf", "Not allowed"),
            (
                Locale::Fr,
                StatusCode::FORBIDDEN,
                "csrf",
                "Action non autorisée",
            ),
            (
                Locale::En,
                StatusCode::NOT_FOUND,
                "not-found",
                "Page not found",
            ),
            (
                Locale::Fr,
                StatusCode::NOT_FOUND,
                "not-found",
                "Page introuvable",
            ),
        ];
        for (locale, status, code, title) in cases {
            let res = render_error(&ctx(locale), status, ErrorInfo::code(code), false);
            assert_eq!(res.status(), status);
            let html = body(res).await;
            assert!(html.contains(title), "{locale:?} {status}: {html}");
            assert!(
                html.contains("req-123"),
                "the request id helps the administrator"
            );
        }
    }

    #[tokio::test]
    async fn too_many_requests_says_how_long_to_wait() {
        for (locale, text) in [
            (Locale::En, "wait 42 seconds"),
            (Locale::Fr, "patienter 42 secondes"),
        ] {
            let info = ErrorInfo {
                retry_after: Some(Duration::from_secs(42)),
                ..ErrorInfo::code("too-many")
            };
            let res = render_error(&ctx(locale), StatusCode::TOO_MANY_REQUESTS, info, false);
            assert_eq!(res.headers()[header::RETRY_AFTER], "42");
            let html = body(res).await;
            assert!(html.contains(text), "{html}");
        }
        let info = ErrorInfo {
            retry_after: Some(Duration::from_secs(3)),
            ..ErrorInfo::code("too-many")
        };
        let res = render_error(&ctx(Locale::En), StatusCode::TOO_MANY_REQUESTS, info, true);
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
    }
}
