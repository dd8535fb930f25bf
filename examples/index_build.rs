//! Times the search index alone, built from the records of a site built
//! before (`OUT/search/d/…`), in process: the two halves (runs over ranges
//! of items, then their merge into bucket files) and the whole. For
//! profiling (`perf record`) and for BENCHMARKS.md.
//!
//! `cargo run --release --example index_build -- --site OUT [--times 3]`
//!
//! The files are counted and hashed, not written, so the figures are the
//! index's own work.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use streetpress::diagnostics::Diagnostic;
use streetpress::output::Sink;
use streetpress::search::codec::Stamp;

// The same allocator as the program, so that the times are its times.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Counts what the index writes.
#[derive(Default)]
struct Count {
    files: AtomicU64,
    bytes: AtomicU64,
    /// `meta.json`, whose version is a digest of every file.
    meta: std::sync::Mutex<String>,
    /// Every other file's path and bytes, hashed, summed: the same files give
    /// the same sum in whatever order they come.
    content: AtomicU64,
}

impl Sink for Count {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if rel.ends_with("meta.json") {
            *self.meta.lock().unwrap() = String::from_utf8_lossy(bytes).into_owned();
        } else {
            let mut stamp = Stamp::default();
            stamp.write(rel.as_bytes());
            stamp.write(&[0]);
            stamp.write(bytes);
            self.content.fetch_add(stamp.value(), Ordering::Relaxed);
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }
    fn copy(&self, _: &str, _: &std::path::Path) -> Result<(), Diagnostic> {
        Ok(())
    }
}

fn main() {
    let mut site = PathBuf::from("public");
    let mut times = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--site" => site = args.next().expect("--site OUT").into(),
            "--times" => times = args.next().and_then(|n| n.parse().ok()).expect("--times N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let meta = std::fs::read_to_string(site.join("search/meta.json")).expect("a built site");
    let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta.json");
    let count = meta["docs"].as_u64().expect("docs") as u32;
    let mut record_bytes = 0;
    for id in 0..count {
        let path = site
            .join("search")
            .join(streetpress::search::record_path(id));
        record_bytes += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    }
    let read = |rel: &str| std::fs::read(site.join(rel)).ok();
    for _ in 0..times {
        let out = Count::default();
        let started = Instant::now();
        streetpress::search::write_index(count, record_bytes, &read, &out, &|| false)
            .expect("index");
        let meta: serde_json::Value =
            serde_json::from_str(&out.meta.lock().unwrap()).unwrap_or_default();
        println!(
            "{count} items, {} MB of records: {:.0} ms, {} files, {} bytes, version {}, content {:016x}",
            record_bytes >> 20,
            started.elapsed().as_secs_f64() * 1000.0,
            out.files.load(Ordering::Relaxed),
            out.bytes.load(Ordering::Relaxed),
            meta["version"],
            out.content.load(Ordering::Relaxed),
        );
    }
}
