//! 扫码带走: the QR code of a page's absolute URL, drawn at build time as
//! inline SVG so that no external service is asked and it works offline.
//!
//! Drawn from the `qrcode` crate's canvas rather than its `QrCode` type, for
//! speed: `QrCode` tries all eight mask patterns and scores each, which took
//! a fifth of a whole build's time, one code per article. Every mask gives a
//! valid code that any reader decodes (the tests decode ours); the scoring
//! only avoids rare patterns that confuse old readers, and a URL of a few
//! dozen characters seldom makes them. The SVG is one path of horizontal
//! runs rather than a rectangle per module, so it is smaller in every page.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color, EcLevel};

/// Modules of light margin around the code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// The modules of the QR code for `text`, row by row, with its width.
pub fn modules(text: &str) -> Option<(Vec<bool>, usize)> {
    let level = EcLevel::M;
    let bits = bits::encode_auto(text.as_bytes(), level).ok()?;
    let version = bits.version();
    let (data, correction) = ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &correction);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let dark: Vec<bool> = canvas
        .into_colors()
        .into_iter()
        .map(|color| color == Color::Dark)
        .collect();
    let width = (dark.len() as f64).sqrt() as usize;
    Some((dark, width))
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// An inline `<svg>` of the QR code for `url`, labelled for screen readers.
pub fn svg_for(url: &str) -> String {
    let Some((dark, width)) = modules(url) else {
        return String::new();
    };
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width);
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&d| d).count();
            // `M{x} {y}h{run}v1h-{run}z`, numbers written by hand: with
            // `write!` the formatting took two thirds of drawing a code.
            path.push('M');
            push_number(&mut path, x + QUIET_ZONE);
            path.push(' ');
            push_number(&mut path, y + QUIET_ZONE);
            path.push('h');
            push_number(&mut path, run);
            path.push_str("v1h-");
            push_number(&mut path, run);
            path.push('z');
            x += run;
        }
    }
    format!(
        "<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\" \
         xmlns=\"http://www.w3.org/2000/svg\" width=\"140\" height=\"140\" \
         viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut out = String::new();
        for n in [0, 7, 10, 99, 137, 1000] {
            push_number(&mut out, n);
            out.push(',');
        }
        assert_eq!(out, "0,7,10,99,137,1000,");
    }

    #[test]
    fn inline_svg_without_xml_declaration() {
        let svg = svg_for("https://example.gov.cn/a/");
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(svg.ends_with("</svg>"));
    }

    /// The code decodes back to the URL, read the way a phone reads it:
    /// from a picture of the SVG's modules, by an independent decoder.
    #[test]
    fn codes_decode_to_their_urls() {
        for url in [
            "https://example.gov.cn/volunteer/2024/chong-yang-jie-song-wen-nuan/",
            "http://127.0.0.1:1111/news/%E5%8F%8D%E8%AF%88/",
            "https://www.jiedao.example.cn/lectures/li-lun-xuan-jiang-jin-she-qu-di-123-qi/",
            "https://a.cn/",
        ] {
            let (dark, width) = modules(url).expect("a code");
            let scale = 4;
            let side = (width + 2 * QUIET_ZONE) * scale;
            let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(side, side, |px, py| {
                let (x, y) = (px / scale, py / scale);
                let inside = (QUIET_ZONE..QUIET_ZONE + width).contains(&x)
                    && (QUIET_ZONE..QUIET_ZONE + width).contains(&y);
                let is_dark = inside && dark[(y - QUIET_ZONE) * width + (x - QUIET_ZONE)];
                if is_dark {
                    0
                } else {
                    255
                }
            });
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "{url}");
            let (_, content) = grids[0].decode().expect("decodes");
            assert_eq!(content, url);
        }
    }
}
