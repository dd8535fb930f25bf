//! Slugs and URL path segments. An ASCII file name is its own slug; Chinese
//! titles become toneless pinyin (`反诈知识进社区` → `fan-zha-zhi-shi-jin-she-qu`).
//! Tags and community names keep their Chinese, with only the characters that
//! cannot appear in a file or URL path replaced.
//!
//! Every slug and segment is also a name Windows can hold, on every system, so
//! that a site built on Linux is the same site, file for file, as one built on
//! Windows, and can be copied to a Windows server or USB stick: the characters
//! Windows forbids are replaced, a trailing dot or space is dropped, and a
//! device name (`CON`, `NUL`, `COM1`…, also as `con.txt`) gets a `_` after it.
//! Written here rather than taken from a crate: the sanitising crates replace
//! a device name outright, and here the rest of the rules are already the
//! slug's own.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use pinyin::ToPinyin;

pub const MAX_SLUG_LEN: usize = 60;

/// Lowercase ASCII words joined by hyphens, or `None` if the text is not ASCII
/// or has nothing usable.
pub fn ascii_slug(text: &str) -> Option<String> {
    if !text.is_ascii() {
        return None;
    }
    let slug = hyphenate(
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .map(str::to_ascii_lowercase),
    );
    (!slug.is_empty()).then(|| windows_safe(truncate(&slug)))
}

/// Toneless pinyin of Chinese characters, Latin words and digits kept.
pub fn pinyin_slug(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut latin = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
            continue;
        }
        if !latin.is_empty() {
            words.push(std::mem::take(&mut latin));
        }
        if let Some(pinyin) = c.to_pinyin() {
            words.push(pinyin.plain().to_string());
        } else if let Some(digit) = fullwidth_alphanumeric(c) {
            latin.push(digit);
        }
    }
    if !latin.is_empty() {
        words.push(latin);
    }
    windows_safe(truncate(&hyphenate(words.into_iter())))
}

/// The slug of an item: an explicit `slug`, else an ASCII file name, else the
/// pinyin of the title. Never empty.
pub fn derive(explicit: Option<&str>, file_stem: &str, title: &str) -> String {
    if let Some(explicit) = explicit.map(str::trim).filter(|s| !s.is_empty()) {
        let segment = usable_part(explicit);
        if !segment.is_empty() {
            return segment;
        }
    }
    if let Some(slug) = ascii_slug(file_stem) {
        return slug;
    }
    let slug = pinyin_slug(title);
    if !slug.is_empty() {
        return slug;
    }
    let slug = pinyin_slug(file_stem);
    if slug.is_empty() {
        "item".to_string()
    } else {
        slug
    }
}

/// A name made safe as one path segment: characters that would break a path
/// or a URL on any system become `-`; Chinese stays. Never empty: a name with
/// nothing usable (`...`, `/`) becomes its bytes in hex, so that its page
/// still has a folder of its own rather than its parent's.
pub fn path_segment(name: &str) -> String {
    let segment = usable_part(name);
    if !segment.is_empty() {
        return segment;
    }
    let hex: String = name.trim().bytes().map(|b| format!("{b:02x}")).collect();
    if hex.is_empty() {
        "_".to_string()
    } else {
        hex
    }
}

/// What of a name can stand in a path segment; may be empty.
fn usable_part(name: &str) -> String {
    let replaced: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || c.is_whitespace() || "/\\?#%\"<>|*:&+'`^[]{}".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let collapsed = hyphenate(replaced.split('-').map(str::to_string));
    windows_safe(collapsed.trim_matches(|c| c == '.' || c == '-').to_string())
}

/// The names Windows keeps for devices: a file or folder with one of these
/// names, with any extension, cannot be made there (`nul.html` is the null
/// device). The superscript digits count as digits to Windows.
const DEVICE_NAMES: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Whether `name` is a Windows device name: its part before the first dot,
/// spaces at its end aside, in any case.
pub fn is_windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    if DEVICE_NAMES.iter().any(|d| stem.eq_ignore_ascii_case(d)) {
        return true;
    }
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let numbered = prefix.eq_ignore_ascii_case("COM") || prefix.eq_ignore_ascii_case("LPT");
    let rest: Vec<char> = chars.collect();
    numbered && matches!(rest[..], [c] if c.is_ascii_digit() || "¹²³".contains(c))
}

/// A device name made an ordinary one by a `_` after its stem
/// (`con` → `con_`, `nul.2024` → `nul_.2024`); any other name as it is.
fn windows_safe(segment: String) -> String {
    if !is_windows_device_name(&segment) {
        return segment;
    }
    match segment.split_once('.') {
        Some((stem, rest)) => format!("{stem}_.{rest}"),
        None => format!("{segment}_"),
    }
}

/// Why Windows could not hold a file named `name`, if it could not: for a
/// file copied into the site under its own name.
pub fn windows_name_problem(name: &str) -> Option<String> {
    if let Some(c) = name
        .chars()
        .find(|&c| c.is_control() || "\\?\"<>|*:".contains(c))
    {
        return Some(format!("含有 Windows 文件名里不能用的字符“{c}”"));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("以点或空格结尾，Windows 会把它们去掉".to_string());
    }
    if is_windows_device_name(name) {
        return Some("是 Windows 留给设备的名字（CON、NUL、COM1 这类）".to_string());
    }
    None
}

const PATH_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// Percent-encodes a site path for use in a URL (non-ASCII included).
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_ENCODE).to_string()
}

fn hyphenate(words: impl Iterator<Item = String>) -> String {
    words
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn truncate(slug: &str) -> String {
    if slug.len() <= MAX_SLUG_LEN {
        return slug.to_string();
    }
    let mut cut = MAX_SLUG_LEN;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &slug[..cut];
    match head.rfind('-') {
        Some(hyphen) if hyphen > MAX_SLUG_LEN / 2 => head[..hyphen].to_string(),
        _ => head.trim_end_matches('-').to_string(),
    }
}

fn fullwidth_alphanumeric(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).map(|c| c.to_ascii_lowercase())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_of_a_chinese_title() {
        assert_eq!(pinyin_slug("反诈知识进社区"), "fan-zha-zhi-shi-jin-she-qu");
        assert_eq!(pinyin_slug("2024年5G进社区！"), "2024-nian-5g-jin-she-qu");
    }

    #[test]
    fn slug_is_at_most_sixty_characters() {
        let slug = pinyin_slug(&"新时代文明实践站".repeat(10));
        assert!(slug.len() <= MAX_SLUG_LEN, "{slug}");
        assert!(!slug.ends_with('-'));
    }

    #[test]
    fn derive_prefers_slug_then_ascii_file_then_title() {
        assert_eq!(derive(Some("my-slug"), "文件", "标题"), "my-slug");
        assert_eq!(
            derive(None, "2024-03 Anti_Fraud", "标题"),
            "2024-03-anti-fraud"
        );
        assert_eq!(
            derive(None, "助老食堂", "助老食堂开业"),
            "zhu-lao-shi-tang-kai-ye"
        );
    }

    #[test]
    fn path_segment_keeps_chinese_and_removes_separators() {
        assert_eq!(path_segment("洸河社区"), "洸河社区");
        assert_eq!(path_segment("../a/b"), "a-b");
        assert_eq!(path_segment("5G 应用"), "5G-应用");
    }

    #[test]
    fn path_segment_is_never_empty() {
        // A tag `...` would otherwise have the URL `tags//`, the list of all tags.
        assert_eq!(path_segment("..."), "2e2e2e");
        assert_eq!(path_segment("/"), "2f");
        assert_eq!(path_segment("  "), "_");
        // An explicit slug with nothing usable falls back to the file name.
        assert_eq!(derive(Some("..."), "a-b", "标题"), "a-b");
    }

    #[test]
    fn device_names_become_ordinary_names_on_every_system() {
        assert_eq!(derive(None, "CON", "标题"), "con_");
        assert_eq!(derive(None, "com1", "标题"), "com1_");
        assert_eq!(derive(None, "com10", "标题"), "com10");
        assert_eq!(derive(Some("NUL.2024"), "a", "标题"), "NUL_.2024");
        assert_eq!(derive(Some("Aux "), "a", "标题"), "Aux_");
        assert_eq!(pinyin_slug("LPT1"), "lpt1_");
        assert_eq!(path_segment("prn"), "prn_");
        assert_eq!(path_segment("COM²"), "COM²_");
        assert_eq!(path_segment("CONOUT$"), "CONOUT$_");
        // Only the whole stem counts: these are ordinary names.
        assert_eq!(path_segment("console"), "console");
        assert_eq!(path_segment("connect.nul"), "connect.nul");
    }

    #[test]
    fn names_windows_forbids_are_made_safe() {
        assert_eq!(path_segment("通知:第2期"), "通知-第2期");
        assert_eq!(path_segment("问答?*|<>\"你好\""), "问答-你好");
        assert_eq!(path_segment("末尾有点..."), "末尾有点");
        assert_eq!(derive(Some("what? now."), "a", "标题"), "what-now");
    }

    #[test]
    fn file_names_windows_cannot_hold_are_named() {
        assert!(windows_name_problem("照片:1.jpg").unwrap().contains(':'));
        assert!(windows_name_problem("nul.pdf").unwrap().contains("设备"));
        assert!(windows_name_problem("说明. ").is_some());
        assert_eq!(windows_name_problem("活动照片 1.jpg"), None);
    }

    #[test]
    fn encode_path_percent_encodes_chinese() {
        assert_eq!(encode_path("tags/反诈/"), "tags/%E5%8F%8D%E8%AF%88/");
    }
}
