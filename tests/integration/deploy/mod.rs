//! `streetpress deploy` against real targets: a folder here, and real SFTP,
//! FTP and S3-compatible servers started on loopback by each module. Every
//! kind runs the same scenarios, which check what is on the target after
//! each deploy and what the server saw being uploaded.

mod folder;
mod ftp;
mod s3;
mod sftp;

use std::collections::{BTreeMap, BTreeSet};

use super::support::{Fixture, Run};

/// A running target, as the scenarios need it.
pub trait Server {
    /// The `[[deploy]]` table for site.toml, `name = "测试"`.
    fn deploy_toml(&self) -> String;
    /// Environment variables the deploy needs (passwords, keys).
    fn env(&self) -> Vec<(String, String)>;
    /// Every file the target holds now, with its bytes.
    fn files(&self) -> BTreeMap<String, Vec<u8>>;
    /// Puts a file there that is not the site's (another office's page).
    fn put_foreign(&self, path: &str, bytes: &[u8]);
    /// Site paths the server saw written since the last call, temporary
    /// names already turned back into the final path.
    fn take_uploads(&self) -> BTreeSet<String>;
}

/// Files of the deploy's own bookkeeping on the target.
pub const MANIFEST: &str = ".streetpress-manifest.json";
pub const PENDING: &str = ".streetpress-pending.json";

/// A small site with pictures, three articles and a page, set to deploy to `server`.
pub fn site_for(server: &dyn Server) -> Fixture {
    let site = Fixture::new();
    let toml = format!("{}\n{}", super::support::SITE_TOML, server.deploy_toml());
    site.write("site.toml", &toml);
    for (i, title) in ["社区开展理论宣讲", "志愿者清扫楼道", "重阳节走访老人"]
        .iter()
        .enumerate()
    {
        site.article(
            &format!("a{i}.md"),
            &format!(
                "title: {title}\ndate: 2025-0{}-1{i}\ncategory: news\ntags: [社区]",
                i + 3
            ),
            &format!("{title}。居民们积极参与。\n\n第二段内容，第 {i} 篇。\n"),
        );
    }
    site.write(
        "content/pages/about.md",
        "---\ntitle: 关于我们\n---\n街道简介。\n",
    );
    site
}

pub fn deploy(site: &Fixture, server: &dyn Server, args: &[&str]) -> Run {
    let mut command = site.command(&[&["deploy"], args].concat());
    for (key, value) in server.env() {
        command.env(key, value);
    }
    command.env("STREETPRESS_DEPLOY_FIRST_WAIT_MS", "50");
    command.output().expect("run").into()
}

pub fn deploy_ok(site: &Fixture, server: &dyn Server, args: &[&str]) -> Run {
    let run = deploy(site, server, args);
    assert_eq!(
        run.code, 0,
        "deploy failed:\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// The built output, without the build's own bookkeeping.
pub fn output(site: &Fixture) -> BTreeMap<String, Vec<u8>> {
    super::support::tree(&site.root().join("public"))
        .into_iter()
        .filter(|(path, _)| !path.starts_with(".streetpress-"))
        .collect()
}

/// The target's files, without the deploy's manifest and `foreign`.
fn site_files(server: &dyn Server, foreign: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = server.files();
    files.remove(MANIFEST);
    for path in foreign {
        files.remove(*path);
    }
    files
}

fn changed(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path.clone())
        .collect()
}

fn with_bookkeeping(mut paths: BTreeSet<String>) -> BTreeSet<String> {
    paths.insert(MANIFEST.to_string());
    paths
}

/// What the server saw written, without the short-lived pending list
/// (a folder target cannot see a file that came and went).
fn uploads(server: &dyn Server) -> BTreeSet<String> {
    let mut paths = server.take_uploads();
    paths.remove(PENDING);
    paths
}

/// First deploy, an edit, a deletion, and a deploy with nothing to do.
pub fn publishes_only_what_changed(server: &dyn Server) {
    let foreign = "other-office/index.html";
    server.put_foreign(foreign, "另一个单位的页面".as_bytes());
    server.put_foreign("index.html", b"an old hand-made home page");
    let site = site_for(server);

    let first = deploy_ok(&site, server, &[]);
    assert!(first.stdout.contains("已发布到“测试”"), "{}", first.stdout);
    let built = output(&site);
    assert_eq!(
        site_files(server, &[foreign]),
        built,
        "after the first deploy the target holds exactly the output"
    );
    assert!(!server.files().contains_key(PENDING));
    assert_eq!(
        uploads(server),
        with_bookkeeping(built.keys().cloned().collect())
    );

    // One article edited: only the files whose bytes changed are sent.
    site.article(
        "a1.md",
        "title: 志愿者清扫楼道\ndate: 2025-04-11\ncategory: news\ntags: [社区]",
        "志愿者清扫楼道。居民们积极参与。\n\n第二段内容改过了。\n",
    );
    let second = deploy_ok(&site, server, &[]);
    let edited = output(&site);
    let expected = changed(&built, &edited);
    assert!(
        expected.iter().any(|p| p.starts_with("articles/2025/04/")),
        "{expected:?}"
    );
    assert!(
        expected.len() < built.len() / 2,
        "an edit changes a few files: {expected:?}"
    );
    assert_eq!(
        uploads(server),
        with_bookkeeping(expected.clone()),
        "{}",
        second.stdout
    );
    assert_eq!(site_files(server, &[foreign]), edited);
    assert!(
        second
            .stdout
            .contains(&format!("上传 {} 个文件", expected.len())),
        "{}",
        second.stdout
    );

    // One article deleted: its page goes, the foreign file stays.
    let page = edited
        .keys()
        .find(|p| p.starts_with("articles/2025/05/"))
        .expect("the third article's page")
        .clone();
    std::fs::remove_file(site.root().join("content/articles/a2.md")).unwrap();
    deploy_ok(&site, server, &[]);
    let after_delete = output(&site);
    let files = server.files();
    assert!(!files.contains_key(&page), "{page} still on the target");
    assert_eq!(
        files.get(foreign).map(Vec::as_slice),
        Some("另一个单位的页面".as_bytes())
    );
    assert_eq!(site_files(server, &[foreign]), after_delete);
    server.take_uploads();

    // Nothing changed: nothing sent.
    let idle = deploy_ok(&site, server, &[]);
    assert!(idle.stdout.contains("已是最新"), "{}", idle.stdout);
    assert_eq!(uploads(server), BTreeSet::new());
}

/// `--dry-run` lists the plan and leaves the target as it was.
pub fn dry_run_sends_nothing(server: &dyn Server) {
    let site = site_for(server);
    let run = deploy_ok(&site, server, &["--dry-run"]);
    let files = output(&site).len();
    assert!(
        run.stdout.contains(&format!("将上传 {files} 个文件")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("上传 index.html"), "{}", run.stdout);
    assert!(server.files().is_empty(), "a dry run wrote to the target");
    assert_eq!(uploads(server), BTreeSet::new());
}

/// A deploy killed halfway leaves a working site; the next one converges.
pub fn an_interrupted_deploy_is_finished_by_the_next(server: &dyn Server) {
    let site = site_for(server);
    deploy_ok(&site, server, &[]);
    server.take_uploads();
    // Every page changes (the site's title is on each), so there is a lot to send.
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replacen("测试街道新时代文明实践", "新的站名", 1),
    );
    site.build_ok();

    let mut command = site.command(&["deploy"]);
    for (key, value) in server.env() {
        command.env(key, value);
    }
    let mut child = std::process::Command::new(command.get_program())
        .args(command.get_args())
        .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("STREETPRESS_DEPLOY_SLOW_MS", "100")
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a few files are on the target, then kill the deploy.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = BTreeSet::new();
    while seen
        .iter()
        .filter(|p: &&String| !p.starts_with(".streetpress"))
        .count()
        < 3
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the deploy sent nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        seen.extend(server.take_uploads());
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let files = server.files();
    assert!(
        files.contains_key(PENDING),
        "the pending list marks the unfinished deploy"
    );
    assert!(
        files.contains_key("index.html"),
        "the home page is still there"
    );

    let run = deploy_ok(&site, server, &[]);
    assert!(run.stdout.contains("已发布"), "{}", run.stdout);
    assert_eq!(site_files(server, &[]), output(&site));
    assert!(!server.files().contains_key(PENDING));
}

/// A connection cut halfway is made again and the upload retried.
pub fn a_cut_connection_is_retried(server: &dyn Server) {
    let site = site_for(server);
    let mut command = site.command(&["deploy"]);
    for (key, value) in server.env() {
        command.env(key, value);
    }
    let run: Run = command
        .env("STREETPRESS_DEPLOY_DROP_AT", "3")
        .env("STREETPRESS_DEPLOY_FIRST_WAIT_MS", "50")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("重连 1 次"), "{}", run.stdout);
    assert_eq!(site_files(server, &[]), output(&site));
}
