//! What the theme sees of the tally: the `/stats/` page (sections, each a
//! chart and the table with its figures) and the home page strip. Plain
//! serialisable views built from the [`Tally`]; the templates only lay them out.

use serde::Serialize;

use super::charts::{self, Series};
use super::model::{Breakdown, Figures, Measure, Tally};
use crate::theme::format_wan;

#[derive(Debug, Serialize)]
pub struct StatsPage {
    /// `2025年10月31日`
    pub as_of: String,
    /// `2025-10-31`, for `<time datetime>`; empty when nothing is counted.
    pub as_of_iso: String,
    pub strip: Strip,
    pub sections: Vec<Section>,
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub id: &'static str,
    pub title: String,
    /// Inline SVG, when there is something to draw.
    pub chart: Option<String>,
    pub tables: Vec<TableView>,
}

#[derive(Debug, Serialize)]
pub struct TableView {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<RowView>,
    /// A total line, shown in `<tfoot>`.
    pub total: Option<RowView>,
}

#[derive(Debug, Serialize)]
pub struct RowView {
    /// The row's key as in `stats.json` (`2024-03`, `lectures`), for `data-key`.
    pub key: String,
    pub label: String,
    pub cells: Vec<String>,
}

/// The home page strip: this year so far and all time.
#[derive(Debug, Serialize)]
pub struct Strip {
    pub lines: Vec<StripLine>,
}

#[derive(Debug, Serialize)]
pub struct StripLine {
    /// `2025年以来` or `累计`
    pub label: String,
    pub items: Vec<StripItem>,
}

#[derive(Debug, Serialize)]
pub struct StripItem {
    pub name: &'static str,
    /// With 万 from 10,000 on: `1.8万`.
    pub value: String,
    pub unit: &'static str,
}

impl Strip {
    pub fn new(tally: &Tally) -> Strip {
        let mut lines = Vec::new();
        if tally.totals.is_empty() {
            return Strip { lines };
        }
        let all_lectures: u64 = tally.lectures_by_year.values().sum();
        if let Some(year) = tally.current_year() {
            let lectures = tally.lectures_by_year.get(&year).copied().unwrap_or(0);
            lines.push(StripLine {
                label: format!("{year}年以来"),
                items: strip_items(tally, &tally.year_figures(year), lectures),
            });
        }
        lines.push(StripLine {
            label: "累计".to_string(),
            items: strip_items(tally, &tally.totals, all_lectures),
        });
        Strip { lines }
    }
}

fn strip_items(tally: &Tally, figures: &Figures, lectures: u64) -> Vec<StripItem> {
    let wan = |n: u64| format_wan(n as f64);
    let (name, count) = if tally.has_lectures {
        ("宣讲", lectures)
    } else {
        ("活动", figures.activities)
    };
    vec![
        StripItem {
            name: "发稿",
            value: wan(figures.publications),
            unit: "篇",
        },
        StripItem {
            name: "阅读",
            value: wan(figures.reads),
            unit: "次",
        },
        StripItem {
            name,
            value: wan(count),
            unit: "场",
        },
        StripItem {
            name: "服务群众",
            value: wan(figures.participants),
            unit: "人次",
        },
    ]
}

impl StatsPage {
    pub fn new(tally: &Tally) -> StatsPage {
        let sections = vec![
            years(tally),
            monthly(
                tally,
                Measure::Publications,
                "monthly-publications",
                "每月发稿",
                true,
            ),
            monthly(tally, Measure::Reads, "monthly-reads", "每月阅读", false),
            activities_by_kind(tally),
            breakdown(tally, Breakdown::Category, "by-category", None),
            breakdown(tally, Breakdown::Community, "by-community", Some(true)),
            breakdown(tally, Breakdown::Grid, "by-grid", Some(true)),
            outlets(tally),
            breakdown(tally, Breakdown::Author, "by-author", None),
        ];
        StatsPage {
            as_of: tally.as_of_chinese(),
            as_of_iso: tally.as_of.map(|d| d.to_string()).unwrap_or_default(),
            strip: Strip::new(tally),
            sections,
        }
    }
}

fn headers(first: &str, measures: &[Measure]) -> Vec<String> {
    std::iter::once(first.to_string())
        .chain(measures.iter().map(|m| m.label().to_string()))
        .collect()
}

fn row(key: &str, label: &str, figures: &Figures, measures: &[Measure]) -> RowView {
    RowView {
        key: key.to_string(),
        label: label.to_string(),
        cells: measures
            .iter()
            .map(|m| figures.get(*m).to_string())
            .collect(),
    }
}

fn years(tally: &Tally) -> Section {
    let rows = tally
        .rows(Breakdown::Year)
        .iter()
        .map(|r| row(&r.key, &r.label, &r.figures, &Measure::ALL))
        .collect();
    Section {
        id: "by-year",
        title: "历年汇总".to_string(),
        chart: None,
        tables: vec![TableView {
            caption: "各年度发稿、阅读、活动与荣誉".to_string(),
            headers: headers("年份", &Measure::ALL),
            rows,
            total: Some(row("totals", "合计", &tally.totals, &Measure::ALL)),
        }],
    }
}

/// A month chart of one figure (bars) and, for publications, the running
/// total since the first month (line); the table has both running totals.
fn monthly(
    tally: &Tally,
    measure: Measure,
    id: &'static str,
    title: &str,
    with_line: bool,
) -> Section {
    let labels: Vec<String> = tally.by_month.iter().map(|m| m.key()).collect();
    let value = |f: &Figures| f.get(measure).as_f64();
    let (name, unit) = split_label(measure.label());
    let bars = Series {
        name,
        unit,
        values: tally.by_month.iter().map(|m| value(&m.figures)).collect(),
    };
    let line_name = format!("累计{name}");
    let line = Series {
        name: &line_name,
        unit,
        values: tally
            .by_month
            .iter()
            .map(|m| value(&m.cumulative))
            .collect(),
    };
    let chart = (!labels.is_empty()).then(|| {
        charts::month_bars(
            &format!("{title}（{unit}）"),
            &labels,
            &bars,
            with_line.then_some(&line),
        )
    });
    let rows = tally
        .by_month
        .iter()
        .map(|m| RowView {
            key: m.key(),
            label: format!("{}年{:02}月", m.year, m.month),
            cells: vec![
                m.figures.get(measure).to_string(),
                m.year_to_date.get(measure).to_string(),
                m.cumulative.get(measure).to_string(),
            ],
        })
        .collect();
    Section {
        id,
        title: title.to_string(),
        chart,
        tables: vec![TableView {
            caption: format!("{title}（{unit}），含本年累计与总累计"),
            headers: vec![
                "月份".to_string(),
                format!("当月{name}"),
                format!("本年累计{name}"),
                line_name.clone(),
            ],
            rows,
            total: None,
        }],
    }
}

fn activities_by_kind(tally: &Tally) -> Section {
    let measures = [
        Measure::Activities,
        Measure::Participants,
        Measure::Volunteers,
        Measure::Hours,
    ];
    let kinds: Vec<_> = tally
        .by_category
        .iter()
        .filter(|r| r.figures.activities > 0)
        .collect();
    let labels: Vec<String> = kinds.iter().map(|r| r.label.clone()).collect();
    let chart = (!kinds.is_empty()).then(|| {
        charts::horizontal_bars(
            "各类活动场次",
            &labels,
            &[Series {
                name: "活动",
                unit: "场",
                values: kinds.iter().map(|r| r.figures.activities as f64).collect(),
            }],
        )
    });
    Section {
        id: "activities-by-kind",
        title: "各类活动".to_string(),
        chart,
        tables: vec![TableView {
            caption: "按类别统计的活动场次、服务人次、志愿者与服务时长".to_string(),
            headers: headers("类别", &measures),
            rows: kinds
                .iter()
                .map(|r| row(&r.key, &r.label, &r.figures, &measures))
                .collect(),
            total: None,
        }],
    }
}

/// A breakdown table, with a chart of publications and activities when `chart` is set.
fn breakdown(
    tally: &Tally,
    breakdown: Breakdown,
    id: &'static str,
    chart: Option<bool>,
) -> Section {
    let measures = breakdown.measures();
    let rows = tally.rows(breakdown);
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let chart = (chart.is_some() && !rows.is_empty()).then(|| {
        charts::horizontal_bars(
            &format!("{}发稿与活动", breakdown.title().trim_start_matches('按')),
            &labels,
            &[
                Series {
                    name: "发稿",
                    unit: "篇",
                    values: rows.iter().map(|r| r.figures.publications as f64).collect(),
                },
                Series {
                    name: "活动",
                    unit: "场",
                    values: rows.iter().map(|r| r.figures.activities as f64).collect(),
                },
            ],
        )
    });
    Section {
        id,
        title: breakdown.title().to_string(),
        chart,
        tables: vec![TableView {
            caption: format!("{}统计", breakdown.title()),
            headers: headers(breakdown.row_heading(), measures),
            rows: rows
                .iter()
                .map(|r| row(&r.key, &r.label, &r.figures, measures))
                .collect(),
            total: None,
        }],
    }
}

fn outlets(tally: &Tally) -> Section {
    let rows = tally.rows(Breakdown::Outlet);
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let chart = (tally.totals.publications > 0).then(|| {
        charts::horizontal_bars(
            "各级媒体发稿",
            &labels,
            &[Series {
                name: "发稿",
                unit: "篇",
                values: rows.iter().map(|r| r.figures.publications as f64).collect(),
            }],
        )
    });
    let measures = [Measure::Publications];
    let outlet_rows = tally
        .by_outlet
        .iter()
        .map(|(name, (level, n))| RowView {
            key: name.clone(),
            label: name.clone(),
            cells: vec![level.chinese().to_string(), n.to_string()],
        })
        .collect();
    Section {
        id: "by-outlet-level",
        title: "按发稿媒体".to_string(),
        chart,
        tables: vec![
            TableView {
                caption: "各级媒体发稿（本站每篇文章计一次，每个转载媒体再计一次）".to_string(),
                headers: headers("媒体级别", &measures),
                rows: rows
                    .iter()
                    .map(|r| row(&r.key, &r.label, &r.figures, &measures))
                    .collect(),
                total: Some(row("totals", "合计", &tally.totals, &measures)),
            },
            TableView {
                caption: "各媒体发稿".to_string(),
                headers: vec![
                    "媒体".to_string(),
                    "级别".to_string(),
                    Measure::Publications.label().to_string(),
                ],
                rows: outlet_rows,
                total: None,
            },
        ],
    }
}

/// `发稿（篇）` → (`发稿`, `篇`)
fn split_label(label: &str) -> (&str, &str) {
    label
        .split_once('（')
        .map(|(name, unit)| (name, unit.trim_end_matches('）')))
        .unwrap_or((label, ""))
}
