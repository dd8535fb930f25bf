//! The command line (clap types only). Values are turned into the program's
//! own option structs in `main`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "streetpress", version, about = "街道、社区新时代文明实践宣传网站生成器", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成整个网站（默认输出到 public 文件夹）
    Build {
        /// 网站文件夹（含 site.toml），默认为当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出文件夹，默认为网站文件夹下的 public
        #[arg(long)]
        output: Option<PathBuf>,
        /// 覆盖 site.toml 里的 base_url
        #[arg(long)]
        base_url: Option<String>,
        /// 把草稿（draft: true）也生成出来
        #[arg(long)]
        drafts: bool,
    },
    /// 统计发稿、阅读、活动和荣誉（可导出 Excel 月报）
    Stats(StatsArgs),
    /// 边写边预览：生成网站并在本机打开，保存文件后浏览器自动刷新
    Serve {
        /// 网站文件夹（含 site.toml），默认为当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 端口
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// 监听的地址；默认只有本机能打开，改成别的地址会让其他设备也能看到
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// 把草稿（draft: true）也显示出来
        #[arg(long)]
        drafts: bool,
    },
    /// 检查整个网站（不生成文件），列出所有错误和警告
    Check {
        /// 网站文件夹（含 site.toml），默认为当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出格式：text 给人看，json 给编辑器和自动检查用
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// 新建一篇文章、一条活动记录或一位身边好人，写好要填的字段
    New {
        /// 新建什么：article（文章）、activity（活动记录）、person（身边好人）
        #[arg(value_enum)]
        kind: NewWhat,
        /// 标题；身边好人写姓名
        title: String,
        /// 栏目（文章）或类别（活动记录）：栏目的 key 或名称，默认为 news
        #[arg(long)]
        category: Option<String>,
        /// 网站文件夹（含 site.toml），默认为当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 发布网站：先生成，再把新增和改动的文件传到 site.toml 里 [[deploy]] 写的服务器或文件夹
    Deploy(DeployArgs),
    /// 导入已有的内容，例如公众号文章
    #[command(subcommand)]
    Import(ImportWhat),
    /// 在新文件夹里创建一个示例网站
    Init {
        /// 新网站的文件夹
        dir: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// 网站文件夹（含 site.toml），默认为当前文件夹
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 发布到哪一个目标（[[deploy]] 的 name）；只有一个目标时可以不写
    #[arg(long)]
    pub target: Option<String>,
    /// 只列出要上传和删除的文件，不真的发布
    #[arg(long)]
    pub dry_run: bool,
    /// 要删除很多文件时不再询问，直接发布
    #[arg(long)]
    pub yes: bool,
    /// 逐个核对服务器上的文件（服务器上的文件被别人改过时用；文件多时较慢）
    #[arg(long)]
    pub verify: bool,
}

/// What `import` brings in.
#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// 导入公众号文章：浏览器“另存为 → 网页，全部”保存的 .html 文件，或放着多个这样文件的文件夹
    Wechat(ImportWechatArgs),
    /// 把 Excel 或 CSV 活动台账转成 YAML 活动记录（先显示，加 --write 才写入 content/activities）
    Activities(ImportActivitiesArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportActivitiesArgs {
    /// 活动台账（.xlsx、.xls 或 .csv）
    pub input: PathBuf,
    /// 写入 content/activities/台账文件名.yaml；不加时只显示将写入的内容
    #[arg(long)]
    pub write: bool,
    /// 网站文件夹（含 site.toml），默认为当前文件夹
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct ImportWechatArgs {
    /// 保存的公众号文章网页（.html），或放着多个网页的文件夹
    pub input: PathBuf,
    /// 放进哪个栏目：栏目的 key 或名称，默认为 news
    #[arg(long)]
    pub category: Option<String>,
    /// 网站文件夹（含 site.toml），默认为当前文件夹
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// 网站文件夹（含 site.toml），默认为当前文件夹
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 只统计这一年，例如 2025
    #[arg(long)]
    pub year: Option<i32>,
    /// 分类方式：month 按月、category 按栏目、community 按社区、grid 按网格、author 按作者、outlet 按媒体级别
    #[arg(long, value_enum)]
    pub by: Option<StatsBy>,
    /// 输出格式：table 表格（默认）、json、csv、xlsx（Excel 报表）
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
    /// 写到这个文件，而不是显示在屏幕上
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum StatsBy {
    Year,
    Month,
    Category,
    Community,
    Grid,
    Author,
    Outlet,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsFormat {
    Table,
    Json,
    Csv,
    Xlsx,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewWhat {
    Article,
    Activity,
    Person,
}
