//! `stats.json`: the tally as SPEC section 5 shows it, keys in a fixed order
//! so that two builds of the same content give the same bytes.

use serde_json::{json, Map, Value};

use super::model::{Amount, Breakdown, Figures, Measure, Tally};
use crate::config::OutletLevel;

pub use crate::figures::FORMAT_VERSION;

/// The JSON document; with `only`, the totals and that one breakdown.
pub fn to_value(tally: &Tally, only: Option<Breakdown>) -> Value {
    let mut root = Map::new();
    root.insert(
        "as_of".into(),
        tally
            .as_of
            .map_or(Value::Null, |d| Value::String(d.to_string())),
    );
    if let Some(year) = tally.year {
        root.insert("year".into(), json!(year));
    }
    root.insert("totals".into(), figures(&tally.totals));
    for breakdown in Breakdown::ALL {
        if only.is_some_and(|wanted| wanted != breakdown) {
            continue;
        }
        root.insert(
            breakdown.json_key().into(),
            self::breakdown(tally, breakdown),
        );
        if breakdown == Breakdown::Outlet {
            let outlets: Map<String, Value> = tally
                .by_outlet
                .iter()
                .map(|(name, (level, publications))| {
                    (
                        name.clone(),
                        json!({ "level": level.key(), "publications": publications }),
                    )
                })
                .collect();
            root.insert("by_outlet".into(), Value::Object(outlets));
        }
    }
    if only.is_none_or(|wanted| wanted == Breakdown::Month) {
        root.insert("by_month_outlet_level".into(), month_levels(tally));
    }
    // The whole file is what a district portal reads: it says which site
    // it is and in which format; a single breakdown asked for is not.
    if only.is_none() {
        if let Some(district) = &tally.district {
            root.insert("district".into(), super::district::json(district));
        }
        root.insert("format_version".into(), json!(FORMAT_VERSION));
        root.insert(
            "site".into(),
            json!({ "title": tally.site_title, "base_url": tally.site_base_url }),
        );
    }
    Value::Object(root)
}

/// Publications per outlet level in each month that has any.
fn month_levels(tally: &Tally) -> Value {
    Value::Object(
        tally
            .by_month
            .iter()
            .filter(|row| row.publications_by_level.iter().any(|&n| n > 0))
            .map(|row| {
                let levels: Map<String, Value> = OutletLevel::ALL
                    .iter()
                    .map(|level| {
                        let n = row.publications_by_level[level.index()];
                        (level.key().to_string(), json!(n))
                    })
                    .collect();
                (row.key(), Value::Object(levels))
            })
            .collect(),
    )
}

/// Pretty-printed, with a final newline.
pub fn to_string(tally: &Tally, only: Option<Breakdown>) -> String {
    let mut text =
        serde_json::to_string_pretty(&to_value(tally, only)).unwrap_or_else(|_| String::from("{}"));
    text.push('\n');
    text
}

fn breakdown(tally: &Tally, breakdown: Breakdown) -> Value {
    match breakdown {
        Breakdown::Month => Value::Array(
            tally
                .by_month
                .iter()
                .map(|row| {
                    let mut entry = Map::new();
                    entry.insert("month".into(), Value::String(row.key()));
                    if let Value::Object(figures) = figures(&row.figures) {
                        entry.extend(figures);
                    }
                    entry.insert("year_to_date".into(), figures(&row.year_to_date));
                    entry.insert("cumulative".into(), figures(&row.cumulative));
                    Value::Object(entry)
                })
                .collect(),
        ),
        Breakdown::Outlet => Value::Object(
            tally
                .by_outlet_level
                .iter()
                .map(|(level, n)| (level.key().to_string(), json!({ "publications": n })))
                .collect(),
        ),
        other => Value::Object(
            tally
                .rows(other)
                .into_iter()
                .map(|row| (row.key, figures(&row.figures)))
                .collect(),
        ),
    }
}

/// The eight figures; hours as a whole number when they are whole.
pub fn figures(figures: &Figures) -> Value {
    let mut map = Map::new();
    for measure in Measure::ALL {
        let value = match figures.get(measure) {
            Amount::Count(n) => json!(n),
            Amount::Hours(h) if h.is_whole() => json!(h.0 / 100),
            Amount::Hours(h) => json!(h.as_f64()),
        };
        map.insert(measure.key().into(), value);
    }
    Value::Object(map)
}
