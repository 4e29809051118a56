//! `brief book` end to end: the bound book checked with qpdf, poppler and lopdf.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, scratch};

/// The build date every run of this file stamps its PDFs with.
const EPOCH: Option<&str> = Some("1700000000");

#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::{Document, Object, ObjectId};

/// Four briefs, given out of meeting order: 2026-03-12 (OFFICIAL-SENSITIVE),
/// 2026-05-20, 2021-07-05 and 2026-09-15 (OFFICIAL).
const BRIEFS: [&str; 4] = [
    "briefs/kz-de-2026-03-12-draft.yaml",
    "briefs/tr-gr-2026-05-20.yaml",
    "briefs/cn-ge-2026-09-15.yaml",
    "briefs/az-kg-2021-07-05.yaml",
];
/// The same, in meeting order.
const ORDER: [&str; 4] = [
    "briefs/az-kg-2021-07-05.yaml",
    "briefs/kz-de-2026-03-12-draft.yaml",
    "briefs/tr-gr-2026-05-20.yaml",
    "briefs/cn-ge-2026-09-15.yaml",
];

fn book(sources: &[&str], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["book"];
    args.extend_from_slice(sources);
    args.extend_from_slice(&["-o", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    brief(&args, EPOCH)
}

/// A message's quoted-printable parts decoded (soft line breaks joined).
fn quoted_printable(eml: &str) -> String {
    let joined = eml.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if bytes[i] == b'=' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap()
}

fn page_texts(pdf: &Path) -> Vec<String> {
    tool::page_texts(pdf, &["-layout"])
}

fn text_of(doc: &Document, obj: &Object) -> String {
    let bytes = match obj {
        Object::String(b, _) => b.clone(),
        Object::Reference(id) => return text_of(doc, doc.get_object(*id).unwrap()),
        _ => panic!("not a string: {obj:?}"),
    };
    if bytes.starts_with(&[0xfe, 0xff]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8(bytes).unwrap()
    }
}

/// Outline entries at one level: (title, zero-based page, its own dictionary).
fn entries(doc: &Document, parent: &lopdf::Dictionary) -> Vec<(String, usize, lopdf::Dictionary)> {
    let page_index: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut out = Vec::new();
    let mut next = parent.get(b"First").ok().and_then(|o| o.as_reference().ok());
    while let Some(id) = next {
        let d = doc.get_dictionary(id).unwrap().clone();
        let title = text_of(doc, d.get(b"Title").unwrap());
        let dest = d.get(b"Dest").unwrap().as_array().unwrap();
        let page = page_index.iter().position(|p| *p == dest[0].as_reference().unwrap()).unwrap();
        next = d.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        out.push((title, page, d));
    }
    out
}

/// The pages (zero-based) the internal links of page `page` (zero-based) go to.
fn link_targets(doc: &Document, page: usize) -> Vec<usize> {
    let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let page_dict = doc.get_dictionary(ids[page]).unwrap();
    let Ok(annots) = page_dict.get(b"Annots") else { return Vec::new() };
    let annots = match annots {
        Object::Reference(id) => doc.get_object(*id).unwrap().as_array().unwrap().clone(),
        other => other.as_array().unwrap().clone(),
    };
    let mut out = Vec::new();
    for a in annots {
        let a = match a {
            Object::Reference(id) => doc.get_dictionary(id).unwrap().clone(),
            Object::Dictionary(d) => d,
            _ => continue,
        };
        let dest = a.get(b"Dest").ok().cloned().or_else(|| {
            let action = a.get(b"A").ok()?;
            let action = match action {
                Object::Reference(id) => doc.get_dictionary(*id).ok()?.clone(),
                Object::Dictionary(d) => d.clone(),
                _ => return None,
            };
            action.get(b"D").ok().cloned()
        });
        if let Some(Object::Array(d)) = dest {
            let target = d[0].as_reference().unwrap();
            out.push(ids.iter().position(|p| *p == target).unwrap());
        }
    }
    out
}

#[test]
fn a_book_is_its_cover_schedule_and_briefs_in_meeting_order() {
    let dir = scratch("whole");
    let out = dir.join("summit.pdf");
    let o = book(&BRIEFS, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let check = tool("qpdf", &["--check", out.to_str().unwrap()]);
    assert!(check.contains("No syntax or stream encoding errors"), "{check}");

    // Each brief as `build` makes it, for its page count.
    let mut own_pages = Vec::new();
    for (i, src) in ORDER.iter().enumerate() {
        let single = dir.join(format!("{i}.pdf"));
        let o = brief(&["build", src, "-o", single.to_str().unwrap()], EPOCH);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        own_pages.push(pages(&single));
    }
    let total = pages(&out);
    let front = total - own_pages.iter().sum::<usize>();
    assert_eq!(front, 2, "cover and schedule take one page each with four briefs");

    // The outline: one top-level entry per brief, in meeting order, on its
    // first page, with the brief's headings beneath it.
    let doc = Document::load(&out).unwrap();
    let catalog = doc.catalog().unwrap();
    let root = doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap());
    let top = entries(&doc, root.unwrap());
    let titles: Vec<String> = ORDER
        .iter()
        .map(|src| {
            let yaml =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(src)).unwrap();
            let line = yaml.lines().find(|l| l.trim_start().starts_with("title:")).unwrap();
            line.split_once(':').unwrap().1.trim().trim_matches('"').to_string()
        })
        .collect();
    assert_eq!(top.iter().map(|e| e.0.clone()).collect::<Vec<_>>(), titles);
    let mut first = Vec::new();
    let mut at = front;
    for n in &own_pages {
        first.push(at);
        at += n;
    }
    assert_eq!(top.iter().map(|e| e.1).collect::<Vec<_>>(), first);
    for (title, page, d) in &top {
        let heads = entries(&doc, d);
        assert!(heads.len() >= 2, "{title} has its headings beneath it");
        assert!(heads.iter().all(|h| h.1 >= *page), "{title}'s headings are in its pages");
    }

    // The cover shows the highest marking; the schedule's rows land on each
    // brief's first page.
    let texts = page_texts(&out);
    assert_eq!(texts.len(), total);
    let cover = &texts[0];
    assert!(cover.contains("OFFICIAL-SENSITIVE"), "{cover}");
    let mut links = link_targets(&doc, 1);
    links.sort_unstable();
    links.dedup();
    assert_eq!(links, first, "schedule links");
    let schedule = &texts[1];
    for (i, p) in first.iter().enumerate() {
        assert!(
            schedule.contains(&(p + 1).to_string()),
            "row {i} gives page {}: {schedule}",
            p + 1
        );
    }

    // Every page of each brief keeps its own marking and "Page X of Y", and
    // carries the book's page number.
    for (b, (start, n)) in first.iter().zip(&own_pages).enumerate() {
        let sensitive = ORDER[b].contains("kz-de");
        for k in 0..*n {
            let text = &texts[start + k];
            assert!(text.matches("OFFICIAL").count() >= 2, "marking top and bottom: {text}");
            assert_eq!(text.contains("OFFICIAL-SENSITIVE"), sensitive, "page {}", start + k + 1);
            let own = if sensitive {
                format!("Seite {} von {n}", k + 1)
            } else {
                format!("{} of {n}", k + 1)
            };
            let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
            assert!(
                text.contains(&own) || ORDER[b].contains("tr-gr"),
                "page {} shows {own}: {text}",
                start + k + 1
            );
            assert!(last.trim_end().ends_with(&(start + k + 1).to_string()), "book page: {last}");
        }
    }

    // One document: each face embedded once, shared by every brief.
    let fonts = tool("pdffonts", &[out.to_str().unwrap()]);
    let faces: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next()?.split_once('+').map(|(_, face)| face))
        .collect();
    let mut unique = faces.clone();
    unique.sort_unstable();
    unique.dedup();
    assert!(faces.len() >= 4 && unique.len() == faces.len(), "{fonts}");

    // The same book, byte for byte.
    let again = dir.join("again.pdf");
    assert!(book(&BRIEFS, &again, &[]).status.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
}

/// A copy of the example with its classification replaced.
fn marked(dir: &Path, name: &str, marking: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let yaml = yaml.replacen("classification: OFFICIAL", &format!("classification: {marking}"), 1);
    let path = dir.join(name);
    std::fs::write(&path, yaml).unwrap();
    path
}

#[test]
fn mixed_scales_and_unknown_markings_write_no_book() {
    let dir = scratch("scales");
    let out = dir.join("summit.pdf");
    let uk = marked(&dir, "uk.yaml", "OFFICIAL");
    let us = marked(&dir, "us.yaml", "UNCLASSIFIED");
    let o = book(&[uk.to_str().unwrap(), us.to_str().unwrap()], &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("mixes marking scales"), "{err}");
    assert!(!out.exists());

    let odd = marked(&dir, "odd.yaml", "EYES ONLY");
    let o = book(&[uk.to_str().unwrap(), odd.to_str().unwrap()], &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown marking `EYES ONLY`") && err.contains("odd.yaml"), "{err}");
    assert!(!out.exists());

    // One scale: the highest of the US scale heads the cover.
    let secret = marked(&dir, "secret.yaml", "CONFIDENTIAL");
    let o = book(&[us.to_str().unwrap(), secret.to_str().unwrap()], &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(page_texts(&out)[0].contains("CONFIDENTIAL"));
}

#[test]
fn a_bad_brief_stops_the_book_and_is_named() {
    let dir = scratch("bad");
    let out = dir.join("summit.pdf");
    std::fs::write(&out, b"the old book").unwrap();
    let bad = dir.join("broken.yaml");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    std::fs::write(&bad, yaml.replacen("date: 2021-07-05", "date: 2021-13-45", 1)).unwrap();
    let o = book(&[BRIEFS[0], bad.to_str().unwrap()], &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("broken.yaml:") && err.contains("no book written"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"the old book", "never half a book");
}

#[test]
fn the_cover_and_schedule_speak_the_books_language() {
    let dir = scratch("lang");
    let out = dir.join("summit.pdf");
    let o = book(&BRIEFS[..2], &out, &["--language", "de", "--title", "Gipfel 2026"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let texts = page_texts(&out);
    let cover = &texts[0];
    assert!(cover.contains("Gipfel 2026") && cover.contains("Gesprächsmappe"), "{cover}");
    let schedule = &texts[1];
    assert!(schedule.contains("Terminübersicht") && schedule.contains("Delegationsleitung"));
    let o = book(&BRIEFS[..1], &out, &["--language", "xx"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn eml_goes_once_to_everyone_on_any_distribution_or_to_the_addresses_given() {
    let dir = scratch("eml");
    let out = dir.join("summit.pdf");
    // The German brief is a draft no one cleared: the email is refused.
    let o = book(&BRIEFS, &out, &["--eml", "--from", "Desk <desk@example.gov>"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("kz-de-2026-03-12-draft.yaml") && err.contains("not cleared"), "{err}");
    assert!(!out.exists() && !dir.join("summit.eml").exists(), "nothing written: {err}");
    let o = book(&BRIEFS, &out, &["--eml", "--from", "Desk <desk@example.gov>", "--allow-draft"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let eml = std::fs::read_to_string(dir.join("summit.eml")).unwrap();
    let headers = eml.split("\r\n\r\n").next().unwrap().replace("\r\n ", " ");
    assert!(headers.split("\r\n").any(|l| l == "From: Desk <desk@example.gov>"), "{headers}");
    // Every address of every brief's distribution, each once.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut wanted = std::collections::BTreeSet::new();
    for src in BRIEFS {
        let yaml = std::fs::read_to_string(root.join(src)).unwrap();
        for part in yaml.split('<').skip(1) {
            let addr = part.split('>').next().unwrap();
            if addr.contains("@example.gov") {
                wanted.insert(addr.to_string());
            }
        }
    }
    assert!(wanted.len() >= 5, "{wanted:?}");
    for addr in &wanted {
        assert_eq!(headers.matches(&format!("<{addr}>")).count(), 1, "{addr} once: {headers}");
    }
    assert!(headers.contains("Subject: [OFFICIAL-SENSITIVE]"), "{headers}");
    assert!(eml.contains("application/pdf") && eml.contains("summit.pdf"));
    // The body lists the schedule under its own heading, not "Key messages".
    assert!(eml.contains("\r\nSchedule\r\n") && !eml.contains("Key messages"), "{eml}");
    // The meetings' date range in the subject and body, and how many: not
    // one meeting's date, not their kinds run together ("X and X").
    let subject = headers.lines().find(|l| l.starts_with("Subject:")).unwrap_or_default();
    assert!(
        subject.contains("July 5, 2021") && subject.contains("September 15, 2026"),
        "{headers}"
    );
    let body = quoted_printable(&eml);
    assert!(body.contains("Meetings: 4\r\nDates: July 5, 2021 – September 15, 2026"), "{body}");
    assert!(!body.contains("meeting and"), "{body}");
    // Each schedule line names the parties, and a draft says so.
    let draft = body.lines().find(|l| l.contains("Kasachstan")).unwrap_or_default();
    assert!(draft.contains("(DRAFT)") && draft.contains("Deutschland"), "{eml}");

    let o = book(
        &BRIEFS[..2],
        &out,
        &[
            "--eml",
            "--from",
            "Desk <desk@example.gov>",
            "--to",
            "minister@example.gov",
            "--allow-draft",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let eml = std::fs::read_to_string(dir.join("summit.eml")).unwrap();
    let headers = eml.split("\r\n\r\n").next().unwrap().replace("\r\n ", " ");
    assert!(headers.contains("To: minister@example.gov"), "{headers}");
    assert!(!headers.contains("Cc:") && !headers.contains("pm.office"), "{headers}");
}

#[test]
fn a_template_theme_ranks_its_own_markings_and_the_book_reads_right_to_left() {
    let dir = scratch("theme");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tpl = dir.join("house");
    std::fs::create_dir_all(&tpl).unwrap();
    for f in ["main.md", "theme.yaml"] {
        std::fs::copy(root.join("templates/briefing-note").join(f), tpl.join(f)).unwrap();
    }
    let theme = std::fs::read_to_string(tpl.join("theme.yaml")).unwrap();
    // The Arabic example marked رسمي ("official"): on no shipped scale.
    let out = dir.join("summit.pdf");
    let example = std::fs::read_to_string(root.join("briefs/az-kg-2021-07-05-ar.yaml")).unwrap();
    let ar = dir.join("ar.yaml");
    std::fs::write(&ar, example.replace("classification: OFFICIAL", "classification: رسمي"))
        .unwrap();
    let ar = ar.to_str().unwrap();
    let o = book(&[ar], &out, &["--template", tpl.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown marking `رسمي`") && err.contains("markings"), "{err}");
    std::fs::write(tpl.join("theme.yaml"), format!("{theme}markings: [رسمي, سري]\n")).unwrap();
    let o = book(&[ar], &out, &["--template", tpl.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let schedule = &page_texts(&out)[1];
    assert!(schedule.contains("جدول الاجتماعات"), "{schedule}");
    let doc = Document::load(&out).unwrap();
    let links = link_targets(&doc, 1);
    assert!(
        !links.is_empty() && links.iter().all(|p| *p == 2),
        "the row goes to page 3: {links:?}"
    );
}

#[test]
fn changes_since_a_revision_box_each_brief_that_changed() {
    let dir = scratch("since");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git");
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    let (a, b) = (dir.join("a.yaml"), dir.join("b.yaml"));
    std::fs::copy(root.join(BRIEFS[3]), &a).unwrap();
    std::fs::copy(root.join(BRIEFS[2]), &b).unwrap();
    git(&["init", "-q"]);
    git(&["add", "a.yaml", "b.yaml"]);
    git(&["commit", "-qm", "first"]);
    let yaml = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&a, yaml.replacen("\n  version: \"1.0\"", "\n  version: \"1.1\"", 1)).unwrap();
    let out = dir.join("summit.pdf");
    let (sa, sb) = (a.to_str().unwrap(), b.to_str().unwrap());
    let o = book(&[sa, sb], &out, &["--changes-since", "git:HEAD"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // a.yaml (2021) is the first brief, on page 3; b.yaml (2026) follows.
    let texts = page_texts(&out);
    let first = &texts[2];
    assert!(first.contains("Changes since") && first.contains("1.1"), "{first}");
    let doc = Document::load(&out).unwrap();
    let root_outline = doc
        .get_dictionary(doc.catalog().unwrap().get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let second = entries(&doc, root_outline)[1].1 + 1;
    let text = &texts[second - 1];
    assert!(text.contains("No changes") || text.contains("Changes since"), "{text}");
    let o = book(&[sa], &out, &["--changes-since", "HEAD"]);
    assert_eq!(o.status.code(), Some(2), "only git:REV: {}", String::from_utf8_lossy(&o.stderr));
}

/// The schedule's links to the briefs are described by the words they
/// cover, as a web link is: the /Link element's /Alt and the annotation's
/// /Contents say what the link is ("Azerbaijan – Kyrgyzstan …"), not
/// "page 3" or nothing (outloud LNK-003, PDF/UA 7.18.5).
#[test]
fn schedule_links_are_described_by_their_words() {
    let dir = scratch("link-text");
    let out = dir.join("summit.pdf");
    let o = book(&BRIEFS[..2], &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc = Document::load(&out).unwrap();
    let mut internal = 0;
    for (_, obj) in doc.objects.iter() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"S").and_then(|s| s.as_name()).ok() != Some(b"Link".as_slice()) {
            continue;
        }
        let kid = d.get(b"K").unwrap();
        let objr = match kid {
            Object::Dictionary(k) => k.clone(),
            Object::Reference(id) => doc.get_dictionary(*id).unwrap().clone(),
            other => panic!("a Link element's kid is {other:?}"),
        };
        let annot = doc.get_dictionary(objr.get(b"Obj").unwrap().as_reference().unwrap()).unwrap();
        let action = annot.get(b"A").unwrap().as_dict().unwrap();
        if action.get(b"S").unwrap().as_name().unwrap() != b"GoTo" {
            continue;
        }
        internal += 1;
        let alt = d.get(b"Alt").map(|a| text_of(&doc, a)).unwrap_or_default();
        assert!(!alt.trim().is_empty(), "a schedule link has no /Alt: {d:?}");
        let contents = text_of(&doc, annot.get(b"Contents").unwrap());
        assert_eq!(contents, alt, "the annotation's /Contents is not the link's words");
    }
    assert!(internal > 0, "the schedule has no links to check");
}

#[test]
fn the_cover_names_every_meeting_and_cover_and_schedule_say_which_is_a_draft() {
    let dir = scratch("cover");
    let out = dir.join("summit.pdf");
    let o = book(&BRIEFS, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let texts = page_texts(&out);
    let (cover, schedule) = (&texts[0], &texts[1]);
    // Every meeting: its date, its parties, its heads of delegation.
    for want in [
        "July 5, 2021",
        "Azerbaijan – Kyrgyzstan",
        "Ali Asadov; Ruslan Kazakbaev",
        "March 12, 2026, 14:30",
        "Dr. Katharina Weiß",
        "September 15, 2026",
        "OFFICIAL-SENSITIVE",
        "Not for onward distribution",
    ] {
        assert!(cover.contains(want), "{want:?} on the cover: {cover}");
    }
    // The draft is said so on both: once on the cover, on the schedule in
    // its row and in the clearance list under it; the other three are final.
    assert_eq!(cover.matches("DRAFT").count(), 1, "{cover}");
    assert_eq!(schedule.matches("DRAFT").count(), 2, "{schedule}");
    let clearance = &schedule[schedule.rfind("Kasachstan (Қазақстан) – Deutschland").unwrap()..];
    assert!(clearance.starts_with("Kasachstan (Қазақстан) – Deutschland: DRAFT"), "{schedule}");
}

/// The words of a schedule column (`header` to the next heading on its
/// line) below its heading, in reading order, from poppler's word boxes.
fn column(pdf: &Path, page: usize, header: &str) -> String {
    let n = page.to_string();
    let html = tool("pdftotext", &["-bbox", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]);
    let mut words: Vec<(f32, f32, String)> = Vec::new();
    for line in html.lines().map(str::trim).filter(|l| l.starts_with("<word ")) {
        let attr = |name: &str| -> f32 {
            let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[at..at + line[at..].find('"').unwrap()].parse().unwrap()
        };
        let text = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
        words.push((attr("yMin"), attr("xMin"), text.replace("&amp;", "&")));
    }
    // The table's heading row, which starts with Date (the line above it
    // may name the time zone).
    let row = words.iter().find(|w| w.2 == "Date").map(|w| w.0).unwrap();
    let (y, x) = words.iter().find(|w| w.0 == row && w.2 == header).map(|w| (w.0, w.1)).unwrap();
    let next = words.iter().filter(|w| w.0 == y && w.1 > x).map(|w| w.1).fold(f32::MAX, f32::min);
    // Down to the clearance list under the table.
    let end = words.iter().find(|w| w.2 == "Clearance").map_or(f32::MAX, |w| w.0);
    let mut cells: Vec<&(f32, f32, String)> = words
        .iter()
        .filter(|w| w.0 > y + 1.0 && w.0 < end && w.1 >= x - 1.0 && w.1 < next - 1.0)
        .collect();
    cells.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    cells.iter().map(|w| w.2.as_str()).collect::<Vec<_>>().join(" ")
}

/// A meeting at a time its clocks read twice (Berlin, 02:30 on 25 October
/// 2026) cannot be given in the principal's zone: the book warns at its line
/// and shows the time as the brief gives it, named by the meeting's own zone,
/// never by the principal's.
#[test]
fn a_time_the_clocks_repeat_keeps_its_own_zone_s_name() {
    let dir = scratch("time-zone-repeated");
    let example = std::fs::read_to_string(cli::root().join(ORDER[0])).unwrap();
    let head = "  kind: Bilateral meeting\n  date: 2021-07-05\n";
    let file = dir.join("berlin.yaml");
    let time = "  time: \"02:30\"\n  time_zone: Europe/Berlin\n";
    let text =
        example.replace(head, &format!("  kind: Bilateral meeting\n  date: 2026-10-25\n{time}"));
    std::fs::write(&file, text).unwrap();
    let out = dir.join("book.pdf");
    let o = book(&[file.to_str().unwrap()], &out, &["--time-zone", "America/New_York"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("happens twice") && err.contains("berlin.yaml:24:9"), "{err}");
    assert_eq!(column(&out, 2, "Time"), "02:30 Germany Time");
    let cover = page_texts(&out)[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!cover.contains("New York Time ("), "{cover}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--time-zone`: every meeting's date and time as the principal's clock in
/// Brussels reads them, by the rules at each date (Washington's clocks go
/// forward on 8 March 2026, Brussels' on 29 March: five hours apart between,
/// six after), the meeting's own time after it, and the book in that order;
/// a meeting with a time and no zone is given as local time, and warned
/// about at its line. `[book] time_zone` in brief.toml does the same; the
/// flag wins over it.
#[test]
fn the_schedule_gives_each_meeting_in_the_principal_s_time_zone() {
    let dir = scratch("time-zone");
    let example = std::fs::read_to_string(cli::root().join(ORDER[0])).unwrap();
    let head = "  kind: Bilateral meeting\n  date: 2021-07-05\n";
    assert!(example.contains(head));
    let briefs = [
        ("nozone", "2026-04-01", "  time: \"15:00\"\n"),
        ("tokyo", "2026-03-31", "  time: \"06:30\"\n  time_zone: Asia/Tokyo\n"),
        ("dc-spring", "2026-03-30", "  time: \"10:00\"\n  time_zone: America/New_York\n"),
        ("dc-march", "2026-03-10", "  time: \"10:00\"\n  time_zone: America/New_York\n"),
    ];
    let mut files = Vec::new();
    for (name, date, time) in briefs {
        let file = dir.join(format!("{name}.yaml"));
        let text = example
            .replace(head, &format!("  kind: Bilateral meeting\n  date: {date}\n{time}"))
            .replace("Azerbaijan – Kyrgyzstan bilateral meeting", name);
        std::fs::write(&file, text).unwrap();
        files.push(file.to_str().unwrap().to_string());
    }
    let sources: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = dir.join("book.pdf");
    let o = book(&sources, &out, &["--time-zone", "europe/brussels", "--color", "never"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: the meeting's time has no time zone, so the book cannot give it in Europe/Brussels")
            && err.contains("nozone.yaml:24:9"),
        "{err}"
    );
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    // The schedule names the principal's clock once, above the table.
    let times = "15:00 (10:00 New York Time) \
                 16:00 (10:00 New York Time) \
                 23:30 (Tue, 31 Mar 2026, 06:30 Japan Time) \
                 15:00 local time";
    assert_eq!(column(&out, 2, "Time"), times);
    let dates = "Tue, 10 Mar 2026 Mon, 30 Mar 2026 Mon, 30 Mar 2026 Wed, 1 Apr 2026";
    assert_eq!(column(&out, 2, "Date"), dates);
    let cover = page_texts(&out)[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        cover.contains("3. 30 March 2026, 23:30 Belgium Time (Tue, 31 Mar 2026, 06:30 Japan Time)"),
        "{cover}"
    );
    assert!(cover.contains("10 March 2026 – 1 April 2026 Time zone Belgium Time"), "{cover}");
    let schedule = page_texts(&out)[1].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(schedule.contains("Schedule Time zone Belgium Time Date Time"), "{schedule}");

    // Without a zone: each meeting as its brief gives it, in its own order.
    let o = book(&sources, &out, &["--force"]);
    assert!(o.status.success() && !String::from_utf8_lossy(&o.stderr).contains("warning"));
    let own = "10:00 New York Time 10:00 New York Time 06:30 Japan Time 15:00";
    assert_eq!(column(&out, 2, "Time"), own);
    assert!(!page_texts(&out)[0].contains("Time zone"));

    // brief.toml's [book] time_zone, and the flag above it.
    std::fs::write(dir.join("brief.toml"), "[book]\ntime_zone = \"Asia/Tokyo\"\n").unwrap();
    let o = book(&sources, &out, &["--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(column(&out, 2, "Time").starts_with("23:00 (10:00 New York Time)"));
    let o = book(&sources, &out, &["--force", "--time-zone", "Europe/Brussels"]);
    assert!(o.status.success());
    assert_eq!(column(&out, 2, "Time"), times);
    let o = book(&sources, &out, &["--force", "--time-zone", "Europe/Brusels", "--color", "never"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("did you mean `Europe/Brussels`?"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
