//! `streetpress new`: a ready-to-edit file in the right folder, dated today in
//! the site's time zone, that builds without edits; never an overwritten file.

use std::fs;

use crate::support::Fixture;

// The fixture's clock (SOURCE_DATE_EPOCH) is 2026-01-01 00:00 UTC, which is
// 2026-01-01 08:00 in Asia/Shanghai.

#[test]
fn new_article_builds_without_edits() {
    let site = Fixture::new();
    let run = site.run(&[
        "new",
        "article",
        "反诈知识进社区：老人不再上当",
        "--category",
        "志愿服务",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "content/articles/2026/fan-zha-zhi-shi-jin-she-qu-lao-ren-bu-zai-shang-dang.md";
    assert_eq!(run.stdout.trim(), format!("./{rel}"));
    let text = fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(
        text.contains("title: 反诈知识进社区：老人不再上当\n"),
        "{text}"
    );
    assert!(text.contains("date: 2026-01-01 "), "{text}");
    assert!(text.contains("category: volunteer "), "{text}");
    assert!(
        text.contains("author:  "),
        "empty fields to fill in: {text}"
    );
    assert!(text.contains("# 作者"), "a Chinese comment on each: {text}");
    site.build_ok();
    let page = site
        .read("articles/2026/01/fan-zha-zhi-shi-jin-she-qu-lao-ren-bu-zai-shang-dang/index.html");
    assert!(page.contains("反诈知识进社区：老人不再上当"));
    assert!(site.read("volunteer/index.html").contains("反诈知识进社区"));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.contains("没有发现问题"), "{}", check.stdout);
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Fixture::new();
    assert_eq!(site.run(&["new", "article", "春节写春联"]).code, 0);
    let path = site
        .root()
        .join("content/articles/2026/chun-jie-xie-chun-lian.md");
    fs::write(
        &path,
        "---\ntitle: 我写好的文章\ndate: 2026-01-01\n---\n正文\n",
    )
    .unwrap();
    let run = site.run(&["new", "article", "春节写春联"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("已经存在"), "{}", run.stderr);
    assert!(fs::read_to_string(&path).unwrap().contains("我写好的文章"));
}

#[test]
fn new_person_builds_without_edits() {
    let site = Fixture::new();
    let run = site.run(&["new", "person", "李蕾"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "./content/people/li-lei.md");
    site.build_ok();
    assert!(site.read("people/li-lei/index.html").contains("李蕾"));
    let with_category = site.run(&["new", "person", "王强", "--category", "news"]);
    assert_eq!(with_category.code, 2);
}

#[test]
fn new_activity_appends_to_this_month_and_stays_valid() {
    let site = Fixture::new();
    let first = site.run(&["new", "activity", "敬老院义诊", "--category", "volunteer"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout.trim(), "./content/activities/2026-01.yaml");
    let second = site.run(&["new", "activity", "议题: 垃圾分类 #宣讲"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let text = fs::read_to_string(site.root().join("content/activities/2026-01.yaml")).unwrap();
    assert_eq!(text.matches("- date: 2026-01-01").count(), 2, "{text}");
    site.build_ok();
    let activities = site.read("activities/index.html");
    assert!(activities.contains("敬老院义诊"), "{activities}");
    assert!(activities.contains("议题: 垃圾分类 #宣讲"), "{activities}");
    assert!(site.read("volunteer/index.html").contains("敬老院义诊"));
}

#[test]
fn new_activity_turns_a_single_record_into_a_list() {
    let site = Fixture::new();
    site.write(
        "content/activities/2026-01.yaml",
        "# 本月活动\ndate: 2026-01-01\nkind: news   # 工作动态\ntitle: 元旦慰问\n",
    );
    let run = site.run(&["new", "activity", "新春游园"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.build_ok();
    let activities = site.read("activities/index.html");
    assert!(activities.contains("元旦慰问") && activities.contains("新春游园"));
}

#[test]
fn new_activity_leaves_a_broken_file_alone() {
    let site = Fixture::new();
    let broken = "- date: 2026-01-01\n  title: [没写完\n";
    site.write("content/activities/2026-01.yaml", broken);
    let run = site.run(&["new", "activity", "新春游园"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("格式错误"), "{}", run.stderr);
    let text = fs::read_to_string(site.root().join("content/activities/2026-01.yaml")).unwrap();
    assert_eq!(text, broken);
}

#[test]
fn new_with_an_unknown_category_suggests_one() {
    let site = Fixture::new();
    let run = site.run(&["new", "article", "标题", "--category", "志愿服"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("没有名为“志愿服”的栏目"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("志愿服务"), "{}", run.stderr);
}
