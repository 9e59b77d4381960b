//! People as a kind of content: accounts and profiles, with what proves who
//! they are (sessions, tokens, second factors), which never leaves the
//! instance.

use crate::access::search::person_tokens;
use crate::content::erasure::{clear, delete};
use crate::content::export::{Exported, Files, exported, plain, secret};
use crate::content::search::{Entry, Source};
use crate::content::{ContentKind, Placement, Seen};
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension, params};

pub static KIND: ContentKind = ContentKind {
    name: "person",
    placement: Placement::Instance,
    tables: &[
        exported(
            "people",
            Exported {
                omit: &[
                    "password_hash",
                    "password_must_change",
                    "mfa_failures",
                    "mfa_locked_until",
                ],
                csv: true,
                person: Some("id = ?1"),
                ..plain("people", "id")
            },
        ),
        exported(
            "person_photos",
            Exported {
                files: Files::Column {
                    column: "data",
                    key: "person_id",
                    dir: "people/photos",
                },
                person: Some("person_id = ?1"),
                ..plain("person_photos", "person_id")
            },
        ),
        // The days they were active (adoption figures): theirs to see in
        // their own export.
        exported(
            "adoption_presence",
            Exported {
                person: Some("person_id = ?1"),
                ..plain("adoption_presence", "day, portal_id, person_id")
            },
        ),
        exported(
            "adoption_space_presence",
            Exported {
                person: Some("person_id = ?1"),
                ..plain("adoption_space_presence", "day, space_id, person_id")
            },
        ),
        secret("sessions", "sign-in sessions"),
        secret(
            "api_tokens",
            "personal access tokens (hashes of bearer secrets)",
        ),
        secret("one_time_tokens", "password reset and invitation links"),
        secret("mfa_totp", "authenticator app secrets"),
        secret("mfa_recovery_codes", "second-factor recovery codes"),
        secret(
            "webauthn_credentials",
            "passkeys, bound to this instance's host names",
        ),
        secret(
            "webauthn_registrations",
            "passkey registrations in progress",
        ),
        secret(
            "signin_challenges",
            "sign-ins waiting for their second factor",
        ),
    ],
    search: Some(Source {
        all: "SELECT id FROM people WHERE status = 'active'",
        load: person,
    }),
    blobs: &[],
    erasure: &[
        // The people they sponsored need a new sponsor; an administrator sees them unsponsored.
        clear("people", "sponsor_id"),
        delete("person_photos", "person_id"),
        delete("sessions", "person_id"),
        delete("api_tokens", "person_id"),
        delete("one_time_tokens", "person_id"),
        delete("mfa_totp", "person_id"),
        delete("mfa_recovery_codes", "person_id"),
        delete("webauthn_credentials", "person_id"),
        delete("signin_challenges", "person_id"),
        // The days they were active go; the counters that name nobody stay.
        delete("adoption_presence", "person_id"),
        delete("adoption_space_presence", "person_id"),
    ],
    audit: &[
        "person.create",
        "person.update",
        "person.delete",
        "person.disable",
        "person.enable",
        "person.erase",
        "person.export",
        "person.photo",
        "person.email.change",
        "person.password.set",
        "person.password.change",
        "person.invite",
        "person.invite.accept",
        "person.invite.resend",
        "person.access.end",
        "person.access.renew",
        "person.access.reminder",
    ],
    seen: Seen {
        by: crate::access::seen::person,
        live: &["person.create", "person.update", "person.photo"],
    },
    notify: crate::content::NOBODY,
    talk: crate::content::SILENT,
    pages: super::kind_routes::pages,
    api: super::kind_routes::api,
};

fn person(c: &Connection, id: i64) -> Result<Option<Entry>> {
    let row = c
        .prepare_cached(
            "SELECT display_name, title, department, skills, updated_at FROM people
             WHERE id = ?1 AND status = 'active'",
        )?
        .query_row(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .optional()?;
    let Some((name, title, department, skills, updated)) = row else {
        return Ok(None);
    };
    Ok(Some(Entry {
        allow: person_tokens(c, id)?,
        title: name,
        tags: skills,
        body: [title, department]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        updated,
        url: format!("/people/{id}"),
        ..Entry::default()
    }))
}
