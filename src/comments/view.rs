//! Comments in the pages of other kinds: the section an item's page shows
//! (its reactions, its comments, the form to write one), and what a page
//! showing reactions asks of itself.

use super::model::{Comment, Count, On, Reaction};
use super::{reactions, service};
use crate::app::AppState;
use crate::service::Error;
use crate::talk::Writer;
use crate::web::error::HttpError;
use crate::web::extract::Signed;
use crate::web::page::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "comments_section.html")]
struct Section {
    page: Chrome,
    on: String,
    /// Reactions on the item itself, when its kind takes them.
    item_reactions: Option<Vec<Count>>,
    comments: Vec<Comment>,
    total: i64,
    next: Option<i64>,
}

/// Labels shared by the section and the form page.
pub(super) trait Says {
    fn chrome(&self) -> &Chrome;

    fn writer(&self, w: &Writer) -> String {
        match &w.name {
            Some(n) => n.clone(),
            None => self.chrome().tr.t("discussion-former-member").to_string(),
        }
    }
}

/// What a page showing reactions (`reactions_row.html`) asks of itself.
pub trait Reacts {
    fn tr(&self) -> &crate::i18n::Tr;

    fn reaction_label(&self, r: &Reaction) -> String {
        self.tr().t(&format!("reaction-{}", r.name())).to_string()
    }

    fn all_reactions(&self) -> &'static [Reaction] {
        &Reaction::ALL
    }
}

impl Says for Section {
    fn chrome(&self) -> &Chrome {
        &self.page
    }
}

impl Reacts for Section {
    fn tr(&self) -> &crate::i18n::Tr {
        &self.page.tr
    }
}

impl Section {
    fn comment_on(&self, c: &Comment) -> String {
        format!("comment:{}", c.id)
    }
}

/// The comments section of `on`'s page, as HTML for that page to include;
/// empty when the viewer may not see the item or its kind takes none.
pub async fn section(state: &AppState, signed: &Signed, on: On) -> Result<String, HttpError> {
    let actor = signed.actor();
    let thread = service::thread(&state.db, state.kinds, &actor, on.clone(), 0).await?;
    let item_reactions = match reactions::of(&state.db, state.kinds, &actor, on.clone()).await {
        Ok(r) => Some(r),
        Err(Error::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let s = Section {
        page: Chrome::new(&signed.ctx, "", ""),
        on: thread.on,
        item_reactions,
        comments: thread.comments,
        total: thread.total,
        next: thread.next,
    };
    Ok(s.render()?)
}
