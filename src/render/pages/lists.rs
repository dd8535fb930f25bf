//! Lists of articles, a page of `paginate` at a time: a category's, a
//! tag's and a community's.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{numbered, PageView, Target};
use crate::render::views::{self, page_path, url};
use crate::render::Renderer;
use crate::site::Site;

/// The articles of page `number` of `list`.
fn slice(site: &Site, list: &[usize], number: usize) -> Vec<usize> {
    let per_page = site.config.paginate;
    list.iter()
        .skip((number - 1) * per_page)
        .take(per_page)
        .copied()
        .collect()
}

#[derive(Serialize)]
struct Counted<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct CommunitySummary<'a> {
    pub name: &'a str,
    pub url: String,
    pub articles: usize,
    pub activities: usize,
    pub people: usize,
}

impl<'a> CommunitySummary<'a> {
    pub fn of(site: &'a Site, community: &'a crate::site::CommunityIndex) -> Self {
        CommunitySummary {
            name: &community.name,
            url: url(site, &community.url_path),
            articles: community.articles.len(),
            activities: community.activities.len(),
            people: community.people.len(),
        }
    }
}

#[derive(Serialize)]
struct HonorYear<'a> {
    year: i32,
    honors: Vec<HonorGroup<'a>>,
}

#[derive(Serialize)]
struct HonorGroup<'a> {
    title: &'a str,
    people: Vec<views::PersonCard<'a>>,
}

pub(super) fn category(
    renderer: &Renderer<'_>,
    index: usize,
    number: usize,
    total: usize,
    view: &mut PageView<'_>,
) -> Target {
    let site = renderer.site;
    let category = views::category(site, index);
    let base = format!("{}/", category.key);
    let path = page_path(&base, number);
    view.common(
        &numbered(category.name, number),
        &path,
        views::crumbs(site, vec![(category.name.to_string(), None)]),
    );
    view.cards("articles", &slice(site, &site.by_category[index], number));
    view.insert("paginator", &views::paginator(site, &base, number, total));
    let first = number == 1;
    let activities = if first {
        views::activities(site, &site.activities_by_kind[index])
    } else {
        Vec::new()
    };
    view.insert("activities", &activities);
    view.insert(
        "activity_totals",
        &views::activity_totals(
            site.activities_by_kind[index]
                .iter()
                .map(|&i| &site.activities[i]),
        ),
    );
    let honor_groups = if first && category.key == "models" {
        honor_groups(site)
    } else {
        Vec::new()
    };
    view.insert("honor_groups", &honor_groups);
    view.insert("feed_url", &url(site, &format!("{base}rss.xml")));
    view.insert("category", &category);
    Target::at("category.html", &path)
}

pub(super) fn tag(
    renderer: &Renderer<'_>,
    index: usize,
    number: usize,
    total: usize,
    view: &mut PageView<'_>,
) -> Target {
    let site = renderer.site;
    let tag = &site.tags[index];
    let path = page_path(&tag.url_path, number);
    let crumbs = views::crumbs(
        site,
        vec![
            ("标签".into(), Some(views::SiteUrl::path(site, "tags/"))),
            (tag.name.clone(), None),
        ],
    );
    view.common(&numbered(&tag.name, number), &path, crumbs);
    view.insert(
        "tag",
        &Counted {
            name: &tag.name,
            url: url(site, &tag.url_path),
            count: tag.articles.len(),
        },
    );
    view.cards("articles", &slice(site, &tag.articles, number));
    view.insert(
        "paginator",
        &views::paginator(site, &tag.url_path, number, total),
    );
    Target::at("tag.html", &path)
}

pub(super) fn community(
    renderer: &Renderer<'_>,
    index: usize,
    number: usize,
    total: usize,
    view: &mut PageView<'_>,
) -> Target {
    let site = renderer.site;
    let community = &site.communities[index];
    let path = page_path(&community.url_path, number);
    let crumbs = views::crumbs(
        site,
        vec![
            (
                "社区".into(),
                Some(views::SiteUrl::path(site, "communities/")),
            ),
            (community.name.clone(), None),
        ],
    );
    view.common(&numbered(&community.name, number), &path, crumbs);
    view.insert("community", &CommunitySummary::of(site, community));
    view.cards("articles", &slice(site, &community.articles, number));
    view.insert(
        "paginator",
        &views::paginator(site, &community.url_path, number, total),
    );
    let first = number == 1;
    view.insert(
        "activities",
        &if first {
            views::activities(site, &community.activities)
        } else {
            Vec::new()
        },
    );
    view.insert(
        "activity_totals",
        &views::activity_totals(community.activities.iter().map(|&i| &site.activities[i])),
    );
    let people: Vec<_> = if first {
        community
            .people
            .iter()
            .map(|&i| views::person_card(site, &site.people[i]))
            .collect()
    } else {
        Vec::new()
    };
    view.insert("people", &people);
    Target::at("community.html", &path)
}

/// Page `number` of the index of every honoured resident (`/people/`),
/// newest honour first, `paginate` to a page.
pub(super) fn people(
    renderer: &Renderer<'_>,
    number: usize,
    total: usize,
    view: &mut PageView<'_>,
) -> Target {
    let site = renderer.site;
    let title = "好人名录";
    let base = "people/";
    let path = page_path(base, number);
    let mut trail = Vec::new();
    if let Some(models) = site
        .config
        .categories
        .iter()
        .position(|c| c.key == "models")
    {
        let category = views::category(site, models);
        trail.push((category.name.to_string(), Some(category.url)));
    }
    trail.push((title.to_string(), None));
    view.common(&numbered(title, number), &path, views::crumbs(site, trail));
    let all: Vec<usize> = (0..site.people.len()).collect();
    let people: Vec<_> = slice(site, &all, number)
        .into_iter()
        .map(|i| views::person_card(site, &site.people[i]))
        .collect();
    view.insert("people", &people);
    view.insert("people_count", &site.people.len());
    view.insert("paginator", &views::paginator(site, base, number, total));
    Target::at("people.html", &path)
}

/// Residents of the `models` page, grouped by year, then honour title.
fn honor_groups(site: &Site) -> Vec<HonorYear<'_>> {
    let mut years: BTreeMap<i32, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (i, person) in site.people.iter().enumerate() {
        for honor in &person.honors {
            years
                .entry(honor.year)
                .or_default()
                .entry(honor.title.as_str())
                .or_default()
                .push(i);
        }
    }
    years
        .into_iter()
        .rev()
        .map(|(year, honors)| HonorYear {
            year,
            honors: honors
                .into_iter()
                .map(|(title, people)| HonorGroup {
                    title,
                    people: people
                        .iter()
                        .map(|&i| views::person_card(site, &site.people[i]))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
