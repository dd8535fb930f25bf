//! `site.toml` → a validated [`SiteConfig`]. Everything the rest of the
//! program needs from the settings is decided here once: the base path that
//! every internal link starts with, the time zone, categories and outlets.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diagnostics::{line_col, Diagnostic};
use crate::suggest;
pub use images::ImageSettings;

mod images;

/// The folder beside site.toml where the program keeps what it can make or
/// fetch again (resized images, district members' last good copies).
pub const CACHE_DIR: &str = ".streetpress-cache";

pub const CONFIG_FILE: &str = "site.toml";

/// An error at `offset` in site.toml's `text`.
pub fn error_in_config(text: &str, offset: usize, message: String) -> Diagnostic {
    let (line, column) = line_col(text, offset);
    Diagnostic::error(CONFIG_FILE, line, column, message)
}

/// Reads one kind of table of site.toml (`[[deploy]]`, `[[members]]`) into
/// `T`; a table written wrong is an error at its line, with `hint`.
pub fn read_tables<T: serde::de::DeserializeOwned>(
    text: &str,
    tables: &str,
    hint: &str,
) -> Result<T, Vec<Diagnostic>> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |span| span.start);
        let message = format!("{tables} 写得不对（{}）", e.message().trim());
        vec![error_in_config(text, offset, message).with_hint(hint)]
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub key: String,
    pub name: String,
}

/// The level of an outlet where a piece was published (发稿).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutletLevel {
    National,
    Provincial,
    City,
    District,
    Wechat,
    Site,
}

impl OutletLevel {
    pub const ALL: [OutletLevel; 6] = [
        OutletLevel::National,
        OutletLevel::Provincial,
        OutletLevel::City,
        OutletLevel::District,
        OutletLevel::Wechat,
        OutletLevel::Site,
    ];

    /// Its place in [`OutletLevel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn key(self) -> &'static str {
        match self {
            OutletLevel::National => "national",
            OutletLevel::Provincial => "provincial",
            OutletLevel::City => "city",
            OutletLevel::District => "district",
            OutletLevel::Wechat => "wechat",
            OutletLevel::Site => "site",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            OutletLevel::National => "中央级媒体",
            OutletLevel::Provincial => "省级媒体",
            OutletLevel::City => "市级媒体",
            OutletLevel::District => "区级媒体",
            OutletLevel::Wechat => "微信公众号",
            OutletLevel::Site => "本站",
        }
    }
}

impl FromStr for OutletLevel {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        OutletLevel::ALL
            .into_iter()
            .find(|level| level.key() == s.trim())
            .ok_or(())
    }
}

impl fmt::Display for OutletLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub author: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// `scheme://host[:port]`, without a trailing slash.
    pub origin: String,
    /// The path of `base_url`, always starting and ending with `/`.
    pub base_path: String,
    pub language: String,
    pub timezone: Tz,
    pub theme: String,
    pub paginate: usize,
    pub summary_length: usize,
    pub feed_limit: usize,
    pub categories: Vec<Category>,
    pub outlets: BTreeMap<String, OutletLevel>,
    pub footer: Map<String, Value>,
    /// `[privacy]`: personal numbers in published text.
    pub privacy: crate::privacy::PrivacySettings,
    /// `[html] iframe_hosts`: hosts whose players raw HTML may embed.
    pub iframe_hosts: Vec<String>,
    /// The `[images]` table.
    pub images: ImageSettings,
    /// `share_image`: the picture a shared page shows when it has no cover
    /// or photo of its own, relative to `content/`, with where it is set
    /// (line and column of `site.toml`).
    pub share_image: Option<ShareImage>,
    /// Any other top-level setting, for templates as `site.extra`.
    pub extra: Map<String, Value>,
}

/// The site-wide share image (`share_image` in `site.toml`).
#[derive(Debug, Clone)]
pub struct ShareImage {
    /// Relative to `content/`, as `/`-separated segments (`images/share.png`).
    pub rel: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    key: String,
    name: String,
}

#[derive(Deserialize)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    author: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    paginate: Option<i64>,
    summary_length: Option<i64>,
    feed_limit: Option<i64>,
    #[serde(default)]
    categories: Vec<RawCategory>,
    #[serde(default)]
    outlets: BTreeMap<String, String>,
    #[serde(default)]
    footer: toml::Table,
    #[serde(default)]
    privacy: RawPrivacy,
    #[serde(default)]
    html: RawHtml,
    images: Option<toml::Table>,
    share_image: Option<String>,
    /// `[[deploy]]` targets, read by `deploy::targets`; kept out of `extra`
    /// so templates never see where the site is published.
    #[serde(default, rename = "deploy")]
    _deploy: Option<toml::Value>,
    /// `[[members]]` of a district portal, read by `district::members`.
    #[serde(default, rename = "members")]
    _members: Option<toml::Value>,
    #[serde(flatten)]
    extra: toml::Table,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    #[serde(default)]
    mask: bool,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    public: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHtml {
    #[serde(default)]
    iframe_hosts: Vec<String>,
}

pub fn default_categories() -> Vec<Category> {
    [
        ("lectures", "理论宣讲"),
        ("volunteer", "志愿服务"),
        ("models", "身边好人"),
        ("news", "工作动态"),
    ]
    .into_iter()
    .map(|(key, name)| Category {
        key: key.into(),
        name: name.into(),
    })
    .collect()
}

impl SiteConfig {
    /// Reads `site.toml` from a site root.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let decoded = crate::text_file::read_text(root, &path).map_err(|d| {
            vec![d.with_hint("请在网站文件夹里运行，或用 --root 指定网站文件夹；新建网站可运行 streetpress init 文件夹名")]
        })?;
        let mut diagnostics: Vec<Diagnostic> = decoded.warning.into_iter().collect();
        match Self::parse(&decoded.text) {
            Ok(config) if diagnostics.iter().all(|d| !d.is_error()) => Ok(config),
            Ok(_) => Err(diagnostics),
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                Err(diagnostics)
            }
        }
    }

    /// Parses and validates the text of `site.toml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            let mut diagnostic = Diagnostic::error(
                CONFIG_FILE,
                line,
                column,
                format!("site.toml 格式有误（{}）", e.message().trim()),
            );
            if let Some(hint) = fullwidth_hint(text, line) {
                diagnostic = diagnostic.with_hint(hint);
            } else {
                diagnostic =
                    diagnostic.with_hint("每一行写成 名称 = \"值\"，等号和引号都要用英文半角符号");
            }
            vec![diagnostic]
        })?;
        let mut errors = Vec::new();
        let at = |key: &str| key_position(text, key);

        let base_url_raw = raw.base_url.unwrap_or_else(|| "/".to_string());
        let (base_url, origin, base_path) = match parse_base_url(&base_url_raw) {
            Ok(parts) => parts,
            Err(message) => {
                let (line, column) = at("base_url");
                errors.push(
                    Diagnostic::error(CONFIG_FILE, line, column, message).with_hint(
                        "写成完整网址，例如 base_url = \"https://example.gov.cn/jiedao/\"",
                    ),
                );
                ("/".into(), String::new(), "/".into())
            }
        };

        let timezone_name = raw.timezone.unwrap_or_else(|| "Asia/Shanghai".to_string());
        let timezone = timezone_name.parse::<Tz>().unwrap_or_else(|_| {
            let (line, column) = at("timezone");
            errors.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    format!("不认识的时区“{timezone_name}”"),
                )
                .with_hint("中国大陆请写 timezone = \"Asia/Shanghai\""),
            );
            Tz::Asia__Shanghai
        });

        let mut positive = |key: &str, value: Option<i64>, default: usize| -> usize {
            match value {
                None => default,
                Some(n) if n > 0 => n as usize,
                Some(n) => {
                    let (line, column) = at(key);
                    errors.push(Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("{key} 必须是大于 0 的整数，现在是 {n}"),
                    ));
                    default
                }
            }
        };
        let paginate = positive("paginate", raw.paginate, 20);
        let summary_length = positive("summary_length", raw.summary_length, 120);
        let feed_limit = positive("feed_limit", raw.feed_limit, 30);

        let categories = if raw.categories.is_empty() {
            default_categories()
        } else {
            let mut categories: Vec<Category> = Vec::new();
            for category in raw.categories {
                let (line, column) = key_value_position(text, "key", &category.key);
                if !is_url_safe_key(&category.key) {
                    errors.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!(
                                "栏目 key “{}” 只能用小写英文字母、数字和连字符",
                                category.key
                            ),
                        )
                        .with_hint(
                            "key 会出现在网址里，例如 key = \"volunteer\"；中文名写在 name 里",
                        ),
                    );
                } else if categories
                    .iter()
                    .any(|c| c.key == category.key || c.name == category.name)
                {
                    errors.push(Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("栏目“{}”重复了", category.key),
                    ));
                } else {
                    categories.push(Category {
                        key: category.key,
                        name: category.name,
                    });
                }
            }
            categories
        };

        let mut outlets = BTreeMap::new();
        for (name, level) in raw.outlets {
            match level.parse::<OutletLevel>() {
                Ok(level) => {
                    outlets.insert(name, level);
                }
                Err(()) => {
                    let (line, column) = key_position(text, &format!("\"{name}\""));
                    let levels = OutletLevel::ALL.map(OutletLevel::key);
                    errors.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!("媒体“{name}”的级别“{level}”不认识"),
                        )
                        .with_hint(suggest::did_you_mean(&level, levels)),
                    );
                }
            }
        }

        let images = ImageSettings::parse(raw.images, text).unwrap_or_else(|mut e| {
            errors.append(&mut e);
            Default::default()
        });

        let share_image = raw.share_image.and_then(|written| {
            let (line, column) = at("share_image");
            let rel = share_image_rel(&written);
            if rel.is_empty() || rel.split('/').any(|s| s == "..") {
                errors.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("share_image “{written}” 应是 content 文件夹里的一张图片"),
                    )
                    .with_hint(
                        "写它在 content 文件夹里的路径，例如 share_image = \"images/share.png\"",
                    ),
                );
                return None;
            }
            Some(ShareImage { rel, line, column })
        });

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SiteConfig {
            title: raw.title.unwrap_or_else(|| "新时代文明实践".to_string()),
            description: raw.description.unwrap_or_default(),
            author: raw.author.unwrap_or_default(),
            base_url,
            origin,
            base_path,
            language: raw.language.unwrap_or_else(|| "zh-CN".to_string()),
            timezone,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            paginate,
            summary_length,
            feed_limit,
            categories,
            outlets,
            footer: toml_table_to_json(raw.footer),
            privacy: crate::privacy::PrivacySettings {
                mask: raw.privacy.mask,
                strict: raw.privacy.strict,
                public: raw
                    .privacy
                    .public
                    .iter()
                    .map(|n| crate::privacy::digits_of(n))
                    .collect(),
            },
            iframe_hosts: raw.html.iframe_hosts,
            images,
            share_image,
            extra: toml_table_to_json(raw.extra),
        })
    }

    /// Replaces the base URL (for `--base-url` and the dev server).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, origin, base_path) = parse_base_url(url)?;
        self.base_url = base_url;
        self.origin = origin;
        self.base_path = base_path;
        Ok(())
    }

    /// A category by its key or its display name.
    pub fn category(&self, key_or_name: &str) -> Option<&Category> {
        let wanted = key_or_name.trim();
        self.categories
            .iter()
            .find(|c| c.key == wanted || c.name == wanted)
    }

    pub fn category_hint(&self, input: &str) -> String {
        let candidates = self
            .categories
            .iter()
            .flat_map(|c| [c.key.as_str(), c.name.as_str()]);
        suggest::did_you_mean(input, candidates)
    }

    /// The absolute URL of a site path such as `articles/2024/03/x/`.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}{}", self.origin, self.base_path, site_path)
    }

    /// The root-relative URL (with the base path) of a site path.
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path)
    }
}

fn is_url_safe_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Splits a base URL into (normalised URL, origin, path). A bare path such as
/// `/` is allowed for sites that do not know their host yet.
fn parse_base_url(raw: &str) -> Result<(String, String, String), String> {
    let raw = raw.trim();
    if raw.starts_with('/') {
        let path = ensure_slashes(raw);
        return Ok((path.clone(), String::new(), path));
    }
    let parsed = url::Url::parse(raw).map_err(|_| format!("base_url “{raw}” 不是有效的网址"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("base_url “{raw}” 要以 http:// 或 https:// 开头"));
    }
    let origin = parsed.origin().ascii_serialization();
    let path = ensure_slashes(parsed.path());
    Ok((format!("{origin}{path}"), origin, path))
}

fn ensure_slashes(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

fn toml_table_to_json(table: toml::Table) -> Map<String, Value> {
    match serde_json::to_value(table) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Where `key =` is written in the TOML text, for messages about its value.
/// `share_image` as a path relative to `content/`: `\\` as `/`, without a
/// leading `/`, `./` or `content/`.
fn share_image_rel(written: &str) -> String {
    let path = written.trim().replace('\\', "/");
    let path = path.trim_start_matches('/');
    let path = path.strip_prefix("./").unwrap_or(path);
    let path = path.strip_prefix("content/").unwrap_or(path);
    path.to_string()
}

fn key_position(text: &str, key: &str) -> (usize, usize) {
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let indent = line.chars().count() - trimmed.chars().count();
                return (index + 1, indent + 1);
            }
        }
    }
    (1, 1)
}

fn key_value_position(text: &str, key: &str, value: &str) -> (usize, usize) {
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && line.contains(value) {
            let indent = line.chars().count() - trimmed.chars().count();
            return (index + 1, indent + 1);
        }
    }
    key_position(text, key)
}

/// A hint when a line uses Chinese punctuation where TOML needs ASCII.
fn fullwidth_hint(text: &str, line: usize) -> Option<String> {
    let line_text = text.lines().nth(line.checked_sub(1)?)?;
    let found: Vec<&str> = [
        ("＝", "="),
        ("：", ":"),
        ("“", "\""),
        ("”", "\""),
        ("，", ","),
    ]
    .iter()
    .filter(|(wide, _)| line_text.contains(wide))
    .map(|(wide, _)| *wide)
    .collect();
    (!found.is_empty()).then(|| {
        format!("这一行用了中文标点 {}，等号、引号和逗号要用英文半角符号（= \" ,），可切换到英文输入法再输入", found.join(" "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_a_sub_path_url() {
        let config = SiteConfig::parse("base_url = \"https://example.gov.cn/guanghe\"\n").unwrap();
        assert_eq!(config.base_url, "https://example.gov.cn/guanghe/");
        assert_eq!(config.base_path, "/guanghe/");
        assert_eq!(
            config.permalink("rss.xml"),
            "https://example.gov.cn/guanghe/rss.xml"
        );
    }

    #[test]
    fn defaults_have_the_four_categories() {
        let config = SiteConfig::parse("").unwrap();
        let keys: Vec<_> = config.categories.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["lectures", "volunteer", "models", "news"]);
        assert_eq!(config.category("志愿服务").unwrap().key, "volunteer");
    }

    #[test]
    fn bad_outlet_level_suggests_the_right_one() {
        let errors = SiteConfig::parse("[outlets]\n\"大众网\" = \"provincal\"\n").unwrap_err();
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].hint.as_deref().unwrap().contains("provincial"));
    }

    #[test]
    fn fullwidth_equals_sign_is_explained() {
        let errors = SiteConfig::parse("title ＝ \"街道\"\n").unwrap_err();
        assert!(
            errors[0].hint.as_deref().unwrap().contains("＝"),
            "{:?}",
            errors[0]
        );
    }
}
