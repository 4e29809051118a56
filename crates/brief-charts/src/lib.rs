//! Charts: figures drawn, through a plotters backend, into page items.
//!
//! [`draw`] lays a chart out inside a box: title and unit on top, the plot,
//! a legend under it for two series or more (wrapped, set smaller in a
//! crowded box, never left out), then note and source lines. Cartesian kinds (bar, hbar, line, area, stacked) use plotters'
//! `ChartBuilder` for the coordinate mapping and its mesh for grid lines and
//! value-axis labels, all recorded by [`backend::ItemBackend`]; labels that
//! need judgement (category labels, value labels) and
//! the pie are drawn directly. Text is always real text in the document font.
//!
//! Output is deterministic: the same figure, style and fonts give the same
//! items, in the same order.
//!
//! The modules form layers; each uses only modules on rows below its own,
//! so there are no import cycles (`export` and `tests` use this one):
//!
//! ```text
//! mod        draw, format_number
//! cartesian  layout and entry point of bar, hbar, line, area and stacked
//! series     bars, stacks, lines, areas, value labels, n/a
//! axes       Axis, Layout, Plot, ticks, number format, mesh, category labels
//! pie        pie, slice labels
//! chrome     title, unit line, legend, note and source, plot messages
//! categories data marks reduce  category labels, the values, series looks, LTTB
//! backend    numbers            plotters backend, number format and ticks
//! canvas     style              text measuring and items, ChartStyle
//! ```

mod alt;
mod axes;
mod backend;
mod canvas;
mod cartesian;
mod categories;
mod chrome;
mod data;
pub mod export;
mod marks;
mod numbers;
pub mod picture;
mod pie;
mod reduce;
mod series;
mod style;
#[cfg(test)]
mod tests;

pub use alt::alt_text;
use brief_core::figure::{ChartKind, Figure};
use brief_core::frame::Item;
use brief_core::text::FontBook;
use canvas::{Canvas, Rect};
pub use style::ChartStyle;
use style::sanitize;

/// A chart's items in the three parts a reader meets in turn, so the page
/// can tag them: the title and unit (a caption), the drawing itself, and the
/// note and source lines (a caption).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    /// Title and unit lines.
    pub title: Vec<Item>,
    /// Legend, plot, axes, labels.
    pub body: Vec<Item>,
    /// Note and source lines.
    pub foot: Vec<Item>,
    /// The figure's texts the box had no room for, whole (title, unit,
    /// legend names, note, source): whoever places the chart prints them
    /// beside it, so no character of the figure is lost.
    pub left_out: Vec<String>,
}

/// Draws `fig` into the box with top-left (x, y), width w, height h (points).
/// Everything stays inside the box; a box too small for a part leaves it out.
pub fn draw(
    fig: &Figure,
    style: &ChartStyle,
    fonts: &FontBook,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) -> Vec<Item> {
    let Drawn { mut title, body, foot, .. } = draw_parts(fig, style, fonts, x, y, w, h);
    title.extend(body);
    title.extend(foot);
    title
}

/// [`draw`], the items kept apart by part.
pub fn draw_parts(
    fig: &Figure,
    style: &ChartStyle,
    fonts: &FontBook,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) -> Drawn {
    Chart::new(fig, style, fonts).draw(x, y, w, h)
}

/// The height a box `w` points wide needs for `fig`, given the height `h`
/// the page would give it: more when title, unit, legend (never left out),
/// note and source would leave the plot less than it needs to be read, or
/// when the plot needs more to name every bar beside it (horizontal bars)
/// or every slice in its list (a pie). At most four times `h`; the page
/// keeps it within its own height.
pub fn box_height(fig: &Figure, style: &ChartStyle, fonts: &FontBook, w: f32, h: f32) -> f32 {
    Chart::new(fig, style, fonts).box_height(w, h)
}

/// A figure sized and drawn on one canvas: the texts [`Chart::box_height`]
/// wraps and measures (title, note, legend, labels) are kept for
/// [`Chart::draw`], never measured twice.
pub struct Chart<'a> {
    fig: &'a Figure,
    style: ChartStyle,
    canvas: Canvas<'a>,
}

impl<'a> Chart<'a> {
    /// A chart of `fig` in `style`, its text in `fonts`.
    pub fn new(fig: &'a Figure, style: &ChartStyle, fonts: &'a FontBook) -> Chart<'a> {
        let style = sanitize(style);
        let canvas = Canvas::new(fonts, style.rtl);
        Chart { fig, style, canvas }
    }

    /// See [`box_height`].
    pub fn box_height(&self, w: f32, h: f32) -> f32 {
        let (fig, style, canvas) = (self.fig, &self.style, &self.canvas);
        if !(w.is_finite() && h.is_finite()) || w <= 0.0 || h <= 0.0 {
            return h;
        }
        let legend = chrome::legend(fig, style)
            .filter(|_| fig.kind != ChartKind::Pie)
            .map_or(0.0, |l| chrome::legend_height(canvas, &l, style, w));
        let note = chrome::full_note(fig, &auto_note(fig, style));
        let around = chrome::around_height(canvas, fig, style, note.as_deref(), w) + legend;
        let label = canvas.line_box(chrome::label_font(style));
        let plot = match fig.kind {
            ChartKind::Pie => pie::list_height(canvas, fig, style, w),
            ChartKind::Hbar => {
                let font = chrome::label_font(style);
                let per = |c: &String| {
                    let lines = canvas.wrap_words(font, c, w * 0.38).len().clamp(1, 5);
                    canvas.block_height(font, lines) + 3.0
                };
                fig.categories.iter().map(per).sum::<f32>() + 2.0 * label
            }
            // The plot a reader needs, with two lines of category labels under it.
            _ => min_plot(h) + 2.0 * label,
        };
        h.max(around + plot).min(h * 4.0)
    }

    /// Draws the chart in the box at `(x, y)`, `w` by `h` points.
    pub fn draw(self, x: f32, y: f32, w: f32, h: f32) -> Drawn {
        let valid = |v: f32| v.is_finite();
        if !(valid(x) && valid(y) && valid(w) && valid(h)) || w <= 0.0 || h <= 0.0 {
            return Drawn::default();
        }
        let Chart { fig, style, canvas } = self;
        let style = &style;
        let outer = Rect { x, y, w, h };
        let legend = match fig.kind {
            ChartKind::Pie => None,
            _ => chrome::legend(fig, style),
        };
        let note = chrome::full_note(fig, &auto_note(fig, style));
        // A plot squeezed below this is unreadable: better lose the note first.
        let min_plot = min_plot(h);
        let around = chrome::Around { fig, style, legend: legend.as_ref(), note: note.as_deref() };
        let plot = chrome::draw(&canvas, &around, outer, min_plot);
        match fig.kind {
            ChartKind::Pie => pie::draw(&canvas, fig, style, plot),
            _ => cartesian::draw(&canvas, fig, style, plot),
        }
        let ([title, body, foot], left_out) = canvas.into_parts();
        Drawn { title, body, foot, left_out }
    }
}

/// The least height of a plot in a box of height `h`: below it a chart
/// drops its note first, then its source and unit.
fn min_plot(h: f32) -> f32 {
    (h * 0.45).min(80.0)
}

/// Formats a number the way the charts do, for templates:
/// - |v| ≥ 1e9 in billions, |v| ≥ 1e6 in millions: "2.5 bn", "1.2 m", "350 m"
///   (one decimal below 100, none above; a no-break space before the suffix);
/// - 1,000 ≤ |v| < 1e6 rounded to a whole number with thousands separators: "1,200";
/// - smaller values to three significant digits, trailing zeros dropped: "0.001", "12.3";
/// - from 1e15 up, or below 1e-6 (zero aside), scientific: "2.5e15", "1.5e-9";
/// - negatives with a hyphen-minus: "-1,200"; never "-0".
///
/// Separators come from `style` (`decimal`, `group`). Non-finite values give "n/a".
pub fn format_number(v: f64, style: &ChartStyle) -> String {
    numbers::format_number(v, style)
}

/// A sentence explaining how missing (or, for pies, unplottable) values are
/// shown, if the figure has any, in the brief's language.
fn auto_note(fig: &Figure, style: &ChartStyle) -> Option<String> {
    if fig.kind == ChartKind::Pie {
        return pie::omitted_note(fig, &style.words);
    }
    let any_missing = fig
        .series
        .iter()
        .any(|s| (0..fig.categories.len()).any(|i| s.values.get(i).copied().flatten().is_none()));
    if !any_missing {
        return None;
    }
    let words = &style.words;
    let note = match fig.kind {
        ChartKind::Line | ChartKind::Area => &words.gaps,
        ChartKind::Stacked => &words.stacks,
        _ => &words.bars,
    };
    Some(note.clone())
}
