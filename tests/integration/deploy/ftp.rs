//! `kind = "ftp"` against a real server on loopback: pure-ftpd, started by
//! each test with a virtual user of its own (no system account is made),
//! a temporary folder as its root, and a transfer log that tells what was
//! uploaded. `bash scripts/servers/install.sh` installs it. Its FTPS
//! certificate is one of its own, which the deploy trusts through
//! `tls_certificate`, as an intranet server's.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{deploy, deploy_ok, output, site_for, Server};

const USER: &str = "jiedao";
const PASSWORD: &str = "Jiedao-Ftp-7315";
const PASSWORD_ENV: &str = "STREETPRESS_TEST_FTP_PASSWORD";
/// The user the server writes as when it runs as root (it will not log a
/// virtual user in as root itself).
const NOBODY: u32 = 65534;

/// What the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offer {
    /// Plain FTP only: `AUTH TLS` is refused.
    Plain,
    /// FTPS or plain, as the client likes.
    Tls,
    /// FTPS only, data connections too.
    TlsOnly,
}

struct FtpServer {
    /// The server's users, certificate and logs; `root` inside it.
    dir: tempfile::TempDir,
    root: PathBuf,
    port: u16,
    child: Child,
    /// `tls = ...` in the `[[deploy]]` table.
    tls: &'static str,
    /// The server's certificate as OpenSSH would print its fingerprint,
    /// `SHA256:` and base64; empty for a server without TLS.
    fingerprint: String,
    /// The same as `openssl x509 -fingerprint -sha256` prints it, `AB:CD:...`.
    openssl_fingerprint: String,
    /// `tls_certificate = ...` in the `[[deploy]]` table: by default the
    /// server's own `fingerprint`.
    tls_certificate: Option<String>,
    /// Bytes of the transfer log already read by `take_uploads`.
    log_read: Cell<usize>,
}

impl FtpServer {
    fn start(offer: Offer, tls: &'static str) -> FtpServer {
        let pure_ftpd = installed("/usr/sbin/pure-ftpd");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            fs::metadata(dir.path()).unwrap().uid(),
            0,
            "the FTP tests start pure-ftpd as root, which it needs to log a virtual user in: run them as root, as CI does"
        );
        // pure-ftpd logs its user in as `nobody`, who must reach and write the root.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let root = dir.path().join("root");
        fs::create_dir(&root).unwrap();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o777)).unwrap();
        add_user(dir.path(), &root);
        let (fingerprint, openssl_fingerprint) = match offer {
            Offer::Plain => Default::default(),
            Offer::Tls | Offer::TlsOnly => fingerprints(&make_certificate(dir.path())),
        };
        let (port, child) = launch(&pure_ftpd, dir.path(), offer);
        FtpServer {
            dir,
            root,
            port,
            child,
            tls,
            tls_certificate: (offer != Offer::Plain).then(|| fingerprint.clone()),
            fingerprint,
            openssl_fingerprint,
            log_read: Cell::new(0),
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("transfers.log")
    }

    /// The site path of one `PUT` line of the transfer log:
    /// `127.0.0.1 - jiedao [date] "PUT /tmp/.../root/a/.b.html.streetpress-upload" 200 12`.
    fn uploaded(&self, line: &str) -> Option<String> {
        let (_, rest) = line.split_once("\"PUT ")?;
        let (disk, _) = rest.split_once('"')?;
        // Names outside ASCII come %-encoded (`tags/%E7%A4%BE%E5%8C%BA/...`).
        let disk = percent_encoding::percent_decode_str(disk).decode_utf8_lossy();
        let path = disk
            .strip_prefix(self.root.to_str()?)?
            .trim_start_matches('/');
        Some(final_name(path))
    }
}

impl Drop for FtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `a/.b.html.streetpress-upload` → `a/b.html`.
fn final_name(path: &str) -> String {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (Some(folder), name),
        None => (None, path),
    };
    let name = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".streetpress-upload"))
        .unwrap_or(name);
    match folder {
        Some(folder) => format!("{folder}/{name}"),
        None => name.to_string(),
    }
}

fn installed(program: &str) -> PathBuf {
    let path = PathBuf::from(program);
    assert!(
        path.exists(),
        "{program} is not installed: run `bash scripts/servers/install.sh`"
    );
    path
}

/// The test's user, in a users database of the server's own. The password
/// is kept as a SHA-512 crypt hash, which checks at once: pure-pw's own
/// argon2 takes seconds a login on a busy machine.
fn add_user(dir: &Path, root: &Path) {
    let hash = Command::new(installed("/usr/bin/openssl"))
        .args(["passwd", "-6", PASSWORD])
        .output()
        .unwrap();
    assert!(hash.status.success(), "openssl passwd failed");
    let hash = String::from_utf8(hash.stdout).unwrap();
    // user:hash:uid:gid:gecos:home, `/./` shutting the user in (chroot).
    let users = dir.join("users");
    let line = format!(
        "{USER}:{}:{NOBODY}:{NOBODY}::{}/./::::::::::::\n",
        hash.trim(),
        root.display()
    );
    fs::write(&users, line).unwrap();
    let status = Command::new(installed("/usr/bin/pure-pw"))
        .arg("mkdb")
        .arg(dir.join("users.pdb"))
        .arg("-f")
        .arg(&users)
        .status()
        .unwrap();
    assert!(status.success(), "pure-pw mkdb failed");
}

/// A self-signed certificate for 127.0.0.1, `cert.pem` in `dir` (and its
/// key, `key.pem`), as an intranet server makes its own; returns its path.
fn make_certificate(dir: &Path) -> PathBuf {
    let status = Command::new(installed("/usr/bin/openssl"))
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "openssl could not make a certificate");
    dir.join("cert.pem")
}

/// The certificate's SHA-256 fingerprint as OpenSSH prints one
/// (`SHA256:` and base64 without padding), and as openssl prints it
/// (`AB:CD:...`): both computed by openssl, apart from the deploy's own code.
fn fingerprints(certificate: &Path) -> (String, String) {
    let openssl = installed("/usr/bin/openssl");
    let printed = Command::new(&openssl)
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(certificate)
        .output()
        .unwrap();
    assert!(printed.status.success(), "openssl x509 -fingerprint failed");
    // `sha256 Fingerprint=AB:CD:...`
    let printed = String::from_utf8(printed.stdout).unwrap();
    let (_, hex) = printed.trim().split_once('=').unwrap();
    assert_eq!(hex.len(), 32 * 3 - 1, "{printed}");
    let base64 = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" x509 -in "$1" -outform DER | "$0" dgst -sha256 -binary | "$0" base64 -A"#)
        .arg(&openssl)
        .arg(certificate)
        .output()
        .unwrap();
    assert!(base64.status.success(), "openssl dgst failed");
    let base64 = String::from_utf8(base64.stdout).unwrap();
    let base64 = base64.trim().trim_end_matches('=');
    assert_eq!(base64.len(), 43, "{base64}");
    (format!("SHA256:{base64}"), hex.to_string())
}

/// Starts pure-ftpd on a free port of loopback, in the foreground, and
/// waits for its greeting; tries another port if one was taken meanwhile.
fn launch(pure_ftpd: &Path, dir: &Path, offer: Offer) -> (u16, Child) {
    for _ in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let tls = match offer {
            Offer::Plain => "0",
            Offer::Tls => "1",
            Offer::TlsOnly => "3",
        };
        let mut command = Command::new(pure_ftpd);
        command
            .arg("-S")
            .arg(format!("127.0.0.1,{port}"))
            .arg("-l")
            .arg(format!("puredb:{}", dir.join("users.pdb").display()))
            // No anonymous users, no name lookups, no syslog.
            .args(["-E", "-H", "-f", "none"])
            .arg("-O")
            .arg(format!("clf:{}", dir.join("transfers.log").display()))
            .args(["-Y", tls]);
        // Passive ports are left to the system: each a free one of
        // loopback, so tests running side by side never meet.
        if offer != Offer::Plain {
            command.arg("-2").arg(format!(
                "{},{}",
                dir.join("cert.pem").display(),
                dir.join("key.pem").display()
            ));
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.join("server.log")).unwrap())
            .spawn()
            .unwrap();
        if greets(port, &mut child) {
            return (port, child);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    let log = fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    panic!("pure-ftpd did not start:\n{log}");
}

/// Whether the server on `port`, our child, says hello within five seconds.
fn greets(port: u16, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            return false;
        }
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut line = String::new();
            let _ = BufReader::new(stream).read_line(&mut line);
            // Still ours: not another server that took the port meanwhile.
            return line.starts_with("220") && child.try_wait().ok().flatten().is_none();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

impl Server for FtpServer {
    fn deploy_toml(&self) -> String {
        let mut toml = format!(
            "[[deploy]]\nname = \"测试\"\nkind = \"ftp\"\nhost = \"127.0.0.1\"\nport = {}\nuser = \"{USER}\"\npath = \"/\"\npassword_env = \"{PASSWORD_ENV}\"\ntls = \"{}\"\n",
            self.port, self.tls
        );
        if let Some(pin) = &self.tls_certificate {
            toml.push_str(&format!("tls_certificate = \"{pin}\"\n"));
        }
        toml
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![(PASSWORD_ENV.to_string(), PASSWORD.to_string())]
    }

    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        super::super::support::tree(&self.root)
            .into_iter()
            .collect()
    }

    fn put_foreign(&self, path: &str, bytes: &[u8]) {
        let disk = self.root.join(path);
        let folder = disk.parent().unwrap();
        fs::create_dir_all(folder).unwrap();
        fs::write(&disk, bytes).unwrap();
        // Written as root; the server, as nobody, may replace it.
        fs::set_permissions(folder, fs::Permissions::from_mode(0o777)).unwrap();
        fs::set_permissions(&disk, fs::Permissions::from_mode(0o666)).unwrap();
    }

    fn take_uploads(&self) -> BTreeSet<String> {
        let log = fs::read(self.log()).unwrap_or_default();
        let start = self.log_read.get().min(log.len());
        // Whole lines only: the server may be writing the next one.
        let Some(end) = log[start..].iter().rposition(|&b| b == b'\n') else {
            return BTreeSet::new();
        };
        let lines = String::from_utf8_lossy(&log[start..start + end + 1]).into_owned();
        self.log_read.set(start + end + 1);
        lines
            .lines()
            .filter_map(|line| self.uploaded(line))
            .collect()
    }
}

/// Both streams of a run: for a failed assertion, and to look for secrets in.
fn both(run: &super::super::support::Run) -> String {
    format!("stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr)
}

#[test]
fn publishes_only_what_changed() {
    // "auto" against a server that takes FTPS only: the deploy chose TLS.
    super::publishes_only_what_changed(&FtpServer::start(Offer::TlsOnly, "auto"));
}

#[test]
fn dry_run_sends_nothing() {
    super::dry_run_sends_nothing(&FtpServer::start(Offer::Plain, "never"));
}

#[test]
fn an_interrupted_deploy_is_finished_by_the_next() {
    // The pin as openssl prints it.
    let mut server = FtpServer::start(Offer::Tls, "always");
    server.tls_certificate = Some(server.openssl_fingerprint.clone());
    super::an_interrupted_deploy_is_finished_by_the_next(&server);
}

#[test]
fn a_cut_connection_is_retried() {
    super::a_cut_connection_is_retried(&FtpServer::start(Offer::TlsOnly, "always"));
}

#[test]
fn auto_falls_back_to_plain_ftp_with_a_warning() {
    let server = FtpServer::start(Offer::Plain, "auto");
    let site = site_for(&server);
    let run = deploy_ok(&site, &server, &[]);
    assert!(run.stderr.contains("不支持加密"), "{}", both(&run));
    let mut files = server.files();
    files.remove(super::MANIFEST);
    assert_eq!(files, output(&site));
}

#[test]
fn a_pinned_certificate_never_falls_back_to_plain_ftp() {
    // Someone in between could answer without TLS to read the password.
    let mut server = FtpServer::start(Offer::Plain, "auto");
    server.tls_certificate = Some(format!("SHA256:{}", "A".repeat(43)));
    let site = site_for(&server);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(run.stderr.contains("没有用加密"), "{}", both(&run));
    assert!(server.files().is_empty());
}

#[test]
fn always_refuses_a_server_without_tls() {
    let server = FtpServer::start(Offer::Plain, "always");
    let site = site_for(&server);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(run.stderr.contains("没有用加密"), "{}", both(&run));
    assert!(server.files().is_empty());
}

#[test]
fn an_untrusted_certificate_stops_the_deploy_and_is_not_bypassed() {
    let mut server = FtpServer::start(Offer::Tls, "auto");
    server.tls_certificate = None;
    let site = site_for(&server);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(
        run.stderr.contains("不是公认的机构签发的"),
        "{}",
        both(&run)
    );
    // The server's fingerprint, to check with whoever runs it, and the line to add.
    let pin = format!("tls_certificate = \"{}\"", server.fingerprint);
    assert!(run.stderr.contains(&pin), "{pin}\n{}", both(&run));
    assert!(
        server.files().is_empty() && server.take_uploads().is_empty(),
        "nothing went over plain FTP instead"
    );
}

#[test]
fn a_certificate_that_is_not_the_pinned_one_stops_the_deploy() {
    // Pinned to another certificate, as if the server had renewed its own.
    let mut server = FtpServer::start(Offer::TlsOnly, "always");
    let other = tempfile::tempdir().unwrap();
    let (pinned, _) = fingerprints(&make_certificate(other.path()));
    assert_ne!(pinned, server.fingerprint);
    server.tls_certificate = Some(pinned.clone());
    let site = site_for(&server);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(
        run.stderr.contains("不是 site.toml 里记录的那一张"),
        "{}",
        both(&run)
    );
    assert!(run.stderr.contains(&pinned), "{}", both(&run));
    let new = format!("改成 \"{}\"", server.fingerprint);
    assert!(run.stderr.contains(&new), "{new}\n{}", both(&run));
    assert!(server.files().is_empty() && server.take_uploads().is_empty());
}

#[test]
fn a_wrong_password_is_named_and_never_shown() {
    let server = FtpServer::start(Offer::Plain, "never");
    let site = site_for(&server);
    let wrong = "Wrong-Pass-4242";
    let mut command = site.command(&["deploy"]);
    for (key, value) in server.env() {
        command.env(key, value);
    }
    let run: super::super::support::Run = command.env(PASSWORD_ENV, wrong).output().unwrap().into();
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(run.stderr.contains("登录“测试”失败"), "{}", both(&run));
    for secret in [wrong, PASSWORD] {
        assert!(!both(&run).contains(secret), "{}", both(&run));
    }
    assert!(server.files().is_empty());
}

#[test]
fn a_closed_port_is_named() {
    let server = FtpServer::start(Offer::Plain, "never");
    let site = site_for(&server);
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace(
            &format!("port = {}", server.port),
            &format!("port = {closed}"),
        ),
    );
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(run.stderr.contains("连不上“测试”"), "{}", both(&run));
}

#[test]
fn a_folder_that_is_not_on_the_server_is_named() {
    let server = FtpServer::start(Offer::Plain, "never");
    let site = site_for(&server);
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("path = \"/\"", "path = \"/没有这个文件夹\""),
    );
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", both(&run));
    assert!(
        run.stderr.contains("服务器上没有文件夹 /没有这个文件夹"),
        "{}",
        both(&run)
    );
    assert!(server.files().is_empty());
}
