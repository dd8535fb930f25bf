//! Rendering only the pages whose inputs changed, for `serve`.
//!
//! A page's fingerprint is not declared here: it is taken from the page's
//! own view (`pages/`), by hashing everything the page kind's code gives its
//! template, in the same code that renders it. What a view holds that is
//! not plain data is hashed by what it is made of instead:
//! - a Markdown body by the *version* of its file (a number `serve` bumps
//!   whenever it reads the file again) and how each of its links and images
//!   resolves now, so a link to an article that moved changes the body;
//! - an article's card (what a list shows of it) by the card's own hash,
//!   made once per render, so an edit of the text that leaves the summary
//!   as it was changes no list;
//! - every page starts from the hash of the `site` value all templates get.
//!
//! Settings and templates are not covered: `serve` renders everything,
//! without this memo, when they change. A page is kept when its fingerprint
//! equals the one it had when last rendered and the sink still has its
//! files; its messages are given again. A page whose view holds something
//! of unknown fingerprint (a body not rendered at this version) is made.
//!
//! Files made from the whole site (sitemaps, robots.txt, the tally's JSON
//! and CSV, the feeds) are kept when what they are made of is the same: the
//! sitemaps' paths and dates, the tally, what a feed shows of each article
//! it carries (its body included). A hash of that costs far less than
//! making them.
//!
//! The equality of `serve` with a full build is tested end to end in
//! `tests/integration/serve.rs` and over many edits in `serve::session`.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap as HashMap, FxHasher as DefaultHasher};

use super::links::ItemLinks;
use super::pages::PageView;
use super::{views, Renderer};
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

pub(super) fn body_key(shown: &str) -> u64 {
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
    /// A hash of the `site` value every template is given, which every
    /// page's fingerprint starts from.
    site_hash: OnceLock<u64>,
    /// The hash of each article's card, made when first asked for: lists
    /// and neighbours show the same cards many times.
    cards: OnceLock<Vec<OnceLock<u64>>>,
    kept: std::sync::atomic::AtomicUsize,
}

impl<'a> Incremental<'a> {
    pub fn new(previous: &'a Memo, versions: &'a HashMap<String, u64>) -> Self {
        Incremental {
            previous,
            versions,
            next: Mutex::new(Memo::default()),
            site_hash: OnceLock::new(),
            cards: OnceLock::new(),
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

    /// The hasher a page's fingerprint is taken with.
    pub(super) fn view_hasher(&self) -> DefaultHasher {
        let mut h = DefaultHasher::default();
        self.site_hash
            .get()
            .copied()
            .unwrap_or_default()
            .hash(&mut h);
        h
    }

    /// The hash of article `index`'s card (`views::article_card`).
    pub(super) fn card_hash(&self, site: &crate::site::Site, index: usize) -> u64 {
        let make = || {
            let mut h = DefaultHasher::default();
            let card = views::article_card(site, &site.articles[index]);
            // A card is plain data: it serialises, or no page could show it.
            let _ = super::view_hash::hash_into(&card, &mut h);
            h.finish()
        };
        match self.cards.get().and_then(|cards| cards.get(index)) {
            Some(slot) => *slot.get_or_init(make),
            None => make(),
        }
    }

    /// Whether the last render has nothing to offer (every page is made).
    fn is_fresh(&self) -> bool {
        self.previous.pages.is_empty()
    }
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
    /// The page's key and fingerprint, once its view is made.
    remembered: Option<(u64, Option<u64>)>,
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

    /// Remembers the page as `file`, with the fingerprint of its view
    /// (none when part of it is not known: it is made again next time).
    pub(super) fn remember(&mut self, file: &str, fingerprint: Option<u64>) {
        if let Some(recording) = &mut self.recording {
            recording.remembered = Some((page_key(file), fingerprint));
        }
    }
}

/// What identifies a page across renders: the file it writes.
fn page_key(file: &str) -> u64 {
    let mut h = DefaultHasher::default();
    file.hash(&mut h);
    h.finish()
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
        let Some((key, Some(fingerprint))) = recording.remembered else {
            return;
        };
        let paths = recording
            .paths
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        recording.incremental.next().pages.insert(
            key,
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
        let site = self.site;
        incremental.site_hash.get_or_init(|| {
            let mut h = DefaultHasher::default();
            let _ = super::view_hash::hash_into(&views::site_value(site), &mut h);
            h.finish()
        });
        incremental
            .cards
            .get_or_init(|| (0..site.articles.len()).map(|_| OnceLock::new()).collect());
        self
    }

    /// Whether the page a hashing view was filled for can be kept from the
    /// last render as it is: the same fingerprint, and its files still in
    /// the sink. Its messages are given again.
    pub(super) fn keep(
        &self,
        file: &str,
        view: &PageView<'_>,
        sink: &dyn Sink,
        diagnostics: &Diagnostics,
    ) -> bool {
        let Some(incremental) = self.incremental else {
            return false;
        };
        let key = page_key(file);
        let Some(old) = incremental.previous.pages.get(&key) else {
            return false;
        };
        if view.fingerprint() != Some(old.fingerprint)
            || !old.paths.iter().all(|path| sink.keep(path))
        {
            return false;
        }
        if !old.diagnostics.is_empty() {
            diagnostics.extend(old.diagnostics.iter().cloned());
        }
        let mut next = incremental.next();
        next.pages.insert(key, Arc::clone(old));
        // A kept page's bodies stay known for the next render.
        for body in &view.bodies {
            if let Some(memo) = incremental.previous.bodies.get(body) {
                next.bodies.insert(*body, Arc::clone(memo));
            }
        }
        drop(next);
        incremental
            .kept
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    }

    /// Whether pages are worth hashing before they are made: only when the
    /// last render remembered some.
    pub(super) fn may_keep(&self) -> Option<&'a Incremental<'a>> {
        self.incremental
            .filter(|incremental| !incremental.is_fresh())
    }

    /// A sink and collector to render a page with, which remember what the
    /// page wrote and said when rendering incrementally.
    pub(super) fn page_run<'r>(
        &'r self,
        sink: &'r dyn Sink,
        diagnostics: &'r Diagnostics,
    ) -> PageRun<'r> {
        PageRun {
            sink,
            global: diagnostics,
            recording: self.incremental.map(|incremental| Recording {
                incremental,
                remembered: None,
                paths: Mutex::new(Vec::new()),
                local: Diagnostics::new(),
            }),
        }
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

    /// A body's fingerprint: the version of its file and how its links
    /// resolve now. Known only once the body was rendered at this version.
    pub(super) fn body_fingerprint(
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
