//! Layout: markup → shaped, broken, paginated pages.
//!
//! Blocks become *chunks*: unbreakable slices of the flow (a line, a table
//! row, a figure) with rules about where a page may end. Pagination then
//! fills pages greedily, moving whole groups when a break is not allowed
//! (headings keep with what follows; no single line of a paragraph stranded;
//! table rows whole, their header repeated), and draws the page furniture
//! (marking, reference, "Page X of Y", DRAFT watermark) once the total is known.

pub mod lines;
pub mod markup;
mod page;

use crate::charts::{self, ChartStyle};
use crate::document::Rendered;
use crate::figure::Figure;
use crate::frame::{Document, FontStyle, Item, Path, TextRun};
pub use crate::style::Style;
use crate::text::FontBook;
use lines::{Line, TextStyle, break_lines};
use markup::{Block, Inline, Span};

/// Most pages a document may run to; past it the layout stops early.
pub const MAX_PAGES: usize = 1000;

/// Why a layout failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The markup cannot be laid out (a template's mistake), with why.
    Markup(String),
    /// The document would run past [`MAX_PAGES`] pages (the brief's size).
    TooLong,
    /// The brief's own text cannot be set (a table too wide, an image):
    /// why, and how to fix it.
    Content(String, &'static str),
    /// A field of the page furniture does not fit on its line.
    Furniture {
        /// The field's path, e.g. `brief.classification`.
        field: &'static str,
        /// What does not fit, with the widths.
        why: String,
    },
}

impl From<String> for Error {
    fn from(why: String) -> Error {
        Error::Markup(why)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Markup(why) | Error::Content(why, _) | Error::Furniture { why, .. } => {
                f.write_str(why)
            }
            Error::TooLong => write!(f, "the document runs past {MAX_PAGES} pages"),
        }
    }
}

/// A slice of the flow that is never split across pages.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// Height including space below.
    height: f32,
    /// Items positioned from the chunk's top (y = 0), x absolute.
    items: Vec<Item>,
    /// A page may not end right after this chunk.
    keep_with_next: bool,
    /// Vertical space, dropped at the top of a page.
    gap: bool,
    /// Start a new page before this chunk.
    page_break: bool,
    /// Header to repeat when a table continues on a new page.
    header: Option<Box<Chunk>>,
    /// Bookmark title, for headings.
    bookmark: Option<String>,
}

/// Stage 4: lays out a rendered brief into pages; stops as soon as the flow
/// is taller than [`MAX_PAGES`] pages, so a runaway document costs little.
pub fn layout(doc: &Rendered, fonts: &FontBook) -> Result<Document, Error> {
    let style = &doc.style;
    page::check_furniture(&doc.furniture, style, fonts)?;
    let blocks = markup::parse(&doc.markup)?;
    let mut flow = Flow {
        style,
        fonts,
        doc,
        chunks: Vec::new(),
        x: style.margin_left,
        width: style.text_width(),
    };
    let mut length = Length::new(style);
    let mut i = 0;
    while i < blocks.len() {
        // Two figures in a row share the width, as briefing notes set them.
        if let (Block::Figure(a), Some(Block::Figure(b))) = (&blocks[i], blocks.get(i + 1)) {
            flow.figure_pair(a, b)?;
            i += 2;
        } else {
            flow.block(&blocks[i], 0)?;
            i += 1;
        }
        length.add(&flow.chunks)?;
    }
    let pages = page::paginate(flow.chunks, style);
    if pages.len() > MAX_PAGES {
        return Err(Error::TooLong);
    }
    Ok(page::finish(pages, doc, style, fonts))
}

/// A running lower bound of the flow's length in pages, against [`MAX_PAGES`].
struct Length {
    page: f32,
    used: f32,
    counted: usize,
}

impl Length {
    fn new(style: &Style) -> Length {
        Length { page: (style.text_bottom() - style.margin_top).max(1.0), used: 0.0, counted: 0 }
    }

    /// Adds the chunks made since the last call; a forced break counts a page.
    fn add(&mut self, chunks: &[Chunk]) -> Result<(), Error> {
        for chunk in &chunks[self.counted..] {
            self.used += if chunk.page_break { self.page } else { chunk.height };
        }
        self.counted = chunks.len();
        if self.used > self.page * MAX_PAGES as f32 { Err(Error::TooLong) } else { Ok(()) }
    }
}

struct Flow<'a> {
    style: &'a Style,
    fonts: &'a FontBook,
    doc: &'a Rendered,
    chunks: Vec<Chunk>,
    x: f32,
    width: f32,
}

impl Flow<'_> {
    fn block(&mut self, block: &Block, depth: usize) -> Result<(), Error> {
        let s = self.style;
        match block {
            Block::Heading(level, spans) => self.heading(*level, spans),
            Block::Para(spans) => {
                self.para(spans, self.text_style(s.body_size), s.line_height);
                self.gap(s.para_gap);
            }
            Block::List(start, items) => self.list(*start, items, depth)?,
            Block::Table(head, rows) => self.table(head, rows)?,
            Block::Callout(inner) => self.boxed(inner, depth)?,
            Block::Small(inner) => {
                let saved = self.style;
                let small = Style { body_size: s.small_size, ..saved.clone() };
                let mut sub = Flow {
                    style: &small,
                    fonts: self.fonts,
                    doc: self.doc,
                    chunks: Vec::new(),
                    x: self.x,
                    width: self.width,
                };
                for b in inner {
                    sub.block(b, depth)?;
                }
                self.chunks.append(&mut sub.chunks);
            }
            Block::Fields(fields) => self.fields(fields),
            Block::Facts(tiles) => self.facts(tiles),
            Block::Figure(id) => self.figure(id)?,
            Block::Rule => {
                let line = Path::line(self.x, 0.0, self.x + self.width, 0.0).stroked(s.rule, 0.5);
                self.push(Chunk {
                    height: s.para_gap,
                    items: vec![Item::Path(line)],
                    ..Chunk::default()
                });
            }
            Block::PageBreak => self.push(Chunk { page_break: true, ..Chunk::default() }),
        }
        Ok(())
    }

    fn text_style(&self, size: f32) -> TextStyle {
        let s = self.style;
        TextStyle { size, bold: false, italic: false, color: s.text, link: s.link }
    }

    fn push(&mut self, chunk: Chunk) {
        self.chunks.push(chunk);
    }

    fn gap(&mut self, height: f32) {
        self.push(Chunk { height, gap: true, ..Chunk::default() });
    }

    fn heading(&mut self, level: u8, spans: &Inline) {
        let s = self.style;
        let (size, color) = match level {
            1 => (s.title_size, s.heading),
            2 => (s.h2_size, s.heading),
            _ => (s.h3_size, s.text),
        };
        if level > 1 {
            self.gap(s.heading_gap);
        }
        let text_style = TextStyle { bold: true, color, ..self.text_style(size) };
        let lines = break_lines(spans, text_style, self.width, self.fonts);
        let title: String = spans.iter().map(|s| s.text.as_str()).collect();
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut chunk = self.line_chunk(line, size, size * 1.25);
            chunk.keep_with_next = true;
            if i == 0 && level <= 2 {
                chunk.bookmark = Some(title.clone());
            }
            if i + 1 == n {
                chunk.height += s.para_gap * 0.5;
            }
            self.push(chunk);
        }
    }

    /// A paragraph as one chunk per line, with widow and orphan control.
    fn para(&mut self, spans: &Inline, style: TextStyle, leading: f32) {
        let lines = break_lines(spans, style, self.width, self.fonts);
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut chunk = self.line_chunk(line, style.size, style.size * leading);
            // Never leave one line alone: keep the first two and the last two together.
            chunk.keep_with_next = i + 1 < n && (i == 0 || i + 2 >= n);
            self.push(chunk);
        }
    }

    fn line_chunk(&self, line: Line, size: f32, height: f32) -> Chunk {
        let baseline = height * 0.78;
        Chunk { height, items: place_line(line, self.x, baseline, size), ..Chunk::default() }
    }

    fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        depth: usize,
    ) -> Result<(), Error> {
        let s = self.style;
        let indent = s.body_size * 1.6;
        for (i, item) in items.iter().enumerate() {
            let marker = match start {
                Some(n) => format!("{}.", n + i as u64),
                None => {
                    if depth == 0 {
                        "•".to_string()
                    } else {
                        "–".to_string()
                    }
                }
            };
            let first = self.chunks.len();
            let (x, width) = (self.x, self.width);
            self.x += indent;
            self.width -= indent;
            for block in item {
                match block {
                    Block::Para(spans) => {
                        self.para(spans, self.text_style(s.body_size), s.line_height)
                    }
                    other => self.block(other, depth + 1)?,
                }
            }
            self.x = x;
            self.width = width;
            self.marker(first, &marker, indent);
            self.gap(s.item_gap);
        }
        if depth == 0 {
            self.gap(s.para_gap - s.item_gap);
        }
        Ok(())
    }

    /// Draws a list marker on the first line chunk of an item.
    fn marker(&mut self, first: usize, marker: &str, indent: f32) {
        let s = self.style;
        let Some(chunk) = self.chunks.get_mut(first) else { return };
        let glyphs = self.fonts.shape(FontStyle::Regular, s.body_size, marker);
        let w: f32 = glyphs.iter().map(|g| g.advance).sum();
        let baseline = s.body_size * s.line_height * 0.78;
        let x = self.x + indent - w - s.body_size * 0.5;
        let run = TextRun {
            x,
            y: baseline,
            font: FontStyle::Regular,
            size: s.body_size,
            color: s.text,
            glyphs,
        };
        chunk.items.push(Item::Text(run));
    }

    fn boxed(&mut self, inner: &[Block], depth: usize) -> Result<(), Error> {
        let s = self.style;
        let pad = s.body_size * 0.7;
        let first = self.chunks.len();
        let (x, width) = (self.x, self.width);
        self.x += pad + 3.0;
        self.width -= 2.0 * pad + 3.0;
        self.gap(pad);
        for b in inner {
            self.block(b, depth)?;
        }
        while self.chunks.last().is_some_and(|c| c.gap) && self.chunks.len() > first + 1 {
            self.chunks.pop();
        }
        self.gap(pad);
        self.x = x;
        self.width = width;
        // One shaded box: merge the callout into a single chunk (callouts are short).
        let parts: Vec<Chunk> = self.chunks.drain(first..).collect();
        let mut merged = merge(parts);
        let bg = Path::rect(x, 0.0, width, merged.height).filled(s.callout_fill);
        let bar = Path::rect(x, 0.0, 3.0, merged.height).filled(s.heading);
        merged.items.splice(0..0, [Item::Path(bg), Item::Path(bar)]);
        self.push(merged);
        self.gap(s.para_gap);
        Ok(())
    }

    fn fields(&mut self, fields: &[(String, Inline)]) {
        let s = self.style;
        let label_w = s.body_size * 8.0;
        let size = s.body_size;
        for (label, value) in fields {
            let label_style = TextStyle { bold: true, color: s.muted, ..self.text_style(size) };
            let label_line = break_lines(
                &[Span { text: label.clone(), ..Span::default() }],
                label_style,
                label_w,
                self.fonts,
            );
            let lines = break_lines(value, self.text_style(size), self.width - label_w, self.fonts);
            let leading = size * s.line_height;
            let mut items = Vec::new();
            if let Some(l) = label_line.into_iter().next() {
                items.extend(place_line(l, self.x, leading * 0.78, size));
            }
            for (i, line) in lines.iter().enumerate() {
                items.extend(place_line(
                    line.clone(),
                    self.x + label_w,
                    leading * (i as f32 + 0.78),
                    size,
                ));
            }
            let height = leading * lines.len().max(1) as f32;
            self.push(Chunk { height, items, keep_with_next: true, ..Chunk::default() });
        }
        if let Some(last) = self.chunks.last_mut() {
            last.keep_with_next = false;
        }
        let rule = Path::line(self.x, 4.0, self.x + self.width, 4.0).stroked(s.rule, 0.75);
        self.push(Chunk {
            height: s.para_gap + 4.0,
            items: vec![Item::Path(rule)],
            ..Chunk::default()
        });
    }

    fn facts(&mut self, tiles: &[(Inline, Inline)]) {
        let s = self.style;
        let per_row = tiles.len().clamp(1, 3);
        let gutter = 8.0;
        let tile_w = (self.width - gutter * (per_row as f32 - 1.0)) / per_row as f32;
        let pad = 7.0;
        for row in tiles.chunks(per_row) {
            let mut items = Vec::new();
            let mut cells = Vec::new();
            for (big, caption) in row {
                let big_style =
                    TextStyle { bold: true, color: s.heading, ..self.text_style(s.fact_size) };
                let big_lines = break_lines(big, big_style, tile_w - 2.0 * pad, self.fonts);
                let cap = break_lines(
                    caption,
                    self.text_style(s.small_size),
                    tile_w - 2.0 * pad,
                    self.fonts,
                );
                cells.push((big_lines, cap));
            }
            let big_h = s.fact_size * 1.2;
            let cap_h = s.small_size * 1.3;
            let height = cells
                .iter()
                .map(|(b, c)| b.len() as f32 * big_h + c.len() as f32 * cap_h)
                .fold(0.0, f32::max)
                + 2.0 * pad;
            for (i, (big_lines, cap)) in cells.into_iter().enumerate() {
                let x = self.x + i as f32 * (tile_w + gutter);
                items.push(Item::Path(Path::rect(x, 0.0, tile_w, height).filled(s.callout_fill)));
                let mut y = pad;
                for l in big_lines {
                    items.extend(place_line(l, x + pad, y + big_h * 0.8, s.fact_size));
                    y += big_h;
                }
                for l in cap {
                    items.extend(place_line(l, x + pad, y + cap_h * 0.8, s.small_size));
                    y += cap_h;
                }
            }
            self.push(Chunk { height: height + gutter, items, ..Chunk::default() });
        }
        self.gap(s.para_gap);
    }

    fn find_figure(&self, id: &str) -> Result<&Figure, String> {
        self.doc.figures.iter().find(|f| f.id == id).ok_or_else(|| {
            let ids: Vec<&str> = self.doc.figures.iter().map(|f| f.id.as_str()).collect();
            format!(
                "the template places figure `{id}`, but the brief has no such figure (ids: {})",
                ids.join(", ")
            )
        })
    }

    fn figure(&mut self, id: &str) -> Result<(), Error> {
        let fig = self.find_figure(id)?;
        let s = self.style;
        let height = (self.width * 0.5).min(s.chart_height);
        let chart_style = ChartStyle::for_page(s, &self.doc.formats);
        let items = charts::draw(fig, &chart_style, self.fonts, self.x, 0.0, self.width, height);
        self.gap(s.para_gap * 0.5);
        self.push(Chunk { height: height + s.para_gap, items, ..Chunk::default() });
        Ok(())
    }

    fn figure_pair(&mut self, a: &str, b: &str) -> Result<(), Error> {
        let (fa, fb) = (self.find_figure(a)?, self.find_figure(b)?);
        let s = self.style;
        let gutter = s.body_size * 1.5;
        let w = (self.width - gutter) / 2.0;
        let height = (w * 0.68).min(s.chart_height);
        let chart_style = ChartStyle::for_page(s, &self.doc.formats);
        let mut items = charts::draw(fa, &chart_style, self.fonts, self.x, 0.0, w, height);
        items.extend(charts::draw(
            fb,
            &chart_style,
            self.fonts,
            self.x + w + gutter,
            0.0,
            w,
            height,
        ));
        self.gap(s.para_gap * 0.5);
        self.push(Chunk { height: height + s.para_gap, items, ..Chunk::default() });
        Ok(())
    }

    fn table(&mut self, head: &[Inline], rows: &[Vec<Inline>]) -> Result<(), Error> {
        let t = table::Table::new(head, rows, self).map_err(|why| {
            Error::Content(why, "split the table, or turn it so its rows become columns")
        })?;
        let header = t.row_chunk(head, true, self);
        let mut first = true;
        for row in rows {
            let mut chunk = t.row_chunk(row, false, self);
            chunk.header = Some(Box::new(header.clone()));
            if first {
                let mut h = header.clone();
                h.keep_with_next = true;
                self.push(h);
                first = false;
            }
            self.push(chunk);
        }
        self.gap(self.style.para_gap);
        Ok(())
    }
}

mod table;

/// Positions a shaped line with its baseline at `baseline` from the chunk top.
fn place_line(line: Line, x: f32, baseline: f32, size: f32) -> Vec<Item> {
    let mut items: Vec<Item> = line
        .runs
        .into_iter()
        .map(|mut r| {
            r.x += x;
            r.y = baseline;
            r.size = size;
            Item::Text(r)
        })
        .collect();
    for (lx, w, url) in line.links {
        items.push(Item::Link { x: x + lx, y: baseline - size * 0.8, w, h: size * 1.1, url });
    }
    items
}

/// Stacks chunks into one, shifting each below the last.
fn merge(parts: Vec<Chunk>) -> Chunk {
    let mut merged = Chunk::default();
    for part in parts {
        let dy = merged.height;
        merged.items.extend(part.items.into_iter().map(|i| shift(i, dy)));
        merged.height += part.height;
    }
    merged
}

/// Moves an item down by `dy`.
fn shift(item: Item, dy: f32) -> Item {
    use crate::frame::Seg;
    match item {
        Item::Text(mut r) => {
            r.y += dy;
            Item::Text(r)
        }
        Item::Path(mut p) => {
            for seg in &mut p.segs {
                *seg = match *seg {
                    Seg::Move(x, y) => Seg::Move(x, y + dy),
                    Seg::Line(x, y) => Seg::Line(x, y + dy),
                    Seg::Cubic(a, b, c, d, e, f) => Seg::Cubic(a, b + dy, c, d + dy, e, f + dy),
                    Seg::Close => Seg::Close,
                };
            }
            Item::Path(p)
        }
        Item::Link { x, y, w, h, url } => Item::Link { x, y: y + dy, w, h, url },
        Item::Rotated { x, y, degrees, items } => Item::Rotated {
            x,
            y: y + dy,
            degrees,
            items: items.into_iter().map(|i| shift(i, dy)).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Formats, Furniture, Line};
    use crate::figure::{ChartKind, Series};
    use crate::frame::Meta;

    /// The example brief as render hands it over: the boundary snapshot.
    fn example_doc() -> Document {
        let brief = crate::model::tests_support::example();
        let template = crate::render::Template::builtin("briefing-note").expect("built in");
        let inputs = crate::render::Inputs { today: brief.brief.date, created: 0, paper: None };
        let rendered = crate::render::render(&template, &brief, &inputs).expect("renders");
        layout(&rendered, FontBook::builtin()).expect("lays out")
    }

    /// A rendered document made by hand, with one figure `trade-turnover`.
    fn rendered(markup: &str, watermark: Option<&str>) -> Rendered {
        let figure = Figure {
            id: "trade-turnover".into(),
            title: "Trade".into(),
            kind: ChartKind::Bar,
            unit: None,
            categories: vec!["2020".into(), "2021".into()],
            series: vec![Series { name: "Trade".into(), values: vec![Some(5.4), Some(3.6)] }],
            source: None,
            note: None,
        };
        Rendered {
            markup: markup.into(),
            style: Style::default(),
            furniture: Furniture {
                marking: Some(Line { text: "OFFICIAL".into(), field: "brief.classification" }),
                handling: None,
                footer: Line { text: "REF-1".into(), field: "brief.reference" },
                page_label: "Page {page} of {total}".into(),
                watermark: watermark.map(String::from),
            },
            meta: Meta::default(),
            figures: vec![figure],
            formats: Formats {
                decimal: '.',
                group: ',',
                source_label: "Source".into(),
                note_label: "Note".into(),
            },
        }
    }

    #[test]
    fn example_layout_dump() {
        insta::assert_snapshot!(example_doc().dump());
    }

    #[test]
    fn everything_stays_inside_the_page() {
        let doc = example_doc();
        for page in &doc.pages {
            for item in &page.items {
                if let Item::Text(r) = item {
                    assert!(
                        r.x >= 0.0 && r.x + r.width() <= page.width + 0.5,
                        "{} at x {}",
                        r.text(),
                        r.x
                    );
                    assert!(r.y > 0.0 && r.y < page.height, "{} at y {}", r.text(), r.y);
                }
            }
        }
    }

    #[test]
    fn unknown_figure_is_an_error_naming_it() {
        let err = layout(&rendered("![x](figure:nope)\n", None), FontBook::builtin()).unwrap_err();
        let err = err.to_string();
        assert!(err.contains("`nope`") && err.contains("trade-turnover"), "{err}");
    }

    #[test]
    fn draft_briefs_get_a_watermark_on_every_page() {
        let doc = layout(
            &rendered("# T\n\n::: pagebreak\n\nSecond page.\n", Some("DRAFT")),
            FontBook::builtin(),
        )
        .unwrap();
        assert_eq!(doc.pages.len(), 2);
        for page in &doc.pages {
            assert!(page.items.iter().any(|i| matches!(i, Item::Rotated { items, .. } if matches!(&items[0], Item::Text(r) if r.text() == "DRAFT"))));
        }
    }
}
