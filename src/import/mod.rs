//! Bringing existing material into a site: `streetpress import wechat` turns
//! WeChat posts saved from a browser into page bundles, and `import
//! activities` turns an Excel or CSV ledger into YAML activity records.
//!
//! The HTML parser is `scraper` (html5ever, the parser Servo and ammonia use,
//! with a DOM and CSS selectors). It was chosen over `lol_html` because the
//! conversion needs the whole tree: whether a box holds any text, whether a
//! table is a real table or an editor's frame, and whether a bold span runs
//! into the next one are questions about a node's descendants and neighbours,
//! which a streaming rewriter only sees one tag at a time. It also parses
//! saved pages as a browser does (unclosed `<p>`, stray tags), and shares its
//! html5ever and cssparser with ammonia, which the sanitizer already uses, so
//! it adds little to the build.
//!
//! An imported bundle is written into a hidden folder beside the others and
//! renamed into place at the end, so a failure never leaves half an article;
//! an existing folder is never written into (a new name gets `-2`, `-3`).

pub mod activities;
pub mod html_to_markdown;
pub mod wechat;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// Query parameters that only say who shared a link, when and from where.
const TRACKING: &[&str] = &[
    "chksm",
    "scene",
    "subscene",
    "ascene",
    "mpshare",
    "srcid",
    "from",
    "isappinstalled",
    "clicktime",
    "enterid",
    "sessionid",
    "exportkey",
    "pass_ticket",
    "abtest_cookie",
    "wx_header",
    "poc_token",
    "devicetype",
    "nettype",
    "realreporttime",
    "share_source",
    "spm",
];

/// The same, but only on WeChat's own hosts, where they carry a reader's session.
const WECHAT_TRACKING: &[&str] = &["key", "uin", "version", "lang", "countrycode", "exptype"];

/// A link without tracking parameters (and without WeChat's `#wechat_redirect`).
pub fn clean_link(href: &str) -> String {
    let href = href.trim();
    let Ok(mut url) = url::Url::parse(href) else {
        return href.to_string();
    };
    let wechat = url
        .host_str()
        .is_some_and(|h| h == "weixin.qq.com" || h.ends_with(".weixin.qq.com"));
    let tracked = |key: &str| {
        let key = key.to_ascii_lowercase();
        TRACKING.contains(&key.as_str())
            || key.starts_with("utm_")
            || key.starts_with("sharer_")
            || key.starts_with("fasttmpl_")
            || (wechat && WECHAT_TRACKING.contains(&key.as_str()))
    };
    // The kept pairs as they were written: re-encoding them would turn
    // WeChat's `__biz=MzA5==` into `MzA5%3D%3D`, another address to compare.
    if let Some(query) = url.query().map(str::to_string) {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or("");
                let key = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
                !pair.is_empty() && !tracked(&key)
            })
            .collect();
        url.set_query((!kept.is_empty()).then(|| kept.join("&")).as_deref());
    }
    if wechat && url.scheme() == "http" {
        let _ = url.set_scheme("https");
    }
    if url.fragment() == Some("wechat_redirect") || url.fragment() == Some("rd") {
        url.set_fragment(None);
    }
    url.to_string()
}

/// A category key from a key or display name; absent means `news` (or the first).
pub fn category_key(config: &SiteConfig, written: Option<&str>) -> Result<String, Diagnostic> {
    let categories = &config.categories;
    let Some(written) = written.map(str::trim) else {
        let default = categories
            .iter()
            .find(|c| c.key == "news")
            .or(categories.first());
        return Ok(default.map_or_else(|| "news".into(), |c| c.key.clone()));
    };
    categories
        .iter()
        .find(|c| c.key == written || c.name == written)
        .map(|c| c.key.clone())
        .ok_or_else(|| {
            let names: Vec<String> = categories
                .iter()
                .map(|c| format!("{}（{}）", c.key, c.name))
                .collect();
            Diagnostic::error("--category", 0, 0, format!("没有名为“{written}”的栏目")).with_hint(
                format!(
                    "{}。可以用的栏目：{}；栏目在 site.toml 的 [[categories]] 里设置",
                    config.category_hint(written).trim_end_matches('。'),
                    names.join("、")
                ),
            )
        })
}

/// What is already in `content/articles/`: names an imported folder must not
/// take, and the WeChat posts imported before.
#[derive(Debug, Default)]
pub struct Existing {
    names: HashSet<String>,
    /// `wechat_url` of earlier imports → the file holding it.
    pub wechat_urls: HashMap<String, PathBuf>,
}

impl Existing {
    pub fn scan(root: &Path) -> Existing {
        let mut existing = Existing::default();
        let articles = root.join("content/articles");
        for entry in walkdir::WalkDir::new(&articles)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if entry.depth() == 1 {
                existing.names.insert(name.clone());
                existing
                    .names
                    .insert(name.trim_end_matches(".md").to_string());
            }
            if entry.file_type().is_file() && name.ends_with(".md") {
                if let Some(stem) = name.strip_suffix(".md").filter(|s| *s != "index") {
                    existing.names.insert(stem.to_string());
                } else if let Some(parent) = path.parent().and_then(Path::file_name) {
                    existing.names.insert(parent.to_string_lossy().into_owned());
                }
                if let Some(url) = std::fs::read_to_string(path)
                    .ok()
                    .and_then(|text| front_matter_value(&text, "wechat_url"))
                {
                    existing.wechat_urls.insert(url, path.to_path_buf());
                }
            }
        }
        existing
    }

    /// `base`, or `base-2`, `base-3`… : a name no article folder or file has.
    fn free_name(&self, articles: &Path, base: &str) -> String {
        let taken = |name: &str| {
            self.names.contains(name)
                || articles.join(name).exists()
                || articles.join(format!("{name}.md")).exists()
        };
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|name| !taken(name))
            .expect("a free name")
    }
}

/// The value of a `key: value` line of a file's front matter, unquoted.
fn front_matter_value(text: &str, key: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for line in lines {
        if line.trim_end() == "---" {
            break;
        }
        if let Some(value) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = value.split(" #").next().unwrap_or(value);
            let value = value.trim().trim_matches('"').trim_matches('\'');
            if !value.is_empty() {
                return Some(value.to_string());
            }
        }
    }
    None
}

/// An article bundle to write: its `index.md` and the files beside it.
pub struct Bundle {
    pub index: String,
    /// (name in the bundle, file to copy).
    pub files: Vec<(String, PathBuf)>,
}

/// Writes the bundle as `content/articles/<name>/` with a name from `base`
/// that nothing has yet; returns the folder written.
pub fn write_bundle(
    root: &Path,
    existing: &mut Existing,
    base: &str,
    bundle: &Bundle,
) -> Result<PathBuf, Diagnostic> {
    let articles = root.join("content/articles");
    let problem = |path: &Path, e: &std::io::Error| {
        Diagnostic::error(
            crate::diagnostics::display_path(root, path),
            0,
            0,
            format!("无法写入：{}", crate::text_file::io_reason(e)),
        )
    };
    std::fs::create_dir_all(&articles).map_err(|e| problem(&articles, &e))?;
    let temporary = articles.join(format!(".streetpress-import-{base}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temporary);
    let filled = (|| {
        std::fs::create_dir(&temporary)?;
        for (name, source) in &bundle.files {
            std::fs::copy(source, temporary.join(name))?;
        }
        std::fs::write(temporary.join("index.md"), bundle.index.as_bytes())
    })();
    if let Err(e) = filled {
        let _ = std::fs::remove_dir_all(&temporary);
        return Err(problem(&temporary, &e));
    }
    loop {
        let name = existing.free_name(&articles, base);
        let target = articles.join(&name);
        // Taken by another program meanwhile: rename refuses a non-empty
        // folder, and an empty one is not ours to replace either.
        if target.exists() {
            existing.names.insert(name);
            continue;
        }
        match std::fs::rename(&temporary, &target) {
            Ok(()) => {
                existing.names.insert(name);
                return Ok(target);
            }
            Err(_) if target.exists() => {
                existing.names.insert(name);
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&temporary);
                return Err(problem(&target, &e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_are_removed() {
        assert_eq!(
            clean_link("https://mp.weixin.qq.com/s?__biz=MzA5&mid=2650&idx=1&sn=8f2&chksm=8b1c&scene=21&sharer_sharetime=1&sharer_shareid=ab#wechat_redirect"),
            "https://mp.weixin.qq.com/s?__biz=MzA5&mid=2650&idx=1&sn=8f2"
        );
        assert_eq!(
            clean_link(
                "http://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&mid=1&idx=1&sn=ab&scene=126#rd"
            ),
            "https://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&mid=1&idx=1&sn=ab"
        );
        assert_eq!(
            clean_link("https://example.gov.cn/news/1.html?from=singlemessage&isappinstalled=0"),
            "https://example.gov.cn/news/1.html"
        );
        assert_eq!(
            clean_link("https://example.gov.cn/a?id=5&utm_source=wechat&key=k"),
            "https://example.gov.cn/a?id=5&key=k"
        );
        assert_eq!(clean_link("not a url"), "not a url");
    }

    #[test]
    fn front_matter_values_are_read_from_the_front_matter_only() {
        let text = "---\ntitle: 标题\nwechat_url: \"https://mp.weixin.qq.com/s/abc\"  # 原文\n---\nwechat_url: x\n";
        assert_eq!(
            front_matter_value(text, "wechat_url").as_deref(),
            Some("https://mp.weixin.qq.com/s/abc")
        );
        assert_eq!(
            front_matter_value("正文\nwechat_url: x\n", "wechat_url"),
            None
        );
    }
}
