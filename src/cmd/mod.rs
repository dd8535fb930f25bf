//! One small file per command: each calls the library and prints a summary.

pub mod build;
pub mod check;
pub mod deploy;
pub mod import;
mod import_activities;
pub mod init;
pub mod new;
mod progress;
pub mod serve;
pub mod stats;

use streetpress::diagnostics::Diagnostic;

/// How a command ended, decided once at the end.
#[derive(Debug)]
pub enum Failure {
    /// Content, settings or template errors (exit code 1); already printed.
    Content,
    /// Wrong use of the command (exit code 2).
    Usage(Diagnostic),
    /// Publishing failed: the server, the network (exit code 3); already printed.
    Deploy,
}

/// The settings of the site at `root`: a usage error when `root` is no
/// site, the printed problems when site.toml has mistakes.
pub fn site_config(root: &std::path::Path) -> Result<streetpress::config::SiteConfig, Failure> {
    if let Some(problem) = streetpress::build::not_a_site(root) {
        return Err(Failure::Usage(problem));
    }
    streetpress::config::SiteConfig::load(root).map_err(|problems| {
        print_diagnostics(&problems);
        Failure::Content
    })
}

/// Prints diagnostics to standard error, errors and warnings alike, with a count.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for diagnostic in diagnostics {
        let _ = writeln!(out, "{diagnostic}");
    }
}

pub fn count_line(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!("{errors} 个错误，{warnings} 个警告")
}
