//! One test per class of bad input (SPEC section 11): each names the file,
//! line and column, says what is wrong and how to fix it, and exits 1 without
//! writing a site.

use crate::support::Fixture;

/// Builds, expects exit code 1, and returns standard error.
fn failing(site: &Fixture) -> String {
    let run = site.build();
    assert_eq!(
        run.code, 1,
        "expected a content error; stderr:\n{}",
        run.stderr
    );
    assert!(!site.exists("index.html"), "no half-written site");
    assert!(run.stderr.contains("网站没有生成"), "{}", run.stderr);
    run.stderr
}

#[test]
fn bom_and_crlf_simply_work() {
    let site = Fixture::new();
    site.write_bytes(
        "content/articles/windows.md",
        "\u{feff}---\r\ntitle: 记事本写的文章\r\ndate: 2024-03-01\r\n---\r\n第一行\r\n第二行\r\n"
            .as_bytes(),
    );
    let run = site.build_ok();
    assert!(run.stderr.is_empty(), "no warning: {}", run.stderr);
    assert!(site
        .read("articles/2024/03/windows/index.html")
        .contains("第一行第二行"));
}

#[test]
fn gbk_file_is_converted_with_a_warning() {
    let site = Fixture::new();
    let (gbk, _, _) = encoding_rs::GBK
        .encode("---\ntitle: 旧电脑上写的文章\ndate: 2024-03-01\n---\n正文内容。\n");
    site.write_bytes("content/articles/gbk.md", &gbk);
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("content/articles/gbk.md:1:1: 警告: 这个文件是 GBK 编码保存的"),
        "{}",
        run.stderr
    );
    assert!(site
        .read("articles/2024/03/gbk/index.html")
        .contains("旧电脑上写的文章"));
}

#[test]
fn fullwidth_colon_is_found_on_its_line() {
    let site = Fixture::new();
    site.article("a.md", "title：反诈知识进社区\ndate: 2024-03-01", "正文");
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:2:6: 错误: 字段“title”后面用了中文冒号“：”"),
        "{stderr}"
    );
    assert!(stderr.contains("改成英文冒号"), "{stderr}");
}

#[test]
fn fullwidth_space_indentation_is_explained() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\ntags:\n\u{3000}\u{3000}- 反诈",
        "正文",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:5:1: 错误: 这一行开头用了全角空格"),
        "{stderr}"
    );
}

#[test]
fn chinese_dash_instead_of_front_matter_fence() {
    let site = Fixture::new();
    site.write(
        "content/articles/a.md",
        "———\ntitle: 标题\ndate: 2024-03-01\n———\n正文",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:1:1: 错误: 第一行用了中文输入法的破折号"),
        "{stderr}"
    );
}

#[test]
fn missing_front_matter_block() {
    let site = Fixture::new();
    site.write("content/articles/a.md", "# 标题\n\n正文");
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:1:1: 错误: 文章开头缺少 front matter"),
        "{stderr}"
    );
    assert!(
        stderr.contains("title: 标题"),
        "the hint shows the form: {stderr}"
    );
}

#[test]
fn missing_title() {
    let site = Fixture::new();
    site.article("a.md", "date: 2024-03-01", "正文");
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:2:1: 错误: 缺少标题（title 字段）"),
        "{stderr}"
    );
}

#[test]
fn category_almost_right_gets_a_suggestion() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\ncategory: 志愿服",
        "正文",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:4:11: 错误: 没有名为“志愿服”的栏目"),
        "{stderr}"
    );
    assert!(stderr.contains("你是不是想写“志愿服务”？"), "{stderr}");
}

#[test]
fn outlet_missing_from_settings_gets_a_suggestion() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\noutlets: [学习强国, 大众日报网]",
        "正文",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains(
            "content/articles/a.md:4:10: 错误: site.toml 的 [outlets] 里没有媒体“大众日报网”"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("你是不是想写“大众网”？"), "{stderr}");
}

#[test]
fn numbers_written_in_chinese() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\nreads: 一千二百",
        "正文",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:4:8: 错误: 浏览量“一千二百”不是一个不小于 0 的整数"),
        "{stderr}"
    );
    assert!(stderr.contains("写成 1200"), "{stderr}");
}

#[test]
fn impossible_date() {
    let site = Fixture::new();
    site.article("a.md", "title: 标题\ndate: 2023-02-30", "正文");
    let stderr = failing(&site);
    assert!(
        stderr
            .contains("content/articles/a.md:3:7: 错误: 日期“2023-02-30”不存在：没有2023年2月30日"),
        "{stderr}"
    );
}

#[test]
fn unreadable_date() {
    let site = Fixture::new();
    site.article("a.md", "title: 标题\ndate: 上周五", "正文");
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:3:7: 错误: 看不懂日期“上周五”"),
        "{stderr}"
    );
}

#[test]
fn missing_image_names_article_and_line() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01",
        "第一段。\n\n![活动现场](../images/missing.jpg)\n",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:7:1: 错误: 找不到图片“../images/missing.jpg”"),
        "{stderr}"
    );
}

#[test]
fn missing_cover_image() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\ncover: nothing.jpg",
        "正文",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:4:8: 错误: 找不到图片“nothing.jpg”"),
        "{stderr}"
    );
}

#[test]
fn two_items_with_the_same_url_name_both_files() {
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-01\nslug: same", "正文")
        .article("b.md", "title: 乙\ndate: 2024-03-09\nslug: same", "正文");
    let stderr = failing(&site);
    assert!(
        stderr.contains("网址 /articles/2024/03/same/ 重复"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/articles/a.md") && stderr.contains("content/articles/b.md"),
        "{stderr}"
    );
}

#[test]
fn page_slug_cannot_take_a_category_url() {
    let site = Fixture::new();
    site.write(
        "content/pages/volunteer.md",
        "---\ntitle: 志愿者招募\n---\n正文",
    );
    let stderr = failing(&site);
    assert!(stderr.contains("content/pages/volunteer.md:1:1: 错误: 网址 /volunteer/ 重复：site.toml 里的栏目“志愿服务”"), "{stderr}");
}

#[test]
fn activity_record_problems_point_into_the_right_record() {
    let site = Fixture::new();
    site.write(
        "content/activities/2024-03.yaml",
        "- date: 2024-03-01\n  kind: volunteer\n  title: 第一条\n- date: 2024-03-02\n  kind: 志愿者服务\n  title: 第二条\n  participants: 三十人\n- date: 2024-03-03\n  title: 第三条\n",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/activities/2024-03.yaml:5:9: 错误: 没有名为“志愿者服务”的栏目"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/activities/2024-03.yaml:7:17: 错误: 服务人次“三十人”不是一个不小于 0 的整数"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("写成 30"), "{stderr}");
    assert!(
        stderr.contains("content/activities/2024-03.yaml:8:1: 错误: 这条活动记录缺少 kind"),
        "{stderr}"
    );
}

#[test]
fn yaml_syntax_error_has_file_position() {
    let site = Fixture::new();
    site.article("a.md", "title: 标题: 副标题\ndate: 2024-03-01", "正文");
    let stderr = failing(&site);
    assert!(stderr.contains("content/articles/a.md:2:"), "{stderr}");
    assert!(stderr.contains("英文引号"), "{stderr}");
}

#[test]
fn settings_errors_name_site_toml() {
    let site = Fixture::new();
    site.write(
        "site.toml",
        "title = \"街道\"\ntimezone ＝ \"Asia/Shanghai\"\n",
    );
    let stderr = failing(&site);
    assert!(stderr.contains("site.toml:2:"), "{stderr}");
    assert!(stderr.contains("中文标点 ＝"), "{stderr}");
}

#[test]
fn template_error_names_the_template() {
    let site = Fixture::new();
    site.article("a.md", "title: 标题\ndate: 2024-03-01", "正文");
    site.write("themes/broken/templates/article.html", "{{ page.title ");
    site.write(
        "site.toml",
        &crate::support::SITE_TOML.replace("timezone", "theme = \"broken\"\ntimezone"),
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("themes/broken/templates/article.html:1:"),
        "{stderr}"
    );
    assert!(stderr.contains("模板出错"), "{stderr}");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = Fixture::new();
    site.article("a.md", "date: 2024-03-01", "正文")
        .article("b.md", "title: 乙\ndate: 2024-13-01", "正文")
        .article(
            "c.md",
            "title: 丙\ndate: 2024-03-01\ncategory: 体育",
            "正文",
        );
    let stderr = failing(&site);
    assert!(stderr.contains("content/articles/a.md:2:1"), "{stderr}");
    assert!(stderr.contains("content/articles/b.md:3:7"), "{stderr}");
    assert!(stderr.contains("content/articles/c.md:4:11"), "{stderr}");
    assert!(stderr.contains("3 个错误"), "{stderr}");
}

#[test]
fn reads_rows_naming_no_article_are_warnings_with_file_and_line() {
    let site = Fixture::new();
    site.article("a.md", "title: 反诈知识进社区\ndate: 2024-03-01\nreads: 10", "正文")
        .article("b.md", "title: 乙\ndate: 2024-03-02\nreads: 5", "正文")
        .write(
            "content/reads/wechat.csv",
            "article,reads,date\n反诈知识进社区,300,2024-03-10\nb,99,\nb,77,\n没上网站的推文,500,2024-03-10\narticles/a.md,200,2024-03-05\n",
        );
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("content/reads/wechat.csv:5:1: 警告: 找不到文章“没上网站的推文”"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("articles/2024/03/a/index.html")
            .contains("浏览量：300"),
        "newest dated figure wins"
    );
    assert!(
        site.read("articles/2024/03/b/index.html")
            .contains("浏览量：77"),
        "last undated figure wins"
    );
}
