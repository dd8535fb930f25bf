//! `streetpress deploy`: build, then publish to a `[[deploy]]` target.
//!
//! The site is built first, every time: a build from unchanged content
//! leaves the output as it is in a fraction of a second, and a failed build
//! stops the deploy before anything is sent, so the target never gets a
//! site older than the content or half of a broken one.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use streetpress::build::BuildOptions;
use streetpress::deploy::{self, DeployError, Kind, Plan, Target};
use streetpress::diagnostics::Diagnostic;

use super::{print_diagnostics, Failure};
use crate::cli::DeployArgs;

pub fn run(args: &DeployArgs) -> Result<(), Failure> {
    let config = super::site_config(&args.root)?;
    let text = streetpress::text_file::read_text(&args.root, &args.root.join("site.toml"))
        .map_err(|problem| {
            print_diagnostics(&[problem]);
            Failure::Content
        })?
        .text;
    let targets = deploy::targets::parse(&text).map_err(|problems| {
        print_diagnostics(&problems);
        eprintln!("没有发布：请先改正 site.toml 里 [[deploy]] 的问题。");
        Failure::Content
    })?;
    let target = choose(&targets, args.target.as_deref())?;

    let output = super::build::build_and_report(BuildOptions {
        root: args.root.clone(),
        output: None,
        base_url: None,
        include_drafts: false,
    })
    .inspect_err(|_| eprintln!("没有发布：网站没有生成成功，服务器上的网站保持原样。"))?;
    check_folder_target(target, &args.root, &output)?;

    let bar = Bar::on_terminal();
    let silent = streetpress::progress::Silent;
    let progress: &dyn deploy::Progress = match &bar {
        Some(bar) => bar,
        None => &silent,
    };
    let options = deploy::Options {
        dry_run: args.dry_run,
        verify: args.verify,
    };
    let confirm = |plan: &Plan| args.yes || ask_to_delete(plan);
    println!("正在发布到“{}”（{}）……", target.name, target.place());
    let result = deploy::deploy(
        target,
        &args.root,
        &output,
        &config.title,
        options,
        progress,
        &confirm,
    );
    if let Some(bar) = &bar {
        bar.bar.finish_and_clear();
    }
    match result {
        Ok(outcome) if args.dry_run => {
            print_plan(&outcome.plan);
            println!(
                "试运行，没有发布：将上传 {} 个文件（{}），删除 {} 个文件；网站共 {} 个文件（{}）",
                outcome.plan.uploads.len(),
                bytes(outcome.plan.upload_bytes()),
                outcome.plan.deletions.len(),
                outcome.site_files,
                bytes(outcome.site_bytes)
            );
            Ok(())
        }
        Ok(outcome) if outcome.sent_files == 0 => {
            println!(
                "“{}”上的网站已是最新，没有文件需要上传（共 {} 个文件）",
                target.name, outcome.site_files
            );
            Ok(())
        }
        Ok(outcome) => {
            let unchanged = outcome.site_files - outcome.plan.uploads.len();
            let retries = match outcome.retries {
                0 => String::new(),
                n => format!("，连接中断后重连 {n} 次"),
            };
            println!(
                "已发布到“{}”：上传 {} 个文件（{}），删除 {} 个文件，{} 个文件没有改动，用时 {:.1} 秒{retries}",
                target.name,
                outcome.plan.uploads.len(),
                bytes(outcome.sent_bytes),
                outcome.deleted,
                unchanged,
                outcome.seconds
            );
            Ok(())
        }
        Err(DeployError::NotConfirmed) => {
            eprintln!("没有发布：要删除的文件太多，已取消。确认无误的话加上 --yes 再运行一次。");
            Err(Failure::Deploy)
        }
        Err(DeployError::Local(message)) => {
            eprintln!("错误：{message}\n    提示: 再运行一次 streetpress build，然后再发布");
            Err(Failure::Deploy)
        }
        Err(DeployError::Remote(error)) => {
            let (what, fix) = error.explain(&target.name);
            eprintln!("错误：{what}\n    提示: {fix}");
            eprintln!("服务器上已有的网站仍可正常访问；问题解决后再运行一次 streetpress deploy，会接着传完。");
            Err(Failure::Deploy)
        }
    }
}

fn choose<'a>(targets: &'a [Target], wanted: Option<&str>) -> Result<&'a Target, Failure> {
    let names = || {
        targets
            .iter()
            .map(|t| format!("“{}”", t.name))
            .collect::<Vec<_>>()
            .join("、")
    };
    match (targets, wanted) {
        ([], _) => Err(Failure::Usage(
            Diagnostic::error("site.toml", 0, 0, "site.toml 里还没有写发布到哪里")
                .with_hint("加上一段，例如：\n[[deploy]]\nname = \"U盘\"\nkind = \"folder\"\npath = \"E:/网站\"\n更多写法见 README 的“发布到服务器”"),
        )),
        ([only], None) => Ok(only),
        (_, None) => Err(Failure::Usage(
            Diagnostic::error("site.toml", 0, 0, "site.toml 里有好几个发布目标，请指定一个")
                .with_hint(format!("加上 --target 名称，可选：{}", names())),
        )),
        (_, Some(name)) => targets.iter().find(|t| t.name == name).ok_or_else(|| {
            Failure::Usage(
                Diagnostic::error("site.toml", 0, 0, format!("没有名为“{name}”的发布目标"))
                    .with_hint(format!("可选：{}", names())),
            )
        }),
    }
}

/// A folder target may not be the output, inside it, or hold the site.
fn check_folder_target(target: &Target, root: &Path, output: &Path) -> Result<(), Failure> {
    let Kind::Folder { path } = &target.kind else {
        return Ok(());
    };
    let absolute = |p: &Path| -> PathBuf {
        std::fs::canonicalize(p).unwrap_or_else(|_| streetpress::output::absolute(p))
    };
    let folder = absolute(&root.join(path));
    let (root, output) = (absolute(root), absolute(output));
    if folder.starts_with(&output)
        || root.starts_with(&folder)
        || folder.starts_with(root.join("content"))
    {
        return Err(Failure::Usage(
            Diagnostic::error(
                "site.toml",
                0,
                0,
                format!(
                    "发布目标“{}”的文件夹 {} 不能用：它在生成的网站里，或者包含网站文件夹本身",
                    target.name,
                    folder.display()
                ),
            )
            .with_hint("path 请写另一个文件夹，例如 U 盘或共享文件夹里的一个空文件夹"),
        ));
    }
    Ok(())
}

fn ask_to_delete(plan: &Plan) -> bool {
    if !std::io::stdin().is_terminal() {
        return false;
    }
    print!(
        "这次发布要从服务器上删除 {} 个文件（服务器上这个网站共有 {} 个文件）。确定吗？输入 y 继续：",
        plan.deletions.len(),
        plan.owned
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "是")
}

fn print_plan(plan: &Plan) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for upload in &plan.uploads {
        let _ = writeln!(out, "上传 {}（{}）", upload.path, bytes(upload.size));
    }
    for path in &plan.deletions {
        let _ = writeln!(out, "删除 {path}");
    }
}

/// `1.2 MB`, `340 KB`, `12 字节`.
fn bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} 字节"),
        1024..1_048_576 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

/// Files and bytes on a terminal.
struct Bar {
    bar: ProgressBar,
    files: std::cell::Cell<usize>,
    sent: std::cell::Cell<usize>,
}

impl Bar {
    fn on_terminal() -> Option<Bar> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("上传 [{bar:30}] {bytes}/{total_bytes} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Some(Bar {
            bar,
            files: Default::default(),
            sent: Default::default(),
        })
    }
}

impl deploy::Progress for Bar {
    fn start(&self, files: usize, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("0/{files} 个文件"));
        self.files.set(files);
    }

    fn sent(&self, _path: &str, bytes: u64) {
        self.sent.set(self.sent.get() + 1);
        self.bar
            .set_message(format!("{}/{} 个文件", self.sent.get(), self.files.get()));
        self.bar.inc(bytes);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
