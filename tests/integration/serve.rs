//! `streetpress serve`, tested for real: the binary runs on a free loopback
//! port, pages are fetched over HTTP, files are changed, the reload event is
//! awaited, and the served site is compared with a fresh full `build` of the
//! same files with the same base URL.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::{tree, Fixture, SITE_TOML};

/// A running `streetpress serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    port: u16,
}

impl Server {
    fn start(site: &Fixture, extra: &[&str]) -> Server {
        let (server, _) = Server::try_start(site, extra);
        server.expect("serve started")
    }

    /// Starts the binary; `None` when it exits before saying where it listens.
    fn try_start(site: &Fixture, extra: &[&str]) -> (Option<Server>, String) {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("streetpress"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(site.root())
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads to the end even when no one listens any more, so that
            // the server's output never fills the pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            match lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("正在预览：") {
                        let url = url.trim().to_string();
                        let port = url.rsplit(':').next().unwrap().trim_end_matches('/');
                        let port = port.parse().unwrap();
                        return (Some(Server { child, url, port }), String::new());
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Ok(Some(_)) = child.try_wait() {
                        break;
                    }
                }
            }
        }
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        (None, String::from_utf8_lossy(&output.stderr).into_owned())
    }

    /// A raw GET, so that paths reach the server exactly as written.
    fn get(&self, path: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("headers");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let header = |name: &str| {
            head.lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
                })
                .unwrap_or_default()
        };
        Response {
            status,
            content_type: header("Content-Type"),
            location: header("Location"),
            body: raw[split + 4..].to_vec(),
        }
    }

    /// Opens the event stream as a tab does.
    fn events(&self, since: u64) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__streetpress/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if sender.send((name.clone(), data.to_string())).is_err() {
                        break;
                    }
                }
            }
        });
        Events { events }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    content_type: String,
    location: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Events {
    events: Receiver<(String, String)>,
}

impl Events {
    /// Waits for the next event of this name and returns its data.
    fn wait(&self, name: &str) -> String {
        self.next(name, Duration::from_secs(60))
            .unwrap_or_else(|| panic!("no {name} event"))
    }

    fn next(&self, name: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.events.recv_timeout(left) {
                Ok((n, data)) if n == name => return Some(data),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}

/// The served page with the reload script taken out.
fn without_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let Some(start) = text.find("<script src=\"/__streetpress/reload.js\"") else {
        return body.to_vec();
    };
    let end = start + text[start..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

fn url_of(path: &str) -> String {
    let encoded: String =
        percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC)
            .to_string()
            .replace("%2F", "/")
            .replace("%2E", ".")
            .replace("%2D", "-")
            .replace("%5F", "_");
    format!("/{encoded}")
}

/// Compares what is served with a fresh full build; `seen` collects every
/// path any build had, so that pages that should be gone are checked too.
fn differences(site: &Fixture, server: &Server, seen: &mut BTreeSet<String>) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    let run = site.run(&[
        "build",
        "--base-url",
        &server.url,
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "the full build failed:\n{}", run.stderr);
    let built: BTreeMap<String, Vec<u8>> = tree(&output)
        .into_iter()
        .map(|(p, b)| (p.replace('\\', "/"), b))
        .filter(|(p, _)| p != ".streetpress-output")
        .collect();
    seen.extend(built.keys().cloned());
    let mut problems = Vec::new();
    for path in seen.iter() {
        let response = server.get(&url_of(path));
        match built.get(path) {
            Some(bytes) => {
                if response.status != 200 {
                    problems.push(format!("{path}: served {} but built", response.status));
                } else if without_script(&response.body) != *bytes {
                    problems.push(format!("{path}: served bytes differ from the build"));
                }
            }
            None => {
                if response.status != 404 {
                    problems.push(format!("{path}: served {} but not built", response.status));
                }
            }
        }
    }
    problems
}

/// Waits until the served site equals a fresh build (a save can come as
/// two batches of events, so one reload may be followed by another). The
/// pages come with the reload, the search index a moment later, with the
/// `search` event of the same build.
fn assert_same_as_build(
    site: &Fixture,
    server: &Server,
    events: &Events,
    seen: &mut BTreeSet<String>,
) {
    events.wait("search");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let problems = differences(site, server, seen);
        if problems.is_empty() {
            return;
        }
        if Instant::now() > deadline || events.next("search", Duration::from_secs(5)).is_none() {
            panic!(
                "served site differs from a fresh build:\n{}",
                problems.join("\n")
            );
        }
    }
}

/// Waits for the first served site to equal a fresh build: its search
/// index is made after the server answers.
fn first_build_same_as_build(site: &Fixture, server: &Server, seen: &mut BTreeSet<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let problems = differences(site, server, seen);
        if problems.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "{}", problems.join("\n"));
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn sample_site() -> Fixture {
    let site = Fixture::new();
    site.article(
        "anti-fraud.md",
        "title: 反诈知识进社区\ndate: 2024-03-15 10:30\ncategory: volunteer\ncommunity: 柳岸社区\ntags: [反诈, 助老]\nreads: 1200\ncover: ../images/photo.png",
        "社区志愿者讲解反诈知识。见[宣讲](lecture.md)。\n\n![现场](../images/photo.png)\n",
    )
    .article(
        "lecture.md",
        "title: 宣讲进社区\ndate: 2024-05-20\ncategory: lectures\ntags: [反诈]",
        "宣讲团来到社区。\n",
    )
    .article("news-1.md", "title: 防汛演练\ndate: 2024-06-01", "开展防汛演练。\n")
    .article("news-2.md", "title: 义诊进小区\ndate: 2024-06-10\ncategory: volunteer\ncommunity: 柳岸社区", "义诊。\n")
    .write("content/activities/2024-03.yaml", "- date: 2024-03-15\n  kind: volunteer\n  title: 反诈宣传\n  community: 柳岸社区\n  participants: 120\n  article: anti-fraud\n")
    .write("content/people/wang-guilan.md", "---\nname: 王桂兰\nhonors:\n  - { title: 区级好人, year: 2023 }\ncommunity: 柳岸社区\n---\n她的故事。\n")
    .write("content/pages/about.md", "---\ntitle: 关于我们\n---\n我们是街道新时代文明实践所。\n")
    .write("content/reads/wechat.csv", "article,reads,date\nlecture,300,2024-06-01\n")
    .write_bytes("content/images/photo.png", &crate::images::graphic(64, 48))
    .write("content/files/data.json", "{\"a\": 1}")
    .write("content/files/table.csv", "a,b\n1,2\n")
    .write_bytes("content/files/photo.webp", b"RIFF....WEBP");
    site
}

/// Saves a file the way editors do: a new file renamed over the old one.
fn save(site: &Fixture, rel: &str, text: &str) {
    let path = site.root().join(rel);
    let temporary = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&temporary, text).unwrap();
    fs::rename(&temporary, &path).unwrap();
}

#[test]
fn served_site_equals_a_full_build_after_every_kind_of_edit() {
    let site = sample_site();
    let server = Server::start(&site, &[]);
    let mut seen = BTreeSet::new();
    first_build_same_as_build(&site, &server, &mut seen);
    let events = server.events(1);
    let article = |rel: &str, front: &str, body: &str| {
        save(
            &site,
            &format!("content/articles/{rel}"),
            &format!("---\n{front}\n---\n{body}"),
        );
    };

    // The body of one article.
    article(
        "news-1.md",
        "title: 防汛演练\ndate: 2024-06-01",
        "开展防汛演练，居民积极参加。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    // Its title, which shows in lists, feeds and neighbours' links.
    article(
        "news-1.md",
        "title: 防汛应急演练\ndate: 2024-06-01",
        "开展防汛演练，居民积极参加。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    // Its date: a new URL, a new place in every list; the old URL must go.
    article(
        "news-1.md",
        "title: 防汛应急演练\ndate: 2023-12-01",
        "开展防汛演练。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    // Its category and tags.
    article(
        "news-1.md",
        "title: 防汛应急演练\ndate: 2023-12-01\ncategory: lectures\ntags: [防汛]",
        "开展防汛演练。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    // Its category alone, then who wrote it: the site is kept, the article
    // moved from one category's list to the other's, the tally made again.
    article(
        "news-1.md",
        "title: 防汛应急演练\ndate: 2023-12-01\ncategory: volunteer\ntags: [防汛]",
        "开展防汛演练。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    article(
        "news-1.md",
        "title: 防汛应急演练\ndate: 2023-12-01\ncategory: volunteer\ntags: [防汛]\nauthor: [李明, 王芳]",
        "开展防汛演练。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    // A new article, and one the others link to changes its URL.
    article(
        "new-one.md",
        "title: 新的文章\ndate: 2024-07-01\ntags: [反诈]\ncommunity: 望湖社区",
        "新文章。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    article(
        "lecture.md",
        "title: 宣讲进社区\ndate: 2024-05-20\ncategory: lectures\ntags: [反诈]\nslug: lecture-tour",
        "宣讲团来到社区。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    // A rename and a delete.
    fs::rename(
        site.root().join("content/articles/news-2.md"),
        site.root().join("content/articles/clinic.md"),
    )
    .unwrap();
    assert_same_as_build(&site, &server, &events, &mut seen);
    fs::remove_file(site.root().join("content/articles/new-one.md")).unwrap();
    assert_same_as_build(&site, &server, &events, &mut seen);
    // A draft, a read count, an activity, a resident, a page, an asset.
    article(
        "draft.md",
        "title: 草稿\ndate: 2024-07-02\ndraft: true",
        "还没写完。\n",
    );
    save(
        &site,
        "content/reads/wechat.csv",
        "article,reads,date\nlecture,500,2024-07-01\nclinic,80,\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    save(&site, "content/activities/2024-03.yaml", "- date: 2024-03-15\n  kind: volunteer\n  title: 反诈宣传活动\n  community: 望湖社区\n  participants: 150\n  article: anti-fraud\n- date: 2024-03-16\n  kind: news\n  title: 第二场\n");
    assert_same_as_build(&site, &server, &events, &mut seen);
    save(&site, "content/people/wang-guilan.md", "---\nname: 王桂兰\nhonors:\n  - { title: 市级好人, year: 2024 }\ncommunity: 望湖社区\n---\n她的故事。\n");
    assert_same_as_build(&site, &server, &events, &mut seen);
    save(
        &site,
        "content/pages/about.md",
        "---\ntitle: 关于本站\n---\n介绍。\n",
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    fs::write(
        site.root().join("content/images/photo.png"),
        crate::images::graphic(96, 64),
    )
    .unwrap();
    fs::remove_file(site.root().join("content/files/table.csv")).unwrap();
    assert_same_as_build(&site, &server, &events, &mut seen);
    // A whole folder renamed at once.
    fs::rename(
        site.root().join("content/files"),
        site.root().join("content/downloads"),
    )
    .unwrap();
    assert_same_as_build(&site, &server, &events, &mut seen);
    // Settings and templates.
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    save(
        &site,
        "site.toml",
        &toml.replace("测试街道新时代文明实践", "测试街道文明实践"),
    );
    assert_same_as_build(&site, &server, &events, &mut seen);
    save(&site, "themes/default/templates/page.html", "{% extends \"base.html\" %}\n{% block main %}<h1 class=\"own\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock main %}\n");
    assert_same_as_build(&site, &server, &events, &mut seen);
    assert!(server
        .get("/about/")
        .text()
        .contains("<h1 class=\"own\">关于本站</h1>"));
    assert!(
        !site.root().join("public").exists(),
        "serve never writes the site's own output"
    );
}

#[test]
fn a_content_error_keeps_the_last_good_pages_and_shows_the_error() {
    let site = sample_site();
    let server = Server::start(&site, &[]);
    let before = server.get("/articles/2024/06/news-1/").text();
    assert!(before.contains("防汛演练"));
    let events = server.events(1);
    save(
        &site,
        "content/articles/news-1.md",
        "---\ntitle: 改了标题\ndate: 2024-06-01\ncategory: 志愿服\n---\n正文\n",
    );
    let problems = events.wait("problems");
    assert!(
        problems.contains("content/articles/news-1.md:4:11"),
        "{problems}"
    );
    assert!(problems.contains("没有名为“志愿服”的栏目"), "{problems}");
    assert!(problems.contains("志愿服务"), "a hint: {problems}");
    // The last good page is still served, and a tab opened now is told too.
    assert_eq!(server.get("/articles/2024/06/news-1/").text(), before);
    let late = server.events(1);
    assert!(late.wait("problems").contains("news-1.md:4:11"));
    // Fixing the file clears it.
    save(
        &site,
        "content/articles/news-1.md",
        "---\ntitle: 改了标题\ndate: 2024-06-01\ncategory: 志愿服务\n---\n正文\n",
    );
    events.wait("reload");
    assert!(server
        .get("/articles/2024/06/news-1/")
        .text()
        .contains("改了标题"));
    let fresh = server.events(u64::MAX);
    assert!(fresh.next("problems", Duration::from_millis(500)).is_none());
}

#[test]
fn a_site_that_never_built_explains_why_until_fixed() {
    let site = Fixture::new();
    site.article("a.md", "title：中文冒号\ndate: 2024-03-01", "正文");
    let server = Server::start(&site, &[]);
    let page = server.get("/");
    assert!(page.text().contains("网站还没有生成"), "{}", page.text());
    assert!(page.text().contains("content/articles/a.md:2:6"));
    let events = server.events(0);
    site.article("a.md", "title: 改好了\ndate: 2024-03-01", "正文");
    events.wait("reload");
    assert!(server.get("/").text().contains("改好了"));
}

#[test]
fn only_files_of_the_site_are_served_with_their_types() {
    let site = sample_site();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            site.root().join("content/files/secret.txt"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), site.root().join("content/outside")).unwrap();
        fs::create_dir_all(site.root().join("themes/default/static")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            site.root().join("themes/default/static/secret.txt"),
        )
        .unwrap();
    }
    let server = Server::start(&site, &[]);
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/rss.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/files/data.json", "application/json"),
        ("/files/table.csv", "text/csv; charset=utf-8"),
        ("/files/photo.webp", "image/webp"),
        ("/images/photo-64.png", "image/png"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/tags/%E5%8F%8D%E8%AF%88/", "text/html; charset=utf-8"),
        (
            "/communities/%E6%9F%B3%E5%B2%B8%E7%A4%BE%E5%8C%BA/",
            "text/html; charset=utf-8",
        ),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.content_type, kind, "{path}");
    }
    assert!(server
        .get("/tags/%E5%8F%8D%E8%AF%88/")
        .text()
        .contains("反诈知识进社区"));
    let folder = server.get("/about");
    assert_eq!((folder.status, folder.location.as_str()), (301, "/about/"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("页面不存在"));

    let root_of_site = site.root().to_string_lossy().into_owned();
    for attempt in [
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2f..%2f..%2fetc/passwd",
        "/..%5c..%5c..%5cwindows%5cwin.ini",
        "/articles/../../site.toml",
        "/%2e%2e/site.toml",
        "//etc/passwd",
        "/etc/passwd",
        &format!("/{root_of_site}/site.toml"),
        "/C:/Windows/win.ini",
        "/files/secret.txt",
        "/outside/secret.txt",
        "/secret.txt",
        "/content/pages/about.md",
        "/site.toml",
    ] {
        let response = server.get(attempt);
        assert!(
            [400, 403, 404].contains(&response.status),
            "{attempt}: {}",
            response.status
        );
        let text = response.text();
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("root:") && !text.contains("base_url"),
            "{attempt} leaked a file"
        );
    }
}

#[test]
fn build_output_never_has_the_reload_script() {
    let site = sample_site();
    let server = Server::start(&site, &[]);
    assert!(server.get("/").text().contains("/__streetpress/reload.js"));
    assert!(server
        .get("/404.html")
        .text()
        .contains("/__streetpress/reload.js"));
    assert!(!server.get("/rss.xml").text().contains("__streetpress"));
    drop(server);
    site.build_ok();
    for (path, bytes) in tree(&site.root().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__streetpress"),
            "{path} has the serve script"
        );
    }
}

#[test]
fn a_busy_port_suggests_the_next_free_one() {
    let site = sample_site();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let run = site.run(&["serve", "--port", &port]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("端口 {port} 已经被占用")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("streetpress serve --port "),
        "{}",
        run.stderr
    );
}

#[test]
fn binding_beyond_loopback_warns_loudly() {
    let site = sample_site();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("streetpress"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let banner = lines.next().unwrap().unwrap();
    let warning = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(banner.contains("！！！"), "{banner}");
    assert!(warning.contains("警告：--bind 0.0.0.0"), "{warning}");
}

#[test]
fn a_district_portal_is_previewed_with_its_members_as_a_build_makes_it() {
    let member = Fixture::new();
    member.write(
        "site.toml",
        &SITE_TOML
            .replace("测试街道新时代文明实践", "甲街道")
            .replace(
                "https://example.gov.cn/ceshi/",
                "https://example.gov.cn/jia/",
            ),
    );
    member.article(
        "a.md",
        "title: 邻里节\ndate: 2025-12-10\ncategory: news\nreads: 40",
        "正文。\n",
    );
    let published = tempfile::tempdir().unwrap();
    let run = member.run(&["build", "--output", published.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let portal = sample_site();
    portal.write(
        "site.toml",
        &format!(
            "{SITE_TOML}\n[[members]]\nname = \"甲街道\"\nsource = \"{}\"\n",
            published.path().display()
        ),
    );
    let server = Server::start(&portal, &[]);
    let mut seen = BTreeSet::new();
    first_build_same_as_build(&portal, &server, &mut seen);
    let league = server.get("/league/");
    assert_eq!(league.status, 200);
    assert!(league.text().contains("甲街道"), "{}", league.text());
    assert!(server.get("/").text().contains("href=\"/league/\""));
    assert!(seen.contains("offices/index.html"), "{seen:?}");
}
