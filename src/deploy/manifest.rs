//! What a deploy left on the target, kept on the target itself so that any
//! computer can deploy next: every file with its size and content hash.
//!
//! Two files, both at the top of the target: the manifest, written once all
//! uploads and deletions are done, and a small "pending" list written before
//! the first upload. A deploy that is interrupted leaves the pending list
//! behind; the next deploy re-sends those files and may delete them, because
//! this site put them there.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub const MANIFEST: &str = ".streetpress-manifest.json";
pub const PENDING: &str = ".streetpress-pending.json";

/// A file of the site: size in bytes and content hash (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub size: u64,
    pub hash: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The format of this file.
    pub streetpress_deploy: u32,
    /// The site's title, so a person opening the file knows whose it is.
    #[serde(default)]
    pub site: String,
    pub files: BTreeMap<String, FileState>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub streetpress_deploy: u32,
    /// Paths a deploy began to send or delete and may not have finished.
    pub paths: BTreeSet<String>,
}

const FORMAT: u32 = 1;

impl Manifest {
    pub fn new(site: &str, files: BTreeMap<String, FileState>) -> Manifest {
        Manifest {
            streetpress_deploy: FORMAT,
            site: site.to_string(),
            files,
        }
    }

    /// The manifest read back from the target; `None` when it is not one
    /// this program wrote (then every file is sent again and none deleted).
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        let mut manifest: Manifest = serde_json::from_slice(bytes).ok()?;
        manifest.files.retain(|path, _| is_site_path(path));
        (manifest.streetpress_deploy == FORMAT).then_some(manifest)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        // One file per line: a person can read it, and it stays small.
        let mut out = format!(
            "{{\"streetpress_deploy\":{},\"site\":{},\"files\":{{",
            self.streetpress_deploy,
            serde_json::Value::from(self.site.as_str())
        );
        for (i, (path, state)) in self.files.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('\n');
            out.push_str(&serde_json::Value::from(path.as_str()).to_string());
            out.push(':');
            out.push_str(&serde_json::to_string(state).unwrap_or_default());
        }
        out.push_str("\n}}\n");
        out.into_bytes()
    }
}

impl Pending {
    pub fn new(paths: BTreeSet<String>) -> Pending {
        Pending {
            streetpress_deploy: FORMAT,
            paths,
        }
    }

    pub fn parse(bytes: &[u8]) -> Option<Pending> {
        let mut pending: Pending = serde_json::from_slice(bytes).ok()?;
        pending.paths.retain(|path| is_site_path(path));
        (pending.streetpress_deploy == FORMAT).then_some(pending)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Whether a path read from the target can be a file of a built site: the
/// records live on the target, where anyone with access may edit them, and
/// a deploy deletes what they list. `../`, `/etc/…`, `C:\…` or a name with
/// a backslash could reach outside the site's folder, so they are dropped.
fn is_site_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', ':', '\0'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut files = BTreeMap::new();
        files.insert(
            "index.html".to_string(),
            FileState {
                size: 3,
                hash: "ab".into(),
            },
        );
        files.insert(
            "文章/\"x\".html".to_string(),
            FileState {
                size: 0,
                hash: "cd".into(),
            },
        );
        let manifest = Manifest::new("街道", files);
        assert_eq!(Manifest::parse(&manifest.to_bytes()), Some(manifest));
        assert_eq!(Manifest::parse(b"{\"files\":{}}"), None);
        assert_eq!(Manifest::parse(b"<html>"), None);
    }

    #[test]
    fn paths_that_could_leave_the_site_folder_are_dropped() {
        let text = r#"{"streetpress_deploy":1,"files":{
            "a/index.html":{"size":1,"hash":"x"},
            "../x":{"size":1,"hash":"x"}, "/etc/passwd":{"size":1,"hash":"x"},
            "a//b":{"size":1,"hash":"x"}, "C:/w":{"size":1,"hash":"x"},
            "a\\..\\..\\b":{"size":1,"hash":"x"}, "a/./b":{"size":1,"hash":"x"}}}"#;
        let manifest = Manifest::parse(text.as_bytes()).unwrap();
        assert_eq!(manifest.files.keys().collect::<Vec<_>>(), ["a/index.html"]);
        let pending = Pending::parse(br#"{"streetpress_deploy":1,"paths":["ok.html","../../x"]}"#);
        assert_eq!(
            pending.unwrap().paths.into_iter().collect::<Vec<_>>(),
            ["ok.html"]
        );
    }
}
