//! Everything around the plot: title, unit line, legend (and whether one is
//! needed), note and source; and short messages such as "No data" on it.

use super::canvas::{Canvas, Font, Part, Rect};
use super::marks::{self, Look};
use super::style::ChartStyle;
use brief_core::figure::{ChartKind, Figure};
use brief_core::frame::{FontStyle, Path, Rgb};

/// What a legend swatch shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Swatch {
    /// A small filled, hatched box.
    Bar,
    /// A dashed line with the series marker.
    Line,
    /// A translucent box with the dashed series line along its top.
    Area,
}

/// A legend: one swatch and name per series.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    pub swatch: Swatch,
    pub entries: Vec<(String, Look)>,
}

/// Space between stacked parts of the chart box, points.
const GAP: f32 = 6.0;
/// Space between legend entries on a row.
const ENTRY_GAP: f32 = 12.0;
/// Space between a swatch and its name.
const SWATCH_GAP: f32 = 4.0;

/// The font of labels, legend and unit line.
pub(crate) fn label_font(style: &ChartStyle) -> Font {
    Font { face: FontStyle::Regular, size: style.font_size, color: style.text }
}

/// The font of note and source lines, and of axis numbers.
pub(crate) fn small_font(style: &ChartStyle) -> Font {
    Font { face: FontStyle::Regular, size: (style.font_size - 1.0).max(6.0), color: style.muted }
}

/// The figure's note, followed by any automatic explanation.
pub(crate) fn full_note(fig: &Figure, auto: &Option<String>) -> Option<String> {
    let parts: Vec<&str> =
        fig.note.iter().chain(auto.iter()).map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    if parts.is_empty() { None } else { Some(parts.join(" ")) }
}

/// The legend the chart needs: one for every chart of two series or more,
/// since a colour that carries meaning needs its swatch beside its name;
/// one of a single entry for a lone series whose name the title and unit
/// do not already say, so no word of the figure is lost.
pub(crate) fn legend(fig: &Figure, style: &ChartStyle) -> Option<Legend> {
    if fig.series.len() < 2 && lone_series_name(fig).is_none() {
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

/// The name of a figure's only series, unless it is empty or the title or
/// unit already says it.
pub(crate) fn lone_series_name(fig: &Figure) -> Option<&str> {
    let [series] = fig.series.as_slice() else { return None };
    let name = series.name.trim();
    let said = |text: &str| text.to_lowercase().contains(&name.to_lowercase());
    (!name.is_empty() && !said(&fig.title) && !fig.unit.as_deref().is_some_and(said))
        .then_some(name)
}

/// The line under the title: the unit, and for a pie the name of the
/// series it shows (it has no legend), joined by " · ".
pub(crate) fn unit_line(fig: &Figure) -> Option<String> {
    let unit = fig.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let name = lone_series_name(fig).filter(|_| fig.kind == ChartKind::Pie);
    match (unit, name) {
        (Some(u), Some(n)) => Some(format!("{u} · {n}")),
        (u, n) => u.or(n).map(str::to_string),
    }
}

/// The height title, unit, note and source take in a box `w` points wide,
/// gaps included (the legend aside).
pub(crate) fn around_height(
    canvas: &Canvas,
    fig: &Figure,
    style: &ChartStyle,
    note: Option<&str>,
    w: f32,
) -> f32 {
    let title = Font { face: FontStyle::Bold, size: style.title_size, color: style.text };
    // Balanced lines are as many as greedy ones, by construction.
    let mut height = canvas.block_height(title, canvas.wrap(title, &fig.title, w).len()) + 2.0;
    if let Some(unit) = unit_line(fig) {
        let font = label_font(style);
        height += canvas.block_height(font, canvas.wrap(font, &unit, w).len()) + GAP;
    }
    let small = small_font(style);
    let labelled = |label: &str, text: &str| prefixed(&format!("{label}:"), text);
    let foot: usize = [
        note.map(|n| labelled(&style.note_label, n)),
        fig.source.as_deref().map(|s| labelled(&style.source_label, s)),
    ]
    .iter()
    .flatten()
    .map(|t| canvas.wrap(small, t, w).len())
    .sum();
    if foot > 0 {
        height += canvas.block_height(small, foot) + GAP;
    }
    height
}

/// Which optional parts around the plot are drawn. The legend is not
/// optional: it is set smaller, never left out.
#[derive(Debug, Clone, Copy)]
struct Parts {
    unit: bool,
    note: bool,
    source: bool,
    /// The legend in the smaller type of notes.
    compact: bool,
}

/// From everything to the title and legend alone: parts are given up in
/// this order when the plot would otherwise be too small to read.
const LEVELS: [Parts; 5] = [
    Parts { unit: true, note: true, source: true, compact: false },
    Parts { unit: true, note: true, source: true, compact: true },
    Parts { unit: true, note: false, source: true, compact: true },
    Parts { unit: true, note: false, source: false, compact: true },
    Parts { unit: false, note: false, source: false, compact: true },
];

/// What goes around the plot of one figure.
pub(crate) struct Around<'a> {
    pub fig: &'a Figure,
    pub style: &'a ChartStyle,
    pub legend: Option<&'a Legend>,
    pub note: Option<&'a str>,
}

/// Draws title, unit, legend and footer inside `outer`; returns the space
/// left for the plot, keeping at least `min_plot` points of height for it
/// where a smaller legend and dropping note, source and unit (in that
/// order) allow.
pub(crate) fn draw(canvas: &Canvas, around: &Around, outer: Rect, min_plot: f32) -> Rect {
    for (i, parts) in LEVELS.iter().enumerate() {
        // Drawn on a scratch canvas first: only the chosen level is kept.
        let trial = canvas.scratch();
        let plot = draw_parts(&trial, around, outer, *parts);
        let keep = plot.h >= min_plot || i + 1 == LEVELS.len();
        canvas.reclaim(trial, keep);
        if keep {
            return plot;
        }
    }
    outer
}

fn draw_parts(canvas: &Canvas, around: &Around, outer: Rect, parts: Parts) -> Rect {
    let Around { fig, style, legend, note } = *around;
    let labelled = |label: &str, text: &str| prefixed(&format!("{label}:"), text);
    if let Some(n) = note.filter(|_| !parts.note) {
        canvas.leave_out(Part::Foot, &labelled(&style.note_label, n));
    }
    if let Some(s) = fig.source.as_deref().filter(|_| !parts.source) {
        canvas.leave_out(Part::Foot, &labelled(&style.source_label, s));
    }
    let unit = unit_line(fig);
    if let Some(u) = unit.as_deref().filter(|_| !parts.unit) {
        canvas.leave_out(Part::Title, u);
    }
    let note = note.filter(|_| parts.note);
    let source = fig.source.as_deref().filter(|_| parts.source);
    let before = canvas.set_part(Part::Foot);
    let footer_height = draw_footer(canvas, style, outer, note, source);
    let mut area = outer.trim_vertical(0.0, footer_height);
    canvas.set_part(Part::Title);
    area = draw_title(canvas, &fig.title, style, area);
    if let Some(unit) = unit.as_deref().filter(|_| parts.unit) {
        area = draw_unit(canvas, unit, style, area);
    }
    canvas.set_part(before);
    if let Some(legend) = legend {
        let font = legend_font(style, parts.compact);
        let rows = legend_rows(canvas, legend, font, area.w);
        let height = canvas.block_height(font, rows.lines) + GAP;
        if height > area.h || rows.too_wide {
            // Only a box far smaller than any the page gives (see
            // `box_height`) has no room for it: the names go under the chart.
            for (name, _) in &legend.entries {
                canvas.leave_out(Part::Body, name);
            }
            return area;
        }
        // Under the plot, where the eye goes after reading the marks; the
        // plot gives up height for it (the page sizes the box to leave some).
        draw_legend(canvas, legend, &rows, font, area.x, area.bottom() - height + GAP);
        area = area.trim_vertical(0.0, height);
    }
    area
}

/// The type of legend names: the label font, or in a crowded box the
/// smaller type of notes.
fn legend_font(style: &ChartStyle, compact: bool) -> Font {
    let font = label_font(style);
    if compact { font.sized((style.font_size - 1.5).max(6.0)) } else { font }
}

/// Height a legend needs in a box `w` points wide, in its compact type, gap
/// above included; 0 without one. The page makes a chart box taller by what
/// this takes beyond a share of it, so no legend crowds out its plot.
pub(crate) fn legend_height(canvas: &Canvas, legend: &Legend, style: &ChartStyle, w: f32) -> f32 {
    let font = legend_font(style, true);
    let rows = legend_rows(canvas, legend, font, w);
    canvas.block_height(font, rows.lines) + GAP
}

fn draw_title(canvas: &Canvas, title: &str, style: &ChartStyle, area: Rect) -> Rect {
    let font = Font { face: FontStyle::Bold, size: style.title_size, color: style.text };
    let mut lines = canvas.wrap_balanced(font, title, area.w);
    if lines.len() > 4 || canvas.block_height(font, lines.len()) > area.h {
        lines = canvas.wrap_limited(font, title, area.w, 2);
    }
    while !lines.is_empty() && canvas.block_height(font, lines.len()) > area.h {
        lines.pop();
    }
    if !shows_whole(&lines, title) {
        canvas.leave_out(Part::Title, title);
    }
    if lines.is_empty() {
        return area;
    }
    let used = canvas.lines_at(font, &lines, area.x, area.y, 0.0);
    area.trim_vertical(used + 2.0, 0.0)
}

/// The unit line, wrapped onto at most two lines; left out whole (printed
/// under the chart) when that is not enough, never shortened.
fn draw_unit(canvas: &Canvas, unit: &str, style: &ChartStyle, area: Rect) -> Rect {
    let font = label_font(style);
    let lines = canvas.wrap_balanced(font, unit, area.w);
    let height = canvas.block_height(font, lines.len());
    if lines.len() > 2 || height > area.h || !shows_whole(&lines, unit) {
        canvas.leave_out(Part::Title, unit);
        return area;
    }
    canvas.lines_at(font, &lines, area.x, area.y, 0.0);
    area.trim_vertical(height + GAP, 0.0)
}

/// Width of a legend swatch of this kind.
fn swatch_width(swatch: Swatch) -> f32 {
    match swatch {
        Swatch::Bar => 9.0,
        Swatch::Line | Swatch::Area => 20.0,
    }
}

/// Where each legend entry goes: its swatch's left edge, its first row,
/// and its name's lines.
struct Rows {
    placed: Vec<(f32, usize, Vec<String>)>,
    /// Lines in all.
    lines: usize,
    /// The box is too narrow for a swatch and a few letters.
    too_wide: bool,
}

/// Legend entries flow left to right and wrap onto new rows; a name too
/// long for one row takes rows of its own, wrapped between words (inside a
/// word only when the word alone is wider than the box), never shortened.
fn legend_rows(canvas: &Canvas, legend: &Legend, font: Font, w: f32) -> Rows {
    let sw = swatch_width(legend.swatch);
    let max_text = w - sw - SWATCH_GAP;
    let too_wide = max_text < font.size * 3.0;
    let max_text = max_text.max(font.size * 3.0);
    let (mut x, mut row) = (0.0f32, 0usize);
    let mut placed = Vec::with_capacity(legend.entries.len());
    for (name, _) in &legend.entries {
        let lines = canvas.wrap(font, name.trim(), max_text);
        let lines = if lines.is_empty() { vec![String::new()] } else { lines };
        let width = sw + SWATCH_GAP + canvas.widest(font, &lines);
        if x > 0.0 && (lines.len() > 1 || x + width > w) {
            x = 0.0;
            row += 1;
        }
        placed.push((x, row, lines.clone()));
        if lines.len() > 1 {
            // The next entry starts on a row of its own.
            row += lines.len() - 1;
            x = w;
        } else {
            x += width + ENTRY_GAP;
        }
    }
    let lines = if placed.is_empty() { 0 } else { row + 1 };
    Rows { placed, lines, too_wide }
}

/// Draws the legend's rows from `top`, swatches left of `x0`'s entries.
fn draw_legend(canvas: &Canvas, legend: &Legend, rows: &Rows, font: Font, x0: f32, top: f32) {
    let pitch = canvas.pitch(font);
    let sw = swatch_width(legend.swatch);
    for ((_, look), (x, row, lines)) in legend.entries.iter().zip(&rows.placed) {
        let y = top + pitch * *row as f32;
        let middle = y + canvas.line_box(font) / 2.0;
        draw_swatch(canvas, legend.swatch, look, x0 + x, middle);
        canvas.lines_at(font, lines, x0 + x + sw + SWATCH_GAP, y, 0.0);
    }
}

/// Draws a swatch whose left edge is `x`, vertically centred on `middle`.
pub(crate) fn draw_swatch(canvas: &Canvas, swatch: Swatch, look: &Look, x: f32, middle: f32) {
    let w = swatch_width(swatch);
    match swatch {
        Swatch::Bar => {
            let r = Rect { x, y: middle - 3.5, w, h: 7.0 };
            canvas.path(Path::rect(r.x, r.y, r.w, r.h).filled(look.color));
            if let Some(h) = marks::hatch(r, look.hatch, look.color) {
                canvas.path(h);
            }
        }
        Swatch::Line => {
            let inset = marks::LINE_WIDTH / 2.0;
            canvas.path(marks::line(&[(x + inset, middle), (x + w - inset, middle)], look));
            canvas.path(marks::marker(look.marker, x + w / 2.0, middle, 2.4, look.color));
        }
        Swatch::Area => {
            let mut fill = Path::rect(x, middle - 3.5, w, 7.0).filled(look.color);
            fill.fill_alpha = marks::AREA_ALPHA;
            canvas.path(fill);
            let y = middle - 3.5 + marks::LINE_WIDTH / 2.0;
            let inset = marks::LINE_WIDTH / 2.0;
            canvas.path(marks::line(&[(x + inset, y), (x + w - inset, y)], look));
        }
    }
}

/// Whether `lines` hold every character of `text` (wrapping only moves
/// spaces, and breaks lines between Han characters without one).
pub(crate) fn shows_whole(lines: &[String], text: &str) -> bool {
    let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>();
    lines.iter().flat_map(|l| visible(l)).eq(visible(text))
}

/// `text` with `prefix` unless it already starts with it.
pub(crate) fn prefixed(prefix: &str, text: &str) -> String {
    let text = text.trim();
    let head: String = text.chars().take(prefix.chars().count()).collect();
    if head.to_lowercase() == prefix.to_lowercase() {
        text.to_string()
    } else {
        format!("{prefix} {text}")
    }
}

/// Draws note then source at the foot of `outer`, within a third of its
/// height; returns the height used, gap above included.
fn draw_footer(
    canvas: &Canvas,
    style: &ChartStyle,
    outer: Rect,
    note: Option<&str>,
    source: Option<&str>,
) -> f32 {
    let font = small_font(style);
    let budget = outer.h * 0.35;
    let fits = |n: usize| canvas.block_height(font, n) + GAP <= budget;
    let max_lines = (1..=20).take_while(|&n| fits(n)).last().unwrap_or(0);
    let source = source.filter(|s| !s.trim().is_empty());
    // The source is the part a reader must not lose: it gets lines first.
    let source_lines = source.map_or(Vec::new(), |s| {
        canvas.wrap_limited(
            font,
            &prefixed(&format!("{}:", style.source_label), s),
            outer.w,
            max_lines,
        )
    });
    let note_budget = max_lines.saturating_sub(source_lines.len());
    let note_lines = match note {
        Some(n) if note_budget > 0 => canvas.wrap_limited(
            font,
            &prefixed(&format!("{}:", style.note_label), n),
            outer.w,
            note_budget,
        ),
        _ => Vec::new(),
    };
    // A note or source the foot cannot hold whole is not cut short here:
    // it is left out, and printed whole under the chart.
    let whole = |lines: Vec<String>, text: Option<&str>, label: &str| match text {
        Some(t) => {
            let t = prefixed(&format!("{label}:"), t);
            if shows_whole(&lines, &t) {
                lines
            } else {
                canvas.leave_out(Part::Foot, &t);
                Vec::new()
            }
        }
        None => lines,
    };
    let note_lines = whole(note_lines, note, &style.note_label);
    let source_lines = whole(source_lines, source, &style.source_label);
    let lines: Vec<String> = note_lines.into_iter().chain(source_lines).take(max_lines).collect();
    if lines.is_empty() {
        return 0.0;
    }
    let height = canvas.block_height(font, lines.len());
    canvas.lines_at(font, &lines, outer.x, outer.bottom() - height, 0.0);
    height + GAP
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
