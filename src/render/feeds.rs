//! RSS feeds (with full article content, since district portals pull
//! street-office news from feeds), the sitemap and robots.txt. Written here
//! rather than in templates so that they are always well-formed XML.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate};

use super::views::{permalink, url};
use crate::content::Article;
use crate::site::Site;

/// Indexes of the articles any feed carries: the newest of the site and of each category.
pub fn articles_in_feeds(site: &Site) -> HashSet<usize> {
    let categories = (0..site.config.categories.len()).map(Some);
    std::iter::once(None)
        .chain(categories)
        .flat_map(|category| items(site, category))
        .collect()
}

/// The articles a feed carries (the site's, or a category's), newest first.
pub fn items(site: &Site, category: Option<usize>) -> Vec<usize> {
    let limit = site.config.feed_limit;
    match category {
        None => (0..site.articles.len().min(limit)).collect(),
        Some(i) => site.by_category[i].iter().take(limit).copied().collect(),
    }
}

/// What a feed shows of an article besides its body, for `serve`'s memo
/// (the feed's own title and links come from the settings).
pub fn item_inputs(article: &Article) -> impl Hash + '_ {
    let offset = article.date.offset().local_minus_utc();
    (
        (&article.title, &article.url_path, article.date, offset),
        (&article.authors, article.category, &article.summary),
    )
}

/// A hash of everything the sitemaps are made of besides the settings, for
/// `serve`'s memo: cheaper by far than writing them.
pub fn sitemap_inputs(site: &Site) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    site.newest_date().map(|d| d.date_naive()).hash(&mut h);
    for article in &site.articles {
        (&article.url_path, article.date.date_naive()).hash(&mut h);
    }
    let others = site.people.iter().map(|p| &p.url_path);
    let others = others.chain(site.pages.iter().map(|p| &p.url_path));
    let others = others.chain(site.communities.iter().map(|c| &c.url_path));
    let others = others.chain(site.tags.iter().map(|t| &t.url_path));
    for path in others {
        path.hash(&mut h);
    }
    super::views::activity_years(site).hash(&mut h);
    site.district.hash(&mut h);
    h.finish()
}

pub fn rss(site: &Site, category: Option<usize>, bodies: &HashMap<usize, String>) -> String {
    let config = &site.config;
    let items = items(site, category);
    let (title, link, self_path) = match category {
        None => (
            config.title.clone(),
            config.base_url.clone(),
            "rss.xml".to_string(),
        ),
        Some(i) => {
            let key = site.category_key(i);
            (
                format!("{} - {}", config.categories[i].name, config.title),
                permalink(site, &format!("{key}/")),
                format!("{key}/rss.xml"),
            )
        }
    };
    let newest = items
        .first()
        .map(|&i| site.articles[i].date.to_rfc2822())
        .unwrap_or_default();
    let mut xml = String::with_capacity(4096 + items.len() * 4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n");
    let _ = writeln!(xml, "<title>{}</title>", escape(&title));
    let _ = writeln!(xml, "<link>{}</link>", escape(&link));
    let _ = writeln!(
        xml,
        "<description>{}</description>",
        escape(if config.description.is_empty() {
            &config.title
        } else {
            &config.description
        })
    );
    let _ = writeln!(
        xml,
        "<language>{}</language>",
        escape(&config.language.to_lowercase())
    );
    let _ = writeln!(
        xml,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(&permalink(site, &self_path))
    );
    if !newest.is_empty() {
        let _ = writeln!(xml, "<lastBuildDate>{newest}</lastBuildDate>");
    }
    for index in items {
        let article = &site.articles[index];
        let link = permalink(site, &article.url_path);
        let body = bodies
            .get(&index)
            .map(|html| absolute_srcsets(site, &absolute_urls(site, html)))
            .unwrap_or_default();
        xml.push_str("<item>\n");
        let _ = writeln!(xml, "<title>{}</title>", escape(&article.title));
        let _ = writeln!(xml, "<link>{}</link>", escape(&link));
        let _ = writeln!(xml, "<guid isPermaLink=\"true\">{}</guid>", escape(&link));
        let _ = writeln!(xml, "<pubDate>{}</pubDate>", article.date.to_rfc2822());
        for author in &article.authors {
            let _ = writeln!(xml, "<dc:creator>{}</dc:creator>", escape(author));
        }
        let _ = writeln!(
            xml,
            "<category>{}</category>",
            escape(&config.categories[article.category].name)
        );
        let _ = writeln!(
            xml,
            "<description>{}</description>",
            escape(&article.summary)
        );
        let _ = writeln!(xml, "<content:encoded>{}</content:encoded>", escape(&body));
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// Root-relative `src` and `href` made absolute, for readers outside the site.
fn absolute_urls(site: &Site, html: &str) -> String {
    let base_path = &site.config.base_path;
    let origin = &site.config.origin;
    html.replace(
        &format!(" src=\"{base_path}"),
        &format!(" src=\"{origin}{base_path}"),
    )
    .replace(
        &format!(" href=\"{base_path}"),
        &format!(" href=\"{origin}{base_path}"),
    )
}

/// Every root-relative entry of every `srcset` made absolute.
fn absolute_srcsets(site: &Site, html: &str) -> String {
    let base_path = &site.config.base_path;
    let origin = &site.config.origin;
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(" srcset=\"") {
        let value_start = start + " srcset=\"".len();
        let Some(length) = rest[value_start..].find('"') else {
            break;
        };
        out.push_str(&rest[..value_start]);
        let entries: Vec<String> = rest[value_start..value_start + length]
            .split(", ")
            .map(|entry| match entry.starts_with(base_path.as_str()) {
                true => format!("{origin}{entry}"),
                false => entry.to_string(),
            })
            .collect();
        out.push_str(&entries.join(", "));
        rest = &rest[value_start + length..];
    }
    out.push_str(rest);
    out
}

/// The sitemaps protocol allows at most 50,000 URLs in one file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// The sitemap files: `sitemap.xml` alone, or, for a site of more than
/// [`SITEMAP_LIMIT`] pages, `sitemap.xml` as an index of `sitemap-1.xml`,
/// `sitemap-2.xml`, … (search engines refuse a longer single file).
pub fn sitemaps(site: &Site) -> Vec<(String, String)> {
    sitemaps_of(site, SITEMAP_LIMIT)
}

fn sitemaps_of(site: &Site, limit: usize) -> Vec<(String, String)> {
    let mut entries: Vec<String> = Vec::new();
    let mut entry = |path: &str, lastmod: Option<NaiveDate>| {
        let mut xml = String::with_capacity(96 + path.len() * 3);
        xml.push_str("<url><loc>");
        push_escaped(&mut xml, &permalink(site, path));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            // Written out by hand: a format string parsed for each of
            // thousands of pages costs more than the rest of the entry.
            let (y, m, d) = (date.year(), date.month(), date.day());
            let _ = write!(xml, "<lastmod>{y:04}-{m:02}-{d:02}</lastmod>");
        }
        xml.push_str("</url>\n");
        entries.push(xml);
    };
    entry("", site.newest_date().map(|d| d.date_naive()));
    for category in &site.config.categories {
        entry(&format!("{}/", category.key), None);
    }
    for article in &site.articles {
        entry(&article.url_path, Some(article.date.date_naive()));
    }
    for person in &site.people {
        entry(&person.url_path, None);
    }
    for page in &site.pages {
        entry(&page.url_path, None);
    }
    for community in &site.communities {
        entry(&community.url_path, None);
    }
    for tag in &site.tags {
        entry(&tag.url_path, None);
    }
    for path in ["people/", "activities/", "archive/", "stats/"] {
        entry(path, None);
    }
    for year in super::views::activity_years(site) {
        entry(&super::views::activity_year_path(year), None);
    }
    if let Some(district) = &site.district {
        let lastmod = district.as_of;
        entry(super::pages::district::LEAGUE_PATH, lastmod);
        entry(super::pages::district::OFFICES_PATH, lastmod);
        for office in &district.offices {
            entry(
                &super::pages::district::office_path(office),
                office.stats.as_of,
            );
        }
    }
    let urlset = |entries: &[String]| {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        entries.iter().for_each(|e| xml.push_str(e));
        xml.push_str("</urlset>\n");
        xml
    };
    if entries.len() <= limit {
        return vec![("sitemap.xml".to_string(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (number, chunk) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", number + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            escape(&permalink(site, &name))
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".to_string(), index));
    files
}

pub fn robots(site: &Site) -> String {
    let sitemap = if site.config.origin.is_empty() {
        url(site, "sitemap.xml")
    } else {
        permalink(site, "sitemap.xml")
    };
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 16);
    push_escaped(&mut escaped, text);
    escaped
}

/// Appends `text` escaped to `out`, copying the runs between the characters
/// to escape whole (a feed carries whole articles). Those characters are
/// all ASCII, so a byte of one is never inside another character.
fn push_escaped(out: &mut String, text: &str) {
    let mut from = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            // Characters XML 1.0 forbids are dropped rather than breaking the feed.
            b'\n' | b'\r' | b'\t' => continue,
            byte if byte < 0x20 => "",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(replacement);
        from = at + 1;
    }
    out.push_str(&text[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_of(articles: usize) -> Site {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join("site.toml"),
            "base_url = \"https://example.gov.cn/x/\"\n",
        )
        .unwrap();
        let folder = root.path().join("content/articles");
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..articles {
            std::fs::write(
                folder.join(format!("a{i}.md")),
                format!("---\ntitle: 第{i}篇\ndate: 2024-03-01\n---\n正文。\n"),
            )
            .unwrap();
        }
        let diagnostics = crate::diagnostics::Diagnostics::new();
        crate::build::load_site(root.path(), None, false, &diagnostics).unwrap()
    }

    #[test]
    fn a_long_sitemap_is_split_under_an_index() {
        let site = site_of(6);
        assert_eq!(sitemaps_of(&site, 100).len(), 1, "one file while it fits");
        let files = sitemaps_of(&site, 5);
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        // Home, 4 categories, 6 articles, the residents' index, archive,
        // activities and the tally: 15 URLs.
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(files[0]
            .1
            .contains("<loc>https://example.gov.cn/x/sitemap-3.xml</loc>"));
        let urls: usize = files[1..]
            .iter()
            .map(|(_, xml)| xml.matches("<url>").count())
            .sum();
        assert_eq!(urls, 15);
        assert!(files[1..]
            .iter()
            .all(|(_, xml)| xml.matches("<url>").count() <= 5));
    }

    #[test]
    fn xml_text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            escape("<p class=\"a\">老人 & 孩子's\u{1}\t\n</p>"),
            "&lt;p class=&quot;a&quot;&gt;老人 &amp; 孩子&apos;s\t\n&lt;/p&gt;"
        );
        assert_eq!(escape("清河湾"), "清河湾");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn sitemap_entries_give_each_article_its_date() {
        let site = site_of(2);
        let (_, xml) = &sitemaps_of(&site, 100)[0];
        assert_eq!(xml.matches("<lastmod>2024-03-01</lastmod>").count(), 3);
        assert!(xml.contains(
            "<url><loc>https://example.gov.cn/x/</loc><lastmod>2024-03-01</lastmod></url>\n"
        ));
    }
}
