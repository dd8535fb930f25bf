//! The loaded site: published items in display order and the indexes pages
//! are built from (by category, tag, community, month). Plain data, no I/O.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, Datelike, FixedOffset};

use crate::config::SiteConfig;
use crate::content::{Activity, Article, Asset, Loaded, Page, Person, ReadRow};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

pub mod images;

/// Choices that change which items are published.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    pub include_drafts: bool,
    /// Items dated after this are not published yet.
    pub now: DateTime<FixedOffset>,
}

/// Articles, records and residents of one community.
#[derive(Debug, Default)]
pub struct CommunityIndex {
    pub name: String,
    pub url_path: String,
    pub articles: Vec<usize>,
    pub activities: Vec<usize>,
    pub people: Vec<usize>,
}

#[derive(Debug)]
pub struct TagIndex {
    pub name: String,
    pub url_path: String,
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Published articles, newest first.
    /// Shared with what `serve` keeps of each file; copied only when changed.
    pub articles: Vec<Arc<Article>>,
    /// Published activity records, newest first.
    pub activities: Vec<Activity>,
    /// Residents, by name order of their newest honour (newest first).
    pub people: Vec<Person>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Article indexes per category, in `config.categories` order.
    pub by_category: Vec<Vec<usize>>,
    /// Activity indexes per category (kind).
    pub activities_by_kind: Vec<Vec<usize>>,
    pub tags: Vec<TagIndex>,
    pub communities: Vec<CommunityIndex>,
    /// (year, month) → article indexes, newest month first.
    pub by_month: BTreeMap<(i32, u32), Vec<usize>>,
    /// Content path (relative to `content/`) of every item and asset → its site path.
    pub source_urls: FxHashMap<String, String>,
    /// Every file under `content/` (relative), published or not, to check links.
    pub content_files: FxHashSet<String>,
    /// Referenced images and their published sizes, filled in by the build.
    pub images: images::ImageSet,
    /// When the next future-dated article or record falls due (and the site
    /// changes although no file does).
    pub next_due: Option<DateTime<FixedOffset>>,
    /// On a district portal: the member offices' figures and articles.
    pub district: Option<Arc<crate::district::District>>,
    /// Slug → index of the newest article with it, for records that name an article.
    article_slugs: FxHashMap<String, usize>,
}

impl Site {
    /// Builds the site from what was loaded: filters drafts and future items,
    /// applies read counts, orders, checks URLs, and indexes.
    pub fn assemble(
        root: PathBuf,
        config: SiteConfig,
        loaded: Loaded,
        options: &PublishOptions,
        diagnostics: &Diagnostics,
    ) -> Site {
        let Loaded {
            mut articles,
            activities,
            mut people,
            mut pages,
            reads,
            assets,
        } = loaded;
        let content_files: FxHashSet<String> = articles
            .iter()
            .map(|a| a.rel.clone())
            .chain(people.iter().map(|p| p.rel.clone()))
            .chain(pages.iter().map(|p| p.rel.clone()))
            .chain(assets.iter().map(|a| a.rel.clone()))
            .collect();

        apply_reads(&mut articles, &reads, diagnostics);
        let next_due = articles
            .iter()
            .map(|a| a.date)
            .chain(activities.iter().map(|a| a.date))
            .filter(|date| *date > options.now)
            .min();
        articles.retain(|a| (options.include_drafts || !a.draft) && a.date <= options.now);
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.rel.cmp(&b.rel)));
        let mut activities: Vec<Activity> = activities
            .into_iter()
            .filter(|a| a.date <= options.now)
            .collect();
        activities.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| (&a.shown, a.line).cmp(&(&b.shown, b.line)))
        });
        people.sort_by(|a, b| {
            newest_honor(b)
                .cmp(&newest_honor(a))
                .then_with(|| a.rel.cmp(&b.rel))
        });
        pages.sort_by(|a, b| a.rel.cmp(&b.rel));

        let article_slugs: HashSet<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        for activity in &activities {
            if let Some(slug) = &activity.article {
                if !article_slugs.contains(slug.as_str()) {
                    let position = activity.line;
                    diagnostics.push(
                        Diagnostic::warning(&activity.shown, position, 1, format!("活动记录“{}”写的报道文章“{slug}”在网站上找不到", activity.title))
                            .with_hint("article 要写文章的网址名（slug），例如文件名 anti-fraud-talk.md 就写 anti-fraud-talk"),
                    );
                }
            }
        }

        let mut site = Site {
            root,
            config,
            articles,
            activities,
            people,
            pages,
            assets,
            by_category: Vec::new(),
            activities_by_kind: Vec::new(),
            tags: Vec::new(),
            communities: Vec::new(),
            by_month: BTreeMap::new(),
            source_urls: FxHashMap::default(),
            content_files,
            images: Default::default(),
            next_due,
            district: None,
            article_slugs: FxHashMap::default(),
        };
        site.index();
        site.check_url_collisions(diagnostics);
        site
    }

    fn index(&mut self) {
        // Maps with a quick hash, made to their size at once, the articles'
        // lists beside them: `serve` makes them again at each change of
        // front matter.
        let items = self.articles.len() + self.people.len() + self.pages.len();
        let categories = self.config.categories.len();
        let articles = &self.articles;
        let (source_urls, article_slugs) = (&mut self.source_urls, &mut self.article_slugs);
        let (_, lists) = rayon::join(
            || {
                source_urls.reserve(items + self.assets.len());
                article_slugs.reserve(articles.len());
                for (i, article) in articles.iter().enumerate() {
                    source_urls.insert(article.rel.clone(), article.url_path.clone());
                    article_slugs.entry(article.slug.clone()).or_insert(i);
                }
            },
            || ArticleLists::of(articles, categories),
        );
        let ArticleLists {
            by_category,
            by_month,
            tags,
            mut communities,
        } = lists;
        self.by_category = by_category;
        self.by_month = by_month;
        self.activities_by_kind = vec![Vec::new(); categories];
        for (i, activity) in self.activities.iter().enumerate() {
            self.activities_by_kind[activity.kind].push(i);
            if let Some(name) = &activity.community {
                community_of(&mut communities, name).activities.push(i);
            }
        }
        for (i, person) in self.people.iter().enumerate() {
            if let Some(name) = &person.community {
                community_of(&mut communities, name).people.push(i);
            }
            self.source_urls
                .insert(person.rel.clone(), person.url_path.clone());
        }
        for page in &self.pages {
            self.source_urls
                .insert(page.rel.clone(), page.url_path.clone());
        }
        let bundle_urls: HashMap<&str, &str> = self
            .articles
            .iter()
            .filter_map(|a| a.bundle.as_deref().map(|b| (b, a.url_path.as_str())))
            .chain(self.people.iter().filter_map(|p| {
                p.rel
                    .strip_suffix("/index.md")
                    .map(|b| (b, p.url_path.as_str()))
            }))
            .chain(self.pages.iter().filter_map(|p| {
                p.rel
                    .strip_suffix("/index.md")
                    .map(|b| (b, p.url_path.as_str()))
            }))
            .collect();
        let mut asset_urls = Vec::with_capacity(self.assets.len());
        for asset in &self.assets {
            let url = match asset.bundle.as_deref() {
                // A bundle's files sit beside its page, so `photo.jpg` works from the page itself.
                Some(bundle) => match bundle_urls.get(bundle) {
                    Some(page_url) => format!("{page_url}{}", &asset.rel[bundle.len() + 1..]),
                    None => continue, // the bundle's page is a draft or not yet due
                },
                None => asset.rel.clone(),
            };
            asset_urls.push((asset.rel.clone(), url));
        }
        self.source_urls.extend(asset_urls);
        self.tags = tags.into_values().collect();
        self.communities = communities.into_values().collect();
    }

    /// Two items that would write the same page are an error naming both.
    fn check_url_collisions(&self, diagnostics: &Diagnostics) {
        let reserved = [
            "articles",
            "people",
            "tags",
            "communities",
            "activities",
            "archive",
            "stats",
            "search",
            "page",
        ];
        let fixed: Vec<(String, String)> = reserved
            .iter()
            .map(|name| (format!("{name}/"), "（streetpress 保留的网址）".to_string()))
            .chain(self.config.categories.iter().map(|category| {
                let owner = format!("site.toml 里的栏目“{}”", category.name);
                (format!("{}/", category.key), owner)
            }))
            .collect();
        // Borrowed, with a quick hash: `serve` checks again at each change of front matter.
        let items = self
            .articles
            .iter()
            .map(|a| (&a.url_path, &a.shown))
            .chain(self.people.iter().map(|p| (&p.url_path, &p.shown)))
            .chain(self.pages.iter().map(|p| (&p.url_path, &p.shown)));
        let mut owners: FxHashMap<&str, &str> = FxHashMap::default();
        owners.reserve(fixed.len() + self.articles.len() + self.people.len() + self.pages.len());
        owners.extend(
            fixed
                .iter()
                .map(|(url, owner)| (url.as_str(), owner.as_str())),
        );
        for (url, shown) in items {
            if let Some(previous) = owners.insert(url, shown) {
                diagnostics.push(
                    Diagnostic::error(
                        shown.as_str(),
                        1,
                        1,
                        format!("网址 /{url} 重复：{previous} 也会生成这个网址"),
                    )
                    .with_hint("给其中一个加上不同的 slug 字段，例如 slug: another-name"),
                );
            }
        }
    }

    pub fn category_key(&self, index: usize) -> &str {
        &self.config.categories[index].key
    }

    /// Puts article `index` in category `category`: out of its old
    /// category's list and into the new one's at its place (lists hold
    /// articles in the site's order), as assembling the site again would.
    pub fn recategorise(&mut self, index: usize, category: usize) {
        let old = self.articles[index].category;
        if old == category {
            return;
        }
        self.by_category[old].retain(|&i| i != index);
        let list = &mut self.by_category[category];
        let at = list.partition_point(|&i| i < index);
        list.insert(at, index);
        Arc::make_mut(&mut self.articles[index]).category = category;
    }

    /// The newest date of anything counted, for feeds and sitemaps (never the wall clock).
    pub fn newest_date(&self) -> Option<DateTime<FixedOffset>> {
        let article = self.articles.first().map(|a| a.date);
        let activity = self.activities.first().map(|a| a.date);
        article.max(activity)
    }

    pub fn article_by_slug(&self, slug: &str) -> Option<&Article> {
        self.article_slugs.get(slug).map(|&i| &*self.articles[i])
    }
}

/// The lists the articles make: by category, by month, by tag and by community.
struct ArticleLists {
    by_category: Vec<Vec<usize>>,
    by_month: BTreeMap<(i32, u32), Vec<usize>>,
    tags: BTreeMap<String, TagIndex>,
    communities: BTreeMap<String, CommunityIndex>,
}

impl ArticleLists {
    fn of(articles: &[Arc<Article>], categories: usize) -> ArticleLists {
        let mut lists = ArticleLists {
            by_category: vec![Vec::new(); categories],
            by_month: BTreeMap::new(),
            tags: BTreeMap::new(),
            communities: BTreeMap::new(),
        };
        for (i, article) in articles.iter().enumerate() {
            lists.by_category[article.category].push(i);
            lists
                .by_month
                .entry((article.date.year(), article.date.month()))
                .or_default()
                .push(i);
            for tag in &article.tags {
                // Looked up before a copy of the name is made: most tags are met many times.
                if let Some(index) = lists.tags.get_mut(tag.as_str()) {
                    index.articles.push(i);
                    continue;
                }
                lists.tags.insert(
                    tag.clone(),
                    TagIndex {
                        name: tag.clone(),
                        url_path: format!("tags/{}/", slug::path_segment(tag)),
                        articles: vec![i],
                    },
                );
            }
            if let Some(name) = &article.community {
                community_of(&mut lists.communities, name).articles.push(i);
            }
        }
        lists
    }
}

/// The index of the community `name` (as written, spaces around it aside),
/// made when first met; looked up before a copy of the name is made.
fn community_of<'m>(
    communities: &'m mut BTreeMap<String, CommunityIndex>,
    name: &str,
) -> &'m mut CommunityIndex {
    let name = name.trim();
    if !communities.contains_key(name) {
        communities.insert(
            name.to_string(),
            CommunityIndex {
                url_path: format!("communities/{}/", slug::path_segment(name)),
                name: name.to_string(),
                ..Default::default()
            },
        );
    }
    communities.get_mut(name).expect("just made")
}

fn newest_honor(person: &Person) -> i32 {
    person.honors.iter().map(|h| h.year).max().unwrap_or(0)
}

/// A title as a read count's row is matched to it: without spaces, as
/// exports keep the title as typed in the WeChat editor, where a space or
/// a full-width space is easily added. Borrowed when it has none (most).
pub fn bare_title(title: &str) -> Cow<'_, str> {
    if title.chars().any(char::is_whitespace) {
        Cow::Owned(title.split_whitespace().collect())
    } else {
        Cow::Borrowed(title)
    }
}

/// The article a read count's row names: a path, a slug or a title.
pub fn row_article(row: &ReadRow) -> &str {
    row.article.trim().trim_start_matches("content/")
}

/// The articles each name of a read count's rows may mean, found by going
/// through the articles once with a table of those names (a few hundred),
/// rather than making tables of every article's path, slug and title.
#[derive(Default)]
struct Named {
    /// The article whose path under `content/` is the name.
    path: Option<usize>,
    /// Articles whose slug is the name, in order.
    slug: Vec<usize>,
}

/// Applies read counts from `content/reads/` under the contract's rules: the
/// newest dated figure wins; undated figures rank below dated ones, and among
/// themselves the last one wins (front matter first, then files by name, rows in order).
/// An article is copied only when its figure changes.
fn apply_reads(articles: &mut [Arc<Article>], rows: &[ReadRow], diagnostics: &Diagnostics) {
    if rows.is_empty() {
        return;
    }
    let mut rows: Vec<&ReadRow> = rows.iter().collect();
    rows.sort_by(|a, b| (&a.shown, a.line).cmp(&(&b.shown, b.line)));
    let mut by_name: FxHashMap<&str, Named> = FxHashMap::default();
    let mut by_title: FxHashMap<Cow<'_, str>, Vec<usize>> = FxHashMap::default();
    for row in &rows {
        let name = row_article(row);
        by_name.entry(name).or_default();
        by_title.entry(bare_title(name)).or_default();
    }
    for (i, article) in articles.iter().enumerate() {
        if let Some(named) = by_name.get_mut(article.rel.as_str()) {
            named.path = Some(i);
        }
        if let Some(named) = by_name.get_mut(article.slug.as_str()) {
            named.slug.push(i);
        }
        if let Some(titled) = by_title.get_mut(bare_title(&article.title).as_ref()) {
            titled.push(i);
        }
    }
    // (date, order) of the figure currently winning for each article.
    let mut best: FxHashMap<usize, (Option<chrono::NaiveDate>, u64)> = FxHashMap::default();
    for row in rows {
        let name = row_article(row);
        let named = &by_name[name];
        let target: &[usize] = match named.path {
            Some(ref index) => std::slice::from_ref(index),
            None if !named.slug.is_empty() => &named.slug,
            None => &by_title[bare_title(name).as_ref()],
        };
        if target.is_empty() {
            diagnostics.push(
                Diagnostic::warning(&row.shown, row.line, 1, format!("找不到文章“{}”，这一行的阅读数没有计入", row.article))
                    .with_hint("导出表里也会有没发到网站上的文章，可以不管；如果是网站上的文章，请写它的标题、网址名（slug）或 content 下的路径"),
            );
            continue;
        }
        if target.len() > 1 {
            diagnostics.push(
                Diagnostic::warning(
                    &row.shown,
                    row.line,
                    1,
                    format!(
                        "“{}”对应了 {} 篇文章，这一行的阅读数没有计入",
                        row.article,
                        target.len()
                    ),
                )
                .with_hint("改用文章在 content 下的路径，例如 articles/2024/a.md"),
            );
            continue;
        }
        let index = target[0];
        let wins = match best.get(&index) {
            None => true,
            Some((Some(current), _)) => row.date.is_some_and(|date| date >= *current),
            Some((None, _)) => true,
        };
        if wins {
            best.insert(index, (row.date, row.reads));
        }
    }
    for (index, (_, reads)) in best {
        if articles[index].reads != Some(reads) {
            Arc::make_mut(&mut articles[index]).reads = Some(reads);
        }
    }
}
