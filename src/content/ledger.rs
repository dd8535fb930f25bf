//! Activity ledgers (活动台账): `content/activities/*.xlsx` and `*.csv`, one
//! row per activity, read into the same records as the YAML files (SPEC
//! section 3) and through the same field parsing, so that dates, numbers,
//! categories and their messages are the same.
//!
//! Ledgers are taken as grid workers keep them: Chinese headings (日期,
//! 活动名称, 类别, 参与人数, …) or the contract's English keys, found on the
//! first row that has two of them, below any title rows; a second heading row
//! under merged group headings; merged cells (a date or a community written
//! once for several rows) read on every row they cover; dates as date cells,
//! serial numbers or text (`2023/8/12`, `2023.8.12`, `2023年8月12日`); counts
//! with their unit (`120人`, `16小时`, `3.5h`); every sheet that has the
//! headings. Empty rows, rows with only a number (序号) filled in, total rows
//! (合计, 小计) and signature lines (填表人：) are skipped. A mistake names its
//! sheet and cell: `工作表“Sheet1”C14 单元格（参与人数）：…`, at line 14,
//! column 3 of the file.
//!
//! [`read`] is the whole of it: bytes in, records and problems out, for the
//! build and for anything that converts ledgers to YAML.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Reader, Sheets};
use serde_json::{Map, Value};

use super::activity::{self, Activity};
use super::fields::{CellPlace, Fields};
use super::numbers;
use super::reads::{self, Cell, TableRow};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// A column of a ledger: the record field it fills, its name in messages,
/// and the headings that mean it (compared without spaces, case or a unit in
/// brackets: `参与人数（人）` is `参与人数`).
struct Column {
    key: &'static str,
    name: &'static str,
    headings: &'static [&'static str],
}

const COLUMNS: &[Column] = &[
    Column {
        key: "date",
        name: "日期",
        headings: &[
            "日期",
            "活动日期",
            "活动时间",
            "时间",
            "开展时间",
            "开展日期",
            "举办时间",
            "date",
        ],
    },
    Column {
        key: "title",
        name: "活动名称",
        headings: &[
            "活动名称",
            "标题",
            "活动标题",
            "活动主题",
            "主题",
            "活动内容",
            "名称",
            "title",
        ],
    },
    Column {
        key: "kind",
        name: "类别",
        headings: &[
            "类别",
            "类型",
            "活动类别",
            "活动类型",
            "栏目",
            "分类",
            "kind",
        ],
    },
    Column {
        key: "community",
        name: "社区",
        headings: &["社区", "所属社区", "社区名称", "村居", "community"],
    },
    Column {
        key: "grid",
        name: "网格",
        headings: &["网格", "所属网格", "网格名称", "grid"],
    },
    Column {
        key: "place",
        name: "地点",
        headings: &["地点", "活动地点", "地址", "活动地址", "place"],
    },
    Column {
        key: "organizer",
        name: "组织单位",
        headings: &[
            "组织单位",
            "主办",
            "主办单位",
            "组织者",
            "承办单位",
            "组织",
            "organizer",
        ],
    },
    Column {
        key: "participants",
        name: "参与人数",
        headings: &[
            "参与人数",
            "服务人次",
            "参加人数",
            "参与人次",
            "服务群众",
            "服务人数",
            "受益人数",
            "participants",
        ],
    },
    Column {
        key: "volunteers",
        name: "志愿者人数",
        headings: &[
            "志愿者人数",
            "志愿者",
            "志愿者数",
            "参与志愿者",
            "volunteers",
        ],
    },
    Column {
        key: "hours",
        name: "服务时长",
        headings: &[
            "服务时长",
            "志愿时长",
            "志愿服务时长",
            "时长",
            "服务小时数",
            "hours",
        ],
    },
    Column {
        key: "article",
        name: "关联文章",
        headings: &["关联文章", "报道文章", "文章", "article"],
    },
];

/// The columns a ledger must have.
const REQUIRED: &[&str] = &["date", "title", "kind"];
/// How many rows at the top may come before the headings (titles, notes).
const HEADER_SEARCH_ROWS: usize = 30;
/// First cells of a total row.
const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "共计", "累计", "total"];
/// First cells of the lines under a table: signatures and notes.
const FOOTER_WORDS: &[&str] = &[
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "统计人",
    "填表日期",
    "制表日期",
    "注：",
    "注:",
    "说明：",
    "说明:",
    "备注：",
    "备注:",
];

/// The activity records of a ledger and the problems found in it. `shown`
/// is the path named in messages (`content/activities/台账.xlsx`); `is_csv`
/// says how to read `bytes` (a workbook otherwise: `.xlsx`, also `.xls`).
pub fn read(
    shown: &str,
    bytes: &[u8],
    is_csv: bool,
    config: &SiteConfig,
) -> (Vec<Activity>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let records = if is_csv {
        read_csv(shown, bytes, config, &mut problems)
    } else {
        read_workbook(shown, bytes, config, &mut problems)
    };
    (records, problems)
}

/// A CSV ledger (commas or tabs; UTF-8 with or without a byte-order mark,
/// GBK as Excel on Chinese Windows saves it, or UTF-16).
pub fn read_csv(
    shown: &str,
    bytes: &[u8],
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Activity> {
    let text = match reads::decode(shown, bytes) {
        Ok(text) => text,
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let rows = reads::text_rows(shown, &text, problems);
    let sheet = Sheet {
        shown,
        name: None,
        rows: &rows,
    };
    match sheet.header() {
        Ok(header) => sheet.records(&header, config, problems),
        Err(found) => {
            if !found.is_blank {
                problems.push(no_header(shown, &[(None, found)]));
            }
            Vec::new()
        }
    }
}

/// An Excel ledger: every sheet that has the headings.
pub fn read_workbook(
    shown: &str,
    bytes: &[u8],
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Activity> {
    let mut workbook = match open(shown, bytes) {
        Ok(Opened::Workbook(workbook)) => workbook,
        Ok(Opened::Text) => return read_csv(shown, bytes, config, problems),
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let mut records = Vec::new();
    let mut read_any = false;
    let mut without_header = Vec::new();
    for name in workbook.sheet_names() {
        let rows = match sheet_rows(&mut workbook, &name) {
            Ok(rows) => rows,
            Err(error) => {
                problems.push(
                    Diagnostic::error(shown, 1, 1, format!("工作表“{name}”无法读取：{error}"))
                        .with_hint("用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）"),
                );
                read_any = true;
                continue;
            }
        };
        let sheet = Sheet {
            shown,
            name: Some(&name),
            rows: &rows,
        };
        match sheet.header() {
            Ok(header) => {
                read_any = true;
                records.extend(sheet.records(&header, config, problems));
            }
            Err(found) if !found.is_blank => without_header.push((Some(name.clone()), found)),
            Err(_) => {}
        }
    }
    if !read_any && !without_header.is_empty() {
        problems.push(no_header(shown, &without_header));
    } else {
        // Beside a sheet that was read, a sheet of notes is no mistake; one
        // that looks like a ledger with a heading mistyped is worth a word.
        for (name, found) in &without_header {
            if !found.recognised.is_empty() {
                let mut problem = no_header(shown, &[(name.clone(), found.clone())]);
                problem.severity = crate::diagnostics::Severity::Warning;
                problem.message.push_str("，这张工作表已跳过");
                problems.push(problem);
            }
        }
    }
    records
}

enum Opened {
    Workbook(Box<Sheets<Cursor<Vec<u8>>>>),
    /// A text table saved under an Excel name.
    Text,
}

/// Opens a workbook; a password-protected one and a file that is no
/// workbook at all get their own message.
fn open(shown: &str, bytes: &[u8]) -> Result<Opened, Diagnostic> {
    if is_encrypted(bytes) {
        return Err(password_protected(shown));
    }
    match calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())) {
        Ok(workbook) => Ok(Opened::Workbook(Box::new(workbook))),
        Err(error) => {
            if is_compound_file(bytes) {
                if let Err(calamine::XlsError::Password) =
                    calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes))
                {
                    return Err(password_protected(shown));
                }
            }
            if !bytes.starts_with(b"PK") && !is_compound_file(bytes) {
                if let Ok(text) = reads::decode(shown, bytes) {
                    let start = text.trim_start();
                    if !text.contains('\0') && !start.starts_with('<') && !start.is_empty() {
                        return Ok(Opened::Text);
                    }
                }
            }
            Err(Diagnostic::error(
                shown,
                1,
                1,
                format!("这个文件不是 Excel 工作簿，打不开（{error}）"),
            )
            .with_hint(
                "用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）或 CSV；不是台账的文件请移出 content/activities 文件夹",
            ))
        }
    }
}

/// An OLE compound file: an `.xls`, or an `.xlsx` encrypted with a password.
fn is_compound_file(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Excel saves a workbook with an opening password as a compound file
/// holding `EncryptionInfo` and `EncryptedPackage` streams instead of the
/// zip of an `.xlsx`.
fn is_encrypted(bytes: &[u8]) -> bool {
    if !is_compound_file(bytes) {
        return false;
    }
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|window| window == name)
}

fn password_protected(shown: &str) -> Diagnostic {
    Diagnostic::error(shown, 1, 1, "这个 Excel 文件设置了打开密码，无法读取").with_hint(
        "在 Excel 里打开，点“文件 → 信息 → 保护工作簿 → 用密码进行加密”，删掉密码后保存（WPS：“文件 → 文档加密 → 密码加密”）；放进网站的台账不需要密码",
    )
}

/// The rows of a sheet, cells by their column (`A` is 0), merged cells read
/// on every row and column they cover.
fn sheet_rows(
    workbook: &mut Sheets<Cursor<Vec<u8>>>,
    name: &str,
) -> Result<Vec<TableRow>, calamine::Error> {
    let range = workbook.worksheet_range(name)?;
    let merged: Vec<calamine::Dimensions> = match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<TableRow> = range
        .rows()
        .enumerate()
        .map(|(i, row)| TableRow {
            line: top as usize + i + 1,
            cells: std::iter::repeat_n(Cell::Text(String::new()), left as usize)
                .chain(row.iter().map(reads::workbook_cell))
                .collect(),
        })
        .collect();
    for region in merged {
        let (first_row, first_column) = (region.start.0 as usize, region.start.1 as usize);
        let Some(value) = first_row
            .checked_sub(top as usize)
            .and_then(|i| rows.get(i))
            .and_then(|row| row.cells.get(first_column))
            .cloned()
        else {
            continue;
        };
        // A region may reach past the used cells; only rows that exist are filled.
        let last_column = (region.end.1 as usize).min(first_column + 256);
        for row in rows.iter_mut().filter(|row| {
            (region.start.0 as usize + 1..=region.end.0 as usize + 1).contains(&row.line)
        }) {
            if row.cells.len() <= last_column {
                row.cells.resize(last_column + 1, Cell::Text(String::new()));
            }
            for cell in &mut row.cells[first_column..=last_column] {
                if cell.is_blank() {
                    *cell = value.clone();
                }
            }
        }
    }
    Ok(rows)
}

/// One table: a CSV, or a sheet of a workbook.
struct Sheet<'a> {
    shown: &'a str,
    name: Option<&'a str>,
    rows: &'a [TableRow],
}

/// The heading row of a table and what each column holds.
struct Header {
    /// Index of the first data row in `rows`.
    first_data: usize,
    /// Column → index into `COLUMNS`.
    columns: Vec<(usize, usize)>,
    /// Column → heading as written, for every non-blank heading.
    written: HashMap<usize, String>,
}

/// What a table without headings has, to say so.
#[derive(Clone)]
struct Found {
    is_blank: bool,
    /// The line of the row with the most recognised headings (or the first non-empty row).
    line: usize,
    recognised: Vec<&'static str>,
    /// The first non-empty row as written.
    first_row: Vec<String>,
}

fn column_of(heading: &str) -> Option<usize> {
    let heading = reads::normalize_heading(heading);
    let heading = heading.trim_matches(['*', '＊', ':', '：']);
    COLUMNS
        .iter()
        .position(|column| column.headings.contains(&heading))
}

impl Sheet<'_> {
    /// The first row with two recognised headings, within the first rows.
    fn header(&self) -> Result<Header, Found> {
        let mut best: Option<(usize, Vec<&'static str>)> = None;
        for (index, row) in self.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
            let columns = recognised(row);
            if columns.len() >= 2 {
                return Ok(self.with_second_heading_row(index, columns));
            }
            if !columns.is_empty() && best.is_none() {
                let names = columns.iter().map(|&(_, c)| COLUMNS[c].name).collect();
                best = Some((row.line, names));
            }
        }
        let first = self
            .rows
            .iter()
            .find(|row| !row.cells.iter().all(Cell::is_blank));
        let (line, recognised) = best.unwrap_or((first.map_or(1, |row| row.line), Vec::new()));
        Err(Found {
            is_blank: first.is_none(),
            line,
            recognised,
            first_row: first.map_or_else(Vec::new, |row| {
                row.cells
                    .iter()
                    .map(Cell::text)
                    .filter(|t| !t.is_empty())
                    .collect()
            }),
        })
    }

    /// Under merged group headings (`服务情况` over `参与人数`, `志愿者人数`),
    /// the row below the headings holds the rest of them.
    fn with_second_heading_row(&self, index: usize, mut columns: Vec<(usize, usize)>) -> Header {
        let mut first_data = index + 1;
        if let Some(next) = self.rows.get(index + 1) {
            let below = recognised(next);
            if !below.is_empty() {
                first_data += 1;
                for (at, column) in below {
                    if !columns.iter().any(|&(a, c)| a == at || c == column) {
                        columns.push((at, column));
                    }
                }
            }
        }
        let mut written = HashMap::new();
        for row in &self.rows[index..first_data] {
            for (at, cell) in row.cells.iter().enumerate() {
                let text = cell.text();
                if !text.is_empty() && (column_of(&text).is_some() || !written.contains_key(&at)) {
                    written.insert(at, text);
                }
            }
        }
        columns.sort_unstable();
        Header {
            first_data,
            columns,
            written,
        }
    }

    /// `工作表“Sheet1”` for a workbook, nothing for a CSV.
    fn sheet_label(&self) -> String {
        self.name
            .map(|name| format!("工作表“{name}”"))
            .unwrap_or_default()
    }

    fn records(
        &self,
        header: &Header,
        config: &SiteConfig,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<Activity> {
        let header_line = self.rows[header.first_data - 1].line;
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|key| !header.columns.iter().any(|&(_, c)| COLUMNS[c].key == **key))
            .map(|key| column_name(key))
            .collect();
        if !missing.is_empty() {
            let found: Vec<&str> = header
                .columns
                .iter()
                .map(|&(_, c)| COLUMNS[c].name)
                .collect();
            problems.push(
                Diagnostic::error(
                    self.shown,
                    header_line,
                    1,
                    format!(
                        "{}第 {header_line} 行的表头缺少“{}”一列（认出的列：{}）",
                        self.sheet_label(),
                        missing.join("”“"),
                        found.join("、")
                    ),
                )
                .with_hint(expected_columns(config)),
            );
            return Vec::new();
        }
        let mut records = Vec::new();
        for row in &self.rows[header.first_data..] {
            if skipped(row, header) {
                continue;
            }
            if let Some(record) = self.record(row, header, config, problems) {
                records.push(record);
            }
        }
        records
    }

    fn record(
        &self,
        row: &TableRow,
        header: &Header,
        config: &SiteConfig,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Activity> {
        let line = row.line;
        let blank = Cell::Text(String::new());
        let mut map = Map::new();
        let mut places = HashMap::new();
        for &(at, column) in &header.columns {
            let column = &COLUMNS[column];
            let cell = row.cells.get(at).unwrap_or(&blank);
            places.insert(column.key.to_string(), self.place(line, at, header));
            if let Some(value) = value_of(column.key, cell) {
                if let Value::String(text) = &value {
                    self.check_privacy(text, line, at, header, config, problems);
                }
                map.insert(column.key.to_string(), published(value, config));
            }
        }
        // Other columns (序号, 备注, …) are kept for templates, as unknown YAML fields are.
        for (at, cell) in row.cells.iter().enumerate() {
            let Some(heading) = header.written.get(&at) else {
                continue;
            };
            if header.columns.iter().any(|&(a, _)| a == at) || cell.is_blank() {
                continue;
            }
            let text = cell.text();
            self.check_privacy(&text, line, at, header, config, problems);
            map.entry(heading.clone())
                .or_insert_with(|| published(Value::String(text), config));
        }
        let row_place = CellPlace {
            line,
            column: 1,
            label: format!("{}第 {line} 行", self.sheet_label()),
        };
        let fields = Fields::from_cells(map, self.shown, places, row_place);
        let (record, missing) = activity::from_fields(fields, self.shown, line, config, problems);
        if missing.is_empty() {
            return record;
        }
        let first_missing = header
            .columns
            .iter()
            .find(|&&(_, c)| missing.contains(&COLUMNS[c].key))
            .map_or(0, |&(at, _)| at);
        let names: Vec<&str> = REQUIRED
            .iter()
            .filter(|key| missing.contains(key))
            .map(|key| column_name(key))
            .collect();
        problems.push(
            Diagnostic::error(
                self.shown,
                line,
                first_missing + 1,
                format!(
                    "{}第 {line} 行没有填{}",
                    self.sheet_label(),
                    names.join("、")
                ),
            )
            .with_hint(format!(
                "每一行活动都要填日期、活动名称和类别（{}）；不是活动的行（说明、空白模板行）请删掉",
                category_names(config)
            )),
        );
        None
    }

    /// The cell at a row and column, as messages name it.
    fn place(&self, line: usize, at: usize, header: &Header) -> CellPlace {
        let heading = header
            .written
            .get(&at)
            .map(|h| format!("（{h}）"))
            .unwrap_or_default();
        CellPlace {
            line,
            column: at + 1,
            label: format!(
                "{}{}{line} 单元格{heading}",
                self.sheet_label(),
                reads::column_letters(at)
            ),
        }
    }

    /// Personal numbers in a cell, warned about as in any other content file.
    fn check_privacy(
        &self,
        text: &str,
        line: usize,
        at: usize,
        header: &Header,
        config: &SiteConfig,
        problems: &mut Vec<Diagnostic>,
    ) {
        let label = self.place(line, at, header).label;
        for mut problem in crate::privacy::diagnostics(self.shown, text, &config.privacy) {
            problem.line = line;
            problem.column = at + 1;
            problem.message = format!("{label}：{}", problem.message);
            problems.push(problem);
        }
    }
}

/// The recognised headings of a row: (column, index into `COLUMNS`), each field once.
fn recognised(row: &TableRow) -> Vec<(usize, usize)> {
    let mut columns: Vec<(usize, usize)> = Vec::new();
    for (at, cell) in row.cells.iter().enumerate() {
        if let Cell::Text(text) = cell {
            if let Some(column) = column_of(text) {
                if !columns.iter().any(|&(_, c)| c == column) {
                    columns.push((at, column));
                }
            }
        }
    }
    columns
}

/// Rows that are no activity: empty, only a 序号 or a note beside, a total
/// row, the signatures under the table.
fn skipped(row: &TableRow, header: &Header) -> bool {
    let Some(first) = row.cells.iter().find(|c| !c.is_blank()) else {
        return true;
    };
    let words = |cell: &Cell| -> String {
        cell.text()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let is_total = |cell: &Cell| {
        let text = words(cell);
        let text = text.trim_end_matches([':', '：']);
        TOTAL_WORDS.contains(&text)
    };
    let first_words = words(first);
    let starts_total = TOTAL_WORDS.iter().any(|w| first_words.starts_with(w));
    let starts_footer = FOOTER_WORDS.iter().any(|w| first_words.starts_with(w));
    let fields_blank = header
        .columns
        .iter()
        .all(|&(at, _)| row.cells.get(at).is_none_or(Cell::is_blank));
    fields_blank || starts_total || starts_footer || row.cells.iter().any(is_total)
}

/// The value of a cell for a field, as the YAML loader would have read it;
/// `None` when blank.
fn value_of(key: &str, cell: &Cell) -> Option<Value> {
    if cell.is_blank() {
        return None;
    }
    let value = match (key, cell) {
        ("date", Cell::Date(date)) => Value::String(date.to_string()),
        ("date", Cell::Number(n)) => {
            Value::String(serial_date(*n).map_or_else(|| cell.text(), |date| date.to_string()))
        }
        ("date", Cell::Text(text)) => Value::String(
            numbers::parse_count(text)
                .and_then(|n| serial_date(n as f64))
                .map_or_else(|| text.trim().to_string(), |date| date.to_string()),
        ),
        ("participants" | "volunteers" | "hours", Cell::Number(n)) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                Value::from(*n as i64)
            } else {
                Value::from(*n)
            }
        }
        ("participants" | "volunteers", Cell::Text(text)) => Value::String(
            numbers::without_unit(text, numbers::COUNT_UNITS)
                .unwrap_or(text.trim())
                .to_string(),
        ),
        ("hours", Cell::Text(text)) => Value::String(
            numbers::without_unit(text, numbers::HOUR_UNITS)
                .unwrap_or(text.trim())
                .to_string(),
        ),
        _ => Value::String(cell.text()),
    };
    Some(value)
}

/// The day of an Excel serial number (days since 1899-12-30) in the years a
/// ledger can be about, or of a number typed as `20230812`.
fn serial_date(n: f64) -> Option<chrono::NaiveDate> {
    if n.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(&n) {
        let n = n as u32;
        return chrono::NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100);
    }
    if !(10_000.0..100_000.0).contains(&n) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(n as u64))
}

fn published(value: Value, config: &SiteConfig) -> Value {
    match value {
        Value::String(text) => Value::String(crate::privacy::published_text(text, &config.privacy)),
        other => other,
    }
}

fn column_name(key: &str) -> &'static str {
    COLUMNS.iter().find(|c| c.key == key).map_or("", |c| c.name)
}

fn category_names(config: &SiteConfig) -> String {
    let names: Vec<&str> = config.categories.iter().map(|c| c.name.as_str()).collect();
    format!("类别填 {}", names.join("、"))
}

fn expected_columns(config: &SiteConfig) -> String {
    let optional: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| !REQUIRED.contains(&c.key))
        .map(|c| c.name)
        .collect();
    format!(
        "台账要有一行表头，至少有“日期”“活动名称”“类别”三列，还可以有 {}；{}",
        optional.join("、"),
        category_names(config)
    )
}

fn no_header(shown: &str, sheets: &[(Option<String>, Found)]) -> Diagnostic {
    let (name, found) = &sheets[0];
    let sheet = name
        .as_ref()
        .map(|name| format!("工作表“{name}”"))
        .unwrap_or_else(|| "这个文件".to_string());
    let what = if found.recognised.is_empty() {
        let first: Vec<&str> = found.first_row.iter().take(8).map(String::as_str).collect();
        format!("第 {} 行写的是：{}", found.line, first.join("、"))
    } else {
        format!(
            "只认出了第 {} 行的“{}”",
            found.line,
            found.recognised.join("”“")
        )
    };
    let mut message = format!("{sheet}里找不到活动台账的表头（{what}）");
    if sheets.len() > 1 {
        message = format!(
            "这个 Excel 文件的 {} 张工作表里都找不到活动台账的表头；{message}",
            sheets.len()
        );
    }
    let optional: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| !REQUIRED.contains(&c.key))
        .map(|c| c.name)
        .collect();
    Diagnostic::error(shown, found.line, 1, message).with_hint(format!(
        "台账要有一行表头，至少有“日期”“活动名称”“类别”三列（也可以写“标题”“类型”），还可以有 {}",
        optional.join("、")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        let toml = "title = \"t\"\nbase_url = \"https://example.org/\"\n[[categories]]\nkey = \"volunteer\"\nname = \"志愿服务\"\n[[categories]]\nkey = \"lectures\"\nname = \"理论宣讲\"\n";
        SiteConfig::parse(toml).expect("config")
    }

    fn csv(text: &str) -> (Vec<Activity>, Vec<Diagnostic>) {
        read(
            "content/activities/台账.csv",
            text.as_bytes(),
            true,
            &config(),
        )
    }

    #[test]
    fn headings_below_a_title_with_units_and_dates_as_typed() {
        let (records, problems) = csv(
            "洸河社区2024年活动台账,,,,,\n序号,日期,活动名称,类型,参与人数（人）,服务时长\n1,2024/3/5,反诈宣传,志愿服务,120人,16小时\n2,2024.3.6,理论学习,理论宣讲,３０,3.5h\n3,2024年3月7日,义诊,volunteer,,\n,合计,,,150,19.5\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let seen: Vec<(String, &str, u64, f64, usize)> = records
            .iter()
            .map(|r| {
                (
                    r.date.date_naive().to_string(),
                    r.title.as_str(),
                    r.participants,
                    r.hours,
                    r.line,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("2024-03-05".to_string(), "反诈宣传", 120, 16.0, 3),
                ("2024-03-06".to_string(), "理论学习", 30, 3.5, 4),
                ("2024-03-07".to_string(), "义诊", 0, 0.0, 5),
            ]
        );
        assert_eq!(records[1].kind, 1);
        assert_eq!(records[0].extra["序号"], "1");
    }

    #[test]
    fn a_mistake_names_its_cell_and_how_to_fix_it() {
        let (records, problems) = csv(
            "日期,标题,类别,参与人数,志愿者人数\n2024-03-05,甲,志愿服务,三十人,2\n2024-02-30,乙,志愿服务,1,1\n2024-03-07,丙,志愿者服务,1,1\n2024-03-08,,,,\n",
        );
        assert!(records.is_empty());
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            shown[0].starts_with("content/activities/台账.csv:2:4: 错误: D2 单元格（参与人数）：服务人次“三十人”不是一个不小于 0 的整数"),
            "{shown:?}"
        );
        assert!(shown[0].contains("写成 30"), "{shown:?}");
        assert!(
            shown[1].contains(":3:1: 错误: A3 单元格（日期）：日期“2024-02-30”不存在"),
            "{shown:?}"
        );
        assert!(
            shown[2].contains(":4:3: 错误: C4 单元格（类别）：没有名为“志愿者服务”的栏目"),
            "{shown:?}"
        );
        assert!(shown[2].contains("志愿服务"), "did you mean: {shown:?}");
        assert!(
            shown[3].contains(":5:2: 错误: 第 5 行没有填活动名称、类别"),
            "{shown:?}"
        );
        assert_eq!(problems.len(), 4, "{shown:?}");
    }

    #[test]
    fn a_table_without_headings_says_what_it_found_and_expects() {
        let (_, problems) = csv("时间段,内容,人数\n上午,学习,3\n");
        let message = problems[0].to_string();
        assert!(message.contains("找不到活动台账的表头"), "{message}");
        assert!(message.contains("时间段、内容、人数"), "{message}");
        assert!(message.contains("“日期”“活动名称”“类别”"), "{message}");
        let (_, problems) = csv("日期,活动名称,人数\n2024-01-01,学习,3\n");
        let message = problems[0].to_string();
        assert!(
            message.contains("表头缺少“类别”一列（认出的列：日期、活动名称）"),
            "{message}"
        );
    }

    #[test]
    fn gbk_and_bom() {
        let text = "日期,活动名称,类别\r\n2024-01-02,读书会,理论宣讲\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (records, problems) = read("a.csv", &gbk, true, &config());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records[0].title, "读书会");
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (records, _) = read("a.csv", &bom, true, &config());
        assert_eq!(records.len(), 1);
    }

    #[test]
    fn serial_numbers_and_typed_days() {
        assert_eq!(serial_date(45150.0).unwrap().to_string(), "2023-08-12");
        assert_eq!(serial_date(20230812.0).unwrap().to_string(), "2023-08-12");
        assert_eq!(serial_date(12.0), None);
    }

    #[test]
    fn not_a_workbook_and_password_protected() {
        let (_, problems) = read("a.xlsx", b"\x00\x01\x02garbage\x00", false, &config());
        assert!(
            problems[0].message.contains("不是 Excel 工作簿"),
            "{problems:?}"
        );
        let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        encrypted.resize(1024, 0);
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let (_, problems) = read("a.xlsx", &encrypted, false, &config());
        assert!(
            problems[0].message.contains("设置了打开密码"),
            "{problems:?}"
        );
    }
}
