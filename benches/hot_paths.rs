//! Micro-benchmarks of the hot paths of a build, on one synthetic article of
//! about 3,000 Chinese characters (`benches/data/article.md`, written by
//! `examples/gen_corpus.rs`): front matter, the Markdown rules for Chinese
//! text, the summary, the template rendering of one article page, the
//! search index's work for one article, and the tally of a small site.
//!
//! ```sh
//! cargo bench --bench hot_paths
//! ```

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use streetpress::config::SiteConfig;
use streetpress::content::{article, front_matter, ContentFile, FileKind};
use streetpress::diagnostics::Diagnostics;
use streetpress::markdown::{self, KeepLinks};
use streetpress::render::Renderer;
use streetpress::theme::Theme;

const ARTICLE: &str = include_str!("data/article.md");

const SITE_TOML: &str = r#"title = "澄湖街道新时代文明实践"
base_url = "https://example.gov.cn/chenghu/"
paginate = 20

[outlets]
"学习强国" = "national"
"中国文明网" = "national"
"江岚日报网" = "provincial"
"江岚新闻客户端" = "provincial"
"临川日报" = "city"
"临川文明网" = "city"
"澄湖区融媒" = "district"
"澄湖发布" = "wechat"
"#;

fn content_file(root: &Path) -> ContentFile {
    ContentFile {
        path: root.join("content/articles/a000036.md"),
        rel: "articles/a000036.md".into(),
        shown: "content/articles/a000036.md".into(),
        kind: FileKind::Article,
        bundle_name: None,
    }
}

fn body() -> &'static str {
    front_matter::split("a.md", ARTICLE)
        .expect("front matter")
        .body
}

fn front_matter_benches(c: &mut Criterion) {
    let config = SiteConfig::parse(SITE_TOML).expect("site.toml");
    let file = content_file(Path::new("/site"));
    c.bench_function("front matter: split and parse YAML", |b| {
        b.iter(|| {
            let split = front_matter::split("a.md", black_box(ARTICLE)).unwrap();
            front_matter::parse_mapping("a.md", &split).unwrap()
        })
    });
    c.bench_function("article: load (fields, summary, reading time)", |b| {
        b.iter(|| {
            let mut problems = Vec::new();
            article::load(&file, black_box(ARTICLE), &config, &mut problems).unwrap()
        })
    });
}

fn markdown_benches(c: &mut Criterion) {
    let body = body();
    c.bench_function("markdown: render with the Chinese rules", |b| {
        b.iter(|| markdown::render(black_box(body), &KeepLinks).html)
    });
    c.bench_function(
        "markdown: parse with bold beside Chinese punctuation",
        |b| b.iter(|| markdown::parse(black_box(body)).count()),
    );
    c.bench_function("markdown: plain summary", |b| {
        b.iter(|| markdown::plain_summary(black_box(body), 120))
    });
    c.bench_function("markdown: pulldown-cmark alone (baseline)", |b| {
        b.iter(|| {
            let mut html = String::new();
            let parser = pulldown_cmark::Parser::new_ext(black_box(body), markdown::options());
            pulldown_cmark::html::push_html(&mut html, parser);
            html
        })
    });
}

/// A site of `count` copies of the article, a day apart, in a temporary folder.
fn site_of(count: usize) -> (tempfile::TempDir, streetpress::site::Site) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("site.toml"), SITE_TOML).unwrap();
    let articles = root.join("content/articles");
    std::fs::create_dir_all(&articles).unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    for n in 0..count {
        let date = first + chrono::Days::new(n as u64);
        let text: String = ARTICLE
            .lines()
            .map(|line| match line.starts_with("date: ") {
                true => format!("date: {date}\n"),
                false => format!("{line}\n"),
            })
            .collect();
        std::fs::write(articles.join(format!("a{n}.md")), text).unwrap();
    }
    let diagnostics = Diagnostics::new();
    let site = streetpress::build::load_site(root, None, false, &diagnostics).expect("site");
    assert!(!diagnostics.has_errors(), "{:?}", diagnostics.into_sorted());
    (dir, site)
}

fn search_and_tally_benches(c: &mut Criterion) {
    let text = streetpress::search::text::html_to_text(&markdown::render(body(), &KeepLinks).html);
    c.bench_function("search: index one article (keys and positions)", |b| {
        b.iter_batched(
            || streetpress::search::index::IndexBuilder::new(1024),
            |mut builder| {
                builder.add(0, "社区志愿服务队走进老旧小区", &[&text]);
                builder
            },
            BatchSize::SmallInput,
        )
    });
    // As in a run, where most of an article's keys came in items before it.
    c.bench_function("search: index one more article (keys already seen)", |b| {
        b.iter_batched(
            || {
                let mut builder = streetpress::search::index::IndexBuilder::new(1024);
                builder.add(0, "社区志愿服务队走进老旧小区", &[&text]);
                builder
            },
            |mut builder| {
                builder.add(1, "社区志愿服务队走进老旧小区", &[&text]);
                builder
            },
            BatchSize::SmallInput,
        )
    });
    let (_dir, site) = site_of(200);
    c.bench_function("tally: 200 articles (outlets, reads, months)", |b| {
        b.iter(|| streetpress::stats::Tally::compute(black_box(&site), None))
    });
}

fn template_benches(c: &mut Criterion) {
    // Three articles of one category, so the page has a previous and a next.
    let (dir, site) = site_of(3);
    let root = dir.path();
    let theme = Theme::load(root, "default").expect("default theme");
    let renderer = Renderer::new(&site, &theme);
    let index = 1; // the middle one
    let diagnostics = Diagnostics::new();
    let content = markdown::render(body(), &KeepLinks).html;
    c.bench_function(
        "template: one article page (Tera, body already rendered)",
        |b| b.iter(|| renderer.article_html(index, 1, content.clone()).unwrap()),
    );
    c.bench_function("qr: one article's code, as SVG", |b| {
        let url =
            "https://example.gov.cn/chenghu/articles/2024/05/she-qu-zhi-yuan-zhe-ru-hu-bang-fu/";
        b.iter(|| streetpress::render::qr::svg_for(black_box(url)))
    });
    c.bench_function("page: one article (read, Markdown, template)", |b| {
        b.iter(|| renderer.render_article(index, &diagnostics).unwrap())
    });
}

criterion_group!(
    benches,
    front_matter_benches,
    markdown_benches,
    template_benches,
    search_and_tally_benches
);
criterion_main!(benches);
