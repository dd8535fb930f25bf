//! The plain text of a rendered body, as a reader sees it: tags removed,
//! entities decoded, blocks on lines of their own, image descriptions kept.

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "hr",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "section",
];

/// Elements that `data-search="skip"` leaves out of the text, up to their
/// closing tag (so none may hold another element of its own name).
const SKIPPABLE: [&str; 4] = ["a", "h2", "span", "p"];

/// HTML → plain text with one line per block.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skipping: Option<&'static str> = None;
    while let Some(open) = rest.find('<') {
        if skipping.is_none() {
            push_text(&mut out, &rest[..open]);
        }
        let tag_and_rest = &rest[open..];
        let Some(len) = tag_length(tag_and_rest) else {
            if skipping.is_none() {
                push_text(&mut out, tag_and_rest);
            }
            rest = "";
            break;
        };
        let tag = &tag_and_rest[..len];
        rest = &tag_and_rest[len..];
        if tag.starts_with("<!--") {
            continue;
        }
        let closing = tag.starts_with("</");
        // The tag's name, as it is written (compared without regard to case).
        let name = tag.trim_start_matches(['<', '/']);
        let name = &name[..name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        if let Some(skipped) = skipping {
            if closing && is(skipped) {
                skipping = None;
            }
            continue;
        }
        if is("script") && !closing {
            skipping = Some("script");
        } else if !closing && attribute(tag, "data-search") == Some("skip") {
            // Words the page adds around the text (the footnotes' heading,
            // "back to the text"): not what anyone searches for.
            skipping = SKIPPABLE.iter().copied().find(|wanted| is(wanted));
        } else if is("style") && !closing {
            skipping = Some("style");
        } else if is("img") {
            if let Some(alt) = attribute(tag, "alt") {
                new_line(&mut out);
                push_text(&mut out, alt);
                new_line(&mut out);
            }
        } else if BLOCKS.iter().any(|block| is(block)) {
            new_line(&mut out);
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

/// The length of the tag at the start of `text`, quotes respected.
fn tag_length(text: &str) -> Option<usize> {
    if text.starts_with("<!--") {
        return text.find("-->").map(|end| end + 3);
    }
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = tag.find(&format!(" {name}=\""))?;
    let value = &tag[at + name.len() + 3..];
    value.find('"').map(|end| &value[..end])
}

fn new_line(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\n']).len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push('\n');
    }
}

/// Appends text with entities decoded and runs of white space made one space.
fn push_text(out: &mut String, text: &str) {
    let decoded = decode_entities(text);
    let mut rest: &str = &decoded;
    // A run of text at a time, rather than a character at a time.
    while !rest.is_empty() {
        let run = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        if rest.is_empty() {
            break;
        }
        if !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        rest = rest.trim_start_matches(char::is_whitespace);
    }
}

fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&after[..e]));
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.into()
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "mdash" => Some('—'),
        "hellip" => Some('…'),
        "middot" => Some('·'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines() {
        let html = "<h2 id=\"a\">一、活动安排</h2>\n<p>社区<strong>志愿者</strong>走进小区，\n帮助老人。</p>\n<ul>\n<li>义诊</li>\n<li>理发</li>\n</ul>\n";
        assert_eq!(
            html_to_text(html),
            "一、活动安排\n社区志愿者走进小区， 帮助老人。\n义诊\n理发"
        );
    }

    #[test]
    fn entities_images_and_scripts() {
        let html = "<p>A &amp; B &lt;反诈&gt; &#20013;&#x6587; &unknown; a&b</p><p><img src=\"a.jpg\" alt=\"志愿者在义诊\" /></p><script>var x = '<p>';</script><p>完</p>";
        assert_eq!(
            html_to_text(html),
            "A & B <反诈> 中文 &unknown; a&b\n志愿者在义诊\n完"
        );
    }

    #[test]
    fn words_marked_for_the_page_only_are_left_out() {
        let html = "<p>正文<sup><a href=\"#fn-1\">1</a></sup></p><section><h2 data-search=\"skip\">注释</h2><ol><li><p>资料来源 <a data-search=\"skip\" href=\"#r\">↩ 返回正文</a></p></li></ol></section>";
        let text = html_to_text(html);
        assert!(text.contains("资料来源"), "{text}");
        assert!(
            !text.contains("注释") && !text.contains("返回正文"),
            "{text}"
        );
    }

    #[test]
    fn comments_and_quoted_brackets() {
        assert_eq!(
            html_to_text("<p title=\"a>b\">正文<!-- <p>注释</p> -->内容</p>"),
            "正文内容"
        );
    }
}
