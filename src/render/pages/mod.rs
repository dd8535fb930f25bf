//! Every page of the site, one module per kind. A page kind's code says, in
//! one place, what its template is given: it fills a [`PageView`] and names
//! the template and the file. The same code serves both to render the page
//! and, in `serve`, to tell whether the page changed since the last render:
//! its fingerprint is a hash of everything it put into the view (with the
//! fingerprints of the Markdown bodies it shows), so a page cannot show a
//! value its fingerprint misses.

mod article;
pub(super) mod district;
mod home;
mod indexes;
mod items;
mod lists;
mod stats;

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::Serialize;
use tera::Context;

use super::memo::Incremental;
use super::{views, Job, Renderer};
use crate::diagnostics::Diagnostics;

pub(super) use article::article_view;

/// Where a page goes and which template makes it.
pub(super) struct Target {
    pub template: &'static str,
    /// The file written, relative to the output (`tags/index.html`).
    pub file: String,
}

impl Target {
    /// A page at `path` (a folder, `tags/`, or the root, ``).
    fn at(template: &'static str, path: &str) -> Self {
        Target {
            template,
            file: format!("{path}index.html"),
        }
    }
}

/// A Markdown body a page shows.
pub(super) struct BodyRef<'a> {
    pub path: &'a std::path::Path,
    pub rel: &'a str,
    pub shown: &'a str,
}

/// What a page's template is given, as the page's code fills it: into a
/// Tera context to render it, into a hasher to tell whether it changed, or
/// both.
pub(super) struct PageView<'r> {
    renderer: &'r Renderer<'r>,
    context: Option<Context>,
    hasher: Option<FxHasher>,
    /// False once the page shows something whose fingerprint is not known.
    known: bool,
    /// The bodies the page shows, by their memo keys.
    pub(super) bodies: Vec<u64>,
    /// The HTML of the bodies rendered for it, in order.
    pub(super) rendered: Vec<String>,
}

impl<'r> PageView<'r> {
    /// A view to render a page from; its fingerprint is taken too when
    /// rendering incrementally.
    pub(super) fn building(renderer: &'r Renderer<'r>) -> Self {
        PageView {
            renderer,
            context: Some(renderer.base.clone()),
            hasher: renderer.incremental.map(|i| i.view_hasher()),
            known: true,
            bodies: Vec::new(),
            rendered: Vec::new(),
        }
    }

    /// A view made only for its fingerprint.
    pub(super) fn hashing(renderer: &'r Renderer<'r>, incremental: &Incremental<'_>) -> Self {
        PageView {
            renderer,
            context: None,
            hasher: Some(incremental.view_hasher()),
            known: true,
            bodies: Vec::new(),
            rendered: Vec::new(),
        }
    }

    /// Gives the template `value` as `key`.
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Some(hasher) = &mut self.hasher {
            key.hash(hasher);
            if super::view_hash::hash_into(value, hasher).is_err() {
                self.known = false;
            }
        }
        if let Some(context) = &mut self.context {
            context.insert(key, value);
        }
    }

    /// Gives the template a value made from values it has been given
    /// already (a QR code of the permalink): made only to render.
    pub(super) fn insert_made<T: Serialize>(&mut self, key: &str, make: impl FnOnce() -> T) {
        if let Some(context) = &mut self.context {
            context.insert(key, &make());
        }
    }

    /// Whether the view is filled to render (else only to hash).
    pub(super) fn renders(&self) -> bool {
        self.context.is_some()
    }

    /// The cards of the articles `list`, as `key`.
    pub(super) fn cards(&mut self, key: &str, list: &[usize]) {
        let cards = self.cards_of(list);
        self.insert(key, &cards);
    }

    /// The card of one article, or none, as `key`.
    pub(super) fn card(&mut self, key: &str, article: Option<usize>) {
        let renderer = self.renderer;
        self.insert(key, &article.map(|index| Card { renderer, index }));
    }

    /// The cards of the articles `list`, to put in a value of the page's.
    pub(super) fn cards_of<'l>(&self, list: &'l [usize]) -> Cards<'r, 'l> {
        Cards {
            renderer: self.renderer,
            list,
        }
    }

    /// The HTML of a body the page shows: rendered when the view renders
    /// (its problems reported to `diagnostics`); when it only hashes, empty,
    /// with the body's fingerprint in the hash.
    pub(super) fn body(&mut self, body: BodyRef<'_>, diagnostics: &Diagnostics) -> String {
        let html = if self.renders() {
            let html = self
                .renderer
                .body_html(body.path, body.rel, body.shown, diagnostics)
                .unwrap_or_default();
            self.rendered.push(html.clone());
            html
        } else {
            String::new()
        };
        self.body_rendered(&body);
        html
    }

    /// A body rendered by the caller: only its fingerprint goes into the view.
    pub(super) fn body_rendered(&mut self, body: &BodyRef<'_>) {
        let Some(incremental) = self.renderer.incremental else {
            return;
        };
        self.bodies.push(super::memo::body_key(body.shown));
        let fingerprint = self
            .renderer
            .body_fingerprint(body.shown, body.rel, incremental);
        match (&mut self.hasher, fingerprint) {
            (Some(hasher), Some(fingerprint)) => fingerprint.hash(hasher),
            _ => self.known = false,
        }
    }

    /// The common values of every page: its title, where it is, its trail.
    pub(super) fn common(&mut self, title: &str, path: &str, crumbs: Vec<views::Crumb>) {
        let site = self.renderer.site;
        self.insert("title", title);
        self.insert("current_path", &views::SiteUrl::path(site, path));
        self.insert("permalink", &views::SiteUrl::permalink(site, path));
        self.insert("breadcrumbs", &crumbs);
    }

    /// The fingerprint of everything the page was given; `None` when some
    /// of it is not known.
    pub(super) fn fingerprint(&self) -> Option<u64> {
        match (&self.hasher, self.known) {
            (Some(hasher), true) => Some(hasher.finish()),
            _ => None,
        }
    }

    pub(super) fn into_context(self) -> Option<Context> {
        self.context
    }
}

/// An article's card as a template gets it (`views::article_card`). A
/// fingerprint sees the card's own hash, made once per render: lists and
/// neighbours show the same cards many times.
struct Card<'r> {
    renderer: &'r Renderer<'r>,
    index: usize,
}

impl Serialize for Card<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let site = self.renderer.site;
        match self.renderer.incremental {
            Some(incremental) if !serializer.is_human_readable() => incremental
                .card_hash(site, self.index)
                .serialize(serializer),
            _ => views::article_card(site, &site.articles[self.index]).serialize(serializer),
        }
    }
}

/// The cards of a list of articles, each as [`Card`].
pub(super) struct Cards<'r, 'l> {
    renderer: &'r Renderer<'r>,
    list: &'l [usize],
}

impl Serialize for Cards<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let renderer = self.renderer;
        serializer.collect_seq(self.list.iter().map(|&index| Card { renderer, index }))
    }
}

/// Fills `view` for one page that is not an article.
pub(super) fn job_view(
    renderer: &Renderer<'_>,
    job: &Job,
    view: &mut PageView<'_>,
    diagnostics: &Diagnostics,
) -> Target {
    match *job {
        Job::Home => home::view(renderer, view),
        Job::League => district::league(renderer, view),
        Job::Offices => district::offices(renderer, view),
        Job::Office(index) => district::office(renderer, index, view),
        Job::Category {
            index,
            number,
            total,
        } => lists::category(renderer, index, number, total, view),
        Job::Tag {
            index,
            number,
            total,
        } => lists::tag(renderer, index, number, total, view),
        Job::Community {
            index,
            number,
            total,
        } => lists::community(renderer, index, number, total, view),
        Job::Person(index) => items::person(renderer, index, view, diagnostics),
        Job::People { number, total } => lists::people(renderer, number, total, view),
        Job::ActivitiesYear(year) => indexes::activities_year(renderer, year, view),
        Job::Page(index) => items::page(renderer, index, view, diagnostics),
        Job::Tags => indexes::tags(renderer, view),
        Job::Communities => indexes::communities(renderer, view),
        Job::Activities => indexes::activities(renderer, view),
        Job::Archive => indexes::archive(renderer, view),
        Job::ArchiveYear(year) => indexes::archive_year(renderer, year, view),
        Job::Stats => stats::view(renderer, view),
        Job::NotFound => indexes::not_found(renderer, view),
        Job::Search => indexes::search(renderer, view),
    }
}

/// `（第2页）` after the title of every page of a list but the first.
fn numbered(title: &str, number: usize) -> String {
    if number > 1 {
        format!("{title}（第{number}页）")
    } else {
        title.to_string()
    }
}
