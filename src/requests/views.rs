//! Saved views of the requests list: a person names the filters they use
//! ("late deliveries") and finds them again beside the list; each sees
//! their own alone. A view keeps its filters, never its results: what it
//! shows is what the list shows its reader now.

use super::list::Filter;
use crate::access::Actor;
use crate::db::Db;
use crate::service::{Error, Result};
use serde::Serialize;

/// At most this many views per person.
pub const MAX_VIEWS: i64 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub id: i64,
    pub name: String,
    /// The list's query string.
    pub query: String,
}

fn me(actor: &Actor) -> Result<i64> {
    actor
        .principal()
        .map(|p| p.person_id)
        .ok_or(Error::Unauthorized)
}

/// The actor's views, by name.
pub async fn mine(db: &Db, actor: &Actor) -> Result<Vec<View>> {
    let person = me(actor)?;
    db.read(move |c| {
        Ok(c.prepare_cached(
            "SELECT id, name, query FROM request_views WHERE person_id = ?1 ORDER BY name",
        )?
        .query_map([person], |r| {
            Ok(View {
                id: r.get(0)?,
                name: r.get(1)?,
                query: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
    })
    .await
}

/// Saves `filter` as the actor's view `name` (the same name again
/// replaces it).
pub async fn save(db: &Db, actor: &Actor, name: &str, filter: &Filter) -> Result<View> {
    let person = me(actor)?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "request-view-name"));
    }
    let query = serde_urlencoded::to_string(filter).map_err(|e| Error::Internal(e.to_string()))?;
    if query.is_empty() {
        return Err(Error::invalid("name", "request-view-empty"));
    }
    db.write(move |tx| {
        let count: i64 = tx.query_row(
            "SELECT count(*) FROM request_views WHERE person_id = ?1 AND name <> ?2",
            rusqlite::params![person, name],
            |r| r.get(0),
        )?;
        if count >= MAX_VIEWS {
            return Err(Error::invalid("name", "request-view-too-many"));
        }
        let id: i64 = tx.query_row(
            "INSERT INTO request_views (person_id, name, query, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, name) DO UPDATE SET query = excluded.query
             RETURNING id",
            rusqlite::params![person, name, query, crate::util::now_ms()],
            |r| r.get(0),
        )?;
        Ok(View { id, name, query })
    })
    .await
}

/// Deletes one of the actor's views; anyone else's is not found.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let person = me(actor)?;
    db.write(move |tx| {
        let n = tx.execute(
            "DELETE FROM request_views WHERE id = ?1 AND person_id = ?2",
            [id, person],
        )?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    })
    .await
}
