//! Charts on their own, for slides and email bodies: SVG with real text, or a
//! one-page PDF with the fonts embedded.

use std::fmt::Write as _;

use super::canvas::{Canvas, Part};
use super::chrome::small_font;
use super::{ChartStyle, Drawn, alt_text, box_height, draw_parts, sanitize};
use brief_core::escape::xml as escape;
use brief_core::figure::Figure;
use brief_core::frame::{
    Document, FontStyle, Item, Meta, Page, Path, Rgb, Role, Seg, Structure, tagged,
};
use brief_core::text::FontBook;

/// Size of an exported chart, in points: taller where the figure needs it
/// (a long legend, many bars), with what still has no room printed under it.
pub const SIZE: (f32, f32) = (480.0, 300.0);

/// White space around an exported chart, points.
const MARGIN: f32 = 12.0;

/// The chart drawn for export, and the size of its page: the box as tall
/// as the figure needs, and what the box still had no room for printed
/// whole under it in small type, as a page prints it under a chart.
pub(crate) fn exported(fig: &Figure, style: &ChartStyle, fonts: &FontBook) -> (f32, f32, Drawn) {
    let (w, h) = SIZE;
    let (inner_w, inner_h) = (w - 2.0 * MARGIN, h - 2.0 * MARGIN);
    let inner_h = box_height(fig, style, fonts, inner_w, inner_h);
    let mut drawn = draw_parts(fig, style, fonts, MARGIN, MARGIN, inner_w, inner_h);
    let mut h = inner_h + 2.0 * MARGIN;
    if !drawn.left_out.is_empty() {
        let canvas = Canvas::new(fonts, style.rtl);
        canvas.set_part(Part::Foot);
        let font = small_font(&sanitize(style));
        let lines = canvas.wrap(font, &drawn.left_out.join(" · "), inner_w);
        h += canvas.lines_at(font, &lines, MARGIN, h - MARGIN + 4.0, 0.0) + 4.0;
        let ([_, _, foot], _) = canvas.into_parts();
        drawn.foot.extend(foot);
    }
    (w, h, drawn)
}

/// The chart as an SVG document; text stays text (font family Noto Sans).
pub fn svg(fig: &Figure, style: &ChartStyle, fonts: &FontBook) -> String {
    let (w, h, drawn) = exported(fig, style, fonts);
    let items: Vec<Item> = [drawn.title, drawn.body, drawn.foot].concat();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}pt\" height=\"{h}pt\" viewBox=\"0 0 {w} {h}\">\n<title>{}</title>\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        escape(&fig.title)
    );
    items.iter().for_each(|i| write_item(&mut out, i));
    out.push_str("</svg>\n");
    out
}

/// The chart as a one-page tagged document, for the PDF writer: a Figure
/// described by its alt text (in `language`, the brief's), holding its title
/// and source captions.
pub fn page(
    fig: &Figure,
    style: &ChartStyle,
    fonts: &FontBook,
    created: i64,
    language: &str,
) -> Document {
    let (w, h, drawn) = exported(fig, style, fonts);
    let mut structure = Structure::default();
    let figure = structure.add(Structure::ROOT, Role::Figure);
    if let Some(node) = structure.get_mut(figure) {
        node.alt = Some(alt_text(fig, style, language));
    }
    let (title, foot) =
        (structure.add(figure, Role::Caption), structure.add(figure, Role::Caption));
    let items = [tagged(title, drawn.title), tagged(figure, drawn.body), tagged(foot, drawn.foot)]
        .into_iter()
        .flatten()
        .collect();
    let page = Page { width: w, height: h, items };
    let meta = Meta {
        title: fig.title.clone(),
        created,
        language: language.to_string(),
        ..Meta::default()
    };
    Document { pages: vec![page], bookmarks: Vec::new(), meta, structure }
}

fn write_item(out: &mut String, item: &Item) {
    match item {
        Item::Text(r) => {
            let (weight, slant) = match r.font {
                FontStyle::Regular => ("normal", "normal"),
                FontStyle::Bold => ("bold", "normal"),
                FontStyle::Italic => ("normal", "italic"),
                FontStyle::BoldItalic => ("bold", "italic"),
            };
            let _ = writeln!(
                out,
                "<text x=\"{:.2}\" y=\"{:.2}\" font-family=\"Noto Sans, sans-serif\" font-size=\"{:.2}\" font-weight=\"{weight}\" font-style=\"{slant}\" fill=\"{}\" textLength=\"{:.2}\" xml:space=\"preserve\">{}</text>",
                r.x,
                r.y,
                r.size,
                hex(r.color),
                r.width(),
                escape(&r.text())
            );
        }
        Item::Path(p) => path(out, p),
        Item::Rotated { x, y, degrees, items } => {
            let _ = writeln!(out, "<g transform=\"rotate({:.2} {x:.2} {y:.2})\">", -degrees);
            items.iter().for_each(|i| write_item(out, i));
            out.push_str("</g>\n");
        }
        Item::Link { .. } | Item::GoTo { .. } | Item::Field { .. } => {}
        Item::Tagged { items, .. } | Item::Artifact { items, .. } => {
            items.iter().for_each(|i| write_item(out, i))
        }
    }
}

/// A path as an SVG `<path>` element (the chart export and the DOCX picture alike).
pub(crate) fn path(out: &mut String, p: &Path) {
    let mut d = String::new();
    for seg in &p.segs {
        let _ = match seg {
            Seg::Move(x, y) => write!(d, "M{x:.2} {y:.2}"),
            Seg::Line(x, y) => write!(d, "L{x:.2} {y:.2}"),
            Seg::Cubic(a, b, c, e, f, g) => write!(d, "C{a:.2} {b:.2} {c:.2} {e:.2} {f:.2} {g:.2}"),
            Seg::Close => write!(d, "Z"),
        };
    }
    let fill = p.fill.map_or("none".to_string(), hex);
    let _ = write!(out, "<path d=\"{d}\" fill=\"{fill}\"");
    if p.fill.is_some() && p.fill_alpha < 1.0 {
        let _ = write!(out, " fill-opacity=\"{:.3}\"", p.fill_alpha);
    }
    if let Some(s) = &p.stroke {
        let _ = write!(out, " stroke=\"{}\" stroke-width=\"{:.2}\"", hex(s.color), s.width);
        if !s.dash.is_empty() {
            let dash: Vec<String> = s.dash.iter().map(|v| format!("{v:.2}")).collect();
            let _ = write!(out, " stroke-dasharray=\"{}\"", dash.join(" "));
        }
    }
    out.push_str("/>\n");
}

/// `#rrggbb`.
pub(crate) fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The PDF tools the end-to-end tests check with; a missing one fails the test.
#[cfg(test)]
#[path = "../../../tests/common/tool.rs"]
mod tool;

#[cfg(test)]
mod tests {
    use super::tool::tool;
    use super::*;
    use brief_core::figure::{ChartKind, Series};

    fn figure() -> Figure {
        Figure {
            id: "t".into(),
            title: "Trade & <growth>".into(),
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
    fn svg_keeps_text_as_text_and_escapes_it() {
        let svg = svg(&figure(), &ChartStyle::default(), FontBook::builtin());
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Trade &amp; &lt;growth&gt;"));
        assert!(svg.contains(">2020</text>") && svg.contains(">USD million</text>"));
        assert_eq!(
            svg,
            super::svg(&figure(), &ChartStyle::default(), FontBook::builtin()),
            "deterministic"
        );
    }

    #[test]
    fn pdf_is_one_vector_page_per_figure_with_real_text() {
        let dir = std::env::temp_dir().join(format!("brief-export-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let other = Figure {
            id: "u".into(),
            title: "Exports by partner".into(),
            kind: ChartKind::Hbar,
            categories: vec!["Kazakhstan".into(), "Georgia".into(), "Türkiye".into()],
            series: vec![Series { name: "2024".into(), values: vec![Some(9.0), Some(4.0), None] }],
            ..figure()
        };
        for (fig, not) in [(figure(), &other.title), (other.clone(), &figure().title)] {
            let doc = page(&fig, &ChartStyle::default(), FontBook::builtin(), 0, "en");
            let bytes = brief_pdf::write(&doc, FontBook::builtin()).unwrap();
            let path = dir.join(format!("{}.pdf", fig.id));
            std::fs::write(&path, bytes).unwrap();
            let p = path.to_str().unwrap();
            let info = tool("pdfinfo", &[p]);
            let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(str::trim);
            assert_eq!(pages, Some("1"), "{}: one page per figure: {info}", fig.id);
            let text = tool("pdftotext", &[p, "-"]);
            for want in fig.categories.iter().chain([&fig.title]) {
                assert!(text.contains(want.as_str()), "{}: {want:?} not in {text:?}", fig.id);
            }
            assert!(!text.contains(not.as_str()), "{}: another figure's title in {text:?}", fig.id);
            let images = tool("pdfimages", &["-list", p]);
            assert_eq!(images.lines().count(), 2, "{}: no raster images: {images}", fig.id);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
