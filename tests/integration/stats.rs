//! The running tally (SPEC section 5) on a fixture site whose figures were
//! worked out by hand: drafts and future-dated items, read counts from a
//! plain CSV, a CSV with a byte-order mark and Chinese headings, a GBK CSV and
//! an Excel export, outlets at every level, authors as lists, grids. The same
//! figures must come out of `stats.json`, `stats.csv`, the workbook, the
//! `stats` command, the `/stats/` page (tables and charts) and the home strip.
//!
//! The hand count (SOURCE_DATE_EPOCH is 2026-01-01):
//!
//! | article | date | reads (winner) | publications |
//! |---|---|---|---|
//! | a1 反诈宣传进社区 | 2024-03-15 | 15,000 (newest dated row, a-plain.csv) | site + 学习强国 + 测试发布 = 3 |
//! | a2 宣讲进楼道 | 2024-11-20 | 800 (undated GBK row beats front matter 300) | site + 大众网 + 澜州日报 + 青屿融媒 = 4 |
//! | a3 春节送福 | 2025-01-10 | 2,345 (dated row of the workbook) | site = 1 |
//! | a4 防汛演练 | 2025-01-25 | 1,050 (last undated row: b-bom.csv after a-plain.csv) | site + 测试发布 (written twice) = 2 |
//! | draft, future | — | not counted | not counted |
//!
//! Activities: 2024-03-15 volunteer 120/8/16h (柳岸社区 第3网格), 2024-11-20
//! lectures 30/3/2.5h (望湖社区 第1网格), 2025-01-12 lectures 50/0/0 (柳岸社区);
//! one in 2026 not counted. Honours: 2023 and 2025 (柳岸社区), 2024 (no community).

use std::fs;

use calamine::{Data, Reader};
use serde_json::{json, Value};

use crate::support::{main_of, Fixture, SITE_TOML};

fn tally_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &SITE_TOML.replace(
            "[outlets]\n",
            "[outlets]\n\"澜州日报\" = \"city\"\n\"青屿融媒\" = \"district\"\n",
        ),
    );
    site.article(
        "a1.md",
        "title: 反诈宣传进社区\ndate: 2024-03-15 10:30\ncategory: volunteer\nauthor: [张三, 李四]\noutlets: [学习强国, 测试发布]\ncommunity: 柳岸社区\ngrid: 第3网格\nreads: 1200",
        "正文。\n",
    )
    .article(
        "a2.md",
        "title: 宣讲进楼道\ndate: 2024-11-20\ncategory: lectures\nauthor: 张三\noutlets: [大众网, 澜州日报, 青屿融媒]\ncommunity: 望湖社区\ngrid: 第1网格\nreads: 300",
        "正文。\n",
    )
    .article(
        "a3.md",
        "title: 春节送福\ndate: 2025-01-10\ncategory: news\nauthor: [王五]\ncommunity: 柳岸社区",
        "正文。\n",
    )
    .article(
        "a4.md",
        "title: 防汛演练\ndate: 2025-01-25 09:00\noutlets: [测试发布, 测试发布]\nreads: 50",
        "正文。\n",
    )
    .article(
        "draft.md",
        "title: 草稿文章\ndate: 2024-05-01\ndraft: true\noutlets: [学习强国]\ncommunity: 柳岸社区\nreads: 5000",
        "草稿。\n",
    )
    .article(
        "future.md",
        "title: 明年的文章\ndate: 2026-03-01\noutlets: [大众网]\nreads: 100",
        "还没到时间。\n",
    )
    .write(
        "content/activities/records.yaml",
        "- date: 2024-03-15\n  kind: volunteer\n  title: 反诈宣传\n  community: 柳岸社区\n  grid: 第3网格\n  participants: 120\n  volunteers: 8\n  hours: 16\n\
         - date: 2024-11-20\n  kind: lectures\n  title: 楼道宣讲\n  community: 望湖社区\n  grid: 第1网格\n  participants: 30\n  volunteers: 3\n  hours: 2.5\n\
         - date: 2025-01-12\n  kind: 理论宣讲\n  title: 新春宣讲\n  community: 柳岸社区\n  participants: 50\n\
         - date: 2026-02-01\n  kind: volunteer\n  title: 明年的活动\n  community: 柳岸社区\n  participants: 999\n",
    )
    .write(
        "content/people/wang.md",
        "---\nname: 王桂兰\nhonors:\n  - { title: 区级好人, year: 2023 }\n  - { title: 市级好人, year: 2025 }\ncommunity: 柳岸社区\n---\n她的故事。\n",
    )
    .write(
        "content/people/li.md",
        "---\nname: 李蕾\nhonors:\n  - { title: 济南好人, year: 2024 }\n---\n她的故事。\n",
    )
    // Plain UTF-8, English headings, a thousands separator, a row naming no article (line 4).
    .write(
        "content/reads/a-plain.csv",
        "article,reads,date\na1,\"15,000\",2024-04-01\na4,70,\n不存在的文章,999,2024-05-01\na4,90,\n",
    );
    // UTF-8 with a byte-order mark and Windows line ends; Chinese headings with
    // 阅读人数 beside 阅读次数; an older dated figure for a1 that must lose.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(
        "标题,阅读人数,阅读次数,统计日期\r\n反诈宣传进社区,900,\"1,400\",2024-03-20\r\n防汛演练,40,\"1,050\",\r\n"
            .as_bytes(),
    );
    site.write_bytes("content/reads/b-bom.csv", &bom);
    // GBK, as Excel on Chinese Windows saves it; a row for the draft is not a warning.
    let (gbk, _, _) =
        encoding_rs::GBK.encode("标题,阅读次数\r\n宣讲进楼道,800\r\n草稿文章,5000\r\n");
    site.write_bytes("content/reads/c-gbk.csv", &gbk);
    site.write_bytes("content/reads/d-export.xlsx", &wechat_workbook());
    site
}

/// A back-office export: a title line, then the headings, a date cell, a
/// number cell, a "10万+" (line 4) and a post that never reached the site (line 5).
fn wechat_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "公众号群发图文数据").unwrap();
    for (column, heading) in ["内容标题", "发表时间", "总阅读人数", "总阅读次数"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, column as u16, *heading).unwrap();
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(2, 0, "春节送福").unwrap();
    sheet
        .write_datetime_with_format(
            2,
            1,
            ExcelDateTime::from_ymd(2025, 2, 1).unwrap(),
            &date_format,
        )
        .unwrap();
    sheet.write_number(2, 2, 1800).unwrap();
    sheet.write_number(2, 3, 2345).unwrap();
    sheet.write_string(3, 0, "十万加的文章").unwrap();
    sheet.write_string(3, 1, "2025-03-01").unwrap();
    sheet.write_string(3, 3, "10万+").unwrap();
    sheet.write_string(4, 0, "没发到网站的文章").unwrap();
    sheet.write_string(4, 1, "2025-03-02").unwrap();
    sheet.write_number(4, 3, 20).unwrap();
    workbook.save_to_buffer().unwrap()
}

fn figures(values: [f64; 8]) -> Value {
    let keys = [
        "articles",
        "publications",
        "reads",
        "activities",
        "participants",
        "volunteers",
        "hours",
        "honors",
    ];
    let mut map = serde_json::Map::new();
    for (key, value) in keys.iter().zip(values) {
        let number = if value.fract() == 0.0 {
            json!(value as u64)
        } else {
            json!(value)
        };
        map.insert(key.to_string(), number);
    }
    Value::Object(map)
}

/// The hand-counted figures, as `stats.json` must hold them.
fn expected() -> Value {
    let zero = figures([0.0; 8]);
    let march = figures([1.0, 3.0, 15000.0, 1.0, 120.0, 8.0, 16.0, 0.0]);
    let to_november = figures([2.0, 7.0, 15800.0, 2.0, 150.0, 11.0, 18.5, 0.0]);
    let january = figures([2.0, 3.0, 3395.0, 1.0, 50.0, 0.0, 0.0, 0.0]);
    let mut months = vec![
        json!({"month": "2024-03", "figures": march, "year_to_date": march, "cumulative": march}),
    ];
    for month in 4..=10 {
        months.push(json!({"month": format!("2024-{month:02}"), "figures": zero, "year_to_date": march, "cumulative": march}));
    }
    months.push(json!({"month": "2024-11", "figures": figures([1.0, 4.0, 800.0, 1.0, 30.0, 3.0, 2.5, 0.0]), "year_to_date": to_november, "cumulative": to_november}));
    months.push(json!({"month": "2024-12", "figures": zero, "year_to_date": to_november, "cumulative": to_november}));
    months.push(
        json!({"month": "2025-01", "figures": january, "year_to_date": january,
        "cumulative": figures([4.0, 10.0, 19195.0, 3.0, 200.0, 11.0, 18.5, 0.0])}),
    );
    let by_month: Vec<Value> = months
        .into_iter()
        .map(|m| {
            let mut entry = serde_json::Map::new();
            entry.insert("month".into(), m["month"].clone());
            entry.extend(m["figures"].as_object().unwrap().clone());
            entry.insert("year_to_date".into(), m["year_to_date"].clone());
            entry.insert("cumulative".into(), m["cumulative"].clone());
            Value::Object(entry)
        })
        .collect();
    json!({
        "as_of": "2025-01-25",
        "totals": figures([4.0, 10.0, 19195.0, 3.0, 200.0, 11.0, 18.5, 3.0]),
        "by_year": {
            "2023": figures([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
            "2024": figures([2.0, 7.0, 15800.0, 2.0, 150.0, 11.0, 18.5, 1.0]),
            "2025": figures([2.0, 3.0, 3395.0, 1.0, 50.0, 0.0, 0.0, 1.0]),
        },
        "by_month": by_month,
        "by_category": {
            "lectures": figures([1.0, 4.0, 800.0, 2.0, 80.0, 3.0, 2.5, 0.0]),
            "volunteer": figures([1.0, 3.0, 15000.0, 1.0, 120.0, 8.0, 16.0, 0.0]),
            "models": figures([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0]),
            "news": figures([2.0, 3.0, 3395.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        },
        "by_community": {
            "望湖社区": figures([1.0, 4.0, 800.0, 1.0, 30.0, 3.0, 2.5, 0.0]),
            "柳岸社区": figures([2.0, 4.0, 17345.0, 2.0, 170.0, 8.0, 16.0, 2.0]),
        },
        "by_grid": {
            "望湖社区/第1网格": figures([1.0, 4.0, 800.0, 1.0, 30.0, 3.0, 2.5, 0.0]),
            "柳岸社区/第3网格": figures([1.0, 3.0, 15000.0, 1.0, 120.0, 8.0, 16.0, 0.0]),
        },
        "by_author": {
            "张三": figures([2.0, 7.0, 15800.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
            "李四": figures([1.0, 3.0, 15000.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
            "王五": figures([1.0, 1.0, 2345.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        },
        "by_outlet_level": {
            "national": {"publications": 1},
            "provincial": {"publications": 1},
            "city": {"publications": 1},
            "district": {"publications": 1},
            "wechat": {"publications": 2},
            "site": {"publications": 4},
        },
    })
}

fn site_json(site: &Fixture) -> Value {
    serde_json::from_str(&site.read("stats.json")).expect("stats.json is JSON")
}

#[test]
fn stats_json_holds_the_hand_counted_figures() {
    let site = tally_site();
    site.build_ok();
    let actual = site_json(&site);
    let expected = expected();
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(
            &actual[key], value,
            "stats.json[{key}] differs from the hand count"
        );
    }
    // Keys in the contract's order; by_month sorted.
    let keys: Vec<&String> = actual.as_object().unwrap().keys().collect();
    assert_eq!(
        &keys[..9],
        [
            "as_of",
            "totals",
            "by_year",
            "by_month",
            "by_category",
            "by_community",
            "by_grid",
            "by_author",
            "by_outlet_level"
        ]
    );
    assert_eq!(
        actual["by_outlet"],
        json!({
            "大众网": {"level": "provincial", "publications": 1},
            "学习强国": {"level": "national", "publications": 1},
            "测试发布": {"level": "wechat", "publications": 2},
            "澜州日报": {"level": "city", "publications": 1},
            "青屿融媒": {"level": "district", "publications": 1},
        })
    );
}

#[test]
fn unusable_read_rows_are_named_with_file_and_line() {
    let site = tally_site();
    let run = site.build_ok();
    for expected in [
        "content/reads/a-plain.csv:4:1: 警告: 找不到文章“不存在的文章”",
        "content/reads/d-export.xlsx:4:1: 警告: “十万加的文章”的阅读数“10万+”不是整数",
        "content/reads/d-export.xlsx:5:1: 警告: 找不到文章“没发到网站的文章”",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    // Exactly those three: the GBK file and the draft's row are not warnings.
    assert_eq!(run.stderr.matches("警告").count(), 3, "{}", run.stderr);
    assert!(!run.stderr.contains("c-gbk.csv"), "{}", run.stderr);
    assert!(!run.stderr.contains("b-bom.csv"), "{}", run.stderr);
}

#[test]
fn stats_command_json_is_the_site_json() {
    let site = tally_site();
    site.build_ok();
    let run = site.run(&["stats", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, site.read("stats.json"));
    // Warnings go to standard error, so the JSON on standard output stays clean.
    assert!(run.stderr.contains("a-plain.csv:4:1"));
}

#[test]
fn stats_csv_has_the_same_figures() {
    let site = tally_site();
    site.build_ok();
    let bytes = fs::read(site.public("stats.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "Excel needs the byte-order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "breakdown,key,articles,publications,reads,activities,participants,volunteers,hours,honors"
    );
    for expected in [
        "totals,,4,10,19195,3,200,11,18.5,3",
        "by_year,2024,2,7,15800,2,150,11,18.5,1",
        "by_month,2024-11,1,4,800,1,30,3,2.5,0",
        "by_month.year_to_date,2025-01,2,3,3395,1,50,0,0,0",
        "by_month.cumulative,2025-01,4,10,19195,3,200,11,18.5,0",
        "by_category,lectures,1,4,800,2,80,3,2.5,0",
        "by_community,柳岸社区,2,4,17345,2,170,8,16,2",
        "by_grid,望湖社区/第1网格,1,4,800,1,30,3,2.5,0",
        "by_author,张三,2,7,15800,0,0,0,0,0",
        "by_outlet_level,city,,1,,,,,,",
        "by_outlet_level,site,,4,,,,,,",
        "by_outlet,测试发布,,2,,,,,,",
    ] {
        assert!(lines.contains(&expected), "missing {expected:?} in\n{text}");
    }
    // Every row of the JSON, no more: 1 total, 3 years, 3 × 11 months, 4 categories,
    // 2 communities, 2 grids, 3 authors, 6 levels, 5 outlets, and the heading.
    assert_eq!(lines.len(), 1 + 1 + 3 + 33 + 4 + 2 + 2 + 3 + 6 + 5);
    let run = site.run(&["stats", "--format", "csv"]);
    assert_eq!(
        run.stdout.as_bytes(),
        &fs::read(site.public("stats.csv")).unwrap()[..]
    );
}

fn cell_number(range: &calamine::Range<Data>, row: usize, column: usize) -> f64 {
    match range.get((row, column)) {
        Some(Data::Float(n)) => *n,
        Some(Data::Int(n)) => *n as f64,
        other => panic!("cell ({row}, {column}) is not a number: {other:?}"),
    }
}

fn row_of(range: &calamine::Range<Data>, label: &str) -> usize {
    range
        .rows()
        .position(|row| row.first().is_some_and(|c| *c == label))
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

#[test]
fn xlsx_report_reads_back_with_the_same_figures() {
    let site = tally_site();
    let run = site.run(&["stats", "--format", "xlsx", "--output", "月报.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("月报.xlsx"), "{}", run.stdout);
    let mut workbook = calamine::open_workbook_auto(site.root().join("月报.xlsx")).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "汇总",
            "按月份",
            "按栏目",
            "按社区",
            "按网格",
            "按作者",
            "按发稿媒体级别"
        ]
    );

    let totals = workbook.worksheet_range("汇总").unwrap();
    let heading = row_of(&totals, "年份");
    let headings: Vec<String> = totals
        .rows()
        .nth(heading)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        headings,
        [
            "年份",
            "文章（篇）",
            "发稿（篇）",
            "阅读（次）",
            "活动（场）",
            "服务群众（人次）",
            "志愿者（人次）",
            "服务时长（小时）",
            "荣誉（项）"
        ]
    );
    let total = row_of(&totals, "合计");
    let numbers: Vec<f64> = (1..=8).map(|c| cell_number(&totals, total, c)).collect();
    assert_eq!(numbers, [4.0, 10.0, 19195.0, 3.0, 200.0, 11.0, 18.5, 3.0]);
    let year = row_of(&totals, "2024年");
    assert_eq!(cell_number(&totals, year, 3), 15800.0);

    let months = workbook.worksheet_range("按月份").unwrap();
    assert_eq!(months.rows().count(), 1 + 11);
    let january = row_of(&months, "2025-01");
    // Month figures (7 columns), then year to date (7), then cumulative (7).
    assert_eq!(cell_number(&months, january, 3), 3395.0);
    assert_eq!(cell_number(&months, january, 1 + 7 + 2), 3395.0);
    assert_eq!(cell_number(&months, january, 1 + 14 + 2), 19195.0);
    assert_eq!(cell_number(&months, january, 1 + 14 + 6), 18.5);

    let communities = workbook.worksheet_range("按社区").unwrap();
    let liu = row_of(&communities, "柳岸社区");
    let numbers: Vec<f64> = (1..=8).map(|c| cell_number(&communities, liu, c)).collect();
    assert_eq!(numbers, [2.0, 4.0, 17345.0, 2.0, 170.0, 8.0, 16.0, 2.0]);

    let grids = workbook.worksheet_range("按网格").unwrap();
    let grid = row_of(&grids, "望湖社区");
    assert_eq!(grids.get((grid, 1)).unwrap().to_string(), "第1网格");
    assert_eq!(cell_number(&grids, grid, 3), 4.0);

    let categories = workbook.worksheet_range("按栏目").unwrap();
    let models = row_of(&categories, "身边好人");
    assert_eq!(cell_number(&categories, models, 8), 3.0);

    let authors = workbook.worksheet_range("按作者").unwrap();
    let zhang = row_of(&authors, "张三");
    assert_eq!(
        (1..=3)
            .map(|c| cell_number(&authors, zhang, c))
            .collect::<Vec<_>>(),
        [2.0, 7.0, 15800.0]
    );

    let outlets = workbook.worksheet_range("按发稿媒体级别").unwrap();
    assert_eq!(cell_number(&outlets, row_of(&outlets, "本站"), 1), 4.0);
    assert_eq!(
        cell_number(&outlets, row_of(&outlets, "微信公众号"), 1),
        2.0
    );
    assert_eq!(cell_number(&outlets, row_of(&outlets, "澜州日报"), 2), 1.0);
}

#[test]
fn xlsx_without_output_is_saved_beside_not_printed() {
    let site = tally_site();
    let run = site.run(&["stats", "--format", "xlsx", "--year", "2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.root().join("发稿与阅读统计-2024.xlsx").is_file());
    assert!(
        !run.stdout.contains("PK"),
        "the workbook must not go to the terminal"
    );
}

#[test]
fn terminal_table_aligns_chinese_text() {
    let site = tally_site();
    let run = site.run(&["stats"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let total = lines
        .iter()
        .find(|l| l.starts_with("合计"))
        .expect("a total line");
    let words: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(
        words,
        ["合计", "4", "10", "19195", "3", "200", "11", "18.5", "3"]
    );

    let run = site.run(&["stats", "--by", "community"]);
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("社区") || l.starts_with("柳岸") || l.starts_with("望湖"))
        .collect();
    assert_eq!(rows.len(), 3, "{}", run.stdout);
    // Chinese characters take two columns: every line ends in the same terminal column.
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    assert!(
        rows.iter().all(|r| width(r) == width(rows[0])),
        "{}",
        run.stdout
    );
    assert!(rows[1].split_whitespace().eq([
        "望湖社区",
        "1",
        "4",
        "800",
        "1",
        "30",
        "3",
        "2.5",
        "0"
    ]));

    let run = site.run(&["stats", "--by", "author"]);
    let zhang = run.stdout.lines().find(|l| l.starts_with("张三")).unwrap();
    assert!(
        zhang.split_whitespace().eq(["张三", "2", "7", "15800"]),
        "{}",
        run.stdout
    );
}

#[test]
fn one_year_keeps_the_running_total_since_the_first_record() {
    let site = tally_site();
    let run = site.run(&["stats", "--year", "2025", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let expected = expected();
    assert_eq!(json["totals"], expected["by_year"]["2025"]);
    assert_eq!(json["by_month"].as_array().unwrap().len(), 1);
    assert_eq!(json["by_month"][0], expected["by_month"][10]);
    assert_eq!(
        json["by_author"],
        json!({"王五": figures([1.0, 1.0, 2345.0, 0.0, 0.0, 0.0, 0.0, 0.0])})
    );
    assert_eq!(json["by_outlet_level"]["wechat"]["publications"], 1);

    let run = site.run(&["stats", "--by", "grid", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["as_of", "totals", "by_grid"]);
}

#[test]
fn home_page_strip_reads_like_the_contract() {
    let site = tally_site();
    site.build_ok();
    let home = site.read("index.html");
    let strip = &home[home.find("tally-strip").expect("the strip")..];
    let text: String = strip[..strip.find("</section>").unwrap()]
        .split('<')
        .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("2025年以来 发稿 3 篇 · 阅读 3395 次 · 宣讲 1 场 · 服务群众 50 人次"),
        "{text}"
    );
    assert!(
        text.contains("累计 发稿 10 篇 · 阅读 1.9万 次 · 宣讲 2 场 · 服务群众 200 人次"),
        "{text}"
    );
    assert!(
        home.contains("href=\"/ceshi/stats/\""),
        "the strip and footer link to /stats/"
    );
}

/// A row of a table on the stats page: its `data-key`, its heading and its cells.
struct TableRow {
    key: String,
    label: String,
    cells: Vec<String>,
}

fn table_rows(section: &str) -> Vec<TableRow> {
    section
        .split("<tr data-key=\"")
        .skip(1)
        .map(|chunk| {
            let row = &chunk[..chunk.find("</tr>").unwrap()];
            let key = row[..row.find('"').unwrap()].to_string();
            let label = between(row, "<th scope=\"row\">", "</th>").to_string();
            let cells = row
                .split("<td class=\"num\">")
                .skip(1)
                .map(|c| c[..c.find("</td>").unwrap()].to_string())
                .collect();
            TableRow { key, label, cells }
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap() + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// Parses an SVG as XML (failing on any error, end tags checked) and returns
/// its marks: (element, series, label, value).
fn chart_marks(svg: &str) -> Vec<(String, String, String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut marks = Vec::new();
    let mut open = 0i32;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|error| panic!("chart is not well-formed XML: {error}\n{svg}"));
        let element = match event {
            Event::Eof => break,
            Event::Start(e) => {
                open += 1;
                e
            }
            Event::Empty(e) => e,
            Event::End(_) => {
                open -= 1;
                continue;
            }
            _ => continue,
        };
        let attribute = |name: &str| {
            element
                .try_get_attribute(name)
                .unwrap()
                .map(|a| {
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned()
                })
                .unwrap_or_default()
        };
        let value = attribute("data-value");
        if !value.is_empty() {
            marks.push((
                element.name().as_ref().to_string(),
                attribute("data-series"),
                attribute("data-label"),
                value,
            ));
        }
    }
    assert_eq!(open, 0, "every element is closed");
    marks
}

#[test]
fn stats_page_charts_are_xml_and_agree_with_their_tables() {
    let site = tally_site();
    site.build_ok();
    let page = site.read("stats/index.html");
    let main = main_of(&page);
    let sections: Vec<&str> = main
        .split("<section class=\"stats-section\"")
        .skip(1)
        .collect();
    let section = |id: &str| -> &str {
        sections
            .iter()
            .find(|s| s.starts_with(&format!(" id=\"{id}\"")))
            .unwrap_or_else(|| panic!("no section {id}"))
    };
    let svg = |s: &str| -> String {
        let start = s.find("<svg").expect("a chart");
        let end = s.find("</svg>").unwrap() + "</svg>".len();
        s[start..end].to_string()
    };
    let mut charts = 0;

    // Monthly publications: bars = 当月发稿, the line = 累计发稿.
    let monthly = section("monthly-publications");
    let rows = table_rows(monthly);
    assert_eq!(rows.len(), 11);
    let marks = chart_marks(&svg(monthly));
    let bars: Vec<(String, String)> = marks
        .iter()
        .filter(|m| m.0 == "rect")
        .map(|m| (m.2.clone(), m.3.clone()))
        .collect();
    let points: Vec<(String, String)> = marks
        .iter()
        .filter(|m| m.0 == "circle")
        .map(|m| (m.2.clone(), m.3.clone()))
        .collect();
    assert_eq!(
        bars,
        rows.iter()
            .map(|r| (r.key.clone(), r.cells[0].clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        points,
        rows.iter()
            .map(|r| (r.key.clone(), r.cells[2].clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(bars[8], ("2024-11".to_string(), "4".to_string()));
    assert_eq!(points[10], ("2025-01".to_string(), "10".to_string()));
    charts += 1;

    let reads = section("monthly-reads");
    let rows = table_rows(reads);
    let marks = chart_marks(&svg(reads));
    let bars: Vec<(String, String)> = marks.iter().map(|m| (m.2.clone(), m.3.clone())).collect();
    assert_eq!(
        bars,
        rows.iter()
            .map(|r| (r.key.clone(), r.cells[0].clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(bars[0], ("2024-03".to_string(), "15000".to_string()));
    charts += 1;

    let kinds = section("activities-by-kind");
    let rows = table_rows(kinds);
    let marks = chart_marks(&svg(kinds));
    let bars: Vec<(String, String)> = marks.iter().map(|m| (m.2.clone(), m.3.clone())).collect();
    assert_eq!(
        bars,
        [
            ("理论宣讲".to_string(), "2".to_string()),
            ("志愿服务".to_string(), "1".to_string())
        ]
    );
    assert_eq!(
        bars,
        rows.iter()
            .map(|r| (r.label.clone(), r.cells[0].clone()))
            .collect::<Vec<_>>()
    );
    charts += 1;

    // Communities and grids: bars of publications (column 2) and activities (column 4).
    for id in ["by-community", "by-grid"] {
        let part = section(id);
        let rows = table_rows(part);
        assert_eq!(rows.len(), 2);
        let marks = chart_marks(&svg(part));
        for (series, column) in [("发稿", 1), ("活动", 3)] {
            let bars: Vec<(String, String)> = marks
                .iter()
                .filter(|m| m.1 == series)
                .map(|m| (m.2.clone(), m.3.clone()))
                .collect();
            assert_eq!(
                bars,
                rows.iter()
                    .map(|r| (r.label.clone(), r.cells[column].clone()))
                    .collect::<Vec<_>>(),
                "{id} {series}"
            );
        }
        charts += 1;
    }
    let community = table_rows(section("by-community"));
    assert_eq!(community[1].label, "柳岸社区");
    assert_eq!(
        community[1].cells,
        ["2", "4", "17345", "2", "170", "8", "16", "2"]
    );

    let outlets = section("by-outlet-level");
    let rows = table_rows(outlets);
    let marks = chart_marks(&svg(outlets));
    let bars: Vec<(String, String)> = marks.iter().map(|m| (m.2.clone(), m.3.clone())).collect();
    let levels: Vec<(String, String)> = rows
        .iter()
        .take(6)
        .map(|r| (r.label.clone(), r.cells[0].clone()))
        .collect();
    assert_eq!(bars, levels);
    assert_eq!(levels[4], ("微信公众号".to_string(), "2".to_string()));
    charts += 1;

    assert_eq!(
        page.matches("<svg").count(),
        charts,
        "every chart was checked"
    );
    // Each chart is an image with a name, and has a table beside it.
    assert_eq!(page.matches("role=\"img\" aria-label=").count(), charts);
    let years = table_rows(section("by-year"));
    assert_eq!(
        years.last().unwrap().cells,
        ["4", "10", "19195", "3", "200", "11", "18.5", "3"]
    );
}

#[test]
fn an_empty_site_has_an_empty_tally() {
    let site = Fixture::new();
    site.build_ok();
    let json = site_json(&site);
    assert_eq!(json["as_of"], Value::Null);
    assert_eq!(json["totals"], figures([0.0; 8]));
    assert_eq!(json["by_month"], json!([]));
    assert!(!site.read("index.html").contains("tally-strip"));
    assert!(site.read("stats/index.html").contains("暂无数据"));
    let run = site.run(&["stats"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("合计"));
}

#[test]
fn stats_refuses_a_site_with_errors() {
    let site = tally_site();
    site.article(
        "bad.md",
        "title: 坏文章\ndate: 2025-01-01\noutlets: [学习强过]",
        "正文。\n",
    );
    let run = site.run(&["stats"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("学习强国"),
        "did you mean: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}
