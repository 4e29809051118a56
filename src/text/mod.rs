//! Fonts and shaping: the bundled faces, rustybuzz shaping, glyph coverage;
//! and how deeply markup nests ([`nesting`]).

pub mod nesting;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

use rustybuzz::{BufferFlags, Direction, Script, ShapePlan, UnicodeBuffer};

use crate::frame::{FontStyle, Glyph};

/// Names of the faces in [`FontStyle::ALL`] order, for error messages.
const FACE_NAMES: [&str; 4] = ["regular", "bold", "italic", "bold italic"];

/// The bundled Noto Sans files, in [`FontStyle::ALL`] order.
static BUILTIN_BYTES: [&[u8]; 4] = [
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"),
];

/// Shape plans are valid for one face, direction and script; building one is
/// the expensive part of shaping, so each face keeps them.
type PlanKey = (Direction, Script);

/// One parsed face with its shape-plan cache.
struct Face {
    bytes: &'static [u8],
    face: rustybuzz::Face<'static>,
    plans: RwLock<HashMap<PlanKey, Arc<ShapePlan>>>,
}

impl Face {
    fn parse(bytes: &'static [u8], index: usize) -> Result<Face, FontError> {
        let face = rustybuzz::Face::from_slice(bytes, 0).ok_or_else(|| FontError {
            face: FACE_NAMES[index],
            reason: format!("not a TrueType/OpenType font ({} bytes)", bytes.len()),
        })?;
        if face.units_per_em() <= 0 {
            return Err(FontError {
                face: FACE_NAMES[index],
                reason: "units per em is zero".into(),
            });
        }
        Ok(Face { bytes, face, plans: RwLock::new(HashMap::new()) })
    }

    /// Points per font unit at `size`.
    fn scale(&self, size: f32) -> f32 {
        size / self.face.units_per_em() as f32
    }

    /// The cached plan for the buffer's direction and script, built on first use.
    fn plan(&self, buffer: &UnicodeBuffer) -> Arc<ShapePlan> {
        let key = (buffer.direction(), buffer.script());
        // A poisoned lock only means another thread panicked mid-insert; the
        // map itself is still valid, so keep using it.
        let read = self.plans.read().unwrap_or_else(|e| e.into_inner());
        if let Some(plan) = read.get(&key) {
            return Arc::clone(plan);
        }
        drop(read);
        // The buffer reports "no script" (all common characters) as UNKNOWN.
        let script = Some(key.1).filter(|&s| s != rustybuzz::script::UNKNOWN);
        let language = buffer.language();
        let plan = Arc::new(ShapePlan::new(&self.face, key.0, script, language.as_ref(), &[]));
        let mut write = self.plans.write().unwrap_or_else(|e| e.into_inner());
        Arc::clone(write.entry(key).or_insert(plan))
    }

    /// Runs rustybuzz with default features (kerning, ligatures, marks).
    fn shape_raw(&self, text: &str) -> rustybuzz::GlyphBuffer {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // Hidden default-ignorables (soft hyphen, ZWJ…) would otherwise become
        // zero-width space glyphs whose text would poison the PDF ToUnicode map.
        buffer.set_flags(
            BufferFlags::BEGINNING_OF_TEXT
                | BufferFlags::END_OF_TEXT
                | BufferFlags::REMOVE_DEFAULT_IGNORABLES,
        );
        buffer.guess_segment_properties();
        let plan = self.plan(&buffer);
        rustybuzz::shape_with_plan(&self.face, &plan, buffer)
    }
}

/// The four faces of one family, parsed once; `Send + Sync` so batch builds
/// can share one across threads.
pub struct FontBook {
    faces: [Face; 4],
}

/// A face that could not be loaded.
#[derive(Debug)]
pub struct FontError {
    face: &'static str,
    reason: String,
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot load the {} font face: {}", self.face, self.reason)
    }
}

impl std::error::Error for FontError {}

impl FontBook {
    /// The bundled Noto Sans faces, compiled into the binary and parsed once
    /// per process.
    pub fn builtin() -> &'static FontBook {
        static BOOK: OnceLock<FontBook> = OnceLock::new();
        BOOK.get_or_init(|| match Self::from_static(BUILTIN_BYTES) {
            Ok(book) => book,
            // The bundled files are fixed at compile time and covered by tests.
            Err(e) => unreachable!("bundled fonts are valid: {e}"),
        })
    }

    /// Four faces from bytes (regular, bold, italic, bold italic), e.g. read
    /// from a theme's folder. The bytes are leaked so the parsed faces can
    /// borrow them for the rest of the process; a book is built at most a few
    /// times per run.
    pub fn from_bytes(faces: [Vec<u8>; 4]) -> Result<FontBook, FontError> {
        // Validate before leaking so bad input does not leak memory.
        for (i, bytes) in faces.iter().enumerate() {
            if ttf_check(bytes).is_none() {
                return Err(FontError {
                    face: FACE_NAMES[i],
                    reason: format!("not a TrueType/OpenType font ({} bytes)", bytes.len()),
                });
            }
        }
        Self::from_static(faces.map(|v| &*Box::leak(v.into_boxed_slice())))
    }

    fn from_static(bytes: [&'static [u8]; 4]) -> Result<FontBook, FontError> {
        let [r, b, i, bi] = bytes;
        Ok(FontBook {
            faces: [
                Face::parse(r, 0)?,
                Face::parse(b, 1)?,
                Face::parse(i, 2)?,
                Face::parse(bi, 3)?,
            ],
        })
    }

    fn face(&self, style: FontStyle) -> &Face {
        &self.faces[style.index()]
    }

    /// Shapes `text` (one line, no breaks) at `size` points with kerning and
    /// ligatures. Each glyph's `text` is one character, a whole cluster only
    /// for a true ligature, and empty for extra glyphs of a cluster.
    pub fn shape(&self, style: FontStyle, size: f32, text: &str) -> Vec<Glyph> {
        let text = &*strip_soft_hyphens(text);
        let face = self.face(style);
        let out = face.shape_raw(text);
        let scale = face.scale(size);
        let infos = out.glyph_infos();
        let pos = out.glyph_positions();
        let clusters: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        let texts = glyph_texts(text, &clusters);
        infos
            .iter()
            .zip(pos)
            .zip(texts)
            .map(|((info, p), text)| Glyph {
                // rustybuzz guarantees glyph ids fit in u16.
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: p.x_advance as f32 * scale,
                x_offset: p.x_offset as f32 * scale,
                text,
            })
            .collect()
    }

    /// Advance width of shaped `text` in points.
    pub fn width(&self, style: FontStyle, size: f32, text: &str) -> f32 {
        let face = self.face(style);
        let units: i64 = face
            .shape_raw(&strip_soft_hyphens(text))
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum();
        units as f32 * face.scale(size)
    }

    /// First character of `text` the face has no glyph for, ignoring
    /// whitespace, controls and invisible format characters.
    pub fn missing_char(&self, style: FontStyle, text: &str) -> Option<char> {
        let face = &self.face(style).face;
        text.chars().find(|&c| !is_invisible(c) && face.glyph_index(c).is_none())
    }

    /// Ascender in points at `size` (positive).
    pub fn ascender(&self, style: FontStyle, size: f32) -> f32 {
        let face = self.face(style);
        f32::from(face.face.ascender()) * face.scale(size)
    }

    /// Descender in points at `size` (negative, below the baseline).
    pub fn descender(&self, style: FontStyle, size: f32) -> f32 {
        let face = self.face(style);
        f32::from(face.face.descender()) * face.scale(size)
    }

    /// Raw font file bytes of a face.
    pub fn bytes(&self, style: FontStyle) -> &[u8] {
        self.face(style).bytes
    }

    /// The face bytes with their true lifetime: they are never freed, so the
    /// PDF writer may key a per-process cache on their address.
    pub(crate) fn static_bytes(&self, style: FontStyle) -> &'static [u8] {
        self.face(style).bytes
    }

    /// The glyph the face's cmap gives `c`, if any.
    pub(crate) fn glyph_id(&self, style: FontStyle, c: char) -> Option<u16> {
        self.face(style).face.glyph_index(c).map(|g| g.0)
    }
}

/// `text` without U+00AD: rustybuzz draws a soft hyphen as a visible hyphen,
/// but within a line it must vanish (layout adds a real hyphen at a break).
fn strip_soft_hyphens(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\u{00AD}') { text.replace('\u{00AD}', "").into() } else { text.into() }
}

/// Whether `bytes` parse as a font (without keeping the parse).
fn ttf_check(bytes: &[u8]) -> Option<()> {
    rustybuzz::ttf_parser::Face::parse(bytes, 0).ok().map(|_| ())
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

/// The text each glyph stands for, given each glyph's cluster (a byte index
/// into `text`). Glyphs of one cluster are adjacent; each gets one character
/// in order so a glyph is never mapped to more than its own character, except
/// that when a cluster has fewer glyphs than characters the first glyph (the
/// ligature) takes the surplus.
fn glyph_texts(text: &str, clusters: &[usize]) -> Vec<compact_str::CompactString> {
    let mut starts = clusters.to_vec();
    starts.sort_unstable();
    starts.dedup();
    let end_of =
        |c: usize| starts.get(starts.partition_point(|&s| s <= c)).map_or(text.len(), |&s| s);
    let mut out = Vec::with_capacity(clusters.len());
    let mut i = 0;
    while i < clusters.len() {
        let c = clusters[i];
        let n_glyphs = clusters[i..].iter().take_while(|&&x| x == c).count();
        let chars: Vec<&str> = split_chars(text.get(c..end_of(c)).unwrap_or(""));
        let surplus = chars.len().saturating_sub(n_glyphs);
        let mut rest = chars.into_iter();
        for k in 0..n_glyphs {
            let take = if k == 0 { surplus + 1 } else { 1 };
            out.push(rest.by_ref().take(take).collect());
        }
        i += n_glyphs;
    }
    out
}

/// `text` cut into one-character slices.
fn split_chars(text: &str) -> Vec<&str> {
    text.char_indices().map(|(i, c)| &text[i..i + c.len_utf8()]).collect()
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
                assert_eq!(book().missing_char(style, text), None);
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
    fn missing_chars() {
        let b = book();
        assert_eq!(b.missing_char(FontStyle::Regular, "Hello 你好"), Some('你'));
        assert_eq!(b.missing_char(FontStyle::Bold, "ok 😀"), Some('😀'));
        assert_eq!(b.missing_char(FontStyle::Italic, "a\tb\n\u{00AD}\u{200D}c"), None);
        assert_eq!(b.missing_char(FontStyle::Regular, ""), None);
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
    fn from_bytes_reports_bad_face() {
        let good = |s: FontStyle| book().bytes(s).to_vec();
        let err =
            FontBook::from_bytes([good(FontStyle::Regular), vec![1, 2, 3], vec![], vec![]]).err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("bold"), "{msg}");
        let ok = FontBook::from_bytes(FontStyle::ALL.map(good));
        assert!(ok.is_ok());
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
}
