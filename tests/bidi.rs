//! Mixed-direction lines read back in logical order. Briefs of our own, in a
//! left-to-right and a right-to-left language, each line a phrase mixing
//! Hebrew or Arabic with Latin names, numbers and brackets, are built and read
//! back by three extractors (poppler's `pdftotext`, PyMuPDF, pdf.js); Typst's
//! PDF of the same phrases in the same fonts is read back the same way in the
//! same run (PyPI `typst`, installed by `tests/run`). Every phrase an
//! extractor reads whole from Typst's PDF it must read whole from brief's:
//! known misses are measured against it, not pinned by hand.

#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::{Path, PathBuf};

/// Hebrew and Arabic with Latin names, numbers and brackets in both directions.
const PHRASES: [&str; 10] = [
    "the field לוויתן (Leviathan) holds",
    "Israel (ישראל) and Jordan (الأردن) attend",
    "Great Sea Interconnector (Ελλάδα – Κύπρος – ישראל)",
    "the EastMed (מזרח הים התיכון) pipeline",
    "הסחר בין ישראל לירדן הגיע ל-450 מיליון דולר",
    "שר החוץ Eli Cohen נפגש עם השגריר",
    "(עלייה של 8%) בשנת 2025",
    "المرحلة الأولى (Phase 1) من المشروع",
    "وزارة الخارجية (MFA) في عمّان",
    "النمو بنسبة 5٪ في عام 2025",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> PathBuf {
    root().join("target/test-venv/bin/python")
}

/// What an extractor reads from a PDF, bidi marks dropped and whitespace runs
/// made one space (pdftotext wraps right-to-left runs in embeddings).
fn read(extractor: &str, pdf: &Path) -> String {
    let path = pdf.to_str().unwrap();
    let scripts = root().join("tests/scripts");
    let text = match extractor {
        "pdftotext" => tool("pdftotext", &[path, "-"]),
        "PyMuPDF" => {
            let script = scripts.join("pymupdf-text.py");
            tool(python().to_str().unwrap(), &[script.to_str().unwrap(), path])
        }
        _ => tool("node", &[scripts.join("pdfjs-text.mjs").to_str().unwrap(), path]),
    };
    normal(&text)
}

fn normal(text: &str) -> String {
    let bare: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// brief's PDF of the phrases, one paragraph each, in `language`.
fn brief_pdf(dir: &Path, language: &str) -> PathBuf {
    let body: String = PHRASES.iter().map(|p| format!("  {p}\n\n")).collect();
    let source = format!(
        "brief:\n  title: Mixed lines\n  date: 2021-07-05\n  language: {language}\n\
         meeting:\n  kind: Call\n  date: 2021-07-05\n  parties:\n    - country: Israel\n    - country: Jordan\n\
         background: |\n{body}"
    );
    let yaml = dir.join(format!("mixed-{language}.yaml"));
    std::fs::write(&yaml, source).unwrap();
    let pdf = dir.join(format!("mixed-{language}.pdf"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", yaml.to_str().unwrap(), "-o", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    pdf
}

/// Typst's PDF of the same phrases in the same fonts and direction.
fn typst_pdf(dir: &Path, language: &str) -> PathBuf {
    typst_of(dir, language, &PHRASES, language)
}

/// Typst's PDF of `phrases`, one paragraph each, named after `name`.
fn typst_of(dir: &Path, language: &str, phrases: &[&str], name: &str) -> PathBuf {
    let body: String = phrases
        .iter()
        .map(|p| {
            // Typst's markup characters, escaped.
            let escaped: String = p
                .chars()
                .flat_map(|c| {
                    let special = "\\#*_`$<>@=-+/[]~'\"".contains(c);
                    special.then_some('\\').into_iter().chain([c])
                })
                .collect();
            format!("{escaped}\n\n")
        })
        .collect();
    let source = format!(
        "#set page(width: 17cm, height: auto, margin: 1cm)\n\
         #set text(font: (\"Noto Sans\", \"Noto Sans Hebrew\", \"Noto Sans Arabic\"), size: 10pt, lang: \"{language}\")\n{body}"
    );
    let typ = dir.join(format!("typst-{name}.typ"));
    std::fs::write(&typ, source).unwrap();
    let pdf = dir.join(format!("typst-{name}.pdf"));
    let script = format!(
        "import typst; typst.compile({:?}, output={:?}, font_paths=[{:?}])",
        typ.to_str().unwrap(),
        pdf.to_str().unwrap(),
        root().join("fonts").to_str().unwrap()
    );
    tool(python().to_str().unwrap(), &["-c", &script]);
    pdf
}

#[test]
fn mixed_direction_phrases_read_back_at_least_as_well_as_from_typst() {
    let dir = std::env::temp_dir().join(format!("brief-bidi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut report = Vec::new();
    let mut worse = Vec::new();
    for language in ["en", "he"] {
        let ours = brief_pdf(&dir, language);
        let theirs = typst_pdf(&dir, language);
        for extractor in ["pdftotext", "PyMuPDF", "pdf.js"] {
            let (a, b) = (read(extractor, &ours), read(extractor, &theirs));
            let mut whole = (0, 0);
            for phrase in PHRASES {
                let (in_ours, in_theirs) = (a.contains(phrase), b.contains(phrase));
                whole.0 += usize::from(in_ours);
                whole.1 += usize::from(in_theirs);
                if in_theirs && !in_ours {
                    worse.push(format!("{language} {extractor}: {phrase:?}\n  brief: {a}"));
                }
            }
            report.push(format!(
                "{language} {extractor}: brief {}/{n}, Typst {}/{n}",
                whole.0,
                whole.1,
                n = PHRASES.len()
            ));
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(worse.is_empty(), "{}\n{}", report.join("\n"), worse.join("\n"));
    if std::env::var_os("BRIEF_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The mixed-direction phrases of an example: its values (one a line) that
/// hold Hebrew or Arabic letters and Latin letters, digits or brackets, cut
/// at sentence ends, short enough to stay on one line of the page.
fn mixed_phrases(source: &str) -> Vec<String> {
    let rtl = |c: char| matches!(c, '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}');
    let other = |c: char| c.is_ascii_alphanumeric() || "()[]".contains(c);
    let mut out = Vec::new();
    for line in source.lines() {
        let value = line.trim().trim_start_matches("- ").trim();
        let value = match value.split_once(": ") {
            Some((key, rest)) if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') => rest,
            _ => value,
        };
        let value = value.trim_matches('"');
        for phrase in value.split_inclusive(['.', '،']).map(str::trim) {
            let n = phrase.chars().count();
            if (8..=60).contains(&n) && phrase.chars().any(rtl) && phrase.chars().any(other) {
                out.push(phrase.to_string());
            }
        }
    }
    out
}

#[test]
fn every_example_s_mixed_phrases_read_back_at_least_as_well_as_from_typst() {
    let dir = std::env::temp_dir().join(format!("brief-bidi-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("briefs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    let (mut report, mut worse, mut measured) = (Vec::new(), Vec::new(), 0);
    for source in examples {
        let text = std::fs::read_to_string(&source).unwrap();
        let phrases = mixed_phrases(&text);
        if phrases.is_empty() {
            continue;
        }
        let stem = source.file_stem().unwrap().to_str().unwrap().to_string();
        let language =
            brief::check(&stem, text.as_bytes(), &env).unwrap().value.brief.language.clone();
        let ours = dir.join(format!("{stem}.pdf"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["build", source.to_str().unwrap(), "-o", ours.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
        let primary = language.split('-').next().unwrap_or("en").to_string();
        let theirs = typst_of(&dir, &primary, &refs, &stem);
        for extractor in ["pdftotext", "PyMuPDF", "pdf.js"] {
            let (a, b) = (read(extractor, &ours), read(extractor, &theirs));
            let mut whole = (0, 0);
            for phrase in &phrases {
                let phrase = normal(phrase);
                let (in_ours, in_theirs) = (a.contains(&phrase), b.contains(&phrase));
                whole.0 += usize::from(in_ours);
                whole.1 += usize::from(in_theirs);
                if in_theirs && !in_ours {
                    worse.push(format!("{stem} {extractor}: {phrase:?}"));
                }
            }
            measured += phrases.len();
            report.push(format!(
                "{stem} {extractor}: brief {}/{n}, Typst {}/{n}",
                whole.0,
                whole.1,
                n = phrases.len()
            ));
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(measured >= 30, "only {measured} phrases measured: {report:?}");
    // Each known miss must still miss (a fix shows up here and the entry
    // goes), and nothing else may be worse than Typst.
    let known: Vec<String> = WORSE_THAN_TYPST.iter().map(|s| s.to_string()).collect();
    assert_eq!(worse, known, "{}", report.join("\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Where brief's PDF reads back worse than Typst's: a left-to-right line
/// (an outcome, a chart's note) that starts with Hebrew or Arabic and ends
/// in a bracket it closes. pdftotext puts the closing bracket before the
/// run (`)מחקר היתכנות לקו ההולכה (שלב ב׳`); pdf.js and PyMuPDF read them
/// no worse than Typst's. The same before and after /ReversedChars.
const WORSE_THAN_TYPST: &[&str] = &[
    "gr-il-jo-2026-10-07 pdftotext: \"מחקר היתכנות לקו ההולכה (שלב ב׳)\"",
    "gr-il-jo-2026-10-07 pdftotext: \"أرقام توضيحية (غير رسمية)\"",
];
