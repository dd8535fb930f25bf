//! An article's page: its body, its category, and the articles before and
//! after it in the category's list.

use super::{BodyRef, PageView, Target};
use crate::render::{qr, views, Renderer};

/// Fills `view` for article `index`, whose place in its category's list is
/// `position`. `content` is its body's HTML, rendered by the caller (the
/// feeds and the search index use it too); `None` when the view is only
/// hashed.
pub(in crate::render) fn article_view(
    renderer: &Renderer<'_>,
    index: usize,
    position: usize,
    content: Option<String>,
    view: &mut PageView<'_>,
) -> Target {
    let site = renderer.site;
    let article = &site.articles[index];
    view.body_rendered(&BodyRef {
        path: &article.path,
        rel: &article.rel,
        shown: &article.shown,
    });
    let category_list = &site.by_category[article.category];
    // The list is newest first: the older article is next in the list.
    let older = category_list.get(position + 1).copied();
    let newer = position.checked_sub(1).map(|p| category_list[p]);
    let category = views::category(site, article.category);
    let crumbs = views::crumbs(
        site,
        vec![
            (category.name.to_string(), Some(category.url.clone())),
            ("正文".into(), None),
        ],
    );
    view.common(&article.title, &article.url_path, crumbs);
    let page = views::article_page(site, article, content.unwrap_or_default());
    view.insert_made("qr_svg", || qr::svg_for(&page.permalink.to_string()));
    view.insert("share_image", &page.cover_permalink);
    view.insert("page", &page);
    view.insert("category", &category);
    view.card("prev", older);
    view.card("next", newer);
    Target::at("article.html", &article.url_path)
}
