//! The home page: a bit of everything, and the tally strip.

use serde::Serialize;

use super::{PageView, Target};
use crate::render::{views, Renderer};

#[derive(Serialize)]
struct Section<'a, 'l> {
    category: views::CategoryRef<'a>,
    articles: super::Cards<'a, 'l>,
}

pub(super) fn view(renderer: &Renderer<'_>, view: &mut PageView<'_>) -> Target {
    let site = renderer.site;
    view.common(&site.config.title, "", Vec::new());
    let latest: Vec<usize> = (0..site.articles.len().min(10)).collect();
    view.cards("articles", &latest);
    let sections: Vec<_> = (0..site.config.categories.len())
        .map(|i| Section {
            category: views::category(site, i),
            articles: view.cards_of(&site.by_category[i][..site.by_category[i].len().min(6)]),
        })
        .collect();
    view.insert("sections", &sections);
    let recent: Vec<usize> = (0..site.activities.len().min(8)).collect();
    view.insert("activities", &views::activities(site, &recent));
    let people: Vec<_> = site
        .people
        .iter()
        .take(6)
        .map(|p| views::person_card(site, p))
        .collect();
    view.insert("people", &people);
    view.insert("tally", &crate::stats::page::Strip::new(renderer.tally()));
    super::district::home(renderer, view);
    Target::at("index.html", "")
}
