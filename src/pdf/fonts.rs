//! Faces as printpdf sees them: parsed once per process, named deterministically.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};

use super::PdfError;
use super::hash::Fnv128;
use crate::frame::{Document, FontStyle, Item};
use crate::text::FontBook;

/// A face parsed for printpdf, plus a fingerprint of its bytes.
pub(super) struct Parsed {
    font: ParsedFont,
    digest: u128,
}

/// printpdf parses are cached for the process, keyed by the address and
/// length of the face bytes: a [`FontBook`]'s bytes are `'static` (never
/// freed), so an address cannot be reused by other data.
static PARSED: Mutex<Vec<(FaceKey, Arc<Parsed>)>> = Mutex::new(Vec::new());

/// Address and length of a face's bytes.
type FaceKey = (usize, usize);

/// The printpdf parse of one face of `book`, from the cache or fresh.
fn parsed(book: &FontBook, style: FontStyle) -> Result<Arc<Parsed>, PdfError> {
    let bytes = book.static_bytes(style);
    let key = (bytes.as_ptr() as usize, bytes.len());
    // A poisoned cache still holds valid entries; keep using it.
    let mut cache = PARSED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(Arc::clone(p));
    }
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
        .ok_or_else(|| PdfError::new(format!("printpdf cannot parse the {style:?} face")))?;
    // The sfnt header and table directory (with every table's checksum) tell
    // faces apart as well as the whole file would, at a fraction of the cost.
    let head = &bytes[..bytes.len().min(4096)];
    let digest = Fnv128::new().u128(bytes.len() as u128).bytes(head).finish();
    let p = Arc::new(Parsed { font, digest });
    cache.push((key, Arc::clone(&p)));
    Ok(p)
}

/// One face as used by a document.
pub(super) struct UsedFace {
    /// Resource name and (first six letters) subset tag.
    pub id: FontId,
    parsed: Arc<Parsed>,
    /// The text each glyph stands for in the ToUnicode map.
    texts: BTreeMap<u16, Candidate>,
}

/// A glyph's extraction text, whether the face's cmap agrees with it, and
/// the last page that draws it.
struct Candidate {
    text: String,
    direct: bool,
    last_page: usize,
}

impl UsedFace {
    /// The one text written for `gid` in the document, handed to printpdf
    /// only on the last page that draws it: printpdf keeps a single ToUnicode
    /// entry per glyph, whichever op came last, and a text on every glyph of
    /// a long document cost more memory than its frames.
    pub fn text_on(&self, gid: u16, page: usize) -> Option<String> {
        self.texts.get(&gid).filter(|c| c.last_page == page).map(|c| c.text.clone())
    }

    /// printpdf's `/W` width of `gid` in 1/1000 em: the viewer advances by
    /// this, so TJ offsets must make up the difference to the shaper.
    pub fn pdf_width(&self, gid: u16) -> f64 {
        let f = &self.parsed.font;
        let upem = f32::from(f.pdf_font_metrics.units_per_em.max(1));
        // Same arithmetic (f32, truncation) as printpdf's serializer.
        f.get_or_decode_glyph(gid).map_or(0, |g| (g.horz_advance as f32 * 1000.0 / upem) as i64)
            as f64
    }

    /// Records that `gid` was drawn standing for `text`. The first non-empty
    /// text wins, except that a text the cmap maps straight to `gid` beats
    /// one that does not (é from "é" rather than "e\u{301}").
    fn note(&mut self, book: &FontBook, style: FontStyle, gid: u16, text: &str, page: usize) {
        let direct = single_char(text).is_some_and(|c| book.glyph_id(style, c) == Some(gid));
        let entry = self.texts.entry(gid).or_insert(Candidate {
            text: String::new(),
            direct: false,
            last_page: page,
        });
        let better = (entry.text.is_empty() && !text.is_empty()) || (direct && !entry.direct);
        if better {
            *entry = Candidate { text: text.to_owned(), direct, last_page: page };
        }
        entry.last_page = page;
    }
}

/// The only character of `text`, if it has exactly one.
fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The faces a document uses, in [`FontStyle::ALL`] order.
pub(super) struct DocFonts {
    faces: [Option<UsedFace>; 4],
}

impl DocFonts {
    /// Walks the document once to find the faces and glyphs it uses.
    pub fn collect(doc: &Document, book: &FontBook) -> Result<DocFonts, PdfError> {
        let mut fonts = DocFonts { faces: [None, None, None, None] };
        for (i, page) in doc.pages.iter().enumerate() {
            fonts.visit(&page.items, book, i)?;
        }
        fonts.name_faces();
        Ok(fonts)
    }

    fn visit(&mut self, items: &[Item], book: &FontBook, page: usize) -> Result<(), PdfError> {
        for item in items {
            match item {
                Item::Text(run) if !run.glyphs.is_empty() => {
                    let face = self.face_mut(book, run.font)?;
                    let count = face.parsed.font.num_glyphs;
                    for g in &run.glyphs {
                        if g.gid >= count {
                            let msg = format!(
                                "glyph {} is not in the {:?} face ({count} glyphs)",
                                g.gid, run.font
                            );
                            return Err(PdfError::new(msg));
                        }
                        face.note(book, run.font, g.gid, &g.text, page);
                    }
                }
                Item::Rotated { items, .. } => self.visit(items, book, page)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn face_mut(&mut self, book: &FontBook, style: FontStyle) -> Result<&mut UsedFace, PdfError> {
        let slot = &mut self.faces[style.index()];
        if slot.is_none() {
            let parsed = parsed(book, style)?;
            *slot = Some(UsedFace { id: FontId(String::new()), parsed, texts: BTreeMap::new() });
        }
        slot.as_mut().ok_or_else(|| PdfError::new("font slot vanished".into()))
    }

    /// Names each face from its bytes and its glyph set, so the same subset
    /// gets the same tag in any process and a different subset another tag.
    fn name_faces(&mut self) {
        let mut taken: Vec<String> = Vec::new();
        for face in self.faces.iter_mut().flatten() {
            let mut h = Fnv128::new().u128(face.parsed.digest);
            for (gid, c) in &face.texts {
                h = h.bytes(&gid.to_be_bytes()).bytes(c.text.as_bytes()).bytes(&[0]);
            }
            let mut tag = letters(h.finish());
            // Resource names must differ; a clash is astronomically rare, but
            // rehashing keeps it deterministic if it happens.
            while taken.contains(&tag) {
                tag = letters(Fnv128::new().bytes(tag.as_bytes()).finish());
            }
            taken.push(tag.clone());
            face.id = FontId(tag);
        }
    }

    /// The face for `style`, if the document uses it.
    pub fn get(&self, style: FontStyle) -> Option<&UsedFace> {
        self.faces[style.index()].as_ref()
    }

    /// Adds the used faces to printpdf's resources under their fixed names.
    pub fn register(&self, pdf: &mut PdfDocument) {
        for face in self.faces.iter().flatten() {
            let font = PdfFont::new(face.parsed.font.clone());
            pdf.resources.fonts.map.insert(face.id.clone(), font);
        }
    }
}

/// Six capital letters from a hash: a valid subset tag and resource name.
fn letters(mut h: u128) -> String {
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect()
}
