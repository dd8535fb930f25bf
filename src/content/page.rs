//! Standalone pages (关于我们, 联系方式) published at `/<slug>/`.

use serde_json::{Map, Value};

use super::fields::Fields;
use super::front_matter;
use super::ContentFile;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct Page {
    pub path: std::path::PathBuf,
    pub rel: String,
    pub shown: String,
    pub title: String,
    pub slug: String,
    pub url_path: String,
    pub summary: String,
    pub extra: Map<String, Value>,
    pub body_line: usize,
}

pub fn load(
    file: &ContentFile,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let split = front_matter::split(&file.shown, text)
        .map_err(|p| problems.push(p))
        .ok()?;
    let map = front_matter::parse_mapping(&file.shown, &split)
        .map_err(|mut e| problems.append(&mut e))
        .ok()?;
    let mut fields = Fields::new(map, &file.shown, split.yaml, split.yaml_line);
    let title = fields.required_string("title", "标题");
    let slug_field = fields.string("slug");
    let summary_field = fields.string("summary");
    let (extra, mut field_problems) = fields.into_rest();
    problems.append(&mut field_problems);
    let title = title?;
    let slug = crate::slug::derive(slug_field.as_deref(), file.stem(), &title);
    Some(Page {
        path: file.path.clone(),
        rel: file.rel.clone(),
        shown: file.shown.clone(),
        url_path: format!("{slug}/"),
        summary: summary_field
            .unwrap_or_else(|| crate::markdown::plain_summary(split.body, config.summary_length)),
        title,
        slug,
        extra,
        body_line: split.body_line,
    })
}
