//! `kind = "folder"`: a mounted share, a network drive or a USB stick.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::remote::{Remote, RemoteError};

pub struct FolderTarget {
    root: PathBuf,
}

impl FolderTarget {
    /// The folder must exist (a USB stick that is not plugged in is not
    /// made into an empty folder on the computer's own disk).
    pub fn open(root: &Path) -> Result<FolderTarget, RemoteError> {
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => Ok(FolderTarget {
                root: root.to_path_buf(),
            }),
            Ok(_) => Err(RemoteError::new(
                super::remote::Failure::Other,
                format!("{} 是一个文件，不是文件夹", root.display()),
            )),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(RemoteError::new(
                super::remote::Failure::Unreachable,
                format!(
                    "文件夹 {} 不存在：U 盘或共享文件夹接好了吗？",
                    root.display()
                ),
            )),
            Err(error) => Err(RemoteError::from_io(&error)),
        }
    }

    fn disk(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }
}

fn io(path: &str) -> impl Fn(std::io::Error) -> RemoteError + '_ {
    move |error| RemoteError::from_io(&error).at(path)
}

impl Remote for FolderTarget {
    fn list(&mut self) -> Result<BTreeMap<String, u64>, RemoteError> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&self.root).min_depth(1) {
            let entry = entry.map_err(|e| RemoteError::from_io(&std::io::Error::other(e)))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let Some(rel) = rel.to_str() else { continue };
            let size = entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            files.insert(rel.replace('\\', "/"), size);
        }
        Ok(files)
    }

    fn size(&mut self, path: &str) -> Result<Option<u64>, RemoteError> {
        match fs::metadata(self.disk(path)) {
            Ok(meta) => Ok(Some(meta.len())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io(path)(error)),
        }
    }

    fn get(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        match fs::read(self.disk(path)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io(path)(error)),
        }
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let disk = self.disk(path);
        if let Some(parent) = disk.parent() {
            fs::create_dir_all(parent).map_err(io(path))?;
        }
        let temporary = temporary_name(&disk);
        let written = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, &disk));
        if let Err(error) = written {
            let _ = fs::remove_file(&temporary);
            return Err(io(path)(error));
        }
        Ok(())
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        match fs::remove_file(self.disk(path)) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(io(path)(error)),
        }
    }

    fn remove_empty_folders(&mut self, folders: &[String]) -> Result<(), RemoteError> {
        for folder in folders {
            // Fails, as it should, on a folder that still holds anything.
            let _ = fs::remove_dir(self.disk(folder));
        }
        Ok(())
    }

    fn lists_quickly(&self) -> bool {
        true
    }
}

/// `index.html` → `.index.html.streetpress-upload` beside it.
pub(super) fn temporary_name(disk: &Path) -> PathBuf {
    let name = disk
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    disk.with_file_name(format!(".{name}.streetpress-upload"))
}
