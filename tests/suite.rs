//! The everyday integration tests as one test binary: each file of `tests/`
//! is a module here, kept where it is (its `#[path]` helpers resolve beside
//! it). One binary links the library once, where 25 binaries linked it 25
//! times (~100 MB each in the test profile); the tiers with `test = false` in
//! Cargo.toml stay binaries of their own. Run one file's tests with
//! `cargo test --test suite batch::`. `every_file_is_built` fails when a new
//! `tests/*.rs` is neither a module here nor a `[[test]]` of Cargo.toml.

// Each file declares the helpers of tests/common/ it uses, as it did as a
// binary of its own, so a helper is compiled once per file that uses it.
#![allow(clippy::duplicate_mod)]

#[path = "batch.rs"]
mod batch;
#[path = "book.rs"]
mod book;
#[path = "build.rs"]
mod build;
#[path = "check.rs"]
mod check;
#[path = "cldr.rs"]
mod cldr;
#[path = "config.rs"]
mod config;
#[path = "conservation.rs"]
mod conservation;
#[path = "data.rs"]
mod data;
#[path = "diff.rs"]
mod diff;
#[path = "escaping.rs"]
mod escaping;
#[path = "figures.rs"]
mod figures;
#[path = "house.rs"]
mod house;
#[path = "kyrgyz.rs"]
mod kyrgyz;
#[path = "languages.rs"]
mod languages;
#[path = "mail.rs"]
mod mail;
#[path = "man.rs"]
mod man;
#[path = "pages.rs"]
mod pages;
#[path = "passages.rs"]
mod passages;
#[path = "policy.rs"]
mod policy;
#[path = "review.rs"]
mod review;
#[path = "robustness.rs"]
mod robustness;
#[path = "scripts.rs"]
mod scripts;
#[path = "serve.rs"]
mod serve;
#[path = "tagged.rs"]
mod tagged;
#[path = "templates.rs"]
mod templates;
#[path = "trust.rs"]
mod trust;

/// Every `tests/*.rs` is compiled: a module of this binary or a `[[test]]`
/// target of its own (Cargo.toml has `autotests = false`, so a file in
/// neither would silently never run).
#[test]
fn every_file_is_built() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = std::fs::read_to_string(root.join("tests/suite.rs")).unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name == "suite.rs" {
            continue;
        }
        let module = format!("#[path = \"{name}\"]");
        let target = format!("path = \"tests/{name}\"");
        if !suite.contains(&module) && !manifest.contains(&target) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "tests/{missing:?}: add to tests/suite.rs or as a [[test]]");
}

/// insta names a snapshot by module path: a file of this suite's `check`
/// module writes `tests/snapshots/suite__check__NAME.snap`. One named
/// `check__NAME.snap` (from when each file was its own binary) would never be
/// read, and its test would fail as having no snapshot: say which to rename.
#[test]
fn snapshots_are_named_by_the_suite() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = std::fs::read_to_string(root.join("tests/suite.rs")).unwrap();
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some((module, _)) = name.split_once("__") else { continue };
        if suite.contains(&format!("\nmod {module};")) {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "tests/snapshots/{stale:?}: rename each to suite__NAME");
}
