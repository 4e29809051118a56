//! Reading CSV and SDMX-CSV written here, and every error class located.

use std::collections::BTreeMap;

use super::*;

/// A series: name, values, its own filter.
type S<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str)]);

fn spec(yaml_like: &[(&str, &str)], series: &[S<'_>]) -> Spec {
    let mut s = Spec {
        file: "t.csv".into(),
        format: None,
        sheet: None,
        delimiter: None,
        header: None,
        header_row: None,
        decimal: None,
        categories: String::new(),
        series: Vec::new(),
        filter: BTreeMap::new(),
        series_by: None,
        labels: BTreeMap::new(),
        flags: BTreeMap::new(),
        multiply: None,
        divide: None,
        round: None,
        unit_column: None,
        unit: None,
    };
    for (k, v) in yaml_like {
        let v = v.to_string();
        match *k {
            "file" => s.file = v,
            "categories" => s.categories = v,
            "delimiter" => s.delimiter = Some(v),
            "decimal" => s.decimal = Some(v),
            "header" => s.header = Some(v == "true"),
            "series_by" => s.series_by = Some(v),
            "divide" => s.divide = v.parse().ok(),
            "round" => s.round = v.parse().ok(),
            "unit" => s.unit = Some(v),
            "unit_column" => s.unit_column = Some(v),
            f if f.starts_with("filter.") => {
                s.filter.insert(f["filter.".len()..].to_string(), v);
            }
            f if f.starts_with("labels.") => {
                s.labels.insert(f["labels.".len()..].to_string(), v);
            }
            other => panic!("{other}"),
        }
    }
    s.series = series
        .iter()
        .map(|(name, values, filter)| DataSeries {
            name: name.to_string(),
            values: values.map(str::to_string),
            filter: filter.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        })
        .collect();
    s
}

fn file(name: &str, text: &str) -> File {
    File { shown: name.into(), path: name.into(), bytes: text.as_bytes().to_vec() }
}

const CX: Context<'static> = Context { unit: None, language: "en" };

fn values(d: &FileData) -> Vec<(String, Vec<Option<f64>>)> {
    d.series.iter().map(|s| (s.name.clone(), s.values.clone())).collect()
}

#[test]
fn csv_with_bom_quotes_semicolons_and_decimal_commas() {
    let text =
        "\u{feff}period;\"Turnover; total\";exports\n2020;\"5,4\";1,2\n\"Jan–May 2021\";3,6;\n";
    let s = spec(
        &[("categories", "period"), ("decimal", ",")],
        &[("Turnover", Some("Turnover; total"), &[]), ("Exports", Some("exports"), &[])],
    );
    let d = read(&file("t.csv", text), &s, CX).unwrap();
    assert_eq!(d.categories, ["2020", "Jan–May 2021"]);
    assert_eq!(values(&d)[0].1, [Some(5.4), Some(3.6)]);
    assert_eq!(values(&d)[1].1, [Some(1.2), None]);
    assert_eq!(d.origin.source, "t.csv");
    assert_eq!(d.origin.sha256, sha256(text.as_bytes()));
}

#[test]
fn tsv_without_header_numbers_columns_and_scales() {
    let text = "2020\t5400\n2021\t3649\n";
    let mut s = spec(
        &[
            ("file", "t.tsv"),
            ("categories", "1"),
            ("header", "false"),
            ("divide", "1000"),
            ("round", "1"),
        ],
        &[("T", Some("2"), &[])],
    );
    s.file = "t.tsv".into();
    let d = read(&file("t.tsv", text), &s, CX).unwrap();
    assert_eq!(values(&d)[0].1, [Some(5.4), Some(3.6)]);
}

fn error(name: &str, text: &str, s: &Spec) -> String {
    let s = &Spec { file: name.into(), ..s.clone() };
    let d = read(&file(name, text), s, CX).expect_err("should fail");
    d.render(false)
}

#[test]
fn csv_errors_are_located() {
    let s = spec(&[("categories", "period")], &[("T", Some("turnover"), &[])]);
    insta::assert_snapshot!(
        "csv_field_count",
        error("flows.csv", "period,turnover,x\n2020,5.4,1\n2021,3.6\n", &s)
    );
    insta::assert_snapshot!(
        "csv_not_a_number",
        error("flows.csv", "period,turnover\n2020,5.4\n2021,n/a\n", &s)
    );
    insta::assert_snapshot!(
        "csv_decimal_comma",
        error("flows.csv", "period;turnover\n2020;5,4\n", &s)
    );
    insta::assert_snapshot!(
        "csv_unknown_column",
        error("flows.csv", "period,Turnovr\n2020,5.4\n", &s)
    );
    let latin1 = read(
        &File {
            shown: "l.csv".into(),
            path: "l.csv".into(),
            bytes: b"period,turnover\nJan\xe9,1\n".to_vec(),
        },
        &s,
        CX,
    );
    assert!(latin1.unwrap_err().message.contains("line 2 is not UTF-8"));
}

/// A category that would reach the page with a control character or a
/// direction control (which would reorder the words after it) is an error
/// at its line, as the same text in the source is.
#[test]
fn text_a_page_must_not_get_is_an_error_at_its_line() {
    let s = spec(&[("categories", "period")], &[("T", Some("turnover"), &[])]);
    for (bad, kind) in
        [('\u{202E}', "text direction control U+202E"), ('\u{7}', "control character U+0007")]
    {
        let text = format!("period,turnover\n2020,5.4\n\"Jan{bad}May 2021\",3.6\n");
        let e = read(&file("flows.csv", &text), &s, CX).unwrap_err();
        assert_eq!(e.message, format!("the category holds the {kind}"));
        assert_eq!(e.span.as_ref().map(|s| s.line), Some(3));
        // Shown escaped, never raw, on a terminal.
        assert!(!e.render(false).contains(bad), "{}", e.render(false));
    }
    let sdmx = SDMX1.replace(",2021,3.6,", ",2021\u{2067},3.6,");
    let s = spec(
        &[("categories", "TIME_PERIOD"), ("filter.REPORTER", "AZ"), ("filter.PARTNER", "KG")],
        &[("Exports", None, &[("FLOW", "1")])],
    );
    let e = read(&file("ext_lt.csv", &sdmx), &s, CX).unwrap_err();
    assert_eq!(e.message, "the category holds the text direction control U+2067");
    assert_eq!(e.span.as_ref().map(|s| s.line), Some(2));
    // A file with Windows line ends is located the same.
    let csv = spec(&[("categories", "period")], &[("T", Some("turnover"), &[])]);
    let crlf = "period,turnover\r\n2020,5.4\r\nx\u{2066}y,3.6\r\n2022,9\r\n";
    let e = read(&file("flows.csv", crlf), &csv, CX).unwrap_err();
    assert_eq!(
        e.span.as_ref().map(|s| (s.line, s.text.as_str())),
        Some((3, "x\u{2066}y,3.6")),
        "{e:?}"
    );
    let crlf = crlf.replace('\u{2066}', "").replace(",9", ",n/a");
    let e = read(&file("flows.csv", &crlf), &csv, CX).unwrap_err();
    assert_eq!(e.span.as_ref().map(|s| s.line), Some(4), "{e:?}");
    // The dataflow and a status flag are printed too (the source line, the note).
    let sdmx = SDMX1.replace(
        "ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER,1,2021",
        "ESTAT:EXT\u{202E}_LT(1.0),A,AZ,KG,TURNOVER,1,2021",
    );
    let e = read(&file("ext_lt.csv", &sdmx), &s, CX).unwrap_err();
    assert_eq!(e.message, "the dataflow holds the text direction control U+202E");
    let sdmx = SDMX1.replace(",3.6,p,", ",3.6,p\u{1b}x,");
    let e = read(&file("ext_lt.csv", &sdmx), &s, CX).unwrap_err();
    assert_eq!(e.message, "the status flag holds the control character U+001B");
    assert_eq!(e.span.as_ref().map(|s| s.line), Some(2));
}

const SDMX1: &str = "DATAFLOW,FREQ,REPORTER,PARTNER,INDICATOR,FLOW,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER,1,2021,3.6,p,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER,1,2020,5.4,,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER,2,2020,1.1,,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,KG,TURNOVER,2,2021,,,MIO_USD\n\
ESTAT:EXT_LT(1.0),A,AZ,GE,TURNOVER,1,2020,9.9,,MIO_USD\n";

#[test]
fn sdmx_1_0_with_series_filters_flags_and_units() {
    let s = spec(
        &[("categories", "TIME_PERIOD"), ("filter.REPORTER", "AZ"), ("filter.PARTNER", "KG")],
        &[("Exports", None, &[("FLOW", "1")]), ("Imports", None, &[("FLOW", "2")])],
    );
    let s = Spec { file: "ext_lt.csv".into(), ..s };
    let cx = Context { unit: Some("USD million"), language: "en" };
    let d = read(&file("ext_lt.csv", SDMX1), &s, cx).unwrap();
    assert_eq!(d.categories, ["2020", "2021"]);
    assert_eq!(
        values(&d),
        [("Exports".into(), vec![Some(5.4), Some(3.6)]), ("Imports".into(), vec![Some(1.1), None])]
    );
    assert_eq!(d.notes, ["Provisional: 2021."]);
    assert_eq!(d.origin.source, "ext_lt.csv (ESTAT:EXT_LT(1.0))");
    // The unit column against the figure's unit.
    let cx = Context { unit: Some("USD thousand"), language: "en" };
    let e = read(&file("ext_lt.csv", SDMX1), &s, cx).unwrap_err();
    assert!(e.message.contains("does not read as the figure's unit"), "{e:?}");
}

#[test]
fn sdmx_2_0_with_labels_and_series_by() {
    let text = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,PARTNER: Partner,FLOW,TIME_PERIOD,OBS_VALUE\n\
dataflow,IMF:DOT(1.0),I,A: Annual,KG: Kyrgyzstan,X,2020,5.4\n\
dataflow,IMF:DOT(1.0),I,A: Annual,KG: Kyrgyzstan,M,2020,1.5\n\
dataflow,IMF:DOT(1.0),I,A: Annual,KG: Kyrgyzstan,X,2019,4\n";
    let s = spec(
        &[
            ("categories", "TIME_PERIOD"),
            ("filter.PARTNER", "KG"),
            ("series_by", "FLOW"),
            ("labels.X", "Exports"),
            ("labels.M", "Imports"),
        ],
        &[],
    );
    let d = read(&file("dot.csv", text), &s, CX).unwrap();
    assert_eq!(d.categories, ["2019", "2020"]);
    assert_eq!(
        values(&d),
        [("Exports".into(), vec![Some(4.0), Some(5.4)]), ("Imports".into(), vec![None, Some(1.5)])]
    );
    assert_eq!(d.origin.part.as_deref(), Some("IMF:DOT(1.0)"));
}

#[test]
fn sdmx_errors_say_which_dimension_values_did() {
    let s = spec(
        &[("categories", "TIME_PERIOD"), ("filter.REPORTER", "AZ"), ("filter.PARTNER", "KZ")],
        &[("T", None, &[])],
    );
    insta::assert_snapshot!("sdmx_matches_nothing", error("ext_lt.csv", SDMX1, &s));
    let s = spec(&[("categories", "TIME_PERIOD"), ("filter.PARTNER", "KG")], &[("T", None, &[])]);
    insta::assert_snapshot!("sdmx_two_per_category", error("ext_lt.csv", SDMX1, &s));
    let s = spec(&[("categories", "TIME_PERIOD"), ("filter.PARTNR", "KG")], &[("T", None, &[])]);
    insta::assert_snapshot!("sdmx_unknown_dimension", error("ext_lt.csv", SDMX1, &s));
    let s = spec(
        &[("categories", "TIME_PERIOD"), ("filter.PARTNER", "GE"), ("unit", "THS_USD")],
        &[("T", None, &[])],
    );
    insta::assert_snapshot!("sdmx_unit", error("ext_lt.csv", SDMX1, &s));
}

#[test]
fn numbers_are_strict() {
    assert_eq!(number(" 5.4 ", false), Some(5.4));
    assert_eq!(number("-1e3", false), Some(-1000.0));
    assert_eq!(number("5,4", true), Some(5.4));
    for bad in ["1,234.5", "n/a", "", "inf", "NaN", "0x10", "5.4.1"] {
        assert_eq!(number(bad, false), None, "{bad}");
    }
    assert_eq!(number("1.234,5", true), None);
}

#[test]
fn units_read_as_words_or_codes() {
    assert!(same_unit("MIO_USD", "USD million"));
    assert!(same_unit("USD_MN", "USD million"));
    assert!(!same_unit("THS_USD", "USD million"));
    assert!(same_unit("PC", "%"));
}

#[test]
fn files_outside_the_folder_are_refused() {
    let dir = std::env::temp_dir().join(format!("brief-data-open-{}", std::process::id()));
    let inner = dir.join("brief");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(dir.join("secret.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(inner.join("ok.csv"), "a,b\n1,2\n").unwrap();
    assert!(open(&inner, "ok.csv").is_ok());
    for bad in ["../secret.csv", "/etc/passwd", ""] {
        let e = open(&inner, bad).unwrap_err();
        assert!(e.message.contains("outside") || e.message.contains("no file"), "{bad}: {e:?}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("secret.csv"), inner.join("link.csv")).unwrap();
        let e = open(&inner, "link.csv").unwrap_err();
        assert!(e.message.contains("symbolic link"), "{e:?}");
    }
    std::fs::write(inner.join("t.xlsx"), b"PK").unwrap();
    std::fs::write(inner.join("~$t.xlsx"), b"").unwrap();
    let e = open(&inner, "t.xlsx").unwrap_err();
    assert!(e.message.contains("open in another program"), "{e:?}");
    let big = std::fs::File::create(inner.join("big.csv")).unwrap();
    big.set_len(MAX_BYTES + 1).unwrap();
    let e = open(&inner, "big.csv").unwrap_err();
    assert!(e.message.contains("64 MiB"), "{e:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_half_written_spreadsheet_is_an_error_naming_the_file() {
    let s = spec(&[("file", "t.xlsx"), ("categories", "A1:A2")], &[("T", Some("B1:B2"), &[])]);
    let mut s = s;
    s.file = "t.xlsx".into();
    let e = read(
        &File {
            shown: "t.xlsx".into(),
            path: "t.xlsx".into(),
            bytes: b"PK\x03\x04 truncated".to_vec(),
        },
        &s,
        CX,
    )
    .unwrap_err();
    insta::assert_snapshot!("xlsx_half_written", e.render(false));
}
