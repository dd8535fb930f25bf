//! Summaries and reading time. A summary is plain text (so it can never be
//! cut inside a tag), ending at a sentence end near the wanted length, never
//! inside a Latin word.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::cjk;

/// The body before a `<!--more-->` line, if there is one.
pub fn before_more(body: &str) -> Option<&str> {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim() == "<!--more-->" {
            return Some(&body[..offset]);
        }
        offset += line.len();
    }
    None
}

/// The summary of a body: the text before `<!--more-->`, else the text cut at
/// a sentence end near `length` characters.
pub fn plain_summary(body: &str, length: usize) -> String {
    if let Some(head) = before_more(body) {
        return plain_text(head, usize::MAX);
    }
    // Only the first part of a long body is needed: parse its first blocks,
    // and the whole body only when they hold too little text.
    let limit = length * 2 + 40;
    let head = leading_blocks(body, limit * 4);
    let mut text = plain_text(head, limit);
    if head.len() < body.len() && text.chars().count() < limit {
        text = plain_text(body, limit);
    }
    cut_at_sentence(&text, length)
}

/// The body up to the first blank line after `bytes` bytes, outside fenced
/// code: whole blocks, which parse as they do in the whole body. The whole
/// body when it defines link references or footnotes, which text before them
/// may use.
fn leading_blocks(body: &str, bytes: usize) -> &str {
    if body.len() <= bytes || memchr::memmem::find(body.as_bytes(), b"]:").is_some() {
        return body;
    }
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (fence, marker) {
            (Some(open), Some(f)) if open == f => fence = None,
            (None, Some(f)) => fence = Some(f),
            (None, None) if offset >= bytes && line.trim().is_empty() => return &body[..offset],
            _ => {}
        }
        offset += line.len();
    }
    body
}

/// The text of paragraphs and list items, as a reader sees it, up to about `limit` characters.
pub fn plain_text(markdown: &str, limit: usize) -> String {
    let mut text = String::new();
    let mut count = 0;
    let mut skip_depth = 0usize;
    let mut in_block = false;
    for (event, _) in super::emphasis::parse(markdown) {
        match event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Table(_)
                | Tag::CodeBlock(_)
                | Tag::Image { .. }
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock,
            ) => skip_depth += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Table
                | TagEnd::CodeBlock
                | TagEnd::Image
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => skip_depth = skip_depth.saturating_sub(1),
            Event::Start(Tag::Paragraph | Tag::Item) => {
                if in_block {
                    push_separator(&mut text);
                }
                in_block = true;
            }
            Event::Text(t) | Event::Code(t) if skip_depth == 0 => {
                count += t.chars().count();
                text.push_str(&t);
                if count >= limit {
                    break;
                }
            }
            Event::SoftBreak | Event::HardBreak if skip_depth == 0 => push_separator(&mut text),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// A space between Latin words; nothing after Chinese text.
fn push_separator(text: &mut String) {
    if let Some(last) = text.chars().next_back() {
        if !cjk::is_cjk(last) && !last.is_whitespace() {
            text.push(' ');
        }
    }
}

/// Cuts at the sentence end nearest to `length` characters; without one,
/// at `length` characters on a word boundary, with an ellipsis.
pub fn cut_at_sentence(text: &str, length: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= length {
        return text.to_string();
    }
    let closing = |c: char| matches!(c, '”' | '’' | '」' | '）' | ')' | '"');
    let mut best: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        if !cjk::ends_sentence(c) {
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && (closing(chars[end]) || cjk::ends_sentence(chars[end])) {
            end += 1;
        }
        if end < length / 2 || end > length * 3 / 2 {
            continue;
        }
        let distance = end.abs_diff(length);
        if best.is_none_or(|b| distance < b.abs_diff(length)) {
            best = Some(end);
        }
    }
    if let Some(end) = best {
        return chars[..end].iter().collect();
    }
    let mut end = length;
    // Do not split a Latin word or number.
    while end > 0 && chars[end - 1].is_ascii_alphanumeric() && chars[end].is_ascii_alphanumeric() {
        end -= 1;
    }
    if end == 0 {
        end = length;
    }
    let head: String = chars[..end].iter().collect();
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || cjk::is_punctuation(c))
    )
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadingStats {
    pub chinese_characters: usize,
    pub latin_words: usize,
    pub minutes: usize,
}

/// Chinese characters at about 400 a minute, Latin words at about 200.
pub fn reading_stats(body: &str) -> ReadingStats {
    let mut chinese_characters = 0;
    let mut latin_words = 0;
    let mut in_word = false;
    for c in body.chars() {
        if cjk::is_han(c) {
            chinese_characters += 1;
            in_word = false;
        } else if c.is_ascii_alphanumeric() {
            if !in_word {
                latin_words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    let minutes = (chinese_characters as f64 / 400.0 + latin_words as f64 / 200.0)
        .ceil()
        .max(1.0) as usize;
    ReadingStats {
        chinese_characters,
        latin_words,
        minutes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_ends_at_a_sentence_end() {
        let body =
            "第一句话讲的是社区活动。第二句话讲的是志愿者们的付出和收获，内容比较长一些。第三句。";
        let summary = plain_summary(body, 12);
        assert_eq!(summary, "第一句话讲的是社区活动。");
    }

    #[test]
    fn summary_from_more_marker() {
        let body = "开头一段。\n\n<!--more-->\n\n后面的内容。";
        assert_eq!(plain_summary(body, 120), "开头一段。");
    }

    #[test]
    fn summary_skips_headings_and_markup() {
        let body = "## 标题\n\n**重点**内容[链接](x.md)在此。\n";
        assert_eq!(plain_summary(body, 120), "重点内容链接在此。");
    }

    #[test]
    fn a_long_body_gives_the_summary_of_its_first_blocks() {
        let paragraph = "社区志愿者走进楼院，为老人测量血压。居民们纷纷点赞。\n\n";
        let long = format!("## 一、背景\n\n{}", paragraph.repeat(200));
        let head = leading_blocks(&long, 1000);
        assert!(head.len() < long.len() && head.len() >= 1000 && head.ends_with("。\n"));
        // The same summary as from the whole body.
        assert_eq!(
            plain_summary(&long, 120),
            cut_at_sentence(&plain_text(&long, 280), 120)
        );
        // A table of many rows first: too little text in the head, so the whole body is read.
        let table = format!(
            "| 项目 | 人数 |\n|---|---|\n{}\n",
            "| 义诊 | 120 |\n".repeat(300)
        );
        let body = format!("{table}{}", paragraph.repeat(20));
        assert!(plain_summary(&body, 120).starts_with("社区志愿者走进楼院"));
        // Reference links defined at the end count from the start.
        let body = format!(
            "见[通知][1]。\n\n{}[1]: https://example.gov.cn/\n",
            paragraph.repeat(100)
        );
        assert!(plain_summary(&body, 120).starts_with("见通知。"));
    }

    #[test]
    fn cut_without_sentence_end_keeps_latin_words_whole() {
        let text = format!("{}Volunteer", "字".repeat(8));
        assert_eq!(cut_at_sentence(&text, 10), "字字字字字字字字…");
    }

    #[test]
    fn reading_time_counts_chinese_characters() {
        let stats = reading_stats(&"字".repeat(800));
        assert_eq!((stats.chinese_characters, stats.minutes), (800, 2));
        assert_eq!(reading_stats("hello world 你好").latin_words, 2);
        let mixed = reading_stats("5G网络、COVID-19疫情，“好”𠀀");
        assert_eq!((mixed.latin_words, mixed.chinese_characters), (3, 6));
    }
}
