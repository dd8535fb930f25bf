//! Resolving links and images written in a Markdown file: `../images/a.jpg`
//! and `other-article.md` become the URLs they are published at, with the
//! site's base path, so they work from any page and in feeds.

use crate::content::{is_relative_link, resolve_relative};
use crate::markdown::{ImageMarkup, LinkKind, LinkResolver, Resolution};
use crate::site::Site;

pub struct ItemLinks<'a> {
    pub site: &'a Site,
    /// The file being rendered, relative to `content/`.
    pub file_rel: &'a str,
}

impl LinkResolver for ItemLinks<'_> {
    fn resolve(&self, destination: &str, kind: LinkKind) -> Resolution {
        let base_path = &self.site.config.base_path;
        if destination.starts_with('/') && !destination.starts_with("//") {
            // Written from the site root: honour a base path such as /guanghe/.
            if base_path != "/" && !destination.starts_with(base_path.as_str()) {
                return Resolution::Replace(format!("{}{}", base_path, &destination[1..]));
            }
            return Resolution::Keep;
        }
        if !is_relative_link(destination) {
            return Resolution::Keep;
        }
        let fragment = destination.find('#').map_or("", |i| &destination[i..]);
        let what = match kind {
            LinkKind::Image => "图片",
            LinkKind::Link => "链接",
        };
        let Some(target) = resolve_relative(self.file_rel, destination) else {
            if destination.starts_with('?')
                || destination
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("")
                    .is_empty()
            {
                return Resolution::Keep;
            }
            return Resolution::Fail(format!("{what}“{destination}”指向了 content 文件夹以外"));
        };
        if let Some(processed) = self.site.images.get(&target) {
            let view = crate::images::view(processed, |p| super::views::url(self.site, p));
            return match kind {
                LinkKind::Image => Resolution::Image(ImageMarkup {
                    src: view.src,
                    srcset: if processed.variants.len() > 1 {
                        view.srcset
                    } else {
                        String::new()
                    },
                    sizes: self.site.config.images.sizes.clone(),
                    width: view.width,
                    height: view.height,
                    webp_srcset: view.webp_srcset,
                }),
                // A link to a photo ("view the original") leads to its full-size
                // copy when one is published, else to its largest size.
                LinkKind::Link => Resolution::Replace(match &processed.original {
                    Some(original) => super::views::url(self.site, &original.path),
                    None => view.large,
                }),
            };
        }
        if let Some(site_path) = self.site.source_urls.get(&target) {
            return Resolution::Replace(format!(
                "{}{fragment}",
                super::views::url(self.site, site_path)
            ));
        }
        if self.site.content_files.contains(&target) {
            return Resolution::Warn(format!(
                "{what}“{destination}”指向的内容还没有发布（草稿或日期在未来）"
            ));
        }
        Resolution::Fail(format!(
            "找不到{what}“{destination}”（应在 content/{target}）"
        ))
    }
}
