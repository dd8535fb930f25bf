//! `stats.csv`: every row of `stats.json` as one line, `breakdown,key,` then
//! the eight figures — the same names as the JSON keys, so either file can be
//! checked against the other. It starts with a UTF-8 byte-order mark so that
//! Excel on Chinese Windows opens the Chinese names without garbling them.

use super::model::{Breakdown, Figures, Measure, Tally};

/// The CSV bytes; with `only`, the totals and that one breakdown.
pub fn to_bytes(tally: &Tally, only: Option<Breakdown>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header = vec!["breakdown", "key"];
    header.extend(Measure::ALL.iter().map(|m| m.key()));
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    let mut line =
        |breakdown: &str, key: &str, figures: Option<&Figures>, only_publications: bool| {
            let mut record = vec![breakdown.to_string(), key.to_string()];
            for measure in Measure::ALL {
                let cell = match figures {
                    Some(f) if !only_publications || measure == Measure::Publications => {
                        f.get(measure).to_string()
                    }
                    _ => String::new(),
                };
                record.push(cell);
            }
            let _ = writer.write_record(&record);
        };
    line("totals", "", Some(&tally.totals), false);
    for breakdown in Breakdown::ALL {
        if only.is_some_and(|wanted| wanted != breakdown) {
            continue;
        }
        let name = breakdown.json_key();
        match breakdown {
            Breakdown::Month => {
                for row in &tally.by_month {
                    line(name, &row.key(), Some(&row.figures), false);
                }
                for row in &tally.by_month {
                    line(
                        "by_month.year_to_date",
                        &row.key(),
                        Some(&row.year_to_date),
                        false,
                    );
                }
                for row in &tally.by_month {
                    line(
                        "by_month.cumulative",
                        &row.key(),
                        Some(&row.cumulative),
                        false,
                    );
                }
            }
            Breakdown::Outlet => {
                for row in tally.rows(breakdown) {
                    line(name, &row.key, Some(&row.figures), true);
                }
                for (outlet, (_, publications)) in &tally.by_outlet {
                    let figures = Figures {
                        publications: *publications,
                        ..Figures::default()
                    };
                    line("by_outlet", outlet, Some(&figures), true);
                }
            }
            other => {
                for row in tally.rows(other) {
                    line(name, &row.key, Some(&row.figures), false);
                }
            }
        }
    }
    if let Some(district) = &tally.district {
        for (breakdown, office, figures) in super::district::csv_rows(district) {
            line(&breakdown, &office, Some(&figures), false);
        }
    }
    writer.into_inner().unwrap_or_default()
}
