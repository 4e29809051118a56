//! Layout: markup → shaped, broken, paginated pages.
//!
//! Blocks become *chunks*: slices of the flow (a line, a table row, a figure)
//! with rules about where a page may end, streamed to pagination as they are
//! set. Pagination fills pages greedily, moving whole groups when a break is
//! not allowed (headings keep with what follows; no single line of a paragraph
//! stranded), cutting a chunk taller than the room left between its lines (a
//! table row gets its header again), so no text ever runs past the foot; it
//! counts pages exactly and stops at the first past the limit. The page
//! furniture (marking, reference, "Page X of Y", DRAFT watermark) is drawn
//! once the total is known.

pub mod lines;
pub mod markup;
mod mirror;
mod page;

use brief_charts::ChartStyle;
use std::ops::ControlFlow;
use std::rc::Rc;

use brief_core::document::Rendered;
use brief_core::frame::{
    Document, FontStyle, Item, NodeId, Path, Role, Structure, TextRun, tagged,
};
pub use brief_core::style::Style;
use brief_core::text::FontBook;
use lines::{Line, TextStyle};
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
    /// The markup's content cannot be set (a table too wide, an image).
    Content {
        /// What cannot be set, and why.
        why: String,
        /// How to fix it.
        hint: &'static str,
        /// The text at fault as the markup carries it (an image's address,
        /// a figure id, a link), when there is one: how the caller finds
        /// whether the brief or the template wrote it.
        culprit: Option<String>,
    },
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
            Error::Markup(why) | Error::Content { why, .. } | Error::Furniture { why, .. } => {
                f.write_str(why)
            }
            Error::TooLong => write!(f, "the document runs past {MAX_PAGES} pages"),
        }
    }
}

/// A slice of the flow: a line, a table row, a figure. Pagination splits one
/// only at its `cuts` (between lines), so nothing is ever set below the foot.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// Height including space below.
    height: f32,
    /// Items positioned from the chunk's top (y = 0), x absolute.
    items: Vec<Item>,
    /// A page may not end right after this chunk.
    keep_with_next: bool,
    /// A page may not end right before this chunk (gaps between them
    /// aside): a sign-off such as the clearance line never stands alone.
    keep_with_previous: bool,
    /// Vertical space, dropped at the top of a page.
    gap: bool,
    /// Start a new page before this chunk.
    page_break: bool,
    /// Header to repeat when a table continues on a new page.
    header: Option<Box<Chunk>>,
    /// Bookmark title and level, for headings.
    bookmark: Option<(String, u8)>,
    /// Offsets from the top where the chunk may be split across pages, ascending.
    cuts: Vec<f32>,
    /// Set above the rest of a split chunk on its new page, saying it continues.
    continued: Option<Box<Chunk>>,
    /// What the chunk is, for the error when it fits no page.
    what: Option<Box<str>>,
    /// Heights (top, bottom) from the chunk's top beside which a change bar
    /// is drawn: the parts that changed since the version compared with.
    bars: Vec<(f32, f32)>,
}

impl Chunk {
    /// Cuts the chunk `at` one of its cuts: the part above, and the rest
    /// moved up to y = 0. A shading rectangle across the cut is cut in two.
    fn split(self, at: f32) -> (Chunk, Chunk) {
        let mut top = Chunk {
            height: at,
            keep_with_previous: self.keep_with_previous,
            bookmark: self.bookmark,
            header: self.header.clone(),
            cuts: self.cuts.iter().copied().filter(|c| *c < at).collect(),
            what: self.what.clone(),
            bars: self.bars.iter().filter(|b| b.0 < at).map(|b| (b.0, b.1.min(at))).collect(),
            ..Chunk::default()
        };
        let mut rest = Chunk {
            height: self.height - at,
            keep_with_next: self.keep_with_next,
            header: self.header,
            cuts: self.cuts.iter().filter(|c| **c > at).map(|c| c - at).collect(),
            continued: self.continued,
            what: self.what,
            bars: self
                .bars
                .iter()
                .filter(|b| b.1 > at)
                .map(|b| ((b.0 - at).max(0.0), b.1 - at))
                .collect(),
            ..Chunk::default()
        };
        for item in self.items {
            match item {
                Item::Path(p) if let Some((x0, y0, x1, y1)) = rect_bounds(&p) => {
                    if y1 <= at {
                        top.items.push(Item::Path(p));
                    } else if y0 >= at {
                        rest.items.push(shift(Item::Path(p), -at));
                    } else {
                        let upper =
                            Path { segs: Path::rect(x0, y0, x1 - x0, at - y0).segs, ..p.clone() };
                        let lower = Path { segs: Path::rect(x0, 0.0, x1 - x0, y1 - at).segs, ..p };
                        top.items.push(Item::Path(upper));
                        rest.items.push(Item::Path(lower));
                    }
                }
                item => {
                    if item_top(&item) < at {
                        top.items.push(item);
                    } else {
                        rest.items.push(shift(item, -at));
                    }
                }
            }
        }
        (top, rest)
    }
}

/// The corners of an axis-aligned rectangle path, `(x0, y0, x1, y1)`.
fn rect_bounds(p: &Path) -> Option<(f32, f32, f32, f32)> {
    use brief_core::frame::Seg;
    let [Seg::Move(ax, ay), Seg::Line(bx, by), Seg::Line(cx, cy), Seg::Line(dx, dy), Seg::Close] =
        p.segs[..]
    else {
        return None;
    };
    let square = ay == by && bx == cx && cy == dy && dx == ax;
    square.then(|| (ax.min(cx), ay.min(cy), ax.max(cx), ay.max(cy)))
}

/// Where an item belongs when its chunk is cut: text by its baseline,
/// anything else by its top.
fn item_top(item: &Item) -> f32 {
    use brief_core::frame::Seg;
    match item {
        Item::Text(r) => r.y,
        Item::Link { y, h, .. } | Item::GoTo { y, h, .. } | Item::Field { y, h, .. } => y + h / 2.0,
        Item::Rotated { y, .. } => *y,
        // A tagged group is one line (or one figure): it moves as a whole.
        Item::Tagged { items, .. } | Item::Artifact { items, .. } => {
            items.iter().map(item_top).fold(f32::MAX, f32::min)
        }
        Item::Path(p) => p
            .segs
            .iter()
            .filter_map(|s| match *s {
                Seg::Move(_, y) | Seg::Line(_, y) => Some(y),
                Seg::Cubic(_, a, _, b, _, c) => Some(a.min(b).min(c)),
                Seg::Close => None,
            })
            .fold(f32::MAX, f32::min),
    }
}

/// Stage 4: lays out a rendered brief into pages; stops as soon as the
/// document is certain to run past [`MAX_PAGES`] pages, so a runaway
/// document costs little.
pub fn layout(doc: &Rendered, fonts: &FontBook) -> Result<Document, Error> {
    let (markup, style) = (doc.markup.as_str(), &doc.style);
    // Japanese anywhere (kana) sets all Han characters in Japanese forms.
    let figures: Vec<String> = doc.figures.iter().map(figure_text).collect();
    let fonts = fonts.for_text(std::iter::once(markup).chain(figures.iter().map(String::as_str)));
    page::check_furniture(&doc.furniture, style, fonts)?;
    let levels = brief_core::text::nesting::depth(markup);
    if levels > MAX_NESTING {
        return Err(Error::Markup(format!(
            "the markup nests {levels} levels deep, more than the {MAX_NESTING} allowed"
        )));
    }
    let blocks = markup::parse(markup)?;
    let mut flow = Flow {
        style: Rc::new(style.clone()),
        fonts,
        doc,
        pages: page::Paginator::new(style),
        held: None,
        marker: None,
        tree: Structure::default(),
        passages: Default::default(),
        parent: Structure::ROOT,
        level: 0,
        error: None,
        bar: false,
        bars: 0,
        keep_last_line: false,
        keep_previous: false,
        x: style.margin_left,
        width: style.text_width(),
        page: (style.text_bottom() - style.margin_top).max(1.0),
    };
    let mut i = 0;
    while i < blocks.len() {
        // Two figures in a row share the width, as briefing notes set them,
        // whether or not they changed since the version compared with: a
        // figure reads the same in every build.
        if let (Some((a, bar_a)), Some((b, bar_b))) =
            (lone_figure(&blocks[i]), blocks.get(i + 1).and_then(lone_figure))
        {
            flow.bars += usize::from(bar_a || bar_b);
            flow.figure_pair(a, b)?;
            flow.bars -= usize::from(bar_a || bar_b);
            i += 2;
        } else {
            flow.block(&blocks[i], 0)?;
            i += 1;
        }
        if let Some(e) = flow.error.take() {
            return Err(e);
        }
    }
    let sheets = flow.pages.finish()?;
    let mut document = page::finish(sheets, flow.tree, doc, style, fonts);
    if doc.dir == brief_core::locale::Dir::Rtl {
        for page in &mut document.pages {
            mirror::mirror(&mut page.items, page.width);
        }
    }
    Ok(document)
}

/// Every label of a figure, for choosing faces.
/// The figure id of a block that is one figure, and whether it is marked
/// as changed.
fn lone_figure(block: &Block) -> Option<(&str, bool)> {
    match block {
        Block::Figure(id) => Some((id, false)),
        Block::Changed(inner) => match inner.as_slice() {
            [Block::Figure(id)] => Some((id, true)),
            _ => None,
        },
        Block::Field(_, inner) => match inner.as_slice() {
            [only] => lone_figure(only),
            _ => None,
        },
        _ => None,
    }
}

fn figure_text(fig: &brief_core::figure::Figure) -> String {
    let mut text = fig.title.clone();
    for s in fig.categories.iter().chain(fig.series.iter().map(|s| &s.name)) {
        text.push_str(s);
    }
    for s in [&fig.unit, &fig.source, &fig.note].into_iter().flatten() {
        text.push_str(s);
    }
    text
}

/// Deepest nesting of lists, quotes and `:::` blocks layout accepts.
pub use brief_core::text::nesting::MAX_NESTING;

struct Flow<'a> {
    /// Shared so a `::: small` block can swap in a smaller size for a while.
    style: Rc<Style>,
    fonts: &'a FontBook,
    doc: &'a Rendered,
    /// Where finished chunks go, page by page.
    pages: page::Paginator,
    /// Chunks held back inside a callout (merged into one box at its end),
    /// with their total height.
    held: Option<(Vec<Chunk>, f32)>,
    /// A list marker waiting for its item's first line.
    marker: Option<Item>,
    /// The logical structure built so far, in reading order.
    tree: Structure,
    /// The `Span` element of each passage in another language, by the
    /// element it is in and the passage (see [`markup::Span::lang`]): a
    /// passage broken across lines is one element.
    passages: std::collections::HashMap<(NodeId, usize), NodeId>,
    /// The element new blocks go into.
    parent: NodeId,
    /// Level of the last heading, so none is skipped (H1 then H3).
    level: u8,
    /// The first error; once set, nothing more is set.
    error: Option<Error>,
    /// The paragraph, row or field being set changed: its chunks get a bar.
    bar: bool,
    /// Depth of `::: changed` blocks around what is being set.
    bars: usize,
    /// The next paragraph's last line keeps with what follows: a list
    /// item's text with its first sub-item, as a heading with its text.
    keep_last_line: bool,
    /// The next chunk set keeps with the one before it.
    keep_previous: bool,
    x: f32,
    width: f32,
    /// Height of the text area of a page.
    page: f32,
}

impl<'a> Flow<'a> {
    fn block(&mut self, block: &Block, depth: usize) -> Result<(), Error> {
        if self.error.is_some() {
            return Ok(());
        }
        let s = Rc::clone(&self.style);
        match block {
            Block::Heading(level, spans) => self.heading(*level, spans),
            Block::Para(spans) => {
                let node = self.tree.add(self.parent, Role::P);
                self.para(spans, self.text_style(s.body_size), s.line_height, node);
                self.gap(s.para_gap);
            }
            Block::List(start, items) => self.list(*start, items, depth)?,
            Block::Table(head, rows) => self.table(head, rows)?,
            Block::Callout(inner) => {
                let div = self.tree.add(self.parent, Role::Div);
                let outer = std::mem::replace(&mut self.parent, div);
                let done = self.boxed(inner, depth);
                self.parent = outer;
                done?
            }
            Block::Changed(inner) => {
                self.bars += 1;
                for b in inner {
                    self.block(b, depth)?;
                }
                self.bars -= 1;
            }
            Block::Field(_, inner) => {
                for b in inner {
                    self.block(b, depth)?;
                }
            }
            Block::Small(inner) => {
                // Small print (a clearance or distribution line) closes what
                // comes before it, so it never opens a page alone.
                self.keep_previous = true;
                let small = Style { body_size: s.small_size, ..(*s).clone() };
                let saved = std::mem::replace(&mut self.style, Rc::new(small));
                for b in inner {
                    self.block(b, depth)?;
                }
                self.style = saved;
            }
            Block::Fields(fields) => self.fields(fields),
            Block::Facts(tiles) => {
                let div = self.tree.add(self.parent, Role::Div);
                self.facts(tiles, div)
            }
            Block::Figure(id) => self.figure(id)?,
            Block::Rule => {
                let line = Path::line(self.x, 0.0, self.x + self.width, 0.0).stroked(s.rule, 0.5);
                self.push(Chunk {
                    height: s.para_gap,
                    items: vec![layout_artifact(vec![Item::Path(line)])],
                    ..Chunk::default()
                });
            }
            Block::PageBreak => self.push(Chunk { page_break: true, ..Chunk::default() }),
        }
        Ok(())
    }

    fn chart_style(&self, s: &Style) -> ChartStyle {
        let rtl = self.doc.dir == brief_core::locale::Dir::Rtl;
        ChartStyle { rtl, ..ChartStyle::for_page(s, &self.doc.formats) }
    }

    fn text_style(&self, size: f32) -> TextStyle {
        let s = &self.style;
        let rtl = self.doc.dir == brief_core::locale::Dir::Rtl;
        TextStyle { size, bold: false, italic: false, color: s.text, link: s.link, rtl }
    }

    /// Passes a chunk on to pagination, or holds it inside a callout.
    fn push(&mut self, mut chunk: Chunk) {
        if self.error.is_some() {
            return;
        }
        if !chunk.gap
            && !chunk.page_break
            && let Some(marker) = self.marker.take()
        {
            // The marker is read before its item's text.
            chunk.items.insert(0, marker);
        }
        if !chunk.gap && !chunk.page_break {
            chunk.keep_with_previous = std::mem::take(&mut self.keep_previous);
        }
        if (self.bar || self.bars > 0) && !chunk.gap && chunk.height > 0.0 {
            chunk.bars = vec![(0.0, chunk.height)];
        }
        let limit = self.page * MAX_PAGES as f32;
        if let Some((held, height)) = &mut self.held {
            // A box is split only at its cuts, one page at most per page: a
            // box taller than every page together is certain to be too long.
            *height += chunk.height.min(self.page);
            held.push(chunk);
            if *height > limit {
                self.error = Some(Error::TooLong);
            }
            return;
        }
        if let Err(e) = self.pages.push(chunk) {
            self.error = Some(e);
        }
    }

    fn gap(&mut self, height: f32) {
        self.push(Chunk { height, gap: true, ..Chunk::default() });
    }

    /// Breaks `spans` into lines `leading` apart, stopping once they are
    /// certain to run past the page limit (then the error is set).
    fn lines(&mut self, spans: &[Span], style: TextStyle, width: f32, leading: f32) -> Vec<Line> {
        let most = (self.page * MAX_PAGES as f32 / leading.max(0.01)) as usize + 1;
        let mut lines = Vec::new();
        let _ = lines::each_line(spans, style, width, self.fonts, &mut |line| {
            lines.push(line);
            if lines.len() > most { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        });
        if lines.len() > most {
            self.error.get_or_insert(Error::TooLong);
        }
        lines
    }

    fn heading(&mut self, level: u8, spans: &Inline) {
        let s = Rc::clone(&self.style);
        let (size, color) = match level {
            1 => (s.title_size, s.heading),
            2 => (s.h2_size, s.heading),
            _ => (s.h3_size, s.text),
        };
        if level > 1 {
            self.gap(s.heading_gap);
        }
        // Tagged one level below the last heading at most: a skipped level
        // would break a screen reader's heading navigation.
        let tag_level = level.clamp(1, 3).min(self.level + 1);
        self.level = tag_level;
        let node = self.tree.add(self.parent, Role::H(tag_level));
        let text_style = TextStyle { bold: true, color, ..self.text_style(size) };
        let lines = self.lines(spans, text_style, self.width, size * 1.25);
        let title: String = spans.iter().map(|s| s.text.as_str()).collect();
        let n = lines.len();
        let was = std::mem::replace(&mut self.bar, changed(spans));
        for (i, line) in lines.into_iter().enumerate() {
            let mut chunk = self.line_chunk(line, size, size * 1.25, node);
            chunk.keep_with_next = true;
            if i == 0 {
                chunk.bookmark = Some((title.clone(), tag_level));
            }
            if i + 1 == n {
                chunk.height += s.para_gap * 0.5;
            }
            self.push(chunk);
        }
        self.bar = was;
    }

    /// A paragraph as one chunk per line, with widow and orphan control;
    /// lines are set and passed on as they are broken, never all held.
    fn para(&mut self, spans: &Inline, style: TextStyle, leading: f32, node: NodeId) {
        let fonts = self.fonts;
        let width = self.width;
        // The last two lines wait: whether a line keeps with the next depends
        // on how many follow it.
        let mut waiting: std::collections::VecDeque<(usize, Chunk)> = Default::default();
        let mut n = 0;
        let was = std::mem::replace(&mut self.bar, changed(spans));
        let _ = lines::each_line(spans, style, width, fonts, &mut |line| {
            let chunk = self.line_chunk(line, style.size, style.size * leading, node);
            waiting.push_back((n, chunk));
            n += 1;
            if waiting.len() > 2
                && let Some((i, mut chunk)) = waiting.pop_front()
            {
                // Never leave one line alone: keep the first two together.
                chunk.keep_with_next = i == 0;
                self.push(chunk);
            }
            if self.error.is_some() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        });
        let keep_last = std::mem::take(&mut self.keep_last_line);
        for (i, mut chunk) in waiting {
            // …and the last two.
            chunk.keep_with_next = i + 1 < n && (i == 0 || i + 2 >= n) || (i + 1 == n && keep_last);
            self.push(chunk);
        }
        self.bar = was;
    }

    fn line_chunk(&mut self, line: Line, size: f32, height: f32, node: NodeId) -> Chunk {
        let baseline = height * 0.78;
        let items = self.tag_line(node, line, self.x, baseline, size);
        Chunk { height, items, ..Chunk::default() }
    }

    /// A line placed (see [`place_line`]) as content of `node`, each
    /// passage in another language in a `Span` of its own under `node`
    /// with its `/Lang`, so a screen reader switches voice there.
    fn tag_line(
        &mut self,
        node: NodeId,
        mut line: Line,
        x: f32,
        baseline: f32,
        size: f32,
    ) -> Vec<Item> {
        let langs = std::mem::take(&mut line.langs);
        let mut groups: Vec<(NodeId, Vec<Item>)> = Vec::new();
        let mut extras = Vec::new();
        for (i, item) in place_line(line, x, baseline, size).into_iter().enumerate() {
            // Links and field boxes come after the runs.
            let Some(lang) = langs.get(i) else {
                extras.push(item);
                continue;
            };
            let owner = match lang {
                Some(lang) => {
                    let key = (node, std::sync::Arc::as_ptr(lang) as *const u8 as usize);
                    *self.passages.entry(key).or_insert_with(|| {
                        let span = self.tree.add(node, Role::Span);
                        if let Some(n) = self.tree.get_mut(span) {
                            n.lang = Some(lang.to_string());
                        }
                        span
                    })
                }
                None => node,
            };
            match groups.last_mut() {
                Some((last, items)) if *last == owner => items.push(item),
                _ => groups.push((owner, vec![item])),
            }
        }
        // A link is never inside a passage: it goes with the words of `node`,
        // which name it; a field box, drawing nothing, with them too.
        let home = groups.iter().position(|(owner, _)| *owner == node);
        match home.or(groups.len().checked_sub(1)) {
            Some(at) => groups[at].1.extend(extras),
            None => groups.push((node, extras)),
        }
        groups.into_iter().filter_map(|(owner, items)| tagged(owner, items)).collect()
    }

    /// How far a nested list or box may step in: never so far that its text
    /// column becomes narrower than a quarter of the page's.
    fn indent(&self, want: f32) -> f32 {
        let narrowest = self.style.text_width() / 4.0;
        want.min((self.width - narrowest).max(0.0))
    }

    fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        depth: usize,
    ) -> Result<(), Error> {
        let s = Rc::clone(&self.style);
        let indent = self.indent(s.body_size * 1.6);
        let list = self.tree.add(self.parent, Role::L);
        let outer = self.parent;
        for (i, item) in items.iter().enumerate() {
            let marker = match start {
                Some(n) => format!("{}.", n.saturating_add(i as u64)),
                None => {
                    if depth == 0 {
                        "•".to_string()
                    } else {
                        "–".to_string()
                    }
                }
            };
            let li = self.tree.add(list, Role::LI);
            let lbl = self.tree.add(li, Role::Lbl);
            let body = self.tree.add(li, Role::LBody);
            self.marker = tagged(lbl, vec![self.marker_item(&marker, indent)]);
            self.parent = body;
            let (x, width) = (self.x, self.width);
            self.x += indent;
            self.width -= indent;
            for (j, block) in item.iter().enumerate() {
                let done = match block {
                    Block::Para(spans) => {
                        let p = self.tree.add(body, Role::P);
                        self.keep_last_line = matches!(item.get(j + 1), Some(Block::List(..)));
                        self.para(spans, self.text_style(s.body_size), s.line_height, p);
                        Ok(())
                    }
                    other => self.block(other, depth + 1),
                };
                if let Err(e) = done {
                    self.parent = outer;
                    return Err(e);
                }
            }
            self.parent = outer;
            self.x = x;
            self.width = width;
            self.marker = None;
            self.gap(s.item_gap);
        }
        if depth == 0 {
            self.gap(s.para_gap - s.item_gap);
        }
        Ok(())
    }

    /// A list marker, set on the baseline of its item's first line. In a
    /// right-to-left list "1." is shaped as the language reads it: the
    /// number at the right, its stop after it, on its left (".1" seen from
    /// the left), as CSS lists in `dir=rtl`, Word and LibreOffice set
    /// Arabic, Persian and Hebrew lists (Typst sets "1." as a left-to-right
    /// isolate, the stop on the right).
    fn marker_item(&self, marker: &str, indent: f32) -> Item {
        let s = &self.style;
        let rtl = self.doc.dir == brief_core::locale::Dir::Rtl;
        let glyphs = self.fonts.shape_dir(FontStyle::Regular, s.body_size, marker, rtl);
        let w: f32 = glyphs.iter().map(|g| g.advance).sum();
        let baseline = s.body_size * s.line_height * 0.78;
        let x = self.x + indent - w - s.body_size * 0.5;
        Item::Text(TextRun {
            x,
            y: baseline,
            font: FontStyle::Regular,
            size: s.body_size,
            color: s.text,
            glyphs,
        })
    }
}

mod boxes;
mod figures;
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
    for (lx, w, path) in line.fields {
        let path = path.to_string();
        items.push(Item::Field { x: x + lx, y: baseline - size * 0.8, w, h: size * 1.1, path });
    }
    items
}

/// Stacks chunks into one, shifting each below the last; the merged chunk
/// may be cut wherever a part may end a page, and inside parts at their cuts.
fn merge(parts: Vec<Chunk>) -> Chunk {
    let mut merged = Chunk::default();
    let mut keep = true;
    for part in parts {
        let dy = merged.height;
        // Never right before a gap: the rest would be space alone.
        if dy > 0.0 && !keep && !part.gap {
            merged.cuts.push(dy);
        }
        merged.cuts.extend(part.cuts.iter().map(|c| c + dy));
        keep = part.keep_with_next;
        merged.items.extend(part.items.into_iter().map(|i| shift(i, dy)));
        merged.bars.extend(part.bars.iter().map(|(a, b)| (a + dy, b + dy)));
        merged.height += part.height;
    }
    merged
}

/// Whether inline text carries a change bar marker.
fn changed(spans: &[Span]) -> bool {
    spans.iter().any(|s| s.changed)
}

/// Decoration that is not read out: rules, shading.
fn layout_artifact(items: Vec<Item>) -> Item {
    Item::Artifact { kind: brief_core::frame::ArtifactKind::Layout, items }
}

/// Moves an item down by `dy`.
fn shift(item: Item, dy: f32) -> Item {
    use brief_core::frame::Seg;
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
        Item::Field { x, y, w, h, path } => Item::Field { x, y: y + dy, w, h, path },
        Item::GoTo { x, y, w, h, page } => Item::GoTo { x, y: y + dy, w, h, page },
        Item::Rotated { x, y, degrees, items } => Item::Rotated {
            x,
            y: y + dy,
            degrees,
            items: items.into_iter().map(|i| shift(i, dy)).collect(),
        },
        Item::Tagged { node, items } => {
            Item::Tagged { node, items: items.into_iter().map(|i| shift(i, dy)).collect() }
        }
        Item::Artifact { kind, items } => {
            Item::Artifact { kind, items: items.into_iter().map(|i| shift(i, dy)).collect() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brief_core::document::{Formats, Furniture, RunningLine};
    use brief_core::figure::{ChartKind, Figure, Series};
    use brief_core::frame::{Meta, Node};

    /// The example brief as render hands it over: the boundary snapshot.
    fn example_doc() -> Document {
        let brief = brief_model::tests_support::example();
        let template = brief_render::Template::builtin("briefing-note").expect("built in");
        let inputs = brief_render::Inputs { today: brief.brief.date, created: 0, paper: None };
        let rendered = brief_render::render(&template, &brief, &inputs).expect("renders");
        layout(&rendered, FontBook::builtin()).expect("lays out")
    }

    /// The id of the one figure of [`rendered`].
    const FIGURE: &str = "trade-turnover";

    /// A rendered document made by hand, with one figure [`FIGURE`].
    fn rendered(markup: &str, style: &Style, watermark: Option<&str>) -> Rendered {
        let figure = Figure {
            id: FIGURE.into(),
            title: "Trade".into(),
            kind: ChartKind::Bar,
            unit: None,
            categories: vec!["2020".into(), "2021".into()],
            series: vec![Series { name: "Trade".into(), values: vec![Some(5.4), Some(3.6)] }],
            source: None,
            note: None,
            alt: None,
            data: None,
        };
        Rendered {
            markup: markup.into(),
            style: style.clone(),
            furniture: Furniture {
                marking: Some(RunningLine {
                    text: "OFFICIAL".into(),
                    field: "brief.classification",
                }),
                handling: None,
                footer: RunningLine { text: "REF-1".into(), field: "brief.reference" },
                page_label: "Page {page} of {total}".into(),
                watermark: watermark.map(String::from),
            },
            meta: Meta::default(),
            figures: vec![figure],
            formats: Formats {
                decimal: '.',
                group: ',',
                minus: '-',
                digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
                source_label: "Source".into(),
                note_label: "Note".into(),
                chart_words: Default::default(),
            },
            dir: Default::default(),
        }
    }

    /// Lays out `markup` in `style`, as render would hand it over.
    fn lay(markup: &str, style: &Style) -> Result<Document, Error> {
        layout(&rendered(markup, style, None), FontBook::builtin())
    }

    /// The field boxes of every page: page, path, and the box.
    fn fields(doc: &Document) -> Vec<(usize, String, [f32; 4])> {
        let mut out = Vec::new();
        for (n, page) in doc.pages.iter().enumerate() {
            for item in page.leaves() {
                if let Item::Field { x, y, w, h, path } = item {
                    out.push((n, path.clone(), [*x, *y, *w, *h]));
                }
            }
        }
        out
    }

    /// Everything but the field boxes: what is printed.
    fn printed(doc: &Document) -> Document {
        fn strip(items: &mut Vec<Item>) {
            items.retain(|i| !matches!(i, Item::Field { .. }));
            for item in items {
                if let Item::Tagged { items, .. } | Item::Artifact { items, .. } = item {
                    strip(items);
                }
            }
        }
        let mut doc = doc.clone();
        doc.pages.iter_mut().for_each(|p| strip(&mut p.items));
        doc
    }

    #[test]
    fn field_marks_become_boxes_over_their_text_and_change_nothing_printed() {
        let style = Style::default();
        let marked = "# Title<!--field:brief.title-->\n\n\
            1. First message, long enough to run onto a second line of the page when set at this width, as messages do.<!--field:key_messages[0]-->\n\
            2. Second<!--field:key_messages[1]-->\n\n\
            Date: 5 July<!--field:meeting.date-->, 10:30<!--field:meeting.time-->\n\n\
            | A | B |\n|---|---|\n| cell<!--field:outcomes[0]--> | x |\n\n\
            ::: field summary\nOne paragraph.\n\nAnother, with **bold** and a [link](https://example.org).\n:::\n";
        let plain = marked.replace("<!--field:brief.title-->", "");
        let plain = regex_free_strip(&plain);
        let doc = lay(marked, &style).unwrap();
        let bare = lay(&plain, &style).unwrap();
        assert_eq!(printed(&doc), printed(&bare), "marks print nothing and move nothing");
        let found = fields(&doc);
        let paths: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
        for want in [
            "brief.title",
            "key_messages[0]",
            "key_messages[1]",
            "meeting.date",
            "meeting.time",
            "outcomes[0]",
            "summary",
            "brief.classification",
            "brief.reference",
        ] {
            assert!(paths.contains(&want), "{want} in {paths:?}");
        }
        // The marking at the head and at the foot of the page, each its own box.
        assert_eq!(paths.iter().filter(|p| **p == "brief.classification").count(), 2, "{found:?}");
        // A message over two lines has a box on each; each box covers its text.
        assert_eq!(paths.iter().filter(|p| **p == "key_messages[0]").count(), 2, "{found:?}");
        let runs: Vec<&TextRun> = doc.pages[0]
            .leaves()
            .into_iter()
            .filter_map(|i| if let Item::Text(t) = i { Some(t) } else { None })
            .collect();
        let inside = |needle: &str, path: &str| {
            let run = runs.iter().find(|r| r.text().contains(needle)).unwrap();
            found.iter().any(|(_, p, [x, y, w, h])| {
                p == path && *x <= run.x + 0.01 && run.x < x + w && *y < run.y && run.y < y + h
            })
        };
        assert!(inside("Second", "key_messages[1]"));
        assert!(inside("Title", "brief.title"));
        assert!(inside("cell", "outcomes[0]"));
        assert!(inside("Another", "summary"));
        assert!(inside("OFFICIAL", "brief.classification"));
        assert!(inside("REF-1", "brief.reference"));
        // Two fields on one line: each its own part of it.
        let date = found.iter().find(|(_, p, _)| p == "meeting.date").unwrap().2;
        let time = found.iter().find(|(_, p, _)| p == "meeting.time").unwrap().2;
        assert!(date[0] + date[2] <= time[0] + 0.01, "{date:?} {time:?}");
    }

    #[test]
    fn a_chart_drawn_before_is_taken_as_drawn_and_a_changed_one_drawn_anew() {
        let style = Style::default();
        let markup = format!("# T\n\n![Trade](figure:{FIGURE})\n");
        let first = lay(&markup, &style).unwrap();
        // The same figure again: the kept drawing, the very same pages.
        assert_eq!(lay(&markup, &style).unwrap(), first);
        // A changed value, title or style: drawn anew, and only then.
        let mut changed = rendered(&markup, &style, None);
        changed.figures[0].series[0].values[1] = Some(9.9);
        let redrawn = layout(&changed, FontBook::builtin()).unwrap();
        assert_ne!(redrawn, first, "a changed value is drawn");
        changed.figures[0].title = "Trade, changed".into();
        assert_ne!(
            layout(&changed, FontBook::builtin()).unwrap(),
            redrawn,
            "a changed title is drawn"
        );
        let wide = Style { margin_left: style.margin_left + 20.0, ..style.clone() };
        let moved = lay(&markup, &wide).unwrap();
        let fresh = |doc: &Document| fields(doc).into_iter().find(|(_, p, _)| p == "figures[0]");
        assert_eq!(fresh(&moved).map(|f| f.2[0]), Some(wide.margin_left), "drawn where it stands");
    }

    /// `markup` without its field marks.
    fn regex_free_strip(markup: &str) -> String {
        let mut out = String::new();
        let mut rest = markup;
        while let Some(at) = rest.find("<!--field:") {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out.replace("::: field summary\n", "").replacen("\n:::\n", "\n", 1)
    }

    /// A run's text in reading order (a right-to-left run's glyphs are in
    /// visual order).
    fn logical(t: &TextRun) -> String {
        if t.glyphs.iter().any(|g| g.level % 2 == 1) {
            t.glyphs.iter().rev().map(|g| g.text.as_str()).collect()
        } else {
            t.text()
        }
    }

    /// The text runs of page 1 whose text contains `needle`.
    fn runs_with<'d>(doc: &'d Document, needle: &str) -> Vec<&'d TextRun> {
        doc.pages[0]
            .leaves()
            .into_iter()
            .filter_map(|i| match i {
                Item::Text(t) if logical(t).contains(needle) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_right_to_left_document_is_the_mirror_image_of_a_left_to_right_one() {
        let style = Style::default();
        let markup =
            "# عنوان\n\nنص قصير.\n\n1. البند الأول\n\n| الاسم | الدور |\n|---|---|\n| علي | وزير |\n";
        let ltr = layout(&rendered(markup, &style, None), FontBook::builtin()).unwrap();
        let mut doc = rendered(markup, &style, None);
        doc.dir = brief_core::locale::Dir::Rtl;
        let rtl = layout(&doc, FontBook::builtin()).unwrap();
        let (left, right) = (style.margin_left, style.page_width - style.margin_right);
        let end = |t: &TextRun| t.x + t.width();
        // A paragraph starts at the left margin in one, ends at the right in the other.
        let para = |d: &Document| runs_with(d, "قصير")[0].clone();
        assert!((para(&ltr).x - left).abs() < 0.01);
        assert!((end(&para(&rtl)) - right).abs() < 0.01, "{} vs {right}", end(&para(&rtl)));
        // The list number stands right of its item's text.
        let number = |d: &Document| {
            runs_with(d, "1").into_iter().find(|t| logical(t).trim() == "1.").cloned()
        };
        let item = |d: &Document| runs_with(d, "البند")[0].clone();
        assert!(number(&ltr).unwrap().x < item(&ltr).x);
        assert!(number(&rtl).unwrap().x > item(&rtl).x);
        // The first column is on the right.
        let name = |d: &Document| runs_with(d, "علي")[0].x;
        let role = |d: &Document| runs_with(d, "وزير")[0].x;
        assert!(name(&ltr) < role(&ltr));
        assert!(name(&rtl) > role(&rtl));
        // Page furniture swaps sides: the page number is bottom left.
        let page = |d: &Document| runs_with(d, "Page")[0].x;
        assert!(page(&ltr) > style.page_width / 2.0);
        assert!(page(&rtl) < style.page_width / 2.0);
    }

    #[test]
    fn a_changed_block_split_across_pages_has_its_bar_beside_every_line_on_both() {
        use brief_core::frame::Seg;
        let style = Style::default();
        let words = "word ".repeat(1200);
        let markup = format!("Intro.\n\n::: changed\n::: callout\n{words}\n:::\n:::\n\nAfter.\n");
        let doc = lay(&markup, &style).unwrap();
        assert!(doc.pages.len() >= 2, "{} pages", doc.pages.len());
        let right = style.page_width - style.margin_right;
        for (i, page) in doc.pages.iter().enumerate() {
            let bars: Vec<(f32, f32, f32)> = page
                .leaves()
                .into_iter()
                .filter_map(|item| match item {
                    Item::Path(p) => match p.segs[..] {
                        [Seg::Move(x0, y0), Seg::Line(x1, _), Seg::Line(_, y1), ..]
                            if x1 <= style.margin_left || x0 >= right =>
                        {
                            Some((x0, y0, y1))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            assert!(!bars.is_empty(), "no bar on page {}", i + 1);
            for &(x, top, bottom) in &bars {
                // Outer margins: right on odd pages, left on even ones.
                assert!(if i % 2 == 0 { x > right } else { x < style.margin_left }, "{x}");
                assert!(top >= style.margin_top - 0.01 && bottom <= style.text_bottom() + 0.01);
            }
            for item in &page.items {
                let Item::Text(r) = item else { continue };
                let barred = bars.iter().any(|(_, top, bottom)| *top < r.y && r.y < *bottom);
                match r.text().trim() {
                    t if t.starts_with("word") => assert!(barred, "a changed line without a bar"),
                    "Intro." | "After." => assert!(!barred, "an unchanged line with a bar"),
                    _ => {}
                }
            }
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
            for item in page.leaves() {
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
        let err = lay("![x](figure:nope)\n", &Style::default()).unwrap_err();
        let err = err.to_string();
        assert!(err.contains("`nope`") && err.contains("trade-turnover"), "{err}");
    }

    /// Every text run of every page, with the page's text area checked: no
    /// run starts above the top margin or ends below the page foot.
    fn texts_inside(doc: &Document, style: &Style) -> Vec<Vec<String>> {
        doc.pages
            .iter()
            .enumerate()
            .map(|(i, page)| {
                let mut texts = Vec::new();
                for item in page.leaves() {
                    let Item::Text(r) = item else { continue };
                    // Markings and handling above the top rule, footer below the foot rule.
                    let furniture = r.y <= 45.0 || r.y >= page.height - 45.0;
                    if !furniture {
                        assert!(
                            r.y <= style.text_bottom() && r.y >= style.margin_top,
                            "page {}: `{}` at y {} is outside the text area",
                            i + 1,
                            r.text(),
                            r.y
                        );
                    }
                    if !furniture {
                        texts.push(r.text());
                    }
                }
                texts
            })
            .collect()
    }

    /// `n` distinct words with a tag, so a lost one is noticed.
    fn words(tag: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{tag}{i:05}")).collect()
    }

    fn all_present(words: &[String], pages: &[Vec<String>]) {
        let text: String = pages.iter().flatten().map(String::as_str).collect::<Vec<_>>().join(" ");
        let missing: Vec<&String> = words.iter().filter(|w| !text.contains(w.as_str())).collect();
        assert!(missing.is_empty(), "{} words lost, first {:?}", missing.len(), missing.first());
    }

    #[test]
    fn a_table_row_taller_than_a_page_is_split_with_its_header_repeated_and_marked() {
        let style = Style::default();
        let cell = words("row", 900);
        let markup = format!(
            "| Measure | Owner |\n|---|---|\n| short | one |\n| {} | Ministry |\n| after | two |\n",
            cell.join(" ")
        );
        let doc = lay(&markup, &style).unwrap();
        let pages = texts_inside(&doc, &style);
        all_present(&cell, &pages);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for page in &pages[1..] {
            assert!(page.iter().any(|t| t == "Measure"), "no header: {:?}", &page[..3]);
            assert!(page.iter().any(|t| t == "…"), "no continuation mark: {:?}", &page[..3]);
        }
        // No page holds the header alone.
        assert!(pages.iter().all(|p| p.iter().any(|t| t.starts_with("row") || t == "after")));
    }

    #[test]
    fn a_table_whose_first_row_is_taller_than_a_page_never_leaves_its_header_at_the_foot() {
        let style = Style::default();
        let cell = words("row", 900);
        // Filler of every length that ends a page part way down, so that some
        // leave room for the header but not for two lines of the row under it.
        for lines in 30..50 {
            let filler = vec!["Filler line."; lines].join("  \n");
            let markup = format!(
                "{filler}\n\n| Measure | Owner |\n|---|---|\n| {} | Ministry |\n",
                cell.join(" ")
            );
            let doc = lay(&markup, &style).unwrap();
            let pages = texts_inside(&doc, &style);
            all_present(&cell, &pages);
            for page in &pages {
                if let Some(at) = page.iter().position(|t| t == "Measure") {
                    assert!(
                        page[at..].iter().any(|t| t.starts_with("row")),
                        "{lines} filler lines: a header with no row under it: {:?}",
                        &page[at..]
                    );
                }
            }
        }
    }

    #[test]
    fn a_title_block_label_word_longer_than_the_column_widens_it() {
        let style = Style::default();
        let markup = "# T\n\n::: fields\nКатышуучуларКатышуучулар: Азербайжан\n:::\n";
        let doc = lay(markup, &style).unwrap();
        let runs: Vec<&TextRun> = doc.pages[0]
            .leaves()
            .into_iter()
            .filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
            .collect();
        let label = runs.iter().find(|r| r.text().starts_with("Катышуучулар")).expect("label");
        let value = runs.iter().find(|r| r.text() == "Азербайжан").expect("value");
        assert!(label.x + label.width() < value.x, "the label runs into the value");
    }

    #[test]
    fn a_title_block_field_longer_than_a_page_flows_on() {
        let style = Style::default();
        let place = words("loc", 1200);
        let markup = format!(
            "# T\n\n::: fields\nPlace: {}\nFigures as of a long label here: 1 July\n:::\n",
            place.join(" ")
        );
        let doc = lay(&markup, &style).unwrap();
        let pages = texts_inside(&doc, &style);
        all_present(&place, &pages);
        let label = ["Figures", "as", "of", "a", "long", "label", "here"].map(String::from);
        let text: Vec<String> = pages
            .iter()
            .flatten()
            .flat_map(|t| t.split_whitespace().map(String::from).collect::<Vec<_>>())
            .collect();
        assert!(label.iter().all(|w| text.contains(w)), "label words lost");
    }

    #[test]
    fn a_callout_longer_than_a_page_is_split_between_lines() {
        let style = Style::default();
        let purpose = words("why", 1200);
        let markup = format!("::: callout\n**Purpose.** {}\n:::\n\nAfter.\n", purpose.join(" "));
        let doc = lay(&markup, &style).unwrap();
        let pages = texts_inside(&doc, &style);
        all_present(&purpose, &pages);
    }

    #[test]
    fn a_figure_taller_than_a_page_is_an_error_naming_it() {
        let style = Style { chart_height: 2000.0, page_width: 3000.0, ..Style::default() };
        let id = FIGURE;
        let err = lay(&format!("![t](figure:{id})\n"), &style).unwrap_err().to_string();
        assert!(err.contains(&format!("the figure `{id}` is taller than a page")), "{err}");
    }

    #[test]
    fn a_heading_is_never_left_at_the_foot_without_the_figure_under_it() {
        // The figure opens with a gap; a gap once ended the heading's keep
        // group, so the heading was set alone at the foot of the page and the
        // figure moved on to the next.
        let style = Style::default();
        for n in 10..70 {
            let padding: String = (0..n).map(|i| format!("Padding line {i}.\n\n")).collect();
            let markup = format!("{padding}## Mapheading\n\n![t](figure:{FIGURE})\n");
            let doc = lay(&markup, &style).unwrap();
            let page = doc
                .pages
                .iter()
                .find(|p| texts(p).iter().any(|t| t.contains("Mapheading")))
                .expect("the heading is set");
            assert!(
                texts(page).iter().any(|t| t == "Trade"),
                "{n} lines: the heading is alone at the foot of its page: {:?}",
                texts(page)
            );
        }
    }

    /// The texts a page prints, in order.
    fn texts(page: &brief_core::frame::Page) -> Vec<String> {
        page.leaves()
            .into_iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.text()),
                _ => None,
            })
            .collect()
    }

    /// Sets `tail` under 30 to 70 lines of padding, so that it meets the
    /// foot of a page in some cases: `first` and `second` are always on one
    /// page, and at least once not on the first.
    fn kept_together(tail: &str, first: &str, second: &str) {
        let style = Style::default();
        let mut broke = 0;
        for n in 30..70 {
            let padding: String = (0..n).map(|i| format!("Padding line {i}.\n\n")).collect();
            let doc = lay(&format!("{padding}{tail}"), &style).unwrap();
            let page = |word: &str| {
                doc.pages.iter().position(|p| texts(p).iter().any(|t| t.contains(word))).unwrap()
            };
            assert_eq!(page(first), page(second), "{n} padding lines");
            broke += usize::from(page(second) > 0);
        }
        assert!(broke > 0, "no case reached the foot of a page");
    }

    #[test]
    fn small_print_never_opens_a_page_alone() {
        // The clearance line ends the talking points in `::: small`; set
        // alone at the top of a last page it reads as a stray.
        let tail = "Lastline of the text.\n\n::: small\nClearanceline\n:::\n";
        kept_together(tail, "Lastline", "Clearanceline");
    }

    #[test]
    fn a_list_item_is_never_left_at_the_foot_without_its_first_sub_item() {
        let tail = "1. Agendaitem\n   - Firstpoint\n   - Secondpoint\n2. Nextitem\n";
        kept_together(tail, "Agendaitem", "Firstpoint");
    }

    #[test]
    fn what_a_chart_has_no_room_for_is_printed_under_it() {
        // Two figures side by side leave each a small box: the long note,
        // the source, the two series' names and a long title cannot all fit.
        let words = |tag: &str, n: usize| (0..n).map(|i| format!("{tag}{i}")).collect::<Vec<_>>();
        let mut doc = rendered(
            &format!("![a](figure:{FIGURE})\n\n![b](figure:second)\n"),
            &Style::default(),
            None,
        );
        let mut fig = doc.figures[0].clone();
        fig.id = "second".into();
        fig.title = words("Title", 30).join(" ");
        fig.note = Some(words("Noteword", 60).join(" "));
        fig.source = Some(words("Sourceword", 25).join(" "));
        fig.series = vec![
            Series { name: "Exportsname".into(), values: vec![Some(1.0), Some(2.0)] },
            Series { name: "Importsname".into(), values: vec![Some(3.0), Some(4.0)] },
        ];
        doc.figures.push(fig.clone());
        let laid = layout(&doc, FontBook::builtin()).unwrap();
        let text: String = laid
            .pages
            .iter()
            .flat_map(|p| p.leaves())
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.text()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ");
        let seen: std::collections::HashSet<&str> =
            text.split(|c: char| !c.is_alphanumeric()).collect();
        let mut wanted = words("Title", 30);
        wanted.extend(words("Noteword", 60));
        wanted.extend(words("Sourceword", 25));
        wanted.extend(["Exportsname".to_string(), "Importsname".to_string()]);
        let missing: Vec<&String> = wanted.iter().filter(|w| !seen.contains(w.as_str())).collect();
        assert!(missing.is_empty(), "lost: {missing:?}");
        // The caption reads as the chart does: its figure's title first,
        // then the note and the source.
        // (The box grows for what goes around the plot: the source may now
        // fit in the chart, and then only the title and note are under it.)
        let caption = &text[text.rfind("Title0").unwrap()..];
        let at = |w: &str| caption.find(w).unwrap_or(usize::MAX);
        assert!(at("Title29") < at("Noteword0"), "{text}");
        assert!(!caption.contains("Sourceword0") || at("Noteword0") < at("Sourceword0"), "{text}");
    }

    #[test]
    fn page_breaks_count_only_the_pages_they_close() {
        let style = Style::default();
        let page = "Text.\n\n::: pagebreak\n\n";
        let markup = page.repeat(MAX_PAGES);
        let doc = lay(&markup, &style).unwrap();
        assert_eq!(doc.pages.len(), MAX_PAGES);
        let over = format!("{markup}One page too many.\n");
        assert_eq!(lay(&over, &style).unwrap_err(), Error::TooLong);
    }

    #[test]
    fn markup_nested_past_the_limit_is_an_error_not_a_stack_overflow() {
        for deep in [
            format!("{}x\n", "- ".repeat(2500)),
            format!("{}x\n", "> ".repeat(2500)),
            "::: callout\n".repeat(2500),
        ] {
            let err = lay(&deep, &Style::default()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "the markup nests 2500 levels deep, more than the 32 allowed",
            );
        }
        // At the limit it lays out, every line inside the page.
        let ok = format!("{}x\n", "- ".repeat(MAX_NESTING));
        let doc = lay(&ok, &Style::default()).unwrap();
        texts_inside(&doc, &Style::default());
        doc_inside_width(&doc);
    }

    fn doc_inside_width(doc: &Document) {
        for page in &doc.pages {
            for item in page.leaves() {
                if let Item::Text(r) = item {
                    assert!(
                        r.x >= 0.0 && r.x + r.width() <= page.width + 0.5,
                        "{} at x {}",
                        r.text(),
                        r.x
                    );
                }
            }
        }
    }

    #[test]
    fn draft_briefs_get_a_watermark_on_every_page() {
        let markup = "# T\n\n::: pagebreak\n\nSecond page.\n";
        let doc = layout(&rendered(markup, &Style::default(), Some("DRAFT")), FontBook::builtin())
            .unwrap();
        assert_eq!(doc.pages.len(), 2);
        for page in &doc.pages {
            assert!(page.leaves().into_iter().any(|i| matches!(i, Item::Rotated { items, .. } if matches!(&items[0], Item::Text(r) if r.text() == "DRAFT"))));
        }
    }

    #[test]
    fn a_marking_top_right_keeps_its_caveat_under_it_and_the_marking_at_the_foot() {
        let style = Style { marking: brief_core::style::Marking::TopRight, ..Style::default() };
        let mut r = rendered("# T\n\nText.\n", &style, None);
        r.furniture.handling = Some(RunningLine {
            text: "Not for onward distribution".into(),
            field: "brief.handling",
        });
        let doc = layout(&r, FontBook::builtin()).unwrap();
        let runs: Vec<TextRun> = doc.pages[0]
            .leaves()
            .into_iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let find =
            |text: &str| -> Vec<&TextRun> { runs.iter().filter(|t| t.text() == text).collect() };
        let marks = find("OFFICIAL");
        assert_eq!(marks.len(), 2, "at the head and at the foot");
        let (top, foot) =
            if marks[0].y < marks[1].y { (marks[0], marks[1]) } else { (marks[1], marks[0]) };
        let right = style.page_width - style.margin_right;
        assert!((top.x + top.width() - right).abs() < 0.5, "the marking in the top right corner");
        let mid = style.page_width / 2.0;
        assert!((foot.x + foot.width() / 2.0 - mid).abs() < 0.5, "the foot marking centred");
        let caveat = find("Not for onward distribution");
        assert_eq!(caveat.len(), 1);
        let c = caveat[0];
        assert!((c.x + c.width() - right).abs() < 0.5, "the caveat aligned with the marking");
        assert!(c.y > top.y && c.y - top.y < 20.0, "the caveat right under the marking");
    }

    #[test]
    fn each_passage_is_a_span_with_its_language_under_its_paragraph() {
        let style = Style::default();
        let long = "ประเทศไทยและจอร์เจียตกลงขยายความร่วมมือ ".repeat(6);
        let markup = format!(
            "Before [לוויתן]{{lang=he}} then [東京]{{lang=ja}} and [{long}]{{lang=th}} after.\n\n| A |\n|---|\n| [Тара]{{lang=sr}} |\n"
        );
        let doc = lay(&markup, &style).unwrap();
        let spans: Vec<(usize, &Node)> =
            doc.structure.nodes.iter().enumerate().filter(|(_, n)| n.role == Role::Span).collect();
        let langs: Vec<&str> = spans.iter().filter_map(|(_, n)| n.lang.as_deref()).collect();
        assert_eq!(langs, ["he", "ja", "th", "sr"]);
        let parent = |i: usize| doc.structure.nodes[doc.structure.nodes[i].parent.0 as usize].role;
        assert_eq!(
            spans.iter().map(|(i, _)| parent(*i)).collect::<Vec<_>>(),
            [Role::P, Role::P, Role::P, Role::TD]
        );
        // The text of each Span is the passage, whole (the Thai one over
        // several lines), and nothing else.
        fn text_of(items: &[Item], node: NodeId, inside: bool, out: &mut String) {
            for item in items {
                match item {
                    Item::Tagged { node: n, items } => text_of(items, node, *n == node, out),
                    Item::Text(run) if inside => out.push_str(&logical(run)),
                    Item::Artifact { .. } => {}
                    _ => {}
                }
            }
        }
        let read = |id: usize| {
            let mut out = String::new();
            for page in &doc.pages {
                text_of(&page.items, NodeId(id as u32), false, &mut out);
            }
            out
        };
        assert_eq!(read(spans[0].0), "לוויתן");
        assert_eq!(read(spans[1].0), "東京");
        assert_eq!(read(spans[2].0).replace(' ', ""), long.replace(' ', ""));
        assert_eq!(read(spans[3].0), "Тара");
    }
}
