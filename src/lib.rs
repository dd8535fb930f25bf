//! streetpress: a static site generator for the publicity office of a Chinese
//! street office. Data flows one way: load → Site → render → output.

pub mod build;
pub mod cjk;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fingerprint;
pub mod markdown;
pub mod output;
pub mod render;
pub mod site;
pub mod slug;
pub mod suggest;
pub mod text_file;
pub mod theme;
pub mod yaml;
