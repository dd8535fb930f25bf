//! `streetpress import wechat`: WeChat posts saved from a browser become page
//! bundles that build. The saved pages are written here, laid out as a
//! browser's "网页，全部" leaves them: `NAME.html` beside `NAME_files/`, with
//! WeChat's `#js_content`, lazy `data-src` photos, `rich_media_title`,
//! `publish_time` or only `var ct` in the script, and the nested
//! `<section style>` boxes that 秀米 and 135编辑器 paste in.

use std::fs;

use crate::images::{graphic, photo};
use crate::support::{main_of, Fixture, SITE_TOML};

const SAVED: &str = "saved/敬老院里的暖心理发日.html";
const FILES: &str = "saved/敬老院里的暖心理发日_files";

/// A post saved whole, after scrolling: the first two photos have local
/// copies, the third was never loaded and only has WeChat's address.
fn saved_page() -> String {
    let files = "./%E6%95%AC%E8%80%81%E9%99%A2%E9%87%8C%E7%9A%84%E6%9A%96%E5%BF%83%E7%90%86%E5%8F%91%E6%97%A5_files";
    format!(
        r##"<!DOCTYPE html>
<!-- saved from url=(0107)https://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&mid=2650012345&idx=1&sn=8f2c1d&chksm=8b1c2d3e#rd -->
<html class=""><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<meta property="og:title" content="敬老院里的“暖心理发日”">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&amp;mid=2650012345&amp;idx=1&amp;sn=8f2c1d&amp;chksm=8b1c2d3e&amp;scene=126&amp;sessionid=1716000000#rd">
<meta property="og:image" content="https://mmbiz.qpic.cn/mmbiz_jpg/Cover/0?wx_fmt=jpeg">
<meta name="author" content="周晓燕">
<link rel="stylesheet" href="./敬老院里的暖心理发日_files/appmsg.css">
<title>敬老院里的“暖心理发日”</title>
<script type="text/javascript">
    var biz = "MzA5NTQ2MTIzNA==";
    var ct = "1715999400";
    var nickname = htmlDecode("清河湾发布");
    var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&amp;mid=2650012345&amp;idx=1&amp;sn=8f2c1d#rd";
</script>
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media"><div class="rich_media_inner"><div id="page-content" class="rich_media_area_primary">
<div class="rich_media_area_primary_inner">
  <h1 class="rich_media_title " id="activity-name">
            敬老院里的“暖心理发日”
  </h1>
  <div id="meta_content" class="rich_media_meta_list">
    <span class="rich_media_meta rich_media_meta_text">周晓燕</span>
    <span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">清河湾发布</a></span>
    <em id="publish_time" class="rich_media_meta rich_media_meta_text">2024-05-18 10:30</em>
  </div>
  <div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content" style="visibility: visible;">
    <section style="margin: 0px 8px; box-sizing: border-box;" data-tools="135编辑器" data-id="95831">
      <section style="display: flex; justify-content: center; align-items: center;">
        <section style="width: 8px; height: 8px; border-radius: 50%; background-color: rgb(214, 44, 44);"></section>
        <section style="padding: 4px 12px; background-image: url(&quot;{files}/title-bg.png&quot;); background-size: cover;">
          <p style="text-align: center;"><strong><span style="font-size: 17px; color: rgb(214, 44, 44);">活动</span></strong><strong><span style="font-size: 17px; color: rgb(214, 44, 44);">现场</span></strong></p>
        </section>
        <section style="width: 8px; height: 8px; border-radius: 50%; background-color: rgb(214, 44, 44);"></section>
      </section>
    </section>
    <p style="text-indent: 2em; line-height: 1.75em;"><span style="font-size: 15px; letter-spacing: 1px;">&nbsp;&nbsp;5月18日上午，清河湾街道滨河社区新时代文明实践站的8名志愿者来到街道敬老院，为32位老人免费理发、修剪指甲。</span></p>
    <section style="margin-top: 10px;"><section style="border-left: 4px solid rgb(214, 44, 44); padding-left: 10px;"><section>
      <p><span style="font-size: 15px;">志愿者<strong>王师傅</strong>已经坚持义务理发<span style="font-weight: bold;">六年</span>。“老人们高兴，我就高兴。”</span></p>
    </section></section></section>
    <p style="text-align: center;"><img class="rich_pages wxw-img" data-ratio="0.6667" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/AbCdEf/640?wx_fmt=jpeg&amp;from=appmsg" data-type="jpeg" data-w="1080" style="width: 100%; height: auto;" src="{files}/640.jpeg" alt="图片"></p>
    <p style="text-align: center;"><span style="font-size: 12px; color: rgb(136, 136, 136);">志愿者为老人理发</span></p>
    <p><br></p>
    <section style="display: inline-block; width: 100%;"><p style="text-align: center;"><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/mmbiz_png/GhIjKl/640?wx_fmt=png&amp;from=appmsg" data-type="png" data-w="800" src="{files}/640(1).png"></p></section>
    <p><img data-src="https://mmbiz.qpic.cn/mmbiz_gif/Dots/640?wx_fmt=gif" data-type="gif" data-w="24" src="{files}/640(2).gif"></p>
    <p><img class="rich_pages wxw-img img_loading" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/MnOpQr/640?wx_fmt=jpeg&amp;from=appmsg" data-type="jpeg" data-w="1080" src="data:image/svg+xml,%3C%3Fxml version='1.0'%3F%3E%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"></p>
    <section style="text-align: center;"><svg viewBox="0 0 300 20" style="display: inline-block; width: 100%;"><line x1="0" y1="10" x2="300" y2="10" stroke="#d62c2c"></line></svg></section>
    <h2 style="font-size: 16px;"><span style="color: rgb(214, 44, 44);">服务清单</span></h2>
    <table style="border-collapse: collapse;"><tbody>
      <tr><th style="border: 1px solid #ddd;"><span>服务项目</span></th><th style="border: 1px solid #ddd;">人次</th></tr>
      <tr><td style="border: 1px solid #ddd;"><p><span>理发</span></p></td><td style="border: 1px solid #ddd;">32</td></tr>
      <tr><td style="border: 1px solid #ddd;">修剪指甲</td><td style="border: 1px solid #ddd;">27</td></tr>
    </tbody></table>
    <ul class="list-paddingleft-1"><li><p>下次活动：6月15日</p></li><li><p>报名电话：0000-12345678</p></li></ul>
    <p style="display: none;">编辑隐藏的备注</p>
    <p><span>往期回顾：</span><a href="https://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&amp;mid=2650011111&amp;idx=2&amp;sn=77aa11&amp;chksm=8b1c0000&amp;mpshare=1&amp;scene=23&amp;srcid=0518abc&amp;sharer_shareinfo=x&amp;sharer_shareinfo_first=y#wechat_redirect" target="_blank" data-linktype="2">社区义诊进小区</a></p>
    <mp-common-profile class="js_uneditable custom_select_card mp_profile_iframe" data-nickname="清河湾发布"></mp-common-profile>
  </div>
</div></div></div></div>
<script nonce="123">window.__second_open__ = 0;</script>
</body></html>"##
    )
}

/// The HTML alone, saved before the page's script ran: `publish_time` empty,
/// the time only as `var ct`, photos only as `data-src`.
fn html_only_page(title: &str, ct: i64, sn: &str) -> String {
    format!(
        r##"<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="{title}">
<meta property="og:url" content="https://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&amp;mid=2650020000&amp;idx=1&amp;sn={sn}&amp;chksm=aa#rd">
<script>var ct = "{ct}"; var create_time = "{ct}" * 1; var nickname = htmlDecode("邻里互助会");</script></head>
<body><h1 class="rich_media_title" id="activity-name">{title}</h1>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section data-role="outer" label="Powered by 135editor.com"><section style="padding: 10px;"><p><span>楼道里堆了多年的杂物，这个周末被清理一空。</span></p></section></section>
<p><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/Remote/640?wx_fmt=jpeg" data-w="1080"></p>
</div></body></html>"##
    )
}

/// A site whose outlets include the account the saved post comes from.
fn saved_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "site.toml",
        &SITE_TOML.replace("\"测试发布\" = \"wechat\"", "\"清河湾发布\" = \"wechat\""),
    );
    site.write(SAVED, &saved_page());
    site.write_bytes(&format!("{FILES}/640.jpeg"), &photo(900, 600));
    site.write_bytes(&format!("{FILES}/640(1).png"), &graphic(400, 300));
    site.write_bytes(&format!("{FILES}/640(2).gif"), b"GIF89a\x01\x00\x01\x00");
    site.write_bytes(&format!("{FILES}/title-bg.png"), &graphic(64, 64));
    site.write(&format!("{FILES}/appmsg.css"), "body{margin:0}");
    site
}

const SLUG: &str = "jing-lao-yuan-li-de-nuan-xin-li-fa-ri";

#[test]
fn a_saved_page_becomes_a_bundle_that_builds() {
    let site = saved_site();
    let run = site.run(&["import", "wechat", SAVED, "--category", "志愿服务"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = format!("content/articles/{SLUG}/index.md");
    assert_eq!(run.stdout.trim(), format!("./{index}"));
    assert!(
        run.stderr.contains("导入了 1 篇公众号文章"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&index),
        "the summary names the file: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("有 1 张图片没有保存在本地"),
        "the photo that was never loaded is named: {}",
        run.stderr
    );

    let text = fs::read_to_string(site.root().join(&index)).unwrap();
    let front = text.split("---\n").nth(1).unwrap();
    assert!(
        front.starts_with("title: 敬老院里的“暖心理发日”\n"),
        "{front}"
    );
    assert!(front.contains("date: 2024-05-18 10:30\n"), "{front}");
    assert!(front.contains("category: volunteer\n"), "{front}");
    assert!(front.contains("author: 周晓燕\n"), "{front}");
    assert!(front.contains("source: 清河湾发布\n"), "{front}");
    // The account is an outlet of the site (level wechat), so it counts as a publication.
    assert!(front.contains("outlets:\n  - 清河湾发布\n"), "{front}");
    assert!(
        front.contains("wechat_url: https://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&mid=2650012345&idx=1&sn=8f2c1d "),
        "{front}"
    );

    let body = text.splitn(3, "---\n").nth(2).unwrap();
    for kept in [
        "**活动现场**",
        "5月18日上午，清河湾街道滨河社区",
        "志愿者**王师傅**已经坚持义务理发**六年**。",
        "![](image-01.jpg)",
        "![](image-02.png)",
        "![](https://mmbiz.qpic.cn/mmbiz_jpg/MnOpQr/640?wx_fmt=jpeg)",
        "## 服务清单",
        "| 服务项目 | 人次 |\n| --- | --- |\n| 理发 | 32 |\n| 修剪指甲 | 27 |",
        "- 下次活动：6月15日\n- 报名电话：0000-12345678",
        "往期回顾：[社区义诊进小区](https://mp.weixin.qq.com/s?__biz=MzA5NTQ2MTIzNA==&mid=2650011111&idx=2&sn=77aa11)",
    ] {
        assert!(body.contains(kept), "{kept:?} missing from:\n{body}");
    }
    for dropped in [
        "style",
        "<section",
        "&nbsp;",
        "svg",
        "chksm",
        "scene",
        "sharer",
        "mpshare",
        "srcid",
        "隐藏",
        "title-bg",
        "640(2)",
        "\n\n\n",
        "data:image",
    ] {
        assert!(!body.contains(dropped), "{dropped:?} left in:\n{body}");
    }
    let bundle = site.root().join(format!("content/articles/{SLUG}"));
    let mut files: Vec<String> = fs::read_dir(&bundle)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["image-01.jpg", "image-02.png", "index.md"]);
    assert_eq!(
        fs::read(bundle.join("image-01.jpg")).unwrap(),
        fs::read(site.root().join(FILES).join("640.jpeg")).unwrap()
    );

    site.build_ok();
    let page = site.read(&format!("articles/2024/05/{SLUG}/index.html"));
    let main = main_of(&page);
    assert!(main.contains("敬老院里的“暖心理发日”"), "{main}");
    assert!(main.contains("<strong>王师傅</strong>"), "{main}");
    assert!(main.contains("<table>"), "{main}");
    assert!(main.contains("<h2"), "{main}");
    assert!(
        main.contains("image-01"),
        "the copied photo is used: {main}"
    );
    assert!(!main.contains("mmbiz_jpg/AbCdEf"), "{main}");
    assert!(site.read("volunteer/index.html").contains("暖心理发日"));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn a_folder_of_pages_is_imported_with_a_summary_and_never_twice() {
    let site = saved_site();
    site.write(
        "saved/楼道清理.html",
        &html_only_page("周末楼道大清理", 1_716_080_400, "b1"),
    );
    site.write(
        "saved/不是文章.html",
        "<html><head><title>街道首页</title></head><body><p>欢迎</p></body></html>",
    );
    // A page inside the browser's _files folder is part of a saved page, not a post.
    site.write(
        &format!("{FILES}/frame.html"),
        "<html><body>frame</body></html>",
    );

    let run = site.run(&["import", "wechat", "saved"]);
    assert_eq!(run.code, 1, "one page was not an article: {}", run.stderr);
    let written: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(written.len(), 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("导入了 2 篇公众号文章"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("跳过了 1 个网页"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("saved/不是文章.html:1:1: 错误: 这个网页不是公众号文章"),
        "the file is named: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("frame.html"), "{}", run.stderr);

    // Saved before the script ran: the time comes from `var ct`, in the site's zone.
    let text = fs::read_to_string(
        site.root()
            .join("content/articles/zhou-mo-lou-dao-da-qing-li/index.md"),
    )
    .unwrap();
    assert!(text.contains("date: 2024-05-19 09:00\n"), "{text}");
    assert!(text.contains("category: news\n"), "{text}");
    assert!(text.contains("source: 邻里互助会\n"), "{text}");
    assert!(
        !text.contains("outlets:"),
        "not an outlet of this site: {text}"
    );
    assert!(text.contains("楼道里堆了多年的杂物"), "{text}");
    assert!(
        run.stderr.contains("公众号“邻里互助会”不在 [outlets] 里"),
        "{}",
        run.stderr
    );

    // Importing the same folder again makes nothing new.
    let again = site.run(&["import", "wechat", "saved"]);
    assert!(again.stdout.trim().is_empty(), "{}", again.stdout);
    assert!(again.stderr.contains("以前已经导入过"), "{}", again.stderr);
    let bundles = fs::read_dir(site.root().join("content/articles"))
        .unwrap()
        .count();
    assert_eq!(bundles, 2);
    site.build_ok();
    assert!(site
        .read("articles/2024/05/zhou-mo-lou-dao-da-qing-li/index.html")
        .contains("楼道里堆了多年的杂物"));
}

#[test]
fn a_taken_name_gets_a_number_and_nothing_is_overwritten() {
    let site = Fixture::new();
    site.write(
        "content/articles/zhou-mo-lou-dao-da-qing-li/index.md",
        "---\ntitle: 我写好的文章\ndate: 2024-01-01\n---\n正文\n",
    );
    site.write(
        "a.html",
        &html_only_page("周末楼道大清理", 1_716_080_400, "c1"),
    );
    site.write(
        "b.html",
        &html_only_page("周末楼道大清理", 1_716_080_400, "c2"),
    );
    let first = site.run(&["import", "wechat", "a.html"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        first.stdout.trim(),
        "./content/articles/zhou-mo-lou-dao-da-qing-li-2/index.md"
    );
    let second = site.run(&["import", "wechat", "b.html"]);
    assert_eq!(
        second.stdout.trim(),
        "./content/articles/zhou-mo-lou-dao-da-qing-li-3/index.md"
    );
    assert!(fs::read_to_string(
        site.root()
            .join("content/articles/zhou-mo-lou-dao-da-qing-li/index.md")
    )
    .unwrap()
    .contains("我写好的文章"));
}

#[test]
fn bad_input_gets_a_message_and_leaves_nothing_behind() {
    let site = Fixture::new();
    site.write(
        "home.html",
        "<html><body><div id=\"main\">街道首页</div></body></html>",
    );
    let run = site.run(&["import", "wechat", "home.html"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("home.html"), "{}", run.stderr);
    assert!(run.stderr.contains("不是公众号文章"), "{}", run.stderr);
    assert!(
        run.stderr.contains("另存为"),
        "says what to do: {}",
        run.stderr
    );
    assert_eq!(
        fs::read_dir(site.root().join("content/articles"))
            .unwrap()
            .count(),
        0,
        "no bundle, no temporary folder"
    );

    let missing = site.run(&["import", "wechat", "没有这个.html"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("没有找到这个文件"),
        "{}",
        missing.stderr
    );

    site.write(
        "a.html",
        &html_only_page("周末楼道大清理", 1_716_080_400, "d1"),
    );
    let category = site.run(&["import", "wechat", "a.html", "--category", "志愿服物"]);
    assert_eq!(category.code, 2);
    assert!(
        category.stderr.contains("没有名为“志愿服物”的栏目"),
        "{}",
        category.stderr
    );
    assert!(
        category.stderr.contains("志愿服务"),
        "suggests the right one: {}",
        category.stderr
    );
    assert_eq!(
        fs::read_dir(site.root().join("content/articles"))
            .unwrap()
            .count(),
        0
    );
}
