//! Figures read from data files (CSV, SDMX-CSV) end to end: the file is an
//! input like the source (a changed cell rebuilds the brief in a batch and
//! shows in `brief diff` and `--changes-since`), errors name the file and the
//! line, and files outside the brief's folder are never read. Spreadsheets
//! written by other programs are tests/spreadsheets.rs.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, brief_in, scratch};
#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::Path;

const EPOCH: Option<&str> = Some("0");

/// The example brief with its first figure read from `trade.csv`.
fn with_csv(dir: &Path, values: (&str, &str)) {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap();
    let inline = "    categories: [\"2020\", \"Jan–May 2021\"]\n    series:\n      - name: Trade turnover\n        values: [5.4, 3.6]\n";
    let data = "    data:\n      file: trade.csv\n      categories: period\n      series:\n        - name: Trade turnover\n          values: turnover\n";
    assert!(example.contains(inline));
    std::fs::write(dir.join("az-kg.yaml"), example.replace(inline, data)).unwrap();
    write_csv(dir, values);
}

fn write_csv(dir: &Path, values: (&str, &str)) {
    let csv = format!("period;turnover\n2020;{}\n\"Jan–May 2021\";{}\n", values.0, values.1);
    std::fs::write(dir.join("trade.csv"), csv).unwrap();
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_changed_cell_rebuilds_the_brief_and_the_state_records_the_file() {
    let dir = scratch("rebuild");
    let (src, out) = (dir.join("src"), dir.join("out"));
    std::fs::create_dir_all(&src).unwrap();
    with_csv(&src, ("5.4", "3.6"));
    let build = || brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".brief-state.json")).unwrap()).unwrap();
    let text = state.to_string();
    let sha = brief::data::sha256(&std::fs::read(src.join("trade.csv")).unwrap());
    assert!(text.contains(&format!("\"trade.csv\":\"{sha}\"")), "{text}");
    assert!(stderr(&build()).contains("up to date: "));
    // The same bytes again: still up to date; one cell changed: rebuilt.
    write_csv(&src, ("5.4", "3.6"));
    assert!(stderr(&build()).contains("up to date: "));
    write_csv(&src, ("5.4", "3.7"));
    let o = build();
    assert!(stderr(&o).contains("built ") && !stderr(&o).contains("up to date"), "{}", stderr(&o));
}

#[test]
fn changed_values_show_in_diff_and_changes_since() {
    let dir = scratch("diff");
    let (old, new) = (dir.join("old"), dir.join("new"));
    std::fs::create_dir_all(&old).unwrap();
    std::fs::create_dir_all(&new).unwrap();
    with_csv(&old, ("5.4", "3.6"));
    with_csv(&new, ("5.4", "3.9"));
    let (a, b) = (old.join("az-kg.yaml"), new.join("az-kg.yaml"));
    let o = brief(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["path"].as_str().unwrap_or("").starts_with("figures")
            && c.to_string().contains("3.9")),
        "{json:#}"
    );
    // An old PDF built with --embed-source: its values and the file's hash are
    // recorded, and it serves as the old version.
    let old_pdf = dir.join("old.pdf");
    let o = brief(
        &["build", a.to_str().unwrap(), "--embed-source", "-o", old_pdf.to_str().unwrap()],
        EPOCH,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let new_pdf = dir.join("new.pdf");
    let args = ["build", b.to_str().unwrap(), "--changes-since", old_pdf.to_str().unwrap(), "-o"];
    let o = brief(&[&args[..], &[new_pdf.to_str().unwrap()]].concat(), EPOCH);
    assert!(o.status.success(), "{}", stderr(&o));
    let o =
        brief(&["diff", old_pdf.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("3.9"));
}

#[test]
fn data_errors_name_the_file_and_line_and_fail_that_brief_alone() {
    let dir = scratch("errors");
    let (src, out) = (dir.join("src"), dir.join("out"));
    std::fs::create_dir_all(&src).unwrap();
    with_csv(&src, ("5.4", "n/a"));
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/tr-gr-2026-05-20.yaml"),
    )
    .unwrap();
    std::fs::write(src.join("other.yaml"), good).unwrap();
    let o = brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    let err = stderr(&o);
    assert!(err.contains("\"n/a\" in column turnover is not a number"), "{err}");
    assert!(err.contains("trade.csv:3:1"), "{err}");
    assert!(err.contains("1 built, 1 failed"), "{err}");
    // `check` says the same.
    let o = brief_in(&src, &["check", "az-kg.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("trade.csv:3:1"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_data_file_outside_the_brief_s_folder_is_never_read() {
    let dir = scratch("outside");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    with_csv(&src, ("5.4", "3.6"));
    std::fs::rename(src.join("trade.csv"), dir.join("trade.csv")).unwrap();
    std::os::unix::fs::symlink(dir.join("trade.csv"), src.join("trade.csv")).unwrap();
    let o = brief_in(&src, &["check", "az-kg.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a symbolic link leads out of it"), "{}", stderr(&o));
    let text = std::fs::read_to_string(src.join("az-kg.yaml"))
        .unwrap()
        .replace("file: trade.csv", "file: ../trade.csv");
    std::fs::write(src.join("az-kg.yaml"), text).unwrap();
    let o = brief_in(&src, &["check", "az-kg.yaml"], EPOCH);
    assert!(stderr(&o).contains("outside the brief's folder"), "{}", stderr(&o));
}

/// The example read from `trade.csv` with a key message quoting it.
fn quoting(dir: &Path, values: (&str, &str), quote: &str) {
    with_csv(dir, values);
    let path = dir.join("az-kg.yaml");
    let message =
        "  - The joint intergovernmental commission should meet again and agree a work plan.";
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(message));
    std::fs::write(&path, text.replace(message, &format!("  - {quote}"))).unwrap();
}

const QUOTE: &str = "${trade-turnover | Jan–May 2021} so far in 2021, ${trade-turnover | 2020 -> Jan–May 2021} on 2020.";

#[test]
fn a_quoted_value_prints_the_file_s_value_and_its_change_shows_in_diff() {
    let dir = scratch("quote");
    let (old, new) = (dir.join("old"), dir.join("new"));
    std::fs::create_dir_all(&old).unwrap();
    std::fs::create_dir_all(&new).unwrap();
    quoting(&old, ("5.4", "3.6"), QUOTE);
    quoting(&new, ("5.4", "3.9"), QUOTE);
    let (a, b) = (old.join("az-kg.yaml"), new.join("az-kg.yaml"));
    let pdf = dir.join("old.pdf");
    let o = brief(&["build", a.to_str().unwrap(), "-o", pdf.to_str().unwrap()], EPOCH);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).replace('\n', " ");
    assert!(text.contains("3.6 USD million so far in 2021, -33% on 2020."), "{text}");
    // The file's cell changed: the sentence in the text changes with it.
    let o = brief(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap();
    let quoted = changes.iter().find(|c| c["path"] == "key_messages[1]");
    let quoted = quoted.unwrap_or_else(|| panic!("{json:#}")).to_string();
    assert!(quoted.contains("3.9\u{a0}USD million so far in 2021, -28% on 2020."), "{quoted}");
}

#[test]
fn a_quoted_value_naming_nothing_fails_check_at_its_column() {
    let dir = scratch("quote-errors");
    quoting(&dir, ("5.4", "3.6"), "Trade ${trade-turnover | 2021 | Trade turnover} in 2021.");
    let o = brief_in(&dir, &["check", "az-kg.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("az-kg.yaml:55:11"), "{err}");
    assert!(err.contains("figure `trade-turnover` has no category `2021`"), "{err}");
    assert!(err.contains("key_messages[1]") && err.contains("did you mean `2020`?"), "{err}");
}

#[test]
fn a_typed_number_contradicting_its_figure_is_a_warning_and_fails_strict_figures() {
    let dir = scratch("typed");
    quoting(&dir, ("5.4", "3.6"), "Trade turnover reached USD 5.9 million in 2020.");
    let o = brief_in(&dir, &["check", "az-kg.yaml"], EPOCH);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: the number `5.9` contradicts figure `trade-turnover`"), "{err}");
    assert!(err.contains("its value for `2020` is 5.4\u{a0}USD million"), "{err}");
    assert!(err.contains("az-kg.yaml:55:32") && err.contains("${trade-turnover | 2020}"), "{err}");
    let o = brief_in(&dir, &["check", "--strict-figures", "az-kg.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The right number, or the value quoted, is no warning.
    quoting(&dir, ("5.4", "3.6"), "Trade turnover reached USD 5.4 million in 2020.");
    let o = brief_in(&dir, &["check", "--strict-figures", "az-kg.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn no_example_brief_has_a_number_contradicting_its_figures() {
    let briefs = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
    let o = brief(&["check", "--strict-figures", briefs.to_str().unwrap()], EPOCH);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("contradicts figure"), "{err}");
    assert!(err.matches("ok: ").count() >= 8, "{err}");
}
