//! A member office's `rss.xml` (streetpress writes full articles into its
//! feeds): the title, link, date, category and text of each item, for the
//! portal's merged list of latest articles and its search.
//!
//! quick-xml reads it as a stream of events: the feed is RSS 2.0 as the
//! office's streetpress wrote it, so a full feed library would add nothing.

use chrono::{DateTime, FixedOffset};
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::diagnostics::Diagnostic;

/// One article of a member's feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedArticle {
    pub title: String,
    /// The article's page on the office's own site.
    pub link: String,
    pub date: DateTime<FixedOffset>,
    pub category: String,
    pub summary: String,
    /// The article's text without markup, for the search index.
    pub text: String,
}

#[derive(Default)]
struct Item {
    title: String,
    link: String,
    date: String,
    category: String,
    summary: String,
    content: String,
}

/// The items of `text`, the feed of member `member` (shown as `file`).
pub fn read(member: &str, file: &str, text: &str) -> Result<Vec<FeedArticle>, Diagnostic> {
    let broken = |position: u64, reason: String| {
        let (line, column) = crate::diagnostics::line_col(text, position as usize);
        Diagnostic::error(
            file,
            line,
            column,
            format!("成员“{member}”的 rss.xml 读不懂（{reason}）"),
        )
        .with_hint("可能没有下载完整，或不是 streetpress 生成的文件；请该街道重新生成网站后再试")
    };
    let mut reader = Reader::from_str(text);
    let mut items = Vec::new();
    let mut current: Option<Item> = None;
    let mut field: Option<String> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| broken(position, e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = start.name().as_ref().to_string();
                if name == "item" {
                    current = Some(Item::default());
                } else if current.is_some() {
                    field = Some(name);
                }
            }
            Event::End(end) => {
                if end.name().as_ref() == "item" {
                    if let Some(item) = current.take() {
                        items.push((position, item));
                    }
                }
                field = None;
            }
            Event::Text(text_event) => {
                if let (Some(item), Some(name)) = (current.as_mut(), field.as_deref()) {
                    item.push(name, &text_event.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let (Some(item), Some(name)) = (current.as_mut(), field.as_deref()) {
                    let entity: &str = reference.as_ref();
                    let resolved = resolve_entity(entity)
                        .ok_or_else(|| broken(position, format!("不认识的实体 &{entity};")))?;
                    item.push(name, &resolved);
                }
            }
            Event::CData(cdata) => {
                if let (Some(item), Some(name)) = (current.as_mut(), field.as_deref()) {
                    item.push(name, &cdata.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if current.is_some() {
        return Err(broken(text.len() as u64, "文件在一篇文章中间结束了".into()));
    }
    items
        .into_iter()
        .map(|(position, item)| {
            let date = DateTime::parse_from_rfc2822(item.date.trim()).map_err(|_| {
                broken(
                    position,
                    format!("文章“{}”的发布时间“{}”不对", item.title, item.date),
                )
            })?;
            if item.link.trim().is_empty() {
                return Err(broken(position, format!("文章“{}”没有链接", item.title)));
            }
            Ok(FeedArticle {
                text: crate::search::text::html_to_text(&item.content),
                title: item.title.trim().to_string(),
                link: item.link.trim().to_string(),
                date,
                category: item.category.trim().to_string(),
                summary: item.summary.trim().to_string(),
            })
        })
        .collect()
}

impl Item {
    fn push(&mut self, field: &str, text: &str) {
        let target = match field {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "pubDate" => &mut self.date,
            "category" => &mut self.category,
            "description" => &mut self.summary,
            "content:encoded" => &mut self.content,
            _ => return,
        };
        target.push_str(text);
    }
}

fn resolve_entity(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number
            .strip_prefix('x')
            .or_else(|| number.strip_prefix('X'))
        {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    quick_xml::escape::resolve_predefined_entity(name).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>洸河街道</title>
<item>
<title>“敲门行动”走进&lt;老旧&gt;小区 &amp; 楼院</title>
<link>https://example.gov.cn/guanghe/articles/2025/06/qiao-men/</link>
<pubDate>Fri, 20 Jun 2025 09:30:00 +0800</pubDate>
<category>志愿服务</category>
<description>志愿者上门。</description>
<content:encoded>&lt;p&gt;志愿者&lt;strong&gt;上门&lt;/strong&gt;服务。&lt;/p&gt;</content:encoded>
</item>
</channel>
</rss>
"#;

    #[test]
    fn reads_the_items_of_a_streetpress_feed() {
        let items = read("洸河街道", "rss.xml", FEED).expect("feed");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].title, "“敲门行动”走进<老旧>小区 & 楼院");
        assert_eq!(items[0].category, "志愿服务");
        assert_eq!(items[0].date.to_rfc3339(), "2025-06-20T09:30:00+08:00");
        assert!(
            items[0].text.contains("志愿者上门服务"),
            "{}",
            items[0].text
        );
    }

    #[test]
    fn a_feed_cut_short_is_an_error_naming_the_member() {
        let cut = &FEED[..FEED.find("<category>").unwrap()];
        let problem = read("洸河街道", "rss.xml", cut).unwrap_err();
        assert!(problem.message.contains("洸河街道"), "{}", problem.message);
    }
}
