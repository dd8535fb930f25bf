//! Watching the site for saves with `notify`: `site.toml`, `content/` and
//! `themes/` (never the output, `.git` or anything else beside them, which can
//! be large). Events come in bursts — an editor writes a swap file, renames,
//! writes, touches — so they are gathered until the folder has been quiet for
//! a moment (a shorter one once a file written is closed) and handed over
//! as one batch.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use super::changes::{classify, Change};
use crate::diagnostics::Diagnostic;

/// How long the folder must be quiet before a batch is handed over.
const QUIET: Duration = Duration::from_millis(30);
/// The same after a file written was closed (Linux says so; Windows and
/// macOS do not): the writer is done with it, and whatever else its save
/// does (removing a backup copy) follows at once.
const QUIET_AFTER_CLOSE: Duration = Duration::from_millis(5);
/// A batch is handed over after this long even if events keep coming.
const LONGEST: Duration = Duration::from_millis(500);

/// What happened since the last batch.
#[derive(Debug)]
pub enum Batch {
    /// Changed paths relative to the site root, `/`-separated.
    Paths(Vec<String>),
    /// The watcher lost track (too many events at once): look at everything again.
    Rescan,
}

pub struct Watcher {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

impl Watcher {
    pub fn start(root: &Path) -> Result<Watcher, Diagnostic> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (sender, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })
        .map_err(|e| problem(&root, &e))?;
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| problem(&root, &e))?;
        let mut this = Watcher {
            watcher,
            events,
            root,
            watched: Vec::new(),
        };
        this.watch_folders()?;
        Ok(this)
    }

    /// Watches `content/` and `themes/` when they exist (again after they
    /// were created, removed or renamed).
    fn watch_folders(&mut self) -> Result<(), Diagnostic> {
        for name in ["content", "themes"] {
            let folder = self.root.join(name);
            let present = folder.is_dir();
            let watched = self.watched.contains(&folder);
            if present && !watched {
                self.watcher
                    .watch(&folder, RecursiveMode::Recursive)
                    .map_err(|e| problem(&folder, &e))?;
                self.watched.push(folder);
            } else if !present && watched {
                let _ = self.watcher.unwatch(&folder);
                self.watched.retain(|f| f != &folder);
            }
        }
        Ok(())
    }

    /// Blocks until something changed, then gathers the burst. Calls
    /// `coming` as soon as the burst holds a change the site is made from,
    /// before the quiet time: work for the site as it was can stop then.
    pub fn next_batch(&mut self, coming: &dyn Fn()) -> Batch {
        let mut paths: Vec<String> = Vec::new();
        let mut rescan = false;
        let mut first: Option<Instant> = None;
        let mut announced = false;
        let mut quiet = QUIET;
        loop {
            let received = match first {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(start) => {
                    if start.elapsed() >= LONGEST {
                        break;
                    }
                    self.events.recv_timeout(quiet)
                }
            };
            match received {
                Ok(Ok(event)) => {
                    if !matters(&event.kind) && !event.need_rescan() {
                        continue;
                    }
                    rescan |= event.need_rescan();
                    let before = paths.len();
                    for path in &event.paths {
                        if let Ok(rel) = path.strip_prefix(&self.root) {
                            paths.push(rel.to_string_lossy().replace('\\', "/"));
                        }
                    }
                    let new = paths[before..].iter().map(String::as_str);
                    let site_file = classify(new) != Change::Nothing;
                    // Not after an editor's temporary copy is closed: the
                    // rename that makes it the real file is still to come.
                    let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
                    quiet = if event.kind == closed && site_file {
                        QUIET_AFTER_CLOSE
                    } else {
                        QUIET
                    };
                    if !announced && (rescan || site_file) {
                        announced = true;
                        coming();
                    }
                    first.get_or_insert_with(Instant::now);
                }
                Ok(Err(_)) => {
                    rescan = true;
                    if !announced {
                        announced = true;
                        coming();
                    }
                    first.get_or_insert_with(Instant::now);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    // The watcher is gone; nothing more will come.
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
        }
        if paths.iter().any(|p| p == "content" || p == "themes") {
            let _ = self.watch_folders();
        }
        if rescan {
            Batch::Rescan
        } else {
            Batch::Paths(paths)
        }
    }
}

/// Whether an event can change the site: opening and reading files (the
/// build itself does that) cannot, nor can a new access time.
fn matters(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

fn problem(path: &Path, error: &notify::Error) -> Diagnostic {
    Diagnostic::error(
        path.display().to_string(),
        0,
        0,
        format!("无法监视文件夹的变化：{error}"),
    )
    .with_hint("Linux 上可能是监视的文件太多，可以调大 fs.inotify.max_user_watches")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, Watcher) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/articles")).unwrap();
        let watcher = Watcher::start(dir.path()).unwrap();
        (dir, watcher)
    }

    fn paths(batch: Batch) -> Vec<String> {
        match batch {
            Batch::Paths(paths) => paths,
            Batch::Rescan => panic!("a rescan where paths were expected"),
        }
    }

    #[test]
    fn a_save_is_handed_over_as_one_batch_naming_the_file() {
        let (dir, mut watcher) = site();
        let file = dir.path().join("content/articles/a.md");
        std::fs::write(&file, "---\ntitle: 一\n---\n正文。\n").unwrap();
        let batch = paths(watcher.next_batch(&|| {}));
        assert!(
            batch.iter().any(|p| p == "content/articles/a.md"),
            "{batch:?}"
        );
    }

    #[test]
    fn a_save_through_a_temporary_copy_ends_with_the_real_file() {
        // Editors that write a copy, close it, then rename it over the file.
        let (dir, mut watcher) = site();
        let copy = dir.path().join("content/articles/.a.md.tmp");
        std::fs::write(&copy, "---\ntitle: 一\n---\n正文。\n").unwrap();
        std::fs::rename(&copy, dir.path().join("content/articles/a.md")).unwrap();
        let batch = paths(watcher.next_batch(&|| {}));
        assert!(
            batch.iter().any(|p| p == "content/articles/a.md"),
            "{batch:?}"
        );
    }
}
