//! Bidi (UAX #9): which text needs levels, the levels of a paragraph, and
//! a finished line turned into visual order.

use unicode_bidi::{BidiClass, BidiInfo, Level, bidi_class};
use unicode_script::{Script as Usc, UnicodeScript};

use crate::frame::Glyph;

/// Characters of no script of their own (spaces, punctuation, digits,
/// combining marks), which take the face of the text around them.
pub(super) fn is_neutral(c: char) -> bool {
    matches!(c.script(), Usc::Common | Usc::Inherited | Usc::Unknown)
}

/// Whether `text` holds anything written right to left (Hebrew, Arabic,
/// explicit right-to-left controls): only then are bidi levels computed.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        u32::from(c) >= 0x0590
            && matches!(
                bidi_class(c),
                BidiClass::R | BidiClass::AL | BidiClass::RLE | BidiClass::RLO | BidiClass::RLI
            )
    })
}

/// Bidi levels of a paragraph, one per byte of `text` (UAX #9). The
/// paragraph takes the document's direction (`rtl`), not the direction of
/// its first letter, so an English sentence that starts with an Arabic name
/// still reads left to right; except that a paragraph with letters of the
/// other direction only takes theirs (an e-mail address or an English title
/// in an Arabic brief, a Hebrew sentence in an English one), as a careful
/// typesetter would set it. `None` when everything is level 0.
pub fn levels(text: &str, rtl: bool) -> Option<Vec<u8>> {
    let has_rtl = has_rtl(text);
    let base = match (rtl, has_rtl) {
        (false, false) => return None,
        (true, false) => {
            // Nothing right to left: left to right unless it has no letters
            // at all (a list number, a date in Arabic digits).
            let ltr = text.chars().any(|c| matches!(bidi_class(c), BidiClass::L));
            if ltr {
                return None;
            }
            Level::rtl()
        }
        (false, true) if !text.chars().any(|c| matches!(bidi_class(c), BidiClass::L)) => {
            Level::rtl()
        }
        (false, true) => Level::ltr(),
        (true, true) => Level::rtl(),
    };
    let info = BidiInfo::new(text, Some(base));
    Some(info.levels.iter().map(|l| l.number()).collect())
}

/// Reorders one line's glyphs from logical to visual order (UAX #9, L2).
pub fn reorder(glyphs: &mut Vec<Glyph>) {
    let levels: Vec<u8> = glyphs.iter().map(|g| g.level).collect();
    if levels.iter().all(|&l| l == 0) {
        return;
    }
    let mut slots: Vec<Option<Glyph>> = std::mem::take(glyphs).into_iter().map(Some).collect();
    *glyphs = visual_order(&levels).into_iter().filter_map(|i| slots[i].take()).collect();
}

/// The visual order of a line whose items have bidi `levels` (UAX #9, rule
/// L2): from the highest level down to the lowest odd one, every run at that
/// level or higher is reversed. Returns logical indices, left to right.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let max = levels.iter().copied().max().unwrap_or(0);
    let lowest = levels.iter().copied().filter(|l| l % 2 == 1).min().unwrap_or(1);
    let mut level = max;
    while level >= lowest && level > 0 {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}
