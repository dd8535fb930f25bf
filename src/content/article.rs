//! News articles: Markdown with front matter (SPEC section 2).

use chrono::{DateTime, Datelike, FixedOffset};
use serde_json::{Map, Value};

use super::fields::Fields;
use super::front_matter;
use super::ContentFile;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, ReadingStats};

#[derive(Debug, Clone)]
pub struct Article {
    pub path: std::path::PathBuf,
    /// Relative to `content/`.
    pub rel: String,
    /// Relative to the site root, for messages.
    pub shown: String,
    /// The bundle folder (relative to `content/`) for `articles/<name>/index.md`.
    pub bundle: Option<String>,
    pub title: String,
    /// In the site's time zone.
    pub date: DateTime<FixedOffset>,
    /// Index into `SiteConfig::categories`.
    pub category: usize,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub outlets: Vec<String>,
    pub editor: Option<String>,
    pub community: Option<String>,
    pub grid: Option<String>,
    pub tags: Vec<String>,
    pub reads: Option<u64>,
    /// The cover image, relative to `content/`.
    pub cover: Option<String>,
    /// Plain text.
    pub summary: String,
    pub slug: String,
    /// Site path such as `articles/2024/03/slug/`.
    pub url_path: String,
    pub draft: bool,
    pub extra: Map<String, Value>,
    pub reading: ReadingStats,
    /// The line of the file where the body starts.
    pub body_line: usize,
    /// Whether the body may hold an image (`![`), so that the image
    /// pipeline need not read it again when it holds none.
    pub body_has_images: bool,
}

impl Article {
    /// Whether `other` is this article with, at most, another body: every
    /// field its front matter and file give is the same, so the site built
    /// around it (order, lists, indexes, tally) is the same. Written out
    /// field by field so that a new field must be placed on one side.
    pub fn same_but_body(&self, other: &Article) -> bool {
        let Article {
            path,
            rel,
            shown,
            bundle,
            title,
            date,
            category,
            authors,
            source,
            outlets,
            editor,
            community,
            grid,
            tags,
            reads,
            cover,
            summary: _,
            slug,
            url_path,
            draft,
            extra,
            reading: _,
            body_line: _,
            body_has_images: _,
        } = self;
        *path == other.path
            && *rel == other.rel
            && *shown == other.shown
            && *bundle == other.bundle
            && *title == other.title
            && *date == other.date
            && *category == other.category
            && *authors == other.authors
            && *source == other.source
            && *outlets == other.outlets
            && *editor == other.editor
            && *community == other.community
            && *grid == other.grid
            && *tags == other.tags
            && *reads == other.reads
            && *cover == other.cover
            && *slug == other.slug
            && *url_path == other.url_path
            && *draft == other.draft
            && *extra == other.extra
    }

    /// Whether `other` is this article with, at most, another title and
    /// another body. Its title places an article nowhere on the site, but
    /// a read count may name it (see `Site::assemble`).
    pub fn same_but_title_and_body(&self, other: &Article) -> bool {
        let mut retitled = other.clone();
        retitled.title.clone_from(&self.title);
        self.same_but_body(&retitled)
    }

    /// Whether `other` is this article with, at most, another title, body,
    /// category, or credits (authors, editor, source, outlets). None of
    /// these moves it in the site's order or in a list of tags, communities
    /// or months; its category moves it from one category's list to
    /// another's, which `serve` does in place (see `Site::recategorise`).
    pub fn same_but_credits_category_title_and_body(&self, other: &Article) -> bool {
        let mut moved = other.clone();
        moved.take_credits_and_category_from(self);
        self.same_but_title_and_body(&moved)
    }

    /// Takes the category and the credits of `other`, the same article read again.
    pub fn take_credits_and_category_from(&mut self, other: &Article) {
        self.category = other.category;
        self.authors.clone_from(&other.authors);
        self.editor.clone_from(&other.editor);
        self.source.clone_from(&other.source);
        self.outlets.clone_from(&other.outlets);
    }

    /// Takes what the body gives (summary, reading figures, where it
    /// starts, whether it may hold images) from `other`, the same article
    /// read again.
    pub fn take_body_from(&mut self, other: &Article) {
        self.summary.clone_from(&other.summary);
        self.reading = other.reading;
        self.body_line = other.body_line;
        self.body_has_images = other.body_has_images;
    }
}

pub fn load(
    file: &ContentFile,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let split = match front_matter::split(&file.shown, text) {
        Ok(split) => split,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    let map = match front_matter::parse_mapping(&file.shown, &split) {
        Ok(map) => map,
        Err(mut errors) => {
            problems.append(&mut errors);
            return None;
        }
    };
    let mut fields = Fields::new(map, &file.shown, split.yaml, split.yaml_line);
    let title = fields.required_string("title", "标题");
    let date = match fields.date("date", config.timezone) {
        Some(date) => Some(date.with_timezone(&config.timezone).fixed_offset()),
        None => {
            if !fields.problems.iter().any(|p| p.message.contains("日期")) {
                let (line, _) = fields.position("date");
                fields.problems.push(
                    Diagnostic::error(&file.shown, line, 1, "缺少发布日期（date 字段）")
                        .with_hint("加一行 date: 2024-03-15，也可以带时间 2024-03-15 10:30"),
                );
            }
            None
        }
    };
    let category = category_index(&mut fields, config, "category");
    let authors = fields.string_list("author");
    let source = fields.string("source");
    let outlets = outlet_names(&mut fields, config);
    let editor = fields.string("editor");
    let community = fields.string("community");
    let grid = fields.string("grid");
    let tags = fields.string_list("tags");
    let reads = fields.count("reads", "浏览量");
    let cover = fields
        .string("cover")
        .and_then(|written| image_path(&mut fields, file, "cover", &written));
    let summary_field = fields.string("summary");
    let slug_field = fields.string("slug");
    let draft = fields.flag("draft");
    let (extra, mut field_problems) = fields.into_rest();
    problems.append(&mut field_problems);

    let (title, date, category) = (title?, date?, category?);
    let slug = crate::slug::derive(slug_field.as_deref(), file.stem(), &title);
    let url_path = format!("articles/{:04}/{:02}/{}/", date.year(), date.month(), slug);
    let summary =
        summary_field.unwrap_or_else(|| markdown::plain_summary(split.body, config.summary_length));
    Some(Article {
        path: file.path.clone(),
        rel: file.rel.clone(),
        shown: file.shown.clone(),
        bundle: file
            .bundle_name
            .as_ref()
            .map(|_| file.rel.trim_end_matches("/index.md").to_string()),
        title,
        date,
        category,
        authors,
        source,
        outlets,
        editor,
        community,
        grid,
        tags,
        reads,
        cover,
        summary,
        slug,
        url_path,
        draft,
        extra,
        reading: markdown::reading_stats(split.body),
        body_line: split.body_line,
        body_has_images: split.body.contains("!["),
    })
}

/// The category of an item: a key or display name; absent means `news`
/// (or the first category when a site has no `news`).
pub fn category_index(fields: &mut Fields<'_>, config: &SiteConfig, key: &str) -> Option<usize> {
    let Some(written) = fields.string(key) else {
        let default = config
            .categories
            .iter()
            .position(|c| c.key == "news")
            .unwrap_or(0);
        return Some(default);
    };
    let written = written.trim_matches(['“', '”', '"', '「', '」']);
    match config
        .categories
        .iter()
        .position(|c| c.key == written || c.name == written)
    {
        Some(index) => Some(index),
        None => {
            let hint = config.category_hint(written);
            fields.error(
                key,
                format!("没有名为“{written}”的栏目"),
                Some(format!(
                    "{hint}（栏目在 site.toml 的 [[categories]] 里设置）"
                )),
            );
            None
        }
    }
}

fn outlet_names(fields: &mut Fields<'_>, config: &SiteConfig) -> Vec<String> {
    let names = fields.string_list("outlets");
    for name in &names {
        if !config.outlets.contains_key(name) {
            let hint =
                crate::suggest::did_you_mean(name, config.outlets.keys().map(String::as_str));
            fields.error(
                "outlets",
                format!("site.toml 的 [outlets] 里没有媒体“{name}”"),
                Some(format!("{hint}；新的媒体请先在 site.toml 的 [outlets] 里加一行 \"{name}\" = \"district\"（级别可选 national、provincial、city、district、wechat）")),
            );
        }
    }
    names
}

/// Resolves an image path written in a field and checks that the file exists.
pub fn image_path(
    fields: &mut Fields<'_>,
    file: &ContentFile,
    key: &str,
    written: &str,
) -> Option<String> {
    let Some(rel) = super::resolve_relative(&file.rel, written) else {
        fields.error(key, format!("图片路径“{written}”不能用：要写相对于这个文件的路径"), Some("例如图片和文章在同一文件夹就写 photo.jpg，在 content/images 里就写 ../images/photo.jpg".into()));
        return None;
    };
    let content_dir = file
        .path
        .ancestors()
        .nth(file.rel.split('/').count())
        .map(|p| p.join(&rel));
    if content_dir.is_some_and(|p| p.is_file()) {
        Some(rel)
    } else {
        fields.error(
            key,
            format!("找不到图片“{written}”（应在 content/{rel}）"),
            Some("检查文件名和文件夹是否写对，大小写和扩展名（.jpg/.png）也要一致".into()),
        );
        None
    }
}
