//! `streetpress new article|activity|person TITLE`: prints the path of the
//! file written (alone on standard output, so an editor can be pointed at it).

use std::path::Path;

use streetpress::build::now;
use streetpress::scaffold::{self, NewKind};

use super::Failure;
use crate::cli::NewWhat;

pub fn run(root: &Path, what: NewWhat, title: &str, category: Option<&str>) -> Result<(), Failure> {
    let config = super::site_config(root)?;
    let today = now().with_timezone(&config.timezone).date_naive();
    let kind = match what {
        NewWhat::Article => NewKind::Article,
        NewWhat::Activity => NewKind::Activity,
        NewWhat::Person => NewKind::Person,
    };
    let created =
        scaffold::create(root, &config, kind, title, category, today).map_err(Failure::Usage)?;
    println!("{}", created.path.display());
    let note = match (kind, created.appended) {
        (NewKind::Activity, true) => format!(
            "已在这个文件第 {} 行添加了一条活动记录，打开它填写人数、时长等内容。",
            created.line
        ),
        (NewKind::Activity, false) => {
            "已新建本月的活动记录文件，打开它填写人数、时长等内容。".into()
        }
        (NewKind::Person, _) => "已新建身边好人页面，打开它填写荣誉和事迹。".into(),
        (NewKind::Article, _) => {
            "已新建文章，打开它写正文；运行 streetpress serve 可以边写边预览。".into()
        }
    };
    eprintln!("{note}");
    Ok(())
}
