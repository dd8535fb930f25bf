//! Progress of long work, reported through a trait so the library draws
//! nothing itself: the command line shows a bar on a terminal and nothing
//! otherwise. `Counting` is a sink that reports each file written.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::output::Sink;

pub trait Progress: Sync {
    /// About `total` files are going to be written.
    fn start(&self, _total: usize) {}
    /// One more file written.
    fn advance(&self) {}
    fn finish(&self) {}
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {}

/// A sink that passes files on and reports each one.
pub struct Counting<'a> {
    pub inner: &'a dyn Sink,
    pub progress: &'a dyn Progress,
}

impl Sink for Counting<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let result = self.inner.write(rel, bytes);
        self.progress.advance();
        result
    }

    fn copy(&self, rel: &str, source: &Path) -> Result<(), Diagnostic> {
        let result = self.inner.copy(rel, source);
        self.progress.advance();
        result
    }

    fn keep(&self, rel: &str) -> bool {
        self.inner.keep(rel)
    }

    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        self.inner.read(rel)
    }

    fn scratch_dir(&self) -> Option<std::path::PathBuf> {
        self.inner.scratch_dir()
    }
}
