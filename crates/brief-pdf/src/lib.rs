//! PDF output: positioned pages to bytes, fonts embedded and subset.
//!
//! Fonts are subset here (`fonts`) and written as Type 0 fonts with `/W` and
//! ToUnicode maps; each page's content stream is written straight to bytes
//! (`content`), marked content (`BDC`/`EMC` with MCIDs) in the same pass as
//! the drawing. The lopdf document is then finished (`finish`, `structure`,
//! `xmp`): structure tree, link annotations, Info and XMP metadata, output
//! intent, outline, page labels; `serial` writes the bytes (one object
//! stream, an xref stream) and the trailer /ID is a hash of them. Output is
//! tagged (PDF/UA-1, PDF/A-2a) and byte-identical for identical input.
//!
//! printpdf built the pages until its object model (an operator list per
//! page, a font re-parsed with allsorts per document) cost more than the
//! page it described: 40 % of a brief's time and, with allsorts, a third of
//! a cold build. lopdf stays for the object model, finishing and reading.

mod content;
pub mod embed;
mod finish;
mod fonts;
mod serial;
mod structure;
#[cfg(test)]
mod tests;
mod xmp;

use std::collections::BTreeSet;
use std::fmt;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use brief_core::frame::{Document, Page};
use brief_core::text::FontBook;
use content::{Emitter, alpha_state_id};
use fonts::DocFonts;

/// Why a document could not be written.
#[derive(Debug)]
pub struct PdfError {
    message: String,
}

impl PdfError {
    fn new(message: String) -> Self {
        PdfError { message }
    }
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write PDF: {}", self.message)
    }
}

impl std::error::Error for PdfError {}

/// Writes a laid-out document as PDF bytes: fonts embedded and subset, the
/// same bytes for the same document and fonts in any process.
pub fn write(doc: &Document, fonts: &FontBook) -> Result<Vec<u8>, PdfError> {
    write_owned(doc.clone(), fonts)
}

/// [`write`], consuming the document: each page is freed as soon as it is
/// converted, so a long document is never held twice.
pub fn write_owned(mut doc: Document, fonts: &FontBook) -> Result<Vec<u8>, PdfError> {
    check_pages(&doc.pages)?;
    let used = DocFonts::collect(&doc, fonts)?;
    let mut lo = lopdf::Document::with_version("1.7");
    let tree = lo.new_object_id();
    let resources = lo.new_object_id();
    let font_dict = used.write(&mut lo)?;
    let mut alphas = BTreeSet::new();
    let pages = std::mem::take(&mut doc.pages);
    // The outline still needs each page's size.
    doc.pages = pages.iter().map(|p| Page { items: Vec::new(), ..*p }).collect();
    let roles: Vec<&'static str> = doc.structure.nodes.iter().map(|n| n.role.name()).collect();
    let mut tags = Vec::with_capacity(pages.len());
    let mut kids = Vec::with_capacity(pages.len());
    for page in pages {
        let mut emitter = Emitter::new(page.height, &used, fonts, &mut alphas, &roles);
        emitter.page(&page.items);
        let (content, page_tags) = emitter.finish();
        tags.push(page_tags);
        let content = lo.add_object(Stream::new(Dictionary::new(), content));
        let b = || -> Object {
            vec![0.into(), 0.into(), Object::Real(page.width), Object::Real(page.height)].into()
        };
        let mut d = Dictionary::new();
        d.set("Type", "Page");
        d.set("Parent", tree);
        d.set("MediaBox", b());
        d.set("CropBox", b());
        d.set("TrimBox", b());
        d.set("Resources", resources);
        d.set("Contents", content);
        kids.push(Object::Reference(lo.add_object(d)));
    }
    let mut states = Dictionary::new();
    for milli in alphas {
        let mut gs = Dictionary::new();
        gs.set("Type", "ExtGState");
        gs.set("ca", Object::Real(f32::from(milli) / 1000.0));
        states.set(alpha_state_id(milli).into_bytes(), gs);
    }
    let mut res = Dictionary::new();
    res.set("Font", font_dict);
    if !states.is_empty() {
        res.set("ExtGState", states);
    }
    lo.objects.insert(resources, Object::Dictionary(res));
    let mut node = Dictionary::new();
    node.set("Type", "Pages");
    node.set("Count", kids.len() as i64);
    node.set("Kids", kids);
    lo.objects.insert(tree, Object::Dictionary(node));
    let mut catalog = Dictionary::new();
    catalog.set("Type", "Catalog");
    catalog.set("Pages", tree);
    let catalog: ObjectId = lo.add_object(catalog);
    lo.trailer.set("Root", catalog);
    finish::finish(lo, &doc, &tags)
}

/// Pages must exist and have a real size, or viewers reject the file.
fn check_pages(pages: &[Page]) -> Result<(), PdfError> {
    if pages.is_empty() {
        return Err(PdfError::new("the document has no pages".into()));
    }
    for (i, p) in pages.iter().enumerate() {
        let ok = |v: f32| v.is_finite() && v > 0.0 && v <= 14_400.0;
        if !ok(p.width) || !ok(p.height) {
            return Err(PdfError::new(format!(
                "page {} has an invalid size {} × {}",
                i + 1,
                p.width,
                p.height
            )));
        }
    }
    Ok(())
}
