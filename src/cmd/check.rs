//! `streetpress check`: every problem of the site, errors and warnings apart,
//! as `path:line:column: message`, or as JSON for editors and CI.

use std::path::Path;

use serde::Serialize;
use streetpress::diagnostics::{Diagnostic, Diagnostics};

use super::Failure;
use crate::cli::CheckFormat;

#[derive(Serialize)]
struct Report<'a> {
    errors: usize,
    warnings: usize,
    /// Errors first, then warnings, each in file, line, column order.
    problems: Vec<&'a Diagnostic>,
}

pub fn run(root: &Path, format: CheckFormat) -> Result<(), Failure> {
    let diagnostics = Diagnostics::new();
    streetpress::check::check(root, &diagnostics).map_err(Failure::Usage)?;
    let all = diagnostics.into_sorted();
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        all.iter().partition(|d| d.is_error());
    match format {
        CheckFormat::Json => {
            let report = Report {
                errors: errors.len(),
                warnings: warnings.len(),
                problems: errors.iter().chain(&warnings).copied().collect(),
            };
            let text = serde_json::to_string_pretty(&report).unwrap_or_default();
            println!("{text}");
        }
        CheckFormat::Text => print_text(&errors, &warnings),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Content)
    }
}

fn print_text(errors: &[&Diagnostic], warnings: &[&Diagnostic]) {
    for (title, list) in [("错误", errors), ("警告", warnings)] {
        if list.is_empty() {
            continue;
        }
        println!("{title}（{} 个）：", list.len());
        for diagnostic in list {
            println!("{diagnostic}");
        }
        println!();
    }
    if errors.is_empty() && warnings.is_empty() {
        println!("检查完毕，没有发现问题。");
    } else if errors.is_empty() {
        println!(
            "检查完毕：0 个错误，{} 个警告。警告不影响生成网站，但最好看一看。",
            warnings.len()
        );
    } else {
        println!(
            "检查完毕：{} 个错误，{} 个警告。有错误时网站不能生成，请按提示改正。",
            errors.len(),
            warnings.len()
        );
    }
}
