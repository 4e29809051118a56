//! Batch runs: sharding, up-to-date checks and the run manifest.
//!
//! Building itself is per brief ([`crate::build`]); this module holds what a
//! run over many briefs needs besides: which sources this shard owns, whether
//! an output is already up to date, and the JSON record of what happened.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;

/// Name of the file, in the output folder, that remembers what each PDF was built from.
pub const STATE_FILE: &str = ".brief-state.json";

/// Keeps the sources of shard `k` of `n` (1-based): a stable choice by the
/// hash of each path, so every machine of a job array agrees without talking.
pub fn shard(sources: Vec<PathBuf>, k: usize, n: usize) -> Vec<PathBuf> {
    sources
        .into_iter()
        .filter(|p| {
            let digest = Sha256::digest(p.to_string_lossy().as_bytes());
            let v = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default());
            (v % n.max(1) as u64) as usize == k.saturating_sub(1)
        })
        .collect()
}

/// Parses `K/N` (1 ≤ K ≤ N).
pub fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, e.g. 2/8")?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| "K is not a number")?,
        n.trim().parse().map_err(|_| "N is not a number")?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n} does not exist: need 1 ≤ K ≤ N"));
    }
    Ok((k, n))
}

pub use brief_core::hash::sha256;

/// A digest of everything an output depends on: the source, the template,
/// the options, the fonts and the tool's version.
pub fn inputs_digest(source: &[u8], template: &str, options: &str, fonts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for part in
        [env!("CARGO_PKG_VERSION").as_bytes(), source, template.as_bytes(), options.as_bytes()]
    {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    for font in fonts {
        h.update((font.len() as u64).to_le_bytes());
        h.update(font);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Name of the lock file that serialises updates of [`STATE_FILE`] between runs.
pub const LOCK_FILE: &str = ".brief-state.lock";

/// What one output was built from, and by which source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Digest of every input ([`inputs_digest`]).
    pub inputs: String,
    /// The source that wrote the output ([`source_id`]).
    pub source: String,
    /// SHA-256 of the source's bytes when the output was built.
    pub source_sha256: String,
    /// SHA-256 of the output, so a file replaced since is never taken for it.
    pub sha256: String,
    /// The product (built-in template) when several are built per brief.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// SHA-256 of the `.eml` written beside the output, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eml: Option<String>,
}

impl Record {
    /// True when `output` exists unchanged since it was recorded, is no older
    /// than `source`, was built by the same source from exactly these inputs,
    /// and, when an email is wanted, its `.eml` exists unchanged too.
    pub fn up_to_date(&self, output: &Path, source: &Path, digest: &str, eml: bool) -> bool {
        let record = self;
        let newer = match (
            std::fs::metadata(output).and_then(|m| m.modified()),
            std::fs::metadata(source).and_then(|m| m.modified()),
        ) {
            (Ok(out), Ok(src)) => out >= src,
            _ => false,
        };
        let intact = |path: &Path, sha: &str| std::fs::read(path).is_ok_and(|b| sha256(&b) == sha);
        newer
            && record.inputs == digest
            && record.source == source_id(source)
            && intact(output, &record.sha256)
            && (!eml
                || record.eml.as_deref().is_some_and(|e| intact(&output.with_extension("eml"), e)))
    }
}

/// What each output in a folder was built from: file name → [`Record`].
///
/// Several runs may share a folder at once, so [`State::save`] merges this
/// run's records into what is on disk under a lock instead of replacing it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    outputs: BTreeMap<String, Record>,
    /// Records made by this run, merged into the file on save.
    #[serde(skip)]
    changed: BTreeMap<String, Record>,
}

impl State {
    /// Reads the state of an output folder; a missing or unreadable one (or
    /// one from an older version) is empty, which only costs a rebuild.
    pub fn load(dir: &Path) -> State {
        std::fs::read(dir.join(STATE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The record of an output, by its path (only the file name counts).
    pub fn get(&self, output: &Path) -> Option<&Record> {
        self.outputs.get(&file_key(output))
    }

    /// The outputs recorded as written by `source` (a [`source_id`]), by file name.
    pub fn written_by<'a>(
        &'a self,
        source: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Record)> {
        self.outputs.iter().filter(move |(_, r)| r.source == source).map(|(n, r)| (n.as_str(), r))
    }

    /// Records what `output` was built from.
    pub fn record(&mut self, output: &Path, record: Record) {
        let name = file_key(output);
        self.outputs.insert(name.clone(), record.clone());
        self.changed.insert(name, record);
    }

    /// Merges this run's records into the state file beside the outputs: under
    /// an exclusive lock, it rereads the file, so records another run saved
    /// meanwhile are kept, then writes it atomically.
    pub fn save(&self, dir: &Path) -> Result<(), Diagnostic> {
        let lock_path = dir.join(LOCK_FILE);
        let io = |what: &str, e: std::io::Error| {
            Diagnostic::error(dir.join(STATE_FILE).display().to_string(), format!("{what} ({e})"))
        };
        std::fs::create_dir_all(dir).map_err(|e| io("cannot write", e))?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io("cannot write", e))?;
        // Released when `lock` is dropped, also on an early return.
        match lock.lock() {
            Ok(()) => {}
            // A file system without locks (some network mounts): merging still
            // keeps other runs' records, only the narrow race is left open.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
            Err(e) => return Err(io("cannot write (lock)", e)),
        }
        let mut merged = State::load(dir);
        merged.outputs.extend(self.changed.clone());
        let bytes = serde_json::to_vec_pretty(&merged).unwrap_or_default();
        write_atomic(&dir.join(STATE_FILE), &bytes)
    }
}

fn file_key(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// How a state file names a source: its canonical path, so the same file
/// named two ways is one source, and two files are never one.
pub fn source_id(source: &Path) -> String {
    std::fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf()).display().to_string()
}

/// What makes an existing file itself: device and inode where the system
/// has them, else its canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The identity of an existing file (links followed); `None` when there is none.
pub fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| FileId((m.dev(), m.ino())))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

/// True when `a` and `b` are the same file: for existing files by device and
/// inode (so links and other spellings are caught), otherwise by the identity
/// of the parent folder and the file name.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (file_id(a), file_id(b)) {
        (Some(x), Some(y)) => return x == y,
        (Some(_), None) | (None, Some(_)) => return false,
        (None, None) => {}
    }
    let parent = |p: &Path| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::canonicalize(dir).ok()
    };
    a.file_name() == b.file_name() && parent(a).is_some() && parent(a) == parent(b)
}

/// One brief's record in the run manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The source, as named.
    pub source: String,
    /// The PDF, if one exists after the run.
    pub output: Option<String>,
    /// built, up-to-date, failed or skipped (after --fail-fast or an interrupt).
    pub status: &'static str,
    /// Pages of the PDF.
    pub pages: Option<usize>,
    /// Bytes of the PDF.
    pub bytes: Option<usize>,
    /// SHA-256 of the PDF.
    pub sha256: Option<String>,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// The manifest of a run, for the distribution step.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// The tool's version.
    pub version: &'static str,
    /// One entry per source, in source order.
    pub briefs: Vec<Entry>,
}

/// Writes `bytes` to a temporary file beside `target`, then renames it over
/// the target: a failed or interrupted write never leaves a partial file and
/// never replaces a good one, and a symbolic link at the target is replaced
/// by the file rather than written through.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let io = |what: &str, e: std::io::Error| {
        Diagnostic::error(target.display().to_string(), format!("{what} ({e})"))
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(|e| io("cannot create folder", e))?;
    let name = file_key(target);
    let tmp = dir.join(format!(".{name}.{}.brief-tmp", std::process::id()));
    // A stale temporary (or a link planted in its place) is removed, and the
    // new one created exclusively, so the write never goes through a link.
    let _ = std::fs::remove_file(&tmp);
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| std::io::Write::write_all(&mut file, bytes))
        .and_then(|()| std::fs::rename(&tmp, target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("cannot write", e));
    }
    Ok(())
}

/// Removes the temporary files that this process or a dead one left in
/// `dir`. Another run may be writing into the same folder right now: its
/// temporaries (named after its process id) are left alone.
pub fn clean_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".brief-tmp").filter(|_| name.starts_with('.')) else {
            continue;
        };
        let pid = stem.rsplit('.').next().and_then(|p| p.parse::<u32>().ok());
        let old = || {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600))
        };
        let dead = match pid {
            Some(pid) if pid == std::process::id() => true,
            Some(pid) => !alive(pid).unwrap_or_else(|| !old()),
            None => old(),
        };
        if dead {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process is running, where the system can tell (`/proc`).
fn alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    proc.join("self").exists().then(|| proc.join(pid.to_string()).exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_sources() {
        let sources: Vec<PathBuf> =
            (0..200).map(|i| PathBuf::from(format!("briefs/b{i}.yaml"))).collect();
        let mut all: Vec<PathBuf> = (1..=4).flat_map(|k| shard(sources.clone(), k, 4)).collect();
        all.sort();
        let mut expected = sources.clone();
        expected.sort();
        assert_eq!(all, expected);
        assert!(shard(sources.clone(), 1, 4).len() > 30, "roughly even");
        assert_eq!(shard(sources.clone(), 2, 4), shard(sources, 2, 4));
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(parse_shard("2/8"), Ok((2, 8)));
        assert!(parse_shard("9/8").is_err());
        assert!(parse_shard("0/8").is_err());
        assert!(parse_shard("x").is_err());
    }

    #[test]
    fn digest_changes_with_any_input() {
        let base = inputs_digest(b"a", "t", "a4", &[b"f"]);
        assert_ne!(base, inputs_digest(b"b", "t", "a4", &[b"f"]));
        assert_ne!(base, inputs_digest(b"a", "u", "a4", &[b"f"]));
        assert_ne!(base, inputs_digest(b"a", "t", "letter", &[b"f"]));
        assert_ne!(base, inputs_digest(b"a", "t", "a4", &[b"g"]));
        assert_eq!(base, inputs_digest(b"a", "t", "a4", &[b"f"]));
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("brief-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn record(source: &str) -> Record {
        Record {
            inputs: "i".into(),
            source: source.into(),
            source_sha256: "s".into(),
            sha256: "o".into(),
            product: None,
            eml: None,
        }
    }

    #[test]
    fn two_runs_saving_into_one_folder_keep_each_others_records() {
        let dir = scratch("merge");
        // Both runs load before either saves, as two concurrent batches do.
        let mut first = State::load(&dir);
        let mut second = State::load(&dir);
        first.record(Path::new("a.pdf"), record("/src/a.yaml"));
        second.record(Path::new("b.pdf"), record("/src/b.yaml"));
        first.save(&dir).unwrap();
        second.save(&dir).unwrap();
        let state = State::load(&dir);
        assert_eq!(state.get(Path::new("a.pdf")), Some(&record("/src/a.yaml")));
        assert_eq!(state.get(Path::new("b.pdf")), Some(&record("/src/b.yaml")));
        assert_eq!(state.written_by("/src/b.yaml").map(|(n, _)| n).collect::<Vec<_>>(), ["b.pdf"]);
    }

    /// Runs racing to save into one folder, and the saves each makes.
    const RUNS: usize = 4;
    const SAVES: usize = 30;
    const RACE: &str = "BRIEF_TEST_SAVING_RUN";

    /// Not a test of its own: one of the processes that
    /// `runs_saving_at_once_in_one_folder_lose_no_record` starts (it returns
    /// at once otherwise). It waits for the word go, then loads, records and
    /// saves, again and again, as a batch run does.
    #[test]
    fn one_of_the_runs_saving_at_once() {
        let Ok(task) = std::env::var(RACE) else { return };
        let (dir, run) = task.split_once('|').unwrap();
        let dir = Path::new(dir);
        let go = std::time::Instant::now();
        while !dir.join("go").exists() {
            assert!(go.elapsed().as_secs() < 30, "no go");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        for save in 0..SAVES {
            let mut state = State::load(dir);
            let name = format!("r{run}-{save}");
            state.record(Path::new(&format!("{name}.pdf")), record(&format!("/src/{name}.yaml")));
            state.save(dir).unwrap();
        }
    }

    /// Separate processes (this test binary again, as
    /// `one_of_the_runs_saving_at_once`) save into one folder at the same
    /// time; the lock makes each read-merge-write whole, so no run's record
    /// is lost to another's write.
    #[test]
    fn runs_saving_at_once_in_one_folder_lose_no_record() {
        let dir = scratch("race");
        let exe = std::env::current_exe().unwrap();
        let runs: Vec<_> = (0..RUNS)
            .map(|run| {
                std::process::Command::new(&exe)
                    .args(["--exact", "batch::tests::one_of_the_runs_saving_at_once"])
                    .args(["--test-threads=1", "--quiet"])
                    .env(RACE, format!("{}|{run}", dir.display()))
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        std::fs::write(dir.join("go"), b"").unwrap();
        for mut run in runs {
            assert!(run.wait().unwrap().success(), "a run failed to save");
        }
        let state = State::load(&dir);
        let mut lost = Vec::new();
        for run in 0..RUNS {
            for save in 0..SAVES {
                let name = format!("r{run}-{save}");
                let found = state.get(Path::new(&format!("{name}.pdf")));
                if found != Some(&record(&format!("/src/{name}.yaml"))) {
                    lost.push(name);
                }
            }
        }
        assert!(lost.is_empty(), "{} of {} records lost: {lost:?}", lost.len(), RUNS * SAVES);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn cleaning_spares_a_live_runs_temporaries() {
        let dir = scratch("tmp");
        let mut live = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let theirs = dir.join(format!(".x.pdf.{}.brief-tmp", live.id()));
        let ours = dir.join(format!(".y.pdf.{}.brief-tmp", std::process::id()));
        // A process id far above any pid_max: that process is gone.
        let dead = dir.join(".z.pdf.4294967295.brief-tmp");
        for f in [&theirs, &ours, &dead] {
            std::fs::write(f, b"partial").unwrap();
        }
        clean_temporaries(&dir);
        let _ = live.kill();
        let _ = live.wait();
        assert!(theirs.exists(), "a live run's temporary was removed");
        assert!(!ours.exists() && !dead.exists());
    }

    #[test]
    fn the_same_file_is_found_under_another_name() {
        let dir = scratch("same");
        let file = dir.join("y.pdf");
        std::fs::write(&file, b"x").unwrap();
        assert!(same_file(&file, &dir.join(".").join("y.pdf")));
        assert!(!same_file(&file, &dir.join("z.pdf")));
        assert!(same_file(&dir.join("new.pdf"), &dir.join("./new.pdf")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&file, dir.join("link.pdf")).unwrap();
            assert!(same_file(&file, &dir.join("link.pdf")));
        }
    }
}
