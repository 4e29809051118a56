//! The coordinate system of cartesian charts: the `Axis` ranged type that
//! plotters maps with, the plot's layout and orientation-free mapping, tick
//! values and their number format, the grid mesh and the category labels.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::prelude::*;

use super::backend::{ItemBackend, SCALE, color, px, stroke_px, to_page};
use super::canvas::{Canvas, Rect};
use super::categories::{self, CatLabels};
use super::chrome::small_font;
use super::data::Data;
use super::marks;
use super::numbers::{NumberFormat, Ticks, nice_ticks, unit_has_magnitude};
use super::style::ChartStyle;
use brief_core::frame::Rgb;

/// A plotters chart recorded into page items, both axes ours.
pub(crate) type Chart<'b, 'c, 'a> = ChartContext<'b, ItemBackend<'c, 'a>, Cartesian2d<Axis, Axis>>;

/// A linear plotters axis with our tick values and, on the value axis, our
/// number format (plotters' own would print `2.5e9`).
#[derive(Clone)]
pub(crate) struct Axis {
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

/// Where everything goes, in page points.
pub(crate) struct Layout {
    pub(crate) horizontal: bool,
    /// The data area; the value range maps onto all of it.
    pub(crate) plot: Rect,
    /// Width of the value-label column (vertical) or height of the value-label band (horizontal).
    pub(crate) value_band: f32,
    pub(crate) ticks: Ticks,
    pub(crate) format: NumberFormat,
    /// The value range mapped onto the plot: the ticks plus label headroom.
    pub(crate) range: (f64, f64),
    pub(crate) cats: CatLabels,
    /// Width reserved right of the plot for direct labels.
    pub(crate) direct: f32,
}

/// The number format of value labels: the scale the axis would use.
pub(crate) fn value_format(data: &Data, style: &ChartStyle, (lo, hi): (f64, f64)) -> NumberFormat {
    let ticks = nice_ticks(lo, hi, 5);
    let axis =
        NumberFormat::for_ticks(&ticks, !unit_has_magnitude(data.fig.unit.as_deref()), style);
    let values: Vec<f64> = data.values().collect();
    NumberFormat::for_values(&values, &axis)
}

/// Ticks and their format for an axis of `length` points.
pub(crate) fn axis_ticks(
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
pub(crate) fn padded_range(ticks: &Ticks, length: f32, low: f32, high: f32) -> (f64, f64) {
    let inner = (length - low - high).max(1.0) as f64;
    let per_point = (ticks.hi - ticks.lo) / inner;
    (ticks.lo - low as f64 * per_point, ticks.hi + high as f64 * per_point)
}

/// Builds the plotters chart whose plotting area is exactly `layout.plot`,
/// with the value-label area beside or under it.
pub(crate) fn build_chart<'b, 'c, 'a>(
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
pub(crate) struct Plot<'b, 'c, 'a, 'l> {
    pub(crate) chart: Chart<'b, 'c, 'a>,
    pub(crate) origin: (f32, f32),
    pub(crate) horizontal: bool,
    pub(crate) n: usize,
    pub(crate) layout: &'l Layout,
}

impl Plot<'_, '_, '_, '_> {
    /// Plotters coordinates of category position `c` (0..n) and value `v`.
    pub(crate) fn coord(&self, c: f64, v: f64) -> (f64, f64) {
        if self.horizontal { (v, self.n as f64 - c) } else { (c, v) }
    }

    /// Page point of category position `c` and value `v`.
    pub(crate) fn at(&self, c: f64, v: f64) -> (f32, f32) {
        to_page(self.origin, self.chart.backend_coord(&self.coord(c, v)))
    }

    /// The page rectangle spanning categories c0..c1 and values v0..v1.
    pub(crate) fn band(&self, c0: f64, c1: f64, v0: f64, v1: f64) -> Rect {
        let (ax, ay) = self.at(c0, v0);
        let (bx, by) = self.at(c1, v1);
        Rect { x: ax.min(bx), y: ay.min(by), w: (ax - bx).abs(), h: (ay - by).abs() }
    }

    /// Value clamped into the mapped range, so marks never leave the plot.
    pub(crate) fn clamp(&self, v: f64) -> f64 {
        // max/min rather than `clamp`, which panics on a NaN bound.
        v.max(self.layout.range.0).min(self.layout.range.1)
    }

    /// Length of one category slot, points.
    pub(crate) fn slot(&self) -> f32 {
        let p = self.layout.plot;
        (if self.horizontal { p.h } else { p.w }) / self.n as f32
    }

    /// Draws a plotters element in data coordinates.
    pub(crate) fn rectangle(&self, c0: f64, c1: f64, v0: f64, v1: f64, fill: Rgb) {
        let style = color(fill).filled();
        let element = Rectangle::new([self.coord(c0, v0), self.coord(c1, v1)], style);
        // The backend cannot fail; a plotters layout error only loses this mark.
        let _ = self.chart.plotting_area().draw(&element);
    }
}

/// Grid lines and value labels, through plotters' mesh.
pub(crate) fn draw_mesh(plot: &mut Plot, style: &ChartStyle) {
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

/// Category labels under the plot, or beside it for horizontal bars.
pub(crate) fn draw_category_labels(canvas: &Canvas, plot: &Plot, rect: Rect) {
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
