//! The OpenAPI schemas of requests and their types.

use super::openapi::{boolean, int, nullable, object, r, string};
use serde_json::{Map, Value, json};

fn named() -> Value {
    object(
        &["key", "name_en", "name_fr"],
        json!({"key": string(), "name_en": string(), "name_fr": string()}),
    )
}

fn definition() -> Value {
    let field = object(
        &["key", "label_en", "label_fr", "kind"],
        json!({
            "key": {"type": "string", "description": "`a-z`, `0-9` and `-`"},
            "label_en": string(), "label_fr": string(),
            "kind": {"type": "object", "required": ["type"], "description": "`{\"type\": \"text\"}`; `long_text`, `number`, `date`, `person`, `organization`, `file`, `document`; `{\"type\": \"money\", \"currency\": \"EUR\"}`; `{\"type\": \"choice\" | \"multiple_choice\", \"options\": [...]}`",
                     "properties": {"type": {"type": "string", "enum": ["text", "long_text", "number", "money", "date", "choice", "multiple_choice", "person", "organization", "file", "document"]}}},
            "required": boolean(),
            "internal": {"type": "boolean", "description": "Shown to its agents alone"},
        }),
    );
    let status = object(
        &["key", "name_en", "name_fr", "open"],
        json!({"key": string(), "name_en": string(), "name_fr": string(), "open": boolean(),
               "pauses_clock": {"type": "boolean", "description": "The service-level clock stops (waiting for the customer)"}}),
    );
    let mover = json!({"type": "string", "enum": ["requester", "agent", "manager"]});
    let moves = object(
        &["from", "to", "by"],
        json!({"from": string(), "to": string(), "by": {"type": "array", "items": mover}}),
    );
    let priority = object(
        &["key", "name_en", "name_fr"],
        json!({"key": string(), "name_en": string(), "name_fr": string(),
               "respond_hours": {"type": ["number", "null"], "description": "First response target, in working hours"},
               "resolve_hours": {"type": ["number", "null"], "description": "Resolution target, in working hours"}}),
    );
    object(
        &[
            "name_en",
            "name_fr",
            "prefix",
            "workflow",
            "priorities",
            "default_priority",
            "calendar",
        ],
        json!({
            "name_en": string(), "name_fr": string(),
            "prefix": {"type": "string", "description": "`SUP` numbers requests `SUP-2026-00042`"},
            "fields": {"type": "array", "items": field},
            "workflow": object(&["statuses", "initial", "moves"], json!({
                "statuses": {"type": "array", "items": status}, "initial": string(),
                "moves": {"type": "array", "items": moves}})),
            "priorities": {"type": "array", "items": priority},
            "default_priority": string(),
            "calendar": object(&["time_zone", "week"], json!({
                "time_zone": {"type": "string", "description": "`Europe/Paris`"},
                "week": {"type": "array", "minItems": 7, "maxItems": 7, "description": "Monday first: each day's intervals, `[\"09:00\", \"17:00\"]`",
                         "items": {"type": "array", "items": {"type": "array", "items": string()}}},
                "holidays": {"type": "array", "items": {"type": "string", "format": "date"}}})),
            "visibility": {"type": "string", "enum": ["requester", "organization"], "description": "Who sees a request beside its agents"},
        }),
    )
}

/// A request whole: its line in a list, and the rest.
fn request() -> Value {
    let rest = object(
        &["fields", "sla", "files", "version", "watching", "may"],
        json!({
            "files": {"type": "array", "items": r("RequestFile")},
            "fields": {"type": "array", "items": object(&["key", "label_en", "label_fr", "kind", "internal", "value"],
                json!({"key": string(), "label_en": string(), "label_fr": string(), "kind": {"type": "object"},
                       "required": boolean(), "internal": boolean(), "value": {}}))},
            "sla": object(&["paused", "breached"], json!({
                "respond_due_at": nullable("integer"), "responded_at": nullable("integer"),
                "resolve_due_at": nullable("integer"), "paused": boolean(), "breached": boolean()})),
            "rating": nullable("integer"), "rating_comment": nullable("string"),
            "external_id": {"type": "string", "description": "Agents alone"},
            "version": {"type": "string", "description": "Send it back with a change"},
            "watching": boolean(),
            "may": object(&["moves", "reply", "work", "rate"], json!({
                "moves": {"type": "array", "items": named()}, "reply": boolean(), "work": boolean(), "rate": boolean()})),
        }),
    );
    json!({"allOf": [item(), rest]})
}

fn item() -> Value {
    object(
        &[
            "id",
            "number",
            "title",
            "type",
            "space",
            "status",
            "open",
            "priority",
            "requester",
            "created_at",
            "updated_at",
            "breached",
        ],
        json!({
            "id": int(), "number": string(), "title": string(), "type": named(), "space": int(),
            "status": named(), "open": boolean(), "priority": named(), "requester": r("Writer"),
            "organization": nullable("integer"), "assignee": {"oneOf": [r("Writer"), {"type": "null"}]},
            "created_at": int(), "updated_at": int(), "closed_at": nullable("integer"), "breached": boolean(),
        }),
    )
}

fn timeline() -> Value {
    let entry = object(
        &[
            "id", "at", "what", "body", "detail", "by_mail", "internal", "by",
        ],
        json!({
            "id": int(), "at": int(), "actor": nullable("integer"),
            "what": {"type": "string", "enum": ["filed", "reply", "status", "priority", "assignee", "fields", "rating", "note"]},
            "body": {"type": "string", "description": "A reply's or note's words (Markdown)"},
            "detail": {"description": "What changed, from what to what"},
            "by_mail": boolean(), "internal": {"type": "boolean", "description": "An internal note or change (agents alone)"},
            "by": r("Writer"),
        }),
    );
    object(
        &["items"],
        json!({"items": {"type": "array", "items": entry}}),
    )
}

pub fn schemas() -> Map<String, Value> {
    let type_row = object(
        &["id", "key", "version", "archived", "definition"],
        json!({"id": int(), "key": string(), "space": nullable("integer"), "agent_group": nullable("integer"),
               "version": int(), "archived": boolean(), "created_at": int(), "updated_at": int(),
               "definition": r("RequestTypeDefinition")}),
    );
    let mut m = Map::new();
    for (name, schema) in [
        ("RequestTypeDefinition", definition()),
        ("RequestType", type_row),
        (
            "NewRequestType",
            object(
                &["key", "definition"],
                json!({"key": string(), "space": nullable("integer"), "agent_group": nullable("integer"),
                       "definition": r("RequestTypeDefinition")}),
            ),
        ),
        (
            "RequestTypeVersion",
            object(
                &["definition"],
                json!({"definition": r("RequestTypeDefinition"), "agent_group": nullable("integer")}),
            ),
        ),
        (
            "Archive",
            object(&["archived"], json!({"archived": boolean()})),
        ),
        (
            "NewRequest",
            object(
                &["type", "title"],
                json!({"type": {"type": "string", "description": "The type's key"}, "title": string(),
                       "fields": {"type": "object", "description": "Values by field key"},
                       "priority": nullable("string")}),
            ),
        ),
        ("Request", request()),
        (
            "RequestPage",
            object(
                &["items"],
                json!({"items": {"type": "array", "items": item()},
                       "next": {"type": ["string", "null"], "description": "Give it back as `before`"}}),
            ),
        ),
        (
            "RequestPatch",
            object(
                &["version"],
                json!({"version": string(), "title": string(), "priority": string(),
                       "fields": {"type": "object", "description": "Values by key; null empties one"}}),
            ),
        ),
        (
            "RequestPreview",
            object(
                &["request", "timeline"],
                json!({"request": r("Request"), "timeline": r("Timeline")}),
            ),
        ),
        ("Timeline", timeline()),
        (
            "RequestMove",
            object(
                &["status", "version"],
                json!({"status": string(), "version": string()}),
            ),
        ),
        (
            "RequestAssignee",
            object(&["assignee"], json!({"assignee": nullable("integer")})),
        ),
        ("RequestText", object(&["body"], json!({"body": string()}))),
        (
            "RequestFile",
            object(
                &[
                    "id",
                    "name",
                    "content_type",
                    "size",
                    "internal",
                    "uploaded_at",
                ],
                json!({"id": int(), "request": {"type": ["integer", "null"], "description": "None while it waits for its filing (a day at most)"},
                       "name": string(), "content_type": string(), "size": int(),
                       "internal": {"type": "boolean", "description": "Sent with an internal note: agents alone see it"},
                       "uploaded_by": nullable("integer"), "uploaded_at": int()}),
            ),
        ),
        (
            "RequestCsv",
            json!({"type": "string", "description": "CSV, UTF-8, a header line first"}),
        ),
        (
            "RequestImport",
            object(
                &[
                    "kept",
                    "dry_run",
                    "created",
                    "changed",
                    "unchanged",
                    "refused",
                    "lines",
                ],
                json!({"kept": boolean(), "dry_run": boolean(), "created": int(), "changed": int(),
                       "unchanged": int(), "refused": int(),
                       "lines": {"type": "array", "items": object(&["line", "external_id", "outcome"], json!({
                           "line": int(), "external_id": string(),
                           "outcome": {"type": "string", "enum": ["created", "changed", "unchanged", "refused"]},
                           "code": string(), "field": string()}))}}),
            ),
        ),
        (
            "RequestFiles",
            object(
                &["items"],
                json!({"items": {"type": "array", "items": r("RequestFile")}}),
            ),
        ),
        (
            "RequestBulk",
            object(
                &["ids"],
                json!({"ids": {"type": "array", "items": int(), "maxItems": 500},
                       "status": string(), "assignee": nullable("integer"), "priority": string()}),
            ),
        ),
        (
            "RequestBulkOutcome",
            object(
                &["changed", "refused"],
                json!({"changed": {"type": "array", "items": int()},
                       "refused": {"type": "array", "items": object(&["id", "code"], json!({"id": int(), "code": string()}))}}),
            ),
        ),
        (
            "RequestUpsert",
            object(
                &["space", "title"],
                json!({"space": int(), "title": string(),
                       "fields": {"type": "object", "description": "Every value, by field key (those left out are emptied)"},
                       "status": {"type": "string", "description": "Where it stands (any status of its type)"},
                       "priority": string(),
                       "requester": {"type": ["integer", "null"], "description": "Whom it is for (reads the space); none: the caller"}}),
            ),
        ),
        (
            "RequestUpserted",
            object(
                &["request", "outcome"],
                json!({"request": r("Request"), "outcome": {"type": "string", "enum": ["created", "changed", "unchanged"]}}),
            ),
        ),
        (
            "RequestRating",
            object(
                &["rating"],
                json!({"rating": {"type": "integer", "minimum": 1, "maximum": 5}, "comment": string()}),
            ),
        ),
    ] {
        m.insert(name.to_string(), schema);
    }
    m
}
