//! Images (SPEC section 8): phone photos come out upright, in the stated
//! widths, without EXIF; the cache saves work; broken input gets a message.
//! Fixture images are made here with the `image` crate; EXIF is written as
//! a minimal APP1 segment and looked for in outputs with `kamadak-exif`.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, GenericImageView, ImageEncoder, Rgb, RgbImage};

use crate::support::{main_of, Fixture, SITE_TOML};

/// A JPEG whose left half is red and right half blue, with a gentle
/// gradient so that it compresses like a photo.
pub fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        let shade = ((x + y) % 32) as u8;
        if x < width / 2 {
            Rgb([220, 20 + shade, 20])
        } else {
            Rgb([20, 20 + shade, 220])
        }
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    bytes
}

pub fn graphic(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        if (x / 16 + y / 16) % 2 == 0 {
            Rgb([255, 255, 255])
        } else {
            Rgb([0, 80, 160])
        }
    });
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    bytes
}

/// Inserts an EXIF block after the start marker of a JPEG: the orientation
/// tag, a camera serial number and a GPS position, as phones write them.
pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    // TIFF, little-endian: IFD0 at 8 with 3 entries, then the GPS IFD.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let ifd0_entries = 3u16;
    let ifd0_len = 2 + 12 * ifd0_entries as u32 + 4;
    let serial_offset = 8 + ifd0_len;
    let serial = b"SN-2024-0001\0";
    let gps_offset = serial_offset + serial.len() as u32;
    tiff.extend(ifd0_entries.to_le_bytes());
    // Orientation (0x0112), SHORT, 1 value.
    tiff.extend(0x0112u16.to_le_bytes());
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend((orientation as u32).to_le_bytes());
    // BodySerialNumber is in the Exif IFD; ImageDescription (0x010E) stands in here, ASCII.
    tiff.extend(0x010Eu16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend((serial.len() as u32).to_le_bytes());
    tiff.extend(serial_offset.to_le_bytes());
    // GPS IFD pointer (0x8825), LONG.
    tiff.extend(0x8825u16.to_le_bytes());
    tiff.extend(4u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(gps_offset.to_le_bytes());
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    tiff.extend_from_slice(serial);
    // GPS IFD: GPSLatitudeRef 'N' (0x0001, ASCII, 2 bytes inline).
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x0001u16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());

    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((segment.len() + 2) as u16).to_be_bytes());
    out.extend(segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Whether a file carries EXIF, by `kamadak-exif` and by walking JPEG segments.
fn has_exif(bytes: &[u8]) -> bool {
    if exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok()
    {
        return true;
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut at = 2;
        while at + 4 <= bytes.len() && bytes[at] == 0xFF && bytes[at + 1] != 0xDA {
            let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
            if bytes[at + 1] == 0xE1 {
                return true; // APP1: EXIF or XMP
            }
            at += 2 + length;
        }
    }
    bytes.windows(6).any(|w| w == b"Exif\0\0")
}

fn decode(path: &Path) -> DynamicImage {
    image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The attributes of the `<img>` tags of an HTML fragment.
fn img_tags(html: &str) -> Vec<String> {
    html.match_indices("<img ")
        .map(|(start, _)| {
            let end = html[start..].find('>').unwrap() + start;
            html[start..=end].to_string()
        })
        .collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// `(path under public/, width)` of each entry of a srcset.
fn srcset_files(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|entry| {
            let (url, width) = entry.rsplit_once(' ').unwrap();
            let path = url.strip_prefix("/ceshi/").unwrap().to_string();
            (path, width.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

/// Small widths keep the fixtures small; `extra` adds lines to `[images]`.
fn small_widths(site: &Fixture, extra: &str) {
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[images]\nwidths = [20, 40]\n{extra}"),
    );
}

#[test]
fn exif_orientation_is_applied_then_exif_removed() {
    let site = Fixture::new();
    small_widths(&site, "");
    // Stored 80×40 (red left, blue right) with orientation 6: shown rotated
    // 90° clockwise, 40 wide and 80 high, red at the top.
    site.write_bytes("content/images/rotated.jpg", &with_exif(&photo(80, 40), 6));
    site.article(
        "a.md",
        "title: 手机照片\ndate: 2024-03-01\ncover: ../images/rotated.jpg",
        "![手机拍的照片](../images/rotated.jpg)\n",
    );
    site.build_ok();
    for (file, width, height) in [
        ("images/rotated-20.jpg", 20, 40),
        ("images/rotated-40.jpg", 40, 80),
    ] {
        let bytes = std::fs::read(site.public(file)).unwrap();
        assert!(!has_exif(&bytes), "{file} carries EXIF");
        assert!(
            !bytes.windows(12).any(|w| w == b"SN-2024-0001"),
            "{file} carries the serial"
        );
        let image = decode(&site.public(file));
        assert_eq!(image.dimensions(), (width, height), "{file} is upright");
        let top = image.get_pixel(width / 2, height / 8);
        let bottom = image.get_pixel(width / 2, height * 7 / 8);
        assert!(
            top[0] > 150 && top[2] < 100,
            "{file}: top should be red, is {top:?}"
        );
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "{file}: bottom should be blue, is {bottom:?}"
        );
    }
    assert!(
        !site.exists("images/rotated.jpg"),
        "the original (with its GPS position) is not published"
    );
    let html = site.read("articles/2024/03/a/index.html");
    let tags = img_tags(main_of(&html));
    assert_eq!(attribute(&tags[0], "width").as_deref(), Some("40"));
    assert_eq!(attribute(&tags[0], "height").as_deref(), Some("80"));
}

#[test]
fn srcset_files_exist_at_the_stated_widths() {
    let site = Fixture::new();
    site.write_bytes("content/images/wide.jpg", &photo(2000, 1500));
    site.write_bytes("content/articles/bundle/small.jpg", &photo(700, 500));
    site.write(
        "content/articles/bundle/index.md",
        "---\ntitle: 两张照片\ndate: 2024-03-01\n---\n第一张：\n\n![大照片](../../images/wide.jpg)\n\n第二张：\n\n![小照片](small.jpg \"小图\")\n",
    );
    site.build_ok();
    let html = site.read("articles/2024/03/bundle/index.html");
    let tags = img_tags(main_of(&html));
    assert_eq!(tags.len(), 2, "{tags:?}");

    let wide = srcset_files(&attribute(&tags[0], "srcset").unwrap());
    assert_eq!(
        wide.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [480, 960, 1600],
        "the configured widths, all below the photo's own"
    );
    let small = srcset_files(&attribute(&tags[1], "srcset").unwrap());
    assert_eq!(
        small.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [480, 700],
        "never enlarged: 700 is the photo's own width"
    );
    for (path, width) in wide.iter().chain(&small) {
        let image = decode(&site.public(path));
        assert_eq!(image.width(), *width, "{path}");
    }
    assert_eq!(
        small[0].0, "articles/2024/03/bundle/small-480.jpg",
        "beside its article"
    );
    assert_eq!(wide[0].0, "images/wide-480.jpg");

    // width/height are those of the file in src, so the page does not jump.
    for tag in &tags {
        let src = attribute(tag, "src").unwrap();
        let image = decode(&site.public(src.strip_prefix("/ceshi/").unwrap()));
        assert_eq!(
            attribute(tag, "width"),
            Some(image.width().to_string()),
            "{tag}"
        );
        assert_eq!(
            attribute(tag, "height"),
            Some(image.height().to_string()),
            "{tag}"
        );
        assert!(attribute(tag, "sizes").is_some(), "{tag}");
    }
    assert_eq!(
        attribute(&tags[0], "src").as_deref(),
        Some("/ceshi/images/wide-960.jpg")
    );
    assert!(
        !tags[0].contains("loading="),
        "the first image is on the first screen"
    );
    assert!(tags[1].contains("loading=\"lazy\""), "{}", tags[1]);
    assert_eq!(attribute(&tags[1], "alt").as_deref(), Some("小照片"));
    assert_eq!(attribute(&tags[1], "title").as_deref(), Some("小图"));
}

#[test]
fn lists_use_the_small_cover() {
    let site = Fixture::new();
    site.write_bytes("content/images/cover.jpg", &photo(1200, 800));
    site.article(
        "a.md",
        "title: 有封面的文章\ndate: 2024-03-01\ncover: ../images/cover.jpg",
        "正文。\n",
    );
    site.build_ok();
    let list = site.read("news/index.html");
    let tags = img_tags(main_of(&list));
    assert_eq!(
        attribute(&tags[0], "src").as_deref(),
        Some("/ceshi/images/cover-480.jpg")
    );
    assert!(tags[0].contains("loading=\"lazy\""));
    let article = site.read("articles/2024/03/a/index.html");
    assert!(
        article.contains("<meta property=\"og:image\" content=\"https://example.gov.cn/ceshi/images/cover-1200.jpg\">"),
        "sharing uses the largest processed size"
    );
}

fn report(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.starts_with("图片 "))
        .unwrap_or_else(|| panic!("no image line in:\n{stdout}"))
}

fn cache_files(site: &Fixture) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root().join(".streetpress-cache/images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_cache_saves_work_and_settings_redo_only_what_they_shape() {
    let site = Fixture::new();
    small_widths(&site, "");
    site.write_bytes("content/images/photo.jpg", &photo(80, 60));
    site.write_bytes("content/images/chart.png", &graphic(80, 60));
    site.article(
        "a.md",
        "title: 图文\ndate: 2024-03-01\ncover: ../images/photo.jpg",
        "![图表](../images/chart.png)\n",
    );
    let first = site.build_ok();
    assert!(
        report(&first.stdout).starts_with("图片 2 张：本次处理 2 张"),
        "{}",
        first.stdout
    );

    let second = site.build_ok();
    assert!(
        report(&second.stdout).starts_with("图片 2 张：全部来自缓存"),
        "{}",
        second.stdout
    );
    let files = cache_files(&site);

    // The same bytes written again (a new modification time): hashed, found.
    site.write_bytes("content/images/photo.jpg", &photo(80, 60));
    let third = site.build_ok();
    assert!(
        report(&third.stdout).starts_with("图片 2 张：全部来自缓存"),
        "{}",
        third.stdout
    );
    assert_eq!(cache_files(&site), files);

    // JPEG quality shapes the photo's files only: the PNG is not redone.
    small_widths(&site, "quality = 60\n");
    let fourth = site.build_ok();
    assert!(
        report(&fourth.stdout).starts_with("图片 2 张：本次处理 1 张（生成 2 个文件）"),
        "2 files: the photo's two widths, nothing of the PNG\n{}",
        fourth.stdout
    );
    // The files of quality 80 were pruned after the build.
    assert_eq!(cache_files(&site).len(), files.len());

    // An image no longer referenced leaves the cache too.
    site.article(
        "a.md",
        "title: 图文\ndate: 2024-03-01",
        "![图表](../images/chart.png)\n",
    );
    site.build_ok();
    let remaining = cache_files(&site);
    assert!(remaining.len() < files.len(), "{remaining:?}");
    assert!(
        site.exists("images/photo.jpg"),
        "an unreferenced image is copied as it is"
    );
}

fn failing(site: &Fixture) -> String {
    let run = site.build();
    assert_eq!(
        run.code, 1,
        "expected a content error:\n{}\n{}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(!site.public("index.html").exists(), "nothing is written");
    run.stderr
}

/// A PNG header claiming 20000×20000 pixels with a few bytes of data: the
/// shape of a decompression bomb.
fn bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(20000u32.to_be_bytes());
    ihdr.extend(20000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    let site = Fixture::new();
    site.write_bytes("content/images/bomb.png", &bomb());
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01",
        "第一段。\n\n![大图](../images/bomb.png)\n",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:7:1: 错误: 图片 content/images/bomb.png 太大（20000×20000，约 40000 万像素），超过了 site.toml 里 [images] max_pixels 允许的 10000 万像素"),
        "{stderr}"
    );

    // The limit is a setting.
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[images]\nmax_pixels = 1000\n"),
    );
    site.write_bytes("content/images/bomb.png", &photo(40, 30));
    let stderr = failing(&site);
    assert!(stderr.contains("40×30，约 0 万像素"), "{stderr}");
}

#[test]
fn broken_files_are_refused_with_a_message() {
    let site = Fixture::new();
    let whole = photo(64, 48);
    site.write_bytes(
        "content/images/truncated.jpg",
        &whole[..whole.len() * 2 / 3],
    );
    site.write("content/images/notes.jpg", "这其实是一段文字，不是图片");
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    site.write_bytes("content/images/iphone.jpg", &heic);
    site.write_bytes("content/articles/cover-only.jpg", b"");
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\ncover: cover-only.jpg",
        "![半张](../images/truncated.jpg)\n\n![文字](../images/notes.jpg)\n\n![苹果](../images/iphone.jpg)\n\n![外面](../../../outside.jpg)\n\n![没有](../images/missing.jpg)\n",
    );
    let stderr = failing(&site);
    for expected in [
        "content/articles/a.md:4:8: 错误: content/articles/cover-only.jpg 不是图片文件",
        "content/articles/a.md:6:1: 错误: 图片 content/images/truncated.jpg 不完整或已损坏",
        "content/articles/a.md:8:1: 错误: content/images/notes.jpg 不是图片文件",
        "content/articles/a.md:10:1: 错误: content/images/iphone.jpg 是苹果手机的 HEIC 格式照片",
        "content/articles/a.md:12:1: 错误: 图片“../../../outside.jpg”指向了 content 文件夹以外",
        "content/articles/a.md:14:1: 错误: 找不到图片“../images/missing.jpg”",
    ] {
        assert!(
            stderr.contains(expected),
            "missing “{expected}” in:\n{stderr}"
        );
    }
}

#[test]
fn graphics_stay_png_and_webp_is_published_only_when_smaller() {
    let site = Fixture::new();
    small_widths(&site, "");
    site.write_bytes("content/images/chart.png", &graphic(64, 64));
    site.article(
        "a.md",
        "title: 图表\ndate: 2024-03-01",
        "![图表](../images/chart.png)\n",
    );
    site.build_ok();
    let html = site.read("articles/2024/03/a/index.html");
    let main = main_of(&html);
    let png: u64 = ["images/chart-20.png", "images/chart-40.png"]
        .iter()
        .map(|p| std::fs::metadata(site.public(p)).unwrap().len())
        .sum();
    let webp_files = ["images/chart-20.webp", "images/chart-40.webp"];
    if main.contains("<source type=\"image/webp\"") {
        let webp: u64 = webp_files
            .iter()
            .map(|p| std::fs::metadata(site.public(p)).unwrap().len())
            .sum();
        assert!(webp < png, "WebP offered although {webp} ≥ {png} bytes");
        assert!(main.contains("<picture>"));
    } else {
        assert!(
            webp_files.iter().all(|p| !site.exists(p)),
            "WebP not offered but published"
        );
    }
    assert!(
        !site.exists("images/chart-20.jpg"),
        "a graphic is not turned into JPEG"
    );
}

#[test]
fn webp_is_offered_for_a_graphic_it_makes_smaller() {
    let site = Fixture::new();
    // Coloured blocks, like a chart or a poster: lossless WebP beats PNG here.
    let blocks = RgbImage::from_fn(400, 300, |x, y| {
        let n = (x / 40) * 7 + (y / 40) * 13;
        Rgb([
            (n * 37 % 256) as u8,
            (n * 91 % 256) as u8,
            (n * 53 % 256) as u8,
        ])
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(blocks.as_raw(), 400, 300, image::ExtendedColorType::Rgb8)
        .unwrap();
    site.write_bytes("content/images/poster.png", &png);
    site.article(
        "a.md",
        "title: 海报\ndate: 2024-03-01",
        "![海报](../images/poster.png)\n",
    );
    site.build_ok();
    let main = main_of(&site.read("articles/2024/03/a/index.html")).to_string();
    assert!(
        main.contains(
            "<picture><source type=\"image/webp\" srcset=\"/ceshi/images/poster-400.webp 400w\""
        ),
        "{main}"
    );
    let size = |p: &str| std::fs::metadata(site.public(p)).unwrap().len();
    assert!(size("images/poster-400.webp") < size("images/poster-400.png"));
    let webp = std::fs::read(site.public("images/poster-400.webp")).unwrap();
    assert_eq!(
        image::load_from_memory(&webp).unwrap().dimensions(),
        (400, 300)
    );
}

#[test]
fn originals_are_published_only_when_asked_and_without_exif() {
    let site = Fixture::new();
    small_widths(&site, "publish_originals = true\n");
    site.write_bytes("content/images/photo.jpg", &with_exif(&photo(80, 40), 6));
    site.article(
        "a.md",
        "title: 原图\ndate: 2024-03-01",
        "![照片](../images/photo.jpg)\n\n[查看原图](../images/photo.jpg)\n",
    );
    site.build_ok();
    let original = std::fs::read(site.public("images/photo.jpg")).unwrap();
    assert!(!has_exif(&original));
    assert_eq!(
        decode(&site.public("images/photo.jpg")).dimensions(),
        (40, 80)
    );
    let html = site.read("articles/2024/03/a/index.html");
    assert!(
        main_of(&html).contains("<a href=\"/ceshi/images/photo.jpg\">查看原图</a>"),
        "{}",
        main_of(&html)
    );

    small_widths(&site, "");
    site.build_ok();
    assert!(!site.exists("images/photo.jpg"));
    let html = site.read("articles/2024/03/a/index.html");
    assert!(
        main_of(&html).contains("<a href=\"/ceshi/images/photo-40.jpg\">查看原图</a>"),
        "without originals a link leads to the largest size"
    );
}

#[test]
fn images_nothing_refers_to_are_copied_as_they_are_with_a_warning_for_gps() {
    let site = Fixture::new();
    let located = with_exif(&photo(64, 48), 1);
    let plain = photo(64, 48);
    site.write_bytes("content/downloads/poster.jpg", &located);
    site.write_bytes("content/downloads/plain.jpg", &plain);
    site.article("a.md", "title: 下载\ndate: 2024-03-01", "正文。\n");
    let run = site.build_ok();
    assert_eq!(
        std::fs::read(site.public("downloads/poster.jpg")).unwrap(),
        located
    );
    assert_eq!(
        std::fs::read(site.public("downloads/plain.jpg")).unwrap(),
        plain
    );
    assert!(
        run.stderr.contains("content/downloads/poster.jpg:1:1: 警告: 这张照片没有被文章引用，会按原样发布，照片里带有拍摄地点（GPS 位置）"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("plain.jpg"), "{}", run.stderr);
}

#[test]
fn svg_drawings_are_published_as_they_are() {
    let site = Fixture::new();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    site.write("content/images/logo.svg", svg);
    site.article(
        "a.md",
        "title: 标志\ndate: 2024-03-01\ncover: ../images/logo.svg",
        "![标志](../images/logo.svg)\n",
    );
    site.build_ok();
    assert_eq!(site.read("images/logo.svg"), svg);
    let html = site.read("articles/2024/03/a/index.html");
    assert!(
        main_of(&html)
            .contains("<img src=\"/ceshi/images/logo.svg\" alt=\"标志\" decoding=\"async\">"),
        "{}",
        main_of(&html)
    );
}

#[cfg(unix)]
#[test]
fn a_shortcut_leading_out_of_the_site_is_not_read() {
    let site = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("home.jpg"), photo(64, 48)).unwrap();
    std::fs::create_dir_all(site.root().join("content/images")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("home.jpg"),
        site.root().join("content/images/link.jpg"),
    )
    .unwrap();
    site.article(
        "a.md",
        "title: 标题\ndate: 2024-03-01\ncover: ../images/link.jpg",
        "![照片](../images/link.jpg)\n",
    );
    let stderr = failing(&site);
    assert!(
        stderr.contains("content/articles/a.md:4:8: 错误: 图片“../images/link.jpg”不在 content 文件夹里（可能是一个快捷方式）"),
        "{stderr}"
    );
}
