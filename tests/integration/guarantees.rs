//! The build guarantees of SPEC section 10: all or nothing, byte-identical
//! output, and refusal of dangerous output folders.

use crate::support::{tree, Fixture};

fn small_site() -> Fixture {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 甲\ndate: 2024-03-01\ntags: [反诈]\ncommunity: 柳岸社区",
        "正文。",
    )
    .article(
        "b.md",
        "title: 乙\ndate: 2024-03-01\ncategory: volunteer",
        "正文。",
    )
    .write(
        "content/activities/a.yaml",
        "- date: 2024-03-01\n  kind: volunteer\n  title: 活动\n",
    );
    site
}

/// What a build leaves beside the output: its staging and work folders
/// (the search index's runs) must be gone.
fn leftovers(site: &Fixture) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("streetpress-"))
        .collect()
}

#[test]
fn a_build_leaves_nothing_beside_the_output() {
    let site = small_site();
    site.build_ok();
    assert!(site.exists("search/meta.json"));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = small_site();
    site.build_ok();
    let before = tree(&site.root().join("public"));
    site.article("c.md", "title: 丙\ndate: 2024-02-30", "日期写错了。");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        tree(&site.root().join("public")),
        before,
        "output must be byte-for-byte as it was"
    );
    assert_eq!(
        leftovers(&site),
        Vec::<String>::new(),
        "no staging folder left"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = small_site();
    site.build_ok();
    let first = tree(&site.root().join("public"));
    site.build_ok();
    assert_eq!(tree(&site.root().join("public")), first);
}

#[test]
fn source_date_epoch_decides_what_is_due() {
    let site = small_site();
    site.article("later.md", "title: 以后的文章\ndate: 2025-06-01", "正文。");
    let run = site
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "1735689600")
        .output()
        .unwrap(); // 2025-01-01
    assert!(run.status.success());
    assert!(!site.exists("articles/2025/06/later/index.html"));
    let run = site
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap(); // 2026-01-01
    assert!(run.status.success());
    assert!(site.exists("articles/2025/06/later/index.html"));
}

#[test]
fn refuses_to_write_over_the_site_or_its_sources() {
    let site = small_site();
    for output in [".", "content", "themes", "content/articles", ".."] {
        let run = site.run(&["build", "--output", output]);
        assert_eq!(
            run.code, 2,
            "--output {output} must be refused: {}",
            run.stderr
        );
        assert!(run.stderr.contains("不能把网站输出到"), "{}", run.stderr);
    }
    assert!(
        site.root().join("content/articles/a.md").exists(),
        "content untouched"
    );
}

#[test]
fn refuses_a_folder_that_streetpress_did_not_make() {
    let site = small_site();
    site.write("mine/notes.txt", "重要笔记");
    let run = site.run(&["build", "--output", "mine"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/notes.txt")).unwrap(),
        "重要笔记"
    );
    let run = site.run(&["build", "--output", "elsewhere/site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.root().join("elsewhere/site/index.html").exists());
}

#[test]
fn usage_errors_exit_with_two() {
    let site = small_site();
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let run = site.run(&["build", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("这里没有 site.toml"), "{}", run.stderr);
}

#[test]
fn symlinks_in_content_are_not_followed() {
    let site = small_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("content/secret.txt"),
    )
    .unwrap();
    let run = site.build_ok();
    assert!(!site.exists("secret.txt"));
    assert!(run.stderr.contains("content/secret.txt"), "{}", run.stderr);
}
