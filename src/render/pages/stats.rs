//! The tally's page (`/stats/`).

use super::{PageView, Target};
use crate::render::{views, Renderer};

pub(super) fn view(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let title = "发稿与阅读统计";
    view.common(
        title,
        "stats/",
        views::crumbs(renderer.site, vec![(title.into(), None)]),
    );
    let page = crate::stats::page::StatsPage::new(renderer.tally());
    view.insert("tally", &page.strip);
    view.insert("stats", &page);
    Target::at("stats.html", "stats/")
}
