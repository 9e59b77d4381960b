//! How pages say a post: its state, where it sits, its author, its audiences,
//! in the reader's language (the news pages, the home page, a space's).

use super::model::{Post, State};
use crate::access::news::Target;
use crate::web::page::Chrome;

/// What the news pages say of a post, in the reader's language.
pub trait Says {
    fn chrome(&self) -> &Chrome;

    fn state_label(&self, p: &Post) -> &str {
        let tr = &self.chrome().tr;
        match p.state(crate::util::now_ms()) {
            State::Draft => tr.t("news-state-draft"),
            State::Scheduled => tr.t("news-state-scheduled"),
            State::Published => tr.t("news-state-published"),
            State::Expired => tr.t("news-state-expired"),
        }
    }

    /// Where it sits: its space, or the whole instance.
    fn where_label(&self, p: &Post) -> String {
        match &p.space {
            Some(s) => s.name.clone(),
            None => self.chrome().tr.t("news-instance").to_string(),
        }
    }

    fn author(&self, p: &Post) -> String {
        p.author_name
            .clone()
            .unwrap_or_else(|| self.chrome().tr.t("news-author-unknown").to_string())
    }

    /// When it came out (or will), or when it was last changed (a draft).
    fn when<'a>(&self, p: &'a Post) -> &'a i64 {
        p.publish_at.as_ref().unwrap_or(&p.updated_at)
    }

    fn is_live(&self, p: &Post) -> bool {
        p.state(crate::util::now_ms()) == State::Published
    }
}

/// An audience as a sentence: "Everyone internal", "All clients", a name.
pub fn target_label(tr: &crate::i18n::Tr, t: Target, name: Option<&str>) -> String {
    let name = name.unwrap_or("?").to_string();
    match t {
        Target::Internal => tr.t("news-audience-internal").to_string(),
        Target::OrgKind(k) => tr
            .t(&format!("news-audience-kind-{}", k.as_str()))
            .to_string(),
        Target::Space(_) => tr.t1("news-audience-space", "name", name),
        Target::Org(_) => tr.t1("news-audience-org", "name", name),
        Target::Group(_) => tr.t1("news-audience-group", "name", name),
        Target::Portal(_) => tr.t1("news-audience-portal", "name", name),
    }
}
