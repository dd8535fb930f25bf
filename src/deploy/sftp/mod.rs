//! `kind = "sftp"`: a web server reached over SSH.
//!
//! The client is russh with russh-sftp: pure Rust, its crypto from ring, so
//! the Windows and aarch64 builds cross-compile without OpenSSL or libssh2
//! to build or ship. russh is async; the [`Remote`] trait is not, so each
//! target keeps a tokio current-thread runtime and blocks on every request.
//!
//! The server's key is checked before anything is sent: against
//! `host_key` in site.toml when it is there, else the user's
//! `~/.ssh/known_hosts`, as OpenSSH's `ssh` would. A file is written under
//! a temporary name beside it and renamed over the old one, so readers
//! never see half a page.

mod errors;
mod host_key;
mod login;
mod transfer;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use russh::client::Handle;
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::rawsession::Limits;
use russh_sftp::client::RawSftpSession;
use russh_sftp::protocol::StatusCode;

use super::remote::{Failure, Remote, RemoteError};
use super::targets::Sftp;
use errors::{is_status, sftp_failure, ssh_failure};
use host_key::{connect_trusted, Checker};
use login::{key_path, load_key, log_in};
use transfer::{read_file, read_folder, replace, write_file};

/// Time to reach the server and finish the SSH handshake.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// Time to wait for one answer from a connected server. A write may wait
/// behind a megabyte of earlier writes on a slow line.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest piece of a file in one read or write request: OpenSSH takes
/// 255 KiB, and incoming packets up to 256 KiB are accepted.
const MAX_CHUNK: u64 = 128 * 1024;
/// The piece every SFTP server must accept, when it states no limit.
const SAFE_CHUNK: u64 = 32 * 1024;

const POSIX_RENAME: &str = "posix-rename@openssh.com";
const STATVFS: &str = "statvfs@openssh.com";
const LIMITS: &str = "limits@openssh.com";

pub fn open(settings: &Sftp, root: &Path) -> Result<Box<dyn Remote>, RemoteError> {
    Ok(Box::new(SftpTarget::open(settings, root)?))
}

pub struct SftpTarget {
    runtime: tokio::runtime::Runtime,
    /// `None` once [`Remote::sever`] cut it: every request then fails as
    /// a broken connection does.
    connection: Option<Connection>,
    /// The site's folder on the server, without a trailing `/`.
    base: String,
}

struct Connection {
    ssh: Handle<Checker>,
    sftp: Arc<RawSftpSession>,
    /// Bytes per read or write request.
    chunk: u64,
    posix_rename: bool,
    statvfs: bool,
}

impl SftpTarget {
    fn open(settings: &Sftp, root: &Path) -> Result<SftpTarget, RemoteError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| RemoteError::from_io(&e))?;
        // The key is read first: a missing file is named before any network wait.
        let key = match &settings.key {
            Some(file) => Some(load_key(&key_path(file, root), settings)?),
            None => None,
        };
        let mut ssh = connect_trusted(&runtime, settings)?;
        log_in(&runtime, &mut ssh, settings, key)?;
        let connection = runtime.block_on(within(CONNECT_TIMEOUT, start_sftp(ssh)))??;
        let target = SftpTarget {
            runtime,
            connection: Some(connection),
            base: base_folder(&settings.path),
        };
        target.check_base(&settings.path)?;
        Ok(target)
    }

    /// The site's folder must be there: a mistyped `path` is not made
    /// into a new folder that no web server serves.
    fn check_base(&self, written: &str) -> Result<(), RemoteError> {
        let base = self.base.clone();
        let is_folder = self.call(move |c| async move {
            match c.sftp.stat(base).await {
                Ok(attrs) => Ok(Some(attrs.attrs.is_dir())),
                Err(error) if is_status(&error, StatusCode::NoSuchFile) => Ok(None),
                Err(error) => Err(error),
            }
        })?;
        let problem = match is_folder {
            Some(true) => return Ok(()),
            Some(false) => format!("服务器上的 {written} 是一个文件，不是文件夹：请核对 site.toml 里的 path"),
            None => format!(
                "服务器上没有文件夹 {written}：请核对 site.toml 里的 path，或请管理服务器的同事先建好这个文件夹"
            ),
        };
        Err(RemoteError::new(Failure::Other, problem))
    }

    /// Where a site path is on the server.
    fn remote(&self, path: &str) -> String {
        join(&self.base, path)
    }

    /// Runs one request on the connection, waiting for it here.
    fn call<T, F>(&self, request: impl FnOnce(ConnectionRef) -> F) -> Result<T, RemoteError>
    where
        F: Future<Output = Result<T, SftpError>>,
    {
        let connection = self.connection.as_ref().ok_or_else(severed)?;
        let request = request(ConnectionRef::of(connection));
        self.runtime.block_on(request).map_err(|e| sftp_failure(&e))
    }
}

/// What a request needs of the connection, owned, so the request's future
/// does not borrow the target.
#[derive(Clone)]
struct ConnectionRef {
    sftp: Arc<RawSftpSession>,
    chunk: u64,
    posix_rename: bool,
    statvfs: bool,
}

impl ConnectionRef {
    fn of(connection: &Connection) -> ConnectionRef {
        ConnectionRef {
            sftp: Arc::clone(&connection.sftp),
            chunk: connection.chunk,
            posix_rename: connection.posix_rename,
            statvfs: connection.statvfs,
        }
    }
}

fn severed() -> RemoteError {
    RemoteError::new(Failure::Transient, "连接已断开")
}

impl Remote for SftpTarget {
    fn list(&mut self) -> Result<BTreeMap<String, u64>, RemoteError> {
        let base = self.base.clone();
        self.call(|c| async move {
            let mut files = BTreeMap::new();
            // Folders still to read: (path on the server, site path).
            let mut folders = vec![(base, String::new())];
            while let Some((folder, prefix)) = folders.pop() {
                for entry in read_folder(&c.sftp, &folder).await? {
                    if entry.filename == "." || entry.filename == ".." {
                        continue;
                    }
                    let site_path = format!("{prefix}{}", entry.filename);
                    // Symbolic links are not followed: a link to a parent would loop.
                    if entry.attrs.is_dir() && !entry.attrs.is_symlink() {
                        folders.push((join(&folder, &entry.filename), format!("{site_path}/")));
                    } else if entry.attrs.is_regular() && !entry.attrs.is_symlink() {
                        files.insert(site_path, entry.attrs.size.unwrap_or(u64::MAX));
                    }
                }
            }
            Ok(files)
        })
    }

    fn size(&mut self, path: &str) -> Result<Option<u64>, RemoteError> {
        let remote = self.remote(path);
        self.call(|c| async move {
            match c.sftp.stat(remote).await {
                Ok(attrs) => Ok(Some(attrs.attrs.size.unwrap_or(u64::MAX))),
                Err(error) if is_status(&error, StatusCode::NoSuchFile) => Ok(None),
                Err(error) => Err(error),
            }
        })
        .map_err(|e| e.at(path))
    }

    fn get(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let remote = self.remote(path);
        self.call(|c| async move { read_file(&c, remote).await })
            .map_err(|e| e.at(path))
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let remote = self.remote(path);
        let temporary = temporary_name(&remote);
        let folders = parents(&self.base, path);
        let result = self.call(|c| {
            let (remote, temporary) = (remote.clone(), temporary.clone());
            async move {
                let written = write_file(&c, &temporary, &folders, bytes).await;
                match written {
                    Ok(()) => replace(&c, &temporary, &remote).await,
                    Err(error) => Err(error),
                }
            }
        });
        match result {
            Ok(()) => Ok(()),
            Err(error) => {
                let error = self.judge_write_failure(error, bytes.len());
                // Best effort: a half-written temporary file is no use to anyone.
                let _ = self.call(|c| async move { c.sftp.remove(temporary).await });
                Err(error.at(path))
            }
        }
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        let remote = self.remote(path);
        self.call(|c| async move {
            match c.sftp.remove(remote).await {
                Err(error) if !is_status(&error, StatusCode::NoSuchFile) => Err(error),
                _ => Ok(()),
            }
        })
        .map_err(|e| e.at(path))
    }

    fn remove_empty_folders(&mut self, folders: &[String]) -> Result<(), RemoteError> {
        let remotes: Vec<String> = folders.iter().map(|f| self.remote(f)).collect();
        self.call(|c| async move {
            for folder in remotes {
                match c.sftp.rmdir(folder).await {
                    // The server says no to a folder that still holds anything.
                    Err(SftpError::Status(_)) | Ok(_) => {}
                    Err(error) => return Err(error),
                }
            }
            Ok(())
        })
    }

    fn sever(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.runtime.block_on(close(connection));
        }
    }

    fn lists_quickly(&self) -> bool {
        false
    }
}

impl Drop for SftpTarget {
    fn drop(&mut self) {
        self.sever();
    }
}

async fn close(connection: Connection) {
    let _ = connection.sftp.close_session();
    let bye = connection
        .ssh
        .disconnect(russh::Disconnect::ByApplication, "", "en");
    let _ = tokio::time::timeout(Duration::from_secs(1), bye).await;
}

/// Opens the SFTP channel and learns what the server offers.
async fn start_sftp(ssh: Handle<Checker>) -> Result<Connection, RemoteError> {
    let channel = ssh
        .channel_open_session()
        .await
        .map_err(|e| ssh_failure(&e))?;
    channel
        .request_subsystem(true, "sftp")
        .await
        .map_err(|e| ssh_failure(&e))?;
    let config = russh_sftp::client::Config {
        request_timeout_secs: REQUEST_TIMEOUT.as_secs(),
        ..russh_sftp::client::Config::default()
    };
    let mut sftp = RawSftpSession::new_with_config(channel.into_stream(), config);
    let offered =
        |version: &russh_sftp::protocol::Version, name: &str| version.extensions.contains_key(name);
    // A server without SFTP (only a shell, or SCP) closes the channel here.
    let version = sftp
        .init()
        .await
        .map_err(|e| RemoteError::new(Failure::Other, format!("服务器没有开 SFTP（{e}）")))?;
    let mut chunk = SAFE_CHUNK;
    if offered(&version, LIMITS) {
        if let Ok(limits) = sftp.limits().await {
            let limits = Limits::from(limits);
            let stated = limits.write_len.into_iter().chain(limits.read_len).min();
            chunk = stated.unwrap_or(SAFE_CHUNK).clamp(1, MAX_CHUNK);
            sftp.set_limits(limits);
        }
    }
    Ok(Connection {
        ssh,
        sftp: Arc::new(sftp),
        chunk,
        posix_rename: offered(&version, POSIX_RENAME),
        statvfs: offered(&version, STATVFS),
    })
}

/// Runs `future` for at most `limit`; a server that stops answering is a
/// broken connection.
async fn within<T>(limit: Duration, future: impl Future<Output = T>) -> Result<T, RemoteError> {
    tokio::time::timeout(limit, future)
        .await
        .map_err(|_| RemoteError::new(Failure::Transient, "服务器长时间没有回应"))
}

// ---- Paths ----

/// The folder `path` in site.toml names, as the server takes it: `~/www`
/// and `www` are both in the user's home folder.
fn base_folder(path: &str) -> String {
    let path = path.trim();
    let path = path
        .strip_prefix("~/")
        .or_else(|| (path == "~").then_some(""))
        .unwrap_or(path);
    match path.trim_end_matches('/') {
        "" if path.starts_with('/') => "/".to_string(),
        "" => ".".to_string(),
        trimmed => trimmed.to_string(),
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.ends_with('/') {
        format!("{folder}{name}")
    } else {
        format!("{folder}/{name}")
    }
}

/// `a/index.html` → `a/.index.html.streetpress-upload`, beside it, as the
/// folder target names it.
fn temporary_name(remote: &str) -> String {
    match remote.rsplit_once('/') {
        Some((folder, name)) => format!("{folder}/.{name}.streetpress-upload"),
        None => format!(".{remote}.streetpress-upload"),
    }
}

/// The folders on the server above a site path, the top one first.
fn parents(base: &str, path: &str) -> Vec<String> {
    let mut folders = Vec::new();
    let mut folder = base.to_string();
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for part in parts {
        folder = join(&folder, part);
        folders.push(folder.clone());
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_the_server() {
        assert_eq!(base_folder("/var/www/html/"), "/var/www/html");
        assert_eq!(base_folder("/"), "/");
        assert_eq!(base_folder("~/www"), "www");
        assert_eq!(base_folder("~"), ".");
        assert_eq!(base_folder(""), ".");
        assert_eq!(join("/", "index.html"), "/index.html");
        assert_eq!(join("/srv/www", "a/b.html"), "/srv/www/a/b.html");
        assert_eq!(
            temporary_name("/srv/www/a/index.html"),
            "/srv/www/a/.index.html.streetpress-upload"
        );
        assert_eq!(
            parents("/srv", "articles/2025/04/x.html"),
            [
                "/srv/articles",
                "/srv/articles/2025",
                "/srv/articles/2025/04"
            ]
        );
        assert!(parents("/srv", "index.html").is_empty());
    }
}
