//! District portals (区级汇总): a streetpress site whose site.toml lists the
//! street offices it adds up (`[[members]]`, see [`members`]). Before the
//! portal is built, each office's published `stats.json` and `rss.xml` are
//! read from its folder or its web address ([`fetch`]), checked
//! ([`schema`], [`feed`]) and kept as its last good copy. The portal then
//! shows the league table ([`league`]), a page per office, the offices'
//! latest articles merged by date, and the district's totals; its
//! `stats.json`, `stats.csv` and workbook carry the tables (`stats::district`).
//!
//! An office that cannot be reached is a warning naming it, and its last good
//! copy is used; a file that does not match the format is an error naming
//! the office and the field, since a wrong figure in a report sent upward is
//! worse than a late one.

pub mod feed;
pub mod fetch;
pub mod league;
pub mod members;
pub mod schema;

use std::hash::{Hash, Hasher};
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rayon::prelude::*;

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::figures::Figures;
use feed::FeedArticle;
use members::{Member, Source};
use schema::MemberStats;

/// One member office, as the portal shows it.
#[derive(Debug, Clone)]
pub struct Office {
    pub name: String,
    pub slug: String,
    /// The office's own site, ending with `/`.
    pub base_url: String,
    pub stats: MemberStats,
    /// Its feed's articles, newest first; future-dated ones left out.
    pub articles: Vec<FeedArticle>,
    /// When its figures come from the last good copy: when that was fetched.
    pub stale_since: Option<String>,
}

/// Everything the portal adds up.
#[derive(Debug, Clone)]
pub struct District {
    /// In the order of site.toml.
    pub offices: Vec<Office>,
    /// Offices listed but without figures this time (unreachable, no copy).
    pub unavailable: Vec<String>,
    /// The newest date any office has counted.
    pub as_of: Option<NaiveDate>,
    /// Month, quarter and year ending with `as_of`.
    pub tables: Vec<league::Table>,
    /// All offices' figures since their first.
    pub totals: Figures,
    /// (office, article) of every office, newest first.
    pub latest: Vec<(usize, usize)>,
    /// A hash of everything read from the members, for the build's fingerprint.
    pub fingerprint: u64,
}

/// What became of one member.
enum Outcome {
    Counted(Box<Office>, u64),
    Unavailable(String),
    Refused,
}

/// Reads every member of the portal at `root`; `None` when site.toml lists
/// none (an office's own site) or the list itself is wrong. Problems go into
/// `diagnostics`.
pub fn gather(
    root: &Path,
    config: &SiteConfig,
    now: DateTime<FixedOffset>,
    diagnostics: &Diagnostics,
) -> Option<District> {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?;
    if !text.contains("members") {
        return None;
    }
    let members = match members::parse(&text, root) {
        Ok(members) if members.is_empty() => return None,
        Ok(members) => members,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    let fetched_at = now
        .with_timezone(&config.timezone)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let outcomes: Vec<Outcome> = members
        .par_iter()
        .map(|member| one(root, member, now, &fetched_at, diagnostics))
        .collect();

    let mut offices = Vec::new();
    let mut unavailable = Vec::new();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Counted(office, hash) => {
                hash.hash(&mut hasher);
                offices.push(*office);
            }
            Outcome::Unavailable(name) => {
                name.hash(&mut hasher);
                unavailable.push(name);
            }
            Outcome::Refused => {}
        }
    }
    one_site_once(&members, &offices, diagnostics);
    let as_of = offices.iter().filter_map(|o| o.stats.as_of).max();
    let stats: Vec<&MemberStats> = offices.iter().map(|o| &o.stats).collect();
    let tables = as_of.map_or_else(Vec::new, |date| league::tables(&stats, date));
    let mut totals = Figures::default();
    for office in &offices {
        totals += office.stats.totals;
    }
    let mut latest: Vec<(usize, usize)> = offices
        .iter()
        .enumerate()
        .flat_map(|(o, office)| (0..office.articles.len()).map(move |a| (o, a)))
        .collect();
    latest.sort_by(|&(o1, a1), &(o2, a2)| {
        offices[o2].articles[a2]
            .date
            .cmp(&offices[o1].articles[a1].date)
            .then((o1, a1).cmp(&(o2, a2)))
    });
    Some(District {
        offices,
        unavailable,
        as_of,
        tables,
        totals,
        latest,
        fingerprint: hasher.finish(),
    })
}

/// Reads, checks and keeps one member's files.
fn one(
    root: &Path,
    member: &Member,
    now: DateTime<FixedOffset>,
    fetched_at: &str,
    diagnostics: &Diagnostics,
) -> Outcome {
    let at_member =
        |message: String| Diagnostic::warning(CONFIG_FILE, member.line, member.column, message);
    let (files, stale_since) = match fetch::live(member) {
        Ok(files) => (files, None),
        Err(reason) => match fetch::cached(root, member) {
            Some((files, when)) => {
                diagnostics.push(
                    at_member(format!(
                        "取不到成员“{}”的最新数据：{reason}。这次用的是 {when} 取得的上一份",
                        member.name
                    ))
                    .with_hint("等该街道的网站恢复后再生成一次，数字就是最新的"),
                );
                (files, Some(when))
            }
            None => {
                diagnostics.push(
                    at_member(format!(
                        "取不到成员“{}”的数据：{reason}；以前也没有取得过，这次的排行榜里没有它",
                        member.name
                    ))
                    .with_hint("请检查 site.toml 里它的 source，或等该街道的网站恢复后再生成"),
                );
                return Outcome::Unavailable(member.name.clone());
            }
        },
    };
    let [stats_shown, feed_shown] = &files.shown;
    let checked = schema::read(&member.name, stats_shown, &files.stats).and_then(|stats| {
        let articles = feed::read(&member.name, feed_shown, &files.feed)?;
        Ok((stats, articles))
    });
    let (stats, articles) = match checked {
        Ok(read) => read,
        Err(problem) => {
            diagnostics.push(problem);
            return Outcome::Refused;
        }
    };
    if let Source::Web(url) = &member.source {
        if !same_site(url.as_str(), &stats.base_url) {
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    member.line,
                    member.column,
                    format!(
                        "成员“{}”取自 {url}，但它的 stats.json 说自己是 {} 的统计",
                        member.name, stats.base_url
                    ),
                )
                .with_hint("请检查 site.toml 里该成员的 source 是否写对，或请该街道检查它 site.toml 里的 base_url"),
            );
            return Outcome::Refused;
        }
    }
    let mut kept = Vec::with_capacity(articles.len());
    for article in articles {
        if !article.link.starts_with(&stats.base_url) {
            diagnostics.push(Diagnostic::error(
                feed_shown.as_str(),
                0,
                0,
                format!(
                    "成员“{}”的 rss.xml 里文章“{}”的链接 {} 不在该街道的网站 {} 下",
                    member.name, article.title, article.link, stats.base_url
                ),
            ));
            return Outcome::Refused;
        }
        if article.date > now {
            diagnostics.push(
                at_member(format!(
                    "成员“{}”的文章“{}”的发布时间 {} 还没到，这次不列出",
                    member.name,
                    article.title,
                    article.date.format("%Y-%m-%d %H:%M")
                ))
                .with_hint("可能是该街道电脑的时间或文章的日期写错了"),
            );
            continue;
        }
        kept.push(article);
    }
    kept.sort_by_key(|a| std::cmp::Reverse(a.date));
    if stale_since.is_none() {
        if let Err(e) = fetch::keep(root, member, &files, fetched_at) {
            diagnostics.push(at_member(format!(
                "成员“{}”的数据这次没能存为备份（{}）",
                member.name,
                crate::text_file::io_reason(&e)
            )));
        }
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (&files.stats, &files.feed, &stale_since).hash(&mut hasher);
    Outcome::Counted(
        Box::new(Office {
            name: member.name.clone(),
            slug: member.slug.clone(),
            base_url: stats.base_url.clone(),
            stats,
            articles: kept,
            stale_since,
        }),
        hasher.finish(),
    )
}

/// Two members whose files say they are the same site (listed once by
/// folder and once by address, say) would count one office twice.
fn one_site_once(members: &[Member], offices: &[Office], diagnostics: &Diagnostics) {
    for (i, office) in offices.iter().enumerate() {
        let Some(earlier) = offices[..i]
            .iter()
            .find(|o| same_site(&o.base_url, &office.base_url))
        else {
            continue;
        };
        let (line, column) = members
            .iter()
            .find(|m| m.name == office.name)
            .map_or((0, 0), |m| (m.line, m.column));
        diagnostics.push(
            Diagnostic::error(
                CONFIG_FILE,
                line,
                column,
                format!(
                    "成员“{}”和“{}”是同一个网站（{}），会被算两次",
                    office.name, earlier.name, office.base_url
                ),
            )
            .with_hint("同一个街道只列一个 [[members]]"),
        );
    }
}

/// The same site, whatever the case of the host or a missing final `/`.
fn same_site(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
    norm(a) == norm(b)
}

/// Everything in a district is made from what was read, which its fingerprint sums up.
impl Hash for District {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
    }
}

impl District {
    /// The figures of `office` in the current year (of `as_of`).
    pub fn year_figures(&self, office: &Office) -> Figures {
        self.as_of
            .and_then(|d| office.stats.by_year.get(&chrono::Datelike::year(&d)))
            .copied()
            .unwrap_or_default()
    }
}
