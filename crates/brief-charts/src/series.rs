//! The marks of cartesian series: bars, stacks, lines and areas, with the
//! zero line, value labels and "n/a" marks. Dashed
//! lines, markers, hatching and labels are drawn here, where plotters has no
//! notion of them; bars and areas go through plotters elements.

use plotters::prelude::*;

use super::axes::{Plot, value_format};
use super::backend::color;
use super::canvas::{Canvas, Font};
use super::chrome::small_font;
use super::data::Data;
use super::marks::{self, AREA_ALPHA, Look};
use super::reduce::reduce;
use super::style::ChartStyle;
use brief_core::figure::ChartKind;
use brief_core::frame::{FontStyle, Path, Rgb};

/// Space between a bar end and its value label.
pub(crate) const LABEL_GAP: f32 = 2.5;

/// Draws the marks of every series, the zero line and value labels.
pub(crate) fn draw_series(
    canvas: &Canvas,
    plot: &Plot,
    data: &Data,
    style: &ChartStyle,
    labelled: bool,
) {
    match data.fig.kind {
        ChartKind::Bar | ChartKind::Hbar => draw_bars(canvas, plot, data, style, labelled),
        ChartKind::Stacked => draw_stacked(canvas, plot, data, style),
        ChartKind::Line => {
            draw_zero_line(canvas, plot, style);
            draw_lines(canvas, plot, data, style, true);
        }
        ChartKind::Area => {
            draw_areas(plot, data, style);
            draw_zero_line(canvas, plot, style);
            draw_lines(canvas, plot, data, style, false);
        }
        ChartKind::Pie => {}
    }
}

/// Where the bars of one category sit within its slot, in category units.
struct Bars {
    start: f64,
    width: f64,
    step: f64,
}

impl Bars {
    /// Bars for `k` series in slots of `slot` points; thick enough to read,
    /// never so wide that one category becomes a block.
    fn new(slot: f32, k: usize, horizontal: bool) -> Self {
        let k = k.max(1) as f32;
        let group = slot * if k == 1.0 { 0.62 } else { 0.8 };
        let gap = if group / k > 8.0 { 1.0 } else { 0.0 };
        let cap = if horizontal { 20.0 } else { 40.0 };
        let width = ((group - gap * (k - 1.0)) / k).min(cap);
        let total = width * k + gap * (k - 1.0);
        let slot = slot.max(f32::EPSILON) as f64;
        Bars {
            start: ((slot as f32 - total) / 2.0) as f64 / slot,
            width: width as f64 / slot,
            step: (width + gap) as f64 / slot,
        }
    }

    /// Category positions of bar `j` in category `i`.
    fn span(&self, i: usize, j: usize) -> (f64, f64) {
        let c0 = i as f64 + self.start + self.step * j as f64;
        (c0, c0 + self.width)
    }
}

/// A bar with its hatch, from `v0` to `v1` across categories `c0..c1`.
fn draw_bar(canvas: &Canvas, plot: &Plot, (c0, c1): (f64, f64), (v0, v1): (f64, f64), look: &Look) {
    let (v0, v1) = (plot.clamp(v0), plot.clamp(v1));
    plot.rectangle(c0, c1, v0, v1, look.color);
    if let Some(hatch) = marks::hatch(plot.band(c0, c1, v0, v1), look.hatch, look.color) {
        canvas.path(hatch);
    }
}

fn draw_bars(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle, labelled: bool) {
    let bars = Bars::new(plot.slot(), data.k(), plot.horizontal);
    for i in 0..data.n {
        for s in 0..data.k() {
            if let Some(v) = data.get(s, i) {
                draw_bar(canvas, plot, bars.span(i, s), (0.0, v), &marks::look(s, style));
            }
        }
    }
    draw_zero_line(canvas, plot, style);
    if labelled {
        draw_value_labels(canvas, plot, data, style, &bars);
    }
    let missing = (0..data.n).flat_map(|i| (0..data.k()).map(move |s| (i, s)));
    let missing: Vec<(f64, f64)> =
        missing.filter(|&(i, s)| data.get(s, i).is_none()).map(|(i, s)| bars.span(i, s)).collect();
    draw_not_available(canvas, plot, style, &missing, bars.step * plot.slot() as f64);
}

/// Stacks: positive parts up from zero, negative parts down from zero.
fn draw_stacked(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle) {
    let bars = Bars::new(plot.slot(), 1, plot.horizontal);
    let mut missing = Vec::new();
    for i in 0..data.n {
        let span = bars.span(i, 0);
        let (mut up, mut down) = (0.0, 0.0);
        let mut any = false;
        for s in 0..data.k() {
            let Some(v) = data.get(s, i) else { continue };
            any = true;
            let part = if v >= 0.0 { (up, up + v) } else { (down, down + v) };
            if v >= 0.0 {
                up += v
            } else {
                down += v
            }
            if v == 0.0 {
                continue;
            }
            draw_bar(canvas, plot, span, part, &marks::look(s, style));
            // A white rule between parts keeps same-lightness neighbours apart in greyscale.
            let r = plot.band(span.0, span.1, plot.clamp(part.0), plot.clamp(part.1));
            canvas.path(Path::rect(r.x, r.y, r.w, r.h).stroked(Rgb::WHITE, 0.5));
        }
        if !any {
            missing.push(span);
        }
    }
    draw_zero_line(canvas, plot, style);
    draw_not_available(canvas, plot, style, &missing, plot.slot() as f64);
}

/// The line at value zero, when zero is on the axis.
fn draw_zero_line(canvas: &Canvas, plot: &Plot, style: &ChartStyle) {
    let (lo, hi) = plot.layout.range;
    if lo > 0.0 || hi < 0.0 {
        return;
    }
    let (x0, y0) = plot.at(0.0, 0.0);
    let (x1, y1) = plot.at(plot.n as f64, 0.0);
    canvas.path(Path::line(x0, y0, x1, y1).stroked(style.text, 0.8));
}

/// Values next to bar ends, when every one of them fits beside its bar:
/// as the source wrote them (1,710, 2.25) where they all fit, else rounded
/// alike to about three significant digits, else none.
fn draw_value_labels(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle, bars: &Bars) {
    let font = small_font(style).colored(style.text);
    let format = value_format(data, style, (plot.layout.ticks.lo, plot.layout.ticks.hi));
    // A lone bar's label may use most of the slot; grouped bars only their own pitch.
    let room =
        if data.k() == 1 { plot.slot() * 0.9 } else { (bars.step * plot.slot() as f64) as f32 };
    let hb = canvas.line_box(font);
    let labels = |write: &dyn Fn(f64) -> String| {
        let mut labels = Vec::new();
        for i in 0..data.n {
            for s in 0..data.k() {
                let Some(v) = data.get(s, i) else { continue };
                let text = write(v);
                let w = canvas.width(font, &text);
                let fits = if plot.horizontal { hb <= room + 1.0 } else { w <= room - 1.0 };
                if !fits {
                    return None;
                }
                labels.push((bars.span(i, s), v, text, w));
            }
        }
        Some(labels)
    };
    let Some(labels) = labels(&|v| format.written(v)).or_else(|| labels(&|v| format.format(v)))
    else {
        return;
    };
    for ((c0, c1), v, text, w) in labels {
        let (x, y) = plot.at((c0 + c1) / 2.0, plot.clamp(v));
        let (left, top) = label_at(plot.horizontal, v >= 0.0, (x, y), (w, hb));
        canvas.text_at(font, &text, left, top);
    }
}

/// Top-left corner of a label `w` by `hb` points set off from (x, y) along
/// the value axis: past it towards higher values when `forward`, else
/// before it; centred across.
fn label_at(
    horizontal: bool,
    forward: bool,
    (x, y): (f32, f32),
    (w, hb): (f32, f32),
) -> (f32, f32) {
    match (horizontal, forward) {
        (true, true) => (x + LABEL_GAP, y - hb / 2.0),
        (true, false) => (x - LABEL_GAP - w, y - hb / 2.0),
        (false, true) => (x - w / 2.0, y - LABEL_GAP - hb),
        (false, false) => (x - w / 2.0, y + LABEL_GAP),
    }
}

/// A small "n/a" where a bar is missing, when there is room for it.
fn draw_not_available(
    canvas: &Canvas,
    plot: &Plot,
    style: &ChartStyle,
    spans: &[(f64, f64)],
    room: f64,
) {
    let font = Font { face: FontStyle::Italic, ..small_font(style) };
    let na = style.words.na.as_str();
    let (w, hb) = (canvas.width(font, na), canvas.line_box(font));
    let fits = if plot.horizontal { hb <= room as f32 + 1.0 } else { w <= room as f32 };
    if spans.is_empty() || !fits {
        return;
    }
    // Above (or right of) zero where the plot has room on that side, else below (left).
    let zero = plot.clamp(0.0);
    let p = plot.layout.plot;
    let (zx, zy) = plot.at(0.0, zero);
    let upward =
        if plot.horizontal { p.right() - zx >= w + LABEL_GAP } else { zy - p.y >= hb + LABEL_GAP };
    let downward =
        if plot.horizontal { zx - p.x >= w + LABEL_GAP } else { p.bottom() - zy >= hb + LABEL_GAP };
    if !upward && !downward {
        return;
    }
    for &(c0, c1) in spans {
        let (x, y) = plot.at((c0 + c1) / 2.0, zero);
        let (left, top) = label_at(plot.horizontal, upward, (x, y), (w, hb));
        canvas.text_at(font, na, left, top);
    }
}

/// Runs of consecutive present values of series `s`, as (category centre, value).
fn runs(data: &Data, s: usize) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for i in 0..data.n {
        match data.get(s, i) {
            Some(v) => current.push((i as f64 + 0.5, v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Points of a line drawn per point of the plot's width: past this a
/// longer run is reduced (see `reduce`), which the eye cannot tell at any
/// print resolution, and a 50,000-point series stays a small PDF.
const POINTS_PER_POINT: f32 = 2.0;

/// Series lines, broken at missing values; markers on every point when
/// `all_markers` (line charts), else only on isolated points. A line chart's
/// runs longer than the plot can show are drawn reduced, their ends and
/// extremes kept.
fn draw_lines(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle, all_markers: bool) {
    let most = (plot.layout.plot.w * POINTS_PER_POINT).ceil().max(16.0) as usize;
    let reduced = data.fig.kind == ChartKind::Line;
    let radius = match data.n {
        0..=12 => 2.6,
        13..=24 => 2.2,
        _ => 1.8,
    };
    let all_markers = all_markers && data.n <= 40;
    for s in 0..data.k() {
        let look = marks::look(s, style);
        for mut run in runs(data, s) {
            if reduced && run.len() > most {
                run = reduce(&run, most).into_iter().map(|i| run[i]).collect();
            }
            let points: Vec<(f32, f32)> =
                run.iter().map(|&(c, v)| plot.at(c, plot.clamp(v))).collect();
            if points.len() > 1 {
                canvas.path(marks::line(&points, &look));
            }
            if all_markers || points.len() == 1 {
                for &(x, y) in &points {
                    canvas.path(marks::marker(look.marker, x, y, radius, look.color));
                }
            }
        }
    }
}

/// Translucent areas down to zero (or the axis end nearest zero), one per run.
fn draw_areas(plot: &Plot, data: &Data, style: &ChartStyle) {
    let base = plot.clamp(0.0);
    for s in 0..data.k() {
        let look = marks::look(s, style);
        let fill = color(look.color).mix(AREA_ALPHA as f64).filled();
        // A lone point has no area; `draw_lines` gives it a marker.
        for run in runs(data, s).into_iter().filter(|r| r.len() > 1) {
            let (Some(first), Some(last)) = (run.first(), run.last()) else {
                continue;
            };
            let mut points = vec![plot.coord(first.0, base)];
            points.extend(run.iter().map(|&(c, v)| plot.coord(c, plot.clamp(v))));
            points.push(plot.coord(last.0, base));
            let _ = plot.chart.plotting_area().draw(&Polygon::new(points, fill));
        }
    }
}
