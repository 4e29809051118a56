//! The DOCX against independent readers, its own tier (`test = false`,
//! run by tests/run): LibreOffice (headless) converts every example's
//! document, every product, to PDF in one run; pdftotext reads back every
//! word of the source and the marking on every page; python-docx reads the
//! styles and the repeated header rows.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, scratch};
#[path = "common/tool.rs"]
mod tool;
use tool::page_texts;

use std::path::{Path, PathBuf};
use std::process::Command;

const EPOCH: &str = "1625097600";

/// Every example built as DOCX, every product, into `dir`.
fn build_all(dir: &Path) -> Vec<PathBuf> {
    brief_ok(
        &["build", "briefs", "--all-products", "--format", "docx", "-o", dir.to_str().unwrap()],
        Some(EPOCH),
    );
    let mut docs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    docs.sort();
    docs
}

/// The words of a text as compared: letters and digits only, lower case,
/// digits apart from letters (a bidi reorder sets `و600` as `600و`), Arabic
/// vowel marks left out (extractors drop or move them).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let kept: String =
        text.chars().filter(|c| !matches!(c, '\u{64b}'..='\u{65f}' | '\u{670}')).collect();
    for word in kept.split(|c: char| !c.is_alphanumeric()) {
        let mut chunk = String::new();
        for c in word.chars() {
            if chunk.chars().last().is_some_and(|l| l.is_ascii_digit() != c.is_ascii_digit()) {
                out.push(std::mem::take(&mut chunk));
            }
            chunk.push(c);
        }
        out.push(chunk);
    }
    out.into_iter().filter(|w| w.chars().count() > 1).map(|w| w.to_lowercase()).collect()
}

/// The words of every field the briefing note prints as text: the model's
/// strings, less what is printed transformed (dates, enumerations, codes)
/// or drawn (a chart's categories and series, in its picture and its
/// description).
fn source_words(source: &Path) -> Vec<String> {
    let bytes = std::fs::read(source).unwrap();
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(1));
    let checked = brief::check("x.yaml", &bytes, &env).unwrap();
    let value = brief::diff::origin::value(&checked.value);
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        const SKIP: [&str; 17] = [
            "date",
            "as_of",
            "time",
            "due",
            "status",
            "language",
            "template",
            "format",
            "id",
            "kind",
            "categories",
            "series",
            "values",
            "lead",
            "code",
            "alt",
            "classification",
        ];
        if SKIP.contains(&key) {
            return;
        }
        match v {
            // A markdown link's address is not printed, its text is.
            serde_json::Value::String(s) => {
                let mut text = s.clone();
                while let Some(at) = text.find("](") {
                    let end = text[at..].find(')').map_or(text.len(), |e| at + e + 1);
                    text.replace_range(at..end, "]");
                }
                out.extend(words(&text))
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, key, out)),
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    // `meeting.kind` is printed; a figure's `kind` is not.
                    let k =
                        if k == "kind" && map.contains_key("parties") { "meeting_kind" } else { k };
                    walk(v, k, out)
                }
            }
            _ => {}
        }
    }
    walk(&value, "", &mut out);
    out
}

#[test]
fn every_example_opens_in_libreoffice_and_keeps_every_word() {
    let dir = scratch("libreoffice");
    let docs = build_all(&dir);
    assert!(docs.len() >= 24, "{docs:?}");
    let pdfs = dir.join("pdf");
    // One soffice run for every document: starting LibreOffice costs seconds.
    let profile = format!("file://{}", dir.join("profile").display());
    let mut cmd = Command::new("timeout");
    cmd.args([
        "600",
        "soffice",
        &format!("-env:UserInstallation={profile}"),
        "--headless",
        "--norestore",
    ])
    .args(["--convert-to", "pdf", "--outdir", pdfs.to_str().unwrap()])
    .args(&docs);
    let out = cmd.output().expect("soffice is needed: run tests/run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for doc in &docs {
        let name = doc.file_stem().unwrap().to_string_lossy().into_owned();
        let pdf = pdfs.join(format!("{name}.pdf"));
        assert!(pdf.exists(), "LibreOffice did not convert {name}");
        let pages = page_texts(&pdf, &[]);
        let source = source_of(&name);
        // The marking, on every page.
        if let Some(marking) = classification(&source) {
            for (i, page) in pages.iter().enumerate() {
                let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(page.contains(&marking), "{name} page {}: no {marking}\n{page}", i + 1);
            }
        }
        if !name.ends_with("_briefing-note") {
            continue;
        }
        // Every word of the source, on some page.
        // In the order LibreOffice wrote the text: a table's cells one after
        // another, not interleaved line by line as on the page.
        // Read both ways: the raw order keeps a cell's words together, the
        // page order keeps an Arabic word's marks on its letters.
        let raw = page_texts(&pdf, &["-raw"]).join(" ");
        let all = format!("{} {raw}", pages.join(" "));
        let text: std::collections::HashSet<String> = words(&all).into_iter().collect();
        // pdftotext reads LibreOffice's lam-alef ligature (one glyph for لا)
        // back as ال: a word holding one is found in either spelling.
        let ligature =
            |w: &str| w.replace("لا", "ال").replace("لأ", "أل").replace("لإ", "إل").replace("لآ", "آل");
        // Lines of Chinese, Japanese and Korean break anywhere: such a word is
        // found in the text with its line breaks taken out.
        let joined: String =
            raw.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        let missing: Vec<String> = source_words(&source)
            .into_iter()
            .filter(|w| !text.contains(w) && !text.contains(&ligature(w)) && !joined.contains(w))
            .collect();
        assert!(missing.is_empty(), "{name}: words lost: {missing:?}");
    }
}

/// The marking a source's pages carry, as printed.
fn classification(source: &Path) -> Option<String> {
    let bytes = std::fs::read(source).unwrap();
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(1));
    let c = brief::check("x.yaml", &bytes, &env).unwrap();
    c.value.brief.classification.as_deref().map(brief::document::marking)
}

/// The source an output was built from: the output's name is the meeting's
/// date and the title's slug, so the source is found by building the names.
fn source_of(output: &str) -> PathBuf {
    for entry in std::fs::read_dir(cli::root().join("briefs")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(1));
        if let Ok(c) = brief::check("x.yaml", &bytes, &env) {
            let name = brief::output_name(&c.value);
            if output.starts_with(name.trim_end_matches(".pdf")) {
                return path;
            }
        }
    }
    panic!("no source for {output}")
}

#[test]
fn python_docx_reads_the_styles_and_the_header_rows() {
    let python = std::env::var("BRIEF_DOCX_PYTHON")
        .unwrap_or_else(|_| cli::root().join("target/docx-venv/bin/python").display().to_string());
    let dir = scratch("python-docx");
    let docs = build_all(&dir);
    let script = r#"
import sys, docx
from docx.oxml.ns import qn
for path in sys.argv[1:]:
    d = docx.Document(path)
    styles = sorted({p.style.name for p in d.paragraphs})
    heads = 0
    for t in d.tables:
        trPr = t.rows[0]._tr.trPr
        if trPr is not None and trPr.find(qn('w:tblHeader')) is not None:
            heads += 1
    print(path, '|', ';'.join(styles), '|', heads, '|', d.core_properties.title, '|', d.core_properties.language)
"#;
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(&docs)
        .output()
        .expect("python-docx is needed: run tests/run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), docs.len());
    for line in lines {
        let f: Vec<&str> = line.split(" | ").collect();
        assert!(f[1].contains("Title"), "{line}");
        if f[0].ends_with("_briefing-note.docx") {
            for style in ["Heading 1", "List Number", "List Bullet", "Caption"] {
                if style == "Caption" && !line.contains("az-kg") {
                    continue;
                }
                assert!(f[1].contains(style), "{style} in {line}");
            }
            let heads: usize = f[2].trim().parse().unwrap();
            assert!(heads >= 1, "a table with a repeated header row: {line}");
        }
        assert!(!f[3].trim().is_empty(), "title: {line}");
        assert!(!f[4].trim().is_empty(), "language: {line}");
    }
}

/// A document LibreOffice saved again: LibreOffice 7.4 keeps the content
/// controls but not their tags, so the review says it cannot trace the edits,
/// never that nothing changed.
#[test]
fn a_document_saved_by_libreoffice_without_its_tags_is_refused_plainly() {
    let dir = scratch("resaved");
    let source = dir.join("az-kg.yaml");
    std::fs::copy(cli::root().join("briefs/az-kg-2021-07-05.yaml"), &source).unwrap();
    let built = dir.join("az.docx");
    brief_ok(
        &["build", source.to_str().unwrap(), "--format", "docx", "-o", built.to_str().unwrap()],
        Some(EPOCH),
    );
    let profile = format!("file://{}", dir.join("profile").display());
    let out = Command::new("timeout")
        .args(["300", "soffice", &format!("-env:UserInstallation={profile}"), "--headless"])
        .args(["--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(dir.join("saved"))
        .arg(&built)
        .output()
        .expect("soffice is needed: run tests/run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved = dir.join("saved/az.docx");
    let run =
        cli::brief(&["review", saved.to_str().unwrap(), source.to_str().unwrap()], Some(EPOCH));
    let (code, stdout, stderr) = cli::parts(&run);
    let tags_kept = code != 2;
    if tags_kept {
        // A LibreOffice that keeps the tags: the round trip changes nothing.
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains("no changes to the source"), "{stdout}");
    } else {
        assert!(stderr.contains("lost the field each stands for"), "{stderr}");
    }
}
