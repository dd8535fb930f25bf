//! `streetpress import activities LEDGER.xlsx`: an Excel or CSV ledger turned
//! into a YAML file of activity records (SPEC section 3), for offices that
//! keep their records as text. The ledger is read by `content::ledger`, the
//! same code that reads ledgers left in `content/activities/`, so a row
//! means the same thing either way.

use std::fmt::Write;

use serde_json::Value;

use crate::config::SiteConfig;
use crate::content::activity::Activity;

/// The YAML text of `records`, one list item each, in the ledger's order.
pub fn to_yaml(records: &[Activity], config: &SiteConfig, source: &str) -> String {
    let mut out = format!("# 由 {source} 导入（streetpress import activities）\n");
    for record in records {
        let date = if record.date.time() == chrono::NaiveTime::MIN {
            record.date.format("%Y-%m-%d").to_string()
        } else {
            record.date.format("%Y-%m-%d %H:%M").to_string()
        };
        let _ = writeln!(out, "- date: {date}");
        let kind = config
            .categories
            .get(record.kind)
            .map_or("", |c| c.key.as_str());
        field(&mut out, "kind", kind);
        field(&mut out, "title", &record.title);
        let optional = [
            ("community", &record.community),
            ("grid", &record.grid),
            ("place", &record.place),
            ("organizer", &record.organizer),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                field(&mut out, key, value);
            }
        }
        if record.participants > 0 {
            let _ = writeln!(out, "  participants: {}", record.participants);
        }
        if record.volunteers > 0 {
            let _ = writeln!(out, "  volunteers: {}", record.volunteers);
        }
        if record.hours > 0.0 {
            let _ = writeln!(out, "  hours: {}", record.hours);
        }
        if let Some(article) = &record.article {
            field(&mut out, "article", article);
        }
        for (key, value) in &record.extra {
            // JSON is YAML: a quoted key and a JSON value read back as written.
            let _ = writeln!(out, "  {}: {}", Value::from(key.as_str()), value);
        }
    }
    out
}

/// `  key: "value"`: always quoted, so a title such as `是` or `2024` stays text.
fn field(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "  {key}: {}", Value::from(value));
}
