//! `new`: ready-to-edit files for an article, a resident or an activity
//! record. Every field a user may fill in is written with an empty value and a
//! short comment, so the file builds as it is; the text of each file is made
//! by a pure function and checked by parsing it back before anything is written.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::slug;
use crate::yaml;

/// What `new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Article,
    Activity,
    Person,
}

/// What was written, for the summary.
#[derive(Debug)]
pub struct Created {
    pub path: PathBuf,
    /// The line where the new record starts (1 for a new file).
    pub line: usize,
    /// True when an activity record was added to a file that existed.
    pub appended: bool,
}

/// Writes the new file (or appends the record). `today` is the date in the
/// site's time zone.
pub fn create(
    root: &Path,
    config: &SiteConfig,
    kind: NewKind,
    title: &str,
    category: Option<&str>,
    today: NaiveDate,
) -> Result<Created, Diagnostic> {
    let title = title.trim();
    if title.is_empty() {
        return Err(usage(
            "标题不能是空的",
            "例如 streetpress new article \"反诈知识进社区\"",
        ));
    }
    if kind == NewKind::Person && category.is_some() {
        return Err(usage(
            "--category 只用于文章和活动记录",
            "身边好人都在“身边好人”栏目里，去掉 --category 再运行",
        ));
    }
    let category = category_key(config, category)?;
    match kind {
        NewKind::Article => {
            let name = file_name(title, "article");
            let rel = format!("content/articles/{}/{name}.md", today.format("%Y"));
            write_new(root, &rel, &article_text(config, title, &category, today))
        }
        NewKind::Person => {
            let rel = format!("content/people/{}.md", file_name(title, "person"));
            write_new(root, &rel, &person_text(title))
        }
        NewKind::Activity => {
            let rel = format!("content/activities/{}.yaml", today.format("%Y-%m"));
            append_activity(root, &rel, title, &category, today)
        }
    }
}

/// A category key from a key or display name; absent means `news` (or the first).
fn category_key(config: &SiteConfig, written: Option<&str>) -> Result<String, Diagnostic> {
    let categories = &config.categories;
    let Some(written) = written.map(str::trim) else {
        let default = categories
            .iter()
            .find(|c| c.key == "news")
            .or(categories.first());
        return Ok(default
            .map(|c| c.key.clone())
            .unwrap_or_else(|| "news".into()));
    };
    categories
        .iter()
        .find(|c| c.key == written || c.name == written)
        .map(|c| c.key.clone())
        .ok_or_else(|| {
            usage(
                &format!("没有名为“{written}”的栏目"),
                &format!(
                    "{}（栏目在 site.toml 的 [[categories]] 里设置）",
                    config.category_hint(written)
                ),
            )
        })
}

/// The pinyin of a title as a file name.
fn file_name(title: &str, fallback: &str) -> String {
    let name = slug::pinyin_slug(title);
    if name.is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

/// A YAML scalar for a title: as it is when YAML reads it back unchanged,
/// else in double quotes.
pub fn yaml_scalar(text: &str) -> String {
    let plain_ok = !text.is_empty()
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c))
        && !text.ends_with(' ')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains('\n')
        && !text.contains('\t')
        && yaml::parse(&format!("k: {text}"))
            .ok()
            .and_then(|v| v.get("k").and_then(|k| k.as_str().map(str::to_string)))
            .as_deref()
            == Some(text);
    if plain_ok {
        return text.to_string();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Lines of `key: value  # comment`, the comments lined up.
fn fields(indent: &str, lines: &[(&str, String, &str)]) -> String {
    use unicode_width::UnicodeWidthStr;
    let width = lines
        .iter()
        .filter(|(_, _, comment)| !comment.is_empty())
        .map(|(key, value, _)| key.width() + value.width() + 2)
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = String::new();
    for (key, value, comment) in lines {
        let field = if value.is_empty() {
            format!("{key}:")
        } else {
            format!("{key}: {value}")
        };
        out.push_str(indent);
        out.push_str(&field);
        if !comment.is_empty() {
            out.push_str(&" ".repeat(width.saturating_sub(field.width())));
            out.push_str("# ");
            out.push_str(comment);
        }
        out.push('\n');
    }
    out
}

/// The text of a new article.
pub fn article_text(config: &SiteConfig, title: &str, category: &str, today: NaiveDate) -> String {
    let names: Vec<String> = config
        .categories
        .iter()
        .map(|c| format!("{} {}", c.key, c.name))
        .collect();
    let outlet = config
        .outlets
        .keys()
        .next()
        .map_or("学习强国", String::as_str);
    let date = today.format("%Y-%m-%d").to_string();
    let date_hint = format!("发布日期，也可以带时间：{date} 10:30");
    let category_hint = format!("栏目：{}", names.join("、"));
    let outlets_hint = format!("发稿媒体，例如 [{outlet}]，名称要和 site.toml 的 [outlets] 一致");
    let none = String::new;
    let front = fields(
        "",
        &[
            ("title", yaml_scalar(title), ""),
            ("date", date.clone(), &date_hint),
            ("category", category.to_string(), &category_hint),
            (
                "author",
                none(),
                "作者（记者、通讯员），几个人写成 [张三, 李四]",
            ),
            (
                "source",
                none(),
                "来源：转载时写最先发表的媒体，本站原创不用填",
            ),
            ("outlets", "[]".into(), &outlets_hint),
            ("editor", none(), "责任编辑"),
            ("community", none(), "所属社区"),
            ("grid", none(), "所属网格，例如 第3网格"),
            ("tags", "[]".into(), "标签，例如 [反诈, 普法]"),
            (
                "cover",
                none(),
                "封面图片，写相对这篇文章的路径，例如 photo.jpg",
            ),
            ("summary", none(), "摘要，不填就自动取正文开头"),
        ],
    );
    format!(
        "---\n{front}---\n\n<!-- 在下面写正文。段落之间空一行，小标题用“## ”开头。这一行读者看不到，可以删掉。 -->\n\n"
    )
}

/// The text of a new resident's page.
pub fn person_text(name: &str) -> String {
    let none = String::new;
    let front = fields(
        "",
        &[
            ("name", yaml_scalar(name), ""),
            (
                "honors",
                "[]".into(),
                "荣誉，例如 [{ title: 区级好人, year: 2024 }]",
            ),
            ("community", none(), "所属社区"),
            (
                "photo",
                none(),
                "照片，写相对这个文件的路径，例如 photo.jpg",
            ),
            ("summary", none(), "一句话介绍，不填就自动取正文开头"),
        ],
    );
    format!("---\n{front}---\n\n<!-- 在下面写他（她）的事迹。这一行读者看不到，可以删掉。 -->\n\n")
}

/// One activity record as a block-list item.
pub fn activity_record(title: &str, kind: &str, today: NaiveDate) -> String {
    let none = String::new;
    let lines = fields(
        "  ",
        &[
            ("date", today.format("%Y-%m-%d").to_string(), "日期"),
            ("kind", kind.to_string(), "类别：栏目的 key 或名称"),
            ("title", yaml_scalar(title), ""),
            ("community", none(), "社区"),
            ("grid", none(), "网格，例如 第3网格"),
            ("place", none(), "地点"),
            ("organizer", none(), "主办单位"),
            ("participants", "0".into(), "服务群众（人次）"),
            ("volunteers", "0".into(), "参加的志愿者人数"),
            ("hours", "0".into(), "志愿服务总时长（小时）"),
            (
                "article",
                none(),
                "报道这次活动的文章的网址名（slug），没有就空着",
            ),
        ],
    );
    format!("- {}", &lines[2..])
}

/// The text of an activities file after adding a record, with the line the
/// record starts on; `Err` with a reason when the result would not be a valid
/// list of records (the file is then left alone).
pub fn append_record(existing: &str, record: &str) -> Result<(String, usize), String> {
    let before = match yaml::parse(existing) {
        Ok(value) => value,
        Err(e) => {
            return Err(format!(
                "这个文件第 {} 行第 {} 列有格式错误（{}），先改正它再添加",
                e.line, e.column, e.message
            ))
        }
    };
    let mut text = match &before {
        serde_json::Value::Object(_) => as_list(existing),
        _ => existing.to_string(),
    };
    let count = match &before {
        serde_json::Value::Null => 0,
        serde_json::Value::Array(items) => items.len(),
        serde_json::Value::Object(_) => 1,
        _ => return Err("这个文件里不是活动记录".into()),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.trim().is_empty() {
        text.push('\n');
    }
    let line = text.lines().count() + 1;
    text.push_str(record);
    match yaml::parse(&text) {
        Ok(serde_json::Value::Array(items)) if items.len() == count + 1 => Ok((text, line)),
        _ => Err("这个文件的写法比较特别，自动添加会把它弄乱".into()),
    }
}

/// A file holding one record as a mapping, rewritten as a one-item list:
/// the first key gets `- `, the lines after it two spaces.
fn as_list(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut started = false;
    for line in text.split_inclusive('\n') {
        let content = !line.trim().is_empty() && !line.trim_start().starts_with('#');
        if !started && content {
            started = true;
            out.push_str("- ");
        } else if started && !line.trim().is_empty() {
            out.push_str("  ");
        }
        out.push_str(line);
    }
    out
}

fn write_new(root: &Path, rel: &str, text: &str) -> Result<Created, Diagnostic> {
    let path = root.join(rel);
    if path.exists() {
        return Err(Diagnostic::error(
            rel,
            0,
            0,
            "这个文件已经存在，为了不覆盖里面的内容，没有创建",
        )
        .with_hint("直接打开它编辑，或换一个标题"));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_problem(rel, &e))?;
    }
    // `create_new` so that a file appearing meanwhile is not overwritten either.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| io_problem(rel, &e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| io_problem(rel, &e))?;
    Ok(Created {
        path,
        line: 1,
        appended: false,
    })
}

fn append_activity(
    root: &Path,
    rel: &str,
    title: &str,
    kind: &str,
    today: NaiveDate,
) -> Result<Created, Diagnostic> {
    let path = root.join(rel);
    let record = activity_record(title, kind, today);
    if !path.exists() {
        let header = format!("# {}活动记录\n\n", today.format("%Y年%-m月"));
        let mut created = write_new(root, rel, &format!("{header}{record}"))?;
        created.line = 3;
        return Ok(created);
    }
    let decoded = crate::text_file::read_text(root, &path)?;
    let (text, line) = append_record(&decoded.text, &record).map_err(|why| {
        Diagnostic::error(rel, 0, 0, format!("没有添加活动记录：{why}"))
            .with_hint("文件没有被改动；可以打开它，照着已有的记录手工添加一条")
    })?;
    // Write beside it, then rename: the file is never left half-written.
    let temporary = path.with_file_name(format!(
        ".{}.streetpress-new",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    std::fs::write(&temporary, text.as_bytes()).map_err(|e| io_problem(rel, &e))?;
    std::fs::rename(&temporary, &path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        io_problem(rel, &e)
    })?;
    Ok(Created {
        path,
        line,
        appended: true,
    })
}

fn usage(message: &str, hint: &str) -> Diagnostic {
    Diagnostic::error("streetpress new", 0, 0, message).with_hint(hint)
}

fn io_problem(rel: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        rel,
        0,
        0,
        format!("无法写入：{}", crate::text_file::io_reason(error)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 8).unwrap()
    }

    #[test]
    fn titles_that_yaml_would_misread_are_quoted() {
        assert_eq!(yaml_scalar("反诈知识进社区"), "反诈知识进社区");
        assert_eq!(yaml_scalar("主题：反诈"), "主题：反诈");
        for tricky in [
            "a: b",
            "- 开头",
            "#话题",
            "\"引号\"",
            "yes",
            "2024",
            "[活动]",
            "a #b",
        ] {
            let text = format!("k: {}", yaml_scalar(tricky));
            let value = yaml::parse(&text).unwrap();
            assert_eq!(value["k"].as_str(), Some(tricky), "{text}");
        }
    }

    #[test]
    fn records_append_to_a_list_an_empty_file_or_a_single_record() {
        let record = activity_record("新活动", "volunteer", day());
        let list = "# 三月\n- date: 2025-03-01\n  kind: news\n  title: 旧活动\n";
        let (text, line) = append_record(list, &record).unwrap();
        assert!(text.starts_with(list));
        assert_eq!(line, 6);
        assert!(text
            .lines()
            .nth(line - 1)
            .unwrap()
            .starts_with("- date: 2025-03-08"));
        assert_eq!(yaml::parse(&text).unwrap().as_array().unwrap().len(), 2);

        let (text, _) = append_record("# 空文件\n", &record).unwrap();
        assert_eq!(yaml::parse(&text).unwrap().as_array().unwrap().len(), 1);

        let single = "# 一条\ndate: 2025-03-01\nkind: news # 类别\ntitle: 旧活动\n";
        let (text, _) = append_record(single, &record).unwrap();
        let items = yaml::parse(&text).unwrap();
        let items = items.as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["title"], "旧活动");
        assert_eq!(items[1]["title"], "新活动");
        assert!(text.contains("# 类别"), "comments are kept");
    }

    #[test]
    fn a_file_that_cannot_take_a_record_is_left_alone() {
        let record = activity_record("新活动", "volunteer", day());
        assert!(append_record("[{date: 2025-03-01, kind: news, title: a}]", &record).is_err());
        assert!(append_record("- date: [\n", &record).is_err());
        assert!(append_record("就是一段文字", &record).is_err());
    }
}
