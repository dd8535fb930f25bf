//! The monthly report as an Excel workbook (`stats --format xlsx`): one sheet
//! of totals and one per breakdown, Chinese headings, figures written as
//! numbers (so they can be summed in Excel), and column widths that fit the
//! text, counting a Chinese character as two.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::model::{Amount, Breakdown, Figures, Measure, Tally};
use crate::district::{league, District};

/// The workbook's bytes; with `only`, the totals sheet and that breakdown's sheet.
pub fn to_bytes(tally: &Tally, only: Option<Breakdown>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();
    totals_sheet(workbook.add_worksheet(), tally, &styles)?;
    for breakdown in Breakdown::ALL {
        if breakdown == Breakdown::Year || only.is_some_and(|wanted| wanted != breakdown) {
            continue;
        }
        let sheet = workbook.add_worksheet();
        sheet.set_name(breakdown.title())?;
        let mut table = Table::new(sheet, &styles);
        match breakdown {
            Breakdown::Month => months(&mut table, tally)?,
            Breakdown::Grid => grids(&mut table, tally)?,
            Breakdown::Outlet => outlets(&mut table, tally)?,
            other => {
                let measures = other.measures();
                table.headings(0, other.row_heading(), measures)?;
                for (i, row) in tally.rows(other).iter().enumerate() {
                    table.text(1 + i as u32, 0, &row.label)?;
                    table.figures(1 + i as u32, 1, &row.figures, measures)?;
                }
            }
        }
        table.finish()?;
    }
    if let (Some(district), None) = (&tally.district, only) {
        for league in &district.tables {
            league_sheet(workbook.add_worksheet(), district, league, &styles)?;
        }
    }
    workbook.save_to_buffer()
}

/// A district portal's table for one period: the offices as rows, by rank.
fn league_sheet(
    sheet: &mut Worksheet,
    district: &District,
    league: &league::Table,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(format!(
        "{}排行 {}",
        league.period.kind_name(),
        league.period.label()
    ))?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "{}各街道排行（与{}相比）",
            league.period.label(),
            league.previous.label()
        ),
        &styles.title,
    )?;
    // Offices are ranked by publications, not articles; honours are counted by year only.
    let year = league.period.kind == league::PeriodKind::Year;
    let measures: Vec<Measure> = Measure::ALL
        .into_iter()
        .filter(|&m| m != Measure::Articles && (year || m != Measure::Honors))
        .collect();
    let levels = league::levels_upward();
    let mut table = Table::new(sheet, styles);
    let heading_row = 2;
    for (column, text) in ["名次", "街道", "上期名次"].into_iter().enumerate() {
        table.heading(heading_row, column as u16, text)?;
    }
    let first_measure = 3;
    for (i, measure) in measures.iter().enumerate() {
        table.heading(heading_row, first_measure + i as u16, measure.label())?;
    }
    let first_level = first_measure + measures.len() as u16;
    for (i, level) in levels.iter().enumerate() {
        table.heading(
            heading_row,
            first_level + i as u16,
            &format!("{}（篇）", level.chinese()),
        )?;
    }
    table.sheet.set_freeze_panes(heading_row + 1, 2)?;
    let row_of = |table: &mut Table<'_>, row: u32, counted: &league::PeriodFigures| {
        table.figures(row, first_measure, &counted.figures, &measures)?;
        for (i, level) in levels.iter().enumerate() {
            let n = counted.levels[level.index()];
            table.number(row, first_level + i as u16, Amount::Count(n))?;
        }
        Ok::<(), XlsxError>(())
    };
    let mut row = heading_row + 1;
    for standing in &league.standings {
        table.number(row, 0, Amount::Count(standing.rank as u64))?;
        table.text(row, 1, &district.offices[standing.office].name)?;
        match standing.previous_rank {
            Some(rank) => table.number(row, 2, Amount::Count(rank as u64))?,
            None => table.text(row, 2, "—")?,
        }
        row_of(&mut table, row, &standing.now)?;
        row += 1;
    }
    table.bold = true;
    table.text(row, 1, "全区合计")?;
    row_of(&mut table, row, &league.total)?;
    table.finish()
}

struct Styles {
    title: Format,
    heading: Format,
    text: Format,
    count: Format,
    hours: Format,
    total_text: Format,
    total_count: Format,
    total_hours: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let count = cell.clone().set_num_format("#,##0");
        let hours = cell.clone().set_num_format("#,##0.##;;0");
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            heading: cell
                .clone()
                .set_bold()
                .set_background_color("#F2F2F2")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            text: cell.clone(),
            total_text: cell.clone().set_bold(),
            total_count: count.clone().set_bold(),
            total_hours: hours.clone().set_bold(),
            count,
            hours,
        }
    }
}

/// A sheet being written, remembering the widest text of each column.
struct Table<'a> {
    sheet: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Vec<usize>,
    bold: bool,
}

impl<'a> Table<'a> {
    fn new(sheet: &'a mut Worksheet, styles: &'a Styles) -> Table<'a> {
        Table {
            sheet,
            styles,
            widths: Vec::new(),
            bold: false,
        }
    }

    fn fit(&mut self, column: u16, width: usize) {
        let column = column as usize;
        if self.widths.len() <= column {
            self.widths.resize(column + 1, 0);
        }
        self.widths[column] = self.widths[column].max(width);
    }

    fn heading(&mut self, row: u32, column: u16, text: &str) -> Result<(), XlsxError> {
        // Headings wrap at their unit in parentheses, so count the longer part.
        let widest = text
            .split('（')
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        self.fit(column, widest.max(8));
        // Two lines: the name, then its unit.
        self.sheet.set_row_height(row, 32)?;
        self.sheet
            .write_string_with_format(row, column, text, &self.styles.heading)?;
        Ok(())
    }

    fn headings(&mut self, row: u32, first: &str, measures: &[Measure]) -> Result<(), XlsxError> {
        self.heading(row, 0, first)?;
        for (i, measure) in measures.iter().enumerate() {
            self.heading(row, 1 + i as u16, measure.label())?;
        }
        self.sheet.set_freeze_panes(row + 1, 1)?;
        Ok(())
    }

    fn text(&mut self, row: u32, column: u16, text: &str) -> Result<(), XlsxError> {
        self.fit(column, text.width());
        let format = if self.bold {
            &self.styles.total_text
        } else {
            &self.styles.text
        };
        self.sheet
            .write_string_with_format(row, column, text, format)?;
        Ok(())
    }

    fn number(&mut self, row: u32, column: u16, amount: Amount) -> Result<(), XlsxError> {
        // Thousands separators add about a third to the digits.
        let digits = amount.to_string().len();
        self.fit(column, digits + digits / 3);
        let format = match (amount, self.bold) {
            (Amount::Count(_), false) => &self.styles.count,
            (Amount::Count(_), true) => &self.styles.total_count,
            (Amount::Hours(_), false) => &self.styles.hours,
            (Amount::Hours(_), true) => &self.styles.total_hours,
        };
        self.sheet
            .write_number_with_format(row, column, amount.as_f64(), format)?;
        Ok(())
    }

    fn figures(
        &mut self,
        row: u32,
        first_column: u16,
        figures: &Figures,
        measures: &[Measure],
    ) -> Result<(), XlsxError> {
        for (i, measure) in measures.iter().enumerate() {
            self.number(row, first_column + i as u16, figures.get(*measure))?;
        }
        Ok(())
    }

    /// Sets every column to the width of its widest text, with a margin.
    fn finish(self) -> Result<(), XlsxError> {
        for (column, width) in self.widths.iter().enumerate() {
            let width = (*width).clamp(4, 60) as f64 + 2.0;
            self.sheet.set_column_width(column as u16, width)?;
        }
        Ok(())
    }
}

fn totals_sheet(sheet: &mut Worksheet, tally: &Tally, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("汇总")?;
    let scope = tally.year.map(|y| format!("{y}年")).unwrap_or_default();
    sheet.write_string_with_format(
        0,
        0,
        format!("{} {scope}发稿与阅读统计", tally.site_title),
        &styles.title,
    )?;
    sheet.write_string(1, 0, format!("统计截至 {}", tally.as_of_chinese()))?;
    let mut table = Table::new(sheet, styles);
    table.headings(3, "年份", &Measure::ALL)?;
    let mut row = 4;
    for year in tally.rows(Breakdown::Year) {
        table.text(row, 0, &year.label)?;
        table.figures(row, 1, &year.figures, &Measure::ALL)?;
        row += 1;
    }
    table.bold = true;
    table.text(row, 0, "合计")?;
    table.figures(row, 1, &tally.totals, &Measure::ALL)?;
    table.finish()
}

fn months(table: &mut Table<'_>, tally: &Tally) -> Result<(), XlsxError> {
    let measures = Breakdown::Month.measures();
    table.headings(0, "月份", measures)?;
    let width = measures.len() as u16;
    for (i, measure) in measures.iter().enumerate() {
        table.heading(
            0,
            1 + width + i as u16,
            &format!("本年累计{}", measure.label()),
        )?;
        table.heading(
            0,
            1 + 2 * width + i as u16,
            &format!("累计{}", measure.label()),
        )?;
    }
    for (i, month) in tally.by_month.iter().enumerate() {
        let row = 1 + i as u32;
        table.text(row, 0, &month.key())?;
        table.figures(row, 1, &month.figures, measures)?;
        table.figures(row, 1 + width, &month.year_to_date, measures)?;
        table.figures(row, 1 + 2 * width, &month.cumulative, measures)?;
    }
    Ok(())
}

/// Community and grid in two columns, so that Excel can filter by community.
fn grids(table: &mut Table<'_>, tally: &Tally) -> Result<(), XlsxError> {
    let measures = Breakdown::Grid.measures();
    table.heading(0, 0, "社区")?;
    table.heading(0, 1, "网格")?;
    for (i, measure) in measures.iter().enumerate() {
        table.heading(0, 2 + i as u16, measure.label())?;
    }
    table.sheet.set_freeze_panes(1, 2)?;
    for (i, (key, figures)) in tally.by_grid.iter().enumerate() {
        let row = 1 + i as u32;
        let (community, grid) = key.rsplit_once('/').unwrap_or(("", key));
        table.text(row, 0, community)?;
        table.text(row, 1, grid)?;
        table.figures(row, 2, figures, measures)?;
    }
    Ok(())
}

fn outlets(table: &mut Table<'_>, tally: &Tally) -> Result<(), XlsxError> {
    table.heading(0, 0, "媒体级别")?;
    table.heading(0, 1, Measure::Publications.label())?;
    let mut row = 1;
    for (level, n) in &tally.by_outlet_level {
        table.text(row, 0, level.chinese())?;
        table.number(row, 1, Amount::Count(*n))?;
        row += 1;
    }
    row += 1;
    table.heading(row, 0, "媒体")?;
    table.heading(row, 1, "级别")?;
    table.heading(row, 2, Measure::Publications.label())?;
    for (name, (level, n)) in &tally.by_outlet {
        row += 1;
        table.text(row, 0, name)?;
        table.text(row, 1, level.chinese())?;
        table.number(row, 2, Amount::Count(*n))?;
    }
    Ok(())
}
