//! Loading the content tree: articles, activity records, honoured residents,
//! standalone pages, read-count imports, and every other file as an asset.
//! Loading is parallel; each file's problems are collected, not thrown.

pub mod activity;
pub mod article;
pub mod body;
pub mod dates;
pub mod fields;
pub mod front_matter;
pub mod ledger;
pub mod numbers;
pub mod page;
pub mod person;
pub mod reads;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
pub use activity::Activity;
pub use article::Article;
pub use page::Page;
pub use person::Person;
pub use reads::ReadRow;
pub use walk::{ContentFile, FileKind};

pub const CONTENT_DIR: &str = "content";

/// A file under `content/` that is copied to the output as it is (or, for a
/// page bundle, beside its article).
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Relative path of the bundle folder this asset belongs to, if any.
    pub bundle: Option<String>,
}

/// Everything read from `content/`, before drafts are filtered and indexes built.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    /// Shared, so that `serve` assembles the site again without copying them.
    pub articles: Vec<Arc<Article>>,
    pub activities: Vec<Activity>,
    pub people: Vec<Person>,
    pub pages: Vec<Page>,
    pub reads: Vec<ReadRow>,
    pub assets: Vec<Asset>,
}

enum Item {
    Article(Box<Article>),
    Activities(Vec<Activity>),
    Person(Box<Person>),
    Page(Box<Page>),
    Reads(Vec<ReadRow>),
    Asset(Asset),
    Nothing,
}

/// Reads every file under `root/content`, in parallel.
pub fn load(root: &Path, config: &SiteConfig, diagnostics: &Diagnostics) -> Loaded {
    let files = walk::content_files(root, diagnostics);
    let items: Vec<Item> = files
        .par_iter()
        .map(|file| {
            let (item, problems) = load_file(root, file, config);
            diagnostics.extend(problems);
            item
        })
        .collect();
    let mut loaded = Loaded::default();
    // Sized once: growing by doubling would hold two copies at the peak.
    let articles = items
        .iter()
        .filter(|item| matches!(item, Item::Article(_)))
        .count();
    loaded.articles.reserve_exact(articles);
    for item in items {
        loaded.add(item);
    }
    loaded
}

/// Every file under `content/` and what it is, sorted by path (for `serve`,
/// which keeps what it loaded and reads again only the files that changed).
pub fn files(root: &Path, diagnostics: &Diagnostics) -> Vec<ContentFile> {
    walk::content_files(root, diagnostics)
}

/// Loads one file: what it holds, and its problems.
pub fn load_one(root: &Path, file: &ContentFile, config: &SiteConfig) -> (Loaded, Vec<Diagnostic>) {
    let (item, problems) = load_file(root, file, config);
    let mut loaded = Loaded::default();
    loaded.add(item);
    (loaded, problems)
}

impl Loaded {
    fn add(&mut self, item: Item) {
        match item {
            Item::Article(a) => self.articles.push(Arc::new(*a)),
            Item::Activities(mut list) => self.activities.append(&mut list),
            Item::Person(p) => self.people.push(*p),
            Item::Page(p) => self.pages.push(*p),
            Item::Reads(mut rows) => self.reads.append(&mut rows),
            Item::Asset(asset) => self.assets.push(asset),
            Item::Nothing => {}
        }
    }
}

fn load_file(root: &Path, file: &ContentFile, config: &SiteConfig) -> (Item, Vec<Diagnostic>) {
    match &file.kind {
        FileKind::Asset { bundle } => {
            let asset = Asset {
                source: file.path.clone(),
                rel: file.rel.clone(),
                bundle: bundle.clone(),
            };
            return (Item::Asset(asset), Vec::new());
        }
        FileKind::Internal => return (Item::Nothing, Vec::new()),
        FileKind::Reads => return load_reads(root, file, config),
        FileKind::Ledger => return load_ledger(root, file, config),
        _ => {}
    }
    let decoded = match crate::text_file::read_text(root, &file.path) {
        Ok(decoded) => decoded,
        Err(problem) => return (Item::Nothing, vec![problem]),
    };
    let mut problems: Vec<Diagnostic> = decoded.warning.into_iter().collect();
    if !matches!(file.kind, FileKind::Reads) {
        problems.extend(crate::privacy::diagnostics(
            &file.shown,
            &decoded.text,
            &config.privacy,
        ));
    }
    let text = crate::privacy::published_text(decoded.text, &config.privacy);
    let item = match file.kind {
        FileKind::Article => {
            article::load(file, &text, config, &mut problems).map(|a| Item::Article(Box::new(a)))
        }
        FileKind::Activities => {
            activity::load(file, &text, config, &mut problems).map(Item::Activities)
        }
        FileKind::Person => {
            person::load(file, &text, config, &mut problems).map(|p| Item::Person(Box::new(p)))
        }
        FileKind::Page => {
            page::load(file, &text, config, &mut problems).map(|p| Item::Page(Box::new(p)))
        }
        FileKind::Reads | FileKind::Ledger | FileKind::Asset { .. } | FileKind::Internal => None,
    };
    (item.unwrap_or(Item::Nothing), problems)
}

/// Activity records from an Excel ledger or a CSV, read by the ledger module.
fn load_ledger(root: &Path, file: &ContentFile, config: &SiteConfig) -> (Item, Vec<Diagnostic>) {
    let bytes = match read_bytes(root, file) {
        Ok(bytes) => bytes,
        Err(problem) => return (Item::Nothing, vec![problem]),
    };
    let is_csv = file.rel.to_ascii_lowercase().ends_with(".csv");
    let (records, problems) = ledger::read(&file.shown, &bytes, is_csv, config);
    (Item::Activities(records), problems)
}

fn read_bytes(root: &Path, file: &ContentFile) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(&file.path).map_err(|e| {
        let message = format!("无法读取文件: {}", crate::text_file::io_reason(&e));
        let shown = crate::diagnostics::display_path(root, &file.path);
        Diagnostic::error(shown, 0, 0, message)
    })
}

/// Read counts from a CSV export or an Excel workbook, decoded by the reads module.
fn load_reads(root: &Path, file: &ContentFile, config: &SiteConfig) -> (Item, Vec<Diagnostic>) {
    let bytes = match read_bytes(root, file) {
        Ok(bytes) => bytes,
        Err(problem) => return (Item::Nothing, vec![problem]),
    };
    let mut problems = Vec::new();
    let rows = if file.rel.to_ascii_lowercase().ends_with(".csv") {
        reads::load_csv(file, &bytes, config.timezone, &mut problems)
    } else {
        reads::load_workbook(file, &bytes, config.timezone, &mut problems)
    };
    (Item::Reads(rows), problems)
}

/// Resolves a path written in a file (`../images/a.jpg`, `photo.jpg`) against
/// the folder of that file, to a path relative to `content/`. `None` when the
/// path leaves `content/` or is not a relative path.
pub fn resolve_relative(file_rel: &str, written: &str) -> Option<String> {
    let written = written.split(['?', '#']).next().unwrap_or("");
    let written = percent_encoding::percent_decode_str(written)
        .decode_utf8()
        .ok()?;
    if written.is_empty()
        || written.starts_with('/')
        || written.contains(':')
        || written.contains('\\')
    {
        return None;
    }
    let mut parts: Vec<&str> = file_rel.split('/').collect();
    parts.pop();
    for part in written.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Whether a link destination is relative to the file (not a URL, not an anchor, not site-absolute).
pub fn is_relative_link(destination: &str) -> bool {
    !(destination.is_empty()
        || destination.starts_with('#')
        || destination.starts_with('/')
        || destination.contains("://")
        || destination.starts_with("mailto:")
        || destination.starts_with("tel:")
        || destination.starts_with("data:")
        || destination.starts_with("javascript:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_file_folder() {
        assert_eq!(
            resolve_relative("articles/a.md", "../images/x.jpg").as_deref(),
            Some("images/x.jpg")
        );
        assert_eq!(
            resolve_relative("articles/b/index.md", "photo.jpg").as_deref(),
            Some("articles/b/photo.jpg")
        );
        assert_eq!(resolve_relative("articles/a.md", "../../etc/passwd"), None);
        assert_eq!(
            resolve_relative("articles/a.md", "%E5%9B%BE.jpg").as_deref(),
            Some("articles/图.jpg")
        );
    }
}
