//! `brief` turns YAML briefing sources into PDF briefing notes.
//!
//! # The pipeline
//!
//! Each stage is a module with one typed entry point:
//!
//! 1. [`source::load`]: YAML bytes → [`source::Loaded`] (raw serde types with
//!    `deny_unknown_fields`, plus the position of every field). Size, encoding,
//!    nesting and alias budgets are checked first; every structural problem is
//!    reported at once, located.
//! 2. [`model::validate`]: raw → [`model::Brief`], checking meaning (dates,
//!    parties, figure ids, series lengths, glyph coverage); all problems at once.
//! 3. [`render::render`]: brief + template (minijinja) → document markup
//!    (CommonMark with a few block directives).
//! 4. [`layout::layout`]: markup → shaped, broken, paginated [`frame::Document`];
//!    [`charts::draw`] draws figures into the same page items.
//! 5. [`pdf::write`]: frames → PDF bytes (printpdf), fonts embedded and subset,
//!    byte-identical run to run.
//!
//! Everything that varies between runs (today's date, creation time, fonts)
//! comes in through one [`Env`]. The library never prints and never exits:
//! it returns values and [`diag::Diagnostic`]s; `main.rs` reports them.

// Diagnostics are the error type and are built on the cold path only; boxing
// them would complicate every caller for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod charts;
pub mod diag;
mod env;
pub mod frame;
pub mod model;
pub mod pdf;
pub mod source;
pub mod text;

use std::path::{Path, PathBuf};

pub use env::Env;

use diag::Diagnostic;
use frame::FontStyle;

/// Loads and validates one source: stages 1 and 2.
pub fn check(file: &str, bytes: &[u8], env: &Env) -> Result<model::Checked, Vec<Diagnostic>> {
    let loaded = source::load(file, bytes)?;
    let fonts = env.fonts;
    model::validate(&loaded, &|text| fonts.missing_char(FontStyle::Regular, text))
}

/// Expands files and folders into the briefing sources they name: files as
/// given, folders searched recursively for `*.yaml` and `*.yml`, sorted.
pub fn collect_sources(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else if path.exists() {
            out.push(path.clone());
        } else {
            return Err(Diagnostic::error(path.display().to_string(), "no such file or folder"));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(dir.display().to_string(), format!("cannot read folder ({e})"))
    };
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        // Symlinks are not followed, so a batch never leaves its folder.
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() {
            walk(&path, out)?;
        } else if meta.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}
