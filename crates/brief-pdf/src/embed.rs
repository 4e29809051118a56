//! The embedded source (`--embed-source`): the brief's validated model as
//! canonical JSON, attached as a PDF/A-3 associated file (`/AF`, relationship
//! `/Source`) and listed in the document's embedded files, so
//! `--changes-since OLD.pdf` can read the old version back. Never the YAML
//! text: its comments may say what the reader must not see.

use lopdf::{Dictionary, Object, Stream, StringFormat};

/// The attachment's file name.
pub const NAME: &str = "brief-source.json";

/// Attaches the document's embedded source, when it has one. PDF/A-3 asks
/// the file for its type, size and date: the date is the document's own, so
/// the bytes stay reproducible.
pub(super) fn attach(
    lo: &mut lopdf::Document,
    meta: &brief_core::frame::Meta,
    created: &super::finish::Created,
) {
    let Some(json) = meta.embedded.as_deref() else { return };
    let mut params = Dictionary::new();
    params.set("Size", json.len() as i64);
    params.set("ModDate", Object::string_literal(created.pdf.clone()));
    let mut file = Dictionary::new();
    file.set("Type", "EmbeddedFile");
    file.set("Subtype", Object::Name(b"application/json".to_vec()));
    file.set("Params", params);
    let stream = lo.add_object(Stream::new(file, json.to_vec()));
    let mut ef = Dictionary::new();
    ef.set("F", stream);
    ef.set("UF", stream);
    let mut spec = Dictionary::new();
    spec.set("Type", "Filespec");
    spec.set("F", Object::string_literal(NAME));
    spec.set("UF", Object::string_literal(NAME));
    spec.set("Desc", Object::string_literal("The brief's validated model (canonical JSON)"));
    spec.set("AFRelationship", "Source");
    spec.set("EF", ef);
    let spec = lo.add_object(spec);
    let mut tree = Dictionary::new();
    tree.set(
        "Names",
        vec![Object::String(NAME.as_bytes().to_vec(), StringFormat::Literal), spec.into()],
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", tree);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Names", names);
        catalog.set("AF", vec![Object::Reference(spec)]);
    }
}

/// The embedded source of a PDF built with `--embed-source`.
pub fn read(pdf: &[u8]) -> Result<Vec<u8>, String> {
    let lo = lopdf::Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF ({e})"))?;
    let missing = || "this PDF has no embedded brief source".to_string();
    let catalog = lo.catalog().map_err(|_| missing())?;
    let resolve = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => lo.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let names = catalog.get(b"Names").ok().and_then(resolve).ok_or_else(missing)?;
    let tree = names.as_dict().ok().and_then(|d| d.get(b"EmbeddedFiles").ok()).and_then(resolve);
    let list = tree
        .as_ref()
        .and_then(|t| t.as_dict().ok()?.get(b"Names").ok().and_then(resolve))
        .ok_or_else(missing)?;
    let list = list.as_array().map_err(|_| missing())?;
    let spec = list
        .chunks(2)
        .find(|pair| pair[0].as_str().is_ok_and(|n| n == NAME.as_bytes()))
        .and_then(|pair| resolve(pair.get(1)?))
        .ok_or_else(missing)?;
    let ef = spec.as_dict().ok().and_then(|d| d.get(b"EF").ok()).and_then(resolve);
    let file = ef
        .as_ref()
        .and_then(|ef| resolve(ef.as_dict().ok()?.get(b"F").ok()?))
        .ok_or_else(missing)?;
    let stream = file.as_stream().map_err(|_| missing())?;
    let bytes = if stream.dict.get(b"Filter").is_ok() {
        stream
            .decompressed_content()
            .map_err(|e| format!("cannot read the embedded source ({e})"))?
    } else {
        stream.content.clone()
    };
    Ok(bytes)
}
