//! What every kind of target can do, and how its failures read.
//!
//! A target is a folder somewhere (a share, an SFTP or FTP server, a bucket
//! prefix) holding the site. Paths are site paths with `/`, relative to it.

use std::collections::BTreeMap;
use std::fmt;

/// One connection to a target. Methods are called from one thread.
pub trait Remote {
    /// Every file under the target's folder, with its size. Slow on a big
    /// FTP or SFTP site (one request per folder): called when the target has
    /// no manifest, when the manifest looks stale, or with `--verify`.
    fn list(&mut self) -> Result<BTreeMap<String, u64>, RemoteError>;

    /// The size of one file, or `None` when it is not there.
    fn size(&mut self, path: &str) -> Result<Option<u64>, RemoteError>;

    /// A small file's bytes (the manifest), or `None` when it is not there.
    fn get(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError>;

    /// Writes a file, making folders as needed. A reader sees the old file
    /// or the new one, never half of it: written under a temporary name
    /// and renamed where the target allows.
    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError>;

    /// Removes a file; a file that is already gone is not an error.
    fn delete(&mut self, path: &str) -> Result<(), RemoteError>;

    /// Removes these folders if they are empty now (after deletions),
    /// deepest first; a folder that still holds anything stays.
    fn remove_empty_folders(&mut self, folders: &[String]) -> Result<(), RemoteError> {
        let _ = folders;
        Ok(())
    }

    /// Closes the connection under the caller's feet, as a network cut
    /// would, for the retry tests; the next request then fails.
    fn sever(&mut self) {}

    /// Whether [`Remote::list`] is quick (one local walk, or a bucket listing
    /// a thousand files per request), so every deploy may check the target.
    fn lists_quickly(&self) -> bool;
}

/// Why something on the target failed, in the terms a message needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The host name does not resolve, nothing answers, or it timed out.
    Unreachable,
    /// Wrong user name, password or key.
    Login,
    /// The server's key or certificate is not one this site trusts.
    HostKey,
    /// No permission to write or delete there.
    Permission,
    /// The target's disk or quota is full.
    Full,
    /// The connection broke or the server was busy: worth trying again.
    Transient,
    /// The target says no in a way not listed above.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteError {
    pub failure: Failure,
    /// What the server or the system said, for the last line of a message.
    pub detail: String,
    /// The site path involved, if any.
    pub path: Option<String>,
}

impl RemoteError {
    pub fn new(failure: Failure, detail: impl fmt::Display) -> RemoteError {
        RemoteError {
            failure,
            detail: detail.to_string(),
            path: None,
        }
    }

    pub fn at(mut self, path: &str) -> RemoteError {
        self.path.get_or_insert_with(|| path.to_string());
        self
    }

    /// Sorts a system error by its kind.
    pub fn from_io(error: &std::io::Error) -> RemoteError {
        use std::io::ErrorKind as K;
        let failure = match error.kind() {
            K::PermissionDenied | K::ReadOnlyFilesystem => Failure::Permission,
            K::StorageFull | K::QuotaExceeded | K::FileTooLarge => Failure::Full,
            K::ConnectionRefused
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::AddrNotAvailable => Failure::Unreachable,
            K::TimedOut
            | K::ConnectionReset
            | K::ConnectionAborted
            | K::BrokenPipe
            | K::UnexpectedEof
            | K::Interrupted
            | K::NotConnected
            | K::NetworkDown => Failure::Transient,
            _ => Failure::Other,
        };
        RemoteError::new(failure, crate::text_file::io_reason(error))
    }

    /// The message for the publicity officer: what happened and what to do.
    pub fn explain(&self, target: &str) -> (String, &'static str) {
        let place = format!("“{target}”");
        let (what, fix) = match self.failure {
            Failure::Unreachable => (
                format!("连不上{place}"),
                "检查网络和 site.toml 里的地址（host、port，对象存储是 endpoint）；内网服务器要在单位网络里才能连上",
            ),
            Failure::Login => (
                format!("登录{place}失败：用户名或密码（密钥）不对"),
                "核对 site.toml 里的 user，以及环境变量里的密码或密钥（对象存储是 AccessKey）；改过的话请向管理服务器的同事要新的",
            ),
            Failure::HostKey => (
                format!("无法确认{place}的服务器身份"),
                "可能连错了服务器，也可能服务器重装过或换了证书；请先向管理服务器的同事核对上面的指纹，确认无误后再照上面说的改 site.toml（SFTP 是 host_key，FTP 是 tls_certificate）",
            ),
            Failure::Permission => (
                format!("没有权限写入{place}"),
                "请管理服务器的同事给这个账号开通网站文件夹的写入和删除权限，或核对 site.toml 里的 path",
            ),
            Failure::Full => (
                format!("{place}的空间已满"),
                "请清理服务器上的空间或扩容后再发布；已发布的网站仍然完整可用",
            ),
            Failure::Transient => (
                format!("与{place}的连接中断，重试几次后仍未成功"),
                "稍后再运行一次 streetpress deploy，会接着把没传完的文件传完",
            ),
            Failure::Other => (
                format!("发布到{place}时出错"),
                "看看下面服务器的原话；无法解决时把这段话发给管理服务器的同事",
            ),
        };
        let detail = match &self.path {
            Some(path) => format!("{path}：{}", self.detail.trim()),
            None => self.detail.trim().to_string(),
        };
        (format!("{what}（{detail}）"), fix)
    }
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.failure, self.detail)?;
        if let Some(path) = &self.path {
            write!(f, " ({path})")?;
        }
        Ok(())
    }
}

/// Folders holding these site paths, deepest first, for
/// [`Remote::remove_empty_folders`].
pub fn parent_folders(paths: &[String]) -> Vec<String> {
    let mut folders = std::collections::BTreeSet::new();
    for path in paths {
        let mut rest = path.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            folders.insert(parent.to_string());
            rest = parent;
        }
    }
    let mut folders: Vec<String> = folders.into_iter().collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_are_sorted_into_what_a_message_needs() {
        use std::io::{Error, ErrorKind};
        let kind = |k: ErrorKind| RemoteError::from_io(&Error::from(k)).failure;
        assert_eq!(kind(ErrorKind::PermissionDenied), Failure::Permission);
        assert_eq!(kind(ErrorKind::StorageFull), Failure::Full);
        assert_eq!(kind(ErrorKind::ConnectionRefused), Failure::Unreachable);
        assert_eq!(kind(ErrorKind::ConnectionReset), Failure::Transient);
        assert_eq!(kind(ErrorKind::TimedOut), Failure::Transient);
    }

    #[test]
    fn each_failure_says_what_to_do() {
        let full = RemoteError::new(Failure::Full, "No space left on device").at("images/a.webp");
        let (what, fix) = full.explain("政务云");
        assert_eq!(
            what,
            "“政务云”的空间已满（images/a.webp：No space left on device）"
        );
        assert!(fix.contains("已发布的网站仍然完整可用"));
        let (what, _) = RemoteError::new(Failure::Login, "530").explain("区门户");
        assert!(what.starts_with("登录“区门户”失败"), "{what}");
    }

    #[test]
    fn emptied_folders_are_removed_deepest_first() {
        let folders = parent_folders(&["a/b/c.html".into(), "a/d.html".into()]);
        assert_eq!(folders, ["a/b", "a"]);
    }
}
