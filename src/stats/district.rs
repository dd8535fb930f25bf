//! The portal's figures in its `stats.json` (a `district` object) and
//! `stats.csv` (rows `league.<period>`, one per office), beside the tally of
//! its own articles; the workbook's sheets are in `stats::xlsx`.

use serde_json::{json, Map, Value};

use crate::config::OutletLevel;
use crate::district::league::{PeriodFigures, PeriodKind, Table};
use crate::district::District;
use crate::stats::json::figures;

/// The `district` object of the portal's `stats.json`.
pub fn json(district: &District) -> Value {
    let offices: Vec<Value> = district
        .offices
        .iter()
        .map(|office| {
            json!({
                "name": office.name,
                "slug": office.slug,
                "base_url": office.base_url,
                "as_of": office.stats.as_of.map(|d| d.to_string()),
                "stale_since": office.stale_since,
                "totals": figures(&office.stats.totals),
            })
        })
        .collect();
    let league: Vec<Value> = district
        .tables
        .iter()
        .map(|table| table_json(district, table))
        .collect();
    json!({
        "as_of": district.as_of.map(|d| d.to_string()),
        "totals": figures(&district.totals),
        "offices": offices,
        "unavailable": district.unavailable,
        "league": league,
    })
}

fn table_json(district: &District, table: &Table) -> Value {
    let rows: Vec<Value> = table
        .standings
        .iter()
        .map(|standing| {
            json!({
                "rank": standing.rank,
                "previous_rank": standing.previous_rank,
                "office": district.offices[standing.office].name,
                "figures": period_figures(&standing.now, table.period.kind),
                "previous": period_figures(&standing.before, table.period.kind),
            })
        })
        .collect();
    json!({
        "kind": kind_key(table.period.kind),
        "period": table.period.key(),
        "label": table.period.label(),
        "previous_period": table.previous.key(),
        "rows": rows,
        "total": period_figures(&table.total, table.period.kind),
    })
}

fn kind_key(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "month",
        PeriodKind::Quarter => "quarter",
        PeriodKind::Year => "year",
    }
}

/// The eight figures and the publications by level; honours only for a year.
fn period_figures(counted: &PeriodFigures, kind: PeriodKind) -> Value {
    let mut map = match figures(&counted.figures) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if kind != PeriodKind::Year {
        map.remove("honors");
    }
    let levels: Map<String, Value> = OutletLevel::ALL
        .iter()
        .map(|level| {
            (
                level.key().to_string(),
                json!(counted.levels[level.index()]),
            )
        })
        .collect();
    map.insert("publications_by_level".into(), Value::Object(levels));
    Value::Object(map)
}

/// The `league.<period>` rows of `stats.csv`, as cells after `breakdown,key`:
/// one per office, in rank order.
pub fn csv_rows(district: &District) -> Vec<(String, String, crate::stats::Figures)> {
    district
        .tables
        .iter()
        .flat_map(|table| {
            table.standings.iter().map(|standing| {
                (
                    format!("league.{}", table.period.key()),
                    district.offices[standing.office].name.clone(),
                    standing.now.figures,
                )
            })
        })
        .collect()
}
