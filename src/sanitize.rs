//! Raw HTML in Markdown, made safe to publish. Staff paste HTML from WeChat
//! editors (秀米, 135编辑器) and Word: the formatting that matters stays
//! (paragraphs, bold, colour, tables, images, sections); everything that can
//! run or leak goes (scripts, event handlers, `javascript:` and non-image
//! `data:` URLs, forms, iframes not on the site's allow-list, styles that
//! position content over the page). Articles without raw HTML skip this.

use std::borrow::Cow;

use ammonia::Builder;

/// CSS properties that format text and boxes; nothing that can move content
/// out of its place (`position`, `z-index`, `top`, `transform`, …).
const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "font-size",
    "font-family",
    "text-align",
    "text-decoration",
    "text-indent",
    "line-height",
    "letter-spacing",
    "vertical-align",
    "white-space",
    "margin",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "padding",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "border",
    "border-top",
    "border-bottom",
    "border-left",
    "border-right",
    "border-color",
    "border-style",
    "border-width",
    "border-radius",
    "border-collapse",
    "width",
    "max-width",
    "height",
    "display",
];

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "iframe",
];

const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "style",
    "title",
    "lang",
    "dir",
    "align",
    "aria-label",
    "aria-hidden",
    "role",
];

pub struct Sanitizer {
    builder: Builder<'static>,
    allows_iframes: bool,
}

impl Sanitizer {
    /// `iframe_hosts`: hosts whose players may be embedded (for example a video site).
    pub fn new(iframe_hosts: &[String]) -> Sanitizer {
        let hosts: Vec<String> = iframe_hosts
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        let mut builder = Builder::empty();
        builder
            .tags(TAGS.iter().copied().collect())
            .clean_content_tags(
                [
                    "script", "style", "template", "noscript", "object", "embed", "form",
                    "textarea", "select", "button",
                ]
                .into_iter()
                .collect(),
            )
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .add_tag_attributes("a", ["href", "name", "target"])
            .add_tag_attributes(
                "img",
                [
                    "src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding",
                ],
            )
            .add_tag_attributes("source", ["srcset", "sizes", "type", "media"])
            .add_tag_attributes("td", ["colspan", "rowspan", "width", "valign"])
            .add_tag_attributes("th", ["colspan", "rowspan", "width", "valign", "scope"])
            .add_tag_attributes("col", ["span", "width"])
            .add_tag_attributes("table", ["width", "border", "cellpadding", "cellspacing"])
            .add_tag_attributes("ol", ["start", "type"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("font", ["color", "size", "face"])
            .add_tag_attributes("time", ["datetime"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes(
                "iframe",
                [
                    "src",
                    "width",
                    "height",
                    "allowfullscreen",
                    "frameborder",
                    "title",
                ],
            )
            .set_tag_attribute_value(
                "iframe",
                "sandbox",
                "allow-scripts allow-same-origin allow-presentation",
            )
            .set_tag_attribute_value("iframe", "loading", "lazy")
            .url_schemes(
                ["http", "https", "mailto", "tel", "data"]
                    .into_iter()
                    .collect(),
            )
            .link_rel(Some("noopener"))
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .attribute_filter(move |element, attribute, value| {
                filter_attribute(&hosts, element, attribute, value)
            });
        Sanitizer {
            builder,
            allows_iframes: !iframe_hosts.is_empty(),
        }
    }

    /// Cleans an HTML fragment.
    pub fn clean(&self, html: &str) -> String {
        let cleaned = self.builder.clean(html).to_string();
        remove_empty_iframes(cleaned, self.allows_iframes)
    }
}

fn filter_attribute<'u>(
    hosts: &[String],
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<Cow<'u, str>> {
    let lowered = value.trim().to_ascii_lowercase();
    match (element, attribute) {
        // Pictures may be inline data; nothing else may (data:text/html runs code).
        ("img", "src") if lowered.starts_with("data:") => lowered
            .starts_with("data:image/")
            .then_some(Cow::Borrowed(value)),
        (_, "src" | "href" | "srcset") if lowered.starts_with("data:") => None,
        ("iframe", "src") => iframe_allowed(hosts, &lowered).then_some(Cow::Borrowed(value)),
        ("input", "type") => (lowered == "checkbox").then_some(Cow::Borrowed(value)),
        ("a", "target") => (lowered == "_blank").then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

fn iframe_allowed(hosts: &[String], src: &str) -> bool {
    let Ok(url) = url::Url::parse(src) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    url.scheme() == "https"
        && hosts
            .iter()
            .any(|allowed| host == allowed || host.ends_with(&format!(".{allowed}")))
}

/// An iframe whose address was removed is an empty box; drop it.
fn remove_empty_iframes(html: String, allows_iframes: bool) -> String {
    if !html.contains("<iframe") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<iframe") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after
            .find("</iframe>")
            .map_or(after.len(), |e| e + "</iframe>".len());
        let element = &after[..end];
        let tag_end = element.find('>').unwrap_or(element.len());
        if allows_iframes && element[..tag_end].contains(" src=") {
            out.push_str(element);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        Sanitizer::new(&["player.bilibili.com".to_string()]).clean(html)
    }

    #[test]
    fn keeps_the_formatting_of_wechat_editors() {
        let html = r#"<section style="text-align:center;color:rgb(255,0,0)"><p><strong>标题</strong></p><img src="a.jpg" alt="图"></section>"#;
        let out = clean(html);
        assert!(
            out.contains("<section style=\"text-align:center;color:rgb(255, 0, 0)\">"),
            "{out}"
        );
        assert!(
            out.contains("<strong>标题</strong>") && out.contains("<img src=\"a.jpg\" alt=\"图\">"),
            "{out}"
        );
    }

    #[test]
    fn removes_what_can_run() {
        let out = clean(
            r#"<p onclick="steal()">文字</p><script>alert(1)</script><a href="javascript:alert(1)">链接</a><form action="x"><input type="password"></form>"#,
        );
        assert_eq!(out, "<p>文字</p><a rel=\"noopener\">链接</a>");
    }

    #[test]
    fn data_urls_only_for_images() {
        let out = clean(
            r#"<img src="data:image/png;base64,AAAA" alt=""><a href="data:text/html,<script>x</script>">x</a><img src="data:text/html,x">"#,
        );
        assert!(
            out.contains("<img src=\"data:image/png;base64,AAAA\""),
            "{out}"
        );
        assert!(!out.contains("data:text"), "{out}");
    }

    #[test]
    fn styles_cannot_position_content_over_the_page() {
        let out = clean(
            r#"<div style="position:fixed;top:0;left:0;z-index:9999;color:red">假通知</div>"#,
        );
        assert_eq!(out, "<div style=\"color:red\">假通知</div>");
    }

    #[test]
    fn iframes_only_from_allowed_hosts() {
        let out = clean(
            r#"<iframe src="https://player.bilibili.com/player.html?bvid=1"></iframe><iframe src="https://evil.example/x"></iframe>"#,
        );
        assert!(out.contains("player.bilibili.com"), "{out}");
        assert!(!out.contains("evil"), "{out}");
        assert_eq!(out.matches("<iframe").count(), 1);
        assert!(Sanitizer::new(&[])
            .clean(r#"<iframe src="https://player.bilibili.com/x"></iframe>"#)
            .is_empty());
    }
}
