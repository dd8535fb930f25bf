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

/// Appends `n` in decimal. A code's path has hundreds of numbers, all of
/// one to three digits (a code is at most 177 modules wide): formatting
/// them through `write!` was two thirds of drawing a code, and a digit
/// pushed at a time a third.
fn push_number(out: &mut Vec<u8>, n: usize) {
    let digit = |d: usize| b'0' + (d % 10) as u8;
    match n {
        0..=9 => out.push(digit(n)),
        10..=99 => out.extend_from_slice(&[digit(n / 10), digit(n)]),
        100..=999 => out.extend_from_slice(&[digit(n / 100), digit(n / 10), digit(n)]),
        _ => out.extend_from_slice(n.to_string().as_bytes()),
    }
}

/// An inline `<svg>` of the QR code for `url`, labelled for screen readers.
pub fn svg_for(url: &str) -> String {
    let Some((dark, width)) = modules(url) else {
        return String::new();
    };
    let size = width + 2 * QUIET_ZONE;
    let mut svg = Vec::with_capacity(width * width * 4);
    svg.extend_from_slice(
        "<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\" \
         xmlns=\"http://www.w3.org/2000/svg\" width=\"140\" height=\"140\" viewBox=\"0 0 "
            .as_bytes(),
    );
    push_number(&mut svg, size);
    svg.push(b' ');
    push_number(&mut svg, size);
    svg.extend_from_slice(b"\" shape-rendering=\"crispEdges\"><rect width=\"");
    push_number(&mut svg, size);
    svg.extend_from_slice(b"\" height=\"");
    push_number(&mut svg, size);
    svg.extend_from_slice(b"\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&d| d).count();
            // `M{x} {y}h{run}v1h-{run}z`
            svg.push(b'M');
            push_number(&mut svg, x + QUIET_ZONE);
            svg.push(b' ');
            push_number(&mut svg, y + QUIET_ZONE);
            svg.push(b'h');
            push_number(&mut svg, run);
            svg.extend_from_slice(b"v1h-");
            push_number(&mut svg, run);
            svg.push(b'z');
            x += run;
        }
    }
    svg.extend_from_slice(b"\"/></svg>");
    String::from_utf8(svg).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 99, 137, 1000] {
            push_number(&mut out, n);
            out.push(b',');
        }
        assert_eq!(out, b"0,7,10,99,137,1000,");
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
