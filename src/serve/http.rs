//! Answering HTTP requests from the in-memory site: percent-decoded paths
//! (Chinese tag and community names), `index.html` for folders, content types
//! by extension, the theme's 404 page, and the reload script added to HTML.
//! A request can only name a key of the store: `..` in any spelling is
//! refused before the lookup, and nothing on disk is reached by a request
//! path (copied files are read from the source the build recorded).

use std::io::Read;
use std::sync::Arc;

use super::reload;
use super::server::{Reply, Request, Response};
use super::store::Entry;
use super::Shared;

/// Where a request path leads in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A key of the store, maybe a folder's `index.html`; `folder` is the key
    /// of the same path as a folder, for redirecting `/about` to `/about/`.
    File { key: String, folder: Option<String> },
    /// The path tries to leave the site (`..`, a drive, a backslash).
    Forbidden,
    /// Not a path at all (bad percent-encoding, not UTF-8).
    Bad,
}

/// Turns the path of a request (`/tags/%E5%8F%8D%E8%AF%88/?x=1`) into a key of the store.
pub fn target(url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Target::Bad;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return Target::Bad;
    };
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        if part == ".." || part == "." || part.contains(['\\', ':', '\0']) {
            return Target::Forbidden;
        }
        if !part.is_empty() {
            parts.push(part);
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() {
        return Target::File {
            key: "index.html".into(),
            folder: None,
        };
    }
    if decoded.ends_with('/') {
        Target::File {
            key: format!("{joined}/index.html"),
            folder: None,
        }
    } else {
        Target::File {
            folder: Some(format!("{joined}/index.html")),
            key: joined,
        }
    }
}

/// The content type of a file by its extension. A table of our own: the
/// handful of types a news site has, spelled as browsers expect them.
pub fn content_type(key: &str) -> &'static str {
    let extension = key
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

pub fn handle(request: &Request, shared: &Arc<Shared>) -> Reply {
    let url = request.url.as_str();
    if let Some(rest) = url.strip_prefix(reload::PREFIX) {
        return reload::handle(request, rest, shared);
    }
    Reply::Full(match target(url) {
        Target::Bad => text(400, "请求的网址不正确"),
        Target::Forbidden => text(403, "不能访问网站以外的文件"),
        Target::File { key, folder } => answer(shared, &key, folder.as_deref(), url),
    })
}

fn answer(shared: &Arc<Shared>, key: &str, folder: Option<&str>, url: &str) -> Response {
    let site = shared.site();
    let (files, generation) = (&site.files, site.generation);
    if files.is_empty() {
        // No build has succeeded yet: every page explains why.
        return html(200, reload::problems_page(shared, generation));
    }
    if let Some(entry) = site.get(key) {
        if let Some(bytes) = read(entry) {
            return with_type(200, key, bytes, generation);
        }
    } else if let Some(folder) = folder.filter(|f| files.contains_key(*f)) {
        let _ = folder;
        let path = url.split(['?', '#']).next().unwrap_or("/");
        return text(301, "").with_header("Location", &format!("{path}/"));
    }
    let body = files
        .get("404.html")
        .and_then(read)
        .unwrap_or_else(|| "<!doctype html><title>404</title><h1>页面不存在</h1>".into());
    with_type(404, "404.html", body, generation)
}

/// The bytes of an entry. A copied file is read from its source, which must
/// still be a plain file: a source replaced by a link is not followed.
fn read(entry: &Entry) -> Option<Vec<u8>> {
    match entry {
        Entry::Bytes(bytes) => Some(bytes.to_vec()),
        Entry::File(path) => {
            let meta = std::fs::symlink_metadata(path).ok()?;
            if !meta.file_type().is_file() {
                return None;
            }
            let mut bytes = Vec::with_capacity(meta.len() as usize);
            std::fs::File::open(path)
                .ok()?
                .read_to_end(&mut bytes)
                .ok()?;
            Some(bytes)
        }
    }
}

fn with_type(status: u16, key: &str, bytes: Vec<u8>, generation: u64) -> Response {
    let kind = content_type(key);
    let bytes = if kind.starts_with("text/html") {
        reload::inject(bytes, generation)
    } else {
        bytes
    };
    Response::new(status, bytes)
        .with_header("Content-Type", kind)
        .with_header("Cache-Control", "no-store")
}

pub fn html(status: u16, body: String) -> Response {
    Response::new(status, body.into_bytes())
        .with_header("Content-Type", "text/html; charset=utf-8")
        .with_header("Cache-Control", "no-store")
}

pub fn text(status: u16, body: &str) -> Response {
    Response::new(status, body.as_bytes().to_vec())
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .with_header("Cache-Control", "no-store")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str) -> Target {
        match target(key) {
            Target::File { key, .. } => Target::File { key, folder: None },
            other => other,
        }
    }

    fn key(k: &str) -> Target {
        Target::File {
            key: k.into(),
            folder: None,
        }
    }

    #[test]
    fn paths_are_decoded_and_folders_get_their_index() {
        assert_eq!(file("/"), key("index.html"));
        assert_eq!(file("/?v=1"), key("index.html"));
        assert_eq!(
            file("/tags/%E5%8F%8D%E8%AF%88/"),
            key("tags/反诈/index.html")
        );
        assert_eq!(file("/tags/反诈/"), key("tags/反诈/index.html"));
        assert_eq!(file("/style.css"), key("style.css"));
        assert_eq!(
            target("/about"),
            Target::File {
                key: "about".into(),
                folder: Some("about/index.html".into())
            }
        );
    }

    #[test]
    fn nothing_outside_the_site_can_be_named() {
        for attempt in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/..%5c..%5cwindows",
            "/C:/Windows/win.ini",
            "/./index.html",
        ] {
            assert_eq!(target(attempt), Target::Forbidden, "{attempt}");
        }
        // An absolute path is only a key of the site.
        assert_eq!(file("//etc/passwd"), key("etc/passwd"));
        assert_eq!(target("/%ff%fe"), Target::Bad);
        assert_eq!(target("etc/passwd"), Target::Bad);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("rss.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("stats.json"), "application/json");
        assert_eq!(content_type("stats.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("a/b.WEBP"), "image/webp");
        assert_eq!(content_type("noextension"), "application/octet-stream");
    }
}
