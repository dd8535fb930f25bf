//! Telling open tabs to reload, over server-sent events. Pages served by
//! `serve` get one `<script>` tag (never pages written by `build`); the script
//! listens at `/__streetpress/events`, reloads the page after a good rebuild,
//! and shows the errors of a failed one over the page, which stays the last
//! good version.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::http;
use super::server::{Reply, Request};
use super::Shared;
use crate::diagnostics::Diagnostic;

/// Paths under this prefix belong to `serve` itself, not to the site.
pub const PREFIX: &str = "/__streetpress/";

/// The open event streams.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<String>>>,
}

impl Hub {
    fn add(&self, client: Sender<String>) {
        self.lock().push(client);
    }

    /// Sends one event to every open tab; closed ones are forgotten.
    pub fn broadcast(&self, event: &str) {
        self.lock()
            .retain(|client| client.send(event.to_string()).is_ok());
    }

    pub fn clients(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Sender<String>>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The event that makes tabs reload after build `generation`.
pub fn reload_event(generation: u64) -> String {
    format!("event: reload\ndata: {generation}\n\n")
}

/// Build `generation` is served with its search index now. Pages need not
/// reload for it (the page script ignores it); tests and tools can wait for it.
pub fn search_event(generation: u64) -> String {
    format!("event: search\ndata: {generation}\n\n")
}

#[derive(Serialize)]
struct Problem<'a> {
    location: String,
    message: &'a str,
    hint: Option<&'a str>,
}

/// The event that shows `problems` over the page.
pub fn problems_event(problems: &[Diagnostic]) -> String {
    let list: Vec<Problem<'_>> = problems
        .iter()
        .map(|d| Problem {
            location: format!("{}:{}:{}", d.path, d.line.max(1), d.column.max(1)),
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect();
    let data = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    format!("event: problems\ndata: {data}\n\n")
}

pub fn handle(request: &Request, rest: &str, shared: &Arc<Shared>) -> Reply {
    let path = rest.split('?').next().unwrap_or("");
    match path {
        "reload.js" => Reply::Full(
            http::text(200, SCRIPT).with_header("Content-Type", "text/javascript; charset=utf-8"),
        ),
        "events" if request.method == "HEAD" => Reply::Full(
            http::text(200, "").with_header("Content-Type", "text/event-stream; charset=utf-8"),
        ),
        "events" => {
            let since = rest
                .split_once("since=")
                .and_then(|(_, n)| n.split('&').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            stream_events(since, shared)
        }
        _ => Reply::Full(http::text(404, "没有这个地址")),
    }
}

/// Takes the connection over (its thread ends with the stream) and writes
/// events as they come, with a comment now and then so that proxies keep it open.
fn stream_events(since: u64, shared: &Arc<Shared>) -> Reply {
    let (sender, receiver) = mpsc::channel::<String>();
    shared.hub.add(sender.clone());
    let generation = shared.site().generation;
    if generation > since {
        let _ = sender.send(reload_event(generation));
    }
    let problems = shared.problems();
    if !problems.is_empty() {
        let _ = sender.send(problems_event(&problems));
    }
    drop(sender);
    Reply::TakeOver(Box::new(move |mut writer: std::net::TcpStream| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: streetpress\n\n";
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
        loop {
            let chunk = match receiver.recv_timeout(Duration::from_secs(15)) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if writer
                .write_all(chunk.as_bytes())
                .and_then(|_| writer.flush())
                .is_err()
            {
                return;
            }
        }
    }))
}

/// Adds the reload script to an HTML page, before `</body>`.
pub fn inject(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"{PREFIX}reload.js\" data-generation=\"{generation}\"></script>\n");
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

/// The page shown while no build has succeeded yet.
pub fn problems_page(shared: &Shared, generation: u64) -> String {
    let problems = shared.problems();
    let mut items = String::new();
    for d in &problems {
        items.push_str(&format!(
            "<li><code>{}:{}:{}</code> {}{}</li>\n",
            escape(&d.path),
            d.line.max(1),
            d.column.max(1),
            escape(&d.message),
            d.hint
                .as_deref()
                .map(|h| format!("<br><small>提示：{}</small>", escape(h)))
                .unwrap_or_default()
        ));
    }
    let body = format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>网站还没有生成</title></head>\n<body style=\"font:18px/1.6 sans-serif;max-width:60em;margin:2em auto;padding:0 1em\">\n<h1>网站还没有生成</h1>\n<p>下面的文件有错误。改正并保存后，这个页面会自动刷新。</p>\n<ol>\n{items}</ol>\n</body></html>\n"
    );
    String::from_utf8(inject(body.into_bytes(), generation)).unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The script every served page gets. Problems are shown with `textContent`,
/// so a message can never inject markup.
const SCRIPT: &str = r#"(function () {
  var me = document.currentScript;
  var generation = (me && me.getAttribute("data-generation")) || "0";
  var source = new EventSource("/__streetpress/events?since=" + generation);
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (event) { show(JSON.parse(event.data)); });
  function show(problems) {
    var old = document.getElementById("streetpress-problems");
    if (old) old.remove();
    if (!problems.length) return;
    var box = document.createElement("div");
    box.id = "streetpress-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:70vh;overflow:auto;z-index:2147483647;background:#7f1d1d;color:#fff;font:16px/1.6 sans-serif;padding:1em 1.5em;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "网站有 " + problems.length + " 个错误，改正并保存后会自动刷新。页面上显示的是上一次正确生成的网站。";
    box.appendChild(title);
    var close = document.createElement("button");
    close.textContent = "暂时隐藏";
    close.style.cssText = "float:right;font:inherit;margin-left:1em";
    close.onclick = function () { box.remove(); };
    box.insertBefore(close, title);
    var list = document.createElement("ol");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = p.location;
      where.style.cssText = "background:rgba(255,255,255,.15);padding:0 .3em";
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + p.message));
      if (p.hint) {
        var hint = document.createElement("div");
        hint.textContent = "提示：" + p.hint;
        hint.style.opacity = "0.85";
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = inject(b"<html><body><p>x</p></body></html>".to_vec(), 7);
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with(
            "<p>x</p><script src=\"/__streetpress/reload.js\" data-generation=\"7\"></script>\n</body></html>"
        ));
        let bare = String::from_utf8(inject(b"<p>no body</p>".to_vec(), 1)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"));
    }

    #[test]
    fn problems_are_json_in_one_event() {
        let event = problems_event(&[
            Diagnostic::error("content/a.md", 3, 0, "缺少\"标题\"").with_hint("加上 title")
        ]);
        assert!(event.starts_with("event: problems\ndata: [{"));
        assert!(event.ends_with("}]\n\n"));
        assert!(event.contains(r#""location":"content/a.md:3:1""#));
        assert_eq!(event.matches('\n').count(), 3, "one data line");
    }
}
