//! Getting a member office's published files — `stats.json` and `rss.xml` —
//! from its folder or its web address, and keeping the last good copy of
//! them in the portal's cache (`.streetpress-cache/members/<slug>/`), so that
//! an office whose server is down today is still counted, from what it
//! published before, with a warning that says so.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::members::{Member, Source};

/// The files the portal reads of each member.
pub const FILES: [&str; 2] = ["stats.json", "rss.xml"];

/// How long a member's server may take, so that one slow office does not hold
/// up the district's build.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(20);
/// More than any office's files could reasonably be: a server that sends
/// without end is cut off.
const MAX_BYTES: u64 = 64 << 20;

/// A member's files as text, with where each came from (for messages).
#[derive(Debug, Clone)]
pub struct Files {
    pub stats: String,
    pub feed: String,
    /// How `stats.json` and `rss.xml` are named in messages: a path or a URL.
    pub shown: [String; 2],
}

/// Reads both files from the member's folder or web address. The error says
/// why in words for the person building the portal.
pub fn live(member: &Member) -> Result<Files, String> {
    let mut texts = Vec::with_capacity(FILES.len());
    let mut shown = Vec::with_capacity(FILES.len());
    for name in FILES {
        let (text, where_) = match &member.source {
            Source::Folder(folder) => {
                let path = folder.join(name);
                (read_file(&path)?, path.display().to_string())
            }
            Source::Web(base) => {
                let url = base
                    .join(name)
                    .map_err(|e| format!("网址 {base}{name} 不对（{e}）"))?;
                (get(&url)?, url.to_string())
            }
        };
        texts.push(text);
        shown.push(where_);
    }
    let feed = texts.pop().unwrap_or_default();
    let stats = texts.pop().unwrap_or_default();
    let feed_shown = shown.pop().unwrap_or_default();
    let stats_shown = shown.pop().unwrap_or_default();
    Ok(Files {
        stats,
        feed,
        shown: [stats_shown, feed_shown],
    })
}

fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "找不到 {}（该街道的网站是否已生成？文件夹是否连上？）",
            path.display()
        ),
        _ => format!(
            "读不了 {}（{}）",
            path.display(),
            crate::text_file::io_reason(&e)
        ),
    })?;
    String::from_utf8(bytes).map_err(|_| format!("{} 不是 UTF-8 文本", path.display()))
}

fn get(url: &url::Url) -> Result<String, String> {
    // rustls has two crypto back ends in this program; it must be told which.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = attohttpc::get(url.as_str())
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .send()
        .map_err(|e| format!("连不上 {url}（{}）", transport_reason(&e)))?;
    if !response.is_success() {
        return Err(format!(
            "{url} 回答 HTTP {}（文件不在那里，或服务器出了问题）",
            response.status().as_u16()
        ));
    }
    let expected: Option<u64> = response
        .headers()
        .get(attohttpc::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let (_, _, reader) = response.split();
    let mut bytes = Vec::new();
    reader
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("从 {url} 下载到一半断了（{e}）"))?;
    if let Some(expected) = expected.filter(|&n| n != bytes.len() as u64) {
        return Err(format!(
            "从 {url} 下载到一半断了（只收到 {} 字节，应有 {expected} 字节）",
            bytes.len()
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{url} 不是 UTF-8 文本"))
}

fn transport_reason(error: &attohttpc::Error) -> String {
    match error.kind() {
        attohttpc::ErrorKind::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "对方没有在这个端口提供网站".into(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => "等待超时".into(),
            _ => io.to_string(),
        },
        _ => error.to_string(),
    }
}

/// The folder of a member's last good copy.
fn cache_dir(root: &Path, member: &Member) -> PathBuf {
    root.join(crate::config::CACHE_DIR)
        .join("members")
        .join(&member.slug)
}

/// The last good copy, and when it was fetched (`2025-06-20 09:30`).
pub fn cached(root: &Path, member: &Member) -> Option<(Files, String)> {
    let dir = cache_dir(root, member);
    let stats = std::fs::read_to_string(dir.join(FILES[0])).ok()?;
    let feed = std::fs::read_to_string(dir.join(FILES[1])).ok()?;
    let when = std::fs::read_to_string(dir.join("fetched-at"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let shown = FILES.map(|name| dir.join(name).display().to_string());
    Some((Files { stats, feed, shown }, when))
}

/// Keeps `files` as the member's last good copy. Written beside and renamed,
/// so that an interrupted build leaves the previous copy whole.
pub fn keep(root: &Path, member: &Member, files: &Files, when: &str) -> std::io::Result<()> {
    let dir = cache_dir(root, member);
    let fresh = dir.with_extension("new");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh)?;
    }
    std::fs::create_dir_all(&fresh)?;
    std::fs::write(fresh.join(FILES[0]), &files.stats)?;
    std::fs::write(fresh.join(FILES[1]), &files.feed)?;
    std::fs::write(fresh.join("fetched-at"), format!("{when}\n"))?;
    let old = dir.with_extension("old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    if dir.exists() {
        std::fs::rename(&dir, &old)?;
    }
    std::fs::rename(&fresh, &dir)?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}
