//! The `[images]` table of site.toml: which widths images are published in,
//! the JPEG quality, the largest image accepted, and whether full-size copies
//! of referenced photos are published too.

use serde::Deserialize;

use super::CONFIG_FILE;
use crate::diagnostics::{line_col, Diagnostic};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// Widths in pixels, ascending. An image is never enlarged: a narrower one
    /// is published at the widths below its own and at its own width.
    pub widths: Vec<u32>,
    /// JPEG quality, 1 to 100.
    pub quality: u8,
    /// Images with more pixels than this are refused (decompression bombs,
    /// panoramas too big to decode safely).
    pub max_pixels: u64,
    /// Also publish each referenced image at full size (upright, without EXIF)
    /// at the path of the original file.
    pub publish_originals: bool,
    /// The `sizes` attribute of images in article bodies: how wide the body
    /// column is shown, so that phones pick a small file.
    pub sizes: String,
}

pub const DEFAULT_WIDTHS: [u32; 3] = [480, 960, 1600];
pub const DEFAULT_QUALITY: u8 = 80;
/// 100 million pixels: above every phone camera's normal output (12 to 50
/// million), far below a decompression bomb (20000×20000 = 400 million).
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;
pub const DEFAULT_SIZES: &str = "(max-width: 60rem) calc(100vw - 2rem), 58rem";

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: DEFAULT_WIDTHS.to_vec(),
            quality: DEFAULT_QUALITY,
            max_pixels: DEFAULT_MAX_PIXELS,
            publish_originals: false,
            sizes: DEFAULT_SIZES.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Vec<i64>>,
    quality: Option<i64>,
    max_pixels: Option<i64>,
    publish_originals: Option<bool>,
    sizes: Option<String>,
}

impl ImageSettings {
    /// Reads the `[images]` table (absent means the defaults). `text` is the
    /// whole site.toml, for positions in messages.
    pub fn parse(table: Option<toml::Table>, text: &str) -> Result<ImageSettings, Vec<Diagnostic>> {
        let mut settings = ImageSettings::default();
        let Some(table) = table else {
            return Ok(settings);
        };
        let at = |key: &str| position(text, key);
        let raw: RawImages = match table.try_into() {
            Ok(raw) => raw,
            Err(error) => {
                let (line, column) = at("[images]");
                return Err(vec![Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    format!("[images] 的设置有误（{}）", error.message().trim()),
                )
                .with_hint("[images] 里可以写 widths、quality、max_pixels、publish_originals、sizes，例如 widths = [480, 960, 1600]")]);
            }
        };
        let mut errors = Vec::new();
        if let Some(widths) = raw.widths {
            let mut valid: Vec<u32> = Vec::new();
            for width in widths {
                match u32::try_from(width) {
                    Ok(w) if (16..=8192).contains(&w) => valid.push(w),
                    _ => {
                        let (line, column) = at("widths");
                        errors.push(
                            Diagnostic::error(CONFIG_FILE, line, column, format!("widths 里的宽度 {width} 不合适"))
                                .with_hint("每个宽度写 16 到 8192 之间的像素数，例如 widths = [480, 960, 1600]"),
                        );
                    }
                }
            }
            valid.sort_unstable();
            valid.dedup();
            if valid.is_empty() && errors.is_empty() {
                let (line, column) = at("widths");
                errors.push(
                    Diagnostic::error(CONFIG_FILE, line, column, "widths 至少要有一个宽度")
                        .with_hint("例如 widths = [480, 960, 1600]"),
                );
            }
            settings.widths = valid;
        }
        if let Some(quality) = raw.quality {
            match u8::try_from(quality) {
                Ok(q) if (1..=100).contains(&q) => settings.quality = q,
                _ => {
                    let (line, column) = at("quality");
                    errors.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!("quality 要在 1 到 100 之间，现在是 {quality}"),
                        )
                        .with_hint("照片一般用 75 到 85，默认 80"),
                    );
                }
            }
        }
        if let Some(max_pixels) = raw.max_pixels {
            match u64::try_from(max_pixels) {
                Ok(n) if n > 0 => settings.max_pixels = n,
                _ => {
                    let (line, column) = at("max_pixels");
                    errors.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!("max_pixels 必须是大于 0 的整数，现在是 {max_pixels}"),
                        )
                        .with_hint(
                            "默认 100000000（一亿像素），手机照片一般在一千二百万到五千万像素",
                        ),
                    );
                }
            }
        }
        if let Some(publish) = raw.publish_originals {
            settings.publish_originals = publish;
        }
        if let Some(sizes) = raw.sizes {
            settings.sizes = sizes.trim().to_string();
        }
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

/// Where `key` is written after the `[images]` line, for messages.
fn position(text: &str, key: &str) -> (usize, usize) {
    let start = text.find("[images]").unwrap_or(0);
    let offset = if key == "[images]" {
        start
    } else {
        text[start..]
            .lines()
            .scan(start, |at, line| {
                let here = *at;
                *at += line.len() + 1;
                Some((here, line))
            })
            .find(|(_, line)| {
                line.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(start, |(here, line)| {
                here + (line.len() - line.trim_start().len())
            })
    };
    line_col(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ImageSettings, Vec<Diagnostic>> {
        let table: toml::Table = toml::from_str(text).unwrap();
        let images = table.get("images").and_then(|v| v.as_table()).cloned();
        ImageSettings::parse(images, text)
    }

    #[test]
    fn absent_table_means_defaults() {
        assert_eq!(parse("title = \"x\"\n").unwrap(), ImageSettings::default());
    }

    #[test]
    fn widths_are_sorted_and_checked() {
        let settings = parse("[images]\nwidths = [960, 480, 480]\nquality = 70\n").unwrap();
        assert_eq!(settings.widths, [480, 960]);
        assert_eq!(settings.quality, 70);
        let errors = parse("title = \"x\"\n[images]\nquality = 0\n").unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
        let errors = parse("[images]\nwidth = [1]\n").unwrap_err();
        assert!(errors[0].message.contains("width"), "{errors:?}");
    }
}
