//! The dashboard page: each figure drawn as SVG in the portal's colour,
//! with its numbers as a table and a CSV download; in the reader's
//! language.

use super::dashboard::{self, Dashboard};
use crate::app::AppState;
use crate::web::chart::{self, Bar};
use crate::web::error::HttpError;
use crate::web::extract::{Query, Signed};
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Which {
    #[serde(default)]
    organization: Option<i64>,
    /// The CSV of one figure: `types` or `months`.
    #[serde(default)]
    figure: Option<String>,
}

#[derive(Template)]
#[template(path = "request_dashboard.html")]
struct DashboardPage {
    page: Chrome,
    d: Dashboard,
    types_chart: String,
    months_chart: String,
    ratings_chart: String,
    query: String,
}

impl DashboardPage {
    fn type_name(&self, t: &super::model::Named) -> String {
        t.name(self.page.lang).to_string()
    }

    fn amounts(&self, m: &dashboard::Month) -> String {
        m.amounts
            .iter()
            .map(|(cur, minor)| money(*minor, cur))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn compliance_detail(&self) -> String {
        self.page.tr.t2(
            "dashboard-compliance-detail",
            ("in_time", self.d.closed_in_time.to_string()),
            ("closed", self.d.closed.to_string()),
        )
    }

    fn rating(&self) -> String {
        match self.d.average_rating() {
            Some(avg) => {
                let shown = crate::i18n::decimal(avg, 1, self.page.tr.locale);
                self.page.tr.t1("dashboard-rating-value", "n", shown)
            }
            None => "—".into(),
        }
    }

    fn rated(&self) -> String {
        self.page.tr.t1("dashboard-rated", "n", self.d.rated())
    }

    /// The ratings, five stars first.
    fn stars(&self) -> Vec<(usize, i64)> {
        (1..=5).rev().map(|s| (s, self.d.ratings[s - 1])).collect()
    }

    fn duration(&self, ms: &i64) -> String {
        let hours = *ms as f64 / 3_600_000.0;
        let locale = self.page.tr.locale;
        if hours < 48.0 {
            let n = crate::i18n::decimal(hours, 1, locale);
            self.page.tr.t1("dashboard-hours", "n", n)
        } else {
            let n = crate::i18n::decimal(hours / 24.0, 1, locale);
            self.page.tr.t1("dashboard-days", "n", n)
        }
    }
}

fn money(minor: i64, currency: &str) -> String {
    super::says::shown(
        &super::fields::FieldKind::Money {
            currency: currency.into(),
        },
        &serde_json::json!({"amount": minor}),
    )
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(w): Query<Which>,
) -> Result<Response, HttpError> {
    let d = dashboard::dashboard(&state.db, &signed.actor(), w.organization).await?;
    if let Some(figure) = w.figure.as_deref() {
        return csv(&signed, &d, figure);
    }
    let lang = signed.ctx.tr.code();
    let colour = signed.ctx.portal.primary_color.clone();
    let types_chart = chart::bars(
        &d.by_type
            .iter()
            .map(|t| Bar {
                label: t.type_.name(lang).to_string(),
                value: (t.open + t.closed) as f64,
                shown: format!("{} / {}", t.open, t.open + t.closed),
            })
            .collect::<Vec<_>>(),
        &colour,
    );
    let months_chart = chart::bars(
        &d.months
            .iter()
            .map(|m| Bar {
                label: m.month.clone(),
                value: m.filed as f64,
                shown: m.filed.to_string(),
            })
            .collect::<Vec<_>>(),
        &colour,
    );
    let ratings_chart = chart::bars(
        &(1..=5)
            .rev()
            .map(|s| Bar {
                label: "★".repeat(s),
                value: d.ratings[s - 1] as f64,
                shown: d.ratings[s - 1].to_string(),
            })
            .collect::<Vec<_>>(),
        &colour,
    );
    let title = signed.ctx.tr.t("dashboard-title").to_string();
    render(
        StatusCode::OK,
        &DashboardPage {
            page: Chrome::new(&signed.ctx, "requests", &title),
            query: d
                .organization
                .map(|o| format!("organization={o}&"))
                .unwrap_or_default(),
            d,
            types_chart,
            months_chart,
            ratings_chart,
        },
    )
}

fn csv(signed: &Signed, d: &Dashboard, figure: &str) -> Result<Response, HttpError> {
    let tr = &signed.ctx.tr;
    let lang = tr.code();
    let mut out = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| HttpError::from(crate::service::Error::Internal(e.to_string()));
    match figure {
        "types" => {
            out.write_record([
                tr.t("requests-csv-type"),
                tr.t("requests-filter-open"),
                tr.t("requests-filter-closed"),
            ])
            .map_err(bad)?;
            for t in &d.by_type {
                out.write_record([
                    t.type_.name(lang).to_string(),
                    t.open.to_string(),
                    t.closed.to_string(),
                ])
                .map_err(bad)?;
            }
        }
        "months" => {
            out.write_record([
                tr.t("dashboard-month"),
                tr.t("dashboard-filed"),
                tr.t("dashboard-currency"),
                tr.t("dashboard-amount"),
            ])
            .map_err(bad)?;
            for m in &d.months {
                if m.amounts.is_empty() {
                    out.write_record([
                        m.month.clone(),
                        m.filed.to_string(),
                        String::new(),
                        String::new(),
                    ])
                    .map_err(bad)?;
                }
                for (cur, minor) in &m.amounts {
                    let amount = format!("{}.{:02}", minor / 100, (minor % 100).abs());
                    out.write_record([m.month.clone(), m.filed.to_string(), cur.clone(), amount])
                        .map_err(bad)?;
                }
            }
        }
        "ratings" => {
            out.write_record([tr.t("dashboard-stars"), tr.t("dashboard-count")])
                .map_err(bad)?;
            for s in (1..=5).rev() {
                out.write_record([s.to_string(), d.ratings[s - 1].to_string()])
                    .map_err(bad)?;
            }
        }
        _ => return Err(HttpError::bad_request("dashboard-figure")),
    }
    let body = out.into_inner().map_err(|e| bad(e.into_error().into()))?;
    let name = format!("requests-{figure}.csv");
    Ok(crate::web::download::csv(&name, body))
}
