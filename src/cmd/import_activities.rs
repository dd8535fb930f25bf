//! `streetpress import activities LEDGER`: shows the YAML records a ledger
//! makes; with `--write`, writes them to `content/activities/<name>.yaml`.

use std::path::Path;

use streetpress::diagnostics::{display_path, Diagnostic};
use streetpress::import::activities::to_yaml;

use super::{count_line, print_diagnostics, Failure};
use crate::cli::ImportActivitiesArgs;

pub fn run(args: &ImportActivitiesArgs) -> Result<(), Failure> {
    let root = &args.root;
    let config = super::site_config(root)?;
    let input = &args.input;
    let shown = input.display().to_string();
    let bytes = std::fs::read(input).map_err(|e| {
        Failure::Usage(Diagnostic::error(
            &shown,
            0,
            0,
            format!("读不了这个台账：{}", streetpress::text_file::io_reason(&e)),
        ))
    })?;
    let extension = input
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (records, problems) =
        streetpress::content::ledger::read(&shown, &bytes, extension == "csv", &config);
    print_diagnostics(&problems);
    if problems.iter().any(Diagnostic::is_error) {
        eprintln!(
            "没有导入（{}）：改正台账里的问题后再运行一次。",
            count_line(&problems)
        );
        return Err(Failure::Content);
    }
    if records.is_empty() {
        eprintln!("台账里没有找到活动记录，没有导入。");
        return Err(Failure::Content);
    }
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("台账");
    let target = root.join("content/activities").join(format!("{stem}.yaml"));
    let shown_target = display_path(root, &target);
    let yaml = to_yaml(&records, &config, &file_name(input));
    if !args.write {
        print!("{yaml}");
        eprintln!(
            "以上 {} 条活动记录将写入 {shown_target}；确认无误后加上 --write 再运行一次。",
            records.len()
        );
        return Ok(());
    }
    if target.exists() {
        return Err(Failure::Usage(
            Diagnostic::error(&shown_target, 0, 0, "这个文件已经有了，没有覆盖")
                .with_hint("把台账改个名字再导入，或者先把已有的文件移走"),
        ));
    }
    write_new(&target, &yaml).map_err(|e| {
        Failure::Usage(Diagnostic::error(
            &shown_target,
            0,
            0,
            format!("写入失败：{}", streetpress::text_file::io_reason(&e)),
        ))
    })?;
    println!("{shown_target}");
    eprintln!("已导入 {} 条活动记录到 {shown_target}", records.len());
    if inside(input, &root.join("content/activities")) {
        eprintln!(
            "注意：台账 {shown} 还在 content/activities 里，网站会把它和新写的 YAML 各算一次；请把台账移出 content 文件夹。"
        );
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Writes a new file whole: into a temporary name beside it, then renamed.
fn write_new(target: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = target.with_extension("yaml.streetpress-import");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Whether `file` lies in `folder`.
fn inside(file: &Path, folder: &Path) -> bool {
    match (std::fs::canonicalize(file), std::fs::canonicalize(folder)) {
        (Ok(file), Ok(folder)) => file.starts_with(folder),
        _ => false,
    }
}
