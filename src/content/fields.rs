//! Reading typed fields out of a parsed YAML mapping, with messages that name
//! the line of the field and say how to write it. Fields taken out are removed,
//! so what is left over is the item's `extra`.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::dates::{self, DateError};
use super::numbers;
use crate::diagnostics::Diagnostic;

pub struct Fields<'a> {
    map: Map<String, Value>,
    shown_path: &'a str,
    /// The YAML text the mapping came from, to find a field's line.
    yaml: &'a str,
    /// The file line on which `yaml` starts.
    first_line: usize,
    /// For a row of a table (an activity ledger): where each field's cell is.
    cells: Option<HashMap<String, CellPlace>>,
    pub problems: Vec<Diagnostic>,
}

/// The cell a field was read from: its row and column (1-based) and how to
/// name it in a message (`工作表“Sheet1”C14 单元格（参与人数）`).
#[derive(Debug, Clone)]
pub struct CellPlace {
    pub line: usize,
    pub column: usize,
    pub label: String,
}

impl<'a> Fields<'a> {
    pub fn new(
        map: Map<String, Value>,
        shown_path: &'a str,
        yaml: &'a str,
        first_line: usize,
    ) -> Self {
        Fields {
            map,
            shown_path,
            yaml,
            first_line,
            cells: None,
            problems: Vec::new(),
        }
    }

    /// Fields read from the cells of a table row rather than from YAML text:
    /// messages name the cell of each field, or `row` for the row as a whole.
    pub fn from_cells(
        map: Map<String, Value>,
        shown_path: &'a str,
        cells: HashMap<String, CellPlace>,
        row: CellPlace,
    ) -> Self {
        let mut cells = cells;
        cells.insert(String::new(), row);
        Fields {
            map,
            shown_path,
            yaml: "",
            first_line: 0,
            cells: Some(cells),
            problems: Vec::new(),
        }
    }

    fn place(&self, key: &str) -> Option<&CellPlace> {
        let cells = self.cells.as_ref()?;
        cells.get(key).or_else(|| cells.get(""))
    }

    /// The message, led by the cell it is about when the fields are a table row.
    fn located(&self, key: &str, message: String) -> String {
        match self.place(key) {
            Some(place) if !place.label.is_empty() => format!("{}：{message}", place.label),
            _ => message,
        }
    }

    /// Line and column of a field's value (or of the start of the mapping).
    pub fn position(&self, key: &str) -> (usize, usize) {
        if let Some(place) = self.place(key) {
            return (place.line, place.column);
        }
        for (index, line) in self.yaml.lines().enumerate() {
            let trimmed = line.trim_start();
            let trimmed = trimmed
                .strip_prefix("- ")
                .map(str::trim_start)
                .unwrap_or(trimmed);
            if let Some(rest) = trimmed.strip_prefix(key) {
                if let Some(value) = rest.trim_start().strip_prefix(':') {
                    let value_start = line.len() - value.trim_start().len();
                    let column = line[..value_start].chars().count() + 1;
                    return (self.first_line + index, column);
                }
            }
        }
        (self.first_line, 1)
    }

    pub fn error(&mut self, key: &str, message: impl Into<String>, hint: Option<String>) {
        let (line, column) = self.position(key);
        let message = self.located(key, message.into());
        let mut diagnostic = Diagnostic::error(self.shown_path, line, column, message);
        diagnostic.hint = hint;
        self.problems.push(diagnostic);
    }

    pub fn warning(&mut self, key: &str, message: impl Into<String>, hint: Option<String>) {
        let (line, column) = self.position(key);
        let message = self.located(key, message.into());
        let mut diagnostic = Diagnostic::warning(self.shown_path, line, column, message);
        diagnostic.hint = hint;
        self.problems.push(diagnostic);
    }

    /// Whether a field is present with a non-empty value.
    pub fn has(&self, key: &str) -> bool {
        match self.map.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    /// Removes and returns a raw field; an empty value counts as absent.
    pub fn take(&mut self, key: &str) -> Option<Value> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(value) => Some(value),
        }
    }

    /// What no one took: unknown fields, for templates.
    pub fn into_rest(self) -> (Map<String, Value>, Vec<Diagnostic>) {
        (self.map, self.problems)
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.error(
                    key,
                    format!("“{key}”应该是一段文字，不是列表或多行结构"),
                    Some(format!("写成 {key}: 内容")),
                );
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &str, what: &str) -> Option<String> {
        let value = self.string(key);
        if value.is_none()
            && !self
                .problems
                .iter()
                .any(|p| p.line == self.position(key).0 && p.is_error())
        {
            let (line, _) = self.position(key);
            self.problems.push(
                Diagnostic::error(
                    self.shown_path,
                    line,
                    1,
                    format!("缺少{what}（{key} 字段）"),
                )
                .with_hint(format!("在 front matter 里加一行 {key}: {what}")),
            );
        }
        value
    }

    /// A list of strings, also accepted as one string separated by 、，, (张三、李四).
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.take(key) else {
            return Vec::new();
        };
        let items: Vec<String> = match value {
            Value::String(s) => s
                .split(['、', '，', ',', '；', ';'])
                .map(|s| s.trim().to_string())
                .collect(),
            Value::Array(items) => items
                .into_iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            Value::Number(n) => vec![n.to_string()],
            _ => {
                self.error(
                    key,
                    format!("“{key}”应该是一个列表"),
                    Some(format!("写成 {key}: [甲, 乙]")),
                );
                return Vec::new();
            }
        };
        let mut unique: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            if !item.is_empty() && !unique.contains(&item) {
                unique.push(item);
            }
        }
        unique
    }

    pub fn flag(&mut self, key: &str) -> bool {
        match self.take(key) {
            None => false,
            Some(Value::Bool(b)) => b,
            Some(Value::String(s)) if matches!(s.trim(), "是" | "yes" | "true") => true,
            Some(Value::String(s)) if matches!(s.trim(), "否" | "no" | "false") => false,
            Some(_) => {
                self.error(key, format!("“{key}”只能写 true 或 false"), None);
                false
            }
        }
    }

    /// A non-negative whole number; absent is `None`.
    pub fn count(&mut self, key: &str, what: &str) -> Option<u64> {
        let value = self.take(key)?;
        let parsed = match &value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => numbers::parse_count(s.trim_matches(['"', '“', '”'])),
            _ => None,
        };
        if parsed.is_none() {
            let shown = display_value(&value);
            let hint = hint_for_number(&shown, true, self.cells.is_some());
            self.error(
                key,
                format!("{what}“{shown}”不是一个不小于 0 的整数"),
                Some(hint),
            );
        }
        parsed
    }

    /// A non-negative number that may have decimals (volunteer hours).
    pub fn decimal(&mut self, key: &str, what: &str) -> Option<f64> {
        let value = self.take(key)?;
        let parsed = match &value {
            Value::Number(n) => n.as_f64().filter(|f| *f >= 0.0 && f.is_finite()),
            Value::String(s) => numbers::parse_decimal(s.trim_matches(['"', '“', '”'])),
            _ => None,
        };
        if parsed.is_none() {
            let shown = display_value(&value);
            let hint = hint_for_number(&shown, false, self.cells.is_some());
            self.error(
                key,
                format!("{what}“{shown}”不是一个不小于 0 的数"),
                Some(hint),
            );
        }
        parsed
    }

    pub fn date(&mut self, key: &str, timezone: Tz) -> Option<DateTime<FixedOffset>> {
        let value = self.take(key)?;
        let text = match &value {
            Value::String(s) => s.clone(),
            other => display_value(other),
        };
        match dates::parse(&text, timezone) {
            Ok(date) => Some(date),
            Err(DateError::Impossible(what)) => {
                self.error(
                    key,
                    format!("日期“{text}”不存在：没有{what}"),
                    Some("请核对年月日，例如 2024-02-29 只在闰年有".into()),
                );
                None
            }
            Err(DateError::Unreadable) => {
                self.error(
                    key,
                    format!("看不懂日期“{text}”"),
                    Some("写成 2024-03-15，或带时间 2024-03-15 10:30".into()),
                );
                None
            }
        }
    }
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn hint_for_number(shown: &str, whole: bool, cell: bool) -> String {
    if let Some(value) = numbers::chinese_numeral_value(shown) {
        return format!("请用阿拉伯数字，写成 {value}");
    }
    let digits: String = numbers::normalize_digits(shown)
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if !digits.is_empty() && !shown.starts_with('-') {
        return format!("只写数字，不要带单位或其他文字，例如 {digits}");
    }
    let unknown = if cell {
        "不知道可以空着"
    } else {
        "不知道可以不写这一行"
    };
    if whole {
        format!("写一个整数，例如 120；{unknown}")
    } else {
        format!("写一个数，例如 16 或 2.5；{unknown}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(yaml: &'static str) -> Fields<'static> {
        let Value::Object(map) = crate::yaml::parse(yaml).unwrap() else {
            panic!()
        };
        Fields::new(map, "a.md", yaml, 2)
    }

    #[test]
    fn chinese_numerals_are_explained_with_digits() {
        let mut f = fields("title: x\nreads: 一千二百\n");
        assert_eq!(f.count("reads", "浏览量"), None);
        let problem = &f.problems[0];
        assert_eq!((problem.line, problem.column), (3, 8));
        assert!(problem.hint.as_deref().unwrap().contains("1200"));
    }

    #[test]
    fn lists_from_a_string_with_chinese_commas() {
        let mut f = fields("author: 张三、李四\n");
        assert_eq!(f.string_list("author"), ["张三", "李四"]);
    }

    #[test]
    fn leftover_fields_are_extra() {
        let mut f = fields("title: x\nphotographer: 王五\n");
        f.string("title");
        let (rest, _) = f.into_rest();
        assert_eq!(rest["photographer"], "王五");
    }
}
