//! `kind = "sftp"` against a real server on loopback: OpenSSH's sshd,
//! started for each test with its own host keys, config and port in a
//! temporary folder, logging in with a key pair made for the test.
//!
//! What the server saw written comes from sftp-server's own log (`-l
//! INFO`: one line per file opened). sshd's `internal-sftp` logs only to
//! syslog, so the subsystem is the separate `sftp-server`, its log sent to
//! a file. It writes each line before it answers the open, so by the time
//! a deploy has finished, every file it wrote is in the log.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{site_for, Server};
use crate::support::{Fixture, Run, SITE_TOML};

const SSHD: &str = "/usr/sbin/sshd";
/// Where systems put OpenSSH's sftp-server (Debian first).
const SFTP_SERVERS: [&str; 3] = [
    "/usr/lib/openssh/sftp-server",
    "/usr/libexec/openssh/sftp-server",
    "/usr/lib/ssh/sftp-server",
];
const INSTALL: &str = "run `bash scripts/servers/install.sh` to install it";

struct SftpServer {
    dir: tempfile::TempDir,
    sshd: Child,
    port: u16,
    /// How far `take_uploads` has read the sftp-server log.
    log_read: Cell<u64>,
}

impl SftpServer {
    fn start() -> SftpServer {
        assert!(
            Path::new(SSHD).exists(),
            "OpenSSH's sshd is not installed ({SSHD}): {INSTALL}"
        );
        let sftp_server = SFTP_SERVERS
            .iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("OpenSSH's sftp-server is not installed: {INSTALL}"));
        privilege_separation_folder();
        let dir = tempfile::tempdir().unwrap();
        for (name, kind) in [
            ("host_ed25519", "ed25519"),
            ("host_ecdsa", "ecdsa"),
            ("client", "ed25519"),
        ] {
            keygen(&dir.path().join(name), kind, "");
        }
        std::fs::copy(
            dir.path().join("client.pub"),
            dir.path().join("authorized_keys"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("www")).unwrap();
        // A port found free may be taken before sshd binds it: try another.
        for _ in 0..5 {
            let port = free_port();
            let config = sshd_config(dir.path(), port, sftp_server);
            std::fs::write(dir.path().join("sshd_config"), config).unwrap();
            let mut sshd = start_sshd(dir.path());
            match wait_until_listening(&mut sshd, &dir.path().join("sshd.log")) {
                Ok(()) => {
                    return SftpServer {
                        dir,
                        sshd,
                        port,
                        log_read: Cell::new(0),
                    }
                }
                Err(log) => {
                    let _ = sshd.kill();
                    let _ = sshd.wait();
                    assert!(
                        log.contains("Address already in use"),
                        "sshd did not start:\n{log}"
                    );
                }
            }
        }
        panic!("no free port for sshd");
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn www(&self) -> PathBuf {
        self.path("www")
    }

    /// `SHA256:...` of one of the server's keys, as `ssh-keygen -lf` prints it.
    fn fingerprint(&self, key: &str) -> String {
        let out = Command::new("ssh-keygen")
            .arg("-lf")
            .arg(self.path(&format!("{key}.pub")))
            .output()
            .unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        line.split_whitespace().nth(1).unwrap().to_string()
    }

    /// The `[[deploy]]` table for this server with these lines for logging
    /// in and checking its key.
    fn table(&self, lines: &str) -> String {
        format!(
            "[[deploy]]\nname = \"测试\"\nkind = \"sftp\"\nhost = \"127.0.0.1\"\nport = {}\nuser = {:?}\npath = {:?}\n{lines}",
            self.port,
            user(),
            self.www().to_str().unwrap()
        )
    }

    fn key_lines(&self) -> String {
        format!("key = {:?}\n", self.path("client").to_str().unwrap())
    }
}

impl Drop for SftpServer {
    fn drop(&mut self) {
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

impl Server for SftpServer {
    fn deploy_toml(&self) -> String {
        let host_key = format!("host_key = {:?}\n", self.fingerprint("host_ed25519"));
        self.table(&(self.key_lines() + &host_key))
    }

    fn env(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        crate::support::tree(&self.www()).into_iter().collect()
    }

    fn put_foreign(&self, path: &str, bytes: &[u8]) {
        let disk = self.www().join(path);
        std::fs::create_dir_all(disk.parent().unwrap()).unwrap();
        std::fs::write(disk, bytes).unwrap();
    }

    fn take_uploads(&self) -> BTreeSet<String> {
        let Ok(mut log) = std::fs::File::open(self.path("sftp.log")) else {
            return BTreeSet::new();
        };
        let mut text = Vec::new();
        log.seek(SeekFrom::Start(self.log_read.get())).unwrap();
        log.read_to_end(&mut text).unwrap();
        // Only whole lines: the rest is read next time.
        let whole = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        self.log_read.set(self.log_read.get() + whole as u64);
        let text = String::from_utf8_lossy(&text[..whole]);
        let www = format!("{}/", self.www().to_str().unwrap());
        text.lines()
            .filter_map(opened_for_writing)
            .filter_map(|path| Some(final_name(path.strip_prefix(&www)?)))
            .collect()
    }
}

/// The file an sftp-server log line says was opened for writing:
/// `open "/x/.a.html.streetpress-upload" flags WRITE,CREATE,TRUNCATE mode 0666`.
fn opened_for_writing(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("open \"")?;
    let (name, rest) = rest.rsplit_once("\" flags ")?;
    let flags = rest.split_whitespace().next()?;
    flags.split(',').any(|f| f == "WRITE").then(|| unvis(name))
}

/// OpenSSH logs a name with `\\` for `\` and `\ooo` for other bytes
/// (the UTF-8 of a Chinese name, say).
fn unvis(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u8::from_str_radix(d, 8).ok());
        match (bytes[i], octal) {
            (b'\\', Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (b'\\', None) if bytes.get(i + 1) == Some(&b'\\') => {
                out.push(b'\\');
                i += 2;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/.b.html.streetpress-upload` → `a/b.html`.
fn final_name(path: &str) -> String {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), path),
    };
    match name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".streetpress-upload"))
    {
        Some(name) => format!("{folder}{name}"),
        None => path.to_string(),
    }
}

fn sshd_config(dir: &Path, port: u16, sftp_server: &str) -> String {
    let at = |name: &str| dir.join(name).to_str().unwrap().to_string();
    // The subsystem runs through the user's shell, so its log can go to a file.
    format!(
        "Port {port}
ListenAddress 127.0.0.1
HostKey {}
HostKey {}
PidFile none
AuthorizedKeysFile {}
StrictModes no
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
LogLevel INFO
Subsystem sftp {sftp_server} -e -l INFO 2>>{}
",
        at("host_ed25519"),
        at("host_ecdsa"),
        at("authorized_keys"),
        at("sftp.log"),
    )
}

/// sshd run as root wants its empty privilege separation folder, which
/// the system's service manager makes at boot and a container lacks.
fn privilege_separation_folder() {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if is_root {
        let _ = std::fs::create_dir_all("/run/sshd");
    }
}

fn keygen(path: &Path, kind: &str, passphrase: &str) {
    // `-a 1`: the fewest key derivation rounds, so opening an encrypted
    // key in a debug build stays quick.
    let status = Command::new("ssh-keygen")
        .args([
            "-q", "-a", "1", "-t", kind, "-N", passphrase, "-C", "test", "-f",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("ssh-keygen does not run ({e}): {INSTALL}"));
    assert!(status.success(), "ssh-keygen -t {kind} failed");
}

/// sshd in the foreground, logging to `sshd.log` in `dir`.
fn start_sshd(dir: &Path) -> Child {
    let log = std::fs::File::create(dir.join("sshd.log")).unwrap();
    Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("{SSHD} does not start ({e}): {INSTALL}"))
}

/// Waits for sshd to say it listens; its log if it stopped or took too long.
fn wait_until_listening(sshd: &mut Child, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let said = std::fs::read_to_string(log).unwrap_or_default();
        if said.contains("Server listening on") {
            return Ok(());
        }
        if sshd.try_wait().ok().flatten().is_some() || Instant::now() > deadline {
            return Err(said);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A site set to deploy with this `[[deploy]]` table instead.
fn site_with(server: &SftpServer, table: &str) -> Fixture {
    let site = site_for(server);
    site.write("site.toml", &format!("{SITE_TOML}\n{table}"));
    site
}

fn deploy_with(site: &Fixture, env: &[(&str, &str)]) -> Run {
    let mut command = site.command(&["deploy"]);
    command.env("STREETPRESS_DEPLOY_FIRST_WAIT_MS", "50");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run").into()
}

/// A home folder for the deploy with this known_hosts file in it.
fn home_with_known_hosts(server: &SftpServer, lines: &str) -> PathBuf {
    let home = server.path("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/known_hosts"), lines).unwrap();
    home
}

#[test]
fn publishes_only_what_changed() {
    super::publishes_only_what_changed(&SftpServer::start());
}

#[test]
fn dry_run_sends_nothing() {
    super::dry_run_sends_nothing(&SftpServer::start());
}

#[test]
fn an_interrupted_deploy_is_finished_by_the_next() {
    super::an_interrupted_deploy_is_finished_by_the_next(&SftpServer::start());
}

#[test]
fn a_cut_connection_is_retried() {
    super::a_cut_connection_is_retried(&SftpServer::start());
}

#[test]
fn a_wrong_host_key_is_refused_and_the_real_one_shown() {
    let server = SftpServer::start();
    let wrong = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    let site = site_with(
        &server,
        &server.table(&format!("{}host_key = {wrong:?}\n", server.key_lines())),
    );
    let run = deploy_with(&site, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("服务器身份"), "{}", run.stderr);
    // Every key the server has is shown, any of them may be checked.
    for key in ["host_ed25519", "host_ecdsa"] {
        let print = server.fingerprint(key);
        assert!(
            run.stderr.contains(&print),
            "{print} not in:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("host_key"), "{}", run.stderr);
    assert!(server.files().is_empty());
    assert_eq!(server.take_uploads(), BTreeSet::new());
}

#[test]
fn a_server_not_in_known_hosts_is_refused_with_what_to_write() {
    let server = SftpServer::start();
    let site = site_with(&server, &server.table(&server.key_lines()));
    let home = home_with_known_hosts(&server, "");
    let run = deploy_with(&site, &[("HOME", home.to_str().unwrap())]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let print = server.fingerprint("host_ed25519");
    assert!(
        run.stderr.contains(&format!("host_key = \"{print}\"")),
        "{}",
        run.stderr
    );
    assert!(server.files().is_empty());
}

#[test]
fn a_server_in_known_hosts_is_trusted_by_any_of_its_keys() {
    let server = SftpServer::start();
    let site = site_with(&server, &server.table(&server.key_lines()));
    // Only the ECDSA key is recorded; the server shows its ED25519 key first.
    let ecdsa = std::fs::read_to_string(server.path("host_ecdsa.pub")).unwrap();
    let line = format!("[127.0.0.1]:{} {}", server.port, ecdsa.trim());
    let home = home_with_known_hosts(&server, &format!("# made by the test\n{line}\n"));
    let run = deploy_with(&site, &[("HOME", home.to_str().unwrap())]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        super::site_files(&server, &[]),
        super::output(&site),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let server = SftpServer::start();
    let password = "Wr0ng-Passw0rd-7391";
    let lines = format!(
        "password_env = \"STREETPRESS_TEST_SFTP_PASSWORD\"\nhost_key = {:?}\n",
        server.fingerprint("host_ed25519")
    );
    let site = site_with(&server, &server.table(&lines));
    let run = deploy_with(&site, &[("STREETPRESS_TEST_SFTP_PASSWORD", password)]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("登录“测试”失败"), "{}", run.stderr);
    assert!(
        !run.stderr.contains(password) && !run.stdout.contains(password),
        "the password was shown:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(server.files().is_empty());
}

#[test]
fn an_encrypted_key_is_opened_with_the_passphrase_in_passphrase_env() {
    let server = SftpServer::start();
    let passphrase = "Passphrase-5512";
    keygen(&server.path("locked"), "ed25519", passphrase);
    let public = std::fs::read_to_string(server.path("locked.pub")).unwrap();
    std::fs::write(server.path("authorized_keys"), public).unwrap();
    let var = "STREETPRESS_TEST_PASSPHRASE";
    let key = format!(
        "key = {:?}\nhost_key = {:?}\n",
        server.path("locked").to_str().unwrap(),
        server.fingerprint("host_ed25519")
    );
    let failing = |site: &Fixture, env: &[(&str, &str)], said: &str| {
        let run = deploy_with(site, env);
        assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(said), "{said} not in:\n{}", run.stderr);
        run
    };
    // No passphrase_env: the message says to add one.
    let site = site_with(&server, &server.table(&key));
    failing(&site, &[], "passphrase_env = ");
    // Named but not set, then set wrong, then right.
    let lines = format!("{key}passphrase_env = \"{var}\"\n");
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n{}", server.table(&lines)),
    );
    failing(&site, &[], var);
    let wrong = "Not-The-Passphrase-88";
    let run = failing(&site, &[(var, wrong)], "密码不对");
    assert!(!run.stderr.contains(wrong) && !run.stdout.contains(wrong));
    let run = deploy_with(&site, &[(var, passphrase)]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains(passphrase) && !run.stdout.contains(passphrase));
    assert_eq!(super::site_files(&server, &[]), super::output(&site));
}

#[test]
fn a_closed_port_cannot_be_reached() {
    let server = SftpServer::start();
    let site = site_for(&server);
    let closed = free_port();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace(
            &format!("port = {}", server.port),
            &format!("port = {closed}"),
        ),
    );
    let started = Instant::now();
    let run = deploy_with(&site, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("连不上“测试”"), "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_folder_not_on_the_server_is_not_made() {
    let server = SftpServer::start();
    let site = site_for(&server);
    let www = server.www();
    let missing = www.join("jiedao");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace(
            &format!("path = {:?}", www.to_str().unwrap()),
            &format!("path = {:?}", missing.to_str().unwrap()),
        ),
    );
    let run = deploy_with(&site, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("服务器上没有文件夹"), "{}", run.stderr);
    assert!(!missing.exists());
    assert!(server.files().is_empty());
}

#[test]
fn log_lines_are_read_back_into_site_paths() {
    let line =
        r#"open "/w/a/.index.html.streetpress-upload" flags WRITE,CREATE,TRUNCATE mode 0666"#;
    let path = opened_for_writing(line).unwrap();
    assert_eq!(
        final_name(path.strip_prefix("/w/").unwrap()),
        "a/index.html"
    );
    assert_eq!(
        opened_for_writing(r#"open "/w/.m.json" flags READ mode 0666"#),
        None
    );
    assert_eq!(unvis(r"tags/\347\244\276"), "tags/社");
    assert_eq!(final_name("index.html"), "index.html");
}

#[test]
fn a_large_file_arrives_whole_and_is_replaced_whole() {
    let server = SftpServer::start();
    let site = site_for(&server);
    // Many write requests in flight at once, and not a multiple of any piece size.
    let mut state = 0x2545_f491_u32;
    let mut big: Vec<u8> = (0..2_500_001)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    site.write_bytes("themes/default/static/video/intro.bin", &big);
    super::deploy_ok(&site, &server, &[]);
    assert_eq!(super::site_files(&server, &[]), super::output(&site));
    big[1_234_567] ^= 0xff;
    big.truncate(2_000_000);
    site.write_bytes("themes/default/static/video/intro.bin", &big);
    super::deploy_ok(&site, &server, &[]);
    let files = super::site_files(&server, &[]);
    assert_eq!(files, super::output(&site));
    assert!(files.values().any(|bytes| *bytes == big));
}
