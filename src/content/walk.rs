//! Walking `content/` and deciding what each file is from where it lives.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::CONTENT_DIR;
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Article,
    Activities,
    /// An activity ledger (活动台账): a workbook or CSV under `activities/`.
    Ledger,
    Person,
    Page,
    Reads,
    /// Copied as it is; `bundle` is the folder of the page bundle it belongs to.
    Asset {
        bundle: Option<String>,
    },
    /// Working data that is not read, never published (notes beside
    /// activity files or read-count exports).
    Internal,
}

#[derive(Debug, Clone)]
pub struct ContentFile {
    pub path: PathBuf,
    /// Relative to `content/`, `/`-separated: `articles/2024/a.md`.
    pub rel: String,
    /// Relative to the site root, as shown in messages: `content/articles/2024/a.md`.
    pub shown: String,
    pub kind: FileKind,
    /// For `index.md` of a page bundle: the bundle folder's name.
    pub bundle_name: Option<String>,
}

impl ContentFile {
    /// The file name without extension, or the folder name for a bundle.
    pub fn stem(&self) -> &str {
        if let Some(name) = &self.bundle_name {
            return name;
        }
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// Every file under `content/`, sorted by path so that loading order (and so
/// every "last one wins" rule) is the same on every machine.
pub fn content_files(root: &Path, diagnostics: &Diagnostics) -> Vec<ContentFile> {
    let content = root.join(CONTENT_DIR);
    let mut paths: Vec<PathBuf> = Vec::new();
    // Symlinks are not followed: a link could lead out of the site.
    for entry in WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.clone());
                if error
                    .io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    && path == content
                {
                    continue;
                }
                diagnostics.push(Diagnostic::error(
                    display_path(root, &path),
                    0,
                    0,
                    format!("无法读取: {error}"),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && is_ignored(&name) {
            continue;
        }
        if entry.file_type().is_symlink() {
            diagnostics.push(
                Diagnostic::warning(
                    display_path(root, entry.path()),
                    0,
                    0,
                    "这是一个快捷方式（符号链接），已跳过",
                )
                .with_hint("请把真正的文件复制到 content 文件夹里"),
            );
            continue;
        }
        if entry.file_type().is_file() {
            paths.push(entry.into_path());
        }
    }
    let rels: Vec<String> = paths
        .iter()
        .map(|p| {
            p.strip_prefix(&content)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let bundles: HashSet<&str> = rels
        .iter()
        .filter_map(|rel| rel.strip_suffix("/index.md"))
        .filter(|dir| {
            dir.starts_with("articles/") || dir.starts_with("people/") || dir.starts_with("pages/")
        })
        .collect();
    paths
        .iter()
        .zip(&rels)
        .map(|(path, rel)| {
            let bundle_of = enclosing_bundle(rel, &bundles);
            let (kind, bundle_name) = classify(rel, bundle_of);
            if let FileKind::Asset { bundle } = &kind {
                warn_unless_windows_can_hold(root, path, rel, bundle.as_deref(), diagnostics);
            }
            ContentFile {
                path: path.clone(),
                rel: rel.clone(),
                shown: display_path(root, path),
                kind,
                bundle_name,
            }
        })
        .collect()
}

/// A file copied into the site keeps its name, and the site should be one
/// that a Windows server, a USB stick or a colleague's PC can hold: a name
/// Windows cannot hold gets a warning (on Linux the build still succeeds).
fn warn_unless_windows_can_hold(
    root: &Path,
    path: &Path,
    rel: &str,
    bundle: Option<&str>,
    diagnostics: &Diagnostics,
) {
    // A bundle's folder becomes the page's slug; only what is inside it keeps its name.
    let published = bundle
        .and_then(|bundle| rel.strip_prefix(bundle)?.strip_prefix('/'))
        .unwrap_or(rel);
    for name in published.split('/') {
        if let Some(problem) = crate::slug::windows_name_problem(name) {
            diagnostics.push(
                Diagnostic::warning(
                    display_path(root, path),
                    0,
                    0,
                    format!(
                        "文件名“{name}”{problem}，这个网站复制到 Windows 电脑或服务器上时会出错"
                    ),
                )
                .with_hint("给它改个名字（只用汉字、字母、数字、- 和 _），并改好引用它的地方"),
            );
            return;
        }
    }
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

fn enclosing_bundle<'a>(
    rel: &str,
    bundles: &std::collections::HashSet<&'a str>,
) -> Option<&'a str> {
    let mut dir = rel;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if let Some(bundle) = bundles.get(parent) {
            return Some(bundle);
        }
        dir = parent;
    }
    None
}

fn classify(rel: &str, bundle: Option<&str>) -> (FileKind, Option<String>) {
    let top = rel.split('/').next().unwrap_or("");
    let extension = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let is_markdown = extension == "md" || extension == "markdown";
    if let Some(bundle) = bundle {
        if rel == format!("{bundle}/index.md") {
            let name = bundle.rsplit('/').next().unwrap_or(bundle).to_string();
            let kind = match top {
                "people" => FileKind::Person,
                "pages" => FileKind::Page,
                _ => FileKind::Article,
            };
            return (kind, Some(name));
        }
        return (
            FileKind::Asset {
                bundle: Some(bundle.to_string()),
            },
            None,
        );
    }
    let kind = match (top, extension.as_str()) {
        ("articles", _) if is_markdown => FileKind::Article,
        ("people", _) if is_markdown => FileKind::Person,
        ("pages", _) if is_markdown => FileKind::Page,
        ("activities", "yaml" | "yml") => FileKind::Activities,
        ("activities", "xlsx" | "xls" | "csv") => FileKind::Ledger,
        ("reads", "csv" | "xlsx" | "xls") => FileKind::Reads,
        ("reads" | "activities", _) => FileKind::Internal,
        _ => FileKind::Asset { bundle: None },
    };
    (kind, None)
}
