//! Integration tests: each builds a small fixture site with the real binary
//! and checks what a user would see: the files written, the HTML, the exit
//! code and the messages. `properties` calls the library on generated inputs
//! instead.

mod build_output;
mod check;
mod deploy;
mod district;
mod fuzz_corpus;
mod guarantees;
mod highlight;
mod images;
mod import_wechat;
mod init;
mod input_errors;
mod large_sites;
mod layers;
mod ledgers;
mod new;
mod pages;
mod properties;
mod rebuild;
mod safety;
mod search;
mod serve;
mod stats;
mod support;
mod theme;
mod windows_names;
