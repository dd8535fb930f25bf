//! Makes a benchmark site of phone-style photos: 4000×3000 JPEGs of a few
//! megabytes each, every fourth one stored sideways with EXIF orientation 6
//! (as phones store portrait shots), each carrying a GPS position and a
//! camera serial number. One article per photo, as cover and in the body.
//!
//! cargo run --release --example phone_photos -- DIR [COUNT]

use std::fs;
use std::path::Path;

use image::{Rgb, RgbImage};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: phone_photos DIR [COUNT]");
        std::process::exit(2);
    };
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let dir = Path::new(&dir);
    fs::create_dir_all(dir.join("content/images")).expect("create folder");
    fs::create_dir_all(dir.join("content/articles")).expect("create folder");
    fs::write(
        dir.join("site.toml"),
        "title = \"图片基准测试\"\nbase_url = \"https://example.gov.cn/\"\n",
    )
    .expect("write site.toml");
    (0..count).into_par_iter().for_each(|i| {
        let jpeg = photo(i as u32, 4000, 3000);
        let orientation = if i % 4 == 0 { 6 } else { 1 };
        let bytes = with_exif(&jpeg, orientation, i as u32);
        fs::write(dir.join(format!("content/images/photo-{i:03}.jpg")), bytes).expect("write photo");
        let day = i % 28 + 1;
        fs::write(
            dir.join(format!("content/articles/photo-{i:03}.md")),
            format!("---\ntitle: 社区活动照片第{i}组\ndate: 2024-05-{day:02}\ncover: ../images/photo-{i:03}.jpg\n---\n志愿者在活动现场。\n\n![活动现场](../images/photo-{i:03}.jpg)\n"),
        )
        .expect("write article");
    });
    println!("{count} photos and articles in {}", dir.display());
}

/// Soft colour fields, mid-sized texture and sensor-like noise: compresses
/// like a real photo (a few megabytes at quality 92), unlike a flat test card.
fn photo(seed: u32, width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let s = seed as f32 * 0.37;
        let base = [
            120.0 + 80.0 * (fx * 3.1 + s).sin() * (fy * 2.3).cos(),
            110.0 + 70.0 * (fy * 4.7 - s).sin(),
            100.0 + 60.0 * ((fx + fy) * 5.3 + s).cos(),
        ];
        let texture = 18.0 * ((x as f32 * 0.21).sin() * (y as f32 * 0.17).cos());
        let mut h = x.wrapping_mul(374_761_393)
            ^ y.wrapping_mul(668_265_263)
            ^ seed.wrapping_mul(2_246_822_519);
        h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
        let noise = (h & 0x1F) as f32 - 16.0;
        let px = |c: f32| (c + texture + noise).clamp(0.0, 255.0) as u8;
        Rgb([px(base[0]), px(base[1]), px(base[2])])
    });
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 92)
        .encode(
            image.as_raw(),
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encode");
    out
}

/// An EXIF block as phones write it: orientation, a serial number, a GPS position.
fn with_exif(jpeg: &[u8], orientation: u16, seed: u32) -> Vec<u8> {
    let serial = format!("SN{seed:010}\0");
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let entries = 3u16;
    let serial_offset = 8 + 2 + 12 * u32::from(entries) + 4;
    let gps_offset = serial_offset + serial.len() as u32;
    tiff.extend(entries.to_le_bytes());
    for (tag, kind, count, value) in [
        (0x0112u16, 3u16, 1u32, u32::from(orientation)),
        (0x010E, 2, serial.len() as u32, serial_offset),
        (0x8825, 4, 1, gps_offset),
    ] {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(kind.to_le_bytes());
        tiff.extend(count.to_le_bytes());
        tiff.extend(value.to_le_bytes());
    }
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(serial.as_bytes());
    // GPS IFD: latitude reference and latitude (3 rationals).
    let rationals_offset = gps_offset + 2 + 12 * 2 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(5u16.to_le_bytes());
    tiff.extend(3u32.to_le_bytes());
    tiff.extend(rationals_offset.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    for (n, d) in [(36u32, 1u32), (39, 1), (1234, 100)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((segment.len() + 2) as u16).to_be_bytes());
    out.extend(segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}
