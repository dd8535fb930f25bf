//! `**真，**她说` is bold to any Chinese reader, but CommonMark's flanking rules
//! refuse it: the closing `**` follows punctuation and precedes a letter. Before
//! parsing, pairs of `**` that CommonMark would refuse are rewritten as
//! `<strong>`/`</strong>` (inline HTML, which the parser passes through while
//! still parsing the text between). Pairs CommonMark accepts are left alone.
//! Fenced code and inline code spans are never touched.

use std::borrow::Cow;

use crate::cjk::is_punctuation;

pub fn fix_cjk_emphasis(source: &str) -> Cow<'_, str> {
    if !source.contains("**") {
        return Cow::Borrowed(source);
    }
    let mut replacements: Vec<(usize, &'static str)> = Vec::new();
    let mut paragraph: Vec<usize> = Vec::new();
    let mut in_fence: Option<&str> = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (in_fence, fence) {
            (Some(open), Some(f)) if open == f => in_fence = None,
            (Some(_), _) => {}
            (None, Some(f)) => {
                pair_up(source, &paragraph, &mut replacements);
                paragraph.clear();
                in_fence = Some(f);
            }
            (None, None) if trimmed.trim().is_empty() => {
                pair_up(source, &paragraph, &mut replacements);
                paragraph.clear();
            }
            (None, None) => collect_delimiters(line, offset, &mut paragraph),
        }
        offset += line.len();
    }
    pair_up(source, &paragraph, &mut replacements);
    if replacements.is_empty() {
        return Cow::Borrowed(source);
    }
    let mut fixed = String::with_capacity(source.len() + replacements.len() * 8);
    let mut last = 0;
    for (at, tag) in replacements {
        fixed.push_str(&source[last..at]);
        fixed.push_str(tag);
        last = at + 2;
    }
    fixed.push_str(&source[last..]);
    Cow::Owned(fixed)
}

/// Byte offsets of `**` runs (exactly two, unescaped) outside code spans.
fn collect_delimiters(line: &str, line_offset: usize, found: &mut Vec<usize>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    // Chinese text has few of the three bytes that matter: jump between them.
    while let Some(next) = memchr::memchr3(b'\\', b'`', b'*', &bytes[i..]) {
        i += next;
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &line[i..i + run];
                match line[i + run..].find(fence) {
                    Some(end) => i += run + end + run,
                    None => i += run,
                }
            }
            b'*' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'*').count();
                if run == 2 {
                    found.push(line_offset + i);
                }
                i += run;
            }
            _ => i += 1,
        }
        if i >= bytes.len() {
            break;
        }
    }
}

fn pair_up(source: &str, delimiters: &[usize], replacements: &mut Vec<(usize, &'static str)>) {
    for pair in delimiters.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        let inner = &source[open + 2..close];
        if inner.is_empty()
            || inner.starts_with(char::is_whitespace)
            || inner.ends_with(char::is_whitespace)
        {
            continue;
        }
        let before_open = source[..open].chars().next_back();
        let after_open = inner.chars().next();
        let before_close = inner.chars().next_back();
        let after_close = source[close + 2..].chars().next();
        if !left_flanking(before_open, after_open) || !right_flanking(before_close, after_close) {
            replacements.push((open, "<strong>"));
            replacements.push((close, "</strong>"));
        }
    }
}

fn is_space_or_edge(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

fn is_punct(c: Option<char>) -> bool {
    c.is_some_and(is_punctuation)
}

fn left_flanking(before: Option<char>, after: Option<char>) -> bool {
    !is_space_or_edge(after) && (!is_punct(after) || is_space_or_edge(before) || is_punct(before))
}

fn right_flanking(before: Option<char>, after: Option<char>) -> bool {
    !is_space_or_edge(before) && (!is_punct(before) || is_space_or_edge(after) || is_punct(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_the_pair_commonmark_refuses() {
        assert_eq!(
            fix_cjk_emphasis("她说**真，**她笑了"),
            "她说<strong>真，</strong>她笑了"
        );
        assert_eq!(
            fix_cjk_emphasis("他说**“好”**就走"),
            "他说<strong>“好”</strong>就走"
        );
    }

    #[test]
    fn leaves_valid_emphasis_and_code_alone() {
        assert_eq!(fix_cjk_emphasis("这是**重点**内容"), "这是**重点**内容");
        assert_eq!(fix_cjk_emphasis("`**真，**她`"), "`**真，**她`");
        assert_eq!(
            fix_cjk_emphasis("```\n**真，**她\n```\n"),
            "```\n**真，**她\n```\n"
        );
    }

    #[test]
    fn pairs_do_not_cross_paragraphs() {
        assert_eq!(fix_cjk_emphasis("一**二\n\n三**四"), "一**二\n\n三**四");
    }
}
