//! Which changes on disk matter, and how much must be rebuilt: a pure
//! function of the changed paths, so that it can be tested without a watcher.

use std::collections::BTreeSet;

/// What a batch of file events asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing the site is made from (the output, `.git`, editor swap files).
    Nothing,
    /// Files or folders under `content/`, as paths relative to `content/`.
    Content(BTreeSet<String>),
    /// `site.toml` or the theme: every page may change.
    Everything,
}

/// Classifies changed paths, given relative to the site root with `/`
/// separators (`content/articles/a.md`, `site.toml`, `themes/default/templates/base.html`).
pub fn classify<'a>(paths: impl IntoIterator<Item = &'a str>) -> Change {
    let mut content = BTreeSet::new();
    for path in paths {
        let path = path.trim_matches('/');
        if path.split('/').any(is_scratch) {
            continue;
        }
        if path == crate::config::CONFIG_FILE || path == "themes" || path.starts_with("themes/") {
            return Change::Everything;
        }
        if path == "content" {
            // The whole folder was created, removed or renamed.
            content.insert(String::new());
        } else if let Some(rel) = path.strip_prefix("content/") {
            content.insert(rel.to_string());
        }
    }
    if content.is_empty() {
        Change::Nothing
    } else {
        Change::Content(content)
    }
}

/// Names of files no build reads: hidden files, editor swap and backup files.
/// The same rules as the content walker's, so that saving a swap file does not
/// rebuild, while renaming it to the real name does.
fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name == "4913" // vim's probe file when checking that a folder is writable
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(paths: &[&str]) -> Change {
        Change::Content(paths.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn settings_and_theme_rebuild_everything() {
        assert_eq!(classify(["site.toml"]), Change::Everything);
        assert_eq!(
            classify([
                "content/articles/a.md",
                "themes/default/templates/base.html"
            ]),
            Change::Everything
        );
        assert_eq!(classify(["themes"]), Change::Everything);
    }

    #[test]
    fn content_files_are_listed_once() {
        assert_eq!(
            classify([
                "content/articles/a.md",
                "content/articles/a.md",
                "content/activities/2024-03.yaml"
            ]),
            content(&["activities/2024-03.yaml", "articles/a.md"])
        );
        assert_eq!(classify(["content"]), content(&[""]));
    }

    #[test]
    fn an_editors_save_is_one_change_of_the_real_file() {
        // vim: write 4913, write .a.md.swp, rename a.md to a.md~, write a.md, delete a.md~.
        let events = [
            "content/articles/4913",
            "content/articles/.a.md.swp",
            "content/articles/a.md~",
            "content/articles/a.md",
            "content/articles/a.md~",
        ];
        assert_eq!(classify(events), content(&["articles/a.md"]));
        // Editors that save into a temporary file and rename it.
        assert_eq!(
            classify(["content/articles/.a.md.tmp.123", "content/articles/a.md"]),
            content(&["articles/a.md"])
        );
    }

    #[test]
    fn output_and_other_folders_are_ignored() {
        assert_eq!(
            classify([
                "public/index.html",
                ".git/index",
                "target/debug/x",
                "content/.DS_Store",
                "README.md"
            ]),
            Change::Nothing
        );
    }
}
