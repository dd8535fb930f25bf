//! Checks that need the finished site: a link written from the site root
//! (`/tags/反诈/`, `/articles/2024/03/a/`) can only be checked against the
//! list of every file the site has, which exists after a full render. `check`
//! renders once into a sink that keeps only paths, then reads bodies again
//! with that list.

use std::collections::HashSet;

use rayon::prelude::*;

use super::Renderer;
use crate::diagnostics::Diagnostics;

impl<'a> Renderer<'a> {
    /// Checks the links of every article, resident and page against `paths`
    /// (every file of the site, as `Discard` recorded them).
    pub fn check_links(mut self, paths: &'a HashSet<String>, diagnostics: &Diagnostics) {
        self.known_paths = Some(paths);
        let site = self.site;
        let bodies: Vec<(&std::path::Path, &str, &str)> = site
            .articles
            .iter()
            .map(|a| (a.path.as_path(), a.rel.as_str(), a.shown.as_str()))
            .chain(
                site.people
                    .iter()
                    .map(|p| (p.path.as_path(), p.rel.as_str(), p.shown.as_str())),
            )
            .chain(
                site.pages
                    .iter()
                    .map(|p| (p.path.as_path(), p.rel.as_str(), p.shown.as_str())),
            )
            .collect();
        bodies.par_iter().for_each(|(path, rel, shown)| {
            // Problems found in the first pass come again and are merged by `Diagnostics`.
            let _ = self.body_html(path, rel, shown, diagnostics);
        });
    }
}
