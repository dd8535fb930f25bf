//! What renderers write into, and the sink of `check` that writes nothing.

use std::path::{Path, PathBuf};

use super::check_site_path;
use crate::diagnostics::Diagnostic;

/// Where rendered files go: a staging folder for `build`, memory for `serve`,
/// nowhere for `check`. `rel` is a file's path in the site
/// (`articles/2024/03/a/index.html`).
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Writes bytes held elsewhere too; a sink in memory keeps them without a copy.
    fn write_shared(&self, rel: &str, bytes: std::sync::Arc<[u8]>) -> Result<(), Diagnostic> {
        self.write(rel, &bytes)
    }
    /// Copies a file into the site at `rel`.
    fn copy(&self, rel: &str, source: &Path) -> Result<(), Diagnostic>;
    /// Keeps the file `rel` of the previous build as it is, if the sink can
    /// (`serve` can; a fresh staging folder cannot). `false` means: write it.
    fn keep(&self, _rel: &str) -> bool {
        false
    }
    /// The bytes written at `rel` in this build, when the sink keeps them
    /// (the search index is built from records written earlier in the build).
    fn read(&self, _rel: &str) -> Option<Vec<u8>> {
        None
    }
    /// A folder outside the site for work files of this build (the search
    /// index's runs), removed by whoever makes it; `None`: keep them in memory.
    fn scratch_dir(&self) -> Option<PathBuf> {
        None
    }
}

/// A sink that keeps nothing but the paths written, for `check`: the whole
/// pipeline runs, so template and link errors are found, and nothing is written.
#[derive(Debug, Default)]
pub struct Discard {
    paths: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Discard {
    /// Every path the site would have, in no particular order.
    pub fn into_paths(self) -> std::collections::HashSet<String> {
        self.paths.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, rel: &str) -> Result<(), Diagnostic> {
        check_site_path(rel)?;
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        Ok(())
    }
}

impl Sink for Discard {
    fn write(&self, rel: &str, _: &[u8]) -> Result<(), Diagnostic> {
        self.record(rel)
    }

    fn copy(&self, rel: &str, _: &Path) -> Result<(), Diagnostic> {
        self.record(rel)
    }
}
