//! Figures read from data files made by independent writers: XLSX by
//! openpyxl, ODS by odfpy (tests/spreadsheets/make.py, in the virtual env
//! `tests/run` makes: target/data-venv), SDMX-CSV 1.0 and 2.0 written here.
//! What brief reads is compared with what pandas reads from the same files;
//! every error class is snapshotted; and the example brief with its trade
//! figures in an XLSX and an SDMX-CSV file builds the same pages as inline.
//! A tier of its own (run by `tests/run`): it needs the tools `tests/run` installs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use brief::data::{self, Context, Spec};

#[path = "common/tool.rs"]
mod tool;
use tool::tool;
#[path = "common/cli.rs"]
mod cli;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> PathBuf {
    std::env::var_os("BRIEF_DATA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/data-venv/bin/python"))
}

/// SDMX-CSV 1.0: Eurostat's layout, the trade of the example brief among
/// other partners and flows, a provisional flag and a unit column.
const SDMX_1: &str = "DATAFLOW,FREQ,REPORTER,PARTNER,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER_JAN_MAY,2021,3.6,p,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER_JAN_MAY,2020,2.2,,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER,2020,5.4,,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,GE,TURNOVER_JAN_MAY,2020,310.2,,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,GE,TURNOVER_JAN_MAY,2021,402.9,,MIO_USD\n";

/// SDMX-CSV 2.0, with labels (`FREQ: Frequency`, `A: Annual`) and ACTION.
const SDMX_2: &str = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,COUNTERPART_AREA: Counterpart,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n\
dataflow,IMF.STA:DOT(1.0.0),I,A: Annual,KG: Kyrgyzstan,TXG_FOB_USD,2019,4.25,\n\
dataflow,IMF.STA:DOT(1.0.0),I,A: Annual,KG: Kyrgyzstan,TXG_FOB_USD,2020,5.5,E\n\
dataflow,IMF.STA:DOT(1.0.0),I,A: Annual,KG: Kyrgyzstan,TMG_CIF_USD,2019,1.75,\n\
dataflow,IMF.STA:DOT(1.0.0),I,A: Annual,KG: Kyrgyzstan,TMG_CIF_USD,2020,,M\n";

struct Fixtures {
    dir: PathBuf,
    /// What pandas read: "file/sheet" or "file" → column → values.
    pandas: BTreeMap<String, BTreeMap<String, Vec<serde_json::Value>>>,
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let dir = cli::scratch("fixtures");
        std::fs::write(dir.join("ext_lt.csv"), SDMX_1).unwrap();
        std::fs::write(dir.join("dot.csv"), SDMX_2).unwrap();
        let out = Command::new(python())
            .arg(root().join("tests/spreadsheets/make.py"))
            .arg(&dir)
            .arg("read")
            .output()
            .unwrap_or_else(|e| panic!("{} is needed ({e}); run tests/run", python().display()));
        assert!(out.status.success(), "make.py: {}", String::from_utf8_lossy(&out.stderr));
        let pandas = serde_json::from_slice(&out.stdout).expect("make.py prints JSON");
        Fixtures { dir, pandas }
    })
}

fn spec(file: &str, categories: &str, series: &[(&str, &str)]) -> Spec {
    let yaml = format!(
        "file: {file}\ncategories: \"{categories}\"\nseries:\n{}",
        series
            .iter()
            .map(|(n, v)| format!("  - {{name: \"{n}\", values: \"{v}\"}}\n"))
            .collect::<String>()
    );
    serde_json::from_value(yaml_json(&yaml)).unwrap()
}

/// The few YAML mappings these tests write, as JSON (through brief's own reader).
fn yaml_json(yaml: &str) -> serde_json::Value {
    let text =
        format!("{MINIMAL}figures:\n  - id: t\n    title: T\n    data:\n{}", indent(yaml, 6));
    let loaded = brief::source::load("t.yaml", text.as_bytes())
        .unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
    serde_json::to_value(loaded.raw.figures[0].data.clone().unwrap()).unwrap()
}

fn indent(text: &str, n: usize) -> String {
    text.lines().map(|l| format!("{}{l}\n", " ".repeat(n))).collect()
}

const MINIMAL: &str = "brief:\n  title: T\n  date: 2021-07-05\nmeeting:\n  kind: Call\n  date: 2021-07-05\n  parties:\n    - country: A\n    - country: B\n";

fn read(spec: &Spec, language: &str) -> Result<brief::figure::FileData, brief::diag::Diagnostic> {
    let f = fixtures();
    let file = data::open(&f.dir, &spec.file)?;
    data::read(&file, spec, Context { unit: None, language })
}

fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.is_empty() => None,
        serde_json::Value::String(s) => Some(s.parse().unwrap()),
        v => v.as_f64(),
    }
}

#[test]
fn spreadsheet_values_are_what_pandas_reads() {
    let f = fixtures();
    let cases = [
        ("trade.xlsx", "Turnover", "Year", vec!["Trade turnover"]),
        ("trade.xlsx", "Jan-May", "Period", vec!["Trade turnover"]),
        ("trade.xlsx", "Monthly", "Month", vec!["Exports", "Imports"]),
        ("trade.xlsx", "Long", "Day", vec!["Value"]),
        ("trade.ods", "Turnover", "Month", vec!["Exports", "Imports"]),
    ];
    for (file, sheet, cat, cols) in cases {
        let pandas = &f.pandas[&format!("{file}/{sheet}")];
        let mut s = spec(file, cat, &cols.iter().map(|c| (*c, *c)).collect::<Vec<_>>());
        s.sheet = Some(sheet.into());
        for language in ["en", "ru", "ar"] {
            let got = read(&s, language)
                .unwrap_or_else(|d| panic!("{file} {sheet}: {}", d.render(false)));
            let want: Vec<String> = pandas[cat]
                .iter()
                .map(|v| {
                    let text = v.as_str().unwrap().to_string();
                    // pandas gives dates as ISO; brief labels them in the brief's language.
                    match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                        Ok(d) => brief::locale::date(d, language),
                        Err(_) => text,
                    }
                })
                .collect();
            assert_eq!(got.categories, want, "{file} {sheet} {language}");
            for (series, col) in got.series.iter().zip(&cols) {
                let want: Vec<Option<f64>> = pandas[*col].iter().map(number).collect();
                assert_eq!(series.values, want, "{file} {sheet} {col}");
            }
            assert_eq!(got.origin.part.as_deref(), Some(sheet));
        }
    }
    // The saved value of a formula (B14 = B2+B3) is what both read.
    assert_eq!(f.pandas["trade.xlsx/Monthly"]["Exports"].last().and_then(number), Some(201.0));
}

#[test]
fn a_workbook_s_source_line_carries_the_date_it_says_it_was_saved() {
    let f = fixtures();
    let modified = f.pandas["trade.xlsx/properties"]["modified"][0].as_str().unwrap();
    let modified = chrono::NaiveDate::parse_from_str(modified, "%Y-%m-%d").unwrap();
    let mut s = spec("trade.xlsx", "Year", &[("Trade turnover", "Trade turnover")]);
    s.sheet = Some("Turnover".into());
    for language in ["en", "ru", "ar"] {
        let got = read(&s, language).unwrap();
        let date = brief::locale::date(modified, language);
        assert_eq!(got.origin.source, format!("trade.xlsx (Turnover), {date}"), "{language}");
    }
    // A CSV says nothing of when it was made: its source line has no date,
    // never the file system's (brief-data's `csv_with_bom_…` test).
}

#[test]
fn ranges_read_what_header_names_read() {
    let mut by_range = spec("trade.xlsx", "A2:A3", &[("Trade turnover", "B2:B3")]);
    by_range.sheet = Some("Turnover".into());
    let mut by_name = spec("trade.xlsx", "Year", &[("Trade turnover", "Trade turnover")]);
    by_name.sheet = Some("Turnover".into());
    let (a, b) = (read(&by_range, "en").unwrap(), read(&by_name, "en").unwrap());
    assert_eq!((a.categories, a.series), (b.categories, b.series));
    // A row range too; a text that is no number is located by its cell.
    let mut row = spec("trade.xlsx", "A1:B1", &[("x", "A3:B3")]);
    row.sheet = Some("Turnover".into());
    let e = read(&row, "en").unwrap_err();
    assert_eq!(e.message, "sheet Turnover, A3: \"Jan–May 2021\" is not a number", "{e:?}");
}

#[test]
fn sdmx_values_are_what_pandas_reads() {
    let f = fixtures();
    let yaml = "file: ext_lt.csv\nformat: sdmx-csv\nfilter: {REPORTER: AZ, PARTNER: KG, INDICATOR: TURNOVER_JAN_MAY}\ncategories: TIME_PERIOD\nseries:\n  - name: Trade turnover\n";
    let s: Spec = serde_json::from_value(yaml_json(yaml)).unwrap();
    let got = read(&s, "en").unwrap();
    let p = &f.pandas["ext_lt.csv"];
    let mut want: Vec<(String, Option<f64>)> = (0..p["OBS_VALUE"].len())
        .filter(|&i| p["PARTNER"][i] == "KG" && p["INDICATOR"][i] == "TURNOVER_JAN_MAY")
        .map(|i| (p["TIME_PERIOD"][i].as_str().unwrap().to_string(), number(&p["OBS_VALUE"][i])))
        .collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got.categories, want.iter().map(|w| w.0.clone()).collect::<Vec<_>>());
    assert_eq!(got.series[0].values, want.iter().map(|w| w.1).collect::<Vec<_>>());
    assert_eq!(got.notes, ["Provisional: 2021."]);
    assert_eq!(got.origin.source, "ext_lt.csv (ESTAT:EXT_LT(1.0))");

    let yaml = "file: dot.csv\nfilter: {COUNTERPART_AREA: KG}\ncategories: TIME_PERIOD\nseries_by: INDICATOR\nlabels: {TXG_FOB_USD: Exports, TMG_CIF_USD: Imports}\nflags: {E: Estimate, M: Not available}\n";
    let s: Spec = serde_json::from_value(yaml_json(yaml)).unwrap();
    let got = read(&s, "en").unwrap();
    let p = &f.pandas["dot.csv"];
    for series in &got.series {
        let code = if series.name == "Exports" { "TXG_FOB_USD" } else { "TMG_CIF_USD" };
        let want: Vec<Option<f64>> = (0..p["OBS_VALUE"].len())
            .filter(|&i| p["INDICATOR"][i] == code)
            .map(|i| number(&p["OBS_VALUE"][i]))
            .collect();
        assert_eq!(series.values, want, "{}", series.name);
    }
    assert_eq!(got.notes, ["Estimate: 2020.", "Not available: 2020."]);
    assert_eq!(got.origin.part.as_deref(), Some("IMF.STA:DOT(1.0.0)"));
}

fn error(spec: &Spec) -> String {
    let d = read(spec, "en").expect_err("should fail");
    d.render(false).replace(&fixtures().dir.display().to_string(), "DIR")
}

#[test]
fn spreadsheet_errors_are_located() {
    let mut s = spec("bad.xlsx", "Year", &[("Exports", "Value")]);
    s.sheet = Some("Exports".into());
    insta::assert_snapshot!("xlsx_not_a_number", error(&s));
    s.sheet = Some("Formula".into());
    insta::assert_snapshot!("xlsx_formula_without_value", error(&s));
    s.sheet = Some("Errors".into());
    insta::assert_snapshot!("xlsx_error_cell", error(&s));
    s.sheet = Some("Export".into());
    insta::assert_snapshot!("xlsx_unknown_sheet", error(&s));
    s.sheet = Some("Exports".into());
    s.series[0].values = Some("Valeu".into());
    insta::assert_snapshot!("xlsx_unknown_column", error(&s));
    let mut s = spec("half.xlsx", "Year", &[("T", "Trade turnover")]);
    insta::assert_snapshot!("xlsx_half_written_file", error(&s));
    s.file = "trade.xlsx".into();
    s.sheet = Some("Monthly".into());
    s.categories = "A2:A13".into();
    s.series[0].values = Some("B2:B12".into());
    insta::assert_snapshot!("xlsx_ranges_differ", error(&s));
    // Another program has it open.
    let lock = fixtures().dir.join(".~lock.trade.ods#");
    std::fs::write(&lock, "x").unwrap();
    let s = spec("trade.ods", "Month", &[("T", "Exports")]);
    let e = error(&s);
    std::fs::remove_file(&lock).unwrap();
    insta::assert_snapshot!("ods_locked", e);
}

/// The example's figures as `data:` blocks, their source lines kept.
fn with_data_files(example: &str) -> String {
    let first = "    categories: [\"2020\", \"Jan–May 2021\"]\n    series:\n      - name: Trade turnover\n        values: [5.4, 3.6]\n";
    let second = "    categories: [\"Jan–May 2020\", \"Jan–May 2021\"]\n    series:\n      - name: Trade turnover\n        values: [2.2, 3.6]\n";
    assert!(example.contains(first) && example.contains(second));
    example
        .replace(
            first,
            "    data:\n      file: data/trade.xlsx\n      sheet: Turnover\n      categories: A2:A3\n      series:\n        - name: Trade turnover\n          values: B2:B3\n",
        )
        .replace(
            second,
            "    data:\n      file: data/ext_lt.csv\n      format: sdmx-csv\n      filter: {REPORTER: AZ, PARTNER: KG, INDICATOR: TURNOVER_JAN_MAY}\n      categories: TIME_PERIOD\n      labels: {\"2020\": \"Jan–May 2020\", \"2021\": \"Jan–May 2021\"}\n      flags: {p: \"\"}\n      series:\n        - name: Trade turnover\n",
        )
}

#[test]
fn the_example_builds_the_same_pages_from_its_data_files() {
    let f = fixtures();
    let dir = f.dir.join("example");
    std::fs::create_dir_all(dir.join("inline")).unwrap();
    std::fs::create_dir_all(dir.join("files/data")).unwrap();
    let example = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    std::fs::write(dir.join("inline/az-kg.yaml"), &example).unwrap();
    std::fs::write(dir.join("files/az-kg.yaml"), with_data_files(&example)).unwrap();
    std::fs::copy(f.dir.join("trade.xlsx"), dir.join("files/data/trade.xlsx")).unwrap();
    std::fs::copy(f.dir.join("ext_lt.csv"), dir.join("files/data/ext_lt.csv")).unwrap();
    let mut pages = Vec::new();
    for which in ["inline", "files"] {
        let pdf = dir.join(format!("{which}.pdf"));
        let o = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["build", "az-kg.yaml", "-o"])
            .arg(&pdf)
            .current_dir(dir.join(which))
            .env("SOURCE_DATE_EPOCH", "1625443200")
            .output()
            .unwrap();
        assert!(o.status.success(), "{which}: {}", String::from_utf8_lossy(&o.stderr));
        let prefix = dir.join(which).join("page");
        tool("pdftoppm", &["-r", "60", "-png", pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
        let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir.join(which))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        pngs.sort();
        let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        pages.push((pngs.iter().map(|p| std::fs::read(p).unwrap()).collect::<Vec<_>>(), text));
    }
    assert!(!pages[0].0.is_empty());
    assert_eq!(pages[0].1, pages[1].1, "the text differs");
    assert_eq!(pages[0].0.len(), pages[1].0.len(), "page counts differ");
    for (i, (a, b)) in pages[0].0.iter().zip(&pages[1].0).enumerate() {
        assert!(a == b, "page {} is drawn differently", i + 1);
    }
}
