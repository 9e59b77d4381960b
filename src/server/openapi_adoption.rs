//! The OpenAPI schema of the adoption figures (`/api/v1/admin/adoption`).

use super::openapi::{int, object, string};
use serde_json::{Value, json};

pub fn schema() -> Value {
    let list = |items: Value| json!({"type": "array", "items": items});
    let people = object(
        &["id", "name", "today", "week", "period", "per_day"],
        json!({"id": int(), "name": string(), "today": int(), "week": {"type": "integer", "description": "Different people over the last seven days"},
               "period": {"type": "integer", "description": "Different people over the period"},
               "per_day": {"type": "number", "description": "People on an average day of the period"}}),
    );
    let totals = object(
        &[
            "active",
            "internal",
            "external",
            "searches",
            "searches_missed",
            "uploads",
            "upload_bytes",
            "downloads",
            "download_bytes",
        ],
        json!({"active": int(), "internal": int(), "external": int(), "searches": int(), "searches_missed": int(),
               "uploads": int(), "upload_bytes": int(), "downloads": int(), "download_bytes": int()}),
    );
    object(
        &[
            "from",
            "to",
            "days",
            "totals",
            "per_day",
            "per_week",
            "by_portal",
            "by_org",
            "top_spaces",
            "misses",
        ],
        json!({
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "days": int(),
            "totals": totals,
            "per_day": list(object(&["day", "active", "uploads", "downloads"],
                json!({"day": {"type": "string", "format": "date"}, "active": int(), "uploads": int(), "downloads": int()}))),
            "per_week": list(object(&["starts", "active"],
                json!({"starts": {"type": "string", "format": "date", "description": "The week's Monday"}, "active": int()}))),
            "by_portal": list(people.clone()),
            "by_org": list(people),
            "top_spaces": list(object(&["id", "name", "slug", "people", "uploads", "downloads"],
                json!({"id": int(), "name": string(), "slug": string(), "people": int(), "uploads": int(), "downloads": int()}))),
            "misses": list(object(&["query", "count"], json!({"query": string(), "count": int()}))),
        }),
    )
}
