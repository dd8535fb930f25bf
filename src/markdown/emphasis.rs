//! `**真，**她说` is bold to any Chinese reader, but CommonMark's flanking rules
//! refuse it: the closing `**` follows punctuation and precedes a letter, so
//! the parser leaves both `**` as text. After parsing, each pair of `**` left
//! as text in the same element (a paragraph, a heading, a table cell, a link,
//! an emphasis) that CommonMark refused for that reason becomes bold. Pairs
//! CommonMark accepts never get here.
//!
//! Working on the parsed events, not the source, means the parser has already
//! decided what is code (spans of any number of backticks, over several lines;
//! fenced and indented blocks), a link destination or raw HTML, none of which
//! is touched; and bold can never open in one element and close in another.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use crate::cjk::is_punctuation;

/// A parsed event and the byte range of the source it came from.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// The events of a Markdown source with their ranges, with bold beside
/// Chinese punctuation. Without a `**` in the source, the parser's own stream.
pub fn parse(source: &str) -> Box<dyn Iterator<Item = Spanned<'_>> + '_> {
    let parser = Parser::new_ext(source, super::options()).into_offset_iter();
    if memchr::memmem::find(source.as_bytes(), b"**").is_none() {
        return Box::new(parser);
    }
    Box::new(bold_beside_punctuation(source, parser.collect()).into_iter())
}

/// Turns the pairs of literal `**` that CommonMark refused into bold.
fn bold_beside_punctuation<'a>(source: &'a str, events: Vec<Spanned<'a>>) -> Vec<Spanned<'a>> {
    let bytes = source.as_bytes();
    // Each `*` left as text as written (escapes and entities are not
    // delimiters): (byte offset, the element holding it, event index). The
    // parser gives each `*` of a refused run its own text event.
    let mut stars: Vec<(usize, usize, usize)> = Vec::new();
    // The open elements: the index of their start event, and whether they hold code.
    let mut open: Vec<(usize, bool)> = vec![(usize::MAX, false)];
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => open.push((index, matches!(tag, Tag::CodeBlock(_)))),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(text) if source.get(range.clone()) == Some(&**text) => {
                let (element, code) = open.last().copied().unwrap_or((usize::MAX, false));
                if !code {
                    stars.extend(
                        memchr::memchr_iter(b'*', text.as_bytes())
                            .map(|at| range.start + at)
                            .filter(|&at| !escaped(bytes, at))
                            .map(|at| (at, element, index)),
                    );
                }
            }
            _ => {}
        }
    }
    // Runs of exactly two, both left as text in the same element.
    let mut found: Vec<(usize, usize, [usize; 2])> = Vec::new(); // (element, offset, events)
    for pair in stars.windows(2) {
        let [(at, element, first), (next, next_element, second)] = [pair[0], pair[1]];
        let alone = (at == 0 || bytes[at - 1] != b'*') && bytes.get(at + 2) != Some(&b'*');
        if next == at + 1 && next_element == element && alone {
            found.push((element, at, [first, second]));
        }
    }
    // Paired in order within each element (the sort is stable).
    found.sort_by_key(|&(element, _, _)| element);
    let mut cuts: Vec<(usize, bool)> = Vec::new(); // (offset, opens)
    let mut touched: Vec<usize> = Vec::new();
    for group in found.chunk_by(|a, b| a.0 == b.0) {
        for pair in group.chunks_exact(2) {
            let ((_, open, open_events), (_, close, close_events)) = (pair[0], pair[1]);
            if refused(source, open, close) {
                cuts.extend([(open, true), (close, false)]);
                touched.extend(open_events.into_iter().chain(close_events));
            }
        }
    }
    if cuts.is_empty() {
        return events;
    }
    cuts.sort_unstable();
    touched.sort_unstable();
    let mut out = Vec::with_capacity(events.len() + cuts.len() * 2);
    for (index, (event, range)) in events.into_iter().enumerate() {
        if touched.binary_search(&index).is_err() {
            out.push((event, range));
            continue;
        }
        // The text of this event around the `*` taken out, with bold
        // starting or ending where a run starts.
        let mut start = range.start;
        let first = cuts.partition_point(|&(at, _)| at + 2 <= range.start);
        for &(at, opens) in cuts[first..].iter().take_while(|&&(at, _)| at < range.end) {
            let cut_start = at.max(range.start);
            if cut_start > start {
                out.push((
                    Event::Text(CowStr::Borrowed(&source[start..cut_start])),
                    start..cut_start,
                ));
            }
            if at >= range.start {
                let tag = if opens {
                    Event::Start(Tag::Strong)
                } else {
                    Event::End(TagEnd::Strong)
                };
                out.push((tag, at..at + 2));
            }
            start = (at + 2).min(range.end);
        }
        if start < range.end {
            out.push((
                Event::Text(CowStr::Borrowed(&source[start..range.end])),
                start..range.end,
            ));
        }
    }
    out
}

/// Whether the byte at `at` follows an odd number of backslashes.
fn escaped(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

/// Whether the `**` at `open` and `close` enclose text that CommonMark would
/// make bold but for the punctuation beside a delimiter.
fn refused(source: &str, open: usize, close: usize) -> bool {
    let inner = &source[open + 2..close];
    if inner.is_empty()
        || inner.starts_with(char::is_whitespace)
        || inner.ends_with(char::is_whitespace)
    {
        return false;
    }
    let before_open = source[..open].chars().next_back();
    let after_open = inner.chars().next();
    let before_close = inner.chars().next_back();
    let after_close = source[close + 2..].chars().next();
    !left_flanking(before_open, after_open) || !right_flanking(before_close, after_close)
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

    fn bold(source: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, parse(source).map(|(event, _)| event));
        html
    }

    #[test]
    fn makes_bold_the_pair_commonmark_refuses() {
        assert_eq!(
            bold("她说**真，**她笑了"),
            "<p>她说<strong>真，</strong>她笑了</p>\n"
        );
        assert_eq!(
            bold("他说**“好”**就走"),
            "<p>他说<strong>“好”</strong>就走</p>\n"
        );
    }

    #[test]
    fn leaves_valid_emphasis_and_code_alone() {
        assert_eq!(
            bold("这是**重点**内容"),
            "<p>这是<strong>重点</strong>内容</p>\n"
        );
        assert_eq!(bold("`**真，**她`"), "<p><code>**真，**她</code></p>\n");
        assert_eq!(
            bold("```\n**真，**她\n```\n"),
            "<pre><code>**真，**她\n</code></pre>\n"
        );
        assert_eq!(bold("\\**真，**她"), "<p>**真，**她</p>\n");
    }

    #[test]
    fn pairs_do_not_cross_paragraphs() {
        assert_eq!(bold("一**二\n\n三**四"), "<p>一**二</p>\n<p>三**四</p>\n");
    }

    #[test]
    fn ranges_follow_the_split_text() {
        let source = "她说**真，**她";
        for (event, range) in parse(source) {
            match event {
                Event::Text(text) => assert_eq!(&source[range], &*text),
                Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => {
                    assert_eq!(&source[range], "**")
                }
                _ => {}
            }
        }
    }
}
