//! The house rules that are not the compiler's: which stage may depend on
//! which (the manifests say it, the compiler then keeps it), and how large a
//! source file may grow before it is split along its seams.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Most lines of code (not blank, not comments, tests excluded) in one file.
const MAX_LINES: usize = 700;

/// Each stage crate and the crates of this workspace it may depend on: the
/// stages before it and the shared vocabulary, never a later stage.
const ALLOWED: &[(&str, &[&str])] = &[
    ("brief-core", &[]),
    ("brief-source", &["brief-core"]),
    // Reads the files a source names, for the model (which never reads a file).
    ("brief-data", &["brief-core", "brief-source"]),
    ("brief-model", &["brief-core", "brief-source"]),
    ("brief-render", &["brief-core", "brief-model"]),
    ("brief-charts", &["brief-core"]),
    ("brief-layout", &["brief-core", "brief-charts"]),
    ("brief-pdf", &["brief-core"]),
    ("brief-sign", &["brief-core", "brief-pdf"]),
    // A writer beside the PDF's: the rendered document (markup read as
    // layout reads it) and charts, never the brief.
    ("brief-docx", &["brief-core", "brief-layout", "brief-charts"]),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace crates a manifest's `[dependencies]` name (not its
/// dev-dependencies: a stage's tests may build a document the way the
/// stages before it do).
fn stage_dependencies(manifest: &str) -> Vec<String> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
        } else if section == "[dependencies]"
            && let Some(name) = line.split(['=', '.', ' ']).next()
            && name.starts_with("brief-")
        {
            out.push(name.to_string());
        }
    }
    out
}

#[test]
fn each_stage_depends_only_on_the_stages_before_it() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).expect("crates/") {
        let dir = entry.expect("entry").path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
        let rule = allowed
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{name}: a new crate; add it to ALLOWED with its stage"));
        for dep in stage_dependencies(&manifest) {
            assert!(
                rule.contains(&dep.as_str()),
                "{name} depends on {dep}, a later or unrelated stage"
            );
        }
        seen.push(name);
    }
    seen.sort();
    let mut expected: Vec<&str> = allowed.keys().copied().collect();
    expected.sort();
    assert_eq!(seen, expected, "every stage crate is checked");
}

#[test]
fn the_stage_rule_reads_dependencies_and_not_dev_dependencies() {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nbrief-core = { path = \"../brief-core\" }\nbrief-model.workspace = true\nserde.workspace = true\n\n[dev-dependencies]\nbrief-render = { path = \"../brief-render\" }\n";
    assert_eq!(stage_dependencies(manifest), ["brief-core", "brief-model"]);
}

/// Lines of code of a Rust file: not blank, not a comment, before its tests.
fn lines_of_code(text: &str) -> usize {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("//")
        })
        .count()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_outgrows_its_room() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("crates"), &mut files);
    assert!(files.len() > 50, "found {} files", files.len());
    let mut over = Vec::new();
    for path in files {
        if path.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        let n = lines_of_code(&text);
        // A file that must stay whole says why in its `//!` lines.
        let excused =
            text.lines().take_while(|l| l.starts_with("//!")).any(|l| l.contains("one file:"));
        if n > MAX_LINES && !excused {
            over.push(format!("{} ({n} lines)", path.display()));
        }
    }
    assert!(over.is_empty(), "split along their seams: {over:#?}");
}

#[test]
fn lines_of_code_leave_out_comments_blanks_and_tests() {
    let text =
        "//! doc\nfn a() {}\n\n    // why\nfn b() {}\n#[cfg(test)]\nmod tests {\nfn c() {}\n}\n";
    assert_eq!(lines_of_code(text), 2);
}

/// What the docs claim about the repository, checked against it.
mod docs {
    use super::root;

    fn read(path: &str) -> String {
        std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_format_reference_lists_every_example() {
        let format = read("docs/format.md");
        let examples = &format[format.find("## Examples").expect("an Examples section")..];
        for entry in std::fs::read_dir(root().join("briefs")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                examples.contains(&format!("`briefs/{name}`")),
                "docs/format.md does not list briefs/{name}"
            );
        }
    }

    #[test]
    fn the_readme_names_the_validator_rules_the_tests_tolerate() {
        let script = read("tests/accessibility/validate.py");
        let known =
            script.lines().find(|l| l.starts_with("KNOWN = {")).expect("KNOWN in validate.py");
        let rules: Vec<&str> = known
            .split('"')
            .filter(|p| p.contains("-001") || p.chars().any(|c| c.is_ascii_digit()))
            .collect();
        assert_eq!(rules.len(), 2, "{known}");
        let readme = read("README.md");
        for rule in rules {
            assert!(
                readme.contains(&format!("`{rule}`")),
                "README does not name the tolerated rule {rule}"
            );
        }
    }

    #[test]
    fn no_doc_points_outside_the_repository() {
        for path in [
            "README.md",
            "docs/format.md",
            "docs/templates.md",
            "docs/maintainers.md",
            "fonts/README.md",
        ] {
            let text = read(path);
            assert!(
                !text.contains("shared/"),
                "{path} points at shared/, which is not in the repository"
            );
        }
    }
}
