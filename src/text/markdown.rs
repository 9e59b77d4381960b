//! Markdown, rendered once for every place that shows it (document
//! previews, and the wiki, news, discussions, messages and mail to come):
//! CommonMark with tables, strikethrough and task lists, then sanitized.

/// Quotes and lists nested deeper than this are read as text: parsing and
/// sanitizing grow with the square of the depth, and nobody writes deeper.
const MAX_NESTING: usize = 16;

/// The source with every line's containers (`>` quotes, `-`/`*`/`+` and
/// numbered list items) beyond `MAX_NESTING` escaped, so they stay text.
fn limit_nesting(source: &str) -> std::borrow::Cow<'_, str> {
    fn deep(line: &str) -> Option<usize> {
        let b = line.as_bytes();
        let (mut i, mut depth) = (0, 0);
        loop {
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
            let marker = match b.get(i) {
                Some(b'>') => 1,
                Some(b'-' | b'*' | b'+') if matches!(b.get(i + 1), Some(b' ' | b'\t')) => 1,
                Some(c) if c.is_ascii_digit() => {
                    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    match (b.get(i + digits), b.get(i + digits + 1)) {
                        (Some(b'.' | b')'), Some(b' ' | b'\t')) if digits <= 9 => digits + 1,
                        _ => return None,
                    }
                }
                _ => return None,
            };
            if depth == MAX_NESTING {
                return Some(i);
            }
            depth += 1;
            i += marker;
        }
    }
    if !source.lines().any(|l| deep(l).is_some()) {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len() + 64);
    for line in source.split_inclusive('\n') {
        match deep(line) {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push('\\');
                out.push_str(&line[at..]);
            }
            None => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Markdown to HTML, then through ammonia's allow-list: no script, no
/// event handler, no style, links that can't run code. Raw HTML in the
/// source is left out (the Markdown says everything it may).
pub fn to_html(source: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let source = limit_nesting(source);
    let events = Parser::new_ext(&source, opts)
        .filter(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(mention_to_profile);
    let mut out = String::new();
    html::push_html(&mut out, events);
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

/// The person a link names as a mention (`@[Name](mention:42)`), if it does.
fn mention_of(dest: &str) -> Option<i64> {
    dest.strip_prefix("mention:")?
        .parse()
        .ok()
        .filter(|id| *id > 0)
}

/// A mention links to the person's page (which says whether the reader may
/// see them); any other `mention:` link is no link at all.
fn mention_to_profile(e: pulldown_cmark::Event<'_>) -> pulldown_cmark::Event<'_> {
    use pulldown_cmark::{Event, Tag};
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with("mention:") => Event::Start(Tag::Link {
            link_type,
            dest_url: match mention_of(&dest_url) {
                Some(person) => format!("/people/{person}").into(),
                None => "".into(),
            },
            title,
            id,
        }),
        other => other,
    }
}

/// The people a Markdown text mentions (`@[Name](mention:<id>)`), each once,
/// in the order they come.
pub fn mentions(source: &str) -> Vec<i64> {
    use pulldown_cmark::{Event, Parser, Tag};
    let source = limit_nesting(source);
    let mut out = Vec::new();
    for event in Parser::new(&source) {
        if let Event::Start(Tag::Link { dest_url, .. }) = event
            && let Some(id) = mention_of(&dest_url)
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// The text of the Markdown's first words, at most `max` characters (with
/// an ellipsis when cut), for lists and notices: no markup at all.
pub fn plain_excerpt(source: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    let source = limit_nesting(source);
    for event in Parser::new(&source) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            // Between blocks and lines, not where emphasis ends ("**AI**.").
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) if !out.ends_with(' ') && !out.is_empty() => {
                out.push(' ');
            }
            _ => {}
        }
        if out.chars().count() > max {
            break;
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{mentions, plain_excerpt, to_html};

    #[test]
    fn an_excerpt_is_plain_text_cut_at_a_bound() {
        assert_eq!(
            plain_excerpt("# Hello\n\nSome *bold*. <b>x</b> [link](javascript:x)", 100),
            "Hello Some bold. x link"
        );
        let long = "word ".repeat(100);
        let e = plain_excerpt(&long, 20);
        assert!(e.chars().count() <= 20 && e.ends_with('…'), "{e}");
        // Deep nesting and a huge input stay bounded.
        let deep = ">".repeat(50_000) + " x";
        assert!(plain_excerpt(&deep, 10).len() < 20);
    }

    #[test]
    fn hostile_markdown_renders_without_recursion_trouble() {
        // 100 KB each, the most a post's body holds.
        for deep in [
            ">".repeat(100_000),
            "- ".repeat(50_000) + "x",
            "1. ".repeat(33_000) + "x",
            "> - ".repeat(25_000) + "x",
            "[".repeat(100_000),
            "*".repeat(100_000),
            "<div>".repeat(20_000),
            "| a ".repeat(25_000) + "\n" + &"|--".repeat(25_000),
        ] {
            let t = std::time::Instant::now();
            let html = to_html(&deep);
            assert!(
                t.elapsed() < std::time::Duration::from_secs(3),
                "{}… took {:?}",
                &deep[..4],
                t.elapsed()
            );
            assert!(!html.contains("<script"));
        }
    }

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

    #[test]
    fn mentions_are_read_once_and_link_to_the_person() {
        let text = "Hi @[Ana](mention:4) and @[Bo](mention:9), @[Ana](mention:4) again; \
                    [x](mention:0) [y](mention:abc) [z](https://e.example)";
        assert_eq!(mentions(text), [4, 9]);
        let html = to_html(text);
        assert!(html.contains("href=\"/people/4\""), "{html}");
        assert!(!html.contains("mention:"), "{html}");
        assert_eq!(mentions("`@[Ana](mention:4)` in code"), Vec::<i64>::new());
    }
}
