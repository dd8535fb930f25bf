//! Site + theme → output files. Pages render in parallel, each from a small
//! context of its own; article bodies are read and rendered here, one at a
//! time per worker, so memory does not grow with the size of all bodies.

mod check;
mod feeds;
mod links;
mod memo;
pub mod qr;
pub mod views;

pub use memo::{Incremental, Memo};

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::body::Body;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::site::Site;
use crate::theme::{StaticFile, Theme};
use links::ItemLinks;
use views::{page_path, url};

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
            let memo::Begin::Render(run) = self.begin(memo::Page::Job(job), staging, diagnostics)
            else {
                return;
            };
            if let Err(problem) = self.render_job(job, &run, run.diagnostics()) {
                run.diagnostics().push(problem);
            }
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
        if let Err(problem) = self.plain_page("search.html", "搜索", "search/", staging) {
            diagnostics.push(problem);
        }
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
        self.site
            .articles
            .par_iter()
            .enumerate()
            .for_each(|(index, article)| {
                let run = match self.begin(memo::Page::Article(index), staging, diagnostics) {
                    memo::Begin::Render(run) => run,
                    memo::Begin::Kept => {
                        // The page is kept, but the feeds and the search index are made anew.
                        let html = || {
                            self.body_html(&article.path, &article.rel, &article.shown, diagnostics)
                        };
                        if in_feeds.contains(&index) {
                            let content =
                                self.derived_body(article, memo::Derived::FeedHtml, || {
                                    html().map(String::into_bytes)
                                });
                            if let Some(content) = content {
                                kept.lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .insert(index, String::from_utf8_lossy(&content).into_owned());
                            }
                        }
                        let record =
                            self.derived_body(article, memo::Derived::SearchRecord, || {
                                let text = crate::search::text::html_to_text(&html()?);
                                search.article_record(index, &text)
                            });
                        if let Some(record) = record {
                            if let Err(problem) = search.write_article(index, record, staging) {
                                diagnostics.push(problem);
                            }
                        }
                        return;
                    }
                };
                // Search records are not files of the article page: they are
                // written to the site's sink, not remembered with the page.
                let site_sink = staging;
                let (staging, diagnostics): (&dyn Sink, _) = (&run, run.diagnostics());
                let content = match self.body_html(
                    &article.path,
                    &article.rel,
                    &article.shown,
                    diagnostics,
                ) {
                    Some(content) => content,
                    None => return,
                };
                let text = crate::search::text::html_to_text(&content);
                if let Some(record) = search.article_record(index, &text) {
                    let record: std::sync::Arc<[u8]> = record.into();
                    self.remember_derived(article, memo::Derived::SearchRecord, &record);
                    if let Err(problem) = search.write_article(index, record, site_sink) {
                        diagnostics.push(problem);
                    }
                }
                if in_feeds.contains(&index) {
                    let html: std::sync::Arc<[u8]> = content.as_bytes().into();
                    self.remember_derived(article, memo::Derived::FeedHtml, &html);
                    kept.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(index, content.clone());
                }
                let written = self
                    .article_html(index, positions[index], content)
                    .and_then(|html| {
                        staging.write(&format!("{}index.html", article.url_path), &html)
                    });
                if let Err(problem) = written {
                    diagnostics.push(problem);
                }
            });
        kept.into_inner().unwrap_or_else(|e| e.into_inner())
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
        let site = self.site;
        let article = &site.articles[index];
        let category_list = &site.by_category[article.category];
        // The list is newest first: the older article is next in the list.
        let older = category_list
            .get(position + 1)
            .map(|&i| views::article_card(site, &site.articles[i]));
        let newer = position
            .checked_sub(1)
            .map(|p| views::article_card(site, &site.articles[category_list[p]]));
        let category = views::category(site, article.category);
        let crumbs = views::crumbs(
            site,
            vec![
                (category.name.to_string(), Some(category.url.clone())),
                ("正文".into(), None),
            ],
        );
        let mut context = self.context(&article.title, &article.url_path, crumbs);
        let page = views::article_page(site, article, content);
        context.insert("qr_svg", &qr::svg_for(&page.permalink));
        context.insert("page", &page);
        context.insert("category", &category);
        context.insert("prev", &older);
        context.insert("next", &newer);
        self.render_template("article.html", &context)
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
        jobs.extend((0..site.pages.len()).map(Job::Page));
        let years: std::collections::BTreeSet<i32> =
            site.by_month.keys().map(|(year, _)| *year).collect();
        jobs.extend(years.into_iter().map(Job::ArchiveYear));
        jobs
    }

    fn render_job(
        &self,
        job: &Job,
        staging: &dyn Sink,
        diagnostics: &Diagnostics,
    ) -> Result<(), Diagnostic> {
        let site = self.site;
        let per_page = site.config.paginate;
        let slice = |list: &[usize], number: usize| -> Vec<usize> {
            list.iter()
                .skip((number - 1) * per_page)
                .take(per_page)
                .copied()
                .collect()
        };
        match *job {
            Job::Home => {
                let mut context = self.context(&site.config.title, "", Vec::new());
                let latest: Vec<usize> = (0..site.articles.len().min(10)).collect();
                context.insert("articles", &views::article_cards(site, &latest));
                let sections: Vec<_> = (0..site.config.categories.len())
                    .map(|i| Section {
                        category: views::category(site, i),
                        articles: views::article_cards(
                            site,
                            &site.by_category[i][..site.by_category[i].len().min(6)],
                        ),
                    })
                    .collect();
                context.insert("sections", &sections);
                let recent: Vec<usize> = (0..site.activities.len().min(8)).collect();
                context.insert("activities", &views::activities(site, &recent));
                let people: Vec<_> = site
                    .people
                    .iter()
                    .take(6)
                    .map(|p| views::person_card(site, p))
                    .collect();
                context.insert("people", &people);
                context.insert("tally", &crate::stats::page::Strip::new(self.tally()));
                self.write_page(staging, "index.html", "", &context)
            }
            Job::Category {
                index,
                number,
                total,
            } => {
                let category = views::category(site, index);
                let base = format!("{}/", category.key);
                let path = page_path(&base, number);
                let mut context = self.context(
                    &numbered(category.name, number),
                    &path,
                    views::crumbs(site, vec![(category.name.to_string(), None)]),
                );
                context.insert(
                    "articles",
                    &views::article_cards(site, &slice(&site.by_category[index], number)),
                );
                context.insert("paginator", &views::paginator(site, &base, number, total));
                let first = number == 1;
                let activities = if first {
                    views::activities(site, &site.activities_by_kind[index])
                } else {
                    Vec::new()
                };
                context.insert("activities", &activities);
                context.insert(
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
                context.insert("honor_groups", &honor_groups);
                context.insert("feed_url", &url(site, &format!("{base}rss.xml")));
                context.insert("category", &category);
                self.write_page(staging, "category.html", &path, &context)
            }
            Job::Person(index) => {
                let person = &site.people[index];
                let content = self
                    .body_html(&person.path, &person.rel, &person.shown, diagnostics)
                    .unwrap_or_default();
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
                trail.push((person.name.clone(), None));
                let mut context =
                    self.context(&person.name, &person.url_path, views::crumbs(site, trail));
                context.insert(
                    "page",
                    &PersonPage {
                        card: views::person_card(site, person),
                        content,
                        permalink: views::permalink(site, &person.url_path),
                        extra: &person.extra,
                    },
                );
                self.write_page(staging, "person.html", &person.url_path, &context)
            }
            Job::Page(index) => {
                let page = &site.pages[index];
                let content = self
                    .body_html(&page.path, &page.rel, &page.shown, diagnostics)
                    .unwrap_or_default();
                let mut context = self.context(
                    &page.title,
                    &page.url_path,
                    views::crumbs(site, vec![(page.title.clone(), None)]),
                );
                context.insert(
                    "page",
                    &StandalonePage {
                        title: &page.title,
                        url: url(site, &page.url_path),
                        content,
                        summary: &page.summary,
                        extra: &page.extra,
                    },
                );
                self.write_page(staging, "page.html", &page.url_path, &context)
            }
            Job::Tags => {
                let mut context = self.context(
                    "标签",
                    "tags/",
                    views::crumbs(site, vec![("标签".into(), None)]),
                );
                let tags: Vec<_> = site
                    .tags
                    .iter()
                    .map(|t| Counted {
                        name: &t.name,
                        url: url(site, &t.url_path),
                        count: t.articles.len(),
                    })
                    .collect();
                context.insert("tags", &tags);
                self.write_page(staging, "tags.html", "tags/", &context)
            }
            Job::Tag {
                index,
                number,
                total,
            } => {
                let tag = &site.tags[index];
                let path = page_path(&tag.url_path, number);
                let crumbs = views::crumbs(
                    site,
                    vec![
                        ("标签".into(), Some(url(site, "tags/"))),
                        (tag.name.clone(), None),
                    ],
                );
                let mut context = self.context(&numbered(&tag.name, number), &path, crumbs);
                context.insert(
                    "tag",
                    &Counted {
                        name: &tag.name,
                        url: url(site, &tag.url_path),
                        count: tag.articles.len(),
                    },
                );
                context.insert(
                    "articles",
                    &views::article_cards(site, &slice(&tag.articles, number)),
                );
                context.insert(
                    "paginator",
                    &views::paginator(site, &tag.url_path, number, total),
                );
                self.write_page(staging, "tag.html", &path, &context)
            }
            Job::Communities => {
                let mut context = self.context(
                    "社区",
                    "communities/",
                    views::crumbs(site, vec![("社区".into(), None)]),
                );
                let communities: Vec<_> = site
                    .communities
                    .iter()
                    .map(|c| CommunitySummary {
                        name: &c.name,
                        url: url(site, &c.url_path),
                        articles: c.articles.len(),
                        activities: c.activities.len(),
                        people: c.people.len(),
                    })
                    .collect();
                context.insert("communities", &communities);
                self.write_page(staging, "communities.html", "communities/", &context)
            }
            Job::Community {
                index,
                number,
                total,
            } => {
                let community = &site.communities[index];
                let path = page_path(&community.url_path, number);
                let crumbs = views::crumbs(
                    site,
                    vec![
                        ("社区".into(), Some(url(site, "communities/"))),
                        (community.name.clone(), None),
                    ],
                );
                let mut context = self.context(&numbered(&community.name, number), &path, crumbs);
                context.insert(
                    "community",
                    &CommunitySummary {
                        name: &community.name,
                        url: url(site, &community.url_path),
                        articles: community.articles.len(),
                        activities: community.activities.len(),
                        people: community.people.len(),
                    },
                );
                context.insert(
                    "articles",
                    &views::article_cards(site, &slice(&community.articles, number)),
                );
                context.insert(
                    "paginator",
                    &views::paginator(site, &community.url_path, number, total),
                );
                let first = number == 1;
                context.insert(
                    "activities",
                    &if first {
                        views::activities(site, &community.activities)
                    } else {
                        Vec::new()
                    },
                );
                context.insert(
                    "activity_totals",
                    &views::activity_totals(
                        community.activities.iter().map(|&i| &site.activities[i]),
                    ),
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
                context.insert("people", &people);
                self.write_page(staging, "community.html", &path, &context)
            }
            Job::Activities => {
                let mut context = self.context(
                    "活动记录",
                    "activities/",
                    views::crumbs(site, vec![("活动记录".into(), None)]),
                );
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
                context.insert("years", &groups);
                context.insert(
                    "activity_totals",
                    &views::activity_totals(site.activities.iter()),
                );
                self.write_page(staging, "activities.html", "activities/", &context)
            }
            Job::Archive => {
                let mut context = self.context(
                    "文章归档",
                    "archive/",
                    views::crumbs(site, vec![("文章归档".into(), None)]),
                );
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
                context.insert("years", &years);
                self.write_page(staging, "archive.html", "archive/", &context)
            }
            Job::ArchiveYear(year) => {
                let path = format!("archive/{year}/");
                let crumbs = views::crumbs(
                    site,
                    vec![
                        ("文章归档".into(), Some(url(site, "archive/"))),
                        (format!("{year}年"), None),
                    ],
                );
                let mut context = self.context(&format!("{year}年文章"), &path, crumbs);
                let months: Vec<_> = site
                    .by_month
                    .range((year, 1)..=(year, 12))
                    .rev()
                    .map(|((_, month), list)| ArchiveMonth {
                        month: *month,
                        articles: views::article_cards(site, list),
                    })
                    .collect();
                context.insert("year", &year);
                context.insert("months", &months);
                self.write_page(staging, "archive_year.html", &path, &context)
            }
            Job::Stats => {
                let title = "发稿与阅读统计";
                let crumbs = views::crumbs(site, vec![(title.into(), None)]);
                let mut context = self.context(title, "stats/", crumbs);
                let page = crate::stats::page::StatsPage::new(self.tally());
                context.insert("tally", &page.strip);
                context.insert("stats", &page);
                self.write_page(staging, "stats.html", "stats/", &context)
            }
            Job::NotFound => {
                let context = self.context(
                    "页面不存在",
                    "404.html",
                    views::crumbs(site, vec![("页面不存在".into(), None)]),
                );
                let html = self.render_template("404.html", &context)?;
                staging.write("404.html", &html)
            }
        }
    }

    /// The context every page starts from.
    fn context(&self, title: &str, path: &str, crumbs: Vec<views::Crumb>) -> Context {
        let mut context = self.base.clone();
        context.insert("title", title);
        context.insert("current_path", &url(self.site, path));
        context.insert("permalink", &views::permalink(self.site, path));
        context.insert("breadcrumbs", &crumbs);
        context
    }

    /// A page that needs only the common context and a title (the search page).
    pub(crate) fn plain_page(
        &self,
        template: &str,
        title: &str,
        path: &str,
        staging: &dyn Sink,
    ) -> Result<(), Diagnostic> {
        let crumbs = views::crumbs(self.site, vec![(title.to_string(), None)]);
        self.write_page(staging, template, path, &self.context(title, path, crumbs))
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

    fn write_page(
        &self,
        staging: &dyn Sink,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<(), Diagnostic> {
        let html = self.render_template(template, context)?;
        staging.write(&format!("{path}index.html"), &html)
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

fn numbered(title: &str, number: usize) -> String {
    if number > 1 {
        format!("{title}（第{number}页）")
    } else {
        title.to_string()
    }
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

#[derive(Serialize)]
struct Section<'a> {
    category: views::CategoryRef<'a>,
    articles: Vec<views::ArticleCard<'a>>,
}

#[derive(Serialize)]
struct PersonPage<'a> {
    #[serde(flatten)]
    card: views::PersonCard<'a>,
    content: String,
    permalink: String,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct StandalonePage<'a> {
    title: &'a str,
    url: String,
    content: String,
    summary: &'a str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Counted<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct CommunitySummary<'a> {
    name: &'a str,
    url: String,
    articles: usize,
    activities: usize,
    people: usize,
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
struct ArchiveMonth<'a> {
    month: u32,
    articles: Vec<views::ArticleCard<'a>>,
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
