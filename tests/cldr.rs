//! Every supported language's dates, numbers, plurals and lists, checked
//! against CLDR's own data as Python's babel reads it (tests/cldr/check.py),
//! not against strings typed by hand. `tests/run` installs babel.

#[path = "common/cli.rs"]
mod cli;
use cli::scratch;

use std::process::Command;

use brief::locale::{self, LANGUAGES};
use chrono::{NaiveDate, NaiveTime};
use serde_json::{Value, json};

/// What brief writes in one locale, in the shape check.py reads.
fn formats(tag: &str) -> Value {
    let days = [(2021, 7, 5), (2026, 3, 12), (1999, 12, 31), (2024, 2, 29)];
    let dates: Vec<Value> = days
        .iter()
        .map(|&(y, m, d)| {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            json!([
                day.to_string(),
                locale::long_date(day, tag),
                locale::date(day, tag),
                locale::short_date(day, tag),
                locale::weekday(day, tag)
            ])
        })
        .collect();
    let times: Vec<Value> = ["09:30", "17:05", "00:00"]
        .iter()
        .map(|t| json!([t, locale::time(NaiveTime::parse_from_str(t, "%H:%M").unwrap(), tag)]))
        .collect();
    // The numeral after rounding, as brief reads it, and what brief prints.
    // No four-digit whole numbers: babel ignores CLDR's minimumGroupingDigits
    // (2 in es, it, pl: "1000", not "1.000"), which ICU4X follows.
    let numbers: Vec<Value> = [
        (1234567.891, 2, "1234567.89"),
        (-5.0, 1, "-5"),
        (12.5, 1, "12.5"),
        (0.25, 2, "0.25"),
        (98765.4321, 3, "98765.432"),
    ]
    .iter()
    .map(|&(v, d, plain)| json!([plain, locale::number(v, d, tag)]))
    .collect();
    let (decimal, group) = locale::separators(tag);
    let cardinals = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 11.0, 21.0, 22.0, 101.0, 1.5];
    let plural: Vec<Value> =
        cardinals.iter().map(|&n| json!([n.to_string(), locale::plural(n, tag)])).collect();
    let ordinal: Vec<Value> = [1.0, 2.0, 3.0, 4.0, 11.0, 21.0, 22.0, 23.0]
        .iter()
        .map(|&n| json!([n.to_string(), locale::ordinal(n, tag)]))
        .collect();
    // Words of the language itself: Hebrew writes "ו‑C" before a Latin letter.
    let items: Vec<String> = days[..3]
        .iter()
        .map(|&(y, m, d)| locale::weekday(NaiveDate::from_ymd_opt(y, m, d).unwrap(), tag))
        .collect();
    json!({
        "dates": dates,
        "times": times,
        "numbers": numbers,
        "separators": [decimal.to_string(), group.to_string()],
        "plural": plural,
        "ordinal": ordinal,
        "list": locale::list(&items, tag),
        "list items": items,
    })
}

#[test]
fn every_language_formats_as_cldr_says() {
    let mut all = serde_json::Map::new();
    let tags = LANGUAGES.iter().map(|l| l.code).chain(["pt-BR", "en-GB", "ar-EG", "uz-Latn"]);
    for tag in tags {
        all.insert(tag.to_string(), formats(tag));
    }
    let path = scratch("cldr").join("formats.json");
    std::fs::write(&path, serde_json::to_string_pretty(&all).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cldr/check.py"))
        .arg(&path)
        .output()
        .expect("python3 runs (tests/run installs babel)");
    let _ = std::fs::remove_file(&path);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("25 locales, 0 disagreements"), "{text}");
}
