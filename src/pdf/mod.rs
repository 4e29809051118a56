//! PDF output: positioned pages to bytes with printpdf, fonts embedded and subset.
//!
//! Fonts are subset here (`fonts`); printpdf builds the pages and font
//! objects (with `/W` and ToUnicode maps), the content streams carrying
//! marked content (`BDC`/`EMC` with MCIDs, through printpdf's marked-content
//! operations, written in the same pass as the drawing); the resulting lopdf
//! document is then finished here (`finish`, `structure`, `xmp`): structure
//! tree, link annotations, Info and XMP metadata, output intent, outline,
//! page labels; `serial` writes the bytes (one object stream, an xref
//! stream) and the trailer /ID is a hash of them. Output is tagged (PDF/UA-1,
//! PDF/A-2a) and byte-identical for identical input.

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

use printpdf::{ExtendedGraphicsState, PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect};

use crate::frame::{Document, Page};
use crate::text::FontBook;
use content::{Emitter, Tags, alpha_state_id};
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
    let mut pdf = PdfDocument::new("");
    used.register(&mut pdf)?;
    let mut alphas = BTreeSet::new();
    let pages = std::mem::take(&mut doc.pages);
    // The outline still needs each page's size.
    doc.pages = pages.iter().map(|p| Page { items: Vec::new(), ..*p }).collect();
    let roles: Vec<&'static str> = doc.structure.nodes.iter().map(|n| n.role.name()).collect();
    let mut tags = Vec::with_capacity(pages.len());
    pdf.pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, page)| {
            let (pdf_page, page_tags) = pdf_page(&page, i, &used, fonts, &mut alphas, &roles);
            tags.push(page_tags);
            pdf_page
        })
        .collect();
    for milli in alphas {
        let gs =
            ExtendedGraphicsState::default().with_current_fill_alpha(f32::from(milli) / 1000.0);
        pdf.resources.extgstates.map.insert(alpha_state_id(milli), gs);
    }
    let opts = PdfSaveOptions {
        // Path operators go through `Op::Unknown`, which `secure` would drop.
        secure: false,
        ..PdfSaveOptions::default()
    };
    // printpdf reports misuse (text outside BT/ET, colours out of range)
    // here; this writer avoids all of it, and the output is valid regardless.
    let mut warnings = Vec::new();
    let lo = pdf.to_lopdf_document(&opts, &mut warnings);
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

fn pdf_page(
    page: &Page,
    index: usize,
    fonts: &DocFonts,
    book: &FontBook,
    alphas: &mut BTreeSet<u16>,
    roles: &[&'static str],
) -> (PdfPage, Tags) {
    let mut emitter = Emitter::new(page.height, index, fonts, book, alphas, roles);
    emitter.page(&page.items);
    let (ops, tags) = emitter.finish();
    let b = Rect::from_wh(Pt(page.width), Pt(page.height));
    (PdfPage { media_box: b.clone(), trim_box: b.clone(), crop_box: b, ops }, tags)
}
