//! `streetpress stats`: the tally in the terminal, as JSON or CSV, or as the
//! Excel monthly report. The same computation as the site's `/stats/` page.

use std::path::{Path, PathBuf};

use streetpress::build;
use streetpress::diagnostics::{Diagnostic, Diagnostics};
use streetpress::stats::{self, Breakdown, Tally};
use streetpress::text_file::io_reason;

use super::{count_line, print_diagnostics, Failure};
use crate::cli::{StatsArgs, StatsBy, StatsFormat};

pub fn run(args: &StatsArgs) -> Result<(), Failure> {
    let root = &args.root;
    if !root.join(streetpress::config::CONFIG_FILE).is_file() {
        return Err(Failure::Usage(
            Diagnostic::error(
                root.join("site.toml").display().to_string(),
                0,
                0,
                "这里没有 site.toml，不是一个 streetpress 网站文件夹",
            )
            .with_hint("请在网站文件夹里运行，或用 --root 指定网站文件夹"),
        ));
    }
    let diagnostics = Diagnostics::new();
    let site = build::load_site(root, None, false, &diagnostics);
    let problems = diagnostics.into_sorted();
    print_diagnostics(&problems);
    let site = match site {
        Some(site) if !problems.iter().any(Diagnostic::is_error) => site,
        _ => {
            eprintln!(
                "没有统计（{}）：内容有错误时数字会不完整。改正以上问题后再运行一次。",
                count_line(&problems)
            );
            return Err(Failure::Content);
        }
    };
    let tally = Tally::compute(&site, args.year);
    let only = args.by.map(breakdown);
    let bytes = match args.format {
        StatsFormat::Table => stats::table::render(&tally, only).into_bytes(),
        StatsFormat::Json => stats::json::to_string(&tally, only).into_bytes(),
        StatsFormat::Csv => stats::csv::to_bytes(&tally, only),
        StatsFormat::Xlsx => stats::xlsx::to_bytes(&tally, only).map_err(|e| {
            Failure::Usage(Diagnostic::error(
                "--output",
                0,
                0,
                format!("无法生成 Excel 文件：{e}"),
            ))
        })?,
    };
    // A workbook is not for the terminal: without --output it goes to a file named after the report.
    let output = args
        .output
        .clone()
        .or_else(|| (args.format == StatsFormat::Xlsx).then(|| default_workbook_name(&tally)));
    match output {
        Some(path) => {
            write_file(&path, &bytes)?;
            println!("统计已写入：{}", path.display());
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&bytes);
            let _ = stdout.flush();
        }
    }
    Ok(())
}

fn breakdown(by: StatsBy) -> Breakdown {
    match by {
        StatsBy::Year => Breakdown::Year,
        StatsBy::Month => Breakdown::Month,
        StatsBy::Category => Breakdown::Category,
        StatsBy::Community => Breakdown::Community,
        StatsBy::Grid => Breakdown::Grid,
        StatsBy::Author => Breakdown::Author,
        StatsBy::Outlet => Breakdown::Outlet,
    }
}

/// `发稿与阅读统计-2025.xlsx`, or with the `as_of` date for an all-time report.
fn default_workbook_name(tally: &Tally) -> PathBuf {
    let suffix = match (tally.year, tally.as_of) {
        (Some(year), _) => year.to_string(),
        (None, Some(date)) => format!("截至{date}"),
        (None, None) => "全部".to_string(),
    };
    PathBuf::from(format!("发稿与阅读统计-{suffix}.xlsx"))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Failure::Usage(
                Diagnostic::error(parent.display().to_string(), 0, 0, "保存统计的文件夹不存在")
                    .with_hint("先建好文件夹，或换一个 --output 路径"),
            ));
        }
    }
    std::fs::write(path, bytes).map_err(|e| {
        Failure::Usage(
            Diagnostic::error(
                path.display().to_string(),
                0,
                0,
                format!("无法写入统计文件：{}", io_reason(&e)),
            )
            .with_hint("如果这个文件正在 Excel 里打开，请先关掉它再运行"),
        )
    })
}
