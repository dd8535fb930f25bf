//! Read-count imports (`content/reads/*.csv`, `*.xlsx`): rows naming an
//! article by slug, path or exact title, with the count and optionally the day
//! it was read off.
//!
//! Exports from the WeChat back office are taken as they come: CSV in UTF-8
//! with or without a byte-order mark, in GBK (Excel on Chinese Windows), or
//! UTF-16 (Excel's "Unicode text"), separated by commas or tabs; an Excel
//! workbook (its first sheet that has the headings); Chinese headings as
//! exported (`标题`, `阅读次数`, `发表时间`, …) or the contract's English ones,
//! found in the first rows even below a title line; numbers with thousands
//! separators. Every row that cannot be used gets a message with its file and
//! line; no usable row is dropped.

use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::NaiveDate;
use chrono_tz::Tz;

use super::numbers;
use super::ContentFile;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct ReadRow {
    pub shown: String,
    pub line: usize,
    /// Slug, path under `content/`, or exact title.
    pub article: String,
    pub reads: u64,
    pub date: Option<NaiveDate>,
}

/// Headings of the column naming the article, best first.
const ARTICLE_HEADERS: &[&str] = &[
    "article",
    "slug",
    "title",
    "标题",
    "文章",
    "文章标题",
    "内容标题",
    "图文标题",
    "文章名称",
    "标题名称",
];
/// Headings of the read count. `阅读次数` (reads), never `阅读人数` (readers).
const READS_HEADERS: &[&str] = &[
    "reads",
    "阅读次数",
    "总阅读次数",
    "阅读量",
    "阅读数",
    "阅读总数",
    "浏览量",
    "浏览次数",
    "点击量",
];
/// Headings of the date; the day the figure was read off ranks before the
/// publication time, which exports carry instead.
const DATE_HEADERS: &[&str] = &[
    "date",
    "统计日期",
    "数据日期",
    "日期",
    "发表时间",
    "发布时间",
    "群发时间",
    "发表日期",
    "发布日期",
    "时间",
];
/// How many rows at the top may come before the headings (a title, a note).
const HEADER_SEARCH_ROWS: usize = 10;

/// One cell as read from a CSV (always text) or a workbook (typed).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    pub(super) fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }
}

/// A row of a table and where it is: its line (CSV) or row number (sheet).
pub(super) struct TableRow {
    pub(super) line: usize,
    pub(super) cells: Vec<Cell>,
}

/// Where the rows came from, to name a cell in messages.
enum Origin<'a> {
    Text,
    Sheet(&'a str),
}

/// Reads a CSV (or tab-separated) export from its bytes.
pub fn load_csv(
    file: &ContentFile,
    bytes: &[u8],
    timezone: Tz,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ReadRow> {
    let text = match decode(&file.shown, bytes) {
        Ok(text) => text,
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let rows = text_rows(&file.shown, &text, problems);
    read_rows(file, &rows, &Origin::Text, timezone, problems)
}

/// Reads an Excel workbook (`.xlsx`, also `.xls`): the first sheet that has
/// the headings. Back offices that save a text table under an Excel name are
/// read as text.
pub fn load_workbook(
    file: &ContentFile,
    bytes: &[u8],
    timezone: Tz,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ReadRow> {
    let mut workbook = match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => {
            if let Ok(text) = decode(&file.shown, bytes) {
                if !text.contains('\0') && !text.trim_start().starts_with('<') {
                    let rows = text_rows(&file.shown, &text, problems);
                    return read_rows(file, &rows, &Origin::Text, timezone, problems);
                }
            }
            problems.push(
                Diagnostic::error(
                    &file.shown,
                    1,
                    1,
                    format!("无法打开这个 Excel 文件：{error}"),
                )
                .with_hint("用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx），或另存为 CSV"),
            );
            return Vec::new();
        }
    };
    let names = workbook.sheet_names();
    let mut first_problem = None;
    for name in &names {
        let range = match workbook.worksheet_range(name) {
            Ok(range) => range,
            Err(error) => {
                first_problem.get_or_insert(format!("工作表“{name}”无法读取：{error}"));
                continue;
            }
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows: Vec<TableRow> = range
            .rows()
            .enumerate()
            .map(|(i, row)| TableRow {
                line: top as usize + i + 1,
                // Cells left of the used range are empty; keep column letters right.
                cells: std::iter::repeat_n(Cell::Text(String::new()), left as usize)
                    .chain(row.iter().map(workbook_cell))
                    .collect(),
            })
            .collect();
        if find_header(&rows).is_some() {
            return read_rows(file, &rows, &Origin::Sheet(name), timezone, problems);
        }
    }
    let message = first_problem.unwrap_or_else(|| {
        "这个 Excel 文件里没有一张工作表在前几行有“标题”（或 article）和“阅读次数”（或 reads）两列".to_string()
    });
    problems.push(
        Diagnostic::error(&file.shown, 1, 1, message)
            .with_hint("保留导出表原来的表头；自己做的表，第一行写 article、reads、date 三列"),
    );
    Vec::new()
}

pub(super) fn workbook_cell(data: &Data) -> Cell {
    match data {
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(value) => {
            let (year, month, day, ..) = value.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(year.into(), month.into(), day.into())
                .map_or_else(|| Cell::Number(value.as_f64()), Cell::Date)
        }
        Data::Error(_) | Data::Empty => Cell::Text(String::new()),
    }
}

/// Text in UTF-16 (with its mark), UTF-8 (with or without) or GBK.
pub(super) fn decode(shown: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    for (mark, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(mark) {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return Ok(crate::text_file::normalize_newlines(&text).into_owned());
        }
    }
    // A GBK export is what Excel on Chinese Windows writes: read it without a warning.
    crate::text_file::decode(shown, bytes).map(|decoded| decoded.text)
}

/// Splits text into rows, with commas or, when the first line has more tabs
/// than commas, tabs between the fields.
pub(super) fn text_rows(shown: &str, text: &str, problems: &mut Vec<Diagnostic>) -> Vec<TableRow> {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push(TableRow {
                line: record.position().map_or(0, |p| p.line() as usize),
                cells: record.iter().map(|f| Cell::Text(f.to_string())).collect(),
            }),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(
                    Diagnostic::warning(shown, line, 1, format!("这一行无法读取，已跳过：{e}"))
                        .with_hint("检查这一行的引号是否成对"),
                );
            }
        }
    }
    rows
}

/// A heading as people write it: no spaces, lower case, no unit in brackets.
pub(super) fn normalize_heading(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect::<String>()
        .to_lowercase();
    let cut = text.find(['(', '（']).unwrap_or(text.len());
    text[..cut].to_string()
}

/// The columns of the table: (index of the heading row, article, reads, date).
fn find_header(rows: &[TableRow]) -> Option<(usize, usize, usize, Option<usize>)> {
    for (index, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let headings: Vec<String> = row
            .cells
            .iter()
            .map(|c| normalize_heading(&c.text()))
            .collect();
        let exact = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| headings.iter().position(|h| h == name))
        };
        let containing = |part: &str| {
            headings
                .iter()
                .enumerate()
                .filter(|(_, h)| h.contains(part))
                .min_by_key(|(_, h)| h.chars().count())
                .map(|(i, _)| i)
        };
        let article = exact(ARTICLE_HEADERS).or_else(|| containing("标题"));
        let reads = exact(READS_HEADERS).or_else(|| containing("阅读次数"));
        if let (Some(article), Some(reads)) = (article, reads) {
            return Some((index, article, reads, exact(DATE_HEADERS)));
        }
    }
    None
}

fn read_rows(
    file: &ContentFile,
    rows: &[TableRow],
    origin: &Origin<'_>,
    timezone: Tz,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ReadRow> {
    if rows.iter().all(|r| r.cells.iter().all(Cell::is_blank)) {
        return Vec::new();
    }
    let Some((header, article_column, reads_column, date_column)) = find_header(rows) else {
        problems.push(
            Diagnostic::error(
                &file.shown,
                rows.first().map_or(1, |r| r.line),
                1,
                "阅读数表格的第一行要有“article”（或“标题”）和“reads”（或“阅读次数”）两列",
            )
            .with_hint("保留导出表原来的表头；自己做的表，第一行写 article,reads,date"),
        );
        return Vec::new();
    };
    let place = |line: usize, column: usize| match origin {
        Origin::Text => String::new(),
        Origin::Sheet(sheet) => {
            format!("（工作表“{sheet}”单元格 {}{line}）", column_letters(column))
        }
    };
    let empty = Cell::Text(String::new());
    let mut read = Vec::new();
    for row in &rows[header + 1..] {
        if row.cells.iter().all(Cell::is_blank) {
            continue;
        }
        let cell = |column: usize| row.cells.get(column).unwrap_or(&empty);
        let line = row.line;
        let article = cell(article_column).text();
        if article.is_empty() {
            problems.push(
                Diagnostic::warning(
                    &file.shown,
                    line,
                    1,
                    format!(
                        "这一行没有写文章（标题或 article 一列是空的），已跳过{}",
                        place(line, article_column)
                    ),
                )
                .with_hint("写上文章的标题、网址名（slug）或 content 下的路径"),
            );
            continue;
        }
        let Some(reads) = count(cell(reads_column)) else {
            let written = cell(reads_column).text();
            let message = if written.is_empty() {
                format!(
                    "“{article}”这一行没有阅读数，已跳过{}",
                    place(line, reads_column)
                )
            } else {
                format!(
                    "“{article}”的阅读数“{written}”不是整数，这一行已跳过{}",
                    place(line, reads_column)
                )
            };
            problems.push(
                Diagnostic::warning(&file.shown, line, 1, message).with_hint(
                    "阅读数只写数字，例如 1200 或 1,200；“10万+”请改成后台导出的准确数字",
                ),
            );
            continue;
        };
        let date = match date_column.map(cell) {
            None => None,
            Some(found) => match day(found, timezone) {
                Ok(date) => date,
                Err(written) => {
                    problems.push(
                        Diagnostic::warning(
                            &file.shown,
                            line,
                            1,
                            format!(
                                "看不懂日期“{written}”，这一行按没有日期处理{}",
                                place(line, date_column.unwrap_or(0))
                            ),
                        )
                        .with_hint("日期写成 2024-03-15"),
                    );
                    None
                }
            },
        };
        read.push(ReadRow {
            shown: file.shown.clone(),
            line,
            article,
            reads,
            date,
        });
    }
    read
}

/// A non-negative whole count: `1200`, `1,200`, `1200.0`, a number cell.
fn count(cell: &Cell) -> Option<u64> {
    match cell {
        Cell::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e15 => Some(*n as u64),
        Cell::Number(_) | Cell::Date(_) => None,
        Cell::Text(text) => numbers::parse_count(text).or_else(|| {
            numbers::parse_decimal(text)
                .filter(|n| n.fract() == 0.0 && *n < 1e15)
                .map(|n| n as u64)
        }),
    }
}

/// The day of a date cell: `Ok(None)` when blank, `Err(text)` when unreadable.
fn day(cell: &Cell, timezone: Tz) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Date(date) => Ok(Some(*date)),
        // A date cell without a date format reads as its serial number (days since 1899-12-30).
        Cell::Number(serial) if (1.0..2_958_466.0).contains(serial) => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(|| serial.to_string())?;
            base.checked_add_days(chrono::Days::new(serial.floor() as u64))
                .map(Some)
                .ok_or_else(|| serial.to_string())
        }
        Cell::Number(n) => Err(n.to_string()),
        Cell::Text(text) if text.trim().is_empty() => Ok(None),
        Cell::Text(text) => super::dates::parse(text, timezone)
            .map(|d| Some(d.date_naive()))
            .map_err(|_| text.trim().to_string()),
    }
}

/// `0` → `A`, `27` → `AB`
pub(super) fn column_letters(column: usize) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::FileKind;

    fn file() -> ContentFile {
        ContentFile {
            path: "content/reads/a.csv".into(),
            rel: "reads/a.csv".into(),
            shown: "content/reads/a.csv".into(),
            kind: FileKind::Reads,
            bundle_name: None,
        }
    }

    fn load(bytes: &[u8]) -> (Vec<ReadRow>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let rows = load_csv(&file(), bytes, Tz::Asia__Shanghai, &mut problems);
        (rows, problems)
    }

    #[test]
    fn wechat_headings_below_a_title_line() {
        let text = "公众号图文数据,,,\n内容标题,发表时间,总阅读人数,总阅读次数\n反诈宣传,2025-03-01 18:00,\"1,024\",\"2,345\"\n";
        let (rows, problems) = load(text.as_bytes());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].article, "反诈宣传");
        assert_eq!(rows[0].reads, 2345);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].date, NaiveDate::from_ymd_opt(2025, 3, 1));
    }

    #[test]
    fn reads_not_readers() {
        let text = "标题,阅读人数,阅读次数\n甲,10,25\n";
        let (rows, _) = load(text.as_bytes());
        assert_eq!(rows[0].reads, 25);
    }

    #[test]
    fn utf16_with_tabs() {
        let text = "标题\t阅读次数\n甲\t1,200\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (rows, problems) = load(&bytes);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((rows[0].article.as_str(), rows[0].reads), ("甲", 1200));
    }

    #[test]
    fn every_unusable_row_is_named() {
        let text = "article,reads,date\n,5,\na,十万,\nb,7,昨天\n\nc,8,2025-01-02\n";
        let (rows, problems) = load(text.as_bytes());
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        let kept: Vec<(&str, Option<NaiveDate>)> =
            rows.iter().map(|r| (r.article.as_str(), r.date)).collect();
        assert_eq!(
            kept,
            [("b", None), ("c", NaiveDate::from_ymd_opt(2025, 1, 2))]
        );
    }

    #[test]
    fn column_names() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(27), "AB");
    }
}
