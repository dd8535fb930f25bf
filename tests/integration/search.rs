//! The search index a build writes: the search page and the header box,
//! what is found (articles, activity records, residents, pages), and what
//! never is (drafts, articles not due yet).

use streetpress::search::query::Index;
use streetpress::search::{decode_record, record_path};

use crate::support::Fixture;

fn site() -> Fixture {
    let site = Fixture::new();
    site.article(
        "anti-fraud.md",
        "title: 反诈宣传进社区\ndate: 2024-03-01\ncommunity: 洸河社区\nauthor: 王小明\ntags: [反诈]",
        "志愿者走进洸河社区，\n向老年人讲解**智能手机**防骗知识。\n\n![志愿者在讲解](https://example.com/a.jpg)\n",
    )
    .article(
        "older.md",
        "title: 社区义诊\ndate: 2023-05-01\ncategory: volunteer",
        "医生为居民义诊，也讲了反诈知识。5G 网络进小区。",
    )
    .article(
        "draft.md",
        "title: 草稿文章\ndate: 2024-01-01\ndraft: true",
        "这里有一个草稿专用词语。",
    )
    .article(
        "future.md",
        "title: 以后的文章\ndate: 2099-01-01",
        "这里有一个未来专用词语。",
    )
    .write(
        "content/activities/2024.yaml",
        "- date: 2024-04-02\n  kind: volunteer\n  title: 垃圾分类宣传\n  community: 锦绣社区\n  place: 党群服务中心\n",
    )
    .write(
        "content/people/li.md",
        "---\nname: 李春梅\nhonors:\n  - { title: 区级好人, year: 2023 }\n---\n她照顾瘫痪的婆婆二十年。\n",
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: 关于我们\n---\n清河湾街道新时代文明实践所。\n",
    );
    site
}

fn titles(site: &Fixture, index: &Index, query: &str) -> Vec<String> {
    index
        .search(query)
        .iter()
        .map(|hit| {
            let path = site.public("search").join(record_path(hit.doc));
            decode_record(&std::fs::read(path).unwrap()).unwrap().t
        })
        .collect()
}

#[test]
fn every_kind_of_item_is_found_and_drafts_and_future_articles_never_are() {
    let site = site();
    site.build_ok();
    let index = Index::open(&site.public("search")).unwrap();
    assert_eq!(
        titles(&site, &index, "反诈"),
        ["反诈宣传进社区", "社区义诊"],
        "title hit first"
    );
    assert_eq!(titles(&site, &index, "智能手机"), ["反诈宣传进社区"]);
    assert_eq!(titles(&site, &index, "洸河 王小明"), ["反诈宣传进社区"]);
    assert_eq!(
        titles(&site, &index, "在讲解"),
        ["反诈宣传进社区"],
        "image descriptions"
    );
    assert_eq!(titles(&site, &index, "2024年3月1日"), ["反诈宣传进社区"]);
    assert_eq!(titles(&site, &index, "5g网络"), ["社区义诊"]);
    assert_eq!(titles(&site, &index, "党群服务"), ["垃圾分类宣传"]);
    assert_eq!(titles(&site, &index, "瘫痪"), ["李春梅"]);
    assert_eq!(titles(&site, &index, "区级好人"), ["李春梅"]);
    assert_eq!(titles(&site, &index, "文明实践所"), ["关于我们"]);
    assert!(titles(&site, &index, "草稿专用").is_empty());
    assert!(titles(&site, &index, "未来专用").is_empty());
    let every_record: String = walkdir::WalkDir::new(site.public("search/d"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| decode_record(&std::fs::read(e.path()).unwrap()).unwrap().x)
        .collect();
    assert!(every_record.contains("瘫痪"));
    assert!(!every_record.contains("草稿专用") && !every_record.contains("未来专用"));
}

#[test]
fn the_search_page_and_the_header_box() {
    let site = site();
    site.build_ok();
    let page = site.read("search/index.html");
    assert!(page.contains("<noscript>"), "{page}");
    assert!(
        page.contains("href=\"/ceshi/archive/\""),
        "links the archive"
    );
    assert!(page.contains("src=\"/ceshi/search.js\""));
    assert!(page.contains("data-index=\"/ceshi/search/\""));
    assert!(site.exists("search.js") && site.exists("search.css"));
    let home = site.read("index.html");
    assert!(
        home.contains("action=\"/ceshi/search/\"") && home.contains("name=\"q\""),
        "the header has a search box"
    );
    let meta = site.read("search/meta.json");
    assert!(meta.contains("\"docs\":5"), "{meta}");
}
