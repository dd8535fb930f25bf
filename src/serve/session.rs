//! What `serve` keeps between rebuilds, so that a save costs little: the
//! settings and theme, every content file as it was loaded (with a version
//! number that changes each time the file is read again), the last good site
//! and the memo of how its pages were rendered.
//!
//! A rebuild re-reads only the files that changed (found by walking
//! `content/` again and comparing with what was loaded, so renames, new
//! folders and deletions need no special case), assembles the whole site
//! again from the kept items, and renders the pages whose inputs changed
//! (`render::memo`). Settings or theme changes start over; a change to an
//! image or other copied file renders every page, so that whatever pages
//! derive from files (sizes, hashes) is never stale.
//!
//! The common save while writing changes an article's body and nothing in
//! its front matter. The assembled site (its order, lists, indexes) is then
//! the same but for what that body gives the article (summary, reading
//! figures), so it is kept and those fields are taken from the file read
//! again, instead of copying every item and assembling anew. So is a save
//! that changes the title too, unless a read count names the article by
//! its old or new title (the count could then go to another article); then
//! the site is assembled again. And so is a save that changes its category
//! or credits (authors, editor, source, outlets): the article moves from
//! one category's list to the other's in place, and the tally, which
//! counts them, is made again. A change to its date, tags, community or
//! anything else that places it assembles the site again.

use std::collections::{BTreeSet, HashMap, HashSet};

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::changes::Change;
use super::store::{Entry, MemorySink, SiteFiles};
use crate::build::{load_config, now};
use crate::config::SiteConfig;
use crate::content::{self, ContentFile, FileKind, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::district::District;
use crate::render::{Incremental, Memo, Renderer};
use crate::site::{PublishOptions, Site};
use crate::stats::Tally;
use crate::theme::Theme;

/// A successful rebuild.
pub struct Built {
    pub files: Arc<SiteFiles>,
    pub pages: usize,
    /// Pages rendered this time (the others were kept).
    pub rendered: usize,
    pub articles: usize,
    /// Items for the search index, which `files` lacks: it is built after
    /// the reload, with [`search_index`].
    pub search_items: u32,
}

/// The search index of `files`, built from their records; `None` when
/// `cancelled` said a newer build came first, or it could not be written.
pub fn search_index(
    files: &SiteFiles,
    search_items: u32,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<SiteFiles> {
    let read = |rel: &str| match files.get(rel)? {
        Entry::Bytes(bytes) => Some(bytes.to_vec()),
        Entry::File(path) => std::fs::read(path).ok(),
    };
    let record_bytes = files
        .iter()
        .filter(|(rel, _)| rel.starts_with("search/d/"))
        .map(|(_, entry)| match entry {
            Entry::Bytes(bytes) => bytes.len() as u64,
            Entry::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        })
        .sum();
    let index = MemorySink::new();
    crate::search::write_index(search_items, record_bytes, &read, &index, cancelled).ok()?;
    if cancelled() {
        return None;
    }
    Some(index.into_files())
}

/// What a rebuild gave: the site when it had no error, and every diagnostic.
pub struct Outcome {
    pub built: Option<Built>,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct Session {
    root: PathBuf,
    base_url: String,
    include_drafts: bool,
    state: Option<State>,
    /// The last good site and the memo of its render.
    good: Arc<SiteFiles>,
    memo: Memo,
    /// The site last assembled from `state`'s files, kept while only
    /// article bodies, titles, categories and credits change.
    assembled: Option<Box<Assembled>>,
}

struct Assembled {
    site: Site,
    /// What assembling it said, said again by every rebuild that keeps it.
    diagnostics: Vec<Diagnostic>,
    /// Its tally, which no body or title changes (made by the first render,
    /// beside the article pages; made again when a category or credit changes).
    tally: Option<Arc<Tally>>,
    /// Every title a read count's row may name an article by (in the form
    /// `site::bare_title` gives).
    read_names: HashSet<String>,
}

impl Assembled {
    /// The site with the new bodies, titles, categories and credits of
    /// `update`, when they are all that changed and no read count names a
    /// title changed; else the site, to be dropped.
    fn with_edits_in_place(
        mut self: Box<Self>,
        update: &Update,
        state: &State,
        options: &PublishOptions,
    ) -> Result<Box<Assembled>, Box<Assembled>> {
        let Some(edited) = &update.in_place else {
            return Err(self);
        };
        // An item dated after the time it was assembled may be due now.
        if self.site.next_due.is_some_and(|due| due <= options.now) {
            return Err(self);
        }
        let named = |title: &String| {
            self.read_names
                .contains(crate::site::bare_title(title).as_ref())
        };
        if update.retitled.iter().flatten().any(named) {
            return Err(self);
        }
        for rel in edited {
            let Some(reread) = state.loads.get(rel).and_then(FileLoad::article) else {
                return Err(self);
            };
            // Not on the site when it is a draft or dated later.
            if let Some(index) = self.site.articles.iter().position(|a| a.rel == *rel) {
                self.site.recategorise(index, reread.category);
                let article = Arc::make_mut(&mut self.site.articles[index]);
                article.take_body_from(reread);
                article.take_credits_and_category_from(reread);
                article.title.clone_from(&reread.title);
            }
        }
        // The tally shows no article's title or body; the feeds, which do,
        // are made again when what they show changes (`Renderer::render_all`).
        if update.recounted {
            self.tally = None;
        }
        Ok(self)
    }
}

/// What reading the changed files again found (by default: the site must
/// be assembled again, no copied file changed).
#[derive(Default)]
struct Update {
    /// A copied file (an image…) was added, changed or removed.
    assets_changed: bool,
    /// When every file read again is an article whose front matter and
    /// place are as they were, but for its title, category and credits:
    /// their paths under `content/`.
    in_place: Option<Vec<String>>,
    /// The old and new titles of those whose title changed.
    retitled: Vec<[String; 2]>,
    /// Whether one of those changed its category or credits, which the tally counts.
    recounted: bool,
}

struct State {
    config: SiteConfig,
    theme: Theme,
    /// Every file under `content/`, in walk order.
    files: Vec<ContentFile>,
    walk_problems: Vec<Diagnostic>,
    /// A district portal's member offices, read with the settings: they live
    /// outside the site's folder, so a change to them is seen when site.toml is.
    district: Option<Arc<District>>,
    /// What reading the members said, said again by every rebuild.
    district_problems: Vec<Diagnostic>,
    /// What each file held, by its path under `content/`.
    loads: HashMap<String, FileLoad>,
    /// Version of each file, by its path as shown (`content/articles/a.md`).
    versions: FxHashMap<String, u64>,
    next_version: u64,
}

struct FileLoad {
    kind: FileKind,
    loaded: Loaded,
    problems: Vec<Diagnostic>,
}

impl Session {
    pub fn new(root: &Path, base_url: &str, include_drafts: bool) -> Session {
        Session {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            include_drafts,
            state: None,
            good: Arc::new(SiteFiles::default()),
            memo: Memo::default(),
            assembled: None,
        }
    }

    /// Rebuilds after `change`; on success the new site becomes the good one.
    pub fn rebuild(&mut self, change: &Change) -> Outcome {
        let diagnostics = Diagnostics::new();
        let built = self.rebuild_into(change, &diagnostics);
        let built = built.filter(|_| !diagnostics.has_errors());
        Outcome {
            built,
            diagnostics: diagnostics.into_sorted(),
        }
    }

    fn rebuild_into(&mut self, change: &Change, diagnostics: &Diagnostics) -> Option<Built> {
        let start_over = match change {
            Change::Nothing => false,
            Change::Everything => true,
            Change::Content(paths) => paths.contains(""),
        };
        if start_over {
            self.state = None;
        }
        let update = match (&mut self.state, change) {
            (None, _) => {
                self.assembled = None;
                self.state = Some(State::load(&self.root, &self.base_url, diagnostics)?);
                Update {
                    assets_changed: true,
                    ..Update::default()
                }
            }
            (Some(state), Change::Content(paths)) => state.update(&self.root, paths),
            (Some(_), _) => Update {
                in_place: Some(Vec::new()),
                ..Update::default()
            },
        };
        let render_all = update.assets_changed;
        let state = self.state.as_ref()?;

        diagnostics.extend(state.walk_problems.iter().cloned());
        diagnostics.extend(state.district_problems.iter().cloned());
        let loads: Vec<&FileLoad> = state
            .files
            .iter()
            .filter_map(|file| state.loads.get(&file.rel))
            .collect();
        for load in &loads {
            if !load.problems.is_empty() {
                diagnostics.extend(load.problems.iter().cloned());
            }
        }
        let options = PublishOptions {
            include_drafts: self.include_drafts,
            now: now(),
        };
        // A site not kept is freed after the render, which needs the processor more.
        let mut retired = None;
        let kept = self.assembled.take().and_then(|kept| {
            let kept = kept.with_edits_in_place(&update, state, &options);
            kept.map_err(|old| retired = Some(old)).ok()
        });
        let assembled = self.assembled.insert(kept.unwrap_or_else(|| {
            let said = Diagnostics::new();
            let loaded = gather(&loads);
            let read_names = loaded
                .reads
                .iter()
                .map(|row| crate::site::bare_title(crate::site::row_article(row)).into_owned())
                .collect();
            let mut site = Site::assemble(
                self.root.clone(),
                state.config.clone(),
                loaded,
                &options,
                &said,
            );
            site.district = state.district.clone();
            Box::new(Assembled {
                tally: None,
                read_names,
                site,
                diagnostics: said.into_sorted(),
            })
        }));
        diagnostics.extend(assembled.diagnostics.iter().cloned());
        if diagnostics.has_errors() {
            return None;
        }
        let site = &mut assembled.site;
        // Unchanged images are found in the cache by size and time, not read again.
        let (images, image_work) = crate::images::prepare(site, diagnostics);
        site.images = images;

        let fresh = Memo::default();
        let previous = if render_all { &fresh } else { &self.memo };
        let incremental = Incremental::new(previous, &state.versions);
        let sink = if render_all {
            MemorySink::new()
        } else {
            MemorySink::after(Arc::clone(&self.good))
        };
        let mut renderer = Renderer::new(site, &state.theme);
        if let Some(tally) = &assembled.tally {
            renderer = renderer.with_tally(Arc::clone(tally));
        }
        let renderer = renderer.with_memo(&incremental).defer_search_index();
        let report = renderer.render_all(&sink, diagnostics);
        assembled.tally = Some(Arc::clone(renderer.tally()));
        drop(renderer);
        if diagnostics.has_errors() {
            return None;
        }
        image_work.finish();
        let rendered = report.pages.saturating_sub(incremental.kept());
        let articles = site.articles.len();
        let memo = incremental.into_memo();
        let old_memo = std::mem::replace(&mut self.memo, memo);
        let old_files = std::mem::replace(&mut self.good, Arc::new(sink.into_files()));
        // Freeing a big memo takes a while; the tabs need not wait for it.
        std::thread::spawn(move || drop((old_memo, old_files, retired)));
        Some(Built {
            files: Arc::clone(&self.good),
            pages: report.pages,
            rendered,
            articles,
            search_items: report.search_items,
        })
    }
}

/// One `Loaded` of every file's items, in file order; the copies are made in
/// parallel (the site takes its items by value, and `serve` keeps its own).
/// Articles, the many and large ones, are shared rather than copied: the
/// site copies one only to change it (its read count, a new body).
fn gather(loads: &[&FileLoad]) -> Loaded {
    fn all<T: Clone + Send + Sync>(
        loads: &[&FileLoad],
        part: impl Fn(&Loaded) -> &Vec<T> + Sync,
    ) -> Vec<T> {
        loads
            .par_iter()
            .flat_map_iter(|load| part(&load.loaded).iter().cloned())
            .collect()
    }
    Loaded {
        articles: all(loads, |l| &l.articles),
        activities: all(loads, |l| &l.activities),
        people: all(loads, |l| &l.people),
        pages: all(loads, |l| &l.pages),
        reads: all(loads, |l| &l.reads),
        assets: all(loads, |l| &l.assets),
    }
}

impl State {
    /// Settings, theme and every content file.
    fn load(root: &Path, base_url: &str, diagnostics: &Diagnostics) -> Option<State> {
        let config = load_config(root, Some(base_url), diagnostics)?;
        let theme = match Theme::load(root, &config.theme) {
            Ok(theme) => theme,
            Err(problems) => {
                diagnostics.extend(problems);
                return None;
            }
        };
        let gathering = Diagnostics::new();
        let district = crate::district::gather(root, &config, now(), &gathering).map(Arc::new);
        let mut state = State {
            config,
            theme,
            files: Vec::new(),
            walk_problems: Vec::new(),
            district,
            district_problems: gathering.into_sorted(),
            loads: HashMap::new(),
            versions: FxHashMap::default(),
            next_version: 1,
        };
        state.walk(root, &BTreeSet::new());
        Some(state)
    }

    /// Reads again the files in `changed` (paths under `content/`).
    fn update(&mut self, root: &Path, changed: &BTreeSet<String>) -> Update {
        if self.structure_changed(root, changed) {
            return Update {
                assets_changed: self.walk(root, changed),
                ..Update::default()
            };
        }
        // Only files already known, still plain files: no kind can have
        // changed, so the list of files stays as it is.
        let to_load: Vec<ContentFile> = self
            .files
            .iter()
            .filter(|f| changed.contains(&f.rel))
            .cloned()
            .collect();
        let assets_changed = to_load
            .iter()
            .any(|f| matches!(f.kind, FileKind::Asset { .. }));
        let replaced = self.read_files(root, &to_load);
        let (mut retitled, mut recounted) = (Vec::new(), false);
        let in_place = replaced
            .iter()
            .all(|(rel, old)| {
                let new = self.loads.get(rel).and_then(|load| load.article());
                let old = old.as_ref().and_then(FileLoad::article);
                let (Some(old), Some(new)) = (old, new) else {
                    return false;
                };
                if !old.same_but_credits_category_title_and_body(new) {
                    return false;
                }
                if old.title != new.title {
                    retitled.push([old.title.clone(), new.title.clone()]);
                }
                recounted |= !old.same_but_title_and_body(new);
                true
            })
            .then(|| replaced.into_iter().map(|(rel, _)| rel).collect());
        Update {
            assets_changed,
            in_place,
            retitled,
            recounted,
        }
    }

    /// Whether a change may have added, removed or moved a file or folder
    /// (then `content/` is walked again): a changed path that is not a known
    /// file that is still there, unless it is gone and was nothing we knew
    /// (an editor's temporary file).
    fn structure_changed(&self, root: &Path, changed: &BTreeSet<String>) -> bool {
        let content = root.join(content::CONTENT_DIR);
        changed.iter().any(|rel| {
            let is_file =
                std::fs::symlink_metadata(content.join(rel)).map(|m| m.file_type().is_file());
            if self.loads.contains_key(rel) {
                return !matches!(is_file, Ok(true));
            }
            if is_file.is_ok() {
                return true; // something new
            }
            let folder = format!("{rel}/");
            self.loads.keys().any(|known| known.starts_with(&folder))
        })
    }

    /// Walks `content/` again and reads the files that are new, changed, or
    /// whose kind changed; forgets removed ones. Returns whether a copied file
    /// (an image…) was added, changed or removed.
    fn walk(&mut self, root: &Path, changed: &BTreeSet<String>) -> bool {
        let walk = Diagnostics::new();
        let files = content::files(root, &walk);
        self.walk_problems = walk.into_sorted();
        let touched = |rel: &str| {
            changed.contains(rel)
                || changed.iter().any(|c| {
                    rel.len() > c.len()
                        && rel.starts_with(c.as_str())
                        && rel.as_bytes()[c.len()] == b'/'
                })
        };
        let is_asset = |kind: &FileKind| matches!(kind, FileKind::Asset { .. });
        let mut assets_changed = false;
        let mut to_load: Vec<&ContentFile> = Vec::new();
        for file in &files {
            match self.loads.get(&file.rel) {
                None => {
                    assets_changed |= is_asset(&file.kind);
                    to_load.push(file);
                }
                Some(load) if load.kind != file.kind || touched(&file.rel) => {
                    assets_changed |= is_asset(&file.kind) || is_asset(&load.kind);
                    to_load.push(file);
                }
                Some(_) => {}
            }
        }
        let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        let removed: Vec<String> = self
            .loads
            .keys()
            .filter(|rel| !present.contains(rel.as_str()))
            .cloned()
            .collect();
        for rel in &removed {
            if let Some(load) = self.loads.remove(rel) {
                assets_changed |= is_asset(&load.kind);
            }
            self.versions
                .remove(&format!("{}/{rel}", content::CONTENT_DIR));
        }
        if assets_changed {
            // Whether an image exists is checked when an item is read: read
            // again the files that had problems and those naming an image.
            let again: HashSet<&str> = self
                .loads
                .iter()
                .filter(|(_, load)| {
                    !load.problems.is_empty()
                        || load.loaded.articles.iter().any(|a| a.cover.is_some())
                        || load.loaded.people.iter().any(|p| p.photo.is_some())
                })
                .map(|(rel, _)| rel.as_str())
                .collect();
            let queued: HashSet<&str> = to_load.iter().map(|f| f.rel.as_str()).collect();
            to_load.extend(
                files
                    .iter()
                    .filter(|f| again.contains(f.rel.as_str()) && !queued.contains(f.rel.as_str())),
            );
        }
        let to_load: Vec<ContentFile> = to_load.into_iter().cloned().collect();
        self.files = files;
        self.read_files(root, &to_load);
        assets_changed
    }

    /// Reads files, each getting a new version. Returns what each held
    /// before, by its path under `content/`.
    fn read_files(
        &mut self,
        root: &Path,
        files: &[ContentFile],
    ) -> Vec<(String, Option<FileLoad>)> {
        let config = &self.config;
        let reloaded: Vec<(&ContentFile, Loaded, Vec<Diagnostic>)> = files
            .par_iter()
            .map(|file| {
                let (loaded, problems) = content::load_one(root, file, config);
                (file, loaded, problems)
            })
            .collect();
        let mut replaced = Vec::with_capacity(reloaded.len());
        for (file, loaded, problems) in reloaded {
            let version = self.next_version;
            self.next_version += 1;
            self.versions.insert(file.shown.clone(), version);
            let old = self.loads.insert(
                file.rel.clone(),
                FileLoad {
                    kind: file.kind.clone(),
                    loaded,
                    problems,
                },
            );
            replaced.push((file.rel.clone(), old));
        }
        replaced
    }
}

impl FileLoad {
    /// The article, when the file is an article that was read whole.
    fn article(&self) -> Option<&content::Article> {
        let Loaded {
            articles,
            activities,
            people,
            pages,
            reads,
            assets,
        } = &self.loaded;
        let only_articles = activities.is_empty()
            && people.is_empty()
            && pages.is_empty()
            && reads.is_empty()
            && assets.is_empty();
        match articles.as_slice() {
            [article] if self.kind == FileKind::Article && only_articles => Some(article),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::store::Entry;

    const SITE: &str = "title = \"测试\"\nbase_url = \"https://example.gov.cn/a/\"\npaginate = 2\n\n[[categories]]\nkey = \"lectures\"\nname = \"理论宣讲\"\n[[categories]]\nkey = \"volunteer\"\nname = \"志愿服务\"\n[[categories]]\nkey = \"models\"\nname = \"身边好人\"\n[[categories]]\nkey = \"news\"\nname = \"工作动态\"\n";

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Gives the front matter's field `name` of the file `rel` a new value.
    fn set_field(root: &Path, rel: &str, name: &str, value: &str) {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        let prefix = format!("{name}: ");
        let line = text.lines().find(|l| l.starts_with(&prefix)).unwrap();
        write(
            root,
            rel,
            &text.replacen(line, &format!("{prefix}{value}"), 1),
        );
    }

    fn bytes(files: &SiteFiles) -> std::collections::BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(k, v)| {
                let b = match v {
                    Entry::Bytes(b) => b.to_vec(),
                    Entry::File(p) => std::fs::read(p).unwrap_or_default(),
                };
                (k.to_string(), b)
            })
            .collect()
    }

    /// Many small edits, each followed by an incremental rebuild that must
    /// equal a build from scratch of the same files.
    #[test]
    fn incremental_rebuilds_equal_full_builds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "site.toml", SITE);
        let categories = ["lectures", "volunteer", "news", "models"];
        let communities = ["柳岸社区", "望湖社区"];
        let tags = ["反诈", "助老", "防汛"];
        let article = |n: usize, seed: usize| -> String {
            let other = (n + 1) % 8;
            format!(
                "---\ntitle: 文章{n}第{seed}版\ndate: 2024-0{}-{:02} 10:00\ncategory: {}\ncommunity: {}\ntags: [{}]\nauthor: [李{}]\nreads: {}\n{}---\n正文{seed}。见[别的](a{other}.md)。\n\n![图](../images/p.png)\n",
                1 + seed % 3,
                1 + (n * 3 + seed) % 27,
                categories[(n + seed) % 4],
                communities[(n + seed / 2) % 2],
                tags[(n + seed) % 3],
                seed % 3,
                seed * 10,
                if seed.is_multiple_of(5) { format!("slug: s{n}-{seed}\n") } else { String::new() },
            )
        };
        for n in 0..8 {
            write(root, &format!("content/articles/a{n}.md"), &article(n, 0));
        }
        std::fs::create_dir_all(root.join("content/images")).unwrap();
        image::RgbImage::from_pixel(8, 6, image::Rgb([200, 30, 30]))
            .save(root.join("content/images/p.png"))
            .unwrap();
        write(root, "content/activities/a.yaml", "- date: 2024-01-02\n  kind: volunteer\n  title: 活动\n  community: 柳岸社区\n  article: a1\n");
        write(root, "content/people/p.md", "---\nname: 王桂兰\nhonors:\n  - { title: 好人, year: 2023 }\ncommunity: 柳岸社区\n---\n故事。\n");
        write(
            root,
            "content/pages/about.md",
            "---\ntitle: 关于\n---\n介绍。\n",
        );
        write(root, "content/reads/r.csv", "article,reads\na2,5\n");

        let base = "http://127.0.0.1:1111/";
        let mut session = Session::new(root, base, false);
        assert!(session.rebuild(&Change::Everything).built.is_some());
        let mut seed = 1usize;
        for step in 0..60 {
            seed = seed.wrapping_mul(1103515245).wrapping_add(12345) % 1_000_003;
            let n = seed % 8;
            let rel = format!("content/articles/a{n}.md");
            let changed: Vec<String> = match step % 10 {
                8 | 9 if root.join(&rel).exists() => {
                    // The body alone: the site is kept, with this body's summary.
                    let text = std::fs::read_to_string(root.join(&rel)).unwrap();
                    let end = text.find("\n---\n").unwrap() + 5;
                    let other = (n + seed) % 8;
                    let body = if step % 10 == 8 {
                        format!("新的正文{seed}，见[另一篇](a{other}.md)。\n")
                    } else {
                        // A first paragraph longer than a summary, the same
                        // each time: the summary, and so every list, stays.
                        let first = "这一段写的是社区里的事情，每次都一样。".repeat(12);
                        format!("{first}\n\n改过的正文{seed}。\n\n![图](../images/p.png)\n")
                    };
                    write(root, &rel, &format!("{}{body}", &text[..end]));
                    vec![format!("articles/a{n}.md")]
                }
                3 if root.join(&rel).exists() => {
                    // The title alone (a read count may name the old or the new one).
                    set_field(root, &rel, "title", &format!("新 标题{}", seed % 5));
                    vec![format!("articles/a{n}.md")]
                }
                2 if root.join(&rel).exists() => {
                    // The authors alone: every list showing the article is
                    // made again, and the tally that counts them.
                    set_field(root, &rel, "author", &format!("[王{}, 赵敏]", seed % 4));
                    vec![format!("articles/a{n}.md")]
                }
                1 if root.join(&rel).exists() && !seed.is_multiple_of(3) => {
                    // The category alone: the article moves to the next
                    // category's list in place.
                    let text = std::fs::read_to_string(root.join(&rel)).unwrap();
                    let now = categories
                        .iter()
                        .position(|c| text.contains(&format!("\ncategory: {c}\n")))
                        .unwrap();
                    set_field(root, &rel, "category", categories[(now + 1) % 4]);
                    vec![format!("articles/a{n}.md")]
                }
                0..=3 | 8 | 9 => {
                    write(root, &rel, &article(n, seed % 97));
                    vec![format!("articles/a{n}.md")]
                }
                4 => {
                    // A read count for an article that exists, changed on its own.
                    let n = (n..n + 8)
                        .map(|i| i % 8)
                        .find(|i| root.join(format!("content/articles/a{i}.md")).exists())
                        .unwrap_or(n);
                    // By slug, or by title as a WeChat export names it.
                    let name = if seed.is_multiple_of(2) {
                        format!("a{n}")
                    } else {
                        format!("新标题{}", seed % 5)
                    };
                    write(
                        root,
                        "content/reads/r.csv",
                        &format!("article,reads\n{name},{seed}\n"),
                    );
                    vec!["reads/r.csv".into()]
                }
                5 => {
                    let kind = categories[seed % 4];
                    write(root, "content/activities/a.yaml", &format!("- date: 2024-01-0{}\n  kind: {kind}\n  title: 活动{seed}\n  community: {}\n  article: a{n}\n", 1 + seed % 8, communities[seed % 2]));
                    vec!["activities/a.yaml".into()]
                }
                6 => {
                    let _ = std::fs::remove_file(root.join(&rel));
                    vec![format!("articles/a{n}.md")]
                }
                _ => {
                    write(root, "content/people/p.md", &format!("---\nname: 王桂兰{seed}\nhonors:\n  - {{ title: 好人, year: {} }}\ncommunity: {}\n---\n故事。\n", 2020 + seed % 5, communities[seed % 2]));
                    vec!["people/p.md".into()]
                }
            };
            let change = Change::Content(changed.into_iter().collect());
            let incremental = session.rebuild(&change);
            let full = Session::new(root, base, false).rebuild(&Change::Everything);
            match (incremental.built, full.built) {
                (Some(a), Some(b)) => {
                    assert_eq!(incremental.diagnostics, full.diagnostics, "step {step}");
                    let index = |built: &Built| {
                        let mut files = (*built.files).clone();
                        let index = search_index(&built.files, built.search_items, &|| false);
                        files.extend(index.expect("the index is built"));
                        files
                    };
                    assert_eq!(bytes(&index(&a)), bytes(&index(&b)), "step {step}");
                }
                (None, None) => {
                    assert_eq!(incremental.diagnostics, full.diagnostics, "step {step}");
                }
                (a, b) => panic!(
                    "step {step}: incremental {} full {}: {:?} {:?}",
                    a.is_some(),
                    b.is_some(),
                    incremental.diagnostics,
                    full.diagnostics
                ),
            }
        }
    }
}

#[cfg(test)]
mod kept_pages {
    use super::*;

    /// A site of `n` articles in one category, two per list page. The
    /// first paragraph is longer than a summary, so that what follows it
    /// is on the article's page only.
    fn site(root: &Path, n: usize) {
        let opening = "街道新时代文明实践站组织志愿者走进小区。".repeat(12);
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.toml",
            "title = \"测试\"\nbase_url = \"https://example.gov.cn/\"\npaginate = 2\n\n[[categories]]\nkey = \"news\"\nname = \"工作动态\"\n",
        );
        for i in 0..n {
            write(
                &format!("content/articles/a{i}.md"),
                &format!("---\ntitle: 文章{i}\ndate: 2024-03-{:02} 10:00\ncategory: news\n---\n{opening}\n\n后文{i}。\n", 1 + i % 27),
            );
        }
    }

    /// An edit of an article's text past its summary changes its page only:
    /// every other page is kept from the last render.
    #[test]
    fn a_text_edit_renders_only_the_article() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site(root, 20);
        let mut session = Session::new(root, "http://127.0.0.1:1111/", false);
        let first = session.rebuild(&Change::Everything).built.unwrap();
        assert!(first.rendered > 30, "{} pages", first.rendered);

        let rel = "content/articles/a7.md";
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        std::fs::write(root.join(rel), text.replace("后文7。", "改过的后文。")).unwrap();
        let change = Change::Content(["articles/a7.md".to_string()].into());
        let built = session.rebuild(&change).built.unwrap();
        assert_eq!(built.rendered, 1, "pages made again after a text edit");

        // A title is on the lists that show the article: its page, its
        // neighbours' pages, the list page, the home page and the archive.
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        std::fs::write(
            root.join(rel),
            text.replace("title: 文章7", "title: 新标题"),
        )
        .unwrap();
        let built = session.rebuild(&change).built.unwrap();
        assert!(
            (2..=10).contains(&built.rendered),
            "{} pages made again after a title edit",
            built.rendered
        );
    }
}
