//! Pages that list the whole site once: tags, communities, activity
//! records, the archive and its years; and the pages with little of their
//! own (search, 404).

use std::collections::BTreeMap;

use serde::Serialize;

use super::lists::CommunitySummary;
use super::{PageView, Target};
use crate::render::views::{self, url};
use crate::render::Renderer;

#[derive(Serialize)]
struct Counted<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ActivityYear<'a> {
    year: i32,
    totals: views::ActivityTotals,
    activities: Vec<views::ActivityView<'a>>,
}

#[derive(Serialize)]
struct MonthCount {
    month: u32,
    count: usize,
    url: String,
}

#[derive(Serialize)]
struct ArchiveYear {
    year: i32,
    count: usize,
    url: String,
    months: Vec<MonthCount>,
}

#[derive(Serialize)]
struct ArchiveMonth<'a, 'l> {
    month: u32,
    articles: super::Cards<'a, 'l>,
}

/// The common values of a page named `title` at `path`, its trail that name alone.
fn titled(renderer: &Renderer<'_>, view: &mut PageView<'_>, title: &str, path: &str) {
    view.common(
        title,
        path,
        views::crumbs(renderer.site, vec![(title.into(), None)]),
    );
}

pub(super) fn tags(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    titled(renderer, view, "标签", "tags/");
    let tags: Vec<_> = site
        .tags
        .iter()
        .map(|t| Counted {
            name: &t.name,
            url: url(site, &t.url_path),
            count: t.articles.len(),
        })
        .collect();
    view.insert("tags", &tags);
    Target::at("tags.html", "tags/")
}

pub(super) fn communities(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    titled(renderer, view, "社区", "communities/");
    let communities: Vec<_> = site
        .communities
        .iter()
        .map(|c| CommunitySummary::of(site, c))
        .collect();
    view.insert("communities", &communities);
    Target::at("communities.html", "communities/")
}

pub(super) fn activities(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    titled(renderer, view, "活动记录", "activities/");
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, activity) in site.activities.iter().enumerate() {
        years
            .entry(chrono::Datelike::year(&activity.date))
            .or_default()
            .push(i);
    }
    let groups: Vec<_> = years
        .into_iter()
        .rev()
        .map(|(year, list)| ActivityYear {
            year,
            totals: views::activity_totals(list.iter().map(|&i| &site.activities[i])),
            activities: views::activities(site, &list),
        })
        .collect();
    view.insert("years", &groups);
    view.insert(
        "activity_totals",
        &views::activity_totals(site.activities.iter()),
    );
    Target::at("activities.html", "activities/")
}

pub(super) fn archive(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    titled(renderer, view, "文章归档", "archive/");
    let mut years: BTreeMap<i32, Vec<MonthCount>> = BTreeMap::new();
    for ((year, month), list) in site.by_month.iter().rev() {
        years.entry(*year).or_default().push(MonthCount {
            month: *month,
            count: list.len(),
            url: format!("{}#m{month:02}", url(site, &format!("archive/{year}/"))),
        });
    }
    let years: Vec<_> = years
        .into_iter()
        .rev()
        .map(|(year, months)| ArchiveYear {
            year,
            count: months.iter().map(|m| m.count).sum(),
            url: url(site, &format!("archive/{year}/")),
            months,
        })
        .collect();
    view.insert("years", &years);
    Target::at("archive.html", "archive/")
}

pub(super) fn archive_year(renderer: &Renderer<'_>, year: i32, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    let path = format!("archive/{year}/");
    let crumbs = views::crumbs(
        site,
        vec![
            (
                "文章归档".into(),
                Some(views::SiteUrl::path(site, "archive/")),
            ),
            (format!("{year}年"), None),
        ],
    );
    view.common(&format!("{year}年文章"), &path, crumbs);
    let months: Vec<_> = site
        .by_month
        .range((year, 1)..=(year, 12))
        .rev()
        .map(|((_, month), list)| ArchiveMonth {
            month: *month,
            articles: view.cards_of(list),
        })
        .collect();
    view.insert("year", &year);
    view.insert("months", &months);
    Target::at("archive_year.html", &path)
}

pub(super) fn search(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    titled(renderer, view, "搜索", "search/");
    Target::at("search.html", "search/")
}

pub(super) fn not_found(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    titled(renderer, view, "页面不存在", "404.html");
    Target {
        template: "404.html",
        file: "404.html".into(),
    }
}
