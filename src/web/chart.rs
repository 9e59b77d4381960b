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

/// A label cut to what fits beside the bars (the table has it whole).
fn fitted(label: &str) -> String {
    const FITS: usize = 17;
    if label.chars().count() <= FITS {
        return label.to_string();
    }
    let mut cut: String = label.chars().take(FITS - 1).collect();
    cut.push('…');
    cut
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
            escape(&fitted(&b.label)),
            ROW - 8,
            LABEL as f64 + w + 6.0,
            y + 15,
            escape(&b.shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical columns for a series in time (days, weeks), oldest first; a
/// label under every `label_every`-th column so that labels never collide.
pub fn columns(bars: &[Bar], colour: &str) -> String {
    const HEIGHT: f64 = 160.0;
    const TOP: f64 = 18.0;
    const BOTTOM: f64 = 22.0;
    const WIDTH: f64 = 640.0;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let n = bars.len().max(1);
    let step = WIDTH / n as f64;
    let gap = (step * 0.2).min(6.0);
    let label_every = n.div_ceil(8).max(1);
    let colour = escape(colour);
    let total = HEIGHT + TOP + BOTTOM;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {total}\" class=\"chart\" aria-hidden=\"true\" focusable=\"false\">\
         <line x1=\"0\" y1=\"{y}\" x2=\"{WIDTH}\" y2=\"{y}\" class=\"chart-axis\"/>",
        y = TOP + HEIGHT,
    );
    for (i, b) in bars.iter().enumerate() {
        let h = if max > 0.0 {
            (b.value / max * HEIGHT).max(0.0)
        } else {
            0.0
        };
        let x = i as f64 * step + gap / 2.0;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" rx=\"2\" fill=\"{colour}\"/>",
            TOP + HEIGHT - h,
            step - gap,
        );
        // The largest value is written above its column; the table has the rest.
        if max > 0.0 && b.value == max {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"chart-value\">{}</text>",
                x + (step - gap) / 2.0,
                TOP + HEIGHT - h - 4.0,
                escape(&b.shown),
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-label\">{}</text>",
                x,
                total - 4.0,
                escape(&b.label),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_scaled_and_labels_spaced() {
        let bars: Vec<Bar> = (0..30)
            .map(|i| Bar {
                label: format!("d{i}"),
                value: i as f64,
                shown: i.to_string(),
            })
            .collect();
        let svg = columns(&bars, "#123456");
        assert_eq!(svg.matches("<rect").count(), 30);
        assert!(svg.contains("height=\"160.0\""), "{svg}");
        assert_eq!(svg.matches("class=\"chart-label\"").count(), 8, "{svg}");
        assert!(svg.contains(">29</text>") && !svg.contains(">28</text>"));
        assert!(columns(&[], "#000").starts_with("<svg"));
    }

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
        assert_eq!(
            fitted("Nordhavn — Warehouse automation"),
            "Nordhavn — Wareh…"
        );
        assert_eq!(fitted("Engineering"), "Engineering");
    }
}
