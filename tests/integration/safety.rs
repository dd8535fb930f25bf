//! Safe to publish: pasted HTML is sanitised, front matter is escaped,
//! personal numbers are found and (when asked) masked, and a build that
//! fails for any reason leaves the previous site as it was.

use crate::support::{main_of, tree, Fixture, SITE_TOML};

#[test]
fn pasted_html_keeps_formatting_and_loses_what_can_run() {
    let site = Fixture::new();
    site.article(
        "xiumi.md",
        "title: 秀米排版的文章\ndate: 2024-03-01",
        "<section style=\"text-align:center;color:#c00000;position:absolute;top:0\"><p><strong>醒目标题</strong></p></section>\n\n<p onmouseover=\"steal()\">正文<script>alert('x')</script></p>\n\n<a href=\"javascript:alert(1)\">点这里</a> <iframe src=\"https://evil.example/\"></iframe>\n\n<form action=\"https://evil.example\"><input name=\"pw\"></form>\n",
    );
    site.build_ok();
    let main = main_of(&site.read("articles/2024/03/xiumi/index.html")).to_string();
    assert!(main.contains("<section style=\"text-align:center;color:#c00000\"><p><strong>醒目标题</strong></p></section>"), "{main}");
    for gone in [
        "position",
        "onmouseover",
        "<script",
        "alert",
        "javascript:",
        "<iframe",
        "evil.example",
        "<form",
        "<input",
    ] {
        assert!(!main.contains(gone), "{gone} must be removed: {main}");
    }
    let feed = site.read("rss.xml");
    assert!(
        !feed.contains("&lt;script"),
        "the feed carries the sanitised body"
    );
}

#[test]
fn iframes_from_allowed_video_hosts_stay() {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[html]\niframe_hosts = [\"player.bilibili.com\"]\n"),
    );
    site.article(
        "video.md",
        "title: 视频\ndate: 2024-03-01",
        "<iframe src=\"https://player.bilibili.com/player.html?bvid=BV1\"></iframe>\n",
    );
    site.build_ok();
    let main = main_of(&site.read("articles/2024/03/video/index.html")).to_string();
    assert!(
        main.contains("<iframe src=\"https://player.bilibili.com/player.html?bvid=BV1\""),
        "{main}"
    );
    assert!(main.contains("sandbox="), "{main}");
}

#[test]
fn front_matter_is_escaped_in_every_template() {
    let site = Fixture::new();
    site.article("a.md", "title: \"<script>alert(1)</script>标题\"\ndate: 2024-03-01\nauthor: \"<b>张三</b>\"\nsource: '\"><img src=x onerror=alert(1)>'", "正文。");
    site.build_ok();
    for page in [
        "articles/2024/03/a/index.html",
        "index.html",
        "news/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("<script>alert"), "{page}");
        assert!(!html.contains("<img src=x"), "{page}");
    }
    assert!(site
        .read("articles/2024/03/a/index.html")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;标题"));
}

#[test]
fn personal_numbers_are_warned_about_with_file_and_line() {
    let site = Fixture::new();
    site.article(
        "a.md",
        "title: 走访困难家庭\ndate: 2024-03-01",
        "第一段。\n\n联系人王阿姨，电话13812345678，身份证11010519491231002X。\n\n服务热线 0531-86123456，备案号鲁ICP备12345678号，日期2024-03-01。\n",
    );
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("content/articles/a.md:7:10: 警告: 这里像是一个手机号码（138****5678）"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "content/articles/a.md:7:25: 警告: 这里像是一个身份证号码（110105********002X）"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("警告").count(),
        2,
        "no false alarm: {}",
        run.stderr
    );
    assert!(
        site.read("articles/2024/03/a/index.html")
            .contains("13812345678"),
        "without mask the text is published as written"
    );
}

#[test]
fn mask_setting_masks_everything_published() {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[privacy]\nmask = true\npublic = [\"13900000000\"]\n"),
    );
    site.article(
        "a.md",
        "title: 走访\ndate: 2024-03-01\nsummary: 联系电话13812345678",
        "王阿姨的电话13812345678，证件号11010519491231002X，热线13900000000。\n",
    );
    site.build_ok();
    for page in [
        "articles/2024/03/a/index.html",
        "news/index.html",
        "rss.xml",
    ] {
        let text = site.read(page);
        assert!(
            !text.contains("13812345678") && !text.contains("11010519491231002X"),
            "{page} leaks"
        );
        assert!(text.contains("138****5678"), "{page}");
    }
    assert!(site
        .read("articles/2024/03/a/index.html")
        .contains("110105********002X"));
    assert!(
        site.read("articles/2024/03/a/index.html")
            .contains("热线13900000000"),
        "public numbers stay"
    );
}

/// Every file of the output as text: search records are UTF-16, the rest UTF-8.
fn published_texts(public: &std::path::Path) -> Vec<(String, String)> {
    tree(public)
        .into_iter()
        .map(|(rel, bytes)| {
            let text = if rel.starts_with("search/") && bytes.len() % 2 == 0 {
                let units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                    .collect();
                String::from_utf16_lossy(&units) + &String::from_utf8_lossy(&bytes)
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            (rel, text)
        })
        .collect()
}

#[test]
fn no_published_file_carries_a_masked_number() {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[privacy]\nmask = true\n"),
    );
    site.article(
        "a.md",
        "title: 走访困难家庭\ndate: 2024-03-01\ncommunity: 洸河社区",
        "王阿姨的电话13812345678，证件号11010519491231002X。\n",
    );
    site.write(
        "content/people/wang.md",
        "---\nname: 王秀英\nhonors:\n  - { title: 身边好人, year: 2023 }\ncommunity: 洸河社区\n---\n她常年照顾邻居，手机13912345678，身份证37010219500101002X。\n",
    );
    site.write(
        "content/pages/contact.md",
        "---\ntitle: 联系我们\n---\n联络员电话13712345678，证件370102196001010016。\n",
    );
    site.write(
        "content/activities/a.yaml",
        "- date: 2024-03-02\n  kind: volunteer\n  title: 上门服务\n  organizer: 联系人13612345678\n",
    );
    site.build_ok();
    let texts = published_texts(&site.root().join("public"));
    assert!(
        texts.iter().any(|(rel, _)| rel.starts_with("search/d/")),
        "the search records were written"
    );
    let numbers = [
        "13812345678",
        "11010519491231002X",
        "13912345678",
        "37010219500101002X",
        "13712345678",
        "370102196001010016",
        "13612345678",
    ];
    for (rel, text) in &texts {
        for number in numbers {
            assert!(!text.contains(number), "{rel} publishes {number}");
        }
    }
    for masked in ["139****5678", "137****5678", "370102********002X"] {
        assert!(
            texts
                .iter()
                .any(|(rel, text)| rel.starts_with("search/d/") && text.contains(masked)),
            "the search record keeps the masked form {masked}"
        );
    }
}

#[test]
fn strict_setting_makes_personal_numbers_errors() {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[privacy]\nstrict = true\n"),
    );
    site.write(
        "content/activities/a.yaml",
        "- date: 2024-03-01\n  kind: volunteer\n  title: 走访\n  organizer: 联系人 138 1234 5678\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/activities/a.yaml:4:18: 错误: 这里像是一个手机号码（138 **** 5678）"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.exists("index.html"));
}

#[test]
fn an_injected_write_failure_leaves_the_previous_site() {
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-01", "正文。");
    site.build_ok();
    let before = tree(&site.root().join("public"));
    site.article("b.md", "title: 乙\ndate: 2024-03-02", "正文。");
    let run = site
        .command(&["build"])
        .env("STREETPRESS_FAIL_WRITE_AFTER", "5")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("磁盘已满") || stderr.contains("写入失败"),
        "the message says what happened: {stderr}"
    );
    assert!(stderr.contains("之前生成的网站没有被改动"), "{stderr}");
    assert_eq!(tree(&site.root().join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("streetpress-"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Makes a folder unwritable for as long as it lives: by its mode, or,
/// for root (whom modes do not stop), by the immutable attribute.
#[cfg(target_os = "linux")]
struct Unwritable(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Unwritable {
    fn make(dir: &std::path::Path) -> Unwritable {
        use std::os::unix::fs::PermissionsExt;
        let guard = Unwritable(dir.to_path_buf());
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        if guard.writable() {
            let _ = std::process::Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status();
        }
        assert!(
            !guard.writable(),
            "cannot make {} unwritable here (neither its mode nor chattr +i stops this user)",
            dir.display()
        );
        guard
    }

    fn writable(&self) -> bool {
        let probe = self.0.join(".probe");
        let made = std::fs::write(&probe, b"").is_ok();
        let _ = std::fs::remove_file(&probe);
        made
    }
}

#[cfg(target_os = "linux")]
impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .stderr(std::process::Stdio::null())
            .status();
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_output_folder_leaves_the_previous_site() {
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-01", "正文。");
    site.build_ok();
    let public = site.root().join("public");
    let before = tree(&public);
    site.article("b.md", "title: 乙\ndate: 2024-03-02", "正文。");
    let run = {
        let _locked = Unwritable::make(&public);
        site.build()
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("public"),
        "names the folder: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("失败") && run.stderr.contains("权限"),
        "says what happened and what to check: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("之前生成的网站没有被改动"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&public), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("streetpress-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Once it is writable again, the next build goes through.
    site.build_ok();
    assert_ne!(tree(&public), before);
}

#[test]
fn a_build_killed_halfway_leaves_the_previous_site_and_the_next_build_recovers() {
    let site = Fixture::new();
    for i in 0..300 {
        site.article(
            &format!("a{i}.md"),
            &format!("title: 第{i}篇\ndate: 2024-03-01\ntags: [标签{}]", i % 20),
            &"正文内容。".repeat(200),
        );
    }
    site.build_ok();
    let before = tree(&site.root().join("public"));
    site.article("new.md", "title: 新文章\ndate: 2024-03-02", "正文。");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("streetpress"))
        .arg("build")
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("STREETPRESS_SLOW_WRITES", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has written part of the new site into its staging folder.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while staged_files(site.root()) < 20 {
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let status = std::process::Command::new("kill")
        .arg("-KILL")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
    assert_eq!(
        tree(&site.root().join("public")),
        before,
        "the killed build changed nothing"
    );
    site.build_ok();
    assert!(site.exists("articles/2024/03/new/index.html"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("streetpress-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the next build cleared the interrupted one's staging folder"
    );
}

/// Files written so far into a build's staging folder beside `public/`.
fn staged_files(root: &std::path::Path) -> usize {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("streetpress-new"))
        .map(|e| {
            walkdir::WalkDir::new(e.path())
                .into_iter()
                .flatten()
                .filter(|f| f.file_type().is_file())
                .count()
        })
        .sum()
}

#[test]
fn a_content_file_deleted_during_a_build_fails_it_cleanly() {
    use streetpress::diagnostics::Diagnostics;
    let site = Fixture::new();
    site.article("a.md", "title: 甲\ndate: 2024-03-01", "正文。")
        .article("b.md", "title: 乙\ndate: 2024-03-02", "正文。");
    site.build_ok();
    let before = tree(&site.root().join("public"));
    // Load as a build does, then lose a file before its page is rendered.
    let diagnostics = Diagnostics::new();
    let loaded =
        streetpress::build::load_site(site.root(), None, false, &diagnostics).expect("site loads");
    assert!(!diagnostics.has_errors());
    std::fs::remove_file(site.root().join("content/articles/b.md")).unwrap();
    let Ok(theme) = streetpress::theme::Theme::load(site.root(), "default") else {
        panic!("theme")
    };
    let staging = streetpress::output::Staging::begin(&site.root().join("public")).unwrap();
    streetpress::render::Renderer::new(&loaded, &theme).render_all(&staging, &diagnostics);
    drop(staging);
    let problems = diagnostics.into_sorted();
    let problem = problems.iter().find(|p| p.is_error()).expect("an error");
    assert_eq!(problem.path, "content/articles/b.md");
    assert!(problem.message.contains("无法读取文件"), "{problem}");
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("之前生成的网站没有被改动"),
        "{problem}"
    );
    assert_eq!(tree(&site.root().join("public")), before);
}
