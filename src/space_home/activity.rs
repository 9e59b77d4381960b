//! What happened lately in a space, as its home page tells it: files added,
//! new versions, people who joined; and the files changed last. Read from
//! the content itself through the same access filters as the library, so a
//! file in a folder someone may not see, or a person they may not know of,
//! never shows here either.

use crate::access::{self, Actor, SpaceAction};
use crate::db::Db;
use crate::service::{Error, Result};
use crate::spaces::model::MemberRow;

/// One line of the activity list.
#[derive(Debug, Clone)]
pub struct Activity {
    pub at: i64,
    /// Who did it, when the viewer may know of them.
    pub who: Option<String>,
    pub what: What,
}

#[derive(Debug, Clone)]
pub enum What {
    /// A file's first version.
    Added { document: i64, name: String },
    /// A later version of a file.
    Version {
        document: i64,
        name: String,
        number: i64,
    },
    /// A member joined (a person, a group or an organization).
    Joined { kind: &'static str },
}

/// A file of the "recently changed" list.
#[derive(Debug, Clone)]
pub struct RecentFile {
    pub id: i64,
    pub name: String,
    pub updated_at: i64,
    pub size: i64,
}

pub struct Home {
    pub activity: Vec<Activity>,
    pub files: Vec<RecentFile>,
}

const ACTIVITY: usize = 12;
const FILES: usize = 6;

/// The space's recent activity and files for the actor; `members` are the
/// members the actor may know of (from the space's overview).
pub async fn of(db: &Db, actor: &Actor, space_id: i64, members: &[MemberRow]) -> Result<Home> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let actor = *actor;
    let joined: Vec<Activity> = members
        .iter()
        .filter(|m| m.added_at > 0)
        .map(|m| Activity {
            at: m.added_at,
            who: Some(m.name.clone()),
            what: What::Joined { kind: m.kind },
        })
        .collect();
    db.read(move |c| {
        let role = access::require_space(c, &actor, space_id, SpaceAction::Read)?;
        let folders = access::folders_filter(&p, role, "f");
        let people = access::people_filter(&p, "vp");
        // A document is visible when it is at the library's root or every
        // restricted folder on its folder's path admits the viewer.
        let visible = format!(
            "d.space_id = :space AND d.deleted_at IS NULL
             AND (d.folder_id IS NULL OR EXISTS (
                 SELECT 1 FROM folders f WHERE f.id = d.folder_id AND f.deleted_at IS NULL AND {}))",
            folders.sql
        );
        let sql = format!(
            "SELECT v.created_at, v.number, d.id, d.name,
                    (SELECT vp.display_name FROM people vp WHERE vp.id = v.created_by AND {})
             FROM document_versions v JOIN documents d ON d.id = v.document_id
             WHERE {visible}
             ORDER BY v.created_at DESC, v.id DESC LIMIT {ACTIVITY}",
            people.sql
        );
        let mut params = folders.named();
        params.extend(people.named());
        params.push((":space", &space_id));
        let mut activity: Vec<Activity> = c
            .prepare_cached(&sql)?
            .query_map(params.as_slice(), |r| {
                let (number, document, name): (i64, i64, String) =
                    (r.get(1)?, r.get(2)?, r.get(3)?);
                Ok(Activity {
                    at: r.get(0)?,
                    who: r.get(4)?,
                    what: if number == 1 {
                        What::Added { document, name }
                    } else {
                        What::Version {
                            document,
                            name,
                            number,
                        }
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        activity.extend(joined);
        activity.sort_by_key(|a| std::cmp::Reverse(a.at));
        activity.truncate(ACTIVITY);

        let sql = format!(
            "SELECT d.id, d.name, d.updated_at, d.size FROM documents d
             WHERE {visible} ORDER BY d.updated_at DESC, d.id DESC LIMIT {FILES}"
        );
        let mut params = folders.named();
        params.push((":space", &space_id));
        let files = c
            .prepare_cached(&sql)?
            .query_map(params.as_slice(), |r| {
                Ok(RecentFile {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    updated_at: r.get(2)?,
                    size: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Home { activity, files })
    })
    .await
}
