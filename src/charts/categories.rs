//! Category labels that never overlap or leave the chart: kept on one line
//! when they fit, else wrapped, else thinned (short sequential labels such as
//! months), else set at 45°; beside horizontal bars, wrapped and if need be
//! set smaller.

use std::f32::consts::FRAC_1_SQRT_2;

use super::canvas::{Canvas, Font};
use crate::frame::Item;

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
}

impl CatLabels {
    /// How far each label reaches left of its category centre.
    pub fn left_reach(&self, canvas: &Canvas) -> Vec<f32> {
        let hb = canvas.line_box(self.font);
        self.labels
            .iter()
            .map(|lines| match (self.mode, lines.first()) {
                (_, None) => 0.0,
                (Mode::Rotated, Some(l)) => (canvas.width(self.font, l) + hb / 2.0) * FRAC_1_SQRT_2,
                (Mode::Straight, Some(_)) => {
                    lines.iter().map(|l| canvas.width(self.font, l)).fold(0.0, f32::max) / 2.0
                }
            })
            .collect()
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
    let widest = cats.iter().map(|c| canvas.width(font, c)).fold(0.0, f32::max);
    if widest <= avail {
        let labels = cats.iter().map(|c| vec![c.clone()]).collect();
        return straight(canvas, font, labels);
    }
    if let Some(labels) = wrapped(canvas, font, cats, avail, max_extent) {
        return straight(canvas, font, labels);
    }
    // Thinning suits short labels of a sequence (years, months), where every
    // k-th label still tells the reader where they are.
    if cats.len() >= 8 && widest <= font.size * 6.0 {
        let k = ((widest + 6.0) / slot).ceil().max(1.0) as usize;
        if k <= cats.len() / 2 {
            return straight(canvas, font, thin(cats, k));
        }
    }
    rotated(canvas, font, cats, slot, max_extent)
}

/// Every label wrapped to `avail`, if none needs more than a few lines, no
/// word has to be broken and the block fits `max_extent`.
fn wrapped(
    canvas: &Canvas,
    font: Font,
    cats: &[String],
    avail: f32,
    max_extent: f32,
) -> Option<Vec<Vec<String>>> {
    let max_lines = if cats.len() <= 6 { 3 } else { 2 };
    if GAP + canvas.block_height(font, max_lines.min(2)) > max_extent {
        return None;
    }
    let mut labels = Vec::with_capacity(cats.len());
    for c in cats {
        let lines = canvas.wrap(font, c, avail);
        let words = c.split_whitespace().count();
        // More lines than words means a word was broken mid-way.
        if lines.len() > max_lines || lines.len() > words.max(1) {
            return None;
        }
        labels.push(lines);
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
    CatLabels { font, mode: Mode::Straight, labels, extent }
}

/// 45° labels, thinned so neighbours do not touch and shortened with "…"
/// so they stay within `max_extent`.
fn rotated(canvas: &Canvas, font: Font, cats: &[String], slot: f32, max_extent: f32) -> CatLabels {
    let hb = canvas.line_box(font);
    // Neighbouring rotated labels are slot·sin 45° apart, measured across them.
    let k = (hb * 1.1 / (slot * FRAC_1_SQRT_2)).ceil().max(1.0) as usize;
    let max_width = ((max_extent - GAP) / FRAC_1_SQRT_2 - hb).max(font.size * 3.0);
    let labels: Vec<Vec<String>> = thin(cats, k)
        .into_iter()
        .map(|lines| lines.iter().map(|l| canvas.ellipsize(font, l, max_width)).collect())
        .collect();
    let widest = labels.iter().flatten().map(|l| canvas.width(font, l)).fold(0.0, f32::max);
    let extent = GAP + (widest + hb) * FRAC_1_SQRT_2;
    CatLabels { font, mode: Mode::Rotated, labels, extent }
}

/// Draws labels under an axis at `axis_y`, one per entry of `centres`,
/// keeping straight labels between `min_x` and `max_x`.
pub(crate) fn draw_below(
    canvas: &Canvas,
    cl: &CatLabels,
    centres: &[f32],
    axis_y: f32,
    min_x: f32,
    max_x: f32,
) {
    let font = cl.font;
    let hb = canvas.line_box(font);
    for (lines, &cx) in cl.labels.iter().zip(centres) {
        match cl.mode {
            Mode::Straight => {
                for (j, line) in lines.iter().enumerate() {
                    let w = canvas.width(font, line);
                    let x = (cx - w / 2.0).min(max_x - w).max(min_x);
                    canvas.text_at(font, line, x, axis_y + GAP + canvas.pitch(font) * j as f32);
                }
            }
            Mode::Rotated => {
                let Some(line) = lines.first() else { continue };
                // Pivot at the label's right end, mid-height, so after turning
                // its top corner just clears the axis gap.
                let y = axis_y + GAP + hb / 2.0 * FRAC_1_SQRT_2;
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
/// `max_width` wide, with `slot` points of height per category.
pub(crate) fn beside(
    canvas: &Canvas,
    font: Font,
    cats: &[String],
    slot: f32,
    max_width: f32,
) -> CatLabels {
    let mut font = font;
    let hb = canvas.line_box(font);
    if slot < hb {
        // Smaller type before dropping labels: every bar keeps its name.
        font = font.sized((font.size * slot / hb).max(6.0));
    }
    let hb = canvas.line_box(font);
    let k = (hb / slot).ceil().max(1.0) as usize;
    let room = slot * k as f32;
    let max_lines = (((room - hb) / canvas.pitch(font)).floor() as usize + 1).clamp(1, 3);
    let labels: Vec<Vec<String>> = thin(cats, k)
        .into_iter()
        .map(|l| {
            l.first().map_or(Vec::new(), |c| canvas.wrap_limited(font, c, max_width, max_lines))
        })
        .collect();
    let widest = labels.iter().flatten().map(|l| canvas.width(font, l)).fold(0.0, f32::max);
    let extent = if widest > 0.0 { widest + GAP } else { 0.0 };
    CatLabels { font, mode: Mode::Straight, labels, extent }
}

/// Draws labels right-aligned at `right`, each block centred on its entry of `centres`.
pub(crate) fn draw_beside(canvas: &Canvas, cl: &CatLabels, centres: &[f32], right: f32) {
    for (lines, &cy) in cl.labels.iter().zip(centres) {
        if lines.is_empty() {
            continue;
        }
        let height = canvas.block_height(cl.font, lines.len());
        canvas.lines_at(cl.font, lines, right - GAP, cy - height / 2.0, 1.0);
    }
}
