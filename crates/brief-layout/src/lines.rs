//! Line breaking: styled runs → shaped lines no wider than a measure.
//!
//! Break opportunities follow Unicode's line breaking algorithm (UAX #14),
//! which breaks between ideographs and keeps closing punctuation (`。、」）`)
//! off the start of a line, tailored so Korean breaks only at spaces, as
//! Korean is set; lines are filled greedily and set ragged right, as
//! briefing notes are (nothing is stretched, so CJK spacing stays even).
//! A word wider than the measure is split between characters rather than
//! overflowing the page.
//!
//! Lines are broken in logical order, as the text is written; each finished
//! line is then put in visual order (UAX #9), so a Hebrew or Arabic name in
//! an English sentence reads right to left in its place.

use std::ops::ControlFlow;
use std::sync::Arc;

use unicode_linebreak::{BreakClass, BreakOpportunity, break_property, linebreaks};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use super::markup::{Span, same_passage};
use brief_core::frame::{FontStyle, Glyph, Rgb, TextRun};
use brief_core::text::{self, FontBook};

/// A shaped line: runs positioned from x = 0 on baseline y = 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The runs.
    pub runs: Vec<TextRun>,
    /// Links: x, width, target.
    pub links: Vec<(f32, f32, String)>,
    /// Source fields: x, width, path (see [`Span::field`]).
    pub fields: Vec<(f32, f32, Arc<str>)>,
    /// Width without trailing spaces.
    pub width: f32,
    /// The passage (its language, see [`Span::lang`]) each run is in, one
    /// per run; layout tags each passage as a `Span` with `/Lang`.
    pub langs: Vec<Option<Arc<str>>>,
}

/// Text settings for a block.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    /// Font size.
    pub size: f32,
    /// Bold everything.
    pub bold: bool,
    /// Italic everything.
    pub italic: bool,
    /// Colour of text.
    pub color: Rgb,
    /// Colour of links.
    pub link: Rgb,
    /// Paragraphs read right to left (the document's language is written so).
    pub rtl: bool,
}

/// A shaped piece between two break opportunities, in one style.
struct Piece {
    glyphs: Vec<Glyph>,
    font: FontStyle,
    color: Rgb,
    link: Option<String>,
    field: Option<Arc<str>>,
    /// The passage in another language the piece is in.
    lang: Option<Arc<str>>,
    width: f32,
    /// Width of trailing spaces, which vanish at a line end.
    trailing: f32,
    /// A break is allowed after this piece.
    can_break: bool,
    /// A break is required after this piece.
    must_break: bool,
}

/// Breaks `spans` into lines at most `width` wide.
pub fn break_lines(spans: &[Span], style: TextStyle, width: f32, fonts: &FontBook) -> Vec<Line> {
    let mut lines = Vec::new();
    let _ = each_line(spans, style, width, fonts, &mut |line| {
        lines.push(line);
        ControlFlow::Continue(())
    });
    lines
}

/// Breaks `spans` into lines at most `width` wide, handing each to `emit` as
/// soon as it is set and shaping no further once `emit` breaks: a paragraph
/// of megabytes costs only the lines taken, never all of it at once.
pub fn each_line(
    spans: &[Span],
    style: TextStyle,
    width: f32,
    fonts: &FontBook,
    emit: &mut dyn FnMut(Line) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut filler = Filler {
        width,
        rtl: style.rtl,
        line: Vec::new(),
        used: 0.0,
        word: Vec::new(),
        split: false,
        emit,
    };
    pieces(spans, style, fonts, &mut |piece| filler.piece(piece))?;
    filler.end_word()?;
    if !filler.line.is_empty() {
        let line = finish(&filler.line, filler.rtl);
        (filler.emit)(line)?;
    }
    ControlFlow::Continue(())
}

/// Fills lines greedily, word by word, as pieces arrive.
struct Filler<'e> {
    width: f32,
    /// Lines are set right to left.
    rtl: bool,
    /// Pieces of the line being filled, and their width.
    line: Vec<Piece>,
    used: f32,
    /// Pieces of the word being read (no break opportunity inside).
    word: Vec<Piece>,
    /// The word was too wide and has been split between characters.
    split: bool,
    emit: &'e mut dyn FnMut(Line) -> ControlFlow<()>,
}

impl Filler<'_> {
    fn piece(&mut self, piece: Piece) -> ControlFlow<()> {
        let ends = piece.can_break || piece.must_break;
        self.word.push(piece);
        if ends {
            return self.end_word();
        }
        // A word wider than the measure is split as it is read, so an
        // endless word never sits in memory whole.
        if width(&self.word) > self.width {
            self.flush()?;
            self.split_word()?;
        }
        ControlFlow::Continue(())
    }

    fn end_word(&mut self) -> ControlFlow<()> {
        if self.word.is_empty() {
            return ControlFlow::Continue(());
        }
        let word_width = width(&self.word);
        let trailing = self.word.last().map_or(0.0, |p| p.trailing);
        if !self.line.is_empty() && self.used + word_width - trailing > self.width {
            self.flush()?;
        }
        if self.line.is_empty() && word_width - trailing > self.width {
            self.split_word()?;
            self.split = true;
        }
        let must_break = self.word.last().is_some_and(|p| p.must_break);
        self.used += width(&self.word);
        self.line.append(&mut self.word);
        // The rest of a split word stands on its own line, as it always has.
        if must_break || std::mem::take(&mut self.split) {
            self.flush()?;
        }
        ControlFlow::Continue(())
    }

    /// Ends the current line, if it holds anything.
    fn flush(&mut self) -> ControlFlow<()> {
        if self.line.is_empty() {
            return ControlFlow::Continue(());
        }
        let line = finish(&self.line, self.rtl);
        self.line.clear();
        self.used = 0.0;
        (self.emit)(line)
    }

    /// Sets the word's full lines, split between glyphs; keeps the rest as the word.
    fn split_word(&mut self) -> ControlFlow<()> {
        self.split = true;
        let word = std::mem::take(&mut self.word);
        let mut current: Vec<Piece> = Vec::new();
        let mut used = 0.0;
        let last = word.len().saturating_sub(1);
        for (i, piece) in word.into_iter().enumerate() {
            let Piece { glyphs, font, color, can_break, must_break, field, lang, .. } = piece;
            let n = glyphs.len();
            for (k, g) in glyphs.into_iter().enumerate() {
                if used + g.advance > self.width && used > 0.0 {
                    (self.emit)(finish(&current, self.rtl))?;
                    current.clear();
                    used = 0.0;
                }
                if current.last().is_none_or(|p: &Piece| {
                    p.font != font || p.field != field || !same_passage(&p.lang, &lang)
                }) {
                    current.push(Piece {
                        glyphs: Vec::new(),
                        font,
                        color,
                        link: None,
                        field: field.clone(),
                        lang: lang.clone(),
                        width: 0.0,
                        trailing: 0.0,
                        can_break: false,
                        must_break: false,
                    });
                }
                used += g.advance;
                if let Some(p) = current.last_mut() {
                    p.width += g.advance;
                    if g.text == " " {
                        p.trailing += g.advance;
                    } else {
                        p.trailing = 0.0;
                    }
                    p.glyphs.push(g);
                    if i == last && k + 1 == n {
                        p.can_break = can_break;
                        p.must_break = must_break;
                    }
                }
            }
        }
        self.word = current;
        ControlFlow::Continue(())
    }
}

/// Total advance of pieces.
fn width(pieces: &[Piece]) -> f32 {
    pieces.iter().map(|p| p.width).sum()
}

/// The width of the widest unbreakable word: the narrowest a column can be.
pub fn longest_word(spans: &[Span], style: TextStyle, fonts: &FontBook) -> f32 {
    let (mut longest, mut word, mut trailing) = (0.0f32, 0.0f32, 0.0f32);
    let _ = pieces(spans, style, fonts, &mut |p| {
        word += p.width;
        trailing = p.trailing;
        if p.can_break || p.must_break {
            longest = longest.max(word - trailing);
            word = 0.0;
        }
        ControlFlow::Continue(())
    });
    longest.max(word - trailing)
}

/// The width of the widest line when nothing wraps (only hard breaks end
/// lines): the most a column could want.
pub fn natural_width(spans: &[Span], style: TextStyle, fonts: &FontBook) -> f32 {
    let (mut widest, mut line, mut trailing) = (0.0f32, 0.0f32, 0.0f32);
    let _ = pieces(spans, style, fonts, &mut |p| {
        line += p.width;
        trailing = p.trailing;
        if p.must_break {
            widest = widest.max(line - trailing);
            line = 0.0;
        }
        ControlFlow::Continue(())
    });
    widest.max(line - trailing)
}

/// Longest text shaped as one piece: a longer run without a break
/// opportunity is shaped in slices, so memory stays bounded by the slice.
/// Long enough that no real word is cut (a Thai sentence has no break
/// opportunity, and Arabic letters must join across the whole word).
const MAX_PIECE: usize = 2048;

/// Shapes `spans` piece by piece (text between break opportunities, in one
/// style) and hands each piece to `f` in order.
fn pieces(
    spans: &[Span],
    style: TextStyle,
    fonts: &FontBook,
    f: &mut dyn FnMut(Piece) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let levels = passage_levels(spans, &text, style.rtl);
    let level_at = |from: usize| levels.as_deref().map(|l| &l[from..]);
    let mut breaks = break_opportunities(&text).filter(|&(i, _)| !keep_all(&text, i)).peekable();
    // The field a text shows is data, never print: spans parted only by a
    // field mark are shaped as one (so a kerning pair across the mark stays
    // as it was), and each piece shows the field of its first character.
    let mut fields: Vec<(usize, Option<Arc<str>>)> = Vec::with_capacity(spans.len());
    let mut joined: Vec<Span> = Vec::with_capacity(spans.len());
    let mut at = 0;
    for s in spans {
        fields.push((at, s.field.clone()));
        at += s.text.len();
        match joined.last_mut() {
            Some(j)
                if j.field.is_some()
                    && !j.changed
                    && (j.bold, j.italic, &j.link) == (s.bold, s.italic, &s.link)
                    && same_passage(&j.lang, &s.lang)
                    && s.text != "\n"
                    && j.text != "\n" =>
            {
                j.text.push_str(&s.text);
                j.changed = s.changed;
                j.field = s.field.clone();
            }
            _ => joined.push(s.clone()),
        }
    }
    let field_at = |offset: usize| {
        let i = fields.partition_point(|(start, _)| *start <= offset);
        fields.get(i.saturating_sub(1)).and_then(|(_, f)| f.clone())
    };
    let mut offset = 0;
    for span in &joined {
        let end = offset + span.text.len();
        let mut start = offset;
        loop {
            // Break opportunities are in order: walk them once for all spans.
            while breaks.next_if(|(i, _)| *i <= start).is_some() {}
            let (cut, opportunity) = match breaks.peek() {
                Some(&(i, o)) if i < end => (i, Some(o)),
                Some(&(i, o)) if i == end => (end, Some(o)),
                _ => (end, None),
            };
            let mut from = start;
            while cut - from > MAX_PIECE {
                let to = slice_end(&text, from, from + MAX_PIECE);
                f(piece(
                    &text[from..to],
                    level_at(from),
                    span,
                    field_at(from),
                    style,
                    None,
                    fonts,
                ))?;
                from = to;
            }
            let field = field_at(from);
            f(piece(&text[from..cut], level_at(from), span, field, style, opportunity, fonts))?;
            start = cut;
            if cut >= end {
                break;
            }
        }
        offset = end;
    }
    ControlFlow::Continue(())
}

/// Bidi levels of a paragraph (see [`text::levels`]) in which each passage
/// in another language is an isolate in its language's direction (UAX #9,
/// LRI/RLI … PDI, as HTML sets `<span lang=he dir=rtl>`): a Hebrew name
/// with a number or bracket at its end keeps them inside, in Hebrew order,
/// and an English passage in an Arabic paragraph reads left to right.
fn passage_levels(spans: &[Span], text: &str, rtl: bool) -> Option<Vec<u8>> {
    if spans.iter().all(|s| s.lang.is_none()) {
        return text::levels(text, rtl);
    }
    const PDI: char = '\u{2069}';
    let mut isolated = String::with_capacity(text.len() + 12);
    // Per byte of `isolated`: whether it is a byte of `text`.
    let mut own: Vec<bool> = Vec::with_capacity(text.len() + 12);
    let mut push = |isolated: &mut String, piece: &str, is_own: bool| {
        isolated.push_str(piece);
        own.extend(std::iter::repeat_n(is_own, piece.len()));
    };
    for (i, span) in spans.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &spans[p].lang);
        let next = spans.get(i + 1).map(|n| &n.lang);
        let opens = span.lang.is_some() && !prev.is_some_and(|p| same_passage(p, &span.lang));
        if let Some(tag) = span.lang.as_deref().filter(|_| opens) {
            let rtl = brief_core::text::passage::language("lang", tag)
                .is_ok_and(|l| l.dir == brief_core::locale::Dir::Rtl);
            push(&mut isolated, if rtl { "\u{2067}" } else { "\u{2066}" }, false);
        }
        push(&mut isolated, &span.text, true);
        let closes = span.lang.is_some() && !next.is_some_and(|n| same_passage(n, &span.lang));
        if closes {
            push(&mut isolated, &PDI.to_string(), false);
        }
    }
    let levels = text::levels(&isolated, rtl)?;
    Some(levels.into_iter().zip(own).filter(|(_, own)| *own).map(|(l, _)| l).collect())
}

/// A place to slice text near `want` that does not part a character from
/// the marks or joiners that shape with it.
fn slice_end(text: &str, from: usize, want: usize) -> usize {
    let mut at = want;
    while at > from + 1 {
        if text.is_char_boundary(at) {
            // Marks of every script (Thai vowels and tones are class SA in
            // UAX #14, not CM, so the general category decides) and joiners.
            let bound = |c: Option<char>| {
                c.is_some_and(|c| {
                    c.general_category_group() == GeneralCategoryGroup::Mark
                        || matches!(
                            break_property(c as u32),
                            BreakClass::CombiningMark | BreakClass::ZeroWidthJoiner
                        )
                })
            };
            if !bound(text[at..].chars().next()) && !bound(text[..at].chars().next_back()) {
                return at;
            }
        }
        at -= 1;
    }
    // No safe place: any character boundary after `from`.
    (want..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len())
}

/// UAX #14's break opportunities in `text`, lazily. Thai (and the other
/// scripts UAX #14 leaves to a word model, class SA) is written without
/// spaces between words: a paragraph with such text is broken by ICU4X's
/// segmenter, whose LSTM model finds the words, so a Thai line never ends
/// inside a word.
fn break_opportunities(text: &str) -> Box<dyn Iterator<Item = (usize, BreakOpportunity)> + '_> {
    let complex = text.chars().any(|c| break_property(c as u32) == BreakClass::ComplexContext);
    if !complex {
        return Box::new(linebreaks(text));
    }
    let segmenter = icu_segmenter::LineSegmenter::new_auto(Default::default());
    let hard = |i: usize| {
        i == text.len()
            || text[..i].chars().next_back().is_some_and(|c| {
                matches!(
                    break_property(c as u32),
                    BreakClass::Mandatory
                        | BreakClass::CarriageReturn
                        | BreakClass::LineFeed
                        | BreakClass::NextLine
                )
            })
    };
    Box::new(segmenter.segment_str(text).filter(|&i| i > 0).map(move |i| {
        (i, if hard(i) { BreakOpportunity::Mandatory } else { BreakOpportunity::Allowed })
    }))
}

/// Whether the UAX #14 break opportunity before byte `at` falls inside a
/// Korean word: Korean is set with breaks at spaces only (CSS
/// `word-break: keep-all`), not between every syllable as UAX #14 allows.
fn keep_all(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    let hangul = |c: Option<char>| {
        c.is_some_and(|c| {
            matches!(
                break_property(c as u32),
                BreakClass::HangulLvSyllable
                    | BreakClass::HangulLvtSyllable
                    | BreakClass::HangulLJamo
                    | BreakClass::HangulVJamo
                    | BreakClass::HangulTJamo
            )
        })
    };
    let word = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    (hangul(before) && word(after)) || (hangul(after) && word(before))
}

fn piece(
    text: &str,
    levels: Option<&[u8]>,
    span: &Span,
    field: Option<Arc<str>>,
    style: TextStyle,
    opp: Option<BreakOpportunity>,
    fonts: &FontBook,
) -> Piece {
    let font = FontStyle::with(style.bold || span.bold, style.italic || span.italic);
    let visible = text.trim_end_matches(['\n', '\r']);
    let glyphs = match (&span.lang, levels) {
        (Some(tag), levels) => fonts.shape_passage(tag, font, style.size, visible, levels),
        // Right-to-left text is rare; its levels depend on the paragraph.
        (None, Some(levels)) => fonts.shape_logical(font, style.size, visible, Some(levels)),
        (None, None) => fonts.shape_word(font, style.size, visible),
    };
    let width: f32 = glyphs.iter().map(|g| g.advance).sum();
    // Trailing spaces are the last glyphs, one per space: no need to shape again.
    let trailing: f32 = glyphs.iter().rev().take_while(|g| g.text == " ").map(|g| g.advance).sum();
    Piece {
        glyphs,
        font,
        color: if span.link.is_some() { style.link } else { style.color },
        link: span.link.clone(),
        field,
        lang: span.lang.clone(),
        width,
        trailing,
        can_break: opp == Some(BreakOpportunity::Allowed),
        must_break: opp == Some(BreakOpportunity::Mandatory) && text.ends_with('\n'),
    }
}

/// Sets a line: its glyphs put in visual order (UAX #9, with trailing
/// spaces at the paragraph's level, rule L1), then gathered into runs of one
/// style, colour and direction. Runs are listed in logical order, each at
/// its visual place, so the content stream reads as the text is written.
///
/// A right-to-left line is returned mirrored (each run at `width − x −
/// run width`): layout mirrors whole right-to-left pages at the end, which
/// puts the runs back in visual order, right-aligned (see `mirror`).
fn finish(pieces: &[Piece], rtl: bool) -> Line {
    let base = u8::from(rtl);
    // Each glyph with its piece, in logical order.
    let glyphs: Vec<(usize, &Glyph)> =
        pieces.iter().enumerate().flat_map(|(i, p)| p.glyphs.iter().map(move |g| (i, g))).collect();
    let mut levels: Vec<u8> = glyphs.iter().map(|(_, g)| g.level).collect();
    for (k, (_, g)) in glyphs.iter().enumerate().rev() {
        if g.text != " " {
            break;
        }
        levels[k] = base;
    }
    let order = text::visual_order(&levels);
    let mut line = Line::default();
    // Runs as (first logical index, run); x advances in visual order.
    let mut runs: Vec<(usize, TextRun, Option<Arc<str>>)> = Vec::new();
    let mut link_spans: Vec<(usize, f32, f32)> = Vec::new();
    // Each field's extent on the line: the union of its glyphs.
    let mut field_spans: Vec<(Arc<str>, f32, f32)> = Vec::new();
    let mut x = 0.0;
    let mut prev: Option<usize> = None;
    for &k in &order {
        let (p, g) = glyphs[k];
        let piece = &pieces[p];
        let level = levels[k];
        let contiguous = prev.is_some_and(|q| if level % 2 == 1 { q == k + 1 } else { q + 1 == k });
        let same = contiguous
            && runs.last().is_some_and(|(_, r, lang)| {
                r.font == piece.font
                    && r.color == piece.color
                    && same_passage(lang, &piece.lang)
                    && r.glyphs.last().is_some_and(|l| l.level == level)
            });
        if !same {
            let run = TextRun {
                x,
                y: 0.0,
                font: piece.font,
                size: 0.0,
                color: piece.color,
                glyphs: Vec::new(),
            };
            runs.push((k, run, piece.lang.clone()));
        }
        if let Some((first, run, _)) = runs.last_mut() {
            *first = (*first).min(k);
            let mut g = g.clone();
            g.level = level;
            run.glyphs.push(g);
        }
        if piece.link.is_some() && g.text != " " {
            match link_spans.iter_mut().find(|(i, ..)| *i == p) {
                Some(span) => {
                    span.1 = span.1.min(x);
                    span.2 = span.2.max(x + g.advance);
                }
                None => link_spans.push((p, x, x + g.advance)),
            }
        }
        if let Some(field) = &piece.field
            && g.text != " "
        {
            match field_spans.iter_mut().find(|(f, ..)| f == field) {
                Some(span) => {
                    span.1 = span.1.min(x);
                    span.2 = span.2.max(x + g.advance);
                }
                None => field_spans.push((field.clone(), x, x + g.advance)),
            }
        }
        x += g.advance;
        prev = Some(k);
    }
    runs.sort_by_key(|(first, ..)| *first);
    (line.runs, line.langs) = runs.into_iter().map(|(_, r, lang)| (r, lang)).unzip();
    for (p, x0, x1) in link_spans {
        if let Some(link) = &pieces[p].link {
            line.links.push((x0, x1 - x0, link.clone()));
        }
    }
    line.fields = field_spans.into_iter().map(|(f, x0, x1)| (x0, x1 - x0, f)).collect();
    // Trailing spaces are last in visual order too (paragraph level, L1):
    // at the right end of a left-to-right line, the left end of a
    // right-to-left one, which the mirroring below moves to the right end.
    line.width = x - pieces.last().map_or(0.0, |p| p.trailing);
    if rtl {
        for run in &mut line.runs {
            run.x = x - run.x - run.width();
        }
        for link in &mut line.links {
            link.0 = x - link.0 - link.1;
        }
        for field in &mut line.fields {
            field.0 = x - field.0 - field.1;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> TextStyle {
        TextStyle {
            size: 11.0,
            bold: false,
            italic: false,
            color: Rgb::BLACK,
            link: Rgb::BLACK,
            rtl: false,
        }
    }

    fn plain(text: &str) -> Vec<Span> {
        vec![Span { text: text.into(), ..Span::default() }]
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.runs.iter().map(|r| r.text()).collect()).collect()
    }

    #[test]
    fn breaks_at_spaces_within_the_measure() {
        let fonts = FontBook::builtin();
        let lines = break_lines(
            &plain("Trade turnover amounted to 5.4 million in 2020"),
            style(),
            100.0,
            fonts,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.0), "{:?}", texts(&lines));
        assert_eq!(texts(&lines).concat(), "Trade turnover amounted to 5.4 million in 2020");
    }

    #[test]
    fn splits_a_word_longer_than_the_measure() {
        let fonts = FontBook::builtin();
        let word = "x".repeat(500);
        let lines = break_lines(&plain(&word), style(), 100.0, fonts);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| l.width <= 100.0));
        assert_eq!(texts(&lines).concat(), word);
    }

    #[test]
    fn hard_breaks_end_lines() {
        let fonts = FontBook::builtin();
        let spans = vec![
            Span { text: "To: a".into(), ..Span::default() },
            Span { text: "\n".into(), ..Span::default() },
            Span { text: "Cc: b".into(), ..Span::default() },
        ];
        assert_eq!(texts(&break_lines(&spans, style(), 400.0, fonts)), ["To: a", "Cc: b"]);
    }

    /// A line as a reader sees it: runs left to right, each with its face,
    /// bidi level and text in reading (logical) order.
    fn dump(lines: &[Line], fonts: &FontBook) -> String {
        let mut out = String::new();
        for (n, line) in lines.iter().enumerate() {
            let mut runs: Vec<&TextRun> = line.runs.iter().collect();
            runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            out.push_str(&format!("line {n}, width {:.1}\n", line.width));
            for run in runs {
                let faces: Vec<&str> = {
                    let mut f: Vec<&str> =
                        run.glyphs.iter().map(|g| fonts.face_name(g.face)).collect();
                    f.dedup();
                    f
                };
                let level = run.glyphs.first().map_or(0, |g| g.level);
                let mut text = run.text();
                if level % 2 == 1 {
                    text = text.chars().rev().collect();
                }
                out.push_str(&format!(
                    "  x {:6.1}  level {level}  {:<24} {text:?}\n",
                    run.x,
                    faces.join(" + ")
                ));
            }
        }
        out
    }

    #[test]
    fn mixed_direction_lines_golden() {
        let fonts = FontBook::builtin();
        let cases = [
            // Hebrew and Arabic names inside English sentences.
            "Ms נועה כהן (Israel) and Mr عبدالله بن زايد (UAE) attend.",
            // Numbers inside Arabic text keep their own direction.
            "Budget: الميزانية 2021 بلغت 5.4 مليون (تقريبًا) here.",
        ];
        let mut out = String::new();
        for text in cases {
            out.push_str(&dump(&break_lines(&plain(text), style(), 480.0, fonts), fonts));
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn right_to_left_runs_read_backwards_on_the_page() {
        let fonts = FontBook::builtin();
        let lines = break_lines(&plain("Ms נועה כהן attends"), style(), 480.0, fonts);
        let runs = &lines[0].runs;
        // Logical order in the stream: "Ms ", the Hebrew name, " attends".
        let texts: Vec<String> = runs.iter().map(TextRun::text).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        let hebrew = &runs[1];
        assert!(hebrew.glyphs.iter().all(|g| g.level == 1));
        // Visual order: the last letter of the name (ן) is leftmost.
        assert_eq!(hebrew.glyphs.first().map(|g| g.text.as_str()), Some("ן"));
        assert!(runs[0].x < hebrew.x && hebrew.x < runs[2].x);
        // Runs abut: no gap or overlap where direction changes.
        let end = |r: &TextRun| r.x + r.width();
        assert!((end(&runs[0]) - hebrew.x).abs() < 0.01);
        assert!((end(hebrew) - runs[2].x).abs() < 0.01);
    }

    #[test]
    fn brackets_mirror_inside_right_to_left_text() {
        let fonts = FontBook::builtin();
        let lines = break_lines(&plain("x עמאן (ירדן) y"), style(), 480.0, fonts);
        let run = lines[0].runs.iter().find(|r| r.glyphs.iter().any(|g| g.level == 1)).unwrap();
        // Visual left to right: "(" stands at the right of ירדן, drawn as ")".
        let parens: Vec<&Glyph> =
            run.glyphs.iter().filter(|g| g.text == "(" || g.text == ")").collect();
        assert_eq!(parens.len(), 2);
        let gid = |c: char| fonts.glyph_id(parens[0].face, c).unwrap();
        assert_eq!(parens[0].text, ")");
        assert_eq!(parens[0].gid, gid('('), "the closing bracket, leftmost, is drawn mirrored");
        assert_eq!(parens[1].gid, gid(')'));
    }

    #[test]
    fn arabic_letters_join() {
        let fonts = FontBook::builtin();
        let word = "عبدالله";
        let joined = fonts.shape(FontStyle::Regular, 11.0, word);
        let isolated: Vec<u16> = word
            .chars()
            .map(|c| fonts.shape(FontStyle::Regular, 11.0, &c.to_string())[0].gid)
            .collect();
        let gids: Vec<u16> = joined.iter().map(|g| g.gid).collect();
        // Contextual forms differ from the isolated ones; the lam-lam-heh
        // ligature or initial/medial forms change most glyphs.
        let same = gids.iter().filter(|g| isolated.contains(g)).count();
        assert!(same < gids.len() / 2, "{gids:?} vs isolated {isolated:?}");
        let back: String = joined.iter().rev().map(|g| g.text.as_str()).collect();
        assert_eq!(back, word, "every letter maps back, in order");
    }

    #[test]
    fn cjk_lines_golden_and_closing_punctuation_never_starts_a_line() {
        let fonts = FontBook::builtin();
        let text = "双方同意加强“中间走廊”合作，推进阿纳克利亚深水港项目。中国是格鲁吉亚第三大贸易伙伴（2025年）。日本語の会談資料、韓国語の資料「準備済み」。";
        let mut golden = String::new();
        for width in (60..=200).step_by(7) {
            let lines = break_lines(&plain(text), style(), width as f32, fonts);
            assert_eq!(texts(&lines).concat(), text);
            for line in &texts(&lines)[1..] {
                let first = line.chars().next().unwrap();
                assert!(!"。、，」）”".contains(first), "width {width}: line starts with {first}");
            }
            assert!(lines.iter().all(|l| l.width <= width as f32 + 0.01));
            if width == 200 {
                golden = dump(&lines, fonts);
            }
        }
        insta::assert_snapshot!(golden);
    }

    #[test]
    fn thai_breaks_between_words_not_inside_them() {
        let fonts = FontBook::builtin();
        // "Thailand and Georgia agreed to expand trade cooperation", no spaces.
        let text = "ประเทศไทยและจอร์เจียตกลงขยายความร่วมมือทางการค้า";
        let words = [
            "ประเทศ",
            "ไทย",
            "และ",
            "จอร์เจีย",
            "ตกลง",
            "ขยาย",
            "ความ",
            "ร่วมมือ",
            "ทาง",
            "การค้า",
            "การ",
            "ค้า",
        ];
        for width in [60.0, 80.0, 100.0] {
            let lines = break_lines(&plain(text), style(), width, fonts);
            assert!(lines.len() > 1, "width {width}");
            assert_eq!(texts(&lines).concat(), text);
            for line in texts(&lines) {
                let mut rest = line.as_str();
                // Each line is made of whole words.
                while !rest.is_empty() {
                    let Some(w) =
                        words.iter().filter(|w| rest.starts_with(*w)).max_by_key(|w| w.len())
                    else {
                        panic!(
                            "width {width}: line `{line}` does not start with a word at `{rest}`"
                        );
                    };
                    rest = &rest[w.len()..];
                }
            }
        }
    }

    #[test]
    fn korean_breaks_only_at_spaces() {
        let fonts = FontBook::builtin();
        let text = "대한민국과 일본은 경제 협력을 강화하기로 합의했습니다 그리고 정기적인 회담을 계속합니다";
        for width in [80.0, 120.0, 160.0] {
            let lines = break_lines(&plain(text), style(), width, fonts);
            let words: Vec<&str> = text.split(' ').collect();
            for line in texts(&lines) {
                for word in line.split(' ').filter(|w| !w.is_empty()) {
                    assert!(words.contains(&word), "width {width}: `{word}` is not a whole word");
                }
            }
        }
    }

    fn passage(text: &str, tag: &str) -> Span {
        Span { text: text.into(), lang: Some(Arc::from(tag)), ..Span::default() }
    }

    #[test]
    fn a_passage_breaks_shapes_and_runs_in_its_own_language() {
        let fonts = FontBook::builtin();
        // A Thai passage in an English sentence breaks between Thai words.
        let thai = "ประเทศไทยและจอร์เจียตกลงขยายความร่วมมือ";
        let spans =
            vec![plain("Quoted: ").remove(0), passage(thai, "th"), plain(" end.").remove(0)];
        let lines = break_lines(&spans, style(), 90.0, fonts);
        assert_eq!(texts(&lines).concat(), format!("Quoted: {thai} end."));
        let words = ["ประเทศ", "ไทย", "และ", "จอร์เจีย", "ตกลง", "ขยาย", "ความ", "ร่วมมือ"];
        for line in texts(&lines) {
            let thai_part: String =
                line.chars().filter(|c| ('\u{0E00}'..='\u{0E7F}').contains(c)).collect();
            let mut rest = thai_part.as_str();
            while let Some(w) = words.iter().find(|w| rest.starts_with(*w)) {
                rest = &rest[w.len()..];
            }
            assert!(rest.is_empty(), "`{line}` cuts a Thai word");
        }
        // Each run knows its passage; no run mixes a passage with its surroundings.
        for line in &lines {
            assert_eq!(line.langs.len(), line.runs.len());
            for (run, lang) in line.runs.iter().zip(&line.langs) {
                let is_thai = run.text().chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c));
                assert_eq!(lang.as_deref() == Some("th"), is_thai, "{:?}", run.text());
            }
        }
        // A Serbian passage is set in Serbian forms.
        let italic = TextStyle { italic: true, ..style() };
        let serbian = break_lines(&[passage("бгдпт", "sr")], italic, 400.0, fonts);
        let russian = break_lines(&[passage("бгдпт", "ru")], italic, 400.0, fonts);
        let gids = |l: &[Line]| l[0].runs[0].glyphs.iter().map(|g| g.gid).collect::<Vec<_>>();
        assert_ne!(gids(&serbian), gids(&russian));
    }

    #[test]
    fn a_right_to_left_passage_is_an_isolate_that_keeps_its_numbers_and_stop() {
        let fonts = FontBook::builtin();
        // Hebrew with a number and, at its end, a stop (a neutral between
        // Hebrew and the English that follows).
        let hebrew = "שדה לוויתן 2010!";
        let spans =
            vec![plain("The ").remove(0), passage(hebrew, "he"), plain(" holds.").remove(0)];
        let line = &break_lines(&spans, style(), 480.0, fonts)[0];
        let inside: Vec<&Glyph> = line
            .runs
            .iter()
            .zip(&line.langs)
            .filter(|(_, l)| l.is_some())
            .flat_map(|(r, _)| &r.glyphs)
            .collect();
        let chars: String = inside.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(chars.chars().count(), hebrew.chars().count());
        // Every glyph of the passage is right to left (digits at level 2),
        // its stop too: read in Hebrew, it stands at the passage's left end.
        assert!(inside.iter().all(|g| g.level >= 1));
        let bang = |glyphs: &[&Glyph]| glyphs.iter().find(|g| g.text == "!").map(|g| g.level);
        assert_eq!(bang(&inside), Some(1));
        // Unmarked, Unicode's rules give the stop to the English sentence.
        let bare = break_lines(&plain(&format!("The {hebrew} holds.")), style(), 480.0, fonts);
        let all: Vec<&Glyph> = bare[0].runs.iter().flat_map(|r| &r.glyphs).collect();
        assert_eq!(bang(&all), Some(0));
    }
}
