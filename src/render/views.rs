//! Small borrowed views of the site that templates see. Each page's context
//! holds only what that page shows; nothing copies the whole site.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::content::{Activity, Article, Person};
use crate::site::Site;
use crate::slug::encode_path;

/// The root-relative URL of a site path, percent-encoded, with the base path.
pub fn url(site: &Site, site_path: &str) -> String {
    site.config.url(&encode_path(site_path))
}

/// The absolute URL of a site path.
pub fn permalink(site: &Site, site_path: &str) -> String {
    site.config.permalink(&encode_path(site_path))
}

/// The site path of a file under `content/` (an image), if it is published.
pub fn asset_path<'a>(site: &'a Site, content_rel: &str) -> Option<&'a str> {
    site.source_urls.get(content_rel).map(String::as_str)
}

/// A referenced image with its published sizes, for templates.
pub fn image(site: &Site, content_rel: Option<&str>) -> Option<ImageView> {
    let processed = site.images.get(content_rel?)?;
    Some(crate::images::view(processed, |p| url(site, p)))
}

/// The URL templates get as `cover` or `photo`: the smallest size of a
/// processed image (lists and cards show it small), else the file itself.
fn small_image_url(site: &Site, content_rel: Option<&str>) -> Option<String> {
    let rel = content_rel?;
    match site.images.get(rel) {
        Some(processed) => Some(url(site, &processed.variants[0].path)),
        None => asset_path(site, rel).map(|p| url(site, p)),
    }
}

pub use crate::images::ImageView;

#[derive(Serialize)]
pub struct LinkRef {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct CategoryRef<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub url: String,
}

pub fn category(site: &Site, index: usize) -> CategoryRef<'_> {
    let category = &site.config.categories[index];
    CategoryRef {
        key: &category.key,
        name: &category.name,
        url: url(site, &format!("{}/", category.key)),
    }
}

pub fn community_link(site: &Site, name: &str) -> LinkRef {
    LinkRef {
        name: name.to_string(),
        url: url(
            site,
            &format!("communities/{}/", crate::slug::path_segment(name)),
        ),
    }
}

pub fn tag_link(site: &Site, name: &str) -> LinkRef {
    LinkRef {
        name: name.to_string(),
        url: url(site, &format!("tags/{}/", crate::slug::path_segment(name))),
    }
}

/// An article as it appears in lists and cards.
#[derive(Serialize)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
    pub category: CategoryRef<'a>,
    pub summary: &'a str,
    /// URL of the small cover.
    pub cover: Option<String>,
    /// The cover with all its sizes (`src`, `srcset`, `width`, `height`, …).
    pub cover_image: Option<ImageView>,
    pub community: Option<LinkRef>,
    pub authors: &'a [String],
    pub reads: Option<u64>,
}

pub fn article_card<'a>(site: &'a Site, article: &'a Article) -> ArticleCard<'a> {
    ArticleCard {
        title: &article.title,
        url: url(site, &article.url_path),
        date: article.date.to_rfc3339(),
        category: category(site, article.category),
        summary: &article.summary,
        cover: small_image_url(site, article.cover.as_deref()),
        cover_image: image(site, article.cover.as_deref()),
        community: article
            .community
            .as_deref()
            .map(|c| community_link(site, c)),
        authors: &article.authors,
        reads: article.reads,
    }
}

pub fn article_cards<'a>(site: &'a Site, indexes: &[usize]) -> Vec<ArticleCard<'a>> {
    indexes
        .iter()
        .map(|&i| article_card(site, &site.articles[i]))
        .collect()
}

/// The HTML of a Markdown body, as a template is given it. A page's
/// fingerprint (`pages`) stands for a body by the body's own fingerprint,
/// so the text is left out of it: a hash that does not read back (not
/// human-readable, in serde's terms) sees nothing here.
pub struct BodyHtml(pub String);

impl Serialize for BodyHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.0)
        } else {
            serializer.serialize_unit()
        }
    }
}

/// An article on its own page: everything readers see.
#[derive(Serialize)]
pub struct ArticlePage<'a> {
    #[serde(flatten)]
    pub card: ArticleCard<'a>,
    pub permalink: String,
    pub slug: &'a str,
    pub source: Option<&'a str>,
    pub editor: Option<&'a str>,
    pub outlets: &'a [String],
    pub grid: Option<&'a str>,
    pub tags: Vec<LinkRef>,
    pub content: BodyHtml,
    pub reading_minutes: usize,
    pub chinese_characters: usize,
    pub cover_permalink: Option<String>,
    pub extra: &'a Map<String, Value>,
}

pub fn article_page<'a>(site: &'a Site, article: &'a Article, content: String) -> ArticlePage<'a> {
    // Shared pages show the largest size, never the original with its EXIF.
    let cover_permalink = article.cover.as_deref().and_then(|c| {
        let path = match site.images.get(c) {
            Some(processed) => processed.largest().path.as_str(),
            None => asset_path(site, c)?,
        };
        Some(permalink(site, path))
    });
    ArticlePage {
        card: article_card(site, article),
        permalink: permalink(site, &article.url_path),
        slug: &article.slug,
        source: article.source.as_deref(),
        editor: article.editor.as_deref(),
        outlets: &article.outlets,
        grid: article.grid.as_deref(),
        tags: article.tags.iter().map(|t| tag_link(site, t)).collect(),
        content: BodyHtml(content),
        reading_minutes: article.reading.minutes,
        chinese_characters: article.reading.chinese_characters,
        cover_permalink,
        extra: &article.extra,
    }
}

#[derive(Serialize)]
pub struct ActivityView<'a> {
    pub date: String,
    pub kind: CategoryRef<'a>,
    pub title: &'a str,
    pub community: Option<LinkRef>,
    pub grid: Option<&'a str>,
    pub place: Option<&'a str>,
    pub organizer: Option<&'a str>,
    pub participants: u64,
    pub volunteers: u64,
    pub hours: f64,
    pub article: Option<LinkRef>,
    pub extra: &'a Map<String, Value>,
}

pub fn activity<'a>(site: &'a Site, activity: &'a Activity) -> ActivityView<'a> {
    ActivityView {
        date: activity.date.to_rfc3339(),
        kind: category(site, activity.kind),
        title: &activity.title,
        community: activity
            .community
            .as_deref()
            .map(|c| community_link(site, c)),
        grid: activity.grid.as_deref(),
        place: activity.place.as_deref(),
        organizer: activity.organizer.as_deref(),
        participants: activity.participants,
        volunteers: activity.volunteers,
        hours: activity.hours,
        article: activity
            .article
            .as_deref()
            .and_then(|slug| site.article_by_slug(slug))
            .map(|a| LinkRef {
                name: a.title.clone(),
                url: url(site, &a.url_path),
            }),
        extra: &activity.extra,
    }
}

pub fn activities<'a>(site: &'a Site, indexes: &[usize]) -> Vec<ActivityView<'a>> {
    indexes
        .iter()
        .map(|&i| activity(site, &site.activities[i]))
        .collect()
}

/// Totals of a set of activity records.
#[derive(Serialize, Default)]
pub struct ActivityTotals {
    pub count: usize,
    pub participants: u64,
    pub volunteers: u64,
    pub hours: f64,
}

pub fn activity_totals<'a>(records: impl Iterator<Item = &'a Activity>) -> ActivityTotals {
    records.fold(ActivityTotals::default(), |mut totals, a| {
        totals.count += 1;
        totals.participants += a.participants;
        totals.volunteers += a.volunteers;
        totals.hours += a.hours;
        totals
    })
}

#[derive(Serialize)]
pub struct PersonCard<'a> {
    pub name: &'a str,
    pub url: String,
    /// URL of the small photo.
    pub photo: Option<String>,
    /// The photo with all its sizes.
    pub photo_image: Option<ImageView>,
    pub community: Option<LinkRef>,
    pub honors: &'a [crate::content::person::Honor],
    pub summary: &'a str,
}

pub fn person_card<'a>(site: &'a Site, person: &'a Person) -> PersonCard<'a> {
    PersonCard {
        name: &person.name,
        url: url(site, &person.url_path),
        photo: small_image_url(site, person.photo.as_deref()),
        photo_image: image(site, person.photo.as_deref()),
        community: person.community.as_deref().map(|c| community_link(site, c)),
        honors: &person.honors,
        summary: &person.summary,
    }
}

/// What every page gets as `site`: settings, menu, footer. Built once.
pub fn site_value(site: &Site) -> Value {
    let config = &site.config;
    let categories: Vec<CategoryRef<'_>> = (0..config.categories.len())
        .map(|i| category(site, i))
        .collect();
    let pages: Vec<LinkRef> = site
        .pages
        .iter()
        .map(|p| LinkRef {
            name: p.title.clone(),
            url: url(site, &p.url_path),
        })
        .collect();
    let domain = url::Url::parse(&config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    json!({
        "title": config.title,
        "domain": domain,
        "description": config.description,
        "author": config.author,
        "base_url": config.base_url,
        "base_path": config.base_path,
        "language": config.language,
        "categories": categories,
        "pages": pages,
        "footer": config.footer,
        "extra": config.extra,
        "home_url": config.base_path,
        "rss_url": url(site, "rss.xml"),
        "archive_url": url(site, "archive/"),
        "activities_url": url(site, "activities/"),
        "tags_url": url(site, "tags/"),
        "communities_url": url(site, "communities/"),
    })
}

/// Page links for a paginated list whose first page is at `base` (`volunteer/`).
#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The first and last pages and those near the current one, at most
    /// `2 * PAGE_WINDOW + 3` links: a list of 1,250 pages must not put 1,250
    /// links on each of its pages.
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were skipped before this one (the theme shows `…`).
    pub gap_before: bool,
}

/// How many pages on each side of the current one get a link.
pub const PAGE_WINDOW: usize = 2;

/// The site path of page `number` of a list at `base`.
pub fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The page numbers a paginator links to: every page of a short list; else
/// the first, the last, and those within `PAGE_WINDOW` of the current one.
pub fn page_numbers(current: usize, total: usize) -> Vec<usize> {
    if total <= 2 * PAGE_WINDOW + 3 {
        return (1..=total.max(1)).collect();
    }
    let near = current.saturating_sub(PAGE_WINDOW).max(2)..=(current + PAGE_WINDOW).min(total - 1);
    std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect()
}

pub fn paginator(site: &Site, base: &str, current: usize, total: usize) -> Paginator {
    let link = |n: usize| url(site, &page_path(base, n));
    let mut previous = 0;
    let pages = page_numbers(current, total)
        .into_iter()
        .map(|number| {
            let gap_before = number > previous + 1;
            previous = number;
            PageLink {
                number,
                url: link(number),
                current: number == current,
                gap_before,
            }
        })
        .collect();
    Paginator {
        current,
        total,
        prev_url: (current > 1).then(|| link(current - 1)),
        next_url: (current < total).then(|| link(current + 1)),
        pages,
    }
}

#[derive(Serialize)]
pub struct Crumb {
    pub name: String,
    pub url: Option<String>,
}

pub fn crumbs(site: &Site, trail: Vec<(String, Option<String>)>) -> Vec<Crumb> {
    let mut all = vec![Crumb {
        name: "首页".into(),
        url: Some(site.config.base_path.clone()),
    }];
    all.extend(trail.into_iter().map(|(name, url)| Crumb { name, url }));
    all
}

#[cfg(test)]
mod tests {
    use super::page_numbers;

    #[test]
    fn short_lists_link_every_page() {
        assert_eq!(page_numbers(1, 1), [1]);
        assert_eq!(page_numbers(3, 7), [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn long_lists_link_the_ends_and_the_pages_near_the_current_one() {
        assert_eq!(page_numbers(1, 125), [1, 2, 3, 125]);
        assert_eq!(page_numbers(60, 125), [1, 58, 59, 60, 61, 62, 125]);
        assert_eq!(page_numbers(125, 125), [1, 123, 124, 125]);
        assert_eq!(page_numbers(4, 125), [1, 2, 3, 4, 5, 6, 125]);
    }
}
