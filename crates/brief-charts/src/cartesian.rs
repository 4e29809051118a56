//! Bar, horizontal bar, line, area and stacked charts: the layout of the
//! plot (value axis, category labels, room for value and direct labels) and
//! the entry point that draws axes, then series marks, then labels.
//!
//! Plotters' `ChartBuilder` provides the coordinate mapping and its mesh draws
//! the grid and value-axis labels (our tick values, our number format); see
//! `axes` for the mapping and `series` for the marks.

use plotters::prelude::*;

use super::axes::{
    Layout, Plot, axis_ticks, build_chart, draw_category_labels, draw_mesh, padded_range,
    value_format,
};
use super::backend::ItemBackend;
use super::canvas::{Canvas, Rect};
use super::categories;
use super::chrome::{DIRECT_SHARE, label_font, no_data, small_font};
use super::data::Data;
use super::numbers::Ticks;
use super::series::{LABEL_GAP, draw_direct_labels, draw_series};
use super::style::ChartStyle;
use brief_core::figure::{ChartKind, Figure};

/// At most this many bars get value labels.
const MAX_LABELLED_BARS: usize = 12;

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
    let sizing = Sizing { canvas, data: &data, style, rect };
    let (layout, labelled) = sizing.choose_layout((lo, hi), direct_w);
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

/// What every layout is worked out for: the values, their style and the box.
#[derive(Clone, Copy)]
struct Sizing<'x, 'a, 'f> {
    canvas: &'x Canvas<'a>,
    data: &'x Data<'f>,
    style: &'x ChartStyle,
    rect: Rect,
}

impl Sizing<'_, '_, '_> {
    /// The layout, with value labels if wanted and they leave room for a plot;
    /// also whether value labels made it.
    fn choose_layout(&self, (lo, hi): (f64, f64), direct: f32) -> (Option<Layout>, bool) {
        let data = self.data;
        let horizontal = data.fig.kind == ChartKind::Hbar;
        // Value labels are the first thing to give up in a small box.
        for with_labels in [labels_wanted(data, data.fig.kind), false] {
            let label_room = self.label_room(with_labels, (lo, hi), horizontal);
            let needs = Needs { lo, hi, label_room, direct };
            let layout = if horizontal {
                self.layout_horizontal(&needs)
            } else {
                self.layout_vertical(&needs)
            };
            if layout.is_some() {
                return (layout, with_labels);
            }
        }
        (None, false)
    }

    /// Room value labels need past the low and high ends of the value axis.
    fn label_room(&self, labelled: bool, (lo, hi): (f64, f64), horizontal: bool) -> (f32, f32) {
        let Sizing { canvas, data, style, .. } = *self;
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

    /// Layout for columns and lines: values up the left, categories underneath.
    /// The number of ticks depends on the plot height, which depends on the
    /// category labels, which depend on the tick labels' width: so try, measure
    /// and retry with fewer ticks until neighbouring tick labels cannot touch.
    fn layout_vertical(&self, needs: &Needs) -> Option<Layout> {
        let Sizing { canvas, style, rect, .. } = *self;
        let hb = canvas.line_box(small_font(style));
        let spacing = hb * 2.2;
        let guess = rect.h - 2.5 * canvas.line_box(label_font(style));
        let mut intervals = ((guess / spacing).floor() as usize).clamp(1, 6);
        for _ in 0..4 {
            let layout = self.vertical_with(needs, intervals)?;
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

    /// The vertical layout for a given number of tick intervals.
    fn vertical_with(&self, needs: &Needs, intervals: usize) -> Option<Layout> {
        let Sizing { canvas, data, style, rect } = *self;
        let small = small_font(style);
        let hb = canvas.line_box(small);
        let font = label_font(style);
        let (ticks, format, labels) = axis_ticks(data, style, needs.lo, needs.hi, intervals);
        let column = canvas.widest(small, &labels) + 4.0;
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
    fn layout_horizontal(&self, needs: &Needs) -> Option<Layout> {
        let Sizing { canvas, data, style, rect } = *self;
        let small = small_font(style);
        let band = canvas.line_box(small) + categories::GAP;
        let height = rect.h - band;
        if height < 20.0 {
            return None;
        }
        let slot = height / data.n as f32;
        let cats = categories::beside(
            canvas,
            label_font(style),
            &data.fig.categories,
            slot,
            rect.w * 0.38,
        );
        let guess = rect.w - cats.extent - needs.label_room.0 - needs.label_room.1;
        let widest = |labels: &[String]| canvas.widest(small, labels);
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
}

/// Value labels only for a few bars, where they can be read without a ruler.
fn labels_wanted(data: &Data, kind: ChartKind) -> bool {
    matches!(kind, ChartKind::Bar | ChartKind::Hbar) && data.n * data.k() <= MAX_LABELLED_BARS
}

/// Width of the direct-label column: the longest name, within a share of the chart.
fn direct_width(canvas: &Canvas, fig: &Figure, style: &ChartStyle, rect: Rect) -> f32 {
    let font = label_font(style);
    let widest = canvas.widest(font, fig.series.iter().map(|s| &s.name));
    widest.min(rect.w * DIRECT_SHARE) + 6.0
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
