//! The built site on this computer, as a deploy sees it: every file with its
//! size and content hash, read in parallel.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::FileState;

/// A file of the output: where it is on disk and what is in it.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub disk: PathBuf,
    pub state: FileState,
}

/// Every file of the output under its site path (`articles/2025/05/x/index.html`),
/// leaving out the build's own bookkeeping (`.streetpress-*`).
pub fn scan(output: &Path) -> std::io::Result<BTreeMap<String, LocalFile>> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .follow_links(false)
    {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(output)
            .map_err(std::io::Error::other)?;
        let Some(rel) = rel.to_str() else {
            return Err(std::io::Error::other(format!(
                "文件名不是有效的文字：{}",
                rel.display()
            )));
        };
        let site_path = rel.replace('\\', "/");
        if site_path.starts_with(".streetpress-") {
            continue;
        }
        paths.push((site_path, entry.into_path()));
    }
    paths
        .into_par_iter()
        .map(|(site_path, disk)| {
            let bytes = std::fs::read(&disk)?;
            let state = FileState {
                size: bytes.len() as u64,
                hash: hash(&bytes),
            };
            Ok((site_path, LocalFile { disk, state }))
        })
        .collect()
}

/// The content hash the manifest records: 128 bits of BLAKE3, in hex.
pub fn hash(bytes: &[u8]) -> String {
    let digest = blake3::hash(bytes);
    digest.to_hex()[..32].to_string()
}
