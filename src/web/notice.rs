//! The notice a page shows after an action, asked for by the redirect that
//! follows it (`?notice=saved`). Each page lists the notices it may show,
//! with their message keys written out whole (the translation test sees
//! them); any other value is ignored, so a link cannot make a page say
//! something it never says. Shown by the `notice.html` partial.

use crate::i18n::Tr;

/// A notice: the value of `?notice=` and its message.
#[derive(Debug, Clone, Copy)]
pub struct Notice {
    pub param: &'static str,
    pub key: &'static str,
}

impl Notice {
    pub const fn new(param: &'static str, key: &'static str) -> Notice {
        Notice { param, key }
    }
}

/// The message of `raw` if it is one of `allowed`, in the viewer's language.
pub fn shown(tr: &Tr, allowed: &[Notice], raw: Option<&str>) -> Option<String> {
    key(allowed, raw).map(|k| tr.t(k).to_string())
}

/// The message key of `raw` if it is one of `allowed`.
pub fn key(allowed: &[Notice], raw: Option<&str>) -> Option<&'static str> {
    let raw = raw?;
    allowed.iter().find(|n| n.param == raw).map(|n| n.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[Notice] = &[
        Notice::new("saved", "notice-admin-saved"),
        Notice::new("deleted", "notice-admin-deleted"),
    ];

    #[test]
    fn only_listed_notices_are_shown() {
        assert_eq!(key(LIST, Some("saved")), Some("notice-admin-saved"));
        assert_eq!(key(LIST, Some("notice-admin-saved")), None);
        assert_eq!(key(LIST, Some("<script>")), None);
        assert_eq!(key(LIST, None), None);
    }
}
