//! The folder a build stages new and changed files in, compared with the
//! previous output as they are written.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::faults::FaultInjection;
use super::record::{digest, Entry, Record};
use super::{
    absolute, check_site_path, commit, io_error, Sink, JOURNAL, MANIFEST, MARKER, MARKER_TEXT,
};
use crate::diagnostics::Diagnostic;

/// The folder a build writes new and changed files into before they go into the output.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The output of the last build, which files are compared with.
    previous: Option<PathBuf>,
    /// Files whose bytes differ from the previous output (or are new).
    changed: AtomicUsize,
    /// Every file of the site made so far, changed or not: for the record,
    /// and to know which files of the previous output are no longer built.
    entries: Mutex<Vec<Entry>>,
    /// Folders of the staging folder made so far: most files share their
    /// folder with others, and asking the system to make it again cost two
    /// calls a file.
    made_dirs: Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
    faults: FaultInjection,
}

impl Staging {
    /// Creates a fresh staging folder beside `output` (on the same disk, so
    /// files move into place by renaming), first finishing a commit that was
    /// interrupted and clearing what an interrupted build left.
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let output = absolute(output);
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "创建输出文件夹", &e))?;
        commit::finish_interrupted(&output)?;
        let prefix = format!(".{name}.streetpress-");
        if let Ok(entries) = fs::read_dir(&parent) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = parent.join(format!("{prefix}new-{}", std::process::id()));
        fs::create_dir(&dir).map_err(|e| io_error(&dir, "创建临时文件夹", &e))?;
        // check_output_dir has made sure an existing output is streetpress's own.
        let previous = output.is_dir().then(|| output.clone());
        Ok(Staging {
            dir,
            output,
            previous,
            changed: AtomicUsize::new(0),
            entries: Mutex::new(Vec::new()),
            made_dirs: Mutex::default(),
            committed: false,
            faults: FaultInjection::from_env(),
        })
    }

    /// The staging folder. A file put here directly is committed as a new one.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many files so far are new or differ from the previous output.
    pub fn changed(&self) -> usize {
        self.changed.load(Ordering::Relaxed)
    }

    /// Writes one file, `rel` being its path in the site (`articles/2024/03/a/index.html`).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        if let Some(old) = self.previous.as_ref().map(|p| p.join(rel)) {
            if let Some(meta) = same_bytes(&old, bytes) {
                self.note(rel, Some(meta));
                return Ok(());
            }
        }
        self.faults
            .before_write()
            .map_err(|e| io_error(&path, "写入", &e))?;
        self.changed.fetch_add(1, Ordering::Relaxed);
        self.create_parent(&path)?;
        let mut file = fs::File::create(&path).map_err(|e| io_error(&path, "写入", &e))?;
        file.write_all(bytes)
            .map_err(|e| io_error(&path, "写入", &e))?;
        self.note(rel, file.metadata().ok());
        Ok(())
    }

    /// Copies a file into the site at `rel`, with the source's modification
    /// time (as `cp -p` does), so an unchanged copy is recognised by its size
    /// and time without reading it.
    pub fn copy(&self, rel: &str, source: &Path) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        let source_meta = fs::metadata(source).map_err(|e| io_error(source, "复制", &e))?;
        if let Some(old) = self.previous.as_ref().map(|p| p.join(rel)) {
            let unchanged = fs::metadata(&old).ok().filter(|meta| {
                meta.is_file()
                    && meta.len() == source_meta.len()
                    && meta.modified().ok().is_some()
                    && meta.modified().ok() == source_meta.modified().ok()
            });
            if let Some(meta) = unchanged {
                self.note(rel, Some(meta));
                return Ok(());
            }
        }
        self.faults
            .before_write()
            .map_err(|e| io_error(&path, "复制", &e))?;
        self.changed.fetch_add(1, Ordering::Relaxed);
        self.create_parent(&path)?;
        fs::copy(source, &path).map_err(|e| io_error(source, "复制", &e))?;
        // Best effort: without the source's time the file is only copied again next time.
        let file = fs::File::options().write(true).open(&path);
        if let (Ok(file), Ok(modified)) = (&file, source_meta.modified()) {
            let _ = file.set_modified(modified);
        }
        self.note(rel, file.and_then(|f| f.metadata()).ok());
        Ok(())
    }

    /// Makes the folder of `path` unless this build has made it already.
    fn create_parent(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let dirs = || self.made_dirs.lock().unwrap_or_else(|e| e.into_inner());
        if dirs().contains(parent) {
            return Ok(());
        }
        fs::create_dir_all(parent).map_err(|e| io_error(parent, "创建文件夹", &e))?;
        dirs().insert(parent.to_path_buf());
        Ok(())
    }

    /// Notes a file of the site for the record.
    fn note(&self, rel: &str, meta: Option<fs::Metadata>) {
        let (len, modified) = meta.map_or((u64::MAX, 0), |meta| {
            (meta.len(), crate::fingerprint::nanos(meta.modified().ok()))
        });
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), len, modified));
    }

    fn path_of(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        check_site_path(rel)?;
        Ok(self.dir.join(rel))
    }

    /// Records what this output is built from, with a digest of its files,
    /// so that the next build from the same inputs can keep it as it is.
    /// Call it after the last file is written.
    pub fn record(&self, record: Record) -> Result<(), Diagnostic> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let due = record
            .next_due
            .map_or_else(|| "none".to_string(), |seconds| seconds.to_string());
        let text = format!(
            "streetpress-manifest 2\nfingerprint {:016x}\nlisting {:016x}\ndue {due}\narticles {}\nactivities {}\npeople {}\npages {}\nfiles {}\n",
            record.fingerprint,
            digest(entries),
            record.articles,
            record.activities,
            record.people,
            record.pages,
            record.files
        );
        let path = self.dir.join(MANIFEST);
        let mut file = fs::File::create(&path).map_err(|e| io_error(&path, "写入", &e))?;
        file.write_all(text.as_bytes())
            .map_err(|e| io_error(&path, "写入", &e))
    }

    /// Puts the new site in place. Into a new output folder, the staging
    /// folder is renamed. Into an existing one, a journal is written first
    /// (the staging folder's name and the files to remove); then files no
    /// longer built are removed and the staged files moved in; the journal
    /// goes last. See `commit.rs`.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        if !self.output.exists() {
            fs::rename(&self.dir, &self.output)
                .map_err(|e| io_error(&self.output, "换上新生成的网站", &e))?;
            self.committed = true;
            return Ok(());
        }
        let mut built: std::collections::HashSet<String> = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(rel, _, _)| rel.clone())
            .collect();
        built.extend(commit::files_under(&self.dir));
        built.insert(MANIFEST.to_string());
        let gone: Vec<String> = commit::files_under(&self.output)
            .into_iter()
            .filter(|rel| !built.contains(rel) && rel != JOURNAL)
            .collect();
        commit::write_journal(&self.output, &self.dir, &gone)?;
        // From here on the journal finishes the commit if this one cannot.
        self.committed = true;
        commit::carry_out(&self.output, &self.dir, &gone)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        Staging::write(self, rel, bytes)
    }

    /// Beside the staging folder, with a name the next build clears away
    /// if this one is interrupted.
    fn scratch_dir(&self) -> Option<PathBuf> {
        let name = self.dir.file_name()?.to_string_lossy().into_owned();
        let (prefix, pid) = name.rsplit_once("new-")?;
        Some(self.dir.with_file_name(format!("{prefix}work-{pid}")))
    }

    fn copy(&self, rel: &str, source: &Path) -> Result<(), Diagnostic> {
        Staging::copy(self, rel, source)
    }

    /// A file written in this build is staged when it changed, else it is
    /// the previous output's file, left in place.
    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        check_site_path(rel).ok()?;
        fs::read(self.dir.join(rel)).ok().or_else(|| {
            let previous = self.previous.as_ref()?;
            fs::read(previous.join(rel)).ok()
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The metadata of the file at `path` if it holds exactly `bytes`. Reads in
/// pieces and stops at the first difference; a missing file or a different
/// size is `None` without reading.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    let mut file = fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return None;
    }
    let mut buffer = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return rest.is_empty().then_some(meta),
            Ok(n) if n <= rest.len() && buffer[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return None,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}
