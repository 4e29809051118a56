//! One face: its bytes and style, parsed on first use, with its shape plans
//! and a coverage bitmap of the characters most briefs use.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use rustybuzz::{BufferFlags, Direction, Language, Script, ShapePlan, UnicodeBuffer};

/// Shape plans are valid for one face, direction, script and language (a
/// passage's `locl` forms); building one is the expensive part of shaping,
/// so each face keeps them.
pub(super) type PlanKey = (Direction, Script, Option<Language>);

/// One face: its bytes, its real style, and (once first needed) its parse.
pub(super) struct Face {
    pub(super) name: String,
    pub(super) bytes: &'static [u8],
    pub(super) index: u32,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) parsed: OnceLock<Option<rustybuzz::Face<'static>>>,
    pub(super) plans: RwLock<HashMap<PlanKey, Arc<ShapePlan>>>,
    /// See [`FontBook::face_digest`].
    pub(super) digest: OnceLock<u128>,
    /// Which characters below [`LOW`] the face has, one bit each: every
    /// character of a brief is looked up (to check it can be drawn and to
    /// choose its face), and a cmap lookup is a binary search.
    pub(super) low: OnceLock<Box<[u64; LOW / 64]>>,
}

/// Characters below this are looked up in [`Face::low`]: Latin, Greek,
/// Cyrillic, Armenian, Hebrew, Arabic and more.
pub(super) const LOW: usize = 0x800;

/// The bitmap of [`Face::low`]: a character has a bit when a Unicode cmap
/// subtable maps it to a glyph, as [`rustybuzz::Face::glyph_index`] asks.
/// Only the characters each subtable lists are looked up (some hundreds in
/// a face, not all 2,048: a lookup is a binary search).
fn low(face: &rustybuzz::Face<'static>) -> Box<[u64; LOW / 64]> {
    let mut bits = Box::new([0_u64; LOW / 64]);
    let Some(cmap) = face.tables().cmap else { return bits };
    for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
        table.codepoints(|c| {
            let i = c as usize;
            if i < LOW && bits[i / 64] & (1 << (i % 64)) == 0 && table.glyph_index(c).is_some() {
                bits[i / 64] |= 1 << (i % 64);
            }
        });
    }
    bits
}

impl Face {
    pub(super) fn new(
        name: &str,
        bytes: &'static [u8],
        index: u32,
        bold: bool,
        italic: bool,
    ) -> Face {
        Face {
            name: name.to_owned(),
            bytes,
            index,
            bold,
            italic,
            parsed: OnceLock::new(),
            plans: RwLock::new(HashMap::new()),
            digest: OnceLock::new(),
            low: OnceLock::new(),
        }
    }

    /// The parsed face; `None` if the bytes are not a usable font (bundled
    /// faces are checked by tests, a house face when its book is made).
    pub(super) fn get(&self) -> Option<&rustybuzz::Face<'static>> {
        self.parsed
            .get_or_init(|| {
                rustybuzz::Face::from_slice(self.bytes, self.index).filter(|f| f.units_per_em() > 0)
            })
            .as_ref()
    }

    pub(super) fn covers(&self, c: char) -> bool {
        let at = c as usize;
        if at >= LOW {
            return self.get().is_some_and(|f| f.glyph_index(c).is_some());
        }
        let bits = self.low.get_or_init(|| self.get().map_or_else(|| Box::new([0; LOW / 64]), low));
        bits[at / 64] & (1 << (at % 64)) != 0
    }

    /// Points per font unit at `size`.
    pub(super) fn scale(&self, size: f32) -> f32 {
        self.get().map_or(0.0, |f| size / f.units_per_em() as f32)
    }

    /// The cached plan for the buffer's direction and script, built on first use.
    pub(super) fn plan(
        &self,
        face: &rustybuzz::Face<'static>,
        buffer: &UnicodeBuffer,
    ) -> Arc<ShapePlan> {
        let key = (buffer.direction(), buffer.script(), buffer.language());
        // A poisoned lock only means another thread panicked mid-insert; the
        // map itself is still valid, so keep using it.
        let read = self.plans.read().unwrap_or_else(|e| e.into_inner());
        if let Some(plan) = read.get(&key) {
            return Arc::clone(plan);
        }
        drop(read);
        // The buffer reports "no script" (all common characters) as UNKNOWN.
        let script = Some(key.1).filter(|&s| s != rustybuzz::script::UNKNOWN);
        let plan = Arc::new(ShapePlan::new(face, key.0, script, key.2.as_ref(), &[]));
        let mut write = self.plans.write().unwrap_or_else(|e| e.into_inner());
        Arc::clone(write.entry(key).or_insert(plan))
    }

    /// Runs rustybuzz with default features (kerning, ligatures, marks,
    /// Arabic joining, mirroring in right-to-left runs).
    /// `first`: the text starts here. A run that goes on from text set in
    /// another face is not the beginning of the text: a combining mark that
    /// opens it belongs to the letter before it (in a face without the mark),
    /// and must not be drawn on a dotted circle (◌) of its own.
    /// `language`: a passage's, whose language system the font's `locl`
    /// feature follows; `None` is the font's default.
    pub(super) fn shape_raw(
        &self,
        text: &str,
        rtl: Option<bool>,
        first: bool,
        language: Option<&Language>,
    ) -> Option<rustybuzz::GlyphBuffer> {
        let face = self.get()?;
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // Hidden default-ignorables (soft hyphen, ZWJ…) would otherwise become
        // zero-width space glyphs whose text would poison the PDF ToUnicode map.
        let mut flags = BufferFlags::END_OF_TEXT | BufferFlags::REMOVE_DEFAULT_IGNORABLES;
        if first {
            flags |= BufferFlags::BEGINNING_OF_TEXT;
        }
        buffer.set_flags(flags);
        buffer.guess_segment_properties();
        if let Some(language) = language {
            buffer.set_language(language.clone());
        }
        if let Some(rtl) = rtl {
            buffer.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
        }
        let plan = self.plan(face, &buffer);
        Some(rustybuzz::shape_with_plan(face, &plan, buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bitmap, made from the cmap's own lists, says what a lookup of
    /// every character below [`LOW`] says, for every bundled face.
    #[test]
    fn coverage_bitmap_agrees_with_a_lookup_of_every_low_character() {
        let mut files: Vec<(&str, &'static [u8], u32)> =
            super::super::faces::FAMILY.iter().map(|(n, b)| (*n, *b, 0)).collect();
        for link in super::super::faces::chain() {
            files.push((link.regular.name, link.regular.bytes, 0));
            if let Some(bold) = link.bold {
                files.push((bold.name, bold.bytes, 0));
            }
        }
        files.push(("Noto Sans CJK JP", super::super::faces::cjk_bytes(), 0));
        let regular = Face::new("Noto Sans", super::super::faces::FAMILY[0].1, 0, false, false);
        assert!(regular.covers('A') && regular.covers('Ж') && !regular.covers('\u{5D0}'));
        for (name, bytes, index) in files {
            let face = Face::new(name, bytes, index, false, false);
            let parsed = face.get().expect("bundled face parses");
            for i in 0..LOW as u32 {
                let Some(c) = char::from_u32(i) else { continue };
                let looked_up = parsed.glyph_index(c).is_some();
                assert_eq!(face.covers(c), looked_up, "{name}: U+{i:04X}");
            }
        }
    }
}
