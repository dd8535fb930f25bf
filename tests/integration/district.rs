//! A district portal (区级汇总) built from member offices' sites, as the
//! district's publicity department would run it: two offices fetched over
//! real HTTP from a loopback server (Python's `http.server`, see
//! scripts/servers/members_http.py), one read from a folder.
//!
//! The hand count (SOURCE_DATE_EPOCH is 2026-01-01; every office's newest
//! item is 2025-12-20, so the periods are 2025-12, 2025-Q4 and 2025):
//!
//! | office | article | publications | reads |
//! |---|---|---|---|
//! | 甲街道 (HTTP) | 2025-11-05 学习强国 | 2 | 100 |
//! | 甲街道 | 2025-12-10 测试发布, 大众网 | 3 | 50 |
//! | 甲街道 | 2025-12-20 | 1 | 10 |
//! | 乙街道 (HTTP) | 2025-10-01 | 1 | 5 |
//! | 乙街道 | 2025-12-03 学习强国, 大众网, 测试发布 | 4 | 500 |
//! | 丙街道 (folder) | 2025-12-15 | 1 | 20 |
//!
//! December: 甲 4 publications, 乙 4, 丙 1; 甲 and 乙 are level, and 乙 has
//! more reads, so 乙 is first, 甲 second, 丙 third. November: 甲 2, the
//! others 0 (level, second). So 乙 climbed one place, 甲 and 丙 fell one.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::support::{Fixture, SITE_TOML};

/// The loopback server the HTTP members are published to.
struct Server {
    child: Child,
    port: u16,
    root: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let root = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/servers/members_http.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(root.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the loopback HTTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("the server prints its port");
        Server { child, port, root }
    }

    fn url(&self, slug: &str) -> String {
        format!("http://127.0.0.1:{}/{slug}/", self.port)
    }

    fn folder(&self, slug: &str) -> PathBuf {
        self.root.path().join(slug)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An office's site with `articles` (file, front matter) and one activity,
/// published at `base_url` into `output`.
fn office(title: &str, base_url: &str, articles: &[(&str, &str)], output: &Path) -> Fixture {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &SITE_TOML
            .replace("测试街道新时代文明实践", title)
            .replace("https://example.gov.cn/ceshi/", base_url),
    );
    for (file, front_matter) in articles {
        site.article(file, front_matter, "正文。\n");
    }
    site.write(
        "content/activities/records.yaml",
        "- date: 2025-12-01\n  kind: volunteer\n  title: 助老服务\n  participants: 30\n  volunteers: 4\n  hours: 6\n",
    );
    let out = output.to_str().unwrap();
    let run = site.run(&["build", "--output", out]);
    assert_eq!(run.code, 0, "{title} did not build:\n{}", run.stderr);
    site
}

fn jia(base_url: &str, output: &Path) -> Fixture {
    office(
        "甲街道",
        base_url,
        &[
            ("a1.md", "title: 十一月宣讲\ndate: 2025-11-05\ncategory: lectures\noutlets: [学习强国]\nreads: 100"),
            ("a2.md", "title: 十二月志愿服务\ndate: 2025-12-10\ncategory: volunteer\noutlets: [测试发布, 大众网]\nreads: 50"),
            ("a3.md", "title: 年终走访\ndate: 2025-12-20\ncategory: news\nreads: 10"),
        ],
        output,
    )
}

fn yi(base_url: &str, output: &Path) -> Fixture {
    office(
        "乙街道",
        base_url,
        &[
            ("b1.md", "title: 国庆游园\ndate: 2025-10-01\ncategory: news\nreads: 5"),
            ("b2.md", "title: 反诈宣传进小区\ndate: 2025-12-03\ncategory: volunteer\noutlets: [学习强国, 大众网, 测试发布]\nreads: 500"),
        ],
        output,
    )
}

fn bing(output: &Path) -> Fixture {
    office(
        "丙街道",
        "https://example.gov.cn/bing/",
        &[(
            "c1.md",
            "title: 冬日暖心\ndate: 2025-12-15\ncategory: news\nreads: 20",
        )],
        output,
    )
}

/// The three offices published, and a portal listing them.
struct District {
    server: Server,
    /// The folder member's published output.
    bing_out: tempfile::TempDir,
    portal: Fixture,
    _members: Vec<Fixture>,
}

fn portal_toml(members: &str) -> String {
    SITE_TOML
        .replace("测试街道新时代文明实践", "青屿区新时代文明实践")
        .replace(
            "https://example.gov.cn/ceshi/",
            "https://example.gov.cn/qingyu/",
        )
        + members
}

fn district() -> District {
    let server = Server::start();
    let bing_out = tempfile::tempdir().unwrap();
    let members = vec![
        jia(&server.url("jia"), &server.folder("jia")),
        yi(&server.url("yi"), &server.folder("yi")),
        bing(bing_out.path()),
    ];
    let portal = Fixture::new();
    portal.write(
        "site.toml",
        &portal_toml(&format!(
            "\n[[members]]\nname = \"甲街道\"\nsource = \"{}\"\n\n[[members]]\nname = \"乙街道\"\nsource = \"{}\"\n\n[[members]]\nname = \"丙街道\"\nsource = \"{}\"\n",
            server.url("jia"),
            server.url("yi"),
            bing_out.path().display()
        )),
    );
    portal.article(
        "district.md",
        "title: 全区宣传工作会议召开\ndate: 2025-12-18\ncategory: news",
        "会议部署了下一阶段的宣传工作。\n",
    );
    District {
        server,
        bing_out,
        portal,
        _members: members,
    }
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A member's figures for the months that `in_period` keeps, summed from
/// its own stats.json.
fn summed(stats: &Value, in_period: impl Fn(&str) -> bool, measure: &str) -> u64 {
    stats["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| in_period(m["month"].as_str().unwrap()))
        .map(|m| m[measure].as_u64().unwrap())
        .sum()
}

fn league<'a>(stats: &'a Value, period: &str) -> &'a Value {
    stats["district"]["league"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["period"] == period)
        .unwrap_or_else(|| panic!("no league table for {period}"))
}

fn row<'a>(table: &'a Value, office: &str) -> &'a Value {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["office"] == office)
        .unwrap_or_else(|| panic!("{office} not in the table"))
}

/// Whether a month (`2025-12`) is in a period.
type InPeriod = fn(&str) -> bool;

#[test]
fn the_league_table_adds_up_the_members_own_figures() {
    let d = district();
    let run = d.portal.build_ok();
    assert!(!run.stderr.contains("警告"), "{}", run.stderr);
    let stats = json(&d.portal.public("stats.json"));
    let members = [
        ("甲街道", json(&d.server.folder("jia").join("stats.json"))),
        ("乙街道", json(&d.server.folder("yi").join("stats.json"))),
        ("丙街道", json(&d.bing_out.path().join("stats.json"))),
    ];
    let periods: [(&str, InPeriod); 3] = [
        ("2025-12", |m| m == "2025-12"),
        ("2025-Q4", |m| {
            ["2025-10", "2025-11", "2025-12"].contains(&m)
        }),
        ("2025", |m| m.starts_with("2025-")),
    ];
    for (period, in_period) in periods {
        let table = league(&stats, period);
        for measure in [
            "publications",
            "reads",
            "activities",
            "participants",
            "volunteers",
            "hours",
        ] {
            let mut total = 0;
            for (name, own) in &members {
                let by_hand = summed(own, in_period, measure);
                total += by_hand;
                assert_eq!(
                    row(table, name)["figures"][measure],
                    by_hand,
                    "{name} {measure} in {period}"
                );
            }
            assert_eq!(table["total"][measure], total, "{measure} in {period}");
        }
    }
    // The ranks and the changes worked out in the table at the top.
    let december = league(&stats, "2025-12");
    let ranks: Vec<(&str, u64, u64)> = december["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["office"].as_str().unwrap(),
                r["rank"].as_u64().unwrap(),
                r["previous_rank"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranks,
        [("乙街道", 1, 2), ("甲街道", 2, 1), ("丙街道", 3, 2)]
    );
    assert_eq!(row(december, "甲街道")["figures"]["publications"], 4);
    let levels = &row(december, "乙街道")["figures"]["publications_by_level"];
    assert_eq!(
        (
            levels["national"].as_u64(),
            levels["provincial"].as_u64(),
            levels["wechat"].as_u64(),
            levels["site"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(1))
    );
    assert_eq!(stats["district"]["totals"]["publications"], 12);
    assert_eq!(stats["district"]["totals"]["reads"], 685);
    assert_eq!(stats["format_version"], 1);
    assert_eq!(stats["site"]["base_url"], "https://example.gov.cn/qingyu/");

    // The page shows the same: 乙 first, climbed one; 甲 fell one.
    let page = d.portal.read("league/index.html");
    let month = &page[page.find("id=\"month\"").unwrap()..page.find("id=\"quarter\"").unwrap()];
    let yi_at = month.find(">乙街道<").unwrap();
    assert!(yi_at < month.find(">甲街道<").unwrap(), "乙 above 甲");
    assert!(month.contains("上升1位") && month.contains("下降1位"));
    assert!(page.contains("2025年第四季度") && page.contains("年度排行"));

    // An office's page, the offices, the home page, search and the sitemap.
    let office = d.portal.read("offices/yi-jie-dao/index.html");
    assert!(office.contains("反诈宣传进小区"));
    assert!(office.contains(&format!("href=\"{}", d.server.url("yi"))));
    assert!(d.portal.read("offices/index.html").contains("丙街道"));
    let home = d.portal.read("index.html");
    let district_block = &home[home.find("全区汇总").unwrap()..];
    assert!(
        district_block.contains("<strong>685</strong>"),
        "the district's reads on the home page"
    );
    let merged: Vec<usize> = ["年终走访", "冬日暖心", "十二月志愿服务", "反诈宣传进小区"]
        .iter()
        .map(|t| {
            district_block
                .find(t)
                .unwrap_or_else(|| panic!("{t} on the home page"))
        })
        .collect();
    assert!(
        merged.windows(2).all(|w| w[0] < w[1]),
        "merged newest first"
    );
    assert!(
        home.contains("全区宣传工作会议召开"),
        "the portal's own article"
    );
    let sitemap = d.portal.read("sitemap.xml");
    assert!(sitemap.contains("https://example.gov.cn/qingyu/league/"));
    assert!(sitemap.contains("https://example.gov.cn/qingyu/offices/bing-jie-dao/"));
    let records: Vec<streetpress::search::Record> =
        walkdir::WalkDir::new(d.portal.public("search/d"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| streetpress::search::decode_record(&fs::read(e.path()).unwrap()))
            .collect();
    let found = records
        .iter()
        .find(|r| r.t == "反诈宣传进小区")
        .expect("a member's article is searchable");
    assert_eq!(
        found.u,
        format!("{}articles/2025/12/b2/", d.server.url("yi")),
        "at its own page"
    );
    assert_eq!(found.c, "乙街道 · 志愿服务");

    // The workbook has a sheet per period with the offices as rows.
    let xlsx = d
        .portal
        .run(&["stats", "--format", "xlsx", "--output", "report.xlsx"]);
    assert_eq!(xlsx.code, 0, "{}", xlsx.stderr);
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(d.portal.root().join("report.xlsx")).unwrap();
    let names = book.sheet_names().to_vec();
    assert!(
        names.contains(&"月度排行 2025年12月".to_string()),
        "{names:?}"
    );
    let sheet = book.worksheet_range("月度排行 2025年12月").unwrap();
    let office_names: Vec<String> = sheet
        .rows()
        .skip(3)
        .take(3)
        .map(|r| r[1].to_string())
        .collect();
    assert_eq!(office_names, ["乙街道", "甲街道", "丙街道"]);
}

#[test]
fn an_office_stopped_halfway_is_a_warning_and_its_last_good_copy_is_used() {
    let d = district();
    d.portal.build_ok();
    let before = json(&d.portal.public("stats.json"))["district"]["league"].clone();

    fs::write(d.server.folder("yi").join(".stopped-halfway"), "").unwrap();
    let run = d.portal.build_ok();
    assert!(
        run.stderr.contains("乙街道") && run.stderr.contains("下载到一半断了"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("上一份"), "{}", run.stderr);
    assert!(
        run.stderr.contains("site.toml:"),
        "the warning points at the member in site.toml:\n{}",
        run.stderr
    );
    let after = json(&d.portal.public("stats.json"));
    assert_eq!(
        after["district"]["league"], before,
        "the same figures from the last good copy"
    );
    assert!(d
        .portal
        .read("offices/yi-jie-dao/index.html")
        .contains("没有取到该街道的最新数据"));

    // With no copy kept, the office is left out of the table, by name.
    fs::remove_dir_all(
        d.portal
            .root()
            .join(".streetpress-cache/members/yi-jie-dao"),
    )
    .unwrap();
    let run = d.portal.build_ok();
    assert!(run.stderr.contains("以前也没有取得过"), "{}", run.stderr);
    let stats = json(&d.portal.public("stats.json"));
    assert_eq!(
        stats["district"]["unavailable"],
        serde_json::json!(["乙街道"])
    );
    assert_eq!(
        league(&stats, "2025-12")["rows"].as_array().unwrap().len(),
        2
    );
    assert!(d
        .portal
        .read("league/index.html")
        .contains("这次没有取到数据的街道：乙街道"));
}

#[test]
fn a_server_that_is_not_there_is_named_with_its_address() {
    let d = district();
    let url = d.server.url("yi");
    drop(d.server);
    let run = d.portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("连不上 {url}stats.json")),
        "{}",
        run.stderr
    );
}

/// The portal's build fails, and its message says `wanted`.
fn refused(portal: &Fixture, wanted: &[&str]) -> String {
    let before = crate::support::tree(&portal.public(""));
    let run = portal.build();
    assert_ne!(run.code, 0, "the build should fail:\n{}", run.stderr);
    for w in wanted {
        assert!(
            run.stderr.contains(w),
            "message lacks {w:?}:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        crate::support::tree(&portal.public("")),
        before,
        "the portal as it was"
    );
    run.stderr
}

#[test]
fn bad_member_lists_are_refused_with_clear_messages() {
    let out = tempfile::tempdir().unwrap();
    let _bing = bing(out.path());
    let source = out.path().display().to_string();
    let portal = Fixture::new();

    portal.write(
        "site.toml",
        &portal_toml(&format!(
            "\n[[members]]\nname = \"丙街道\"\nsource = \"{source}\"\n\n[[members]]\nname = \"丙街道东片\"\nsource = \"{source}\"\n"
        )),
    );
    refused(&portal, &["site.toml:", "丙街道东片", "同一个来源"]);

    portal.write(
        "site.toml",
        &portal_toml(&format!(
            "\n[[members]]\nname = \"丙街道\"\nsource = \"{source}\"\n\n[[members]]\nname = \"丙街道\"\nsource = \"https://example.gov.cn/other/\"\n"
        )),
    );
    refused(&portal, &["site.toml:", "两个成员都叫“丙街道”"]);
}

#[test]
fn a_members_stats_of_a_newer_format_or_wrong_shape_and_future_articles_are_named() {
    let out = tempfile::tempdir().unwrap();
    let _bing = bing(out.path());
    let portal = Fixture::new();
    portal.write(
        "site.toml",
        &portal_toml(&format!(
            "\n[[members]]\nname = \"丙街道\"\nsource = \"{}\"\n",
            out.path().display()
        )),
    );
    portal.build_ok();
    let stats_path = out.path().join("stats.json");
    let good = fs::read_to_string(&stats_path).unwrap();

    fs::write(
        &stats_path,
        good.replace("\"format_version\": 1", "\"format_version\": 7"),
    )
    .unwrap();
    refused(&portal, &["stats.json:", "丙街道", "第 7 版", "升级"]);

    let no_base: Value = {
        let mut v: Value = serde_json::from_str(&good).unwrap();
        v["site"].as_object_mut().unwrap().remove("base_url");
        v
    };
    fs::write(&stats_path, serde_json::to_string_pretty(&no_base).unwrap()).unwrap();
    refused(&portal, &["丙街道", "site.base_url"]);

    fs::write(&stats_path, &good).unwrap();
    let feed_path = out.path().join("rss.xml");
    let feed = fs::read_to_string(&feed_path).unwrap();
    let future = feed.replace(" 2025 ", " 2031 ");
    fs::write(&feed_path, future).unwrap();
    let run = portal.build_ok();
    assert!(
        run.stderr.contains("丙街道") && run.stderr.contains("还没到"),
        "{}",
        run.stderr
    );
    assert!(!portal
        .read("offices/bing-jie-dao/index.html")
        .contains("冬日暖心"));
}
