//! What a build records in its output, so that a build from the same
//! inputs can leave the output as it is.

use std::fs;
use std::path::Path;

use super::{JOURNAL, MANIFEST, MARKER};

/// `fingerprint.rs`), when its next future-dated item falls due, and its
/// figures, for the summary of a build that keeps the output as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Record {
    pub fingerprint: u64,
    /// Seconds since 1970, if any item is dated in the future.
    pub next_due: Option<i64>,
    pub articles: usize,
    pub activities: usize,
    pub people: usize,
    pub pages: usize,
    pub files: usize,
}

/// The record of the output at `output`, if the output is exactly as the
/// build that wrote it left it: no file added, removed, resized or touched.
pub fn current_record(output: &Path) -> Option<Record> {
    if output.join(JOURNAL).exists() {
        return None; // a commit was interrupted: the next build finishes it
    }
    let text = fs::read_to_string(output.join(MANIFEST)).ok()?;
    if !text.starts_with("streetpress-manifest 2\n") {
        return None;
    }
    let mut fields = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let (key, value) = line.split_once(' ')?;
        fields.insert(key, value);
    }
    let hex = |key: &str| u64::from_str_radix(fields.get(key)?, 16).ok();
    let count = |key: &str| fields.get(key)?.parse::<usize>().ok();
    let record = Record {
        fingerprint: hex("fingerprint")?,
        next_due: match *fields.get("due")? {
            "none" => None,
            seconds => Some(seconds.parse().ok()?),
        },
        articles: count("articles")?,
        activities: count("activities")?,
        people: count("people")?,
        pages: count("pages")?,
        files: count("files")?,
    };
    (hex("listing")? == listing(output)?).then_some(record)
}

/// A file of a built site as the record sees it: path in the site, size,
/// modification time in nanoseconds.
pub(super) type Entry = (String, u64, u128);

/// A digest of every file of a built site (path, size, modification time),
/// read from the disk; the marker and the manifest themselves are left out.
fn listing(dir: &Path) -> Option<u64> {
    let mut entries = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .ok()?
            .to_str()?
            .replace('\\', "/");
        let meta = entry.metadata().ok()?;
        entries.push((
            rel,
            meta.len(),
            crate::fingerprint::nanos(meta.modified().ok()),
        ));
    }
    Some(digest(entries))
}

pub(super) fn digest(mut entries: Vec<Entry>) -> u64 {
    use std::hash::{Hash, Hasher};
    entries.retain(|(rel, _, _)| rel != MARKER && rel != MANIFEST && rel != JOURNAL);
    entries.sort_unstable();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    entries.hash(&mut hasher);
    hasher.finish()
}
