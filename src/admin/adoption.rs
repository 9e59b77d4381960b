//! The adoption page (`/admin/adoption`) and its API: how many people use
//! the instance, per day and week, per portal and organization; the spaces
//! they use; what they search for in vain; uploads and downloads. Counts
//! only — never who did what. Each figure is a chart with its numbers as a
//! table and a CSV download, in the reader's language.

use super::require_admin;
use crate::adoption::figures::{self, Figures, Narrow, PERIODS};
use crate::app::AppState;
use crate::web::api::require_scope;
use crate::web::chart::{self, Bar};
use crate::web::error::HttpError;
use crate::web::extract::{ApiCaller, Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Which {
    #[serde(default)]
    days: Option<i64>,
    #[serde(default)]
    portal: Option<i64>,
    #[serde(default)]
    organization: Option<i64>,
    /// The page's one choice: `portal-ID` or `organization-ID` (empty: the
    /// whole instance).
    #[serde(default)]
    of: Option<String>,
    /// The CSV of one figure (its key).
    #[serde(default)]
    figure: Option<String>,
}

/// The figures asked for: a period offered, and narrowing to a portal or
/// an organization that exists (an unknown one is not found).
async fn read(
    state: &AppState,
    actor: &crate::access::Actor,
    w: &Which,
) -> Result<Figures, HttpError> {
    if w.portal.is_some() && w.organization.is_some() {
        return Err(HttpError::bad_request("adoption-narrow-one"));
    }
    let days = w.days.unwrap_or(30);
    if !PERIODS.contains(&days) {
        return Err(HttpError::bad_request("adoption-period"));
    }
    if let Some(p) = w.portal
        && state.portals.current().by_id(p).is_none()
    {
        return Err(HttpError::not_found());
    }
    if let Some(o) = w.organization {
        crate::organizations::service::get(&state.db, actor, o).await?;
    }
    let narrow = Narrow {
        portal: w.portal,
        org: w.organization,
    };
    let today = crate::adoption::today(&state.time_zone);
    Ok(state
        .db
        .read(move |c| figures::read(c, &today, days, &narrow))
        .await
        .map_err(crate::service::Error::from)?)
}

/// One figure as the page and its CSV show it.
struct Figure {
    key: &'static str,
    title: String,
    /// The SVG, empty when the table says it all.
    chart: String,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

struct Cell {
    text: String,
    /// A link narrowing the page to this row's portal or organization.
    href: Option<String>,
}

fn cell(text: impl ToString) -> Cell {
    Cell {
        text: text.to_string(),
        href: None,
    }
}

#[derive(Template)]
#[template(path = "admin_adoption.html")]
struct AdoptionPage {
    page: Chrome,
    section: &'static str,
    f: Figures,
    figures: Vec<Figure>,
    periods: Vec<(i64, String)>,
    portals: Vec<(i64, String)>,
    orgs: Vec<(i64, String)>,
    narrowed: Option<String>,
    query: String,
    portal: Option<i64>,
    organization: Option<i64>,
}

impl AdoptionPage {
    fn is(&self, chosen: &Option<i64>, id: &i64) -> bool {
        *chosen == Some(*id)
    }

    fn range(&self) -> String {
        self.page.tr.t2(
            "adoption-range",
            ("from", self.f.from.clone()),
            ("to", self.f.to.clone()),
        )
    }

    fn split(&self) -> String {
        self.page.tr.t2(
            "adoption-split",
            ("internal", self.f.totals.internal.to_string()),
            ("external", self.f.totals.external.to_string()),
        )
    }

    fn missed_share(&self) -> String {
        let t = &self.f.totals;
        if t.searches == 0 {
            return "—".into();
        }
        format!(
            "{} %",
            (t.searches_missed * 100 + t.searches / 2) / t.searches
        )
    }
}

/// The figures as tables (and charts): the same rows make the CSV.
fn figures_of(f: &Figures, page: &Chrome, colour: &str, query: &str) -> Vec<Figure> {
    let tr = &page.tr;
    let t = |k: &str| tr.t(k).to_string();
    let day_label = |d: &str| d.get(5..).unwrap_or(d).to_string();
    let people_rows = |rows: &[figures::Row], param: &str| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| {
                vec![
                    Cell {
                        text: r.name.clone(),
                        href: Some(format!("/admin/adoption?{query}{param}={}", r.id)),
                    },
                    cell(r.today),
                    cell(r.week),
                    cell(r.period),
                    cell(crate::i18n::decimal(r.per_day, 1, tr.locale)),
                ]
            })
            .collect()
    };
    let people_head = |first: &str| {
        vec![
            t(first),
            t("adoption-today"),
            t("adoption-last-7"),
            t("adoption-in-period"),
            t("adoption-per-day"),
        ]
    };
    vec![
        Figure {
            key: "days",
            title: t("adoption-per-day-title"),
            chart: chart::columns(
                &f.per_day
                    .iter()
                    .map(|d| Bar {
                        label: day_label(&d.day),
                        value: d.active as f64,
                        shown: d.active.to_string(),
                    })
                    .collect::<Vec<_>>(),
                colour,
            ),
            head: vec![
                t("adoption-day"),
                t("adoption-active"),
                t("adoption-uploads"),
                t("adoption-downloads"),
            ],
            rows: f
                .per_day
                .iter()
                .map(|d| {
                    vec![
                        cell(&d.day),
                        cell(d.active),
                        cell(d.uploads),
                        cell(d.downloads),
                    ]
                })
                .collect(),
        },
        Figure {
            key: "weeks",
            title: t("adoption-per-week-title"),
            chart: chart::columns(
                &f.per_week
                    .iter()
                    .map(|w| Bar {
                        label: day_label(&w.starts),
                        value: w.active as f64,
                        shown: w.active.to_string(),
                    })
                    .collect::<Vec<_>>(),
                colour,
            ),
            head: vec![t("adoption-week-of"), t("adoption-active")],
            rows: f
                .per_week
                .iter()
                .map(|w| vec![cell(&w.starts), cell(w.active)])
                .collect(),
        },
        Figure {
            key: "portals",
            title: t("adoption-by-portal"),
            chart: String::new(),
            head: people_head("adoption-portal"),
            rows: people_rows(&f.by_portal, "portal"),
        },
        Figure {
            key: "organizations",
            title: t("adoption-by-org"),
            chart: String::new(),
            head: people_head("adoption-organization"),
            rows: people_rows(&f.by_org, "organization"),
        },
        Figure {
            key: "spaces",
            title: t("adoption-top-spaces"),
            chart: chart::bars(
                &f.top_spaces
                    .iter()
                    .map(|s| Bar {
                        label: s.name.clone(),
                        value: s.people as f64,
                        shown: s.people.to_string(),
                    })
                    .collect::<Vec<_>>(),
                colour,
            ),
            head: vec![
                t("adoption-space"),
                t("adoption-people"),
                t("adoption-uploads"),
                t("adoption-downloads"),
            ],
            rows: f
                .top_spaces
                .iter()
                .map(|s| {
                    vec![
                        Cell {
                            text: s.name.clone(),
                            href: Some(format!("/spaces/{}", s.slug)),
                        },
                        cell(s.people),
                        cell(s.uploads),
                        cell(s.downloads),
                    ]
                })
                .collect(),
        },
        Figure {
            key: "misses",
            title: t("adoption-misses"),
            chart: String::new(),
            head: vec![t("adoption-query"), t("adoption-times")],
            rows: f
                .misses
                .iter()
                .map(|m| vec![cell(&m.query), cell(m.count)])
                .collect(),
        },
    ]
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(w): Query<Which>,
) -> Result<Response, HttpError> {
    require_admin(&signed)?;
    let actor = signed.actor();
    let mut w = w;
    if let Some(of) = w.of.take().filter(|o| !o.is_empty()) {
        let (kind, id) = of.split_once('-').ok_or_else(HttpError::not_found)?;
        let id: i64 = id.parse().map_err(|_| HttpError::not_found())?;
        if w.portal.is_some() || w.organization.is_some() {
            return Err(HttpError::bad_request("adoption-narrow-one"));
        }
        match kind {
            "portal" => w.portal = Some(id),
            "organization" => w.organization = Some(id),
            _ => return Err(HttpError::not_found()),
        }
    }
    let f = read(&state, &actor, &w).await?;
    let page = Chrome::admin(&signed.ctx, "admin-adoption");
    let mut query = format!("days={}&", f.days);
    let narrowing = match (w.portal, w.organization) {
        (Some(p), _) => format!("portal={p}&"),
        (None, Some(o)) => format!("organization={o}&"),
        _ => String::new(),
    };
    let figures = figures_of(&f, &page, &signed.ctx.portal.primary_color, &query);
    query.push_str(&narrowing);
    if let Some(key) = w.figure.as_deref() {
        let figure = figures
            .into_iter()
            .find(|x| x.key == key)
            .ok_or_else(|| HttpError::bad_request("dashboard-figure"))?;
        return csv(&figure);
    }
    let portals: Vec<(i64, String)> = state
        .portals
        .current()
        .all()
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect();
    let orgs: Vec<(i64, String)> = crate::organizations::service::list(&state.db, &actor)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let narrowed = w
        .portal
        .and_then(|p| portals.iter().find(|(id, _)| *id == p))
        .or_else(|| {
            w.organization
                .and_then(|o| orgs.iter().find(|(id, _)| *id == o))
        })
        .map(|(_, name)| name.clone());
    let periods = PERIODS
        .iter()
        .map(|d| {
            (
                *d,
                page.tr.t1("adoption-days", "n", d.to_string()).to_string(),
            )
        })
        .collect();
    render(
        StatusCode::OK,
        &AdoptionPage {
            page,
            section: "admin-adoption",
            f,
            figures,
            periods,
            portals,
            orgs,
            narrowed,
            query,
            portal: w.portal,
            organization: w.organization,
        },
    )
}

fn csv(figure: &Figure) -> Result<Response, HttpError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| HttpError::from(crate::service::Error::Internal(e.to_string()));
    out.write_record(&figure.head).map_err(bad)?;
    for row in &figure.rows {
        out.write_record(row.iter().map(|c| c.text.as_str()))
            .map_err(bad)?;
    }
    let body = out.into_inner().map_err(|e| bad(e.into_error().into()))?;
    let name = format!("adoption-{}.csv", figure.key);
    Ok(crate::web::download::csv(&name, body))
}

/// `GET /api/v1/admin/adoption`: the same figures as JSON.
pub async fn api(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(w): Query<Which>,
) -> Result<axum::Json<Figures>, HttpError> {
    require_scope(&caller, crate::auth::tokens::Scope::Admin)?;
    let actor = caller.actor();
    crate::access::require_admin(&actor)?;
    if w.figure.is_some() || w.of.is_some() {
        return Err(HttpError::bad_request("query-invalid"));
    }
    Ok(axum::Json(read(&state, &actor, &w).await?))
}
