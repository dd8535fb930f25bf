//! The build pipeline: settings, theme and content are loaded and checked;
//! only when nothing is wrong is the site rendered into a staging folder and
//! swapped in as the output.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::config::SiteConfig;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint;
use crate::output::{self, Record, Staging};
use crate::render::{RenderReport, Renderer};
use crate::site::{PublishOptions, Site};
use crate::theme::Theme;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub include_drafts: bool,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub output: PathBuf,
    pub articles: usize,
    pub activities: usize,
    pub people: usize,
    pub report: RenderReport,
    pub images: crate::images::ImageReport,
    /// Files that are new or differ from the previous output; the others kept their time.
    pub changed: usize,
    pub seconds: f64,
}

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum BuildError {
    /// The command was used wrongly (a dangerous output folder, no site here): exit code 2.
    Usage(Diagnostic),
    /// The content, settings or templates have errors: exit code 1.
    Content,
}

/// "Now", for deciding which articles are due: `SOURCE_DATE_EPOCH` when set,
/// so that builds can be reproduced, else the wall clock.
pub fn now() -> DateTime<FixedOffset> {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let utc = from_env
        .and_then(|secs| Utc.timestamp_opt(secs, 0).single())
        .unwrap_or_else(Utc::now);
    utc.fixed_offset()
}

/// A usage error when `root` has no `site.toml`.
pub fn not_a_site(root: &Path) -> Option<Diagnostic> {
    if root.join(crate::config::CONFIG_FILE).is_file() {
        return None;
    }
    Some(
        Diagnostic::error(root.join("site.toml").display().to_string(), 0, 0, "这里没有 site.toml，不是一个 streetpress 网站文件夹")
            .with_hint("请在网站文件夹里运行，或用 --root 指定网站文件夹；新建网站可运行 streetpress init 文件夹名"),
    )
}

/// Loads the settings, applying a base URL override.
pub fn load_config(
    root: &Path,
    base_url: Option<&str>,
    diagnostics: &Diagnostics,
) -> Option<SiteConfig> {
    let mut config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    if let Some(url) = base_url {
        if let Err(message) = config.set_base_url(url) {
            diagnostics.push(Diagnostic::error("--base-url", 0, 0, message));
            return None;
        }
    }
    Some(config)
}

/// Loads and checks everything without writing. `None` when the settings
/// themselves could not be read.
pub fn load_site(
    root: &Path,
    base_url: Option<&str>,
    include_drafts: bool,
    diagnostics: &Diagnostics,
) -> Option<Site> {
    let config = load_config(root, base_url, diagnostics)?;
    let now = now();
    let district = crate::district::gather(root, &config, now, diagnostics);
    let loaded = content::load(root, &config, diagnostics);
    let options = PublishOptions {
        include_drafts,
        now,
    };
    let mut site = Site::assemble(root.to_path_buf(), config, loaded, &options, diagnostics);
    site.district = district.map(std::sync::Arc::new);
    Some(site)
}

/// Builds the site. Every problem found goes into `diagnostics`.
pub fn build(
    options: &BuildOptions,
    diagnostics: &Diagnostics,
) -> Result<BuildSummary, BuildError> {
    build_with_progress(options, diagnostics, &crate::progress::Silent)
}

/// Builds the site, reporting each file written to `progress`.
pub fn build_with_progress(
    options: &BuildOptions,
    diagnostics: &Diagnostics,
    progress: &dyn crate::progress::Progress,
) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let root = &options.root;
    if let Some(problem) = not_a_site(root) {
        return Err(BuildError::Usage(problem));
    }
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    output::check_output_dir(root, &output_dir).map_err(BuildError::Usage)?;

    let summary = |record: Record, changed, images| BuildSummary {
        output: output_dir.clone(),
        articles: record.articles,
        activities: record.activities,
        people: record.people,
        report: RenderReport {
            pages: record.pages,
            files: record.files,
            search_items: 0,
        },
        changed,
        images,
        seconds: started.elapsed().as_secs_f64(),
    };
    let config =
        load_config(root, options.base_url.as_deref(), diagnostics).ok_or(BuildError::Content)?;
    let now = now();
    // A district portal's members are read first: what they published is an
    // input of the build as much as its own files are.
    let district = crate::district::gather(root, &config, now, diagnostics);
    // Nothing changed since the last build and nothing has fallen due: its
    // output is already this build's, and its content had no problem to show.
    let fingerprint = fingerprint::of(
        root,
        &config,
        &output::absolute(&output_dir),
        options.include_drafts,
        started_at,
    )
    .map(|own| match &district {
        Some(district) => fingerprint::combine(own, district.fingerprint),
        None => own,
    });
    if let Some(record) = output::current_record(&output_dir).filter(|record| {
        Some(record.fingerprint) == fingerprint
            && record.next_due.is_none_or(|due| now.timestamp() < due)
            && diagnostics.count() == 0
    }) {
        return Ok(summary(record, 0, Default::default()));
    }

    let loaded = content::load(root, &config, diagnostics);
    let publish = PublishOptions {
        include_drafts: options.include_drafts,
        now,
    };
    let mut site = Site::assemble(root.to_path_buf(), config, loaded, &publish, diagnostics);
    site.district = district.map(std::sync::Arc::new);
    let theme = match Theme::load(root, &site.config.theme) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    if diagnostics.has_errors() {
        return Err(BuildError::Content);
    }
    let theme = theme.ok_or(BuildError::Content)?;
    // Image problems are reported with those of the pages, after rendering.
    let (images, image_work) = crate::images::prepare(&site, diagnostics);
    site.images = images;

    let staging = Staging::begin(&output_dir).map_err(|problem| {
        diagnostics.push(problem);
        BuildError::Content
    })?;
    let renderer = Renderer::new(&site, &theme);
    progress.start(renderer.page_count() + site.assets.len());
    let counting = crate::progress::Counting {
        inner: &staging,
        progress,
    };
    let report = renderer.render_all(&counting, diagnostics);
    progress.finish();
    if diagnostics.has_errors() {
        // Dropping the staging folder removes it; the previous output stays as it was.
        return Err(BuildError::Content);
    }
    let record = Record {
        fingerprint: fingerprint.unwrap_or_default(),
        next_due: site.next_due.map(|due| due.timestamp()),
        articles: site.articles.len(),
        activities: site.activities.len(),
        people: site.people.len(),
        pages: report.pages,
        files: report.files,
    };
    // A build with warnings is not recorded, so the next one reads the
    // content again and shows them again.
    if fingerprint.is_some() && diagnostics.count() == 0 {
        staging.record(record).map_err(|problem| {
            diagnostics.push(problem);
            BuildError::Content
        })?;
    }
    let changed = staging.changed();
    staging.commit().map_err(|problem| {
        diagnostics.push(problem);
        BuildError::Content
    })?;
    Ok(summary(record, changed, image_work.finish()))
}
