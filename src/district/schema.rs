//! A member office's `stats.json`, read and checked before any of its
//! figures is counted. The file must carry the format version and the
//! office's base URL, have every figure the league table needs, and add up:
//! the months must sum to the totals, and so must the years. A file that
//! fails is an error naming the member and the field, never a silent zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::config::OutletLevel;
use crate::diagnostics::{line_col, Diagnostic};
use crate::figures::{Figures, Hours, Measure, FORMAT_VERSION};

/// What the portal takes from a member's `stats.json`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberStats {
    pub title: String,
    /// Ends with `/`.
    pub base_url: String,
    pub as_of: Option<NaiveDate>,
    pub totals: Figures,
    pub by_year: BTreeMap<i32, Figures>,
    /// By (year, month): the figures and the publications per outlet level.
    pub by_month: BTreeMap<(i32, u32), MonthFigures>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthFigures {
    pub figures: Figures,
    /// In the order of [`OutletLevel::ALL`].
    pub levels: [u64; OutletLevel::ALL.len()],
}

/// Reads `text`, the `stats.json` of member `member`, shown in messages as `file`.
pub fn read(member: &str, file: &str, text: &str) -> Result<MemberStats, Diagnostic> {
    let reader = Reader { member, file, text };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(
            file,
            e.line(),
            e.column(),
            format!("成员“{member}”的 stats.json 不是完整的 JSON（{e}）"),
        )
        .with_hint("可能没有下载完整，或不是 streetpress 生成的文件；请该街道重新生成网站后再试")
    })?;
    let root = root
        .as_object()
        .ok_or_else(|| reader.wrong(&[], "应是一个 { } 对象"))?;
    let version = root
        .get("format_version")
        .ok_or_else(|| reader.missing(&["format_version"]))?
        .as_u64()
        .ok_or_else(|| reader.wrong(&["format_version"], "应是一个整数"))?;
    if version > FORMAT_VERSION {
        return Err(reader
            .at(
                &["format_version"],
                format!(
                    "成员“{member}”的 stats.json 是第 {version} 版格式，比本程序认识的（第 {FORMAT_VERSION} 版）新"
                ),
            )
            .with_hint("该街道用的 streetpress 比区里的新：请把区里的 streetpress 升级到同样或更新的版本"));
    }
    let site = object(&reader, root, "site")?;
    let base_url = site
        .get("base_url")
        .and_then(Value::as_str)
        .ok_or_else(|| reader.missing(&["site", "base_url"]))?;
    let parsed = url::Url::parse(base_url)
        .map_err(|_| reader.wrong(&["site", "base_url"], "应是该街道网站的完整网址"))?;
    let mut base_url = parsed.to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let title = site
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let as_of = match root.get("as_of") {
        None => return Err(reader.missing(&["as_of"])),
        Some(Value::Null) => None,
        Some(Value::String(date)) => Some(
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| reader.wrong(&["as_of"], "应是 YYYY-MM-DD 形式的日期"))?,
        ),
        Some(_) => return Err(reader.wrong(&["as_of"], "应是 YYYY-MM-DD 形式的日期")),
    };
    let totals = reader.figures(&["totals"], root.get("totals"))?;

    let mut by_year = BTreeMap::new();
    for (year, figures) in object(&reader, root, "by_year")? {
        let path = ["by_year", year.as_str()];
        let number: i32 = year
            .parse()
            .map_err(|_| reader.wrong(&path, "键应是年份，例如 \"2025\""))?;
        by_year.insert(number, reader.figures(&path, Some(figures))?);
    }

    let levels = object(&reader, root, "by_month_outlet_level")?;
    let months = root
        .get("by_month")
        .ok_or_else(|| reader.missing(&["by_month"]))?
        .as_array()
        .ok_or_else(|| reader.wrong(&["by_month"], "应是一个 [ ] 列表"))?;
    let mut by_month = BTreeMap::new();
    for entry in months {
        let key = entry
            .get("month")
            .and_then(Value::as_str)
            .ok_or_else(|| reader.missing(&["by_month", "month"]))?;
        let path = ["by_month", key];
        let month = parse_month(key).ok_or_else(|| reader.wrong(&path, "月份应写成 YYYY-MM"))?;
        let figures = reader.figures(&path, Some(entry))?;
        let level_counts = match levels.get(key) {
            None => [0; OutletLevel::ALL.len()],
            Some(value) => reader.levels(&["by_month_outlet_level", key], value)?,
        };
        if level_counts.iter().sum::<u64>() != figures.publications {
            return Err(reader.at(
                &["by_month_outlet_level", key],
                format!(
                    "成员“{member}”{key} 各级发稿之和（{}）与该月发稿（{}）不符",
                    level_counts.iter().sum::<u64>(),
                    figures.publications
                ),
            ));
        }
        by_month.insert(
            month,
            MonthFigures {
                figures,
                levels: level_counts,
            },
        );
    }

    let stats = MemberStats {
        title,
        base_url,
        as_of,
        totals,
        by_year,
        by_month,
    };
    reader.adds_up(&stats)?;
    Ok(stats)
}

fn parse_month(key: &str) -> Option<(i32, u32)> {
    let (year, month) = key.split_once('-')?;
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

fn object<'v>(
    reader: &Reader<'_>,
    root: &'v Map<String, Value>,
    key: &str,
) -> Result<&'v Map<String, Value>, Diagnostic> {
    root.get(key)
        .ok_or_else(|| reader.missing(&[key]))?
        .as_object()
        .ok_or_else(|| reader.wrong(&[key], "应是一个 { } 对象"))
}

struct Reader<'a> {
    member: &'a str,
    file: &'a str,
    text: &'a str,
}

impl Reader<'_> {
    /// A problem at the field `path` (`["by_month", "2025-06", "reads"]`).
    fn at(&self, path: &[&str], message: String) -> Diagnostic {
        let (line, column) = locate(self.text, path);
        Diagnostic::error(self.file, line, column, message)
    }

    fn missing(&self, path: &[&str]) -> Diagnostic {
        self.at(
            path,
            format!("成员“{}”的 stats.json 缺少 {}", self.member, path.join(".")),
        )
        .with_hint("该街道的 streetpress 可能太旧：请该街道升级 streetpress 并重新生成网站")
    }

    fn wrong(&self, path: &[&str], expected: &str) -> Diagnostic {
        let field = if path.is_empty() {
            "整个文件".to_string()
        } else {
            path.join(".")
        };
        self.at(
            path,
            format!(
                "成员“{}”的 stats.json 里 {field} 不对：{expected}",
                self.member
            ),
        )
    }

    /// The eight figures of an object (hours may have decimals).
    fn figures(&self, path: &[&str], value: Option<&Value>) -> Result<Figures, Diagnostic> {
        let object = value
            .ok_or_else(|| self.missing(path))?
            .as_object()
            .ok_or_else(|| self.wrong(path, "应是一个 { } 对象"))?;
        let mut figures = Figures::default();
        for measure in Measure::ALL {
            let mut field = path.to_vec();
            field.push(measure.key());
            let value = object
                .get(measure.key())
                .ok_or_else(|| self.missing(&field))?;
            match measure {
                Measure::Hours => {
                    let hours = value
                        .as_f64()
                        .filter(|h| h.is_finite() && *h >= 0.0)
                        .ok_or_else(|| self.wrong(&field, "应是不小于 0 的数"))?;
                    figures.hours = Hours::from_f64(hours);
                }
                _ => {
                    let n = value
                        .as_u64()
                        .ok_or_else(|| self.wrong(&field, "应是不小于 0 的整数"))?;
                    match measure {
                        Measure::Articles => figures.articles = n,
                        Measure::Publications => figures.publications = n,
                        Measure::Reads => figures.reads = n,
                        Measure::Activities => figures.activities = n,
                        Measure::Participants => figures.participants = n,
                        Measure::Volunteers => figures.volunteers = n,
                        Measure::Honors => figures.honors = n,
                        Measure::Hours => {}
                    }
                }
            }
        }
        Ok(figures)
    }

    fn levels(&self, path: &[&str], value: &Value) -> Result<[u64; 6], Diagnostic> {
        let object = value
            .as_object()
            .ok_or_else(|| self.wrong(path, "应是一个 { } 对象"))?;
        let mut counts = [0; OutletLevel::ALL.len()];
        for (key, value) in object {
            let mut field = path.to_vec();
            field.push(key);
            let level: OutletLevel = key.parse().map_err(|()| {
                self.wrong(
                    &field,
                    "级别应是 national、provincial、city、district、wechat 或 site",
                )
            })?;
            counts[level.index()] = value
                .as_u64()
                .ok_or_else(|| self.wrong(&field, "应是不小于 0 的整数"))?;
        }
        Ok(counts)
    }

    /// The months add up to the totals (honours have no month), and so do the years.
    fn adds_up(&self, stats: &MemberStats) -> Result<(), Diagnostic> {
        let mut months = Figures::default();
        for month in stats.by_month.values() {
            months += month.figures;
        }
        let mut years = Figures::default();
        for year in stats.by_year.values() {
            years += *year;
        }
        for measure in Measure::ALL {
            let total = stats.totals.get(measure);
            let (sum, breakdown) = if measure == Measure::Honors {
                (years.get(measure), "by_year")
            } else {
                (months.get(measure), "by_month")
            };
            if sum != total {
                return Err(self
                    .at(
                        &["totals", measure.key()],
                        format!(
                            "成员“{}”的 stats.json 前后不一致：{breakdown} 各项之和的 {} 是 {sum}，totals 里是 {total}",
                            self.member,
                            measure.key()
                        ),
                    )
                    .with_hint("文件可能被手工改过或没有下载完整：请该街道重新生成网站"));
            }
        }
        Ok(())
    }
}

/// The line and column of a field, found by its keys in order; the start of
/// the file when a key cannot be found (it is missing).
fn locate(text: &str, path: &[&str]) -> (usize, usize) {
    let mut offset = 0;
    let mut found = 0;
    for key in path {
        let quoted = format!("\"{key}\"");
        match text[offset..].find(&quoted) {
            Some(at) => {
                offset += at;
                found = offset;
            }
            None => break,
        }
    }
    if path.is_empty() {
        return (1, 1);
    }
    line_col(text, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        serde_json::json!({
            "as_of": "2025-06-20",
            "totals": {"articles": 3, "publications": 5, "reads": 900, "activities": 2,
                       "participants": 80, "volunteers": 6, "hours": 12.5, "honors": 1},
            "by_year": {"2025": {"articles": 3, "publications": 5, "reads": 900, "activities": 2,
                       "participants": 80, "volunteers": 6, "hours": 12.5, "honors": 1}},
            "by_month": [
                {"month": "2025-05", "articles": 1, "publications": 1, "reads": 100, "activities": 1,
                 "participants": 30, "volunteers": 2, "hours": 4, "honors": 0},
                {"month": "2025-06", "articles": 2, "publications": 4, "reads": 800, "activities": 1,
                 "participants": 50, "volunteers": 4, "hours": 8.5, "honors": 0}],
            "by_month_outlet_level": {
                "2025-05": {"national": 0, "provincial": 0, "city": 0, "district": 0, "wechat": 0, "site": 1},
                "2025-06": {"national": 1, "provincial": 0, "city": 0, "district": 0, "wechat": 1, "site": 2}},
            "format_version": 1,
            "site": {"title": "洸河街道", "base_url": "https://example.gov.cn/guanghe/"}
        })
    }

    fn read_value(value: &Value) -> Result<MemberStats, Diagnostic> {
        let text = serde_json::to_string_pretty(value).unwrap();
        read("洸河街道", "members/guanghe/stats.json", &text)
    }

    #[test]
    fn reads_a_good_file() {
        let stats = read_value(&sample()).expect("good stats");
        assert_eq!(stats.base_url, "https://example.gov.cn/guanghe/");
        assert_eq!(stats.by_month[&(2025, 6)].levels[0], 1);
        assert_eq!(stats.totals.hours.to_string(), "12.5");
    }

    #[test]
    fn a_newer_format_is_refused_with_the_versions() {
        let mut value = sample();
        value["format_version"] = serde_json::json!(2);
        let problem = read_value(&value).unwrap_err();
        assert!(problem.message.contains("第 2 版"), "{}", problem.message);
        assert!(problem.hint.unwrap().contains("升级"));
    }

    #[test]
    fn a_missing_or_wrong_field_is_named_at_its_line() {
        let mut value = sample();
        value["site"].as_object_mut().unwrap().remove("base_url");
        let problem = read_value(&value).unwrap_err();
        assert!(
            problem.message.contains("缺少 site.base_url"),
            "{}",
            problem.message
        );

        let mut value = sample();
        value["by_month"][1]["reads"] = serde_json::json!("八百");
        let problem = read_value(&value).unwrap_err();
        assert!(
            problem.message.contains("by_month.2025-06.reads"),
            "{}",
            problem.message
        );
        let text = serde_json::to_string_pretty(&value).unwrap();
        let line = text.lines().nth(problem.line - 1).unwrap();
        assert!(
            line.contains("\"reads\": \"八百\""),
            "line {}: {line}",
            problem.line
        );
    }

    #[test]
    fn figures_that_do_not_add_up_are_refused() {
        let mut value = sample();
        value["totals"]["reads"] = serde_json::json!(90000);
        let problem = read_value(&value).unwrap_err();
        assert!(
            problem.message.contains("前后不一致"),
            "{}",
            problem.message
        );
    }
}
