//! Putting a staged site in place so that it is never half old, half new:
//! a journal names the staging folder and the files to remove before
//! anything moves, and every step can be done again after an interruption.

use std::fs;
use std::path::Path;

use super::{io_error, JOURNAL};
use crate::diagnostics::Diagnostic;

/// Writes the journal of a commit: the staging folder's name and the files
/// to remove. Nothing of the output has moved yet when this fails.
pub(super) fn write_journal(
    output: &Path,
    staging: &Path,
    gone: &[String],
) -> Result<(), Diagnostic> {
    let staging_name = staging
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut journal = format!("streetpress-journal 1\n{staging_name}\n");
    for rel in gone {
        journal.push_str(rel);
        journal.push('\n');
    }
    // Written whole under another name, then renamed: a journal is either
    // complete or absent.
    let pending = output.join(format!("{JOURNAL}.new"));
    fs::write(&pending, journal)
        .and_then(|()| fs::rename(&pending, output.join(JOURNAL)))
        .map_err(|e| io_error(output, "记录更新步骤", &e))
}

/// Carries out the journal just written: removes `gone`, moves the staged
/// files in, and removes the journal.
pub(super) fn carry_out(output: &Path, staging: &Path, gone: &[String]) -> Result<(), Diagnostic> {
    apply(output, staging, gone).map_err(|e| io_error(output, "更新输出文件夹", &e))
}

/// Finishes a commit that was interrupted: with its journal in place, the
/// files still in the staging folder it names are moved in and the files it
/// lists removed, as the interrupted commit would have done.
pub(super) fn finish_interrupted(output: &Path) -> Result<(), Diagnostic> {
    let Ok(journal) = fs::read_to_string(output.join(JOURNAL)) else {
        return Ok(());
    };
    let mut lines = journal.lines();
    let header = lines.next();
    let staging = lines
        .next()
        .filter(|name| name.starts_with('.') && !name.contains(['/', '\\']));
    let (Some("streetpress-journal 1"), Some(staging)) = (header, staging) else {
        let _ = fs::remove_file(output.join(JOURNAL));
        return Ok(());
    };
    let gone: Vec<String> = lines.map(str::to_string).collect();
    let dir = output.with_file_name(staging);
    apply(output, &dir, &gone).map_err(|e| io_error(output, "完成上次中断的更新", &e))
}

/// The steps of a commit; each can be done again after an interruption.
fn apply(output: &Path, staging: &Path, gone: &[String]) -> std::io::Result<()> {
    for rel in gone {
        if safe_rel(rel) {
            remove_file_and_empty_parents(output, rel);
        }
    }
    for rel in files_under(staging) {
        let target = output.join(&rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        if target.is_dir() {
            // A folder of the old site where the new one has a file.
            fs::remove_dir_all(&target)?;
        }
        fs::rename(staging.join(&rel), &target)?;
    }
    fs::remove_file(output.join(JOURNAL))?;
    let _ = fs::remove_dir_all(staging);
    Ok(())
}

fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && rel
            .split(['/', '\\'])
            .all(|part| !part.is_empty() && part != "..")
}

fn remove_file_and_empty_parents(root: &Path, rel: &str) {
    let path = root.join(rel);
    if fs::remove_file(&path).is_err() {
        return;
    }
    let mut dir = path.parent();
    while let Some(folder) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if fs::remove_dir(folder).is_err() {
            break; // not empty
        }
        dir = folder.parent();
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it.
pub(super) fn files_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let rel = entry.path().strip_prefix(dir).ok()?.to_str()?;
            Some(rel.replace('\\', "/"))
        })
        .collect()
}
