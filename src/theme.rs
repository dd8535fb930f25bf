//! The theme: Tera templates and static files from `themes/<name>/`, or the
//! default theme embedded in the binary so an installed streetpress needs no
//! other files. Also the filters templates use for Chinese dates and numbers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde_json::Value;
use tera::Tera;

use crate::diagnostics::{display_path, Diagnostic};

/// The default theme, embedded from `themes/default` at compile time.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme's files come from.
pub enum ThemeSource {
    Folder(PathBuf),
    Embedded,
}

pub struct Theme {
    pub tera: Tera,
    pub source: ThemeSource,
}

/// A static file of the theme: its path relative to `static/` and where to read it.
pub enum StaticFile {
    Disk { rel: String, path: PathBuf },
    Embedded { rel: String, bytes: &'static [u8] },
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let folder = root.join("themes").join(name);
        let (templates, source) = if folder.is_dir() {
            // A theme folder may hold only the templates it changes; the rest come from the default theme.
            let mut templates = embedded_templates();
            for (name, text) in read_folder_templates(root, &folder.join("templates"))? {
                templates.retain(|(existing, _)| *existing != name);
                templates.push((name, text));
            }
            (templates, ThemeSource::Folder(folder))
        } else if name == "default" {
            (embedded_templates(), ThemeSource::Embedded)
        } else {
            return Err(vec![Diagnostic::error(
                "site.toml",
                1,
                1,
                format!("找不到主题“{name}”（应在 themes/{name} 文件夹）"),
            )
            .with_hint(
                "把 site.toml 里的 theme 改成 \"default\"，或把主题文件夹放到 themes/ 下",
            )]);
        };
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        register_filters(&mut tera);
        if let Err(error) = tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, text)| (name.as_str(), text.as_str())),
        ) {
            return Err(vec![template_error(root, &source, &error)]);
        }
        Ok(Theme { tera, source })
    }

    /// Every static file of the theme, sorted by path: the default theme's,
    /// with those of a theme folder in their place where it has its own.
    pub fn static_files(&self, root: &Path) -> Result<Vec<StaticFile>, Diagnostic> {
        let mut files = Vec::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            collect_embedded(dir, &mut files);
        }
        if let ThemeSource::Folder(folder) = &self.source {
            let static_dir = folder.join("static");
            if static_dir.is_dir() {
                for entry in walkdir::WalkDir::new(&static_dir)
                    .follow_links(false)
                    .sort_by_file_name()
                {
                    let entry = entry.map_err(|e| {
                        Diagnostic::error(
                            display_path(root, &static_dir),
                            0,
                            0,
                            format!("无法读取主题文件: {e}"),
                        )
                    })?;
                    if entry.file_type().is_file() {
                        let rel = entry
                            .path()
                            .strip_prefix(&static_dir)
                            .unwrap_or(entry.path())
                            .to_string_lossy()
                            .replace('\\', "/");
                        files.retain(|f: &StaticFile| f.rel() != rel);
                        files.push(StaticFile::Disk {
                            rel,
                            path: entry.into_path(),
                        });
                    }
                }
            }
        }
        files.sort_by(|a, b| a.rel().cmp(b.rel()));
        Ok(files)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }
}

impl StaticFile {
    pub fn rel(&self) -> &str {
        match self {
            StaticFile::Disk { rel, .. } | StaticFile::Embedded { rel, .. } => rel,
        }
    }
}

fn collect_embedded(dir: &'static Dir<'static>, files: &mut Vec<StaticFile>) {
    for file in dir.files() {
        let rel = file
            .path()
            .strip_prefix("static")
            .unwrap_or(file.path())
            .to_string_lossy()
            .replace('\\', "/");
        files.push(StaticFile::Embedded {
            rel,
            bytes: file.contents(),
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, files);
    }
}

fn read_folder_templates(
    root: &Path,
    folder: &Path,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let mut templates = Vec::new();
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(folder)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match crate::text_file::read_text(root, entry.path()) {
            Ok(decoded) => templates.push((name, decoded.text)),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(templates)
    } else {
        Err(problems)
    }
}

fn embedded_templates() -> Vec<(String, String)> {
    let mut templates = Vec::new();
    fn walk(dir: &'static Dir<'static>, templates: &mut Vec<(String, String)>) {
        for file in dir.files() {
            let name = file
                .path()
                .strip_prefix("templates")
                .unwrap_or(file.path())
                .to_string_lossy()
                .replace('\\', "/");
            templates.push((name, String::from_utf8_lossy(file.contents()).into_owned()));
        }
        for sub in dir.dirs() {
            walk(sub, templates);
        }
    }
    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        walk(dir, &mut templates);
    }
    templates
}

/// A template error as a diagnostic naming the template file and, when Tera
/// says it, the line and column.
pub fn template_error(root: &Path, source: &ThemeSource, error: &tera::Error) -> Diagnostic {
    let mut messages = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        messages.push(inner.to_string());
        cause = inner.source();
    }
    let full = messages.join("\n");
    let template = full
        .split(['\'', '`'])
        .find(|part| part.ends_with(".html") || part.ends_with(".xml") || part.ends_with(".txt"))
        .unwrap_or("");
    let folder = match source {
        ThemeSource::Folder(folder) => display_path(root, &folder.join("templates")),
        ThemeSource::Embedded => "（内置默认主题）/templates".to_string(),
    };
    let (line, column) = tera_position(&full).unwrap_or((1, 1));
    let shown = if template.is_empty() {
        folder
    } else {
        format!("{folder}/{template}")
    };
    Diagnostic::error(
        shown,
        line,
        column,
        format!("模板出错：{}", full.replace('\n', "；")),
    )
    .with_hint("检查模板里 {{ }} 和 {% %} 是否成对、变量名是否写对")
}

/// Tera (pest) reports positions as ` --> 3:5`.
fn tera_position(message: &str) -> Option<(usize, usize)> {
    let after = message.split("--> ").nth(1)?;
    let mut numbers = after
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    Some((numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?))
}

/// Escapes what HTML needs escaped; unlike Tera's default it leaves `/`
/// alone, so URLs stay readable in the page source.
fn escape_html(input: &str) -> String {
    // Works on bytes: the five characters are ASCII. Most texts (titles,
    // summaries in Chinese) have none, so they are looked for with memchr,
    // many bytes at a time, and the runs between them copied whole.
    let bytes = input.as_bytes();
    let mut escaped = String::with_capacity(input.len() + input.len() / 8);
    let mut start = 0;
    // The next `&`, `<` or `>`, and the next quote, from `start` on.
    let mut angle = memchr::memchr3(b'&', b'<', b'>', bytes);
    let mut quote = memchr::memchr2(b'"', b'\'', bytes);
    loop {
        let i = match (angle, quote) {
            (Some(a), Some(q)) => a.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        let entity = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        escaped.push_str(&input[start..i]);
        escaped.push_str(entity);
        start = i + 1;
        let rest = &bytes[start..];
        if angle == Some(i) {
            angle = memchr::memchr3(b'&', b'<', b'>', rest).map(|at| start + at);
        } else {
            quote = memchr::memchr2(b'"', b'\'', rest).map(|at| start + at);
        }
    }
    escaped.push_str(&input[start..]);
    escaped
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter("cn_date", cn_date_filter);
    tera.register_filter("wan", wan_filter);
    tera.register_filter("truncate_chars", truncate_chars_filter);
}

/// The first `n` characters of a text (Tera's own `truncate` needs a
/// Unicode segmentation dependency this project does not otherwise carry).
fn truncate_chars_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("truncate_chars 只能用于文字"))?;
    let n = args.get("n").and_then(Value::as_u64).unwrap_or(1) as usize;
    Ok(Value::String(text.chars().take(n).collect()))
}

/// `{{ page.date | cn_date }}` → `2023年08月15日`; `cn_date(time=true)` adds
/// ` 10:34`; `cn_date(format="month")` gives `2023年08月`.
fn cn_date_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("cn_date 只能用于日期文字"))?;
    let (year, month, day) = (text.get(0..4), text.get(5..7), text.get(8..10));
    let (Some(year), Some(month)) = (year, month) else {
        return Err(tera::Error::msg(format!("cn_date 看不懂日期“{text}”")));
    };
    let format = args.get("format").and_then(Value::as_str).unwrap_or("day");
    let with_time = args.get("time").and_then(Value::as_bool).unwrap_or(false);
    let formatted = match format {
        "year" => format!("{year}年"),
        "month" => format!("{year}年{month}月"),
        // The form government portals read in <meta name="PubDate">.
        "meta" => format!(
            "{year}-{month}-{} {}",
            day.unwrap_or("01"),
            text.get(11..16).unwrap_or("00:00")
        ),
        _ => {
            let day = day.unwrap_or("01");
            match (with_time, text.get(11..16)) {
                // Midnight means the date was written without a time.
                (true, Some(time)) if text.get(11..19) != Some("00:00:00") => {
                    format!("{year}年{month}月{day}日 {time}")
                }
                _ => format!("{year}年{month}月{day}日"),
            }
        }
    };
    Ok(Value::String(formatted))
}

/// Numbers of 10,000 and more as 万 with one decimal: 18234 → `1.8万`.
fn wan_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = value
        .as_f64()
        .ok_or_else(|| tera::Error::msg("wan 只能用于数字"))?;
    Ok(Value::String(format_wan(number)))
}

pub fn format_wan(number: f64) -> String {
    if number.abs() >= 10_000.0 {
        let wan = (number / 1_000.0).round() / 10.0;
        if wan.fract() == 0.0 {
            format!("{wan:.0}万")
        } else {
            format!("{wan:.1}万")
        }
    } else if number.fract() == 0.0 {
        format!("{number:.0}")
    } else {
        format!("{number:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_dates() {
        let date = Value::String("2023-08-05T10:34:00+08:00".into());
        let none = HashMap::new();
        assert_eq!(cn_date_filter(&date, &none).unwrap(), "2023年08月05日");
        let time = HashMap::from([("time".to_string(), Value::Bool(true))]);
        assert_eq!(
            cn_date_filter(&date, &time).unwrap(),
            "2023年08月05日 10:34"
        );
        let month = HashMap::from([("format".to_string(), Value::String("month".into()))]);
        assert_eq!(cn_date_filter(&date, &month).unwrap(), "2023年08月");
    }

    #[test]
    fn html_escaping_keeps_slashes_and_chinese() {
        assert_eq!(
            escape_html("<a href=\"/x/\">“好”&'</a>"),
            "&lt;a href=&quot;/x/&quot;&gt;“好”&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("社区"), "社区");
    }

    #[test]
    fn html_escaping_matches_one_character_at_a_time() {
        let reference = |text: &str| -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        let long = "社区志愿者".repeat(40);
        for text in [
            "",
            "&",
            "\"'\"'<<>>&&",
            "a&b\"c'd<e>f",
            "标题“引号”'单引号'",
            &format!("{long}&{long}\"{long}"),
            &format!("'{long}<"),
        ] {
            assert_eq!(escape_html(text), reference(text), "{text}");
        }
    }

    #[test]
    fn wan_numbers() {
        assert_eq!(format_wan(578.0), "578");
        assert_eq!(format_wan(18234.0), "1.8万");
        assert_eq!(format_wan(14600.0), "1.5万");
        assert_eq!(format_wan(20000.0), "2万");
    }
}
