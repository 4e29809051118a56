//! Unit tests of the DOCX writer and reader.

use std::io::Read as _;

use super::*;

fn rendered() -> Rendered {
    let brief = brief_model::tests_support::example();
    let template = brief_render::Template::builtin("briefing-note").expect("built in");
    let inputs =
        brief_render::Inputs { today: brief.brief.date, created: 1_625_097_600, paper: None };
    brief_render::render(&template, &brief, &inputs).expect("renders")
}

fn info() -> Info<'static> {
    Info {
        source_sha256: "abc",
        source_name: "az-kg.yaml",
        template: "templates/briefing-note/main.md",
        identity: "reference ECA/2021/0705-KG",
    }
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = rendered();
    let a = write(&doc, FontBook::builtin(), &info()).unwrap();
    let b = write(&doc, FontBook::builtin(), &info()).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with(b"PK\x03\x04"));
}

#[test]
fn fields_sit_in_locked_content_controls_named_by_path() {
    let docx = write(&rendered(), FontBook::builtin(), &info()).unwrap();
    let body = part(&docx, "word/document.xml");
    for tag in
        ["key_messages[0]", "key_messages[3]", "brief.title", "agenda[1].topic", "figures[0].title"]
    {
        assert!(body.contains(&format!("<w:tag w:val=\"{tag}\"/>")), "{tag}");
    }
    assert!(body.contains("<w:lock w:val=\"sdtLocked\"/>"));
    let read = read::read(&docx).unwrap();
    let message = read.controls.iter().find(|c| c.tag == "key_messages[0]").unwrap();
    assert!(message.text().starts_with("Azerbaijan welcomes the 67% growth"), "{}", message.text());
    assert!(message.paragraphs[0].iter().any(|r| r.bold && r.text == "67% growth"));
    assert_eq!(read.source_sha256(), Some("abc"));
}

#[test]
fn styles_header_footer_and_properties_are_words_own() {
    let docx = write(&rendered(), FontBook::builtin(), &info()).unwrap();
    let styles = part(&docx, "word/styles.xml");
    for name in
        ["Title", "heading 1", "heading 2", "heading 3", "List Number", "List Bullet", "caption"]
    {
        assert!(styles.contains(&format!("<w:name w:val=\"{name}\"/>")), "{name}");
    }
    assert!(styles.contains("<w:tblHeader/>"));
    let header = part(&docx, "word/header1.xml");
    assert!(header.contains(">OFFICIAL<"), "{header}");
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES "), "{footer}");
    let custom = part(&docx, "docProps/custom.xml");
    assert!(custom.contains("name=\"Classification\"><vt:lpwstr>OFFICIAL<"), "{custom}");
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("2021-07-01T00:00:00Z"), "{core}");
}

#[test]
fn tracked_changes_are_read_accepted_and_comments_anchored() {
    let doc = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\
<w:sdt><w:sdtPr><w:tag w:val=\"summary\"/></w:sdtPr><w:sdtContent><w:p><w:commentRangeStart w:id=\"7\"/><w:r><w:t xml:space=\"preserve\">Keep </w:t></w:r><w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>old</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"A\"><w:r><w:rPr><w:i/></w:rPr><w:t>new</w:t></w:r></w:ins><w:commentRangeEnd w:id=\"7\"/><w:r><w:rPr><w:color w:val=\"FF0000\"/></w:rPr><w:t>.</w:t></w:r></w:p></w:sdtContent></w:sdt>\
<w:p><w:r><w:t>Outside.</w:t></w:r></w:p></w:body></w:document>";
    let comments = "<?xml version=\"1.0\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:comment w:id=\"7\" w:author=\"Director\" w:date=\"2026-12-01T10:00:00Z\"><w:p><w:r><w:t>Why?</w:t></w:r></w:p></w:comment></w:comments>";
    let bytes = package(&[
        ("word/document.xml".to_string(), doc.as_bytes().to_vec()),
        ("word/comments.xml".to_string(), comments.as_bytes().to_vec()),
    ])
    .unwrap();
    let r = read::read(&bytes).unwrap();
    assert_eq!(r.controls[0].text(), "Keep new.");
    assert_eq!(r.controls[0].original_text(), "Keep old.");
    assert!(r.controls[0].paragraphs[0].iter().any(|run| run.italic && run.text == "new"));
    assert_eq!(r.controls[0].not_taken, ["a colour"]);
    assert_eq!(r.comments[0].author, "Director");
    assert_eq!(r.comments[0].field.as_deref(), Some("summary"));
    assert_eq!(r.comments[0].quote, "Keep new");
    assert_eq!(r.outside[0].text, "Outside.");
    assert_eq!(r.outside[0].after.as_deref(), Some("summary"));
}

#[test]
fn a_zip_bomb_is_refused_by_what_it_inflates_to() {
    // 40 MiB of zeros deflate to a few KB: more than a part may inflate to.
    let zeros = vec![0u8; 40 << 20];
    let bytes = package(&[("word/document.xml".to_string(), zeros)]).unwrap();
    assert!(bytes.len() < 1 << 20);
    let err = read::read(&bytes).unwrap_err().to_string();
    assert!(err.contains("word/document.xml"), "{err}");
}

#[test]
fn a_declared_size_that_lies_is_caught_while_inflating() {
    let zeros = vec![b' '; 33 << 20];
    let mut bytes = package(&[("word/document.xml".to_string(), zeros)]).unwrap();
    // Patch the central directory's uncompressed size to 100 bytes.
    let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    bytes[cd + 24..cd + 28].copy_from_slice(&100u32.to_le_bytes());
    let local = bytes.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
    bytes[local + 22..local + 26].copy_from_slice(&100u32.to_le_bytes());
    assert!(read::read(&bytes).is_err());
}

#[test]
fn too_many_entries_and_entity_expansion_are_refused() {
    let files: Vec<(String, Vec<u8>)> =
        (0..=read::MAX_ENTRIES).map(|i| (format!("x/{i}"), Vec::new())).collect();
    let err = read::read(&package(&files).unwrap()).unwrap_err().to_string();
    assert!(err.contains("entries"), "{err}");
    let lol = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>";
    let bytes = package(&[("word/document.xml".to_string(), lol.as_bytes().to_vec())]).unwrap();
    assert!(read::read(&bytes).is_err());
}

#[test]
fn a_passage_in_another_language_carries_its_language_on_its_runs() {
    let mut doc = rendered();
    doc.markup.push_str("\nThe [לוויתן]{lang=he} field and [東京]{lang=ja}.\n");
    let docx = write(&doc, FontBook::builtin(), &info()).unwrap();
    let body = part(&docx, "word/document.xml");
    let run = |text: &str| {
        let at = body.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("{text}"));
        let start = body[..at].rfind("<w:r>").unwrap();
        body[start..at].to_string()
    };
    assert!(
        run("לוויתן").contains("<w:rtl/><w:lang w:val=\"he\" w:eastAsia=\"he\" w:bidi=\"he\"/>")
    );
    assert!(run("東京").contains("w:eastAsia=\"ja\""));
    assert!(!run(" field and ").contains("w:lang"));
}
