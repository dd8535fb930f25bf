//! Activity records (SPEC section 3): a YAML file holds one record or a list.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use super::article::category_index;
use super::fields::Fields;
use super::front_matter::lint_punctuation;
use super::ContentFile;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::yaml;

#[derive(Debug, Clone)]
pub struct Activity {
    pub shown: String,
    /// The line where the record starts.
    pub line: usize,
    pub date: DateTime<FixedOffset>,
    /// Index into `SiteConfig::categories`.
    pub kind: usize,
    pub title: String,
    pub community: Option<String>,
    pub grid: Option<String>,
    pub place: Option<String>,
    pub organizer: Option<String>,
    pub participants: u64,
    pub volunteers: u64,
    pub hours: f64,
    /// Slug of the article that reports it.
    pub article: Option<String>,
    pub extra: Map<String, Value>,
}

pub fn load(
    file: &ContentFile,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<Activity>> {
    let lint = lint_punctuation(&file.shown, text, 1);
    if !lint.is_empty() {
        problems.extend(lint);
        return None;
    }
    let value = match yaml::parse(text) {
        Ok(value) => value,
        Err(e) => {
            problems.push(Diagnostic::error(&file.shown, e.line, e.column, e.message));
            return None;
        }
    };
    let records: Vec<Value> = match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        mapping @ Value::Object(_) => vec![mapping],
        _ => {
            problems.push(
                Diagnostic::error(&file.shown, 1, 1, "活动记录文件应是一条记录，或以“- ”开头的多条记录")
                    .with_hint("每条记录写成：\n    - date: 2024-03-15\n      kind: volunteer\n      title: 活动名称"),
            );
            return None;
        }
    };
    let segments = record_segments(text, records.len());
    let mut activities = Vec::with_capacity(records.len());
    for (record, (segment, first_line)) in records.into_iter().zip(segments) {
        let Value::Object(map) = record else {
            problems.push(Diagnostic::error(
                &file.shown,
                first_line,
                1,
                "这一条不是“字段: 值”形式的活动记录",
            ));
            continue;
        };
        let fields = Fields::new(map, &file.shown, segment, first_line);
        let (record, missing) = from_fields(fields, &file.shown, first_line, config, problems);
        if !missing.is_empty() {
            let missing: Vec<&str> = missing
                .iter()
                .map(|key| match *key {
                    "date" => "date（日期）",
                    "kind" => "kind（类别，如 volunteer 或 志愿服务）",
                    _ => "title（活动名称）",
                })
                .collect();
            problems.push(
                Diagnostic::error(
                    &file.shown,
                    first_line,
                    1,
                    format!("这条活动记录缺少 {}", missing.join("、")),
                )
                .with_hint("每条活动记录都要有 date、kind 和 title"),
            );
            continue;
        }
        activities.extend(record);
    }
    Some(activities)
}

/// The record in `fields` (from a YAML mapping or a row of a ledger), its
/// field problems added to `problems`; `None` when a field has an error.
/// The second value lists the required fields (`date`, `kind`, `title`) that
/// are missing, for the caller to name in its own words.
pub fn from_fields(
    mut fields: Fields<'_>,
    shown: &str,
    line: usize,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> (Option<Activity>, Vec<&'static str>) {
    let (has_date, has_kind) = (fields.has("date"), fields.has("kind"));
    let date = fields
        .date("date", config.timezone)
        .map(|d| d.with_timezone(&config.timezone).fixed_offset());
    let title = fields.string("title");
    let kind = if has_kind {
        category_index(&mut fields, config, "kind")
    } else {
        None
    };
    let record = Activity {
        shown: shown.to_string(),
        line,
        date: date.unwrap_or_default(),
        kind: kind.unwrap_or(0),
        title: title.clone().unwrap_or_default(),
        community: fields.string("community"),
        grid: fields.string("grid"),
        place: fields.string("place"),
        organizer: fields.string("organizer"),
        participants: fields.count("participants", "服务人次").unwrap_or(0),
        volunteers: fields.count("volunteers", "志愿者人数").unwrap_or(0),
        hours: fields.decimal("hours", "服务时长").unwrap_or(0.0),
        article: fields.string("article"),
        extra: Map::new(),
    };
    let mut missing = Vec::new();
    if !has_date {
        missing.push("date");
    }
    if !has_kind {
        missing.push("kind");
    }
    if title.is_none() {
        missing.push("title");
    }
    let (extra, mut field_problems) = fields.into_rest();
    let had_errors = field_problems.iter().any(Diagnostic::is_error);
    problems.append(&mut field_problems);
    if had_errors || !missing.is_empty() {
        return (None, missing);
    }
    (Some(Activity { extra, ..record }), missing)
}

/// The text and first line of each record of a block list, found by its
/// `- ` at the list's indentation, so messages point into the right record.
fn record_segments(text: &str, count: usize) -> Vec<(&str, usize)> {
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (byte offset, line)
    let mut list_indent: Option<usize> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.starts_with("- ") || rest.trim_end() == "-" {
            if list_indent.is_none() {
                list_indent = Some(indent);
            }
            if list_indent == Some(indent) {
                starts.push((offset, index + 1));
            }
        }
        offset += line.len();
    }
    if starts.len() != count {
        return vec![(text, 1); count];
    }
    let mut segments = Vec::with_capacity(count);
    for (i, &(start, line)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |&(next, _)| next);
        segments.push((&text[start..end], line));
    }
    segments
}
