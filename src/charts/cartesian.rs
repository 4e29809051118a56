//! Bar, horizontal bar, line, area and stacked charts.
//!
//! Plotters' `ChartBuilder` provides the coordinate mapping and its mesh draws
//! the grid and value-axis labels (our tick values, our number format); bars
//! and areas go through plotters elements. Category labels, value labels,
//! dashed lines, markers, hatching and direct labels are drawn here, where
//! plotters has no notion of them.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::prelude::*;

use super::ChartStyle;
use super::backend::{ItemBackend, SCALE, color, px, stroke_px, to_page};
use super::canvas::{Canvas, Font, Rect};
use super::categories::{self, CatLabels};
use super::chrome::{Legend, Swatch, label_font, small_font};
use super::marks::{self, Look};
use super::numbers::{NumberFormat, Ticks, nice_ticks, unit_has_magnitude};
use crate::frame::{FontStyle, Path, Rgb};
use crate::model::figure::{ChartKind, Figure};

/// Fill opacity of areas: overlapping areas stay visible through each other.
pub(crate) const AREA_ALPHA: f32 = 0.3;
/// At most this many bars get value labels.
const MAX_LABELLED_BARS: usize = 12;
/// Space between a bar end and its value label.
const LABEL_GAP: f32 = 2.5;
/// Room for direct series labels, as a share of the chart width.
const DIRECT_SHARE: f32 = 0.22;

type Chart<'b, 'c, 'a> = ChartContext<'b, ItemBackend<'c, 'a>, Cartesian2d<Axis, Axis>>;

/// A linear plotters axis with our tick values and, on the value axis, our
/// number format (plotters' own would print `2.5e9`).
#[derive(Clone)]
struct Axis {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
    format: Option<NumberFormat>,
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span.abs() <= f64::MIN_POSITIVE || !v.is_finite() {
            return (limit.0 + limit.1) / 2;
        }
        // Clamped so a stray value cannot overflow the pixel type.
        let t = ((v - self.lo) / span).clamp(-4.0, 5.0);
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Only the bold pass gets points: no light grid lines between ticks.
        if hint.weight().allow_light_points() { Vec::new() } else { self.keys.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, v: &f64) -> String {
        self.format.map_or_else(String::new, |f| f.format(*v))
    }
}

/// The figure's values with safe indexing.
struct Data<'f> {
    fig: &'f Figure,
    n: usize,
}

impl<'f> Data<'f> {
    fn new(fig: &'f Figure) -> Self {
        Data { fig, n: fig.categories.len() }
    }

    fn k(&self) -> usize {
        self.fig.series.len()
    }

    /// Value `i` of series `s`; beyond ±1e300 (where axis arithmetic
    /// overflows) a value cannot be drawn and counts as missing.
    fn get(&self, s: usize, i: usize) -> Option<f64> {
        self.fig.series.get(s)?.values.get(i).copied().flatten().filter(|v| v.abs() <= 1e300)
    }

    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.k()).flat_map(move |s| (0..self.n).filter_map(move |i| self.get(s, i)))
    }

    /// Sum of the positive and of the negative values of category `i`.
    fn stack_sums(&self, i: usize) -> (f64, f64) {
        (0..self.k())
            .filter_map(|s| self.get(s, i))
            .fold((0.0, 0.0), |(p, n), v| if v >= 0.0 { (p + v, n) } else { (p, n + v) })
    }

    /// The value range to show, or `None` when there is nothing to plot.
    fn extent(&self, kind: ChartKind) -> Option<(f64, f64)> {
        let (lo, hi) = if kind == ChartKind::Stacked {
            let sums: Vec<(f64, f64)> = (0..self.n)
                .filter(|&i| (0..self.k()).any(|s| self.get(s, i).is_some()))
                .map(|i| self.stack_sums(i))
                .collect();
            if sums.is_empty() {
                return None;
            }
            (
                sums.iter().map(|s| s.1).fold(0.0, f64::min),
                sums.iter().map(|s| s.0).fold(0.0, f64::max),
            )
        } else {
            let mut values = self.values().peekable();
            values.peek()?;
            values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
        };
        Some(if from_zero(kind, lo, hi) { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) })
    }
}

/// Bars and areas start at zero; lines too when they have negatives or
/// their values come close to zero anyway.
fn from_zero(kind: ChartKind, lo: f64, hi: f64) -> bool {
    kind != ChartKind::Line || lo < 0.0 || lo <= hi * 0.3
}

/// The legend the chart needs, if any: none for one series, none when
/// lines are labelled directly.
pub(crate) fn legend(
    canvas: &Canvas,
    fig: &Figure,
    style: &ChartStyle,
    outer: Rect,
) -> Option<Legend> {
    if fig.series.len() < 2
        || (fig.kind == ChartKind::Line && direct_labels_fit(canvas, fig, style, outer))
    {
        return None;
    }
    let swatch = match fig.kind {
        ChartKind::Line => Swatch::Line,
        ChartKind::Area => Swatch::Area,
        _ => Swatch::Bar,
    };
    let entries = fig
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), marks::look(i, style)))
        .collect();
    Some(Legend { swatch, entries })
}

/// Direct labels work for a few series with short names.
fn direct_labels_fit(canvas: &Canvas, fig: &Figure, style: &ChartStyle, outer: Rect) -> bool {
    let font = label_font(style);
    let k = fig.series.len();
    let widest = fig.series.iter().map(|s| canvas.width(font, &s.name)).fold(0.0, f32::max);
    k <= 6 && widest <= outer.w * DIRECT_SHARE && canvas.pitch(font) * k as f32 <= outer.h * 0.4
}

/// Where everything goes, in page points.
struct Layout {
    horizontal: bool,
    /// The data area; the value range maps onto all of it.
    plot: Rect,
    /// Width of the value-label column (vertical) or height of the value-label band (horizontal).
    value_band: f32,
    ticks: Ticks,
    format: NumberFormat,
    /// The value range mapped onto the plot: the ticks plus label headroom.
    range: (f64, f64),
    cats: CatLabels,
    /// Width reserved right of the plot for direct labels.
    direct: f32,
}

/// What shapes the layout besides the data.
struct Needs {
    lo: f64,
    hi: f64,
    /// Room for value labels past the bar ends: (low end, high end), points.
    label_room: (f32, f32),
    direct: f32,
}

/// Draws the plot of a cartesian chart into `rect`. `direct` asks for
/// direct series labels (lines without a legend).
pub(crate) fn draw(canvas: &Canvas, fig: &Figure, style: &ChartStyle, rect: Rect, direct: bool) {
    // Half a point of margin keeps strokes on the plot's edges (grid, zero
    // line) inside the box even when nothing stands above the plot.
    let rect = Rect { x: rect.x + 0.5, y: rect.y + 0.5, w: rect.w - 1.0, h: rect.h - 1.0 };
    let data = Data::new(fig);
    let extent = data.extent(fig.kind);
    if data.n == 0 || extent.is_none() && (rect.w < 30.0 || rect.h < 30.0) {
        no_data(canvas, style, rect);
        return;
    }
    let (lo, hi) = extent.unwrap_or((0.0, 1.0));
    let direct = direct && fig.kind == ChartKind::Line && data.k() > 1;
    let direct_w = if direct { direct_width(canvas, fig, style, rect) } else { 0.0 };
    let horizontal = fig.kind == ChartKind::Hbar;
    let (layout, labelled) = choose_layout(canvas, &data, style, rect, (lo, hi), direct_w);
    let Some(layout) = layout else {
        // Too small for a plot: say so only if there was nothing to plot anyway.
        if extent.is_none() {
            no_data(canvas, style, rect);
        }
        return;
    };
    let backend = ItemBackend::new(canvas, rect);
    let root = backend.into_drawing_area();
    let Some(chart) = build_chart(&root, rect, &layout, data.n) else {
        return;
    };
    let mut plot = Plot { chart, origin: (rect.x, rect.y), horizontal, n: data.n, layout: &layout };
    draw_mesh(&mut plot, style);
    if extent.is_some() {
        draw_series(canvas, &plot, &data, style, labelled);
    }
    draw_category_labels(canvas, &plot, rect);
    if direct && extent.is_some() {
        draw_direct_labels(canvas, &plot, &data, style);
    }
    if extent.is_none() {
        no_data(canvas, style, layout.plot);
    }
}

/// The layout, with value labels if wanted and they leave room for a plot;
/// also whether value labels made it.
fn choose_layout(
    canvas: &Canvas,
    data: &Data,
    style: &ChartStyle,
    rect: Rect,
    (lo, hi): (f64, f64),
    direct: f32,
) -> (Option<Layout>, bool) {
    let horizontal = data.fig.kind == ChartKind::Hbar;
    // Value labels are the first thing to give up in a small box.
    for with_labels in [labels_wanted(data, data.fig.kind), false] {
        let label_room = label_room(canvas, data, style, with_labels, (lo, hi), horizontal);
        let needs = Needs { lo, hi, label_room, direct };
        let layout = if horizontal {
            layout_horizontal(canvas, data, style, rect, &needs)
        } else {
            layout_vertical(canvas, data, style, rect, &needs)
        };
        if layout.is_some() {
            return (layout, with_labels);
        }
    }
    (None, false)
}

/// Value labels only for a few bars, where they can be read without a ruler.
fn labels_wanted(data: &Data, kind: ChartKind) -> bool {
    matches!(kind, ChartKind::Bar | ChartKind::Hbar) && data.n * data.k() <= MAX_LABELLED_BARS
}

/// Width of the direct-label column: the longest name, within a share of the chart.
fn direct_width(canvas: &Canvas, fig: &Figure, style: &ChartStyle, rect: Rect) -> f32 {
    let font = label_font(style);
    let widest = fig.series.iter().map(|s| canvas.width(font, &s.name)).fold(0.0, f32::max);
    widest.min(rect.w * DIRECT_SHARE) + 6.0
}

/// Room value labels need past the low and high ends of the value axis.
fn label_room(
    canvas: &Canvas,
    data: &Data,
    style: &ChartStyle,
    labelled: bool,
    (lo, hi): (f64, f64),
    horizontal: bool,
) -> (f32, f32) {
    if !labelled {
        return (0.0, 0.0);
    }
    let font = small_font(style);
    if !horizontal {
        let room = canvas.line_box(font) + LABEL_GAP;
        return (if lo < 0.0 { room } else { 0.0 }, if hi > 0.0 { room } else { 0.0 });
    }
    let format = value_format(data, style, (lo, hi));
    let widest = |negative: bool| {
        data.values()
            .filter(|v| (*v < 0.0) == negative)
            .map(|v| canvas.width(font, &format.format(v)) + LABEL_GAP + 1.0)
            .fold(0.0, f32::max)
    };
    (widest(true), widest(false))
}

/// The number format of value labels: the scale the axis would use.
fn value_format(data: &Data, style: &ChartStyle, (lo, hi): (f64, f64)) -> NumberFormat {
    let ticks = nice_ticks(lo, hi, 5);
    let axis =
        NumberFormat::for_ticks(&ticks, !unit_has_magnitude(data.fig.unit.as_deref()), style);
    let values: Vec<f64> = data.values().collect();
    NumberFormat::for_values(&values, &axis)
}

/// Ticks and their format for an axis of `length` points.
fn axis_ticks(
    data: &Data,
    style: &ChartStyle,
    lo: f64,
    hi: f64,
    intervals: usize,
) -> (Ticks, NumberFormat, Vec<String>) {
    let ticks = nice_ticks(lo, hi, intervals);
    let format =
        NumberFormat::for_ticks(&ticks, !unit_has_magnitude(data.fig.unit.as_deref()), style);
    let labels = ticks.values.iter().map(|v| format.format(*v)).collect();
    (ticks, format, labels)
}

/// The value range with `low` and `high` points of headroom beyond the ticks.
fn padded_range(ticks: &Ticks, length: f32, low: f32, high: f32) -> (f64, f64) {
    let inner = (length - low - high).max(1.0) as f64;
    let per_point = (ticks.hi - ticks.lo) / inner;
    (ticks.lo - low as f64 * per_point, ticks.hi + high as f64 * per_point)
}

/// Layout for columns and lines: values up the left, categories underneath.
/// The number of ticks depends on the plot height, which depends on the
/// category labels, which depend on the tick labels' width: so try, measure
/// and retry with fewer ticks until neighbouring tick labels cannot touch.
fn layout_vertical(
    canvas: &Canvas,
    data: &Data,
    style: &ChartStyle,
    rect: Rect,
    needs: &Needs,
) -> Option<Layout> {
    let hb = canvas.line_box(small_font(style));
    let spacing = hb * 2.2;
    let guess = rect.h - 2.5 * canvas.line_box(label_font(style));
    let mut intervals = ((guess / spacing).floor() as usize).clamp(1, 6);
    for _ in 0..4 {
        let layout = vertical_with(canvas, data, style, rect, needs, intervals)?;
        let inner = value_span(&layout);
        let steps = layout.ticks.values.len().saturating_sub(1).max(1);
        let room = inner / steps as f32;
        if room >= spacing {
            return Some(layout);
        }
        if intervals == 1 || steps == 1 {
            // As few ticks as possible: cramped is fine, touching is not.
            return (room >= hb * 1.15).then_some(layout);
        }
        intervals = ((inner / spacing).floor() as usize).clamp(1, steps - 1);
    }
    None
}

/// Points between the lowest and the highest tick.
fn value_span(layout: &Layout) -> f32 {
    let (lo, hi) = layout.range;
    let length = if layout.horizontal { layout.plot.w } else { layout.plot.h };
    if hi - lo <= 0.0 {
        return 0.0;
    }
    ((layout.ticks.hi - layout.ticks.lo) / (hi - lo)) as f32 * length
}

/// The vertical layout for a given number of tick intervals.
fn vertical_with(
    canvas: &Canvas,
    data: &Data,
    style: &ChartStyle,
    rect: Rect,
    needs: &Needs,
    intervals: usize,
) -> Option<Layout> {
    let small = small_font(style);
    let hb = canvas.line_box(small);
    let font = label_font(style);
    let (ticks, format, labels) = axis_ticks(data, style, needs.lo, needs.hi, intervals);
    let column = labels.iter().map(|l| canvas.width(small, l)).fold(0.0, f32::max) + 4.0;
    let mut right = if needs.direct > 0.0 { needs.direct } else { 2.0 };
    let mut left = column;
    let mut labels_below = None;
    // Labels at the ends may reach past the plot; widen the margins until
    // they fit (the slot, and so the labels, change with the margins).
    for _ in 0..3 {
        let width = rect.w - left - right;
        if width < 20.0 {
            return None;
        }
        let slot = width / data.n as f32;
        let extent = (rect.h * 0.4).max(hb * 2.0);
        let cl = categories::below(canvas, font, &data.fig.categories, slot, extent);
        let (over_left, over_right) = cl.overhang(canvas, slot);
        labels_below = Some(cl);
        if over_left <= left + 0.01 && over_right <= right + 0.01 {
            break;
        }
        left = left.max(over_left + 0.5);
        right = right.max(over_right + 0.5);
    }
    let cats = labels_below?;
    let plot =
        Rect { x: rect.x + left, y: rect.y, w: rect.w - left - right, h: rect.h - cats.extent };
    if plot.h < 20.0 || plot.w < 20.0 {
        return None;
    }
    // Half a line keeps the top and bottom tick labels inside the plot band.
    let low = needs.label_room.0.max(hb / 2.0);
    let high = needs.label_room.1.max(hb / 2.0);
    let range = padded_range(&ticks, plot.h, low, high);
    Some(Layout {
        horizontal: false,
        plot,
        value_band: column,
        ticks,
        format,
        range,
        cats,
        direct: needs.direct,
    })
}

/// Layout for horizontal bars: categories on the left, values underneath.
fn layout_horizontal(
    canvas: &Canvas,
    data: &Data,
    style: &ChartStyle,
    rect: Rect,
    needs: &Needs,
) -> Option<Layout> {
    let small = small_font(style);
    let band = canvas.line_box(small) + categories::GAP;
    let height = rect.h - band;
    if height < 20.0 {
        return None;
    }
    let slot = height / data.n as f32;
    let cats =
        categories::beside(canvas, label_font(style), &data.fig.categories, slot, rect.w * 0.38);
    let guess = rect.w - cats.extent - needs.label_room.0 - needs.label_room.1;
    let widest =
        |labels: &[String]| labels.iter().map(|l| canvas.width(small, l)).fold(0.0, f32::max);
    let steps = |ticks: &Ticks| ticks.values.len().max(2) - 1;
    let (mut ticks, mut format, mut labels) = axis_ticks(data, style, needs.lo, needs.hi, 6);
    for intervals in (1..6).rev() {
        if guess / steps(&ticks) as f32 >= widest(&labels) + 8.0 {
            break;
        }
        (ticks, format, labels) = axis_ticks(data, style, needs.lo, needs.hi, intervals);
    }
    let half = |l: Option<&String>| l.map_or(0.0, |l| canvas.width(small, l) / 2.0);
    let left = cats.extent.max(half(labels.first()) - needs.label_room.0);
    let right = (half(labels.last()) - needs.label_room.1).max(0.0) + 1.0;
    let plot = Rect { x: rect.x + left, y: rect.y, w: rect.w - left - right, h: height };
    // Value labels may not eat most of the bars' length, and tick labels
    // must not touch (a box too narrow for any axis gets no plot).
    let span = plot.w - needs.label_room.0 - needs.label_room.1;
    let crowded = span / (steps(&ticks) as f32) < widest(&labels) + 3.0;
    if plot.w < 20.0 || span < plot.w * 0.5 || crowded {
        return None;
    }
    let range = padded_range(&ticks, plot.w, needs.label_room.0, needs.label_room.1);
    Some(Layout {
        horizontal: true,
        plot,
        value_band: band,
        ticks,
        format,
        range,
        cats,
        direct: 0.0,
    })
}

/// Builds the plotters chart whose plotting area is exactly `layout.plot`,
/// with the value-label area beside or under it.
fn build_chart<'b, 'c, 'a>(
    root: &'b DrawingArea<ItemBackend<'c, 'a>, plotters::coord::Shift>,
    rect: Rect,
    layout: &Layout,
    n: usize,
) -> Option<Chart<'b, 'c, 'a>> {
    let p = layout.plot;
    let categories = Axis { lo: 0.0, hi: n as f64, keys: Vec::new(), format: None };
    let values = Axis {
        lo: layout.range.0,
        hi: layout.range.1,
        keys: layout.ticks.values.clone(),
        format: Some(layout.format),
    };
    if layout.horizontal {
        let area = root
            .clone()
            .shrink((px(p.x - rect.x), px(p.y - rect.y)), (px(p.w), px(p.h + layout.value_band)));
        ChartBuilder::on(&area)
            .set_label_area_size(LabelAreaPosition::Bottom, px(layout.value_band))
            .build_cartesian_2d(values, categories)
            .ok()
    } else {
        let area = root.clone().shrink(
            (px(p.x - rect.x - layout.value_band), px(p.y - rect.y)),
            (px(p.w + layout.value_band), px(p.h)),
        );
        ChartBuilder::on(&area)
            .set_label_area_size(LabelAreaPosition::Left, px(layout.value_band))
            .build_cartesian_2d(categories, values)
            .ok()
    }
}

/// The chart with our orientation-free mapping on top.
struct Plot<'b, 'c, 'a, 'l> {
    chart: Chart<'b, 'c, 'a>,
    origin: (f32, f32),
    horizontal: bool,
    n: usize,
    layout: &'l Layout,
}

impl Plot<'_, '_, '_, '_> {
    /// Plotters coordinates of category position `c` (0..n) and value `v`.
    fn coord(&self, c: f64, v: f64) -> (f64, f64) {
        if self.horizontal { (v, self.n as f64 - c) } else { (c, v) }
    }

    /// Page point of category position `c` and value `v`.
    fn at(&self, c: f64, v: f64) -> (f32, f32) {
        to_page(self.origin, self.chart.backend_coord(&self.coord(c, v)))
    }

    /// The page rectangle spanning categories c0..c1 and values v0..v1.
    fn band(&self, c0: f64, c1: f64, v0: f64, v1: f64) -> Rect {
        let (ax, ay) = self.at(c0, v0);
        let (bx, by) = self.at(c1, v1);
        Rect { x: ax.min(bx), y: ay.min(by), w: (ax - bx).abs(), h: (ay - by).abs() }
    }

    /// Value clamped into the mapped range, so marks never leave the plot.
    fn clamp(&self, v: f64) -> f64 {
        // max/min rather than `clamp`, which panics on a NaN bound.
        v.max(self.layout.range.0).min(self.layout.range.1)
    }

    /// Length of one category slot, points.
    fn slot(&self) -> f32 {
        let p = self.layout.plot;
        (if self.horizontal { p.h } else { p.w }) / self.n as f32
    }

    /// Draws a plotters element in data coordinates.
    fn rectangle(&self, c0: f64, c1: f64, v0: f64, v1: f64, fill: Rgb) {
        let style = color(fill).filled();
        let element = Rectangle::new([self.coord(c0, v0), self.coord(c1, v1)], style);
        // The backend cannot fail; a plotters layout error only loses this mark.
        let _ = self.chart.plotting_area().draw(&element);
    }
}

/// Grid lines and value labels, through plotters' mesh.
fn draw_mesh(plot: &mut Plot, style: &ChartStyle) {
    let small = small_font(style);
    let grid = ShapeStyle {
        color: color(marks::lighten(style.muted, 0.7)).to_rgba(),
        filled: false,
        stroke_width: stroke_px(0.5),
    };
    let font = ("sans-serif", (small.size * SCALE) as f64).into_font().color(&color(small.color));
    let horizontal = plot.horizontal;
    let mut mesh = plot.chart.configure_mesh();
    mesh.axis_style(TRANSPARENT)
        .bold_line_style(grid)
        .light_line_style(TRANSPARENT)
        .label_style(font)
        .set_all_tick_mark_size(px(2.0));
    if horizontal {
        mesh.disable_y_mesh().disable_y_axis();
    } else {
        mesh.disable_x_mesh().disable_x_axis();
    }
    let _ = mesh.draw();
}

/// Draws the marks of every series, the zero line and value labels.
fn draw_series(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle, labelled: bool) {
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

/// Values next to bar ends, when every one of them fits beside its bar.
fn draw_value_labels(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle, bars: &Bars) {
    let font = small_font(style).colored(style.text);
    let format = value_format(data, style, (plot.layout.ticks.lo, plot.layout.ticks.hi));
    // A lone bar's label may use most of the slot; grouped bars only their own pitch.
    let room =
        if data.k() == 1 { plot.slot() * 0.9 } else { (bars.step * plot.slot() as f64) as f32 };
    let hb = canvas.line_box(font);
    let mut labels = Vec::new();
    for i in 0..data.n {
        for s in 0..data.k() {
            let Some(v) = data.get(s, i) else { continue };
            let text = format.format(v);
            let w = canvas.width(font, &text);
            let fits = if plot.horizontal { hb <= room + 1.0 } else { w <= room - 1.0 };
            if !fits {
                return;
            }
            labels.push((bars.span(i, s), v, text, w));
        }
    }
    for ((c0, c1), v, text, w) in labels {
        let (x, y) = plot.at((c0 + c1) / 2.0, plot.clamp(v));
        let (left, top) = match (plot.horizontal, v >= 0.0) {
            (true, true) => (x + LABEL_GAP, y - hb / 2.0),
            (true, false) => (x - LABEL_GAP - w, y - hb / 2.0),
            (false, true) => (x - w / 2.0, y - LABEL_GAP - hb),
            (false, false) => (x - w / 2.0, y + LABEL_GAP),
        };
        canvas.text_at(font, &text, left, top);
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
    let (w, hb) = (canvas.width(font, "n/a"), canvas.line_box(font));
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
        let (left, top) = match (plot.horizontal, upward) {
            (true, true) => (x + LABEL_GAP, y - hb / 2.0),
            (true, false) => (x - LABEL_GAP - w, y - hb / 2.0),
            (false, true) => (x - w / 2.0, y - LABEL_GAP - hb),
            (false, false) => (x - w / 2.0, y + LABEL_GAP),
        };
        canvas.text_at(font, "n/a", left, top);
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

/// Series lines, broken at missing values; markers on every point when
/// `all_markers` (line charts), else only on isolated points.
fn draw_lines(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle, all_markers: bool) {
    let radius = match data.n {
        0..=12 => 2.6,
        13..=24 => 2.2,
        _ => 1.8,
    };
    let all_markers = all_markers && data.n <= 40;
    for s in 0..data.k() {
        let look = marks::look(s, style);
        for run in runs(data, s) {
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

/// Category labels under the plot, or beside it for horizontal bars.
fn draw_category_labels(canvas: &Canvas, plot: &Plot, rect: Rect) {
    let layout = plot.layout;
    let centres: Vec<f32> = (0..plot.n)
        .map(|i| {
            let (x, y) = plot.at(i as f64 + 0.5, layout.range.0);
            if plot.horizontal { y } else { x }
        })
        .collect();
    if plot.horizontal {
        let p = layout.plot;
        categories::draw_beside(canvas, &layout.cats, &centres, p.x, p.y, p.bottom());
    } else {
        categories::draw_below(
            canvas,
            &layout.cats,
            &centres,
            layout.plot.bottom(),
            rect.x,
            rect.right(),
        );
    }
}

/// Series names at the right end of their lines, pushed apart so none overlap.
fn draw_direct_labels(canvas: &Canvas, plot: &Plot, data: &Data, style: &ChartStyle) {
    let font = label_font(style);
    let mut ends: Vec<(f32, usize)> = (0..data.k())
        .filter_map(|s| {
            let i = (0..data.n).rev().find(|&i| data.get(s, i).is_some())?;
            let v = plot.clamp(data.get(s, i)?);
            Some((plot.at(i as f64 + 0.5, v).1, s))
        })
        .collect();
    ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let hb = canvas.line_box(font);
    let p = plot.layout.plot;
    let desired: Vec<f32> = ends.iter().map(|e| e.0).collect();
    let centres = spread(&desired, hb, p.y, p.bottom());
    let x = p.right() + 4.0;
    let mut last = f32::NEG_INFINITY;
    for ((_, s), cy) in ends.iter().zip(centres) {
        // Only when the plot is too short for all names do two collide: drop one.
        if cy - last < hb - 0.01 {
            continue;
        }
        last = cy;
        let look = marks::look(*s, style);
        let text = canvas.ellipsize(font, &data.fig.series[*s].name, plot.layout.direct - 5.0);
        canvas.text_at(font.colored(marks::readable(look.color)), &text, x, cy - hb / 2.0);
    }
}

/// Label centres as close to `desired` (sorted) as possible, at least `size`
/// apart and within `min..max`.
fn spread(desired: &[f32], size: f32, min: f32, max: f32) -> Vec<f32> {
    let mut out: Vec<f32> = Vec::with_capacity(desired.len());
    for &d in desired {
        let floor = out.last().map_or(min + size / 2.0, |p| p + size);
        out.push(d.max(floor));
    }
    let mut ceiling = max - size / 2.0;
    for c in out.iter_mut().rev() {
        *c = c.min(ceiling);
        ceiling = *c - size;
    }
    // If they cannot all fit, overlap at the bottom rather than leave the box.
    let mut floor = min + size / 2.0;
    for c in out.iter_mut() {
        *c = c.max(floor).min(max - size / 2.0);
        floor = *c + size;
    }
    out
}

/// "No data" in the middle of `rect`, if it fits.
pub(crate) fn no_data(canvas: &Canvas, style: &ChartStyle, rect: Rect) {
    message(canvas, style, rect, "No data");
}

/// A short italic message in the middle of `rect` on a white ground (so
/// grid lines do not strike through it), if it fits.
pub(crate) fn message(canvas: &Canvas, style: &ChartStyle, rect: Rect, text: &str) {
    let font = Font { face: FontStyle::Italic, ..label_font(style).colored(style.muted) };
    let (w, h) = (canvas.width(font, text), canvas.line_box(font));
    if w > rect.w || h > rect.h {
        return;
    }
    let (x, y) = (rect.x + (rect.w - w) / 2.0, rect.y + (rect.h - h) / 2.0);
    let pad = 3.0f32.min((rect.w - w) / 2.0);
    canvas.path(Path::rect(x - pad, y, w + 2.0 * pad, h).filled(Rgb::WHITE));
    canvas.text_at(font, text, x, y);
}
