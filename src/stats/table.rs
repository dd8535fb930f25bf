//! The tally as text tables for the terminal (`stats --format table`).
//! Columns are aligned by display width: a Chinese character takes two
//! columns in a terminal, so padding counts `unicode-width`, not characters.

use unicode_width::UnicodeWidthStr;

use super::model::{Breakdown, Measure, Tally};

/// The tables `stats` prints: the years with a total line, or one breakdown.
pub fn render(tally: &Tally, only: Option<Breakdown>) -> String {
    let mut out = String::new();
    let scope = match tally.year {
        Some(year) => format!("{year}年"),
        None => String::new(),
    };
    out.push_str(&format!(
        "{} {scope}发稿与阅读统计（截至 {}）\n\n",
        tally.site_title,
        tally.as_of_chinese()
    ));
    match only {
        None => out.push_str(&years(tally)),
        Some(Breakdown::Year) => out.push_str(&years(tally)),
        Some(Breakdown::Month) => out.push_str(&months(tally)),
        Some(Breakdown::Outlet) => {
            out.push_str(&breakdown(tally, Breakdown::Outlet));
            out.push('\n');
            out.push_str(&outlets(tally));
        }
        Some(other) => out.push_str(&breakdown(tally, other)),
    }
    out
}

/// Years and the total, every figure.
fn years(tally: &Tally) -> String {
    let mut rows: Vec<Vec<Cell>> = tally
        .rows(Breakdown::Year)
        .iter()
        .map(|row| figure_row(&row.label, &row.figures, &Measure::ALL))
        .collect();
    rows.push(figure_row("合计", &tally.totals, &Measure::ALL));
    grid(&headings("年份", &Measure::ALL), &rows)
}

fn months(tally: &Tally) -> String {
    let measures = Breakdown::Month.measures();
    let mut headers = headings("月份", measures);
    headers.extend(["本年累计发稿".to_string(), "累计发稿".to_string()]);
    let rows: Vec<Vec<Cell>> = tally
        .by_month
        .iter()
        .map(|row| {
            let mut cells = figure_row(&row.key(), &row.figures, measures);
            cells.push(Cell::number(row.year_to_date.publications.to_string()));
            cells.push(Cell::number(row.cumulative.publications.to_string()));
            cells
        })
        .collect();
    grid(&headers, &rows)
}

fn breakdown(tally: &Tally, breakdown: Breakdown) -> String {
    let measures = breakdown.measures();
    let rows: Vec<Vec<Cell>> = tally
        .rows(breakdown)
        .iter()
        .map(|row| figure_row(&row.label, &row.figures, measures))
        .collect();
    if rows.is_empty() {
        return format!("（没有可以{}统计的内容）\n", breakdown.title());
    }
    grid(&headings(breakdown.row_heading(), measures), &rows)
}

fn outlets(tally: &Tally) -> String {
    if tally.by_outlet.is_empty() {
        return "（文章的 outlets 里还没有写发稿媒体）\n".to_string();
    }
    let rows: Vec<Vec<Cell>> = tally
        .by_outlet
        .iter()
        .map(|(name, (level, n))| {
            vec![
                Cell::text(name),
                Cell::text(level.chinese()),
                Cell::number(n.to_string()),
            ]
        })
        .collect();
    grid(
        &["媒体".to_string(), "级别".to_string(), "发稿".to_string()],
        &rows,
    )
}

fn headings(first: &str, measures: &[Measure]) -> Vec<String> {
    std::iter::once(first.to_string())
        .chain(measures.iter().map(|m| m.short().to_string()))
        .collect()
}

fn figure_row(label: &str, figures: &super::Figures, measures: &[Measure]) -> Vec<Cell> {
    std::iter::once(Cell::text(label))
        .chain(
            measures
                .iter()
                .map(|m| Cell::number(figures.get(*m).to_string())),
        )
        .collect()
}

struct Cell {
    text: String,
    right: bool,
}

impl Cell {
    fn text(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            right: false,
        }
    }
    fn number(text: String) -> Cell {
        Cell { text, right: true }
    }
}

/// Lays out a table: the first column left-aligned, figures right-aligned,
/// two spaces between columns, a rule under the headings.
fn grid(headers: &[String], rows: &[Vec<Cell>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.text.width());
        }
    }
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = (&str, bool)>, out: &mut String| {
        let mut parts = Vec::new();
        for (i, (text, right)) in cells.enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(text.width()));
            parts.push(if right {
                format!("{pad}{text}")
            } else {
                format!("{text}{pad}")
            });
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(
        &mut headers.iter().enumerate().map(|(i, h)| {
            // A heading is aligned like the figures or words under it.
            let right = rows
                .first()
                .and_then(|row| row.get(i))
                .map_or(i > 0, |cell| cell.right);
            (h.as_str(), right)
        }),
        &mut out,
    );
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for row in rows {
        line(
            &mut row.iter().map(|c| (c.text.as_str(), c.right)),
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_takes_two_columns() {
        let table = grid(
            &["社区".to_string(), "发稿".to_string()],
            &[
                vec![Cell::text("柳岸社区"), Cell::number("12".into())],
                vec![Cell::text("ab"), Cell::number("3".into())],
            ],
        );
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "社区      发稿");
        assert_eq!(lines[2], "柳岸社区    12");
        assert_eq!(lines[3], "ab           3");
        assert!(lines.iter().all(|l| l.width() <= lines[1].width()));
    }
}
