//! `brief languages`: every supported language listed, a tag resolved or refused.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, parts};

#[path = "common/tool.rs"]
mod tool;

#[test]
fn lists_every_language_with_its_direction_and_a_cldr_date() {
    let (code, out, err) = parts(&brief(&["languages"], None));
    assert_eq!(code, 0, "{err}");
    for l in brief::locale::LANGUAGES {
        let line = out.lines().find(|line| line.starts_with(&format!("{:<4}", l.code)));
        let line = line.unwrap_or_else(|| panic!("{} missing: {out}", l.code));
        assert!(line.contains(l.name) && line.contains(l.native), "{line}");
    }
    assert!(out.lines().any(|l| l.starts_with("ky") && l.contains("дүйшөмбү")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("ar") && l.contains("rtl")), "{out}");
}

#[test]
fn a_tag_is_resolved_or_refused_with_the_list() {
    let (code, out, err) = parts(&brief(&["languages", "pt-BR"], None));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("pt-BR: wording of pt (Portuguese), formats of pt-BR"), "{out}");
    let (code, _, err) = parts(&brief(&["languages", "--color", "never", "kg"], None));
    assert_eq!(code, 1);
    assert!(err.contains("`kg` is not a supported language"), "{err}");
    assert!(err.contains("ky (Kyrgyz)") && err.contains("did you mean `ky`?"), "{err}");
}

/// Every language either comes out of the PDF as written (its heading
/// wording and CLDR's date are found by pdftotext, so no glyph is a blank
/// box) or is refused before a PDF is made, naming the script.
#[test]
fn every_language_is_drawn_or_refused_never_printed_as_boxes() {
    let dir = std::env::temp_dir().join(format!("brief-test-langs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/briefs/az-kg-2021-07-05.yaml"
    ))
    .unwrap();
    let (mut drawn, mut refused) = (Vec::new(), Vec::new());
    for l in brief::locale::LANGUAGES {
        let source = dir.join(format!("{}.yaml", l.code));
        std::fs::write(
            &source,
            example.replace("language: en-GB", &format!("language: {}", l.code)),
        )
        .unwrap();
        let pdf = dir.join(format!("{}.pdf", l.code));
        let (code, _, err) = parts(&brief(
            &["build", "--color", "never", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
            None,
        ));
        if code == 0 {
            let text = tool::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
            let agenda = brief::locale::label("Agenda", l.code).unwrap();
            let date = brief::locale::long_date(
                chrono::NaiveDate::from_ymd_opt(2021, 7, 5).unwrap(),
                l.code,
            );
            // pdftotext breaks lines and writes no-break spaces as spaces.
            let flat = |t: &str| {
                t.split(|c: char| c.is_whitespace())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let text = flat(&text);
            if brief::locale::dir(l.code) == brief::locale::Dir::Rtl {
                // pdftotext writes a mixed right-to-left line in its own
                // order (visual, with embedding marks): every word must be
                // there, the order is checked by pdf.js in tests/verify.rs.
                let bare = |t: &str| -> String {
                    t.chars().filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '،' | ',')).collect()
                };
                let text = bare(&text);
                for word in bare(agenda).split_whitespace().chain(bare(&date).split_whitespace()) {
                    assert!(text.contains(word), "{}: `{word}` of {agenda} / {date}", l.code);
                }
            } else {
                assert!(
                    text.contains(&flat(agenda)) && text.contains(&flat(&date)),
                    "{}: {agenda} / {date}",
                    l.code
                );
            }
            drawn.push(l.code);
        } else {
            assert!(err.contains("the bundled fonts cannot draw"), "{}: {err}", l.code);
            assert!(!pdf.exists(), "{}: a PDF was left", l.code);
            refused.push(l.code);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // Every supported language is drawn: its script has a bundled face.
    assert!(refused.is_empty(), "refused: {refused:?}");
    assert_eq!(drawn.len(), brief::locale::LANGUAGES.len());
}
