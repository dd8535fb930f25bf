//! The one way a content file's body is read once the site is loaded: the
//! page, the feeds, the search records and the image references all start
//! here, so each sees the same published text.
//!
//! Bodies are not kept in memory after loading (a large site's bodies would
//! be most of its memory); each reader reads the file again. Reading again
//! is where a rule can be forgotten: a reader that decoded and split the
//! file by itself once published a resident's mobile number in the search
//! index while the page showed it masked. So the steps are fixed here, in
//! order: decode (UTF-8 or GBK), mask personal numbers when the site asks
//! for it, split off the front matter. Markdown and sanitising follow in
//! the renderer (`Renderer::body_html`), which every HTML and text reader
//! goes through.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::privacy::PrivacySettings;

/// A content file as it is published: decoded, masked, and where its body starts.
pub struct Body {
    text: String,
    body_start: usize,
    body_line: usize,
    yaml_start: usize,
    yaml_end: usize,
    yaml_line: usize,
}

impl Body {
    /// Reads the file at `path` (shown in messages as `shown`) again, after
    /// the site was loaded from it.
    pub fn read(
        root: &Path,
        path: &Path,
        shown: &str,
        privacy: &PrivacySettings,
    ) -> Result<Body, Diagnostic> {
        let decoded = crate::text_file::read_text(root, path).map_err(|problem| {
            problem.with_hint(
                "文件在生成网站的过程中被移走或删除了；之前生成的网站没有被改动，请重新运行",
            )
        })?;
        Body::from_text(shown, decoded.text, privacy)
    }

    /// The body of a file's text already decoded.
    pub fn from_text(
        shown: &str,
        text: String,
        privacy: &PrivacySettings,
    ) -> Result<Body, Diagnostic> {
        let text = crate::privacy::published_text(text, privacy);
        let split = super::front_matter::split(shown, &text)?;
        let offset = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
        let (yaml_start, body_start) = (offset(split.yaml), offset(split.body));
        let (yaml_end, yaml_line, body_line) = (
            yaml_start + split.yaml.len(),
            split.yaml_line,
            split.body_line,
        );
        Ok(Body {
            text,
            body_start,
            body_line,
            yaml_start,
            yaml_end,
            yaml_line,
        })
    }

    /// The Markdown after the front matter.
    pub fn markdown(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The 1-based line of the file where the Markdown starts.
    pub fn markdown_line(&self) -> usize {
        self.body_line
    }

    /// The front matter's YAML text.
    pub fn yaml(&self) -> &str {
        &self.text[self.yaml_start..self.yaml_end]
    }

    /// The 1-based line of the file where the YAML starts.
    pub fn yaml_line(&self) -> usize {
        self.yaml_line
    }

    /// Every image the Markdown shows: where it points, and the line and
    /// column of the file where it is written.
    pub fn image_destinations(&self) -> Vec<(String, usize, usize)> {
        crate::markdown::image_destinations(self.markdown())
            .into_iter()
            .map(|(destination, line, column)| (destination, self.body_line + line - 1, column))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\ntitle: 走访\n---\n电话13812345678。\n\n![合影](a.jpg)\n";

    #[test]
    fn the_body_is_masked_when_the_site_asks() {
        let masking = PrivacySettings {
            mask: true,
            ..PrivacySettings::default()
        };
        let body = Body::from_text("a.md", TEXT.into(), &masking).unwrap();
        assert_eq!(body.markdown(), "电话138****5678。\n\n![合影](a.jpg)\n");
        assert_eq!(body.yaml(), "title: 走访\n");
        assert_eq!((body.yaml_line(), body.markdown_line()), (2, 4));
        let plain = Body::from_text("a.md", TEXT.into(), &PrivacySettings::default()).unwrap();
        assert!(plain.markdown().contains("13812345678"));
    }

    #[test]
    fn images_are_placed_on_the_lines_of_the_file() {
        let body = Body::from_text("a.md", TEXT.into(), &PrivacySettings::default()).unwrap();
        assert_eq!(body.image_destinations(), vec![("a.jpg".to_string(), 6, 1)]);
    }

    #[test]
    fn a_file_without_front_matter_is_an_error() {
        let problem = Body::from_text("a.md", "正文".into(), &PrivacySettings::default())
            .err()
            .unwrap();
        assert_eq!((problem.line, problem.column), (1, 1));
    }
}
