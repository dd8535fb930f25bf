//! What a build's output depends on, summed up in one number, so that a build
//! whose inputs have not changed since the last one leaves the output as it is
//! without reading the content (a no-change rebuild of 10,000 articles takes
//! a fraction of a second instead of several).
//!
//! The inputs: the streetpress program itself, the build options and the
//! settings, and every file of `site.toml`, `content/` and the theme folder
//! (path, size, modification time). The clock is the one input that is not a
//! file: the record of a build keeps when its next future-dated item falls due
//! (`Site::next_due`), and a build after that renders again.
//!
//! A modification time can only tell files apart that were saved at different
//! times: a file saved twice within one tick of the file system's clock, with
//! the same size, would look unchanged. So no fingerprint is made when any
//! input is younger than [`SETTLE`] at the start of the build; that build
//! renders everything, and the next one may skip.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::SiteConfig;

/// How old every input must be for its modification time to be trusted
/// (FAT file systems keep times to two seconds).
pub const SETTLE: Duration = Duration::from_secs(2);

/// The fingerprint of a build's inputs, or `None` when it cannot be trusted
/// (an input changed moments ago, or a folder could not be read).
///
/// The hash is the standard library's, whose algorithm may change between
/// Rust releases; that is harmless, because the program itself is an input.
pub fn of(
    root: &Path,
    config: &SiteConfig,
    output: &Path,
    include_drafts: bool,
    started: SystemTime,
) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    let program = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    hash_meta(&program, &mut hasher);
    (
        output,
        include_drafts,
        &config.base_url,
        &config.theme,
        config.timezone.name(),
    )
        .hash(&mut hasher);

    let newest_allowed = started.checked_sub(SETTLE)?;
    let settings = std::fs::metadata(root.join(crate::config::CONFIG_FILE)).ok()?;
    if settings.modified().ok()? > newest_allowed {
        return None;
    }
    hash_meta(&settings, &mut hasher);
    for folder in [
        root.join("content"),
        root.join("themes").join(&config.theme),
    ] {
        hash_folder(&folder, newest_allowed, &mut hasher)?;
    }
    Some(hasher.finish())
}

/// Every file under `folder` (absent is fine): path, size, modification time.
fn hash_folder(
    folder: &Path,
    newest_allowed: SystemTime,
    hasher: &mut DefaultHasher,
) -> Option<()> {
    if !folder.exists() {
        "absent".hash(hasher);
        return Some(());
    }
    for entry in walkdir::WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.ok()?;
        let meta = entry.metadata().ok()?;
        if meta.modified().ok()? > newest_allowed {
            return None;
        }
        entry.path().strip_prefix(folder).ok()?.hash(hasher);
        meta.is_dir().hash(hasher);
        if !meta.is_dir() {
            hash_meta(&meta, hasher);
        }
    }
    Some(())
}

fn hash_meta(meta: &std::fs::Metadata, hasher: &mut DefaultHasher) {
    meta.len().hash(hasher);
    nanos(meta.modified().ok()).hash(hasher);
}

/// A modification time as nanoseconds since 1970 (0 when unknown).
pub fn nanos(time: Option<SystemTime>) -> u128 {
    time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// A fingerprint with one more input mixed in (a district portal's members).
pub fn combine(fingerprint: u64, more: u64) -> u64 {
    let mut hasher = DefaultHasher::new();
    (fingerprint, more).hash(&mut hasher);
    hasher.finish()
}
