//! Line breaking: styled runs → shaped lines no wider than a measure.
//!
//! Break opportunities follow Unicode's line breaking algorithm (UAX #14);
//! lines are filled greedily and set ragged right, as briefing notes are.
//! A word wider than the measure is split between characters rather than
//! overflowing the page.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::markup::Span;
use crate::frame::{FontStyle, Glyph, Rgb, TextRun};
use crate::text::FontBook;

/// A shaped line: runs positioned from x = 0 on baseline y = 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The runs.
    pub runs: Vec<TextRun>,
    /// Links: x, width, target.
    pub links: Vec<(f32, f32, String)>,
    /// Width without trailing spaces.
    pub width: f32,
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
}

/// A shaped piece between two break opportunities, in one style.
struct Piece {
    glyphs: Vec<Glyph>,
    font: FontStyle,
    color: Rgb,
    link: Option<String>,
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
    let pieces = pieces(spans, style, fonts);
    let mut lines = Vec::new();
    let mut line: Vec<&Piece> = Vec::new();
    let mut used = 0.0;
    for word in words(&pieces) {
        let word_width: f32 = word.iter().map(|p| p.width).sum();
        let trailing = word.last().map_or(0.0, |p| p.trailing);
        if !line.is_empty() && used + word_width - trailing > width {
            lines.push(finish(&line));
            line.clear();
            used = 0.0;
        }
        if line.is_empty() && word_width - trailing > width {
            let (mut split, rest) = split_word(&word, width);
            lines.append(&mut split);
            lines.push(rest);
            continue;
        }
        used += word_width;
        let must_break = word.last().is_some_and(|p| p.must_break);
        line.extend(word);
        if must_break {
            lines.push(finish(&line));
            line.clear();
            used = 0.0;
        }
    }
    if !line.is_empty() {
        lines.push(finish(&line));
    }
    lines
}

/// The width of the widest unbreakable word: the narrowest a column can be.
pub fn longest_word(spans: &[Span], style: TextStyle, fonts: &FontBook) -> f32 {
    let pieces = pieces(spans, style, fonts);
    words(&pieces)
        .iter()
        .map(|w| w.iter().map(|p| p.width).sum::<f32>() - w.last().map_or(0.0, |p| p.trailing))
        .fold(0.0, f32::max)
}

/// Groups pieces into words: runs of pieces with no break opportunity inside.
fn words(pieces: &[Piece]) -> Vec<Vec<&Piece>> {
    let mut words = Vec::new();
    let mut word = Vec::new();
    for piece in pieces {
        word.push(piece);
        if piece.can_break || piece.must_break {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn pieces(spans: &[Span], style: TextStyle, fonts: &FontBook) -> Vec<Piece> {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let breaks: Vec<(usize, BreakOpportunity)> = linebreaks(&text).collect();
    let mut out = Vec::new();
    let mut offset = 0;
    for span in spans {
        let end = offset + span.text.len();
        let mut cuts: Vec<(usize, Option<BreakOpportunity>)> = breaks
            .iter()
            .filter(|(i, _)| *i > offset && *i < end)
            .map(|(i, o)| (*i, Some(*o)))
            .collect();
        let at_end = breaks.iter().find(|(i, _)| *i == end).map(|(_, o)| *o);
        cuts.push((end, at_end));
        let mut start = offset;
        for (cut, opportunity) in cuts {
            let piece_text = &text[start..cut];
            out.push(piece(piece_text, span, style, opportunity, fonts));
            start = cut;
        }
        offset = end;
    }
    out
}

fn piece(
    text: &str,
    span: &Span,
    style: TextStyle,
    opp: Option<BreakOpportunity>,
    fonts: &FontBook,
) -> Piece {
    let font = FontStyle::with(style.bold || span.bold, style.italic || span.italic);
    let visible = text.trim_end_matches(['\n', '\r']);
    let glyphs = shape_cached(fonts, font, style.size, visible);
    let width: f32 = glyphs.iter().map(|g| g.advance).sum();
    // Trailing spaces are the last glyphs, one per space: no need to shape again.
    let trailing: f32 = glyphs.iter().rev().take_while(|g| g.text == " ").map(|g| g.advance).sum();
    Piece {
        glyphs,
        font,
        color: if span.link.is_some() { style.link } else { style.color },
        link: span.link.clone(),
        width,
        trailing,
        can_break: opp == Some(BreakOpportunity::Allowed),
        must_break: opp == Some(BreakOpportunity::Mandatory) && text.ends_with('\n'),
    }
}

/// Shapes through a per-thread cache: a brief repeats most of its words, and
/// shaping is the largest cost of layout. Cleared when it grows large, so a
/// long batch cannot grow it without bound; results never depend on it.
fn shape_cached(fonts: &FontBook, font: FontStyle, size: f32, text: &str) -> Vec<Glyph> {
    type Key = (usize, FontStyle, u32, String);
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<Key, Vec<Glyph>>> = Default::default();
    }
    // Face bytes are 'static (compiled in or leaked), never freed: their address
    // identifies the face for the life of the process.
    let key = (fonts.bytes(font).as_ptr() as usize, font, size.to_bits(), text.to_string());
    CACHE.with(|cache| {
        if let Some(glyphs) = cache.borrow().get(&key) {
            return glyphs.clone();
        }
        let glyphs = fonts.shape(font, size, text);
        let mut cache = cache.borrow_mut();
        if cache.len() > 50_000 {
            cache.clear();
        }
        cache.insert(key, glyphs.clone());
        glyphs
    })
}

/// Joins pieces into runs, merging neighbours of the same face and colour.
fn finish(pieces: &[&Piece]) -> Line {
    let mut line = Line::default();
    let mut x = 0.0;
    for piece in pieces {
        let same = line.runs.last().is_some_and(|r| r.font == piece.font && r.color == piece.color);
        if !same {
            let run = TextRun {
                x,
                y: 0.0,
                font: piece.font,
                size: 0.0,
                color: piece.color,
                glyphs: Vec::new(),
            };
            line.runs.push(run);
        }
        if let (Some(run), Some(link)) = (line.runs.last_mut(), &piece.link) {
            line.links.push((x, piece.width - piece.trailing, link.clone()));
            let _ = run;
        }
        if let Some(run) = line.runs.last_mut() {
            run.glyphs.extend(piece.glyphs.iter().cloned());
        }
        x += piece.width;
    }
    line.width = x - pieces.last().map_or(0.0, |p| p.trailing);
    line
}

/// Splits a too-long word between glyphs into lines of at most `width`.
fn split_word(word: &[&Piece], width: f32) -> (Vec<Line>, Line) {
    let mut lines = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut used = 0.0;
    for piece in word {
        for g in &piece.glyphs {
            if used + g.advance > width && used > 0.0 {
                lines.push(finish(&current.iter().collect::<Vec<_>>()));
                current.clear();
                used = 0.0;
            }
            let fresh = current.last().is_none_or(|p: &Piece| p.font != piece.font);
            if fresh {
                current.push(Piece {
                    glyphs: Vec::new(),
                    font: piece.font,
                    color: piece.color,
                    link: None,
                    width: 0.0,
                    trailing: 0.0,
                    can_break: false,
                    must_break: false,
                });
            }
            if let Some(p) = current.last_mut() {
                p.glyphs.push(g.clone());
                p.width += g.advance;
            }
            used += g.advance;
        }
    }
    let rest = finish(&current.iter().collect::<Vec<_>>());
    (lines, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> TextStyle {
        TextStyle { size: 11.0, bold: false, italic: false, color: Rgb::BLACK, link: Rgb::BLACK }
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
}
