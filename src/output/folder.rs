//! Where a site may be written: never over its own sources, a disk's root,
//! the home folder or a folder streetpress did not make; and no file of the
//! site outside its output.

use std::fs;
use std::path::{Path, PathBuf};

use super::MARKER;
use crate::diagnostics::Diagnostic;

/// Refuses output folders whose replacement would destroy the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            "site.toml",
            0,
            0,
            format!("不能把网站输出到 {}：{why}", output.display()),
        )
        .with_hint("输出文件夹会在每次构建时被整体替换，请换一个专用的空文件夹，例如默认的 public"))
    };
    if output.parent().is_none() {
        return refuse("这是磁盘的根目录");
    }
    if root.starts_with(&output) {
        return refuse("它是网站文件夹本身，或包含网站文件夹");
    }
    for protected in ["content", "themes"] {
        if output.starts_with(root.join(protected)) {
            return refuse(&format!("它在 {protected} 文件夹里"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
        if output == absolute(Path::new(&home)) {
            return refuse("它是用户主目录");
        }
    }
    if output.exists() {
        if !output.is_dir() {
            return refuse("同名的文件已经存在，它不是文件夹");
        }
        let foreign = fs::read_dir(&output)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true)
            && !output.join(MARKER).is_file();
        if foreign {
            return refuse("这个文件夹里已经有别的文件，它不是 streetpress 生成的");
        }
    }
    Ok(())
}

/// A path made absolute against the current folder, with `.` and `..` resolved
/// by text (the folder may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let joined = fs::canonicalize(&joined).unwrap_or(joined);
    let mut normal = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// A site path must stay inside the output: no `..`, no absolute parts.
pub fn check_site_path(rel: &str) -> Result<(), Diagnostic> {
    let safe = !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(':'));
    if safe {
        Ok(())
    } else {
        Err(Diagnostic::error(
            rel,
            0,
            0,
            format!("网址“{rel}”会写到输出文件夹以外，已拒绝"),
        ))
    }
}
