//! The default theme's settings and the fields it shows only when set.

use crate::support::{main_of, Fixture, SITE_TOML};

#[test]
fn footer_records_show_only_when_set() {
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-01", "正文。");
    site.build_ok();
    let home = site.read("index.html");
    assert!(
        home.contains("测ICP备00000000号-1"),
        "the ICP number is set"
    );
    assert!(!home.contains("网站标识码"), "no site code set, no label");
    assert!(!home.contains("class=\"police\""));
    assert!(!home.contains("name=\"SiteIDCode\""));

    site.write(
        "site.toml",
        &SITE_TOML.replace(
            "[footer]\n",
            "[footer]\nsite_code = \"3701000001\"\npolice = \"测公网安备 00000000000000号\"\n",
        ),
    );
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("网站标识码：3701000001"));
    assert!(home.contains("<meta name=\"SiteIDCode\" content=\"3701000001\">"));
    assert!(home.contains("测公网安备 00000000000000号"));
}

#[test]
fn first_line_indent_is_a_setting() {
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-01", "正文。");
    site.build_ok();
    assert!(site
        .read("articles/2024/03/a/index.html")
        .contains("<body>"));
    site.write(
        "site.toml",
        &SITE_TOML.replace("timezone", "first_line_indent = true\ntimezone"),
    );
    site.build_ok();
    assert!(site
        .read("articles/2024/03/a/index.html")
        .contains("<body class=\"indent\">"));
}

#[test]
fn article_page_has_a_qr_code_and_portal_metadata() {
    let site = Fixture::new();
    site.article("a.md", "title: 反诈知识进社区\ndate: 2024-03-15 10:30\ncategory: volunteer\nauthor: [张三, 李四]\nsource: 测试发布\ntags: [反诈, 助老]", "正文。");
    site.build_ok();
    let html = site.read("articles/2024/03/a/index.html");
    for meta in [
        "<meta name=\"SiteName\" content=\"测试街道新时代文明实践\">",
        "<meta name=\"SiteDomain\" content=\"example.gov.cn\">",
        "<meta name=\"ColumnName\" content=\"志愿服务\">",
        "<meta name=\"ArticleTitle\" content=\"反诈知识进社区\">",
        "<meta name=\"PubDate\" content=\"2024-03-15 10:30\">",
        "<meta name=\"ContentSource\" content=\"测试发布\">",
        "<meta name=\"Keywords\" content=\"反诈,助老\">",
        "<meta name=\"Author\" content=\"张三,李四\">",
        "<meta property=\"og:url\" content=\"https://example.gov.cn/ceshi/articles/2024/03/a/\">",
    ] {
        assert!(html.contains(meta), "missing {meta}");
    }
    let main = main_of(&html);
    assert!(
        main.contains("<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\""),
        "{main}"
    );
    assert!(main.contains("本文网址：https://example.gov.cn/ceshi/articles/2024/03/a/"));
}
