//! The last steps on the lopdf document: Info, outline, /ID, compression, bytes.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::PdfError;
use super::hash::Fnv128;
use crate::frame::{Bookmark, Document, Meta};

/// A fixed /ID written first and replaced by the content hash after saving;
/// the same length, so no offset in the file moves.
const ID_PLACEHOLDER: [u8; 16] = [0; 16];

/// Adds Info, outline and /ID, compresses and serializes.
pub(super) fn finish(mut lo: lopdf::Document, doc: &Document) -> Result<Vec<u8>, PdfError> {
    // Fill alpha (ExtGState /ca) is PDF 1.4; printpdf writes a 1.3 header.
    lo.version = "1.7".into();
    let info = info_dict(&doc.meta)?;
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", info_id);
    outline(&mut lo, doc)?;
    super::embed::attach(&mut lo, &doc.meta);
    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    // printpdf's own Info object is no longer referenced.
    lo.prune_objects();
    lo.renumber_objects();
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| PdfError::new(format!("serializing failed: {e}")))?;
    set_id(&mut bytes)?;
    Ok(bytes)
}

/// Deflates every stream at zlib level 3. Measured on the example brief
/// (callgrind, whole process): lopdf's own `compress` (best level) spent 21.8 M
/// instructions deflating for 27.1 KB; level 6 spent 10.9 M for 27.2 KB;
/// level 3 spends 6.8 M for 27.5 KB, which brings a whole `brief build` under
/// 15 ms at a cost of 2% in size.
fn compress(lo: &mut lopdf::Document) {
    use std::io::Write as _;
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
        let Ok(compressed) = encoder.write_all(&stream.content).and_then(|()| encoder.finish())
        else {
            continue;
        };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// The Info dictionary; empty fields are left out.
fn info_dict(meta: &Meta) -> Result<Dictionary, PdfError> {
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
    d.set("Producer", text_string("brief"));
    let date = pdf_date(meta.created)?;
    d.set("CreationDate", Object::string_literal(date.clone()));
    d.set("ModDate", Object::string_literal(date));
    Ok(d)
}

/// A PDF date string (UTC) for Unix seconds.
fn pdf_date(secs: i64) -> Result<String, PdfError> {
    chrono::DateTime::from_timestamp(secs, 0)
        .filter(|t| (0..=9999).contains(&chrono::Datelike::year(t)))
        .map(|t| t.format("D:%Y%m%d%H%M%SZ").to_string())
        .ok_or_else(|| PdfError::new(format!("creation time {secs} is out of range")))
}

/// A PDF text string: plain bytes for printable ASCII, else UTF-16BE with BOM.
fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Object::string_literal(s);
    }
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The outline, in the document's order (printpdf sorts by page and name):
/// each bookmark beneath the last one before it with a smaller level, open
/// at the top level. Bookmarks to missing pages are left out.
fn outline(lo: &mut lopdf::Document, doc: &Document) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let marks: Vec<(&Bookmark, ObjectId)> =
        doc.bookmarks.iter().filter_map(|b| pages.get(b.page).map(|&p| (b, p))).collect();
    if marks.is_empty() {
        return Ok(());
    }
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| lo.new_object_id()).collect();
    // Each entry's parent: the nearest entry before it with a smaller level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(marks.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, (mark, _)) in marks.iter().enumerate() {
        while stack.last().is_some_and(|&j| marks[j].0.level >= mark.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    // Children of each entry (index + 1), the top level at 0.
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); marks.len() + 1];
    for (i, p) in parent.iter().enumerate() {
        kids[p.map_or(0, |p| p + 1)].push(i);
    }
    let mut dicts: Vec<Dictionary> = Vec::with_capacity(marks.len());
    for (i, (mark, page)) in marks.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&mark.title));
        d.set("Parent", parent[i].map_or(root, |p| ids[p]));
        // Top of the page at the reader's current zoom.
        let top = doc.pages.get(mark.page).map_or(0.0, |p| p.height);
        d.set(
            "Dest",
            vec![Object::Reference(*page), "XYZ".into(), 0.into(), top.into(), Object::Null],
        );
        dicts.push(d);
    }
    let link = |kids: &[usize], dicts: &mut Vec<Dictionary>| {
        for (k, &i) in kids.iter().enumerate() {
            if k > 0 {
                dicts[i].set("Prev", ids[kids[k - 1]]);
            }
            if let Some(&next) = kids.get(k + 1) {
                dicts[i].set("Next", ids[next]);
            }
        }
    };
    let top_kids = &kids[0];
    link(top_kids, &mut dicts);
    for i in 0..marks.len() {
        let kids = &kids[i + 1];
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            link(kids, &mut dicts);
            dicts[i].set("First", ids[first]);
            dicts[i].set("Last", ids[last]);
            // Negative: closed, so a book's outline shows one line per brief.
            dicts[i].set("Count", -(kids.len() as i64));
        }
    }
    for (i, d) in dicts.into_iter().enumerate() {
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut top = Dictionary::new();
    top.set("Type", "Outlines");
    top.set("First", ids[top_kids[0]]);
    top.set("Last", ids[top_kids[top_kids.len() - 1]]);
    top.set("Count", top_kids.len() as i64);
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
