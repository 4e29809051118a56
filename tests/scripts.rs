//! Every script a brief may use is drawn with real glyphs: each example brief,
//! laid out in every product, has no glyph id 0 (`.notdef`) standing for
//! text, and a sample of each script shapes in the face made for it.

use std::path::PathBuf;

use brief::frame::{Document, Item, TextRun};
use brief::text::FontBook;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env() -> brief::Env {
    brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0))
}

/// The frames layout makes of a source in a built-in product, and the book
/// they were set with.
fn laid_out(source: &std::path::Path, product: &str) -> (Document, &'static FontBook) {
    let env = env();
    let name = source.display().to_string();
    let bytes = std::fs::read(source).unwrap();
    let checked = brief::check(&name, &bytes, &env).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    let template = brief::render::Template::builtin(product).unwrap();
    let inputs = brief::render::Inputs { today: env.today, created: 0, paper: None };
    let rendered = brief::render::render(&template, &checked.value, &inputs).unwrap();
    let fonts = env.fonts.for_language(&checked.value.brief.language);
    let doc = brief::layout::layout(&rendered, fonts).unwrap_or_else(|e| panic!("{name}: {e}"));
    (doc, fonts)
}

fn runs<'a>(items: &'a [Item], out: &mut Vec<&'a TextRun>) {
    for item in items {
        match item {
            Item::Text(run) => out.push(run),
            Item::Rotated { items, .. }
            | Item::Tagged { items, .. }
            | Item::Artifact { items, .. } => runs(items, out),
            _ => {}
        }
    }
}

#[test]
fn no_example_brief_draws_a_notdef_glyph_in_any_product() {
    let sources = brief::collect_sources(&[root().join("briefs")]).unwrap().files;
    assert!(sources.len() >= 6, "{sources:?}");
    let mut glyphs = 0;
    let mut faces = std::collections::BTreeSet::new();
    for source in &sources {
        for (product, _, _) in brief::render::BUILTIN {
            let (doc, fonts) = laid_out(source, product);
            let mut all = Vec::new();
            for page in &doc.pages {
                runs(&page.items, &mut all);
            }
            for run in all {
                for g in &run.glyphs {
                    assert!(
                        g.gid != 0 || g.text.is_empty(),
                        "{source:?} {product}: .notdef for {:?} in {} (run {:?})",
                        g.text,
                        fonts.face_name(g.face),
                        run.text()
                    );
                    faces.insert(fonts.face_name(g.face).to_owned());
                    glyphs += 1;
                }
            }
        }
    }
    // The examples between them reach the fallback faces, not only Noto Sans.
    for face in [
        "Noto Sans CJK SC",
        "Noto Sans CJK JP",
        "Noto Sans CJK KR",
        "Noto Sans Georgian",
        "Noto Sans Hebrew",
        "Noto Sans Arabic",
        "Noto Sans Math",
        "Noto Sans Symbols 2",
    ] {
        assert!(faces.contains(face), "no example uses {face}: {faces:?}");
    }
    assert!(glyphs > 10_000, "{glyphs} glyphs");
}

/// Each script's sample, the language of the brief it is in, and the face
/// every one of its letters must be set in (or its bundled bold or italic,
/// `… Bold`: the same face).
const SAMPLES: &[(&str, &str, &str)] = &[
    ("ირაკლი ღარიბაშვილი", "en", "Noto Sans Georgian"),
    ("Նիկոլ Փաշինյան", "en", "Noto Sans Armenian"),
    ("בנימין נתניהו", "en", "Noto Sans Hebrew"),
    ("عبدالله بن زايد", "en", "Noto Sans Arabic"),
    ("پاکستان اردو", "en", "Noto Sans Arabic"),
    ("नरेन्द्र मोदी", "en", "Noto Sans Devanagari"),
    ("ประเทศไทย", "en", "Noto Sans Thai"),
    ("李强国务院", "en", "Noto Sans CJK SC"),
    ("臺灣總統府", "zh-Hant", "Noto Sans CJK TC"),
    ("香港特別行政區", "zh-HK", "Noto Sans CJK HK"),
    ("岸田文雄", "ja", "Noto Sans CJK JP"),
    ("윤석열 대통령", "en", "Noto Sans CJK KR"),
    ("ひらがな カタカナ", "en", "Noto Sans CJK JP"),
    ("→ ≤ ≥ ≈ −", "en", "Noto Sans Math"),
    ("✓ ✗ ☐ ☑ ■ ▲ ★", "en", "Noto Sans Symbols 2"),
    // Symbols 2 comes first in the chain and has ⚠ and ☢ too: these are
    // in Symbols only (its cmap: U+2624-262F, 2648, 2690-269D).
    ("☤ ♈ ⚐ ⚕", "en", "Noto Sans Symbols"),
];

#[test]
fn each_script_shapes_with_real_glyphs_in_its_own_face() {
    for (sample, language, face) in SAMPLES {
        let fonts = FontBook::builtin().for_language(language);
        for style in brief::FontStyle::ALL {
            let glyphs = fonts.shape(style, 11.0, sample);
            assert!(!glyphs.is_empty(), "{sample}");
            for g in &glyphs {
                assert_ne!(g.gid, 0, "{sample} {style:?}: .notdef for {:?}", g.text);
                // Spaces may stay in the face of the text around them.
                if g.text.trim().is_empty() {
                    continue;
                }
                let name = fonts.face_name(g.face);
                // The face itself or its bundled bold or italic, never another
                // face whose name it begins (Noto Sans Symbols 2 for Symbols).
                let style = name.strip_prefix(face);
                assert!(
                    style.is_some_and(|s| ["", " Bold", " Italic", " Bold Italic"].contains(&s)),
                    "{sample} {style:?}: {:?} set in {name}, not {face}",
                    g.text
                );
            }
            let back: String = glyphs.iter().map(|g| g.text.as_str()).collect::<Vec<_>>().concat();
            let mut back: Vec<char> = back.chars().collect();
            let mut want: Vec<char> = sample.chars().collect();
            back.sort_unstable();
            want.sort_unstable();
            assert_eq!(back, want, "{sample} {style:?}: every character stands for itself");
        }
    }
}

/// Whether a line needs a golden dump: it holds right-to-left or CJK text.
fn mixed(text: &str) -> bool {
    brief::text::has_rtl(text)
        || text.chars().any(|c| {
            matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}'
                | '\u{AC00}'..='\u{D7AF}' | '\u{FF00}'..='\u{FFEF}')
        })
}

/// Every line of `doc` with right-to-left or CJK text, one per output
/// line: page, baseline, then its runs in content-stream order, each as its
/// x, bidi level(s), faces and glyph texts in visual order (left to right).
fn dump_mixed_lines(doc: &Document, fonts: &FontBook) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (p, page) in doc.pages.iter().enumerate() {
        let mut all = Vec::new();
        runs(&page.items, &mut all);
        // Lines in reading order: runs of one baseline, kept in stream order.
        let mut lines: Vec<(f32, Vec<&TextRun>)> = Vec::new();
        for run in all {
            match lines.iter_mut().find(|(y, _)| (y - run.y).abs() < 0.05) {
                Some((_, line)) => line.push(run),
                None => lines.push((run.y, vec![run])),
            }
        }
        for (y, line) in lines {
            let text: String = line.iter().map(|r| r.text()).collect();
            if !mixed(&text) {
                continue;
            }
            let _ = write!(out, "p{} {y:6.1}:", p + 1);
            for run in line {
                let mut faces: Vec<&str> = Vec::new();
                let mut levels: Vec<u8> = Vec::new();
                for g in &run.glyphs {
                    let face = fonts.face_name(g.face).trim_start_matches("Noto Sans");
                    let face = if face.is_empty() { "Sans" } else { face.trim() };
                    if !faces.contains(&face) {
                        faces.push(face);
                    }
                    if !levels.contains(&g.level) {
                        levels.push(g.level);
                    }
                }
                let _ =
                    write!(out, " [{:.1} L{levels:?} {} {:?}]", run.x, faces.join("+"), run.text());
            }
            out.push('\n');
        }
    }
    out
}

/// Golden dumps of mixed-direction lines (Hebrew and Arabic names in English
/// sentences, numbers and brackets in right-to-left text) and CJK line
/// breaks (no closing punctuation at a line start, Korean broken at spaces).
#[test]
fn mixed_direction_and_cjk_lines_match_their_golden_dumps() {
    for name in ["cn-ge-2026-09-15", "gr-il-jo-2026-10-07", "jp-kr-2026-11-20"] {
        let source = root().join(format!("briefs/{name}.yaml"));
        let (doc, fonts) = laid_out(&source, "briefing-note");
        let dump = dump_mixed_lines(&doc, fonts);
        assert!(dump.lines().count() >= 10, "{name}: {dump}");
        insta::assert_snapshot!(name, dump);
    }
}

/// A combining mark whose letter's face lacks it is set in another face
/// (Noto Sans has them all), drawn over the letter as browsers do. That run
/// goes on from the letter: the shaper must not take it for the start of the
/// text and draw a dotted circle (◌) before the mark, a glyph that stands
/// for no character of its own; and as one dotted-circle glyph then stood
/// for every such mark, its ToUnicode entry was the first mark's, so
/// `한\u{308}` extracted as `한\u{323}` once a `\u{323}` came before.
#[test]
fn a_mark_after_a_letter_in_another_face_gets_no_dotted_circle() {
    let fonts = FontBook::builtin().for_language("en");
    for sample in [
        "한\u{308}",
        "日\u{323}",
        "ก\u{335}",
        "ა\u{323}",
        "ע\u{308}",
        "ب\u{335}",
        "क\u{334}",
        "Ա\u{20DD}",
    ] {
        for style in brief::FontStyle::ALL {
            let glyphs = fonts.shape(style, 11.0, sample);
            // Visual order: a right-to-left letter's mark comes first.
            let mut texts: Vec<&str> = glyphs.iter().map(|g| g.text.as_str()).collect();
            let mut want: Vec<String> = sample.chars().map(String::from).collect();
            texts.sort_unstable();
            want.sort_unstable();
            assert_eq!(texts, want, "{sample:?} {style:?}: one glyph per character, no ◌");
        }
    }
    // A mark that really opens the text still shows on its dotted circle.
    let lone = fonts.shape(brief::FontStyle::Regular, 11.0, "\u{308}");
    assert_eq!(lone.len(), 2, "a lone mark is drawn on ◌: {lone:?}");
}
