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

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

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

/// What each output in a folder was built from: file name → inputs digest.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    outputs: BTreeMap<String, String>,
}

impl State {
    /// Reads the state of an output folder; a missing or unreadable one is empty.
    pub fn load(dir: &Path) -> State {
        std::fs::read(dir.join(STATE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// True when `output` exists, is no older than `source`, and was built
    /// from exactly these inputs.
    pub fn up_to_date(&self, output: &Path, source: &Path, digest: &str) -> bool {
        let name = file_key(output);
        let newer = match (
            std::fs::metadata(output).and_then(|m| m.modified()),
            std::fs::metadata(source).and_then(|m| m.modified()),
        ) {
            (Ok(out), Ok(src)) => out >= src,
            _ => false,
        };
        newer && self.outputs.get(&name).is_some_and(|d| d == digest)
    }

    /// Records that `output` was built from `digest`.
    pub fn record(&mut self, output: &Path, digest: &str) {
        self.outputs.insert(file_key(output), digest.to_string());
    }

    /// Writes the state beside the outputs (atomically).
    pub fn save(&self, dir: &Path) -> Result<(), Diagnostic> {
        let bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        write_atomic(&dir.join(STATE_FILE), &bytes)
    }
}

fn file_key(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
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

/// Removes temporary files an interrupted earlier run left in `dir`.
pub fn clean_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".brief-tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
}
