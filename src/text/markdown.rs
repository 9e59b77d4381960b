//! Markdown, rendered once for every place that shows it (document
//! previews, and the wiki, news, discussions, messages and mail to come):
//! CommonMark with tables, strikethrough and task lists, then sanitized.

/// Markdown to HTML, then through ammonia's allow-list: no script, no
/// event handler, no style, links that can't run code.
pub fn to_html(source: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(source, opts));
    // Table alignment comes as a style attribute, which the page's CSP would
    // refuse anyway: carry it as a class instead.
    for (style, class) in [
        (" style=\"text-align: left\"", " class=\"align-left\""),
        (" style=\"text-align: center\"", " class=\"align-center\""),
        (" style=\"text-align: right\"", " class=\"align-right\""),
    ] {
        out = out.replace(style, class);
    }
    let aligned = ["align-left", "align-center", "align-right"];
    ammonia::Builder::default()
        .add_allowed_classes("th", &aligned)
        .add_allowed_classes("td", &aligned)
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_is_rendered_without_anything_active() {
        let html = to_html(
            "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n<a href=\"https://example.org\" style=\"color:red\">ok</a>",
        );
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td class=\"align-right\">2</td>"), "{html}");
        for bad in ["<script", "javascript:", "onerror", "style="] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
