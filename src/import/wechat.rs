//! One WeChat post saved from a browser ("网页，全部" / "Save page, complete",
//! or the HTML alone) made into an article bundle.
//!
//! Where a WeChat page keeps things: the title in `#activity-name`
//! (`.rich_media_title`, `og:title`), the account in `#js_name`, the author in
//! `<meta name="author">` or `#js_author_name`, the body in `#js_content`,
//! and the time in `#publish_time` once the page's script has filled it in;
//! a page saved before that only has it in the script, as `var ct = "…"` or
//! `create_time` (a Unix time). Photos are lazy: `data-src` is WeChat's
//! address, and `src` is the copy in `NAME_files/` when the browser saved one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};

use super::html_to_markdown::{self, ImageInput};
use super::{clean_link, write_bundle, Bundle, Existing};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::scaffold::yaml_scalar;
use crate::slug;

/// What a saved page holds, read before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: String,
    /// `YYYY-MM-DD HH:MM` in the site's time zone, or `YYYY-MM-DD`.
    pub date: Option<String>,
    pub author: Option<String>,
    /// The account (公众号) name.
    pub account: Option<String>,
    /// The post's address, without tracking parameters.
    pub url: Option<String>,
}

/// What became of one page.
#[derive(Debug)]
pub enum Outcome {
    Made(Made),
    /// Imported before: the file that has it.
    AlreadyImported(PathBuf),
    /// Not imported; nothing was written.
    Failed(Diagnostic),
}

#[derive(Debug)]
pub struct Made {
    /// The `index.md` written.
    pub index: PathBuf,
    pub title: String,
    /// Photos copied in beside it.
    pub images: usize,
    pub warnings: Vec<Diagnostic>,
    /// The account, when site.toml has no outlet of that name.
    pub unknown_outlet: Option<String>,
}

/// Imports one saved page. `shown` is the page's path as the user wrote it.
pub fn import(
    root: &Path,
    config: &SiteConfig,
    page: &Path,
    shown: &str,
    category: &str,
    existing: &mut Existing,
) -> Outcome {
    let bytes = match std::fs::read(page) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Outcome::Failed(Diagnostic::error(
                shown,
                0,
                0,
                format!("无法读取这个网页：{}", crate::text_file::io_reason(&e)),
            ))
        }
    };
    let text = match crate::text_file::decode(shown, &bytes) {
        Ok(decoded) => decoded.text,
        Err(problem) => return Outcome::Failed(problem),
    };
    let html = Html::parse_document(&text);
    let Some(content) = first(&html, &["#js_content", ".rich_media_content"]) else {
        return Outcome::Failed(not_an_article(shown));
    };
    let meta = match read_meta(&html, config) {
        Ok(meta) => meta,
        Err(problem) => return Outcome::Failed(Diagnostic::error(shown, 0, 0, problem)),
    };
    if let Some(earlier) = meta.url.as_ref().and_then(|u| existing.wechat_urls.get(u)) {
        return Outcome::AlreadyImported(earlier.clone());
    }

    let folder = page.parent().unwrap_or(Path::new("."));
    let mut images = Images::default();
    let converted = html_to_markdown::convert(content, &mut |input| images.resolve(folder, input));
    let mut warnings = Vec::new();
    if !images.remote.is_empty() {
        warnings.push(
            Diagnostic::warning(
                shown,
                0,
                0,
                format!(
                    "有 {} 张图片没有保存在本地，文章里只留下了它在微信的网络地址（例如 {}）；网站不联网或微信不允许别的网站引用时，这些图片显示不出来",
                    images.remote.len(),
                    images.remote[0]
                ),
            )
            .with_hint("在浏览器里打开文章，慢慢滚动到底，等所有图片都显示出来，再用“另存为 → 网页，全部”保存，然后重新导入；也可以把图片下载下来放进文章文件夹，改成本地文件名"),
        );
    }
    if converted.skipped_media > 0 {
        warnings.push(
            Diagnostic::warning(
                shown,
                0,
                0,
                format!(
                    "正文里有 {} 个视频或音频，没有导入",
                    converted.skipped_media
                ),
            )
            .with_hint("需要的话，把视频另外上传，在文章里写上链接"),
        );
    }
    if converted.markdown.trim().is_empty() {
        warnings.push(
            Diagnostic::warning(
                shown,
                0,
                0,
                "这篇文章的正文是空的（可能只有视频或图片没保存下来）",
            )
            .with_hint("打开导入的 index.md 补上正文"),
        );
    }
    let date = match &meta.date {
        Some(date) => date.clone(),
        None => {
            let today = crate::build::now()
                .with_timezone(&config.timezone)
                .format("%Y-%m-%d")
                .to_string();
            warnings.push(
                Diagnostic::warning(
                    shown,
                    0,
                    0,
                    format!("网页里没有找到发布时间，暂时写成了今天（{today}）"),
                )
                .with_hint("打开导入的 index.md，把 date 改成文章在公众号发布的日期"),
            );
            today
        }
    };
    let unknown_outlet = meta
        .account
        .clone()
        .filter(|account| !config.outlets.contains_key(account));
    let index = index_text(
        &meta,
        &date,
        category,
        unknown_outlet.is_none(),
        &converted.markdown,
    );
    let base = {
        let name = slug::pinyin_slug(&meta.title);
        if name.is_empty() {
            "wechat-article".to_string()
        } else {
            name
        }
    };
    let bundle = Bundle {
        index,
        files: images.files.clone(),
    };
    match write_bundle(root, existing, &base, &bundle) {
        Ok(dir) => {
            let index = dir.join("index.md");
            if let Some(url) = &meta.url {
                existing.wechat_urls.insert(url.clone(), index.clone());
            }
            Outcome::Made(Made {
                index,
                title: meta.title,
                images: bundle.files.len(),
                warnings,
                unknown_outlet,
            })
        }
        Err(problem) => Outcome::Failed(problem),
    }
}

fn not_an_article(shown: &str) -> Diagnostic {
    Diagnostic::error(shown, 0, 0, "这个网页不是公众号文章：里面没有公众号文章的正文（js_content），没有导入")
        .with_hint("在电脑浏览器里打开公众号文章（地址以 https://mp.weixin.qq.com/ 开头），用“另存为 → 网页，全部”保存，再导入保存的 .html 文件")
}

/// The title, time, author, account and address of a page.
pub fn read_meta(html: &Html, config: &SiteConfig) -> Result<PageMeta, String> {
    let title = first_text(html, &["#activity-name", ".rich_media_title"])
        .or_else(|| meta_content(html, "meta[property=\"og:title\"]"))
        .or_else(|| meta_content(html, "meta[name=\"twitter:title\"]"))
        .or_else(|| first_text(html, &["title"]))
        .ok_or("网页里没有找到文章标题（#activity-name 或 og:title），没有导入")?;
    let scripts: String = {
        let selector = Selector::parse("script").expect("a selector");
        html.select(&selector)
            .flat_map(|s| s.text())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let date = first_text(html, &["#publish_time"])
        .and_then(|text| written_date(&text))
        .or_else(|| {
            ["ct", "create_time", "publish_time"]
                .iter()
                .filter_map(|name| script_value(&scripts, name))
                .find_map(|value| {
                    let seconds = value.trim().parse::<i64>().ok()?;
                    let utc = chrono::DateTime::from_timestamp(seconds, 0)?;
                    Some(
                        utc.with_timezone(&config.timezone)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                    )
                })
        });
    let account = first_text(
        html,
        &["#js_name", ".profile_nickname", ".rich_media_meta_nickname"],
    )
    .or_else(|| script_value(&scripts, "nickname").map(|n| collapse(&n)))
    .filter(|a| !a.is_empty());
    let author = meta_content(html, "meta[name=\"author\"]")
        .or_else(|| first_text(html, &["#js_author_name"]))
        .or_else(|| meta_content(html, "meta[property=\"og:article:author\"]"))
        .map(|a| {
            a.trim_start_matches(['作', '者'])
                .trim_start_matches([':', '：', ' '])
                .trim()
                .to_string()
        })
        .filter(|a| !a.is_empty() && Some(a) != account.as_ref());
    let url = meta_content(html, "meta[property=\"og:url\"]")
        .or_else(|| script_value(&scripts, "msg_link"))
        .map(|u| u.replace("&amp;", "&"))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(|u| clean_link(&u));
    Ok(PageMeta {
        title,
        date,
        author,
        account,
        url,
    })
}

/// The text of `index.md`.
fn index_text(
    meta: &PageMeta,
    date: &str,
    category: &str,
    outlet_known: bool,
    body: &str,
) -> String {
    let mut front = format!(
        "---\ntitle: {}\ndate: {date}\ncategory: {category}\n",
        yaml_scalar(&meta.title)
    );
    if let Some(author) = &meta.author {
        front.push_str(&format!("author: {}\n", yaml_scalar(author)));
    }
    if let Some(account) = &meta.account {
        front.push_str(&format!("source: {}\n", yaml_scalar(account)));
        if outlet_known {
            front.push_str(&format!("outlets:\n  - {}\n", yaml_scalar(account)));
        }
    }
    if let Some(url) = &meta.url {
        front.push_str(&format!(
            "wechat_url: {}   # 公众号原文地址；再次导入时据此认出这篇已经导入过\n",
            yaml_scalar(url)
        ));
    }
    front.push_str("---\n\n");
    front.push_str(body);
    front
}

/// A date as the page shows it: `2024-05-18 10:30`, `2024年5月18日 10:30`…
/// WeChat's "昨天" or "3天前" are not dates.
fn written_date(text: &str) -> Option<String> {
    use chrono::{NaiveDate, NaiveDateTime};
    let text = collapse(text);
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日%H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(&text, format) {
            return Some(time.format("%Y-%m-%d %H:%M").to_string());
        }
    }
    for format in ["%Y-%m-%d", "%Y年%m月%d日", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(day) = NaiveDate::parse_from_str(&text, format) {
            return Some(day.format("%Y-%m-%d").to_string());
        }
    }
    None
}

/// The value given to `name` in the page's script: `var ct = "1716000000";`,
/// `create_time: '1716000000'`, `nickname = htmlDecode("清河湾发布")`.
fn script_value(script: &str, name: &str) -> Option<String> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(found) = script[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        if script[..at].chars().next_back().is_some_and(ident)
            || script[from..].chars().next().is_some_and(ident)
        {
            continue;
        }
        let rest = script[from..].trim_start_matches(['"', '\'']).trim_start();
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        if rest.starts_with('=') {
            continue; // a comparison, `ct == …`
        }
        let rest = rest.trim_start();
        let rest = rest
            .strip_prefix("htmlDecode(")
            .unwrap_or(rest)
            .trim_start();
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &rest[1..];
                inner.find(quote).map(|end| &inner[..end])
            }
            Some(c) if c.is_ascii_digit() => {
                let end = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            }
            _ => None,
        };
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            return Some(value.to_string());
        }
    }
    None
}

fn first<'a>(html: &'a Html, selectors: &[&str]) -> Option<ElementRef<'a>> {
    selectors.iter().find_map(|s| {
        let selector = Selector::parse(s).expect("a selector");
        html.select(&selector).next()
    })
}

/// The text of the first of the selectors' elements that has any.
fn first_text(html: &Html, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|s| {
        let selector = Selector::parse(s).expect("a selector");
        html.select(&selector)
            .map(|e| collapse(&e.text().collect::<String>()))
            .find(|t| !t.is_empty())
    })
}

fn meta_content(html: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector)
        .filter_map(|e| e.attr("content"))
        .map(collapse)
        .find(|t| !t.is_empty())
}

/// Runs of whitespace (and `&nbsp;`) as one space, the ends trimmed.
fn collapse(text: &str) -> String {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{200B}', '\u{FEFF}'], "")
}

/// The photos of one page: saved copies to bring in, and remote ones left as links.
#[derive(Default)]
struct Images {
    files: Vec<(String, PathBuf)>,
    by_source: HashMap<PathBuf, String>,
    remote: Vec<String>,
}

impl Images {
    fn resolve(&mut self, folder: &Path, input: &ImageInput) -> Option<String> {
        let candidates = [input.src.as_deref(), input.data_src.as_deref()];
        for written in candidates.into_iter().flatten() {
            if let Some(local) = local_file(folder, written) {
                if let Some(name) = self.by_source.get(&local) {
                    return Some(name.clone());
                }
                // A saved ornament (an SVG, a page) is not a photo.
                let extension = image_extension(&local)?;
                let name = format!("image-{:02}.{extension}", self.files.len() + 1);
                self.files.push((name.clone(), local.clone()));
                self.by_source.insert(local, name.clone());
                return Some(name);
            }
        }
        let remote = candidates.into_iter().flatten().find_map(|w| {
            let w = w.trim();
            if w.starts_with("http://") || w.starts_with("https://") {
                Some(w.to_string())
            } else {
                w.strip_prefix("//").map(|rest| format!("https://{rest}"))
            }
        })?;
        let remote = clean_link(&remote);
        if !self.remote.contains(&remote) {
            self.remote.push(remote.clone());
        }
        Some(remote)
    }
}

/// The saved file a page's `src` names, if it is there.
fn local_file(folder: &Path, written: &str) -> Option<PathBuf> {
    let written = written.trim();
    if written.is_empty()
        || written.contains("://")
        || written.starts_with("//")
        || written.starts_with("data:")
    {
        return None;
    }
    let written = written.strip_prefix("file:").unwrap_or(written);
    let plain = written.split(['?', '#']).next().unwrap_or(written);
    let decoded = percent_encoding::percent_decode_str(plain)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned());
    [Some(written.to_string()), Some(plain.to_string()), decoded]
        .into_iter()
        .flatten()
        .map(|w| folder.join(w.replace('\\', "/")))
        .find(|p| p.is_file())
}

/// The extension for a saved photo from its first bytes (saved copies are
/// often called `640` or `640(1).webp` whatever they hold).
fn image_extension(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 12];
    let mut file = std::fs::File::open(path).ok()?;
    let read = file.read(&mut head).ok()?;
    let head = &head[..read];
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if head.starts_with(b"\x89PNG") {
        Some("png")
    } else if head.starts_with(b"GIF8") {
        Some("gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_values_are_found_in_the_forms_wechat_writes() {
        let script = r#"var ct = "1716000000";
            var create_time = "1715000000" * 1;
            var nickname = htmlDecode("清河湾发布");
            if (ct == 1) {}
            var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA&amp;mid=1#rd";"#;
        assert_eq!(script_value(script, "ct").as_deref(), Some("1716000000"));
        assert_eq!(
            script_value(script, "create_time").as_deref(),
            Some("1715000000")
        );
        assert_eq!(
            script_value(script, "nickname").as_deref(),
            Some("清河湾发布")
        );
        assert_eq!(
            script_value("d.ct = 5; var fact = 1", "ct").as_deref(),
            Some("5")
        );
        assert_eq!(script_value("var act = \"x\"", "ct"), None);
        assert_eq!(
            script_value("{\"create_time\": 1715000000}", "create_time").as_deref(),
            Some("1715000000")
        );
    }

    #[test]
    fn written_dates_are_read_and_relative_ones_are_not() {
        assert_eq!(
            written_date("2024-05-18 10:30").as_deref(),
            Some("2024-05-18 10:30")
        );
        assert_eq!(
            written_date(" 2024年5月8日 09:05 ").as_deref(),
            Some("2024-05-08 09:05")
        );
        assert_eq!(
            written_date("2024年05月18日").as_deref(),
            Some("2024-05-18")
        );
        assert_eq!(written_date("昨天"), None);
        assert_eq!(written_date("3天前"), None);
    }
}
