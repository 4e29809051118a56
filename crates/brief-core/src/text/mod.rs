//! Fonts and shaping: a family of four faces (the bundled Noto Sans or a
//! template's house typeface) followed by a fallback chain of faces for
//! symbols and the world's scripts; per-character face choice, bidi levels,
//! rustybuzz shaping, glyph coverage; and how deeply markup nests
//! ([`nesting`]).
//!
//! Text is shaped in runs of one face and one bidi level. Glyphs come back
//! in logical order with their face and level, so line breaking works on
//! the text as written and [`reorder`] turns each finished line into
//! visual order (UAX #9, rule L2).

mod bidi;
mod clusters;
mod face;
mod faces;
pub mod nesting;
pub mod passage;
pub mod references;

use bidi::is_neutral;
pub use bidi::{has_rtl, levels, reorder, visual_order};
use clusters::glyph_texts;
use face::Face;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use unicode_script::{Script as Usc, UnicodeScript};

use crate::frame::{FontStyle, Glyph};
use crate::hash::Fnv128;

/// Which of a [`FontBook`]'s faces a glyph is set in: 0–3 are the family's
/// styles in [`FontStyle::ALL`] order, the rest the fallback chain.
pub type FaceId = u16;

/// Names of the family's faces in [`FontStyle::ALL`] order, for errors.
const STYLE_NAMES: [&str; 4] = ["regular", "bold", "italic", "bold italic"];

/// Which regional forms Han characters take. The CJK collection holds one
/// face per region; the brief's language picks one (Japanese kanji and
/// Chinese hanzi differ in detail), Simplified Chinese by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Han {
    /// Japanese.
    Jp,
    /// Korean.
    Kr,
    /// Simplified Chinese.
    Sc,
    /// Traditional Chinese (Taiwan).
    Tc,
    /// Traditional Chinese (Hong Kong).
    Hk,
}

impl Han {
    /// The variant a BCP 47 language tag asks for: `ja` → JP, `ko` → KR,
    /// `zh-Hant`/`zh-TW` → TC, `zh-HK`/`zh-MO`/`yue` → HK; anything else SC.
    pub fn for_language(tag: &str) -> Han {
        let lower = tag.to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']);
        let primary = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        match primary {
            "ja" => Han::Jp,
            "ko" => Han::Kr,
            "yue" => Han::Hk,
            "zh" if rest.iter().any(|p| matches!(*p, "hk" | "mo")) => Han::Hk,
            "zh" if rest.iter().any(|p| matches!(*p, "hant" | "tw")) => Han::Tc,
            _ => Han::Sc,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `key`'s value from a per-thread cache, or `make`'s, kept. A cache is
/// cleared when it grows large, so a long batch cannot grow it without
/// bound; values never depend on it.
fn kept<K: std::hash::Hash + Eq, V: Clone>(
    cache: &'static std::thread::LocalKey<std::cell::RefCell<HashMap<K, V>>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(value) = cache.with(|c| c.borrow().get(&key).cloned()) {
        return value;
    }
    let value = make();
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 50_000 {
            c.clear();
        }
        c.insert(key, value.clone());
    });
    value
}

/// What a cached shaping is of (see [`FontBook::memo`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shaped {
    /// A whole line, reordered for display in a paragraph of this direction.
    Line { rtl: bool },
    /// Left-to-right text in logical order.
    Word,
}

/// One link of the chain, as face ids: its faces in [`FontStyle::ALL`]
/// order (regular always there), and the scripts it is designated for.
struct Link {
    styles: [Option<FaceId>; 4],
    scripts: &'static [Usc],
}

impl Link {
    /// The link's face for `style`: the real one if bundled, else the
    /// nearest (bold italic → bold → regular; italic → regular), which the
    /// writer then emboldens or slants.
    fn styled(&self, style: FontStyle) -> FaceId {
        let [regular, bold, italic, bold_italic] = self.styles;
        let regular = regular.unwrap_or_default();
        match style {
            FontStyle::Regular => Some(regular),
            FontStyle::Bold => bold,
            FontStyle::Italic => italic,
            FontStyle::BoldItalic => bold_italic.or(bold),
        }
        .unwrap_or(regular)
    }
}

/// Every face of a book, shared by its [`Han`] variants.
struct Chain {
    faces: Vec<Face>,
    links: Vec<Link>,
    /// The CJK faces, by [`Han`] variant.
    cjk: [FaceId; 5],
    /// The books of this chain, one per [`Han`] variant, made on first use.
    variants: [OnceLock<&'static FontBook>; 5],
    /// See [`FontBook::fingerprint`].
    fingerprint: OnceLock<u128>,
}

/// A family and its fallback chain, parsed lazily; `Send + Sync` so batch
/// builds share one across threads. Books live for the process (`'static`):
/// a run makes at most a few (the bundled one, a house typeface).
pub struct FontBook {
    chain: &'static Chain,
    han: Han,
}

/// A face that could not be loaded.
#[derive(Debug)]
pub struct FontError {
    /// Which face: `bold`, `italic`…
    face: String,
    /// The file it came from, or the bundled face's name.
    file: String,
    reason: String,
}

impl FontError {
    /// The file the face came from.
    pub fn file(&self) -> &str {
        &self.file
    }
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot load the {} font face {}: {}", self.face, self.file, self.reason)
    }
}

impl std::error::Error for FontError {}

impl FontBook {
    /// The bundled faces, compiled into the binary; each parsed once per
    /// process, when first needed.
    pub fn builtin() -> &'static FontBook {
        static BOOK: OnceLock<&'static FontBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            let family = faces::FAMILY.map(|(name, bytes)| (name.to_owned(), bytes));
            match Self::make(family, false) {
                Ok(book) => book,
                // The bundled files are fixed at compile time and covered by tests.
                Err(e) => unreachable!("bundled fonts are valid: {e}"),
            }
        })
    }

    /// A house typeface from a template's folder (regular, bold, italic, bold
    /// italic, each with the name errors should use), followed by the bundled
    /// chain. The bytes are leaked so the parsed faces can borrow them for the
    /// rest of the process.
    pub fn house(faces: [(String, Vec<u8>); 4]) -> Result<&'static FontBook, FontError> {
        // Validate before leaking so bad input does not leak memory.
        for (i, (name, bytes)) in faces.iter().enumerate() {
            let error = |reason: String| FontError {
                face: STYLE_NAMES[i].to_owned(),
                file: name.clone(),
                reason,
            };
            match rustybuzz::ttf_parser::Face::parse(bytes, 0) {
                Ok(f) if f.units_per_em() > 0 => {}
                Ok(_) => return Err(error("units per em is zero".into())),
                Err(e) => {
                    let n = bytes.len();
                    return Err(error(format!("not a TrueType/OpenType font ({n} bytes): {e}")));
                }
            }
        }
        Self::make(faces.map(|(name, bytes)| (name, &*Box::leak(bytes.into_boxed_slice()))), true)
    }

    fn make(
        family: [(String, &'static [u8]); 4],
        house: bool,
    ) -> Result<&'static FontBook, FontError> {
        let mut faces: Vec<Face> = Vec::new();
        for (i, (name, bytes)) in family.into_iter().enumerate() {
            let style = FontStyle::ALL[i];
            let bold = matches!(style, FontStyle::Bold | FontStyle::BoldItalic);
            let italic = matches!(style, FontStyle::Italic | FontStyle::BoldItalic);
            let face = Face::new(&name, bytes, 0, bold, italic);
            if face.get().is_none() {
                let reason = format!("not a TrueType/OpenType font ({} bytes)", bytes.len());
                return Err(FontError { face: STYLE_NAMES[i].to_owned(), file: name, reason });
            }
            faces.push(face);
        }
        let mut links = Vec::new();
        let push = |faces: &mut Vec<Face>, name: &str, bytes, index, bold, italic| {
            faces.push(Face::new(name, bytes, index, bold, italic));
            Some((faces.len() - 1) as FaceId)
        };
        if house {
            // Latin, Cyrillic and Greek a house typeface lacks come from the
            // bundled family before any other face.
            let mut styles = [None; 4];
            for (i, (name, bytes)) in faces::FAMILY.iter().enumerate() {
                let (bold, italic) = (i % 2 == 1, i >= 2);
                styles[i] = push(&mut faces, name, bytes, 0, bold, italic);
            }
            links.push(Link { styles, scripts: &[Usc::Latin, Usc::Cyrillic, Usc::Greek] });
        }
        for link in faces::chain() {
            let r = &link.regular;
            let regular = push(&mut faces, r.name, r.bytes, r.index, false, false);
            let bold = link
                .bold
                .as_ref()
                .and_then(|b| push(&mut faces, b.name, b.bytes, b.index, true, false));
            links.push(Link { styles: [regular, bold, None, None], scripts: link.scripts });
        }
        let cjk = faces::CJK_FACES.map(|(name, index)| {
            faces.push(Face::new(name, faces::cjk_bytes(), index, false, false));
            (faces.len() - 1) as FaceId
        });
        let chain: &'static Chain = Box::leak(Box::new(Chain {
            faces,
            links,
            cjk,
            variants: Default::default(),
            fingerprint: OnceLock::new(),
        }));
        Ok(chain.book(Han::Sc))
    }

    /// The same faces with Han characters in `han`'s regional forms.
    pub fn with_han(&self, han: Han) -> &'static FontBook {
        self.chain.book(han)
    }

    /// The book for a brief in `language` (a BCP 47 tag): Han characters in
    /// that language's regional forms.
    pub fn for_language(&self, language: &str) -> &'static FontBook {
        self.with_han(Han::for_language(language))
    }

    /// The book for a document whose texts are `texts`: Japanese forms for
    /// Han characters when it is written in Japanese (kana are at least a
    /// fifth as many as Han characters; only Japanese is written with kana),
    /// so Japanese names and sentences are not set in Chinese forms in a
    /// brief in another language. Decided once per document, so one name
    /// never changes form from page to page.
    pub fn for_text<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> &FontBook {
        let (mut kana, mut han) = (0usize, 0usize);
        for c in texts.into_iter().flat_map(str::chars) {
            match c {
                '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9D}' => {
                    kana += 1
                }
                // Han starts at U+2E80: most text needs no script lookup.
                _ if c >= '\u{2E80}' && c.script() == Usc::Han => han += 1,
                _ => {}
            }
        }
        // Japanese prose is a third kana or more; a Chinese brief that
        // quotes one Japanese phrase stays in Chinese forms.
        if self.han != Han::Jp && kana > 0 && kana * 5 >= han {
            self.with_han(Han::Jp)
        } else {
            self
        }
    }

    fn face(&self, id: FaceId) -> &Face {
        &self.chain.faces[usize::from(id)]
    }

    /// The family face for `style`.
    fn family(style: FontStyle) -> FaceId {
        style.index() as FaceId
    }

    /// The face to set `c` in, for text in `style` whose previous character
    /// was set in `prev`. The family first; then the face designated for the
    /// character's script; then the first face of the chain that covers it.
    /// Common characters (spaces, punctuation, digits) and combining marks
    /// stay in the face of the text around them when it covers them, so a
    /// run of Arabic or Chinese is not cut at every space or comma. `None`
    /// when no face covers `c`.
    pub fn pick(&self, style: FontStyle, c: char, prev: Option<FaceId>) -> Option<FaceId> {
        let script = c.script();
        // Spaces between CJK words (Korean) come from the family, as Typst
        // sets them: the CJK face's proportional space is narrower.
        let cjk_space = c == ' ' && prev.is_some_and(|p| self.chain.cjk.contains(&p));
        if is_neutral(c)
            && !cjk_space
            && let Some(p) = prev
            && self.face(p).covers(c)
        {
            return Some(p);
        }
        let family = Self::family(style);
        if self.face(family).covers(c) {
            return Some(family);
        }
        if faces::CJK_SCRIPTS.contains(&script) {
            let han = match script {
                Usc::Hiragana | Usc::Katakana => Han::Jp,
                Usc::Hangul => Han::Kr,
                _ => self.han,
            };
            let id = self.chain.cjk[han.index()];
            if self.face(id).covers(c) {
                return Some(id);
            }
        }
        let chain = &self.chain.links;
        let regular = |l: &Link| self.face(l.styles[0].unwrap_or_default());
        if let Some(link) = chain.iter().find(|l| l.scripts.contains(&script))
            && regular(link).covers(c)
        {
            return Some(link.styled(style));
        }
        if let Some(link) = chain.iter().find(|l| regular(l).covers(c)) {
            return Some(link.styled(style));
        }
        let id = self.chain.cjk[self.han.index()];
        self.face(id).covers(c).then_some(id)
    }

    /// Shapes `text` (one line, no breaks) at `size` points and returns its
    /// glyphs in visual order, left to right: each character in the face
    /// that covers it, right-to-left runs (Hebrew, Arabic) reordered and
    /// joined. Each glyph's `text` is one character, a whole cluster only for
    /// a true ligature, and empty for extra glyphs of a cluster.
    pub fn shape(&self, style: FontStyle, size: f32, text: &str) -> Vec<Glyph> {
        self.shape_dir(style, size, text, false)
    }

    /// [`FontBook::shape`] for a line in a paragraph of the given direction:
    /// in a right-to-left document, `1.` reads as a list number should and
    /// a running footer keeps Latin and Arabic in their order.
    pub fn shape_dir(&self, style: FontStyle, size: f32, text: &str, rtl: bool) -> Vec<Glyph> {
        self.memo(Shaped::Line { rtl }, style, size, text, || {
            let text = &*strip_soft_hyphens(text);
            let levels = levels(text, rtl);
            let mut glyphs = self.shape_logical(style, size, text, levels.as_deref());
            reorder(&mut glyphs);
            glyphs
        })
    }

    /// [`FontBook::shape_logical`] of left-to-right text, kept per thread
    /// like [`FontBook::shape_dir`]: a paragraph's words.
    pub fn shape_word(&self, style: FontStyle, size: f32, text: &str) -> Vec<Glyph> {
        self.memo(Shaped::Word, style, size, text, || self.shape_logical(style, size, text, None))
    }

    /// Shapes through a per-thread cache ([`kept`]): a brief repeats most of
    /// its words, every page its running heads and marking, every chart its
    /// labels, and a batch all of them; shaping is the largest cost of
    /// layout. Long texts rarely repeat and would only fill it.
    fn memo(
        &self,
        kind: Shaped,
        style: FontStyle,
        size: f32,
        text: &str,
        shape: impl FnOnce() -> Vec<Glyph>,
    ) -> Vec<Glyph> {
        type Key = (usize, Shaped, FontStyle, u32, String);
        thread_local! {
            static CACHE: std::cell::RefCell<HashMap<Key, Vec<Glyph>>> = Default::default();
        }
        if text.len() > 160 {
            return shape();
        }
        // Books are 'static (one per typeface and Han variant), never freed:
        // their address names their faces for the life of the process.
        let key =
            (std::ptr::from_ref(self) as usize, kind, style, size.to_bits(), text.to_string());
        kept(&CACHE, key, shape)
    }

    /// Shapes `text` and returns its glyphs in logical order, each with its
    /// face and bidi level, for a caller that breaks lines first and then
    /// reorders each with [`reorder`]. `levels` holds one bidi level per byte
    /// of `text` (see [`levels`]); `None` means all left to right.
    pub fn shape_logical(
        &self,
        style: FontStyle,
        size: f32,
        text: &str,
        levels: Option<&[u8]>,
    ) -> Vec<Glyph> {
        self.shape_in(None, style, size, text, levels)
    }

    /// [`FontBook::shape_logical`] of a passage in another language (a
    /// checked BCP 47 tag, see [`passage`]): the fonts' language system is
    /// chosen from it, so `locl` gives its letter forms (Serbian and
    /// Bulgarian Cyrillic, Turkish `fi` without the ligature that would
    /// drop the dot), and Han characters take its regional forms (a Japanese
    /// name in a Chinese brief). Not cached: passages are few.
    pub fn shape_passage(
        &self,
        tag: &str,
        style: FontStyle,
        size: f32,
        text: &str,
        levels: Option<&[u8]>,
    ) -> Vec<Glyph> {
        let primary = tag.split('-').next().unwrap_or_default();
        let book = if matches!(primary, "ja" | "ko" | "zh" | "yue") {
            self.for_language(tag)
        } else {
            self
        };
        let language = tag.parse::<rustybuzz::Language>().ok();
        book.shape_in(language.as_ref(), style, size, text, levels)
    }

    fn shape_in(
        &self,
        language: Option<&rustybuzz::Language>,
        style: FontStyle,
        size: f32,
        text: &str,
        levels: Option<&[u8]>,
    ) -> Vec<Glyph> {
        let text = &*strip_soft_hyphens(text);
        let family = Self::family(style);
        if levels.is_none() {
            // The common case: the family has every glyph.
            let glyphs = self.shape_run(family, size, text, 0, true, language);
            if glyphs.iter().all(|g| g.gid != 0 || g.text.is_empty()) {
                return glyphs;
            }
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut current: Option<(FaceId, u8)> = None;
        let mut prev = None;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let level = levels.and_then(|l| l.get(i).copied()).unwrap_or(0);
            // A bracket or space that opens the text goes with what follows
            // it, so `(تقريبًا)` is set in one face.
            let around = prev.or_else(|| {
                let next = chars[k..].iter().map(|&(_, n)| n).find(|&n| !is_neutral(n))?;
                (next != c).then(|| self.pick(style, next, None)).flatten()
            });
            let face = self.pick(style, c, around).unwrap_or(family);
            prev = Some(face);
            if let Some(run) = current
                && run != (face, level)
            {
                out.extend(self.shape_run(
                    run.0,
                    size,
                    &text[start..i],
                    run.1,
                    start == 0,
                    language,
                ));
                start = i;
            }
            current = Some((face, level));
        }
        if let Some((face, level)) = current {
            out.extend(self.shape_run(face, size, &text[start..], level, start == 0, language));
        }
        out
    }

    /// Shapes one run in one face and level; glyphs in logical order.
    /// `first`: the run starts the text (see [`Face::shape_raw`]).
    fn shape_run(
        &self,
        id: FaceId,
        size: f32,
        text: &str,
        level: u8,
        first: bool,
        language: Option<&rustybuzz::Language>,
    ) -> Vec<Glyph> {
        let face = self.face(id);
        let rtl = level % 2 == 1;
        let Some(out) = face.shape_raw(text, Some(rtl), first, language) else {
            return Vec::new();
        };
        let scale = face.scale(size);
        // rustybuzz returns a right-to-left run in visual order, the glyphs
        // of a cluster (letter, then its marks) reversed too; work in logical
        // order, so each glyph gets its own character and the line is
        // reordered as a whole once it is broken.
        let mut shaped: Vec<_> = out.glyph_infos().iter().zip(out.glyph_positions()).collect();
        if rtl {
            shaped.reverse();
        }
        let clusters: Vec<usize> = shaped.iter().map(|(g, _)| g.cluster as usize).collect();
        let texts = glyph_texts(text, &clusters);
        shaped
            .into_iter()
            .zip(texts)
            .map(|((info, p), text)| Glyph {
                // rustybuzz guarantees glyph ids fit in u16.
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                face: id,
                level,
                advance: p.x_advance as f32 * scale,
                x_offset: p.x_offset as f32 * scale,
                y_offset: (p.y_offset as f32 * scale * 100.0).round().clamp(-32768.0, 32767.0)
                    as i16,
                text,
            })
            .collect()
    }

    /// Advance width of shaped `text` in points.
    pub fn width(&self, style: FontStyle, size: f32, text: &str) -> f32 {
        let text = &*strip_soft_hyphens(text);
        let face = self.face(Self::family(style));
        if let Some(units) = self.family_units(style, text) {
            return units as f32 * face.scale(size);
        }
        self.shape(style, size, text).iter().map(|g| g.advance).sum()
    }

    /// Advance width of `text` in points when the family alone sets it,
    /// left to right, else `None`: text whose width is the sum of its words'
    /// and spaces' widths but for kerning.
    pub fn family_width(&self, style: FontStyle, size: f32, text: &str) -> Option<f32> {
        let text = &*strip_soft_hyphens(text);
        let face = self.face(Self::family(style));
        self.family_units(style, text).map(|units| units as f32 * face.scale(size))
    }

    /// The width of `text` in font units when the family alone sets it
    /// left to right, else `None`. Kept per thread for short texts: charts
    /// measure the same labels and words again and again (every candidate
    /// line, every chart of a batch), and the units serve every size.
    fn family_units(&self, style: FontStyle, text: &str) -> Option<i64> {
        type Key = (usize, FontStyle, String);
        thread_local! {
            static UNITS: std::cell::RefCell<HashMap<Key, Option<i64>>> = Default::default();
        }
        let measure = || {
            if has_rtl(text) {
                return None;
            }
            let out = self.face(Self::family(style)).shape_raw(text, None, true, None)?;
            out.glyph_infos()
                .iter()
                .all(|g| g.glyph_id != 0)
                .then(|| out.glyph_positions().iter().map(|p| i64::from(p.x_advance)).sum())
        };
        if text.len() > 64 {
            return measure();
        }
        // Books are 'static, never freed: their address names their faces.
        let key = (std::ptr::from_ref(self) as usize, style, text.to_string());
        kept(&UNITS, key, measure)
    }

    /// First character of `text` no face of the book can draw, ignoring
    /// whitespace, controls and invisible format characters.
    pub fn missing_char(&self, text: &str) -> Option<char> {
        self.missing(text).next()
    }

    /// Every character of `text` no face of the book can draw, in order,
    /// each occurrence (see [`FontBook::missing_char`]).
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        self.missing(text).collect()
    }

    fn missing<'t>(&'t self, text: &'t str) -> impl Iterator<Item = char> + 't {
        let family = Self::family(FontStyle::Regular);
        text.chars().filter(move |&c| {
            // Most text is in the family: one cmap lookup, no chain walk.
            !is_invisible(c)
                && !self.face(family).covers(c)
                && self.pick(FontStyle::Regular, c, None).is_none()
        })
    }

    /// Ascender of the family in points at `size` (positive). Lines keep the
    /// family's metrics whatever faces they mix, so baselines stay even.
    pub fn ascender(&self, style: FontStyle, size: f32) -> f32 {
        let face = self.face(Self::family(style));
        face.get().map_or(0.0, |f| f32::from(f.ascender()) * face.scale(size))
    }

    /// Descender of the family in points at `size` (negative, below the baseline).
    pub fn descender(&self, style: FontStyle, size: f32) -> f32 {
        let face = self.face(Self::family(style));
        face.get().map_or(0.0, |f| f32::from(f.descender()) * face.scale(size))
    }

    /// Raw font file bytes of a family face.
    pub fn bytes(&self, style: FontStyle) -> &[u8] {
        self.face(Self::family(style)).bytes
    }

    /// How many faces the book has (family and chain).
    pub fn face_count(&self) -> usize {
        self.chain.faces.len()
    }

    /// A face's file bytes (never freed) and its index in a collection, for
    /// the PDF writer, which parses and subsets it itself.
    pub fn face_data(&self, id: FaceId) -> Option<(&'static [u8], u32)> {
        self.chain.faces.get(usize::from(id)).map(|f| (f.bytes, f.index))
    }

    /// A face's name, for messages and the PDF's font names.
    pub fn face_name(&self, id: FaceId) -> &str {
        self.chain.faces.get(usize::from(id)).map_or("", |f| f.name.as_str())
    }

    /// Whether text in `style` set in face `id` must be made bold and/or
    /// slanted by the writer, because the face has no such style of its own.
    pub fn synthesis(&self, style: FontStyle, id: FaceId) -> (bool, bool) {
        let Some(face) = self.chain.faces.get(usize::from(id)) else { return (false, false) };
        let bold = matches!(style, FontStyle::Bold | FontStyle::BoldItalic);
        let italic = matches!(style, FontStyle::Italic | FontStyle::BoldItalic);
        (bold && !face.bold, italic && !face.italic)
    }

    /// The glyph the face's cmap gives `c`, if any.
    pub fn glyph_id(&self, id: FaceId, c: char) -> Option<u16> {
        self.chain.faces.get(usize::from(id))?.get()?.glyph_index(c).map(|g| g.0)
    }

    /// A fingerprint of one face: its length, collection index and first
    /// 4 KB (the sfnt header and table directory, which holds every table's
    /// checksum): any edit to a font changes it, at a fraction of the cost
    /// of hashing the whole file. The PDF writer names subsets from it.
    pub fn face_digest(&self, id: FaceId) -> u128 {
        let Some(face) = self.chain.faces.get(usize::from(id)) else { return 0 };
        *face.digest.get_or_init(|| {
            let head = &face.bytes[..face.bytes.len().min(4096)];
            Fnv128::new()
                .u128(face.bytes.len() as u128)
                .u128(u128::from(face.index))
                .bytes(head)
                .finish()
        })
    }

    /// A fingerprint of every face of the book (see [`FontBook::face_digest`]),
    /// for up-to-date checks.
    pub fn fingerprint(&self) -> u128 {
        *self.chain.fingerprint.get_or_init(|| {
            (0..self.face_count() as FaceId)
                .fold(Fnv128::new(), |h, id| h.u128(self.face_digest(id)))
                .finish()
        })
    }
}

impl Chain {
    fn book(&'static self, han: Han) -> &'static FontBook {
        self.variants[han.index()]
            .get_or_init(|| Box::leak(Box::new(FontBook { chain: self, han })))
    }
}

/// `text` without U+00AD: rustybuzz draws a soft hyphen as a visible hyphen,
/// but within a line it must vanish (layout adds a real hyphen at a break).
fn strip_soft_hyphens(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\u{00AD}') { text.replace('\u{00AD}', "").into() } else { text.into() }
}

/// Characters that need no glyph: whitespace, controls, and default-ignorable
/// format characters (soft hyphen, joiners, bidi marks, variation selectors).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    const _: () = {
        const fn send_sync<T: Send + Sync>() {}
        send_sync::<FontBook>();
    };

    fn book() -> &'static FontBook {
        FontBook::builtin()
    }

    #[test]
    fn a_passage_is_shaped_in_its_own_language() {
        let b = book();
        let gids = |glyphs: Vec<Glyph>| glyphs.iter().map(|g| g.gid).collect::<Vec<u16>>();
        // Serbian italic б, г, д, п, т have their own forms (`locl`).
        let text = "бгдпт";
        let plain = gids(b.shape_logical(FontStyle::Italic, 10.0, text, None));
        let serbian = gids(b.shape_passage("sr-Cyrl", FontStyle::Italic, 10.0, text, None));
        assert_eq!(plain.iter().zip(&serbian).filter(|(a, b)| a != b).count(), 5);
        let russian = gids(b.shape_passage("ru", FontStyle::Italic, 10.0, text, None));
        assert_eq!(russian, plain);
        // Romanian ş with a comma below, as Romanian is written.
        assert_ne!(
            gids(b.shape_passage("ro", FontStyle::Regular, 10.0, "ş", None)),
            gids(b.shape_logical(FontStyle::Regular, 10.0, "ş", None))
        );
        // A Japanese passage in a Chinese brief: Japanese forms.
        let ja = gids(b.shape_passage("ja", FontStyle::Regular, 10.0, "骨", None));
        assert_eq!(
            ja,
            gids(b.with_han(Han::Jp).shape_logical(FontStyle::Regular, 10.0, "骨", None))
        );
        assert_ne!(ja, gids(b.shape_logical(FontStyle::Regular, 10.0, "骨", None)));
        // The text maps back whole.
        let back: String = b
            .shape_passage("sr", FontStyle::Italic, 10.0, text, None)
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(back, text);
    }

    #[test]
    fn kerning_narrows_av() {
        let b = book();
        let pair = b.width(FontStyle::Regular, 12.0, "AV");
        let single =
            b.width(FontStyle::Regular, 12.0, "A") + b.width(FontStyle::Regular, 12.0, "V");
        assert!(pair < single - 0.1, "AV {pair} vs A+V {single}");
        let glyphs = b.shape(FontStyle::Regular, 12.0, "AV");
        let sum: f32 = glyphs.iter().map(|g| g.advance).sum();
        assert!((sum - pair).abs() < 1e-4);
    }

    #[test]
    fn one_glyph_per_char_with_text() {
        for text in ["Əli İsgəndərov", "Кыргызстан ң ө ү", "Ali Asadov", "Ελλάδα"]
        {
            for style in FontStyle::ALL {
                let glyphs = book().shape(style, 10.0, text);
                assert_eq!(glyphs.len(), text.chars().count(), "{text}");
                let back: String = glyphs.iter().map(|g| g.text.as_str()).collect();
                assert_eq!(back, text);
                assert!(glyphs.iter().all(|g| g.gid != 0 && g.text.chars().count() == 1));
                assert_eq!(book().missing_char(text), None);
            }
        }
    }

    #[test]
    fn ligature_takes_whole_cluster() {
        let glyphs = book().shape(FontStyle::Regular, 10.0, "office");
        let back: String = glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(back, "office");
        assert!(glyphs.iter().all(|g| !g.text.is_empty()));
    }

    #[test]
    fn combining_mark_keeps_its_own_char() {
        // q has no precomposed form with U+0323, so base and mark stay apart.
        let glyphs = book().shape(FontStyle::Regular, 10.0, "q\u{0323}");
        let texts: Vec<&str> = glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, ["q", "\u{0323}"]);
    }

    #[test]
    fn soft_hyphen_disappears() {
        let glyphs = book().shape(FontStyle::Regular, 10.0, "ab\u{00AD}c");
        let back: String = glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(back, "abc");
    }

    #[test]
    fn coverage_below_u0800_is_what_the_cmap_says() {
        let b = book();
        for id in 0..b.face_count() {
            let face = &b.chain.faces[id];
            let Some(f) = face.get() else { continue };
            for c in (0..face::LOW as u32).filter_map(char::from_u32) {
                assert_eq!(
                    face.covers(c),
                    f.glyph_index(c).is_some(),
                    "{} U+{:04X}",
                    face.name,
                    c as u32
                );
            }
        }
    }

    #[test]
    fn shaping_through_the_cache_is_shaping() {
        let b = book();
        for text in ["Agreed measures", "Ташкент", "تفعيل الاتفاقية", "中欧班列 (2×)"]
        {
            for rtl in [false, true] {
                let first = b.shape_dir(FontStyle::Bold, 11.0, text, rtl);
                let again = b.shape_dir(FontStyle::Bold, 11.0, text, rtl);
                assert_eq!(first, again);
                let levels = levels(text, rtl);
                let mut fresh = b.shape_logical(FontStyle::Bold, 11.0, text, levels.as_deref());
                reorder(&mut fresh);
                assert_eq!(first, fresh, "{text} rtl={rtl}");
            }
        }
    }

    #[test]
    fn missing_chars() {
        let b = book();
        assert_eq!(b.missing_char("Hello 你好 → ≤ ✓ ☐ ■ ★ ⚠ − ≈"), None);
        assert_eq!(b.missing_char("ok 😀"), Some('😀'));
        assert_eq!(b.missing_char("𓀀 hieroglyph"), Some('𓀀'));
        assert_eq!(b.missing_char("a\tb\n\u{00AD}\u{200D}c"), None);
        assert_eq!(b.missing_char(""), None);
    }

    #[test]
    fn metrics_and_bytes() {
        let b = book();
        let asc = b.ascender(FontStyle::Regular, 10.0);
        let desc = b.descender(FontStyle::Regular, 10.0);
        assert!(asc > 5.0 && asc < 12.0, "{asc}");
        assert!(desc < 0.0 && desc > -5.0, "{desc}");
        assert!(b.bytes(FontStyle::Bold).len() > 10_000);
        assert_eq!(b.width(FontStyle::Regular, 10.0, ""), 0.0);
        assert!(b.shape(FontStyle::Regular, 10.0, "").is_empty());
    }

    #[test]
    fn house_reports_bad_face() {
        let good = |s: FontStyle| (format!("{s:?}.ttf"), book().bytes(s).to_vec());
        let bad = ("Broken-Bold.ttf".to_string(), vec![1, 2, 3]);
        let faces =
            [good(FontStyle::Regular), bad, good(FontStyle::Italic), good(FontStyle::BoldItalic)];
        let msg = FontBook::house(faces).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("bold") && msg.contains("Broken-Bold.ttf"), "{msg}");
        assert!(FontBook::house(FontStyle::ALL.map(good)).is_ok());
    }

    #[test]
    fn shared_across_threads() {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                std::thread::spawn(move || book().width(FontStyle::ALL[i], 10.0, "Кыргызстан"))
            })
            .collect();
        for h in handles {
            assert!(h.join().map(|w| w > 10.0).unwrap_or(false));
        }
    }

    #[test]
    fn each_script_is_set_in_its_own_face_with_real_glyphs() {
        let cases = [
            ("ირაკლი ღარიბაშვილი", "Georgian"),
            ("Նիկոլ Փաշինյան", "Armenian"),
            ("בנימין נתניהו", "Hebrew"),
            ("عبدالله بن زايد", "Arabic"),
            ("محمد جواد ظریف", "Arabic"),
            ("नरेन्द्र मोदी", "Devanagari"),
            ("ประยุทธ์ จันทร์โอชา", "Thai"),
            ("李强 习近平", "CJK SC"),
            ("岸田文雄", "CJK SC"),
            ("윤석열", "CJK KR"),
            ("ひらがな カタカナ", "CJK JP"),
            ("− ≤ ≥ ≈ → ←", "Math"),
            ("✓ ✗ ☐ ☑ ■ ▲ ★", "Symbols 2"),
            ("⚠", "Symbols"),
        ];
        for style in FontStyle::ALL {
            for (text, face) in cases {
                let glyphs = book().shape(style, 10.0, text);
                for g in glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
                    assert_ne!(g.gid, 0, "{text}: .notdef for {:?}", g.text);
                    let name = book().face_name(g.face);
                    assert!(name.contains(face), "{text}: {:?} set in {name}, not {face}", g.text);
                }
                let back: String = if glyphs.iter().any(|g| g.level % 2 == 1) {
                    glyphs.iter().rev().map(|g| g.text.as_str()).collect()
                } else {
                    glyphs.iter().map(|g| g.text.as_str()).collect()
                };
                assert_eq!(back, text, "every character maps back");
            }
        }
    }

    #[test]
    fn regional_han_forms_follow_the_language() {
        let face = |lang: &str, text: &str| {
            let b = book().for_language(lang);
            b.face_name(b.shape(FontStyle::Regular, 10.0, text)[0].face).to_owned()
        };
        assert_eq!(face("en", "骨"), "Noto Sans CJK SC");
        assert_eq!(face("ja", "骨"), "Noto Sans CJK JP");
        assert_eq!(face("zh-Hant", "骨"), "Noto Sans CJK TC");
        assert_eq!(face("zh-HK", "骨"), "Noto Sans CJK HK");
        assert_eq!(face("ko", "骨"), "Noto Sans CJK KR");
        // A document with kana is Japanese whatever the brief's language.
        let b = book().for_language("en").for_text(["岸田文雄首相は会談で述べた"]);
        assert_eq!(
            b.face_name(b.shape(FontStyle::Regular, 10.0, "骨")[0].face),
            "Noto Sans CJK JP"
        );
        // One Japanese phrase quoted in a Chinese text does not change it.
        let b = book()
            .for_language("en")
            .for_text(["双方同意加强中间走廊合作推进深水港项目。日本語の資料"]);
        assert_eq!(
            b.face_name(b.shape(FontStyle::Regular, 10.0, "骨")[0].face),
            "Noto Sans CJK SC"
        );
        let b = book().for_language("en").for_text(["…の…"]);
        assert_eq!(
            b.face_name(b.shape(FontStyle::Regular, 10.0, "骨")[0].face),
            "Noto Sans CJK JP"
        );
        // The forms differ: 骨 is drawn differently in China and Japan.
        let gid =
            |lang: &str| book().for_language(lang).shape(FontStyle::Regular, 10.0, "骨")[0].gid;
        assert_ne!(gid("zh"), gid("ja"));
    }

    #[test]
    fn bold_and_italic_use_real_faces_where_bundled_and_say_when_synthesised() {
        let b = book();
        let face_of = |style, text: &str| b.shape(style, 10.0, text)[0].face;
        // Georgian has a real bold; CJK has none; nothing but Noto Sans has italics.
        let geo = face_of(FontStyle::Bold, "ი");
        assert!(b.face_name(geo).contains("Georgian Bold"));
        assert_eq!(b.synthesis(FontStyle::Bold, geo), (false, false));
        let cjk = face_of(FontStyle::BoldItalic, "李");
        assert_eq!(b.synthesis(FontStyle::BoldItalic, cjk), (true, true));
        assert_eq!(b.synthesis(FontStyle::Italic, face_of(FontStyle::Italic, "a")), (false, false));
        assert_eq!(b.synthesis(FontStyle::Italic, face_of(FontStyle::Italic, "ი")), (false, true));
    }

    #[test]
    fn marks_keep_their_vertical_place() {
        // A kasra sits below its letter, a fatha above: rustybuzz moves
        // them vertically, and the glyph keeps that.
        let glyphs = book().shape(FontStyle::Regular, 20.0, "وزيرِ بَ");
        let kasra = glyphs.iter().find(|g| g.text == "\u{650}").unwrap();
        let fatha = glyphs.iter().find(|g| g.text == "\u{64E}").unwrap();
        // Each mark carries its own character and its own offset (the
        // kasra lower than the fatha), and the letters none.
        assert!(
            kasra.rise() < fatha.rise() && kasra.rise() < 0.0,
            "{} {}",
            kasra.rise(),
            fatha.rise()
        );
        let reh = glyphs.iter().find(|g| g.text == "ر").unwrap();
        assert_eq!(reh.y_offset, 0);
        assert_eq!(std::mem::size_of::<Glyph>(), 40);
    }

    #[test]
    fn a_letter_keeps_its_own_character_when_its_marks_share_a_glyph() {
        // مقدَّم: dal, fatha and shadda; the font draws both marks as one glyph.
        let glyphs = book().shape(FontStyle::Regular, 10.0, "مقدَّم");
        let texts: Vec<&str> = glyphs.iter().rev().map(|g| g.text.as_str()).collect();
        assert_eq!(texts.concat(), "مقدَّم");
        assert!(texts.contains(&"د"), "{texts:?}");
        // ffi stays a ligature of letters, its first glyph taking all three.
        assert_eq!(texts_of("office"), ["o", "ffi", "c", "e"]);
    }

    fn texts_of(text: &str) -> Vec<String> {
        book().shape(FontStyle::Regular, 10.0, text).iter().map(|g| g.text.to_string()).collect()
    }

    #[test]
    fn a_latin_text_parses_no_other_face() {
        // Coverage and shaping of plain text stay in the family.
        let glyphs = book().shape(FontStyle::Regular, 10.0, "Ali Asadov, Кыргызстан, Ελλάδα");
        assert!(glyphs.iter().all(|g| g.face == 0 && g.level == 0));
    }
}
