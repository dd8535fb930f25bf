//! A synthetic street-office site for benchmarks: Chinese publicity articles
//! (1,500–4,000 characters, 2–4 headings, a list, sometimes a table or a
//! quote), 12 communities with 160 grids, four categories, about 40 tags, read
//! counts, one activity file per month, a few honoured residents and pages.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 10000 --out /tmp/sp10k --hugo /tmp/hugo10k
//! ```
//!
//! The same seed always gives the same files, and article `i` does not depend
//! on how many articles are asked for, so a 1,000-article corpus is the first
//! 1,000 articles of a 10,000-article one. With `--hugo DIR` the same articles
//! are also written as a Hugo site with equivalent templates (a page per
//! article, lists of 20 per page for categories, tags and communities, a
//! feed with full content), so the two generators can be compared side by side.
//!
//! The random numbers come from a small SplitMix64 written here: the sequence
//! of `rand`'s generators is not promised to stay the same across versions,
//! and a corpus must stay the same for figures to be comparable.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;

#[derive(Parser)]
#[command(about = "Writes a deterministic synthetic site for benchmarks")]
struct Args {
    /// How many articles to write.
    #[arg(long, default_value_t = 1000)]
    articles: usize,
    /// Folder for the streetpress site (must be empty or absent).
    #[arg(long)]
    out: PathBuf,
    /// Also write an equivalent Hugo site into this folder.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Seed of the random choices; the same seed gives the same files.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Body length in characters, as MIN-MAX (longer bodies show whether
    /// memory grows with the size of the bodies).
    #[arg(long, default_value = "1500-4000", value_parser = parse_range)]
    chars: (usize, usize),
}

fn parse_range(text: &str) -> Result<(usize, usize), String> {
    let (low, high) = text
        .split_once('-')
        .ok_or("write MIN-MAX, e.g. 1500-4000")?;
    let low: usize = low.trim().parse().map_err(|e| format!("{e}"))?;
    let high: usize = high.trim().parse().map_err(|e| format!("{e}"))?;
    if low == 0 || low > high {
        return Err("MIN must be at least 1 and not above MAX".into());
    }
    Ok((low, high))
}

/// SplitMix64: tiny, fast, and the same on every machine and every version.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.next() as usize % items.len()]
    }
}

const SITE_TITLE: &str = "澄湖街道新时代文明实践";
const BASE_URL: &str = "https://example.gov.cn/chenghu/";

const CATEGORIES: [(&str, &str); 4] = [
    ("lectures", "理论宣讲"),
    ("volunteer", "志愿服务"),
    ("models", "身边好人"),
    ("news", "工作动态"),
];

const COMMUNITIES: [&str; 12] = [
    "澄湖社区",
    "柳荫社区",
    "南塘社区",
    "青石社区",
    "荷风社区",
    "金桂社区",
    "望江社区",
    "银杏社区",
    "东岸社区",
    "枫林社区",
    "长乐社区",
    "云溪社区",
];

/// Grids per community: 160 in all.
const GRIDS: [usize; 12] = [14, 13, 13, 14, 13, 13, 14, 13, 13, 14, 13, 13];

const TAGS: [&str; 40] = [
    "反诈",
    "普法",
    "垃圾分类",
    "文明城市",
    "志愿服务",
    "老年人",
    "青少年",
    "党史学习",
    "安全生产",
    "消防安全",
    "防汛",
    "疫情防控",
    "就业",
    "养老",
    "助残",
    "义诊",
    "健康",
    "环境整治",
    "老旧小区改造",
    "加装电梯",
    "网格化治理",
    "邻里互助",
    "移风易俗",
    "家风家训",
    "好人好事",
    "学雷锋",
    "传统文化",
    "全民阅读",
    "科普",
    "禁毒",
    "民法典",
    "退役军人",
    "困难群众",
    "关爱儿童",
    "暑期托管",
    "平安建设",
    "物业管理",
    "便民服务",
    "文体活动",
    "新时代文明实践",
];

const OUTLETS: [(&str, &str); 8] = [
    ("学习强国", "national"),
    ("中国文明网", "national"),
    ("江岚日报网", "provincial"),
    ("江岚新闻客户端", "provincial"),
    ("临川日报", "city"),
    ("临川文明网", "city"),
    ("澄湖区融媒", "district"),
    ("澄湖发布", "wechat"),
];

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: [&str; 20] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "建华", "晓燕",
];

const THEMES: [&str; 24] = [
    "反诈宣传进万家",
    "文明新风进楼院",
    "垃圾分类我先行",
    "关爱老人暖夕阳",
    "法律知识进社区",
    "清洁家园大扫除",
    "科学知识进校园",
    "邻里守望一家亲",
    "党的创新理论进基层",
    "消防安全入户行",
    "防汛演练保平安",
    "健康义诊送到家",
    "红色故事大家讲",
    "书香社区共阅读",
    "传统节日我们的节日",
    "暑期课堂伴成长",
    "助残帮扶献爱心",
    "移风易俗树新风",
    "就业服务面对面",
    "平安建设人人参与",
    "民法典宣传月",
    "学雷锋志愿服务月",
    "老旧小区改造回头看",
    "便民服务集市",
];

const KINDS: [&str; 8] = [
    "志愿服务活动",
    "主题宣讲活动",
    "专题培训",
    "集中宣传活动",
    "座谈会",
    "文艺演出",
    "入户走访",
    "现场观摩会",
];

const ORGANIZERS: [&str; 10] = [
    "社区党委",
    "新时代文明实践站",
    "街道宣讲团",
    "社区志愿服务队",
    "网格员队伍",
    "街道综治中心",
    "社区居委会",
    "辖区派出所",
    "社区卫生服务中心",
    "街道团工委",
];

const PLACES: [&str; 8] = [
    "党群服务中心",
    "社区广场",
    "居民楼院",
    "社区议事厅",
    "文化活动室",
    "老年日间照料中心",
    "农贸市场",
    "辖区小学",
];

const OPENINGS: [&str; 6] = [
    "近日",
    "日前",
    "本周",
    "为进一步推进工作",
    "连日来",
    "今年以来",
];

const ACTIONS: [&str; 12] = [
    "组织志愿者走进居民楼院",
    "邀请专业讲师现场授课",
    "采取“线上+线下”相结合的方式",
    "通过发放宣传资料、现场答疑等形式",
    "围绕群众关心的热点问题",
    "结合辖区实际情况",
    "联合共建单位和物业公司",
    "以案说法、以案释法",
    "用群众听得懂的语言",
    "把宣讲课堂搬到田间地头和楼道门口",
    "发挥网格员熟悉情况的优势",
    "依托新时代文明实践站阵地",
];

const RESULTS: [&str; 12] = [
    "受到居民群众的广泛好评",
    "进一步增强了居民的安全防范意识",
    "营造了浓厚的文明和谐氛围",
    "让党的创新理论飞入寻常百姓家",
    "切实解决了一批群众急难愁盼问题",
    "有效提升了居民的获得感和幸福感",
    "推动文明新风深入人心",
    "为建设平安社区打下了坚实基础",
    "打通了服务群众的“最后一公里”",
    "让志愿服务成为社区的一道亮丽风景",
    "凝聚起共建美好家园的强大合力",
    "让邻里关系更加和睦融洽",
];

const DETAILS: [&str; 16] = [
    "活动现场，工作人员耐心细致地为前来咨询的居民讲解相关政策",
    "不少居民表示，这样的活动接地气、有温度，希望以后多多举办",
    "志愿者们分工协作，有的负责登记，有的负责引导，有的负责答疑",
    "一位七十多岁的老人拉着志愿者的手说，家门口就能办成事，真方便",
    "讲师结合身边真实案例，深入浅出地分析了常见问题的成因和应对办法",
    "现场还设置了互动问答环节，答对题目的居民可以领取一份小礼品",
    "社区将把收集到的意见建议逐一梳理，建立台账，限期办结",
    "孩子们在家长的陪同下认真参与，现场气氛热烈",
    "下一步，社区将继续完善长效机制，让服务常态化、制度化",
    "网格员提前入户摸排，对独居老人和困难家庭做到心中有数",
    "活动结束后，大家纷纷在留言板上写下自己的感受和建议",
    "共建单位的党员干部也主动报名，和社区志愿者一起参与服务",
    "工作人员还为行动不便的居民提供了上门服务",
    "据统计，活动共发放宣传资料五百余份，解答群众咨询一百余人次",
    "社区负责人介绍，这项工作已经连续开展了三年，形成了品牌",
    "居民们纷纷点赞，表示收获满满，以后还要带着家人一起来参加",
];

const HEADINGS: [&str; 12] = [
    "活动背景",
    "精心组织 周密部署",
    "形式多样 内容丰富",
    "群众参与热情高",
    "把服务送到家门口",
    "主要做法",
    "取得的成效",
    "居民说",
    "下一步打算",
    "经验与启示",
    "志愿者的故事",
    "创新方式方法",
];

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

const HONORS: [&str; 5] = [
    "澄湖好人",
    "临川市道德模范",
    "最美志愿者",
    "文明家庭",
    "见义勇为先进个人",
];

fn name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

/// A community and one of its grids.
fn place_in_town(rng: &mut Rng) -> (usize, usize) {
    let community = rng.range(0, COMMUNITIES.len() - 1);
    (community, rng.range(1, GRIDS[community]))
}

/// One article, written the same way for both generators.
struct Article {
    /// File stem and slug.
    slug: String,
    title: String,
    /// `YYYY-MM-DD HH:MM`.
    date: String,
    year: usize,
    category: usize,
    authors: Vec<String>,
    source: Option<&'static str>,
    outlets: Vec<&'static str>,
    editor: String,
    community: usize,
    grid: usize,
    tags: Vec<&'static str>,
    reads: u64,
    body: String,
}

/// Years the corpus spans; article dates are spread evenly over them.
const FIRST_YEAR: usize = 2014;
const YEARS: usize = 11;

fn article(seed: u64, index: usize, chars: (usize, usize)) -> Article {
    let mut rng = Rng::new(seed, index as u64 + 1);
    let year = FIRST_YEAR + rng.range(0, YEARS - 1);
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    let (hour, minute) = (rng.range(8, 18), rng.range(0, 59));
    let (community, grid) = place_in_town(&mut rng);
    let theme = rng.pick(&THEMES);
    let kind = rng.pick(&KINDS);
    let title = match rng.range(0, 3) {
        0 => format!("{}开展“{theme}”{kind}", COMMUNITIES[community]),
        1 => format!("“{theme}”走进{}", COMMUNITIES[community]),
        2 => format!("{theme}：{}{}", rng.pick(&ORGANIZERS), rng.pick(&RESULTS)),
        _ => format!("澄湖街道{kind}：{theme}"),
    };
    let category = match rng.range(0, 9) {
        0..=2 => 0,
        3..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let authors = (0..rng.range(1, 3)).map(|_| name(&mut rng)).collect();
    let source = rng.chance(40).then(|| rng.pick(&OUTLETS.map(|o| o.0)));
    let mut outlets = Vec::new();
    for _ in 0..rng.range(0, 3) {
        let outlet = rng.pick(&OUTLETS.map(|o| o.0));
        if !outlets.contains(&outlet) {
            outlets.push(outlet);
        }
    }
    let mut tags = Vec::new();
    let tag_count = rng.range(2, 4);
    while tags.len() < tag_count {
        let tag = rng.pick(&TAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let reads = rng.range(50, 20_000) as u64;
    let editor = name(&mut rng);
    let body = body(&mut rng, community, grid, theme, chars);
    Article {
        slug: format!("a{index:06}"),
        title,
        date: format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}"),
        year,
        category,
        authors,
        source,
        outlets,
        editor,
        community,
        grid,
        tags,
        reads,
        body,
    }
}

fn sentence(rng: &mut Rng, community: usize, theme: &str) -> String {
    match rng.range(0, 5) {
        0 => format!(
            "{}，{}{}{}，{}。",
            rng.pick(&OPENINGS),
            COMMUNITIES[community],
            rng.pick(&ORGANIZERS).trim_start_matches("社区"),
            rng.pick(&ACTIONS),
            rng.pick(&RESULTS)
        ),
        1 => format!("{}。", rng.pick(&DETAILS)),
        2 => format!(
            "此次“{theme}”活动{}，共吸引{}余名居民参与，{}。",
            rng.pick(&ACTIONS),
            rng.range(30, 500),
            rng.pick(&RESULTS)
        ),
        3 => format!(
            "**{}，**{}。",
            rng.pick(&["说得好", "真方便", "太及时了", "记住了"]),
            rng.pick(&DETAILS)
        ),
        4 => format!(
            "{}表示，{}，{}。",
            rng.pick(&ORGANIZERS),
            rng.pick(&DETAILS),
            rng.pick(&RESULTS)
        ),
        _ => format!(
            "截至目前，已累计开展相关活动{}场次，服务群众{}人次，{}。",
            rng.range(5, 200),
            rng.range(200, 20_000),
            rng.pick(&RESULTS)
        ),
    }
}

/// A paragraph of a few sentences; about half are hard-wrapped, as text
/// pasted from some editors is, so the rule for line breaks between Chinese
/// characters has work to do.
fn paragraph(rng: &mut Rng, community: usize, theme: &str, out: &mut String) -> usize {
    let mut text = String::new();
    for _ in 0..rng.range(2, 5) {
        text.push_str(&sentence(rng, community, theme));
    }
    let chars = text.chars().count();
    if rng.chance(50) {
        let width = rng.range(30, 60);
        for (i, c) in text.chars().enumerate() {
            // Never break inside the ** of a bold run.
            if i > 0 && i % width == 0 && c != '*' && !out.ends_with('*') {
                out.push('\n');
            }
            out.push(c);
        }
    } else {
        out.push_str(&text);
    }
    out.push_str("\n\n");
    chars
}

fn body(
    rng: &mut Rng,
    community: usize,
    grid: usize,
    theme: &str,
    chars: (usize, usize),
) -> String {
    let target = rng.range(chars.0, chars.1);
    let headings = rng.range(2, 4);
    let mut out = String::with_capacity(target * 4);
    let mut written = 0;
    let per_section = target / (headings + 1);
    let first_heading = rng.range(0, HEADINGS.len() - 1);
    written += paragraph(rng, community, theme, &mut out);
    for h in 0..headings {
        let _ = write!(
            out,
            "## {}、{}\n\n",
            NUMERALS[h],
            HEADINGS[(first_heading + h * 5) % HEADINGS.len()]
        );
        let section_end = written + per_section;
        while written < section_end {
            written += paragraph(rng, community, theme, &mut out);
        }
        if h == 0 {
            let ordered = rng.chance(50);
            for i in 1..=rng.range(3, 6) {
                let marker = if ordered {
                    format!("{i}.")
                } else {
                    "-".to_string()
                };
                let item = format!("{}；", rng.pick(&ACTIONS));
                written += item.chars().count();
                let _ = writeln!(out, "{marker} {item}");
            }
            out.push('\n');
        }
        if h == 1 && rng.chance(25) {
            out.push_str("| 项目 | 场次 | 服务人次 |\n|---|---:|---:|\n");
            for _ in 0..rng.range(3, 6) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    rng.pick(&KINDS),
                    rng.range(1, 40),
                    rng.range(20, 3000)
                );
            }
            out.push('\n');
        }
        if h == 1 && rng.chance(30) {
            let _ = write!(
                out,
                "> “{}。”{}第{grid}网格的居民说。\n\n",
                rng.pick(&DETAILS),
                COMMUNITIES[community]
            );
        }
    }
    while written < target {
        written += paragraph(rng, community, theme, &mut out);
    }
    out
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn yaml_list(items: &[impl AsRef<str>]) -> String {
    let inner: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", inner.join(", "))
}

fn streetpress_article(a: &Article) -> String {
    let mut text = String::with_capacity(a.body.len() + 512);
    text.push_str("---\n");
    let _ = writeln!(text, "title: {}", a.title);
    let _ = writeln!(text, "date: {}", a.date);
    let _ = writeln!(text, "category: {}", CATEGORIES[a.category].0);
    let _ = writeln!(text, "author: {}", yaml_list(&a.authors));
    if let Some(source) = a.source {
        let _ = writeln!(text, "source: {source}");
    }
    if !a.outlets.is_empty() {
        let _ = writeln!(text, "outlets: {}", yaml_list(&a.outlets));
    }
    let _ = writeln!(text, "editor: {}", a.editor);
    let _ = writeln!(text, "community: {}", COMMUNITIES[a.community]);
    let _ = writeln!(text, "grid: 第{}网格", a.grid);
    let _ = writeln!(text, "tags: {}", yaml_list(&a.tags));
    let _ = writeln!(text, "reads: {}", a.reads);
    text.push_str("---\n\n");
    text.push_str(&a.body);
    text
}

fn hugo_article(a: &Article) -> String {
    let mut text = String::with_capacity(a.body.len() + 512);
    text.push_str("---\n");
    let _ = writeln!(text, "title: \"{}\"", a.title.replace('"', "\\\""));
    let _ = writeln!(text, "date: {}:00+08:00", a.date.replace(' ', "T"));
    let _ = writeln!(text, "categories: [{}]", CATEGORIES[a.category].0);
    let _ = writeln!(text, "authors: {}", yaml_list(&a.authors));
    if let Some(source) = a.source {
        let _ = writeln!(text, "source: {source}");
    }
    let _ = writeln!(text, "editor: {}", a.editor);
    let _ = writeln!(text, "communities: [{}]", COMMUNITIES[a.community]);
    let _ = writeln!(text, "grid: 第{}网格", a.grid);
    let _ = writeln!(text, "tags: {}", yaml_list(&a.tags));
    let _ = writeln!(text, "reads: {}", a.reads);
    text.push_str("---\n\n");
    text.push_str(&a.body);
    text
}

fn site_toml() -> String {
    let mut text = format!(
        "title = \"{SITE_TITLE}\"\ndescription = \"基准测试用的合成站点\"\nauthor = \"澄湖街道办事处\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"zh-CN\"\ntimezone = \"Asia/Shanghai\"\ntheme = \"default\"\npaginate = 20\nsummary_length = 120\n\n"
    );
    for (key, name) in CATEGORIES {
        let _ = write!(text, "[[categories]]\nkey = \"{key}\"\nname = \"{name}\"\n");
    }
    text.push_str("\n[outlets]\n");
    for (name, level) in OUTLETS {
        let _ = writeln!(text, "\"{name}\" = \"{level}\"");
    }
    text.push_str("\n[footer]\nicp = \"临ICP备00000000号-1\"\naddress = \"临川市澄湖区澄湖街道湖滨路1号\"\nphone = \"0000-12345678\"\n");
    text
}

/// One activity file per month over the years the articles span.
fn activities(seed: u64, articles: usize, site: &Path) {
    for year in FIRST_YEAR..FIRST_YEAR + YEARS {
        for month in 1..=12 {
            let mut rng = Rng::new(seed ^ 0xAC71, (year * 100 + month) as u64);
            let mut text = format!("# {year}年{month}月活动记录\n\n");
            for _ in 0..rng.range(8, 16) {
                let (community, grid) = place_in_town(&mut rng);
                let _ = writeln!(text, "- date: {year:04}-{month:02}-{:02}", rng.range(1, 28));
                let _ = writeln!(text, "  kind: {}", CATEGORIES[rng.range(0, 3)].0);
                let _ = writeln!(text, "  title: {}", rng.pick(&THEMES));
                let _ = writeln!(text, "  community: {}", COMMUNITIES[community]);
                let _ = writeln!(text, "  grid: 第{grid}网格");
                let _ = writeln!(text, "  place: {}", rng.pick(&PLACES));
                let _ = writeln!(text, "  organizer: {}", rng.pick(&ORGANIZERS));
                let _ = writeln!(text, "  participants: {}", rng.range(10, 400));
                let _ = writeln!(text, "  volunteers: {}", rng.range(2, 40));
                let _ = writeln!(text, "  hours: {}", rng.range(2, 120));
                if articles > 0 && rng.chance(30) {
                    let _ = writeln!(text, "  article: a{:06}", rng.range(0, articles - 1));
                }
                text.push('\n');
            }
            write(
                &site.join(format!("content/activities/{year}-{month:02}.yaml")),
                &text,
            );
        }
    }
}

/// A read-count export naming about one article in ten, by slug, with dates.
fn reads(seed: u64, articles: usize, site: &Path) {
    let mut rng = Rng::new(seed ^ 0x4EAD, 0);
    let mut text = String::from("article,reads,date\n");
    for i in 0..articles {
        if !rng.chance(10) {
            continue;
        }
        let _ = writeln!(
            text,
            "a{i:06},{},2025-0{}-1{}",
            rng.range(100, 50_000),
            rng.range(1, 6),
            rng.range(0, 9)
        );
    }
    write(&site.join("content/reads/wechat-export.csv"), &text);
}

fn people(seed: u64, site: &Path) {
    for i in 0..24 {
        let mut rng = Rng::new(seed ^ 0xF00D, i);
        let name = name(&mut rng);
        let (community, _) = place_in_town(&mut rng);
        let mut text = format!(
            "---\nname: {name}\nslug: person-{i:02}\nhonors:\n  - {{ title: {}, year: {} }}\ncommunity: {}\n---\n\n",
            rng.pick(&HONORS),
            rng.range(FIRST_YEAR, FIRST_YEAR + YEARS - 1),
            COMMUNITIES[community]
        );
        for _ in 0..3 {
            paragraph(&mut rng, community, "邻里守望一家亲", &mut text);
        }
        write(
            &site.join(format!("content/people/person-{i:02}.md")),
            &text,
        );
    }
}

fn pages(site: &Path) {
    write(
        &site.join("content/pages/about.md"),
        "---\ntitle: 关于我们\nslug: about\n---\n\n澄湖街道新时代文明实践所负责辖区理论宣讲、志愿服务和文明创建工作。\n",
    );
}

const HUGO_BASEOF: &str = r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ block "description" . }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | absURL }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site-header">
  <div class="wrap"><a class="site-title" href="{{ "" | relURL }}">{{ site.Title }}</a></div>
  <nav class="site-nav" aria-label="栏目导航">
    <ul class="wrap">
      <li><a href="{{ "" | relURL }}">首页</a></li>
      {{ range site.Params.categories }}<li><a href="{{ printf "categories/%s/" .key | relURL }}">{{ .name }}</a></li>
      {{ end }}
    </ul>
  </nav>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p><a href="{{ "categories/" | relURL }}">栏目</a> · <a href="{{ "communities/" | relURL }}">社区</a> · <a href="{{ "tags/" | relURL }}">标签</a> · <a href="{{ "index.xml" | relURL }}">RSS 订阅</a></p>
    <p>{{ site.Params.author }} · 地址：{{ site.Params.address }} · 电话：{{ site.Params.phone }}</p>
    <p><a href="https://beian.miit.gov.cn/" rel="noopener">{{ site.Params.icp }}</a></p>
  </div>
</footer>
</body>
</html>
"##;

const HUGO_SINGLE: &str = r##"{{ define "description" }}{{ .Summary | plainify }}{{ end }}
{{ define "main" }}
<nav class="breadcrumb" aria-label="当前位置"><ol>
  <li><a href="{{ "" | relURL }}">首页</a></li>
  {{ with .Params.categories }}{{ $key := index . 0 }}<li><a href="{{ printf "categories/%s/" $key | relURL }}">{{ index site.Params.category_names $key }}</a></li>{{ end }}
  <li><span aria-current="page">正文</span></li>
</ol></nav>
<article class="article">
  <h1>{{ .Title }}</h1>
  <p class="article-meta">
    <span>发布时间：<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006年01月02日 15:04" }}</time></span>
    {{ with .Params.source }}<span>来源：{{ . }}</span>{{ end }}
    {{ with .Params.authors }}<span>作者：{{ delimit . "、" }}</span>{{ end }}
    {{ with .Params.reads }}<span>浏览量：{{ . }}</span>{{ end }}
  </p>
  <div class="article-body">
{{ .Content }}
  </div>
  {{ with .Params.editor }}<p class="editor">责任编辑：{{ . }}</p>{{ end }}
  <p class="article-tags">
    {{ with .Params.communities }}{{ $c := index . 0 }}社区：<a href="{{ printf "communities/%s/" ($c | urlize) | relURL }}">{{ $c }}</a>{{ end }} {{ .Params.grid }}
    标签：{{ range $i, $t := .Params.tags }}{{ if $i }}、{{ end }}<a href="{{ printf "tags/%s/" ($t | urlize) | relURL }}">{{ $t }}</a>{{ end }}
  </p>
  <nav class="prev-next" aria-label="上一篇和下一篇">
    <p>上一篇：{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ else }}没有了{{ end }}</p>
    <p>下一篇：{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ else }}没有了{{ end }}</p>
  </nav>
</article>
{{ end }}
"##;

const HUGO_CARD: &str = r##"<li class="card">
  <div>
    <h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
    <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006年01月02日" }}</time>{{ with .Params.categories }} · {{ index site.Params.category_names (index . 0) }}{{ end }}{{ with .Params.communities }} · {{ index . 0 }}{{ end }}</p>
    <p class="summary">{{ .Summary | plainify }}</p>
  </div>
</li>
"##;

const HUGO_TERM: &str = r##"{{ define "main" }}
<nav class="breadcrumb" aria-label="当前位置"><ol>
  <li><a href="{{ "" | relURL }}">首页</a></li>
  <li><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></li>
  <li><span aria-current="page">{{ .Title }}</span></li>
</ol></nav>
<h1>{{ .Title }}</h1>
<p>共 {{ len .Pages }} 篇文章</p>
<ul class="article-list">
{{ range .Paginator.Pages }}{{ partial "card.html" . }}{{ end }}
</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
"##;

const HUGO_TERMS: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="tag-cloud">
  {{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>{{ end }}
</ul>
{{ end }}
"##;

const HUGO_LIST: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>共 {{ len .Pages }} 篇</p>
{{ end }}
"##;

const HUGO_INDEX: &str = r##"{{ define "main" }}
<h1 class="visually-hidden">{{ site.Title }}</h1>
{{ $articles := where site.RegularPages "Section" "articles" }}
<section aria-labelledby="latest">
  <h2 id="latest">最新发布</h2>
  <ul class="article-list">{{ range first 10 $articles }}{{ partial "card.html" . }}{{ end }}</ul>
</section>
{{ range site.Params.categories }}
{{ $key := .key }}
<section aria-labelledby="section-{{ $key }}">
  <h2 id="section-{{ $key }}"><a href="{{ printf "categories/%s/" $key | relURL }}">{{ .name }}</a></h2>
  <ul class="title-list">
  {{ range first 6 (index site.Taxonomies.categories $key).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006年01月02日" }}</time></li>{{ end }}
  </ul>
</section>
{{ end }}
{{ end }}
"##;

const HUGO_RSS: &str = r##"{{- $pages := first 30 (where site.RegularPages "Section" "articles") -}}
{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{{ site.Title }}</title>
<link>{{ .Permalink }}</link>
<description>{{ site.Params.description }}</description>
<language>zh-cn</language>
{{ with .OutputFormats.Get "RSS" }}{{ printf "<atom:link href=%q rel=\"self\" type=%q />" .Permalink .MediaType | safeHTML }}{{ end }}
{{ range $pages }}
<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid isPermaLink="true">{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
{{ range .Params.authors }}<author>{{ . }}</author>{{ end }}
<description>{{ .Summary | plainify }}</description>
<content:encoded>{{ .Content | html }}</content:encoded>
</item>
{{ end }}
</channel>
</rss>
"##;

const HUGO_404: &str = r##"{{ define "main" }}<h1>页面不存在</h1><p><a href="{{ "" | relURL }}">返回首页</a></p>{{ end }}
"##;

fn hugo_config() -> String {
    let mut text = format!(
        "baseURL = \"{BASE_URL}\"\nlanguageCode = \"zh-CN\"\ndefaultContentLanguage = \"zh\"\ntitle = \"{SITE_TITLE}\"\nhasCJKLanguage = true\nsummaryLength = 120\npaginate = 20\nrssLimit = 30\ndisableKinds = []\n\n[taxonomies]\ncategory = \"categories\"\ntag = \"tags\"\ncommunity = \"communities\"\n\n[permalinks]\narticles = \"/articles/:year/:month/:filename/\"\n\n[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\ntaxonomy = [\"HTML\"]\nterm = [\"HTML\"]\npage = [\"HTML\"]\n\n[markup.goldmark.renderer]\nunsafe = true\n\n[params]\ndescription = \"基准测试用的合成站点\"\nauthor = \"澄湖街道办事处\"\naddress = \"临川市澄湖区澄湖街道湖滨路1号\"\nphone = \"0000-12345678\"\nicp = \"临ICP备00000000号-1\"\n"
    );
    text.push_str("[params.category_names]\n");
    for (key, name) in CATEGORIES {
        let _ = writeln!(text, "{key} = \"{name}\"");
    }
    for (key, name) in CATEGORIES {
        let _ = write!(
            text,
            "[[params.categories]]\nkey = \"{key}\"\nname = \"{name}\"\n"
        );
    }
    text
}

fn hugo_site(dir: &Path) {
    write(&dir.join("config.toml"), &hugo_config());
    let layouts = dir.join("layouts");
    for (path, text) in [
        ("_default/baseof.html", HUGO_BASEOF),
        ("_default/single.html", HUGO_SINGLE),
        ("_default/list.html", HUGO_LIST),
        ("_default/term.html", HUGO_TERM),
        ("_default/terms.html", HUGO_TERMS),
        ("partials/card.html", HUGO_CARD),
        ("index.html", HUGO_INDEX),
        ("index.rss.xml", HUGO_RSS),
        ("404.html", HUGO_404),
    ] {
        write(&layouts.join(path), text);
    }
    for (key, name) in CATEGORIES {
        write(
            &dir.join(format!("content/categories/{key}/_index.md")),
            &format!("---\ntitle: {name}\n---\n"),
        );
    }
    for (folder, title) in [
        ("categories", "栏目"),
        ("tags", "标签"),
        ("communities", "社区"),
        ("articles", "文章"),
    ] {
        write(
            &dir.join(format!("content/{folder}/_index.md")),
            &format!("---\ntitle: {title}\n---\n"),
        );
    }
    write(
        &dir.join("static/style.css"),
        "body{font-family:sans-serif}\n",
    );
}

fn must_be_empty(dir: &Path) {
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            eprintln!("{} is not empty; give a new or empty folder", dir.display());
            std::process::exit(2);
        }
    }
}

fn main() {
    let args = Args::parse();
    must_be_empty(&args.out);
    if let Some(hugo) = &args.hugo {
        must_be_empty(hugo);
        hugo_site(hugo);
    }
    write(&args.out.join("site.toml"), &site_toml());
    let mut characters = 0usize;
    for index in 0..args.articles {
        let a = article(args.seed, index, args.chars);
        characters += a.body.chars().count();
        let rel = format!("content/articles/{}/{}.md", a.year, a.slug);
        write(&args.out.join(&rel), &streetpress_article(&a));
        if let Some(hugo) = &args.hugo {
            write(&hugo.join(&rel), &hugo_article(&a));
        }
    }
    activities(args.seed, args.articles, &args.out);
    reads(args.seed, args.articles, &args.out);
    people(args.seed, &args.out);
    pages(&args.out);
    println!(
        "{} articles ({} characters of body text on average) in {}{}",
        args.articles,
        characters / args.articles.max(1),
        args.out.display(),
        args.hugo
            .as_ref()
            .map(|h| format!(", Hugo site in {}", h.display()))
            .unwrap_or_default()
    );
}
