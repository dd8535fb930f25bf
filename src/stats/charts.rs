//! Charts of the `/stats/` page, drawn as inline SVG when the site is built:
//! no script, nothing to download, readable on an intranet. Every bar and
//! point carries its label and figure (`data-label`, `data-value` and a
//! `<title>` tooltip); the page puts a text table beside each chart for
//! screen readers, with the same figures.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

const SERIES_COLORS: [&str; 2] = ["#b00000", "#1f5fa8"];
const FONT: &str = "font-family=\"sans-serif\" font-size=\"12\"";

/// One series of a chart: its name, unit and one figure per item.
pub struct Series<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub values: Vec<f64>,
}

/// Monthly bars with, optionally, a running total drawn as a line on its own
/// scale (right axis). `labels` are `2024-03` month keys.
pub fn month_bars(
    title: &str,
    labels: &[String],
    bars: &Series<'_>,
    line: Option<&Series<'_>>,
) -> String {
    let n = labels.len().max(1);
    let step = if n > 48 { 10.0 } else { 22.0 };
    let (left, right, top, bottom) = (52.0, if line.is_some() { 60.0 } else { 16.0 }, 34.0, 42.0);
    let plot_w = step * n as f64;
    let plot_h = 180.0;
    let width = (left + plot_w + right).max(320.0);
    let height = top + plot_h + bottom;
    let mut svg = open(title, width, height);
    legend(
        &mut svg,
        left,
        &[Some(bars), line].into_iter().flatten().collect::<Vec<_>>(),
        &[false, true],
    );

    let bar_max = nice_max(bars.values.iter().copied().fold(0.0, f64::max));
    axis(&mut svg, left, top, plot_w, plot_h, bar_max, true);
    for (i, (label, value)) in labels.iter().zip(&bars.values).enumerate() {
        let h = plot_h * value / bar_max;
        let x = left + step * i as f64 + step * 0.15;
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\" data-label=\"{}\" data-value=\"{}\"><title>{}：{} {}</title></rect>",
            top + plot_h - h,
            step * 0.7,
            SERIES_COLORS[0],
            esc(label),
            number(*value),
            esc(&month_name(label)),
            number(*value),
            esc(bars.unit),
        );
    }
    if let Some(line) = line {
        let line_max = nice_max(line.values.iter().copied().fold(0.0, f64::max));
        axis(&mut svg, left + plot_w, top, 0.0, plot_h, line_max, false);
        let points: Vec<(f64, f64)> = line
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    left + step * i as f64 + step / 2.0,
                    top + plot_h - plot_h * v / line_max,
                )
            })
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"line\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
            SERIES_COLORS[1],
            path.join(" ")
        );
        for ((x, y), (label, value)) in points.iter().zip(labels.iter().zip(&line.values)) {
            let _ = write!(
                svg,
                "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{}\" data-label=\"{}\" data-value=\"{}\"><title>{}{}：{} {}</title></circle>",
                SERIES_COLORS[1],
                esc(label),
                number(*value),
                esc(&month_name(label)),
                esc(line.name),
                number(*value),
                esc(line.unit),
            );
        }
    }
    // Month numbers under the bars; the year under the first month and each January.
    for (i, label) in labels.iter().enumerate() {
        let (year, month) = label.split_once('-').unwrap_or((label, ""));
        let x = left + step * i as f64 + step / 2.0;
        let month_number = month.trim_start_matches('0');
        if n <= 48 || month == "01" {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" {FONT} fill=\"#555\">{}</text>",
                top + plot_h + 14.0,
                esc(month_number)
            );
        }
        // The first month gets its year too, when the next January is not too close.
        let first_has_room = i == 0 && month.parse::<u32>().is_ok_and(|m| m <= 10);
        if first_has_room || month == "01" {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"start\" {FONT} fill=\"#333\">{}年</text>",
                top + plot_h + 30.0,
                esc(year)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one group per item, one bar per series.
pub fn horizontal_bars(title: &str, labels: &[String], series: &[Series<'_>]) -> String {
    let label_cols = labels.iter().map(|l| l.width()).max().unwrap_or(4).max(4);
    let left = 12.0 + label_cols as f64 * 6.6;
    let plot_w = 360.0;
    let bar_h = 14.0;
    let group_h = bar_h * series.len() as f64 + 10.0;
    let top = if series.len() > 1 { 34.0 } else { 12.0 };
    let width = left + plot_w + 70.0;
    let height = top + group_h * labels.len().max(1) as f64 + 8.0;
    let mut svg = open(title, width, height);
    if series.len() > 1 {
        legend(
            &mut svg,
            left,
            &series.iter().collect::<Vec<_>>(),
            &[false, false],
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{left:.1}\" y1=\"{:.1}\" x2=\"{left:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>",
        top - 4.0,
        height - 6.0
    );
    // One scale for every series, so that bars side by side compare honestly.
    let max = nice_max(
        series
            .iter()
            .flat_map(|one| one.values.iter().copied())
            .fold(0.0, f64::max),
    );
    for (s, one) in series.iter().enumerate() {
        for (i, (label, value)) in labels.iter().zip(&one.values).enumerate() {
            let y = top + group_h * i as f64 + bar_h * s as f64;
            let w = plot_w * value / max;
            let _ = write!(
                svg,
                "<rect class=\"bar\" x=\"{left:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\" data-series=\"{}\" data-label=\"{}\" data-value=\"{}\"><title>{}{}：{} {}</title></rect>",
                bar_h - 2.0,
                SERIES_COLORS[s % SERIES_COLORS.len()],
                esc(one.name),
                esc(label),
                number(*value),
                esc(label),
                esc(one.name),
                number(*value),
                esc(one.unit),
            );
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} fill=\"#333\">{}</text>",
                left + w + 4.0,
                y + bar_h - 4.0,
                number(*value)
            );
        }
    }
    for (i, label) in labels.iter().enumerate() {
        let y = top + group_h * i as f64 + bar_h * series.len() as f64 / 2.0 + 4.0;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT} fill=\"#333\">{}</text>",
            left - 6.0,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn open(title: &str, width: f64, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"{}（数据见下表）\"><title>{}</title>",
        esc(title),
        esc(title)
    )
}

fn legend(svg: &mut String, left: f64, series: &[&Series<'_>], as_line: &[bool]) {
    let mut x = left;
    for (i, one) in series.iter().enumerate() {
        let color = SERIES_COLORS[i % SERIES_COLORS.len()];
        if as_line.get(i).copied().unwrap_or(false) {
            let _ = write!(
                svg,
                "<line x1=\"{x:.1}\" y1=\"12\" x2=\"{:.1}\" y2=\"12\" stroke=\"{color}\" stroke-width=\"2\"/>",
                x + 14.0
            );
        } else {
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"6\" width=\"14\" height=\"12\" fill=\"{color}\"/>"
            );
        }
        let text = format!("{}（{}）", one.name, one.unit);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"16\" {FONT} fill=\"#333\">{}</text>",
            x + 18.0,
            esc(&text)
        );
        x += 18.0 + text.width() as f64 * 6.6 + 16.0;
    }
}

/// A vertical axis with three labelled ticks; `left_side` puts labels left of it.
fn axis(svg: &mut String, x: f64, top: f64, plot_w: f64, plot_h: f64, max: f64, left_side: bool) {
    let _ = write!(
        svg,
        "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>",
        top + plot_h
    );
    for k in 0..=2 {
        let value = max * k as f64 / 2.0;
        let y = top + plot_h - plot_h * k as f64 / 2.0;
        if left_side {
            let _ = write!(
                svg,
                "<line x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
                x + plot_w
            );
        }
        let (tx, anchor) = if left_side {
            (x - 6.0, "end")
        } else {
            (x + 6.0, "start")
        };
        let _ = write!(
            svg,
            "<text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" {FONT} fill=\"#555\">{}</text>",
            y + 4.0,
            number(value)
        );
    }
}

/// The smallest 1, 2 or 5 times a power of ten at or above `max` (at least 1),
/// so that axis labels are round numbers.
fn nice_max(max: f64) -> f64 {
    if max <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for factor in [1.0, 2.0, 5.0, 10.0] {
        if factor * magnitude >= max {
            return factor * magnitude;
        }
    }
    10.0 * magnitude
}

/// A figure as the table shows it: whole numbers without decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `2024-03` → `2024年03月`
fn month_name(key: &str) -> String {
    match key.split_once('-') {
        Some((year, month)) => format!("{year}年{month}月"),
        None => key.to_string(),
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(13.0), 20.0);
        assert_eq!(nice_max(4200.0), 5000.0);
        assert_eq!(nice_max(50.0), 50.0);
    }

    #[test]
    fn labels_are_escaped() {
        let svg = horizontal_bars(
            "测试",
            &["A&B<社区>".to_string()],
            &[Series {
                name: "发稿",
                unit: "篇",
                values: vec![3.0],
            }],
        );
        assert!(svg.contains("A&amp;B&lt;社区&gt;"));
        assert!(!svg.contains("A&B"));
    }
}
