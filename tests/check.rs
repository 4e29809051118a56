//! `brief check` end to end: every bad-input class gets a located diagnostic and exit 1.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, parts, scratch};

use std::path::Path;
use std::process::Command;

fn check_fixture(name: &str) -> (i32, String) {
    let path = format!("tests/fixtures/bad/{name}.yaml");
    let (code, _, stderr) = parts(&brief(&["check", "--color", "never", &path], None));
    (code, stderr)
}

macro_rules! bad {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let (code, stderr) = check_fixture($file);
            assert_eq!(code, 1, "{stderr}");
            assert!(stderr.starts_with("error: "), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
            insta::assert_snapshot!($file, stderr);
        }
    )*};
}

bad! {
    syntax_error => "syntax-error",
    unknown_key_suggests_the_right_one => "unknown-key",
    wrong_type => "wrong-type",
    bad_date => "bad-date",
    bad_time => "bad-time",
    missing_field => "missing-field",
    one_party => "one-party",
    duplicate_figure_id => "duplicate-figure-id",
    bad_figure_id => "bad-figure-id",
    series_length_mismatch => "series-length",
    non_number_value => "non-number",
    nan_and_inf => "nan-inf",
    unknown_chart_kind => "unknown-chart-kind",
    bad_status => "bad-status",
    bad_outcome_status => "bad-outcome-status",
    empty_file => "empty",
    whitespace_only => "whitespace-only",
    binary_garbage => "binary-garbage",
    alias_bomb => "alias-bomb",
    deep_nesting => "deep-nesting",
    multiple_errors => "multiple-errors",
    scalar_root => "scalar-root",
    list_root => "list-root",
    control_characters => "control-chars",
    yaml_tag => "yaml-tag",
    integer_past_two_to_the_53 => "big-integer",
    address_send_would_refuse => "bad-address",
    unsupported_language_lists_the_supported => "unsupported-language",
    unknown_marking_suggests_the_nearest => "unknown-marking",
}

#[test]
fn an_unsupported_language_names_every_supported_one() {
    let (code, stderr) = check_fixture("unsupported-language");
    assert_eq!(code, 1, "{stderr}");
    for code in ["en (English)", "ky (Kyrgyz)", "ar (Arabic)", "zh (Chinese (Simplified))"] {
        assert!(stderr.contains(code), "{code}: {stderr}");
    }
    assert!(stderr.contains("did you mean `ky`?"), "{stderr}");
}

#[test]
fn a_language_tag_with_a_region_falls_back_to_its_language() {
    let path = "tests/fixtures/good/region-language.yaml";
    let (code, _, stderr) = parts(&brief(&["check", "--color", "never", path], None));
    assert_eq!(code, 0, "pt-BR falls back to pt: {stderr}");
    let dir = scratch("lang");
    let tags = [
        ("zh-Hant", true),
        ("zh-TW", true),
        ("zh-HK", true),
        ("uz-Latn", true),
        ("az-Cyrl", false),
        ("sr-Latn", false),
    ];
    for (tag, ok) in tags {
        let text = std::fs::read_to_string(path).unwrap().replace("pt-BR", tag);
        let file = dir.join(format!("{tag}.yaml"));
        std::fs::write(&file, text).unwrap();
        let (code, _, stderr) =
            parts(&brief(&["check", "--color", "never", file.to_str().unwrap()], None));
        assert_eq!(code == 0, ok, "{tag}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn as_of_after_date_is_a_warning_not_an_error() {
    let (code, stderr) = check_fixture("as-of-after-date");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("warning: "), "{stderr}");
}

#[test]
fn oversize_source_is_refused() {
    let dir = scratch("oversize");
    let path = dir.join("big.yaml");
    let mut text = std::fs::read_to_string("tests/fixtures/good/minimal.yaml").unwrap();
    text.push_str(&format!("background: \"{}\"\n", "x".repeat(9 * 1024 * 1024)));
    std::fs::write(&path, text).unwrap();
    let (code, _, stderr) = parts(&brief(&["check", path.to_str().unwrap()], None));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("more than the 8 MiB limit"), "{stderr}");
}

#[test]
fn example_briefs_and_the_starter_pass() {
    let (code, _, stderr) =
        parts(&brief(&["check", "briefs", "tests/fixtures/good", "templates/starter.yaml"], None));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn new_writes_a_brief_that_checks() {
    let dir = scratch("new");
    let file = dir.join("starter.yaml");
    let (code, _, _) = parts(&brief(&["new", file.to_str().unwrap()], None));
    assert_eq!(code, 0);
    let (again, _, stderr) = parts(&brief(&["new", file.to_str().unwrap()], None));
    assert_eq!(again, 2, "refuses to overwrite: {stderr}");
    let (checked, _, stderr) = parts(&brief(&["check", file.to_str().unwrap()], None));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(checked, 0, "{stderr}");
}

#[test]
fn schema_is_json_and_names_every_top_level_field() {
    let (code, stdout, _) = parts(&brief(&["schema"], None));
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    for field in ["brief", "meeting", "purpose", "figures", "distribution"] {
        assert!(schema["properties"].get(field).is_some(), "{field}");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn usage_and_missing_files_exit_2() {
    assert_eq!(parts(&brief(&["check"], None)).0, 2);
    assert_eq!(parts(&brief(&["frobnicate"], None)).0, 2);
    let (code, _, stderr) = parts(&brief(&["check", "no/such/file.yaml"], None));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn completions_and_man_page_are_generated() {
    let (code, stdout, _) = parts(&brief(&["completions", "bash"], None));
    assert_eq!(code, 0);
    // A bash completion function that offers every subcommand and the build options.
    assert!(stdout.contains("_brief()"), "{stdout}");
    for word in ["check", "build", "send", "charts", "schema", "--template", "--all-products"] {
        assert!(stdout.contains(word), "completions lack {word}");
    }
    let (code, stdout, _) = parts(&brief(&["man"], None));
    assert_eq!(code, 0);
    assert!(stdout.contains(".TH brief"));
}

#[test]
fn a_bad_brief_does_not_stop_the_others() {
    let (code, _, stderr) = parts(&brief(
        &[
            "check",
            "--color",
            "never",
            "tests/fixtures/bad/bad-date.yaml",
            "briefs/az-kg-2021-07-05.yaml",
        ],
        None,
    ));
    assert_eq!(code, 1);
    let bad = stderr.find("error: `2021-02-30` is not a valid date").expect("the bad one's error");
    let good = stderr.find("ok: briefs/az-kg-2021-07-05.yaml").expect("the good one is checked");
    assert!(bad < good, "checked in order: {stderr}");
    assert!(!stderr.contains("ok: tests/fixtures/bad/bad-date.yaml"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn devices_are_refused_not_read() {
    // /dev/zero never ends and a named pipe blocks: check refuses anything
    // that is not a regular file before opening it. /dev/null stands in for
    // both here, as it is safe to read on a build that would still read it.
    let (code, _, stderr) = parts(&brief(&["check", "--color", "never", "/dev/null"], None));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("it is a device, not a regular file"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let dir = scratch("fifo-cli");
    let fifo = dir.join("brief.yaml");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let (code, _, stderr) =
        parts(&brief(&["check", "--color", "never", fifo.to_str().unwrap()], None));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("it is a named pipe, not a regular file"), "{stderr}");
}

#[test]
fn thousands_of_mistakes_show_the_first_fifty_and_a_count() {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap();
    let extra: String = (0..20_000).map(|i| format!("unknown_key_{i}: {i}\n")).collect();
    let path = scratch("many").join("many.yaml");
    std::fs::write(&path, example + &extra).unwrap();
    let (code, _, stderr) =
        parts(&brief(&["check", "--color", "never", path.to_str().unwrap()], None));
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("error: unknown field").count(), 50, "{stderr}");
    assert!(stderr.contains("… and 19950 more problems in"), "{stderr}");
}

#[test]
fn the_format_guide_shows_what_check_prints() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
        .unwrap();
    // Fixture, the example's first line, and how many of its lines must match
    // (a control character's snippet line shows the character itself).
    let examples = [
        ("unknown-key", "error: unknown field `clasification`", usize::MAX),
        ("series-length", "error: series `Trade turnover` has 2 values", usize::MAX),
        ("bad-date", "error: `2021-02-30` is not a valid date", usize::MAX),
        ("control-chars", "error: control character U+0008", 2),
        ("as-of-after-date", "warning: `as_of` (2021-07-10)", usize::MAX),
    ];
    for (fixture, first, lines) in examples {
        let start = doc.find(first).unwrap_or_else(|| panic!("the guide shows {first}"));
        let block = &doc[start..start + doc[start..].find("```").unwrap()];
        let block: Vec<&str> = block.lines().take(lines).collect();
        let (_, stderr) = check_fixture(fixture);
        let stderr = stderr.replace(&format!("tests/fixtures/bad/{fixture}.yaml"), "briefs/x.yaml");
        assert!(
            stderr.contains(&block.join("\n")),
            "{fixture}: the guide shows\n{}\nbut check prints\n{stderr}",
            block.join("\n")
        );
    }
}

/// The guide's table of frequent errors names each message as `check`
/// prints it: each case breaks the example one way, and the row's message
/// (`…` standing for the part that varies) is the error `check` gives.
#[test]
fn the_format_guides_table_of_errors_shows_what_check_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/format.md")).unwrap();
    let example = std::fs::read_to_string(root.join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let cases = [
        ("title: Azerbaijan – Kyrgyzstan bilateral", "titel: x", "missing required field `title`"),
        ("lead: true", "lead: maybe", "wrong type: found the text \"maybe\""),
        ("  location: Baku", "  time: \"25:61\"\n  location: Baku", "`25:61` is not a valid time"),
        ("id: trade-turnover", "id: Trade Turnover", "figure id `…` is not well formed"),
        ("values: [", "values: [\"lots\", ", "wrong type: found the text \"lots\""),
        ("values: [", "values: [.nan, ", "`.nan` is not a finite number"),
        ("kind: bar", "kind: donut", "`donut` is not a valid choice"),
        (
            "values: [",
            "values: [9007199254740993, ",
            "`9007199254740993` is too large to keep exactly",
        ),
        (
            "location: Baku, Azerbaijan",
            "location: \"\\aBaku\"",
            "control character U+0007 in the text",
        ),
        (
            "classification: OFFICIAL",
            "classification: !upper x",
            "the YAML tag `!upper` is not supported",
        ),
        (
            "location: Baku",
            "location: 😀 Baku",
            "character `😀` (U+1F600) cannot be drawn: no bundled font has it",
        ),
    ];
    let dir = scratch("guide-table");
    for (i, (from, to, message)) in cases.into_iter().enumerate() {
        assert!(doc.contains(&format!("\n| {message}")), "the guide's table lacks {message}");
        assert!(example.contains(from), "{from}");
        let path = dir.join(format!("{i}.yaml"));
        std::fs::write(&path, example.replacen(from, to, 1)).unwrap();
        let (code, _, stderr) =
            parts(&brief(&["check", "--color", "never", path.to_str().unwrap()], None));
        assert_eq!(code, 1, "{message}: {stderr}");
        let printed = stderr.lines().filter_map(|l| l.strip_prefix("error: ")).any(|line| {
            let mut rest = line;
            message.split('…').all(|part| match rest.find(part) {
                Some(at) => {
                    rest = &rest[at + part.len()..];
                    true
                }
                None => false,
            })
        });
        assert!(printed, "the guide says {message:?}, check prints:\n{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Commands other than `check` that read a brief show its warnings too:
/// `charts` once dropped them.
#[test]
fn charts_reports_the_warnings_check_reports() {
    let dir = scratch("charts-warn");
    let source = "tests/fixtures/bad/as-of-after-date.yaml";
    let (code, _, stderr) =
        parts(&brief(&["charts", "--color", "never", source, "-o", dir.to_str().unwrap()], None));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: `as_of` (2021-07-10) is after the brief's date"), "{stderr}");
}
