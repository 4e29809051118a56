//! A plotters `DrawingBackend` that records page items instead of pixels.
//!
//! Plotters works in whole "pixels" (`i32`). One backend pixel here is
//! 1/[`SCALE`] point, fine enough that rounding never shows, and stroke widths
//! (`u32` pixels) can be fractional points. Text goes through our shaper, so a
//! chart's labels are real text in the document's font, and plotters' own font
//! code (the `naive` estimator with default features off) is never asked.

use std::convert::Infallible;

use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

use super::canvas::{Canvas, Font, Rect};
use brief_core::frame::{FontStyle, Item, Path, Rgb, Seg};

/// Backend pixels per point.
pub(crate) const SCALE: f32 = 100.0;

/// Points to backend pixels.
pub(crate) fn px(points: f32) -> i32 {
    (points * SCALE).round() as i32
}

/// Points to a plotters stroke width (at least one pixel).
pub(crate) fn stroke_px(points: f32) -> u32 {
    (points * SCALE).round().max(1.0) as u32
}

/// A plotters colour from ours.
pub(crate) fn color(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Records plotters drawing calls as items on a [`Canvas`]; backend pixel
/// (0, 0) is the top-left corner of the chart box.
pub(crate) struct ItemBackend<'c, 'a> {
    canvas: &'c Canvas<'a>,
    origin: (f32, f32),
    size: (u32, u32),
}

impl<'c, 'a> ItemBackend<'c, 'a> {
    /// A backend covering `rect` of the page.
    pub fn new(canvas: &'c Canvas<'a>, rect: Rect) -> Self {
        let size = (px(rect.w).max(1) as u32, px(rect.h).max(1) as u32);
        ItemBackend { canvas, origin: (rect.x, rect.y), size }
    }

    fn pt(&self, c: BackendCoord) -> (f32, f32) {
        to_page(self.origin, c)
    }

    fn polyline(&self, points: impl IntoIterator<Item = BackendCoord>, close: bool) -> Vec<Seg> {
        polyline(points.into_iter().map(|c| self.pt(c)), close)
    }

    /// Fills `segs` or strokes them, as plotters asks.
    fn paint(&self, segs: Vec<Seg>, style: &impl BackendStyle, fill: bool) {
        if fill {
            self.fill(segs, style.color());
        } else {
            self.stroke(segs, style);
        }
    }

    fn stroke(&self, segs: Vec<Seg>, style: &impl BackendStyle) {
        let color = style.color();
        if color.alpha <= 0.0 || segs.len() < 2 {
            return;
        }
        let width = style.stroke_width() as f32 / SCALE;
        self.canvas.path(
            Path { segs, fill: None, fill_alpha: 1.0, stroke: None }
                .stroked(on_white(color), width),
        );
    }

    fn fill(&self, segs: Vec<Seg>, color: BackendColor) {
        if color.alpha <= 0.0 || segs.len() < 3 {
            return;
        }
        let (r, g, b) = color.rgb;
        let mut path =
            Path { segs, fill: None, fill_alpha: 1.0, stroke: None }.filled(Rgb(r, g, b));
        path.fill_alpha = color.alpha.clamp(0.0, 1.0) as f32;
        self.canvas.path(path);
    }
}

/// Backend pixels relative to `origin` to page points.
pub(crate) fn to_page(origin: (f32, f32), c: BackendCoord) -> (f32, f32) {
    (origin.0 + c.0 as f32 / SCALE, origin.1 + c.1 as f32 / SCALE)
}

/// A translucent stroke colour as it would look over white paper: strokes
/// carry no alpha in our page model.
fn on_white(c: BackendColor) -> Rgb {
    let a = c.alpha.clamp(0.0, 1.0);
    let mix = |v: u8| (v as f64 * a + 255.0 * (1.0 - a)).round() as u8;
    Rgb(mix(c.rgb.0), mix(c.rgb.1), mix(c.rgb.2))
}

/// A path through `points`: a move to the first, lines to the others, and
/// back to the first when `close`.
pub(crate) fn polyline(points: impl IntoIterator<Item = (f32, f32)>, close: bool) -> Vec<Seg> {
    let mut segs: Vec<Seg> = points
        .into_iter()
        .enumerate()
        .map(|(i, (x, y))| if i == 0 { Seg::Move(x, y) } else { Seg::Line(x, y) })
        .collect();
    if close && !segs.is_empty() {
        segs.push(Seg::Close);
    }
    segs
}

/// The outline of a circle as four cubic Béziers.
pub(crate) fn circle_segs(cx: f32, cy: f32, r: f32) -> Vec<Seg> {
    // Control-point distance for a quarter circle.
    let k = 0.552_284_8 * r;
    vec![
        Seg::Move(cx + r, cy),
        Seg::Cubic(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
        Seg::Cubic(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
        Seg::Cubic(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
        Seg::Cubic(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
        Seg::Close,
    ]
}

/// Our face for a plotters font style.
fn face(style: plotters_backend::FontStyle) -> FontStyle {
    match style {
        plotters_backend::FontStyle::Normal => FontStyle::Regular,
        plotters_backend::FontStyle::Bold => FontStyle::Bold,
        plotters_backend::FontStyle::Italic | plotters_backend::FontStyle::Oblique => {
            FontStyle::Italic
        }
    }
}

/// Counter-clockwise degrees for a plotters (clockwise) text rotation.
fn degrees(transform: &FontTransform) -> f32 {
    match transform {
        FontTransform::None => 0.0,
        FontTransform::Rotate90 => -90.0,
        FontTransform::Rotate180 => 180.0,
        FontTransform::Rotate270 => 90.0,
    }
}

impl DrawingBackend for ItemBackend<'_, '_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (x, y) = self.pt(point);
        let size = 1.0 / SCALE;
        self.fill(Path::rect(x, y, size, size).segs, color);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.stroke(self.polyline([from, to], false), style);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (x0, y0) = self.pt(upper_left);
        let (x1, y1) = self.pt(bottom_right);
        let segs = Path::rect(x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs()).segs;
        self.paint(segs, style, fill);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.stroke(self.polyline(path, false), style);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (cx, cy) = self.pt(center);
        self.paint(circle_segs(cx, cy, radius as f32 / SCALE), style, fill);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.fill(self.polyline(vert, true), style.color());
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let c = style.color();
        let size = style.size() as f32 / SCALE;
        if c.alpha <= 0.0 || text.is_empty() || size.is_nan() || size <= 0.0 {
            return Ok(());
        }
        let font = Font { face: face(style.style()), size, color: on_white(c) };
        let (ax, ay) = self.pt(pos);
        let (width, ascent, descent) =
            (self.canvas.width(font, text), self.canvas.ascent(font), self.canvas.descent(font));
        // Plotters anchors are relative to the text box, before rotation.
        let x = ax
            - match style.anchor().h_pos {
                HPos::Left => 0.0,
                HPos::Center => width / 2.0,
                HPos::Right => width,
            };
        let baseline = ay
            + match style.anchor().v_pos {
                VPos::Top => ascent,
                VPos::Center => (ascent - descent) / 2.0,
                VPos::Bottom => -descent,
            };
        let run = Item::Text(self.canvas.run(font, text, x, baseline));
        let degrees = degrees(&style.transform());
        if degrees == 0.0 {
            self.canvas.push(run);
        } else {
            self.canvas.push(Item::Rotated { x: ax, y: ay, degrees, items: vec![run] });
        }
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let font = Font {
            face: face(style.style()),
            size: style.size() as f32 / SCALE,
            color: Rgb::BLACK,
        };
        let w = self.canvas.width(font, text) * SCALE;
        let h = self.canvas.line_box(font) * SCALE;
        Ok((w.ceil().max(0.0) as u32, h.ceil().max(0.0) as u32))
    }
}
