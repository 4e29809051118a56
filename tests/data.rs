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

/// The example brief with its first figure a `kind` chart of `long.csv`,
/// 50,000 days with one dip to 100 and one spike to 4,321 among values of
/// 300 to 725; returns the path of the brief.
fn long_series(dir: &Path, kind: &str) -> std::path::PathBuf {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap();
    let inline = "    kind: bar\n    unit: USD million\n    categories: [\"2020\", \"Jan–May 2021\"]\n    series:\n      - name: Trade turnover\n        values: [5.4, 3.6]\n";
    let data = format!(
        "    kind: {kind}\n    unit: USD million\n    data:\n      file: long.csv\n      categories: day\n      series:\n        - name: Trade turnover\n          values: value\n"
    );
    assert!(example.contains(inline));
    let brief = dir.join("long.yaml");
    std::fs::write(&brief, example.replace(inline, &data)).unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(1890, 1, 1).unwrap();
    let mut csv = String::from("day,value\n");
    for (i, day) in start.iter_days().take(50_000).enumerate() {
        let v = match i {
            17_017 => 100.0,
            33_333 => 4321.0,
            _ => 500.0 + 200.0 * (i as f64 / 900.0).sin() + (i * 7919 % 101) as f64 / 4.0,
        };
        csv.push_str(&format!("{day},{v:.2}\n"));
    }
    std::fs::write(dir.join("long.csv"), csv).unwrap();
    brief
}

/// Every /Alt of a /Figure structure element in `pdf`.
fn figure_alts(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let text = |o: &lopdf::Object| {
        let bytes = o.as_str().unwrap_or_default();
        match bytes.strip_prefix(&[0xfe, 0xff]) {
            Some(rest) => String::from_utf16_lossy(
                &rest.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>(),
            ),
            None => bytes.iter().map(|&b| char::from(b)).collect(),
        }
    };
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Figure"))
        .filter_map(|d| d.get(b"Alt").ok().map(text))
        .collect()
}

#[test]
fn a_50000_day_line_chart_builds_small_and_its_alt_names_the_exact_extremes() {
    let dir = scratch("long-line");
    let brief_path = long_series(&dir, "line");
    let out = dir.join("out");
    let o = brief(&["build", brief_path.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a PDF");
    // The line is drawn reduced: 50,000 points in full would be ~1 MB of path.
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 200_000, "{size} bytes");
    let alts = figure_alts(&pdf);
    let alt =
        alts.iter().find(|a| a.contains("50,000 values")).unwrap_or_else(|| panic!("{alts:?}"));
    // The extremes of every value, not of the drawn ones, with their days.
    assert!(alt.contains("lowest 100 (1936-08-05)"), "{alt}");
    assert!(alt.contains("highest 4,321 (1981-04-07)"), "{alt}");
    assert!(alt.contains("1890-01-01 to 2026-11-23"), "{alt}");
    // A few whole day labels under the axis, not 50,000 of them.
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let days = text
        .split_whitespace()
        .filter(|w| w.len() == 10 && w.starts_with(['1', '2']) && w.as_bytes()[4] == b'-')
        .count();
    assert!((2..=12).contains(&days), "{days} day labels:\n{text}");
}

#[test]
fn a_50000_day_bar_chart_fails_at_its_figure_naming_the_file() {
    let dir = scratch("long-bar");
    let brief_path = long_series(&dir, "bar");
    let o = brief(&["check", brief_path.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("more than 1000 categories (50000 read from long.csv)"), "{err}");
    assert!(err.contains("long.yaml:122:5"), "{err}");
    assert!(err.contains("`kind: line`"), "{err}");
}
