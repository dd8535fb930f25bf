//! The body of an imported page as clean Markdown.
//!
//! WeChat's editors and the 秀米 / 135编辑器 templates pasted into it wrap every
//! paragraph in several `<section style=...>` boxes, split bold text into many
//! `<strong><span>` pieces and draw ornaments with empty boxes, SVG and
//! background images. What carries meaning is kept: paragraphs, headings,
//! bold and italic, links, lists, tables, quotes and photos. Styles, empty
//! boxes, SVG, scripts, videos and layout tables are dropped, so the text can
//! be edited like any other article.
//!
//! Every box is read the same way: text and inline elements in it make a
//! paragraph, and a box or block inside it closes that paragraph and adds its
//! own blocks. That way it does not matter how deeply an editor nested them.

use scraper::{ElementRef, Node};

use super::clean_link;

/// A photo of the body, as the page wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInput {
    /// `src`: in a page saved whole, the saved copy (`NAME_files/640.jpeg`).
    pub src: Option<String>,
    /// `data-src`: WeChat's lazy-loading address of the photo.
    pub data_src: Option<String>,
}

/// The Markdown and what was left out on the way.
#[derive(Debug, Default)]
pub struct Converted {
    pub markdown: String,
    /// Videos, voice messages and embedded frames, which are not imported.
    pub skipped_media: usize,
}

/// Converts the children of `root` (the `#js_content` element). `image`
/// gives the Markdown address of each photo, or `None` to leave it out.
pub fn convert(
    root: ElementRef<'_>,
    image: &mut dyn FnMut(&ImageInput) -> Option<String>,
) -> Converted {
    let mut writer = Writer {
        image,
        skipped_media: 0,
    };
    let blocks = writer.blocks(root);
    Converted {
        markdown: if blocks.is_empty() {
            String::new()
        } else {
            format!("{}\n", blocks.join("\n\n"))
        },
        skipped_media: writer.skipped_media,
    }
}

/// A hard line break (`<br>`) inside inline text, until the paragraph is written.
const BREAK: char = '\u{E000}';

struct Writer<'a> {
    image: &'a mut dyn FnMut(&ImageInput) -> Option<String>,
    skipped_media: usize,
}

#[derive(Clone, Copy, Default)]
struct InlineState {
    bold: bool,
    italic: bool,
    /// In a heading or a table cell: bold adds nothing, breaks become spaces.
    plain_breaks: bool,
    heading: bool,
}

/// Elements whose content is never part of the article.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "input"
            | "button"
            | "select"
            | "textarea"
            | "canvas"
            | "object"
            | "embed"
            | "mp-common-profile"
            | "mp-miniprogram"
            | "mp-common-mpaudio"
    )
}

/// Embedded media: left out, and counted so the user is told.
fn is_media(name: &str) -> bool {
    matches!(
        name,
        "iframe" | "video" | "audio" | "mpvoice" | "mpvideo" | "qqmusic" | "mp-common-videosnap"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "section"
            | "div"
            | "article"
            | "header"
            | "footer"
            | "center"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "table"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "hr"
            | "pre"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
    )
}

fn hidden(element: ElementRef<'_>) -> bool {
    element.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none")
    })
}

fn bold_style(element: ElementRef<'_>) -> bool {
    element.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        [
            "font-weight:bold",
            "font-weight:bolder",
            "font-weight:600",
            "font-weight:700",
            "font-weight:800",
            "font-weight:900",
        ]
        .iter()
        .any(|b| style.contains(b))
    })
}

fn has_block_descendant(element: ElementRef<'_>) -> bool {
    element
        .descendent_elements()
        .skip(1)
        .any(|e| is_block(e.value().name()))
}

impl Writer<'_> {
    /// The blocks of a box: its loose inline content as paragraphs, in order
    /// with the blocks of the boxes inside it.
    fn blocks(&mut self, node: ElementRef<'_>) -> Vec<String> {
        let mut out = Vec::new();
        let mut inline = String::new();
        for child in node.children() {
            match child.value() {
                Node::Text(text) => push_text(&mut inline, text),
                Node::Element(_) => {
                    let element = ElementRef::wrap(child).expect("an element");
                    let name = element.value().name();
                    if is_dropped(name) || hidden(element) {
                        continue;
                    }
                    if is_media(name) {
                        self.skipped_media += 1;
                        continue;
                    }
                    let as_box = is_block(name)
                        || (!matches!(name, "img" | "br") && has_block_descendant(element));
                    if as_box {
                        flush(&mut inline, &mut out);
                        out.extend(self.block(element));
                    } else {
                        self.inline_element(element, InlineState::default(), &mut inline);
                    }
                }
                _ => {}
            }
        }
        flush(&mut inline, &mut out);
        out
    }

    fn block(&mut self, element: ElementRef<'_>) -> Vec<String> {
        let name = element.value().name();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse::<usize>().unwrap_or(2).max(2);
                let state = InlineState {
                    plain_breaks: true,
                    heading: true,
                    ..InlineState::default()
                };
                let text = finish_line(&self.inline_children(element, state));
                if text.is_empty() {
                    return Vec::new();
                }
                if text.starts_with("![") {
                    return vec![text];
                }
                vec![format!("{} {}", "#".repeat(level), text)]
            }
            "ul" | "ol" => {
                let list = self.list(element, 0);
                if list.is_empty() {
                    Vec::new()
                } else {
                    vec![list]
                }
            }
            "table" => self.table(element),
            "blockquote" => {
                let inner = self.blocks(element);
                if inner.is_empty() {
                    return Vec::new();
                }
                let quoted: Vec<String> = inner
                    .join("\n\n")
                    .lines()
                    .map(|line| {
                        if line.is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {line}")
                        }
                    })
                    .collect();
                vec![quoted.join("\n")]
            }
            "hr" => vec!["***".to_string()],
            "pre" => {
                let code: String = element.text().collect();
                let code = code.trim_matches('\n');
                if code.trim().is_empty() {
                    return Vec::new();
                }
                let fence = if code.contains("```") { "~~~~" } else { "```" };
                vec![format!("{fence}\n{code}\n{fence}")]
            }
            _ => self.blocks(element),
        }
    }

    fn inline_children(&mut self, element: ElementRef<'_>, state: InlineState) -> String {
        let mut out = String::new();
        for child in element.children() {
            match child.value() {
                Node::Text(text) => push_text(&mut out, text),
                Node::Element(_) => {
                    let child = ElementRef::wrap(child).expect("an element");
                    self.inline_element(child, state, &mut out);
                }
                _ => {}
            }
        }
        out
    }

    fn inline_element(&mut self, element: ElementRef<'_>, state: InlineState, out: &mut String) {
        let name = element.value().name();
        if is_dropped(name) || hidden(element) {
            return;
        }
        if is_media(name) {
            self.skipped_media += 1;
            return;
        }
        match name {
            "br" => out.push(if state.plain_breaks { ' ' } else { BREAK }),
            "img" => {
                if let Some(image) = self.image(element) {
                    out.push_str(&image);
                }
            }
            "strong" | "b" => self.wrapped(element, state, out, Emphasis::Bold),
            "em" | "i" => self.wrapped(element, state, out, Emphasis::Italic),
            "del" | "s" | "strike" => {
                let inner = self.inline_children(element, state);
                out.push_str(&wrap(&inner, "~~"));
            }
            "code" => {
                let code: String = element.text().collect();
                let code = code.replace(['\n', BREAK], " ");
                if !code.trim().is_empty() {
                    let ticks = if code.contains('`') { "`` " } else { "`" };
                    let close = if code.contains('`') { " ``" } else { "`" };
                    out.push_str(&format!("{ticks}{code}{close}"));
                }
            }
            "a" => self.link(element, state, out),
            _ if bold_style(element) => self.wrapped(element, state, out, Emphasis::Bold),
            _ => {
                // A block inside inline text (a `<p>` in a list item or a table cell)
                // is separated from its neighbours by a space.
                let block = is_block(name);
                if block {
                    push_space(out);
                }
                let inner = self.inline_children(element, state);
                out.push_str(&inner);
                if block {
                    push_space(out);
                }
            }
        }
    }

    fn wrapped(
        &mut self,
        element: ElementRef<'_>,
        state: InlineState,
        out: &mut String,
        emphasis: Emphasis,
    ) {
        let (already, marker) = match emphasis {
            Emphasis::Bold => (state.bold || state.heading, "**"),
            Emphasis::Italic => (state.italic, "*"),
        };
        let inner_state = match emphasis {
            Emphasis::Bold => InlineState {
                bold: true,
                ..state
            },
            Emphasis::Italic => InlineState {
                italic: true,
                ..state
            },
        };
        let inner = self.inline_children(element, inner_state);
        if already {
            out.push_str(&inner);
        } else {
            out.push_str(&wrap(&inner, marker));
        }
    }

    fn link(&mut self, element: ElementRef<'_>, state: InlineState, out: &mut String) {
        let inner = self.inline_children(element, state);
        let href = element.attr("href").map(str::trim).unwrap_or("");
        let usable = href.starts_with("http://")
            || href.starts_with("https://")
            || href.starts_with("mailto:");
        if !usable || inner.trim().is_empty() {
            out.push_str(&inner);
            return;
        }
        let url = clean_link(href);
        let url = if url.contains([' ', '(', ')', '<', '>']) {
            format!(
                "<{}>",
                url.replace(' ', "%20")
                    .replace('<', "%3C")
                    .replace('>', "%3E")
            )
        } else {
            url
        };
        let (lead, text, trail) = split_space(&inner);
        out.push_str(lead);
        out.push_str(&format!("[{text}]({url})"));
        out.push_str(trail);
    }

    fn image(&mut self, element: ElementRef<'_>) -> Option<String> {
        let usable = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| {
                    !v.is_empty()
                        && !v.starts_with("data:")
                        && !v.to_ascii_lowercase().ends_with(".svg")
                })
                .map(str::to_string)
        };
        let input = ImageInput {
            src: usable(element.attr("src")),
            data_src: usable(element.attr("data-src")),
        };
        if input.src.is_none() && input.data_src.is_none() {
            return None;
        }
        // Ornaments: the editors' tiny icons and dots (WeChat writes a photo's
        // width as `data-w`).
        let width = element
            .attr("data-w")
            .or(element.attr("width"))
            .and_then(|w| w.trim().trim_end_matches("px").parse::<f64>().ok());
        if width.is_some_and(|w| w > 0.0 && w < 60.0) {
            return None;
        }
        if element
            .attr("data-type")
            .is_some_and(|t| t.eq_ignore_ascii_case("svg"))
        {
            return None;
        }
        let destination = (self.image)(&input)?;
        let alt = element.attr("alt").map(str::trim).unwrap_or("");
        let alt = if matches!(alt, "图片" | "Image" | "image" | "img") {
            ""
        } else {
            alt
        };
        let mut escaped = String::new();
        push_text(&mut escaped, alt);
        let destination = if destination.contains([' ', '(', ')']) {
            format!("<{destination}>")
        } else {
            destination
        };
        Some(format!("![{}]({destination})", escaped.trim()))
    }

    fn list(&mut self, element: ElementRef<'_>, indent: usize) -> String {
        let ordered = element.value().name() == "ol";
        let mut number = element
            .attr("start")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or(1);
        let mut lines = Vec::new();
        for item in element.child_elements() {
            if item.value().name() != "li" || hidden(item) {
                continue;
            }
            let mut text = String::new();
            let mut nested = Vec::new();
            for child in item.children() {
                match child.value() {
                    Node::Text(t) => push_text(&mut text, t),
                    Node::Element(e) if matches!(e.name(), "ul" | "ol") => nested.push(child),
                    Node::Element(_) => {
                        let child = ElementRef::wrap(child).expect("an element");
                        self.inline_element(child, InlineState::default(), &mut text);
                    }
                    _ => {}
                }
            }
            let text = finish_paragraph(&text).join(" ");
            let marker = if ordered {
                format!("{number}. ")
            } else {
                "- ".to_string()
            };
            number += 1;
            let mut sub = Vec::new();
            for list in nested {
                let list = ElementRef::wrap(list).expect("an element");
                let inner = self.list(list, indent + marker.len());
                if !inner.is_empty() {
                    sub.push(inner);
                }
            }
            if text.is_empty() && sub.is_empty() {
                continue;
            }
            let pad = " ".repeat(indent);
            let text = text.replace("\\\n", &format!("\\\n{pad}{}", " ".repeat(marker.len())));
            lines.push(format!("{pad}{marker}{text}").trim_end().to_string());
            lines.extend(sub);
        }
        lines.join("\n")
    }

    fn table(&mut self, table: ElementRef<'_>) -> Vec<String> {
        let rows: Vec<ElementRef<'_>> = table
            .descendent_elements()
            .filter(|e| e.value().name() == "tr")
            .filter(|row| {
                // Only this table's rows, not those of a table inside a cell.
                row.ancestors()
                    .filter_map(ElementRef::wrap)
                    .find(|a| a.value().name() == "table")
                    .is_some_and(|t| t.id() == table.id())
            })
            .collect();
        fn cells_of<'a>(row: &ElementRef<'a>) -> Vec<ElementRef<'a>> {
            row.child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .collect()
        }
        // A table of one column is layout (editors frame a photo or a box
        // with it): its cells are read as boxes.
        let columns = rows.iter().map(|r| cells_of(r).len()).max().unwrap_or(0);
        if columns <= 1 {
            return rows
                .iter()
                .flat_map(cells_of)
                .flat_map(|cell| self.blocks(cell))
                .collect();
        }
        let state = InlineState {
            plain_breaks: true,
            ..InlineState::default()
        };
        let mut grid: Vec<Vec<String>> = Vec::new();
        for row in &rows {
            let mut cells = Vec::new();
            for cell in cells_of(row) {
                let text = finish_line(&self.inline_children(cell, state));
                let span = cell
                    .attr("colspan")
                    .and_then(|s| s.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, columns);
                cells.push(text);
                cells.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            if cells.iter().any(|c| !c.is_empty()) {
                grid.push(cells);
            }
        }
        if grid.is_empty() {
            return Vec::new();
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        let line = |cells: &[String]| {
            let mut text = String::from("|");
            for i in 0..width {
                text.push(' ');
                text.push_str(cells.get(i).map_or("", String::as_str));
                text.push_str(" |");
            }
            text
        };
        let mut lines = vec![line(&grid[0])];
        lines.push(format!("|{}", " --- |".repeat(width)));
        lines.extend(grid[1..].iter().map(|cells| line(cells)));
        vec![lines.join("\n")]
    }
}

#[derive(Clone, Copy)]
enum Emphasis {
    Bold,
    Italic,
}

/// Text of the page, whitespace collapsed and Markdown's own characters escaped.
fn push_text(out: &mut String, text: &str) {
    let mut last_space = out.ends_with(' ');
    for c in text.chars() {
        match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{E000}' => {}
            ' ' | '\t' | '\n' | '\r' | '\u{0C}' => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
                continue;
            }
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        last_space = false;
    }
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', BREAK]) {
        out.push(' ');
    }
}

/// Leading space, the rest, trailing space (spaces include `&nbsp;` and `　`).
fn split_space(text: &str) -> (&str, &str, &str) {
    let trimmed_start = text.trim_start_matches(is_space);
    let lead = &text[..text.len() - trimmed_start.len()];
    let middle = trimmed_start.trim_end_matches(is_space);
    let trail = &trimmed_start[middle.len()..];
    (lead, middle, trail)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == BREAK
}

/// `**text**` around each line of the text, with its spaces outside the markers.
fn wrap(inner: &str, marker: &str) -> String {
    inner
        .split(BREAK)
        .map(|piece| {
            let (lead, middle, trail) = split_space(piece);
            if middle.is_empty() {
                piece.to_string()
            } else {
                format!("{lead}{marker}{middle}{marker}{trail}")
            }
        })
        .collect::<Vec<_>>()
        .join(&BREAK.to_string())
}

/// The paragraphs of inline text: two breaks in a row end a paragraph, one is
/// a line break. Empty ones are dropped.
fn finish_paragraph(inline: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in inline.split(BREAK) {
        let line = tidy_line(line);
        if line.is_empty() {
            if !lines.is_empty() {
                paragraphs.push(std::mem::take(&mut lines));
            }
            continue;
        }
        lines.push(escape_line_start(&line));
    }
    if !lines.is_empty() {
        paragraphs.push(lines);
    }
    paragraphs
        .into_iter()
        .map(|lines| lines.join("\\\n"))
        .collect()
}

/// One line (a heading, a table cell): breaks become spaces.
fn finish_line(inline: &str) -> String {
    let line = tidy_line(&inline.replace(BREAK, " "));
    let mut collapsed = String::with_capacity(line.len());
    for c in line.chars() {
        if c == ' ' && collapsed.ends_with(' ') {
            continue;
        }
        collapsed.push(c);
    }
    collapsed
}

/// Spaces at the ends (an indent of `&nbsp;` or `　` included) trimmed, others
/// made plain, and bold pieces that touch joined (`**a****b**` → `**ab**`).
fn tidy_line(line: &str) -> String {
    let line = line
        .trim_matches(char::is_whitespace)
        .replace('\u{A0}', " ");
    let mut line = line.replace("****", "");
    // A bold piece that was only spaces leaves `** **`; drop the markers.
    while let Some(at) = line.find("** **") {
        line.replace_range(at..at + 5, " ");
    }
    line
}

/// A line that Markdown would read as a heading, a list item or a quote is escaped.
fn escape_line_start(line: &str) -> String {
    let first = line.chars().next().unwrap_or(' ');
    let second = line.chars().nth(1);
    match first {
        '#' | '>' | '=' => format!("\\{line}"),
        '-' | '+' if matches!(second, Some(' ') | None) || line.chars().all(|c| c == '-') => {
            format!("\\{line}")
        }
        '0'..='9' => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let rest = &line[digits..];
            if (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
                && digits <= 9
            {
                format!("{}\\{}", &line[..digits], rest)
            } else {
                line.to_string()
            }
        }
        _ => line.to_string(),
    }
}

fn flush(inline: &mut String, out: &mut Vec<String>) {
    out.extend(finish_paragraph(inline));
    inline.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn md(body: &str) -> String {
        let html = Html::parse_document(&format!(
            "<html><body><div id=\"js_content\">{body}</div></body></html>"
        ));
        let selector = Selector::parse("#js_content").unwrap();
        let root = html.select(&selector).next().unwrap();
        let mut images = 0;
        convert(root, &mut |input: &ImageInput| {
            images += 1;
            input.src.clone().or(input.data_src.clone())
        })
        .markdown
    }

    #[test]
    fn nested_editor_sections_become_plain_paragraphs() {
        let body = r#"<section style="margin: 10px; padding: 0 8px;"><section style="border-left: 3px solid #c00;">
            <section style="width: 12px; height: 12px; background: #c00;"></section>
            <p style="text-indent: 2em;"><span style="font-size: 15px; color: #333;">&nbsp;&nbsp;5月18日上午，社区志愿者来到小区。</span></p>
            <section><section style="display: inline-block;"><p><br></p></section></section>
            <p><span>大家一起清理楼道。</span></p></section></section>"#;
        assert_eq!(
            md(body),
            "5月18日上午，社区志愿者来到小区。\n\n大家一起清理楼道。\n"
        );
    }

    #[test]
    fn bold_pieces_join_and_spaces_stay_outside() {
        let body = r#"<p><strong><span>活动</span></strong><strong><span>时间：</span></strong>5月18日</p>
            <p><span style="font-weight: bold;"> 地点 </span>党群服务中心</p>
            <p><strong> </strong>没有粗体</p>"#;
        assert_eq!(
            md(body),
            "**活动时间：**5月18日\n\n**地点** 党群服务中心\n\n没有粗体\n"
        );
    }

    #[test]
    fn headings_lists_and_quotes() {
        let body = r#"<h1>一、<strong>活动回顾</strong></h1>
            <ul><li><p>清理楼道</p></li><li>义诊<ul><li>量血压</li></ul></li><li></li></ul>
            <ol start="3"><li>第三项</li></ol>
            <blockquote><p>志愿服务，你我同行。</p></blockquote><hr>"#;
        assert_eq!(
            md(body),
            "## 一、活动回顾\n\n- 清理楼道\n- 义诊\n  - 量血压\n\n3. 第三项\n\n> 志愿服务，你我同行。\n\n***\n"
        );
    }

    #[test]
    fn tables_keep_their_rows_and_layout_tables_do_not() {
        let body = r#"<table><tbody><tr><th>项目</th><th>人数</th></tr>
            <tr><td><p>义诊</p></td><td>36<br>人</td></tr><tr><td colspan="2">合计 a|b</td></tr></tbody></table>
            <table><tr><td><p>一格的表格只是边框</p></td></tr></table>"#;
        assert_eq!(
            md(body),
            "| 项目 | 人数 |\n| --- | --- |\n| 义诊 | 36 人 |\n| 合计 a\\|b |  |\n\n一格的表格只是边框\n"
        );
    }

    #[test]
    fn images_links_and_ornaments() {
        let body = r#"<p><img data-src="https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg" src="data:image/svg+xml,x" alt="图片"></p>
            <p><img src="p_files/dot.png" data-w="16"></p>
            <svg><text>装饰</text></svg>
            <p>详见<a href="https://mp.weixin.qq.com/s?__biz=MzA&amp;mid=1&amp;idx=1&amp;sn=abc&amp;chksm=xyz&amp;scene=21#wechat_redirect">往期回顾</a>。</p>
            <p><a href="javascript:;">无效链接</a></p><script>var a = 1;</script><iframe class="video_iframe" data-src="v"></iframe>"#;
        assert_eq!(
            md(body),
            "![](https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg)\n\n详见[往期回顾](https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1&sn=abc)。\n\n无效链接\n"
        );
    }

    #[test]
    fn markdown_characters_in_text_are_escaped() {
        let body = "<p># 不是标题</p><p>1. 不是列表</p><p>- 也不是</p><p>a*b*c [x] &lt;b&gt;</p><p>第一行<br>第二行</p>";
        assert_eq!(
            md(body),
            "\\# 不是标题\n\n1\\. 不是列表\n\n\\- 也不是\n\na\\*b\\*c \\[x\\] \\<b>\n\n第一行\\\n第二行\n"
        );
    }

    #[test]
    fn hidden_and_empty_content_is_dropped() {
        let body = r#"<section style="display:none">隐藏</section><p>&nbsp;</p><p>　</p><section><span>&#8203;</span></section><p>正文</p>"#;
        assert_eq!(md(body), "正文\n");
    }
}
