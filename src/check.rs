//! `check`: the build pipeline run to the end without writing. Settings, theme
//! and content are loaded and validated, every page is rendered into a sink
//! that keeps only paths (so template errors and broken links in bodies are
//! found), and links written from the site root are checked against the
//! finished list of files. Unlike `build`, rendering goes on when some files
//! have errors, so that one run shows every problem.

use std::path::Path;

use crate::build::{load_site, not_a_site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Discard;
use crate::render::Renderer;
use crate::theme::Theme;

/// Checks the site at `root`; every problem goes into `diagnostics`. `Err`
/// only when this is not a site at all (a usage error).
pub fn check(root: &Path, diagnostics: &Diagnostics) -> Result<(), Diagnostic> {
    if let Some(problem) = not_a_site(root) {
        return Err(problem);
    }
    let Some(mut site) = load_site(root, None, false, diagnostics) else {
        return Ok(());
    };
    let theme = match Theme::load(root, &site.config.theme) {
        Ok(theme) => theme,
        Err(problems) => {
            diagnostics.extend(problems);
            return Ok(());
        }
    };
    // Images are opened and checked (missing, broken, too large) as a build would.
    site.images = crate::images::prepare(&site, diagnostics).0;
    let sink = Discard::default();
    Renderer::new(&site, &theme).render_all(&sink, diagnostics);
    let paths = sink.into_paths();
    Renderer::new(&site, &theme).check_links(&paths, diagnostics);
    Ok(())
}
