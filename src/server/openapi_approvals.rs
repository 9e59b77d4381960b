//! The OpenAPI schemas of approval flows.

use super::openapi::{int, nullable, object, string};
use serde_json::{Map, Value, json};

pub fn schemas() -> Map<String, Value> {
    let list = |items: Value| json!({"type": "array", "items": items});
    let definition = json!({"type": "object", "required": ["steps"], "description": "`steps`: [{`name`, `approvers`: [{`type`: `person`|`group`|`organization`, `id`} | {`type`: `role`, `role`: `reader`|`contributor`|`manager`}], `rule`: {`type`: `any`|`all`} | {`type`: `at_least`, `n`}, `deadline_days`, `backup`: [approvers, who also decide once the deadline has passed], `on_reject`: `author`|`back`|`end`, `when`: on a request, the step runs only if its field meets this: {`field`, `above`|`at_least`|`below`|`at_most`: a number (money in its currency's units), `one_of`: [choices]}}], `forbid_self_approval`, `on_new_version`: `restart`|`cancel`, `lock_during_review`"});
    let decision = object(
        &["step", "decision", "comment", "blake3", "decided_at"],
        json!({"step": int(), "approver": {"type": ["object", "null"]}, "decision": {"type": "string", "enum": ["approve", "reject", "changes"]},
               "comment": string(), "blake3": string(), "decided_at": int()}),
    );
    let mut m = Map::new();
    for (name, schema) in [
        (
            "ApprovalTemplate",
            object(
                &[
                    "id",
                    "space_id",
                    "name",
                    "version",
                    "archived",
                    "definition",
                ],
                json!({"id": int(), "space_id": int(), "name": string(), "version": int(), "archived": {"type": "boolean"}, "definition": definition}),
            ),
        ),
        (
            "ApprovalTemplateBody",
            object(
                &["name", "definition"],
                json!({"name": string(), "definition": definition}),
            ),
        ),
        (
            "ApprovalBinding",
            object(
                &["folder", "folder_name", "template", "template_name"],
                json!({"folder": int(), "folder_name": string(), "template": int(), "template_name": string()}),
            ),
        ),
        (
            "ApprovalBindingBody",
            object(
                &["template"],
                json!({"template": {"type": ["integer", "null"], "description": "The template; null unbinds"}}),
            ),
        ),
        (
            "ApprovalDelegation",
            object(
                &["delegation"],
                json!({"delegation": {"type": ["object", "null"], "properties": {
                    "delegate": int(), "delegate_name": string(), "from": string(), "until": string()}}}),
            ),
        ),
        (
            "ApprovalDelegationBody",
            object(
                &["delegate"],
                json!({"delegate": {"type": ["integer", "null"], "description": "A person; null ends the delegation"},
                       "from": {"type": "string", "format": "date"}, "until": {"type": "string", "format": "date"}}),
            ),
        ),
        (
            "ApprovalStart",
            object(&["template"], json!({"template": int()})),
        ),
        (
            "ApprovalRequestStart",
            object(
                &["status"],
                json!({"status": {"type": "string", "description": "A status of the request's type that requires an approval"}}),
            ),
        ),
        (
            "ApprovalDecision",
            object(
                &["decision", "blake3"],
                json!({"decision": {"type": "string", "enum": ["approve", "reject", "changes"]},
                       "comment": {"type": "string", "description": "Public: every reader of the file sees it"},
                       "internal_note": {"type": "string", "description": "Added to the flow's internal discussion, for people of the host organization alone; refused from anyone else"},
                       "blake3": {"type": "string", "description": "The hash of the bytes decided on, as the flow gave it"}}),
            ),
        ),
        (
            "ApprovalFlow",
            object(
                &[
                    "id",
                    "template",
                    "document",
                    "request",
                    "state",
                    "step",
                    "steps",
                    "started_at",
                    "decisions",
                ],
                json!({"id": int(), "template": {"type": "object"}, "document": {"type": ["object", "null"], "description": "The document version decided on (null on a request)"},
                       "request": {"type": ["object", "null"], "description": "On a request: `id`, `version`, `blake3` and `snapshot` (the bytes decided on: its number, type, title and public fields as JSON), and `status`, the status it waits to enter"},
                       "state": {"type": "string", "enum": ["running", "returned", "approved", "rejected", "cancelled"]},
                       "step": {"type": "integer", "description": "From 1"}, "step_name": nullable("string"), "steps": int(),
                       "started_at": int(), "finished_at": nullable("integer"), "decisions": list(decision),
                       "record": nullable("string")}),
            ),
        ),
        (
            "ApprovalNote",
            object(
                &["id", "flow", "author", "author_name", "body", "created_at"],
                json!({"id": int(), "flow": int(), "author": nullable("integer"), "author_name": nullable("string"),
                       "body": string(), "created_at": int()}),
            ),
        ),
        (
            "ApprovalResent",
            object(&["links"], json!({"links": int()})),
        ),
        (
            "ApprovalNoteBody",
            object(
                &["body"],
                json!({"body": {"type": "string", "maxLength": 4000}}),
            ),
        ),
        (
            "ApprovalRecord",
            json!({"type": "object", "description": "A record as downloaded: `format`, `flow`, `document` (with `blake3`), `decisions` (each with its `audit` id and hash) and `signature` (Ed25519 over the rest, written canonically)"}),
        ),
        (
            "ApprovalVerdict",
            object(
                &["holds", "readable", "signature", "known_key", "problems"],
                json!({"holds": {"type": "boolean"}, "readable": {"type": "boolean"}, "signature": {"type": "boolean"},
                       "known_key": {"type": "boolean"}, "document": nullable("boolean"), "chain": nullable("boolean"),
                       "problems": list(string())}),
            ),
        ),
    ] {
        m.insert(name.into(), schema);
    }
    m
}
