//! A fixture site in a temporary folder, and helpers to build it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub const SITE_TOML: &str = r#"title = "测试街道新时代文明实践"
base_url = "https://example.gov.cn/ceshi/"
timezone = "Asia/Shanghai"
paginate = 2

[[categories]]
key = "lectures"
name = "理论宣讲"
[[categories]]
key = "volunteer"
name = "志愿服务"
[[categories]]
key = "models"
name = "身边好人"
[[categories]]
key = "news"
name = "工作动态"

[outlets]
"学习强国" = "national"
"大众网" = "provincial"
"测试发布" = "wechat"

[footer]
icp = "测ICP备00000000号-1"
"#;

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// The outcome of running the binary: exit code and both streams as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Fixture {
    /// A site with the standard settings and no content.
    pub fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fixture.write("site.toml", SITE_TOML);
        fs::create_dir_all(fixture.root().join("content/articles")).unwrap();
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    /// Writes an article with the given front matter lines and body.
    pub fn article(&self, rel: &str, front_matter: &str, body: &str) -> &Self {
        self.write(
            &format!("content/articles/{rel}"),
            &format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("streetpress").expect("binary");
        command
            .args(args)
            .current_dir(self.root())
            .env("SOURCE_DATE_EPOCH", "1767225600"); // 2026-01-01
        command
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).output().expect("run").into()
    }

    /// Builds and fails the test, showing the messages, unless the build succeeded.
    pub fn build_ok(&self) -> Run {
        let run = self.build();
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    pub fn public(&self, rel: &str) -> PathBuf {
        self.root().join("public").join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.public(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} not readable: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public(rel).exists()
    }
}

/// The `<main>` element of a page: what differs between pages.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>");
    &html[start..end]
}

/// Every file under a folder with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
