//! Rendering only the pages whose inputs changed, for `serve`.
//!
//! Each page that can be skipped gets a fingerprint: a hash of everything its
//! template is given, computed from the indexes of the site and from the
//! *version* of each item it shows (a number `serve` bumps whenever it reads
//! the item's file again), never from the change that happened. A page is
//! skipped when its fingerprint equals the one it had when it was last
//! rendered and the sink still has its files; its messages are given again.
//! The home page shows a bit of everything and is always made, as is any
//! page kind not listed here, so a new kind of page is correct before it is
//! fast.
//!
//! Files made from the whole site (sitemaps, robots.txt, the tally's JSON
//! and CSV, the feeds) are kept when what they are made of is the same: the
//! sitemaps' paths and dates, the tally, what a feed shows of each article
//! it carries (its body included). A hash of that costs far less than
//! making them, and a save that changes an article's authors or tags
//! leaves the sitemaps and most feeds as they were.
//!
//! What a fingerprint covers, per page:
//! - every page: the `site` value all templates get (settings, menu, pages);
//!   settings and templates themselves are not covered — `serve` renders
//!   everything, without this memo, when they change;
//! - an item (article, record, resident, page): the version of its file, and
//!   what views add to it from elsewhere (read counts, the sizes and URLs of
//!   its cover or photo, the article an activity record reports);
//! - a Markdown body: the version of its file and how each of its links and
//!   images resolves now (a link to an article that moved changes the body);
//! - an article page: its item, its body, its category and the cards of the
//!   articles before and after it;
//! - an article's card (what a list shows of it): the fields it is made of,
//!   not the version of the file, so an edit of the text that leaves the
//!   summary as it was changes no list;
//! - a list page: its number, the number of pages, the items on it (articles
//!   by their cards); every page of a category, the activity records of its
//!   kind it totals (and lists, on the first page, beside the honour board
//!   made of every resident); every page of a community, the items it totals;
//! - an index (tags, communities, archive): the names and counts it lists;
//!   the activities page: every record;
//! - the tally's page: the tally.
//!
//! The equality of `serve` with a full build is tested end to end in
//! `tests/integration/serve.rs` and over many edits in `serve::session`.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap as HashMap, FxHasher as DefaultHasher};

use rayon::prelude::*;

use super::links::ItemLinks;
use super::{views, Job, Renderer};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkKind, LinkResolver, Resolution};
use crate::output::Sink;

/// What was rendered last time: kept by `serve` with the files it serves.
#[derive(Debug, Default)]
pub struct Memo {
    /// By a hash of the page's key (see `page_key`), so that keeping a page
    /// costs no allocation.
    pages: HashMap<u64, Arc<PageMemo>>,
    /// By a hash of the body's file path as shown.
    bodies: HashMap<u64, Arc<BodyMemo>>,
    /// The HTML of bodies the feeds carry (by the same key), with the body's
    /// fingerprint: a kept article in a feed needs no new reading.
    feed_bodies: HashMap<u64, (u64, Arc<[u8]>)>,
    /// The search record of every article, kept the same way (a kept
    /// page's record is unchanged: it is made of what the page shows).
    search_records: HashMap<u64, (u64, Arc<[u8]>)>,
    /// Files made from the whole site, by a name for each group (`feed
    /// rss.xml`): the fingerprint of their inputs and the paths written.
    site_files: HashMap<String, (u64, Vec<String>)>,
}

/// What is remembered of an article body besides its page.
#[derive(Debug, Clone, Copy)]
pub(super) enum Derived {
    /// The HTML, for the feeds.
    FeedHtml,
    /// The encoded record, for the search index.
    SearchRecord,
}

impl Memo {
    fn derived(&mut self, which: Derived) -> &mut HashMap<u64, (u64, Arc<[u8]>)> {
        match which {
            Derived::FeedHtml => &mut self.feed_bodies,
            Derived::SearchRecord => &mut self.search_records,
        }
    }

    fn derived_ref(&self, which: Derived) -> &HashMap<u64, (u64, Arc<[u8]>)> {
        match which {
            Derived::FeedHtml => &self.feed_bodies,
            Derived::SearchRecord => &self.search_records,
        }
    }
}

fn body_key(shown: &str) -> u64 {
    let mut h = DefaultHasher::default();
    shown.hash(&mut h);
    h.finish()
}

#[derive(Debug, Clone)]
struct PageMemo {
    fingerprint: u64,
    paths: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
struct BodyMemo {
    version: u64,
    links: Vec<(String, LinkKind)>,
}

impl Memo {
    /// How many pages it remembers.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }
}

/// One incremental render: the memo of the last good render, the versions of
/// the files now, and the memo being made.
pub struct Incremental<'a> {
    previous: &'a Memo,
    /// Path of each content file as shown (`content/articles/a.md`) → version.
    versions: &'a HashMap<String, u64>,
    next: Mutex<Memo>,
    prepared: OnceLock<Prepared>,
    kept: std::sync::atomic::AtomicUsize,
}

/// Fingerprints of every item, computed once per render.
struct Prepared {
    site: u64,
    articles: Vec<Option<u64>>,
    /// Of every article's card (see `views::article_card`).
    cards: Vec<u64>,
    activities: Vec<Option<u64>>,
    people: Vec<Option<u64>>,
    pages: Vec<Option<u64>>,
    /// Position of each article in its category's list.
    positions: Vec<usize>,
}

impl<'a> Incremental<'a> {
    pub fn new(previous: &'a Memo, versions: &'a HashMap<String, u64>) -> Self {
        Incremental {
            previous,
            versions,
            next: Mutex::new(Memo::default()),
            prepared: OnceLock::new(),
            kept: 0.into(),
        }
    }

    /// The memo of this render, to keep when the render succeeded.
    pub fn into_memo(self) -> Memo {
        self.next.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// How many pages were kept from the last render.
    pub fn kept(&self) -> usize {
        self.kept.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn next(&self) -> std::sync::MutexGuard<'_, Memo> {
        self.next.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A page of the render loop, as the memo sees it.
pub(super) enum Page<'j> {
    Article(usize),
    Job(&'j Job),
}

/// Whether a page must be rendered, and if so where it writes.
pub(super) enum Begin<'r> {
    /// Its files and messages were kept from the last render.
    Kept,
    Render(PageRun<'r>),
}

/// A page being rendered: a sink and a collector that remember what the page
/// wrote and said, so it can be kept next time. Passes straight through
/// when there is no memo. Dropping it (also on an early return) hands the
/// messages on.
pub(super) struct PageRun<'r> {
    sink: &'r dyn Sink,
    global: &'r Diagnostics,
    recording: Option<Recording<'r>>,
}

struct Recording<'r> {
    incremental: &'r Incremental<'r>,
    renderer: &'r Renderer<'r>,
    page: Page<'r>,
    key: u64,
    paths: Mutex<Vec<String>>,
    local: Diagnostics,
}

impl PageRun<'_> {
    pub(super) fn diagnostics(&self) -> &Diagnostics {
        match &self.recording {
            Some(recording) => &recording.local,
            None => self.global,
        }
    }
}

impl Sink for PageRun<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.sink.write(rel, bytes)?;
        self.record(rel);
        Ok(())
    }

    fn copy(&self, rel: &str, source: &std::path::Path) -> Result<(), Diagnostic> {
        self.sink.copy(rel, source)?;
        self.record(rel);
        Ok(())
    }

    fn keep(&self, rel: &str) -> bool {
        self.sink.keep(rel)
    }

    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        self.sink.read(rel)
    }

    fn scratch_dir(&self) -> Option<std::path::PathBuf> {
        self.sink.scratch_dir()
    }
}

impl PageRun<'_> {
    fn record(&self, rel: &str) {
        if let Some(recording) = &self.recording {
            recording
                .paths
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(rel.to_string());
        }
    }
}

impl Drop for PageRun<'_> {
    fn drop(&mut self) {
        let Some(recording) = self.recording.take() else {
            return;
        };
        let diagnostics = recording.local.into_sorted();
        self.global.extend(diagnostics.iter().cloned());
        // The fingerprint is taken after rendering, when the body's links are known.
        let Some(fingerprint) = recording.renderer.fingerprint(&recording.page) else {
            return;
        };
        let paths = recording
            .paths
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        recording.incremental.next().pages.insert(
            recording.key,
            Arc::new(PageMemo {
                fingerprint,
                paths,
                diagnostics,
            }),
        );
    }
}

/// A resolver that remembers the links it was asked about.
struct RecordingLinks<'a> {
    inner: &'a ItemLinks<'a>,
    links: RefCell<Vec<(String, LinkKind)>>,
}

impl LinkResolver for RecordingLinks<'_> {
    fn resolve(&self, destination: &str, kind: LinkKind) -> Resolution {
        self.links
            .borrow_mut()
            .push((destination.to_string(), kind));
        self.inner.resolve(destination, kind)
    }
}

impl<'a> Renderer<'a> {
    /// Files made from the whole site, a group at a time (`group` names it):
    /// kept when `inputs` (everything they are made from but the settings)
    /// are as at the last render and the sink still has them, else made by
    /// `make` as (path, contents) and written.
    pub(super) fn site_files<T: AsRef<[u8]>>(
        &self,
        group: &str,
        inputs: impl Hash,
        sink: &dyn Sink,
        diagnostics: &Diagnostics,
        make: impl FnOnce() -> Vec<(String, T)>,
    ) {
        let fingerprint = self.incremental.map(|incremental| {
            let mut h = DefaultHasher::default();
            (group, inputs).hash(&mut h);
            (incremental, h.finish())
        });
        if let Some((incremental, fingerprint)) = fingerprint {
            if let Some((old, paths)) = incremental.previous.site_files.get(group) {
                if *old == fingerprint && paths.iter().all(|path| sink.keep(path)) {
                    let kept = (fingerprint, paths.clone());
                    incremental
                        .next()
                        .site_files
                        .insert(group.to_string(), kept);
                    return;
                }
            }
        }
        let files = make();
        for (path, contents) in &files {
            if let Err(problem) = sink.write(path, contents.as_ref()) {
                diagnostics.push(problem);
            }
        }
        if let Some((incremental, fingerprint)) = fingerprint {
            let paths = files.into_iter().map(|(path, _)| path).collect();
            incremental
                .next()
                .site_files
                .insert(group.to_string(), (fingerprint, paths));
        }
    }

    /// Renders only pages whose inputs changed since `incremental.previous`
    /// (the sink must be able to keep files, see `Sink::keep`).
    pub fn with_memo(mut self, incremental: &'a Incremental<'a>) -> Self {
        self.incremental = Some(incremental);
        incremental.prepared.get_or_init(|| self.prepare());
        self
    }

    /// Decides whether a page can be kept; if not, gives the sink and
    /// collector to render it with.
    pub(super) fn begin<'r>(
        &'r self,
        page: Page<'r>,
        sink: &'r dyn Sink,
        diagnostics: &'r Diagnostics,
    ) -> Begin<'r> {
        let pass = PageRun {
            sink,
            global: diagnostics,
            recording: None,
        };
        let Some(incremental) = self.incremental else {
            return Begin::Render(pass);
        };
        let Some(key) = self.page_key(&page) else {
            return Begin::Render(pass);
        };
        if let Some(old) = incremental.previous.pages.get(&key) {
            let same = self.fingerprint(&page) == Some(old.fingerprint);
            if same && old.paths.iter().all(|path| sink.keep(path)) {
                if !old.diagnostics.is_empty() {
                    diagnostics.extend(old.diagnostics.iter().cloned());
                }
                let body = self.kept_body(&page, incremental);
                let mut next = incremental.next();
                next.pages.insert(key, Arc::clone(old));
                if let Some((key, body)) = body {
                    next.bodies.insert(key, body);
                }
                drop(next);
                incremental
                    .kept
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Begin::Kept;
            }
        }
        Begin::Render(PageRun {
            recording: Some(Recording {
                incremental,
                renderer: self,
                page,
                key,
                paths: Mutex::new(Vec::new()),
                local: Diagnostics::new(),
            }),
            ..pass
        })
    }

    /// Renders a Markdown body, remembering its links when rendering incrementally.
    pub(super) fn render_markdown(
        &self,
        body: &str,
        shown: &str,
        links: &ItemLinks<'_>,
    ) -> markdown::Rendered {
        let Some(incremental) = self.incremental else {
            return markdown::render(body, links);
        };
        let recording = RecordingLinks {
            inner: links,
            links: RefCell::new(Vec::new()),
        };
        let rendered = markdown::render(body, &recording);
        if let Some(&version) = incremental.versions.get(shown) {
            incremental.next().bodies.insert(
                body_key(shown),
                Arc::new(BodyMemo {
                    version,
                    links: recording.links.into_inner(),
                }),
            );
        }
        rendered
    }

    /// What a kept article's body gives (`which`): from the memo when the
    /// body's fingerprint is unchanged, else made by `make` (and remembered).
    pub(super) fn derived_body(
        &self,
        article: &crate::content::Article,
        which: Derived,
        make: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<Arc<[u8]>> {
        let Some(incremental) = self.incremental else {
            return make().map(Arc::from);
        };
        let key = body_key(&article.shown);
        let fingerprint = self.body_fingerprint(&article.shown, &article.rel, incremental);
        if let (Some(fingerprint), Some((old, value))) = (
            fingerprint,
            incremental.previous.derived_ref(which).get(&key),
        ) {
            if fingerprint == *old {
                let value = Arc::clone(value);
                incremental
                    .next()
                    .derived(which)
                    .insert(key, (fingerprint, Arc::clone(&value)));
                return Some(value);
            }
        }
        let value: Arc<[u8]> = Arc::from(make()?);
        self.remember_derived(article, which, &value);
        Some(value)
    }

    /// Remembers what an article body gives, once its links are known.
    pub(super) fn remember_derived(
        &self,
        article: &crate::content::Article,
        which: Derived,
        value: &Arc<[u8]>,
    ) {
        let Some(incremental) = self.incremental else {
            return;
        };
        if let Some(fingerprint) = self.body_fingerprint(&article.shown, &article.rel, incremental)
        {
            incremental
                .next()
                .derived(which)
                .insert(body_key(&article.shown), (fingerprint, Arc::clone(value)));
        }
    }

    /// A kept page's body stays known for the next render.
    fn kept_body(
        &self,
        page: &Page<'_>,
        incremental: &Incremental<'_>,
    ) -> Option<(u64, Arc<BodyMemo>)> {
        let shown = match page {
            Page::Article(i) => &self.site.articles[*i].shown,
            Page::Job(Job::Person(i)) => &self.site.people[*i].shown,
            Page::Job(Job::Page(i)) => &self.site.pages[*i].shown,
            Page::Job(_) => return None,
        };
        let key = body_key(shown);
        let body = incremental.previous.bodies.get(&key)?;
        Some((key, Arc::clone(body)))
    }

    /// A hash of what identifies a page across renders (its item's file,
    /// its list and number), not of where it is in this render's lists.
    fn page_key(&self, page: &Page<'_>) -> Option<u64> {
        let site = self.site;
        let mut h = DefaultHasher::default();
        match page {
            Page::Article(i) => ("article", &site.articles[*i].shown).hash(&mut h),
            Page::Job(job) => match **job {
                Job::Category { index, number, .. } => {
                    ("category", site.category_key(index), number).hash(&mut h)
                }
                Job::Tag { index, number, .. } => {
                    ("tag", &site.tags[index].name, number).hash(&mut h)
                }
                Job::Community { index, number, .. } => {
                    ("community", &site.communities[index].name, number).hash(&mut h)
                }
                Job::Person(i) => ("person", &site.people[i].shown).hash(&mut h),
                Job::Page(i) => ("page", &site.pages[i].shown).hash(&mut h),
                Job::ArchiveYear(year) => ("year", year).hash(&mut h),
                Job::Tags => "tags".hash(&mut h),
                Job::Communities => "communities".hash(&mut h),
                Job::Activities => "activities".hash(&mut h),
                Job::Archive => "archive".hash(&mut h),
                Job::Stats => "stats".hash(&mut h),
                Job::NotFound => "404".hash(&mut h),
                _ => return None,
            },
        }
        Some(h.finish())
    }

    /// The fingerprint of a page's inputs; `None` when some input is not
    /// known (a file read for the first time), which means: render it.
    fn fingerprint(&self, page: &Page<'_>) -> Option<u64> {
        let incremental = self.incremental?;
        let prepared = incremental.prepared.get()?;
        let site = self.site;
        let per_page = site.config.paginate;
        let mut h = DefaultHasher::default();
        prepared.site.hash(&mut h);
        // Lists show their articles as cards.
        let cards = |list: &[usize], h: &mut DefaultHasher| {
            list.len().hash(h);
            for &i in list {
                prepared.cards[i].hash(h);
            }
        };
        let slice = |list: &[usize], number: usize| -> Vec<usize> {
            list.iter()
                .skip((number - 1) * per_page)
                .take(per_page)
                .copied()
                .collect()
        };
        let activities = |list: &[usize], h: &mut DefaultHasher| -> Option<()> {
            list.len().hash(h);
            for &i in list {
                prepared.activities[i]?.hash(h);
            }
            Some(())
        };
        let all_people = |h: &mut DefaultHasher| -> Option<()> {
            for fp in &prepared.people {
                (*fp)?.hash(h);
            }
            Some(())
        };
        match page {
            Page::Article(index) => {
                let article = &site.articles[*index];
                "article".hash(&mut h);
                prepared.articles[*index]?.hash(&mut h);
                self.body_fingerprint(&article.shown, &article.rel, incremental)?
                    .hash(&mut h);
                article.category.hash(&mut h);
                let list = &site.by_category[article.category];
                let position = prepared.positions[*index];
                let older = list.get(position + 1).copied();
                let newer = position.checked_sub(1).and_then(|p| list.get(p).copied());
                for neighbour in [older, newer] {
                    match neighbour {
                        Some(i) => prepared.cards[i].hash(&mut h),
                        None => 0u64.hash(&mut h),
                    }
                }
            }
            Page::Job(job) => match **job {
                Job::Category {
                    index,
                    number,
                    total,
                } => {
                    ("category", index, number, total).hash(&mut h);
                    let list = &site.by_category[index];
                    cards(&slice(list, number), &mut h);
                    activities(&site.activities_by_kind[index], &mut h)?;
                    // The first page shows the honour board too (`models`);
                    // no page shows the category's other articles, so a move
                    // further down its list leaves the first page as it was.
                    if number == 1 {
                        all_people(&mut h)?;
                    }
                }
                Job::Tag {
                    index,
                    number,
                    total,
                } => {
                    let tag = &site.tags[index];
                    ("tag", &tag.name, number, total).hash(&mut h);
                    cards(&slice(&tag.articles, number), &mut h);
                    tag.articles.len().hash(&mut h);
                }
                Job::Community {
                    index,
                    number,
                    total,
                } => {
                    let community = &site.communities[index];
                    ("community", &community.name, number, total).hash(&mut h);
                    cards(&slice(&community.articles, number), &mut h);
                    community.articles.len().hash(&mut h);
                    activities(&community.activities, &mut h)?;
                    community.people.len().hash(&mut h);
                    for &i in &community.people {
                        prepared.people[i]?.hash(&mut h);
                    }
                }
                Job::Person(i) => {
                    let person = &site.people[i];
                    "person".hash(&mut h);
                    prepared.people[i]?.hash(&mut h);
                    self.body_fingerprint(&person.shown, &person.rel, incremental)?
                        .hash(&mut h);
                }
                Job::Page(i) => {
                    let page = &site.pages[i];
                    "page".hash(&mut h);
                    prepared.pages[i]?.hash(&mut h);
                    self.body_fingerprint(&page.shown, &page.rel, incremental)?
                        .hash(&mut h);
                }
                Job::ArchiveYear(year) => {
                    ("year", year).hash(&mut h);
                    for ((_, month), list) in site.by_month.range((year, 1)..=(year, 12)) {
                        month.hash(&mut h);
                        cards(list, &mut h);
                    }
                }
                Job::Tags => {
                    "tags".hash(&mut h);
                    for tag in &site.tags {
                        (&tag.name, tag.articles.len()).hash(&mut h);
                    }
                }
                Job::Communities => {
                    "communities".hash(&mut h);
                    for c in &site.communities {
                        (
                            &c.name,
                            c.articles.len(),
                            c.activities.len(),
                            c.people.len(),
                        )
                            .hash(&mut h);
                    }
                }
                Job::Activities => {
                    "activities".hash(&mut h);
                    let all: Vec<usize> = (0..site.activities.len()).collect();
                    activities(&all, &mut h)?;
                }
                Job::Archive => {
                    "archive".hash(&mut h);
                    for (month, list) in &site.by_month {
                        (month, list.len()).hash(&mut h);
                    }
                }
                // The tally's page: the tally and nothing else of the site's items.
                Job::Stats => ("stats", &**self.tally()).hash(&mut h),
                Job::NotFound => "404".hash(&mut h),
                // The home page shows a bit of everything: always rendered.
                _ => return None,
            },
        }
        Some(h.finish())
    }

    /// A body's fingerprint: the version of its file and how its links
    /// resolve now. Known only once the body was rendered at this version.
    fn body_fingerprint(
        &self,
        shown: &str,
        rel: &str,
        incremental: &Incremental<'_>,
    ) -> Option<u64> {
        let version = *incremental.versions.get(shown)?;
        let key = body_key(shown);
        let body = match incremental.previous.bodies.get(&key) {
            Some(body) if body.version == version => Arc::clone(body),
            // Rendered in this render (the fingerprint taken after rendering).
            _ => incremental.next().bodies.get(&key).map(Arc::clone)?,
        };
        if body.version != version {
            return None;
        }
        let links = ItemLinks {
            site: self.site,
            file_rel: rel,
            known_paths: self.known_paths,
        };
        let mut h = DefaultHasher::default();
        version.hash(&mut h);
        for (destination, kind) in &body.links {
            hash_resolution(&links.resolve(destination, *kind), &mut h);
        }
        Some(h.finish())
    }

    /// Fingerprints of every item, in parallel.
    fn prepare(&self) -> Prepared {
        let site = self.site;
        let Some(incremental) = self.incremental else {
            unreachable!("prepare is called by with_memo");
        };
        let version = |shown: &str| incremental.versions.get(shown).copied();
        // A processed image's sizes and files, else the URL of the file itself.
        let asset_url = |rel: Option<&str>| {
            rel.map(|r| (views::image(site, Some(r)), views::asset_path(site, r)))
        };
        let articles = site
            .articles
            .par_iter()
            .map(|a| {
                let mut h = DefaultHasher::default();
                (version(&a.shown)?, a.reads, asset_url(a.cover.as_deref())).hash(&mut h);
                Some(h.finish())
            })
            .collect();
        // What an article's card (in a list, or beside its neighbour) is
        // made of: a list stays as it was when an article's text changes
        // but not its summary.
        let cards = site
            .articles
            .par_iter()
            .map(|a| {
                let mut h = DefaultHasher::default();
                let offset = a.date.offset().local_minus_utc();
                (
                    &a.title,
                    &a.url_path,
                    a.date,
                    offset,
                    a.category,
                    &a.summary,
                )
                    .hash(&mut h);
                (&a.community, &a.authors, a.reads).hash(&mut h);
                asset_url(a.cover.as_deref()).hash(&mut h);
                h.finish()
            })
            .collect();
        let activities = site
            .activities
            .iter()
            .map(|a| {
                let mut h = DefaultHasher::default();
                (version(&a.shown)?, a.line).hash(&mut h);
                let reported = a
                    .article
                    .as_deref()
                    .and_then(|slug| site.article_by_slug(slug))
                    .map(|article| (&article.title, &article.url_path));
                reported.hash(&mut h);
                Some(h.finish())
            })
            .collect();
        let people = site
            .people
            .iter()
            .map(|p| {
                let mut h = DefaultHasher::default();
                (version(&p.shown)?, asset_url(p.photo.as_deref())).hash(&mut h);
                Some(h.finish())
            })
            .collect();
        let pages = site
            .pages
            .iter()
            .map(|p| {
                let mut h = DefaultHasher::default();
                version(&p.shown)?.hash(&mut h);
                Some(h.finish())
            })
            .collect();
        let mut positions = vec![0; site.articles.len()];
        for list in &site.by_category {
            for (position, &i) in list.iter().enumerate() {
                positions[i] = position;
            }
        }
        let mut h = DefaultHasher::default();
        serde_json::to_string(&views::site_value(site))
            .unwrap_or_default()
            .hash(&mut h);
        Prepared {
            site: h.finish(),
            articles,
            cards,
            activities,
            people,
            pages,
            positions,
        }
    }
}

fn hash_resolution(resolution: &Resolution, h: &mut DefaultHasher) {
    match resolution {
        Resolution::Keep => 0u8.hash(h),
        Resolution::Replace(url) => (1u8, url).hash(h),
        Resolution::Warn(message) => (2u8, message).hash(h),
        Resolution::Fail(message) => (3u8, message).hash(h),
        Resolution::Image(markup) => (4u8, markup).hash(h),
    }
}
