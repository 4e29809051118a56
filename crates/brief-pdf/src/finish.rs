//! The last steps on the lopdf document: structure tree, Info and XMP
//! metadata, output intent, outline, page labels, /ID, compression, bytes.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::PdfError;
use super::content::Tags;
use super::serial::Deflater;
use super::xmp::{self, PRODUCER};
use brief_core::frame::{Bookmark, Document, Meta};
use brief_core::hash::Fnv128;

/// The output intent's profile: sRGB IEC 61966-2.1, compact ICC v4 (`colour/LICENSE`).
const SRGB: &[u8] = include_bytes!("../../../colour/sRGB-v4.icc");

/// A fixed /ID written first and replaced by the content hash after saving;
/// the same length, so no offset in the file moves.
const ID_PLACEHOLDER: [u8; 16] = [0; 16];

/// Adds Info, outline and /ID, compresses and serializes.
pub(super) fn finish(
    mut lo: lopdf::Document,
    doc: &Document,
    tags: &[Tags],
) -> Result<Vec<u8>, PdfError> {
    let created = Created::at(doc.meta.created)?;
    let info = info_dict(&doc.meta, &created);
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", info_id);
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let (tree, elements) = super::structure::write(&mut lo, &doc.structure, tags, &pages);
    let metadata = metadata(&mut lo, &doc.meta, &created);
    let intent = output_intent(&mut lo);
    outline(&mut lo, doc, &pages)?;
    let catalog = lo.catalog_mut().map_err(|e| PdfError::new(format!("no catalog: {e}")))?;
    catalog.set("StructTreeRoot", tree);
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", true);
    catalog.set("MarkInfo", mark_info);
    if !doc.meta.language.is_empty() {
        catalog.set("Lang", text_string(&doc.meta.language));
    }
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    catalog.set("ViewerPreferences", prefs);
    catalog.set("Metadata", metadata);
    catalog.set("OutputIntents", vec![Object::Reference(intent)]);
    // Page labels 1, 2, 3…, so a viewer's page box shows what the footer says.
    let mut decimal = Dictionary::new();
    decimal.set("S", "D");
    let mut labels = Dictionary::new();
    labels.set("Nums", vec![0.into(), Object::Dictionary(decimal)]);
    catalog.set("PageLabels", labels);
    super::embed::attach(&mut lo, &doc.meta, &created);
    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    // One compressor for every stream: making one costs more than a small stream.
    let mut deflater = Deflater::new();
    compress(&mut lo, &mut deflater);
    // Every dictionary (the structure tree is hundreds of small ones) goes
    // into one compressed object stream, with a cross-reference stream: the
    // structure tree costs a fraction of its size as plain objects.
    let mut bytes = super::serial::serialize(&lo, &elements, &mut deflater)
        .ok_or_else(|| PdfError::new("deflating the object stream failed".into()))?;
    set_id(&mut bytes)?;
    Ok(bytes)
}

/// Deflates every stream at zlib level 3 (miniz_oxide). Measured on the
/// example brief (callgrind, whole process): lopdf's own `compress` (best
/// level) spent 21.8 M instructions deflating for 27.1 KB; level 6 spent
/// 10.9 M for 27.2 KB; level 3 6.8 M for 27.5 KB. zlib-rs at level 6 wrote
/// 2.3 % less in the same wall time on a 100-brief batch (337 vs 331 ms,
/// best of 7), but it is one more crate to build beside the miniz_oxide
/// that lopdf needs anyway.
fn compress(lo: &mut lopdf::Document, deflater: &mut Deflater) {
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let has = |key: &[u8]| stream.dict.get(key).is_ok();
        // A font program or the colour profile: often the very bytes the
        // thread deflated for the brief before (an embedded source is not).
        let program = has(b"Length1")
            || has(b"N")
            || stream
                .dict
                .get(b"Subtype")
                .is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"CIDFontType0C"));
        let content = !(has(b"Subtype") || has(b"N") || has(b"Length1"));
        let compressed = if program {
            deflate_kept(deflater, &stream.content)
        } else {
            deflater.deflate(&stream.content)
        };
        let Some(mut compressed) = compressed else { continue };
        // Deflated data ending in a carriage return is ambiguous before
        // `endstream` (see `Deflater::deflate_padded`): a page's content takes
        // a trailing newline; a font, profile or embedded file stays as it is.
        if compressed.last() == Some(&b'\r') {
            if !content {
                continue;
            }
            let mut data = stream.content.clone();
            match deflater.deflate_padded(&mut data, b"\n") {
                Some(again) => compressed = again,
                None => continue,
            }
        }
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// `data` deflated, from this thread's last few font programs and profiles
/// when it is one of them. Briefs of one template in a batch embed the same
/// subsets again and again (the symbols, the bold of the headings, the
/// profile), and deflating was the largest cost of writing; the stored input
/// is compared whole, so a hit is always the very same bytes, and the
/// compressor is deterministic, so the PDF never depends on the cache.
fn deflate_kept(deflater: &mut Deflater, data: &[u8]) -> Option<Vec<u8>> {
    /// Inputs and outputs kept per thread; the oldest goes first.
    const KEEP: usize = 32;
    thread_local! {
        static KEPT: std::cell::RefCell<std::collections::VecDeque<(Vec<u8>, Vec<u8>)>> =
            Default::default();
    }
    if data.len() > 4 << 20 {
        return deflater.deflate(data);
    }
    let hit = KEPT.with(|kept| {
        kept.borrow().iter().find(|(input, _)| input.as_slice() == data).map(|(_, out)| out.clone())
    });
    if hit.is_some() {
        return hit;
    }
    let out = deflater.deflate(data)?;
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() == KEEP {
            kept.pop_front();
        }
        kept.push_back((data.to_vec(), out.clone()));
    });
    Some(out)
}

/// The Info dictionary; empty fields are left out.
fn info_dict(meta: &Meta, created: &Created) -> Dictionary {
    let mut d = Dictionary::new();
    let keywords = meta.keywords.join(", ");
    for (key, value) in [
        ("Title", &meta.title),
        ("Author", &meta.author),
        ("Subject", &meta.subject),
        ("Keywords", &keywords),
    ] {
        if !value.is_empty() {
            d.set(key, text_string(value));
        }
    }
    d.set("Producer", text_string(PRODUCER));
    d.set("Creator", text_string(PRODUCER));
    d.set("CreationDate", Object::string_literal(created.pdf.clone()));
    d.set("ModDate", Object::string_literal(created.pdf.clone()));
    d
}

/// The XMP packet, as an uncompressed metadata stream (PDF/A forbids a
/// filter on it, so any tool can read it).
fn metadata(lo: &mut lopdf::Document, meta: &Meta, created: &Created) -> ObjectId {
    let mut dict = Dictionary::new();
    dict.set("Type", "Metadata");
    dict.set("Subtype", "XML");
    let stream =
        Stream::new(dict, xmp::packet(meta, &created.xmp).into_bytes()).with_compression(false);
    lo.add_object(stream)
}

/// The sRGB output intent every colour in the document is meant for.
fn output_intent(lo: &mut lopdf::Document) -> ObjectId {
    let mut dict = Dictionary::new();
    dict.set("N", 3);
    let profile = lo.add_object(Stream::new(dict, SRGB.to_vec()));
    let mut intent = Dictionary::new();
    intent.set("Type", "OutputIntent");
    intent.set("S", "GTS_PDFA1");
    intent.set("OutputConditionIdentifier", Object::string_literal("sRGB IEC61966-2.1"));
    intent.set("Info", Object::string_literal("sRGB IEC61966-2.1"));
    intent.set("DestOutputProfile", profile);
    lo.add_object(intent)
}

/// The document's creation time in the two forms a PDF writes it, checked
/// once: every date the file carries (Info, XMP, the embedded source's
/// parameters) is this one, or the document is not written.
pub(super) struct Created {
    /// A PDF date string (UTC): `D:20210705000000Z`.
    pub pdf: String,
    /// An XMP date (UTC): `2021-07-05T00:00:00Z`.
    pub xmp: String,
}

impl Created {
    /// The forms of Unix seconds `secs`; an error outside the years 0 to 9999.
    fn at(secs: i64) -> Result<Created, PdfError> {
        let t = chrono::DateTime::from_timestamp(secs, 0)
            .filter(|t| (0..=9999).contains(&chrono::Datelike::year(t)))
            .ok_or_else(|| PdfError::new(format!("creation time {secs} is out of range")))?;
        Ok(Created {
            pdf: t.format("D:%Y%m%d%H%M%SZ").to_string(),
            xmp: t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        })
    }
}

/// A PDF text string: plain bytes for printable ASCII, else UTF-16BE with BOM
/// (as a literal string; `serial` escapes parentheses, backslashes and CRs).
pub(super) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Object::string_literal(s);
    }
    let bytes = utf16(s);
    // Literal, not hex: half the bytes, which shows once every chart
    // carries a long Alt text.
    Object::String(bytes, StringFormat::Literal)
}

/// Text as UTF-16BE with its byte order mark: the one encoding of a PDF
/// text string beyond ASCII, in the document's dictionaries and in content
/// streams (`/ActualText`) alike.
pub(super) fn utf16(s: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(2 + 2 * s.len());
    bytes.extend([0xfe, 0xff]);
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// The outline: headings nested by level (a level-3 heading under the
/// level-2 one before it), each pointing at the heading itself, in the
/// document's order. Bookmarks to missing pages are left out.
fn outline(lo: &mut lopdf::Document, doc: &Document, pages: &[ObjectId]) -> Result<(), PdfError> {
    let marks: Vec<(&Bookmark, ObjectId)> =
        doc.bookmarks.iter().filter_map(|b| pages.get(b.page).map(|&p| (b, p))).collect();
    if marks.is_empty() {
        return Ok(());
    }
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| lo.new_object_id()).collect();
    // Each entry's parent: the nearest earlier entry of a shallower level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(marks.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, (mark, _)) in marks.iter().enumerate() {
        while open.last().is_some_and(|&j| marks[j].0.level >= mark.level) {
            open.pop();
        }
        parent.push(open.last().copied());
        open.push(i);
    }
    // Children of each entry and of the root (last), and descendant counts,
    // in one pass each: a long brief has thousands of headings.
    let root_slot = marks.len();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); marks.len() + 1];
    for (i, p) in parent.iter().enumerate() {
        kids[p.unwrap_or(root_slot)].push(i);
    }
    let mut descendants = vec![0_i64; marks.len()];
    for i in (0..marks.len()).rev() {
        if let Some(p) = parent[i] {
            descendants[p] += descendants[i] + 1;
        }
    }
    let mut position = vec![0; marks.len()];
    for siblings in &kids {
        for (at, &i) in siblings.iter().enumerate() {
            position[i] = at;
        }
    }
    for (i, (mark, page)) in marks.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&mark.title));
        d.set("Parent", parent[i].map_or(root, |p| ids[p]));
        // The heading's top, a little above it, at the reader's zoom.
        let height = doc.pages.get(mark.page).map_or(0.0, |p| p.height);
        let top = (height - mark.y + 4.0).clamp(0.0, height.max(0.0));
        let top = (top * 100.0).round() / 100.0;
        d.set(
            "Dest",
            vec![Object::Reference(*page), "XYZ".into(), Object::Null, top.into(), Object::Null],
        );
        let siblings = &kids[parent[i].unwrap_or(root_slot)];
        let at = position[i];
        if at > 0 {
            d.set("Prev", ids[siblings[at - 1]]);
        }
        if let Some(&next) = siblings.get(at + 1) {
            d.set("Next", ids[next]);
        }
        if let (Some(&first), Some(&last)) = (kids[i].first(), kids[i].last()) {
            d.set("First", ids[first]);
            d.set("Last", ids[last]);
            // A book's brief (level 0) is closed, so its outline shows one
            // line per brief; headings are open.
            let count = if mark.level == 0 { -(kids[i].len() as i64) } else { descendants[i] };
            d.set("Count", count);
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top_level = &kids[root_slot];
    let mut top = Dictionary::new();
    top.set("Type", "Outlines");
    if let (Some(&first), Some(&last)) = (top_level.first(), top_level.last()) {
        top.set("First", ids[first]);
        top.set("Last", ids[last]);
    }
    // Entries shown when the outline opens: all but those inside a closed one.
    let visible = (0..marks.len())
        .filter(|&i| {
            let mut p = parent[i];
            while let Some(j) = p {
                if marks[j].0.level == 0 {
                    return false;
                }
                p = parent[j];
            }
            true
        })
        .count();
    top.set("Count", visible as i64);
    lo.objects.insert(root, Object::Dictionary(top));
    let catalog = lo.catalog_mut().map_err(|e| PdfError::new(format!("no catalog: {e}")))?;
    catalog.set("Outlines", root);
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// Replaces the placeholder /ID pair (the last two in the file, in the
/// trailer) by a hash of everything before it.
fn set_id(bytes: &mut [u8]) -> Result<(), PdfError> {
    let needle = format!("<{}>", "00".repeat(ID_PLACEHOLDER.len()));
    let find_last = |hay: &[u8]| hay.windows(needle.len()).rposition(|w| w == needle.as_bytes());
    let missing = || PdfError::new("trailer /ID not found".into());
    let second = find_last(bytes).ok_or_else(missing)?;
    let first = find_last(&bytes[..second]).ok_or_else(missing)?;
    let id = format!("<{:032X}>", Fnv128::new().bytes(&bytes[..first]).finish());
    for start in [first, second] {
        bytes[start..start + needle.len()].copy_from_slice(id.as_bytes());
    }
    Ok(())
}
