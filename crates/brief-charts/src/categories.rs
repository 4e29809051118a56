//! Category labels that never overlap or leave the chart: kept on one line
//! when they fit, else thinned (many short labels such as months), else
//! wrapped, else set at 45°; beside horizontal bars, wrapped and if need be
//! set smaller.

use std::f32::consts::FRAC_1_SQRT_2;

use super::canvas::{Canvas, Font, Part};
use super::chrome::shows_whole;
use brief_core::figure::MAX_CATEGORIES;
use brief_core::frame::Item;

/// Space between the axis and its labels, points.
pub(crate) const GAP: f32 = 4.0;

/// How labels are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Straight,
    /// Rotated 45° counter-clockwise, ending at the tick.
    Rotated,
}

/// Category labels ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CatLabels {
    pub font: Font,
    pub mode: Mode,
    /// Lines of each category's label; empty where thinned out.
    pub labels: Vec<Vec<String>>,
    /// Room needed across the axis (height under it, or width beside it), gap included.
    pub extent: f32,
    /// The labels are keys (A, B, C…) standing for names too long for the
    /// axis; the names are printed, keyed, under the chart.
    pub keyed: bool,
}

impl CatLabels {
    /// How far the labels under an axis reach past its left and right ends,
    /// with categories `slot` points wide; zero where they stay inside.
    pub fn overhang(&self, canvas: &Canvas, slot: f32) -> (f32, f32) {
        let hb = canvas.line_box(self.font);
        let n = self.labels.len();
        let mut out = (0.0f32, 0.0f32);
        for (i, lines) in self.labels.iter().enumerate() {
            let Some(first) = lines.first() else { continue };
            let (left, right) = match self.mode {
                Mode::Straight => {
                    let widest = canvas.widest(self.font, lines);
                    (widest / 2.0, widest / 2.0)
                }
                // Turned about its right end: long to the left, a corner to the right.
                Mode::Rotated => (
                    (canvas.width(self.font, first) + hb / 2.0) * FRAC_1_SQRT_2,
                    hb / 2.0 * FRAC_1_SQRT_2,
                ),
            };
            out.0 = out.0.max(left - slot * (i as f32 + 0.5));
            out.1 = out.1.max(right - slot * ((n - i) as f32 - 0.5));
        }
        out
    }
}

/// Labels under a horizontal category axis with `slot` points per category,
/// using at most `max_extent` points of height where that is possible.
pub(crate) fn below(
    canvas: &Canvas,
    font: Font,
    cats: &[String],
    slot: f32,
    max_extent: f32,
) -> CatLabels {
    let avail = (slot - 3.0).max(1.0);
    let widest = canvas.widest(font, cats);
    if widest <= avail {
        let labels = cats.iter().map(|c| vec![c.clone()]).collect();
        return straight(canvas, font, labels);
    }
    // Thinning suits many short labels, typically a sequence (years,
    // months), where every k-th label still tells the reader where they are;
    // it reads better than a row of half-wrapped dates. A long line chart's
    // categories (thousands of days) are a sequence whatever their width:
    // naming each under the chart would print a list longer than the brief.
    if cats.len() > MAX_CATEGORIES {
        let k = ((widest + 6.0) / slot).ceil().max(1.0) as usize;
        return straight(canvas, font, thin(cats, k));
    }
    if cats.len() >= 8 && widest <= font.size * 6.0 {
        let k = ((widest + 6.0) / slot).ceil().max(1.0) as usize;
        if k <= cats.len() / 2 {
            return straight(canvas, font, thin(cats, k));
        }
    }
    // Wrapped, in slightly smaller type if need be, reads better than 45°.
    let smaller = font.sized((font.size - 1.0).max(6.0));
    for font in [font, smaller] {
        if let Some(labels) = wrapped(canvas, font, cats, slot, max_extent, 4) {
            return straight(canvas, font, labels);
        }
    }
    let turned = rotated(canvas, font, cats, slot, max_extent);
    let whole = turned.labels.iter().zip(cats).all(|(l, c)| l.first().is_none_or(|l| l == c));
    if whole {
        return turned;
    }
    // Long names that 45° would cut: more lines, taking more of the plot's
    // height, rather than shortened names.
    if let Some(labels) = wrapped(canvas, smaller, cats, slot, max_extent * 1.5, 8) {
        return straight(canvas, smaller, labels);
    }
    // Still too long: keys under the axis, the names whole under the chart.
    let keys: Vec<String> = (0..cats.len()).map(key).collect();
    CatLabels { keyed: true, ..below(canvas, font, &keys, slot, max_extent) }
}

/// The key of the `i`-th category: A–Z, then AA, AB…
fn key(i: usize) -> String {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    if i < 26 { letter(i).to_string() } else { format!("{}{}", letter(i / 26 - 1), letter(i)) }
}

/// Every label wrapped to `avail`, if none needs more than `most` - 1
/// lines (`most` for six or fewer categories) and the block fits `max_extent`: a label is
/// wrapped whole or not at all, never shortened here. A word too long for
/// its slot stays whole when its neighbours leave room for it (labels are
/// centred on their slot).
fn wrapped(
    canvas: &Canvas,
    font: Font,
    cats: &[String],
    slot: f32,
    max_extent: f32,
    most: usize,
) -> Option<Vec<Vec<String>>> {
    let max_lines = if cats.len() <= 6 { most } else { most - 1 };
    // Two lines are always allowed: 45° labels would take more room still.
    let max_extent = max_extent.max(GAP + canvas.block_height(font, 2));
    let mut labels = Vec::with_capacity(cats.len());
    let mut widths = Vec::with_capacity(cats.len());
    for c in cats {
        let lines = canvas.wrap_words(font, c, slot - 3.0);
        if lines.len() > max_lines {
            return None;
        }
        widths.push(canvas.widest(font, &lines));
        labels.push(lines);
    }
    if widths.windows(2).any(|w| (w[0] + w[1]) / 2.0 + 3.0 > slot) {
        return None;
    }
    let tallest = labels.iter().map(Vec::len).max().unwrap_or(1);
    (GAP + canvas.block_height(font, tallest) <= max_extent).then_some(labels)
}

/// Keeps every k-th label, starting with the first.
fn thin(cats: &[String], k: usize) -> Vec<Vec<String>> {
    cats.iter()
        .enumerate()
        .map(|(i, c)| if i % k == 0 { vec![c.clone()] } else { Vec::new() })
        .collect()
}

fn straight(canvas: &Canvas, font: Font, labels: Vec<Vec<String>>) -> CatLabels {
    let tallest = labels.iter().map(Vec::len).max().unwrap_or(0);
    let extent = if tallest == 0 { 0.0 } else { GAP + canvas.block_height(font, tallest) };
    CatLabels { font, mode: Mode::Straight, labels, extent, keyed: false }
}

/// 45° labels, thinned so neighbours do not touch and shortened with "…"
/// so they stay within `max_extent`.
fn rotated(canvas: &Canvas, font: Font, cats: &[String], slot: f32, max_extent: f32) -> CatLabels {
    let hb = canvas.line_box(font);
    // Neighbouring rotated labels are slot·sin 45° apart, measured across them.
    let k = (hb * 1.1 / (slot * FRAC_1_SQRT_2)).ceil().max(1.0) as usize;
    let max_width = ((max_extent - GAP) / FRAC_1_SQRT_2 - hb).max(font.size * 3.0);
    let shorten = |middle: bool| -> Vec<Vec<String>> {
        let cut = |l: &String| {
            if middle {
                canvas.ellipsize_middle(font, l, max_width)
            } else {
                canvas.ellipsize(font, l, max_width)
            }
        };
        thin(cats, k).into_iter().map(|lines| lines.iter().map(cut).collect()).collect()
    };
    let mut labels = shorten(false);
    // Names sharing a long prefix ("Region 1", "Region 2") must keep their ends.
    if has_duplicates(&labels) {
        labels = shorten(true);
    }
    let widest = canvas.widest(font, labels.iter().flatten());
    let extent = GAP + (widest + hb) * FRAC_1_SQRT_2;
    CatLabels { font, mode: Mode::Rotated, labels, extent, keyed: false }
}

/// True when two shown labels read the same.
fn has_duplicates(labels: &[Vec<String>]) -> bool {
    let mut shown: Vec<&Vec<String>> = labels.iter().filter(|l| !l.is_empty()).collect();
    shown.sort();
    shown.windows(2).any(|w| w[0] == w[1])
}

/// Notes `cat` as left out unless `lines` show it whole: the page prints
/// it under the chart.
fn unless_whole(canvas: &Canvas, lines: &[String], cat: &str) {
    if !shows_whole(lines, cat) {
        canvas.leave_out(Part::Body, cat);
    }
}

/// Draws labels under an axis at `axis_y`, one per entry of `centres`,
/// keeping straight labels between `min_x` and `max_x`. A label shortened
/// or not drawn is printed whole under the chart, but for straight labels
/// thinned out of a sequence (years, months), which the reader can tell.
pub(crate) fn draw_below(
    canvas: &Canvas,
    cl: &CatLabels,
    cats: &[String],
    centres: &[f32],
    axis_y: f32,
    (min_x, max_x): (f32, f32),
) {
    let font = cl.font;
    let hb = canvas.line_box(font);
    if cl.keyed {
        for (i, cat) in cats.iter().enumerate() {
            canvas.leave_out(Part::Body, &format!("{}: {}", key(i), cat.trim()));
        }
    }
    // Right edge of the last straight label drawn: a safety net for boxes
    // too narrow for the layout's guarantees; a label that would touch it is dropped.
    let mut last_right = f32::NEG_INFINITY;
    for ((lines, &cx), cat) in cl.labels.iter().zip(centres).zip(cats) {
        match cl.mode {
            Mode::Straight => {
                let widest = canvas.widest(font, lines);
                let left = (cx - widest / 2.0).min(max_x - widest).max(min_x);
                if lines.is_empty() {
                    continue;
                }
                if cl.keyed {
                    // The names are under the chart already.
                } else if left < last_right + 1.0 {
                    canvas.leave_out(Part::Body, cat);
                    continue;
                } else {
                    unless_whole(canvas, lines, cat);
                }
                if left < last_right + 1.0 {
                    continue;
                }
                last_right = left + widest;
                for (j, line) in lines.iter().enumerate() {
                    let w = canvas.width(font, line);
                    let x = (cx - w / 2.0).min(max_x - w).max(min_x);
                    canvas.text_at(font, line, x, axis_y + GAP + canvas.pitch(font) * j as f32);
                }
            }
            Mode::Rotated => {
                let Some(line) = lines.first() else {
                    if !cl.keyed {
                        canvas.leave_out(Part::Body, cat);
                    }
                    continue;
                };
                // Pivot at the label's right end, mid-height, so after turning
                // its top corner just clears the axis gap.
                let y = axis_y + GAP + hb / 2.0 * FRAC_1_SQRT_2;
                // The layout widened the left margin for long labels; if that
                // was not enough (a very narrow box), shorten this one.
                // The turned label's top corner pokes right of the pivot.
                let cx = cx.min(max_x - hb / 2.0 * FRAC_1_SQRT_2);
                let room = (cx - min_x) / FRAC_1_SQRT_2 - hb / 2.0;
                let line = &canvas.ellipsize(font, line, room);
                if !cl.keyed {
                    unless_whole(canvas, std::slice::from_ref(line), cat);
                }
                if line.is_empty() {
                    continue;
                }
                let w = canvas.width(font, line);
                let baseline = y + (canvas.ascent(font) - canvas.descent(font)) / 2.0;
                let run = canvas.run(font, line, cx - w, baseline);
                canvas.push(Item::Rotated {
                    x: cx,
                    y,
                    degrees: 45.0,
                    items: vec![Item::Text(run)],
                });
            }
        }
    }
}

/// Labels beside a vertical category axis (horizontal bars), each at most
/// `max_width` wide, with `slot` points of height per category. Labels that
/// would need shortening are first given smaller type and then more width
/// (up to `max_width` · 1.2): a whole name beats a clipped one.
pub(crate) fn beside(
    canvas: &Canvas,
    font: Font,
    cats: &[String],
    slot: f32,
    max_width: f32,
) -> CatLabels {
    let smaller = [font.size, font.size - 0.75, font.size - 1.5].map(|s| font.sized(s.max(6.0)));
    let candidates = smaller.iter().map(|f| (*f, max_width)).chain([(smaller[2], max_width * 1.2)]);
    let mut best: Option<(usize, CatLabels)> = None;
    for (font, width) in candidates {
        let (labels, shortened) = beside_with(canvas, font, cats, slot, width);
        if best.as_ref().is_none_or(|(s, _)| shortened < *s) {
            best = Some((shortened, labels));
        }
        if shortened == 0 {
            break;
        }
    }
    match best {
        Some((0, labels)) => labels,
        // Names that would be cut: keys beside the bars, the names whole
        // under the chart.
        _ => {
            let keys: Vec<String> = (0..cats.len()).map(key).collect();
            CatLabels { keyed: true, ..beside_with(canvas, font, &keys, slot, max_width).0 }
        }
    }
}

/// Labels beside the axis in one font and width; also how many were shortened.
fn beside_with(
    canvas: &Canvas,
    font: Font,
    cats: &[String],
    slot: f32,
    max_width: f32,
) -> (CatLabels, usize) {
    let mut font = font;
    let hb = canvas.line_box(font);
    if slot < hb {
        // Smaller type before dropping labels: every bar keeps its name.
        font = font.sized((font.size * slot / hb).max(6.0));
    }
    let hb = canvas.line_box(font);
    let k = (hb / slot).ceil().max(1.0) as usize;
    let room = slot * k as f32;
    let max_lines = (((room - hb) / canvas.pitch(font)).floor() as usize + 1).clamp(1, 5);
    let labels: Vec<Vec<String>> = thin(cats, k)
        .into_iter()
        .map(|l| {
            l.first().map_or(Vec::new(), |c| canvas.wrap_limited(font, c, max_width, max_lines))
        })
        .collect();
    let shortened = labels
        .iter()
        .zip(cats)
        .filter(|(lines, c)| lines.last().is_some_and(|l| l.ends_with('…') && !c.ends_with('…')))
        .count();
    let widest = canvas.widest(font, labels.iter().flatten());
    let extent = if widest > 0.0 { widest + GAP } else { 0.0 };
    (CatLabels { font, mode: Mode::Straight, labels, extent, keyed: false }, shortened)
}

/// Draws labels right-aligned at `right`, each block centred on its entry
/// of `centres` (top to bottom) but kept between `min_y` and `max_y` and
/// below the previous one; a label with no room left, or shortened, is
/// printed whole under the chart.
pub(crate) fn draw_beside(
    canvas: &Canvas,
    cl: &CatLabels,
    cats: &[String],
    centres: &[f32],
    right: f32,
    (min_y, max_y): (f32, f32),
) {
    let mut floor = min_y;
    if cl.keyed {
        for (i, cat) in cats.iter().enumerate() {
            canvas.leave_out(Part::Body, &format!("{}: {}", key(i), cat.trim()));
        }
    }
    for ((lines, &cy), cat) in cl.labels.iter().zip(centres).zip(cats) {
        let height = canvas.block_height(cl.font, lines.len());
        let top = (cy - height / 2.0).min(max_y - height).max(floor);
        if lines.is_empty() || top + height > max_y + 0.01 {
            if !cl.keyed {
                canvas.leave_out(Part::Body, cat);
            }
            continue;
        }
        if !cl.keyed {
            unless_whole(canvas, lines, cat);
        }
        canvas.lines_at(cl.font, lines, right - GAP, top, 1.0);
        floor = top + height;
    }
}
