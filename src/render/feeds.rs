//! RSS feeds (with full article content, since district portals pull
//! street-office news from feeds), the sitemap and robots.txt. Written here
//! rather than in templates so that they are always well-formed XML.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::views::{permalink, url};
use crate::site::Site;

/// Indexes of the articles any feed carries: the newest of the site and of each category.
pub fn articles_in_feeds(site: &Site) -> HashSet<usize> {
    let limit = site.config.feed_limit;
    let mut set: HashSet<usize> = (0..site.articles.len().min(limit)).collect();
    for list in &site.by_category {
        set.extend(list.iter().take(limit).copied());
    }
    set
}

pub fn rss(site: &Site, category: Option<usize>, bodies: &HashMap<usize, String>) -> String {
    let config = &site.config;
    let limit = config.feed_limit;
    let (items, title, link, self_path): (Vec<usize>, String, String, String) = match category {
        None => (
            (0..site.articles.len().min(limit)).collect(),
            config.title.clone(),
            config.base_url.clone(),
            "rss.xml".into(),
        ),
        Some(i) => {
            let key = site.category_key(i);
            (
                site.by_category[i].iter().take(limit).copied().collect(),
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

pub fn sitemap(site: &Site) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut entry = |path: &str, lastmod: Option<String>| {
        let _ = write!(xml, "<url><loc>{}</loc>", escape(&permalink(site, path)));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    entry(
        "",
        site.newest_date().map(|d| d.format("%Y-%m-%d").to_string()),
    );
    for category in &site.config.categories {
        entry(&format!("{}/", category.key), None);
    }
    for article in &site.articles {
        entry(
            &article.url_path,
            Some(article.date.format("%Y-%m-%d").to_string()),
        );
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
    for path in ["activities/", "archive/"] {
        entry(path, None);
    }
    xml.push_str("</urlset>\n");
    xml
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
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the feed.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => escaped.push(c),
        }
    }
    escaped
}
