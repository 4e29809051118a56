//! Tagged PDF, end to end, read back with lopdf: every example brief in
//! every product and every exported chart. Every text shown on a page
//! belongs to exactly one structure element or artifact (never both, never
//! none), every marked-content id is claimed by exactly one element and the
//! ParentTree agrees; each chart's Alt names its title and its categories;
//! outline entries point at their headings, nested by level.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, scratch};
#[path = "common/tool.rs"]
mod tool;
use tool::tool;

/// The build date every run of this file stamps its PDFs with.
const EPOCH: Option<&str> = Some("1625443200");

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, ObjectId};

fn example_briefs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    all.sort();
    all
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(pdfs_in(&path));
        } else if path.extension().is_some_and(|e| e == "pdf") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every example brief in every product, and every figure exported as a PDF.
fn build_everything(name: &str) -> Vec<PathBuf> {
    let dir = scratch(name);
    let out = dir.to_str().unwrap();
    brief_ok(&["build", "briefs/", "-o", out, "--all-products"], EPOCH);
    // Passages in other languages, each a Span with its /Lang.
    let passages = dir.join("passages.pdf");
    brief_ok(
        &["build", "tests/fixtures/good/passages.yaml", "-o", passages.to_str().unwrap()],
        EPOCH,
    );
    for source in example_briefs() {
        let stem = source.file_stem().unwrap().to_str().unwrap().to_string();
        let charts = dir.join(format!("charts-{stem}"));
        brief_ok(
            &[
                "charts",
                source.to_str().unwrap(),
                "-o",
                charts.to_str().unwrap(),
                "--format",
                "pdf",
            ],
            EPOCH,
        );
    }
    let pdfs = pdfs_in(&dir);
    assert!(pdfs.len() >= 9, "only {} PDFs", pdfs.len());
    pdfs
}

/// A PDF text string as Rust text (UTF-16BE with BOM, or PDFDocEncoding
/// taken as Latin-1, enough for these tests).
fn text(o: &Object) -> String {
    let Ok(bytes) = o.as_str() else { return String::new() };
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    deref(doc, o).as_dict().expect("a dictionary")
}

/// What the structure tree says: who claims each (page, MCID), every
/// element's type and Alt.
#[derive(Default)]
struct Tree {
    claims: BTreeMap<(ObjectId, i64), Vec<ObjectId>>,
    figures: Vec<String>,
    roles: Vec<String>,
}

fn walk(doc: &Document, id: ObjectId, tree: &mut Tree, depth: usize) {
    assert!(depth < 200, "the structure tree is cyclic or absurdly deep");
    let elem = doc.get_dictionary(id).unwrap();
    let role = String::from_utf8_lossy(elem.get(b"S").unwrap().as_name().unwrap()).to_string();
    if role == "Figure" {
        let alt = elem.get(b"Alt").map(text).unwrap_or_default();
        assert!(!alt.trim().is_empty(), "a Figure without Alt");
        tree.figures.push(alt);
    }
    tree.roles.push(role);
    let page = elem.get(b"Pg").ok().and_then(|p| p.as_reference().ok());
    let kids = match elem.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    for kid in kids {
        match &kid {
            Object::Integer(mcid) => {
                let page = page.expect("an element with MCIDs names its page");
                tree.claims.entry((page, *mcid)).or_default().push(id);
            }
            Object::Reference(child) => walk(doc, *child, tree, depth + 1),
            Object::Dictionary(d) => match d.get(b"Type").and_then(|t| t.as_name()) {
                Ok(b"MCR") => {
                    let page = d.get(b"Pg").unwrap().as_reference().unwrap();
                    let mcid = d.get(b"MCID").unwrap().as_i64().unwrap();
                    tree.claims.entry((page, mcid)).or_default().push(id);
                }
                Ok(b"OBJR") => {
                    let annot = doc.get_dictionary(d.get(b"Obj").unwrap().as_reference().unwrap());
                    let annot = annot.unwrap();
                    assert_eq!(annot.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
                    assert!(annot.get(b"StructParent").is_ok(), "a link without StructParent");
                    assert!(
                        !text(annot.get(b"Contents").unwrap()).is_empty(),
                        "a link without Contents"
                    );
                }
                other => panic!("unexpected kid {other:?}"),
            },
            other => panic!("unexpected kid {other:?}"),
        }
    }
}

/// What each page's content stream shows: every text-showing operator must
/// sit in exactly one marked-content sequence that is either an artifact or
/// carries an MCID. Returns the MCIDs of the page.
fn page_marks(doc: &Document, page: ObjectId, file: &Path) -> BTreeSet<i64> {
    let content = doc.get_and_decode_page_content(page).unwrap();
    let mut stack: Vec<Option<Option<i64>>> = Vec::new();
    let mut seen = BTreeSet::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" | "BMC" => {
                let tag = op.operands.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                let mcid = op
                    .operands
                    .get(1)
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"MCID").ok())
                    .and_then(|m| m.as_i64().ok());
                let mark = if tag == b"Artifact" {
                    Some(None)
                } else if let Some(m) = mcid {
                    assert!(seen.insert(m), "{}: MCID {m} used twice on a page", file.display());
                    Some(Some(m))
                } else {
                    None
                };
                stack.push(mark);
            }
            "EMC" => {
                stack.pop().expect("EMC without BDC");
            }
            "Tj" | "TJ" | "'" | "\"" => {
                let marks = stack.iter().filter(|m| m.is_some()).count();
                assert_eq!(
                    marks,
                    1,
                    "{}: text shown inside {marks} artifacts or tagged sequences",
                    file.display()
                );
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "{}: unbalanced marked content", file.display());
    seen
}

#[test]
fn every_text_belongs_to_exactly_one_element_or_artifact() {
    for file in build_everything("walk") {
        let doc = Document::load(&file).unwrap();
        let catalog = doc.catalog().unwrap();
        let mark_info = dict(&doc, catalog.get(b"MarkInfo").unwrap());
        assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
        assert!(!text(catalog.get(b"Lang").unwrap()).is_empty(), "{}: no /Lang", file.display());
        let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
        let mut tree = Tree::default();
        walk(&doc, root.get(b"K").unwrap().as_reference().unwrap(), &mut tree, 0);
        assert_eq!(tree.roles.first().map(String::as_str), Some("Document"));
        let nums = dict(&doc, root.get(b"ParentTree").unwrap()).get(b"Nums").unwrap();
        let nums = deref(&doc, nums).as_array().unwrap();
        let parents: BTreeMap<i64, &Object> =
            nums.chunks(2).map(|p| (p[0].as_i64().unwrap(), &p[1])).collect();
        let mut shown = BTreeSet::new();
        for (_, page) in doc.get_pages() {
            let d = doc.get_dictionary(page).unwrap();
            assert_eq!(d.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
            let key = d.get(b"StructParents").unwrap().as_i64().unwrap();
            let by_mcid = deref(&doc, parents[&key]).as_array().unwrap();
            for mcid in page_marks(&doc, page, &file) {
                let claims = tree.claims.get(&(page, mcid)).cloned().unwrap_or_default();
                assert_eq!(
                    claims.len(),
                    1,
                    "{}: MCID {mcid} is claimed by {} elements",
                    file.display(),
                    claims.len()
                );
                let listed = by_mcid[mcid as usize].as_reference().unwrap();
                assert_eq!(
                    listed,
                    claims[0],
                    "{}: ParentTree disagrees on MCID {mcid}",
                    file.display()
                );
                shown.insert((page, mcid));
            }
        }
        // …and no element claims content that is not there.
        let claimed: BTreeSet<(ObjectId, i64)> = tree.claims.keys().copied().collect();
        assert_eq!(claimed, shown, "{}: elements claim missing content", file.display());
    }
}

#[test]
fn each_chart_alt_names_its_title_and_categories() {
    let pdfs = build_everything("alt");
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let mut checked = 0;
    for source in example_briefs() {
        let bytes = std::fs::read(&source).unwrap();
        let b = brief::check(&source.display().to_string(), &bytes, &env).unwrap().value;
        let stem = source.file_stem().unwrap().to_str().unwrap().to_string();
        for fig in &b.figures {
            let export = pdfs
                .iter()
                .find(|p| p.ends_with(format!("charts-{stem}/{}.pdf", fig.id)))
                .expect("an exported chart per figure");
            let doc = Document::load(export).unwrap();
            let catalog = doc.catalog().unwrap();
            let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
            let mut tree = Tree::default();
            walk(&doc, root.get(b"K").unwrap().as_reference().unwrap(), &mut tree, 0);
            assert_eq!(tree.figures.len(), 1, "{}", export.display());
            let alt = &tree.figures[0];
            assert!(alt.contains(fig.title.trim()), "{alt:?} does not name {:?}", fig.title);
            // Few categories are all named; a long series is summarised by
            // its range.
            let named: Vec<&String> = if fig.categories.len() <= 12 {
                fig.categories.iter().collect()
            } else {
                vec![&fig.categories[0], &fig.categories[fig.categories.len() - 1]]
            };
            for c in named {
                assert!(alt.contains(c.trim()), "{alt:?} does not name the category {c:?}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} charts checked");
}

/// Every text line poppler finds in `pdf`, as (page from 1, top of the line
/// in PDF user space, its words joined by spaces): where a reader's tool sees
/// the headings, independently of how `brief` placed them.
fn lines_with_tops(pdf: &Path) -> Vec<(usize, f32, String)> {
    let xml = tool("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut out, mut page, mut height, mut top) = (Vec::new(), 0, 0.0, 0.0);
    let mut words: Vec<String> = Vec::new();
    for line in xml.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            height = attr(line, "height");
        } else if line.starts_with("<line ") {
            top = height - attr(line, "yMin");
            words.clear();
        } else if line.starts_with("<word ") {
            let word = line.split_once('>').unwrap().1.trim_end_matches("</word>");
            let word = word.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
            words.push(word.replace("&quot;", "\"").replace("&apos;", "'"));
        } else if line == "</line>" {
            out.push((page, top, words.join(" ")));
        }
    }
    out
}

#[test]
fn outline_entries_nest_by_level_and_point_at_their_headings() {
    let dir = scratch("outline");
    let out = dir.join("x.pdf");
    brief_ok(&["build", "briefs/kz-de-2026-03-12-draft.yaml", "-o", out.to_str().unwrap()], EPOCH);
    let doc = Document::load(&out).unwrap();
    let catalog = doc.catalog().unwrap();
    let outlines = dict(&doc, catalog.get(b"Outlines").unwrap());
    let page_numbers: BTreeMap<ObjectId, usize> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n as usize)).collect();
    /// An outline entry: depth, title, page (from 1) and top of its destination.
    type Entry = (usize, String, usize, f32);
    fn entries(
        doc: &Document,
        pages: &BTreeMap<ObjectId, usize>,
        first: Option<ObjectId>,
        depth: usize,
        out: &mut Vec<Entry>,
    ) {
        let mut next = first;
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
            let dest = item.get(b"Dest").unwrap().as_array().unwrap();
            let page = pages[&dest[0].as_reference().unwrap()];
            assert_eq!(dest[1].as_name().unwrap(), b"XYZ");
            out.push((depth, title, page, dest[3].as_float().unwrap()));
            if let Ok(first) = item.get(b"First") {
                assert!(item.get(b"Count").is_ok());
                let first = first.as_reference().unwrap();
                let child = doc.get_dictionary(first).unwrap();
                assert_eq!(child.get(b"Parent").unwrap().as_reference().unwrap(), id);
                entries(doc, pages, Some(first), depth + 1, out);
            }
            next = item.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    let mut all = Vec::new();
    let first = outlines.get(b"First").ok().and_then(|o| o.as_reference().ok());
    entries(&doc, &page_numbers, first, 0, &mut all);
    assert!(all.len() >= 5, "{all:?}");
    // The title, then the sections under it, then subsections under those.
    assert_eq!(all[0].0, 0);
    assert!(all[1..].iter().all(|(d, ..)| *d >= 1), "{all:?}");
    // Each entry leads to its heading as poppler reads the page: a line with
    // the entry's title on the destination's page, its top within a line's
    // height below the point the viewer scrolls to.
    let lines = lines_with_tops(&out);
    for (_, title, page, top) in &all {
        let found: Vec<f32> = lines
            .iter()
            .filter(|(p, _, text)| p == page && text == title)
            .map(|(_, line_top, _)| *line_top)
            .collect();
        assert!(!found.is_empty(), "{title:?}: no such line on page {page} (outline {all:?})");
        assert!(
            found.iter().any(|line_top| (0.0..=20.0).contains(&(top - line_top))),
            "{title:?}: the outline points at {top} on page {page}, the heading's top is at {found:?}"
        );
    }
    let labels = dict(&doc, catalog.get(b"PageLabels").unwrap());
    assert!(labels.get(b"Nums").is_ok());
}

/// Every example in every language: no English word of the generated
/// description (the chart's kind, "lowest", "values", …) is left in the Alt
/// of a non-English brief's chart, whatever is left once the source's own
/// texts (title, unit, categories, series, source) are taken out.
#[test]
fn a_chart_s_alt_is_in_the_brief_s_language() {
    let dir = scratch("alt-languages");
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() > 2)
            .map(str::to_lowercase)
            .collect()
    };
    // The words of a language's generated descriptions, from its wording file.
    let vocabulary = |code: &str| -> BTreeSet<String> {
        brief::locale::wording::source(code)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("\"alt: "))
            .flat_map(|l| words(l.split_once(": \"").map_or("", |(_, v)| v)))
            .collect()
    };
    let english = vocabulary("en");
    assert!(english.contains("lowest") && english.contains("chart"), "{english:?}");
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let mut checked = 0;
    for source in example_briefs() {
        let text = std::fs::read_to_string(&source).unwrap();
        let b = brief::check(&source.display().to_string(), text.as_bytes(), &env).unwrap().value;
        if b.figures.is_empty() {
            continue;
        }
        let own = |w: &String| {
            b.figures.iter().any(|f| {
                let mut texts = vec![f.title.clone()];
                texts.extend(f.unit.clone());
                texts.extend(f.source.clone());
                texts.extend(f.categories.clone());
                texts.extend(f.series.iter().map(|s| s.name.clone()));
                texts.iter().any(|t| words(t).contains(w))
            })
        };
        let stem = source.file_stem().unwrap().to_str().unwrap().to_string();
        for l in brief::locale::LANGUAGES.iter().filter(|l| l.code != "en") {
            // Italian's "area" is its own word too.
            let its_own = vocabulary(l.code);
            let yaml = dir.join(format!("{stem}-{}.yaml", l.code));
            let line = text.lines().find(|l| l.trim_start().starts_with("language:")).unwrap();
            let indent = &line[..line.len() - line.trim_start().len()];
            std::fs::write(&yaml, text.replace(line, &format!("{indent}language: {}", l.code)))
                .unwrap();
            let out = dir.join(format!("charts-{stem}-{}", l.code));
            brief_ok(
                &["charts", yaml.to_str().unwrap(), "-o", out.to_str().unwrap(), "--format", "pdf"],
                EPOCH,
            );
            for pdf in pdfs_in(&out) {
                let doc = Document::load(&pdf).unwrap();
                let root = dict(&doc, doc.catalog().unwrap().get(b"StructTreeRoot").unwrap());
                let mut tree = Tree::default();
                walk(&doc, root.get(b"K").unwrap().as_reference().unwrap(), &mut tree, 0);
                for alt in &tree.figures {
                    for w in words(alt) {
                        assert!(
                            !english.contains(&w) || its_own.contains(&w) || own(&w),
                            "{}: English `{w}` in {alt:?}",
                            pdf.display()
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 100, "only {checked} charts checked");
    let _ = std::fs::remove_dir_all(&dir);
}
