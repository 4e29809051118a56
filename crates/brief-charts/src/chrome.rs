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
/// Room for direct series labels, as a share of the chart width.
pub(crate) const DIRECT_SHARE: f32 = 0.22;
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
    let widest = canvas.widest(font, fig.series.iter().map(|s| &s.name));
    k <= 6 && widest <= outer.w * DIRECT_SHARE && canvas.pitch(font) * k as f32 <= outer.h * 0.4
}

/// Which optional parts around the plot are drawn.
#[derive(Debug, Clone, Copy)]
struct Parts {
    unit: bool,
    legend: bool,
    note: bool,
    source: bool,
}

/// From everything to the title alone: parts are given up in this order
/// when the plot would otherwise be too small to read.
const LEVELS: [Parts; 5] = [
    Parts { unit: true, legend: true, note: true, source: true },
    Parts { unit: true, legend: true, note: false, source: true },
    Parts { unit: true, legend: false, note: false, source: true },
    Parts { unit: true, legend: false, note: false, source: false },
    Parts { unit: false, legend: false, note: false, source: false },
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
/// where dropping note, legend, source and unit (in that order) allows.
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
    if let Some(u) = fig.unit.as_deref().filter(|_| !parts.unit) {
        canvas.leave_out(Part::Title, u);
    }
    if let Some(legend) = legend.filter(|_| !parts.legend) {
        leave_out_legend(canvas, legend);
    }
    let note = note.filter(|_| parts.note);
    let source = fig.source.as_deref().filter(|_| parts.source);
    let before = canvas.set_part(Part::Foot);
    let footer_height = draw_footer(canvas, style, outer, note, source);
    let mut area = outer.trim_vertical(0.0, footer_height);
    canvas.set_part(Part::Title);
    area = draw_title(canvas, &fig.title, style, area);
    if let Some(unit) = fig.unit.as_deref().map(str::trim).filter(|u| parts.unit && !u.is_empty()) {
        area = draw_unit(canvas, unit, style, area);
    }
    canvas.set_part(before);
    if let Some(legend) = legend.filter(|_| parts.legend) {
        area = draw_legend(canvas, legend, style, area);
    }
    area
}

fn draw_title(canvas: &Canvas, title: &str, style: &ChartStyle, area: Rect) -> Rect {
    let font = Font { face: FontStyle::Bold, size: style.title_size, color: style.text };
    let mut lines = canvas.wrap_limited(font, title, area.w, 2);
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

fn draw_unit(canvas: &Canvas, unit: &str, style: &ChartStyle, area: Rect) -> Rect {
    let font = label_font(style);
    let height = canvas.line_box(font);
    if height > area.h {
        canvas.leave_out(Part::Title, unit);
        return area;
    }
    let text = canvas.ellipsize(font, unit, area.w);
    if text != unit {
        canvas.leave_out(Part::Title, unit);
    }
    canvas.text_at(font, &text, area.x, area.y);
    area.trim_vertical(height + GAP, 0.0)
}

/// Width of a legend swatch of this kind.
fn swatch_width(swatch: Swatch) -> f32 {
    match swatch {
        Swatch::Bar => 9.0,
        Swatch::Line | Swatch::Area => 20.0,
    }
}

/// Legend entries flow left to right and wrap onto new rows.
fn draw_legend(canvas: &Canvas, legend: &Legend, style: &ChartStyle, area: Rect) -> Rect {
    let font = label_font(style);
    let pitch = canvas.pitch(font);
    let sw = swatch_width(legend.swatch);
    let max_text = area.w - sw - SWATCH_GAP;
    if max_text < font.size * 3.0 {
        leave_out_legend(canvas, legend);
        return area;
    }
    let (mut x, mut row) = (area.x, 0usize);
    let mut placed = Vec::new();
    for (name, look) in &legend.entries {
        let text = canvas.ellipsize(font, name, max_text);
        let width = sw + SWATCH_GAP + canvas.width(font, &text);
        if x > area.x && x + width > area.right() {
            x = area.x;
            row += 1;
        }
        placed.push((x, row, text, look));
        x += width + ENTRY_GAP;
    }
    let height = canvas.block_height(font, row + 1);
    if height + GAP > area.h {
        leave_out_legend(canvas, legend);
        return area;
    }
    for ((name, _), (_, _, text, _)) in legend.entries.iter().zip(&placed) {
        if text != name {
            canvas.leave_out(Part::Body, name);
        }
    }
    for (x, row, text, look) in placed {
        let top = area.y + pitch * row as f32;
        let middle = top + canvas.line_box(font) / 2.0;
        draw_swatch(canvas, legend.swatch, look, x, middle);
        canvas.text_at(font, &text, x + sw + SWATCH_GAP, top);
    }
    area.trim_vertical(height + GAP, 0.0)
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

/// Whether `lines` hold every word of `text` (wrapping only moves spaces).
fn shows_whole(lines: &[String], text: &str) -> bool {
    lines.iter().flat_map(|l| l.split_whitespace()).eq(text.split_whitespace())
}

/// Notes every legend entry as left out: the names of the series.
fn leave_out_legend(canvas: &Canvas, legend: &Legend) {
    for (name, _) in &legend.entries {
        canvas.leave_out(Part::Body, name);
    }
}

/// `text` with `prefix` unless it already starts with it.
fn prefixed(prefix: &str, text: &str) -> String {
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
