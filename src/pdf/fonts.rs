//! Faces as the PDF embeds them: subset per document with `subsetter`, named
//! deterministically, handed to printpdf as ready-made programs.
//!
//! printpdf subsets only with its `text_layout` feature, which pulls in an
//! HTML layout engine (azul, taffy) and fontconfig: most of our cold build.
//! So the subset is cut here, before printpdf sees the face: glyphs are
//! renumbered densely (0 stays `.notdef`), the content stream uses the new
//! ids, and printpdf embeds the small program whole, writing `/W` and the
//! ToUnicode map from it and from the text we give each glyph.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};
use rustybuzz::ttf_parser::{self, GlyphId};
use subsetter::GlyphRemapper;

use super::PdfError;
use crate::frame::{Document, Item};
use crate::hash::Fnv128;
use crate::text::{FaceId, FontBook};

/// What the writer needs of a whole face, parsed once per process.
pub(super) struct Parsed {
    face: ttf_parser::Face<'static>,
    bytes: &'static [u8],
    /// The face's index in its file (a collection holds several).
    index: u32,
    /// The face's PostScript name, the base of its `/BaseFont`.
    name: String,
    /// A fingerprint of the face bytes, part of every subset tag.
    digest: u128,
}

/// Parses are cached for the process, keyed by the address and length of the
/// face bytes: a [`FontBook`]'s bytes are `'static` (never freed), so an
/// address cannot be reused by other data.
static PARSED: Mutex<Vec<(FaceKey, Arc<Parsed>)>> = Mutex::new(Vec::new());

/// Address and length of a face's bytes, and its index in them.
type FaceKey = (usize, usize, u32);

/// The parse of one face of `book`, from the cache or fresh.
fn parsed(book: &FontBook, id: FaceId) -> Result<Arc<Parsed>, PdfError> {
    let (bytes, index) = book
        .face_data(id)
        .ok_or_else(|| PdfError::new(format!("no face {id} in the font book")))?;
    let key = (bytes.as_ptr() as usize, bytes.len(), index);
    // A poisoned cache still holds valid entries; keep using it.
    let mut cache = PARSED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(Arc::clone(p));
    }
    let name = book.face_name(id);
    let face = ttf_parser::Face::parse(bytes, index)
        .map_err(|e| PdfError::new(format!("cannot parse the face {name}: {e}")))?;
    let name = postscript_name(&face).unwrap_or_else(|| format!("Brief-{id}"));
    let digest = book.face_digest(id);
    let p = Arc::new(Parsed { face, bytes, index, name, digest });
    cache.push((key, Arc::clone(&p)));
    Ok(p)
}

/// The face's PostScript name (name id 6), kept to the characters a PDF name
/// and a reader's font list show plainly.
fn postscript_name(face: &ttf_parser::Face<'_>) -> Option<String> {
    let name = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())?;
    let clean: String =
        name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
    (!clean.is_empty()).then_some(clean)
}

/// One face as used by a document.
pub(super) struct UsedFace {
    /// Resource name and (first six letters) subset tag.
    pub id: FontId,
    parsed: Arc<Parsed>,
    /// The text each glyph stands for in the ToUnicode map, by original id.
    texts: BTreeMap<u16, Candidate>,
    /// Original glyph id → id in the embedded subset.
    remap: GlyphRemapper,
    /// The subset program, cut once the document's glyphs are known.
    program: Vec<u8>,
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

    /// The id `gid` has in the embedded subset (what the content stream shows).
    pub fn code(&self, gid: u16) -> u16 {
        // Every drawn glyph was noted before the subset was cut; 0 (.notdef)
        // is never reached for a glyph that was.
        self.remap.get(gid).unwrap_or(0)
    }

    /// printpdf's `/W` width of `gid` in 1/1000 em: the viewer advances by
    /// this, so TJ offsets must make up the difference to the shaper.
    pub fn pdf_width(&self, gid: u16) -> f64 {
        let face = &self.parsed.face;
        let upem = f32::from(face.units_per_em().max(1));
        let advance = face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
        // Same arithmetic (f32, truncation) as printpdf's serializer, which
        // reads the subset's hmtx: the subset keeps every advance unchanged.
        (f32::from(advance) * 1000.0 / upem) as i64 as f64
    }

    /// Records that `gid` was drawn standing for `text`. The first non-empty
    /// text wins, except that a text the cmap maps straight to `gid` beats
    /// one that does not (é from "é" rather than "e\u{301}").
    fn note(&mut self, book: &FontBook, face: FaceId, gid: u16, text: &str, page: usize) {
        let direct = single_char(text).is_some_and(|c| book.glyph_id(face, c) == Some(gid));
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

    /// Cuts the subset: `.notdef` first, then the used glyphs in ascending
    /// order, so the same glyph set always gives the same program.
    fn cut(&mut self) -> Result<(), PdfError> {
        let mut remap = GlyphRemapper::new();
        for &gid in self.texts.keys() {
            remap.remap(gid);
        }
        let program =
            subsetter::subset(self.parsed.bytes, self.parsed.index, &remap).map_err(|e| {
                PdfError::new(format!("cannot subset the face {}: {e:?}", self.parsed.name))
            })?;
        self.remap = remap;
        self.program = program;
        Ok(())
    }
}

/// The only character of `text`, if it has exactly one.
fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The faces a document uses, by [`FaceId`].
pub(super) struct DocFonts {
    faces: Vec<Option<UsedFace>>,
}

impl DocFonts {
    /// Walks the document once to find the faces and glyphs it uses, then
    /// cuts each face's subset.
    pub fn collect(doc: &Document, book: &FontBook) -> Result<DocFonts, PdfError> {
        let mut fonts = DocFonts { faces: (0..book.face_count()).map(|_| None).collect() };
        for (i, page) in doc.pages.iter().enumerate() {
            fonts.visit(&page.items, book, i)?;
        }
        fonts.name_faces();
        for face in fonts.faces.iter_mut().flatten() {
            face.cut()?;
        }
        Ok(fonts)
    }

    fn visit(&mut self, items: &[Item], book: &FontBook, page: usize) -> Result<(), PdfError> {
        for item in items {
            match item {
                Item::Text(run) => {
                    for g in &run.glyphs {
                        let face = self.face_mut(book, g.face)?;
                        let count = face.parsed.face.number_of_glyphs();
                        if g.gid >= count {
                            let msg = format!(
                                "glyph {} is not in the face {} ({count} glyphs)",
                                g.gid, face.parsed.name
                            );
                            return Err(PdfError::new(msg));
                        }
                        // Glyph 0 is the face's "missing glyph" box: a
                        // character shown as it would be lost on the page.
                        if g.gid == 0 && !g.text.is_empty() {
                            let c = g.text.chars().next().unwrap_or_default();
                            let msg = format!(
                                "character `{}` (U+{:04X}) cannot be drawn with the fonts \
                                 of this brief",
                                g.text,
                                u32::from(c)
                            );
                            return Err(PdfError::new(msg));
                        }
                        // A ligature in right-to-left text (lam-alef) maps to
                        // its letters in visual order: extraction reverses
                        // right-to-left text, so readers get them in order.
                        if g.level % 2 == 1 && g.text.chars().nth(1).is_some() {
                            let visual: String = g.text.chars().rev().collect();
                            face.note(book, g.face, g.gid, &visual, page);
                        } else {
                            face.note(book, g.face, g.gid, &g.text, page);
                        }
                    }
                }
                Item::Rotated { items, .. }
                | Item::Tagged { items, .. }
                | Item::Artifact { items, .. } => self.visit(items, book, page)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn face_mut(&mut self, book: &FontBook, id: FaceId) -> Result<&mut UsedFace, PdfError> {
        let Some(slot) = self.faces.get_mut(usize::from(id)) else {
            return Err(PdfError::new(format!("no face {id} in the font book")));
        };
        if slot.is_none() {
            let parsed = parsed(book, id)?;
            *slot = Some(UsedFace {
                id: FontId(String::new()),
                parsed,
                texts: BTreeMap::new(),
                remap: GlyphRemapper::new(),
                program: Vec::new(),
            });
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

    /// The face `id`, if the document uses it.
    pub fn get(&self, id: FaceId) -> Option<&UsedFace> {
        self.faces.get(usize::from(id))?.as_ref()
    }

    /// Adds the used faces' subsets to printpdf's resources under their fixed
    /// names, `/BaseFont` carrying the `TAG+` prefix of a subset.
    pub fn register(&self, pdf: &mut PdfDocument) -> Result<(), PdfError> {
        for face in self.faces.iter().flatten() {
            let mut warnings = Vec::new();
            let mut font =
                ParsedFont::from_bytes(&face.program, 0, &mut warnings).ok_or_else(|| {
                    PdfError::new(format!("the subset of {} does not parse", face.parsed.name))
                })?;
            font.font_name = Some(format!("{}+{}", face.id.0, face.parsed.name));
            pdf.resources.fonts.map.insert(face.id.clone(), PdfFont::new(font));
        }
        Ok(())
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
