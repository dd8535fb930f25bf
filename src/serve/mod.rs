//! `serve`: build the site into memory, serve it on loopback with the local
//! address as base URL, watch the site, rebuild on every save and reload the
//! open tabs. A content error never stops the server: the last good site stays
//! served and the error is shown over it in the browser and in the terminal.
//!
//! `store` holds the served files, `server` speaks HTTP, `http` answers
//! requests, `reload` talks to the tabs, `watch` gathers file events,
//! `changes` classifies them and `session` rebuilds what they affect.

/// Prints a line to standard output; a closed output (the terminal went
/// away, a pipe was closed) must not stop the server.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// The same for standard error.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod changes;
pub mod http;
pub mod reload;
pub mod server;
pub mod session;
pub mod store;
pub mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use changes::Change;
use store::{Entry, SiteFiles};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 lets the system choose a free port.
    pub port: u16,
    pub bind: IpAddr,
    pub include_drafts: bool,
}

/// The site served: its files, its search index (built after them, and
/// kept apart so that neither is copied when the other changes), and its
/// build number (which starts at 1).
#[derive(Clone, Default)]
pub struct Served {
    pub files: Arc<SiteFiles>,
    pub index: Arc<SiteFiles>,
    pub generation: u64,
}

impl Served {
    pub fn get(&self, rel: &str) -> Option<&Entry> {
        self.files.get(rel).or_else(|| self.index.get(rel))
    }
}

/// What the HTTP threads and the rebuild loop share.
pub struct Shared {
    /// The last good site.
    site: RwLock<Served>,
    /// Errors of the latest build; empty when it succeeded.
    problems: RwLock<Vec<Diagnostic>>,
    pub hub: reload::Hub,
    /// Rebuilds started or about to (a change is coming in): a search
    /// index still being built for an earlier one stops, as its work is lost.
    started: std::sync::atomic::AtomicU64,
    /// Threads of their own for the search index, so that the pages of the
    /// next save never wait for it.
    index_pool: Option<rayon::ThreadPool>,
}

impl Shared {
    fn new() -> Shared {
        Shared {
            site: RwLock::new(Served::default()),
            problems: RwLock::new(Vec::new()),
            hub: reload::Hub::default(),
            started: std::sync::atomic::AtomicU64::new(0),
            index_pool: rayon::ThreadPoolBuilder::new()
                .num_threads(rayon::current_num_threads())
                .thread_name(|i| format!("search-index-{i}"))
                .start_handler(|_| lower_priority())
                .build()
                .ok(),
        }
    }

    pub fn site(&self) -> Served {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn problems(&self) -> Vec<Diagnostic> {
        self.problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves a new site, searched with the index of the last one until its
    /// own is built, and tells the tabs to reload.
    fn publish(&self, files: Arc<SiteFiles>) -> u64 {
        let generation = {
            let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
            site.generation += 1;
            site.files = files;
            site.generation
        };
        self.problems
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.hub.broadcast(&reload::reload_event(generation));
        generation
    }

    /// Serves `index`, the search index of build `generation`, unless a
    /// newer build is served already.
    fn complete(&self, generation: u64, index: SiteFiles) {
        let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
        if site.generation == generation {
            site.index = Arc::new(index);
            drop(site);
            self.hub.broadcast(&reload::search_event(generation));
        }
    }

    fn start_rebuild(&self) -> u64 {
        self.started
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1
    }

    fn rebuilds_started(&self) -> u64 {
        self.started.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Builds the search index of `files` away from the rebuild loop and
    /// serves it with build `generation`, unless another rebuild starts first.
    fn index_in_background(self: &Arc<Self>, generation: u64, files: Arc<SiteFiles>, items: u32) {
        let shared = Arc::clone(self);
        let rebuild = self.rebuilds_started();
        std::thread::spawn(move || {
            let newer = || shared.rebuilds_started() != rebuild;
            let build = || session::search_index(&files, items, &newer);
            let complete = match &shared.index_pool {
                Some(pool) => pool.install(build),
                None => build(),
            };
            if let Some(complete) = complete {
                shared.complete(generation, complete);
            }
        });
    }

    /// Keeps the last good site and shows the errors over it.
    fn fail(&self, errors: Vec<Diagnostic>) {
        // Stored before the broadcast: a tab connecting in between gets them on connect.
        let event = reload::problems_event(&errors);
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = errors;
        self.hub.broadcast(&event);
    }
}

/// Gives the calling thread the lowest priority, so that the pages of a
/// save made while the search index is being built get the processor first
/// (the index stops too, but only when it next looks).
fn lower_priority() {
    // On Linux this sets the calling thread's priority, not the process's.
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory effects; a failure leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

/// Keeps memory the program freed for a minute before giving it back to the
/// system, instead of a second: a writer saves every few seconds, and a save
/// that had to take its memory back from the system page by page was a
/// third slower at 10,000 articles (81 ms against 55 ms for the rebuild).
pub fn keep_freed_memory() {
    // `mi_option_purge_delay`, by its place in mimalloc.h's list of options
    // (the crate names no constant for it), in milliseconds.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of the allocator's options; it reads them as it goes.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 60_000) }
}

/// Runs until the process is stopped. `Err` for a usage problem (no site
/// here, a busy port).
pub fn run(options: ServeOptions) -> Result<(), Diagnostic> {
    if let Some(problem) = crate::build::not_a_site(&options.root) {
        return Err(problem);
    }
    let listener = bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| Diagnostic::error("--port", 0, 0, format!("无法使用这个端口：{e}")))?;
    let shown_host = if address.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        match address.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        }
    };
    let base_url = format!("http://{shown_host}:{}/", address.port());
    if !options.bind.is_loopback() {
        warn_public(&options.bind);
    }

    keep_freed_memory();
    let shared = Arc::new(Shared::new());
    let mut watcher = watch::Watcher::start(&options.root)?;
    let started = Instant::now();
    let mut session = session::Session::new(&options.root, &base_url, options.include_drafts);
    let mut warned = std::collections::HashSet::new();
    rebuild(
        &mut session,
        &Change::Everything,
        &shared,
        started,
        "",
        &mut warned,
    );
    start_http(listener, &shared)?;
    say!("正在预览：{base_url}");
    say!("在浏览器里打开上面的网址；保存文件后页面会自动刷新。按 Ctrl+C 结束。");

    loop {
        // A background search index of the site as it was stops at once.
        let batch = watcher.next_batch(&|| {
            shared.start_rebuild();
        });
        let started = Instant::now();
        let change = match &batch {
            watch::Batch::Rescan => Change::Everything,
            watch::Batch::Paths(paths) => changes::classify(paths.iter().map(String::as_str)),
        };
        let what = match &change {
            Change::Nothing => continue,
            Change::Everything => "设置或主题有改动".to_string(),
            Change::Content(paths) => describe(paths),
        };
        rebuild(&mut session, &change, &shared, started, &what, &mut warned);
    }
}

/// Rebuilds and reports: errors every time, warnings only when they are new,
/// so that a warning someone chose to leave does not fill the terminal.
fn rebuild(
    session: &mut session::Session,
    change: &Change,
    shared: &Arc<Shared>,
    started: Instant,
    what: &str,
    warned: &mut std::collections::HashSet<String>,
) {
    shared.start_rebuild();
    let outcome = session.rebuild(change);
    let millis = started.elapsed().as_millis();
    let time = chrono::Local::now().format("%H:%M:%S");
    let mut now_warned = std::collections::HashSet::new();
    for diagnostic in &outcome.diagnostics {
        let text = diagnostic.to_string();
        if diagnostic.is_error() || !warned.contains(&text) {
            warn!("{text}");
        }
        if !diagnostic.is_error() {
            now_warned.insert(text);
        }
    }
    *warned = now_warned;
    let what = if what.is_empty() {
        String::new()
    } else {
        format!("（{what}）")
    };
    match outcome.built {
        Some(built) => {
            // The pages first, searched with the last index for the moment
            // its building takes; then the site with its own index.
            let generation = shared.publish(Arc::clone(&built.files));
            shared.index_in_background(generation, Arc::clone(&built.files), built.search_items);
            say!(
                "[{time}] 已生成{what}：{} 篇文章，共 {} 个页面，这次重新生成 {} 个，用时 {millis} 毫秒",
                built.articles,
                built.pages,
                built.rendered
            );
        }
        None => {
            let errors: Vec<Diagnostic> = outcome
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            warn!(
                "[{time}] 有 {} 个错误{what}，浏览器里仍显示上一次正确生成的网站；改正并保存后会自动刷新。",
                errors.len()
            );
            shared.fail(errors);
        }
    }
}

fn describe(paths: &std::collections::BTreeSet<String>) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| format!("content/{p}"))
        .collect();
    if paths.len() > 3 {
        names.push(format!("等 {} 个文件", paths.len()));
    }
    names.join("、")
}

/// Binds the port; a busy one gets a message with the next free port.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Diagnostic> {
    match TcpListener::bind(SocketAddr::new(ip, port)) {
        Ok(listener) => Ok(listener),
        Err(error) if error.kind() == ErrorKind::AddrInUse => {
            let free = (port.saturating_add(1)..=port.saturating_add(100))
                .find(|&p| TcpListener::bind(SocketAddr::new(ip, p)).is_ok());
            let hint = match free {
                Some(free) => format!("换一个端口，例如：streetpress serve --port {free}"),
                None => "换一个端口，例如：streetpress serve --port 8080".to_string(),
            };
            Err(Diagnostic::error(
                "--port",
                0,
                0,
                format!("端口 {port} 已经被占用（可能已经有一个 streetpress serve 在运行，或者别的程序在用它）"),
            )
            .with_hint(hint))
        }
        Err(error) => Err(Diagnostic::error(
            "--bind",
            0,
            0,
            format!("无法在 {ip} 的端口 {port} 上预览：{error}"),
        )
        .with_hint("不加 --bind 和 --port 再试一次，默认是 127.0.0.1:1111")),
    }
}

fn warn_public(ip: &IpAddr) {
    warn!("！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！");
    warn!("警告：--bind {ip} 让同一网络里的其他电脑和手机也能打开这个预览，");
    warn!("包括还没有发布的草稿和未审核的稿件。只在需要用手机预览时这样做，");
    warn!("用完马上按 Ctrl+C 结束；不要在公共网络（如酒店、会场的无线网）里使用。");
    warn!("！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！！");
}

fn start_http(listener: TcpListener, shared: &Arc<Shared>) -> Result<(), Diagnostic> {
    let shared = Arc::clone(shared);
    server::start(listener, move |request| http::handle(request, &shared))
        .map_err(|e| Diagnostic::error("--port", 0, 0, format!("无法启动预览服务：{e}")))
}
