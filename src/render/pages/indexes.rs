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

/// One month of activity records, with its anchor (`2025-06`).
#[derive(Serialize)]
struct ActivityMonth<'a> {
    id: String,
    year: i32,
    month: u32,
    totals: views::ActivityTotals,
    activities: Vec<views::ActivityView<'a>>,
}

/// A year of activity records, as a link to its page.
#[derive(Serialize)]
struct ActivityYearLink {
    year: i32,
    count: usize,
    url: String,
    current: bool,
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

/// The records `list` (indexes into `site.activities`, newest first)
/// grouped by month, newest first.
fn activity_months<'a>(site: &'a crate::site::Site, list: &[usize]) -> Vec<ActivityMonth<'a>> {
    let mut months: Vec<((i32, u32), Vec<usize>)> = Vec::new();
    for &i in list {
        let date = site.activities[i].date;
        let key = (
            chrono::Datelike::year(&date),
            chrono::Datelike::month(&date),
        );
        match months.last_mut() {
            Some((last, records)) if *last == key => records.push(i),
            _ => months.push((key, vec![i])),
        }
    }
    months
        .into_iter()
        .map(|((year, month), records)| ActivityMonth {
            id: format!("{year}-{month:02}"),
            year,
            month,
            totals: views::activity_totals(records.iter().map(|&i| &site.activities[i])),
            activities: views::activities(site, &records),
        })
        .collect()
}

/// Every year with activity records, newest first, as links.
fn activity_year_links(site: &crate::site::Site, current: Option<i32>) -> Vec<ActivityYearLink> {
    views::activity_years(site)
        .into_iter()
        .map(|year| ActivityYearLink {
            year,
            count: site
                .activities
                .iter()
                .filter(|a| chrono::Datelike::year(&a.date) == year)
                .count(),
            url: url(site, &views::activity_year_path(year)),
            current: current == Some(year),
        })
        .collect()
}

/// `/activities/`: the totals, the latest months (whole months, until
/// they hold `paginate` records), and a link to each year's page.
pub(super) fn activities(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    titled(renderer, view, "活动记录", "activities/");
    let per_page = site.config.paginate;
    let mut latest: Vec<usize> = Vec::new();
    let mut last_month = None;
    for (i, activity) in site.activities.iter().enumerate() {
        let month = (
            chrono::Datelike::year(&activity.date),
            chrono::Datelike::month(&activity.date),
        );
        if latest.len() >= per_page && last_month != Some(month) {
            break;
        }
        last_month = Some(month);
        latest.push(i);
    }
    view.insert("months", &activity_months(site, &latest));
    view.insert("years", &activity_year_links(site, None));
    view.insert("older", &(latest.len() < site.activities.len()));
    view.insert(
        "activity_totals",
        &views::activity_totals(site.activities.iter()),
    );
    Target::at("activities.html", "activities/")
}

/// `/activities/<year>/`: every record of the year, by month, newest first.
pub(super) fn activities_year(
    renderer: &Renderer<'_>,
    year: i32,
    view: &mut PageView<'_>,
) -> Target {
    let site = renderer.site;
    let path = views::activity_year_path(year);
    let crumbs = views::crumbs(
        site,
        vec![
            (
                "活动记录".into(),
                Some(views::SiteUrl::path(site, "activities/")),
            ),
            (format!("{year}年"), None),
        ],
    );
    view.common(&format!("{year}年活动记录"), &path, crumbs);
    let list: Vec<usize> = (0..site.activities.len())
        .filter(|&i| chrono::Datelike::year(&site.activities[i].date) == year)
        .collect();
    view.insert("year", &year);
    view.insert("months", &activity_months(site, &list));
    view.insert("years", &activity_year_links(site, Some(year)));
    view.insert("older", &false);
    view.insert(
        "activity_totals",
        &views::activity_totals(list.iter().map(|&i| &site.activities[i])),
    );
    Target::at("activities.html", &path)
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
