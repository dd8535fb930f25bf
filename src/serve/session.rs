//! What `serve` keeps between rebuilds, so that a save costs little: the
//! settings and theme, every content file as it was loaded (with a version
//! number that changes each time the file is read again), the last good site
//! and the memo of how its pages were rendered.
//!
//! A rebuild re-reads only the files that changed (found by walking
//! `content/` again and comparing with what was loaded, so renames, new
//! folders and deletions need no special case), assembles the whole site
//! again from the kept items (indexes are cheap), and renders the pages whose
//! inputs changed (`render::memo`). Settings or theme changes start over; a
//! change to an image or other copied file renders every page, so that
//! whatever pages derive from files (sizes, hashes) is never stale.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::changes::Change;
use super::store::{MemorySink, SiteFiles};
use crate::build::{load_config, now};
use crate::config::SiteConfig;
use crate::content::{self, ContentFile, FileKind, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{Incremental, Memo, Renderer};
use crate::site::{PublishOptions, Site};
use crate::theme::Theme;

/// A successful rebuild.
pub struct Built {
    pub files: Arc<SiteFiles>,
    pub pages: usize,
    /// Pages rendered this time (the others were kept).
    pub rendered: usize,
    pub articles: usize,
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
}

struct State {
    config: SiteConfig,
    theme: Theme,
    /// Every file under `content/`, in walk order.
    files: Vec<ContentFile>,
    walk_problems: Vec<Diagnostic>,
    /// What each file held, by its path under `content/`.
    loads: HashMap<String, FileLoad>,
    next_version: u64,
}

struct FileLoad {
    kind: FileKind,
    version: u64,
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
            good: Arc::new(SiteFiles::new()),
            memo: Memo::default(),
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
        let mut render_all = false;
        match (&mut self.state, change) {
            (None, _) => {
                self.state = Some(State::load(&self.root, &self.base_url, diagnostics)?);
                render_all = true;
            }
            (Some(state), Change::Content(paths)) => {
                render_all = state.update(&self.root, paths);
            }
            (Some(_), _) => {}
        }
        let state = self.state.as_ref()?;

        let mut loaded = Loaded::default();
        let mut versions: HashMap<String, u64> = HashMap::with_capacity(state.files.len());
        diagnostics.extend(state.walk_problems.iter().cloned());
        for file in &state.files {
            if let Some(load) = state.loads.get(&file.rel) {
                loaded.extend_from(&load.loaded);
                diagnostics.extend(load.problems.iter().cloned());
                versions.insert(file.shown.clone(), load.version);
            }
        }
        let options = PublishOptions {
            include_drafts: self.include_drafts,
            now: now(),
        };
        let site = Site::assemble(
            self.root.clone(),
            state.config.clone(),
            loaded,
            &options,
            diagnostics,
        );
        if diagnostics.has_errors() {
            return None;
        }

        let fresh = Memo::default();
        let previous = if render_all { &fresh } else { &self.memo };
        let incremental = Incremental::new(previous, &versions);
        let sink = if render_all {
            MemorySink::new()
        } else {
            MemorySink::after(Arc::clone(&self.good))
        };
        let report = Renderer::new(&site, &state.theme)
            .with_memo(&incremental)
            .render_all(&sink, diagnostics);
        if diagnostics.has_errors() {
            return None;
        }
        let rendered = report.pages.saturating_sub(incremental.kept());
        self.memo = incremental.into_memo();
        self.good = Arc::new(sink.into_files());
        Some(Built {
            files: Arc::clone(&self.good),
            pages: report.pages,
            rendered,
            articles: site.articles.len(),
        })
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
        let mut state = State {
            config,
            theme,
            files: Vec::new(),
            walk_problems: Vec::new(),
            loads: HashMap::new(),
            next_version: 1,
        };
        state.update(root, &BTreeSet::new());
        Some(state)
    }

    /// Walks `content/` again and reads the files that are new, changed, or
    /// whose kind changed; forgets removed ones. Returns whether a copied file
    /// (an image…) was added, changed or removed.
    fn update(&mut self, root: &Path, changed: &BTreeSet<String>) -> bool {
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
        let config = &self.config;
        let reloaded: Vec<(String, FileKind, Loaded, Vec<Diagnostic>)> = to_load
            .par_iter()
            .map(|file| {
                let (loaded, problems) = content::load_one(root, file, config);
                (file.rel.clone(), file.kind.clone(), loaded, problems)
            })
            .collect();
        for (rel, kind, loaded, problems) in reloaded {
            let version = self.next_version;
            self.next_version += 1;
            self.loads.insert(
                rel,
                FileLoad {
                    kind,
                    version,
                    loaded,
                    problems,
                },
            );
        }
        self.files = files;
        assets_changed
    }
}
