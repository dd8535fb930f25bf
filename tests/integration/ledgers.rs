//! Activity ledgers (活动台账) in `content/activities/`: Excel workbooks and
//! CSV files read as activity records beside the YAML ones, counted in the
//! tally and listed on the pages, their mistakes named by sheet and cell.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
use serde_json::Value;

use crate::support::{main_of, Fixture};

/// A ledger as a community keeps it: a merged title row, headings on row 2,
/// a community written once in a merged cell for three rows, dates as date
/// cells, as a serial number without a date format and as typed text,
/// counts with their units, an empty row, an unfilled template row with only
/// its 序号, and a 合计 row at the bottom.
fn community_ledger() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("三月").unwrap();
    let center = Format::new().set_align(FormatAlign::Center);
    sheet
        .merge_range(0, 0, 0, 9, "柳岸社区2024年3月活动台账", &center)
        .unwrap();
    let headings = [
        "序号",
        "日期",
        "活动名称",
        "类型",
        "社区",
        "网格",
        "地点",
        "参与人数（人）",
        "志愿者人数",
        "志愿时长",
    ];
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string(1, column as u16, *heading).unwrap();
    }
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let rows: [(&str, &str, &str, &str, &str, &str, &str); 4] = [
        (
            "",
            "垃圾分类宣传",
            "志愿服务",
            "第1网格",
            "小区广场",
            "120人",
            "16小时",
        ),
        (
            "",
            "理论学习分享会",
            "理论宣讲",
            "第2网格",
            "党群服务中心",
            "３０",
            "3.5h",
        ),
        (
            "2024/3/9",
            "义务理发",
            "volunteer",
            "第1网格",
            "",
            "25",
            "6",
        ),
        (
            "2024年3月11日",
            "文明交通劝导",
            "志愿服务",
            "",
            "路口",
            "",
            "2.5 小时",
        ),
    ];
    for (i, (typed_date, title, kind, grid, place, people, hours)) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64).unwrap();
        match i {
            0 => {
                sheet
                    .write_datetime_with_format(
                        row,
                        1,
                        ExcelDateTime::from_ymd(2024, 3, 2).unwrap(),
                        &date,
                    )
                    .unwrap();
            }
            // A date cell whose format was lost: its serial number (2024-03-05).
            1 => {
                sheet.write_number(row, 1, 45356).unwrap();
            }
            _ => {
                sheet.write_string(row, 1, *typed_date).unwrap();
            }
        }
        sheet.write_string(row, 2, *title).unwrap();
        sheet.write_string(row, 3, *kind).unwrap();
        sheet.write_string(row, 5, *grid).unwrap();
        sheet.write_string(row, 6, *place).unwrap();
        if *people == "25" {
            sheet.write_number(row, 7, 25).unwrap();
        } else {
            sheet.write_string(row, 7, *people).unwrap();
        }
        sheet.write_string(row, 9, *hours).unwrap();
    }
    sheet.write_number(2, 8, 8).unwrap();
    sheet.write_string(3, 8, "2名").unwrap();
    sheet.write_number(4, 8, 3).unwrap();
    // The community, once for the first three activities.
    sheet
        .merge_range(2, 4, 4, 4, "柳岸社区", &Format::new())
        .unwrap();
    sheet.write_string(5, 4, "望湖社区").unwrap();
    // Row 7 empty; row 8 a template row with only its number; row 9 the total.
    sheet.write_number(7, 0, 5).unwrap();
    sheet.write_string(8, 0, "合计").unwrap();
    sheet.write_number(8, 7, 175).unwrap();
    sheet.write_number(8, 8, 13).unwrap();
    sheet.write_number(8, 9, 28).unwrap();
    workbook.save_to_buffer().unwrap()
}

fn stats(site: &Fixture) -> Value {
    serde_json::from_str(&site.read("stats.json")).expect("stats.json")
}

#[test]
fn a_workbook_ledger_is_listed_and_counted_like_yaml_records() {
    let site = Fixture::new();
    site.write_bytes("content/activities/2024-03台账.xlsx", &community_ledger());
    site.write(
        "content/activities/2024-04.yaml",
        "- date: 2024-04-01\n  kind: volunteer\n  title: 写在 YAML 里的活动\n  participants: 10\n  volunteers: 1\n  hours: 1\n",
    );
    let run = site.build_ok();
    assert!(!run.stderr.contains("错误"), "{}", run.stderr);

    let all = site.read("activities/index.html");
    let listed = main_of(&all);
    for title in [
        "垃圾分类宣传",
        "理论学习分享会",
        "义务理发",
        "文明交通劝导",
        "写在 YAML 里的活动",
    ] {
        assert!(listed.contains(title), "{title} missing from:\n{listed}");
    }
    assert!(!listed.contains("合计"), "the total row is no activity");
    assert!(
        site.read("lectures/index.html").contains("理论学习分享会"),
        "kind by display name"
    );
    let liuan = site.read("communities/柳岸社区/index.html");
    assert!(
        liuan.contains("义务理发"),
        "a merged community cell covers its rows"
    );
    assert!(site
        .read("communities/望湖社区/index.html")
        .contains("文明交通劝导"));

    let stats = stats(&site);
    let totals = &stats["totals"];
    assert_eq!(totals["activities"], 5, "{totals}");
    assert_eq!(totals["participants"], 120 + 30 + 25 + 10, "{totals}");
    assert_eq!(totals["volunteers"], 8 + 2 + 3 + 1, "{totals}");
    assert_eq!(totals["hours"].as_f64(), Some(16.0 + 3.5 + 6.0 + 2.5 + 1.0));
    let months: Vec<(&str, u64)> = stats["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap(),
                m["activities"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(months, [("2024-03", 4), ("2024-04", 1)], "dates read right");
    assert_eq!(stats["by_community"]["柳岸社区"]["activities"], 3);
    assert_eq!(stats["by_grid"]["柳岸社区/第1网格"]["participants"], 145);
}

#[test]
fn csv_ledgers_in_utf8_with_a_bom_and_in_gbk() {
    let site = Fixture::new();
    let text = "日期,活动名称,类别,社区,服务人次,志愿者人数,服务时长\r\n2024-05-04,青年读书会,理论宣讲,柳岸社区,40人次,4,8小时\r\n2024.5.6,敬老助餐,志愿服务,柳岸社区,60,6,12\r\n合计,,,,100,10,20\r\n";
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    site.write_bytes("content/activities/五月-utf8.csv", &bom);
    let (gbk, _, _) = encoding_rs::GBK
        .encode("date,title,kind,participants,hours\r\n2024-05-20,法律咨询,志愿服务,１５,2\r\n");
    site.write_bytes("content/activities/五月-gbk.csv", &gbk);
    let run = site.build_ok();
    assert!(!run.stderr.contains("GBK"), "{}", run.stderr);
    let totals = stats(&site)["totals"].clone();
    assert_eq!(totals["activities"], 3, "{totals}");
    assert_eq!(totals["participants"], 115, "{totals}");
    assert_eq!(totals["volunteers"], 10, "{totals}");
    assert_eq!(totals["hours"].as_f64(), Some(22.0));
    let all = site.read("activities/index.html");
    assert!(main_of(&all).contains("法律咨询"));
}

/// A ledger with a mistake in three cells and a row without its category.
fn ledger_with_mistakes() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "网格活动台账").unwrap();
    for (column, heading) in ["日期", "标题", "类别", "参与人数", "服务时长"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, column as u16, *heading).unwrap();
    }
    let rows = [
        ["2024-03-01", "正常的活动", "志愿服务", "20", "2"],
        ["2024-03-02", "人数写成汉字", "志愿服务", "一百二十人", "2"],
        ["2024-02-30", "日期不存在", "志愿服务", "5", ""],
        ["2024-03-04", "类别写错", "志愿者服务", "5", "两小时"],
        ["2024-03-05", "没有类别", "", "5", ""],
    ];
    for (i, row) in rows.iter().enumerate() {
        for (column, value) in row.iter().enumerate() {
            sheet
                .write_string(2 + i as u32, column as u16, *value)
                .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_mistake_names_the_sheet_and_cell_in_build_and_check() {
    let site = Fixture::new();
    site.write_bytes("content/activities/台账.xlsx", &ledger_with_mistakes());
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!site.exists("index.html"), "no half-written site");
    let expected = [
        "content/activities/台账.xlsx:4:4: 错误: 工作表“Sheet1”D4 单元格（参与人数）：服务人次“一百二十人”不是一个不小于 0 的整数",
        "content/activities/台账.xlsx:5:1: 错误: 工作表“Sheet1”A5 单元格（日期）：日期“2024-02-30”不存在：没有2024年2月30日",
        "content/activities/台账.xlsx:6:3: 错误: 工作表“Sheet1”C6 单元格（类别）：没有名为“志愿者服务”的栏目",
        "content/activities/台账.xlsx:6:5: 错误: 工作表“Sheet1”E6 单元格（服务时长）：服务时长“两小时”不是一个不小于 0 的数",
        "content/activities/台账.xlsx:7:3: 错误: 工作表“Sheet1”第 7 行没有填类别",
    ];
    for line in expected {
        assert!(run.stderr.contains(line), "{line}\nnot in:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("写成 120"), "{}", run.stderr);
    assert!(run.stderr.contains("写成 2"), "{}", run.stderr);
    assert!(
        run.stderr.contains("志愿服务"),
        "names the categories: {}",
        run.stderr
    );

    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    let output = format!("{}{}", check.stdout, check.stderr);
    for line in expected {
        assert!(output.contains(line), "check: {line}\nnot in:\n{output}");
    }
}

#[test]
fn files_that_are_no_ledger_say_why() {
    let site = Fixture::new();
    site.write(
        "content/activities/a-网页.xlsx",
        "<html><body>不是表格</body></html>",
    );
    // What Excel writes for a workbook with an opening password: a compound
    // file holding EncryptionInfo and EncryptedPackage, not the zip of an .xlsx.
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(1024, 0);
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        let mut entry: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        encrypted.extend(entry);
    }
    encrypted.resize(4096, 0);
    site.write_bytes("content/activities/b-加密.xlsx", &encrypted);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, heading) in ["时间段", "内容", "日期"].iter().enumerate() {
        sheet.write_string(0, column as u16, *heading).unwrap();
    }
    sheet.write_string(1, 0, "上午").unwrap();
    site.write_bytes(
        "content/activities/c-无表头.xlsx",
        &workbook.save_to_buffer().unwrap(),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let stderr = &run.stderr;
    assert!(
        stderr.contains("content/activities/a-网页.xlsx:1:1: 错误: 这个文件不是 Excel 工作簿"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/activities/b-加密.xlsx:1:1: 错误: 这个 Excel 文件设置了打开密码，无法读取"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("删掉密码后保存"), "{stderr}");
    assert!(
        stderr.contains("content/activities/c-无表头.xlsx:1:1: 错误: 工作表“Sheet1”里找不到活动台账的表头（只认出了第 1 行的“日期”）"),
        "{stderr}"
    );
    assert!(
        stderr.contains("至少有“日期”“活动名称”“类别”三列"),
        "{stderr}"
    );
}

#[test]
fn import_activities_shows_the_yaml_then_writes_records_that_count_the_same() {
    // The ledger as counted when it is read in place.
    let in_place = Fixture::new();
    in_place.write_bytes("content/activities/台账.xlsx", &community_ledger());
    in_place.build_ok();
    let expected = stats(&in_place)["totals"].clone();

    let site = Fixture::new();
    site.write_bytes("台账.xlsx", &community_ledger());
    let shown = site.run(&["import", "activities", "台账.xlsx"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("title: \"垃圾分类宣传\""),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains("participants: 120"),
        "{}",
        shown.stdout
    );
    assert!(shown.stderr.contains("加上 --write"), "{}", shown.stderr);
    assert!(
        !site.root().join("content/activities/台账.yaml").exists(),
        "shown, not written"
    );

    let written = site.run(&["import", "activities", "台账.xlsx", "--write"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(
        written.stdout.contains("content/activities/台账.yaml"),
        "{}",
        written.stdout
    );
    site.build_ok();
    assert_eq!(
        stats(&site)["totals"],
        expected,
        "the YAML counts as the ledger does"
    );
    let listed = site.read("activities/index.html");
    assert!(main_of(&listed).contains("义务理发"));

    let again = site.run(&["import", "activities", "台账.xlsx", "--write"]);
    assert_eq!(
        again.code, 2,
        "an existing file is not overwritten: {}",
        again.stderr
    );
    assert!(again.stderr.contains("没有覆盖"), "{}", again.stderr);
}

#[test]
fn import_activities_writes_nothing_from_a_ledger_with_mistakes() {
    let site = Fixture::new();
    site.write_bytes("错的台账.xlsx", &ledger_with_mistakes());
    let run = site.run(&["import", "activities", "错的台账.xlsx", "--write"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("没有导入"), "{}", run.stderr);
    assert!(!site
        .root()
        .join("content/activities/错的台账.yaml")
        .exists());
}
