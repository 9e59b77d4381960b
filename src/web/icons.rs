//! The few icons pages use, as inline SVG: they render without an emoji font,
//! take the text's colour, and stay out of the accessibility tree (the text
//! beside them, visible or not, says what they mean).

/// The SVG markup of an icon, or nothing for an unknown name.
pub fn svg(name: &str) -> &'static str {
    match name {
        "folder" => concat!(
            r#"<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="18" height="18">"#,
            r#"<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" "#,
            r#"d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.6l2 2.2h8.4A1.5 1.5 0 0 1 21 8.7v9.8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z"/></svg>"#
        ),
        "lock" => concat!(
            r#"<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="16" height="16">"#,
            r#"<rect x="5" y="10.5" width="14" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="2"/>"#,
            r#"<path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" stroke-width="2"/></svg>"#
        ),
        "check" => concat!(
            r#"<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="18" height="18">"#,
            r#"<path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2.4" "#,
            r#"stroke-linecap="round" stroke-linejoin="round"/></svg>"#
        ),
        "file" => concat!(
            r#"<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="16" height="16">"#,
            r#"<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" "#,
            r#"d="M6 3h8l4 4v14H6z M14 3v4h4"/></svg>"#
        ),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_icon_is_hidden_from_assistive_technology() {
        for name in ["folder", "lock", "check", "file"] {
            let s = super::svg(name);
            assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{name}");
            assert!(s.contains(r#"aria-hidden="true""#), "{name}");
        }
        assert_eq!(super::svg("nope"), "");
    }
}
