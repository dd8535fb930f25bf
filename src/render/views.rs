//! Small borrowed views of the site that templates see. Each page's context
//! holds only what that page shows; nothing copies the whole site.

use std::borrow::Cow;

use serde::{Serialize, Serializer};
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

/// A URL of the site as a template gets it, made from the site path only
/// when a template is given it. A page's fingerprint (a serializer that is
/// not human-readable) sees the path alone: turning a path into a URL takes
/// nothing but the settings, the same for every page, and `serve` renders
/// every page when they change. Making URLs was most of a fingerprint's cost.
#[derive(Clone)]
pub struct SiteUrl<'a> {
    site: &'a Site,
    path: UrlPath<'a>,
    absolute: bool,
}

#[derive(Clone)]
enum UrlPath<'a> {
    /// A site path (`articles/2024/03/a/`).
    Path(Cow<'a, str>),
    /// `{prefix}{name as a path segment}/`: a tag's or a community's page.
    Named(&'static str, &'a str),
    /// `{key}/`: a category's page.
    Folder(&'a str),
    /// Page `number` of a list at `base` (see [`page_path`]).
    Page(&'a str, usize),
}

impl<'a> SiteUrl<'a> {
    /// The root-relative URL of `path`.
    pub fn path(site: &'a Site, path: impl Into<Cow<'a, str>>) -> Self {
        SiteUrl {
            site,
            path: UrlPath::Path(path.into()),
            absolute: false,
        }
    }

    /// The absolute URL of `path`.
    pub fn permalink(site: &'a Site, path: impl Into<Cow<'a, str>>) -> Self {
        SiteUrl {
            absolute: true,
            ..SiteUrl::path(site, path)
        }
    }

    fn of(site: &'a Site, path: UrlPath<'a>) -> Self {
        SiteUrl {
            site,
            path,
            absolute: false,
        }
    }

    fn site_path(&self) -> Cow<'_, str> {
        match &self.path {
            UrlPath::Path(path) => Cow::Borrowed(path),
            UrlPath::Named(prefix, name) => {
                Cow::Owned(format!("{prefix}{}/", crate::slug::path_segment(name)))
            }
            UrlPath::Folder(key) => Cow::Owned(format!("{key}/")),
            UrlPath::Page(base, number) => Cow::Owned(page_path(base, *number)),
        }
    }
}

impl std::fmt::Display for SiteUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.site_path();
        if self.absolute {
            f.write_str(&permalink(self.site, &path))
        } else {
            f.write_str(&url(self.site, &path))
        }
    }
}

impl Serialize for SiteUrl<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return serializer.collect_str(self);
        }
        match &self.path {
            UrlPath::Path(path) => (self.absolute, path).serialize(serializer),
            UrlPath::Named(prefix, name) => (self.absolute, prefix, name).serialize(serializer),
            UrlPath::Folder(key) => (self.absolute, key, ()).serialize(serializer),
            UrlPath::Page(base, number) => (self.absolute, base, number).serialize(serializer),
        }
    }
}

/// A date and time as templates get it (RFC 3339); a fingerprint sees the
/// number it is made from.
#[derive(Clone, Copy)]
pub struct Rfc3339<'a>(pub &'a chrono::DateTime<chrono::FixedOffset>);

impl Serialize for Rfc3339<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.0.to_rfc3339())
        } else {
            let offset = self.0.offset().local_minus_utc();
            (self.0.timestamp(), self.0.timestamp_subsec_nanos(), offset).serialize(serializer)
        }
    }
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

/// The absolute URL of an image (relative to `content/`) for a shared page
/// (`og:image`): its largest size, never the original with its EXIF.
pub fn image_permalink(site: &Site, content_rel: Option<&str>) -> Option<String> {
    let rel = content_rel?;
    let path = match site.images.get(rel) {
        Some(processed) => processed.largest().path.as_str(),
        None => asset_path(site, rel)?,
    };
    Some(permalink(site, path))
}

#[derive(Serialize)]
pub struct LinkRef<'a> {
    pub name: &'a str,
    pub url: SiteUrl<'a>,
}

#[derive(Serialize)]
pub struct CategoryRef<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub url: SiteUrl<'a>,
}

pub fn category(site: &Site, index: usize) -> CategoryRef<'_> {
    let category = &site.config.categories[index];
    CategoryRef {
        key: &category.key,
        name: &category.name,
        url: SiteUrl::of(site, UrlPath::Folder(&category.key)),
    }
}

pub fn community_link<'a>(site: &'a Site, name: &'a str) -> LinkRef<'a> {
    LinkRef {
        name,
        url: SiteUrl::of(site, UrlPath::Named("communities/", name)),
    }
}

pub fn tag_link<'a>(site: &'a Site, name: &'a str) -> LinkRef<'a> {
    LinkRef {
        name,
        url: SiteUrl::of(site, UrlPath::Named("tags/", name)),
    }
}

/// An article as it appears in lists and cards.
#[derive(Serialize)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub url: SiteUrl<'a>,
    pub date: Rfc3339<'a>,
    pub category: CategoryRef<'a>,
    pub summary: &'a str,
    /// URL of the small cover.
    pub cover: Option<String>,
    /// The cover with all its sizes (`src`, `srcset`, `width`, `height`, …).
    pub cover_image: Option<ImageView>,
    pub community: Option<LinkRef<'a>>,
    pub authors: &'a [String],
    pub reads: Option<u64>,
}

pub fn article_card<'a>(site: &'a Site, article: &'a Article) -> ArticleCard<'a> {
    ArticleCard {
        title: &article.title,
        url: SiteUrl::path(site, article.url_path.as_str()),
        date: Rfc3339(&article.date),
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
    pub permalink: SiteUrl<'a>,
    pub slug: &'a str,
    pub source: Option<&'a str>,
    pub editor: Option<&'a str>,
    pub outlets: &'a [String],
    pub grid: Option<&'a str>,
    pub tags: Vec<LinkRef<'a>>,
    pub content: BodyHtml,
    pub reading_minutes: usize,
    pub chinese_characters: usize,
    pub cover_permalink: Option<String>,
    pub extra: &'a Map<String, Value>,
}

pub fn article_page<'a>(site: &'a Site, article: &'a Article, content: String) -> ArticlePage<'a> {
    let cover_permalink = image_permalink(site, article.cover.as_deref());
    ArticlePage {
        card: article_card(site, article),
        permalink: SiteUrl::permalink(site, article.url_path.as_str()),
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
    /// The record's anchor on the pages that list it (`activity_anchor`).
    pub id: String,
    pub date: Rfc3339<'a>,
    pub kind: CategoryRef<'a>,
    pub title: &'a str,
    pub community: Option<LinkRef<'a>>,
    pub grid: Option<&'a str>,
    pub place: Option<&'a str>,
    pub organizer: Option<&'a str>,
    pub participants: u64,
    pub volunteers: u64,
    pub hours: f64,
    pub article: Option<LinkRef<'a>>,
    pub extra: &'a Map<String, Value>,
}

pub fn activity(site: &Site, index: usize) -> ActivityView<'_> {
    let activity = &site.activities[index];
    ActivityView {
        id: activity_anchor(site, index),
        date: Rfc3339(&activity.date),
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
                name: &a.title,
                url: SiteUrl::path(site, a.url_path.as_str()),
            }),
        extra: &activity.extra,
    }
}

pub fn activities<'a>(site: &'a Site, indexes: &[usize]) -> Vec<ActivityView<'a>> {
    indexes.iter().map(|&i| activity(site, i)).collect()
}

/// The years that have activity records, newest first.
pub fn activity_years(site: &Site) -> Vec<i32> {
    let mut years: Vec<i32> = site
        .activities
        .iter()
        .map(|a| chrono::Datelike::year(&a.date))
        .collect();
    years.dedup(); // records are newest first
    years
}

/// The site path of the page that lists the activity records of `year`.
pub fn activity_year_path(year: i32) -> String {
    format!("activities/{year}/")
}

/// The anchor of activity record `index` on the pages that list it:
/// `r-2025-06-15-2` for the second record of that day (in the site's
/// order of records, newest first, then by file and line).
pub fn activity_anchor(site: &Site, index: usize) -> String {
    let day = site.activities[index].date.date_naive();
    let same_day_before = site.activities[..index]
        .iter()
        .rev()
        .take_while(|a| a.date.date_naive() == day)
        .count();
    format!("r-{}-{}", day.format("%Y-%m-%d"), same_day_before + 1)
}

/// The site path, with its anchor, where activity record `index` is
/// listed: its row on its year's page. Search results link there.
pub fn activity_location(site: &Site, index: usize) -> String {
    let year = chrono::Datelike::year(&site.activities[index].date);
    format!(
        "{}#{}",
        encode_path(&activity_year_path(year)),
        activity_anchor(site, index)
    )
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
    pub community: Option<LinkRef<'a>>,
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
            name: &p.title,
            url: SiteUrl::path(site, p.url_path.as_str()),
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
        "people_url": url(site, "people/"),
        "district": site.district.is_some(),
        "league_url": url(site, "league/"),
        "offices_url": url(site, "offices/"),
        "share_image": image_permalink(site, config.share_image.as_ref().map(|s| s.rel.as_str())),
    })
}

/// Page links for a paginated list whose first page is at `base` (`volunteer/`).
#[derive(Serialize)]
pub struct Paginator<'a> {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<SiteUrl<'a>>,
    pub next_url: Option<SiteUrl<'a>>,
    /// The first and last pages and those near the current one, at most
    /// `2 * PAGE_WINDOW + 3` links: a list of 1,250 pages must not put 1,250
    /// links on each of its pages.
    pub pages: Vec<PageLink<'a>>,
}

#[derive(Serialize)]
pub struct PageLink<'a> {
    pub number: usize,
    pub url: SiteUrl<'a>,
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

pub fn paginator<'a>(site: &'a Site, base: &'a str, current: usize, total: usize) -> Paginator<'a> {
    let link = |n: usize| SiteUrl::of(site, UrlPath::Page(base, n));
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
pub struct Crumb<'a> {
    pub name: String,
    pub url: Option<SiteUrl<'a>>,
}

pub fn crumbs<'a>(site: &'a Site, trail: Vec<(String, Option<SiteUrl<'a>>)>) -> Vec<Crumb<'a>> {
    let mut all = vec![Crumb {
        name: "首页".into(),
        url: Some(SiteUrl::path(site, "")),
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
