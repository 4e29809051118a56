//! Page items to a content stream, converting y-down points to PDF space.
//!
//! Operators are written straight to bytes: a page is thousands of numbers,
//! and an operator list in memory (printpdf's `Op`, then lopdf's `Content`)
//! cost more time than drawing the page did.

use std::collections::BTreeSet;
use std::io::Write;

use super::fonts::{DocFonts, UsedFace};
use brief_core::frame::{ArtifactKind, Glyph, Item, NodeId, Path, Rgb, Seg, Stroke, TextRun};
use brief_core::text::{FaceId, FontBook};

/// The text matrix's start for synthesised italic: a slant of tan 12°, what
/// browsers and Typst use for a face with no italic of its own (CJK, Arabic,
/// Hebrew…).
const SLANT_MATRIX: &[u8] = b"1 0 0.2126 1 ";

/// Outline width of synthesised bold, in em: strokes the glyph outline in
/// its own colour, thickening it by about the difference between a regular
/// and a bold weight.
const EMBOLDEN: f32 = 0.025;

/// Rounds a coordinate to 1/100 pt: finer than any device, and short in the
/// content stream. Non-finite input becomes 0 so the PDF stays valid.
fn r2(v: f32) -> f32 {
    let v = if v.is_finite() { (v * 100.0).round() / 100.0 } else { 0.0 };
    // Avoid writing "-0".
    if v == 0.0 { 0.0 } else { v }
}

/// Rounds to 1/1000 (colour channels, matrix coefficients).
fn r3(v: f32) -> f32 {
    let v = if v.is_finite() { (v * 1000.0).round() / 1000.0 } else { 0.0 };
    if v == 0.0 { 0.0 } else { v }
}

/// Name of the ExtGState that sets fill opacity to `milli`/1000.
pub(super) fn alpha_state_id(milli: u16) -> String {
    format!("GSa{milli}")
}

/// The parts of the PDF graphics state this writer changes, so each
/// operator is only emitted when its value actually changes.
#[derive(Clone)]
struct GState {
    fill: Rgb,
    stroke: Rgb,
    width: f32,
    dash: Vec<f32>,
    /// Fill opacity in 1/1000.
    alpha: u16,
    /// Current `Tf`, part of the text state that q/Q also save.
    font: Option<(FaceId, f32)>,
    /// Current text rendering mode is fill and stroke (synthesised bold).
    stroked_text: bool,
    /// Current transformation, y-up PDF space, for link rectangles.
    ctm: [f32; 6],
}

impl Default for GState {
    /// The state every PDF page starts with.
    fn default() -> Self {
        GState {
            fill: Rgb::BLACK,
            stroke: Rgb::BLACK,
            width: 1.0,
            dash: Vec::new(),
            alpha: 1000,
            font: None,
            stroked_text: false,
            ctm: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        }
    }
}

/// A link annotation to add to the page when the document is finished.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PageLink {
    /// `[x0, y0, x1, y1]` in PDF space.
    pub rect: [f32; 4],
    /// Where it leads.
    pub target: Target,
    /// The text the link covers, its description for screen readers.
    pub text: String,
    /// The element whose text holds the link; `None` outside any.
    pub node: Option<NodeId>,
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    /// A web or mail address, 7-bit ASCII.
    Uri(String),
    /// The top of a page of the same document (zero-based), as a book's
    /// schedule links to its briefs.
    Page(usize),
}

/// What a page's tagged content refers to, in content order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mark {
    /// The next marked-content id, belonging to this element.
    Content(NodeId),
    /// A link annotation (the next in `Tags::links`).
    Link,
}

/// The structure a page's content stream refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Tags {
    /// Marked content and links in reading order; the n-th `Content` has MCID n.
    pub marks: Vec<Mark>,
    /// The page's links, in order.
    pub links: Vec<PageLink>,
    /// Whether anything on the page is drawn with opacity below 1, so the
    /// page needs a transparency group.
    pub transparent: bool,
}

/// Builds the operations of one page.
pub(super) struct Emitter<'a> {
    /// The content stream written so far.
    out: Vec<u8>,
    /// Structure type name of each element, by id.
    roles: &'a [&'static str],
    height: f32,
    fonts: &'a DocFonts,
    book: &'a FontBook,
    /// Fill opacities used, shared by all pages of the document.
    alphas: &'a mut BTreeSet<u16>,
    state: GState,
    saved: Vec<GState>,
    in_text: bool,
    tags: Tags,
    /// Marked-content ids given out on this page.
    mcids: i64,
    /// For each open marked-content sequence, whether it opened inside a
    /// text object.
    marked_in_text: Vec<bool>,
    /// The element the items being written belong to.
    node: Option<NodeId>,
    /// Loose items are being written inside a layout artifact.
    loose: bool,
    /// Texts of the current tagged group, for link descriptions: run text
    /// per glyph with its x span, and the baseline.
    group_text: Vec<(f32, f32, f32, String)>,
}

impl<'a> Emitter<'a> {
    /// An emitter for a page `height` points tall.
    pub fn new(
        height: f32,
        fonts: &'a DocFonts,
        book: &'a FontBook,
        alphas: &'a mut BTreeSet<u16>,
        roles: &'a [&'static str],
    ) -> Self {
        Emitter {
            roles,
            out: Vec::with_capacity(16 * 1024),
            height,
            fonts,
            book,
            alphas,
            state: GState::default(),
            saved: Vec::new(),
            in_text: false,
            tags: Tags::default(),
            mcids: 0,
            marked_in_text: Vec::new(),
            node: None,
            loose: false,
            group_text: Vec::new(),
        }
    }

    /// The finished content stream, and what its marked content refers to.
    pub fn finish(mut self) -> (Vec<u8>, Tags) {
        self.end_loose();
        self.end_text();
        (self.out, self.tags)
    }

    /// Writes numbers, rounded to 1/100, then an operator.
    fn op(&mut self, operands: &[f32], operator: &str) {
        write_op(&mut self.out, operands.iter().map(|&v| r2(v)), operator);
    }

    /// Writes an RGB colour and its operator (`rg` fill, `RG` stroke).
    fn colour(&mut self, c: Rgb, operator: &str) {
        let channels = [c.0, c.1, c.2].map(|v| r3(f32::from(v) / 255.0));
        write_op(&mut self.out, channels, operator);
    }

    /// Emits a page's items in painting order: each tagged group as one
    /// marked-content sequence with its MCID, each artifact as `/Artifact`,
    /// and anything else as a layout artifact, so every mark on the page is
    /// either real content or an artifact.
    pub fn page(&mut self, items: &[Item]) {
        let mut i = 0;
        while i < items.len() {
            match &items[i] {
                Item::Tagged { node, .. } => {
                    // The lines of a paragraph (or cell) that follow each other
                    // are one sequence: one MCID, one BDC/EMC.
                    let run = items[i..]
                        .iter()
                        .take_while(|it| matches!(it, Item::Tagged { node: n, .. } if n == node))
                        .count();
                    let groups = &items[i..i + run];
                    i += run;
                    self.end_loose();
                    let role = self.role_of(*node);
                    let props = format!("<</MCID {}>>", self.mcids);
                    self.mcids += 1;
                    self.tags.marks.push(Mark::Content(*node));
                    let only_text = groups.iter().all(|g| text_only(group(g)));
                    self.begin_marked(role, &props, only_text);
                    self.node = Some(*node);
                    for g in groups {
                        let items = group(g);
                        self.group_text.clear();
                        // Only a group with a link (web or internal) needs its
                        // words placed.
                        if items.iter().any(|i| matches!(i, Item::Link { .. } | Item::GoTo { .. }))
                        {
                            self.collect_text(items);
                        }
                        self.items(items);
                    }
                    self.node = None;
                    self.end_marked();
                    continue;
                }
                Item::Artifact { kind, items } => {
                    self.end_loose();
                    self.begin_marked("Artifact", artifact_props(*kind), text_only(items));
                    self.items(items);
                    self.end_marked();
                }
                other => {
                    if !self.loose && !matches!(other, Item::Link { .. } | Item::Field { .. }) {
                        let props = artifact_props(ArtifactKind::Layout);
                        self.begin_marked("Artifact", props, false);
                        self.loose = true;
                    }
                    self.items(std::slice::from_ref(other));
                }
            }
            i += 1;
        }
    }

    /// The structure type of `node`, named in its marked-content tag.
    fn role_of(&self, node: NodeId) -> &'static str {
        self.roles.get(node.0 as usize).copied().unwrap_or("Span")
    }

    /// Opens a marked-content sequence. One around text alone opens inside
    /// a text object (and closes inside it), so consecutive lines share one
    /// BT/ET pair; any other opens outside.
    fn begin_marked(&mut self, tag: &str, properties: &str, text_only: bool) {
        if text_only {
            self.begin_text();
        } else {
            self.end_text();
        }
        self.marked_in_text.push(self.in_text);
        let _ = writeln!(self.out, "/{tag} {properties} BDC");
    }

    /// Closes the sequence, and first the text object opened inside it:
    /// marked content and text objects must nest.
    fn end_marked(&mut self) {
        if !self.marked_in_text.pop().unwrap_or(false) {
            self.end_text();
        }
        self.out.extend_from_slice(b"EMC\n");
    }

    fn end_loose(&mut self) {
        if self.loose {
            self.end_marked();
            self.loose = false;
        }
    }

    /// Notes each glyph's text and x span in a tagged group, so a link in it
    /// can be described by the words it covers.
    fn collect_text(&mut self, items: &[Item]) {
        for item in items {
            if let Item::Text(run) = item {
                let mut x = run.x;
                for g in &run.glyphs {
                    let w = finite(g.advance) as f32;
                    self.group_text.push((x, x + w, run.y, g.text.to_string()));
                    x += w;
                }
            }
        }
    }

    /// Emits items in painting order.
    fn items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Text(run) => self.text(run),
                Item::Path(path) => self.path(path),
                Item::Link { x, y, w, h, url } => {
                    self.link(*x, *y, *w, *h, Target::Uri(ascii_uri(url)))
                }
                Item::GoTo { x, y, w, h, page } => self.link(*x, *y, *w, *h, Target::Page(*page)),
                // Data for tools (the preview's page-to-source map), never written.
                Item::Field { .. } => {}
                Item::Rotated { x, y, degrees, items } => self.rotated(*x, *y, *degrees, items),
                // Marked content never nests: an inner group is drawn as part
                // of the one it is in.
                Item::Tagged { items, .. } | Item::Artifact { items, .. } => self.items(items),
            }
        }
    }

    /// PDF y (up, from the bottom) of a y-down page coordinate.
    fn y(&self, y: f32) -> f32 {
        self.height - y
    }

    fn begin_text(&mut self) {
        if !self.in_text {
            self.out.extend_from_slice(b"BT\n");
            self.in_text = true;
        }
    }

    /// Closes BT…ET: paths, q/Q and cm are not allowed inside it.
    fn end_text(&mut self) {
        if self.in_text {
            self.out.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.state.fill != c {
            self.colour(c, "rg");
            self.state.fill = c;
        }
    }

    fn set_alpha(&mut self, alpha: f32) {
        let milli =
            if alpha.is_finite() { (alpha.clamp(0.0, 1.0) * 1000.0).round() as u16 } else { 1000 };
        if self.state.alpha != milli {
            self.alphas.insert(milli);
            self.tags.transparent |= milli < 1000;
            let _ = writeln!(self.out, "/{} gs", alpha_state_id(milli));
            self.state.alpha = milli;
        }
    }

    /// A run is shown in pieces of one face each (a line may mix Noto Sans,
    /// Arabic and CJK faces), each piece placed where the shaper put it.
    fn text(&mut self, run: &TextRun) {
        let size = if run.size.is_finite() && run.size > 0.0 { r3(run.size) } else { return };
        let mut x = run.x;
        for piece in run.glyphs.chunk_by(|a, b| a.face == b.face) {
            let width: f32 = piece.iter().map(|g| finite(g.advance) as f32).sum();
            if let Some(face) = self.fonts.get(piece[0].face) {
                let (bold, slant) = self.book.synthesis(run.font, piece[0].face);
                let mut at = x;
                for dir_run in piece.chunk_by(|a, b| a.level % 2 == b.level % 2) {
                    // A right-to-left run stands in visual order: marked
                    // /ReversedChars (PDF 32000-1 14.8.2.3.3), in a text object
                    // of its own as Typst writes it (MuPDF reads a text
                    // object's glyphs as one span). Its words stay in one
                    // show string: pdf.js, which ignores the tag, reorders a
                    // string by its direction, never words across strings.
                    let reversed = dir_run.len() > 1 && dir_run[0].level % 2 == 1;
                    if reversed {
                        self.end_text();
                        self.begin_text();
                        self.out.extend_from_slice(b"/ReversedChars BMC\n");
                    }
                    // A mark raised or lowered by the shaper is shown on its
                    // own baseline; TJ can only move along the line.
                    for part in dir_run.chunk_by(|a, b| a.y_offset == b.y_offset) {
                        let rise = part[0].rise();
                        self.show(part, face, at, run.y - rise, run, size, bold, slant);
                        at += part.iter().map(|g| finite(g.advance) as f32).sum::<f32>();
                    }
                    if reversed {
                        self.out.extend_from_slice(b"EMC\n");
                        self.end_text();
                    }
                }
            }
            x += width;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn show(
        &mut self,
        glyphs: &[Glyph],
        face: &UsedFace,
        x: f32,
        baseline: f32,
        run: &TextRun,
        size: f32,
        bold: bool,
        slant: bool,
    ) {
        let id = glyphs[0].face;
        self.set_alpha(1.0);
        self.begin_text();
        if self.state.font != Some((id, size)) {
            let _ = write!(self.out, "/{} ", face.id);
            num(&mut self.out, size);
            self.out.extend_from_slice(b" Tf\n");
            self.state.font = Some((id, size));
        }
        self.set_fill(run.color);
        if bold {
            let stroke = Stroke { color: run.color, width: size * EMBOLDEN, dash: Vec::new() };
            self.set_stroke(&stroke);
        }
        if self.state.stroked_text != bold {
            // 2: fill, then stroke the outline (synthesised bold); 0: fill.
            self.out.extend_from_slice(if bold { b"2 Tr\n" } else { b"0 Tr\n" });
            self.state.stroked_text = bold;
        }
        let (px, py) = (x, self.y(baseline));
        self.out.extend_from_slice(if slant { SLANT_MATRIX } else { b"1 0 0 1 " });
        self.op(&[px, py], "Tm");
        show_glyphs(&mut self.out, glyphs, size, face);
    }

    fn path(&mut self, path: &Path) {
        let paint = match (path.fill.is_some(), &path.stroke) {
            (true, Some(_)) => "B",
            (true, None) => "f",
            (false, Some(_)) => "S",
            (false, None) => return,
        };
        let segs = self.segments(&path.segs);
        if segs.is_empty() {
            return;
        }
        self.end_text();
        if let Some(fill) = path.fill {
            self.set_fill(fill);
            self.set_alpha(path.fill_alpha);
        }
        if let Some(stroke) = &path.stroke {
            self.set_stroke(stroke);
        }
        self.out.extend_from_slice(&segs);
        self.op(&[], paint);
    }

    /// Path construction operators. A segment drawn with no current point
    /// starts a subpath instead, as PDF requires an `m` first.
    fn segments(&self, segs: &[Seg]) -> Vec<u8> {
        let mut out = Vec::with_capacity(segs.len() * 16);
        let mut op = |operands: &[f32], operator: &str| {
            write_op(&mut out, operands.iter().map(|&v| r2(v)), operator);
        };
        let mut open = false;
        for seg in segs {
            match *seg {
                Seg::Move(x, y) => op(&[x, self.y(y)], "m"),
                Seg::Line(x, y) if open => op(&[x, self.y(y)], "l"),
                Seg::Cubic(x1, y1, x2, y2, x, y) if open => {
                    op(&[x1, self.y(y1), x2, self.y(y2), x, self.y(y)], "c")
                }
                Seg::Line(x, y) | Seg::Cubic(.., x, y) => op(&[x, self.y(y)], "m"),
                Seg::Close if open => op(&[], "h"),
                Seg::Close => continue,
            }
            // After `h` the current point is the subpath start, so drawing may go on.
            open = true;
        }
        out
    }

    fn set_stroke(&mut self, stroke: &Stroke) {
        if self.state.stroke != stroke.color {
            self.colour(stroke.color, "RG");
            self.state.stroke = stroke.color;
        }
        let width = if stroke.width.is_finite() { r2(stroke.width.max(0.0)) } else { 1.0 };
        if self.state.width != width {
            self.op(&[width], "w");
            self.state.width = width;
        }
        let dash = valid_dash(&stroke.dash);
        if self.state.dash != dash {
            self.out.push(b'[');
            for (i, &v) in dash.iter().enumerate() {
                if i > 0 {
                    self.out.push(b' ');
                }
                num(&mut self.out, v);
            }
            self.out.extend_from_slice(b"] 0 d\n");
            self.state.dash = dash;
        }
    }

    fn link(&mut self, x: f32, y: f32, w: f32, h: f32, target: Target) {
        // Annotations ignore the CTM, so map the corners through it here.
        let corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)].map(|(cx, cy)| {
            let [a, b, c, d, e, f] = self.state.ctm;
            let py = self.y(cy);
            (a * cx + c * py + e, b * cx + d * py + f)
        });
        let (x0, x1) = span(corners.map(|p| p.0));
        let (y0, y1) = span(corners.map(|p| p.1));
        if !(x1 > x0 && y1 > y0) {
            return;
        }
        // The words the link covers: glyphs of its group centred inside it
        // on a baseline within it.
        let text: String = self
            .group_text
            .iter()
            .filter(|(a, b, base, _)| {
                let mid = (a + b) / 2.0;
                mid >= x && mid <= x + w && *base >= y && *base <= y + h
            })
            .map(|(.., t)| t.as_str())
            .collect();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let rect = [r2(x0), r2(y0), r2(x1), r2(y1)];
        let link = PageLink { rect, target, text, node: self.node };
        self.tags.links.push(link);
        self.tags.marks.push(Mark::Link);
    }

    fn rotated(&mut self, x: f32, y: f32, degrees: f32, items: &[Item]) {
        if !degrees.is_finite() || !x.is_finite() || !y.is_finite() {
            return self.items(items);
        }
        self.end_text();
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = (x, self.y(y));
        // Rotate about (cx, cy): translate there, rotate, translate back. In
        // y-up space a positive angle is counter-clockwise on the page.
        let m = [
            r3(cos),
            r3(sin),
            r3(-sin),
            r3(cos),
            r2(cx - cx * cos + cy * sin),
            r2(cy - cx * sin - cy * cos),
        ];
        self.out.extend_from_slice(b"q\n");
        self.saved.push(self.state.clone());
        for v in m {
            num(&mut self.out, v);
            self.out.push(b' ');
        }
        self.out.extend_from_slice(b"cm\n");
        self.state.ctm = multiply(m, self.state.ctm);
        self.items(items);
        self.end_text();
        self.out.extend_from_slice(b"Q\n");
        if let Some(state) = self.saved.pop() {
            self.state = state;
        }
    }
}

/// Shows a run with `TJ`: glyph codes, each followed by the offset that
/// moves the viewer's pen (which advances by the `/W` width) to where the
/// shaper put the next glyph. Positions are tracked absolutely so rounding
/// never accumulates along the line.
fn show_glyphs(out: &mut Vec<u8>, run: &[Glyph], size: f32, face: &UsedFace) {
    let per_pt = 1000.0 / f64::from(size);
    let target = |pen_pt: f64, g: usize| {
        let off = run.get(g).map_or(0.0, |g| finite(g.x_offset));
        (pen_pt + off) * per_pt
    };
    out.push(b'[');
    // Ideal pen (shaper advances, points) before each glyph, and where the
    // viewer's pen actually is, in 1/1000 em.
    let mut ideal = 0.0_f64;
    let mut open = false;
    let mut pen = target(0.0, 0);
    if pen != 0.0 {
        pen = round_em(pen);
        num64(out, -pen);
    }
    for (i, g) in run.iter().enumerate() {
        ideal += finite(g.advance);
        let after = pen + face.pdf_width(g.gid);
        let want = target(ideal, i + 1);
        let offset = round_em(after - want);
        pen = after - offset;
        let code = face.code(g.gid);
        // The ToUnicode map has one text a glyph; where this occurrence
        // stands for another (a pasted ﬁ beside a shaped "fi", Ω the ohm
        // sign beside omega, a mark that shares its letter's glyph), the
        // glyph is shown alone inside an /ActualText span with its own text,
        // so copying and searching get what the brief says.
        let actual = face.mixed(g.gid) && super::fonts::extracted(g) != face.unicode(g.gid);
        if actual {
            if open {
                out.push(b'>');
                open = false;
            }
            out.extend_from_slice(b"] TJ\n/Span <</ActualText ");
            text_string(out, &super::fonts::extracted(g));
            out.extend_from_slice(b">> BDC\n[");
        }
        // Glyphs between offsets share one hex string: two bytes a glyph
        // fewer to write, deflate and read.
        if !open {
            out.push(b'<');
            open = true;
        }
        for nibble in [code >> 12, code >> 8, code >> 4, code] {
            out.push(b"0123456789abcdef"[usize::from(nibble & 0xf)]);
        }
        if actual {
            out.extend_from_slice(b">] TJ\nEMC\n[");
            open = false;
        }
        if offset != 0.0 {
            if open {
                out.extend_from_slice(b"> ");
            }
            num64(out, offset);
            open = false;
        }
    }
    if open {
        out.push(b'>');
    }
    out.extend_from_slice(b"] TJ\n");
}

/// Writes operands (already rounded) and their operator, one operation a line.
fn write_op(out: &mut Vec<u8>, operands: impl IntoIterator<Item = f32>, operator: &str) {
    for v in operands {
        num(out, v);
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

/// Writes `text` as a PDF text string: UTF-16BE with its byte order mark,
/// in hex (`<FEFF…>`), or `()` when empty.
fn text_string(out: &mut Vec<u8>, text: &str) {
    if text.is_empty() {
        out.extend_from_slice(b"()");
        return;
    }
    out.push(b'<');
    for byte in super::finish::utf16(text) {
        let _ = write!(out, "{byte:02X}");
    }
    out.push(b'>');
}

/// Writes a number as PDF wants it: no exponent, no trailing zeros, `0` for
/// anything not finite. Operands are rounded to 1/1000 or coarser before.
fn num(out: &mut Vec<u8>, v: f32) {
    num64(out, f64::from(v));
}

fn num64(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.push(b'0');
        return;
    }
    // Two decimals cover every operand but colours and matrix terms (three),
    // and TJ offsets (two); f32 operands came rounded, so their shortest
    // decimal form is at most three places.
    let scaled = (v * 1000.0).round();
    if scaled == 0.0 {
        out.push(b'0');
        return;
    }
    if scaled.abs() >= 1e15 {
        // Far outside any page: clamp rather than write an exponent.
        let _ = write!(out, "{}", if v < 0.0 { -1e15 as i64 } else { 1e15 as i64 });
        return;
    }
    let milli = scaled as i64;
    let (sign, milli) = if milli < 0 { ("-", -milli) } else { ("", milli) };
    let (int, frac) = (milli / 1000, milli % 1000);
    let _ = if frac == 0 {
        write!(out, "{sign}{int}")
    } else if frac % 100 == 0 {
        write!(out, "{sign}{int}.{}", frac / 100)
    } else if frac % 10 == 0 {
        write!(out, "{sign}{int}.{:02}", frac / 10)
    } else {
        write!(out, "{sign}{int}.{frac:03}")
    };
}

fn finite(v: f32) -> f64 {
    if v.is_finite() { f64::from(v) } else { 0.0 }
}

/// Rounds a TJ adjustment to 1/100 of a thousandth of an em.
fn round_em(v: f64) -> f64 {
    let v = (v * 100.0).round() / 100.0;
    if v == 0.0 { 0.0 } else { v }
}

/// The items of a tagged group.
fn group(item: &Item) -> &[Item] {
    match item {
        Item::Tagged { items, .. } => items,
        other => std::slice::from_ref(other),
    }
}

/// Whether `items` draw text only (links draw nothing): such a group can be
/// marked without leaving the text object.
/// Items that are text alone, none of it right to left: such a group's
/// marked content opens inside a text object it shares with its neighbours.
/// A right-to-left run gets a text object of its own, so its marked content
/// opens outside.
fn text_only(items: &[Item]) -> bool {
    items.iter().all(|i| match i {
        Item::Text(run) => !run.glyphs.iter().any(|g| g.level % 2 == 1),
        Item::Link { .. } | Item::Field { .. } => true,
        _ => false,
    })
}

/// The property list of an artifact: its `/Type`, and `/Subtype` for a watermark.
fn artifact_props(kind: ArtifactKind) -> &'static str {
    match kind {
        ArtifactKind::Layout => "<</Type /Layout>>",
        ArtifactKind::Pagination => "<</Type /Pagination>>",
        ArtifactKind::Watermark => "<</Type /Pagination /Subtype /Watermark>>",
    }
}

/// The dash array PDF accepts: non-negative, finite, not all zero; else solid.
fn valid_dash(dash: &[f32]) -> Vec<f32> {
    let ok = dash.iter().all(|v| v.is_finite() && *v >= 0.0) && dash.iter().any(|v| *v > 0.0);
    if ok { dash.iter().map(|&v| r2(v)).collect() } else { Vec::new() }
}

/// A URI action must be 7-bit ASCII: percent-encode anything else (an IRI
/// with Cyrillic or spaces, say) byte by byte as UTF-8.
fn ascii_uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Smallest and largest of four values.
fn span(v: [f32; 4]) -> (f32, f32) {
    let lo = v.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    (lo, hi)
}

/// `m` applied after `outer`, as PDF's `cm` composes (new = m × old).
fn multiply(m: [f32; 6], outer: [f32; 6]) -> [f32; 6] {
    let [a, b, c, d, e, f] = m;
    let [oa, ob, oc, od, oe, of] = outer;
    [
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_is_ascii() {
        let uri = ascii_uri("https://ru.wikipedia.org/wiki/Кыргызстан a");
        assert_eq!(
            uri,
            "https://ru.wikipedia.org/wiki/%D0%9A%D1%8B%D1%80%D0%B3%D1%8B%D0%B7%D1%81%D1%82%D0%B0%D0%BD%20a"
        );
    }

    #[test]
    fn rotation_composes_like_cm() {
        let turn = [0.0, 1.0, -1.0, 0.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 0.0];
        // Shift, then a quarter turn: (0,0) ends at (0,10).
        let m = multiply(shift, turn);
        assert_eq!((m[4], m[5]), (0.0, 10.0));
    }

    #[test]
    fn rounding() {
        assert_eq!(r2(1.234_567), 1.23);
        assert!(r2(-0.001).is_sign_positive());
        assert_eq!(r2(f32::NAN), 0.0);
        assert_eq!(valid_dash(&[0.0, 0.0]), Vec::<f32>::new());
        assert_eq!(valid_dash(&[3.0, 1.5]), vec![3.0, 1.5]);
    }
}
