//! The search results page: hits with highlighted snippets, facets with
//! counts (type, space, file type), filters, sort and pages — every number
//! computed inside the engine for what the person may see.

use super::query::{PAGE, Request, Results};
use crate::app::AppState;
use crate::web::error::HttpError;
use crate::web::extract::{Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default, Clone)]
pub struct SearchQuery {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub space: Option<i64>,
    pub ext: Option<String>,
    /// A review state: `ReviewState`'s names; any other is ignored.
    pub state: Option<String>,
    pub author: Option<i64>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub sort: Option<String>,
    pub page: Option<usize>,
}

impl SearchQuery {
    /// The engine's request: unknown values are ignored rather than refused,
    /// so a hand-edited address still finds something.
    pub fn request(
        &self,
        locale: crate::service::Locale,
        kinds: &[&'static crate::content::ContentKind],
    ) -> Request {
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(|v| {
                    v.chars()
                        .filter(|c| c.is_alphanumeric())
                        .take(16)
                        .collect::<String>()
                })
                .filter(|v| !v.is_empty())
        };
        Request {
            q: self.q.clone().unwrap_or_default(),
            kind: clean(&self.kind).filter(|k| {
                crate::content::find(kinds, k).is_some_and(|kind| kind.search.is_some())
            }),
            space: self.space,
            ext: clean(&self.ext).map(|e| e.to_lowercase()),
            state: self
                .state
                .as_deref()
                .and_then(crate::documents::ReviewState::parse)
                .map(|s| s.as_str().to_string()),
            author: self.author,
            from: self.from,
            to: self.to,
            by_date: self.sort.as_deref() == Some("date"),
            recent: self.sort.as_deref() == Some("recent"),
            page: self.page.unwrap_or(0).min(500),
            locale,
        }
    }

    /// This search's address with one parameter changed (`None` removes it).
    fn with(&self, key: &str, value: Option<String>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        };
        let pick = |k: &str, own: Option<String>| if k == key { value.clone() } else { own };
        push("q", pick("q", self.q.clone()));
        push("type", pick("type", self.kind.clone()));
        push("space", pick("space", self.space.map(|s| s.to_string())));
        push("ext", pick("ext", self.ext.clone()));
        push("state", pick("state", self.state.clone()));
        push("author", pick("author", self.author.map(|a| a.to_string())));
        push("from", pick("from", self.from.map(|a| a.to_string())));
        push("sort", pick("sort", self.sort.clone()));
        if key == "page" {
            push("page", value.clone());
        }
        format!(
            "/search?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct ResultsPage {
    page: Chrome,
    query: SearchQuery,
    q: String,
    results: Results,
    space_names: HashMap<i64, String>,
    author_names: HashMap<i64, String>,
    /// Now, for "changed in the last N days" links.
    now: i64,
    current_page: usize,
    pages: usize,
}

impl ResultsPage {
    fn link(&self, key: &str, value: &str) -> String {
        let v = (!value.is_empty()).then(|| value.to_string());
        self.query.with(key, v)
    }

    fn space_name(&self, id: &i64) -> String {
        self.space_names.get(id).cloned().unwrap_or_default()
    }

    fn author_name(&self, id: &i64) -> String {
        self.author_names.get(id).cloned().unwrap_or_default()
    }

    fn since(&self, days: &u32) -> String {
        (self.now - i64::from(*days) * 86_400_000).to_string()
    }

    fn state_label(&self, state: &str) -> String {
        self.page.tr.t(&format!("docs-review-{state}")).to_string()
    }

    fn kind_label(&self, kind: &str) -> String {
        self.page.tr.t(&format!("search-kind-{kind}")).to_string()
    }

    fn is(&self, key: &str, value: &str) -> bool {
        match key {
            "type" => self.query.kind.as_deref() == Some(value),
            "space" => self.query.space.map(|s| s.to_string()).as_deref() == Some(value),
            "ext" => self.query.ext.as_deref() == Some(value),
            "state" => self.query.state.as_deref() == Some(value),
            "author" => self.query.author.map(|s| s.to_string()).as_deref() == Some(value),
            "sort" => self.query.sort.as_deref().unwrap_or("relevance") == value,
            _ => false,
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<SearchQuery>,
) -> Result<Response, HttpError> {
    let request = query.request(signed.ctx.tr.locale, state.kinds);
    let actor = signed.actor();
    let results = super::search(&state, &actor, request.clone()).await?;
    // Authors are named only when the person may see them.
    let mut author_names = HashMap::new();
    for (id, _) in &results.facets.authors {
        if let Ok(p) = crate::people::service::get(&state.db, &actor, *id).await {
            author_names.insert(*id, p.display_name);
        }
    }
    let space_names = crate::spaces::service::list(&state.db, &actor, None, 5_000)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let q: String = request
        .q
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let ctx = &signed.ctx;
    // A search is counted once, on its first page, as people type it here
    // (the API's callers, the filing form's hints among them, are not people searching).
    if request.page <= 1 && !q.trim().is_empty() {
        let p = &signed.viewer.principal;
        let found = results.total > 0;
        state.adoption.searched(p.org_id, ctx.portal.id, &q, found);
    }
    let pages = results.total.div_ceil(PAGE).min(500);
    let page = ResultsPage {
        page: Chrome::new(ctx, "search", ctx.tr.t("search-title")).with_query(q.trim()),
        q: q.trim().to_string(),
        current_page: request.page,
        pages,
        query,
        results,
        space_names,
        author_names,
        now: crate::util::now_ms(),
    };
    render(StatusCode::OK, &page)
}
