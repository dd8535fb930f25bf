//! `kind = "folder"`: a USB stick or a mounted share, here a temporary folder.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::{deploy, site_for, Server};

struct FolderServer {
    dir: tempfile::TempDir,
    /// Inode and modification time of each file when last looked at: a
    /// file written again (under a temporary name, then renamed) changes both.
    seen: RefCell<BTreeMap<String, (u64, i64, i64)>>,
}

impl FolderServer {
    fn new() -> FolderServer {
        FolderServer {
            dir: tempfile::tempdir().unwrap(),
            seen: RefCell::default(),
        }
    }

    fn stamps(&self) -> BTreeMap<String, (u64, i64, i64)> {
        walk(self.dir.path())
            .into_iter()
            .filter(|p| !p.ends_with(".streetpress-upload"))
            .filter_map(|p| {
                let meta = std::fs::metadata(self.dir.path().join(&p)).ok()?;
                Some((p, (meta.ino(), meta.mtime(), meta.mtime_nsec())))
            })
            .collect()
    }
}

fn walk(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/")
        })
        .collect()
}

impl Server for FolderServer {
    fn deploy_toml(&self) -> String {
        format!(
            "[[deploy]]\nname = \"测试\"\nkind = \"folder\"\npath = {:?}\n",
            self.dir.path().to_str().unwrap()
        )
    }

    fn env(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        walk(self.dir.path())
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(self.dir.path().join(&p)).unwrap();
                (p, bytes)
            })
            .collect()
    }

    fn put_foreign(&self, path: &str, bytes: &[u8]) {
        let disk = self.dir.path().join(path);
        std::fs::create_dir_all(disk.parent().unwrap()).unwrap();
        std::fs::write(disk, bytes).unwrap();
        *self.seen.borrow_mut() = self.stamps();
    }

    fn take_uploads(&self) -> BTreeSet<String> {
        let now = self.stamps();
        let mut seen = self.seen.borrow_mut();
        let written = now
            .iter()
            .filter(|(path, stamp)| seen.get(*path) != Some(stamp))
            .map(|(path, _)| path.clone())
            .collect();
        *seen = now;
        written
    }
}

#[test]
fn publishes_only_what_changed() {
    super::publishes_only_what_changed(&FolderServer::new());
}

#[test]
fn dry_run_sends_nothing() {
    super::dry_run_sends_nothing(&FolderServer::new());
}

#[test]
fn an_interrupted_deploy_is_finished_by_the_next() {
    super::an_interrupted_deploy_is_finished_by_the_next(&FolderServer::new());
}

#[test]
fn a_failed_build_sends_nothing() {
    let server = FolderServer::new();
    let site = site_for(&server);
    site.article("bad.md", "title: 坏文章\ndate: 2025-13-45", "正文");
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("没有发布"), "{}", run.stderr);
    assert!(server.files().is_empty());
}

#[test]
fn a_stick_that_is_not_plugged_in_is_named() {
    let server = FolderServer::new();
    let site = site_for(&server);
    let missing = server.dir.path().join("不存在");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let toml = toml.replace(
        server.dir.path().to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    site.write("site.toml", &toml);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("U 盘或共享文件夹接好了吗"),
        "{}",
        run.stderr
    );
    assert!(
        !missing.exists(),
        "a missing stick's folder is not made on the computer's disk"
    );
}

#[test]
fn the_output_folder_is_no_target() {
    let server = FolderServer::new();
    let site = site_for(&server);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace(server.dir.path().to_str().unwrap(), "public/copy"),
    );
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("不能用"), "{}", run.stderr);
}

#[test]
fn settings_problems_name_the_line() {
    let server = FolderServer::new();
    let site = site_for(&server);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    // No target at all.
    site.write("site.toml", super::super::support::SITE_TOML);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("还没有写发布到哪里"), "{}", run.stderr);
    // Two targets and no --target; then a name that is not there.
    let two = format!("{toml}\n[[deploy]]\nname = \"U盘\"\nkind = \"folder\"\npath = \"E:/x\"\n");
    site.write("site.toml", &two);
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("“测试”、“U盘”"), "{}", run.stderr);
    let run = deploy(&site, &server, &["--target", "政务云"]);
    assert!(
        run.stderr.contains("没有名为“政务云”的发布目标"),
        "{}",
        run.stderr
    );
    // A password written into site.toml: refused at its line, never echoed.
    let lines = toml.lines().count();
    site.write("site.toml", &format!("{toml}password = \"Secret-123\"\n"));
    let run = deploy(&site, &server, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("site.toml:{}:", lines + 1)),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Secret-123") && !run.stdout.contains("Secret-123"));
    assert!(server.files().is_empty());
}
