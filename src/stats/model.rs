//! The tally itself: [`Figures`] (the eight counted numbers) and [`Tally`],
//! every figure by year, month, category, community, grid, author and outlet
//! level, computed from a loaded [`Site`] in one pass over its items.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;

use crate::config::OutletLevel;
use crate::site::Site;

pub use crate::figures::{Amount, Figures, Hours, Measure};

/// A way of breaking the tally down (`stats --by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Year,
    Month,
    Category,
    Community,
    Grid,
    Author,
    Outlet,
}

impl Breakdown {
    pub const ALL: [Breakdown; 7] = [
        Breakdown::Year,
        Breakdown::Month,
        Breakdown::Category,
        Breakdown::Community,
        Breakdown::Grid,
        Breakdown::Author,
        Breakdown::Outlet,
    ];

    /// The key of this breakdown in `stats.json`.
    pub fn json_key(self) -> &'static str {
        match self {
            Breakdown::Year => "by_year",
            Breakdown::Month => "by_month",
            Breakdown::Category => "by_category",
            Breakdown::Community => "by_community",
            Breakdown::Grid => "by_grid",
            Breakdown::Author => "by_author",
            Breakdown::Outlet => "by_outlet_level",
        }
    }

    /// The title of its table or sheet.
    pub fn title(self) -> &'static str {
        match self {
            Breakdown::Year => "按年份",
            Breakdown::Month => "按月份",
            Breakdown::Category => "按栏目",
            Breakdown::Community => "按社区",
            Breakdown::Grid => "按网格",
            Breakdown::Author => "按作者",
            Breakdown::Outlet => "按发稿媒体级别",
        }
    }

    /// The heading of the first column.
    pub fn row_heading(self) -> &'static str {
        match self {
            Breakdown::Year => "年份",
            Breakdown::Month => "月份",
            Breakdown::Category => "栏目",
            Breakdown::Community => "社区",
            Breakdown::Grid => "网格",
            Breakdown::Author => "作者",
            Breakdown::Outlet => "媒体级别",
        }
    }

    /// The figures that can be other than 0 in this breakdown.
    pub fn measures(self) -> &'static [Measure] {
        // Every measure but honours, which come last.
        const NO_HONORS: &[Measure] = Measure::ALL.split_last().unwrap().1;
        match self {
            Breakdown::Year | Breakdown::Category | Breakdown::Community => &Measure::ALL,
            Breakdown::Month | Breakdown::Grid => NO_HONORS,
            Breakdown::Author => &[Measure::Articles, Measure::Publications, Measure::Reads],
            Breakdown::Outlet => &[Measure::Publications],
        }
    }
}

/// One month of the tally, with running totals.
#[derive(Debug, Clone, Hash)]
pub struct MonthRow {
    pub year: i32,
    pub month: u32,
    pub figures: Figures,
    /// Since January of the same year, this month included.
    pub year_to_date: Figures,
    /// Since the first counted month, this month included.
    pub cumulative: Figures,
    /// This month's publications per outlet level, in the order of
    /// [`OutletLevel::ALL`] (a district's league table ranks by them).
    pub publications_by_level: [u64; OutletLevel::ALL.len()],
}

impl MonthRow {
    /// `2024-03`
    pub fn key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// A row of a breakdown: its key (as in `stats.json`), the label people read, and figures.
#[derive(Debug, Clone, Hash)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub figures: Figures,
}

/// Every figure of SPEC section 5.
/// `Hash`: `serve` keeps the tally's page while its tally is the same.
#[derive(Debug, Clone, Hash)]
pub struct Tally {
    /// The site's title, for report headings.
    pub site_title: String,
    /// The site's base URL, so that a district portal can tell whose figures these are.
    pub site_base_url: String,
    /// The date of the newest counted article or activity record.
    pub as_of: Option<NaiveDate>,
    /// The year the tally is limited to (`stats --year`), if any.
    pub year: Option<i32>,
    pub totals: Figures,
    pub by_year: BTreeMap<i32, Figures>,
    /// Every month from the first counted one to the last, empty months included.
    pub by_month: Vec<MonthRow>,
    /// Categories in the order of site.toml.
    pub by_category: Vec<Row>,
    pub by_community: BTreeMap<String, Figures>,
    /// Keyed `社区/网格` (the grid alone when no community is named).
    pub by_grid: BTreeMap<String, Figures>,
    pub by_author: BTreeMap<String, Figures>,
    /// Publications per level, every level in the order of [`OutletLevel::ALL`].
    pub by_outlet_level: Vec<(OutletLevel, u64)>,
    /// Publications per outlet named in articles, with its level.
    pub by_outlet: BTreeMap<String, (OutletLevel, u64)>,
    /// Activity records of kind `lectures` (宣讲), by year, for the home page strip.
    pub lectures_by_year: BTreeMap<i32, u64>,
    /// Whether the site has a `lectures` category at all.
    pub has_lectures: bool,
    /// On a district portal: its members' figures and league tables.
    pub district: Option<std::sync::Arc<crate::district::District>>,
}

impl Tally {
    /// Computes the tally of the published site, optionally of one year only.
    /// Drafts are never counted, even when the site was loaded with them;
    /// future-dated items are already left out of the site.
    pub fn compute(site: &Site, year: Option<i32>) -> Tally {
        let config = &site.config;
        let in_scope = |y: i32| year.is_none_or(|wanted| wanted == y);
        let models = config.categories.iter().position(|c| c.key == "models");
        let lectures = config.categories.iter().position(|c| c.key == "lectures");

        let mut totals = Figures::default();
        let mut by_year: BTreeMap<i32, Figures> = BTreeMap::new();
        let mut months: BTreeMap<(i32, u32), Figures> = BTreeMap::new();
        let mut month_levels: BTreeMap<(i32, u32), [u64; OutletLevel::ALL.len()]> = BTreeMap::new();
        let mut by_category = vec![Figures::default(); config.categories.len()];
        // By borrowed names while counting (a copy of a name for each item
        // costs more than the counting), ordered by name at the end.
        let mut places = Places::default();
        let mut by_author: FxHashMap<&str, Figures> = FxHashMap::default();
        let mut levels: BTreeMap<OutletLevel, u64> = BTreeMap::new();
        let mut by_outlet: FxHashMap<&str, (OutletLevel, u64)> = FxHashMap::default();
        let mut lectures_by_year: BTreeMap<i32, u64> = BTreeMap::new();
        let mut as_of: Option<NaiveDate> = None;

        for article in site.articles.iter().filter(|a| !a.draft) {
            // One publication on the site, one per outlet (a name written twice counts once).
            let outlets: BTreeSet<&str> = article
                .outlets
                .iter()
                .map(|o| o.trim())
                .filter(|o| !o.is_empty())
                .collect();
            let figures = Figures {
                articles: 1,
                publications: 1 + outlets.len() as u64,
                reads: article.reads.unwrap_or(0),
                ..Figures::default()
            };
            let date = article.date.date_naive();
            *months.entry((date.year(), date.month())).or_default() += figures;
            let month_levels = month_levels.entry((date.year(), date.month())).or_default();
            month_levels[OutletLevel::Site.index()] += 1;
            for outlet in &outlets {
                if let Some(level) = config.outlets.get(*outlet) {
                    month_levels[level.index()] += 1;
                }
            }
            if !in_scope(date.year()) {
                continue;
            }
            as_of = as_of.max(Some(date));
            totals += figures;
            *by_year.entry(date.year()).or_default() += figures;
            by_category[article.category] += figures;
            places.add(
                article.community.as_deref(),
                article.grid.as_deref(),
                figures,
            );
            let authors: BTreeSet<&str> = article
                .authors
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty())
                .collect();
            for author in authors {
                *by_author.entry(author).or_default() += figures;
            }
            *levels.entry(OutletLevel::Site).or_default() += 1;
            for outlet in outlets {
                // An outlet missing from site.toml is a load error; never reached in a good build.
                let Some(&level) = config.outlets.get(outlet) else {
                    continue;
                };
                *levels.entry(level).or_default() += 1;
                by_outlet.entry(outlet).or_insert((level, 0)).1 += 1;
            }
        }

        for activity in &site.activities {
            let figures = Figures {
                activities: 1,
                participants: activity.participants,
                volunteers: activity.volunteers,
                hours: Hours::from_f64(activity.hours),
                ..Figures::default()
            };
            let date = activity.date.date_naive();
            *months.entry((date.year(), date.month())).or_default() += figures;
            if !in_scope(date.year()) {
                continue;
            }
            as_of = as_of.max(Some(date));
            totals += figures;
            *by_year.entry(date.year()).or_default() += figures;
            if let Some(category) = by_category.get_mut(activity.kind) {
                *category += figures;
            }
            if Some(activity.kind) == lectures {
                *lectures_by_year.entry(date.year()).or_default() += 1;
            }
            places.add(
                activity.community.as_deref(),
                activity.grid.as_deref(),
                figures,
            );
        }

        for person in &site.people {
            for honor in person.honors.iter().filter(|h| in_scope(h.year)) {
                let figures = Figures {
                    honors: 1,
                    ..Figures::default()
                };
                totals += figures;
                *by_year.entry(honor.year).or_default() += figures;
                if let Some(models) = models {
                    by_category[models] += figures;
                }
                places.add(person.community.as_deref(), None, figures);
            }
        }

        let (by_community, by_grid) = places.by_name();
        let by_month = month_rows(&months, &month_levels)
            .into_iter()
            .filter(|row| in_scope(row.year))
            .collect();
        Tally {
            site_title: config.title.clone(),
            site_base_url: config.base_url.clone(),
            as_of,
            year,
            totals,
            by_year,
            by_month,
            by_category: config
                .categories
                .iter()
                .zip(by_category)
                .map(|(category, figures)| Row {
                    key: category.key.clone(),
                    label: category.name.clone(),
                    figures,
                })
                .collect(),
            by_community,
            by_grid,
            by_author: by_name(by_author),
            by_outlet_level: OutletLevel::ALL
                .iter()
                .map(|level| (*level, levels.get(level).copied().unwrap_or(0)))
                .collect(),
            by_outlet: by_name(by_outlet),
            lectures_by_year,
            has_lectures: lectures.is_some(),
            district: site.district.clone(),
        }
    }

    /// The rows of a breakdown, as every writer shows them.
    pub fn rows(&self, breakdown: Breakdown) -> Vec<Row> {
        let plain = |map: &BTreeMap<String, Figures>| -> Vec<Row> {
            map.iter()
                .map(|(key, figures)| Row {
                    key: key.clone(),
                    label: key.clone(),
                    figures: *figures,
                })
                .collect()
        };
        match breakdown {
            Breakdown::Year => self
                .by_year
                .iter()
                .map(|(year, figures)| Row {
                    key: year.to_string(),
                    label: format!("{year}年"),
                    figures: *figures,
                })
                .collect(),
            Breakdown::Month => self
                .by_month
                .iter()
                .map(|row| Row {
                    key: row.key(),
                    label: format!("{}年{:02}月", row.year, row.month),
                    figures: row.figures,
                })
                .collect(),
            Breakdown::Category => self.by_category.clone(),
            Breakdown::Community => plain(&self.by_community),
            Breakdown::Grid => plain(&self.by_grid),
            Breakdown::Author => plain(&self.by_author),
            Breakdown::Outlet => self
                .by_outlet_level
                .iter()
                .map(|(level, publications)| Row {
                    key: level.key().to_string(),
                    label: level.chinese().to_string(),
                    figures: Figures {
                        publications: *publications,
                        ..Figures::default()
                    },
                })
                .collect(),
        }
    }

    /// The figures of one year (zero when nothing was counted in it).
    pub fn year_figures(&self, year: i32) -> Figures {
        self.by_year.get(&year).copied().unwrap_or_default()
    }

    /// The year "this year" means on the site: the year of `as_of`.
    pub fn current_year(&self) -> Option<i32> {
        self.as_of.map(|d| d.year())
    }

    /// `2025年10月31日`, or a dash when nothing is counted.
    pub fn as_of_chinese(&self) -> String {
        match self.as_of {
            Some(date) => format!("{}年{:02}月{:02}日", date.year(), date.month(), date.day()),
            None => "—".to_string(),
        }
    }
}

/// Figures by community and by grid, keyed by the names as written.
#[derive(Default)]
struct Places<'a> {
    communities: FxHashMap<&'a str, Figures>,
    /// By (community, grid); the community is empty when none is named.
    grids: FxHashMap<(&'a str, &'a str), Figures>,
}

impl<'a> Places<'a> {
    fn add(&mut self, community: Option<&'a str>, grid: Option<&'a str>, figures: Figures) {
        let community = community.map(str::trim).filter(|c| !c.is_empty());
        let grid = grid.map(str::trim).filter(|g| !g.is_empty());
        if let Some(community) = community {
            *self.communities.entry(community).or_default() += figures;
        }
        if let Some(grid) = grid {
            *self
                .grids
                .entry((community.unwrap_or(""), grid))
                .or_default() += figures;
        }
    }

    /// By community, and by grid keyed `社区/网格` (the grid alone when no
    /// community is named), in name order.
    fn by_name(self) -> (BTreeMap<String, Figures>, BTreeMap<String, Figures>) {
        let mut grids: BTreeMap<String, Figures> = BTreeMap::new();
        for ((community, grid), figures) in self.grids {
            let key = match community {
                "" => grid.to_string(),
                community => format!("{community}/{grid}"),
            };
            // Two ways of writing may give one key (`a/b` + `c`, `a` + `b/c`).
            *grids.entry(key).or_default() += figures;
        }
        (by_name(self.communities), grids)
    }
}

/// What was counted by borrowed names, ordered by name.
fn by_name<T>(counted: FxHashMap<&str, T>) -> BTreeMap<String, T> {
    counted
        .into_iter()
        .map(|(name, figures)| (name.to_string(), figures))
        .collect()
}

/// Every month from the first to the last with something counted, with the
/// running totals within the year and since the first month.
fn month_rows(
    months: &BTreeMap<(i32, u32), Figures>,
    levels: &BTreeMap<(i32, u32), [u64; OutletLevel::ALL.len()]>,
) -> Vec<MonthRow> {
    let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut cumulative = Figures::default();
    let mut year_to_date = Figures::default();
    let (mut year, mut month) = first;
    while (year, month) <= last {
        if month == 1 {
            year_to_date = Figures::default();
        }
        let figures = months.get(&(year, month)).copied().unwrap_or_default();
        cumulative += figures;
        year_to_date += figures;
        rows.push(MonthRow {
            year,
            month,
            figures,
            year_to_date,
            cumulative,
            publications_by_level: levels.get(&(year, month)).copied().unwrap_or_default(),
        });
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_print_without_needless_decimals() {
        assert_eq!(Hours::from_f64(16.0).to_string(), "16");
        assert_eq!(Hours::from_f64(2.5).to_string(), "2.5");
        assert_eq!(Hours::from_f64(0.25).to_string(), "0.25");
        let mut sum = Figures::default();
        for h in [0.1, 0.2] {
            sum += Figures {
                hours: Hours::from_f64(h),
                ..Figures::default()
            };
        }
        assert_eq!(sum.hours.to_string(), "0.3");
    }

    #[test]
    fn months_run_without_gaps_and_restart_each_year() {
        let one = |n| Figures {
            articles: n,
            ..Figures::default()
        };
        let months = BTreeMap::from([((2023, 11), one(2)), ((2024, 2), one(3))]);
        let rows = month_rows(&months, &BTreeMap::new());
        let keys: Vec<String> = rows.iter().map(MonthRow::key).collect();
        assert_eq!(keys, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(rows[1].year_to_date.articles, 2);
        assert_eq!(rows[2].year_to_date.articles, 0);
        assert_eq!(rows[3].year_to_date.articles, 3);
        assert_eq!(rows[3].cumulative.articles, 5);
    }
}
