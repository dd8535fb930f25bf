//! `kind = "s3"` against moto's S3-compatible server on loopback (installed
//! by scripts/servers/install.sh). A boto3 helper, a client independent of
//! the deploy's, looks at the bucket; moto's request log counts the uploads.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::super::support::Run;
use super::{deploy, deploy_ok, site_for, Server};

const BUCKET: &str = "jiedao-test";
const PREFIX: &str = "jiedao/site";
const KEY_ENV: &str = "STREETPRESS_TEST_S3_ACCESS_KEY";
const SECRET_ENV: &str = "STREETPRESS_TEST_S3_SECRET_KEY";
const SECRET: &str = "Test-Secret-s3-7q2";
const INSTALL: &str =
    "moto (an S3-compatible server) and boto3 are needed for python3: run `bash scripts/servers/install.sh`";

/// Loopback is never reached through a developer's proxy.
const NO_PROXY: [(&str, &str); 2] = [("NO_PROXY", "*"), ("no_proxy", "*")];

/// Looks at the bucket for the tests: one command a line on stdin, one JSON
/// answer a line on stdout, so boto3 is imported once per server.
const HELPER: &str = r#"
import json, sys
import boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id="helper", aws_secret_access_key="helper",
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
bucket = sys.argv[2]
def run(command):
    op = command["op"]
    if op == "create":
        s3.create_bucket(Bucket=bucket)
    elif op == "files":
        files = {}
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=command["prefix"])
        for page in pages:
            for item in page.get("Contents", []):
                body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                files[item["Key"]] = body.hex()
        return files
    elif op == "put":
        s3.put_object(Bucket=bucket, Key=command["key"], Body=bytes.fromhex(command["hex"]))
    elif op == "type":
        return s3.head_object(Bucket=bucket, Key=command["key"])["ContentType"]
for line in sys.stdin:
    try:
        answer = {"ok": run(json.loads(line))}
    except Exception as error:
        answer = {"error": repr(error)}
    print(json.dumps(answer), flush=True)
"#;

struct Helper {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

struct MotoServer {
    moto: Child,
    port: u16,
    /// moto's log lines not yet looked at, read from its stderr by a thread.
    log: Arc<Mutex<Vec<String>>>,
    helper: RefCell<Helper>,
    syncs: Cell<u32>,
}

impl MotoServer {
    fn new() -> MotoServer {
        MotoServer::start(&[])
    }

    /// moto checking keys: only the helper's first request (making the
    /// bucket) goes through without one it knows.
    fn checking_keys() -> MotoServer {
        MotoServer::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", "1")])
    }

    fn start(env: &[(&str, &str)]) -> MotoServer {
        // A port can be taken between finding it free and moto binding it.
        let mut said = String::new();
        for _ in 0..3 {
            let port = free_port();
            let mut moto = Command::new("python3")
                .args(["-m", "moto.server", "-H", "127.0.0.1", "-p"])
                .arg(port.to_string())
                .envs(env.iter().copied())
                .env("PYTHONUNBUFFERED", "1")
                .envs(NO_PROXY)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run python3 ({e}): {INSTALL}"));
            let log = read_lines(moto.stderr.take().unwrap());
            // boto3 loads while moto does.
            let helper = Helper::start(port);
            if wait_for_port(&mut moto, port) {
                let server = MotoServer {
                    moto,
                    port,
                    log,
                    helper: RefCell::new(helper),
                    syncs: Cell::new(0),
                };
                server.ask(serde_json::json!({"op": "create"}));
                return server;
            }
            let _ = moto.kill();
            let _ = moto.wait();
            said = log.lock().unwrap().join("\n");
            assert!(!said.contains("No module named"), "{INSTALL}\n{said}");
        }
        panic!("moto did not start:\n{said}");
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn ask(&self, command: serde_json::Value) -> serde_json::Value {
        let mut helper = self.helper.borrow_mut();
        writeln!(helper.input, "{command}").expect("write to the boto3 helper");
        let mut line = String::new();
        helper.output.read_line(&mut line).unwrap();
        assert!(
            !line.is_empty(),
            "the boto3 helper stopped on {command}: {INSTALL}"
        );
        let mut answer: serde_json::Value = serde_json::from_str(&line).unwrap();
        if let Some(error) = answer.get("error") {
            panic!("boto3 failed on {command}: {error}");
        }
        answer["ok"].take()
    }

    /// Every object under `prefix`, by its full key.
    fn objects(&self, prefix: &str) -> BTreeMap<String, Vec<u8>> {
        let answer = self.ask(serde_json::json!({"op": "files", "prefix": prefix}));
        answer
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, hex)| (key.clone(), unhex(hex.as_str().unwrap())))
            .collect()
    }

    fn put_key(&self, key: &str, bytes: &[u8]) {
        self.ask(serde_json::json!({"op": "put", "key": key, "hex": hex(bytes)}));
    }

    fn content_type(&self, path: &str) -> String {
        let key = format!("{PREFIX}/{path}");
        let answer = self.ask(serde_json::json!({"op": "type", "key": key}));
        answer.as_str().unwrap().to_string()
    }

    /// moto's log up to now: a request of our own is sent, and the lines
    /// are taken once it shows, so every earlier request has shown too.
    fn take_log(&self) -> Vec<String> {
        let mark = format!("/streetpress-sync-{}", self.syncs.get());
        self.syncs.set(self.syncs.get() + 1);
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {mark} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let _ = stream.read_to_end(&mut Vec::new());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut log = self.log.lock().unwrap();
            if let Some(end) = log.iter().position(|l| l.contains(&format!("GET {mark} "))) {
                return log.drain(..=end).collect();
            }
            drop(log);
            assert!(Instant::now() < deadline, "moto did not log {mark}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.moto.kill();
        let _ = self.moto.wait();
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Helper {
    fn start(port: u16) -> Helper {
        let mut child = Command::new("python3")
            .args(["-c", HELPER, &format!("http://127.0.0.1:{port}"), BUCKET])
            .envs(NO_PROXY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run python3 ({e}): {INSTALL}"));
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        Helper {
            child,
            input,
            output,
        }
    }
}

impl Server for MotoServer {
    fn deploy_toml(&self) -> String {
        format!(
            "[[deploy]]\nname = \"测试\"\nkind = \"s3\"\nendpoint = \"{}\"\nbucket = \"{BUCKET}\"\n\
             prefix = \"{PREFIX}\"\nregion = \"us-east-1\"\naccess_key_env = \"{KEY_ENV}\"\n\
             secret_key_env = \"{SECRET_ENV}\"\npath_style = true\n",
            self.endpoint()
        )
    }

    fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            (KEY_ENV.into(), "AKIDSTREETPRESSTEST".into()),
            (SECRET_ENV.into(), SECRET.into()),
        ];
        env.extend(NO_PROXY.map(|(k, v)| (k.into(), v.into())));
        env
    }

    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let prefix = format!("{PREFIX}/");
        self.objects(&prefix)
            .into_iter()
            .filter_map(|(key, bytes)| Some((key.strip_prefix(&prefix)?.to_string(), bytes)))
            .collect()
    }

    fn put_foreign(&self, path: &str, bytes: &[u8]) {
        self.put_key(&format!("{PREFIX}/{path}"), bytes);
        self.take_log();
    }

    fn take_uploads(&self) -> BTreeSet<String> {
        let site = format!("/{BUCKET}/{PREFIX}/");
        self.take_log()
            .iter()
            .filter_map(|line| match request(line)? {
                ("PUT", path, true) => path.strip_prefix(&site).map(str::to_string),
                _ => None,
            })
            .collect()
    }
}

/// The method, decoded path and success of a request, from a line of
/// werkzeug's log: `127.0.0.1 - - [date] "PUT /bucket/key HTTP/1.1" 200 -`.
fn request(line: &str) -> Option<(&str, String, bool)> {
    let (_, request) = line.split_once('"')?;
    let (method, request) = request.split_once(' ')?;
    let (target, rest) = request.split_once(" HTTP/")?;
    let ok = rest.split_once("\" ")?.1.starts_with('2');
    let path = target.split('?').next()?;
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    Some((method, path.into_owned(), ok))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether moto answers on `port` within 15 s (false when it exits).
fn wait_for_port(moto: &mut Child, port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        if moto.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn read_lines(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn no_secret(run: &Run) {
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "the secret key was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn publishes_only_what_changed() {
    super::publishes_only_what_changed(&MotoServer::new());
}

#[test]
fn dry_run_sends_nothing() {
    super::dry_run_sends_nothing(&MotoServer::new());
}

#[test]
fn an_interrupted_deploy_is_finished_by_the_next() {
    super::an_interrupted_deploy_is_finished_by_the_next(&MotoServer::new());
}

#[test]
fn a_cut_connection_is_retried() {
    super::a_cut_connection_is_retried(&MotoServer::new());
}

#[test]
fn pages_are_served_as_web_pages_and_nothing_beside_the_prefix_is_touched() {
    let server = MotoServer::new();
    // A prefix that starts like ours, and a file at the top of the bucket.
    let beside = [
        (format!("{PREFIX}-old/index.html"), b"old site".to_vec()),
        ("readme.txt".to_string(), b"top".to_vec()),
    ];
    for (key, bytes) in &beside {
        server.put_key(key, bytes);
    }
    let site = site_for(&server);
    server.take_log();
    let run = deploy_ok(&site, &server, &[]);
    no_secret(&run);
    assert_eq!(
        server.content_type("index.html"),
        "text/html; charset=utf-8"
    );
    assert_eq!(
        server.content_type("rss.xml"),
        "application/rss+xml; charset=utf-8"
    );
    let all = server.objects("");
    for (key, bytes) in &beside {
        assert_eq!(all.get(key), Some(bytes), "{key} was changed");
    }
    let site_keys = format!("/{BUCKET}/{PREFIX}/");
    let outside: Vec<String> = server
        .take_log()
        .iter()
        .filter_map(|line| request(line))
        .filter(|(method, path, _)| {
            ["PUT", "DELETE"].contains(method) && !path.starts_with(&site_keys)
        })
        .map(|(method, path, _)| format!("{method} {path}"))
        .collect();
    assert_eq!(outside, Vec::<String>::new(), "written beside the prefix");
}

#[test]
fn a_missing_bucket_is_named() {
    let server = MotoServer::new();
    let site = site_for(&server);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace(&format!("\"{BUCKET}\""), "\"jiedao-missing\""),
    );
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("存储桶“jiedao-missing”不存在"),
        "{}",
        run.stderr
    );
    no_secret(&run);
}

#[test]
fn a_closed_port_is_unreachable() {
    let server = MotoServer::new();
    let site = site_for(&server);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let closed = format!("http://127.0.0.1:{}", free_port());
    site.write("site.toml", &toml.replace(&server.endpoint(), &closed));
    let started = Instant::now();
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("连不上“测试”"), "{}", run.stderr);
    assert!(run.stderr.contains(&closed), "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a refused connection is not retried"
    );
    no_secret(&run);
}

#[test]
fn an_unknown_key_is_a_failed_login() {
    let server = MotoServer::checking_keys();
    let site = site_for(&server);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("登录“测试”失败"), "{}", run.stderr);
    assert!(run.stderr.contains("InvalidAccessKeyId"), "{}", run.stderr);
    assert!(run.stderr.contains(SECRET_ENV), "{}", run.stderr);
    no_secret(&run);
}
