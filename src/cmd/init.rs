//! `streetpress init DIR`: a new site with the embedded default theme and a
//! small sample, ready to build.

use std::fs;
use std::path::Path;

use include_dir::{include_dir, Dir};
use streetpress::diagnostics::Diagnostic;
use streetpress::text_file::io_reason;
use streetpress::theme::DEFAULT_THEME;

use super::Failure;

static SKELETON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/skeleton");

const GITIGNORE: &str =
    "# 生成的网站和图片缓存，不需要保存到版本库\n/public/\n/.streetpress-cache/\n";

pub fn run(dir: &Path) -> Result<(), Failure> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true)
    {
        return Err(Failure::Usage(
            Diagnostic::error(
                dir.display().to_string(),
                0,
                0,
                "这个文件夹已经存在而且不是空的，为了不覆盖里面的文件，没有创建网站",
            )
            .with_hint("换一个新的文件夹名，例如 streetpress init my-site"),
        ));
    }
    let write = |rel: &Path, bytes: &[u8]| -> Result<(), Failure> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| usage(parent, &e))?;
        }
        fs::write(&path, bytes).map_err(|e| usage(&path, &e))
    };
    for file in all_files(&SKELETON) {
        write(file.path(), file.contents())?;
    }
    for file in all_files(&DEFAULT_THEME) {
        write(
            &Path::new("themes/default").join(file.path()),
            file.contents(),
        )?;
    }
    write(Path::new(".gitignore"), GITIGNORE.as_bytes())?;
    println!("已在 {} 创建新网站。", dir.display());
    println!(
        "下一步：cd {} 然后运行 streetpress build，生成的网站在 public 文件夹里。",
        dir.display()
    );
    Ok(())
}

fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

fn usage(path: &Path, error: &std::io::Error) -> Failure {
    Failure::Usage(Diagnostic::error(
        path.display().to_string(),
        0,
        0,
        format!("无法创建文件：{}", io_reason(error)),
    ))
}
