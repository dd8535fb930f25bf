//! Images of articles, residents and pages (SPEC section 8). Every image an
//! item refers to (`cover`, `photo`, `![..](..)` in a body) is turned upright
//! by its EXIF orientation, scaled to the widths of `[images]` in site.toml
//! (never enlarged) and re-encoded without any EXIF, so that GPS positions
//! and camera serial numbers are not published. The original file is not
//! published unless `publish_originals` asks for a full-size copy, which is
//! re-encoded the same way. Images nothing refers to are copied as they are
//! (they may be downloads), and so are SVG drawings.
//!
//! Work runs in parallel and is cached by content (see [`cache`]); the
//! results are plain data that pages are rendered from.

pub mod cache;
pub mod codec;
pub mod refs;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::ImageSettings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::site::images::{ImageSet, Processed, Variant};
use crate::site::Site;
use cache::Cache;
use codec::{Info, Kind, Problem};
use refs::Reference;

/// Bumped whenever the same settings would produce different files.
const PIPELINE_VERSION: &str = "1";

/// Figures of the image work of one build.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImageReport {
    /// Referenced images.
    pub images: usize,
    /// Images decoded by this build (the rest came from the cache).
    pub decoded: usize,
    /// Files encoded by this build.
    pub encoded: usize,
    /// Bytes of the referenced source files.
    pub source_bytes: u64,
    /// Bytes of the files published for them.
    pub published_bytes: u64,
    /// Cache files deleted because no build uses them any more.
    pub pruned: usize,
}

/// The build summary's line about images, e.g. `图片 5 张：本次处理 1 张（生成 3 个文件），其余 4 张来自缓存；原图共 2.3 MB，发布 0.6 MB`.
pub fn report_line(report: &ImageReport) -> String {
    let mb = |bytes: u64| match bytes {
        0..=1_048_575 => format!("{} KB", bytes.div_ceil(1024)),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    };
    let work = if report.decoded == 0 {
        "全部来自缓存".to_string()
    } else {
        format!(
            "本次处理 {} 张（生成 {} 个文件），其余 {} 张来自缓存",
            report.decoded,
            report.encoded,
            report.images.saturating_sub(report.decoded)
        )
    };
    format!(
        "图片 {} 张：{work}；原图共 {}，发布 {}",
        report.images,
        mb(report.source_bytes),
        mb(report.published_bytes)
    )
}

/// The image work of one build that outlives it: the cache, saved once the
/// build has succeeded, and the figures for its summary.
#[derive(Default)]
pub struct Work {
    /// None when there was no image to process, or no cache could be opened.
    cache: Option<Cache>,
    pub report: ImageReport,
}

impl Work {
    /// After a successful build: saves the cache index, prunes unused
    /// files, and gives the figures.
    pub fn finish(self) -> ImageReport {
        ImageReport {
            pruned: self.cache.as_ref().map_or(0, Cache::finish),
            ..self.report
        }
    }
}

/// Copies every published file of every referenced image into the site.
pub fn write(set: &ImageSet, staging: &dyn Sink, diagnostics: &Diagnostics) -> usize {
    let files: Vec<&Variant> = set.files().collect();
    files.par_iter().for_each(|variant| {
        if let Err(problem) = staging.copy(&variant.path, &variant.file) {
            diagnostics.push(problem);
        }
    });
    files.len()
}

/// Finds, checks and processes every referenced image. Problems go into
/// `diagnostics`, at the first place that refers to the image.
pub fn prepare(site: &Site, diagnostics: &Diagnostics) -> (ImageSet, Work) {
    let references = refs::collect(site);
    let assets: HashMap<&str, &Path> = site
        .assets
        .iter()
        .map(|a| (a.rel.as_str(), a.source.as_path()))
        .collect();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (rel, refs) in &references {
        if rel.to_ascii_lowercase().ends_with(".svg") {
            continue; // drawn at any size, no EXIF: published as it is
        }
        let (Some(source), Some(site_path)) = (assets.get(rel.as_str()), site.source_urls.get(rel))
        else {
            // A missing body image is reported by the renderer with its line; a
            // field naming a file that is not an ordinary file of content/ (a
            // shortcut leading elsewhere) is reported here.
            if let Some(first) = refs.iter().find(|r| r.field) {
                // The site's `share_image` is checked by nobody else.
                let missing = first.shown == crate::config::CONFIG_FILE
                    && !site.root.join("content").join(rel).exists();
                if missing {
                    diagnostics.push(at(first, format!("找不到图片“{}”", first.written)).with_hint(
                        "share_image 写图片在 content 文件夹里的路径，例如 share_image = \"images/share.png\"",
                    ));
                } else if !site.content_files.contains(rel) {
                    diagnostics.push(
                        at(
                            first,
                            format!(
                                "图片“{}”不在 content 文件夹里（可能是一个快捷方式）",
                                first.written
                            ),
                        )
                        .with_hint("请把图片文件本身复制到 content 文件夹里，再写它的相对路径"),
                    );
                }
            }
            continue;
        };
        jobs.push(Job {
            rel,
            source,
            site_path,
            first: &refs[0],
        });
    }
    warn_located_downloads(site, &references, diagnostics);
    if jobs.is_empty() {
        return Default::default();
    }
    let cache = match Cache::open(&site.root) {
        Ok(cache) => cache,
        Err(problem) => {
            diagnostics.push(problem);
            return Default::default();
        }
    };
    let counters = Counters::default();
    let settings = &site.config.images;
    let results: Vec<(String, Processed)> = jobs
        .par_iter()
        .filter_map(|job| match process(job, settings, &cache, &counters) {
            Ok(processed) => Some((job.rel.to_string(), processed)),
            Err(problem) => {
                diagnostics.push(describe(job, &problem, settings));
                None
            }
        })
        .collect();
    let images: HashMap<String, Processed> = results.into_iter().collect();
    check_collisions(site, &images, &references, diagnostics);
    let report = ImageReport {
        images: images.len(),
        decoded: counters.decoded.load(Ordering::Relaxed),
        encoded: counters.encoded.load(Ordering::Relaxed),
        source_bytes: counters.source_bytes.load(Ordering::Relaxed),
        published_bytes: images
            .values()
            .flat_map(Processed::files)
            .map(|v| v.bytes)
            .sum(),
        pruned: 0,
    };
    let cache = Some(cache);
    (ImageSet::new(images), Work { cache, report })
}

struct Job<'a> {
    rel: &'a str,
    source: &'a Path,
    /// Where the file would be published as it is: `images/a.jpg`.
    site_path: &'a str,
    first: &'a Reference,
}

#[derive(Default)]
struct Counters {
    decoded: AtomicUsize,
    encoded: AtomicUsize,
    source_bytes: AtomicU64,
}

/// Why processing failed: a problem with the image, or with the disk.
enum Failure {
    Image(Problem),
    Io(String),
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Self {
        Failure::Image(problem)
    }
}

/// One file to publish for an image, and the cache file it comes from.
struct Planned {
    width: u32,
    height: u32,
    path: String,
    cache_name: String,
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

fn process(
    job: &Job<'_>,
    settings: &ImageSettings,
    cache: &Cache,
    counters: &Counters,
) -> Result<Processed, Failure> {
    let metadata =
        std::fs::metadata(job.source).map_err(|e| Failure::Io(crate::text_file::io_reason(&e)))?;
    counters
        .source_bytes
        .fetch_add(metadata.len(), Ordering::Relaxed);
    let stamp = Cache::stamp(&metadata);
    let mut bytes: Option<Vec<u8>> = None;
    let read = |bytes: &mut Option<Vec<u8>>| -> Result<(), Failure> {
        if bytes.is_none() {
            *bytes = Some(
                std::fs::read(job.source)
                    .map_err(|e| Failure::Io(crate::text_file::io_reason(&e)))?,
            );
        }
        Ok(())
    };
    let hash = match cache.known_hash(job.rel, &stamp) {
        Some(hash) => hash,
        None => {
            read(&mut bytes)?;
            let digest = blake3::hash(bytes.as_deref().unwrap_or_default());
            digest.to_hex()[..32].to_string()
        }
    };
    cache.remember(job.rel, stamp, &hash);

    let info_name = format!("{hash}.json");
    let cached_info: Option<Info> = cache
        .read(&info_name)
        .and_then(|b| serde_json::from_slice(&b).ok());
    let info = match cached_info {
        Some(info) => info,
        None => {
            read(&mut bytes)?;
            let info = codec::probe(bytes.as_deref().unwrap_or_default())?;
            if let Ok(json) = serde_json::to_vec(&info) {
                cache
                    .put(&info_name, &json)
                    .map_err(|e| Failure::Io(crate::text_file::io_reason(&e)))?;
            }
            info
        }
    };
    if u64::from(info.width) * u64::from(info.height) > settings.max_pixels {
        return Err(Problem::TooLarge {
            width: info.width,
            height: info.height,
        }
        .into());
    }

    if info.kind == Kind::Gif {
        // Published as it is: GIF has no EXIF, and scaling would lose the animation.
        let variant = Variant {
            width: info.width,
            height: info.height,
            path: job.site_path.to_string(),
            file: job.source.to_path_buf(),
            bytes: metadata.len(),
        };
        return Ok(Processed {
            width: info.width,
            height: info.height,
            variants: vec![variant],
            webp: Vec::new(),
            original: None,
        });
    }

    let widths = widths_for(info.width, &settings.widths);
    let (dir, stem) = split_site_path(job.site_path);
    let main_format = if info.kind == Kind::Photo {
        Format::Jpeg
    } else {
        Format::Png
    };
    let plan = |width: u32, format: Format, path: String| -> Planned {
        let quality = if format == Format::Jpeg {
            settings.quality
        } else {
            0
        };
        let key = blake3::hash(
            format!(
                "{hash}|{width}|{}|{quality}|{PIPELINE_VERSION}",
                format.extension()
            )
            .as_bytes(),
        );
        Planned {
            width,
            height: codec::scaled_height(info.width, info.height, width),
            path,
            cache_name: format!("{}-{width}.{}", &key.to_hex()[..32], format.extension()),
            format,
        }
    };
    let variant_path =
        |width: u32, format: Format| format!("{dir}{stem}-{width}.{}", format.extension());
    let mut planned: Vec<Planned> = widths
        .iter()
        .map(|&w| plan(w, main_format, variant_path(w, main_format)))
        .collect();
    let webp_start = planned.len();
    if info.kind == Kind::Graphic {
        planned.extend(
            widths
                .iter()
                .map(|&w| plan(w, Format::WebP, variant_path(w, Format::WebP))),
        );
    }
    let original_index = settings.publish_originals.then(|| {
        planned.push(plan(
            info.width,
            main_format,
            original_path(job.site_path, main_format),
        ));
        planned.len() - 1
    });

    let sizes: Vec<Option<u64>> = planned.iter().map(|p| cache.size(&p.cache_name)).collect();
    let sizes = if sizes.iter().all(Option::is_some) {
        sizes.into_iter().map(|s| s.unwrap_or(0)).collect()
    } else {
        read(&mut bytes)?;
        let made = render_missing(
            bytes.as_deref().unwrap_or_default(),
            &info,
            &planned,
            &sizes,
            settings,
            cache,
        )?;
        counters.decoded.fetch_add(1, Ordering::Relaxed);
        counters.encoded.fetch_add(made.1, Ordering::Relaxed);
        made.0
    };

    let variants: Vec<Variant> = planned
        .iter()
        .zip(&sizes)
        .map(|(p, &bytes)| Variant {
            width: p.width,
            height: p.height,
            path: p.path.clone(),
            file: cache.dir().join(&p.cache_name),
            bytes,
        })
        .collect();
    let mut main: Vec<Variant> = variants[..webp_start].to_vec();
    let end = original_index.unwrap_or(variants.len());
    let webp: Vec<Variant> = variants[webp_start..end].to_vec();
    let original = original_index.map(|i| variants[i].clone());
    // WebP is published only where it is measured smaller than the PNG.
    let webp_bytes: u64 = webp.iter().map(|v| v.bytes).sum();
    let main_bytes: u64 = main.iter().map(|v| v.bytes).sum();
    let webp = if !webp.is_empty() && webp_bytes < main_bytes {
        webp
    } else {
        Vec::new()
    };
    main.sort_by_key(|v| v.width);
    Ok(Processed {
        width: info.width,
        height: info.height,
        variants: main,
        webp,
        original,
    })
}

/// Decodes once and encodes the planned files not yet in the cache. Returns
/// the size of every planned file and how many were encoded.
fn render_missing(
    bytes: &[u8],
    info: &Info,
    planned: &[Planned],
    sizes: &[Option<u64>],
    settings: &ImageSettings,
    cache: &Cache,
) -> Result<(Vec<u64>, usize), Failure> {
    let (image, icc) = codec::decode(bytes, settings.max_pixels)?;
    let image = codec::prepare(image, info);
    let mut out = sizes.to_vec();
    let mut encoded = 0;
    // Widest first, each scaled from the previous one: far less work than
    // scaling every size from the full photo, with no visible difference.
    let mut order: Vec<usize> = (0..planned.len()).filter(|&i| sizes[i].is_none()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(planned[i].width));
    let mut current = image;
    let mut made: HashMap<&str, u64> = HashMap::new();
    for i in order {
        let p = &planned[i];
        if let Some(&size) = made.get(p.cache_name.as_str()) {
            out[i] = Some(size); // the full-size copy and the variant of the same width
            continue;
        }
        if current.width() != p.width {
            current = codec::scale(&current, p.width);
        }
        let data = match p.format {
            Format::Jpeg => codec::encode_jpeg(&current, settings.quality, icc.as_deref()),
            Format::Png => codec::encode_png(&current, icc.as_deref()),
            Format::WebP => codec::encode_webp(&current),
        }
        .map_err(|e| Failure::Image(Problem::Broken(e)))?;
        cache
            .put(&p.cache_name, &data)
            .map_err(|e| Failure::Io(crate::text_file::io_reason(&e)))?;
        out[i] = Some(data.len() as u64);
        made.insert(&p.cache_name, data.len() as u64);
        encoded += 1;
    }
    Ok((out.into_iter().map(|s| s.unwrap_or(0)).collect(), encoded))
}

/// The widths an image of `width` is published at: the configured ones below
/// its own, and its own when it is not wider than the widest configured.
pub fn widths_for(width: u32, configured: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = configured.iter().copied().filter(|&w| w < width).collect();
    if configured.last().is_none_or(|&max| width <= max) {
        widths.push(width);
    }
    widths
}

/// `articles/2024/09/x/photo.jpg` → (`articles/2024/09/x/`, `photo`).
fn split_site_path(path: &str) -> (&str, &str) {
    let (dir, name) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    (dir, stem)
}

/// The original's own path, with the extension of the format it is written in.
fn original_path(site_path: &str, format: Format) -> String {
    let (dir, stem) = split_site_path(site_path);
    let name = &site_path[dir.len()..];
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let keeps = match format {
        Format::Jpeg => matches!(extension.as_deref(), Some("jpg" | "jpeg")),
        Format::Png => extension.as_deref() == Some("png"),
        Format::WebP => extension.as_deref() == Some("webp"),
    };
    if keeps {
        site_path.to_string()
    } else {
        format!("{dir}{stem}.{}", format.extension())
    }
}

fn at(reference: &Reference, message: String) -> Diagnostic {
    Diagnostic::error(&reference.shown, reference.line, reference.column, message)
}

fn describe(job: &Job<'_>, failure: &Failure, settings: &ImageSettings) -> Diagnostic {
    let name = format!("content/{}", job.rel);
    let (message, hint) = match failure {
        Failure::Io(reason) => (
            format!("无法读取图片 {name}：{reason}"),
            "检查文件是否还在、能否打开；之前生成的网站没有被改动".to_string(),
        ),
        Failure::Image(Problem::NotAnImage) => (
            format!("{name} 不是图片文件，无法识别它的格式"),
            "请确认引用的是照片或图片本身；可以用手机或电脑重新导出为 JPEG（照片）或 PNG（图表、截图）".to_string(),
        ),
        Failure::Image(Problem::Heic) => (
            format!("{name} 是苹果手机的 HEIC 格式照片，浏览器无法显示"),
            "在 iPhone 的“设置 > 相机 > 格式”里选“兼容性最佳”，或在电脑上把照片另存为 JPEG 后再放进来".to_string(),
        ),
        Failure::Image(Problem::Unsupported(format)) => (
            format!("{name} 是网站不支持的图片格式（{format}）"),
            "请另存为 JPEG（照片）或 PNG（图表、截图）后再放进来".to_string(),
        ),
        Failure::Image(Problem::Broken(reason)) => (
            format!("图片 {name} 不完整或已损坏（{reason}）"),
            "这通常是复制或下载没有完成：请从手机或相机重新复制一次这张图片".to_string(),
        ),
        Failure::Image(Problem::TooLarge { width, height }) => {
            let size = if *width > 0 {
                format!("{width}×{height}，约 {} 万像素", (u64::from(*width) * u64::from(*height)) / 10_000)
            } else {
                "解码需要的内存超过限制".to_string()
            };
            (
                format!("图片 {name} 太大（{size}），超过了 site.toml 里 [images] max_pixels 允许的 {} 万像素，没有处理", settings.max_pixels / 10_000),
                "请先把图片缩小（手机照片一般在一千二百万到五千万像素）；确实需要时可在 site.toml 的 [images] 里调大 max_pixels".to_string(),
            )
        }
    };
    at(job.first, message).with_hint(hint)
}

/// Photos nothing refers to are published as they are (they may be
/// downloads), EXIF included: a GPS position among them gets a warning.
fn warn_located_downloads(
    site: &Site,
    references: &BTreeMap<String, Vec<Reference>>,
    diagnostics: &Diagnostics,
) {
    let candidates: Vec<&crate::content::Asset> = site
        .assets
        .iter()
        .filter(|a| !references.contains_key(&a.rel) && site.source_urls.contains_key(&a.rel))
        .filter(|a| {
            let lower = a.rel.to_ascii_lowercase();
            lower.ends_with(".jpg") || lower.ends_with(".jpeg")
        })
        .collect();
    candidates.par_iter().for_each(|asset| {
        use std::io::Read;
        let mut start = Vec::with_capacity(128 * 1024);
        let read = std::fs::File::open(&asset.source)
            .and_then(|file| file.take(128 * 1024).read_to_end(&mut start));
        if read.is_ok() && codec::jpeg_has_gps(&start) {
            diagnostics.push(
                Diagnostic::warning(
                    format!("content/{}", asset.rel),
                    0,
                    0,
                    "这张照片没有被文章引用，会按原样发布，照片里带有拍摄地点（GPS 位置）",
                )
                .with_hint("不需要提供下载的话，请把它移出 content 文件夹；在文章里引用的照片会自动去掉这些信息"),
            );
        }
    });
}

/// Two images (or an image and a file copied as it is) that would be
/// published at the same path are an error naming both.
fn check_collisions(
    site: &Site,
    images: &HashMap<String, Processed>,
    references: &BTreeMap<String, Vec<Reference>>,
    diagnostics: &Diagnostics,
) {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    for asset in &site.assets {
        if !images.contains_key(&asset.rel) {
            if let Some(path) = site.source_urls.get(&asset.rel) {
                owners.insert(path.as_str(), asset.rel.as_str());
            }
        }
    }
    let mut sorted: Vec<(&String, &Processed)> = images.iter().collect();
    sorted.sort_by_key(|(rel, _)| rel.as_str());
    for (rel, processed) in sorted {
        for file in processed.files() {
            match owners.insert(file.path.as_str(), rel.as_str()) {
                Some(other) if other != rel.as_str() => {
                    if let Some(first) = references.get(rel.as_str()).and_then(|r| r.first()) {
                        diagnostics.push(
                            at(
                                first,
                                format!(
                                    "图片 content/{rel} 缩放后的文件 {} 与 content/{other} 重名",
                                    file.path
                                ),
                            )
                            .with_hint("给其中一个文件改个名字，例如在文件名后加上日期"),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// What a template or the Markdown renderer needs to show an image.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ImageView {
    /// The default size (the largest up to 1024 pixels wide).
    pub src: String,
    /// The smallest size, for lists and cards.
    pub small: String,
    /// The largest size, for sharing and "view larger" links.
    pub large: String,
    /// `url 480w, url 960w, …`
    pub srcset: String,
    /// The same for WebP files, when they are published.
    pub webp_srcset: Option<String>,
    /// Size of the default file: set on `<img>` so that the page does not jump.
    pub width: u32,
    pub height: u32,
}

/// The view of a processed image, with URLs made by `url` from site paths.
pub fn view(processed: &Processed, url: impl Fn(&str) -> String) -> ImageView {
    let srcset = |list: &[Variant]| {
        list.iter()
            .map(|v| format!("{} {}w", url(&v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let default = processed.default_variant();
    ImageView {
        src: url(&default.path),
        small: url(&processed.variants[0].path),
        large: url(&processed.largest().path),
        srcset: srcset(&processed.variants),
        webp_srcset: (!processed.webp.is_empty()).then(|| srcset(&processed.webp)),
        width: default.width,
        height: default.height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_never_enlarged() {
        let widths = [480, 960, 1600];
        assert_eq!(widths_for(4000, &widths), [480, 960, 1600]);
        assert_eq!(widths_for(1600, &widths), [480, 960, 1600]);
        assert_eq!(widths_for(1200, &widths), [480, 960, 1200]);
        assert_eq!(widths_for(300, &widths), [300]);
    }

    #[test]
    fn variant_names_sit_beside_the_original() {
        assert_eq!(split_site_path("images/a.b.jpg"), ("images/", "a.b"));
        assert_eq!(split_site_path("a.png"), ("", "a"));
        assert_eq!(
            original_path("images/a.JPEG", Format::Jpeg),
            "images/a.JPEG"
        );
        assert_eq!(original_path("images/a.webp", Format::Jpeg), "images/a.jpg");
    }
}
