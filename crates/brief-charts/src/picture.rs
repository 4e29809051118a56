//! A chart as a picture for word processors and slides: SVG whose text is
//! drawn as glyph outlines (it looks the same wherever it is opened, with or
//! without the brief's fonts installed), and a PNG rasterised from that same
//! SVG by resvg. Both come from the very drawing the PDF places.

use std::collections::HashMap;
use std::fmt::Write as _;

use brief_core::figure::Figure;
use brief_core::frame::{Item, Path, Rgb, Seg, TextRun};
use brief_core::text::FontBook;

use super::export::{hex, path};
use super::{ChartStyle, Drawn, box_height, draw_parts};

/// A chart drawn for a document's flow, as SVG and PNG, with the texts a
/// word processor should carry as text of its own.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The SVG, text in outlines.
    pub svg: String,
    /// The PNG rasterised from it.
    pub png: Vec<u8>,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The title and unit lines the chart draws above its plot, as text.
    pub title: Vec<String>,
    /// The note and source lines under it, and whatever the box had no room
    /// for, as text.
    pub foot: Vec<String>,
}

/// Why a picture could not be made.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureError(pub String);

impl std::fmt::Display for PictureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PictureError {}

/// Pixels per point of the PNG: 2 gives 144 dpi, sharp on screen and in print
/// at the size a page shows the chart.
pub const PNG_SCALE: f32 = 2.0;

/// `fig` drawn `width` points wide as a page draws it (the same height rule),
/// its title and foot lines kept apart as text, the plot as a picture.
pub fn picture(
    fig: &Figure,
    style: &ChartStyle,
    fonts: &FontBook,
    width: f32,
    max_height: f32,
) -> Result<Picture, PictureError> {
    let height = (width * 0.5).min(max_height);
    let height = box_height(fig, style, fonts, width, height).min(max_height * 3.0).max(height);
    let Drawn { body, left_out, .. } = draw_parts(fig, style, fonts, 0.0, 0.0, width, height);
    // The texts around the plot, as the figure writes them (in logical
    // order: a right-to-left line as drawn is in visual order).
    let clean = super::sanitize(style);
    let unit = super::chrome::unit_line(fig);
    let title: Vec<String> = std::iter::once(fig.title.trim().to_string()).chain(unit).collect();
    let labelled = |label: &str, text: &str| super::chrome::prefixed(&format!("{label}:"), text);
    let note = super::chrome::full_note(fig, &super::auto_note(fig, &clean))
        .map(|n| labelled(&clean.note_label, &n));
    let source = fig.source.as_deref().map(|s| labelled(&clean.source_label, s));
    let mut foot: Vec<String> = note.into_iter().chain(source).collect();
    // What the box had no room for beside the plot (legend names, keys).
    for text in left_out {
        if !title.contains(&text) && !foot.contains(&text) {
            foot.push(text);
        }
    }
    // The plot alone: the title and foot go into the document as text.
    let (top, bottom) = extent(&body).unwrap_or((0.0, height));
    let (top, bottom) = ((top - 2.0).max(0.0), (bottom + 2.0).min(height.max(bottom + 2.0)));
    let h = (bottom - top).max(1.0);
    let svg = outlined(&body, fonts, width, top, h);
    let png = png(&svg, PNG_SCALE)?;
    Ok(Picture { svg, png, width, height: h, title, foot })
}

/// A standalone chart (as `brief charts` exports it) as PNG: the export's
/// drawing, text in outlines, rasterised at `scale` pixels per point.
pub fn export_png(
    fig: &Figure,
    style: &ChartStyle,
    fonts: &FontBook,
    scale: f32,
) -> Result<Vec<u8>, PictureError> {
    let (w, h, drawn) = super::export::exported(fig, style, fonts);
    let mut items = vec![Item::Path(Path {
        segs: vec![
            Seg::Move(0.0, 0.0),
            Seg::Line(w, 0.0),
            Seg::Line(w, h),
            Seg::Line(0.0, h),
            Seg::Close,
        ],
        fill: Some(Rgb(255, 255, 255)),
        fill_alpha: 1.0,
        stroke: None,
    })];
    items.extend([drawn.title, drawn.body, drawn.foot].concat());
    png(&outlined(&items, fonts, w, 0.0, h), scale)
}

/// Rasterises an SVG (ours: paths only, no text, no images) to PNG.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, PictureError> {
    let options = resvg::usvg::Options::default();
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|e| PictureError(format!("cannot read the chart's SVG ({e})")))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| PictureError("the chart is too large to rasterise".to_string()))?;
    // 8000 px a side is 55 inches at 144 dpi: far beyond any chart a page holds.
    if size.width() > 8000 || size.height() > 8000 {
        return Err(PictureError("the chart is too large to rasterise".to_string()));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| PictureError("the chart has no area".to_string()))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| PictureError(format!("cannot encode the PNG ({e})")))
}

/// The top and bottom of what `items` draw, in points.
fn extent(items: &[Item]) -> Option<(f32, f32)> {
    let mut ys: Vec<f32> = Vec::new();
    fn walk(items: &[Item], rot: Option<(f32, f32, f32)>, ys: &mut Vec<f32>) {
        fn put(ys: &mut Vec<f32>, rot: Option<(f32, f32, f32)>, x: f32, y: f32) {
            let y = match rot {
                Some((cx, cy, deg)) => {
                    let (s, c) = (-deg).to_radians().sin_cos();
                    cy + (x - cx) * s + (y - cy) * c
                }
                None => y,
            };
            if y.is_finite() {
                ys.push(y);
            }
        }
        let put = |ys: &mut Vec<f32>, x: f32, y: f32| put(ys, rot, x, y);
        for item in items {
            match item {
                Item::Text(r) => {
                    let w = r.width();
                    for x in [r.x, r.x + w] {
                        put(ys, x, r.y - r.size);
                        put(ys, x, r.y + r.size * 0.3);
                    }
                }
                Item::Path(p) => {
                    for seg in &p.segs {
                        match *seg {
                            Seg::Move(x, y) | Seg::Line(x, y) => put(ys, x, y),
                            Seg::Cubic(_, _, _, _, x, y) => put(ys, x, y),
                            Seg::Close => {}
                        }
                    }
                }
                Item::Rotated { x, y, degrees, items } => walk(items, Some((*x, *y, *degrees)), ys),
                Item::Tagged { items, .. } | Item::Artifact { items, .. } => walk(items, rot, ys),
                _ => {}
            }
        }
    }
    walk(items, None, &mut ys);
    let top = ys.iter().copied().fold(f32::INFINITY, f32::min);
    let bottom = ys.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    (top.is_finite() && bottom.is_finite()).then_some((top, bottom))
}

/// The items as SVG, `width` wide, the band from `top` down `height` points
/// tall, every glyph as its outline. Sizes are in user units, one per point,
/// so [`png`]'s scale is pixels per point.
fn outlined(items: &[Item], fonts: &FontBook, width: f32, top: f32, height: f32) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.2}\" height=\"{height:.2}\" viewBox=\"0 {top:.2} {width:.2} {height:.2}\">\n<rect x=\"0\" y=\"{top:.2}\" width=\"{width:.2}\" height=\"{height:.2}\" fill=\"#ffffff\"/>\n"
    );
    let mut glyphs = Outlines { fonts, faces: HashMap::new() };
    items.iter().for_each(|i| item(&mut out, i, &mut glyphs));
    out.push_str("</svg>\n");
    out
}

/// A parsed face and the path data of the glyphs drawn from it so far.
type Face = (ttf_parser::Face<'static>, HashMap<u16, String>);

/// Glyph outlines, by face and glyph, in font units, as SVG path data.
struct Outlines<'a> {
    fonts: &'a FontBook,
    faces: HashMap<u16, Option<Face>>,
}

impl Outlines<'_> {
    /// The face's units per em and the glyph's path data.
    fn get(&mut self, face: u16, gid: u16) -> Option<(f32, &str)> {
        let fonts = self.fonts;
        let entry = self.faces.entry(face).or_insert_with(|| {
            let (bytes, index) = fonts.face_data(face)?;
            Some((ttf_parser::Face::parse(bytes, index).ok()?, HashMap::new()))
        });
        let (parsed, cache) = entry.as_mut()?;
        let upem = f32::from(parsed.units_per_em());
        let d = cache.entry(gid).or_insert_with(|| {
            let mut b = PathData(String::new());
            let _ = parsed.outline_glyph(ttf_parser::GlyphId(gid), &mut b);
            b.0
        });
        Some((upem, d.as_str()))
    }
}

struct PathData(String);

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{x} {y}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{x} {y}");
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{x1} {y1} {x} {y}");
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(self.0, "C{x1} {y1} {x2} {y2} {x} {y}");
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

fn item(out: &mut String, item: &Item, glyphs: &mut Outlines<'_>) {
    match item {
        Item::Text(r) => text(out, r, glyphs),
        Item::Path(p) => path(out, p),
        Item::Rotated { x, y, degrees, items } => {
            let _ = writeln!(out, "<g transform=\"rotate({:.2} {x:.2} {y:.2})\">", -degrees);
            items.iter().for_each(|i| self::item(out, i, glyphs));
            out.push_str("</g>\n");
        }
        Item::Link { .. } | Item::GoTo { .. } | Item::Field { .. } => {}
        Item::Tagged { items, .. } | Item::Artifact { items, .. } => {
            items.iter().for_each(|i| self::item(out, i, glyphs))
        }
    }
}

/// A run's glyphs as filled outlines; bold and italic the face lacks are
/// made as the PDF writer makes them (a stroke, a 12° slant).
fn text(out: &mut String, r: &TextRun, glyphs: &mut Outlines<'_>) {
    let color = hex(r.color);
    let mut pen = r.x;
    for g in &r.glyphs {
        let (bold, slant) = glyphs.fonts.synthesis(r.font, g.face);
        if let Some((upem, d)) = glyphs.get(g.face, g.gid).filter(|(_, d)| !d.is_empty()) {
            let s = r.size / upem;
            let c = if slant { s * 0.2126 } else { 0.0 };
            let (e, f) = (pen + g.x_offset, r.y - g.rise());
            let _ = write!(
                out,
                "<path transform=\"matrix({s:.5} 0 {c:.5} {:.5} {e:.2} {f:.2})\" d=\"{d}\" fill=\"{color}\"",
                -s
            );
            if bold {
                let _ = write!(out, " stroke=\"{color}\" stroke-width=\"{:.1}\"", upem * 0.025);
            }
            out.push_str("/>\n");
        }
        pen += g.advance;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brief_core::figure::{ChartKind, Series};

    fn figure() -> Figure {
        Figure {
            id: "t".into(),
            title: "Trade".into(),
            kind: ChartKind::Bar,
            unit: Some("USD million".into()),
            categories: vec!["2020".into(), "2021".into()],
            series: vec![Series { name: "Turnover".into(), values: vec![Some(5.4), Some(3.6)] }],
            source: Some("Azernews".into()),
            note: None,
            alt: None,
            data: None,
        }
    }

    #[test]
    fn the_picture_has_no_text_and_its_png_is_drawn() {
        let pic =
            picture(&figure(), &ChartStyle::default(), FontBook::builtin(), 450.0, 215.0).unwrap();
        assert!(!pic.svg.contains("<text"), "text is outlined");
        assert!(pic.svg.matches("<path transform=").count() > 8, "glyphs are there");
        assert!(pic.png.starts_with(b"\x89PNG"));
        assert_eq!(pic.title.join(" "), "Trade USD million");
        assert!(pic.foot.iter().any(|l| l.contains("Azernews")), "{:?}", pic.foot);
        let again =
            picture(&figure(), &ChartStyle::default(), FontBook::builtin(), 450.0, 215.0).unwrap();
        assert_eq!((pic.svg, pic.png), (again.svg, again.png), "deterministic");
    }

    #[test]
    fn the_png_is_not_blank() {
        let png = export_png(&figure(), &ChartStyle::default(), FontBook::builtin(), 1.0).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let bytes = &buf[..info.buffer_size()];
        let dark = bytes.chunks(4).filter(|p| p[0] < 128 && p[1] < 128 && p[2] < 128).count();
        assert!(dark > 100, "{dark} dark pixels: text and bars are drawn");
        assert_eq!(info.width, 480);
    }
}
