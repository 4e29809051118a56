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

/// What [`read`] says of a PDF without an embedded source.
pub const MISSING: &str = "this PDF has no embedded brief source";

/// Most bytes any one stream of a PDF read back may inflate to, the embedded
/// source included: the source limit (`brief_source::MAX_BYTES`, a test in
/// the root crate keeps them equal), as the source is a brief.
pub const MAX_INFLATED: usize = 8 * 1024 * 1024;
/// Most object streams a PDF read back may have (a brief's PDF has one);
/// lopdf keeps each inflated, so this bounds what they hold too.
pub const MAX_OBJECT_STREAMS: usize = 4;
/// Most objects a PDF read back may have (a long brief has a few thousand).
pub const MAX_OBJECTS: usize = 200_000;
/// Most bytes of strings, names and stream data its objects may hold in all.
pub const MAX_HELD: usize = 64 << 20;

thread_local! {
    /// What the PDF being loaded on this thread has taken so far: object
    /// streams, objects, bytes held; and whether a bound was passed.
    static TAKEN: std::cell::Cell<(usize, usize, usize, bool)> =
        const { std::cell::Cell::new((0, 0, 0, false)) };
}

/// lopdf's load filter, called for every object as it is read and for every
/// object stream before it is inflated: counts them, and drops what passes
/// a bound (noting it), so a hostile PDF never costs more than the bounds.
fn bounded(id: (u32, u16), object: &mut Object) -> Option<((u32, u16), Object)> {
    let (mut streams, mut objects, mut held, mut over) = TAKEN.with(std::cell::Cell::get);
    if over {
        return None;
    }
    objects += 1;
    if let Object::Stream(s) = &*object
        && s.dict.has_type(b"ObjStm")
    {
        streams += 1;
    }
    held = held.saturating_add(weight(object, 0));
    over = streams > MAX_OBJECT_STREAMS || objects > MAX_OBJECTS || held > MAX_HELD;
    TAKEN.with(|t| t.set((streams, objects, held, over)));
    // lopdf keeps `object` for an object read directly and the returned
    // copy for one inside an object stream.
    (!over).then(|| (id, object.clone()))
}

/// The bytes an object holds, roughly (nesting is bounded by lopdf's parser).
fn weight(object: &Object, depth: usize) -> usize {
    let inner = |o: &Object| if depth < 128 { weight(o, depth + 1) } else { 0 };
    16 + match object {
        Object::String(s, _) | Object::Name(s) => s.len(),
        Object::Array(a) => a.iter().map(inner).sum(),
        Object::Dictionary(d) => d.iter().map(|(k, v)| k.len() + inner(v)).sum(),
        Object::Stream(s) => s.content.len() + d_weight(&s.dict, depth),
        _ => 0,
    }
}

fn d_weight(d: &Dictionary, depth: usize) -> usize {
    d.iter().map(|(k, v)| k.len() + if depth < 128 { weight(v, depth + 1) } else { 0 }).sum()
}

/// The embedded source of a PDF built with `--embed-source`. The PDF is
/// outside input: every stream inflated is bounded while it inflates
/// ([`MAX_INFLATED`]), and so are its object streams, objects and the bytes
/// they hold; a PDF past a bound is refused, never read whole.
pub fn read(pdf: &[u8]) -> Result<Vec<u8>, String> {
    TAKEN.with(|t| t.set((0, 0, 0, false)));
    let options = lopdf::LoadOptions {
        filter: Some(bounded),
        max_decompressed_size: Some(MAX_INFLATED),
        ..Default::default()
    };
    let lo = lopdf::Document::load_mem_with_options(pdf, options);
    let (_, _, _, over) = TAKEN.with(std::cell::Cell::get);
    if over {
        return Err(format!(
            "the PDF is too large to read back: more than {MAX_OBJECT_STREAMS} object streams, {MAX_OBJECTS} objects or {} MiB of data",
            MAX_HELD >> 20
        ));
    }
    let lo = lo.map_err(|e| format!("cannot read the PDF ({e})"))?;
    let missing = || MISSING.to_string();
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
    let too_large = || {
        format!(
            "the embedded source is more than {} MiB, the limit of a source",
            MAX_INFLATED >> 20
        )
    };
    let bytes = if stream.dict.get(b"Filter").is_ok() {
        // Inflated with the limit, never inflated whole and then measured.
        stream.decompressed_content_with_limit(MAX_INFLATED).map_err(|e| match e {
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
                too_large()
            }
            e => format!("cannot read the embedded source ({e})"),
        })?
    } else {
        stream.content.clone()
    };
    if bytes.len() > MAX_INFLATED {
        return Err(too_large());
    }
    Ok(bytes)
}
