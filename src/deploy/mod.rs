//! `streetpress deploy`: publish the built site to a folder, an SFTP or FTP
//! server, or S3-compatible object storage, sending only what changed.
//!
//! The target keeps a manifest of what this site put there (path, size,
//! content hash), so any computer can deploy next and nothing else on the
//! target is ever touched. A deploy sends new and changed files in an order
//! that keeps the site whole for readers (pictures and styles, then pages,
//! then lists, then the home page and feeds), deletes the files the site no
//! longer has last, and writes the manifest at the very end. Before the
//! first upload it leaves a short "pending" list on the target: a deploy
//! cut off halfway is finished by the next one.
//!
//! The parts: `targets` reads `[[deploy]]` from site.toml, `local` hashes
//! the output, `manifest` is the record on the target, `plan` decides what
//! to send, `session` retries over a fresh connection, and one module per
//! kind of target (`folder`, `sftp`, `ftp`, `s3`) speaks its protocol.

mod faults;
pub mod folder;
mod ftp;
pub mod local;
pub mod manifest;
pub mod plan;
pub mod remote;
mod s3;
mod secrets;
mod session;
mod sftp;
pub mod targets;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use manifest::{Manifest, Pending, MANIFEST, PENDING};
pub use plan::Plan;
pub use remote::{Failure, Remote, RemoteError};
use session::Session;
pub use targets::{Kind, Target};

/// What a deploy reports as it goes; the command line draws a bar.
pub trait Progress {
    fn start(&self, _files: usize, _bytes: u64) {}
    fn sent(&self, _path: &str, _bytes: u64) {}
    fn finish(&self) {}
}

impl Progress for crate::progress::Silent {}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only work out the plan; send and delete nothing.
    pub dry_run: bool,
    /// List the whole target to check the manifest against it, even where
    /// listing is slow.
    pub verify: bool,
}

/// What a deploy did (or, for a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub plan: Plan,
    /// Files and bytes of the whole built site.
    pub site_files: usize,
    pub site_bytes: u64,
    /// Files and bytes sent, the manifest included.
    pub sent_files: usize,
    pub sent_bytes: u64,
    pub deleted: usize,
    /// Times a broken connection was made again.
    pub retries: usize,
    pub seconds: f64,
}

/// Why a deploy stopped.
#[derive(Debug)]
pub enum DeployError {
    /// The target could not be reached or refused something.
    Remote(RemoteError),
    /// A file of the built site could not be read.
    Local(String),
    /// The plan deletes much of the site and `confirm` said no.
    NotConfirmed,
}

impl From<RemoteError> for DeployError {
    fn from(error: RemoteError) -> Self {
        DeployError::Remote(error)
    }
}

/// Opens a connection to a target. `root` is the site folder, against which
/// a relative folder or key path is read.
pub fn connect(target: &Target, root: &Path) -> Result<Box<dyn Remote>, RemoteError> {
    match &target.kind {
        Kind::Folder { path } => Ok(Box::new(folder::FolderTarget::open(&root.join(path))?)),
        Kind::S3(settings) => s3::open(settings),
        Kind::Ftp(settings) => ftp::open(settings),
        Kind::Sftp(settings) => sftp::open(settings, root),
    }
}

/// Publishes the site built in `output` to `target`.
///
/// `confirm` is asked before a deploy deletes more than half of what this
/// site has on the target (a wrong output folder, say); it says whether to
/// go on.
pub fn deploy(
    target: &Target,
    root: &Path,
    output: &Path,
    site_title: &str,
    options: Options,
    progress: &dyn Progress,
    confirm: &dyn Fn(&Plan) -> bool,
) -> Result<Outcome, DeployError> {
    let started = Instant::now();
    let local = local::scan(output).map_err(|e| {
        DeployError::Local(format!(
            "读取生成的网站 {} 失败：{}",
            output.display(),
            crate::text_file::io_reason(&e)
        ))
    })?;
    let mut session = Session::new(|| connect(target, root));
    let manifest = session
        .call(|r| r.get(MANIFEST))?
        .and_then(|bytes| Manifest::parse(&bytes));
    let pending = session
        .call(|r| r.get(PENDING))?
        .and_then(|bytes| Pending::parse(&bytes));
    let listing = if session.lists_quickly()? || options.verify {
        Some(session.call(|r| r.list())?)
    } else if manifest
        .as_ref()
        .is_some_and(|m| looks_stale(&mut session, m))
    {
        Some(session.call(|r| r.list())?)
    } else {
        None
    };
    let plan = plan::plan(
        &local,
        manifest.as_ref(),
        pending.as_ref(),
        listing.as_ref(),
    );
    let mut outcome = Outcome {
        site_files: local.len(),
        site_bytes: local.values().map(|f| f.state.size).sum(),
        ..Outcome::default()
    };
    let new_manifest = Manifest::new(
        site_title,
        local
            .iter()
            .map(|(p, f)| (p.clone(), f.state.clone()))
            .collect(),
    );
    let manifest_current = manifest.as_ref() == Some(&new_manifest) && pending.is_none();
    if options.dry_run || (plan.is_empty() && manifest_current) {
        outcome.plan = plan;
        outcome.seconds = started.elapsed().as_secs_f64();
        return Ok(outcome);
    }
    if plan.deletions.len() > 20 && plan.deletions.len() * 2 > plan.owned && !confirm(&plan) {
        return Err(DeployError::NotConfirmed);
    }

    let mut faults = faults::Faults::from_env();
    let mut in_flight: BTreeSet<String> = pending.map(|p| p.paths).unwrap_or_default();
    in_flight.extend(plan.uploads.iter().map(|u| u.path.clone()));
    in_flight.extend(plan.deletions.iter().cloned());
    let pending_bytes = Pending::new(in_flight).to_bytes();
    session.call(|r| r.put(PENDING, &pending_bytes))?;
    outcome.sent_files += 1;
    outcome.sent_bytes += pending_bytes.len() as u64;

    progress.start(plan.uploads.len(), plan.upload_bytes());
    for upload in &plan.uploads {
        let file = &local[&upload.path];
        let bytes = std::fs::read(&file.disk).map_err(|e| {
            DeployError::Local(format!(
                "读取 {} 失败：{}",
                file.disk.display(),
                crate::text_file::io_reason(&e)
            ))
        })?;
        faults.before_upload(&mut session);
        session.call(|r| r.put(&upload.path, &bytes))?;
        outcome.sent_files += 1;
        outcome.sent_bytes += bytes.len() as u64;
        progress.sent(&upload.path, bytes.len() as u64);
    }
    for path in &plan.deletions {
        session.call(|r| r.delete(path))?;
        outcome.deleted += 1;
    }
    let folders = remote::parent_folders(&plan.deletions);
    session.call(|r| r.remove_empty_folders(&folders))?;

    let manifest_bytes = new_manifest.to_bytes();
    session.call(|r| r.put(MANIFEST, &manifest_bytes))?;
    session.call(|r| r.delete(PENDING))?;
    progress.finish();
    outcome.sent_files += 1;
    outcome.sent_bytes += manifest_bytes.len() as u64;
    outcome.retries = session.retries();
    outcome.plan = plan;
    outcome.seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// Whether the target has changed behind the manifest's back (someone
/// uploaded by hand): the files readers meet first are checked by size,
/// a few requests instead of a listing of the whole site.
fn looks_stale(session: &mut Session<'_>, manifest: &Manifest) -> bool {
    const FRONT: [&str; 3] = ["index.html", "rss.xml", "sitemap.xml"];
    FRONT.iter().any(|path| {
        let recorded = manifest.files.get(*path).map(|f| f.size);
        match session.call(|r| r.size(path)) {
            Ok(size) => size != recorded,
            Err(_) => true,
        }
    })
}
