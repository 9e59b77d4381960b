//! The OpenAPI 3.1 document, generated from the routes' own descriptions
//! (`super::api::routes`) and the schemas below, served at `/api/v1/openapi.json`.

use crate::web::api::{Endpoint, PageQuery, ParamKind};
use serde_json::{Map, Value, json};

pub(super) fn string() -> Value {
    json!({"type": "string"})
}
pub(super) fn int() -> Value {
    json!({"type": "integer", "format": "int64"})
}
pub(super) fn nullable(t: &str) -> Value {
    json!({"type": [t, "null"]})
}
pub(super) fn boolean() -> Value {
    json!({"type": "boolean"})
}
pub(super) fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}
pub(super) fn object(required: &[&str], props: Value) -> Value {
    json!({"type": "object", "required": required, "properties": props})
}

/// Every named schema the routes refer to.
pub fn schemas() -> Map<String, Value> {
    let role = json!({"type": "string", "enum": ["reader", "contributor", "manager"]});
    let kind =
        json!({"type": "string", "enum": ["host", "client", "partner", "supplier", "other"]});
    let scope = json!({"type": "string", "enum": ["read", "write", "admin"]});
    let locale = json!({"type": ["string", "null"], "enum": ["en", "fr", null]});
    let org = object(
        &["id", "slug", "name", "kind"],
        json!({"id": int(), "slug": string(), "name": string(), "kind": kind, "people": int(), "created_at": int(),
               "domains": {"type": "array", "items": string(), "description": "E-mail domains of its people"}}),
    );
    let person = object(
        &["id", "display_name", "email"],
        json!({
            "id": int(), "email": string(), "display_name": string(), "title": string(),
            "department": string(), "phone": string(), "skills": {"type": "array", "items": string()},
            "locale": locale,
            "time_zone": {"type": ["string", "null"], "description": "Shown to administrators and to the person; null: the instance's"},
            "organization": {"type": ["object", "null"], "properties": {"id": int(), "slug": string(), "name": string(), "kind": kind}},
            "internal": boolean(),
            "admin": {"type": "boolean", "description": "Shown to administrators and to the person"},
            "status": {"type": "string", "enum": ["active", "disabled"]},
            "access_ends_at": nullable("integer"),
            "sponsor_id": nullable("integer"),
            "invitation_pending": boolean(),
        }),
    );
    let space = object(
        &["id", "slug", "name", "visibility"],
        json!({
            "id": int(), "slug": string(), "name": string(), "description": string(),
            "description_fr": string(),
            "visibility": {"type": "string", "enum": ["internal", "members"]},
            "members": int(), "shared_externally": boolean(),
        }),
    );
    let member = object(
        &["kind", "id", "name", "role"],
        json!({"kind": {"type": "string", "enum": ["person", "group", "organization"]}, "id": int(), "name": string(), "role": role}),
    );
    let audience = json!({"type": "array", "items": {"type": "string"},
        "description": "Organization kinds (host, client, partner, supplier, other) or org:SLUG"});
    let portal = object(
        &["id", "slug", "name"],
        json!({
            "id": int(), "slug": string(), "name": string(), "primary_color": string(),
            "header_color": string(),
            "default_locale": {"type": "string", "enum": ["en", "fr"]}, "welcome_text": string(),
            "welcome_text_fr": string(), "legal_url": string(), "support_contact": string(),
            "is_default": boolean(), "hostnames": {"type": "array", "items": string()},
            "audience": {"type": "array", "items": {"type": "object"}},
            "external_access_days": int(), "require_mfa": boolean(), "logo_etag": nullable("string"),
            "favicon_etag": nullable("string"), "favicon_type": nullable("string"),
        }),
    );
    let portal_input = json!({"type": "object", "properties": {
        "name": string(), "slug": string(), "hostnames": {"type": "array", "items": string()},
        "audience": audience, "primary_color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$",
            "description": "The accent: buttons' background and links' colour; refused when white text on it, or it as text on the page, falls below a 4.5:1 contrast"},
        "header_color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$",
            "description": "The header's background; its text is drawn in whichever of the page's ink, white or black is readable on it"},
        "default_locale": {"type": "string", "enum": ["en", "fr"]},
        "welcome_text": {"type": "string", "maxLength": 2000, "description": "Welcome text in English (home and sign-in pages)"},
        "welcome_text_fr": {"type": "string", "maxLength": 2000, "description": "Welcome text in French; each language falls back to the other"},
        "legal_url": {"type": "string", "maxLength": 500, "description": "Legal notice, an http(s) address shown in every page's footer; empty removes it"},
        "support_contact": {"type": "string", "maxLength": 500, "description": "Support: an e-mail address or an http(s) address, shown in every page's footer; empty removes it"},
        "external_access_days": {"type": "integer", "minimum": 1, "maximum": 3650}, "require_mfa": boolean(),
        "share_links": boolean(),
    }});
    let group = object(
        &["id", "slug", "name"],
        json!({"id": int(), "slug": string(), "name": string(), "description": string(), "members": int()}),
    );
    let token = object(
        &["id", "name", "scope"],
        json!({"id": int(), "name": string(), "scope": scope, "created_at": int(),
               "expires_at": nullable("integer"), "last_used_at": nullable("integer"), "revoked": boolean()}),
    );
    let problem = object(
        &["type", "title", "status", "detail", "code"],
        json!({"type": string(), "title": string(), "status": {"type": "integer"}, "detail": string(),
               "code": {"type": "string", "description": "Stable error code"}, "request_id": string()}),
    );
    let mut m = Map::new();
    for (name, schema) in [
        ("Problem", problem),
        (
            "Me",
            json!({"allOf": [r("Person"), {"type": "object", "properties": {"scope": scope}}]}),
        ),
        ("Token", token),
        (
            "NewToken",
            object(
                &["name"],
                json!({"name": string(), "scope": scope, "expires_days": {"type": "integer", "minimum": 1, "maximum": 3650}}),
            ),
        ),
        (
            "CreatedToken",
            object(
                &["id", "secret"],
                json!({"id": int(), "secret": {"type": "string", "description": "Shown once"}}),
            ),
        ),
        ("Organization", org),
        (
            "NewOrganization",
            object(
                &["name", "kind"],
                json!({"name": string(), "kind": {"type": "string", "enum": ["client", "partner", "supplier", "other"]}, "slug": string(),
                       "domains": {"type": "array", "items": string(), "maxItems": 20, "description": "E-mail domains of its people; each belongs to one organization"}}),
            ),
        ),
        (
            "OrganizationChanges",
            json!({"type": "object", "properties": {"name": string(),
                "domains": {"type": "array", "items": string(), "maxItems": 20, "description": "Replaces the current domains"}}}),
        ),
        ("Person", person),
        (
            "NewPerson",
            object(
                &["email", "name"],
                json!({
                    "email": string(), "name": string(), "organization": {"type": "string", "description": "Slug; default: the host"},
                    "title": string(), "department": string(), "phone": string(), "admin": boolean(),
                    "password": {"type": "string", "description": "Omit to let the person use the reset link"},
                    "locale": {"type": "string", "enum": ["en", "fr"]},
                }),
            ),
        ),
        (
            "PersonChanges",
            json!({"type": "object", "properties": {
                "name": string(), "title": string(), "department": string(), "phone": string(),
                "skills": {"type": "array", "items": string()}, "locale": {"type": "string", "enum": ["en", "fr"]},
                "time_zone": {"type": "string", "description": "An IANA time zone name (Europe/Paris); empty: the instance's"},
                "status": {"type": "string", "enum": ["active", "disabled"], "description": "Administrators only"},
            }}),
        ),
        (
            "NewInvitation",
            object(
                &["email", "name", "organization"],
                json!({
                    "email": string(), "name": string(), "organization": {"type": "string", "description": "Slug of an external organization"},
                    "spaces": {"type": "array", "items": object(&["space"], json!({"space": string(), "role": role}))},
                    "sponsor": {"type": "string", "description": "E-mail of a staff member; default: the caller"},
                    "portal": string(), "access_days": {"type": "integer", "minimum": 1, "maximum": 3650},
                    "language": {"type": "string", "enum": ["en", "fr"]},
                    "organization_confirmed": {"type": "boolean", "description": "Invite into `organization` even though the address's domain belongs to another organization, or not to this one's domains"},
                }),
            ),
        ),
        (
            "Invitation",
            object(
                &["person_id"],
                json!({"person_id": int(), "link_expires_at": int()}),
            ),
        ),
        ("Group", group),
        (
            "NewGroup",
            object(&["name"], json!({"name": string(), "slug": string()})),
        ),
        (
            "GroupChanges",
            json!({"type": "object", "properties": {"name": string(), "description": string()}}),
        ),
        (
            "GroupWithMembers",
            json!({"allOf": [r("Group"), {"type": "object", "properties": {"member_ids": {"type": "array", "items": int()}}}]}),
        ),
        ("Portal", portal),
        ("PortalInput", portal_input),
        ("Space", space),
        (
            "NewSpace",
            object(
                &["name"],
                json!({
                    "name": string(), "slug": string(), "description": string(),
                    "visibility": {"type": "string", "enum": ["internal", "members"]},
                    "portals": {"type": "array", "items": string()},
                }),
            ),
        ),
        (
            "SpaceChanges",
            json!({"type": "object", "properties": {
                "name": string(), "description": {"type": "string", "description": "In English"},
                "description_fr": {"type": "string", "description": "In French; readers get the description in their language, else the other"},
                "visibility": {"type": "string", "enum": ["internal", "members"], "description": "Administrators only"},
            }}),
        ),
        (
            "SpaceDetail",
            json!({"allOf": [r("Space"), {"type": "object", "properties": {
                "role": role, "members_visible": {"type": "array", "items": r("Member")},
            }}]}),
        ),
        ("Member", member),
        (
            "Folder",
            object(
                &["id", "name"],
                json!({
                    "id": int(), "space_id": int(), "parent_id": nullable("integer"), "name": string(),
                    "path": string(), "min_role": nullable("string"), "restricted_to_listed": boolean(),
                }),
            ),
        ),
        (
            "NewFolder",
            object(
                &["name"],
                json!({"name": string(), "parent": nullable("integer")}),
            ),
        ),
        (
            "Document",
            object(
                &["id", "name"],
                json!({
                    "id": int(), "space_id": int(), "folder_id": nullable("integer"), "name": string(),
                    "description": string(), "tags": string(), "current_version": int(), "size": int(),
                    "content_type": string(), "blob_hash": string(), "updated_at": int(),
                    "locked_by": nullable("integer"), "locked_until": nullable("integer"),
                    "review": {"type": "string", "enum": ["draft", "review", "approved", "rejected", "changes"]},
                    "review_lock": {"type": "boolean"},
                }),
            ),
        ),
        (
            "Version",
            object(
                &["number"],
                json!({
                    "id": int(), "number": int(), "size": int(), "content_type": string(),
                    "original_name": string(), "comment": string(), "created_at": int(), "blob_hash": string(),
                }),
            ),
        ),
        (
            "DocumentDetail",
            json!({"allOf": [r("Document"), {"type": "object", "properties": {
                "versions": {"type": "array", "items": r("Version")}, "role": role.clone(),
            }}]}),
        ),
        (
            "Library",
            object(
                &["items"],
                json!({
                    "role": role.clone(), "folder": {"oneOf": [r("Folder"), {"type": "null"}]},
                    "folders": {"type": "array", "items": r("Folder")},
                    "items": {"type": "array", "items": r("Document")},
                    "next": {"type": ["object", "null"], "properties": {"after_name": string(), "after_id": int()}},
                }),
            ),
        ),
        (
            "Uploaded",
            object(
                &["document", "version"],
                json!({"document": r("Document"), "version": int()}),
            ),
        ),
        ("Restored", object(&["version"], json!({"version": int()}))),
        (
            "FileForm",
            json!({"type": "object", "properties": {
                "comment": string(),
                "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
            }}),
        ),
        (
            "UploadedFiles",
            object(
                &["files"],
                json!({"files": {"type": "array", "items": r("Uploaded")}}),
            ),
        ),
        (
            "DocumentChanges",
            json!({"type": "object", "additionalProperties": false, "properties": {
                "name": string(), "space": int(), "folder": nullable("integer"),
                "description": string(), "tags": {"type": "string", "description": "Comma-separated"},
            }}),
        ),
        (
            "CopyTarget",
            object(
                &["space"],
                json!({"space": int(), "folder": nullable("integer"), "name": string()}),
            ),
        ),
        ("NewId", object(&["id"], json!({"id": int()}))),
        (
            "Trash",
            object(
                &["documents", "folders"],
                json!({
                    "documents": {"type": "array", "items": {"type": "object", "properties": {"document": r("Document"), "deleted_at": int()}}},
                    "folders": {"type": "array", "items": {"type": "object", "properties": {"folder": r("Folder"), "deleted_at": int()}}},
                }),
            ),
        ),
        (
            "FolderChanges",
            json!({"type": "object", "additionalProperties": false, "properties": {
                "name": string(), "space": int(), "parent": nullable("integer"),
            }}),
        ),
        (
            "Restriction",
            object(
                &["people", "groups"],
                json!({
                    "min_role": nullable("string"),
                    "people": {"type": "array", "items": {"type": "object", "properties": {"id": int(), "name": string()}}},
                    "groups": {"type": "array", "items": {"type": "object", "properties": {"id": int(), "name": string()}}},
                }),
            ),
        ),
        (
            "NewRestriction",
            json!({"type": "object", "additionalProperties": false, "properties": {
                "min_role": {"type": ["string", "null"], "enum": ["reader", "contributor", "manager", "", null]},
                "people": {"type": "array", "items": int()}, "groups": {"type": "array", "items": int()},
            }}),
        ),
        (
            "ShareLink",
            object(
                &["id", "document_id"],
                json!({
                    "id": int(), "document_id": int(), "document_name": string(),
                    "created_by_name": nullable("string"), "expires_at": int(), "protected": boolean(),
                    "max_downloads": nullable("integer"), "downloads": int(), "revoked": boolean(),
                }),
            ),
        ),
        (
            "NewShare",
            object(
                &["days"],
                json!({"days": {"type": "integer", "minimum": 1, "maximum": 365}, "password": string(), "max_downloads": {"type": "integer", "minimum": 1}}),
            ),
        ),
        ("ShareCreated", object(&["url"], json!({"url": string()}))),
        (
            "SearchResults",
            object(
                &["total", "items", "facets"],
                json!({
                    "total": int(), "page": int(), "page_size": int(),
                    "items": {"type": "array", "items": {"type": "object", "properties": {
                        "kind": string(), "title": string(), "url": string(),
                        "snippet": {"type": "string", "description": "HTML: text escaped, matches in <b>"},
                        "space": nullable("integer"), "updated": int(), "tags": string(),
                    }}},
                    "facets": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object", "properties": {"value": {}, "count": int()}}}},
                }),
            ),
        ),
        (
            "Suggestions",
            object(
                &["items"],
                json!({"items": {"type": "array", "items": {"type": "object", "properties": {"kind": string(), "title": string(), "url": string()}}}}),
            ),
        ),
        ("FileContent", json!({"type": "string", "format": "binary"})),
        (
            "Notification",
            object(
                &[
                    "id",
                    "reason",
                    "kind",
                    "item",
                    "title",
                    "url",
                    "created_at",
                    "read",
                ],
                json!({
                    "id": int(), "reason": {"type": "string", "description": "Why it was sent: space-added, document-new-version…"},
                    "kind": string(), "item": int(), "title": string(), "url": string(),
                    "actor": nullable("string"), "created_at": int(), "read": boolean(),
                }),
            ),
        ),
        (
            "Forum",
            object(
                &["id", "space", "name", "description", "mode", "topics"],
                json!({
                    "id": int(), "space": int(), "name": string(), "description": string(),
                    "mode": {"type": "string", "enum": ["discussion", "questions"]},
                    "topics": int(), "last_activity_at": nullable("integer"),
                }),
            ),
        ),
        (
            "ForumBody",
            object(
                &["name", "mode"],
                json!({
                    "name": string(), "description": string(),
                    "mode": {"type": "string", "enum": ["discussion", "questions"], "description": "No default"},
                }),
            ),
        ),
        (
            "MentionSuggestion",
            object(
                &["id", "name", "can_see", "markdown"],
                json!({
                    "id": int(), "name": string(),
                    "can_see": {"type": "boolean", "description": "Whether they may read the forum: only those are told"},
                    "markdown": {"type": "string", "description": "What to write to mention them"},
                }),
            ),
        ),
        (
            "Writer",
            object(
                &["id", "name"],
                json!({
                    "id": nullable("integer"),
                    "name": {"type": ["string", "null"], "description": "Null for a former member the caller may not see, or an erased person"},
                }),
            ),
        ),
        (
            "Topic",
            object(
                &[
                    "id",
                    "forum",
                    "space",
                    "title",
                    "body",
                    "html",
                    "author",
                    "pinned",
                    "locked",
                    "replies",
                    "created_at",
                    "last_activity_at",
                    "url",
                ],
                json!({
                    "id": int(), "forum": int(), "space": int(), "title": string(),
                    "body": {"type": "string", "description": "Markdown"},
                    "html": {"type": "string", "description": "The body rendered, sanitized"},
                    "author": r("Writer"), "pinned": boolean(), "locked": boolean(),
                    "accepted_reply": nullable("integer"), "replies": int(),
                    "created_at": int(), "edited_at": nullable("integer"), "last_activity_at": int(),
                    "url": string(),
                }),
            ),
        ),
        (
            "TopicPage",
            object(
                &["items"],
                json!({
                    "items": {"type": "array", "items": r("Topic")},
                    "next_after": nullable("string"),
                }),
            ),
        ),
        (
            "NewTopic",
            object(
                &["title", "body"],
                json!({"title": string(), "body": string()}),
            ),
        ),
        (
            "TopicChanges",
            object(&[], json!({"title": string(), "body": string()})),
        ),
        (
            "TopicModeration",
            object(
                &[],
                json!({"pinned": boolean(), "locked": boolean(), "forum": {"type": "integer", "description": "Move to this forum"}}),
            ),
        ),
        (
            "Reply",
            object(
                &[
                    "id",
                    "topic",
                    "body",
                    "html",
                    "author",
                    "created_at",
                    "accepted",
                    "url",
                ],
                json!({
                    "id": int(), "topic": int(), "body": string(), "html": string(),
                    "author": r("Writer"), "created_at": int(),
                    "not_told": {"type": "array", "items": r("Writer"), "description": "After a write: the people it mentions who may not read it, so were not told"},
                    "edited_at": nullable("integer"), "accepted": boolean(), "url": string(),
                }),
            ),
        ),
        (
            "ReplyPage",
            object(
                &["items"],
                json!({
                    "items": {"type": "array", "items": r("Reply")},
                    "next_after": nullable("integer"),
                }),
            ),
        ),
        ("ReplyBody", object(&["body"], json!({"body": string()}))),
        (
            "Thread",
            object(
                &["topic", "forum", "replies", "following"],
                json!({
                    "topic": r("Topic"), "forum": r("Forum"),
                    "replies": {"type": "array", "items": r("Reply"), "description": "The accepted answer first, then in order"},
                    "next_after": nullable("integer"), "following": boolean(),
                }),
            ),
        ),
        (
            "Revision",
            object(
                &["body", "written_by", "written_at", "replaced_at"],
                json!({
                    "title": nullable("string"), "body": string(), "written_by": r("Writer"),
                    "written_at": int(), "replaced_at": int(),
                }),
            ),
        ),
        (
            "Comment",
            object(
                &[
                    "id",
                    "on",
                    "body",
                    "html",
                    "author",
                    "created_at",
                    "reactions",
                    "mine",
                    "removable",
                ],
                json!({
                    "id": int(), "on": {"type": "string", "description": "The item it is on, `kind:id`"},
                    "body": {"type": "string", "description": "Markdown"}, "html": {"type": "string", "description": "The body rendered and sanitized"},
                    "author": r("Writer"), "created_at": int(), "edited_at": nullable("integer"),
                    "reactions": {"type": "array", "items": r("ReactionCount")},
                    "mine": {"type": "boolean", "description": "The caller wrote it (and may change it)"},
                    "removable": {"type": "boolean", "description": "The caller may remove it"},
                    "not_told": {"type": "array", "items": r("Writer"), "description": "After a write: the people it mentions who may not see the item, and were not told"},
                }),
            ),
        ),
        ("CommentBody", object(&["body"], json!({"body": string()}))),
        (
            "CommentPage",
            object(
                &["on", "total", "items"],
                json!({
                    "on": string(), "total": int(),
                    "items": {"type": "array", "items": r("Comment")},
                    "next_after": nullable("integer"),
                }),
            ),
        ),
        (
            "ReactionCount",
            object(
                &["reaction", "count", "mine"],
                json!({
                    "reaction": {"type": "string", "enum": ["like", "love", "celebrate", "laugh", "surprised", "thanks"]},
                    "count": int(), "mine": boolean(),
                }),
            ),
        ),
        (
            "Reactions",
            object(
                &["items"],
                json!({"items": {"type": "array", "items": r("ReactionCount")}}),
            ),
        ),
        (
            "NotificationPreferences",
            object(
                &["topics", "spaces"],
                json!({
                    "topics": {"type": "array", "items": object(
                        &["topic", "delivery", "default"],
                        json!({
                            "topic": {"type": "string", "enum": ["mentions", "replies", "comments", "discussions", "acknowledgements", "news", "spaces", "documents", "requests"]},
                            "delivery": {"type": "string", "enum": ["app", "immediately", "daily", "weekly"]},
                            "default": {"type": "string", "enum": ["app", "immediately", "daily", "weekly"]},
                        }),
                    )},
                    "spaces": {"type": "array", "items": object(
                        &["id", "slug", "name", "level"],
                        json!({
                            "id": int(), "slug": string(), "name": string(),
                            "level": {"type": "string", "enum": ["follow", "mentions", "mute"]},
                        }),
                    )},
                }),
            ),
        ),
        (
            "NotificationPreferencesChange",
            json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "topics": {"type": "object", "description": "Topic name to delivery", "additionalProperties": {"type": "string", "enum": ["app", "immediately", "daily", "weekly"]}},
                    "spaces": {"type": "object", "description": "Space id to level", "additionalProperties": {"type": "string", "enum": ["follow", "mentions", "mute"]}},
                },
            }),
        ),
        (
            "News",
            object(
                &[
                    "id",
                    "title",
                    "body",
                    "html",
                    "state",
                    "version",
                    "pinned",
                    "requires_ack",
                    "url",
                ],
                json!({
                    "id": int(), "title": string(), "body": {"type": "string", "description": "Markdown"},
                    "html": {"type": "string", "description": "The body rendered and sanitized"},
                    "state": {"type": "string", "enum": ["draft", "scheduled", "published", "expired"]},
                    "space": {"type": ["object", "null"], "properties": {"id": int(), "slug": string(), "name": string()}},
                    "author_id": nullable("integer"), "author_name": nullable("string"),
                    "version": int(), "publish_at": nullable("integer"), "expires_at": nullable("integer"),
                    "pinned": boolean(), "requires_ack": boolean(), "created_at": int(), "updated_at": int(),
                    "cover": nullable("string"), "acknowledged_at": nullable("integer"), "url": string(),
                    "files": {"type": "array", "items": {"$ref": "#/components/schemas/NewsFile"}},
                    "audience": {"type": "array", "items": string(), "description": "For its writers"},
                }),
            ),
        ),
        (
            "NewsBody",
            object(
                &["title", "body", "publish"],
                json!({
                    "title": string(), "body": {"type": "string", "description": "Markdown, at most 100,000 bytes"},
                    "place": {"type": "string", "description": "`instance` or `space:<id>` (creation only; required then)"},
                    "audience": {"type": "array", "items": string(), "description": "`internal`, `space:<id>`, `org:<id>`, `org_kind:<kind>`, `group:<id>`, `portal:<id>`; at least one for the whole instance"},
                    "publish": {"type": "string", "enum": ["now", "schedule", "draft"]},
                    "publish_at": {"type": "string", "format": "date-time"}, "expires_at": {"type": "string", "format": "date-time"},
                    "pinned": boolean(), "requires_ack": boolean(),
                }),
            ),
        ),
        (
            "NewsFeed",
            object(
                &["pinned", "to_acknowledge", "items"],
                json!({
                    "pinned": {"type": "array", "items": {"$ref": "#/components/schemas/News"}},
                    "to_acknowledge": {"type": "array", "items": {"$ref": "#/components/schemas/News"}},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/News"}},
                    "next_before": nullable("string"),
                }),
            ),
        ),
        (
            "NewsFile",
            object(
                &["id", "name", "content_type", "size"],
                json!({"id": int(), "name": string(), "content_type": string(), "size": int()}),
            ),
        ),
        (
            "NewsReport",
            object(
                &[
                    "id",
                    "title",
                    "version",
                    "people",
                    "acknowledged",
                    "audiences",
                    "readers",
                ],
                json!({
                    "id": int(), "title": string(), "version": int(), "requires_ack": boolean(),
                    "people": int(), "acknowledged": int(),
                    "audiences": {"type": "array", "items": {"type": "object", "properties": {
                        "target": string(), "name": nullable("string"), "people": int(), "acknowledged": int()}}},
                    "readers": {"type": "array", "items": {"type": "object", "properties": {
                        "id": int(), "name": string(), "email": string(), "organization": string(),
                        "acknowledged_at": nullable("integer"), "earlier_version": nullable("integer")}}},
                }),
            ),
        ),
        (
            "Erasure",
            object(
                &["person_id", "documents_kept", "sessions_ended"],
                json!({"person_id": int(), "documents_kept": int(), "sessions_ended": int()}),
            ),
        ),
        (
            "Grant",
            object(
                &["role"],
                json!({
                    "person": {"type": "string", "description": "E-mail"}, "group": {"type": "string", "description": "Slug"},
                    "organization": {"type": "string", "description": "Slug"}, "role": role,
                }),
            ),
        ),
    ] {
        m.insert(name.to_string(), schema);
    }
    m.extend(super::openapi_requests::schemas());
    m.insert("Adoption".into(), super::openapi_adoption::schema());
    m.extend(super::openapi_approvals::schemas());
    m
}

fn operation(e: &Endpoint) -> Value {
    let mut params = Vec::new();
    for piece in e.path.split('/') {
        if let Some(name) = piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            params.push(json!({"name": name, "in": "path", "required": true, "schema": int()}));
        }
    }
    if e.list && e.paged {
        params.push(
            json!({"name": "limit", "in": "query", "schema": {"type": "integer",
            "minimum": 1, "maximum": PageQuery::MAX, "default": PageQuery::DEFAULT}}),
        );
        params.push(json!({"name": "after", "in": "query", "description": "The `next_after` of the previous page", "schema": int()}));
    }
    for p in e.query {
        let schema = match p.kind {
            ParamKind::String => string(),
            ParamKind::Integer => int(),
            ParamKind::Bounded(lo, hi) => json!({"type": "integer", "minimum": lo, "maximum": hi}),
        };
        params.push(
            json!({"name": p.name, "in": "query", "description": p.description, "schema": schema}),
        );
    }
    let problem = json!({"description": "Problem", "content": {"application/problem+json": {"schema": r("Problem")}}});
    let mut responses = Map::new();
    let ok_status = match (e.method, e.response) {
        ("post", Some(_)) => "201",
        (_, Some(_)) => "200",
        (_, None) => "204",
    };
    let ok = match (e.response, e.list, e.media) {
        (Some(s), _, Some(media)) => {
            json!({"description": "The file", "content": {media: {"schema": r(s)}}})
        }
        (Some(s), true, None) => {
            json!({"description": "A page", "content": {"application/json": {"schema": {
            "type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": r(s)}, "next_after": nullable("integer")}}}}})
        }
        (Some(s), false, None) => {
            json!({"description": "OK", "content": {"application/json": {"schema": r(s)}}})
        }
        (None, _, _) => json!({"description": "Done"}),
    };
    responses.insert(ok_status.into(), ok);
    for code in ["400", "401", "403", "404", "409"] {
        responses.insert(code.into(), problem.clone());
    }
    // A body can be too large, or of a kind the route does not take.
    if e.body.is_some() {
        for code in ["413", "415"] {
            responses.insert(code.into(), problem.clone());
        }
    }
    let mut op = json!({
        "summary": e.summary,
        "tags": [e.tag],
        "operationId": format!("{}{}", e.method, e.path.replace(['/', '{', '}'], "_")),
        "parameters": params,
        "responses": responses,
        "x-scope": e.scope.as_str(),
        "x-access": e.need.describe(),
    });
    if let (Some(body), Some(obj)) = (e.body, op.as_object_mut()) {
        let media = match body {
            "FileContent" => "application/octet-stream",
            "RequestCsv" => "text/csv",
            "FileForm" => "multipart/form-data",
            _ => "application/json",
        };
        obj.insert(
            "requestBody".into(),
            json!({"required": true, "content": {media: {"schema": r(body)}}}),
        );
    }
    op
}

/// The whole document.
pub fn document(endpoints: &[Endpoint]) -> Value {
    let mut paths = Map::new();
    for e in endpoints {
        let entry = paths
            .entry(e.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(obj) = entry.as_object_mut() {
            obj.insert(e.method.to_string(), operation(e));
        }
    }
    paths.insert(
        "/api/v1/openapi.json".into(),
        json!({"get": {"summary": "This document", "tags": ["meta"], "operationId": "get_openapi",
                       "security": [], "responses": {"200": {"description": "OpenAPI 3.1",
                           "content": {"application/json": {"schema": {"type": "object"}}}}}}}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Parvis API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Intranet and extranet API. Authenticate with `Authorization: Bearer pvs_…` \
                (a personal access token); every answer is trimmed to what the token's owner may see. \
                Errors are RFC 9457 problem details with a stable `code`.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_a_route_names_exists() {
        let api = crate::server::api::routes(
            &crate::web::csrf::Guard { max_form: 1 },
            crate::content::KINDS,
        );
        let known = schemas();
        for e in &api.endpoints {
            for name in e.body.iter().chain(e.response.iter()) {
                assert!(
                    known.contains_key(*name),
                    "{} {} names {name}",
                    e.method,
                    e.path
                );
            }
        }
        let doc = document(&api.endpoints);
        let text = doc.to_string();
        for piece in text.split("#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap_or("");
            assert!(known.contains_key(name), "dangling $ref {name}");
        }
    }

    #[test]
    fn every_api_route_is_registered_through_the_builder() {
        // A route added beside the builder would escape the document.
        let mut stack = vec![std::path::PathBuf::from("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("server/api.rs") {
                    continue;
                }
                let text: String = std::fs::read_to_string(&path)
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert!(
                    !text.contains(".route(\"/api/"),
                    "{} adds an API route outside server::api::routes",
                    path.display()
                );
            }
        }
    }
}
