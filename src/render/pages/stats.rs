//! The tally's page (`/stats/`).

use std::collections::BTreeMap;

use super::{PageView, Target};
use crate::render::{views, Renderer};

/// The charts' own text size, in the SVG's units (`font-size="12"`).
const CHART_TEXT_UNITS: f64 = 12.0;

pub(super) fn view(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let title = "发稿与阅读统计";
    view.common(
        title,
        "stats/",
        views::crumbs(renderer.site, vec![(title.into(), None)]),
    );
    let page = crate::stats::page::StatsPage::new(renderer.tally());
    let widths: BTreeMap<&str, String> = page
        .sections
        .iter()
        .filter_map(|s| Some((s.id, chart_width_em(s.chart.as_deref()?)?)))
        .collect();
    view.insert("tally", &page.strip);
    view.insert("stats", &page);
    view.insert("chart_widths", &widths);
    Target::at("stats.html", "stats/")
}

/// A chart's width in em of the text around it, so that its labels are drawn
/// at that text's size: a chart squeezed to a phone's width would shrink them
/// to 6px; drawn at full size it scrolls sideways inside its box instead.
fn chart_width_em(svg: &str) -> Option<String> {
    let (_, rest) = svg.split_once("viewBox=\"")?;
    let width: f64 = rest.split_whitespace().nth(2)?.parse().ok()?;
    Some(format!("{:.2}", width / CHART_TEXT_UNITS))
}

#[cfg(test)]
mod tests {
    use super::chart_width_em;

    #[test]
    fn a_chart_is_as_many_em_wide_as_its_text_allows() {
        let svg = "<svg class=\"chart\" viewBox=\"0 0 600 256\" width=\"600\">";
        assert_eq!(chart_width_em(svg).as_deref(), Some("50.00"));
        assert_eq!(chart_width_em("<svg>"), None);
    }
}
