//! streetpress: a static site generator for the publicity office of a Chinese
//! street office. Data flows one way: load → Site → render → output.

pub mod build;
pub mod check;
pub mod cjk;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod district;
pub mod figures;
pub mod fingerprint;
// Entry points shared by the fuzz targets (`fuzz/`) and the regression
// corpus in the test suite; not part of the API.
#[doc(hidden)]
pub mod fuzz_entry;
pub mod highlight;
pub mod images;
pub mod import;
pub mod markdown;
pub mod output;
pub mod privacy;
pub mod progress;
pub mod render;
pub mod sanitize;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod stats;
pub mod suggest;
pub mod text_file;
pub mod theme;
pub mod yaml;
