//! Read-count imports (`content/reads/*.csv`): rows naming an article by slug,
//! path or exact title, with the count and optionally the day it was read off.
//! Headers may be the contract's English names or the Chinese ones of a WeChat
//! back-office export.

use chrono::NaiveDate;

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

const ARTICLE_HEADERS: &[&str] = &[
    "article",
    "slug",
    "title",
    "标题",
    "文章",
    "文章标题",
    "文章名称",
];
const READS_HEADERS: &[&str] = &[
    "reads",
    "阅读次数",
    "阅读量",
    "阅读数",
    "浏览量",
    "浏览次数",
];
const DATE_HEADERS: &[&str] = &["date", "日期", "统计日期", "发表时间", "发布时间", "时间"];

pub fn load_csv(file: &ContentFile, text: &str, problems: &mut Vec<Diagnostic>) -> Vec<ReadRow> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(e) => {
            problems.push(Diagnostic::error(
                &file.shown,
                1,
                1,
                format!("无法读取表头: {e}"),
            ));
            return Vec::new();
        }
    };
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| headers.iter().position(|h| h == name))
    };
    let (Some(article_column), Some(reads_column)) = (find(ARTICLE_HEADERS), find(READS_HEADERS))
    else {
        problems.push(
            Diagnostic::error(
                &file.shown,
                1,
                1,
                "阅读数表格的第一行要有“article”（或“标题”）和“reads”（或“阅读次数”）两列",
            )
            .with_hint("第一行写成 article,reads,date"),
        );
        return Vec::new();
    };
    let date_column = find(DATE_HEADERS);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(Diagnostic::error(
                    &file.shown,
                    line,
                    1,
                    format!("这一行无法读取: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let article = record.get(article_column).unwrap_or("").trim().to_string();
        let reads_text = record.get(reads_column).unwrap_or("").trim();
        if article.is_empty() {
            problems.push(Diagnostic::warning(
                &file.shown,
                line,
                1,
                "这一行没有写文章（article 列为空），已跳过",
            ));
            continue;
        }
        let Some(reads) = numbers::parse_count(reads_text) else {
            problems.push(
                Diagnostic::warning(
                    &file.shown,
                    line,
                    1,
                    format!("阅读数“{reads_text}”不是整数，这一行已跳过"),
                )
                .with_hint("阅读数只写数字，例如 1200 或 1,200"),
            );
            continue;
        };
        let date = match date_column
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => None,
            Some(text) => match super::dates::parse(text, chrono_tz::Tz::Asia__Shanghai) {
                Ok(date) => Some(date.date_naive()),
                Err(_) => {
                    problems.push(
                        Diagnostic::warning(
                            &file.shown,
                            line,
                            1,
                            format!("看不懂日期“{text}”，这一行按没有日期处理"),
                        )
                        .with_hint("日期写成 2024-03-15"),
                    );
                    None
                }
            },
        };
        rows.push(ReadRow {
            shown: file.shown.clone(),
            line,
            article,
            reads,
            date,
        });
    }
    rows
}
