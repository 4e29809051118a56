//! The accessibility tier (run by `tests/run` and CI, like `verify`; left out
//! of a plain `cargo test`): every example brief in every product and every
//! exported chart through the outside validators `tests/run` installs.
//! page-validation must report zero failed rules for PDF/UA-1 and PDF/A-2a,
//! outloud no error, and pdf.js must find a structure tree on every page
//! with each list item's marker read before its text.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, scratch};

/// The build date every run of this file stamps its PDFs with.
const EPOCH: Option<&str> = Some("1625443200");

use std::path::{Path, PathBuf};
use std::process::Command;

fn pdfs_in(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pdfs_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "pdf") {
            out.push(path);
        }
    }
}

/// Every example brief in every product, and every figure exported as a PDF.
fn everything(name: &str) -> Vec<PathBuf> {
    let dir = scratch(name);
    brief_ok(&["build", "briefs/", "-o", dir.to_str().unwrap(), "--all-products"], EPOCH);
    // Passages in other languages, each a Span with its /Lang.
    let passages = dir.join("passages.pdf");
    brief_ok(
        &["build", "tests/fixtures/good/passages.yaml", "-o", passages.to_str().unwrap()],
        EPOCH,
    );
    let briefs = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
    for entry in std::fs::read_dir(briefs).unwrap() {
        let source = entry.unwrap().path();
        if source.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let charts = dir.join(format!("charts-{}", source.file_stem().unwrap().to_string_lossy()));
        let (source, charts) = (source.to_str().unwrap(), charts.to_str().unwrap());
        brief_ok(&["charts", source, "-o", charts, "--format", "pdf"], EPOCH);
    }
    let mut pdfs = Vec::new();
    pdfs_in(&dir, &mut pdfs);
    pdfs.sort();
    assert!(pdfs.len() >= 9, "only {} PDFs", pdfs.len());
    pdfs
}

/// A tool `tests/run` installed, named by an environment variable.
fn installed(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run the accessibility tier through tests/run, which installs the validators")
    })
}

fn run(program: &str, args: &[String], env: &[(&str, &str)]) {
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{program} found problems:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn script(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/accessibility")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn page_validation_ua1_and_2a_pass_and_outloud_finds_no_error() {
    let python = installed("BRIEF_A11Y_PYTHON");
    let mut args = vec![script("validate.py")];
    args.extend(everything("validators").iter().map(|p| p.to_string_lossy().into_owned()));
    run(&python, &args, &[]);
}

#[test]
fn pdf_js_reads_a_structure_tree_and_list_markers_first() {
    let pdfjs = installed("BRIEF_A11Y_PDFJS");
    let mut args = vec![script("pdfjs.mjs")];
    args.extend(everything("pdfjs").iter().map(|p| p.to_string_lossy().into_owned()));
    run("node", &args, &[("PDFJS_DIR", &pdfjs)]);
}
