//! The league table (排行榜): the offices ranked for a month, a quarter and
//! a year, each against the period before.
//!
//! The periods end with the newest month any office has counted (the
//! district's `as_of`), never the wall clock, so two builds of the same
//! figures rank alike. Offices are ranked by publications (发稿), then by
//! reads; offices level on both share a rank (1, 2, 2, 4). Honours carry
//! only a year, so they are shown in the year's table alone.

use chrono::{Datelike, NaiveDate};

use super::schema::MemberStats;
use crate::config::OutletLevel;
use crate::figures::Figures;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

/// A month, a quarter or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    /// The month (1–12) or the quarter (1–4); 0 for a year.
    pub number: u32,
}

impl Period {
    /// The month, quarter and year that end with `date`'s month.
    pub fn ending(date: NaiveDate) -> [Period; 3] {
        let (year, month) = (date.year(), date.month());
        [
            Period {
                kind: PeriodKind::Month,
                year,
                number: month,
            },
            Period {
                kind: PeriodKind::Quarter,
                year,
                number: (month - 1) / 3 + 1,
            },
            Period {
                kind: PeriodKind::Year,
                year,
                number: 0,
            },
        ]
    }

    pub fn previous(self) -> Period {
        let (year, number) = match self.kind {
            PeriodKind::Month if self.number == 1 => (self.year - 1, 12),
            PeriodKind::Quarter if self.number == 1 => (self.year - 1, 4),
            PeriodKind::Year => (self.year - 1, 0),
            _ => (self.year, self.number - 1),
        };
        Period {
            year,
            number,
            ..self
        }
    }

    pub fn contains(self, year: i32, month: u32) -> bool {
        year == self.year
            && match self.kind {
                PeriodKind::Month => month == self.number,
                PeriodKind::Quarter => (month - 1) / 3 + 1 == self.number,
                PeriodKind::Year => true,
            }
    }

    /// `2025-06`, `2025-Q2`, `2025`: in `stats.json` and `stats.csv`.
    pub fn key(self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{:04}-{:02}", self.year, self.number),
            PeriodKind::Quarter => format!("{:04}-Q{}", self.year, self.number),
            PeriodKind::Year => format!("{:04}", self.year),
        }
    }

    /// `2025年06月`, `2025年第二季度`, `2025年`.
    pub fn label(self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{}年{:02}月", self.year, self.number),
            PeriodKind::Quarter => {
                let names = ["一", "二", "三", "四"];
                let name = names.get(self.number as usize - 1).unwrap_or(&"");
                format!("{}年第{name}季度", self.year)
            }
            PeriodKind::Year => format!("{}年", self.year),
        }
    }

    /// `本月`, `本季度`, `本年`: how the portal names the current period.
    pub fn kind_name(self) -> &'static str {
        match self.kind {
            PeriodKind::Month => "月度",
            PeriodKind::Quarter => "季度",
            PeriodKind::Year => "年度",
        }
    }
}

/// The outlet levels as the tables' columns: the site's own first, the
/// national last, as a report lists them upward.
pub fn levels_upward() -> [OutletLevel; OutletLevel::ALL.len()] {
    let mut all = OutletLevel::ALL;
    all.sort_by_key(|level| std::cmp::Reverse(level.index()));
    all
}

/// One office's figures for a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PeriodFigures {
    pub figures: Figures,
    /// Publications per level, in the order of [`OutletLevel::ALL`].
    pub levels: [u64; OutletLevel::ALL.len()],
}

impl PeriodFigures {
    /// An office's figures for `period`, added up from its months.
    pub fn of(stats: &MemberStats, period: Period) -> PeriodFigures {
        let mut sum = PeriodFigures::default();
        for (&(year, month), counted) in &stats.by_month {
            if period.contains(year, month) {
                sum.figures += counted.figures;
                for (total, n) in sum.levels.iter_mut().zip(counted.levels) {
                    *total += n;
                }
            }
        }
        sum.figures.honors = match period.kind {
            PeriodKind::Year => stats.by_year.get(&period.year).map_or(0, |y| y.honors),
            _ => 0,
        };
        sum
    }

    pub fn add(&mut self, other: &PeriodFigures) {
        self.figures += other.figures;
        for (total, n) in self.levels.iter_mut().zip(other.levels) {
            *total += n;
        }
    }
}

/// One office's line in a table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Standing {
    /// Index into the district's offices.
    pub office: usize,
    pub rank: usize,
    /// Its rank in the period before; `None` when no office had figures then.
    pub previous_rank: Option<usize>,
    pub now: PeriodFigures,
    pub before: PeriodFigures,
}

impl Standing {
    /// Places climbed since the period before (negative: fallen).
    pub fn climbed(&self) -> Option<i64> {
        self.previous_rank
            .map(|before| before as i64 - self.rank as i64)
    }
}

/// The table of one period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Table {
    pub period: Period,
    pub previous: Period,
    /// By rank.
    pub standings: Vec<Standing>,
    pub total: PeriodFigures,
}

/// Ranks the offices (their stats, in the district's order) for the month,
/// quarter and year ending with `as_of`.
pub fn tables(offices: &[&MemberStats], as_of: NaiveDate) -> Vec<Table> {
    Period::ending(as_of)
        .into_iter()
        .map(|period| table(offices, period))
        .collect()
}

fn table(offices: &[&MemberStats], period: Period) -> Table {
    let previous = period.previous();
    let now: Vec<PeriodFigures> = offices
        .iter()
        .map(|s| PeriodFigures::of(s, period))
        .collect();
    let before: Vec<PeriodFigures> = offices
        .iter()
        .map(|s| PeriodFigures::of(s, previous))
        .collect();
    let ranks_now = ranks(&now);
    let had_before = before.iter().any(|f| !f.figures.is_empty());
    let ranks_before = ranks(&before);
    let mut standings: Vec<Standing> = (0..offices.len())
        .map(|office| Standing {
            office,
            rank: ranks_now[office],
            previous_rank: had_before.then_some(ranks_before[office]),
            now: now[office],
            before: before[office],
        })
        .collect();
    standings.sort_by_key(|s| (s.rank, s.office));
    let mut total = PeriodFigures::default();
    for figures in &now {
        total.add(figures);
    }
    Table {
        period,
        previous,
        standings,
        total,
    }
}

/// Competition ranks (1, 2, 2, 4) by publications, then reads.
fn ranks(figures: &[PeriodFigures]) -> Vec<usize> {
    let key = |f: &PeriodFigures| (f.figures.publications, f.figures.reads);
    figures
        .iter()
        .map(|mine| {
            1 + figures
                .iter()
                .filter(|other| key(other) > key(mine))
                .count()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::district::schema::MonthFigures;

    fn office(months: &[((i32, u32), u64, u64)]) -> MemberStats {
        let mut stats = MemberStats::default();
        for &(month, publications, reads) in months {
            let mut counted = MonthFigures::default();
            counted.figures.publications = publications;
            counted.figures.reads = reads;
            counted.levels[OutletLevel::Site.index()] = publications;
            stats.by_month.insert(month, counted);
        }
        stats
    }

    #[test]
    fn periods_step_back_across_years() {
        let [month, quarter, year] = Period::ending(NaiveDate::from_ymd_opt(2025, 1, 9).unwrap());
        assert_eq!(month.previous().key(), "2024-12");
        assert_eq!(quarter.previous().key(), "2024-Q4");
        assert_eq!(year.previous().label(), "2024年");
        assert_eq!(quarter.label(), "2025年第一季度");
    }

    #[test]
    fn offices_level_on_figures_share_a_rank_and_climbs_are_counted() {
        let a = office(&[((2025, 5), 9, 0), ((2025, 6), 2, 10)]);
        let b = office(&[((2025, 5), 1, 0), ((2025, 6), 5, 10)]);
        let c = office(&[((2025, 6), 5, 10)]);
        let tables = tables(&[&a, &b, &c], NaiveDate::from_ymd_opt(2025, 6, 30).unwrap());
        let month = &tables[0];
        let ranks: Vec<(usize, usize)> =
            month.standings.iter().map(|s| (s.office, s.rank)).collect();
        assert_eq!(ranks, [(1, 1), (2, 1), (0, 3)]);
        assert_eq!(month.standings[0].climbed(), Some(1)); // b: 2nd in May, 1st now
        assert_eq!(month.standings[2].climbed(), Some(-2)); // a: 1st in May, 3rd now
        assert_eq!(month.total.figures.publications, 12);
        let quarter = &tables[1];
        assert_eq!(quarter.standings[0].office, 0); // 11 in Q2
        assert_eq!(quarter.standings[0].previous_rank, None); // nothing in Q1
    }
}
