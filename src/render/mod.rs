//! Site + theme → output files. Pages render in parallel, each from a small
//! context of its own; article bodies are read and rendered here, one at a
//! time per worker, so memory does not grow with the size of all bodies.

mod check;
mod feeds;
mod links;
mod memo;
mod pages;
pub mod qr;
mod view_hash;
pub mod views;

pub use memo::{Incremental, Memo};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use tera::Context;

use crate::content::body::Body;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::site::Site;
use crate::theme::{StaticFile, Theme};
use links::ItemLinks;
use pages::PageView;

/// Figures of one render, for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderReport {
    pub pages: usize,
    pub files: usize,
    /// Items the search index numbers (to build it later, when deferred).
    pub search_items: u32,
}

/// One page to render, apart from articles (which have their own pass).
enum Job {
    Home,
    Category {
        index: usize,
        number: usize,
        total: usize,
    },
    Person(usize),
    /// Page `number` of the index of honoured residents (`/people/`).
    People {
        number: usize,
        total: usize,
    },
    /// The activity records of one year (`/activities/<year>/`).
    ActivitiesYear(i32),
    Page(usize),
    Tags,
    Tag {
        index: usize,
        number: usize,
        total: usize,
    },
    Communities,
    Community {
        index: usize,
        number: usize,
        total: usize,
    },
    Activities,
    Archive,
    ArchiveYear(i32),
    Stats,
    NotFound,
    Search,
    /// A district portal's league table (`/league/`).
    League,
    /// A portal's member offices (`/offices/`) and each office's page.
    Offices,
    Office(usize),
}

pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    base: Context,
    /// Made when first needed, beside the article pages (see `render_all`),
    /// unless given (`with_tally`).
    tally: OnceLock<Arc<crate::stats::Tally>>,
    sanitizer: crate::sanitize::Sanitizer,
    /// Every file of the site, when known: links written from the site root
    /// (`/tags/反诈/`) are then checked against it (see `check.rs`).
    known_paths: Option<&'a std::collections::HashSet<String>>,
    /// For `serve`: render only pages whose inputs changed (see `memo.rs`).
    incremental: Option<&'a Incremental<'a>>,
    /// For `serve`: leave the search index to be built after the reload.
    defer_search_index: bool,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let mut base = Context::new();
        base.insert("site", &views::site_value(site));
        Renderer {
            site,
            theme,
            base,
            tally: OnceLock::new(),
            sanitizer: crate::sanitize::Sanitizer::new(&site.config.iframe_hosts),
            known_paths: None,
            incremental: None,
            defer_search_index: false,
        }
    }

    /// With the site's tally made already: `serve` keeps it while only
    /// article bodies and titles change, since none of its figures comes
    /// from them.
    pub fn with_tally(self, tally: Arc<crate::stats::Tally>) -> Self {
        let _ = self.tally.set(tally);
        self
    }

    /// The site's tally, made the first time it is asked for.
    pub fn tally(&self) -> &Arc<crate::stats::Tally> {
        self.tally
            .get_or_init(|| Arc::new(crate::stats::for_site(self.site)))
    }

    /// Writes the search records but not the index, which the caller builds
    /// afterwards with [`crate::search::write_index`]: `serve` shows the
    /// changed pages first, since the index of a large site takes seconds.
    pub fn defer_search_index(mut self) -> Self {
        self.defer_search_index = true;
        self
    }

    /// How many pages `render_all` renders.
    pub fn page_count(&self) -> usize {
        self.jobs().len() + self.site.articles.len()
    }

    /// Renders every page and copies every file into `staging`.
    pub fn render_all(&self, staging: &dyn Sink, diagnostics: &Diagnostics) -> RenderReport {
        let search = crate::search::Collector::new(self.site);
        // The tally is made beside the article pages, which do not show it.
        let (feed_html, _) = rayon::join(
            || self.render_articles(staging, diagnostics, &search),
            || self.tally(),
        );
        let jobs = self.jobs();
        let pages = jobs.len() + self.site.articles.len();
        jobs.par_iter().for_each(|job| {
            self.page(staging, diagnostics, |view, diagnostics| {
                pages::job_view(self, job, view, diagnostics)
            });
        });
        // Each feed made from what it shows of the articles it carries, in its order.
        let categories = (0..self.site.config.categories.len()).map(Some);
        for category in std::iter::once(None).chain(categories) {
            let path = match category {
                None => "rss.xml".to_string(),
                Some(i) => format!("{}/rss.xml", self.site.category_key(i)),
            };
            let items: Vec<_> = feeds::items(self.site, category)
                .iter()
                .map(|&i| {
                    (
                        feeds::item_inputs(&self.site.articles[i]),
                        feed_html.get(&i),
                    )
                })
                .collect();
            self.site_files(&format!("feed {path}"), items, staging, diagnostics, || {
                vec![(path.clone(), feeds::rss(self.site, category, &feed_html))]
            });
        }
        // Made from the settings alone.
        self.site_files("robots", (), staging, diagnostics, || {
            vec![("robots.txt".to_string(), feeds::robots(self.site))]
        });
        let sitemap_inputs = feeds::sitemap_inputs(self.site);
        self.site_files("sitemaps", sitemap_inputs, staging, diagnostics, || {
            feeds::sitemaps(self.site)
        });
        self.site_files("tally", &**self.tally(), staging, diagnostics, || {
            crate::stats::site_files(self.tally())
                .into_iter()
                .map(|(path, bytes)| (path.to_string(), bytes))
                .collect()
        });
        let files = self.copy_files(staging, diagnostics);
        let body_text =
            |path: &std::path::Path, rel: &str, shown: &str| self.body_text(path, rel, shown);
        search.finish(&body_text, staging, diagnostics, !self.defer_search_index);
        RenderReport {
            pages,
            files,
            search_items: search.item_count(),
        }
    }

    /// Renders article pages; returns the body HTML of those the feeds carry.
    fn render_articles(
        &self,
        staging: &dyn Sink,
        diagnostics: &Diagnostics,
        search: &crate::search::Collector,
    ) -> HashMap<usize, String> {
        let in_feeds = feeds::articles_in_feeds(self.site);
        let positions = category_positions(self.site);
        let kept = Mutex::new(HashMap::new());
        let keep_feed_html = |index: usize, html: String| {
            kept.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(index, html);
        };
        self.site
            .articles
            .par_iter()
            .enumerate()
            .for_each(|(index, article)| {
                let position = positions[index];
                if let Some(incremental) = self.may_keep() {
                    let mut view = PageView::hashing(self, incremental);
                    let target = pages::article_view(self, index, position, None, &mut view);
                    if self.keep(&target.file, &view, staging, diagnostics) {
                        // The page is kept, but the feeds and the search index are made anew.
                        let extras = self.kept_article_extras(
                            index,
                            &in_feeds,
                            staging,
                            diagnostics,
                            search,
                        );
                        if let Some(html) = extras {
                            keep_feed_html(index, html);
                        }
                        return;
                    }
                }
                let mut run = self.page_run(staging, diagnostics);
                let page_diagnostics = run.diagnostics();
                let Some(content) = self.body_html(
                    &article.path,
                    &article.rel,
                    &article.shown,
                    page_diagnostics,
                ) else {
                    return;
                };
                // Search records are not files of the article page: they are
                // written to the site's sink, not remembered with the page.
                let text = crate::search::text::html_to_text(&content);
                if let Some(record) = search.article_record(index, &text) {
                    let record: std::sync::Arc<[u8]> = record.into();
                    self.remember_derived(article, memo::Derived::SearchRecord, &record);
                    if let Err(problem) = search.write_article(index, record, staging) {
                        page_diagnostics.push(problem);
                    }
                }
                if in_feeds.contains(&index) {
                    let html: std::sync::Arc<[u8]> = content.as_bytes().into();
                    self.remember_derived(article, memo::Derived::FeedHtml, &html);
                    keep_feed_html(index, content.clone());
                }
                let mut view = PageView::building(self);
                let target = pages::article_view(self, index, position, Some(content), &mut view);
                self.write_view(&mut run, view, &target);
            });
        kept.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// For an article whose page is kept: its search record written again
    /// and, when a feed carries it, its body's HTML (both from the memo
    /// while the body is the same).
    fn kept_article_extras(
        &self,
        index: usize,
        in_feeds: &std::collections::HashSet<usize>,
        staging: &dyn Sink,
        diagnostics: &Diagnostics,
        search: &crate::search::Collector,
    ) -> Option<String> {
        let article = &self.site.articles[index];
        let html = || self.body_html(&article.path, &article.rel, &article.shown, diagnostics);
        let feed_html = if in_feeds.contains(&index) {
            self.derived_body(article, memo::Derived::FeedHtml, || {
                html().map(String::into_bytes)
            })
            .map(|content| String::from_utf8_lossy(&content).into_owned())
        } else {
            None
        };
        let record = self.derived_body(article, memo::Derived::SearchRecord, || {
            let text = crate::search::text::html_to_text(&html()?);
            search.article_record(index, &text)
        });
        if let Some(record) = record {
            if let Err(problem) = search.write_article(index, record, staging) {
                diagnostics.push(problem);
            }
        }
        feed_html
    }

    /// Renders one page that `fill` makes the view of, unless the last
    /// render's page can be kept because its view is the same.
    fn page(
        &self,
        staging: &dyn Sink,
        diagnostics: &Diagnostics,
        fill: impl Fn(&mut PageView<'_>, &Diagnostics) -> pages::Target,
    ) {
        if let Some(incremental) = self.may_keep() {
            let mut view = PageView::hashing(self, incremental);
            // A hashing view renders nothing, so it has nothing to say.
            let target = fill(&mut view, &Diagnostics::new());
            if self.keep(&target.file, &view, staging, diagnostics) {
                return;
            }
        }
        let mut run = self.page_run(staging, diagnostics);
        let mut view = PageView::building(self);
        let target = fill(&mut view, run.diagnostics());
        self.write_view(&mut run, view, &target);
    }

    /// Renders a view filled to render into its template and writes it.
    fn write_view(&self, run: &mut memo::PageRun<'_>, view: PageView<'_>, target: &pages::Target) {
        run.remember(&target.file, view.fingerprint());
        let Some(context) = view.into_context() else {
            return;
        };
        let written = self
            .render_template(target.template, &context)
            .and_then(|html| run.write(&target.file, &html));
        if let Err(problem) = written {
            run.diagnostics().push(problem);
        }
    }

    /// The page of one article, its body read and rendered afresh (for
    /// benchmarks and for rebuilding a single page).
    pub fn render_article(&self, index: usize, diagnostics: &Diagnostics) -> Option<Vec<u8>> {
        let article = self.site.articles.get(index)?;
        let content = self.body_html(&article.path, &article.rel, &article.shown, diagnostics)?;
        let position = self.site.by_category[article.category]
            .iter()
            .position(|&i| i == index)
            .unwrap_or(0);
        match self.article_html(index, position, content) {
            Ok(html) => Some(html),
            Err(problem) => {
                diagnostics.push(problem);
                None
            }
        }
    }

    /// The page of an article from its rendered body; `position` is its
    /// place in its category's list, for the links to the next and previous.
    pub fn article_html(
        &self,
        index: usize,
        position: usize,
        content: String,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut view = PageView::building(self);
        let target = pages::article_view(self, index, position, Some(content), &mut view);
        let context = view.into_context().unwrap_or_default();
        self.render_template(target.template, &context)
    }

    /// Reads a Markdown file again and renders its body, reporting link
    /// problems: the HTML every page, feed and search record is made from.
    fn body_html(
        &self,
        path: &std::path::Path,
        rel: &str,
        shown: &str,
        diagnostics: &Diagnostics,
    ) -> Option<String> {
        let privacy = &self.site.config.privacy;
        let body = match Body::read(&self.site.root, path, shown, privacy) {
            Ok(body) => body,
            Err(problem) => {
                diagnostics.push(problem);
                return None;
            }
        };
        let rendered = self.render_markdown(
            body.markdown(),
            shown,
            &ItemLinks {
                site: self.site,
                file_rel: rel,
                known_paths: self.known_paths,
            },
        );
        for problem in rendered.problems {
            let line = body.markdown_line() + problem.line - 1;
            diagnostics.push(if problem.is_error {
                Diagnostic::error(shown, line, problem.column, problem.message)
            } else {
                Diagnostic::warning(shown, line, problem.column, problem.message)
            });
        }
        if rendered.has_raw_html {
            return Some(self.sanitizer.clean(&rendered.html));
        }
        Some(rendered.html)
    }

    /// The plain text of a body for its search record, read and rendered
    /// as its page is (so masked and sanitised alike). Its problems are
    /// the page's, reported when the page is made.
    fn body_text(&self, path: &std::path::Path, rel: &str, shown: &str) -> String {
        let html = self.body_html(path, rel, shown, &Diagnostics::new());
        html.map(|html| crate::search::text::html_to_text(&html))
            .unwrap_or_default()
    }

    fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let per_page = site.config.paginate;
        let pages_of = |count: usize| count.div_ceil(per_page).max(1);
        let mut jobs = vec![
            Job::Home,
            Job::Tags,
            Job::Communities,
            Job::Activities,
            Job::Archive,
            Job::Stats,
            Job::NotFound,
            Job::Search,
        ];
        for (index, list) in site.by_category.iter().enumerate() {
            let total = pages_of(list.len());
            jobs.extend((1..=total).map(|number| Job::Category {
                index,
                number,
                total,
            }));
        }
        for (index, tag) in site.tags.iter().enumerate() {
            let total = pages_of(tag.articles.len());
            jobs.extend((1..=total).map(|number| Job::Tag {
                index,
                number,
                total,
            }));
        }
        for (index, community) in site.communities.iter().enumerate() {
            let total = pages_of(community.articles.len());
            jobs.extend((1..=total).map(|number| Job::Community {
                index,
                number,
                total,
            }));
        }
        jobs.extend((0..site.people.len()).map(Job::Person));
        let total = pages_of(site.people.len());
        jobs.extend((1..=total).map(|number| Job::People { number, total }));
        jobs.extend(
            views::activity_years(site)
                .into_iter()
                .map(Job::ActivitiesYear),
        );
        jobs.extend((0..site.pages.len()).map(Job::Page));
        let years: std::collections::BTreeSet<i32> =
            site.by_month.keys().map(|(year, _)| *year).collect();
        jobs.extend(years.into_iter().map(Job::ArchiveYear));
        if let Some(district) = &site.district {
            jobs.extend([Job::League, Job::Offices]);
            jobs.extend((0..district.offices.len()).map(Job::Office));
        }
        jobs
    }

    /// A page as bytes, ready to write: Tera's `render` would check the whole
    /// page is UTF-8 once more to make a `String` of it.
    fn render_template(&self, template: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut page = Vec::with_capacity(32 * 1024);
        self.theme
            .tera
            .render_to(template, context, &mut page)
            .map_err(|e| crate::theme::template_error(&self.site.root, &self.theme.source, &e))?;
        Ok(page)
    }

    /// Copies content assets and the theme's static files.
    fn copy_files(&self, staging: &dyn Sink, diagnostics: &Diagnostics) -> usize {
        let site = self.site;
        let assets: Vec<(&str, &std::path::Path)> = site
            .assets
            .iter()
            .filter(|a| !site.images.contains(&a.rel)) // published as processed sizes
            .filter_map(|a| {
                site.source_urls
                    .get(&a.rel)
                    .map(|u| (u.as_str(), a.source.as_path()))
            })
            .collect();
        assets.par_iter().for_each(|(path, source)| {
            if let Err(problem) = staging.copy(path, source) {
                diagnostics.push(problem);
            }
        });
        let images = crate::images::write(&site.images, staging, diagnostics);
        let statics = match self.theme.static_files(&site.root) {
            Ok(files) => files,
            Err(problem) => {
                diagnostics.push(problem);
                return assets.len() + images;
            }
        };
        for file in &statics {
            let result = match file {
                StaticFile::Disk { rel, path } => staging.copy(rel, path),
                StaticFile::Embedded { rel, bytes } => staging.write(rel, bytes),
            };
            if let Err(problem) = result {
                diagnostics.push(problem);
            }
        }
        assets.len() + images + statics.len()
    }
}

/// Each article's place in the list of its category, found once rather than
/// searched for on every page.
fn category_positions(site: &Site) -> Vec<usize> {
    let mut positions = vec![0; site.articles.len()];
    for list in &site.by_category {
        for (position, &index) in list.iter().enumerate() {
            positions[index] = position;
        }
    }
    positions
}
