//! The site `serve` shows, kept in memory: rendered pages as bytes, copied
//! files as the path of their source. A rebuild renders into a new store that
//! replaces the old one only when it succeeded, so the last good site stays
//! served while a file has an error. Nothing is ever written into the site's
//! own folder.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostics::Diagnostic;
use crate::output::{check_site_path, Sink};

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Bytes(Arc<[u8]>),
    /// A file copied as it is (an image, a theme's stylesheet), read when asked for.
    File(PathBuf),
}

/// Every file of a built site, by its path in the site (`tags/反诈/index.html`).
/// Shared keys: keeping a file for the next build copies no text.
pub type SiteFiles = FxHashMap<Arc<str>, Entry>;

/// A sink that keeps what is rendered in memory, and can keep files of the
/// previous build that need no new render.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<SiteFiles>,
    previous: Option<Arc<SiteFiles>>,
}

impl MemorySink {
    pub fn new() -> Self {
        Self::default()
    }

    /// A sink whose `keep` takes files from `previous`.
    pub fn after(previous: Arc<SiteFiles>) -> Self {
        MemorySink {
            files: Mutex::new(SiteFiles::with_capacity_and_hasher(
                previous.len(),
                Default::default(),
            )),
            previous: Some(previous),
        }
    }

    pub fn put(&self, rel: &str, entry: Entry) {
        self.lock().insert(Arc::from(rel), entry);
    }

    pub fn into_files(self) -> SiteFiles {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SiteFiles> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        check_site_path(rel)?;
        self.put(rel, Entry::Bytes(Arc::from(bytes)));
        Ok(())
    }

    fn write_shared(&self, rel: &str, bytes: Arc<[u8]>) -> Result<(), Diagnostic> {
        check_site_path(rel)?;
        self.put(rel, Entry::Bytes(bytes));
        Ok(())
    }

    fn copy(&self, rel: &str, source: &Path) -> Result<(), Diagnostic> {
        check_site_path(rel)?;
        self.put(rel, Entry::File(source.to_path_buf()));
        Ok(())
    }

    fn keep(&self, rel: &str) -> bool {
        let Some((key, entry)) = self.previous.as_ref().and_then(|p| p.get_key_value(rel)) else {
            return false;
        };
        self.lock().insert(Arc::clone(key), entry.clone());
        true
    }

    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        match self.lock().get(rel)? {
            Entry::Bytes(bytes) => Some(bytes.to_vec()),
            Entry::File(path) => std::fs::read(path).ok(),
        }
    }
}
