//! Bar charts drawn on the server as SVG: no script, no build chain. Each
//! chart is an image named by its title; its numbers are also given as a
//! table beside it, which is what screen readers read.

use std::fmt::Write;

/// One bar: its label, its value, and what is written at its end.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars in `colour` (a CSS colour of the portal), `aria-hidden`
/// because the table beside it says the same.
pub fn bars(bars: &[Bar], colour: &str) -> String {
    const ROW: usize = 28;
    const LABEL: usize = 150;
    const WIDTH: usize = 520;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = (bars.len().max(1)) * ROW + 8;
    let colour = escape(colour);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" class=\"chart\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let room = (WIDTH - LABEL - 70) as f64;
        let w = if max > 0.0 {
            (b.value / max * room).max(0.0)
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-label\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" rx=\"3\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{}\" class=\"chart-value\">{}</text>",
            LABEL - 8,
            y + 15,
            escape(&b.label),
            ROW - 8,
            LABEL as f64 + w + 6.0,
            y + 15,
            escape(&b.shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_to_the_largest_and_their_words_escaped() {
        let svg = bars(
            &[
                Bar {
                    label: "A <b>".into(),
                    value: 10.0,
                    shown: "10".into(),
                },
                Bar {
                    label: "B".into(),
                    value: 5.0,
                    shown: "5".into(),
                },
            ],
            "#1a56db\"/><script>",
        );
        assert!(
            svg.contains("width=\"300.0\"") && svg.contains("width=\"150.0\""),
            "{svg}"
        );
        assert!(
            svg.contains("A &lt;b&gt;") && !svg.contains("<script>"),
            "{svg}"
        );
        assert!(bars(&[], "#000").starts_with("<svg"));
    }
}
