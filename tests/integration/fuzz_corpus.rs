//! The fuzz corpus as regression tests: every input kept under
//! `tests/fuzz_corpus/<target>/` (inputs that once broke a fuzz target, and a
//! small minimised sample of what the fuzzers reached) goes through the same
//! checks as under the fuzzer, `streetpress::fuzz_entry`.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use streetpress::fuzz_entry;

/// Runs every input of a target; fails naming each input that panics.
fn run_corpus(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target);
    let mut inputs: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let data = fs::read(path).unwrap();
            // The panic message is printed by the default hook, above the failure.
            panic::catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| {
            format!(
                "tests/fuzz_corpus/{target}/{}",
                path.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} inputs failed: {failed:#?}",
        failed.len(),
        inputs.len()
    );
}

/// A test for each target, named after it, running its kept corpus.
macro_rules! corpus_tests {
    ($($target:ident),* $(,)?) => {
        $(
            #[test]
            fn $target() {
                run_corpus(stringify!($target), fuzz_entry::$target);
            }
        )*
    };
}

corpus_tests!(front_matter, markdown, activities, reads_csv, slug);
