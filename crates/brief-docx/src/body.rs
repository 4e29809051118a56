//! `word/document.xml`: the markup's blocks as Word paragraphs and tables,
//! each paragraph or cell that shows a field of the source inside a content
//! control tagged with the field's path.

use std::fmt::Write as _;

use brief_core::document::Rendered;
use brief_core::escape::xml;
use brief_core::locale::Dir;
use brief_layout::markup::{Block, Inline, Span};

use crate::parts::{Rel, hex, twips};
use crate::{Error, Media};

/// English Metric Units per point: DrawingML's unit of length.
const EMU: f32 = 12_700.0;

/// What a block is set in: its place decides the style of its paragraphs.
#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Inside `::: changed`: a change bar beside every paragraph.
    changed: bool,
    /// Inside `::: small`.
    small: bool,
}

pub(crate) struct Body<'a> {
    doc: &'a Rendered,
    fonts: &'a brief_core::text::FontBook,
    out: String,
    rtl: bool,
    /// Relationships of the main part (images and links), in order.
    pub rels: Vec<Rel>,
    /// Pictures: their file names and bytes.
    pub media: Vec<Media>,
    /// Lists: numbered or not, and the first number.
    pub lists: Vec<(bool, u64)>,
    /// The next drawing id.
    drawing: u32,
    /// The next content control id.
    control: u32,
    /// Width of the text area, points.
    width: f32,
    /// The fields of the `::: field PATH` blocks the walk is in, innermost last.
    within: Vec<String>,
}

impl<'a> Body<'a> {
    pub(crate) fn new(doc: &'a Rendered, fonts: &'a brief_core::text::FontBook) -> Self {
        let s = &doc.style;
        Body {
            doc,
            fonts,
            out: String::new(),
            rtl: doc.dir == Dir::Rtl,
            rels: Vec::new(),
            media: Vec::new(),
            lists: Vec::new(),
            drawing: 1,
            control: 1,
            width: s.page_width - s.margin_left - s.margin_right,
            within: Vec::new(),
        }
    }

    /// The whole `document.xml`.
    pub(crate) fn document(mut self, blocks: &[Block]) -> Result<(String, Self), Error> {
        for block in blocks {
            self.block(block, Ctx::default())?;
        }
        let s = &self.doc.style;
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>",
        );
        out.push_str(&self.out);
        let bidi = if self.rtl { "<w:bidi/>" } else { "" };
        let _ = write!(
            out,
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"{}\" w:h=\"{}\"/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/>{bidi}</w:sectPr></w:body></w:document>",
            twips(s.page_width),
            twips(s.page_height),
            twips(s.margin_top),
            twips(s.margin_right),
            twips(s.margin_bottom),
            twips(s.margin_left),
            twips((s.margin_top * 0.4).max(18.0)),
            twips((s.margin_bottom * 0.4).max(18.0)),
        );
        self.out = String::new();
        Ok((out, self))
    }

    fn block(&mut self, block: &Block, ctx: Ctx) -> Result<(), Error> {
        match block {
            Block::Heading(level, spans) => {
                let style = match level {
                    1 => "Title",
                    2 => "Heading1",
                    3 => "Heading2",
                    _ => "Heading3",
                };
                self.para(style, spans, "", ctx);
            }
            Block::Para(spans) => {
                let style = if ctx.small { "Small" } else { "Normal" };
                self.para(style, spans, "", ctx);
            }
            Block::List(start, items) => self.list(*start, items, 0, ctx)?,
            Block::Table(head, rows) => self.table(head, rows, ctx),
            Block::Callout(blocks) => self.callout(blocks, ctx)?,
            Block::Changed(blocks) => {
                for b in blocks {
                    self.block(b, Ctx { changed: true, ..ctx })?;
                }
            }
            Block::Field(path, blocks) => {
                self.within.push(path.clone());
                for b in blocks {
                    self.block(b, ctx)?;
                }
                self.within.pop();
            }
            Block::Small(blocks) => {
                for b in blocks {
                    self.block(b, Ctx { small: true, ..ctx })?;
                }
            }
            Block::Fields(fields) => self.fields(fields, ctx),
            Block::Facts(tiles) => self.facts(tiles, ctx),
            Block::Figure(id) => self.figure(id, ctx)?,
            Block::Rule => {
                let _ = write!(
                    self.out,
                    "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"{}\"/></w:pBdr></w:pPr></w:p>",
                    hex(self.doc.style.rule)
                );
            }
            Block::PageBreak => self.out.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
        }
        Ok(())
    }

    /// The fields a paragraph shows: the field marks in its text, else the
    /// `::: field` block it is in.
    fn fields_of(&self, spans: &[Span]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in spans {
            for f in &s.fields {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
        if out.is_empty()
            && let Some(path) = self.within.last()
        {
            out.push(path.clone());
        }
        out
    }

    /// Opens a content control for `fields` (none: nothing), returns whether it did.
    ///
    /// The control stands inside the paragraph, round its runs: LibreOffice
    /// (7.4) drops the bold, italic and line breaks of runs in a control
    /// round whole paragraphs, and Word keeps either kind through a round.
    fn open_control(&mut self, fields: &[String]) -> bool {
        if fields.is_empty() {
            return false;
        }
        let tag = xml(&fields.join(" "));
        let id = self.control;
        self.control += 1;
        // Locked against deletion, not against editing: Word keeps the
        // mapping to the source through a clearance round.
        let _ = write!(
            self.out,
            "<w:sdt><w:sdtPr><w:alias w:val=\"{tag}\"/><w:tag w:val=\"{tag}\"/><w:id w:val=\"{id}\"/><w:lock w:val=\"sdtLocked\"/></w:sdtPr><w:sdtContent>"
        );
        true
    }

    fn close_control(&mut self, opened: bool) {
        if opened {
            self.out.push_str("</w:sdtContent></w:sdt>");
        }
    }

    /// One paragraph in `style`, its runs in its field's content control.
    fn para(&mut self, style: &str, spans: &[Span], ppr: &str, ctx: Ctx) {
        let fields = self.fields_of(spans);
        self.para_in(style, spans, ppr, ctx, &fields);
    }

    fn para_in(&mut self, style: &str, spans: &[Span], ppr: &str, ctx: Ctx, fields: &[String]) {
        let changed = ctx.changed || spans.iter().any(|s| s.changed);
        let bidi = if self.rtl { "<w:bidi/>" } else { "" };
        let bar = if changed {
            format!(
                "<w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"{}\"/></w:pBdr>",
                hex(self.doc.style.link)
            )
        } else {
            String::new()
        };
        // The schema's order: keepNext and numPr, the border, bidi, then
        // the indentation.
        let (before, ind) = match ppr.starts_with("<w:ind") {
            true => ("", ppr),
            false => (ppr, ""),
        };
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{before}{bar}{bidi}{ind}</w:pPr>"
        );
        let has_text = spans.iter().any(|s| !s.text.is_empty());
        let opened = has_text && self.open_control(fields);
        self.runs(spans);
        self.close_control(opened);
        self.out.push_str("</w:p>");
    }

    /// Styled runs: bold, italic, links (Word's Hyperlink style), line breaks.
    fn runs(&mut self, spans: &[Span]) {
        let mut link: Option<(&str, usize)> = None;
        for s in spans {
            let target = s.link.as_deref();
            if link.map(|(u, _)| Some(u)) != Some(target) {
                if link.is_some() {
                    self.out.push_str("</w:hyperlink>");
                    link = None;
                }
                if let Some(url) = target {
                    self.rels.push(Rel::Link(url.to_string()));
                    let id = self.rels.len();
                    let _ = write!(self.out, "<w:hyperlink r:id=\"rId{id}\">");
                    link = Some((url, id));
                }
            }
            let mut rpr = String::new();
            if link.is_some() {
                rpr.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
            }
            if s.bold {
                rpr.push_str("<w:b/><w:bCs/>");
            }
            if s.italic {
                rpr.push_str("<w:i/><w:iCs/>");
            }
            if brief_core::text::has_rtl(&s.text) {
                rpr.push_str("<w:rtl/>");
            }
            // A passage in another language: Word picks the attribute for
            // the run's script (Latin, East Asian, complex), so all three.
            if let Some(tag) = &s.lang {
                let tag = xml(tag);
                let _ =
                    write!(rpr, "<w:lang w:val=\"{tag}\" w:eastAsia=\"{tag}\" w:bidi=\"{tag}\"/>");
            }
            for (i, piece) in s.text.split('\n').enumerate() {
                self.out.push_str("<w:r>");
                if !rpr.is_empty() {
                    let _ = write!(self.out, "<w:rPr>{rpr}</w:rPr>");
                }
                if i > 0 {
                    self.out.push_str("<w:br/>");
                }
                if !piece.is_empty() {
                    let _ = write!(self.out, "<w:t xml:space=\"preserve\">{}</w:t>", xml(piece));
                }
                self.out.push_str("</w:r>");
            }
        }
        if link.is_some() {
            self.out.push_str("</w:hyperlink>");
        }
    }

    fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        level: usize,
        ctx: Ctx,
    ) -> Result<(), Error> {
        self.lists.push((start.is_some(), start.unwrap_or(1)));
        let num = self.lists.len();
        let style = if start.is_some() { "ListNumber" } else { "ListBullet" };
        let level = level.min(8);
        for item in items {
            let mut first = true;
            for b in item {
                match b {
                    Block::Para(spans) if first => {
                        let ppr = format!(
                            "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num}\"/></w:numPr>"
                        );
                        self.para(style, spans, &ppr, ctx);
                    }
                    Block::Para(spans) => {
                        let ppr = format!("<w:ind w:left=\"{}\"/>", 360 * (level + 1));
                        self.para("ListContinue", spans, &ppr, ctx);
                    }
                    Block::List(start, inner) => self.list(*start, inner, level + 1, ctx)?,
                    other => self.block(other, ctx)?,
                }
                first = false;
            }
        }
        Ok(())
    }

    /// Opens a table of `cols` columns over the text width, in `style`.
    fn open_table(&mut self, style: &str, widths: &[f32], look_header: bool) {
        let bidi = if self.rtl { "<w:bidiVisual/>" } else { "" };
        let look = if look_header { "0420" } else { "0000" };
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"{style}\"/>{bidi}<w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"{look}\" w:firstRow=\"{}\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            twips(widths.iter().sum()),
            u8::from(look_header)
        );
        for w in widths {
            let _ = write!(self.out, "<w:gridCol w:w=\"{}\"/>", twips(*w));
        }
        self.out.push_str("</w:tblGrid>");
    }

    /// One cell: its paragraphs, their runs in the content control of the
    /// cell's field.
    fn cell(&mut self, width: f32, tcpr: &str, paras: &[(&str, &[Span])], ctx: Ctx) {
        let _ = write!(
            self.out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{tcpr}</w:tcPr>",
            twips(width)
        );
        let all: Vec<Span> = paras.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
        let fields = self.fields_of(&all);
        if paras.is_empty() {
            self.out.push_str("<w:p/>");
        }
        for (style, spans) in paras {
            self.para_in(style, spans, "", ctx, &fields);
        }
        self.out.push_str("</w:tc>");
    }

    fn table(&mut self, head: &[Inline], rows: &[Vec<Inline>], ctx: Ctx) {
        let cols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let widths = vec![self.width / cols as f32; cols];
        self.open_table("BriefTable", &widths, true);
        let empty: Inline = Vec::new();
        for (r, row) in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)).enumerate() {
            let header = r == 0;
            let changed = row.iter().flatten().any(|s| s.changed);
            let trpr = if header {
                "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            } else {
                "<w:trPr><w:cantSplit/></w:trPr>"
            };
            let _ = write!(self.out, "<w:tr>{trpr}");
            for (c, width) in widths.iter().enumerate() {
                let spans = row.get(c).unwrap_or(&empty);
                let ctx = Ctx { changed: ctx.changed || (changed && c == 0), ..ctx };
                self.cell(*width, "", &[("TableText", spans)], ctx);
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.spacer();
    }

    /// An empty small paragraph after a table, so two tables never merge.
    fn spacer(&mut self) {
        self.out.push_str("<w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"120\" w:lineRule=\"exact\"/></w:pPr></w:p>");
    }

    /// The title block: labels in a column, values beside them.
    fn fields(&mut self, fields: &[(String, Inline)], ctx: Ctx) {
        // Wide enough for the longest label on one line (a bold character
        // is about 0.6 em), within a fifth and two fifths of the width.
        let longest = fields.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0) as f32;
        let label = (longest * self.doc.style.body_size * 0.62 + 12.0)
            .clamp(self.width * 0.2, self.width * 0.4);
        let widths = [label, self.width - label];
        self.open_table("BriefPlain", &widths, false);
        for (name, value) in fields {
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            let name = vec![Span { text: name.clone(), ..Span::default() }];
            self.cell(widths[0], "", &[("FieldLabel", &name)], Ctx::default());
            self.cell(widths[1], "", &[("FieldValue", value)], ctx);
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.spacer();
    }

    /// Fact tiles, three to a row, shaded.
    fn facts(&mut self, tiles: &[(Inline, Inline)], ctx: Ctx) {
        let per = 3usize;
        let w = self.width / per as f32;
        self.open_table("BriefPlain", &vec![w; per], false);
        let fill = hex(self.doc.style.callout_fill);
        let shade = format!(
            "<w:tcBorders><w:left w:val=\"single\" w:sz=\"18\" w:space=\"0\" w:color=\"FFFFFF\"/><w:right w:val=\"single\" w:sz=\"18\" w:space=\"0\" w:color=\"FFFFFF\"/></w:tcBorders><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/><w:tcMar><w:top w:w=\"113\" w:type=\"dxa\"/><w:left w:w=\"142\" w:type=\"dxa\"/><w:bottom w:w=\"113\" w:type=\"dxa\"/><w:right w:w=\"142\" w:type=\"dxa\"/></w:tcMar>"
        );
        for row in tiles.chunks(per) {
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for c in 0..per {
                match row.get(c) {
                    Some((big, caption)) => {
                        self.cell(w, &shade, &[("FactFigure", big), ("Small", caption)], ctx)
                    }
                    None => self.cell(w, "", &[], ctx),
                }
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.spacer();
    }

    /// A shaded box with a bar: a one-cell table, so any block fits inside.
    fn callout(&mut self, blocks: &[Block], ctx: Ctx) -> Result<(), Error> {
        let s = &self.doc.style;
        let (fill, bar) = (hex(s.callout_fill), hex(s.heading));
        let bidi = if self.rtl { "<w:bidiVisual/>" } else { "" };
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"BriefPlain\"/>{bidi}<w:tblW w:w=\"{w}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"{w}\"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:tcBorders><w:start w:val=\"single\" w:sz=\"24\" w:space=\"0\" w:color=\"{bar}\"/></w:tcBorders><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/><w:tcMar><w:top w:w=\"113\" w:type=\"dxa\"/><w:start w:w=\"198\" w:type=\"dxa\"/><w:bottom w:w=\"57\" w:type=\"dxa\"/><w:end w:w=\"198\" w:type=\"dxa\"/></w:tcMar></w:tcPr>",
            w = twips(self.width)
        );
        let before = self.out.len();
        for b in blocks {
            self.block(b, ctx)?;
        }
        if self.out.len() == before {
            self.out.push_str("<w:p/>");
        }
        self.out.push_str("</w:tc></w:tr></w:tbl>");
        self.spacer();
        Ok(())
    }

    /// A chart: its title as a Caption, the plot as a picture (SVG, with a
    /// PNG for those that cannot show SVG) described by its alt text, its
    /// note and source lines as text under it.
    fn figure(&mut self, id: &str, ctx: Ctx) -> Result<(), Error> {
        let doc = self.doc;
        let Some((index, fig)) = doc.figures.iter().enumerate().find(|(_, f)| f.id == id) else {
            let ids: Vec<&str> = doc.figures.iter().map(|f| f.id.as_str()).collect();
            return Err(Error::Markup(format!(
                "the template places figure `{id}`, but the brief has no such figure (ids: {})",
                ids.join(", ")
            )));
        };
        let style = brief_charts::ChartStyle::for_page(&doc.style, &doc.formats);
        let pic = brief_charts::picture::picture(
            fig,
            &style,
            self.fonts,
            self.width,
            doc.style.chart_height,
        )
        .map_err(|e| Error::Picture(format!("figure `{id}`: {e}")))?;
        let path = format!("figures[{index}]");
        let caption: Vec<Span> = vec![Span {
            text: fig.title.clone(),
            fields: vec![format!("{path}.title")],
            ..Span::default()
        }];
        self.para("Caption", &caption, "", ctx);
        // The unit line the chart draws under its title, as text.
        if let Some(unit) = pic.title.last().filter(|_| fig.unit.is_some() && pic.title.len() > 1) {
            let spans = vec![Span { text: unit.clone(), ..Span::default() }];
            self.para("FigureNote", &spans, "<w:keepNext/>", ctx);
        }
        let n = self.drawing;
        self.drawing += 1;
        self.media.push(Media { name: format!("chart{n}.png"), bytes: pic.png });
        self.rels.push(Rel::Image(format!("media/chart{n}.png")));
        let png = self.rels.len();
        self.media.push(Media { name: format!("chart{n}.svg"), bytes: pic.svg.into_bytes() });
        self.rels.push(Rel::Image(format!("media/chart{n}.svg")));
        let svg = self.rels.len();
        let alt = xml(&brief_charts::alt_text(fig, &style, &doc.meta.language));
        let name = xml(&fig.title);
        let (cx, cy) = ((pic.width * EMU).round() as i64, (pic.height * EMU).round() as i64);
        let bidi = if self.rtl { "<w:bidi/>" } else { "" };
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:keepNext/>{bidi}<w:spacing w:after=\"60\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"{name}\" descr=\"{alt}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rId{png}\"><a:extLst><a:ext uri=\"{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"rId{svg}\"/></a:ext></a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        );
        for line in &pic.foot {
            let spans = vec![Span { text: line.clone(), ..Span::default() }];
            self.para("FigureNote", &spans, "", ctx);
        }
        Ok(())
    }
}
