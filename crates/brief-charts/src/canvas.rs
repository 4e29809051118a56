//! The item list a chart is drawn into, with text measuring, wrapping and placing.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use brief_core::frame::{FontStyle, Item, Path, Rgb, TextRun};
use brief_core::text::FontBook;

/// An axis-aligned rectangle in page points, `(x, y)` its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// The right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// The bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// The rectangle with `top` points taken off the top and `bottom` off the bottom.
    pub fn trim_vertical(&self, top: f32, bottom: f32) -> Rect {
        let h = (self.h - top - bottom).max(0.0);
        Rect { x: self.x, y: self.y + top.min(self.h), w: self.w, h }
    }
}

/// Face, size and colour of a piece of chart text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub face: FontStyle,
    pub size: f32,
    pub color: Rgb,
}

impl Font {
    /// The same font at another size.
    pub fn sized(self, size: f32) -> Font {
        Font { size, ..self }
    }

    /// The same font in another colour.
    pub fn colored(self, color: Rgb) -> Font {
        Font { color, ..self }
    }
}

/// Collects the items of one chart; shared by the plotters backend and the
/// code that draws directly, so painting order is simply call order.
pub(crate) struct Canvas<'a> {
    pub fonts: &'a FontBook,
    /// Labels read right to left (a right-to-left document's charts).
    rtl: bool,
    /// Items of each [`Part`], in painting order within the part.
    items: RefCell<[Vec<Item>; 3]>,
    /// The part being drawn.
    part: Cell<Part>,
    /// Layout tries several arrangements and measures the same strings
    /// again and again; shaping is the expensive part, so widths are kept.
    /// Only looked up, never iterated, so output order cannot depend on it.
    widths: RefCell<HashMap<(FontStyle, u32, String), f32>>,
    /// Wrapped texts, for the same reason: sizing a chart's box wraps its
    /// title, note and legend, and drawing it wraps them again at the same
    /// width. Keyed by face, size, text, width and whether words may break.
    wraps: RefCell<HashMap<WrapKey, Vec<String>>>,
    /// Texts of the figure shown cut short or not at all (see [`Canvas::leave_out`]).
    left_out: RefCell<Vec<(Part, String)>>,
}

type WrapKey = (FontStyle, u32, String, u32, bool);

/// The parts of a chart a reader meets in turn: title (and unit), the
/// drawing, then note and source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Title = 0,
    Body = 1,
    Foot = 2,
}

impl<'a> Canvas<'a> {
    pub fn new(fonts: &'a FontBook, rtl: bool) -> Self {
        Canvas {
            fonts,
            rtl,
            items: RefCell::new(Default::default()),
            part: Cell::new(Part::Body),
            widths: RefCell::new(HashMap::new()),
            wraps: RefCell::new(HashMap::new()),
            left_out: RefCell::new(Vec::new()),
        }
    }

    /// Appends an item on top of everything drawn so far in the current part.
    pub fn push(&self, item: Item) {
        self.items.borrow_mut()[self.part.get() as usize].push(item);
    }

    /// Draws what follows into `part`; returns the part drawn before.
    pub fn set_part(&self, part: Part) -> Part {
        self.part.replace(part)
    }

    /// Appends a path.
    pub fn path(&self, path: Path) {
        self.push(Item::Path(path));
    }

    /// An empty canvas for trying a layout, borrowing this one's caches.
    pub fn scratch(&self) -> Canvas<'a> {
        let widths = RefCell::new(self.widths.take());
        let wraps = RefCell::new(self.wraps.take());
        let (items, part) = (RefCell::new(Default::default()), self.part.clone());
        let left_out = RefCell::new(Vec::new());
        Canvas { fonts: self.fonts, rtl: self.rtl, items, part, widths, wraps, left_out }
    }

    /// Takes back the caches of a scratch canvas, and its items and what it
    /// left out if `keep`.
    pub fn reclaim(&self, scratch: Canvas, keep: bool) {
        self.widths.replace(scratch.widths.into_inner());
        self.wraps.replace(scratch.wraps.into_inner());
        if keep {
            let mut mine = self.items.borrow_mut();
            for (all, more) in mine.iter_mut().zip(scratch.items.into_inner()) {
                all.extend(more);
            }
            self.left_out.borrow_mut().extend(scratch.left_out.into_inner());
        }
    }

    /// Notes a text of `part` the chart shows cut short or not at all,
    /// whole: the page prints it under the chart, so nothing of a figure is
    /// lost.
    pub fn leave_out(&self, part: Part, text: &str) {
        let text = text.trim();
        let mut left_out = self.left_out.borrow_mut();
        if !text.is_empty() && !left_out.iter().any(|(_, t)| t == text) {
            left_out.push((part, text.to_string()));
        }
    }

    /// Everything drawn, part by part: title, drawing, foot; and the texts
    /// left out, in the order a reader meets their parts (the foot is laid
    /// out first, to know the height left above it).
    pub fn into_parts(self) -> ([Vec<Item>; 3], Vec<String>) {
        let mut left_out = self.left_out.into_inner();
        left_out.sort_by_key(|(part, _)| *part as u8);
        (self.items.into_inner(), left_out.into_iter().map(|(_, t)| t).collect())
    }

    /// Advance width of the widest of `texts`; 0 when there are none.
    pub fn widest<S: AsRef<str>>(&self, font: Font, texts: impl IntoIterator<Item = S>) -> f32 {
        texts.into_iter().map(|t| self.width(font, t.as_ref())).fold(0.0, f32::max)
    }

    /// Advance width of `text`.
    pub fn width(&self, font: Font, text: &str) -> f32 {
        let key = (font.face, font.size.to_bits(), text.to_string());
        if let Some(w) = self.widths.borrow().get(&key) {
            return *w;
        }
        let w = self.fonts.width(font.face, font.size, text);
        self.widths.borrow_mut().insert(key, w);
        w
    }

    /// Height above the baseline.
    pub fn ascent(&self, font: Font) -> f32 {
        self.fonts.ascender(font.face, font.size)
    }

    /// Depth below the baseline, positive.
    pub fn descent(&self, font: Font) -> f32 {
        -self.fonts.descender(font.face, font.size)
    }

    /// Height of one line box, ascender to descender.
    pub fn line_box(&self, font: Font) -> f32 {
        self.ascent(font) + self.descent(font)
    }

    /// Baseline-to-baseline distance for wrapped lines: 1.2 em, the usual
    /// leading (Noto's ascender-to-descender box, 1.36 em, is looser).
    pub fn pitch(&self, font: Font) -> f32 {
        font.size * 1.2
    }

    /// A shaped run with its pen at `(x, baseline)`.
    pub fn run(&self, font: Font, text: &str, x: f32, baseline: f32) -> TextRun {
        TextRun {
            x,
            y: baseline,
            font: font.face,
            size: font.size,
            color: font.color,
            glyphs: self.fonts.shape_dir(font.face, font.size, text, self.rtl),
        }
    }

    /// Draws one line whose left edge is `x` and whose line box starts at `top`.
    pub fn text_at(&self, font: Font, text: &str, x: f32, top: f32) {
        if text.is_empty() {
            return;
        }
        let run = self.run(font, text, x, top + self.ascent(font));
        self.push(Item::Text(run));
    }

    /// Draws lines top to bottom from `top`; `align` 0 = left of `x`, 0.5 =
    /// centred on `x`, 1 = right-aligned at `x`. Returns the height used.
    pub fn lines_at(&self, font: Font, lines: &[String], x: f32, top: f32, align: f32) -> f32 {
        let pitch = self.pitch(font);
        for (i, line) in lines.iter().enumerate() {
            let width = self.width(font, line);
            self.text_at(font, line, x - width * align, top + pitch * i as f32);
        }
        self.block_height(font, lines.len())
    }

    /// Height of `n` wrapped lines: pitches between them plus one line box.
    pub fn block_height(&self, font: Font, n: usize) -> f32 {
        if n == 0 {
            return 0.0;
        }
        self.pitch(font) * (n - 1) as f32 + self.line_box(font)
    }

    /// Breaks `text` into lines no wider than `max_width`, at spaces where it
    /// can and inside a word only when the word alone is too wide.
    pub fn wrap(&self, font: Font, text: &str, max_width: f32) -> Vec<String> {
        self.wrap_impl(font, text, max_width, true)
    }

    /// Like [`Canvas::wrap`], but an over-long word stays whole on its own line.
    pub fn wrap_words(&self, font: Font, text: &str, max_width: f32) -> Vec<String> {
        self.wrap_impl(font, text, max_width, false)
    }

    fn wrap_impl(&self, font: Font, text: &str, max_width: f32, break_words: bool) -> Vec<String> {
        let key =
            (font.face, font.size.to_bits(), text.to_string(), max_width.to_bits(), break_words);
        if let Some(lines) = self.wraps.borrow().get(&key) {
            return lines.clone();
        }
        let lines = self.wrap_uncached(font, text, max_width, break_words);
        self.wraps.borrow_mut().insert(key, lines.clone());
        lines
    }

    fn wrap_uncached(
        &self,
        font: Font,
        text: &str,
        max_width: f32,
        break_words: bool,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        // The line's width so far: measured whole, or the sum of its words
        // and spaces. Measuring every candidate line whole made wrapping a
        // long note quadratic (a tenth of a batch's time). Text the family
        // sets alone, left to right, is as wide as the sum of its words and
        // spaces but for kerning across a space, far less than `slack`, so
        // only a candidate near the limit is measured whole. Elsewhere a
        // space may take another face (a CJK space is an em) and bidi
        // reorders: measured whole.
        let simple = |t: &str| self.fonts.family_width(font.face, font.size, t).is_some();
        let mut used = 0.0;
        let space = self.width(font, " ");
        let space_simple = simple(" ");
        let slack = font.size * 0.25;
        let mut line_simple = true;
        // Whether the piece before the next one ended in a space.
        let mut spaced = false;
        for (word, space_after) in pieces(text) {
            let joint = if line.is_empty() {
                ""
            } else if spaced {
                " "
            } else {
                ""
            };
            spaced = space_after;
            let candidate = format!("{line}{joint}{word}");
            let word_simple = simple(word);
            let sum = if line.is_empty() { 0.0 } else { used }
                + if joint.is_empty() { 0.0 } else { space }
                + self.width(font, word);
            let whole = line.is_empty()
                || !(line_simple && word_simple && space_simple)
                || joint.is_empty()
                || (sum - max_width).abs() <= slack;
            let width = if whole { self.width(font, &candidate) } else { sum };
            if width <= max_width {
                line = candidate;
                used = width;
                line_simple &= word_simple;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = if break_words {
                self.break_word(font, word, max_width, &mut lines)
            } else {
                word.to_string()
            };
            used = self.width(font, &line);
            line_simple = simple(&line);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Pushes full-width pieces of an over-long word; returns the remainder.
    fn break_word(
        &self,
        font: Font,
        word: &str,
        max_width: f32,
        lines: &mut Vec<String>,
    ) -> String {
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if piece.chars().count() > 1 && self.width(font, &piece) > max_width {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        piece
    }

    /// Breaks `text` between words into as many lines as [`Canvas::wrap`]
    /// needs at `max_width`, but as even as they can be, as CSS's
    /// `text-wrap: balance` does: no word left alone on a last line when a
    /// narrower measure gives the same number of lines.
    pub fn wrap_balanced(&self, font: Font, text: &str, max_width: f32) -> Vec<String> {
        let lines = self.wrap(font, text, max_width);
        if lines.len() < 2 || self.wrap_words(font, text, max_width) != lines {
            // One line, or a word broken: nothing to balance.
            return lines;
        }
        // The narrowest measure (to half a point) that needs no more lines
        // and breaks no word; none narrower than the text's width shared
        // evenly between its lines can be.
        let even = self.width(font, text) / lines.len() as f32;
        let (mut lo, mut hi) = (even.max(max_width / 2.0).min(max_width), max_width);
        let mut best = lines;
        while hi - lo > 0.5 {
            let mid = (lo + hi) / 2.0;
            let candidate = self.wrap_words(font, text, mid);
            if candidate.len() <= best.len() && self.widest(font, &candidate) <= mid {
                best = candidate;
                hi = mid;
            } else {
                lo = mid;
            }
        }
        best
    }

    /// Wraps into at most `max_lines` lines, ending the last kept one with "…".
    pub fn wrap_limited(
        &self,
        font: Font,
        text: &str,
        max_width: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines = self.wrap(font, text, max_width);
        if lines.len() > max_lines.max(1) {
            lines.truncate(max_lines.max(1));
            if let Some(last) = lines.last_mut() {
                *last = self.ellipsize(font, &format!("{last}…"), max_width);
            }
        }
        lines
    }

    /// `text` with its middle replaced by "…" so it fits `max_width`,
    /// keeping the end, where names in a series tend to differ.
    pub fn ellipsize_middle(&self, font: Font, text: &str, max_width: f32) -> String {
        if self.width(font, text) <= max_width {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let candidate = |n: usize| {
            let tail = n / 2;
            let head: String = chars[..n - tail].iter().collect();
            let end: String = chars[chars.len() - tail..].iter().collect();
            format!("{}…{}", head.trim_end(), end.trim_start())
        };
        let lo = most_that_fit(chars.len().saturating_sub(1), |n| {
            self.width(font, &candidate(n)) <= max_width
        });
        if lo == 0 { self.ellipsize(font, text, max_width) } else { candidate(lo) }
    }

    /// `text`, shortened with "…" until it fits `max_width`.
    pub fn ellipsize(&self, font: Font, text: &str, max_width: f32) -> String {
        if self.width(font, text) <= max_width {
            return text.to_string();
        }
        // Binary search on the kept prefix: shaping is the costly part.
        let chars: Vec<char> = text.trim_end_matches('…').chars().collect();
        let candidate =
            |n: usize| chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        let lo = most_that_fit(chars.len(), |n| self.width(font, &candidate(n)) <= max_width);
        if lo > 0 || self.width(font, "…") <= max_width {
            return candidate(lo);
        }
        String::new()
    }
}

/// The pieces of `text` between line-break opportunities (UAX #14: at
/// spaces, after hyphens, between Han characters), each with whether a
/// space followed it; runs of white space count as one space.
pub(crate) fn pieces(text: &str) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    // Opportunities fall after spaces, so only leading space starts a piece.
    for (end, _) in unicode_linebreak::linebreaks(text) {
        let piece = &text[start..end];
        start = end;
        let word = piece.trim();
        if !word.is_empty() {
            out.push((word, piece.len() != piece.trim_end().len()));
        }
    }
    out
}

/// The largest n in 1..=max for which `fits(n)` holds, found by bisection
/// (so `fits` must hold for every n below one that fits), or 0 if none does.
fn most_that_fit(max: usize, fits: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, max);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Greedy wrapping that measures every candidate line whole: what
    /// `wrap_impl` decides with its sums must be what this decides.
    fn wrap_exact(c: &Canvas, font: Font, text: &str, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut spaced = false;
        for (word, space_after) in pieces(text) {
            let joint = if !line.is_empty() && spaced { " " } else { "" };
            spaced = space_after;
            let candidate = format!("{line}{joint}{word}");
            if c.width(font, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = word.to_string();
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    #[test]
    fn summed_widths_wrap_as_whole_measures_do() {
        let texts = [
            "Source: Ministry of Economy of the Kyrgyz Republic; State Statistical Committee of \
             Azerbaijan; own calculations, preliminary for the latest year (AVAV, To, Ty, 'quoted').",
            "Товарооборот между странами вырос на 35 % за первое полугодие 2021 года, \
             по данным национальных статистических комитетов.",
            "Τα στοιχεία για το τελευταίο έτος είναι προσωρινά και ενδέχεται να αναθεωρηθούν.",
            "حجم التبادل التجاري بين البلدين ارتفع بنسبة ٣٥٪ في النصف الأول من العام",
            "中欧班列 volumes ≈ 2× 2025 · 第比利斯 Tbilisi (თბილისი) → Black Sea ports",
        ];
        let fonts = FontBook::builtin();
        for rtl in [false, true] {
            let c = Canvas::new(fonts, rtl);
            for face in [FontStyle::Regular, FontStyle::Bold, FontStyle::Italic] {
                for size in [6.5, 8.0, 9.0, 13.0] {
                    let font = Font { face, size, color: Rgb::BLACK };
                    for text in texts {
                        for max in (40..=480).step_by(7) {
                            let max = max as f32;
                            assert_eq!(
                                c.wrap_words(font, text, max),
                                wrap_exact(&c, font, text, max),
                                "{face:?} {size} pt, {max} pt: {text}"
                            );
                        }
                    }
                }
            }
        }
    }
}
