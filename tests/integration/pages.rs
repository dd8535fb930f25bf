//! The index of honoured residents, activity records by year and month with
//! anchors that search results link to, footnotes under 注释 with a way
//! back, and a share image on every page: as the built pages show them.

use crate::images::photo;
use crate::support::{main_of, Fixture, SITE_TOML};

/// Three residents (one with a photo) and activity records over two years.
fn site() -> Fixture {
    let site = Fixture::new();
    site.write_bytes("content/people/wang.jpg", &photo(400, 500))
        .write(
            "content/people/wang-guilan.md",
            "---\nname: 王桂兰\nphoto: wang.jpg\nhonors:\n  - { title: 区级好人, year: 2023 }\ncommunity: 柳岸社区\n---\n她的故事。\n",
        )
        .write(
            "content/people/李蕾.md",
            "---\nname: 李蕾\nhonors:\n  - { title: 济南好人, year: 2024 }\n---\n她的故事。\n",
        )
        .write(
            "content/people/zhao.md",
            "---\nname: 赵强\nhonors:\n  - { title: 最美志愿者, year: 2022 }\n---\n他的故事。\n",
        )
        .write(
            "content/activities/a.yaml",
            "- date: 2024-03-15\n  kind: volunteer\n  title: 反诈宣传\n  participants: 120\n  article: a\n\
             - date: 2024-03-15\n  kind: volunteer\n  title: 同日义诊\n  participants: 30\n\
             - date: 2024-01-02\n  kind: news\n  title: 元旦走访\n\
             - date: 2023-12-20\n  kind: news\n  title: 冬日送暖\n",
        );
    site.article(
        "a.md",
        "title: 反诈宣传进社区\ndate: 2024-03-16\ncategory: volunteer",
        "统计表明[^n]，效果很好。\n\n[^n]: 按登记表统计。\n",
    );
    site
}

#[test]
fn the_people_index_lists_every_resident_a_page_at_a_time() {
    let site = site();
    site.build_ok();
    // `paginate = 2`: two pages, newest honour first.
    let first = site.read("people/index.html");
    let second = site.read("people/page/2/index.html");
    let first_main = main_of(&first);
    assert!(first_main.contains("<h1 class=\"page-title\">好人名录"));
    assert!(first_main.contains("共 <strong>3</strong> 位身边好人"));
    let li = first_main.find("李蕾").expect("李蕾 on page 1");
    let wang = first_main.find("王桂兰").expect("王桂兰 on page 1");
    assert!(li < wang, "2024 before 2023");
    assert!(first_main.contains("2024年 济南好人"));
    assert!(first_main.contains("alt=\"王桂兰的照片\""), "her photo");
    assert!(
        first_main.contains("href=\"/ceshi/people/page/2/\""),
        "paging"
    );
    assert!(main_of(&second).contains("赵强") && main_of(&second).contains("2022年 最美志愿者"));
    assert!(!main_of(&second).contains("李蕾"));
    // Linked from each resident's trail, the home page and the models page; in the sitemap.
    let resident = site.read("people/li-lei/index.html");
    assert!(
        resident.contains("<a href=\"/ceshi/people/\">好人名录</a>"),
        "{resident}"
    );
    assert!(main_of(&site.read("index.html")).contains("href=\"/ceshi/people/\""));
    assert!(main_of(&site.read("models/index.html")).contains("href=\"/ceshi/people/\""));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.gov.cn/ceshi/people/</loc>"));
}

#[test]
fn activity_records_are_grouped_by_month_with_anchors_on_their_years_pages() {
    let site = site();
    site.build_ok();
    let year = site.read("activities/2024/index.html");
    let main = main_of(&year);
    let march = main.find("id=\"2024-03\"").expect("a March anchor");
    let january = main.find("id=\"2024-01\"").expect("a January anchor");
    assert!(march < january, "newest month first");
    assert!(main.contains("2024年3月（2 场）"));
    assert!(main.contains("<a href=\"#2024-03\">3月</a>"), "jump links");
    assert!(main.contains("<tr id=\"r-2024-03-15-1\">"));
    assert!(
        main.contains("<tr id=\"r-2024-03-15-2\">"),
        "two records of a day"
    );
    assert!(!main.contains("冬日送暖"), "2023 is on its own page");
    assert!(site
        .read("activities/2023/index.html")
        .contains("<tr id=\"r-2023-12-20-1\">"));
    // The main page: the latest months (two records fill `paginate = 2`), all years linked.
    let all = site.read("activities/index.html");
    let main = main_of(&all);
    assert!(main.contains("id=\"2024-03\"") && !main.contains("id=\"2024-01\""));
    assert!(main.contains("共 <strong>4</strong> 场活动"));
    assert!(main.contains("href=\"/ceshi/activities/2023/\""));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.gov.cn/ceshi/activities/2023/</loc>"));
}

#[test]
fn search_records_of_activities_link_to_their_rows() {
    let site = site();
    site.build_ok();
    let links = record_links(&site);
    assert!(
        links.contains(&(
            "反诈宣传".to_string(),
            "activities/2024/#r-2024-03-15-1".to_string()
        )),
        "{links:?}"
    );
    assert!(links.contains(&(
        "冬日送暖".to_string(),
        "activities/2023/#r-2023-12-20-1".to_string()
    )));
    // The report is a result of its own.
    assert!(links
        .iter()
        .any(|(t, u)| t == "反诈宣传进社区" && u == "articles/2024/03/a/"));
}

/// The title and link of every search record the site wrote.
fn record_links(site: &Fixture) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site.public("search/d"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| streetpress::search::decode_record(&std::fs::read(e.path()).unwrap()).unwrap())
        .map(|r| (r.t, r.u))
        .collect()
}

#[test]
fn footnotes_have_a_heading_and_links_back() {
    let site = site();
    site.build_ok();
    let page = site.read("articles/2024/03/a/index.html");
    assert!(
        page.contains("<sup class=\"footnote-ref\" id=\"fnref-n\"><a href=\"#fn-n\" aria-label=\"注释1\">1</a></sup>"),
        "{page}"
    );
    let heading = page
        .find("<h2 class=\"footnotes-title\" data-search=\"skip\">注释</h2>")
        .expect("heading");
    assert!(page.find("效果很好").unwrap() < heading);
    assert!(page.contains(
        "<li id=\"fn-n\">\n<p>按登记表统计。 <a class=\"footnote-back\" data-search=\"skip\" href=\"#fnref-n\">↩ 返回正文</a></p>"
    ));
}

#[test]
fn every_page_has_a_share_image_at_an_absolute_url() {
    let site = site();
    site.write_bytes(
        "content/images/share.png",
        &crate::images::graphic(600, 600),
    );
    site.write(
        "site.toml",
        &SITE_TOML.replace(
            "paginate = 2\n",
            "paginate = 2\nshare_image = \"images/share.png\"\n",
        ),
    );
    site.build_ok();
    let og = |rel: &str| {
        let html = site.read(rel);
        let images: Vec<&str> = html
            .match_indices("<meta property=\"og:image\" content=\"")
            .map(|(i, m)| {
                let rest = &html[i + m.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        assert_eq!(images.len(), 1, "{rel}: one og:image");
        let image = images[0].to_string();
        assert!(
            html.contains(&format!(
                "<meta name=\"twitter:image\" content=\"{image}\">"
            )),
            "{rel}: twitter:image"
        );
        assert!(
            image.starts_with("https://example.gov.cn/ceshi/"),
            "{rel}: {image}"
        );
        let published = image.trim_start_matches("https://example.gov.cn/ceshi/");
        assert!(site.exists(published), "{rel}: {published} is published");
        image
    };
    let default = og("index.html");
    assert!(default.contains("/images/share-"), "{default}");
    for rel in [
        "volunteer/index.html",
        "articles/2024/03/a/index.html",
        "people/index.html",
        "people/li-lei/index.html",
        "activities/index.html",
        "activities/2024/index.html",
        "tags/index.html",
        "communities/index.html",
        "archive/index.html",
        "stats/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert_eq!(og(rel), default, "{rel}");
    }
    // A resident's own photo, in its largest published size.
    let photo = og("people/wang-guilan/index.html");
    assert!(photo.contains("/people/wang-"), "{photo}");
    assert!(
        !site.exists("images/share.png"),
        "the original is not published"
    );
}

#[test]
fn a_share_image_that_is_not_there_is_an_error_in_site_toml() {
    let site = site();
    site.write(
        "site.toml",
        &SITE_TOML.replace(
            "paginate = 2\n",
            "paginate = 2\nshare_image = \"images/nothing.png\"\n",
        ),
    );
    let run = site.build();
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("site.toml:5:1:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("找不到图片“images/nothing.png”"),
        "{}",
        run.stderr
    );
}
