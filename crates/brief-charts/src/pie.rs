//! Pie charts: the first series as shares of its total, each slice labelled
//! directly with its category and percentage (so colour is never the only
//! key), falling back to a list beside the pie when labels cannot fit around it.

use std::f32::consts::{PI, TAU};

use super::backend::circle_segs;
use super::canvas::{Canvas, Font, Part, Rect};
use super::chrome::{label_font, message};
use super::marks;
use super::style::ChartStyle;
use brief_core::document::ChartWords;
use brief_core::figure::Figure;
use brief_core::frame::{FontStyle, Path, Rgb, Seg};

/// Distance from the pie to its labels, points.
const LABEL_GAP: f32 = 14.0;
/// Smallest pie worth drawing with labels around it.
const MIN_RADIUS: f32 = 25.0;

/// More slices than this cannot be told apart: the smallest are grouped
/// into one "Other" slice, and the note says which categories it holds.
const MAX_SLICES: usize = 10;

/// One drawable slice.
struct Slice {
    category: String,
    value: f64,
    percent: String,
    color: Rgb,
}

/// The present, positive values of the first series, as (category index, value).
fn positive(fig: &Figure) -> Vec<(usize, f64)> {
    let Some(series) = fig.series.first() else {
        return Vec::new();
    };
    (0..fig.categories.len())
        .filter_map(|i| {
            series
                .values
                .get(i)
                .copied()
                .flatten()
                .filter(|v| v.is_finite() && *v > 0.0)
                .map(|v| (i, v))
        })
        .collect()
}

/// The categories grouped into "Other", in their order, when the pie has
/// more than [`MAX_SLICES`] slices: all but the largest `MAX_SLICES - 1`.
fn grouped(fig: &Figure) -> Vec<usize> {
    let mut kept = positive(fig);
    if kept.len() <= MAX_SLICES {
        return Vec::new();
    }
    // Largest first; ties to the earlier category, for determinism.
    kept.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut rest: Vec<usize> = kept[MAX_SLICES - 1..].iter().map(|k| k.0).collect();
    rest.sort_unstable();
    rest
}

/// The slices to draw: present, positive values, the smallest grouped
/// into "Other" (last) when there are too many.
fn slices(fig: &Figure, style: &ChartStyle) -> Vec<Slice> {
    let all = positive(fig);
    let rest = grouped(fig);
    let mut kept: Vec<(String, f64)> = all
        .iter()
        .filter(|(i, _)| rest.binary_search(i).is_err())
        .map(|&(i, v)| (fig.categories[i].clone(), v))
        .collect();
    if !rest.is_empty() {
        let other: f64 =
            all.iter().filter(|(i, _)| rest.binary_search(i).is_ok()).map(|k| k.1).sum();
        kept.push((style.words.other.clone(), other));
    }
    // Shares are scale-free: dividing by the largest keeps a sum of values
    // near f64::MAX from overflowing to infinity.
    let largest = kept.iter().map(|k| k.1).fold(0.0, f64::max);
    let kept: Vec<(String, f64)> = kept.into_iter().map(|(c, v)| (c, v / largest)).collect();
    let percents = percentages(&kept.iter().map(|k| k.1).collect::<Vec<_>>());
    kept.into_iter()
        .zip(percents)
        .enumerate()
        .map(|(n, ((category, value), pct))| Slice {
            category,
            value,
            percent: brief_core::document::in_digits(
                &if pct == 0 { "<1%".to_string() } else { format!("{pct}%") },
                &style.digits,
            ),
            color: slice_color(n, style),
        })
        .collect()
}

/// Palette colours, lightened on each further pass through the palette so
/// slices that share a hue still differ.
fn slice_color(n: usize, style: &ChartStyle) -> Rgb {
    let len = style.palette.len().max(1);
    let base = style.palette.get(n % len).copied().unwrap_or(style.text);
    marks::lighten(base, (0.45 * (n / len) as f32).min(0.8))
}

/// Whole percentages that add up to 100 (largest-remainder rounding).
fn percentages(values: &[f64]) -> Vec<u32> {
    let total: f64 = values.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return vec![0; values.len()];
    }
    let exact: Vec<f64> = values.iter().map(|v| v / total * 100.0).collect();
    let mut out: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let short = 100u32.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Largest remainder first; ties to the earlier slice, for determinism.
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b))
    });
    for &i in order.iter().take(short as usize) {
        out[i] += 1;
    }
    out
}

/// Names the categories a pie groups into "Other" and those it cannot
/// show, for the note under the chart.
pub(crate) fn omitted_note(fig: &Figure, words: &ChartWords) -> Option<String> {
    let series = fig.series.first()?;
    let pick = |f: &dyn Fn(Option<f64>) -> bool| -> Vec<&str> {
        fig.categories
            .iter()
            .enumerate()
            .filter(|(i, _)| f(series.values.get(*i).copied().flatten()))
            .map(|(_, c)| c.as_str())
            .collect()
    };
    let missing = pick(&|v| v.is_none());
    let negative = pick(&|v| v.is_some_and(|v| v < 0.0));
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(words.no_data.replace("{categories}", &missing.join(", ")));
    }
    if !negative.is_empty() {
        parts.push(words.negative.replace("{categories}", &negative.join(", ")));
    }
    let rest: Vec<&str> = grouped(fig).into_iter().map(|i| fig.categories[i].as_str()).collect();
    let grouped =
        (!rest.is_empty()).then(|| words.grouped.replace("{categories}", &rest.join(", ")));
    let not_shown =
        (!parts.is_empty()).then(|| words.not_shown.replace("{parts}", &parts.join("; ")));
    match (grouped, not_shown) {
        (Some(g), Some(n)) => Some(format!("{g} {n}")),
        (g, n) => g.or(n),
    }
}

/// A slice label: wrapped category lines, the percentage after the last line.
struct Label {
    lines: Vec<String>,
    percent: String,
    width: f32,
    height: f32,
}

fn percent_font(font: Font) -> Font {
    Font { face: FontStyle::Bold, ..font }
}

/// The label of `slice` within `max_width`: its category wrapped between
/// words onto at most `max_lines` lines (inside a word too when
/// `break_words`), never shortened; `None` when it cannot fit so.
fn make_label(
    canvas: &Canvas,
    font: Font,
    slice: &Slice,
    max_width: f32,
    max_lines: usize,
    break_words: bool,
) -> Option<Label> {
    let pct_w = canvas.width(percent_font(font), &slice.percent) + canvas.width(font, " ");
    if pct_w > max_width {
        return None;
    }
    let mut lines = if break_words {
        canvas.wrap(font, &slice.category, max_width)
    } else {
        canvas.wrap_words(font, &slice.category, max_width)
    };
    if lines.len() > max_lines || canvas.widest(font, &lines) > max_width {
        return None;
    }
    // The percentage shares the last line, or has one of its own.
    if lines.last().is_none_or(|last| canvas.width(font, last) + pct_w > max_width) {
        lines.push(String::new());
    }
    let width = lines
        .iter()
        .enumerate()
        .map(|(i, l)| canvas.width(font, l) + if i + 1 == lines.len() { pct_w } else { 0.0 })
        .fold(0.0, f32::max);
    let height = canvas.block_height(font, lines.len());
    Some(Label { lines, percent: slice.percent.clone(), width, height })
}

/// Draws a label block with its left edge at `x` (or right edge, `align` 1) and top at `top`.
fn draw_label(canvas: &Canvas, font: Font, label: &Label, x: f32, top: f32, align: f32) {
    let pitch = canvas.pitch(font);
    let space = canvas.width(font, " ");
    for (i, line) in label.lines.iter().enumerate() {
        let last = i + 1 == label.lines.len();
        let pct_w =
            if last { space + canvas.width(percent_font(font), &label.percent) } else { 0.0 };
        let width = canvas.width(font, line) + pct_w;
        let left = x - width * align;
        let y = top + pitch * i as f32;
        if !line.is_empty() {
            canvas.text_at(font, line, left, y);
        }
        if last {
            let px = if line.is_empty() { left } else { left + width - pct_w + space };
            canvas.text_at(percent_font(font), &label.percent, px, y);
        }
    }
}

/// Point on a circle at `angle` radians clockwise from 12 o'clock.
fn polar(cx: f32, cy: f32, r: f32, angle: f32) -> (f32, f32) {
    (cx + r * angle.sin(), cy - r * angle.cos())
}

/// A slice outline from angle `a0` to `a1`, arcs as cubic Béziers of at most 90°.
fn wedge(cx: f32, cy: f32, r: f32, a0: f32, a1: f32) -> Vec<Seg> {
    if a1 - a0 >= TAU - 1e-4 {
        return circle_segs(cx, cy, r);
    }
    let (sx, sy) = polar(cx, cy, r, a0);
    let mut segs = vec![Seg::Move(cx, cy), Seg::Line(sx, sy)];
    let pieces = ((a1 - a0) / (PI / 2.0)).ceil().max(1.0) as usize;
    let step = (a1 - a0) / pieces as f32;
    for p in 0..pieces {
        let (t0, t1) = (a0 + step * p as f32, a0 + step * (p + 1) as f32);
        let k = 4.0 / 3.0 * (step / 4.0).tan() * r;
        let (x0, y0) = polar(cx, cy, r, t0);
        let (x1, y1) = polar(cx, cy, r, t1);
        // The tangent of a clockwise turn at angle t is (cos t, sin t).
        segs.push(Seg::Cubic(
            x0 + k * t0.cos(),
            y0 + k * t0.sin(),
            x1 - k * t1.cos(),
            y1 - k * t1.sin(),
            x1,
            y1,
        ));
    }
    segs.push(Seg::Close);
    segs
}

/// Draws the pie of `fig` into `rect`.
pub(crate) fn draw(canvas: &Canvas, fig: &Figure, style: &ChartStyle, rect: Rect) {
    let slices = slices(fig, style);
    if slices.is_empty() {
        let present = fig.series.first().is_some_and(|s| s.values.iter().any(Option::is_some));
        message(
            canvas,
            style,
            rect,
            if present { "No positive values to show" } else { "No data" },
        );
        return;
    }
    if rect.w < 20.0 || rect.h < 20.0 {
        return;
    }
    let font = label_font(style);
    let labels: Option<Vec<Label>> =
        slices.iter().map(|s| make_label(canvas, font, s, rect.w * 0.28, 3, false)).collect();
    if !labels.is_some_and(|labels| draw_around(canvas, &slices, &labels, font, style, rect)) {
        draw_with_list(canvas, &slices, font, rect);
    }
}

/// Mid-angles of the slices, clockwise from 12 o'clock.
fn angles(slices: &[Slice]) -> Vec<(f32, f32)> {
    let total: f64 = slices.iter().map(|s| s.value).sum();
    let mut start = 0.0f64;
    slices
        .iter()
        .map(|s| {
            let a0 = (start / total) as f32 * TAU;
            start += s.value;
            (a0, (start / total) as f32 * TAU)
        })
        .collect()
}

fn draw_slices(canvas: &Canvas, slices: &[Slice], (cx, cy, r): (f32, f32, f32)) {
    for (slice, (a0, a1)) in slices.iter().zip(angles(slices)) {
        let mut path = Path {
            segs: wedge(cx, cy, r, a0, a1),
            fill: Some(slice.color),
            fill_alpha: 1.0,
            stroke: None,
        };
        // White edges separate neighbouring slices of similar grey.
        if slices.len() > 1 {
            path = path.stroked(Rgb::WHITE, 1.0);
        }
        canvas.path(path);
    }
}

/// Labels around the pie with leader lines; false when they cannot fit.
fn draw_around(
    canvas: &Canvas,
    slices: &[Slice],
    labels: &[Label],
    font: Font,
    style: &ChartStyle,
    rect: Rect,
) -> bool {
    let widest = labels.iter().map(|l| l.width).fold(0.0, f32::max);
    let r = (rect.h / 2.0 - 8.0).min(rect.w / 2.0 - LABEL_GAP - widest - 2.0);
    if r < MIN_RADIUS {
        return false;
    }
    let (cx, cy) = (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0);
    let mids: Vec<f32> = angles(slices).iter().map(|(a0, a1)| (a0 + a1) / 2.0).collect();
    let mut placed = Vec::new();
    for right in [true, false] {
        let mut side: Vec<usize> =
            (0..slices.len()).filter(|&i| (mids[i].sin() >= 0.0) == right).collect();
        side.sort_by(|&a, &b| {
            polar(cx, cy, r, mids[a]).1.total_cmp(&polar(cx, cy, r, mids[b]).1).then(a.cmp(&b))
        });
        let desired: Vec<f32> = side.iter().map(|&i| polar(cx, cy, r + 8.0, mids[i]).1).collect();
        let heights: Vec<f32> = side.iter().map(|&i| labels[i].height).collect();
        let Some(centres) = spread_blocks(&desired, &heights, rect.y, rect.bottom()) else {
            return false;
        };
        placed.extend(side.into_iter().zip(centres).map(|(i, c)| (i, c, right)));
    }
    draw_slices(canvas, slices, (cx, cy, r));
    let leader = marks::lighten(style.muted, 0.2);
    for (i, centre, right) in placed {
        let (ax, ay) = polar(cx, cy, r - 2.0, mids[i]);
        let (ex, ey) = polar(cx, cy, r + 6.0, mids[i]);
        let lx = if right { cx + r + LABEL_GAP } else { cx - r - LABEL_GAP };
        let end = if right { lx - 2.0 } else { lx + 2.0 };
        let segs = vec![Seg::Move(ax, ay), Seg::Line(ex, ey), Seg::Line(end, centre)];
        canvas.path(Path { segs, fill: None, fill_alpha: 1.0, stroke: None }.stroked(leader, 0.5));
        let top = centre - labels[i].height / 2.0;
        draw_label(canvas, font, &labels[i], lx, top, if right { 0.0 } else { 1.0 });
    }
    true
}

/// Block centres near `desired` (ascending), not overlapping, within
/// `min..max`; `None` if the blocks are taller than the space.
fn spread_blocks(desired: &[f32], heights: &[f32], min: f32, max: f32) -> Option<Vec<f32>> {
    const SPACE: f32 = 2.0;
    let total: f32 = heights.iter().sum::<f32>() + SPACE * heights.len().saturating_sub(1) as f32;
    if total > max - min {
        return None;
    }
    let mut tops: Vec<f32> = Vec::with_capacity(desired.len());
    for (i, (&d, &h)) in desired.iter().zip(heights).enumerate() {
        let floor = if i == 0 { min } else { tops[i - 1] + heights[i - 1] + SPACE };
        tops.push((d - h / 2.0).max(floor));
    }
    let mut ceiling = max;
    for i in (0..tops.len()).rev() {
        tops[i] = tops[i].min(ceiling - heights[i]);
        ceiling = tops[i] - SPACE;
    }
    Some(tops.iter().zip(heights).map(|(t, h)| t + h / 2.0).collect())
}

/// The height a list of the pie's slices needs beside a pie in a box `w`
/// points wide, in the label font.
pub(crate) fn list_height(canvas: &Canvas, fig: &Figure, style: &ChartStyle, w: f32) -> f32 {
    let font = label_font(style);
    let width = w * 0.6 - 24.0;
    slices(fig, style)
        .iter()
        .map(|s| {
            let label = make_label(canvas, font, s, width, usize::MAX, false)
                .or_else(|| make_label(canvas, font, s, width, usize::MAX, true));
            label.map_or(0.0, |l| l.height + 2.0)
        })
        .sum()
}

/// Fallback: the pie on the left, a keyed list of labels on the right,
/// names wrapped and, where the list is tall, set smaller; an entry that
/// still finds no room is printed whole under the chart.
fn draw_with_list(canvas: &Canvas, slices: &[Slice], font: Font, rect: Rect) {
    const SWATCH: f32 = 8.0;
    const SPACE: f32 = 2.0;
    let r = (rect.h / 2.0 - 2.0).min(rect.w * 0.2).max(4.0);
    draw_slices(canvas, slices, (rect.x + r + 1.0, rect.y + rect.h / 2.0, r));
    let x = rect.x + 2.0 * r + 12.0;
    let width = rect.right() - x - SWATCH - 4.0;
    let entries = |font: Font| -> Vec<Option<Label>> {
        slices
            .iter()
            .map(|s| {
                make_label(canvas, font, s, width, usize::MAX, false)
                    .or_else(|| make_label(canvas, font, s, width, usize::MAX, true))
            })
            .collect()
    };
    let tall = |labels: &[Option<Label>]| {
        labels.iter().map(|l| l.as_ref().map_or(0.0, |l| l.height + SPACE)).sum::<f32>() - SPACE
    };
    let mut font = font;
    let mut labels = entries(font);
    while tall(&labels) > rect.h && font.size > 6.0 {
        font = font.sized((font.size - 0.5).max(6.0));
        labels = entries(font);
    }
    let mut y = rect.y + ((rect.h - tall(&labels)) / 2.0).max(0.0);
    for (slice, label) in slices.iter().zip(&labels) {
        let Some(label) = label.as_ref().filter(|l| y + l.height <= rect.bottom() + 0.01) else {
            canvas.leave_out(Part::Body, &format!("{} {}", slice.category, slice.percent));
            continue;
        };
        let middle = y + canvas.line_box(font) / 2.0;
        canvas.path(Path::rect(x, middle - SWATCH / 2.0, SWATCH, SWATCH).filled(slice.color));
        draw_label(canvas, font, label, x + SWATCH + 4.0, y, 0.0);
        y += label.height + SPACE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_add_up() {
        assert_eq!(percentages(&[1.0, 1.0, 1.0]), vec![34, 33, 33]);
        assert_eq!(percentages(&[999.0, 1.0]), vec![100, 0]);
        assert_eq!(percentages(&[]), Vec::<u32>::new());
        assert_eq!(percentages(&[0.0]), vec![0]);
        let p = percentages(&[12.4, 7.7, 33.3, 46.6]);
        assert_eq!(p.iter().sum::<u32>(), 100);
    }

    #[test]
    fn spread_keeps_order_and_bounds() {
        let c = spread_blocks(&[10.0, 11.0, 12.0], &[10.0, 10.0, 10.0], 0.0, 100.0).unwrap();
        assert!(c.windows(2).all(|w| w[1] - w[0] >= 12.0 - 1e-4));
        assert!(c[0] >= 5.0 && c[2] <= 95.0);
        assert!(spread_blocks(&[1.0; 20], &[10.0; 20], 0.0, 100.0).is_none());
    }
}
