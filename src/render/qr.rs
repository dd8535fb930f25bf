//! 扫码带走: the QR code of a page's absolute URL, drawn at build time as
//! inline SVG so that no external service is asked and it works offline.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline `<svg>` of the QR code for `url`, labelled for screen readers.
pub fn svg_for(url: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let drawn = code
        .render::<svg::Color<'_>>()
        .min_dimensions(140, 140)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer writes a standalone document; inside HTML only the <svg> element belongs.
    let element = drawn
        .find("<svg")
        .map_or(drawn.as_str(), |start| &drawn[start..]);
    element.replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\" ",
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_svg_without_xml_declaration() {
        let svg = svg_for("https://example.gov.cn/a/");
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(!svg.contains("<?xml"));
    }
}
