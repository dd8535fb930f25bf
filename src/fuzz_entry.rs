//! Entry points for the fuzz targets in `fuzz/` and for the regression corpus
//! in the test suite (`tests/fuzz_corpus/`). Each takes arbitrary bytes, runs
//! them through the code that reads a user's files, and panics when one of
//! the guarantees below is broken:
//!
//! - nothing panics, however broken the input;
//! - every problem reported names the file and a line (and column) that exist;
//! - parts handed back are slices of the input, on the lines they say;
//! - the HTML made from Markdown is well formed (every tag closed, in order,
//!   no stray `<`), and no line break is left between two Chinese characters;
//! - summaries are plain text, no longer than asked, cut between characters;
//! - slugs and path segments stay one segment inside the output folder.

use std::collections::HashSet;
use std::path::{Component, Path};
use std::sync::OnceLock;

use chrono_tz::Tz;

use crate::cjk;
use crate::config::SiteConfig;
use crate::content::{activity, article, front_matter, reads, ContentFile, FileKind};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, ImageMarkup, LinkKind, LinkResolver, Resolution};
use crate::sanitize::Sanitizer;
use crate::slug;
use crate::text_file;

const CONFIG: &str = r#"title = "测试街道"
base_url = "https://example.gov.cn/ceshi/"
timezone = "Asia/Shanghai"
summary_length = 120

[outlets]
"学习强国" = "national"
"测试发布" = "wechat"

[privacy]
mask = true
public = ["12345678901"]
"#;

fn config() -> &'static SiteConfig {
    static CONFIG_CELL: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG_CELL.get_or_init(|| SiteConfig::parse(CONFIG).expect("the fuzz site.toml is valid"))
}

fn content_file(rel: &str, kind: FileKind) -> ContentFile {
    ContentFile {
        // A folder that does not exist: an image named in the input is never found.
        path: Path::new("/nonexistent/content").join(rel),
        rel: rel.to_string(),
        shown: format!("content/{rel}"),
        kind,
        bundle_name: None,
    }
}

/// Front matter splitting and parsing, then the whole article loader.
pub fn front_matter(data: &[u8]) {
    let file = content_file("articles/a.md", FileKind::Article);
    let text = match text_file::decode(&file.shown, data) {
        Ok(decoded) => decoded.text,
        Err(problem) => {
            check_diagnostic(&problem, &file.shown, None);
            return;
        }
    };
    match front_matter::split(&file.shown, &text) {
        Err(problem) => check_diagnostic(&problem, &file.shown, Some(&text)),
        Ok(split) => {
            let yaml_at = offset_in(&text, split.yaml);
            let body_at = offset_in(&text, split.body);
            assert!(
                yaml_at + split.yaml.len() <= body_at,
                "front matter after body"
            );
            assert_eq!(line_of(&text, yaml_at), split.yaml_line, "yaml_line");
            if !split.body.is_empty() {
                assert_eq!(line_of(&text, body_at), split.body_line, "body_line");
            }
            assert!(
                split
                    .yaml
                    .lines()
                    .all(|line| !matches!(line.trim_end(), "---" | "...")),
                "the front matter runs past its closing fence"
            );
            if let Err(problems) = front_matter::parse_mapping(&file.shown, &split) {
                assert!(!problems.is_empty(), "an error without a message");
                for problem in &problems {
                    check_diagnostic(problem, &file.shown, Some(&text));
                }
            }
        }
    }

    let config = config();
    let mut problems = crate::privacy::diagnostics(&file.shown, &text, &config.privacy);
    let text = crate::privacy::published_text(text, &config.privacy);
    let loaded = article::load(&file, &text, config, &mut problems);
    for problem in &problems {
        check_diagnostic(problem, &file.shown, Some(&text));
    }
    match loaded {
        None => assert!(
            problems.iter().any(Diagnostic::is_error),
            "an article refused without an error"
        ),
        Some(article) => {
            check_segment(&article.slug);
            check_site_path(&article.url_path);
            assert!(article.url_path.starts_with("articles/") && article.url_path.ends_with('/'));
            assert!(article.category < config.categories.len());
            assert!(!article.title.is_empty());
        }
    }
}

/// Resolves links and images in every way a real resolver may.
struct FuzzLinks;

impl LinkResolver for FuzzLinks {
    fn resolve(&self, destination: &str, kind: LinkKind) -> Resolution {
        match (kind, destination.len() % 5) {
            (LinkKind::Image, 0) => Resolution::Image(ImageMarkup {
                src: format!("/images/{destination}"),
                srcset: format!("/images/480/{destination} 480w"),
                sizes: "(max-width: 480px) 100vw, 480px".to_string(),
                width: 480,
                height: 320,
                webp_srcset: destination
                    .len()
                    .is_multiple_of(2)
                    .then(|| format!("/images/480/{destination}.webp 480w")),
            }),
            (_, 1) => Resolution::Fail(format!("找不到 {destination}")),
            (_, 2) => Resolution::Warn(format!("{destination} 也许写错了")),
            (_, 3) => Resolution::Replace(format!("/ceshi/{destination}")),
            _ => Resolution::Keep,
        }
    }
}

/// The Markdown pipeline: rendering with the Chinese rules (then sanitising,
/// as a build does for raw HTML), summaries, reading time, image references.
/// The first byte picks the summary length.
pub fn markdown(data: &[u8]) {
    let (length, body) = match data.split_first() {
        Some((&first, rest)) => (usize::from(first % 160) + 1, rest),
        None => (120, data),
    };
    let lossy = String::from_utf8_lossy(body);
    let text = text_file::normalize_newlines(&lossy);
    let text: &str = &text;

    let rendered = markdown::render(text, &FuzzLinks);
    for problem in &rendered.problems {
        check_position(problem.line, problem.column, Some(text), &problem.message);
        assert!(!problem.message.is_empty());
    }
    if rendered.has_raw_html {
        static SANITIZER: OnceLock<Sanitizer> = OnceLock::new();
        let clean = SANITIZER
            .get_or_init(|| Sanitizer::new(&[]))
            .clean(&rendered.html);
        check_html(&clean);
    } else {
        check_html(&rendered.html);
        // A character reference such as `&#10;` is a line break the author asked for.
        if !text.contains('&') {
            check_cjk_line_breaks(&rendered.html);
        }
    }

    let summary = markdown::plain_summary(text, length);
    check_plain_text(&summary, text);
    if markdown::before_more(text).is_none() {
        check_summary_length(&summary, length);
    }
    let cut = markdown::cut_at_sentence(text, length);
    check_summary_length(&cut, length);
    let head = cut.strip_suffix('…').unwrap_or(&cut);
    assert!(
        text.starts_with(head),
        "cut_at_sentence is not a prefix: {cut:?}"
    );

    for (_, line, column) in markdown::image_destinations(text) {
        check_position(line, column, Some(text), "image destination");
    }
    let _ = markdown::reading_stats(text);
    let id = markdown::heading_id(text);
    assert!(
        !id.is_empty() && !id.contains(char::is_whitespace),
        "heading id {id:?}"
    );
}

/// The activity YAML loader: records or problems, never a panic.
pub fn activities(data: &[u8]) {
    let file = content_file("activities/a.yaml", FileKind::Activities);
    let text = match text_file::decode(&file.shown, data) {
        Ok(decoded) => decoded.text,
        Err(problem) => {
            check_diagnostic(&problem, &file.shown, None);
            return;
        }
    };
    let config = config();
    let mut problems = crate::privacy::diagnostics(&file.shown, &text, &config.privacy);
    let text = crate::privacy::published_text(text, &config.privacy);
    let loaded = activity::load(&file, &text, config, &mut problems);
    for problem in &problems {
        check_diagnostic(problem, &file.shown, Some(&text));
    }
    match loaded {
        None => assert!(
            problems.iter().any(Diagnostic::is_error),
            "an activity file refused without an error"
        ),
        Some(records) => {
            for record in records {
                assert!(record.kind < config.categories.len());
                assert!(!record.title.is_empty());
                assert!(record.hours.is_finite() && record.hours >= 0.0);
                check_position(record.line, 1, Some(&text), "activity record");
            }
        }
    }
}

/// The read-count CSV loader: rows or problems, never a panic.
pub fn reads_csv(data: &[u8]) {
    let file = content_file("reads/a.csv", FileKind::Reads);
    let mut problems = Vec::new();
    let rows = reads::load_csv(&file, data, Tz::Asia__Shanghai, &mut problems);
    // Lines are those of the decoded text; bound them when the input is UTF-8.
    let text = std::str::from_utf8(data)
        .ok()
        .map(|text| text_file::normalize_newlines(text).into_owned());
    for problem in &problems {
        check_diagnostic(problem, &file.shown, text.as_deref());
    }
    for row in &rows {
        assert!(!row.article.is_empty(), "a row without an article");
        assert_eq!(row.article, row.article.trim());
        check_position(row.line, 1, text.as_deref(), "read row");
    }
}

/// Slugs, path segments and URL paths. The input is split at NUL bytes into an
/// explicit slug, a file stem and a title.
pub fn slug(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let explicit = parts.next().unwrap_or("");
    let stem = parts.next().unwrap_or("");
    let title = parts.next().unwrap_or("");

    for derived in [
        slug::derive(Some(explicit), stem, title),
        slug::derive(None, stem, title),
        slug::derive(None, explicit, ""),
    ] {
        check_segment(&derived);
        check_site_path(&format!("articles/2024/03/{derived}/"));
        check_encoded(&format!("articles/2024/03/{derived}/"));
    }
    for name in [explicit, stem, title] {
        let segment = slug::path_segment(name);
        check_segment(&segment);
        check_site_path(&format!("tags/{segment}/"));
        check_encoded(&format!("tags/{segment}/"));
        if let Some(ascii) = slug::ascii_slug(name) {
            check_segment(&ascii);
            assert!(ascii.len() <= slug::MAX_SLUG_LEN);
        }
        let pinyin = slug::pinyin_slug(name);
        if !pinyin.is_empty() {
            check_segment(&pinyin);
        }
        assert!(pinyin.len() <= slug::MAX_SLUG_LEN);
        // Any text, encoded, decodes to itself.
        check_encoded(name);
    }
}

/// One path segment: not empty, not `.` or `..`, no separator, nothing a
/// file system or URL treats specially.
pub fn check_segment(segment: &str) {
    assert!(!segment.is_empty(), "empty segment");
    assert!(segment != "." && segment != "..", "segment {segment:?}");
    assert!(
        !segment.contains(['/', '\\', ':', '\0']),
        "separator in segment {segment:?}"
    );
    assert!(
        !segment.chars().any(char::is_control),
        "control character in segment {segment:?}"
    );
    assert!(
        !segment.starts_with(char::is_whitespace) && !segment.ends_with(char::is_whitespace),
        "segment {segment:?} has spaces around it"
    );
    let mut components = Path::new(segment).components();
    assert!(
        matches!(components.next(), Some(Component::Normal(_))) && components.next().is_none(),
        "segment {segment:?} is not one path component"
    );
    // The same site on every system: Windows must be able to hold the name.
    if let Some(problem) = slug::windows_name_problem(segment) {
        panic!("segment {segment:?} {problem}");
    }
}

/// A site path (`tags/反诈/`) joined to an output folder stays inside it.
pub fn check_site_path(path: &str) {
    assert!(!path.starts_with('/'), "absolute site path {path:?}");
    let output = Path::new("/srv/site/public");
    let joined = output.join(path);
    assert!(joined.starts_with(output), "{path:?} leaves the output");
    for component in Path::new(path).components() {
        assert!(
            matches!(component, Component::Normal(_)),
            "{path:?} has a {component:?} component"
        );
    }
    for segment in path.strip_suffix('/').unwrap_or(path).split('/') {
        check_segment(segment);
    }
}

/// `slug::encode_path` gives a URL path that decodes to the site path.
fn check_encoded(path: &str) {
    let encoded = slug::encode_path(path);
    assert!(encoded.is_ascii(), "encoded path {encoded:?} is not ASCII");
    assert!(
        !encoded.contains([' ', '"', '#', '<', '>', '?', '`', '{', '}']),
        "encoded path {encoded:?}"
    );
    assert!(!encoded.chars().any(|c| c.is_ascii_control()));
    let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8_lossy();
    assert_eq!(decoded, path, "encode_path does not round-trip");
}

/// A problem names the file and a line and column that exist in `text`
/// (when the text is known).
fn check_diagnostic(problem: &Diagnostic, shown: &str, text: Option<&str>) {
    assert_eq!(problem.path, shown, "{problem:?}");
    assert!(!problem.message.is_empty(), "{problem:?}");
    check_position(problem.line, problem.column, text, &problem.message);
}

fn check_position(line: usize, column: usize, text: Option<&str>, what: &str) {
    assert!(
        line >= 1 && column >= 1,
        "line {line} column {column}: {what}"
    );
    let Some(text) = text else {
        return;
    };
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        line <= lines.len(),
        "line {line} of a {}-line text: {what}",
        lines.len()
    );
    let width = lines[line - 1].chars().count();
    assert!(
        column <= width + 1,
        "column {column} of a {width}-character line {line}: {what}"
    );
}

/// The byte offset of `part` in `text`, which it must be a slice of.
fn offset_in(text: &str, part: &str) -> usize {
    let start = part.as_ptr() as usize;
    let base = text.as_ptr() as usize;
    assert!(
        start >= base && start + part.len() <= base + text.len(),
        "not a slice of the input"
    );
    start - base
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements that run inside a line of text.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "del", "em", "i", "img", "kbd", "mark", "s", "small", "span",
    "strong", "sub", "sup", "u",
];

/// A piece of HTML: a start tag (name, self-closing), an end tag, or text.
#[derive(Debug)]
enum Token<'a> {
    Start(String, bool),
    End(String),
    Comment,
    Text(&'a str),
}

/// Splits HTML into tags and text, panicking on a tag that never ends.
fn tokens(html: &str) -> Vec<Token<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            out.push(Token::Text(&html[i..end]));
            i = end;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            let end = rest
                .find("-->")
                .unwrap_or_else(|| panic!("unclosed comment at {i}"));
            out.push(Token::Comment);
            i += end + 3;
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = i + if closing { 2 } else { 1 };
        let mut j = name_start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        assert!(
            j > name_start && bytes[name_start].is_ascii_alphabetic(),
            "a '<' that starts no tag at {i}: {:?}",
            &html[i..crate::diagnostics::floor_char_boundary(html, (i + 40).min(html.len()))]
        );
        let name = html[name_start..j].to_ascii_lowercase();
        // Attributes, with quoted values that may hold `>`.
        let mut quote: Option<u8> = None;
        let self_closing;
        loop {
            assert!(j < bytes.len(), "tag <{name}> at {i} never ends");
            let b = bytes[j];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'<' => panic!("'<' inside tag <{name}> at {i}"),
                None if b == b'>' => {
                    self_closing = bytes[j - 1] == b'/';
                    break;
                }
                None => {}
            }
            j += 1;
        }
        out.push(if closing {
            Token::End(name)
        } else {
            Token::Start(name, self_closing)
        });
        i = j + 1;
    }
    out
}

/// Every tag is closed, in the order opened; no stray `>` in text.
pub fn check_html(html: &str) {
    let mut open: Vec<String> = Vec::new();
    for token in tokens(html) {
        match token {
            Token::Start(name, self_closing) => {
                if !self_closing && !VOID.contains(&name.as_str()) {
                    open.push(name);
                }
            }
            Token::End(name) => {
                let top = open.pop();
                assert_eq!(
                    top.as_deref(),
                    Some(name.as_str()),
                    "</{name}> closes {top:?} in {html:?}"
                );
            }
            Token::Text(text) => assert!(!text.contains('>'), "a bare '>' in {html:?}"),
            Token::Comment => {}
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in {html:?}");
}

/// No line break is left between two characters that join without a space,
/// looking through inline tags, outside preformatted code.
fn check_cjk_line_breaks(html: &str) {
    let mut text = String::new();
    let mut pre = 0usize;
    for token in tokens(html) {
        match token {
            Token::Start(name, _) if name == "pre" => pre += 1,
            Token::End(name) if name == "pre" => pre -= 1,
            Token::Start(name, _) | Token::End(name) => {
                if !INLINE.contains(&name.as_str()) {
                    text.push('\u{1}');
                }
            }
            Token::Text(t) if pre == 0 => text.push_str(t),
            Token::Text(_) | Token::Comment => {}
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for window in chars.windows(3) {
        if let [before, '\n', after] = *window {
            assert!(
                !cjk::joins_without_space(before, after),
                "a line break between {before:?} and {after:?} in {html:?}"
            );
        }
    }
}

/// A summary is plain text: no tag, no `<` or `>` the source did not have
/// (written or as a character reference), only characters from the source.
fn check_plain_text(summary: &str, source: &str) {
    let has_reference = source.contains('&');
    for bracket in ['<', '>'] {
        assert!(
            !summary.contains(bracket) || source.contains(bracket) || has_reference,
            "{bracket:?} in summary {summary:?}"
        );
    }
    if !has_reference {
        let known: HashSet<char> = source.chars().collect();
        for c in summary.chars() {
            assert!(
                known.contains(&c) || c == ' ' || c == '…' || c == '\u{FFFD}',
                "{c:?} in summary {summary:?} is not in the source"
            );
        }
    }
}

/// At most `length` characters, or up to half as many again to end at a
/// sentence end, or `length` and an ellipsis.
fn check_summary_length(summary: &str, length: usize) {
    let count = summary.chars().count();
    assert!(
        count <= (length * 3 / 2).max(length + 1),
        "summary of {count} characters for {length}: {summary:?}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_html_passes() {
        check_html(
            "<p>社区<strong>志愿者</strong><br />\n<img src=\"a>b\" alt=\"\"></p>\n<!--more-->\n",
        );
        check_cjk_line_breaks("<p>社区</p>\n<p>志愿者</p>\n<pre><code>中\n文</code></pre>\n");
        check_plain_text("社区志愿者…", "社区**志愿者**走进小区");
    }

    #[test]
    #[should_panic(expected = "closes")]
    fn crossed_tags_are_caught() {
        check_html("<ul>\n<li>真<strong>，</li>\n<li>好</strong>她</li>\n</ul>\n");
    }

    #[test]
    #[should_panic(expected = "unclosed")]
    fn unclosed_tags_are_caught() {
        check_html("<p>文字<strong>加粗</strong></p>\n<p>\n");
    }

    #[test]
    #[should_panic(expected = "starts no tag")]
    fn a_stray_angle_bracket_is_caught() {
        check_html("<p>a < b</p>");
    }

    #[test]
    #[should_panic(expected = "line break")]
    fn a_line_break_between_chinese_characters_is_caught() {
        check_cjk_line_breaks("<p>社区<em>志愿者</em>\n<strong>走进</strong>小区</p>\n");
    }

    #[test]
    #[should_panic(expected = "in summary")]
    fn markup_in_a_summary_is_caught() {
        check_plain_text("<strong>志愿者</strong>", "**志愿者**");
    }

    #[test]
    #[should_panic(expected = "empty segment")]
    fn an_empty_segment_is_caught() {
        check_site_path("tags//");
    }

    #[test]
    #[should_panic(expected = "component")]
    fn a_parent_segment_is_caught() {
        check_site_path("tags/../../etc/");
    }
}
