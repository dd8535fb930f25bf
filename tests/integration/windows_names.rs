//! A site built on any system is one that Windows can hold: slugs and tag
//! folders never use a device name or a character Windows forbids, and a
//! copied file whose own name Windows cannot hold is named in a warning.

use std::path::Path;

use streetpress::slug::windows_name_problem;

use crate::support::{tree, Fixture};

/// Every file and folder name under `dir` that Windows could not create.
fn names_windows_cannot_hold(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_iter()
        .filter(|(rel, _)| {
            rel.split('/')
                .any(|name| windows_name_problem(name).is_some())
        })
        .map(|(rel, _)| rel)
        .collect()
}

#[test]
fn device_names_and_forbidden_characters_become_names_windows_can_hold() {
    let site = Fixture::new();
    site.article(
        "con.md",
        "title: 关于 con 的说明\ndate: 2024-03-01\ntags: [\"问答:第2期\", \"谁?*来了\"]",
        "正文。\n",
    )
    .article(
        "aux-slug.md",
        "title: 设备名\ndate: 2024-03-02\nslug: AUX",
        "正文。\n",
    );
    site.build_ok();

    assert!(site.exists("articles/2024/03/con_/index.html"));
    assert!(site.exists("articles/2024/03/AUX_/index.html"));
    assert!(site.exists("tags/问答-第2期/index.html"));
    assert!(site.exists("tags/谁-来了/index.html"));
    let article = site.read("articles/2024/03/con_/index.html");
    assert!(
        article.contains("/ceshi/tags/%E9%97%AE%E7%AD%94-%E7%AC%AC2%E6%9C%9F/"),
        "the article links to the tag's safe folder"
    );
    assert_eq!(
        names_windows_cannot_hold(&site.public("")),
        Vec::<String>::new()
    );
}

#[test]
fn a_copied_file_windows_cannot_hold_is_named_in_a_warning() {
    let site = Fixture::new();
    site.article(
        "notice/index.md",
        "title: 通知\ndate: 2024-03-01",
        "[下载通知](nul.pdf)\n",
    )
    .write("content/articles/notice/nul.pdf", "%PDF-1.4\n")
    .write("content/articles/notice/照片 1.jpg.txt", "不是设备名\n");
    let run = site.build_ok();

    assert!(
        run.stderr.contains(
            "content/articles/notice/nul.pdf:1:1: 警告: 文件名“nul.pdf”是 Windows 留给设备的名字"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("给它改个名字"), "{}", run.stderr);
    assert!(!run.stderr.contains("照片 1.jpg.txt"), "{}", run.stderr);
    // The build still publishes the file: on Linux it works, and the officer decides.
    assert!(site.exists("articles/2024/03/notice/nul.pdf"));
}
