//! `streetpress check`: every problem in one run, errors and warnings apart,
//! each as `path:line:column: message`, a count at the end, exit code 1 when
//! there is an error, and the same list as JSON.

use serde_json::Value;

use crate::support::Fixture;

/// A site with one of each kind of problem `check` finds.
fn site_with_every_problem() -> Fixture {
    let site = Fixture::new();
    site.article("colon.md", "title：中文冒号\ndate: 2024-03-01", "正文");
    site.article("no-title.md", "date: 2024-03-01", "正文");
    site.article("bad-date.md", "title: 日期写错\ndate: 2024-13-45", "正文");
    site.article(
        "category.md",
        "title: 栏目不存在\ndate: 2024-03-01\ncategory: 文艺演出",
        "正文",
    );
    site.article(
        "outlet.md",
        "title: 媒体不存在\ndate: 2024-03-01\noutlets: [人民日报]",
        "正文",
    );
    site.article(
        "cover.md",
        "title: 封面不存在\ndate: 2024-03-01\ncover: missing.jpg",
        "正文",
    );
    site.article(
        "links.md",
        "title: 链接有问题\ndate: 2024-03-01",
        "第一段。\n\n见[另一篇](missing-article.md)。\n\n![现场](../images/none.jpg)\n\n[标签](/tags/不存在的标签/)和[页面](/no-such-page/)\n\n[正常的标签](/tags/反诈/)\n",
    );
    site.article(
        "tagged.md",
        "title: 有标签的文章\ndate: 2024-03-02\ntags: [反诈]",
        "正文",
    );
    site.article(
        "dup-one.md",
        "title: 重复一\ndate: 2024-03-03\nslug: same",
        "正文",
    );
    site.article(
        "dup-two.md",
        "title: 重复二\ndate: 2024-03-04\nslug: same",
        "正文",
    );
    site.write(
        "content/activities/2024-03.yaml",
        "- date: 2024-03-05\n  kind: volunteer\n  title: 报道不存在的活动\n  article: no-such-article\n",
    );
    site.write(
        "content/reads/wechat.csv",
        "article,reads\ntagged,100\n没有这篇文章,50\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: 关于我们\n---\n介绍\n",
    );
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n{{ page.no_such_field.name }}\n{% endblock main %}\n",
    );
    site
}

#[test]
fn check_lists_every_problem_with_its_line() {
    let site = site_with_every_problem();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let out = &run.stdout;
    let expected_errors = [
        "content/articles/colon.md:2:6: 错误: 字段“title”后面用了中文冒号",
        "content/articles/no-title.md:",
        "content/articles/bad-date.md:3:",
        "content/articles/category.md:4:",
        "content/articles/outlet.md:4:",
        "content/articles/cover.md:4:",
        "content/articles/links.md:7:2: 错误: 找不到链接“missing-article.md”",
        "content/articles/links.md:9:1: 错误: 找不到图片“../images/none.jpg”",
        "content/articles/dup-one.md:1:1: 错误: 网址 /articles/2024/03/same/ 重复：content/articles/dup-two.md 也会生成这个网址",
        "themes/default/templates/page.html:1:1: 错误: 模板出错：Failed to render",
    ];
    let expected_warnings = [
        "content/articles/links.md:11:1: 警告: 链接“/tags/不存在的标签/”指向的网址在生成的网站里不存在",
        "content/articles/links.md:11:21: 警告: 链接“/no-such-page/”",
        "content/activities/2024-03.yaml:1:1: 警告: 活动记录“报道不存在的活动”写的报道文章“no-such-article”在网站上找不到",
        "content/reads/wechat.csv:3:1: 警告: 找不到文章“没有这篇文章”",
    ];
    let warnings_at = out.find("警告（").expect("a warnings section");
    let errors_at = out.find("错误（").expect("an errors section");
    assert!(errors_at < warnings_at, "errors first:\n{out}");
    for expected in expected_errors {
        let at = out
            .find(expected)
            .unwrap_or_else(|| panic!("missing {expected:?} in:\n{out}"));
        assert!(
            at < warnings_at,
            "{expected:?} is listed as an error:\n{out}"
        );
    }
    for expected in expected_warnings {
        let at = out
            .find(expected)
            .unwrap_or_else(|| panic!("missing {expected:?} in:\n{out}"));
        assert!(
            at > warnings_at,
            "{expected:?} is listed as a warning:\n{out}"
        );
    }
    assert!(
        !out.contains("/tags/反诈/”"),
        "an existing tag is fine:\n{out}"
    );
    let errors = out[..warnings_at].matches(": 错误: ").count();
    let warnings = out[warnings_at..].matches(": 警告: ").count();
    assert!(
        out.trim_end().ends_with(&format!(
            "检查完毕：{errors} 个错误，{warnings} 个警告。有错误时网站不能生成，请按提示改正。"
        )),
        "{out}"
    );
    assert!(!site.exists(""), "check writes nothing");
}

#[test]
fn json_gives_the_same_list() {
    let site = site_with_every_problem();
    let text = site.run(&["check"]);
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let problems = report["problems"].as_array().unwrap();
    let errors = report["errors"].as_u64().unwrap() as usize;
    let warnings = report["warnings"].as_u64().unwrap() as usize;
    assert_eq!(errors + warnings, problems.len());
    assert!(problems[..errors].iter().all(|p| p["severity"] == "error"));
    assert!(problems[errors..]
        .iter()
        .all(|p| p["severity"] == "warning"));
    for problem in problems {
        let line = format!(
            "{}:{}:{}: {}: {}",
            problem["path"].as_str().unwrap(),
            problem["line"].as_u64().unwrap().max(1),
            problem["column"].as_u64().unwrap().max(1),
            if problem["severity"] == "error" {
                "错误"
            } else {
                "警告"
            },
            problem["message"].as_str().unwrap()
        );
        assert!(text.stdout.contains(&line), "{line} not in text output");
    }
    assert!(text
        .stdout
        .contains(&format!("检查完毕：{errors} 个错误，{warnings} 个警告")));
}

#[test]
fn a_clean_site_passes() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 正常文章\ndate: 2024-03-01\ntags: [反诈]",
        "见[标签](/tags/反诈/)和[栏目](/volunteer/)。",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("检查完毕，没有发现问题。"),
        "{}",
        run.stdout
    );
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.code, 0);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
}

#[test]
fn not_a_site_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run: crate::support::Run = assert_cmd::Command::cargo_bin("streetpress")
        .unwrap()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("不是一个 streetpress 网站文件夹"));
}
