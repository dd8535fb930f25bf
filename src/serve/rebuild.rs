//! Building the site into memory for `serve`, with the local address as
//! base URL. A build that has errors gives its diagnostics and no files, so
//! the caller keeps serving the last good site.

use std::path::Path;

use super::store::{MemorySink, SiteFiles};
use crate::build::load_site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::Renderer;
use crate::theme::Theme;

/// A successful build.
pub struct Built {
    pub files: SiteFiles,
    pub pages: usize,
    pub articles: usize,
}

/// What a rebuild gave: the site when it had no error, and every diagnostic.
pub struct Outcome {
    pub built: Option<Built>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads, checks and renders the whole site into memory.
pub fn build_all(root: &Path, base_url: &str, include_drafts: bool) -> Outcome {
    let diagnostics = Diagnostics::new();
    let built = build_into(root, base_url, include_drafts, &diagnostics);
    let built = built.filter(|_| !diagnostics.has_errors());
    Outcome {
        built,
        diagnostics: diagnostics.into_sorted(),
    }
}

fn build_into(
    root: &Path,
    base_url: &str,
    include_drafts: bool,
    diagnostics: &Diagnostics,
) -> Option<Built> {
    let site = load_site(root, Some(base_url), include_drafts, diagnostics)?;
    let theme = match Theme::load(root, &site.config.theme) {
        Ok(theme) => theme,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    if diagnostics.has_errors() {
        return None;
    }
    let sink = MemorySink::new();
    let report = Renderer::new(&site, &theme).render_all(&sink, diagnostics);
    Some(Built {
        files: sink.into_files(),
        pages: report.pages,
        articles: site.articles.len(),
    })
}
