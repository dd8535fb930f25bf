//! What a build writes: every page of SPEC section 9, with links that honour
//! the base path, Chinese text rules, feeds with full content.

use crate::support::{main_of, Fixture};

fn news_site() -> Fixture {
    let site = Fixture::new();
    site.article(
        "2024-03-anti-fraud.md",
        "title: 反诈知识进社区\ndate: 2024-03-15 10:30\ncategory: volunteer\nauthor: [张三, 李四]\nsource: 测试发布\noutlets: [学习强国, 测试发布]\neditor: 王五\ncommunity: 柳岸社区\ngrid: 第3网格\ntags: [反诈, 助老]\nreads: 1200\nphotographer: 赵六",
        "社区志愿者\n走进小区，讲解反诈知识。**真，**她说。\n\n## 一、活动安排\n\n正文第二段。\n",
    )
    .article("助老食堂开业.md", "title: 助老食堂开业\ndate: 2024-04-02\ncategory: 志愿服务\ncommunity: 柳岸社区", "老人们吃上了热饭。\n")
    .article("2024-05-lecture.md", "title: 宣讲进社区\ndate: 2024-05-20T09:00:00+08:00\ncategory: lectures\ntags: [反诈]", "宣讲团来到社区。\n")
    .article("2024-06-news.md", "title: 防汛演练\ndate: 2024-06-01 08:00:00", "开展防汛演练。\n")
    .article("2024-06-volunteer.md", "title: 义诊进小区\ndate: 2024-06-10\ncategory: volunteer", "义诊。\n")
    .write("content/activities/2024-03.yaml", "- date: 2024-03-15\n  kind: volunteer\n  title: 反诈宣传\n  community: 柳岸社区\n  grid: 第3网格\n  participants: 120\n  volunteers: 8\n  hours: 16\n  article: 2024-03-anti-fraud\n- date: 2024-03-20\n  kind: 理论宣讲\n  title: 宣讲活动\n  participants: 60\n")
    .write("content/activities/single.yaml", "date: 2024-04-01\nkind: news\ntitle: 单条记录\ncommunity: 望湖社区\n")
    .write("content/people/wang-guilan.md", "---\nname: 王桂兰\nhonors:\n  - { title: 区级好人, year: 2023 }\ncommunity: 柳岸社区\n---\n她的故事。\n")
    .write("content/people/李蕾.md", "---\nname: 李蕾\nhonors:\n  - { title: 济南好人, year: 2024 }\n---\n她的故事。\n")
    .write("content/pages/about.md", "---\ntitle: 关于我们\n---\n我们是街道新时代文明实践所。\n");
    site
}

#[test]
fn every_page_of_the_contract_is_written() {
    let site = news_site();
    let run = site.build_ok();
    assert!(
        run.stdout
            .contains("已生成网站：5 篇文章，3 条活动记录，2 位身边好人"),
        "{}",
        run.stdout
    );
    for path in [
        "index.html",
        "articles/2024/03/2024-03-anti-fraud/index.html",
        "articles/2024/04/zhu-lao-shi-tang-kai-ye/index.html",
        "volunteer/index.html",
        "volunteer/page/2/index.html",
        "lectures/index.html",
        "models/index.html",
        "news/index.html",
        "people/wang-guilan/index.html",
        "people/li-lei/index.html",
        "tags/反诈/index.html",
        "tags/index.html",
        "communities/柳岸社区/index.html",
        "communities/index.html",
        "activities/index.html",
        "archive/index.html",
        "archive/2024/index.html",
        "about/index.html",
        "rss.xml",
        "volunteer/rss.xml",
        "sitemap.xml",
        "404.html",
        "robots.txt",
        "style.css",
    ] {
        assert!(site.exists(path), "missing {path}");
    }
    assert!(
        !site.exists("volunteer/page/3/index.html"),
        "only two pages of two articles each"
    );
}

#[test]
fn article_page_shows_what_readers_expect() {
    let site = news_site();
    site.build_ok();
    let html = site.read("articles/2024/03/2024-03-anti-fraud/index.html");
    let main = main_of(&html);
    assert!(
        main.contains("2024年03月15日 10:30"),
        "Chinese date: {main}"
    );
    assert!(main.contains("来源：测试发布"));
    assert!(main.contains("作者：张三、李四"));
    assert!(main.contains("浏览量：1200"));
    assert!(main.contains("责任编辑：王五"));
    // CJK soft break joined, bold beside Chinese punctuation, Chinese heading id.
    assert!(main.contains("社区志愿者走进小区"), "{main}");
    assert!(main.contains("<strong>真，</strong>她说"), "{main}");
    assert!(main.contains("<h2 id=\"一活动安排\">"), "{main}");
    // Links honour the base path /ceshi/.
    assert!(
        main.contains("href=\"/ceshi/tags/%E5%8F%8D%E8%AF%88/\""),
        "{main}"
    );
    assert!(
        main.contains("href=\"/ceshi/communities/%E6%9F%B3%E5%B2%B8%E7%A4%BE%E5%8C%BA/\""),
        "{main}"
    );
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/ceshi/style.css\">"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn previous_and_next_stay_in_the_category() {
    let site = news_site();
    site.build_ok();
    let middle = site.read("articles/2024/04/zhu-lao-shi-tang-kai-ye/index.html");
    assert!(
        middle.contains(
            "上一篇：</span><a href=\"/ceshi/articles/2024/03/2024-03-anti-fraud/\">反诈知识进社区</a>"
        ),
        "{}",
        main_of(&middle)
    );
    assert!(
        middle.contains(
            "下一篇：</span><a href=\"/ceshi/articles/2024/06/2024-06-volunteer/\">义诊进小区</a>"
        ),
        "{}",
        main_of(&middle)
    );
}

#[test]
fn unknown_front_matter_fields_reach_templates_as_page_extra() {
    let site = news_site();
    site.write("themes/custom/templates/article.html", "{{ page.title }}{% if page.extra.photographer %} 摄影：{{ page.extra.photographer }}{% endif %}");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("timezone", "theme = \"custom\"\ntimezone"),
    );
    site.build_ok();
    assert_eq!(
        site.read("articles/2024/03/2024-03-anti-fraud/index.html"),
        "反诈知识进社区 摄影：赵六"
    );
}

#[test]
fn activity_records_appear_on_kind_community_and_activities_pages() {
    let site = news_site();
    site.build_ok();
    let volunteer = site.read("volunteer/index.html");
    assert!(volunteer.contains("反诈宣传"));
    assert!(
        volunteer.contains("href=\"/ceshi/articles/2024/03/2024-03-anti-fraud/\">反诈宣传</a>"),
        "record links its article"
    );
    assert!(
        site.read("lectures/index.html").contains("宣讲活动"),
        "kind by display name"
    );
    assert!(
        site.read("communities/望湖社区/index.html")
            .contains("单条记录"),
        "a file with one record"
    );
    let all = site.read("activities/index.html");
    assert!(
        all.contains("共 <strong>3</strong> 场活动，服务群众 <strong>180</strong> 人次"),
        "{}",
        main_of(&all)
    );
}

#[test]
fn residents_are_listed_by_year_on_the_models_page() {
    let site = news_site();
    site.build_ok();
    let models = main_of(&site.read("models/index.html")).to_string();
    let newer = models.find("2024年").expect("2024");
    let older = models.find("2023年").expect("2023");
    assert!(newer < older, "newest year first");
    assert!(models.contains("济南好人") && models.contains("区级好人"));
    assert!(
        models.contains("/ceshi/people/li-lei/"),
        "pinyin slug of a Chinese file name"
    );
}

#[test]
fn feeds_carry_full_content_with_absolute_urls() {
    let site = news_site();
    site.write_bytes("content/images/a.png", &crate::images::graphic(64, 48));
    site.article(
        "2024-07-photo.md",
        "title: 有图的文章\ndate: 2024-07-01\ncategory: news",
        "正文。\n\n![活动现场](../images/a.png)\n",
    );
    site.build_ok();
    let rss = site.read("rss.xml");
    assert!(rss.contains("<title>有图的文章</title>"));
    assert!(
        rss.contains("&lt;img src=&quot;https://example.gov.cn/ceshi/images/a-64.png&quot;"),
        "{rss}"
    );
    assert!(rss.contains(
        "<link>https://example.gov.cn/ceshi/articles/2024/03/2024-03-anti-fraud/</link>"
    ));
    let volunteer_feed = site.read("volunteer/rss.xml");
    assert!(volunteer_feed.contains("义诊进小区") && !volunteer_feed.contains("防汛演练"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.gov.cn/ceshi/tags/%E5%8F%8D%E8%AF%88/</loc>"));
    assert!(sitemap.contains("<loc>https://example.gov.cn/ceshi/stats/</loc>"));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://example.gov.cn/ceshi/sitemap.xml"));
}

#[test]
fn base_url_can_be_overridden() {
    let site = news_site();
    let run = site.run(&["build", "--base-url", "http://localhost:8080/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("index.html").contains("href=\"/style.css\""));
    assert!(site
        .read("rss.xml")
        .contains("<link>http://localhost:8080/</link>"));
}

#[test]
fn page_bundle_images_sit_beside_their_article() {
    let site = Fixture::new();
    site.write("content/articles/renovation/index.md", "---\ntitle: 老旧小区改造\ndate: 2024-09-01\ncover: photo.jpg\n---\n![改造后的小区](photo.jpg)\n");
    site.write_bytes(
        "content/articles/renovation/photo.jpg",
        &crate::images::photo(600, 400),
    );
    site.build_ok();
    for width in [480, 600] {
        assert!(site.exists(&format!("articles/2024/09/renovation/photo-{width}.jpg")));
    }
    let html = site.read("articles/2024/09/renovation/index.html");
    assert!(
        html.contains("src=\"/ceshi/articles/2024/09/renovation/photo-600.jpg\""),
        "{}",
        main_of(&html)
    );
    assert!(
        site.read("news/index.html")
            .contains("src=\"/ceshi/articles/2024/09/renovation/photo-480.jpg\""),
        "small cover in lists"
    );
}

#[test]
fn links_between_articles_by_file_name_resolve() {
    let site = news_site();
    site.article(
        "2024-08-links.md",
        "title: 链接\ndate: 2024-08-01",
        "参见[反诈文章](2024-03-anti-fraud.md#一活动安排)和[关于我们](/about/)。\n",
    );
    site.build_ok();
    let html = site.read("articles/2024/08/2024-08-links/index.html");
    assert!(html.contains("href=\"/ceshi/articles/2024/03/2024-03-anti-fraud/#%E4%B8%80%E6%B4%BB%E5%8A%A8%E5%AE%89%E6%8E%92\""), "{}", main_of(&html));
    assert!(html.contains("href=\"/ceshi/about/\""));
}

#[test]
fn drafts_and_future_articles_are_left_out_unless_asked() {
    let site = news_site();
    site.article(
        "draft.md",
        "title: 草稿文章\ndate: 2024-07-01\ndraft: true",
        "未完成。\n",
    );
    site.article(
        "future.md",
        "title: 未来文章\ndate: 2030-01-01",
        "还没到。\n",
    );
    site.build_ok();
    assert!(!site.exists("articles/2024/07/draft/index.html"));
    assert!(!site.exists("articles/2030/01/future/index.html"));
    assert!(!site.read("rss.xml").contains("草稿文章"));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.exists("articles/2024/07/draft/index.html"));
    assert!(
        !site.exists("articles/2030/01/future/index.html"),
        "--drafts does not publish future articles"
    );
}

#[test]
fn dates_in_every_form_and_summaries_at_sentence_ends() {
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-15", "第一句话。")
        .article("b.md", "title: 乙\ndate: 2024-03-15 10:34", "乙。")
        .article("c.md", "title: 丙\ndate: 2024-03-15 10:34:02", "丙。")
        .article("d.md", "title: 丁\ndate: 2024-03-15T02:34:02Z", "丁。")
        .article("e.md", "title: 戊\ndate: “2024-03-16”", "戊。")
        .article(
            "f.md",
            "title: 己\ndate: 2024-03-17",
            &format!("{}。{}。", "前".repeat(100), "后".repeat(100)),
        );
    site.build_ok();
    assert!(
        site.read("articles/2024/03/d/index.html")
            .contains("2024年03月15日 10:34"),
        "UTC converted to site time"
    );
    assert!(
        site.exists("articles/2024/03/e/index.html"),
        "curly quotes around a date are tolerated"
    );
    let list = site.read("news/index.html");
    let summary = format!("{}。", "前".repeat(100));
    assert!(
        list.contains(&format!("<p class=\"summary\">{summary}</p>")),
        "{}",
        main_of(&list)
    );
}
