//! Faces as the PDF embeds them: subset per document with `subsetter`, named
//! deterministically, written as Type 0 fonts with `Identity-H` codes.
//!
//! Glyphs are renumbered densely (0 stays `.notdef`) and the content stream
//! shows the new ids as two-byte codes. A TrueType subset is embedded whole
//! (`CIDFontType2`, `/FontFile2`); a CFF one as its bare `CFF ` table
//! (`CIDFontType0`, `/FontFile3 /CIDFontType0C`), where subsetter makes each
//! glyph's CID its new id, so the same code serves both. `/W` carries every
//! glyph's advance and the ToUnicode map the text each glyph stands for.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use std::fmt::Write as _;

use lopdf::{Dictionary, Object, Stream};
use rustybuzz::ttf_parser::{self, GlyphId, Tag};
use subsetter::GlyphRemapper;

use super::PdfError;
use brief_core::frame::{Document, Glyph, Item};
use brief_core::hash::Fnv128;
use brief_core::text::{FaceId, FontBook};

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
    pub id: String,
    parsed: Arc<Parsed>,
    /// The text each glyph stands for in the ToUnicode map, by original id.
    texts: BTreeMap<u16, Candidate>,
    /// Glyphs drawn for more than one text (a ligature of a pasted ﬁ and of
    /// "fi", a mirrored bracket): only these can need an /ActualText.
    mixed: std::collections::BTreeSet<u16>,
    /// Original glyph id → id in the embedded subset.
    remap: GlyphRemapper,
    /// The subset program, cut once the document's glyphs are known.
    program: Vec<u8>,
}

/// A glyph's extraction text, and whether the face's cmap agrees with it.
struct Candidate {
    text: String,
    direct: bool,
}

impl UsedFace {
    /// The text the ToUnicode map gives `gid`: one per glyph, the first
    /// drawn (or the one the face's cmap agrees with).
    pub fn unicode(&self, gid: u16) -> &str {
        self.texts.get(&gid).map_or("", |c| c.text.as_str())
    }

    /// The id `gid` has in the embedded subset (what the content stream shows).
    pub fn code(&self, gid: u16) -> u16 {
        // Every drawn glyph was noted before the subset was cut; 0 (.notdef)
        // is never reached for a glyph that was.
        self.remap.get(gid).unwrap_or(0)
    }

    /// The `/W` width of `gid` in 1/1000 em: the viewer advances by this, so
    /// TJ offsets must make up the difference to the shaper.
    pub fn pdf_width(&self, gid: u16) -> f64 {
        let face = &self.parsed.face;
        let upem = f32::from(face.units_per_em().max(1));
        let advance = face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
        // Truncated, as `/W` is written; the subset keeps every advance.
        (f32::from(advance) * 1000.0 / upem) as i64 as f64
    }

    /// Records that `gid` was drawn standing for `text`. The first non-empty
    /// text wins, except that a text the cmap maps straight to `gid` beats
    /// one that does not (é from "é" rather than "e\u{301}").
    fn note(&mut self, book: &FontBook, face: FaceId, gid: u16, text: &str) {
        let direct = || single_char(text).is_some_and(|c| book.glyph_id(face, c) == Some(gid));
        let entry = match self.texts.entry(gid) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(Candidate { text: text.to_owned(), direct: direct() });
                return;
            }
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
        };
        // Drawn for two texts: the one the map does not hold needs its own.
        if entry.text != text {
            self.mixed.insert(gid);
        }
        if entry.direct || (!entry.text.is_empty() && text.is_empty()) {
            return;
        }
        let direct = direct();
        if entry.text.is_empty() || direct {
            *entry = Candidate { text: text.to_owned(), direct };
        }
    }

    /// Whether `gid` stands for other text somewhere than its ToUnicode
    /// entry says (see [`UsedFace::unicode`]).
    pub fn mixed(&self, gid: u16) -> bool {
        !self.mixed.is_empty() && self.mixed.contains(&gid)
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

/// The text a reader's extraction should get for this glyph, as the
/// ToUnicode map writes it. A ligature in right-to-left text (lam-alef)
/// maps to its letters in visual order: extraction reverses right-to-left
/// text, so readers get them in order.
pub(super) fn extracted(g: &Glyph) -> std::borrow::Cow<'_, str> {
    if g.level % 2 == 1 && g.text.chars().nth(1).is_some() {
        g.text.chars().rev().collect::<String>().into()
    } else {
        g.text.as_str().into()
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
        for page in &doc.pages {
            fonts.visit(&page.items, book)?;
        }
        fonts.name_faces();
        for face in fonts.faces.iter_mut().flatten() {
            face.cut()?;
        }
        Ok(fonts)
    }

    fn visit(&mut self, items: &[Item], book: &FontBook) -> Result<(), PdfError> {
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
                        face.note(book, g.face, g.gid, &extracted(g));
                    }
                }
                Item::Rotated { items, .. }
                | Item::Tagged { items, .. }
                | Item::Artifact { items, .. } => self.visit(items, book)?,
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
                id: String::new(),
                parsed,
                texts: BTreeMap::new(),
                mixed: Default::default(),
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
            face.id = tag;
        }
    }

    /// The face `id`, if the document uses it.
    pub fn get(&self, id: FaceId) -> Option<&UsedFace> {
        self.faces.get(usize::from(id))?.as_ref()
    }

    /// Writes the used faces into `lo` as Type 0 fonts, `/BaseFont`
    /// carrying the `TAG+` prefix of a subset, and returns the page
    /// resources' `/Font` dictionary, each under its tag.
    pub fn write(&self, lo: &mut lopdf::Document) -> Result<Dictionary, PdfError> {
        let mut resources = Dictionary::new();
        for face in self.faces.iter().flatten() {
            let font = face.write(lo)?;
            resources.set(face.id.as_bytes().to_vec(), font);
        }
        Ok(resources)
    }
}

impl UsedFace {
    /// The Type 0 font of this subset, with its descendant, descriptor,
    /// program and ToUnicode map.
    fn write(&self, lo: &mut lopdf::Document) -> Result<Object, PdfError> {
        let face = &self.parsed.face;
        let name = format!("{}+{}", self.id, self.parsed.name);
        let cff = ttf_parser::RawFace::parse(&self.program, 0)
            .ok()
            .and_then(|raw| raw.table(Tag::from_bytes(b"CFF ")));
        let (subtype, file_key, program) = match cff {
            Some(table) => {
                let mut dict = Dictionary::new();
                dict.set("Subtype", "CIDFontType0C");
                ("CIDFontType0", "FontFile3", Stream::new(dict, table.to_vec()))
            }
            None => {
                // /Length1: the program's size before the filter.
                let mut dict = Dictionary::new();
                dict.set("Length1", self.program.len() as i64);
                ("CIDFontType2", "FontFile2", Stream::new(dict, self.program.clone()))
            }
        };
        let program = lo.add_object(program);
        let scale = 1000.0 / f32::from(face.units_per_em().max(1));
        let em = |v: i16| (f32::from(v) * scale).round() as i64;
        let bbox = face.global_bounding_box();
        // ItalicAngle is counter-clockwise from vertical: negative for an italic.
        let italic = face.italic_angle().round() as i64;
        // Flags: nonsymbolic (32), italic (64).
        let flags = 32 | if italic != 0 { 64 } else { 0 };
        // No table carries the stem width; estimate it from the weight, as
        // PDF producers do (about 88 at 400, 166 at 700).
        let weight = f32::from(face.weight().to_number());
        let stem_v = 50 + (weight / 65.0).powi(2).round() as i64;
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", "FontDescriptor");
        descriptor.set("FontName", Object::Name(name.clone().into_bytes()));
        descriptor.set("Ascent", em(face.ascender()));
        descriptor.set("Descent", em(face.descender()));
        descriptor.set("CapHeight", em(face.capital_height().unwrap_or(face.ascender())));
        descriptor.set("ItalicAngle", italic);
        descriptor.set("Flags", flags);
        descriptor.set("StemV", stem_v);
        descriptor.set(
            "FontBBox",
            vec![
                em(bbox.x_min).into(),
                em(bbox.y_min).into(),
                em(bbox.x_max).into(),
                em(bbox.y_max).into(),
            ],
        );
        descriptor.set(file_key, program);
        let descriptor = lo.add_object(descriptor);
        let mut system = Dictionary::new();
        system.set("Registry", Object::string_literal("Adobe"));
        system.set("Ordering", Object::string_literal("Identity"));
        system.set("Supplement", 0);
        let mut cid = Dictionary::new();
        cid.set("Type", "Font");
        cid.set("Subtype", subtype);
        cid.set("BaseFont", Object::Name(name.clone().into_bytes()));
        cid.set("CIDSystemInfo", system);
        cid.set("FontDescriptor", descriptor);
        cid.set("DW", 1000);
        cid.set("W", self.widths());
        if subtype == "CIDFontType2" {
            cid.set("CIDToGIDMap", "Identity");
        }
        let to_unicode =
            lo.add_object(Stream::new(Dictionary::new(), self.to_unicode().into_bytes()));
        let mut font = Dictionary::new();
        font.set("Type", "Font");
        font.set("Subtype", "Type0");
        font.set("BaseFont", Object::Name(name.into_bytes()));
        font.set("Encoding", "Identity-H");
        font.set("DescendantFonts", vec![Object::Dictionary(cid)]);
        font.set("ToUnicode", to_unicode);
        Ok(lo.add_object(font).into())
    }

    /// `/W`: the width of every code but `.notdef`, in runs of consecutive codes.
    fn widths(&self) -> Vec<Object> {
        let mut out = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut start = 0_u16;
        let mut next = 0_u16;
        for &gid in self.texts.keys() {
            let code = self.code(gid);
            if code == 0 {
                continue;
            }
            if !run.is_empty() && code != next {
                out.push(i64::from(start).into());
                out.push(Object::Array(std::mem::take(&mut run)));
            }
            if run.is_empty() {
                start = code;
            }
            run.push((self.pdf_width(gid) as i64).into());
            next = code + 1;
        }
        if !run.is_empty() {
            out.push(i64::from(start).into());
            out.push(Object::Array(run));
        }
        out
    }

    /// The ToUnicode CMap: each code's text as UTF-16BE, at most 100 entries
    /// per block (the limit PDF readers are written to).
    fn to_unicode(&self) -> String {
        let entries: Vec<(u16, &str)> = self
            .texts
            .iter()
            .filter(|(_, c)| !c.text.is_empty())
            .map(|(&gid, c)| (self.code(gid), c.text.as_str()))
            .filter(|(code, _)| *code != 0)
            .collect();
        let mut s = String::with_capacity(300 + entries.len() * 24);
        s.push_str(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        for block in entries.chunks(100) {
            let _ = writeln!(s, "{} beginbfchar", block.len());
            for (code, text) in block {
                let _ = write!(s, "<{code:04X}> <");
                for unit in text.encode_utf16() {
                    let _ = write!(s, "{unit:04X}");
                }
                s.push_str(">\n");
            }
            s.push_str("endbfchar\n");
        }
        s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        s
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
