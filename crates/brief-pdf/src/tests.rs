//! Tests for the PDF writer: validity (qpdf), fonts (pdffonts), text
//! extraction (pdftotext), determinism, size, and a rendering for review.

use std::path::PathBuf;
use std::process::Command;

use super::write;
use brief_core::frame::{
    Bookmark, Document, FontStyle, Item, Meta, Page, Path, Rgb, Seg, Stroke, TextRun,
};
use brief_core::text::FontBook;

const W: f32 = 595.28;
const H: f32 = 841.89;

fn run(x: f32, y: f32, font: FontStyle, size: f32, text: &str) -> Item {
    let glyphs = FontBook::builtin().shape(font, size, text);
    Item::Text(TextRun { x, y, font, size, color: Rgb(20, 30, 60), glyphs })
}

/// A two-page document exercising every item kind and all four faces.
fn sample(title: &str) -> Document {
    let mut p1 = vec![
        run(72.0, 90.0, FontStyle::Bold, 20.0, title),
        run(72.0, 130.0, FontStyle::Regular, 12.0, "Ali Asadov"),
        run(72.0, 150.0, FontStyle::Regular, 12.0, "Руслан Казакбаев"),
        run(72.0, 170.0, FontStyle::Italic, 12.0, "Əli İsgəndərov"),
        run(72.0, 190.0, FontStyle::BoldItalic, 12.0, "AVATAR office Kyrgyzstan"),
    ];
    let mut rect = Path::rect(72.0, 220.0, 200.0, 80.0).filled(Rgb(200, 60, 40));
    rect.fill_alpha = 0.5;
    rect.stroke = Some(Stroke { color: Rgb(0, 0, 0), width: 2.0, dash: Vec::new() });
    p1.push(Item::Path(rect));
    let mut dashed = Path::line(72.0, 320.0, 520.0, 320.0);
    dashed.stroke = Some(Stroke { color: Rgb(0, 90, 160), width: 1.5, dash: vec![6.0, 3.0] });
    p1.push(Item::Path(dashed));
    let curve = Path {
        segs: vec![
            Seg::Move(300.0, 300.0),
            Seg::Cubic(340.0, 220.0, 420.0, 220.0, 460.0, 300.0),
            Seg::Close,
        ],
        fill: Some(Rgb(40, 160, 80)),
        fill_alpha: 1.0,
        stroke: None,
    };
    p1.push(Item::Path(curve));
    let watermark = run(200.0, 500.0, FontStyle::Bold, 48.0, "DRAFT");
    p1.push(Item::Rotated { x: 200.0, y: 500.0, degrees: 45.0, items: vec![watermark] });
    p1.push(run(72.0, 620.0, FontStyle::Regular, 11.0, "example.org"));
    p1.push(Item::Link { x: 72.0, y: 608.0, w: 70.0, h: 15.0, url: "https://example.org/".into() });
    p1.push(run(W / 2.0 - 30.0, H - 36.0, FontStyle::Regular, 9.0, "Page 1 of 2"));
    let p2 = vec![
        run(72.0, 90.0, FontStyle::Bold, 16.0, "Details"),
        run(72.0, 120.0, FontStyle::Regular, 11.0, "Кыргызстан ң ө ү"),
        run(W / 2.0 - 30.0, H - 36.0, FontStyle::Regular, 9.0, "Page 2 of 2"),
    ];
    Document {
        pages: vec![
            Page { width: W, height: H, items: p1 },
            Page { width: W, height: H, items: p2 },
        ],
        bookmarks: vec![
            Bookmark { title: "Summary".into(), page: 0, level: 2, y: 100.0 },
            Bookmark { title: "Ərazi".into(), page: 0, level: 3, y: 300.0 },
            Bookmark { title: "Details".into(), page: 1, level: 2, y: 80.0 },
        ],
        meta: Meta {
            title: title.into(),
            author: "Ali Asadov".into(),
            subject: "Test".into(),
            keywords: vec!["a".into(), "b".into()],
            created: 1_700_000_000,
            language: "en".into(),
            ..Meta::default()
        },
        structure: Default::default(),
    }
}

/// A test's own folder for what it writes, removed when the test ends well
/// and kept after a failure, to look at.
struct OutDir(PathBuf);

fn out_dir(test: &str) -> OutDir {
    let dir = std::env::temp_dir().join(format!("brief-pdf-{test}-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    OutDir(dir)
}

impl OutDir {
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Runs a tool. A missing tool or a failing run fails the test: a check that
/// silently passes without its tool proves nothing (`tests/run` installs them).
fn tool(name: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {name} ({e}): `tests/run` installs qpdf and poppler-utils")
    });
    assert!(
        out.status.success(),
        "{name} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn sample_is_valid_and_extracts() {
    let dir = out_dir("sample");
    let bytes = write(&sample("Briefing note"), FontBook::builtin()).expect("write");
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let path = dir.join("sample.pdf");
    std::fs::write(&path, &bytes).expect("save");
    let p = path.to_str().expect("utf-8 path");
    let out = tool("qpdf", &["--check", p]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("WARNING"), "{text}");
    let out = tool("pdffonts", &[p]);
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "{text}");
    for row in rows {
        let name = row.split_whitespace().next().unwrap_or("");
        assert!(name.len() > 7 && name.as_bytes()[6] == b'+', "{row}");
        assert!(name[..6].bytes().all(|b| b.is_ascii_uppercase()), "{row}");
        assert!(name[7..].starts_with("NotoSans-"), "{row}");
        assert!(row.contains("yes yes yes"), "emb/sub/uni: {row}");
    }
    let out = tool("pdftotext", &["-layout", p, "-"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "Ali Asadov",
        "Руслан Казакбаев",
        "Əli İsgəndərov",
        "AVATAR office Kyrgyzstan",
        "Page 1 of 2",
        "Кыргызстан ң ө ү",
        "Page 2 of 2",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    let out = tool("pdftotext", &["-raw", p, "-"]);
    // pdftotext breaks diagonal text into one line per glyph.
    let squeezed: String = String::from_utf8_lossy(&out.stdout).split_whitespace().collect();
    assert!(squeezed.contains("DRAFT"), "{squeezed}");
    let out = tool("pdftotext", &["-bbox", p, "-"]);
    // The viewer's glyph positions match the shaper's (kerning, TJ fix-ups).
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.contains(">Kyrgyzstan<")).unwrap_or("");
    let x_max: f32 =
        line.split("xMax=\"").nth(1).and_then(|r| r.split('"').next()?.parse().ok()).unwrap_or(0.0);
    let width = FontBook::builtin().width(FontStyle::BoldItalic, 12.0, "AVATAR office Kyrgyzstan");
    assert!((x_max - (72.0 + width)).abs() < 0.01, "{x_max} vs {}", 72.0 + width);
    let out = tool("pdfinfo", &[p]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Producer:        brief"), "{text}");
    assert!(text.contains("Pages:           2"), "{text}");
    tool("pdftoppm", &["-r", "60", "-png", p, dir.join("sample").to_str().unwrap_or("sample")]);
}

#[test]
fn identical_bytes_in_any_order() {
    let book = FontBook::builtin();
    let a1 = write(&sample("Alpha"), book).expect("a");
    let b = write(&sample("Bravo"), book).expect("b");
    let a2 = write(&sample("Alpha"), book).expect("a again");
    assert_eq!(a1, a2);
    assert_ne!(a1, b);
}

#[test]
fn threads_share_fonts_and_agree() {
    let expected = write(&sample("Threads"), FontBook::builtin()).expect("write");
    let handles: Vec<_> = (0..3)
        .map(|_| std::thread::spawn(|| write(&sample("Threads"), FontBook::builtin()).ok()))
        .collect();
    for h in handles {
        assert_eq!(h.join().ok().flatten().as_ref(), Some(&expected));
    }
}

#[test]
fn only_used_faces_are_embedded() {
    let doc = Document {
        pages: vec![Page {
            width: W,
            height: H,
            items: vec![run(72.0, 72.0, FontStyle::Italic, 10.0, "only italic")],
        }],
        ..Document::default()
    };
    let bytes = write(&doc, FontBook::builtin()).expect("write");
    let dir = out_dir("italic");
    let path = dir.join("italic.pdf");
    std::fs::write(&path, &bytes).expect("save");
    let out = tool("pdffonts", &[path.to_str().unwrap_or("")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("NotoSans-Italic"), "{text}");
}

#[test]
fn bad_input_is_an_error_or_harmless() {
    let book = FontBook::builtin();
    assert!(write(&Document::default(), book).is_err());
    let mut bad_glyph = sample("x");
    if let Item::Text(t) = &mut bad_glyph.pages[0].items[0] {
        t.glyphs[0].gid = u16::MAX;
    }
    assert!(write(&bad_glyph, book).is_err());
    let mut odd = sample("y");
    odd.meta.created = i64::MAX;
    assert!(write(&odd, book).is_err());
    // Non-finite geometry and odd strokes are written as something valid.
    let items = vec![
        Item::Path(Path {
            segs: vec![
                Seg::Line(f32::NAN, 1.0),
                Seg::Close,
                Seg::Cubic(1.0, 2.0, 3.0, 4.0, 5.0, f32::INFINITY),
            ],
            fill: Some(Rgb::BLACK),
            fill_alpha: f32::NAN,
            stroke: Some(Stroke { color: Rgb::WHITE, width: -3.0, dash: vec![-1.0, 0.0] }),
        }),
        Item::Link { x: 0.0, y: 0.0, w: 0.0, h: 0.0, url: "x".into() },
        Item::Rotated { x: f32::NAN, y: 0.0, degrees: 10.0, items: vec![] },
    ];
    let doc = Document { pages: vec![Page { width: W, height: H, items }], ..Document::default() };
    let bytes = write(&doc, book).expect("odd geometry");
    let dir = out_dir("odd");
    let path = dir.join("odd.pdf");
    std::fs::write(&path, &bytes).expect("save");
    tool("qpdf", &["--check", path.to_str().unwrap_or("")]);
}

#[test]
fn a_glyph_standing_for_other_text_extracts_as_that_text() {
    // A pasted ﬁ (U+FB01) and a shaped "fi" ligature are one glyph; its
    // ToUnicode entry can only hold one of them.
    let text = "Literal \u{FB01} then the first finding";
    let doc = Document {
        pages: vec![Page {
            width: W,
            height: H,
            items: vec![run(72.0, 72.0, FontStyle::Regular, 11.0, text)],
        }],
        ..Document::default()
    };
    let glyphs = match &doc.pages[0].items[0] {
        Item::Text(t) => t.glyphs.clone(),
        _ => unreachable!(),
    };
    let ligature = glyphs.iter().find(|g| g.text == "\u{FB01}").map(|g| g.gid);
    assert!(
        glyphs.iter().any(|g| g.text == "fi" && Some(g.gid) == ligature),
        "the face sets ﬁ and fi with one glyph: {glyphs:?}"
    );
    let bytes = write(&doc, FontBook::builtin()).expect("write");
    let dir = out_dir("ligature");
    let path = dir.join("ligature.pdf");
    std::fs::write(&path, &bytes).expect("save");
    let out = tool("pdftotext", &[path.to_str().unwrap_or(""), "-"]);
    let extracted = String::from_utf8_lossy(&out.stdout);
    assert_eq!(extracted.trim(), text, "{extracted}");
}
