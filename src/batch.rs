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
/// hash of each source's `shard_key`, so every machine of a job array
/// agrees without talking, however each spells the folder.
pub fn shard(sources: Vec<PathBuf>, named: &[PathBuf], k: usize, n: usize) -> Vec<PathBuf> {
    sources
        .into_iter()
        .filter(|p| {
            let digest = Sha256::digest(shard_key(p, named).as_bytes());
            let v = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default());
            (v % n.max(1) as u64) as usize == k.saturating_sub(1)
        })
        .collect()
}

/// What a source is sharded by: its path relative to the folder named on
/// the command line that holds it (only its plain components, `/`-joined),
/// or its file name when it was named itself. `src`, `./src/`, `.` inside
/// it and its absolute path give the same key, on any machine and from any
/// working directory; unlike a digest of its content, the key stays when the
/// brief is edited, so a brief keeps its shard (and its shard's state).
pub(crate) fn shard_key(source: &Path, named: &[PathBuf]) -> String {
    let plain = |p: &Path| -> String {
        p.components()
            .filter_map(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    named
        .iter()
        .filter(|d| d.is_dir())
        .find_map(|d| source.strip_prefix(d).ok().map(plain))
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| {
            source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        })
}

/// A file named twice among `files` (by device and inode, however spelled),
/// as an error naming it once.
pub fn given_twice(files: &[PathBuf]) -> Option<Diagnostic> {
    let mut seen: std::collections::HashMap<FileId, &PathBuf> = std::collections::HashMap::new();
    for file in files {
        let Some(id) = file_id(file) else { continue };
        if let Some(first) = seen.insert(id, file) {
            let also = if first == file {
                String::new()
            } else {
                format!(" (also as {})", file.display())
            };
            return Some(
                Diagnostic::error(
                    first.display().to_string(),
                    format!("{} is named twice{also}; each brief is taken once", first.display()),
                )
                .hint("name each source once: a folder and a file inside it name that file twice"),
            );
        }
    }
    None
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

/// Hex SHA-256 of a file, read in pieces: a file planted at an output's
/// name, however large, is never held in memory to be compared.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut file, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Most bytes of a state file (about 160,000 records) or of the claims in its lock.
pub(crate) const MAX_STATE_BYTES: u64 = 64 << 20;

/// Reads a file brief keeps for itself, refusing one past [`MAX_STATE_BYTES`].
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_STATE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return Err(std::io::Error::other(format!(
            "more than {} MiB, far more than any state brief writes",
            MAX_STATE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// A digest of everything an output depends on: the source, the template,
/// the options, the fonts and the tool's version.
pub(crate) fn inputs_digest(
    source: &[u8],
    template: &str,
    options: &str,
    fonts: &[&[u8]],
) -> String {
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
pub(crate) const LOCK_FILE: &str = ".brief-state.lock";

/// What one output was built from, and by which source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Digest of every input (`inputs_digest`).
    #[serde(default)]
    pub inputs: String,
    /// What wrote the output: a brief's PDF and `.eml` name their source
    /// ([`source_id`]); a book, chart or manifest names its command ([`Record::made_by`]).
    pub source: String,
    /// SHA-256 of the source's bytes when the output was built.
    #[serde(default)]
    pub source_sha256: String,
    /// SHA-256 of the output, so a file replaced since is never taken for it.
    pub sha256: String,
    /// The product (built-in template) when several are built per brief.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// SHA-256 of the `.eml` written beside the output, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eml: Option<String>,
    /// What the file is when it is not a brief's PDF: `eml`, `book`,
    /// `chart` or `manifest`. Only a writer of the same kind replaces it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The data files the brief's figures were read from (`data:`): their
    /// names beside the source → SHA-256. Part of [`Record::inputs`] too,
    /// so a changed cell makes the output out of date.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
}

impl Record {
    /// The record of a file that is not a brief's PDF, written by `writer`
    /// (a [`source_id`] or a command) with these bytes.
    pub fn made_by(writer: &str, kind: &str, bytes: &[u8]) -> Record {
        Record {
            inputs: String::new(),
            source: writer.to_string(),
            source_sha256: String::new(),
            sha256: sha256(bytes),
            product: None,
            eml: None,
            kind: kind.to_string(),
            data: BTreeMap::new(),
        }
    }

    /// True when `output` exists unchanged since it was recorded, is no older
    /// than `source`, was built by the same source from exactly these inputs,
    /// and, when an email is wanted, its `.eml` exists unchanged too.
    pub(crate) fn up_to_date(&self, output: &Path, source: &Path, digest: &str, eml: bool) -> bool {
        let record = self;
        let newer = match (
            std::fs::metadata(output).and_then(|m| m.modified()),
            std::fs::metadata(source).and_then(|m| m.modified()),
        ) {
            (Ok(out), Ok(src)) => out >= src,
            _ => false,
        };
        let intact = |path: &Path, sha: &str| sha256_file(path).is_ok_and(|h| h == sha);
        newer
            && record.kind.is_empty()
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
/// run's records into what is on disk under a lock instead of replacing it,
/// and every file is put in place under that lock by [`write_output`], which
/// also notes its claim in the lock file at once: another run deciding
/// whether it may replace the file sees it before this run saves.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    outputs: BTreeMap<String, Record>,
    /// Records made by this run, merged into the file on save.
    #[serde(skip)]
    changed: BTreeMap<String, Record>,
}

/// One claim noted in the lock file: a file put in place since the state was saved.
#[derive(Serialize, Deserialize)]
struct Claim {
    name: String,
    record: Record,
}

impl State {
    /// Reads the state of an output folder, with the claims other runs noted
    /// since it was saved. A missing one is empty; one that cannot be read or
    /// parsed is an error saying how to recover, never taken for empty: an
    /// empty state would let this run replace files others wrote.
    pub fn read(dir: &Path) -> Result<State, Diagnostic> {
        let path = dir.join(STATE_FILE);
        let refuse = |why: String| {
            Diagnostic::error(path.display().to_string(), why).hint(format!(
                "it records which source wrote each file in {}; move it aside (mv {} {}.bad) to start afresh, or run with --force to replace what it would have protected",
                dir.display(),
                path.display(),
                path.display()
            ))
        };
        let mut state = match read_bounded(&path) {
            Ok(bytes) => serde_json::from_slice::<State>(&bytes)
                .map_err(|e| refuse(format!("the state file is damaged ({e})")))?,
            // No folder yet (or a file in its place, which writing reports).
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                State::default()
            }
            Err(e) => return Err(refuse(format!("cannot read the state file ({e})"))),
        };
        // A claim cut short (a run killed mid-line) is ignored: its file is
        // then unknown, and refused, which is the safe side.
        if let Ok(bytes) = read_bounded(&dir.join(LOCK_FILE)) {
            let text = String::from_utf8_lossy(&bytes);
            for claim in text.lines().filter_map(|l| serde_json::from_str::<Claim>(l).ok()) {
                state.outputs.insert(claim.name, claim.record);
            }
        }
        Ok(state)
    }

    /// [`State::read`], or with `force` an empty state when it cannot be read.
    pub fn read_or_force(dir: &Path, force: bool) -> Result<State, Diagnostic> {
        match State::read(dir) {
            Err(_) if force => Ok(State::default()),
            other => other,
        }
    }

    /// The record of an output, by its path (only the file name counts).
    pub fn get(&self, output: &Path) -> Option<&Record> {
        self.outputs.get(&file_key(output))
    }

    /// The PDFs recorded as built from `source` (a [`source_id`]), by file name.
    pub fn written_by<'a>(
        &'a self,
        source: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Record)> {
        self.outputs
            .iter()
            .filter(move |(_, r)| r.source == source && r.kind.is_empty())
            .map(|(n, r)| (n.as_str(), r))
    }

    /// Records what `output` was built from.
    pub fn record(&mut self, output: &Path, record: Record) {
        let name = file_key(output);
        self.outputs.insert(name.clone(), record.clone());
        self.changed.insert(name, record);
    }

    /// Whether `writer` may put a file of `kind` at `output` (an existing
    /// file): only over one recorded as written by the same writer and kind,
    /// or by a source that is gone; anything else (a file no run of brief
    /// wrote, another source's output) is refused, naming it, unless `force`.
    pub fn may_replace(
        &self,
        output: &Path,
        writer: &str,
        kind: &str,
        force: bool,
    ) -> Result<(), Diagnostic> {
        if force || std::fs::symlink_metadata(output).is_err() {
            return Ok(());
        }
        let shown = output.display().to_string();
        match self.get(output) {
            Some(r) if r.source == writer && r.kind == kind => Ok(()),
            // A source that is gone (renamed, or its folder moved) no longer owns its output.
            Some(r) if r.kind.is_empty() || r.kind == "eml" => {
                if Path::new(&r.source).is_absolute() && !Path::new(&r.source).exists() {
                    return Ok(());
                }
                let what = if r.kind.is_empty() { "a brief's PDF" } else { "a brief's email" };
                Err(Diagnostic::error(
                    &shown,
                    format!(
                        "{shown} was written from {} ({what}); writing it here would replace it",
                        r.source
                    ),
                )
                .hint("give the briefs different titles or meeting dates, or write into another folder; --force replaces it"))
            }
            Some(r) => Err(Diagnostic::error(
                &shown,
                format!(
                    "{shown} is a {} written by {}; writing it here would replace it",
                    r.kind, r.source
                ),
            )
            .hint("name another output; --force replaces it")),
            // A state saved before emails had records of their own.
            None if self
                .get(&output.with_extension("pdf"))
                .is_some_and(|r| r.source == writer && r.eml.is_some() && kind == "eml") =>
            {
                Ok(())
            }
            None => Err(Diagnostic::error(
                &shown,
                format!("{shown} exists and was not written by brief; it would be replaced"),
            )
            .hint("name another output, or move the file aside; --force replaces it")),
        }
    }

    /// Merges this run's records into the state file beside the outputs: under
    /// an exclusive lock, it rereads the file (and the claims noted since), so
    /// records another run saved meanwhile are kept, then writes it
    /// atomically and clears the claims it now holds.
    pub fn save(&self, dir: &Path) -> Result<(), Diagnostic> {
        let lock = FolderLock::take(dir)?;
        // Read under the lock; a damaged state was refused (or forced) at the
        // start of the run, so here it is replaced.
        let mut merged = State::read(dir).unwrap_or_default();
        merged.outputs.extend(self.changed.clone());
        let bytes = serde_json::to_vec_pretty(&merged).unwrap_or_default();
        write_atomic(&dir.join(STATE_FILE), &bytes)?;
        lock.clear_claims();
        Ok(())
    }
}

/// The exclusive lock on an output folder's state (`.brief-state.lock`),
/// released when dropped. The lock file also holds, one JSON line each, the
/// claims of files put in place since the state was last saved.
pub(crate) struct FolderLock {
    file: std::fs::File,
}

impl FolderLock {
    /// Takes the lock of `dir`, creating the folder and the lock file.
    pub fn take(dir: &Path) -> Result<FolderLock, Diagnostic> {
        let io = |what: &str, e: std::io::Error| {
            Diagnostic::error(dir.join(LOCK_FILE).display().to_string(), format!("{what} ({e})"))
        };
        std::fs::create_dir_all(dir).map_err(|e| io("cannot create folder", e))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(dir.join(LOCK_FILE))
            .map_err(|e| io("cannot write", e))?;
        match file.lock() {
            Ok(()) => {}
            // A file system without locks (some network mounts): merging still
            // keeps other runs' records, only the narrow race is left open.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
            Err(e) => return Err(io("cannot lock", e)),
        }
        Ok(FolderLock { file })
    }

    fn note(&self, name: &str, record: &Record) {
        let claim = Claim { name: name.to_string(), record: record.clone() };
        if let Ok(mut line) = serde_json::to_vec(&claim) {
            line.push(b'\n');
            let _ = std::io::Write::write_all(&mut &self.file, &line);
        }
    }

    fn clear_claims(&self) {
        let _ = self.file.set_len(0);
    }
}

/// Puts one output in place: writes it to a temporary file, then, under the
/// folder's lock, checks again that `record.source` may replace what is
/// there now (another run may have put a file there since this run looked),
/// renames, and notes the claim. `known` is what this run already knows of
/// the folder; the state on disk is read only when it does not settle it.
pub fn write_output(
    target: &Path,
    bytes: &[u8],
    record: &Record,
    force: bool,
    known: Option<&std::sync::Mutex<State>>,
) -> Result<(), Diagnostic> {
    let dir = folder_of(target);
    let tmp = write_temporary(target, &dir, bytes)?;
    let put = || -> Result<(), Diagnostic> {
        let lock = FolderLock::take(&dir)?;
        may_write(target, &record.source, &record.kind, force, known)?;
        std::fs::rename(&tmp, target).map_err(|e| {
            Diagnostic::error(target.display().to_string(), format!("cannot write ({e})"))
        })?;
        lock.note(&file_key(target), record);
        Ok(())
    };
    put().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Whether `writer` may put its `kind` file at `target`: by what the run
/// knows (`known`, its state as read at its start and recorded since), else
/// by the folder's state as saved and claimed now, since another run may
/// have written the file meanwhile. Inside the folder's lock when it decides
/// a rename; before the work, without it, as an early refusal.
pub(crate) fn may_write(
    target: &Path,
    writer: &str,
    kind: &str,
    force: bool,
    known: Option<&std::sync::Mutex<State>>,
) -> Result<(), Diagnostic> {
    // The run's state is taken inside the folder's lock, never the other way round.
    let ours = known.is_some_and(|s| {
        let s = s.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        s.may_replace(target, writer, kind, force).is_ok()
    });
    if ours {
        return Ok(());
    }
    State::read_or_force(&folder_of(target), force)?.may_replace(target, writer, kind, force)
}

/// Records one file written outside a batch (a book, a chart, a manifest)
/// in its folder's state at once.
pub(crate) fn record_one(dir: &Path, output: &Path, record: Record) -> Result<(), Diagnostic> {
    let mut state = State::default();
    state.record(output, record);
    state.save(dir)
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// True when a file name is one brief keeps for itself in every output
/// folder: the state, its lock and temporary files.
pub fn reserved(path: &Path) -> bool {
    let name = file_key(path);
    name == STATE_FILE || name == LOCK_FILE || name.ends_with(".brief-tmp")
}

/// The check every file a command writes goes through before any work:
/// an output is never one of the run's inputs (by device and inode, however
/// it is spelled), never the state, lock or a temporary file of a folder,
/// and never another output of the same run. `outputs` pairs each file with
/// what it is, for the message.
pub fn check_outputs(outputs: &[(PathBuf, &str)], inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    let inputs: std::collections::HashMap<FileId, &PathBuf> =
        inputs.iter().filter_map(|s| Some((file_id(s)?, s))).collect();
    for (i, (output, what)) in outputs.iter().enumerate() {
        let shown = output.display().to_string();
        let dir = folder_of(output);
        let kept = [STATE_FILE, LOCK_FILE].map(|n| dir.join(n));
        if reserved(output) || kept.iter().any(|k| same_file(output, k)) {
            return Err(Diagnostic::error(
                &shown,
                format!("the {what} would replace {shown}, which brief keeps for itself"),
            )
            .hint(format!("{STATE_FILE}, {LOCK_FILE} and *.brief-tmp files record and guard what each run writes; name another file")));
        }
        if let Some(input) = file_id(output).and_then(|id| inputs.get(&id)) {
            return Err(Diagnostic::error(
                &shown,
                format!("the {what} would overwrite {}, an input of this run", input.display()),
            )
            .hint("choose another output file or folder (--output, --manifest)"));
        }
        if let Some((other, its)) = outputs[..i].iter().find(|(o, _)| same_file(o, output)) {
            return Err(Diagnostic::error(
                &shown,
                format!("the {what} and the {its} would both be written to {}", other.display()),
            )
            .hint("name another output file (--output, --manifest)"));
        }
    }
    Ok(())
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
pub(crate) struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The identity of an existing file (links followed); `None` when there is none.
pub(crate) fn file_id(path: &Path) -> Option<FileId> {
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
pub(crate) struct ManifestEntry {
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
pub(crate) struct Manifest {
    /// The tool's version.
    pub version: &'static str,
    /// One entry per source, in source order.
    pub briefs: Vec<ManifestEntry>,
}

/// Writes `bytes` to a temporary file beside `target`, then renames it over
/// the target: a failed or interrupted write never leaves a partial file and
/// never replaces a good one, and a symbolic link at the target is replaced
/// by the file rather than written through. Outputs of a run go through
/// [`write_output`], which also checks who wrote what it replaces.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = write_temporary(target, &folder_of(target), bytes)?;
    std::fs::rename(&tmp, target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Diagnostic::error(target.display().to_string(), format!("cannot write ({e})"))
    })
}

/// Like [`write_atomic`], but never replaces anything: the whole file
/// appears at `target` only if nothing was there, checked by the operating
/// system at the moment of linking (a hard link fails on an existing name),
/// so two writers racing for one name cannot both win.
pub fn write_new(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = write_temporary(target, &folder_of(target), bytes)?;
    let linked = std::fs::hard_link(&tmp, target);
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "file exists".to_string()
        } else {
            format!("cannot write ({e})")
        };
        Diagnostic::error(target.display().to_string(), what)
    })
}

/// Writes `bytes` to a fresh temporary file in `dir` named after `target`
/// and this process, and returns its path.
fn write_temporary(target: &Path, dir: &Path, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    let io = |what: &str, e: std::io::Error| {
        Diagnostic::error(target.display().to_string(), format!("{what} ({e})"))
    };
    if dir.is_file() {
        return Err(Diagnostic::error(
            dir.display().to_string(),
            format!("cannot write {} inside it: it is a file, not a folder", target.display()),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| io("cannot create folder", e))?;
    let name = file_key(target);
    // The process id last (what clean_temporaries reads), and a counter
    // before it, so two threads writing one target never share a temporary.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{n}.{}.brief-tmp", std::process::id()));
    // A stale temporary (or a link planted in its place) is removed, and the
    // new one created exclusively, so the write never goes through a link.
    let _ = std::fs::remove_file(&tmp);
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| std::io::Write::write_all(&mut file, bytes));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("cannot write", e));
    }
    Ok(tmp)
}

/// Removes the temporary files that this process or a dead one left in
/// `dir`. Another run may be writing into the same folder right now: its
/// temporaries (named after its process id) are left alone.
pub(crate) fn clean_temporaries(dir: &Path) {
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
        let mut all: Vec<PathBuf> =
            (1..=4).flat_map(|k| shard(sources.clone(), &[], k, 4)).collect();
        all.sort();
        let mut expected = sources.clone();
        expected.sort();
        assert_eq!(all, expected);
        assert!(shard(sources.clone(), &[], 1, 4).len() > 30, "roughly even");
        assert_eq!(shard(sources.clone(), &[], 2, 4), shard(sources, &[], 2, 4));
    }

    #[test]
    fn write_new_never_replaces_a_file_or_follows_a_link() {
        let dir = scratch("write-new");
        let target = dir.join("main.md");
        write_new(&target, b"first").unwrap();
        let again = write_new(&target, b"second").unwrap_err();
        assert!(again.message.contains("file exists"), "{}", again.message);
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        // Racing writers: of eight at once exactly one wins, whole.
        let raced = dir.join("theme.yaml");
        let wins: usize = std::thread::scope(|s| {
            let all: Vec<_> = (0..8u8)
                .map(|i| {
                    let raced = &raced;
                    s.spawn(move || write_new(raced, &[b'a' + i; 4096]).is_ok())
                })
                .collect();
            all.into_iter().map(|h| usize::from(h.join().unwrap())).sum()
        });
        assert_eq!(wins, 1);
        let text = std::fs::read(&raced).unwrap();
        assert!(text.len() == 4096 && text.iter().all(|&b| b == text[0]));
        #[cfg(unix)]
        {
            let outside = dir.join("outside");
            std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();
            assert!(write_new(&dir.join("link"), b"x").is_err());
            assert!(!outside.exists(), "written through a link");
        }
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".brief-tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporaries left: {leftovers:?}");
        std::fs::remove_dir_all(&dir).unwrap();
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

    fn scratch(name: &str) -> crate::testing::Scratch {
        crate::testing::Scratch::new(&format!("unit-{name}"))
    }

    fn record(source: &str) -> Record {
        Record {
            inputs: "i".into(),
            source: source.into(),
            source_sha256: "s".into(),
            sha256: "o".into(),
            product: None,
            eml: None,
            kind: String::new(),
            data: BTreeMap::new(),
        }
    }

    #[test]
    fn two_runs_saving_into_one_folder_keep_each_others_records() {
        let dir = scratch("merge");
        // Both runs load before either saves, as two concurrent batches do.
        let mut first = State::read(&dir).unwrap();
        let mut second = State::read(&dir).unwrap();
        first.record(Path::new("a.pdf"), record("/src/a.yaml"));
        second.record(Path::new("b.pdf"), record("/src/b.yaml"));
        first.save(&dir).unwrap();
        second.save(&dir).unwrap();
        let state = State::read(&dir).unwrap();
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
            let mut state = State::read(dir).unwrap();
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
        let state = State::read(&dir).unwrap();
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
