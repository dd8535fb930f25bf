//! Problems found in a site, collected rather than thrown, so that a user sees
//! every mistake in one run. Each names a file, a line and a column, says what
//! is wrong in plain words, and may add a hint on how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let line = self.line.max(1);
        let column = self.column.max(1);
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, line, column, label, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n    提示: {hint}")?;
        }
        Ok(())
    }
}

/// A thread-safe collector: loaders running in parallel push into it.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        self.lock().push(diagnostic);
    }

    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.lock().extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.lock().iter().any(Diagnostic::is_error)
    }

    /// How many problems of either kind have been found so far.
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    pub fn error_count(&self) -> usize {
        self.lock().iter().filter(|d| d.is_error()).count()
    }

    /// Every diagnostic, in a stable order (file, line, column) so that two
    /// runs over the same content print the same report.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The path of a file relative to the site root, as shown to users.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    relative.to_string_lossy().replace('\\', "/")
}

/// Line and column (both 1-based, column counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

pub fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "第一行\n标题：值";
        let offset = text.find('：').unwrap();
        assert_eq!(line_col(text, offset), (2, 3));
    }

    #[test]
    fn display_has_path_line_column() {
        let d = Diagnostic::error("content/a.md", 3, 7, "缺少标题").with_hint("加上 title 字段");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: 错误: 缺少标题\n    提示: 加上 title 字段"
        );
    }
}
