//! Positioned pages: what `layout` and `charts` produce and `pdf` writes.
//!
//! Every coordinate is in PostScript points (1/72 in) measured from the page's
//! top-left corner, y growing downwards, so layout code never flips axes; the
//! `pdf` stage converts to PDF's bottom-left origin in one place.

/// Which of the four bundled faces a run is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontStyle {
    /// Upright, normal weight.
    Regular,
    /// Upright, bold.
    Bold,
    /// Italic, normal weight.
    Italic,
    /// Italic, bold.
    BoldItalic,
}

impl FontStyle {
    /// All faces, in the order fonts are stored.
    pub const ALL: [FontStyle; 4] = [Self::Regular, Self::Bold, Self::Italic, Self::BoldItalic];

    /// The face with bold and italic switched on or off.
    pub fn with(bold: bool, italic: bool) -> Self {
        match (bold, italic) {
            (false, false) => Self::Regular,
            (true, false) => Self::Bold,
            (false, true) => Self::Italic,
            (true, true) => Self::BoldItalic,
        }
    }

    /// Index into [`FontStyle::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// An RGB colour, each channel 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);
}

/// One shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the face.
    pub gid: u16,
    /// The face, a [`FaceId`](crate::text::FaceId) of the document's font book.
    pub face: u16,
    /// Bidi embedding level (odd: right to left); the glyph is in visual
    /// order once its line is finished.
    pub level: u8,
    /// Horizontal advance in points (at the run's size), kerning included.
    pub advance: f32,
    /// Horizontal offset from the pen position in points (combining marks).
    pub x_offset: f32,
    /// Vertical offset from the baseline, up, in hundredths of a point (a
    /// mark below or above its letter: an Arabic kasra, a Thai tone mark).
    /// Kept in 16 bits so a glyph stays 40 bytes; marks move a few points.
    pub y_offset: i16,
    /// The text this glyph stands for: one character, or a whole cluster for a
    /// ligature; empty for the second and later glyphs of a cluster. Kept
    /// inline (no allocation up to 24 bytes): a document holds every glyph
    /// of every page at once, and a heap string each doubled its memory.
    pub text: compact_str::CompactString,
}

/// A line of shaped text in one face, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Pen position of the first glyph: x of its origin, y of the baseline.
    pub x: f32,
    /// Baseline, from the page top.
    pub y: f32,
    /// The face.
    pub font: FontStyle,
    /// Font size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// The glyphs, in visual order.
    pub glyphs: Vec<Glyph>,
}

impl Glyph {
    /// [`Glyph::y_offset`] in points.
    pub fn rise(&self) -> f32 {
        f32::from(self.y_offset) / 100.0
    }
}

impl TextRun {
    /// Total advance width in points.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }

    /// The text the run stands for.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
}

/// One piece of a path outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    /// Start a new subpath.
    Move(f32, f32),
    /// Straight line to.
    Line(f32, f32),
    /// Cubic Bézier: two control points and the end point.
    Cubic(f32, f32, f32, f32, f32, f32),
    /// Close the current subpath.
    Close,
}

/// How a path's outline is stroked.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// Line colour.
    pub color: Rgb,
    /// Line width in points.
    pub width: f32,
    /// Dash pattern (on, off, …) in points; empty for solid.
    pub dash: Vec<f32>,
}

/// A filled and/or stroked outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The outline.
    pub segs: Vec<Seg>,
    /// Fill colour, if filled (non-zero winding).
    pub fill: Option<Rgb>,
    /// Fill opacity 0–1 (1 is opaque).
    pub fill_alpha: f32,
    /// Stroke, if stroked.
    pub stroke: Option<Stroke>,
}

impl Path {
    /// An axis-aligned rectangle; `(x, y)` is its top-left corner.
    pub fn rect(x: f32, y: f32, w: f32, h: f32) -> Self {
        let segs = vec![
            Seg::Move(x, y),
            Seg::Line(x + w, y),
            Seg::Line(x + w, y + h),
            Seg::Line(x, y + h),
            Seg::Close,
        ];
        Path { segs, fill: None, fill_alpha: 1.0, stroke: None }
    }

    /// A straight line from one point to another.
    pub fn line(x1: f32, y1: f32, x2: f32, y2: f32) -> Self {
        Path {
            segs: vec![Seg::Move(x1, y1), Seg::Line(x2, y2)],
            fill: None,
            fill_alpha: 1.0,
            stroke: None,
        }
    }

    /// The same path, filled.
    pub fn filled(mut self, color: Rgb) -> Self {
        self.fill = Some(color);
        self
    }

    /// The same path, stroked solid.
    pub fn stroked(mut self, color: Rgb, width: f32) -> Self {
        self.stroke = Some(Stroke { color, width, dash: Vec::new() });
        self
    }
}

/// Something drawn on a page, in painting order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Shaped text.
    Text(TextRun),
    /// A vector shape.
    Path(Path),
    /// A clickable area opening a URL; `(x, y)` is its top-left corner.
    Link {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Target URL.
        url: String,
    },
    /// A clickable area going to a page of the same document (a book's
    /// schedule row to its brief); `(x, y)` is its top-left corner.
    GoTo {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Zero-based index of the page it lands on (its top).
        page: usize,
    },
    /// Where the text of a source field stands (`key_messages[2]`), from
    /// the field marks of the markup: data for tools that trace a place on
    /// the page back to the source (`brief serve`'s click-to-source). It
    /// draws nothing, and the PDF writer leaves it out; `(x, y)` is its
    /// top-left corner.
    Field {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// The field's path in the source.
        path: String,
    },
    /// Draw `items` rotated by `degrees` (counter-clockwise) about `(x, y)`;
    /// used for the DRAFT watermark and rotated chart labels.
    Rotated {
        /// Centre x.
        x: f32,
        /// Centre y.
        y: f32,
        /// Angle, counter-clockwise.
        degrees: f32,
        /// What to draw, in page coordinates before rotation.
        items: Vec<Item>,
    },
    /// Real content of the structure element `node` (tagged PDF): read out,
    /// in the order the page lists it. Holds plain items only, never another
    /// `Tagged` or `Artifact`, so marked content never nests.
    Tagged {
        /// The element in [`Document::structure`].
        node: NodeId,
        /// What is drawn.
        items: Vec<Item>,
    },
    /// Decoration a screen reader skips: page furniture, rules, shading.
    /// Plain items outside any `Tagged` are written as layout artifacts too.
    Artifact {
        /// What kind of decoration.
        kind: ArtifactKind,
        /// What is drawn.
        items: Vec<Item>,
    },
}

/// Kinds of artifact, as PDF names them (`/Type` and `/Subtype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArtifactKind {
    /// Rules, shading, boxes.
    Layout,
    /// Running header and footer, marking lines, page numbers, a repeated
    /// table header.
    Pagination,
    /// The DRAFT watermark.
    Watermark,
}

/// Index of an element in a [`Structure`]; 0 is the document itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// What a structure element is: the standard PDF structure types used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The whole document.
    Document,
    /// A heading of level 1–3 (the title is level 1).
    H(u8),
    /// A paragraph.
    P,
    /// A list, its items, an item's marker (label) and body.
    L,
    /// A list item.
    LI,
    /// A list item's marker.
    Lbl,
    /// A list item's text.
    LBody,
    /// A table and its parts.
    Table,
    /// The header row group.
    THead,
    /// The body row group.
    TBody,
    /// A table row.
    TR,
    /// A header cell (column scope).
    TH,
    /// A data cell.
    TD,
    /// A chart; carries its alternate description.
    Figure,
    /// A chart's title or source line.
    Caption,
    /// A generic block (a callout, a row of fact tiles).
    Div,
    /// A run of text inside a block (say, in another language).
    Span,
    /// One brief of a book.
    Part,
    /// A section: a book's cover and schedule.
    Sect,
}

impl Role {
    /// The PDF structure type name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::H(1) => "H1",
            Role::H(2) => "H2",
            Role::H(_) => "H3",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Table => "Table",
            Role::THead => "THead",
            Role::TBody => "TBody",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::Figure => "Figure",
            Role::Caption => "Caption",
            Role::Div => "Div",
            Role::Span => "Span",
            Role::Part => "Part",
            Role::Sect => "Sect",
        }
    }
}

/// One structure element.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub role: Role,
    /// Its parent (the document's own parent is itself).
    pub parent: NodeId,
    /// Alternate description (a chart's, generated or from the source).
    pub alt: Option<String>,
    /// Language, where it differs from the document's.
    pub lang: Option<String>,
}

/// The document's logical structure: elements in reading order, each after
/// its parent. Content refers to elements through [`Item::Tagged`].
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Elements; index 0 is the document.
    pub nodes: Vec<Node>,
}

impl Default for Structure {
    fn default() -> Self {
        let root = Node { role: Role::Document, parent: NodeId(0), alt: None, lang: None };
        Structure { nodes: vec![root] }
    }
}

impl Structure {
    /// The document element.
    pub const ROOT: NodeId = NodeId(0);

    /// Adds an element under `parent`, after its existing children.
    pub fn add(&mut self, parent: NodeId, role: Role) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node { role, parent, alt: None, lang: None });
        id
    }

    /// Adds every element of `other` under a new element `role` beneath
    /// this tree's root, in order: a book takes in its briefs this way.
    /// Returns the id each element of `other` has now (index: its old id),
    /// for [`renumber`].
    pub fn graft(&mut self, other: &Structure, role: Role) -> Vec<NodeId> {
        let part = self.add(Self::ROOT, role);
        let base = self.nodes.len() as u32;
        let map: Vec<NodeId> = (0..other.nodes.len() as u32)
            .map(|i| if i == 0 { part } else { NodeId(base + i - 1) })
            .collect();
        for node in other.nodes.iter().skip(1) {
            let parent = map.get(node.parent.0 as usize).copied().unwrap_or(part);
            self.nodes.push(Node { parent, ..node.clone() });
        }
        map
    }

    /// The element `id`.
    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0 as usize)
    }

    /// The element `id`, to set its alternate description or language.
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.get_mut(id.0 as usize)
    }
}

/// Points the tagged content of `items` at the elements `map` gives their
/// old ids (see [`Structure::graft`]).
pub fn renumber(items: &mut [Item], map: &[NodeId]) {
    for item in items {
        match item {
            Item::Tagged { node, items } => {
                *node = map.get(node.0 as usize).copied().unwrap_or(Structure::ROOT);
                renumber(items, map);
            }
            Item::Artifact { items, .. } | Item::Rotated { items, .. } => renumber(items, map),
            _ => {}
        }
    }
}

/// Wraps `items` as content of `node`; nothing when there is nothing.
pub fn tagged(node: NodeId, items: Vec<Item>) -> Option<Item> {
    (!items.is_empty()).then_some(Item::Tagged { node, items })
}

/// One finished page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// What is drawn, back to front.
    pub items: Vec<Item>,
}

impl Page {
    /// Every drawn item, tags and artifacts looked through (rotated groups
    /// kept whole), in painting order.
    pub fn leaves(&self) -> Vec<&Item> {
        fn walk<'a>(items: &'a [Item], out: &mut Vec<&'a Item>) {
            for item in items {
                match item {
                    Item::Tagged { items, .. } | Item::Artifact { items, .. } => walk(items, out),
                    other => out.push(other),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }
}

/// A bookmark in the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    /// Heading text.
    pub title: String,
    /// Zero-based page index.
    pub page: usize,
    /// Depth in the outline: an entry nests under the entry before it
    /// with a smaller level (1 the title, 2 and 3 headings; a book's brief
    /// is 0, its headings beneath it).
    pub level: u8,
    /// Top of the heading, from the page top, where the reader jumps to.
    pub y: f32,
}

/// Document information written into the PDF.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Title.
    pub title: String,
    /// Author (who prepared the brief).
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Creation and modification time, seconds since the Unix epoch.
    pub created: i64,
    /// The brief's validated model as canonical JSON, attached to the PDF
    /// when asked (`--embed-source`); `None` embeds nothing.
    pub embedded: Option<Vec<u8>>,
    /// The document's language, a BCP 47 tag (`en`, `ru`); empty if unknown.
    pub language: String,
}

/// A laid-out document, ready to write.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Outline entries in order.
    pub bookmarks: Vec<Bookmark>,
    /// Information dictionary.
    pub meta: Meta,
    /// Logical structure, for tagged PDF: what each [`Item::Tagged`] is.
    pub structure: Structure,
}

impl Document {
    /// A text dump of every page: one line per text run (position, face,
    /// size, text) and a count of other items, for golden tests and debugging.
    pub fn dump(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for (i, page) in self.pages.iter().enumerate() {
            let _ = writeln!(out, "page {} ({:.0} x {:.0} pt)", i + 1, page.width, page.height);
            let mut shapes = 0;
            dump_items(&page.items, &mut out, &mut shapes);
            let _ = writeln!(out, "  + {shapes} paths and links");
        }
        for b in &self.bookmarks {
            let _ = writeln!(out, "bookmark p{}: {}", b.page + 1, b.title);
        }
        out
    }
}

fn dump_items(items: &[Item], out: &mut String, shapes: &mut usize) {
    use std::fmt::Write as _;
    for item in items {
        match item {
            Item::Text(r) => {
                let _ = writeln!(
                    out,
                    "  {:6.1} {:6.1} {:?} {:.1} {}",
                    r.x,
                    r.y,
                    r.font,
                    r.size,
                    r.text()
                );
            }
            Item::Rotated { items, degrees, .. } => {
                let _ = writeln!(out, "  rotated {degrees}°:");
                dump_items(items, out, shapes);
            }
            Item::Path(_) | Item::Link { .. } | Item::GoTo { .. } => *shapes += 1,
            Item::Field { .. } => {}
            Item::Tagged { items, .. } | Item::Artifact { items, .. } => {
                dump_items(items, out, shapes)
            }
        }
    }
}
