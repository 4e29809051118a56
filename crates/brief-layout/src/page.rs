//! Pagination and page furniture: chunks → pages with marking, reference,
//! "Page X of Y" and the DRAFT watermark.

use super::{Chunk, Error, MAX_PAGES, Style, shift};
use brief_core::document::in_digits;
use brief_core::document::{Furniture, Rendered};
use brief_core::frame::{
    ArtifactKind, Bookmark, Document, FontStyle, Item, Page, Path, Rgb, Role, Structure, TextRun,
};
use brief_core::style::Marking;
use brief_core::text::FontBook;

/// A page being filled: items placed so far and its bookmarks.
#[derive(Default)]
pub(super) struct Sheet {
    items: Vec<Item>,
    /// Title, level and top of each heading set on the page.
    bookmarks: Vec<(String, u8, f32)>,
}

/// Fills pages with chunks as they come, moving a whole group of chunks that
/// must stay together to the next page when it does not fit, and splitting a
/// chunk at one of its cuts when it is taller than the room left. Counts
/// pages exactly, so it stops at the first page past [`MAX_PAGES`].
pub(super) struct Paginator {
    top: f32,
    bottom: f32,
    sheets: Vec<Sheet>,
    y: f32,
    /// Chunks that keep together, not yet placed, and their height.
    group: Vec<Chunk>,
    height: f32,
    /// The group is complete but waits to be placed until the next chunk
    /// says whether it keeps with the group (and gaps join it meanwhile).
    closed: bool,
    /// A page break waits for something to set on the new page.
    broken: bool,
    /// Where change bars go: x in the right margin (odd pages) and in the
    /// left margin (even pages), the outer margins of a printed document.
    bar_x: (f32, f32),
    /// Colour of the change bars: the text's, so they survive greyscale.
    bar_color: Rgb,
}

impl Paginator {
    pub(super) fn new(style: &Style) -> Paginator {
        Paginator {
            top: style.margin_top,
            bottom: style.text_bottom(),
            sheets: vec![Sheet::default()],
            y: style.margin_top,
            group: Vec::new(),
            height: 0.0,
            closed: false,
            broken: false,
            bar_x: (
                style.page_width - style.margin_right + BAR_GAP,
                style.margin_left - BAR_GAP - BAR_WIDTH,
            ),
            bar_color: style.text,
        }
    }

    /// Takes the next chunk of the flow.
    pub(super) fn push(&mut self, chunk: Chunk) -> Result<(), Error> {
        if chunk.page_break {
            self.flush()?;
            self.broken = true;
            return Ok(());
        }
        if self.closed {
            if chunk.gap {
                // Space after a group goes with it, and is dropped if the
                // group ends a page: placing the two together changes nothing.
                self.height += chunk.height;
                self.group.push(chunk);
                return Ok(());
            }
            self.closed = false;
            if !chunk.keep_with_previous {
                self.flush()?;
            }
        }
        // A gap after a chunk kept with the next (a heading) is held too: a
        // figure opens with one, and a gap that ended the group left the
        // heading alone at the foot of the page.
        let keep = chunk.keep_with_next || (chunk.gap && !self.group.is_empty());
        self.height += chunk.height;
        self.group.push(chunk);
        // A group taller than a page breaks inside anyway: set it now rather
        // than hold a runaway group whole.
        if self.height > self.bottom - self.top {
            self.flush()?;
        } else if !keep {
            self.closed = true;
        }
        Ok(())
    }

    /// The filled pages, once the flow has ended.
    pub(super) fn finish(mut self) -> Result<Vec<Sheet>, Error> {
        self.flush()?;
        if self.sheets.len() > 1 && self.sheets.last().is_some_and(|s| s.items.is_empty()) {
            self.sheets.pop();
        }
        Ok(self.sheets)
    }

    fn flush(&mut self) -> Result<(), Error> {
        self.closed = false;
        let group = std::mem::take(&mut self.group);
        let height = std::mem::take(&mut self.height);
        if group.is_empty() {
            return Ok(());
        }
        // Only something to set opens the page a break asked for.
        if self.broken && group.iter().any(|c| !c.gap) {
            self.broken = false;
            self.new_page()?;
        }
        let fits = self.y + height - trailing_gap(&group) <= self.bottom;
        // A group that does not fit moves on whole when a page holds it, and
        // also when what it must set before its first break (the chunks kept
        // with the next, say a table header, then two lines of the last) does
        // not fit: otherwise a header would be left alone at the foot.
        let whole = height <= self.bottom - self.top;
        if !fits && self.y > self.top && (whole || !self.opening_fits(&group)) {
            self.new_page()?;
        }
        for chunk in group {
            self.place_chunk(chunk)?;
        }
        Ok(())
    }

    /// Whether the opening of `group` fits in the room left on this page:
    /// every chunk but the last, then the last one's first part that a cut
    /// part way down a page may leave (two lines, see [`best_cut`]).
    fn opening_fits(&self, group: &[Chunk]) -> bool {
        let Some((last, kept)) = group.split_last() else { return true };
        let kept: f32 = kept.iter().map(|c| c.height).sum();
        let first = last.cuts.get(1).copied().unwrap_or(last.height);
        self.y + kept + first <= self.bottom
    }

    /// Starts a new page, unless the current one is still empty.
    fn new_page(&mut self) -> Result<(), Error> {
        if self.sheets.last().is_some_and(|s| !s.items.is_empty()) {
            if self.sheets.len() >= MAX_PAGES {
                return Err(Error::TooLong);
            }
            self.sheets.push(Sheet::default());
        }
        self.y = self.top;
        Ok(())
    }

    fn place_chunk(&mut self, mut chunk: Chunk) -> Result<(), Error> {
        if chunk.gap {
            if self.y == self.top {
                return Ok(());
            }
            // Space running past the foot ends the page; its shading is not drawn.
            if self.y + chunk.height <= self.bottom {
                self.place(chunk.items, None, self.y);
            }
            self.y += chunk.height;
            return Ok(());
        }
        let mut continued = false;
        loop {
            let fresh = self.y == self.top;
            if fresh && self.sheets.len() > 1 {
                if let Some(header) = &chunk.header {
                    // Read once, where the table starts: a repeat is furniture.
                    self.place(vec![repeated(header.items.clone())], None, self.y);
                    self.y += header.height;
                }
                if let Some(mark) = chunk.continued.as_ref().filter(|_| continued) {
                    self.place(vec![repeated(mark.items.clone())], None, self.y);
                    self.y += mark.height;
                }
            }
            let room = self.bottom - self.y;
            if chunk.height <= room {
                let y = self.y;
                self.y += chunk.height;
                let bars = self.bars(&chunk.bars);
                self.place(chunk.items, chunk.bookmark, y);
                self.place(bars, None, y);
                return Ok(());
            }
            match best_cut(&chunk.cuts, room, fresh) {
                Some(at) => {
                    let (part, rest) = chunk.split(at);
                    let bars = self.bars(&part.bars);
                    self.place(part.items, part.bookmark, self.y);
                    self.place(bars, None, self.y);
                    self.y += part.height;
                    chunk = rest;
                    continued = true;
                    self.new_page()?;
                }
                None if !fresh => self.new_page()?,
                None => {
                    let what = chunk.what.as_deref().unwrap_or("a line");
                    let why = format!(
                        "{what} is taller than a page ({:.0} pt, room for {room:.0} pt) and has no place to break",
                        chunk.height
                    );
                    return Err(Error::Content {
                        why,
                        hint: "shorten it, or use a theme with larger pages",
                        culprit: None,
                    });
                }
            }
        }
    }

    /// Change bars beside the parts `(top, bottom)` of a chunk, in the
    /// outer margin of the page being filled.
    fn bars(&self, bars: &[(f32, f32)]) -> Vec<Item> {
        let odd = self.sheets.len() % 2 == 1;
        let x = if odd { self.bar_x.0 } else { self.bar_x.1 };
        bars.iter()
            .filter(|(top, bottom)| bottom > top)
            .map(|(top, bottom)| {
                let bar = Path::rect(x, *top, BAR_WIDTH, bottom - top).filled(self.bar_color);
                // A change bar is a mark in the margin, not content a
                // screen reader reads; the changes box says what changed.
                Item::Artifact { kind: ArtifactKind::Layout, items: vec![Item::Path(bar)] }
            })
            .collect()
    }

    fn place(&mut self, items: Vec<Item>, bookmark: Option<(String, u8)>, y: f32) {
        let Some(sheet) = self.sheets.last_mut() else { return };
        sheet.items.extend(items.into_iter().map(|i| shift(i, y)));
        sheet.bookmarks.extend(bookmark.map(|(title, level)| (title, level, y)));
    }
}

/// Width of a change bar, and its distance from the text, in points.
pub(super) const BAR_WIDTH: f32 = 1.5;
const BAR_GAP: f32 = 8.0;

/// A repeated table header (or continuation mark) as one pagination
/// artifact: its tags are dropped, the original was tagged where it was set.
fn repeated(items: Vec<Item>) -> Item {
    fn untag(items: Vec<Item>, out: &mut Vec<Item>) {
        for item in items {
            match item {
                Item::Tagged { items, .. } | Item::Artifact { items, .. } => untag(items, out),
                other => out.push(other),
            }
        }
    }
    let mut plain = Vec::new();
    untag(items, &mut plain);
    Item::Artifact { kind: ArtifactKind::Pagination, items: plain }
}

/// Where to cut a chunk so its top part fills `room`: the lowest cut that
/// fits. Part way down a page a cut must leave two lines on either side
/// (otherwise the chunk moves on whole); at the top of a page any cut does.
fn best_cut(cuts: &[f32], room: f32, fresh: bool) -> Option<f32> {
    let fitting = cuts.partition_point(|c| *c <= room);
    let i = fitting.checked_sub(1)?;
    let lines = cuts.len() + 1;
    (fresh || (i >= 1 && lines - (i + 1) >= 2)).then(|| cuts[i])
}

fn trailing_gap(group: &[Chunk]) -> f32 {
    group.iter().rev().take_while(|c| c.gap).map(|c| c.height).sum()
}

/// Adds the furniture to every page, now that the page count is known.
pub(super) fn finish(
    sheets: Vec<Sheet>,
    mut structure: Structure,
    rendered: &Rendered,
    style: &Style,
    fonts: &FontBook,
) -> Document {
    let total = sheets.len();
    let mut doc = Document { meta: rendered.meta.clone(), ..Document::default() };
    let furniture_of = &rendered.furniture;
    let rtl = rendered.dir == brief_core::locale::Dir::Rtl;
    for (i, sheet) in sheets.into_iter().enumerate() {
        let mut items = Vec::new();
        if let Some(word) = &furniture_of.watermark {
            let mark = watermark(style, fonts, word, rtl);
            items.push(Item::Artifact { kind: ArtifactKind::Watermark, items: vec![mark] });
        }
        let digits = &rendered.formats.digits;
        let (head, running, fields) =
            furniture(i + 1, total, furniture_of, style, fonts, rtl, digits);
        if i == 0 {
            // The marking and handling caveat are read once, first: a reader
            // who skips furniture must still hear how the paper is classified.
            for line in head {
                let node = structure.add(Structure::ROOT, Role::P);
                items.push(Item::Tagged { node, items: vec![line] });
            }
        } else {
            items.push(Item::Artifact { kind: ArtifactKind::Pagination, items: head });
        }
        items.extend(sheet.items);
        items.push(Item::Artifact { kind: ArtifactKind::Pagination, items: running });
        items.extend(fields);
        doc.bookmarks.extend(sheet.bookmarks.into_iter().map(|(title, level, y)| Bookmark {
            title,
            page: i,
            level,
            y,
        }));
        doc.pages.push(Page { width: style.page_width, height: style.page_height, items });
    }
    doc.structure = structure;
    doc
}

/// Text centred (align 0.5), left (0) or right (1) on `x` at baseline `y`.
#[allow(clippy::too_many_arguments)] // a flat call reads best at the call sites
fn text(
    fonts: &FontBook,
    font: FontStyle,
    size: f32,
    color: Rgb,
    s: &str,
    x: f32,
    y: f32,
    align: f32,
    rtl: bool,
) -> Item {
    let glyphs = fonts.shape_dir(font, size, s, rtl);
    let w = advance(&glyphs);
    Item::Text(TextRun { x: x - w * align, y, font, size, color, glyphs })
}

/// Width of shaped text: the sum of its advances.
fn advance(glyphs: &[brief_core::frame::Glyph]) -> f32 {
    glyphs.iter().map(|g| g.advance).sum()
}

/// The box of a running line set as `run`, for the field it shows: data
/// for tools that trace the page back to the source, left out of the PDF.
fn field_box(run: &Item, field: &str) -> Option<Item> {
    let Item::Text(r) = run else { return None };
    let w = advance(&r.glyphs);
    (w > 0.0 && !field.is_empty()).then(|| Item::Field {
        x: r.x,
        y: r.y - r.size * 0.8,
        w,
        h: r.size * 1.1,
        path: field.to_string(),
    })
}

/// The furniture of a page: the marking and handling lines at its head,
/// then the rest (rules, a marking at the foot, reference, page number),
/// then the field boxes of the lines that show a field.
fn furniture(
    page: usize,
    total: usize,
    f: &Furniture,
    style: &Style,
    fonts: &FontBook,
    rtl: bool,
    digits: &[char; 10],
) -> (Vec<Item>, Vec<Item>, Vec<Item>) {
    let mid = style.page_width / 2.0;
    let (left, right) = (style.margin_left, style.page_width - style.margin_right);
    let (size, small) = (style.marking_size, style.small_size);
    let line = |font, size, color, s: &str, x, y, align| {
        text(fonts, font, size, color, s, x, y, align, rtl)
    };
    let (mut head, mut items, mut fields) = (Vec::new(), Vec::new(), Vec::new());
    // The marking's place at the head of the page; the handling caveat
    // stands under it, aligned with it: in the corner it qualifies the
    // marking, never floats apart from it in the middle of the page. At the
    // foot the marking is centred either way, clear of the page number.
    let (x, align) = match style.marking {
        Marking::TopAndBottom => (mid, 0.5),
        Marking::TopRight => (right, 1.0),
    };
    if let Some(marking) = &f.marking {
        let bold = FontStyle::Bold;
        let bottom = style.page_height - 22.0;
        let (top, foot) = (
            line(bold, size, style.text, &marking.text, x, 30.0, align),
            line(bold, size, style.text, &marking.text, mid, bottom, 0.5),
        );
        fields.extend([field_box(&top, marking.field), field_box(&foot, marking.field)]);
        head.push(top);
        items.push(foot);
    }
    if let Some(handling) = &f.handling {
        let muted = style.muted;
        let run = line(FontStyle::Regular, size * 0.85, muted, &handling.text, x, 42.0, align);
        fields.push(field_box(&run, handling.field));
        head.push(run);
    }
    items.push(Item::Path(Path::line(left, 50.0, right, 50.0).stroked(style.rule, 0.5)));
    let foot_y = style.page_height - 40.0;
    items.push(Item::Path(
        Path::line(left, foot_y - 11.0, right, foot_y - 11.0).stroked(style.rule, 0.5),
    ));
    let footer = line(FontStyle::Regular, small, style.muted, &f.footer.text, left, foot_y, 0.0);
    fields.push(field_box(&footer, f.footer.field));
    items.push(footer);
    let page_text = f
        .page_label
        .replace("{page}", &in_digits(&page.to_string(), digits))
        .replace("{total}", &in_digits(&total.to_string(), digits));
    items.push(line(FontStyle::Regular, small, style.muted, &page_text, right, foot_y, 1.0));
    (head, items, fields.into_iter().flatten().collect())
}

/// Checks that every furniture line fits across the page, so a long marking
/// or reference is an error naming its field, never text run off the paper.
pub(super) fn check_furniture(f: &Furniture, style: &Style, fonts: &FontBook) -> Result<(), Error> {
    let width = |font, size, s: &str| advance(&fonts.shape(font, size, s));
    let page = f.page_label.replace("{page}", "1000").replace("{total}", "1000");
    let footer = format!("{}    {page}", f.footer.text);
    let lines = [
        (
            "marking",
            f.marking
                .as_ref()
                .map(|m| (m.field, width(FontStyle::Bold, style.marking_size, &m.text))),
        ),
        (
            "handling caveat",
            f.handling
                .as_ref()
                .map(|h| (h.field, width(FontStyle::Regular, style.marking_size * 0.85, &h.text))),
        ),
        (
            "reference and version",
            Some((f.footer.field, width(FontStyle::Regular, style.small_size, &footer))),
        ),
    ];
    let room = style.text_width();
    for (label, line) in lines {
        if let Some((field, used)) = line.filter(|(_, w)| *w > room) {
            let why = format!(
                "the {label} is too long for its line on every page ({used:.0} pt, room for {room:.0} pt)"
            );
            return Err(Error::Furniture { field, why });
        }
    }
    Ok(())
}

/// A large diagonal DRAFT in mid grey behind the text: visible in greyscale.
fn watermark(style: &Style, fonts: &FontBook, draft: &str, rtl: bool) -> Item {
    let size = 120.0;
    let (cx, cy) = (style.page_width / 2.0, style.page_height / 2.0);
    let (color, y) = (style.watermark, cy + size * 0.35);
    let run = text(fonts, FontStyle::Bold, size, color, draft, cx, y, 0.5, rtl);
    Item::Rotated { x: cx, y: cy, degrees: 45.0, items: vec![run] }
}
