//! Folders bound to flow templates, set by the space's managers: a file
//! that lands in one (or below it) starts the flow (`submissions`).

use super::events::Bound;
use super::store;
use crate::access::{Actor, SpaceAction};
use crate::content::events::record;
use crate::service::{Error, Result};
use rusqlite::{Connection, Transaction};

/// A bound folder: its id and name, its template's id and name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Binding {
    pub folder: i64,
    pub folder_name: String,
    pub template: i64,
    pub template_name: String,
}

/// Binds `folder` to `template` (of the folder's space), or unbinds it.
pub fn bind_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    folder: i64,
    template: Option<i64>,
) -> Result<()> {
    let f = crate::documents::store::folder(tx, folder)?.ok_or(Error::NotFound)?;
    crate::access::require_folder(tx, actor, f.space_id, Some(f.id), SpaceAction::Manage)?;
    if let Some(t) = template {
        store::template_for_start(tx, t, f.space_id)?
            .ok_or(Error::invalid("template", "approval-template-unknown"))?;
    }
    let by = actor.principal().map(|p| p.person_id);
    store::bind(tx, folder, template, by, crate::util::now_ms())?;
    record(
        tx,
        actor,
        &Bound {
            id: f.space_id,
            folder,
            template,
        },
    )?;
    Ok(())
}

/// A space's bound folders, for those who may start a flow there.
pub fn of_space(c: &Connection, actor: &Actor, space: i64) -> Result<Vec<Binding>> {
    let role = crate::access::require_space(c, actor, space, SpaceAction::Contribute)?;
    let filter = crate::access::folders_filter_for(actor, role, "f");
    let visible: std::collections::HashSet<i64> =
        crate::documents::store::all_folders(c, space, &filter)?
            .into_iter()
            .map(|f| f.id)
            .collect();
    Ok(store::bindings(c, space)?
        .into_iter()
        .filter(|(folder, ..)| visible.contains(folder))
        .map(|(folder, folder_name, template, template_name)| Binding {
            folder,
            folder_name,
            template,
            template_name,
        })
        .collect())
}
