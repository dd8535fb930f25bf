//! `streetpress init` writes a site that builds as it is.

use assert_cmd::Command;

#[test]
fn init_writes_a_site_that_builds() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("新网站");
    let output = Command::cargo_bin("streetpress")
        .unwrap()
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in [
        "site.toml",
        "themes/default/templates/article.html",
        "themes/default/static/style.css",
        ".gitignore",
        "content/articles/welcome.md",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}");
    }
    let build = Command::cargo_bin("streetpress")
        .unwrap()
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        build.stderr.is_empty(),
        "the sample has no warnings: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let article =
        std::fs::read_to_string(dir.join("public/articles/2024/06/welcome/index.html")).unwrap();
    assert!(article.contains("示例街道新时代文明实践网站上线"));
}

#[test]
fn init_refuses_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
    let output = Command::cargo_bin("streetpress")
        .unwrap()
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "x"
    );
}
