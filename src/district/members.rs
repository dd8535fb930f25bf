//! The `[[members]]` tables of site.toml: the street offices a district
//! portal adds up, each with its name and where its published site is.
//!
//! ```toml
//! [[members]]
//! name = "洸河街道"
//! source = "../guanghe/public"             # a folder, relative to this site
//! [[members]]
//! name = "仙营街道"
//! source = "https://example.gov.cn/xianying/"
//! ```

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::{error_in_config, read_tables};
use crate::diagnostics::{line_col, Diagnostic};

/// One member office as site.toml lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    /// Its page on the portal: `/offices/<slug>/`.
    pub slug: String,
    pub source: Source,
    /// Where its table starts in site.toml, for messages.
    pub line: usize,
    pub column: usize,
}

/// Where a member's published output is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder on this computer or a mounted share (absolute, or made so
    /// from the site root).
    Folder(PathBuf),
    /// The office's site on the web, ending with `/`.
    Web(url::Url),
}

impl Source {
    /// As a person would write it in a message.
    pub fn shown(&self) -> String {
        match self {
            Source::Folder(path) => path.display().to_string(),
            Source::Web(url) => url.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    members: Vec<Spanned<RawMember>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    name: Option<String>,
    source: Option<String>,
    slug: Option<String>,
}

/// Every `[[members]]` table of site.toml, checked (none on an office's own
/// site). Folders are taken relative to `root`.
pub fn parse(text: &str, root: &Path) -> Result<Vec<Member>, Vec<Diagnostic>> {
    let at = |offset: usize, message: String| error_in_config(text, offset, message);
    let file: File = read_tables(
        text,
        "[[members]]",
        "每个成员街道写成一段：[[members]]，下面 name = \"街道名\" 和 source = \"文件夹或网址\"",
    )?;
    let mut members: Vec<Member> = Vec::new();
    let mut errors = Vec::new();
    for spanned in file.members {
        let start = spanned.span().start;
        let raw = spanned.into_inner();
        let (line, column) = line_col(text, start);
        let name = raw.name.as_deref().map(str::trim).unwrap_or_default();
        let source = raw.source.as_deref().map(str::trim).unwrap_or_default();
        if name.is_empty() || source.is_empty() {
            let missing = if name.is_empty() { "name" } else { "source" };
            errors.push(at(start, format!("这个 [[members]] 缺少 {missing}")).with_hint(
                "写上街道的名称和它发布出来的网站在哪里，例如 name = \"洸河街道\" 和 source = \"../guanghe/public\"",
            ));
            continue;
        }
        let source = match parse_source(source, root) {
            Ok(source) => source,
            Err(message) => {
                errors.push(at(start, format!("成员“{name}”的 source：{message}")).with_hint(
                    "写它发布出来的文件夹（例如 \"../guanghe/public\"）或网址（例如 \"https://example.gov.cn/guanghe/\"）",
                ));
                continue;
            }
        };
        if let Some(earlier) = members.iter().find(|m| m.name == name) {
            errors.push(
                at(
                    start,
                    if earlier.source == source {
                        format!("成员“{name}”写了两次（第 {} 行已经有了）", earlier.line)
                    } else {
                        format!(
                            "有两个成员都叫“{name}”（第 {} 行和这里），排行榜上会分不清",
                            earlier.line
                        )
                    },
                )
                .with_hint("每个街道只写一个 [[members]]；两个不同的街道请用不同的名称"),
            );
            continue;
        }
        if let Some(earlier) = members.iter().find(|m| m.source == source) {
            errors.push(
                at(
                    start,
                    format!(
                        "成员“{name}”和第 {} 行的“{}”是同一个来源：{}",
                        earlier.line,
                        earlier.name,
                        source.shown()
                    ),
                )
                .with_hint("同一个街道的网站只能列一次；如果是两个街道，请改正其中一个的 source"),
            );
            continue;
        }
        let slug = crate::slug::derive(raw.slug.as_deref(), "", name);
        if let Some(earlier) = members.iter().find(|m| m.slug == slug) {
            errors.push(
                at(
                    start,
                    format!(
                        "成员“{name}”和“{}”的网址会相同（/offices/{slug}/）",
                        earlier.name
                    ),
                )
                .with_hint("给其中一个写上 slug = \"...\"（小写英文字母和连字符）"),
            );
            continue;
        }
        members.push(Member {
            name: name.to_string(),
            slug,
            source,
            line,
            column,
        });
    }
    if errors.is_empty() {
        Ok(members)
    } else {
        Err(errors)
    }
}

fn parse_source(written: &str, root: &Path) -> Result<Source, String> {
    let lower = written.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let mut url =
            url::Url::parse(written).map_err(|e| format!("网址“{written}”不对（{e}）"))?;
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        url.set_query(None);
        url.set_fragment(None);
        return Ok(Source::Web(url));
    }
    if lower.contains("://") {
        return Err(format!(
            "“{written}”不是 http:// 或 https:// 网址，也不是文件夹"
        ));
    }
    let path = Path::new(written);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    Ok(Source::Folder(normalise(&absolute)))
}

/// `a/b/../c` → `a/c`, without asking the file system (the folder may be a
/// share that is not mounted now), so that two ways of writing one folder
/// are seen to be the same.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<Member> {
        parse(text, Path::new("/sites/district")).expect("members parse")
    }

    fn first_error(text: &str) -> Diagnostic {
        parse(text, Path::new("/sites/district"))
            .unwrap_err()
            .remove(0)
    }

    #[test]
    fn reads_folders_and_web_addresses() {
        let members = parse_ok(
            "title = \"区\"\n[[members]]\nname = \"洸河街道\"\nsource = \"../guanghe/./public\"\n\
             [[members]]\nname = \"仙营街道\"\nsource = \"https://example.gov.cn/xianying\"\n",
        );
        assert_eq!(members.len(), 2);
        assert_eq!(
            members[0].source,
            Source::Folder(PathBuf::from("/sites/guanghe/public"))
        );
        assert_eq!(members[0].slug, "guang-he-jie-dao");
        assert_eq!(members[0].line, 2);
        assert_eq!(
            members[1].source.shown(),
            "https://example.gov.cn/xianying/"
        );
    }

    #[test]
    fn a_member_listed_twice_is_named_with_both_lines() {
        let twice = first_error(
            "[[members]]\nname = \"洸河街道\"\nsource = \"../a\"\n[[members]]\nname = \"洸河街道\"\nsource = \"../b\"\n",
        );
        assert_eq!(twice.line, 4);
        assert!(
            twice.message.contains("两个成员都叫“洸河街道”"),
            "{}",
            twice.message
        );
        assert!(twice.message.contains("第 1 行"), "{}", twice.message);

        let listed_twice = first_error(
            "[[members]]\nname = \"洸河街道\"\nsource = \"../a\"\n[[members]]\nname = \"洸河街道\"\nsource = \"../a\"\n",
        );
        assert!(
            listed_twice.message.contains("写了两次"),
            "{}",
            listed_twice.message
        );

        let same_source = first_error(
            "[[members]]\nname = \"甲街道\"\nsource = \"https://x.cn/a/\"\n[[members]]\nname = \"乙街道\"\nsource = \"https://x.cn/a\"\n",
        );
        assert!(
            same_source.message.contains("同一个来源"),
            "{}",
            same_source.message
        );
    }

    #[test]
    fn a_missing_source_and_an_unknown_scheme_are_refused() {
        let missing = first_error("[[members]]\nname = \"甲街道\"\n");
        assert!(
            missing.message.contains("缺少 source"),
            "{}",
            missing.message
        );
        let ftp = first_error("[[members]]\nname = \"甲街道\"\nsource = \"ftp://x.cn/\"\n");
        assert!(ftp.message.contains("不是 http"), "{}", ftp.message);
    }
}
