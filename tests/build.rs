//! `brief build` end to end, checked with real PDF tools (qpdf, poppler).

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, scratch};

#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::Path;

#[path = "common/long.rs"]
mod long;

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";

fn build_to(source: &str, out: &Path) -> Vec<u8> {
    let o = brief(&["build", source, "-o", out.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(out).unwrap()
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap()
}

fn page_texts(pdf: &Path) -> Vec<String> {
    tool::page_texts(pdf, &["-layout"])
}

#[test]
fn example_is_a_valid_small_two_page_note() {
    let dir = scratch("example");
    let out = dir.join("az-kg.pdf");
    let bytes = build_to(EXAMPLE, &out);
    let path = out.to_str().unwrap();
    tool("qpdf", &["--check", path]);
    assert_eq!(pages(&out), 2);
    assert!(bytes.len() < 35 * 1024, "{} bytes", bytes.len());
    let fonts = tool("pdffonts", &[path]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains('+'), "subset name: {row}");
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
    }
    let all = tool("pdftotext", &[path, "-"]);
    for needle in [
        "Ali Asadov",
        "Ruslan Kazakbaev",
        "Page 1 of 2",
        "Page 2 of 2",
        "Baku–Bishkek",
        "ECA/2021/0705-KG",
    ] {
        assert!(all.contains(needle), "missing {needle}");
    }
    let texts = page_texts(&out);
    assert_eq!(texts.len(), 2);
    for (page, text) in (1..).zip(&texts) {
        assert_eq!(text.matches("OFFICIAL").count(), 2, "marking top and bottom of page {page}");
    }
}

#[test]
fn every_script_comes_back_out_of_the_pdf() {
    let dir = scratch("scripts");
    for (source, names) in [
        ("briefs/tr-gr-2026-05-20.yaml", vec!["İ", "ş", "ğ", "Γ"]),
        ("briefs/kz-de-2026-03-12-draft.yaml", vec!["Қ", "ұ", "і", "ENTWURF", "Seite 1 von"]),
    ] {
        // One file per source: a PDF recorded for another source is never replaced (issue 24).
        let out = dir.join(format!("x-{}.pdf", &source[7..12]));
        build_to(source, &out);
        tool("qpdf", &["--check", out.to_str().unwrap()]);
        let text = tool("pdftotext", &[out.to_str().unwrap(), "-"]);
        for n in names {
            assert!(text.contains(n), "{source}: {n} missing");
        }
    }
}

#[test]
fn output_is_byte_identical_and_honours_source_date_epoch() {
    let dir = scratch("determinism");
    let a = dir.join("a.pdf");
    let run = |out: &Path, epoch: Option<&str>| {
        let o = brief(&["build", EXAMPLE, "-o", out.to_str().unwrap()], epoch);
        assert!(o.status.success());
        std::fs::read(out).unwrap()
    };
    let first = run(&a, None);
    assert_eq!(first, run(&a, None), "two runs differ");
    let stamped = run(&a, Some("1700000000"));
    assert_ne!(first, stamped, "SOURCE_DATE_EPOCH ignored");
    assert_eq!(stamped, run(&a, Some("1700000000")));
    let info = tool("pdfinfo", &[a.to_str().unwrap()]);
    assert!(info.contains("2023"), "creation date from SOURCE_DATE_EPOCH: {info}");
}

#[test]
fn a_brief_builds_the_same_alone_and_in_a_batch() {
    let dir = scratch("batch");
    let together = dir.join("together");
    let o = brief(&["build", "briefs", "-o", together.to_str().unwrap()], Some("0"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<_> = std::fs::read_dir(&together)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".pdf"))
        .collect();
    names.sort();
    let sources: Vec<String> = std::fs::read_dir("briefs")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    assert_eq!(names.len(), sources.len());
    for source in &sources {
        let alone = dir.join("alone");
        let o = brief(&["build", source, "-o", alone.to_str().unwrap()], Some("0"));
        assert!(o.status.success());
        let file = std::fs::read_dir(&alone)
            .unwrap()
            .map(|e| e.unwrap())
            .find(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
            .unwrap();
        let same = std::fs::read(together.join(file.file_name())).unwrap();
        assert_eq!(std::fs::read(file.path()).unwrap(), same, "{source}");
        std::fs::remove_dir_all(&alone).unwrap();
    }
    for name in names {
        let name = name.to_string_lossy().into_owned();
        assert!(name.is_ascii() && name.ends_with(".pdf") && !name.contains(' '), "{name}");
    }
}

#[test]
fn a_failed_build_leaves_nothing_and_keeps_the_good_file() {
    let dir = scratch("atomic");
    let out = dir.join("note.pdf");
    let good = build_to(EXAMPLE, &out);
    let o =
        brief(&["build", "tests/fixtures/bad/bad-date.yaml", "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&out).unwrap(), good);
    // The folder's state and its lock record what brief wrote (issue 24).
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| !n.to_string_lossy().starts_with(".brief-state."))
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn a_bad_brief_in_a_batch_does_not_stop_the_others() {
    let dir = scratch("mixed");
    let o = brief(
        &["build", "tests/fixtures/bad/one-party.yaml", EXAMPLE, "-o", dir.to_str().unwrap()],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("at least two parties"), "{stderr}");
    let pdfs = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".pdf"));
    assert_eq!(pdfs.count(), 1);
}

#[test]
fn a_character_no_font_covers_is_an_error_naming_it() {
    let dir = scratch("glyph");
    // Chinese, Arabic and symbols are drawn now; emoji and hieroglyphs are
    // not, and each is reported at its own line and column, in source
    // order, also inside a block scalar.
    let text = std::fs::read_to_string("tests/fixtures/good/minimal.yaml").unwrap().replacen(
        "title: ",
        "title: 北京 → عمان 😀 ",
        1,
    ) + "background: |\n  First line.\n  Second 𓀀 line with 😀 twice.\n";
    let src = dir.join("emoji.yaml");
    std::fs::write(&src, &text).unwrap();
    let o =
        brief(&["build", src.to_str().unwrap(), "-o", dir.join("x.pdf").to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let title_line = text.lines().position(|l| l.contains("北京")).unwrap() + 1;
    let block_line = text.lines().position(|l| l.contains("Second")).unwrap() + 1;
    let col = |line: usize, c: char| {
        text.lines().nth(line - 1).unwrap().chars().position(|x| x == c).unwrap() + 1
    };
    let expected = [
        format!("emoji.yaml:{title_line}:{}", col(title_line, '😀')),
        format!("emoji.yaml:{block_line}:{}", col(block_line, '𓀀')),
        format!("emoji.yaml:{block_line}:{}", col(block_line, '😀')),
    ];
    let mut at = 0;
    for place in &expected {
        let found = stderr[at..].find(place.as_str());
        assert!(found.is_some(), "{place} (in order) missing from:\n{stderr}");
        at += found.unwrap_or(0) + 1;
    }
    assert!(stderr.contains("U+1F600") && stderr.contains("U+13000"), "{stderr}");
    assert!(stderr.contains("brief.title") && stderr.contains("background"), "{stderr}");
    assert!(!stderr.contains("`北`") && !stderr.contains("`→`"), "{stderr}");
    assert!(!dir.join("x.pdf").exists());
}

/// A brief long enough for twenty pages: long background, sixty outcomes.
fn long_brief() -> String {
    long::long_brief(&std::fs::read_to_string(EXAMPLE).unwrap())
}

#[test]
fn a_long_brief_paginates_cleanly() {
    let dir = scratch("long");
    let src = dir.join("long.yaml");
    std::fs::write(&src, long_brief()).unwrap();
    let out = dir.join("long.pdf");
    build_to(src.to_str().unwrap(), &out);
    tool("qpdf", &["--check", out.to_str().unwrap()]);
    let n = pages(&out);
    assert!(n >= 18, "{n} pages");
    let mut table_pages = 0;
    let texts = page_texts(&out);
    assert_eq!(texts.len(), n);
    for (page, text) in (1..).zip(&texts) {
        let body: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert!(body.len() > 6, "page {page} is (nearly) empty: {body:?}");
        // No heading stranded at the foot: the last body line before the footer is not a heading.
        let footer_at =
            body.iter().rposition(|l| l.contains(&format!("Page {page} of {n}"))).unwrap();
        let last = body[footer_at - 1];
        assert!(
            !["Agreed measures", "Background", "Sources", "Risks and difficult questions"]
                .contains(&last),
            "page {page} ends with heading {last}"
        );
        if text.contains("Measure 3") || text.contains("Measure 4") {
            table_pages += 1;
        }
        if body.iter().any(|l| l.starts_with("Measure ") && l.contains(", which")) {
            assert!(
                body.iter().any(|l| l.starts_with("Measure") && l.contains("Owner")),
                "page {page}: table rows without the header row"
            );
        }
    }
    assert!(table_pages >= 1);
}

#[test]
fn charts_are_vector_graphics_with_real_text() {
    let dir = scratch("charts");
    let out = dir.join("note.pdf");
    build_to("briefs/kz-de-2026-03-12-draft.yaml", &out);
    let images = tool("pdfimages", &["-list", out.to_str().unwrap()]);
    assert_eq!(images.lines().count(), 2, "no raster images, only the header: {images}");
    let text = tool("pdftotext", &[out.to_str().unwrap(), "-"]);
    // The title wraps balanced: its words, not where its lines break.
    for needle in
        ["Bergbau zieht die meisten", "Investitionen an", "Mio. EUR", "Energie", "2021", "Quelle"]
    {
        assert!(text.contains(needle), "{needle} missing from the chart text");
    }
    let o =
        brief(&["charts", "briefs/kz-de-2026-03-12-draft.yaml", "-o", dir.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svgs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".svg"))
        .collect();
    assert_eq!(svgs.len(), 6, "one file per figure");
    let svg = std::fs::read_to_string(dir.join("investitionen-sektor.svg")).unwrap();
    assert!(svg.contains("<text") && svg.contains("Bergbau"));
}

#[test]
fn the_diagnostic_cap_holds_per_file_and_shows_the_error() {
    let dir = scratch("cap");
    // Sixty warnings from checking, and an error only building finds.
    let mut text = std::fs::read_to_string("tests/fixtures/good/minimal.yaml").unwrap().replacen(
        "  date: 2021-07-05\n",
        "  date: 2021-07-05\n  template: no-such-template\n",
        1,
    );
    text.push_str("outcomes:\n");
    for i in 0..60 {
        text.push_str(&format!("  - text: Outcome {i}\n    status: agreed\n    due: 2020-01-01\n"));
    }
    let src = dir.join("many.yaml");
    std::fs::write(&src, text).unwrap();
    let out = dir.join("out");
    let o = brief(
        &["build", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--color", "never"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let shown =
        stderr.lines().filter(|l| l.starts_with("warning:") || l.starts_with("error:")).count();
    assert_eq!(shown, 50, "{stderr}");
    assert!(stderr.contains("unknown template"), "{stderr}");
    assert!(stderr.contains("… and 11 more problems in"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_symlink() {
    let dir = scratch("new-link");
    let victim = dir.join("victim.yaml");
    let link = dir.join("starter.yaml");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let o = brief(&["new", link.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2), "a link, even dangling, is a file that exists");
    assert!(!victim.exists());
    std::fs::write(&victim, "precious").unwrap();
    let o = brief(&["new", link.to_str().unwrap(), "--force"], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
}

#[test]
fn send_attaches_only_the_pdf_built_from_this_source() {
    let dir = scratch("send-digest");
    let example = std::fs::read_to_string(EXAMPLE).unwrap();
    let (a, b) = (dir.join("a.yaml"), dir.join("b.yaml"));
    std::fs::write(&a, &example).unwrap();
    std::fs::write(&b, example.replace("Ruslan Kazakbaev", "Ruslan Kazakbayev")).unwrap();
    let out = dir.join("out");
    let other = dir.join("other");
    let o = brief(&["build", a.to_str().unwrap(), "-o", out.to_str().unwrap()], Some("0"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = brief(&["build", b.to_str().unwrap(), "-o", other.to_str().unwrap()], Some("0"));
    assert!(o.status.success());
    let send = |src: &Path| {
        brief(&["send", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--dry-run"], Some("0"))
    };
    let ok = send(&a);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    // b was never built into out: its name alone would find a's PDF there.
    let o = send(&b);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    // b's PDF, under a's name: the name matches, the digest does not.
    let name = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";
    std::fs::copy(other.join(name), out.join(name)).unwrap();
    let o = send(&a);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("SHA-256") && !stderr.contains("would send"), "{stderr}");
}

#[test]
fn one_pdf_named_for_several_products_is_refused_not_made_a_folder() {
    let dir = scratch("allp");
    let out = dir.join("note.pdf");
    let o = brief(&["build", EXAMPLE, "--all-products", "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("3 products make 3 PDFs"), "{stderr}");
    assert!(!out.exists(), "no folder or file named note.pdf");
}
