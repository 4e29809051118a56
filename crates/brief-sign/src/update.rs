//! The incremental update that signs a PDF: the original bytes untouched,
//! then the new and changed objects, a cross-reference stream and a trailer.
//!
//! New: the signature dictionary, the signature field (merged with its
//! widget: invisible, `/Rect [0 0 0 0]`, `/F 4` as PDF/A asks of every
//! annotation, `/TU` as PDF/UA asks of every field) and the `Form` structure
//! element that tags it. Changed: the catalog (`/AcroForm` with `/SigFlags 3`),
//! the last page (`/Annots`), the structure tree (the `Form` element under
//! the document element, and in the parent tree).

use std::io::Write;

use lopdf::{Dictionary, Object, ObjectId};
use sha2::{Digest, Sha256};

use crate::keys::Signer;

type Error = String;

/// Bytes reserved for the CMS beyond what a trial signature takes: an ECDSA
/// signature's DER varies by a few bytes.
const SLACK: usize = 32;

/// Width of each `/ByteRange` number: the placeholder is written first and
/// filled in place, so its length must not change.
const RANGE_DIGITS: usize = 10;

pub(crate) fn sign(pdf: &[u8], signer: &Signer) -> Result<Vec<u8>, Error> {
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| format!("cannot read it back ({e})"))?;
    let root = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| "no catalog")?;
    let mut catalog = doc.get_dictionary(root).map_err(|_| "no catalog")?.clone();
    if catalog.has(b"AcroForm") {
        return Err("it already has a form or a signature".into());
    }
    let page = *doc.get_pages().values().last().ok_or("it has no pages")?;
    let mut page_dict = doc.get_dictionary(page).map_err(|_| "a page is not a dictionary")?.clone();
    let size = doc.trailer.get(b"Size").and_then(Object::as_i64).map_err(|_| "no /Size")?;
    let size = u32::try_from(size).map_err(|_| "a bad /Size")?;
    let (sig, field, form) = ((size, 0), (size + 1, 0), (size + 2, 0));
    let xref_id = size + 3;

    // Changed objects, each rewritten whole under its own number.
    let mut changed: Vec<(ObjectId, Object)> = Vec::new();
    let mut acro = Dictionary::new();
    acro.set("Fields", vec![Object::Reference(field)]);
    acro.set("SigFlags", 3);
    catalog.set("AcroForm", acro);

    let mut widget = Dictionary::new();
    widget.set("Type", "Annot");
    widget.set("Subtype", "Widget");
    widget.set("FT", "Sig");
    widget.set("T", Object::string_literal("Signature"));
    let who = signer.name();
    widget.set("TU", text(&format!("Digital signature of {who}")));
    widget.set("V", sig);
    widget.set("Rect", vec![0.into(), 0.into(), 0.into(), 0.into()]);
    widget.set("F", 4);
    widget.set("P", page);

    match page_dict.get(b"Annots") {
        Ok(Object::Reference(id)) => {
            let mut list =
                doc.get_object(*id).and_then(Object::as_array).map_err(|_| "bad /Annots")?.clone();
            list.push(field.into());
            changed.push((*id, Object::Array(list)));
        }
        Ok(Object::Array(list)) => {
            let mut list = list.clone();
            list.push(field.into());
            page_dict.set("Annots", list);
        }
        _ => page_dict.set("Annots", vec![Object::Reference(field)]),
    }
    // PDF/UA: a page with annotations takes them in structure order.
    page_dict.set("Tabs", "S");

    let tagged = tag(&doc, &catalog, field, form, page, &who, &mut widget, &mut changed)?;
    changed.push((root, Object::Dictionary(catalog)));
    changed.push((page, Object::Dictionary(page_dict)));

    let created = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .and_then(|info| info.get(b"CreationDate"))
        .and_then(Object::as_str)
        .map(<[u8]>::to_vec)
        .map_err(|_| "no /CreationDate in the document information (the signing time)")?;

    let cms_len = crate::cms_sig::build(&[0; 32], signer)?.len() + SLACK;

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    // The signature dictionary, with placeholders filled in below.
    offsets.push((sig.0, out.len()));
    write!(
        out,
        "{} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M ",
        sig.0
    )
    .map_err(|e| e.to_string())?;
    write_object(&mut out, &Object::string_literal(created))?;
    out.extend_from_slice(b" /ByteRange ");
    let range_at = out.len();
    let range_len = 4 * (RANGE_DIGITS + 1) + 1;
    out.extend_from_slice(format!("[{}]", " ".repeat(range_len - 2)).as_bytes());
    out.extend_from_slice(b" /Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', cms_len * 2));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b" >>\nendobj\n");

    let mut objects: Vec<(ObjectId, Object)> = changed;
    objects.push((field, Object::Dictionary(widget)));
    if let Some(elem) = tagged {
        objects.push((form, Object::Dictionary(elem)));
    }
    for (id, object) in &objects {
        offsets.push((id.0, out.len()));
        writeln!(out, "{} {} obj", id.0, id.1).map_err(|e| e.to_string())?;
        write_object(&mut out, object)?;
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    offsets.push((xref_id, xref_at));
    xref_stream(&mut out, &doc, &mut offsets, &objects, xref_id)?;
    write!(out, "startxref\n{xref_at}\n%%EOF\n").map_err(|e| e.to_string())?;

    // The signed ranges: everything but the /Contents hex string.
    let total = out.len();
    let range = [0, contents_at, contents_end, total - contents_end];
    let mut text = format!("[{}", range.map(|n| n.to_string()).join(" "));
    if text.len() > range_len - 1 {
        return Err("the PDF is too large to sign".into());
    }
    text.extend(std::iter::repeat_n(' ', range_len - 1 - text.len()));
    text.push(']');
    out[range_at..range_at + range_len].copy_from_slice(text.as_bytes());
    let mut hasher = Sha256::new();
    hasher.update(&out[..contents_at]);
    hasher.update(&out[contents_end..]);
    let cms = crate::cms_sig::build(&hasher.finalize(), signer)?;
    if cms.len() > cms_len {
        return Err("the signature outgrew its placeholder".into());
    }
    let hex: String = cms.iter().map(|b| format!("{b:02X}")).collect();
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// Tags the field as PDF/UA asks: a `Form` element whose content is the
/// widget (an object reference), last in the document element, and the
/// widget's `/StructParent` entry in the parent tree. Untagged PDFs stay so.
#[allow(clippy::too_many_arguments)] // one step of `sign`, its values passed down
fn tag(
    doc: &lopdf::Document,
    catalog: &Dictionary,
    field: ObjectId,
    form: ObjectId,
    page: ObjectId,
    who: &str,
    widget: &mut Dictionary,
    changed: &mut Vec<(ObjectId, Object)>,
) -> Result<Option<Dictionary>, Error> {
    let Ok(tree_id) = catalog.get(b"StructTreeRoot").and_then(Object::as_reference) else {
        return Ok(None);
    };
    let mut tree = doc.get_dictionary(tree_id).map_err(|_| "bad structure tree")?.clone();
    // The element the Form goes under: the single top element (Document), else the root.
    let (parent_id, mut parent) = match tree.get(b"K") {
        Ok(Object::Reference(id)) => {
            (*id, doc.get_dictionary(*id).map_err(|_| "bad structure element")?.clone())
        }
        _ => (tree_id, tree.clone()),
    };
    let kid = Object::Reference(form);
    match parent.get(b"K") {
        Ok(Object::Array(list)) => {
            let mut list = list.clone();
            list.push(kid);
            parent.set("K", list);
        }
        Ok(one) => {
            let one = one.clone();
            parent.set("K", vec![one, kid]);
        }
        Err(_) => parent.set("K", vec![kid]),
    }
    let key = tree.get(b"ParentTreeNextKey").and_then(Object::as_i64).unwrap_or(0);
    let mut nums_owner: Option<ObjectId> = None;
    let mut ptree = match tree.get(b"ParentTree") {
        Ok(Object::Reference(id)) => {
            nums_owner = Some(*id);
            doc.get_dictionary(*id).map_err(|_| "bad parent tree")?.clone()
        }
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    if ptree.has(b"Kids") {
        return Err("its structure parent tree has kids; only flat trees are extended".into());
    }
    let mut nums = ptree.get(b"Nums").and_then(Object::as_array).cloned().unwrap_or_default();
    // A key past every key in use, whatever ParentTreeNextKey says.
    let used = nums.iter().step_by(2).filter_map(|k| k.as_i64().ok()).max().map_or(0, |m| m + 1);
    let key = key.max(used);
    nums.push(key.into());
    nums.push(kid_ref(form));
    ptree.set("Nums", nums);
    tree.set("ParentTreeNextKey", key + 1);
    match nums_owner {
        Some(id) => changed.push((id, Object::Dictionary(ptree))),
        None => tree.set("ParentTree", ptree),
    }
    widget.set("StructParent", key);
    if parent_id == tree_id {
        tree.set("K", parent.get(b"K").cloned().unwrap_or(Object::Null));
        changed.push((tree_id, Object::Dictionary(tree)));
    } else {
        changed.push((tree_id, Object::Dictionary(tree)));
        changed.push((parent_id, Object::Dictionary(parent)));
    }
    let mut objr = Dictionary::new();
    objr.set("Type", "OBJR");
    objr.set("Obj", field);
    objr.set("Pg", page);
    let mut elem = Dictionary::new();
    elem.set("Type", "StructElem");
    elem.set("S", "Form");
    elem.set("P", parent_id);
    elem.set("Pg", page);
    elem.set("Alt", text(&format!("Digital signature of {who}")));
    elem.set("K", objr);
    Ok(Some(elem))
}

fn kid_ref(id: ObjectId) -> Object {
    Object::Reference(id)
}

/// A PDF text string: PDFDocEncoding when ASCII, else UTF-16BE with its mark.
fn text(s: &str) -> Object {
    if s.is_ascii() {
        Object::string_literal(s)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    }
}

/// The update's cross-reference stream (the original uses one), chained to
/// the original's by `/Prev`, carrying its `/Root`, `/Info` and `/ID` (PDF/A
/// asks every trailer for the ID).
fn xref_stream(
    out: &mut Vec<u8>,
    doc: &lopdf::Document,
    offsets: &mut [(u32, usize)],
    _objects: &[(ObjectId, Object)],
    xref_id: u32,
) -> Result<(), Error> {
    offsets.sort_unstable();
    let mut index: Vec<Object> = Vec::new();
    let mut data = Vec::new();
    let mut run_start = None;
    let mut run_len = 0i64;
    let mut prev: Option<u32> = None;
    for &(id, at) in offsets.iter() {
        if prev.is_some_and(|p| p + 1 == id) {
            run_len += 1;
        } else {
            if let Some(start) = run_start {
                index.push(Object::Integer(i64::from(start)));
                index.push(run_len.into());
            }
            run_start = Some(id);
            run_len = 1;
        }
        prev = Some(id);
        let at = u32::try_from(at).map_err(|_| "the PDF is too large to sign")?;
        data.push(1u8);
        data.extend_from_slice(&at.to_be_bytes());
        data.extend_from_slice(&0u16.to_be_bytes());
    }
    if let Some(start) = run_start {
        index.push(Object::Integer(i64::from(start)));
        index.push(run_len.into());
    }
    let mut dict = Dictionary::new();
    dict.set("Type", "XRef");
    dict.set("Size", i64::from(xref_id) + 1);
    dict.set("Index", index);
    dict.set("W", vec![1.into(), 4.into(), 2.into()]);
    dict.set("Prev", doc.xref_start as i64);
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(v) = doc.trailer.get(key) {
            dict.set(key.to_vec(), v.clone());
        }
    }
    dict.set("Length", data.len() as i64);
    writeln!(out, "{xref_id} 0 obj").map_err(|e| e.to_string())?;
    write_object(out, &Object::Dictionary(dict))?;
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    Ok(())
}

/// PDF syntax for a direct object. Strings are written in hex, which needs
/// no escaping; a stream is never among the objects an update rewrites.
fn write_object(out: &mut Vec<u8>, object: &Object) -> Result<(), Error> {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(real(*r).as_bytes()),
        Object::Name(name) => name_bytes(out, name),
        Object::String(bytes, _) => {
            out.push(b'<');
            for b in bytes {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item)?;
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict.iter() {
                name_bytes(out, key);
                out.push(b' ');
                write_object(out, value)?;
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
        Object::Stream(_) => return Err("a changed object is a stream".into()),
    }
    Ok(())
}

/// A real in plain decimal notation (PDF has no exponents), shortest exact form.
fn real(r: f32) -> String {
    let text = format!("{r}");
    if text.contains(['e', 'E']) { format!("{r:.6}") } else { text }
}

/// A name, `#xx`-escaping what is not a regular character.
fn name_bytes(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        let delimiter = b"()<>[]{}/%#".contains(&b);
        if (b'!'..=b'~').contains(&b) && !delimiter {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_strings_are_escaped() {
        let mut out = Vec::new();
        let mut d = Dictionary::new();
        d.set("A b", Object::string_literal("x)"));
        d.set("N", vec![Object::Real(0.5), Object::Null, Object::Reference((3, 0))]);
        write_object(&mut out, &Object::Dictionary(d)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "<</A#20b <7829>/N [0.5 null 3 0 R]>>");
    }
}
