//! `brief review`: DOCX documents reviewed the way Word writes them (tracked
//! insertions and deletions with authors and dates, comments anchored to
//! ranges, a paragraph added outside any content control), made here by
//! editing the XML, taken back into the YAML source.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, parts, scratch};

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

const EPOCH: &str = "1625097600";

/// Builds `source` as DOCX into `dir`, returns its path.
fn docx(source: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("brief.docx");
    brief_ok(
        &["build", source.to_str().unwrap(), "--format", "docx", "-o", out.to_str().unwrap()],
        Some(EPOCH),
    );
    out
}

/// The parts of a DOCX, in order.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn rezip(path: &Path, parts: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The document XML of a DOCX edited by `edit`, comments added, written to `to`.
fn reviewed(
    from: &Path,
    to: &Path,
    edit: impl Fn(String) -> String,
    comments: &[(&str, &str, &str)],
) {
    let mut parts = unzip(from);
    for (name, bytes) in parts.iter_mut() {
        if name == "word/document.xml" {
            *bytes = edit(String::from_utf8(bytes.clone()).unwrap()).into_bytes();
        }
        if name == "[Content_Types].xml" && !comments.is_empty() {
            let text = String::from_utf8(bytes.clone()).unwrap().replace(
                "</Types>",
                "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/></Types>",
            );
            *bytes = text.into_bytes();
        }
        if name == "word/_rels/document.xml.rels" && !comments.is_empty() {
            let text = String::from_utf8(bytes.clone()).unwrap().replace(
                "</Relationships>",
                "<Relationship Id=\"rIdComments\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/></Relationships>",
            );
            *bytes = text.into_bytes();
        }
    }
    if !comments.is_empty() {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        for (id, author, text) in comments {
            xml.push_str(&format!("<w:comment w:id=\"{id}\" w:author=\"{author}\" w:date=\"2026-12-01T09:30:00Z\" w:initials=\"HD\"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>"));
        }
        xml.push_str("</w:comments>");
        parts.push(("word/comments.xml".into(), xml.into_bytes()));
    }
    rezip(to, &parts);
}

/// A tracked replacement, as Word writes it: the run holding `whole` split
/// around `old`, which becomes a deletion followed by an insertion of `new`
/// (an empty `old` inserts `new` before `at`).
fn track(doc: &str, whole: &str, old: &str, new: &str) -> String {
    let t = format!("<w:t xml:space=\"preserve\">{whole}</w:t></w:r>");
    let end = doc.find(&t).unwrap_or_else(|| panic!("no run {whole:?}")) + t.len();
    let start = doc[..end].rfind("<w:r>").unwrap();
    let run = &doc[start..end];
    let rpr = run.find("<w:rPr>").map(|i| &run[i..run.find("</w:rPr>").unwrap() + 8]).unwrap_or("");
    let at = whole.find(old).unwrap();
    let (before, after) = (&whole[..at], &whole[at + old.len()..]);
    let r = |text: &str| format!("<w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r>");
    let mut out = String::new();
    out.push_str(&r(before));
    if !old.is_empty() {
        out.push_str(&format!("<w:del w:id=\"901\" w:author=\"Head of Department\" w:date=\"2026-12-01T09:00:00Z\"><w:r>{rpr}<w:delText xml:space=\"preserve\">{old}</w:delText></w:r></w:del>"));
    }
    out.push_str(&format!("<w:ins w:id=\"902\" w:author=\"Head of Department\" w:date=\"2026-12-01T09:00:00Z\">{}</w:ins>", r(new)));
    out.push_str(&r(after));
    format!("{}{out}{}", &doc[..start], &doc[end..])
}

/// A comment anchored to the run holding `whole`.
fn comment_on(doc: &str, whole: &str, id: &str) -> String {
    let t = format!("<w:t xml:space=\"preserve\">{whole}</w:t></w:r>");
    let end = doc.find(&t).unwrap() + t.len();
    let start = doc[..end].rfind("<w:r>").unwrap();
    format!(
        "{}<w:commentRangeStart w:id=\"{id}\"/>{}<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>{}",
        &doc[..start],
        &doc[start..end],
        &doc[end..]
    )
}

/// A paragraph added, outside any control, after the control tagged `tag`.
fn paragraph_after(doc: &str, tag: &str, text: &str) -> String {
    let at = doc.find(&format!("<w:tag w:val=\"{tag}\"/>")).unwrap();
    let end = doc[at..].find("</w:p>").unwrap() + at + "</w:p>".len();
    format!(
        "{}<w:p><w:pPr><w:rPr><w:ins w:id=\"950\" w:author=\"Head of Department\" w:date=\"2026-12-01T09:10:00Z\"/></w:rPr></w:pPr><w:ins w:id=\"951\" w:author=\"Head of Department\" w:date=\"2026-12-01T09:10:00Z\"><w:r><w:t>{text}</w:t></w:r></w:ins></w:p>{}",
        &doc[..end],
        &doc[end..]
    )
}

/// Lines of `b` that are not in `a`, and of `a` not in `b`, in order.
fn changed_lines(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(a, b);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for c in diff.iter_all_changes() {
        match c.tag() {
            similar::ChangeTag::Delete => removed.push(c.value().trim_end().to_string()),
            similar::ChangeTag::Insert => added.push(c.value().trim_end().to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

#[test]
fn three_tracked_edits_and_two_comments_change_those_three_values_only() {
    let dir = scratch("three");
    let source = dir.join("az-kg.yaml");
    std::fs::copy(cli::root().join("briefs/az-kg-2021-07-05.yaml"), &source).unwrap();
    let built = docx(&source, &dir);
    let review = dir.join("reviewed.docx");
    reviewed(
        &built,
        &review,
        |doc| {
            let doc = track(
                &doc,
                "The joint intergovernmental commission should meet again and agree a work plan.",
                "meet again",
                "meet before the end of the year",
            );
            let doc = track(
                &doc,
                "Consider resuming direct Baku–Bishkek flights",
                "direct ",
                "direct weekly ",
            );
            let doc = track(&doc, "Bringing bilateral relations to a new level", "new", "higher");
            let doc = comment_on(
                &doc,
                "Azerbaijan will complete the park and school it funds in Bishkek.",
                "1",
            );
            let doc = comment_on(&doc, "Reactivate the joint intergovernmental commission", "2");
            paragraph_after(&doc, "key_messages[3]", "Raise the visa question.")
        },
        &[("1", "Head of Department", "Say when."), ("2", "Legal Adviser", "Check the treaty.")],
    );
    let new = dir.join("new.yaml");
    let out = cli::brief(
        &[
            "review",
            review.to_str().unwrap(),
            source.to_str().unwrap(),
            "-o",
            new.to_str().unwrap(),
        ],
        Some(EPOCH),
    );
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    for expected in [
        "changed  brief.subtitle",
        "changed  key_messages[1]",
        "{+before the end of the year+}",
        "changed  outcomes[2]",
        "comment by Head of Department (2026-12-01) on \"Azerbaijan will complete",
        "comment by Legal Adviser",
        "after key_messages[3]: \"Raise the visa question.\"",
        "taken as accepted",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in\n{stdout}");
    }
    let old_text = std::fs::read_to_string(&source).unwrap();
    let new_text = std::fs::read_to_string(&new).unwrap();
    let (removed, added) = changed_lines(&old_text, &new_text);
    assert_eq!(
        added,
        [
            "  subtitle: Bringing bilateral relations to a higher level",
            "  - The joint intergovernmental commission should meet before the end of the year and agree a work plan.",
            "  - text: Consider resuming direct weekly Baku–Bishkek flights",
        ],
        "removed: {removed:?}"
    );
    assert_eq!(removed.len(), 3, "{removed:?}");
    // The rebuilt PDF shows the edits.
    let pdf = dir.join("new.pdf");
    brief_ok(&["build", new.to_str().unwrap(), "-o", pdf.to_str().unwrap()], Some(EPOCH));
    let text = std::process::Command::new("pdftotext").args([pdf.to_str().unwrap(), "-"]).output();
    if let Ok(text) = text {
        let text =
            String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("meet before the end of the year"), "{text}");
        assert!(text.contains("higher level"), "{text}");
        assert!(text.contains("direct weekly"), "{text}");
    }
}

#[test]
fn bold_comes_back_as_markdown_and_colour_is_reported() {
    let dir = scratch("bold");
    let source = dir.join("az-kg.yaml");
    std::fs::copy(cli::root().join("briefs/az-kg-2021-07-05.yaml"), &source).unwrap();
    let built = docx(&source, &dir);
    let review = dir.join("reviewed.docx");
    reviewed(
        &built,
        &review,
        |doc| {
            let whole = "Azerbaijan will complete the park and school it funds in Bishkek.";
            let t = format!("<w:r><w:t xml:space=\"preserve\">{whole}</w:t></w:r>");
            assert!(doc.contains(&t));
            let doc = doc.replace(
                &t,
                "<w:r><w:t xml:space=\"preserve\">Azerbaijan will complete the </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>park and school</w:t></w:r><w:r><w:t xml:space=\"preserve\"> it funds in Bishkek.</w:t></w:r>",
            );
            let t = "<w:r><w:t xml:space=\"preserve\">Establish the Kyrgyzstan Trade House in Baku</w:t></w:r>";
            assert!(doc.contains(t));
            doc.replace(t, "<w:r><w:rPr><w:color w:val=\"FF0000\"/></w:rPr><w:t xml:space=\"preserve\">Establish the Kyrgyzstan Trade House in Baku</w:t></w:r>")
        },
        &[],
    );
    let new = dir.join("new.yaml");
    let out = cli::brief(
        &[
            "review",
            review.to_str().unwrap(),
            source.to_str().unwrap(),
            "-o",
            new.to_str().unwrap(),
        ],
        Some(EPOCH),
    );
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("outcomes[6]: a colour: a source cannot hold it"), "{stdout}");
    let new_text = std::fs::read_to_string(&new).unwrap();
    assert!(
        new_text.contains(
            "  - Azerbaijan will complete the **park and school** it funds in Bishkek.\n"
        ),
        "{new_text}"
    );
}

#[test]
fn every_example_round_trips_unedited_to_the_identical_source() {
    let dir = scratch("unedited");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(cli::root().join("briefs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    sources.sort();
    assert!(sources.len() >= 8);
    for source in sources {
        let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
        let local = dir.join(format!("{stem}.yaml"));
        std::fs::copy(&source, &local).unwrap();
        for product in ["briefing-note", "one-pager", "talking-points"] {
            let out = dir.join(format!("{stem}-{product}.docx"));
            brief_ok(
                &[
                    "build",
                    local.to_str().unwrap(),
                    "--format",
                    "docx",
                    "--template",
                    product,
                    "-o",
                    out.to_str().unwrap(),
                ],
                Some(EPOCH),
            );
            let new = dir.join(format!("{stem}-{product}-new.yaml"));
            let run = cli::brief(
                &[
                    "review",
                    out.to_str().unwrap(),
                    local.to_str().unwrap(),
                    "--template",
                    product,
                    "-o",
                    new.to_str().unwrap(),
                ],
                Some(EPOCH),
            );
            let (code, stdout, stderr) = parts(&run);
            assert_eq!(code, 0, "{stem} {product}: {stdout}{stderr}");
            assert!(stdout.contains("no changes to the source"), "{stdout}");
            assert!(!stdout.contains("not taken"), "{stem} {product}: {stdout}");
            assert!(!new.exists(), "nothing to write");
        }
    }
}

#[test]
fn a_document_of_another_version_is_refused_unless_rebased() {
    let dir = scratch("stale");
    let source = dir.join("az-kg.yaml");
    let original =
        std::fs::read_to_string(cli::root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    std::fs::write(&source, &original).unwrap();
    let built = docx(&source, &dir);
    let review = dir.join("reviewed.docx");
    reviewed(
        &built,
        &review,
        |doc| {
            let doc = track(&doc, "Bringing bilateral relations to a new level", "new", "higher");
            track(
                &doc,
                "Azerbaijan will complete the park and school it funds in Bishkek.",
                "park",
                "sports park",
            )
        },
        &[],
    );
    // The author changed the subtitle meanwhile.
    let changed = original.replace("to a new level", "to a new stage");
    std::fs::write(&source, &changed).unwrap();
    let out =
        cli::brief(&["review", review.to_str().unwrap(), source.to_str().unwrap()], Some(EPOCH));
    let (code, _, stderr) = parts(&out);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("another version of this brief"), "{stderr}");
    let out = cli::brief(
        &["review", review.to_str().unwrap(), source.to_str().unwrap(), "--rebase", "--write"],
        Some(EPOCH),
    );
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("brief.subtitle: the field has changed in the source"), "{stdout}");
    let now = std::fs::read_to_string(&source).unwrap();
    assert!(now.contains("to a new stage") && now.contains("complete the sports park"), "{now}");
    // Another brief's document is refused, --rebase or not.
    let other = dir.join("other.yaml");
    std::fs::copy(cli::root().join("briefs/cn-ge-2026-09-15.yaml"), &other).unwrap();
    let out = cli::brief(
        &["review", review.to_str().unwrap(), other.to_str().unwrap(), "--rebase"],
        Some(EPOCH),
    );
    let (code, _, stderr) = parts(&out);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("another brief"), "{stderr}");
}

#[test]
fn a_rebuild_is_byte_identical() {
    let dir = scratch("identical");
    let a = dir.join("a.docx");
    let b = dir.join("b.docx");
    for out in [&a, &b] {
        brief_ok(
            &[
                "build",
                "briefs/az-kg-2021-07-05-ar.yaml",
                "--format",
                "docx",
                "-o",
                out.to_str().unwrap(),
            ],
            Some(EPOCH),
        );
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let doc =
        String::from_utf8(unzip(&a).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1)
            .unwrap();
    assert!(doc.contains("<w:bidi/>") && doc.contains("<w:bidiVisual/>"), "right to left");
}

#[test]
fn charts_export_as_png_from_the_same_drawing() {
    let dir = scratch("png");
    let out = dir.join("charts");
    brief_ok(
        &["charts", "briefs/az-kg-2021-07-05.yaml", "--format", "png", "-o", out.to_str().unwrap()],
        Some(EPOCH),
    );
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    assert_eq!(pngs.len(), 2, "{pngs:?}");
    for png in pngs {
        let bytes = std::fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{png:?}");
        // IHDR: width then height, big-endian; 480 pt at 2 px a point.
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(width, 960, "{png:?}");
    }
}

/// What a reviewer types in a markdown field prints as typed: `&amp;` is
/// five characters, not a reference to `&`, and `&#x202E;` is eight, not an
/// override. And `-o` naming the source is refused: `--write` writes into it.
#[test]
fn typed_references_print_as_typed_and_o_never_names_the_source() {
    let dir = scratch("typed");
    let source = dir.join("az-kg.yaml");
    std::fs::copy(cli::root().join("briefs/az-kg-2021-07-05.yaml"), &source).unwrap();
    let built = docx(&source, &dir);
    let review = dir.join("reviewed.docx");
    let work_plan =
        "The joint intergovernmental commission should meet again and agree a work plan.";
    // The XML escapes the `&` the reviewer typed.
    let typed = "meet (X&amp;amp;Y &amp;#x202E;)";
    reviewed(&built, &review, |doc| track(&doc, work_plan, "meet again", typed), &[]);
    let before = std::fs::read(&source).unwrap();
    let (src, rev) = (source.to_str().unwrap(), review.to_str().unwrap());
    let (code, _, stderr) = parts(&cli::brief(&["review", rev, src, "-o", src], Some(EPOCH)));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("-o names the source") && stderr.contains("--write"), "{stderr}");
    assert_eq!(std::fs::read(&source).unwrap(), before, "the source is untouched");
    let new = dir.join("new.yaml");
    let run = cli::brief(&["review", rev, src, "-o", new.to_str().unwrap()], Some(EPOCH));
    let (code, stdout, stderr) = parts(&run);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let pdf = dir.join("new.pdf");
    brief_ok(&["build", new.to_str().unwrap(), "-o", pdf.to_str().unwrap()], Some(EPOCH));
    let text = std::process::Command::new("pdftotext").args([pdf.to_str().unwrap(), "-"]).output();
    let text = String::from_utf8_lossy(&text.expect("pdftotext runs").stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("meet (X&amp;Y &#x202E;)"), "{text}");
}
