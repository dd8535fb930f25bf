//! Times `serve`'s rebuild after editing one article, in process, without
//! the watcher's quiet time or the browser: what a save costs the rebuild
//! loop. For profiling (`perf record`) and for BENCHMARKS.md.
//!
//! `cargo run --release --example serve_rebuild -- --root DIR [--edits 20] [--front-matter | --author | --category] [--pause MS]`
//!
//! Each edit adds or removes a sentence in the body of the middle article
//! (with `--front-matter`, changes its title instead; with `--author`, adds
//! an author, which the tally counts; with `--category`,
//! moves it to another category, which pages again each list it leaves or
//! joins from its place on) and rebuilds, after `--pause` milliseconds (a
//! writer saves every few seconds, not at once).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use streetpress::serve::changes::Change;
use streetpress::serve::session::Session;

// The same allocator as the program, so that the times are its times.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut root = PathBuf::from(".");
    let mut edits = 20usize;
    let mut front_matter = false;
    let mut author = false;
    let mut category = false;
    let mut pause = 0u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--root" => root = args.next().expect("--root DIR").into(),
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).expect("--edits N"),
            "--front-matter" => front_matter = true,
            "--author" => author = true,
            "--category" => category = true,
            "--pause" => {
                pause = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--pause MS")
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let mut articles: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/articles"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    articles.sort();
    let article = articles[articles.len() / 2].clone();
    let rel = article
        .strip_prefix(root.join("content"))
        .expect("under content/")
        .to_string_lossy()
        .replace('\\', "/");
    let original = std::fs::read_to_string(&article).expect("readable article");

    streetpress::serve::keep_freed_memory();
    let started = Instant::now();
    let mut session = Session::new(&root, "http://127.0.0.1:1111/", false);
    let first = session.rebuild(&Change::Everything);
    let first_built = first.built.expect("the site builds");
    println!(
        "first build: {} pages in {:.0} ms",
        first_built.pages,
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut times = Vec::new();
    for edit in 0..edits {
        std::thread::sleep(std::time::Duration::from_millis(pause));
        let text = if edit % 2 == 1 {
            original.clone()
        } else if front_matter {
            original.replacen("title: ", "title: 改", 1)
        } else if author {
            original.replacen("author: [", "author: [王敏, ", 1)
        } else if category {
            moved_category(&original)
        } else {
            original.replacen("\n\n", "\n\n修改一句。\n\n", 1)
        };
        std::fs::write(&article, text).expect("writable article");
        let start = Instant::now();
        let outcome = session.rebuild(&Change::Content(BTreeSet::from([rel.clone()])));
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let built = outcome.built.expect("the edit builds");
        times.push(ms);
        println!("edit {edit}: {ms:.1} ms, {} pages rendered", built.rendered);
    }
    std::fs::write(&article, original).expect("article restored");
    times.sort_by(f64::total_cmp);
    if !times.is_empty() {
        println!(
            "median {:.1} ms, min {:.1} ms, max {:.1} ms over {} edits",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            times.len()
        );
    }
}

/// The article's text with its category changed to another of the four
/// the generated corpus uses.
fn moved_category(text: &str) -> String {
    let keys = ["lectures", "volunteer", "models", "news"];
    let current = keys
        .iter()
        .position(|key| text.contains(&format!("\ncategory: {key}\n")))
        .expect("the article names one of the corpus's categories");
    let other = keys[(current + 1) % keys.len()];
    text.replacen(
        &format!("\ncategory: {}\n", keys[current]),
        &format!("\ncategory: {other}\n"),
        1,
    )
}
