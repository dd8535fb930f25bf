//! Rebuilding: files whose bytes did not change are not written again and
//! keep their modification time (so sync tools upload only what changed), and
//! a rebuild of unchanged content leaves the output as it is, yet never
//! misses a change: an edited article, an article that falls due, a changed
//! template, or a file removed from the output by hand.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::{tree, Fixture};

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn set_time(path: &Path, time: SystemTime) {
    std::fs::File::open(path)
        .and_then(|file| file.set_modified(time))
        .or_else(|_| {
            std::fs::File::options()
                .write(true)
                .open(path)
                .and_then(|file| file.set_modified(time))
        })
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn time_of(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Dates every file of the site (not its output) in the past, as if it had
/// been saved long before the build.
fn age_sources(site: &Fixture, time: SystemTime) {
    for entry in walkdir::WalkDir::new(site.root()).contents_first(true) {
        let entry = entry.unwrap();
        if !entry.path().starts_with(site.root().join("public")) {
            set_time(entry.path(), time);
        }
    }
}

/// Dates every file of the output in the past.
fn age_output(site: &Fixture, time: SystemTime) {
    for entry in walkdir::WalkDir::new(site.root().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            set_time(entry.path(), time);
        }
    }
}

fn site_of_three() -> Fixture {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 甲文章\ndate: 2024-03-01\ncategory: news",
        "正文甲。",
    )
    .article(
        "b.md",
        "title: 乙文章\ndate: 2024-03-02\ncategory: volunteer",
        "正文乙。",
    )
    .article(
        "c.md",
        "title: 丙文章\ndate: 2024-03-03\ncategory: lectures",
        "正文丙。",
    );
    site
}

#[test]
fn only_pages_that_changed_are_written_again() {
    let site = site_of_three();
    site.build_ok();
    let past = at(1_600_000_000);
    age_output(&site, past);

    site.article(
        "b.md",
        "title: 乙文章（更新）\ndate: 2024-03-02\ncategory: volunteer",
        "正文乙。",
    );
    let run = site.build_ok();

    assert!(site
        .read("articles/2024/03/b/index.html")
        .contains("乙文章（更新）"));
    assert_ne!(time_of(&site.public("articles/2024/03/b/index.html")), past);
    assert_ne!(
        time_of(&site.public("index.html")),
        past,
        "the home page lists it"
    );
    assert_ne!(time_of(&site.public("volunteer/index.html")), past);
    for unchanged in [
        "articles/2024/03/a/index.html",
        "articles/2024/03/c/index.html",
        "lectures/index.html",
        "news/index.html",
        "style.css",
    ] {
        assert_eq!(
            time_of(&site.public(unchanged)),
            past,
            "{unchanged} was written again"
        );
    }
    let changed: usize = run
        .stdout
        .split("新增或改动了 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of changed files in {}", run.stdout));
    assert!(changed > 0 && changed < 15, "{}", run.stdout);
}

#[test]
fn a_rebuild_of_unchanged_content_leaves_every_file_as_it_was() {
    let site = site_of_three();
    age_sources(&site, at(1_600_000_000));
    site.build_ok();
    let before = tree(&site.root().join("public"));
    let index_time = time_of(&site.public("index.html"));

    let run = site.build_ok();
    assert!(run.stdout.contains("没有文件需要更新"), "{}", run.stdout);
    assert!(run.stdout.contains("共 "), "{}", run.stdout);
    assert_eq!(tree(&site.root().join("public")), before);
    assert_eq!(time_of(&site.public("index.html")), index_time);
}

#[test]
fn an_article_that_falls_due_appears_although_no_file_changed() {
    let site = site_of_three();
    site.article("later.md", "title: 以后的文章\ndate: 2025-06-01", "正文。");
    age_sources(&site, at(1_600_000_000));
    let build_at = |epoch: &str| {
        let output = site
            .command(&["build"])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(output.status.success());
    };
    build_at("1735689600"); // 2025-01-01
    build_at("1735689600");
    assert!(!site.exists("articles/2025/06/later/index.html"));
    build_at("1767225600"); // 2026-01-01
    assert!(site.exists("articles/2025/06/later/index.html"));
    assert!(site.read("index.html").contains("以后的文章"));
}

#[test]
fn an_edited_file_or_template_is_never_missed() {
    let site = site_of_three();
    age_sources(&site, at(1_600_000_000));
    site.build_ok();
    site.build_ok();

    // An edit of the same size, saved later.
    site.article(
        "a.md",
        "title: 甲文稿\ndate: 2024-03-01\ncategory: news",
        "正文甲。",
    );
    set_time(
        &site.root().join("content/articles/a.md"),
        at(1_600_000_100),
    );
    site.build_ok();
    assert!(site
        .read("articles/2024/03/a/index.html")
        .contains("甲文稿"));

    // A template of the site's own theme folder.
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>找不到这个页面</h1>{% endblock main %}",
    );
    age_sources(&site, at(1_600_000_200));
    site.build_ok();
    assert!(site.read("404.html").contains("找不到这个页面"));
}

#[test]
fn a_file_removed_from_the_output_by_hand_comes_back() {
    let site = site_of_three();
    age_sources(&site, at(1_600_000_000));
    site.build_ok();
    let page = site.public("articles/2024/03/a/index.html");
    std::fs::remove_file(&page).unwrap();
    site.build_ok();
    assert!(page.exists());
}

#[test]
fn warnings_are_shown_again_on_every_rebuild() {
    let site = site_of_three();
    site.write(
        "content/reads/export.csv",
        "article,reads\n不在网站上的文章,100\n",
    );
    age_sources(&site, at(1_600_000_000));
    for _ in 0..2 {
        let run = site.build_ok();
        assert!(
            run.stderr.contains("不在网站上的文章"),
            "the warning must be shown on every build: {}",
            run.stderr
        );
    }
}

#[test]
fn a_rebuild_that_keeps_the_output_reports_the_same_figures() {
    let site = site_of_three();
    age_sources(&site, at(1_600_000_000));
    let first = site.build_ok();
    let second = site.build_ok();
    let figures = |stdout: &str| {
        stdout
            .lines()
            .next()
            .unwrap_or("")
            .split("，用时")
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        figures(&first.stdout).contains("3 篇文章"),
        "{}",
        first.stdout
    );
    assert_eq!(figures(&first.stdout), figures(&second.stdout));
}
