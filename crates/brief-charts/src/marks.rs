//! How series look: colour plus a second, colour-free cue (hatch, marker, dash)
//! so every series survives greyscale printing.

use super::backend::{circle_segs, polyline};
use super::canvas::Rect;
use super::style::ChartStyle;
use brief_core::frame::{Path, Rgb, Seg, Stroke};

/// Fill pattern drawn over a bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hatch {
    Solid,
    /// Lines rising to the right.
    Forward,
    Horizontal,
    Cross,
    /// Lines falling to the right.
    Back,
    Vertical,
}

/// Point marker on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
}

/// The look of one series.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Look {
    pub color: Rgb,
    pub hatch: Hatch,
    pub marker: Marker,
    pub dash: Vec<f32>,
}

const HATCHES: [Hatch; 6] =
    [Hatch::Solid, Hatch::Forward, Hatch::Horizontal, Hatch::Cross, Hatch::Back, Hatch::Vertical];
const MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
];
const DASHES: [&[f32]; 6] =
    [&[], &[5.0, 2.0], &[1.2, 1.6], &[6.0, 2.0, 1.5, 2.0], &[3.0, 3.0], &[9.0, 3.0]];

/// Line width of series lines, points.
pub(crate) const LINE_WIDTH: f32 = 1.6;
/// Fill opacity of areas: overlapping areas stay visible through each other.
pub(crate) const AREA_ALPHA: f32 = 0.3;

/// The look of series `i`. Colours cycle with the palette; the shape cues
/// cycle with a period of six, so two series share both only beyond
/// lcm(palette length, 6) series.
pub(crate) fn look(i: usize, style: &ChartStyle) -> Look {
    let palette = &style.palette;
    let color = if palette.is_empty() { style.text } else { palette[i % palette.len()] };
    Look { color, hatch: HATCHES[i % 6], marker: MARKERS[i % 6], dash: DASHES[i % 6].to_vec() }
}

/// Relative luminance, 0 (black) to 1 (white).
pub(crate) fn luminance(c: Rgb) -> f32 {
    let lin = |v: u8| {
        let v = v as f32 / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// `c` mixed towards white by `amount` (0–1).
pub(crate) fn lighten(c: Rgb, amount: f32) -> Rgb {
    let mix = |v: u8| (v as f32 + (255.0 - v as f32) * amount).round() as u8;
    Rgb(mix(c.0), mix(c.1), mix(c.2))
}

/// `c` mixed towards black by `amount` (0–1).
pub(crate) fn darken(c: Rgb, amount: f32) -> Rgb {
    let mix = |v: u8| (v as f32 * (1.0 - amount)).round() as u8;
    Rgb(mix(c.0), mix(c.1), mix(c.2))
}

/// A version of `c` dark enough for text on white paper.
pub(crate) fn readable(c: Rgb) -> Rgb {
    let mut out = c;
    for _ in 0..8 {
        if luminance(out) <= 0.3 {
            break;
        }
        out = darken(out, 0.15);
    }
    out
}

/// Hatch lines contrast with the fill: white over dark fills, a darker
/// shade over light ones.
fn hatch_color(fill: Rgb) -> Rgb {
    if luminance(fill) > 0.45 { darken(fill, 0.5) } else { Rgb::WHITE }
}

/// Distance between hatch lines, points.
const HATCH_GAP: f32 = 3.2;
/// Width of hatch lines, points.
const HATCH_WIDTH: f32 = 0.7;

/// The hatch lines of `pattern` clipped to `r`, as one stroked path, or
/// `None` for a solid fill. Lines are anchored to the page grid so adjacent
/// bars' patterns line up.
pub(crate) fn hatch(r: Rect, pattern: Hatch, fill: Rgb) -> Option<Path> {
    // Inset by half the line width so stroke ends stay on the bar.
    let inset = HATCH_WIDTH / 2.0;
    if r.w <= 2.0 * inset || r.h <= 2.0 * inset {
        return None;
    }
    let r = Rect { x: r.x + inset, y: r.y + inset, w: r.w - 2.0 * inset, h: r.h - 2.0 * inset };
    let mut segs = Vec::new();
    match pattern {
        Hatch::Solid => return None,
        Hatch::Forward => diagonal(r, 1.0, &mut segs),
        Hatch::Back => diagonal(r, -1.0, &mut segs),
        Hatch::Cross => {
            diagonal(r, 1.0, &mut segs);
            diagonal(r, -1.0, &mut segs);
        }
        Hatch::Horizontal => straight(r, false, &mut segs),
        Hatch::Vertical => straight(r, true, &mut segs),
    }
    if segs.is_empty() {
        return None;
    }
    let stroke = Stroke { color: hatch_color(fill), width: HATCH_WIDTH, dash: Vec::new() };
    Some(Path { segs, fill: None, fill_alpha: 1.0, stroke: Some(stroke) })
}

/// Lines x + dir·y = c, c on a fixed grid, clipped to `r`.
fn diagonal(r: Rect, dir: f32, segs: &mut Vec<Seg>) {
    let step = HATCH_GAP * std::f32::consts::SQRT_2;
    let (x0, x1, y0, y1) = (r.x, r.right(), r.y, r.bottom());
    let (cmin, cmax) = if dir > 0.0 { (x0 + y0, x1 + y1) } else { (x0 - y1, x1 - y0) };
    let mut c = (cmin / step).ceil() * step;
    while c < cmax {
        // On the line, y = (c - x) / dir; clip x so y stays within the rect.
        let (xa, xb) = if dir > 0.0 { (c - y1, c - y0) } else { (c + y0, c + y1) };
        let (lo, hi) = (xa.max(x0), xb.min(x1));
        if hi - lo > 0.05 {
            segs.push(Seg::Move(lo, (c - lo) / dir));
            segs.push(Seg::Line(hi, (c - hi) / dir));
        }
        c += step;
    }
}

/// Horizontal or vertical lines on a fixed grid, clipped to `r`.
fn straight(r: Rect, vertical: bool, segs: &mut Vec<Seg>) {
    let (lo, hi) = if vertical { (r.x, r.right()) } else { (r.y, r.bottom()) };
    let mut v = (lo / HATCH_GAP).floor() * HATCH_GAP + HATCH_GAP;
    while v < hi - 0.3 {
        if vertical {
            segs.push(Seg::Move(v, r.y));
            segs.push(Seg::Line(v, r.bottom()));
        } else {
            segs.push(Seg::Move(r.x, v));
            segs.push(Seg::Line(r.right(), v));
        }
        v += HATCH_GAP;
    }
}

/// A marker centred on (cx, cy) with "radius" `r`, filled with the series
/// colour and ringed in white so it stands out where lines cross.
pub(crate) fn marker(kind: Marker, cx: f32, cy: f32, r: f32, color: Rgb) -> Path {
    let poly = |pts: &[(f32, f32)]| polyline(pts.iter().map(|&(x, y)| (cx + x, cy + y)), true);
    let segs = match kind {
        Marker::Circle => circle_segs(cx, cy, r),
        Marker::Square => {
            let s = r * 0.9;
            poly(&[(-s, -s), (s, -s), (s, s), (-s, s)])
        }
        Marker::Triangle => poly(&[(0.0, -r * 1.15), (r * 1.05, r * 0.75), (-r * 1.05, r * 0.75)]),
        Marker::TriangleDown => {
            poly(&[(0.0, r * 1.15), (r * 1.05, -r * 0.75), (-r * 1.05, -r * 0.75)])
        }
        Marker::Diamond => {
            poly(&[(0.0, -r * 1.25), (r * 1.05, 0.0), (0.0, r * 1.25), (-r * 1.05, 0.0)])
        }
        Marker::Cross => poly(&cross(r)),
    };
    let mut path = Path { segs, fill: Some(color), fill_alpha: 1.0, stroke: None };
    path.stroke = Some(Stroke { color: Rgb::WHITE, width: 0.6, dash: Vec::new() });
    path
}

/// The corners of an "×" with arms of width 0.5·r, around the origin.
fn cross(r: f32) -> [(f32, f32); 12] {
    let (a, t) = (r * 1.1, r * 0.35);
    [
        (-a, -a + t),
        (-a + t, -a),
        (0.0, -t),
        (a - t, -a),
        (a, -a + t),
        (t, 0.0),
        (a, a - t),
        (a - t, a),
        (0.0, t),
        (-a + t, a),
        (-a, a - t),
        (-t, 0.0),
    ]
}

/// A series line through `points`, dashed per the series look.
pub(crate) fn line(points: &[(f32, f32)], look: &Look) -> Path {
    let segs = polyline(points.iter().copied(), false);
    let stroke = Stroke { color: look.color, width: LINE_WIDTH, dash: look.dash.clone() };
    Path { segs, fill: None, fill_alpha: 1.0, stroke: Some(stroke) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_differ_without_colour() {
        let style = ChartStyle::default();
        let looks: Vec<Look> = (0..6).map(|i| look(i, &style)).collect();
        for (i, a) in looks.iter().enumerate() {
            for b in &looks[i + 1..] {
                assert!(a.hatch != b.hatch && a.marker != b.marker && a.dash != b.dash);
            }
        }
    }

    #[test]
    fn hatch_stays_inside() {
        let r = Rect { x: 10.3, y: 20.7, w: 13.0, h: 40.0 };
        for pattern in HATCHES {
            let Some(path) = hatch(r, pattern, Rgb(0, 0x72, 0xB2)) else {
                continue;
            };
            for seg in path.segs {
                if let Seg::Move(x, y) | Seg::Line(x, y) = seg {
                    assert!(x >= r.x - 0.01 && x <= r.right() + 0.01, "{pattern:?} x {x}");
                    assert!(y >= r.y - 0.01 && y <= r.bottom() + 0.01, "{pattern:?} y {y}");
                }
            }
        }
    }

    #[test]
    fn readable_is_dark() {
        assert!(luminance(readable(Rgb(0xF0, 0xE4, 0x42))) <= 0.3);
        assert_eq!(readable(Rgb(0, 0, 0)), Rgb(0, 0, 0));
    }
}
