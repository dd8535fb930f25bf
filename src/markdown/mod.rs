//! Markdown to HTML with the rules Chinese text needs: no space where a line
//! break falls between two Chinese characters, bold beside Chinese punctuation,
//! heading ids that keep their Chinese, and tables that scroll on a phone
//! instead of the page. Relative links and images are resolved by the caller,
//! which may give an image its sizes (`srcset`, `width`, `height`); every
//! image but the first of a body loads lazily. Fenced code with a language
//! is highlighted with CSS classes (see [`crate::highlight`]).

mod emphasis;
mod summary;

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::cjk;
pub use emphasis::parse;
pub use summary::{before_more, cut_at_sentence, plain_summary, reading_stats, ReadingStats};

/// What a link or image destination points at, for the resolver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

/// What becomes of a link or image destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Keep,
    Replace(String),
    /// Kept as written, with a warning for the user.
    Warn(String),
    /// An error for the user (a missing image, a link to nothing).
    Fail(String),
    /// An image published in several sizes.
    Image(ImageMarkup),
}

/// The published sizes of an image, for `<img srcset sizes width height>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageMarkup {
    pub src: String,
    /// `url 480w, url 960w`; empty when there is one size.
    pub srcset: String,
    pub sizes: String,
    pub width: u32,
    pub height: u32,
    /// The same sizes as WebP, offered first through `<picture>`.
    pub webp_srcset: Option<String>,
}

/// Turns a relative link or image path written in an article into a URL.
pub trait LinkResolver {
    fn resolve(&self, destination: &str, kind: LinkKind) -> Resolution;
}

/// A resolver that leaves every link as written.
pub struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve(&self, _: &str, _: LinkKind) -> Resolution {
        Resolution::Keep
    }
}

/// A problem found while rendering, at a 1-based line and column of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub is_error: bool,
}

pub struct Rendered {
    pub html: String,
    pub problems: Vec<BodyProblem>,
    /// The author wrote raw HTML (beyond a `<!--more-->` mark), which must be sanitised.
    pub has_raw_html: bool,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders a Markdown body to HTML.
pub fn render(body: &str, resolver: &dyn LinkResolver) -> Rendered {
    let mut problems = Vec::new();
    let mut markups: Vec<Option<ImageMarkup>> = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut has_raw_html = false;
    for (event, range) in emphasis::parse(body) {
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            has_raw_html |= html.trim() != "<!--more-->";
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve(
                    resolver,
                    dest_url,
                    LinkKind::Link,
                    body,
                    range.start,
                    &mut problems,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest_url, markup) =
                    resolve_image(resolver, dest_url, body, range.start, &mut problems);
                markups.push(markup);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                Event::Start(Tag::Table(alignments))
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                Event::Html(CowStr::Borrowed("</div>\n"))
            }
            other => other,
        };
        events.push(event);
    }
    join_cjk_soft_breaks(&mut events);
    add_heading_ids(&mut events);
    let events = write_images(events, markups);
    let events = highlight_code(events);
    let events = footnotes(events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html,
        problems,
        has_raw_html,
    }
}

fn resolve<'a>(
    resolver: &dyn LinkResolver,
    destination: CowStr<'a>,
    kind: LinkKind,
    source: &str,
    offset: usize,
    problems: &mut Vec<BodyProblem>,
) -> CowStr<'a> {
    let (message, is_error) = match resolver.resolve(&destination, kind) {
        Resolution::Replace(url) => return CowStr::from(url),
        Resolution::Image(markup) => return CowStr::from(markup.src),
        Resolution::Keep => return destination,
        Resolution::Warn(message) => (message, false),
        Resolution::Fail(message) => (message, true),
    };
    let (line, column) = crate::diagnostics::line_col(source, offset);
    problems.push(BodyProblem {
        line,
        column,
        message,
        is_error,
    });
    destination
}

/// Like [`resolve`] for an image, keeping its sizes when it has them.
fn resolve_image<'a>(
    resolver: &dyn LinkResolver,
    destination: CowStr<'a>,
    source: &str,
    offset: usize,
    problems: &mut Vec<BodyProblem>,
) -> (CowStr<'a>, Option<ImageMarkup>) {
    if let Resolution::Image(markup) = resolver.resolve(&destination, LinkKind::Image) {
        return (CowStr::from(markup.src.clone()), Some(markup));
    }
    let url = resolve(
        resolver,
        destination,
        LinkKind::Image,
        source,
        offset,
        problems,
    );
    (url, None)
}

/// Writes each image as one `<img>` (in a `<picture>` when WebP is offered)
/// with its sizes; every image after the first loads lazily, since the first
/// is usually on the first screen.
fn write_images<'a>(events: Vec<Event<'a>>, markups: Vec<Option<ImageMarkup>>) -> Vec<Event<'a>> {
    let mut markups = markups.into_iter();
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    let mut count = 0;
    while let Some(event) = events.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            out.push(event);
            continue;
        };
        let markup = markups.next().flatten();
        let mut alt = String::new();
        let mut depth = 0;
        for inner in events.by_ref() {
            match inner {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        out.push(Event::InlineHtml(CowStr::from(image_html(
            &dest_url,
            &alt,
            &title,
            markup.as_ref(),
            count > 0,
        ))));
        count += 1;
    }
    out
}

fn image_html(
    src: &str,
    alt: &str,
    title: &str,
    markup: Option<&ImageMarkup>,
    lazy: bool,
) -> String {
    let mut img = format!("<img src=\"{}\" alt=\"{}\"", attr(src), attr(alt));
    if !title.is_empty() {
        img.push_str(&format!(" title=\"{}\"", attr(title)));
    }
    if let Some(m) = markup {
        img.push_str(&format!(" width=\"{}\" height=\"{}\"", m.width, m.height));
        if !m.srcset.is_empty() {
            img.push_str(&format!(
                " srcset=\"{}\" sizes=\"{}\"",
                attr(&m.srcset),
                attr(&m.sizes)
            ));
        }
    }
    if lazy {
        img.push_str(" loading=\"lazy\"");
    }
    img.push_str(" decoding=\"async\">");
    match markup.and_then(|m| m.webp_srcset.as_ref().map(|w| (w, &m.sizes))) {
        Some((webp, sizes)) => format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">{img}</picture>",
            attr(webp),
            attr(sizes)
        ),
        None => img,
    }
}

/// Escapes text for an HTML attribute value.
fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Footnotes as a reader on a phone needs them: each marker a link to its
/// note (numbered in the order the text first refers to them, its tap area
/// padded by the theme), the notes gathered at the end of the body under a
/// heading (注释), each with a link back to where it is referred to.
fn footnotes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let has_definitions = events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::FootnoteDefinition(_))));
    if !has_definitions {
        return events;
    }
    // The notes, in the order they are written, each with its events.
    let mut notes: Vec<(String, Vec<Event<'_>>)> = Vec::new();
    let mut text: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut inside: Option<(String, Vec<Event<'_>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                if let Some(note) = inside.take() {
                    notes.push(note);
                }
                inside = Some((name.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(note) = inside.take() {
                    notes.push(note);
                }
            }
            other => match &mut inside {
                Some((_, body)) => body.push(other),
                None => text.push(other),
            },
        }
    }
    if let Some(note) = inside.take() {
        notes.push(note);
    }
    let defined: HashSet<String> = notes.iter().map(|(name, _)| name.clone()).collect();
    // Numbers in the order of first reference; notes never referred to after.
    let mut numbers: Vec<String> = Vec::new();
    let mut references: std::collections::HashMap<String, usize> = Default::default();
    let mut number_refs = |events: &mut Vec<Event<'_>>, numbers: &mut Vec<String>| {
        for event in events.iter_mut() {
            let Event::FootnoteReference(name) = event else {
                continue;
            };
            let name = name.to_string();
            if !defined.contains(&name) {
                *event = Event::Text(CowStr::from(format!("[^{name}]")));
                continue;
            }
            let number = match numbers.iter().position(|n| *n == name) {
                Some(position) => position + 1,
                None => {
                    numbers.push(name.clone());
                    numbers.len()
                }
            };
            let count = references.entry(name.clone()).or_insert(0);
            *count += 1;
            let id = footnote_id(&name);
            let ref_id = match *count {
                1 => format!("fnref-{id}"),
                n => format!("fnref-{id}-{n}"),
            };
            *event = Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{id}\" aria-label=\"注释{number}\">{number}</a></sup>"
            )));
        }
    };
    number_refs(&mut text, &mut numbers);
    for (_, body) in &mut notes {
        number_refs(body, &mut numbers);
    }
    for (name, _) in &notes {
        if !numbers.contains(name) {
            numbers.push(name.clone());
        }
    }
    text.push(Event::Html(CowStr::Borrowed(
        "<section class=\"footnotes\" aria-label=\"注释\">\n<h2 class=\"footnotes-title\" data-search=\"skip\">注释</h2>\n<ol>\n",
    )));
    for name in &numbers {
        let Some(position) = notes.iter().position(|(n, _)| n == name) else {
            continue;
        };
        let (_, mut body) = notes.swap_remove(position);
        let id = footnote_id(name);
        text.push(Event::Html(CowStr::from(format!("<li id=\"fn-{id}\">"))));
        if references.contains_key(name) {
            let back = Event::InlineHtml(CowStr::from(format!(
                " <a class=\"footnote-back\" data-search=\"skip\" href=\"#fnref-{id}\">↩ 返回正文</a>"
            )));
            // Inside the note's last paragraph, or after the note.
            if matches!(body.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = body.pop();
                body.push(back);
                body.extend(end);
            } else {
                body.push(Event::Html(CowStr::Borrowed("<p>")));
                body.push(back);
                body.push(Event::Html(CowStr::Borrowed("</p>")));
            }
        }
        text.extend(body);
        text.push(Event::Html(CowStr::Borrowed("</li>\n")));
    }
    text.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
    text
}

/// A footnote's label as part of an id: escaped, without spaces.
fn footnote_id(label: &str) -> String {
    let joined: String = label
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    attr(&joined)
}

/// Replaces each fenced code block that names a language with highlighted HTML.
fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::highlight::language(&info).is_some() =>
            {
                let mut code = String::new();
                for inner in events.by_ref() {
                    match inner {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                out.push(Event::Html(CowStr::from(crate::highlight::code_block(
                    &info, &code,
                ))));
            }
            other => out.push(other),
        }
    }
    out
}

/// The destination of every image written in a body, with its 1-based line
/// and column, without rendering (for the image pipeline, before pages are made).
pub fn image_destinations(body: &str) -> Vec<(String, usize, usize)> {
    // Every Markdown image starts with `![`; most bodies have none, and this
    // runs over every body on each build and each save in `serve`.
    if !body.contains("![") {
        return Vec::new();
    }
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                let (line, column) = crate::diagnostics::line_col(body, range.start);
                Some((dest_url.into_string(), line, column))
            }
            _ => None,
        })
        .collect()
}

/// Drops soft line breaks between two Chinese characters: browsers render a
/// bare line break as a space, which splits Chinese words.
fn join_cjk_soft_breaks(events: &mut Vec<Event<'_>>) {
    // Decided on the events as parsed, then dropped in one pass: removing
    // them one by one would move the rest of the page each time. (A soft
    // break never has another as its nearest text neighbour, so the
    // decisions do not depend on each other.)
    let drop: Vec<bool> = (0..events.len())
        .map(|index| {
            if !matches!(events[index], Event::SoftBreak) {
                return false;
            }
            let before = events[..index].iter().rev().find_map(text_end_or_boundary);
            let after = events[index + 1..].iter().find_map(text_start_or_boundary);
            matches!((before, after), (Some(Some(before)), Some(Some(after)))
                if cjk::joins_without_space(before, after))
        })
        .collect();
    let mut index = 0;
    events.retain(|_| {
        index += 1;
        !drop[index - 1]
    });
}

/// The last character of a text event; `Some(None)` at a block boundary.
fn text_end_or_boundary(event: &Event<'_>) -> Option<Option<char>> {
    match event {
        Event::Text(text) | Event::Code(text) => text.chars().next_back().map(Some),
        Event::Start(tag) if !is_inline(tag) => Some(None),
        Event::SoftBreak | Event::HardBreak => Some(None),
        _ => None,
    }
}

fn text_start_or_boundary(event: &Event<'_>) -> Option<Option<char>> {
    match event {
        Event::Text(text) | Event::Code(text) => text.chars().next().map(Some),
        Event::End(end) if !is_inline_end(end) => Some(None),
        Event::SoftBreak | Event::HardBreak => Some(None),
        _ => None,
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}

/// Gives each heading an id made of its own text (Chinese kept), unique in the page.
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut used: HashSet<String> = HashSet::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[index] {
            let mut text = String::new();
            for event in &events[index + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = heading_id(&text);
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(CowStr::from(id));
            }
        }
        index += 1;
    }
}

/// `一、活动安排` → `一活动安排`; `Step 2: Go` → `step-2-go`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() && !cjk::is_punctuation(c) {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.ends_with('-')
            && !id.is_empty()
        {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// The heading levels a table of contents might use.
pub fn is_section_heading(level: HeadingLevel) -> bool {
    matches!(level, HeadingLevel::H2 | HeadingLevel::H3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        render(markdown, &KeepLinks).html
    }

    #[test]
    fn soft_break_between_chinese_characters_is_dropped() {
        assert_eq!(html("社区志愿者\n走进小区"), "<p>社区志愿者走进小区</p>\n");
        assert_eq!(html("他们说：\n“好”"), "<p>他们说：“好”</p>\n");
    }

    #[test]
    fn soft_break_next_to_latin_stays() {
        assert_eq!(html("使用 5G\nnetwork"), "<p>使用 5G\nnetwork</p>\n");
        assert_eq!(html("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
    }

    #[test]
    fn soft_break_across_inline_markup() {
        assert_eq!(
            html("志愿者\n**王大姐**来了"),
            "<p>志愿者<strong>王大姐</strong>来了</p>\n"
        );
    }

    #[test]
    fn bold_beside_chinese_punctuation() {
        assert_eq!(html("**真，**她说"), "<p><strong>真，</strong>她说</p>\n");
    }

    /// Bold beside Chinese punctuation never reaches into code, across
    /// blocks, or out of the inline markup it sits in.
    #[test]
    fn bold_beside_punctuation_stays_in_its_place() {
        // A code span over two lines.
        assert_eq!(
            html("她说 `a\n真**，` 好**她"),
            "<p>她说 <code>a 真**，</code> 好**她</p>\n"
        );
        // Backtick runs close only on a run of the same length.
        assert_eq!(
            html("``a`**真，**`b`` **真，**她"),
            "<p><code>a`**真，**`b</code> <strong>真，</strong>她</p>\n"
        );
        assert_eq!(
            html("``a```**真，**她`"),
            "<p>``a```<strong>真，</strong>她`</p>\n"
        );
        // An indented code block.
        assert_eq!(
            html("    **真，**她\n"),
            "<pre><code>**真，**她\n</code></pre>\n"
        );
        // Blocks with no blank line between them.
        assert_eq!(
            html("- 真**，\n- 好**她\n"),
            "<ul>\n<li>真**，</li>\n<li>好**她</li>\n</ul>\n"
        );
        assert_eq!(
            html("甲**真，\n# 标题**她\n"),
            "<p>甲**真，</p>\n<h1 id=\"标题她\">标题**她</h1>\n"
        );
        // Emphasis around one of the two.
        assert_eq!(
            html("*甲，**她*真，**她说"),
            "<p><em>甲，**她</em>真，**她说</p>\n"
        );
        // A link destination.
        assert_eq!(
            html("[链接](a**b) **真，**她"),
            "<p><a href=\"a**b\">链接</a> <strong>真，</strong>她</p>\n"
        );
    }

    #[test]
    fn strong_written_by_the_author_is_raw_html() {
        let rendered = render("文字<strong>加粗", &KeepLinks);
        assert!(rendered.has_raw_html);
        assert!(!render("**真，**她说", &KeepLinks).has_raw_html);
    }

    #[test]
    fn headings_get_chinese_ids() {
        let out = html("## 一、活动安排\n\n## 一、活动安排\n");
        assert!(out.contains("<h2 id=\"一活动安排\">"), "{out}");
        assert!(out.contains("<h2 id=\"一活动安排-1\">"), "{out}");
    }

    #[test]
    fn tables_footnotes_strikethrough_tasks() {
        let out = html("| 项目 | 人数 |\n|---|---|\n| 义诊 | 120 |\n\n~~旧~~ 新[^1]\n\n- [x] 完成\n\n[^1]: 注释\n");
        assert!(out.contains("<div class=\"table-wrap\"><table>"), "{out}");
        assert!(out.contains("<del>旧</del>"));
        assert!(out.contains("checkbox"));
        assert!(
            out.contains("<h2 class=\"footnotes-title\" data-search=\"skip\">注释</h2>"),
            "{out}"
        );
    }

    #[test]
    fn footnotes_go_under_a_heading_at_the_end_with_links_back() {
        let out = html("甲[^b]，乙[^a]，再提甲[^b]。\n\n[^a]: 乙的注释。\n\n[^b]: 甲的注释。\n\n正文最后一段。\n");
        let heading = out.find("注释</h2>").expect(&out);
        assert!(
            out.find("正文最后一段").unwrap() < heading,
            "notes after the text: {out}"
        );
        // Numbered in the order the text refers to them.
        assert!(out.contains("<sup class=\"footnote-ref\" id=\"fnref-b\"><a href=\"#fn-b\" aria-label=\"注释1\">1</a></sup>"), "{out}");
        assert!(
            out.contains("id=\"fnref-a\"><a href=\"#fn-a\" aria-label=\"注释2\">2</a>"),
            "{out}"
        );
        assert!(
            out.contains("id=\"fnref-b-2\""),
            "a second reference has its own id: {out}"
        );
        assert!(out.find("<li id=\"fn-b\">").unwrap() < out.find("<li id=\"fn-a\">").unwrap());
        assert!(
            out.contains(
                "<p>甲的注释。 <a class=\"footnote-back\" data-search=\"skip\" href=\"#fnref-b\">↩ 返回正文</a></p>"
            ),
            "{out}"
        );
        assert!(!out.contains("footnote-definition"));
        // Without notes, nothing is added.
        assert!(!html("没有注释。\n").contains("footnotes"));
    }

    struct Missing;
    impl LinkResolver for Missing {
        fn resolve(&self, destination: &str, _: LinkKind) -> Resolution {
            Resolution::Fail(format!("找不到 {destination}"))
        }
    }

    #[test]
    fn resolver_problems_have_lines() {
        let rendered = render("第一段\n\n![图](a.jpg)\n", &Missing);
        assert_eq!(rendered.problems[0].line, 3);
        assert_eq!(rendered.problems[0].message, "找不到 a.jpg");
    }
}
