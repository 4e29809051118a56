//! Pie charts: the first series as shares of its total, each slice labelled
//! directly with its category and percentage (so colour is never the only
//! key), falling back to a list beside the pie when labels cannot fit around it.

use std::f32::consts::{PI, TAU};

use super::backend::circle_segs;
use super::canvas::{Canvas, Font, Rect};
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

/// One drawable slice.
struct Slice {
    category: String,
    value: f64,
    percent: String,
    color: Rgb,
}

/// The values of the first series that can be slices: present and positive.
fn slices(fig: &Figure, style: &ChartStyle) -> Vec<Slice> {
    let Some(series) = fig.series.first() else {
        return Vec::new();
    };
    let kept: Vec<(usize, f64)> = (0..fig.categories.len())
        .filter_map(|i| {
            series
                .values
                .get(i)
                .copied()
                .flatten()
                .filter(|v| v.is_finite() && *v > 0.0)
                .map(|v| (i, v))
        })
        .collect();
    // Shares are scale-free: dividing by the largest keeps a sum of values
    // near f64::MAX from overflowing to infinity.
    let largest = kept.iter().map(|k| k.1).fold(0.0, f64::max);
    let kept: Vec<(usize, f64)> = kept.into_iter().map(|(i, v)| (i, v / largest)).collect();
    let percents = percentages(&kept.iter().map(|k| k.1).collect::<Vec<_>>());
    kept.iter()
        .zip(percents)
        .enumerate()
        .map(|(n, (&(i, value), pct))| Slice {
            category: fig.categories[i].clone(),
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

/// Names the categories a pie cannot show, for the note under the chart.
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
    (!parts.is_empty()).then(|| words.not_shown.replace("{parts}", &parts.join("; ")))
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

fn make_label(canvas: &Canvas, font: Font, slice: &Slice, max_width: f32) -> Label {
    let pct_w = canvas.width(percent_font(font), &slice.percent) + canvas.width(font, " ");
    let mut lines = canvas.wrap_limited(font, &slice.category, max_width, 2);
    // The percentage must share the last line; move it down a line if needed.
    if let Some(last) = lines.last()
        && canvas.width(font, last) + pct_w > max_width
        && lines.len() < 2
    {
        lines.push(String::new());
    }
    if let Some(last) = lines.last_mut() {
        *last = canvas.ellipsize(font, last, (max_width - pct_w).max(0.0));
    }
    let width = lines
        .iter()
        .enumerate()
        .map(|(i, l)| canvas.width(font, l) + if i + 1 == lines.len() { pct_w } else { 0.0 })
        .fold(0.0, f32::max);
    let height = canvas.block_height(font, lines.len());
    Label { lines, percent: slice.percent.clone(), width, height }
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
    let labels: Vec<Label> =
        slices.iter().map(|s| make_label(canvas, font, s, rect.w * 0.28)).collect();
    if !draw_around(canvas, &slices, &labels, font, style, rect) {
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

/// Fallback: the pie on the left, a keyed list of labels on the right.
fn draw_with_list(canvas: &Canvas, slices: &[Slice], font: Font, rect: Rect) {
    let r = (rect.h / 2.0 - 2.0).min(rect.w * 0.2).max(4.0);
    draw_slices(canvas, slices, (rect.x + r + 1.0, rect.y + rect.h / 2.0, r));
    const SWATCH: f32 = 8.0;
    let x = rect.x + 2.0 * r + 12.0;
    let width = rect.right() - x - SWATCH - 4.0;
    if width < 20.0 {
        return;
    }
    let mut font = font;
    let rows = slices.len() as f32;
    if canvas.pitch(font) * rows > rect.h {
        font = font.sized((font.size * rect.h / (canvas.pitch(font) * rows)).max(6.0));
    }
    let pitch = canvas.pitch(font);
    let fit = ((rect.h - canvas.line_box(font)) / pitch).floor().max(0.0) as usize + 1;
    let top = rect.y + (rect.h - canvas.block_height(font, slices.len().min(fit))) / 2.0;
    for (i, slice) in slices.iter().take(fit).enumerate() {
        let y = top + pitch * i as f32;
        let middle = y + canvas.line_box(font) / 2.0;
        canvas.path(Path::rect(x, middle - SWATCH / 2.0, SWATCH, SWATCH).filled(slice.color));
        let pct_w = canvas.width(percent_font(font), &slice.percent) + canvas.width(font, " ");
        if pct_w > width {
            continue;
        }
        let line = canvas.ellipsize(font, &slice.category, width - pct_w);
        let label = Label { lines: vec![line], percent: slice.percent.clone(), width, height: 0.0 };
        draw_label(canvas, font, &label, x + SWATCH + 4.0, y, 0.0);
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
