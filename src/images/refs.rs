//! Which images the published site refers to, and where: the `cover` of
//! articles, the `photo` of residents, `![..](..)` in every body, and the
//! site's `share_image`.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::content::body::Body;
use crate::content::{is_relative_link, resolve_relative};
use crate::privacy::PrivacySettings;
use crate::site::Site;

/// One place that refers to an image.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    /// The referring file, relative to the site root, as shown in messages.
    pub shown: String,
    pub line: usize,
    pub column: usize,
    /// As written in the file.
    pub written: String,
    /// From a front matter field (`cover`, `photo`) rather than the body.
    pub field: bool,
}

struct Item<'a> {
    path: &'a Path,
    rel: &'a str,
    shown: &'a str,
    /// The front matter field naming an image and its value (relative to `content/`).
    field: Option<(&'static str, &'a str)>,
    /// False when the body is known to hold no image: with no field either,
    /// the file is not read again (a save in `serve` would read them all).
    body_images: bool,
}

/// Every image (relative to `content/`) referred to by a published item,
/// with its references in file order.
pub fn collect(site: &Site) -> BTreeMap<String, Vec<Reference>> {
    let mut items: Vec<Item<'_>> = Vec::new();
    for a in &site.articles {
        let field = a.cover.as_deref().map(|c| ("cover", c));
        items.push(Item {
            path: &a.path,
            rel: &a.rel,
            shown: &a.shown,
            field,
            body_images: a.body_has_images,
        });
    }
    for p in &site.people {
        let field = p.photo.as_deref().map(|c| ("photo", c));
        items.push(Item {
            path: &p.path,
            rel: &p.rel,
            shown: &p.shown,
            field,
            body_images: true,
        });
    }
    for p in &site.pages {
        items.push(Item {
            path: &p.path,
            rel: &p.rel,
            shown: &p.shown,
            field: None,
            body_images: true,
        });
    }
    let found: Vec<(String, Reference)> = items
        .par_iter()
        .flat_map_iter(|item| references(&site.root, &site.config.privacy, item))
        .collect();
    let mut map: BTreeMap<String, Vec<Reference>> = BTreeMap::new();
    // The site-wide share image, named in `site.toml`.
    if let Some(share) = &site.config.share_image {
        map.entry(share.rel.clone()).or_default().push(Reference {
            shown: crate::config::CONFIG_FILE.to_string(),
            line: share.line,
            column: share.column,
            written: share.rel.clone(),
            field: true,
        });
    }
    for (rel, reference) in found {
        map.entry(rel).or_default().push(reference);
    }
    for list in map.values_mut() {
        list.sort();
    }
    map
}

fn references(root: &Path, privacy: &PrivacySettings, item: &Item<'_>) -> Vec<(String, Reference)> {
    let mut found = Vec::new();
    if item.field.is_none() && !item.body_images {
        return found;
    }
    // A file that cannot be read now is reported by the renderer.
    let Ok(body) = Body::read(root, item.path, item.shown, privacy) else {
        return found;
    };
    if let Some((key, rel)) = item.field {
        let (line, column, written) = field_position(body.yaml(), key)
            .map(|(l, c, w)| (body.yaml_line() + l, c, w))
            .unwrap_or((1, 1, rel.to_string()));
        found.push((
            rel.to_string(),
            Reference {
                shown: item.shown.to_string(),
                line,
                column,
                written,
                field: true,
            },
        ));
    }
    for (destination, line, column) in body.image_destinations() {
        if !is_relative_link(&destination) {
            continue;
        }
        // A path leaving `content/` is reported by the renderer, with its line.
        if let Some(rel) = resolve_relative(item.rel, &destination) {
            found.push((
                rel,
                Reference {
                    shown: item.shown.to_string(),
                    line,
                    column,
                    written: destination,
                    field: false,
                },
            ));
        }
    }
    found
}

/// The 0-based line within the YAML text, the 1-based column of the value,
/// and the value as written, of a top-level `key:` line.
fn field_position(yaml: &str, key: &str) -> Option<(usize, usize, String)> {
    yaml.lines().enumerate().find_map(|(index, line)| {
        let rest = line.strip_prefix(key)?.trim_start();
        let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
        let written = value.trim().trim_matches(['"', '\'']).to_string();
        let column = line[..line.len() - value.trim_start().len()]
            .chars()
            .count()
            + 1;
        Some((index, column, written))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_positions_point_at_the_value() {
        let yaml = "title: 标题\ncover: ../images/a.jpg\n";
        assert_eq!(
            field_position(yaml, "cover"),
            Some((1, 8, "../images/a.jpg".into()))
        );
        assert_eq!(field_position(yaml, "photo"), None);
    }
}
