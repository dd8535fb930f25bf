//! What a deploy sends and deletes, and in what order, so that a reader
//! never meets a page whose pictures, styles or links are not there yet.

use std::collections::{BTreeMap, BTreeSet};

use super::local::LocalFile;
use super::manifest::{Manifest, Pending};

/// The order of uploads: a later stage links to files of earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Images, styles, scripts, data files: what pages load.
    Assets,
    /// Article and resident pages.
    Pages,
    /// Every other page: lists that link to articles (categories, tags,
    /// communities, archive) and the stand-alone pages beside them.
    Lists,
    /// The home page, feeds, sitemap and search index: where readers and
    /// the district portal come in.
    Entrances,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub path: String,
    pub size: u64,
    pub stage: Stage,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// In the order to send them.
    pub uploads: Vec<Upload>,
    /// Files a previous deploy of this site put on the target that the
    /// site no longer has; deleted after every upload.
    pub deletions: Vec<String>,
    /// Files on the target this site owns (for the size of a deletion).
    pub owned: usize,
    /// Whether the target had no manifest of this site.
    pub first: bool,
}

impl Plan {
    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.size).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletions.is_empty()
    }
}

/// Which stage a site path belongs to.
pub fn stage(path: &str) -> Stage {
    let is_page = path.ends_with(".html") || path.ends_with(".htm");
    if path == "index.html" || path.ends_with(".xml") || path.starts_with("search/") && !is_page {
        return Stage::Entrances;
    }
    if !is_page {
        return Stage::Assets;
    }
    let first = path.split('/').next().unwrap_or("");
    let depth = path.matches('/').count();
    // An article (`articles/2025/05/x/index.html`) or a resident
    // (`people/x/index.html`); a category (`volunteer/index.html`) cannot be
    // told from a page (`about/index.html`) by its path, and both go later.
    let item = match first {
        "articles" => depth >= 4,
        "people" => depth == 2,
        _ => false,
    };
    if item {
        Stage::Pages
    } else {
        Stage::Lists
    }
}

/// Compares the site with what the target holds.
///
/// `listing` is what the target showed of itself (path and size), when it
/// was looked at: a file missing there or of another size is sent again
/// even if the manifest says it is in place.
pub fn plan(
    local: &BTreeMap<String, LocalFile>,
    manifest: Option<&Manifest>,
    pending: Option<&Pending>,
    listing: Option<&BTreeMap<String, u64>>,
) -> Plan {
    let no_pending = BTreeSet::new();
    let pending = pending.map_or(&no_pending, |p| &p.paths);
    let mut uploads: Vec<Upload> = local
        .iter()
        .filter(|(path, file)| {
            let recorded = manifest.and_then(|m| m.files.get(*path));
            let on_target = listing.map(|l| l.get(*path).copied());
            recorded != Some(&file.state)
                || pending.contains(*path)
                || on_target.is_some_and(|size| size != Some(file.state.size))
        })
        .map(|(path, file)| Upload {
            path: path.clone(),
            size: file.state.size,
            stage: stage(path),
        })
        .collect();
    uploads.sort_by(|a, b| (a.stage, &a.path).cmp(&(b.stage, &b.path)));

    let mut owned: BTreeSet<&String> = pending.iter().collect();
    if let Some(manifest) = manifest {
        owned.extend(manifest.files.keys());
    }
    let deletions = owned
        .iter()
        .filter(|path| !local.contains_key(path.as_str()))
        .filter(|path| listing.is_none_or(|l| l.contains_key(path.as_str())))
        .map(|path| path.to_string())
        .collect();
    Plan {
        uploads,
        deletions,
        owned: owned.len(),
        first: manifest.is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::manifest::FileState;
    use super::*;

    fn file(content: &str) -> LocalFile {
        LocalFile {
            disk: "x".into(),
            state: FileState {
                size: content.len() as u64,
                hash: super::super::local::hash(content.as_bytes()),
            },
        }
    }

    fn site(files: &[(&str, &str)]) -> BTreeMap<String, LocalFile> {
        files
            .iter()
            .map(|(p, c)| (p.to_string(), file(c)))
            .collect()
    }

    fn manifest_of(site: &BTreeMap<String, LocalFile>) -> Manifest {
        Manifest::new(
            "t",
            site.iter()
                .map(|(p, f)| (p.clone(), f.state.clone()))
                .collect(),
        )
    }

    #[test]
    fn stages_put_assets_before_pages_and_the_home_page_last() {
        assert_eq!(stage("images/a-640.webp"), Stage::Assets);
        assert_eq!(stage("theme/style.css"), Stage::Assets);
        assert_eq!(stage("articles/2025/05/x/index.html"), Stage::Pages);
        assert_eq!(stage("people/wang/index.html"), Stage::Pages);
        assert_eq!(stage("about/index.html"), Stage::Lists);
        assert_eq!(stage("404.html"), Stage::Lists);
        assert_eq!(stage("volunteer/index.html"), Stage::Lists);
        assert_eq!(stage("volunteer/page/2/index.html"), Stage::Lists);
        assert_eq!(stage("tags/x/index.html"), Stage::Lists);
        assert_eq!(stage("index.html"), Stage::Entrances);
        assert_eq!(stage("rss.xml"), Stage::Entrances);
        assert_eq!(stage("news/rss.xml"), Stage::Entrances);
        assert_eq!(stage("search/index.json"), Stage::Entrances);
    }

    #[test]
    fn only_changed_files_are_sent_and_only_owned_files_deleted() {
        let before = site(&[("index.html", "a"), ("old/index.html", "o"), ("s.css", "c")]);
        let manifest = manifest_of(&before);
        let now = site(&[("index.html", "b"), ("s.css", "c"), ("new.png", "p")]);
        let plan = plan(&now, Some(&manifest), None, None);
        let sent: Vec<&str> = plan.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(sent, ["new.png", "index.html"]);
        assert_eq!(plan.deletions, ["old/index.html"]);

        let first = super::plan(&now, None, None, None);
        assert_eq!(first.uploads.len(), 3);
        assert!(first.deletions.is_empty() && first.first);
    }

    #[test]
    fn pending_files_are_sent_again_and_may_be_deleted() {
        let now = site(&[("a.html", "a"), ("b.html", "b")]);
        let manifest = manifest_of(&now);
        let pending = Pending::new(["b.html".to_string(), "gone.html".to_string()].into());
        let plan = plan(&now, Some(&manifest), Some(&pending), None);
        assert_eq!(plan.uploads.len(), 1);
        assert_eq!(plan.uploads[0].path, "b.html");
        assert_eq!(plan.deletions, ["gone.html"]);
    }

    #[test]
    fn a_file_changed_on_the_target_behind_the_manifest_is_sent_again() {
        let now = site(&[("a.html", "aaa"), ("b.html", "b")]);
        let manifest = manifest_of(&now);
        let listing: BTreeMap<String, u64> = [("a.html".to_string(), 9)].into();
        let plan = plan(&now, Some(&manifest), None, Some(&listing));
        let sent: Vec<&str> = plan.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(sent, ["a.html", "b.html"]);
    }
}
