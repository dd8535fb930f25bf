//! `kind = "ftp"`: an FTP server, over TLS (FTPS, explicit `AUTH TLS`)
//! where it offers it: the hosting many district portals and office
//! servers still give a street office.
//!
//! The client is suppaftp. It is synchronous, as a deploy is (one request
//! at a time on one thread, no async runtime to start); it is maintained;
//! it speaks explicit FTPS through rustls, pure Rust, so nothing of OpenSSL
//! is built or shipped for Windows; it has passive mode and LIST parsers;
//! and it leaves the control socket within reach, for timeouts and for
//! cutting it in the retry tests. The `ftp` crate it was forked from is
//! unmaintained and does TLS through OpenSSL; curl's bindings need libcurl.
//!
//! After logging in the session changes into `path` of site.toml, so every
//! site path is sent as it is, relative to it. Which server certificates
//! FTPS trusts is in [`tls`].

mod tls;

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Once;
use std::time::Duration;

use suppaftp::list::ListParser;
use suppaftp::types::{FileType, Response};
use suppaftp::{FtpError, Mode, RustlsFtpStream};

use super::remote::{Failure, Remote, RemoteError};
use super::targets::{Ftp, FtpTls};
use tls::Tls;

/// How long to wait for a connection to open, the greeting included.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long to wait for a reply or for data to move; a server may take a
/// few seconds to refuse a wrong password (against guessing).
const REPLY_TIMEOUT: Duration = Duration::from_secs(60);
/// Folders deeper than this are not listed: a link on the server that
/// points back up would make the listing endless.
const MAX_DEPTH: usize = 32;
/// The most `get` reads: the manifest of a site of a million files. A
/// server that sends without end must not fill the memory.
const MAX_GET: u64 = 256 * 1024 * 1024;

pub fn open(settings: &Ftp) -> Result<Box<dyn Remote>, RemoteError> {
    Ok(Box::new(FtpTarget::open(settings)?))
}

struct FtpTarget {
    ftp: RustlsFtpStream,
    /// Folders made or found on this connection, so that each is made once.
    folders: HashSet<String>,
    /// Whether the server lists folders with MLSD (exact sizes, every
    /// name); else `LIST -a`.
    mlsd: bool,
}

impl FtpTarget {
    fn open(settings: &Ftp) -> Result<FtpTarget, RemoteError> {
        // First: a `tls_certificate` that is no fingerprint stops here.
        let tls = Tls::new(settings.tls_certificate.as_deref())?;
        let mut ftp = dial(settings)?;
        let features = features(&mut ftp)?;
        let mut ftp = secure(ftp, settings, &features, &tls)?;
        // Asked for only once the server is there (and TLS settled).
        let (user, password) = credentials(settings)?;
        ftp.login(&user, &password).map_err(|e| {
            let mut error = failure(&e);
            if !password.is_empty() {
                error.detail = error.detail.replace(&password, "***");
            }
            error
        })?;
        ftp.transfer_type(FileType::Binary)
            .map_err(|e| failure(&e))?;
        if features.utf8 {
            // Names as UTF-8, for servers (on Windows) that default to a code page.
            let _ = ftp.opts("UTF8", Some("ON"));
        }
        ftp.cwd(&settings.path).map_err(|e| match e {
            FtpError::UnexpectedResponse(reply) if code(&reply) >= 500 => RemoteError::new(
                Failure::Other,
                format!(
                    "服务器上没有文件夹 {}，或这个账号进不去，请核对 site.toml 里的 path（{}）",
                    settings.path,
                    reply_text(&reply)
                ),
            ),
            other => failure(&other),
        })?;
        Ok(FtpTarget {
            ftp,
            folders: HashSet::new(),
            mlsd: features.mlsd,
        })
    }

    /// Makes the folders above `path` that are not there yet.
    fn make_folders(&mut self, path: &str) -> Result<(), RemoteError> {
        let Some((parent, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let mut folder = String::new();
        for part in parent.split('/') {
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(part);
            if self.folders.contains(&folder) {
                continue;
            }
            match self.ftp.mkdir(&folder) {
                Ok(()) => {}
                // There already, or not to be made, which the upload into
                // it will tell.
                Err(FtpError::UnexpectedResponse(reply)) if code(&reply) >= 500 => {}
                Err(error) => return Err(failure(&error).at(path)),
            }
            self.folders.insert(folder.clone());
        }
        Ok(())
    }

    /// Renames the uploaded `from` over `to`.
    fn replace(&mut self, from: &str, to: &str) -> Result<(), FtpError> {
        match self.ftp.rename(from, to) {
            // Some servers (IIS, for one) will not rename over a file.
            Err(FtpError::UnexpectedResponse(reply)) if code(&reply) >= 500 => {
                match self.ftp.rm(to) {
                    Ok(()) | Err(FtpError::UnexpectedResponse(_)) => {}
                    Err(error) => return Err(error),
                }
                self.ftp.rename(from, to)
            }
            other => other,
        }
    }

    /// The files and folders in one folder ("" for the site's own).
    fn entries(&mut self, folder: &str) -> Result<Vec<Entry>, RemoteError> {
        let listed = if self.mlsd {
            self.ftp.mlsd((!folder.is_empty()).then_some(folder))
        } else {
            let argument = format!("-a {folder}");
            self.ftp.list(Some(argument.trim_end()))
        };
        let lines = match listed {
            Ok(lines) => lines,
            // Gone since its parent was listed.
            Err(FtpError::UnexpectedResponse(reply)) if code(&reply) == 550 => Vec::new(),
            Err(error) => return Err(at(failure(&error), folder)),
        };
        let parse = if self.mlsd { mlsd_entry } else { list_entry };
        Ok(lines.iter().filter_map(|line| parse(line)).collect())
    }
}

impl Remote for FtpTarget {
    fn list(&mut self) -> Result<BTreeMap<String, u64>, RemoteError> {
        let mut files = BTreeMap::new();
        let mut folders = vec![(String::new(), 0)];
        while let Some((folder, depth)) = folders.pop() {
            for entry in self.entries(&folder)? {
                match entry {
                    Entry::File(name, size) => {
                        files.insert(join(&folder, &name), size);
                    }
                    Entry::Folder(name) if depth < MAX_DEPTH => {
                        let path = join(&folder, &name);
                        self.folders.insert(path.clone());
                        folders.push((path, depth + 1));
                    }
                    Entry::Folder(_) => {}
                }
            }
        }
        Ok(files)
    }

    fn size(&mut self, path: &str) -> Result<Option<u64>, RemoteError> {
        match self.ftp.size(path) {
            Ok(size) => Ok(Some(size as u64)),
            Err(FtpError::UnexpectedResponse(reply)) if code(&reply) == 550 => Ok(None),
            Err(error) => Err(failure(&error).at(path)),
        }
    }

    fn get(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let read = self.ftp.retr(path, |reader| {
            let mut bytes = Vec::new();
            reader
                .take(MAX_GET + 1)
                .read_to_end(&mut bytes)
                .map_err(FtpError::ConnectionError)?;
            Ok(bytes)
        });
        match read {
            Ok(bytes) if bytes.len() as u64 > MAX_GET => {
                Err(RemoteError::new(Failure::Other, "文件大得不像是本程序写的记录").at(path))
            }
            Ok(bytes) => Ok(Some(bytes)),
            Err(FtpError::UnexpectedResponse(reply)) if code(&reply) == 550 => Ok(None),
            Err(error) => Err(failure(&error).at(path)),
        }
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        self.make_folders(path)?;
        let temporary = temporary_name(path);
        let sent = self
            .ftp
            .put_file(&temporary, &mut &bytes[..])
            .and_then(|_| self.replace(&temporary, path));
        if let Err(error) = sent {
            // Best effort: after a broken connection this fails too, and
            // the next deploy writes the same temporary name again.
            let _ = self.ftp.rm(&temporary);
            return Err(failure(&error).at(path));
        }
        Ok(())
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        if !is_site_path(path) {
            // Not a path this program writes: a manifest edited by hand
            // must not reach outside the site's folder.
            return Ok(());
        }
        match self.ftp.rm(path) {
            Ok(()) => Ok(()),
            // Gone already, or not ours to delete: SIZE tells which.
            Err(FtpError::UnexpectedResponse(reply)) if code(&reply) == 550 => {
                match self.size(path)? {
                    None => Ok(()),
                    Some(_) => Err(refused(&reply).at(path)),
                }
            }
            Err(error) => Err(failure(&error).at(path)),
        }
    }

    fn remove_empty_folders(&mut self, folders: &[String]) -> Result<(), RemoteError> {
        for folder in folders.iter().filter(|f| is_site_path(f)) {
            match self.ftp.rmdir(folder) {
                // Refused, as it should be, while the folder holds anything.
                Ok(()) | Err(FtpError::UnexpectedResponse(_)) => {}
                Err(error) => return Err(failure(&error).at(folder)),
            }
            self.folders.remove(folder);
        }
        Ok(())
    }

    fn sever(&mut self) {
        let _ = self.ftp.get_ref().shutdown(Shutdown::Both);
    }

    fn lists_quickly(&self) -> bool {
        false
    }
}

impl Drop for FtpTarget {
    fn drop(&mut self) {
        // Say goodbye, so a server that limits a user's sessions frees this
        // one at once; but do not wait long for its answer.
        let _ = self
            .ftp
            .get_ref()
            .set_read_timeout(Some(Duration::from_secs(2)));
        let _ = self.ftp.quit();
    }
}

/// One line of a folder listing that is kept: a file and its size, or a folder.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    File(String, u64),
    Folder(String),
}

/// An MLSD line, `type=file;size=120;modify=...; name` (RFC 3659).
fn mlsd_entry(line: &str) -> Option<Entry> {
    let (facts, name) = line.split_once(' ')?;
    let mut kind = None;
    let mut size = None;
    for fact in facts.split(';') {
        let Some((key, value)) = fact.split_once('=') else {
            continue;
        };
        match key.to_ascii_lowercase().as_str() {
            "type" => kind = Some(value.to_ascii_lowercase()),
            "size" => size = value.parse().ok(),
            _ => {}
        }
    }
    let name = entry_name(name)?;
    match kind.as_deref() {
        // A file of unknown size never matches, so it is sent again.
        Some("file") => Some(Entry::File(name, size.unwrap_or(u64::MAX))),
        Some("dir") => Some(Entry::Folder(name)),
        // The folder itself, its parent, links and devices.
        _ => None,
    }
}

/// A `LIST` line, Unix style (`-rw-r--r-- 1 web web 120 May 5 10:00 name`)
/// or Windows style (`05-05-25 10:00AM 120 name`).
fn list_entry(line: &str) -> Option<Entry> {
    let file = ListParser::parse_posix(line)
        .or_else(|_| ListParser::parse_dos(line))
        .ok()?;
    let name = entry_name(file.name())?;
    if file.is_symlink() {
        None
    } else if file.is_directory() {
        Some(Entry::Folder(name))
    } else {
        Some(Entry::File(name, file.size() as u64))
    }
}

/// The name of a listed entry, without `.` and `..`; some servers give a
/// path, of which the last part is the name.
fn entry_name(name: &str) -> Option<String> {
    let name = name.rsplit('/').next().unwrap_or(name);
    match name {
        "" | "." | ".." => None,
        _ => Some(name.to_string()),
    }
}

fn join(folder: &str, name: &str) -> String {
    match folder {
        "" => name.to_string(),
        _ => format!("{folder}/{name}"),
    }
}

/// Whether `path` stays inside the site's folder.
fn is_site_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// `a/index.html` → `a/.index.html.streetpress-upload`, as for a folder.
fn temporary_name(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((folder, name)) => format!("{folder}/.{name}.streetpress-upload"),
        None => format!(".{path}.streetpress-upload"),
    }
}

/// What FEAT says the server can do.
#[derive(Debug, Default)]
struct Features {
    tls: bool,
    mlsd: bool,
    utf8: bool,
}

fn features(ftp: &mut RustlsFtpStream) -> Result<Features, RemoteError> {
    match ftp.feat() {
        Ok(features) => Ok(Features {
            // Any AUTH line: servers list `AUTH SSL` and `AUTH TLS` apart,
            // and one of them overwrites the other here. A server that then
            // refuses `AUTH TLS` is handled as one without TLS.
            tls: features.contains_key("AUTH"),
            mlsd: features.contains_key("MLST"),
            utf8: features.contains_key("UTF8"),
        }),
        // An old server without FEAT: plain FTP and LIST.
        Err(FtpError::UnexpectedResponse(_) | FtpError::BadResponse) => Ok(Features::default()),
        Err(error) => Err(failure(&error)),
    }
}

/// The user name and password to log in with.
fn credentials(settings: &Ftp) -> Result<(String, String), RemoteError> {
    let user = settings.user.clone();
    match &settings.password_env {
        Some(var) => Ok((user, password(settings, var)?)),
        // RFC 1635: an anonymous user gives an address as the password.
        None if matches!(user.as_str(), "anonymous" | "ftp") => Ok((user, "anonymous@".into())),
        None => Err(RemoteError::new(
            Failure::Login,
            format!(
                "site.toml 里没有写 password_env，不知道 {user} 的密码从哪里来：加一行 password_env = \"FTP_PASSWORD\"，把密码放进这个环境变量"
            ),
        )),
    }
}

/// The password (`secrets` asks the terminal at most once a run).
fn password(settings: &Ftp, var: &str) -> Result<String, RemoteError> {
    let account = format!("{}@{}", settings.user, settings.host);
    super::secrets::secret(var, &format!("“{account}”的密码"))
}

/// Opens the control connection and reads the server's greeting.
fn dial(settings: &Ftp) -> Result<RustlsFtpStream, RemoteError> {
    let place = format!("{}:{}", settings.host, settings.port);
    let addresses = (settings.host.as_str(), settings.port)
        .to_socket_addrs()
        .map_err(|e| {
            RemoteError::new(
                Failure::Unreachable,
                format!("找不到服务器 {}（{e}）", settings.host),
            )
        })?;
    let mut last = None;
    for address in addresses {
        match TcpStream::connect_timeout(&address, CONNECT_TIMEOUT) {
            Ok(stream) => return greet(stream, &place),
            Err(error) => last = Some(error),
        }
    }
    let detail = match last {
        None => format!("找不到服务器 {} 的地址", settings.host),
        Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            format!("{place} 拒绝连接：那里没有运行 FTP 服务，或 port 写错了（{e}）")
        }
        Some(e) if e.kind() == io::ErrorKind::TimedOut => format!("{place} 没有回应（{e}）"),
        Some(e) => format!("{place}（{e}）"),
    };
    Err(RemoteError::new(Failure::Unreachable, detail))
}

fn greet(stream: TcpStream, place: &str) -> Result<RustlsFtpStream, RemoteError> {
    let ipv6 = stream.peer_addr().is_ok_and(|a| a.is_ipv6());
    let timeouts = stream
        .set_read_timeout(Some(CONNECT_TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(REPLY_TIMEOUT)));
    timeouts.map_err(|e| RemoteError::from_io(&e))?;
    let ftp = RustlsFtpStream::connect_with_stream(stream).map_err(|e| match e {
        FtpError::ConnectionError(io)
            if io.kind() == io::ErrorKind::WouldBlock || io.kind() == io::ErrorKind::TimedOut =>
        {
            not_ftp(place)
        }
        FtpError::BadResponse => not_ftp(place),
        other => failure(&other),
    })?;
    ftp.get_ref()
        .set_read_timeout(Some(REPLY_TIMEOUT))
        .map_err(|e| RemoteError::from_io(&e))?;
    // Passive mode, as through any firewall; the data connection goes to
    // the address already connected to, not to the one the server names
    // (often its address inside a private network).
    let mut ftp = ftp.passive_stream_builder(data_connection);
    if ipv6 {
        ftp.set_mode(Mode::ExtendedPassive);
    } else {
        ftp.set_mode(Mode::Passive);
        ftp.set_passive_nat_workaround(true);
    }
    Ok(ftp)
}

fn not_ftp(place: &str) -> RemoteError {
    RemoteError::new(
        Failure::Unreachable,
        format!("{place} 连上了，但应答的不是 FTP 服务器：port 可能写错了"),
    )
}

/// Opens a data connection, with the same timeouts as the control one.
fn data_connection(address: SocketAddr) -> suppaftp::FtpResult<TcpStream> {
    let opened = TcpStream::connect_timeout(&address, CONNECT_TIMEOUT).and_then(|stream| {
        stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
        stream.set_write_timeout(Some(REPLY_TIMEOUT))?;
        Ok(stream)
    });
    opened.map_err(|e| {
        FtpError::ConnectionError(io::Error::new(
            e.kind(),
            format!("服务器的数据端口 {address} 连不上，防火墙可能没有放开被动模式的端口：{e}"),
        ))
    })
}

/// Turns on TLS as `tls` in site.toml asks and the server allows.
fn secure(
    ftp: RustlsFtpStream,
    settings: &Ftp,
    features: &Features,
    tls: &Tls,
) -> Result<RustlsFtpStream, RemoteError> {
    match settings.tls {
        FtpTls::Never => return Ok(ftp),
        FtpTls::Always if !features.tls => return Err(no_tls("FEAT 里没有 AUTH TLS")),
        // A pinned certificate means this server speaks TLS: a reply
        // without it is someone in between, not a reason to go plain.
        FtpTls::Auto if !features.tls && settings.tls_certificate.is_some() => {
            return Err(no_tls(
                "FEAT 里没有 AUTH TLS，而 site.toml 里写了 tls_certificate",
            ))
        }
        FtpTls::Auto if !features.tls => {
            warn_unencrypted(&settings.host);
            return Ok(ftp);
        }
        _ => {}
    }
    match ftp.into_secure(tls.connector(), &settings.host) {
        Ok(ftp) => Ok(ftp),
        Err(FtpError::UnexpectedResponse(reply))
            if settings.tls == FtpTls::Always || settings.tls_certificate.is_some() =>
        {
            Err(no_tls(&reply_text(&reply)))
        }
        // `AUTH TLS` refused though FEAT listed it (pure-ftpd does so with
        // TLS turned off); the refused connection is closed: dial again.
        Err(FtpError::UnexpectedResponse(_)) => {
            warn_unencrypted(&settings.host);
            dial(settings)
        }
        Err(error) => Err(tls.failure(&error).unwrap_or_else(|| failure(&error))),
    }
}

fn no_tls(why: &str) -> RemoteError {
    RemoteError::new(
        Failure::Other,
        format!("服务器没有用加密（FTPS），而 site.toml 要求加密（tls = \"always\" 或写了 tls_certificate）；请管理服务器的同事开启 FTPS（{why}）"),
    )
}

/// Once a run: with `tls = "auto"` against a server without TLS the
/// password and pages go over the network as they are.
fn warn_unencrypted(host: &str) {
    static WARNED: Once = Once::new();
    WARNED.call_once(|| {
        eprintln!(
            "注意：{host} 的 FTP 服务器不支持加密（FTPS），密码和网页将不加密传送，只宜在单位内网里这样用。请管理服务器的同事开启 FTPS；确认就在内网、不再提醒的话，在 site.toml 里写 tls = \"never\"。"
        );
    });
}

/// Sorts what the FTP client reports by what the deploy should do.
fn failure(error: &FtpError) -> RemoteError {
    match error {
        FtpError::ConnectionError(io) => match tls::problem(io) {
            Some(problem) => RemoteError::new(Failure::Other, problem),
            None => RemoteError::new(RemoteError::from_io(io).failure, io),
        },
        FtpError::UnexpectedResponse(reply) => refused(reply),
        FtpError::SecureError(why) => {
            RemoteError::new(Failure::Other, format!("加密连接没能建立（{why}）"))
        }
        FtpError::BadResponse => RemoteError::new(Failure::Transient, "服务器的回答不完整"),
        FtpError::DataConnectionAlreadyOpen => {
            RemoteError::new(Failure::Transient, "上一次传送还没有结束")
        }
        FtpError::InvalidAddress(e) => {
            RemoteError::new(Failure::Other, format!("服务器给的地址不对（{e}）"))
        }
    }
}

/// A reply that says no, sorted by its code: 4xx is worth trying again
/// (RFC 959), 5xx is not.
fn refused(reply: &Response) -> RemoteError {
    let failure = match code(reply) {
        530 => Failure::Login,
        452 | 552 => Failure::Full,
        400..=499 => Failure::Transient,
        532 | 550 | 553 => Failure::Permission,
        _ => Failure::Other,
    };
    RemoteError::new(failure, reply_text(reply))
}

/// The reply's code as the server sent it: suppaftp's `Status` has no
/// value for codes it does not know, such as 534.
fn code(reply: &Response) -> u32 {
    reply
        .body
        .get(..3)
        .and_then(|digits| std::str::from_utf8(digits).ok())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| reply.status.code())
}

/// The reply on one line, for the end of a message.
fn reply_text(reply: &Response) -> String {
    let text = String::from_utf8_lossy(&reply.body);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn at(error: RemoteError, folder: &str) -> RemoteError {
    match folder {
        "" => error,
        _ => error.at(folder),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use suppaftp::Status;

    #[test]
    fn listings_give_files_with_sizes_and_folders() {
        let file = |name: &str, size| Some(Entry::File(name.to_string(), size));
        let folder = |name: &str| Some(Entry::Folder(name.to_string()));
        assert_eq!(
            mlsd_entry("type=file;size=120;modify=20250505100000; 通知 1.html"),
            file("通知 1.html", 120)
        );
        assert_eq!(
            mlsd_entry("Type=dir;Modify=20250505100000; images"),
            folder("images")
        );
        assert_eq!(mlsd_entry("type=cdir;sizd=4096; ."), None);
        assert_eq!(mlsd_entry("type=OS.unix=symlink;size=9; link"), None);
        assert_eq!(mlsd_entry("type=file; odd"), file("odd", u64::MAX));
        assert_eq!(
            list_entry("-rw-r--r--    1 1000     1000          120 May 05 10:00 .streetpress-manifest.json"),
            file(".streetpress-manifest.json", 120)
        );
        assert_eq!(
            list_entry("drwxr-xr-x    2 1000     1000         4096 May 05  2025 images"),
            folder("images")
        );
        assert_eq!(
            list_entry("drwxr-xr-x    2 1000     1000         4096 May 05  2025 .."),
            None
        );
        assert_eq!(
            list_entry("05-05-25  10:00AM       <DIR>          css"),
            folder("css")
        );
        assert_eq!(
            list_entry("05-05-25  10:00AM                  7 a.js"),
            file("a.js", 7)
        );
        assert_eq!(list_entry("total 12"), None);
    }

    #[test]
    fn replies_are_sorted_by_their_code() {
        let reply = |line: &str| Response::new(Status::Unknown, line.as_bytes().to_vec());
        let sorted = |line: &str| refused(&reply(line)).failure;
        assert_eq!(sorted("530 Login incorrect."), Failure::Login);
        assert_eq!(sorted("421 Timeout."), Failure::Transient);
        assert_eq!(sorted("550 Permission denied."), Failure::Permission);
        assert_eq!(sorted("552 Quota exceeded"), Failure::Full);
        assert_eq!(sorted("452 Disk full"), Failure::Full);
        assert_eq!(sorted("534 Policy"), Failure::Other);
        assert_eq!(
            refused(&reply("550  No\r\n such file\r\n")).detail,
            "550 No such file"
        );
        let cut = FtpError::ConnectionError(io::ErrorKind::BrokenPipe.into());
        assert_eq!(failure(&cut).failure, Failure::Transient);
    }

    #[test]
    fn only_paths_inside_the_site_are_deleted() {
        assert!(is_site_path("articles/2025/05/x/index.html"));
        assert!(is_site_path(".streetpress-pending.json"));
        for path in [
            "",
            "/etc/passwd",
            "../other/index.html",
            "a//b",
            "a/./b",
            "a\\b",
        ] {
            assert!(!is_site_path(path), "{path}");
        }
        assert_eq!(temporary_name("a/b.html"), "a/.b.html.streetpress-upload");
        assert_eq!(temporary_name("b.html"), ".b.html.streetpress-upload");
    }
}
