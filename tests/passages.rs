//! Passages in another language (`[words]{lang=tag}`), end to end: a brief
//! with Hebrew, Japanese, Serbian, Thai and Arabic passages is built, and
//! qpdf reads each back as a `Span` structure element with its `/Lang` under
//! its paragraph, the document's `/Lang` the brief's; poppler's pdftotext
//! reads every passage whole; the notation stays text where it is escaped
//! or where the field is plain; and `brief check` points at a bad tag.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, brief_ok, parts, scratch};
#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::collections::BTreeMap;

const FIXTURE: &str = "tests/fixtures/good/passages.yaml";

/// Every object of `pdf` as qpdf's JSON (version 2) gives it: id → value.
fn objects(pdf: &str) -> BTreeMap<String, serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&tool("qpdf", &["--json", pdf])).unwrap();
    let objects = json["qpdf"][1].as_object().expect("qpdf's objects").clone();
    objects
        .into_iter()
        .map(|(k, v)| (k.trim_start_matches("obj:").to_string(), v["value"].clone()))
        .collect()
}

/// Text with every white space (and the bidi marks pdftotext adds) removed:
/// a passage broken across lines reads as one.
fn bare(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}')
        })
        .collect()
}

#[test]
fn each_passage_is_a_span_with_its_language_and_reads_back_whole() {
    let dir = scratch("spans");
    let pdf = dir.join("passages.pdf");
    let pdf = pdf.to_str().unwrap();
    brief_ok(&["build", FIXTURE, "-o", pdf], Some("1625443200"));
    let objects = objects(pdf);
    let catalog = objects.values().find(|v| v["/Type"] == "/Catalog").expect("a catalog");
    assert_eq!(catalog["/Lang"], "u:en", "the document keeps the brief's language");
    let mut spans: Vec<(String, String)> = objects
        .values()
        .filter(|v| v["/S"] == "/Span")
        .map(|v| {
            let lang = v["/Lang"].as_str().unwrap_or_default().trim_start_matches("u:").to_string();
            let parent = v["/P"].as_str().unwrap_or_default().to_string();
            let parent = objects[&parent]["/S"].as_str().unwrap_or_default().to_string();
            // Marked content of its own: one MCID or several.
            assert!(
                v["/K"].is_i64()
                    || v["/K"].as_array().is_some_and(|k| k.iter().all(|k| k.is_i64())),
                "{v}"
            );
            (lang, parent)
        })
        .collect();
    spans.sort();
    let want = [("ar", "/P"), ("he", "/P"), ("ja", "/P"), ("sr-Cyrl", "/P"), ("th", "/P")];
    assert_eq!(spans, want.map(|(l, p)| (l.to_string(), p.to_string())));

    let text = bare(&tool("pdftotext", &[pdf, "-"]));
    for passage in [
        "שדה לוויתן",
        "日本と韓国の外相会談は東京で行われた。",
        "Београд, Подгорица и Скадар",
        "ประเทศไทยและจอร์เจียตกลงขยายความร่วมมือทางการค้า",
        "المرحلة الأولى من المشروع",
    ] {
        assert!(text.contains(&bare(passage)), "`{passage}` is not read back whole:\n{text}");
    }
    // The attribute itself is never printed…
    assert_eq!(text.matches("{lang=").count(), 2, "{text}");
    // …but where it is escaped, or in a plain field, the notation is text.
    assert!(text.contains(&bare("[Leviathan]{lang=he} is a plain title")), "{text}");
    assert!(text.contains(&bare("not marked: [Leviathan]{lang=he} stays")), "{text}");
}

#[test]
fn a_bad_language_tag_is_an_error_at_the_tag_with_a_suggestion() {
    let dir = scratch("bad-tag");
    let source = std::fs::read_to_string(cli::root().join(FIXTURE)).unwrap();
    for (tag, hint) in [("japanese", "did you mean `ja`?"), ("ja_JP", "did you mean `ja-JP`?")] {
        let yaml = dir.join(format!("{tag}.yaml"));
        std::fs::write(&yaml, source.replace("{lang=ja}", &format!("{{lang={tag}}}"))).unwrap();
        let yaml = yaml.to_str().unwrap();
        let (code, _, err) = parts(&brief(&["check", yaml], None));
        assert_eq!(code, 1, "{err}");
        // The line and column of the tag, in characters (the Japanese before it counts one each).
        let line = source.lines().position(|l| l.contains("{lang=ja}")).unwrap() + 1;
        let col = source
            .lines()
            .nth(line - 1)
            .unwrap()
            .split("{lang=ja}")
            .next()
            .unwrap()
            .chars()
            .count()
            + 7;
        assert!(err.contains(&format!("{yaml}:{line}:{col}")), "{err}");
        assert!(err.contains("summary") && err.contains(hint), "{err}");
        let pdf = dir.join(format!("{tag}.pdf"));
        let (code, ..) = parts(&brief(&["build", yaml, "-o", pdf.to_str().unwrap()], None));
        assert_eq!(code, 1);
        assert!(!pdf.exists(), "no partial file");
    }
}
