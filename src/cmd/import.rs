//! `streetpress import wechat PAGE.html|FOLDER`: prints the path of each
//! `index.md` written on standard output, one a line, and on standard error
//! the warnings and a summary of what was made and what was skipped, and why.

use std::path::{Path, PathBuf};

use streetpress::diagnostics::{display_path, Diagnostic};
use streetpress::import::wechat::{self, Outcome};
use streetpress::import::{category_key, Existing};

use super::{print_diagnostics, Failure};
use crate::cli::{ImportWechatArgs, ImportWhat};

pub fn run(what: &ImportWhat) -> Result<(), Failure> {
    match what {
        ImportWhat::Wechat(args) => run_wechat(args),
        ImportWhat::Activities(args) => super::import_activities::run(args),
    }
}

fn run_wechat(args: &ImportWechatArgs) -> Result<(), Failure> {
    let root = &args.root;
    let config = super::site_config(root)?;
    let category = category_key(&config, args.category.as_deref()).map_err(Failure::Usage)?;
    let pages = pages(&args.input).map_err(Failure::Usage)?;
    let mut existing = Existing::scan(root);
    let mut made = Vec::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut failed = 0;
    let mut unknown_outlets: Vec<String> = Vec::new();
    for page in &pages {
        let shown = page.display().to_string();
        match wechat::import(root, &config, page, &shown, &category, &mut existing) {
            Outcome::Made(result) => {
                println!("{}", result.index.display());
                print_diagnostics(&result.warnings);
                if let Some(outlet) = &result.unknown_outlet {
                    if !unknown_outlets.contains(outlet) {
                        unknown_outlets.push(outlet.clone());
                    }
                }
                made.push(result);
            }
            Outcome::AlreadyImported(earlier) => skipped.push((
                shown,
                format!("以前已经导入过，在 {}", display_path(root, &earlier)),
            )),
            Outcome::Failed(problem) => {
                failed += 1;
                print_diagnostics(std::slice::from_ref(&problem));
                skipped.push((shown, problem.message));
            }
        }
    }
    for outlet in &unknown_outlets {
        eprintln!(
            "{}",
            Diagnostic::warning(
                "site.toml",
                0,
                0,
                format!("公众号“{outlet}”不在 [outlets] 里，导入的文章只记了来源（source），没有计入发稿统计（outlets）"),
            )
            .with_hint(format!(
                "在 site.toml 的 [outlets] 里加一行 \"{outlet}\" = \"wechat\"，再在这些文章的 outlets 里写上 {outlet}；以后导入的会自动写上"
            ))
        );
    }
    eprintln!();
    if made.is_empty() {
        eprintln!("没有导入文章。");
    } else {
        eprintln!("导入了 {} 篇公众号文章：", made.len());
        for result in &made {
            let images = if result.images > 0 {
                format!("，{} 张图片", result.images)
            } else {
                String::new()
            };
            eprintln!(
                "  {}  {}{images}",
                display_path(root, &result.index),
                result.title
            );
        }
    }
    if !skipped.is_empty() {
        eprintln!("跳过了 {} 个网页：", skipped.len());
        for (page, why) in &skipped {
            eprintln!("  {page}：{why}");
        }
    }
    if !made.is_empty() {
        eprintln!("运行 streetpress serve 可以预览导入的文章。");
    }
    if failed > 0 {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

/// The saved pages to import: the file given, or the `.html` files in the
/// folder and its subfolders, leaving out the browser's `NAME_files` folders.
fn pages(input: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = input.display().to_string();
    if input.is_file() {
        return Ok(vec![input.to_path_buf()]);
    }
    if !input.is_dir() {
        return Err(Diagnostic::error(&shown, 0, 0, "没有找到这个文件或文件夹")
            .with_hint("写保存的公众号文章网页（.html）的路径，或放着这些网页的文件夹；路径里有空格时加上引号"));
    }
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(input)
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !(entry.file_type().is_dir()
                && (name.ends_with("_files") || name.ends_with(".files") || name.starts_with('.')))
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        })
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(
            Diagnostic::error(&shown, 0, 0, "这个文件夹里没有网页文件（.html）")
                .with_hint("先在浏览器里用“另存为 → 网页，全部”把公众号文章保存到这个文件夹"),
        );
    }
    Ok(pages)
}
