//! `streetpress build`

use streetpress::build::{self, BuildError, BuildOptions};
use streetpress::diagnostics::Diagnostics;

use super::{count_line, print_diagnostics, Failure};

pub fn run(options: BuildOptions) -> Result<(), Failure> {
    build_and_report(options).map(|_| ())
}

/// Builds, prints the summary, and returns the output folder.
pub fn build_and_report(options: BuildOptions) -> Result<std::path::PathBuf, Failure> {
    let diagnostics = Diagnostics::new();
    let result = match super::progress::Bar::on_terminal() {
        Some(bar) => build::build_with_progress(&options, &diagnostics, &bar),
        None => build::build(&options, &diagnostics),
    };
    let diagnostics = diagnostics.into_sorted();
    print_diagnostics(&diagnostics);
    match result {
        Ok(summary) => {
            println!(
                "已生成网站：{} 篇文章，{} 条活动记录，{} 位身边好人，共 {} 个页面、{} 个文件，用时 {:.2} 秒",
                summary.articles, summary.activities, summary.people, summary.report.pages, summary.report.files, summary.seconds
            );
            if summary.images.images > 0 {
                println!("{}", streetpress::images::report_line(&summary.images));
            }
            let changes = match summary.changed {
                0 => "与上次相同，没有文件需要更新".to_string(),
                n => format!("新增或改动了 {n} 个文件，其余文件保持原样"),
            };
            println!("输出文件夹：{}（{changes}）", summary.output.display());
            Ok(summary.output)
        }
        Err(BuildError::Usage(problem)) => Err(Failure::Usage(problem)),
        Err(BuildError::Content) => {
            eprintln!(
                "网站没有生成（{}）。之前生成的网站保持不变，改正以上问题后再运行一次。",
                count_line(&diagnostics)
            );
            Err(Failure::Content)
        }
    }
}
