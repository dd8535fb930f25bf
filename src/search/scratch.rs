//! The work folder of an index too large to build in memory: its runs
//! are written there and merged from there (see [`super::write_index`]).

use std::path::{Path, PathBuf};

use super::DIR;
use crate::diagnostics::Diagnostic;
use crate::text_file::io_reason;

/// A folder for the index's runs, removed with everything in it when
/// dropped; none when the sink has no place for them (they stay in memory).
pub struct Scratch(Option<PathBuf>);

impl Scratch {
    pub fn new(dir: Option<PathBuf>) -> Result<Scratch, Diagnostic> {
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir).map_err(|e| Scratch::error_at(dir, &e))?;
        }
        Ok(Scratch(dir))
    }

    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.0.as_ref().map(|dir| dir.join(name))
    }

    pub fn error(&self, file: Option<&Path>, error: &std::io::Error) -> Diagnostic {
        let place = file.or(self.0.as_deref()).unwrap_or(Path::new(DIR));
        Scratch::error_at(place, error)
    }

    fn error_at(path: &Path, error: &std::io::Error) -> Diagnostic {
        Diagnostic::error(
            path.display().to_string(),
            0,
            0,
            format!("生成搜索索引时读写临时文件失败：{}", io_reason(error)),
        )
        .with_hint("检查磁盘空间和文件夹权限；之前生成的网站没有被改动")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
