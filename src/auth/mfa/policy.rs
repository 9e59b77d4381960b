//! Who must use a second factor: everyone signing in on a portal that
//! requires it, administrators when the instance says so, and members of the
//! organization kinds the instance names.

use crate::access::{self, Actor, Principal};
use crate::auth::events;
use crate::content::events::record;
use crate::db::Db;
use crate::organizations::OrgKind;
use crate::portals::Portal;
use crate::service::Result;
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    /// Administrators must use a second factor.
    pub admins: bool,
    /// Members of these kinds of organizations must use one.
    pub kinds: Vec<OrgKind>,
}

const KEY_ADMINS: &str = "mfa.require_admins";
const KEY_KINDS: &str = "mfa.require_kinds";

impl Policy {
    pub fn requires(&self, portal: &Portal, p: &Principal) -> bool {
        portal.require_mfa || (self.admins && p.admin) || self.kinds.contains(&p.org_kind)
    }

    pub fn load(c: &Connection) -> rusqlite::Result<Policy> {
        let get = |key: &str| -> rusqlite::Result<String> {
            Ok(c.query_row(
                "SELECT value FROM instance_settings WHERE key = ?1",
                [key],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .unwrap_or_default())
        };
        Ok(Policy {
            admins: get(KEY_ADMINS)? == "1",
            kinds: get(KEY_KINDS)?
                .split(',')
                .filter_map(|k| OrgKind::parse(k).ok())
                .collect(),
        })
    }

    fn save(&self, c: &Connection) -> rusqlite::Result<()> {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
        for (key, value) in [
            (KEY_ADMINS, if self.admins { "1" } else { "0" }.to_string()),
            (KEY_KINDS, kinds.join(",")),
        ] {
            c.execute(
                "INSERT INTO instance_settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        Ok(())
    }
}

/// Sets the instance-wide policy (administrators only) and reloads the portals
/// that carry it.
pub async fn set(
    db: &Db,
    registry: &crate::portals::Registry,
    actor: &Actor,
    policy: Policy,
) -> Result<()> {
    access::require_admin(actor)?;
    let actor = *actor;
    db.write(move |tx| {
        policy.save(tx)?;
        record(
            tx,
            &actor,
            &events::MfaPolicySet {
                admins: policy.admins,
                kinds: &policy.kinds,
            },
        )?;
        Ok::<_, crate::service::Error>(())
    })
    .await?;
    registry.reload(db).await
}
