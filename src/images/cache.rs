//! The image cache: a folder in the site root (`.streetpress-cache/images/`)
//! holding every published size of every image, named by a hash of the
//! source bytes and of the settings that shape that file. An unchanged image
//! is never decoded twice; a changed setting misses only the files it shapes.
//! Files no build has used since are pruned after a successful build.
//!
//! Hashing every photo on every build would read hundreds of megabytes, so
//! an index remembers the hash of each source with its size and modification
//! time, the way version control tools do; a changed size or time rehashes.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

pub use crate::config::CACHE_DIR;
const INDEX: &str = "index.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexEntry {
    #[serde(flatten)]
    stamp: Stamp,
    hash: String,
}

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    old_index: BTreeMap<String, IndexEntry>,
    new_index: Mutex<BTreeMap<String, IndexEntry>>,
    used: Mutex<HashSet<String>>,
    temp_counter: AtomicUsize,
}

impl Cache {
    /// Opens (creating) the image cache of the site at `root`.
    pub fn open(root: &Path) -> Result<Cache, Diagnostic> {
        let dir = root.join(CACHE_DIR).join("images");
        fs::create_dir_all(&dir).map_err(|e| {
            Diagnostic::error(
                crate::diagnostics::display_path(root, &dir),
                0,
                0,
                format!("无法创建图片缓存文件夹：{}", crate::text_file::io_reason(&e)),
            )
            .with_hint("图片缩放后的文件保存在网站文件夹的 .streetpress-cache 里，请检查网站文件夹是否可以写入")
        })?;
        let old_index = fs::read(dir.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Ok(Cache {
            dir,
            old_index,
            new_index: Mutex::new(BTreeMap::new()),
            used: Mutex::new(HashSet::new()),
            temp_counter: AtomicUsize::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The size and modification time of a source file.
    pub fn stamp(metadata: &fs::Metadata) -> Stamp {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Stamp {
            len: metadata.len(),
            modified_ns,
        }
    }

    /// The content hash remembered for `rel`, if the file has not changed since.
    pub fn known_hash(&self, rel: &str, stamp: &Stamp) -> Option<String> {
        self.old_index
            .get(rel)
            .filter(|entry| entry.stamp == *stamp && stamp.modified_ns != 0)
            .map(|entry| entry.hash.clone())
    }

    pub fn remember(&self, rel: &str, stamp: Stamp, hash: &str) {
        lock(&self.new_index).insert(
            rel.to_string(),
            IndexEntry {
                stamp,
                hash: hash.to_string(),
            },
        );
    }

    /// The path of a cache file, marking it as used by this build.
    pub fn path(&self, name: &str) -> PathBuf {
        lock(&self.used).insert(name.to_string());
        self.dir.join(name)
    }

    /// The size of a cache file, if it is there (and marks it used).
    pub fn size(&self, name: &str) -> Option<u64> {
        fs::metadata(self.path(name))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }

    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        fs::read(self.path(name)).ok()
    }

    /// Writes a cache file whole or not at all: into a temporary name, then renamed.
    pub fn put(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(name);
        let n = self.temp_counter.fetch_add(1, Ordering::Relaxed);
        let temp = self
            .dir
            .join(format!(".tmp-{}-{n}-{name}", std::process::id()));
        fs::write(&temp, bytes)?;
        fs::rename(&temp, &path).inspect_err(|_| {
            let _ = fs::remove_file(&temp);
        })
    }

    /// Saves the hash index (only the sources of this build) and deletes every
    /// file this build did not use. Returns how many files were deleted.
    pub fn finish(&self) -> usize {
        let index = std::mem::take(&mut *lock(&self.new_index));
        if let Ok(json) = serde_json::to_vec_pretty(&index) {
            let _ = self.put(INDEX, &json);
        }
        let used = lock(&self.used);
        let mut pruned = 0;
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name != INDEX
                    && !used.contains(&name)
                    && entry.file_type().is_ok_and(|t| t.is_file())
                    && fs::remove_file(entry.path()).is_ok()
                {
                    pruned += 1;
                }
            }
        }
        pruned
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
