//! A page of its own for each honoured resident and each standalone page.

use serde::Serialize;

use super::{BodyRef, PageView, Target};
use crate::diagnostics::Diagnostics;
use crate::render::{views, Renderer};

#[derive(Serialize)]
struct PersonPage<'a> {
    #[serde(flatten)]
    card: views::PersonCard<'a>,
    content: views::BodyHtml,
    permalink: String,
    /// The photo's absolute URL, for a shared page.
    photo_permalink: Option<String>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct StandalonePage<'a> {
    title: &'a str,
    url: String,
    content: views::BodyHtml,
    summary: &'a str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub(super) fn person(
    renderer: &Renderer<'_>,
    index: usize,
    view: &mut PageView<'_>,
    diagnostics: &Diagnostics,
) -> Target {
    let site = renderer.site;
    let person = &site.people[index];
    let body = BodyRef {
        path: &person.path,
        rel: &person.rel,
        shown: &person.shown,
    };
    let content = view.body(body, diagnostics);
    let models = site
        .config
        .categories
        .iter()
        .position(|c| c.key == "models");
    let mut trail = Vec::new();
    if let Some(models) = models {
        let category = views::category(site, models);
        trail.push((category.name.to_string(), Some(category.url)));
    }
    trail.push((
        "好人名录".to_string(),
        Some(views::SiteUrl::path(site, "people/")),
    ));
    trail.push((person.name.clone(), None));
    view.common(&person.name, &person.url_path, views::crumbs(site, trail));
    let photo_permalink = views::image_permalink(site, person.photo.as_deref());
    view.insert("share_image", &photo_permalink);
    view.insert(
        "page",
        &PersonPage {
            card: views::person_card(site, person),
            content: views::BodyHtml(content),
            permalink: views::permalink(site, &person.url_path),
            photo_permalink,
            extra: &person.extra,
        },
    );
    Target::at("person.html", &person.url_path)
}

pub(super) fn page(
    renderer: &Renderer<'_>,
    index: usize,
    view: &mut PageView<'_>,
    diagnostics: &Diagnostics,
) -> Target {
    let site = renderer.site;
    let page = &site.pages[index];
    let body = BodyRef {
        path: &page.path,
        rel: &page.rel,
        shown: &page.shown,
    };
    let content = view.body(body, diagnostics);
    view.common(
        &page.title,
        &page.url_path,
        views::crumbs(site, vec![(page.title.clone(), None)]),
    );
    view.insert(
        "page",
        &StandalonePage {
            title: &page.title,
            url: views::url(site, &page.url_path),
            content: views::BodyHtml(content),
            summary: &page.summary,
            extra: &page.extra,
        },
    );
    Target::at("page.html", &page.url_path)
}
