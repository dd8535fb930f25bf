//! Honoured residents (身边好人, SPEC section 4).

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::Fields;
use super::front_matter;
use super::ContentFile;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Serialize)]
pub struct Honor {
    pub title: String,
    pub year: i32,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub path: std::path::PathBuf,
    pub rel: String,
    pub shown: String,
    pub name: String,
    pub honors: Vec<Honor>,
    pub community: Option<String>,
    /// Relative to `content/`.
    pub photo: Option<String>,
    pub summary: String,
    pub slug: String,
    pub url_path: String,
    pub extra: Map<String, Value>,
    pub body_line: usize,
}

pub fn load(
    file: &ContentFile,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Option<Person> {
    let split = front_matter::split(&file.shown, text)
        .map_err(|p| problems.push(p))
        .ok()?;
    let map = front_matter::parse_mapping(&file.shown, &split)
        .map_err(|mut e| problems.append(&mut e))
        .ok()?;
    let mut fields = Fields::new(map, &file.shown, split.yaml, split.yaml_line);
    let name = fields.required_string("name", "姓名");
    let honors = honors(&mut fields);
    let community = fields.string("community");
    let photo = fields
        .string("photo")
        .and_then(|written| super::article::image_path(&mut fields, file, "photo", &written));
    let summary_field = fields.string("summary");
    let slug_field = fields.string("slug");
    let (extra, mut field_problems) = fields.into_rest();
    problems.append(&mut field_problems);
    let name = name?;
    let slug = crate::slug::derive(slug_field.as_deref(), file.stem(), &name);
    Some(Person {
        path: file.path.clone(),
        rel: file.rel.clone(),
        shown: file.shown.clone(),
        url_path: format!("people/{slug}/"),
        summary: summary_field
            .unwrap_or_else(|| crate::markdown::plain_summary(split.body, config.summary_length)),
        slug,
        name,
        honors,
        community,
        photo,
        extra,
        body_line: split.body_line,
    })
}

fn honors(fields: &mut Fields<'_>) -> Vec<Honor> {
    let Some(value) = fields.take("honors") else {
        return Vec::new();
    };
    let hint = "写成列表，例如：\n    honors:\n      - { title: 区级好人, year: 2023 }";
    let Value::Array(items) = value else {
        fields.error(
            "honors",
            "“honors”（荣誉）应该是一个列表",
            Some(hint.into()),
        );
        return Vec::new();
    };
    let mut honors = Vec::new();
    for item in items {
        let title = item.get("title").and_then(|t| {
            t.as_str()
                .map(str::to_string)
                .or_else(|| t.as_i64().map(|n| n.to_string()))
        });
        let year = item.get("year").and_then(|y| match y {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => {
                super::numbers::parse_count(s.trim_end_matches('年')).map(|n| n as i64)
            }
            _ => None,
        });
        match (title, year) {
            (Some(title), Some(year)) if (1900..=2200).contains(&year) => honors.push(Honor {
                title,
                year: year as i32,
            }),
            _ => fields.error(
                "honors",
                format!("荣誉 {item} 要写明称号 title 和年份 year"),
                Some(hint.into()),
            ),
        }
    }
    honors
}
