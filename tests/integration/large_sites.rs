//! What keeps a site of many thousands of articles small and quick: a long
//! list links its first, last and nearby pages, not every page number.

use crate::support::Fixture;

#[test]
fn a_long_list_links_the_ends_and_the_nearby_pages() {
    let site = Fixture::new();
    // paginate = 2 in the fixture: 20 articles make 10 pages.
    for day in 1..=20 {
        site.article(
            &format!("n{day:02}.md"),
            &format!("title: 第{day}篇\ndate: 2024-03-{day:02}\ncategory: news"),
            "正文。",
        );
    }
    site.build_ok();
    let first = site.read("news/index.html");
    let nav = &first[first.find("class=\"pagination\"").expect("pagination")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    for linked in ["news/page/2/", "news/page/3/", "news/page/10/"] {
        assert!(nav.contains(linked), "{linked} missing in {nav}");
    }
    for skipped in ["news/page/5/", "news/page/8/"] {
        assert!(!nav.contains(skipped), "{skipped} linked in {nav}");
    }
    assert!(nav.contains('…'), "{nav}");
    let middle = site.read("news/page/5/index.html");
    for linked in [
        "news/\"",
        "news/page/3/",
        "news/page/4/",
        "news/page/6/",
        "news/page/7/",
        "news/page/10/",
    ] {
        assert!(middle.contains(linked), "{linked} missing on page 5");
    }
}
