//! Fenced code blocks: highlighted with CSS classes, the theme's stylesheet
//! for them (with care-mode rules) linked from every page, and unknown
//! languages shown as plain code without warnings.

use crate::support::{main_of, Fixture};

#[test]
fn fenced_code_with_a_language_gets_class_spans() {
    let site = Fixture::new();
    site.article(
        "code.md",
        "title: 小程序报名代码\ndate: 2024-03-01",
        "报名表的校验：\n\n```javascript\n// 检查手机号\nfunction check(phone) {\n  return /^1\\d{10}$/.test(phone) && \"ok\";\n}\n```\n\n```klingon\nQapla' <b>\n```\n\n```\n没有语言\n```\n",
    );
    let run = site.build_ok();
    assert!(
        !run.stderr.contains("警告"),
        "no warning for an unknown language:\n{}",
        run.stderr
    );
    let html = site.read("articles/2024/03/code/index.html");
    let main = main_of(&html);
    assert!(
        main.contains("<pre class=\"highlight\"><code class=\"language-javascript\""),
        "{main}"
    );
    assert!(main.contains("<span class=\"hl-comment"), "{main}");
    assert!(
        main.contains("<span class=\"hl-storage hl-type hl-function"),
        "{main}"
    );
    assert!(main.contains("hl-string"), "{main}");
    assert!(!main.contains("style=\""), "classes, not inline styles");
    assert!(
        main.contains("<pre><code class=\"language-klingon\">Qapla&#39; &lt;b&gt;\n</code></pre>")
            || main
                .contains("<pre><code class=\"language-klingon\">Qapla' &lt;b&gt;\n</code></pre>"),
        "{main}"
    );
    assert!(
        main.contains("<pre><code>没有语言\n</code></pre>"),
        "{main}"
    );

    assert!(html.contains("<link rel=\"stylesheet\" href=\"/ceshi/highlight.css\">"));
    let css = site.read("highlight.css");
    assert!(css.contains(".hl-comment") && css.contains("html.care .hl-comment"));
}
