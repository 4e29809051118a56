//! A reviewed Word document read back: each content control's text as it
//! reads with every tracked change accepted (insertions kept, deletions
//! gone, moves at their new place), its bold, italic and links, what else
//! was done to it that a source cannot hold, the comments with their authors
//! and the field each is anchored in, and the paragraphs outside any control.
//!
//! Everything is bounded before it is trusted: the number of entries, each
//! entry's size as declared and as actually inflated, the total inflated,
//! and the XML's depth and node count; a document type declaration (the
//! door to entity expansion) is refused by the XML reader.

use std::collections::BTreeMap;
use std::io::Read as _;

use roxmltree::{Document, Node, ParsingOptions};

use crate::parts::{R, W};

/// Most entries a reviewed package may hold (a brief's has a dozen and its
/// pictures; Word adds a theme, web settings, fonts, people, comments…).
pub const MAX_ENTRIES: usize = 1000;
/// Largest part read, inflated (32 MiB).
pub const MAX_PART: u64 = 32 << 20;
/// Most bytes inflated from one package in all (64 MiB).
pub const MAX_TOTAL: u64 = 64 << 20;
/// Largest package read (64 MiB).
pub const MAX_FILE: u64 = 64 << 20;
/// Most XML nodes in one part.
const MAX_NODES: u32 = 4_000_000;

/// A run of text in one style, as the source's markup can say it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run {
    /// The text; `"\n"` is a line break.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// The link's target.
    pub link: Option<String>,
}

/// One content control of the document, with its text accepted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Control {
    /// The tag: the paths of the fields it shows, separated by spaces.
    pub tag: String,
    /// Its paragraphs, each a list of runs, every tracked change accepted.
    pub paragraphs: Vec<Vec<Run>>,
    /// The same with every tracked change rejected: the text as the
    /// document was before review, when the reviewer tracked changes.
    pub original: Vec<Vec<Run>>,
    /// What was done to it that a source cannot hold ("a colour", "a
    /// table"), once each.
    pub not_taken: Vec<String>,
}

impl Control {
    /// The paths the control's tag names.
    pub fn paths(&self) -> Vec<&str> {
        self.tag.split_whitespace().collect()
    }

    /// The plain text, paragraphs joined by a blank line.
    pub fn text(&self) -> String {
        plain(&self.paragraphs)
    }

    /// The plain text before review (tracked changes rejected).
    pub fn original_text(&self) -> String {
        plain(&self.original)
    }
}

/// Paragraphs' text joined by blank lines, empty paragraphs left out.
pub fn plain(paragraphs: &[Vec<Run>]) -> String {
    let paras: Vec<String> = paragraphs
        .iter()
        .map(|p| p.iter().map(|r| r.text.as_str()).collect::<String>())
        .filter(|t| !t.is_empty())
        .collect();
    paras.join("\n\n")
}

/// A comment and where it stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comment {
    /// Who wrote it.
    pub author: String,
    /// When, as Word wrote it.
    pub date: String,
    /// What it says.
    pub text: String,
    /// The tag of the control it is anchored in, if any.
    pub field: Option<String>,
    /// The text it is anchored to.
    pub quote: String,
    /// The tag of the last control before it, for one outside any.
    pub after: Option<String>,
}

/// A paragraph that stands outside every content control.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outside {
    /// Its text.
    pub text: String,
    /// The tag of the last control before it.
    pub after: Option<String>,
}

/// What a reviewed document holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reviewed {
    /// The custom document properties (the source's digest, the marking…).
    pub properties: BTreeMap<String, String>,
    /// The content controls, in document order.
    pub controls: Vec<Control>,
    /// The comments, in the order of their anchors.
    pub comments: Vec<Comment>,
    /// Paragraphs with text outside any control, in document order.
    pub outside: Vec<Outside>,
    /// Tracked insertions and deletions found (all taken as accepted).
    pub insertions: usize,
    /// Tracked deletions found.
    pub deletions: usize,
}

impl Reviewed {
    /// The SHA-256 of the source the document was built from.
    pub fn source_sha256(&self) -> Option<&str> {
        self.properties.get(crate::parts::SOURCE).map(String::as_str)
    }

    /// The source's file name as the document records it.
    pub fn source_name(&self) -> Option<&str> {
        self.properties.get(crate::parts::SOURCE_NAME).map(String::as_str)
    }

    /// The template it was built with.
    pub fn template(&self) -> Option<&str> {
        self.properties.get(crate::parts::TEMPLATE).map(String::as_str)
    }

    /// The version of the layout of fields.
    pub fn format(&self) -> Option<&str> {
        self.properties.get(crate::parts::FORMAT).map(String::as_str)
    }
}

/// Why a document cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

fn err(why: impl Into<String>) -> ReadError {
    ReadError(why.into())
}

/// The parts `read` needs, inflated within the bounds.
struct Parts {
    document: String,
    comments: Option<String>,
    custom: Option<String>,
    rels: Option<String>,
}

fn parts(bytes: &[u8]) -> Result<Parts, ReadError> {
    if bytes.len() as u64 > MAX_FILE {
        return Err(err(format!("the document is larger than {} MiB", MAX_FILE >> 20)));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| err(format!("not a Word document (DOCX): {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(err(format!(
            "the package holds {} entries, more than the {MAX_ENTRIES} a document may",
            zip.len()
        )));
    }
    let mut total = 0u64;
    let mut read = |name: &str| -> Result<Option<String>, ReadError> {
        let mut file = match zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(err(format!("cannot read {name} ({e})"))),
        };
        if file.size() > MAX_PART {
            return Err(err(format!(
                "{name} would inflate to {} bytes, more than the {} MiB a part may",
                file.size(),
                MAX_PART >> 20
            )));
        }
        let mut buf = Vec::new();
        // The declared size may lie: what is inflated is counted too.
        let limit = MAX_PART.min(MAX_TOTAL - total);
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| err(format!("cannot inflate {name} ({e})")))?;
        if buf.len() as u64 > limit {
            return Err(err(format!(
                "{name} inflates to more than {} MiB: not a document brief reads",
                limit >> 20
            )));
        }
        total += buf.len() as u64;
        String::from_utf8(buf).map(Some).map_err(|_| err(format!("{name} is not UTF-8 XML")))
    };
    let document = read("word/document.xml")?
        .ok_or_else(|| err("not a Word document: it has no word/document.xml"))?;
    Ok(Parts {
        document,
        comments: read("word/comments.xml")?,
        custom: read("docProps/custom.xml")?,
        rels: read("word/_rels/document.xml.rels")?,
    })
}

fn xml<'t>(name: &str, text: &'t str) -> Result<Document<'t>, ReadError> {
    let options =
        ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..ParsingOptions::default() };
    Document::parse_with_options(text, options)
        .map_err(|e| err(format!("{name} is not well-formed XML ({e})")))
}

fn is(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn val<'a>(node: &Node<'a, '_>) -> Option<&'a str> {
    node.attribute((W, "val"))
}

/// Reads a reviewed document.
pub fn read(bytes: &[u8]) -> Result<Reviewed, ReadError> {
    let parts = parts(bytes)?;
    let mut reviewed = Reviewed::default();
    if let Some(custom) = &parts.custom {
        let doc = xml("docProps/custom.xml", custom)?;
        for p in doc.descendants().filter(|n| n.has_tag_name("property")) {
            if let Some(name) = p.attribute("name") {
                let value: String =
                    p.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
                reviewed.properties.insert(name.to_string(), value);
            }
        }
    }
    let mut links = BTreeMap::new();
    if let Some(rels) = &parts.rels {
        let doc = xml("word/_rels/document.xml.rels", rels)?;
        for r in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
            if let (Some(id), Some(target)) = (r.attribute("Id"), r.attribute("Target")) {
                links.insert(id.to_string(), target.to_string());
            }
        }
    }
    let mut comments: BTreeMap<String, Comment> = BTreeMap::new();
    if let Some(text) = &parts.comments {
        let doc = xml("word/comments.xml", text)?;
        for c in doc.descendants().filter(|n| is(n, "comment")) {
            let id = c.attribute((W, "id")).unwrap_or_default().to_string();
            let paras: Vec<String> = c
                .descendants()
                .filter(|n| is(n, "p"))
                .map(|p| p.descendants().filter(|n| is(n, "t")).filter_map(|t| t.text()).collect())
                .collect();
            comments.insert(
                id,
                Comment {
                    author: c.attribute((W, "author")).unwrap_or_default().to_string(),
                    date: c.attribute((W, "date")).unwrap_or_default().to_string(),
                    text: paras.join("\n"),
                    ..Comment::default()
                },
            );
        }
    }
    let doc = xml("word/document.xml", &parts.document)?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(|| err("word/document.xml has no body"))?;
    let mut walk = Walk {
        links: &links,
        reviewed: &mut reviewed,
        comments,
        anchored: Vec::new(),
        open: Vec::new(),
        pending: Vec::new(),
        last: None,
        before: Vec::new(),
    };
    walk.blocks(body, None);
    walk.flush_pending();
    let Walk { anchored, comments, .. } = walk;
    // Comments in the order of their anchors, then any never anchored.
    let mut comments = comments;
    for id in anchored {
        if let Some(c) = comments.remove(&id) {
            reviewed.comments.push(c);
        }
    }
    reviewed.comments.extend(comments.into_values());
    Ok(reviewed)
}

/// The walk through the body.
struct Walk<'r> {
    links: &'r BTreeMap<String, String>,
    reviewed: &'r mut Reviewed,
    comments: BTreeMap<String, Comment>,
    /// Comment ids in the order their anchors were met.
    anchored: Vec<String>,
    /// Comment ranges open, collecting the text they cover.
    open: Vec<String>,
    /// Runs of a paragraph whose mark was deleted: they join the next one.
    pending: Vec<(Option<String>, Run)>,
    /// The tag of the last control met.
    last: Option<String>,
    /// The paragraphs (one, or those joined by deleted marks) as they were
    /// before review.
    before: Vec<Vec<Run>>,
}

impl Walk<'_> {
    /// Block-level content: paragraphs, tables, controls.
    fn blocks(&mut self, node: Node, tag: Option<&str>) {
        for child in node.children() {
            if is(&child, "p") {
                self.paragraph(child, tag);
            } else if is(&child, "tbl") {
                if let Some(t) = tag {
                    self.not_taken(t, "a table");
                }
                self.table(child, tag);
            } else if is(&child, "sdt") {
                let own = control_tag(&child);
                let inner = own.as_deref().or(tag);
                if let Some(content) = child.children().find(|n| is(n, "sdtContent")) {
                    if let Some(t) = own.as_deref() {
                        self.control(t);
                    }
                    self.blocks(content, inner);
                }
            } else if is(&child, "ins") || is(&child, "moveTo") || is(&child, "customXml") {
                self.blocks(child, tag);
            } else if is(&child, "commentRangeStart") {
                self.comment_start(&child, tag);
            } else if is(&child, "commentRangeEnd") {
                self.comment_end(&child);
            }
        }
    }

    /// A table's rows and cells, and controls around either.
    fn table(&mut self, node: Node, tag: Option<&str>) {
        for child in node.children() {
            if is(&child, "tc") {
                self.blocks(child, tag);
            } else if is(&child, "tr") {
                self.table(child, tag);
            } else if is(&child, "sdt") {
                let own = control_tag(&child);
                if let Some(t) = own.as_deref() {
                    self.control(t);
                }
                if let Some(content) = child.children().find(|n| is(n, "sdtContent")) {
                    self.table(content, own.as_deref().or(tag));
                }
            }
        }
    }

    /// A control met: it stands in the list even when it ends up empty.
    fn control(&mut self, tag: &str) {
        self.last = Some(tag.to_string());
        let controls = &mut self.reviewed.controls;
        if controls.last().is_none_or(|c| c.tag != tag) {
            controls.push(Control { tag: tag.to_string(), ..Control::default() });
        }
    }

    fn not_taken(&mut self, tag: &str, what: &str) {
        if let Some(c) = self.reviewed.controls.iter_mut().rev().find(|c| c.tag == tag)
            && !c.not_taken.iter().any(|w| w == what)
        {
            c.not_taken.push(what.to_string());
        }
    }

    fn comment_start(&mut self, node: &Node, tag: Option<&str>) {
        let Some(id) = node.attribute((W, "id")) else { return };
        if let Some(c) = self.comments.get_mut(id) {
            c.field = tag.map(str::to_string);
            c.after = self.last.clone();
        }
        if !self.anchored.iter().any(|a| a == id) {
            self.anchored.push(id.to_string());
        }
        self.open.push(id.to_string());
    }

    fn comment_end(&mut self, node: &Node) {
        if let Some(id) = node.attribute((W, "id")) {
            self.open.retain(|o| o != id);
        }
    }

    fn paragraph(&mut self, p: Node, tag: Option<&str>) {
        let mut before = Vec::new();
        rejected(p, &Style::default(), &mut before);
        self.before.push(merge(before));
        let mut runs = Vec::new();
        if let Some(t) = tag {
            runs.push((Some(t.to_string()), Run::default()));
        }
        self.inline(p, tag, &mut Style::default(), &mut runs);
        let mark_deleted = p
            .children()
            .find(|n| is(n, "pPr"))
            .and_then(|ppr| ppr.children().find(|n| is(n, "rPr")))
            .is_some_and(|rpr| rpr.children().any(|n| is(&n, "del") || is(&n, "moveFrom")));
        if mark_deleted {
            self.reviewed.deletions += 1;
            self.pending.extend(runs);
            return;
        }
        let mut all = std::mem::take(&mut self.pending);
        all.extend(runs);
        self.put(all);
    }

    fn flush_pending(&mut self) {
        if !self.pending.is_empty() {
            let runs = std::mem::take(&mut self.pending);
            self.put(runs);
        }
    }

    /// One paragraph's runs, each with the control it is in: the runs of a
    /// control go to it as a paragraph; text beside a control, outside it,
    /// stands apart.
    fn put(&mut self, runs: Vec<(Option<String>, Run)>) {
        let before = std::mem::take(&mut self.before);
        let first = runs.iter().find_map(|(t, _)| t.clone());
        let mut groups: Vec<(Option<String>, Vec<Run>)> = Vec::new();
        for (tag, run) in runs {
            match groups.last_mut() {
                Some((t, rs)) if *t == tag => rs.push(run),
                _ => groups.push((tag, vec![run])),
            }
        }
        let mut before = Some(before);
        for (tag, runs) in groups {
            let runs = merge(runs);
            match tag {
                Some(t) => {
                    let controls = &mut self.reviewed.controls;
                    match controls.last_mut() {
                        // Runs of the control the paragraph is in, after
                        // text beside it: the same paragraph.
                        Some(c) if c.tag == t && before.is_none() => {
                            if let Some(p) = c.paragraphs.last_mut() {
                                p.extend(runs);
                            }
                        }
                        Some(c) if c.tag == t => {
                            c.paragraphs.push(runs);
                            c.original.extend(before.take().unwrap_or_default());
                        }
                        _ => {
                            let original = before.take().unwrap_or_default();
                            controls.push(Control {
                                tag: t.to_string(),
                                paragraphs: vec![runs],
                                original,
                                not_taken: Vec::new(),
                            });
                        }
                    }
                    self.last = Some(t);
                }
                None => {
                    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
                    if !text.trim().is_empty() {
                        let after = if first.is_some() {
                            self.last.clone().or(first.clone())
                        } else {
                            self.last.clone()
                        };
                        self.reviewed.outside.push(Outside { text, after });
                    }
                }
            }
        }
    }

    /// Inline content of a paragraph (runs, links, insertions, run-level
    /// controls), deletions skipped.
    fn inline(
        &mut self,
        node: Node,
        tag: Option<&str>,
        style: &mut Style,
        runs: &mut Vec<(Option<String>, Run)>,
    ) {
        for child in node.children() {
            if !child.is_element() || child.tag_name().namespace() != Some(W) {
                continue;
            }
            match child.tag_name().name() {
                "r" => self.run(child, tag, style, runs),
                "ins" | "moveTo" => {
                    self.reviewed.insertions += 1;
                    self.inline(child, tag, style, runs);
                }
                "del" | "moveFrom" => self.reviewed.deletions += 1,
                "hyperlink" => {
                    let target =
                        child.attribute((R, "id")).and_then(|id| self.links.get(id)).cloned();
                    let mut inner = Style { link: target };
                    self.inline(child, tag, &mut inner, runs);
                }
                "sdt" => {
                    let own = control_tag(&child);
                    if let Some(t) = own.as_deref() {
                        self.control(t);
                        runs.push((Some(t.to_string()), Run::default()));
                    }
                    if let Some(content) = child.children().find(|n| is(n, "sdtContent")) {
                        self.inline(content, own.as_deref().or(tag), style, runs);
                    }
                }
                "fldSimple" | "smartTag" | "customXml" | "sdtContent" => {
                    self.inline(child, tag, style, runs)
                }
                "commentRangeStart" => self.comment_start(&child, tag),
                "commentRangeEnd" => self.comment_end(&child),
                _ => {}
            }
        }
    }

    fn run(
        &mut self,
        r: Node,
        tag: Option<&str>,
        style: &Style,
        runs: &mut Vec<(Option<String>, Run)>,
    ) {
        let mut run = Run { link: style.link.clone(), ..Run::default() };
        if let Some(rpr) = r.children().find(|n| is(n, "rPr")) {
            for p in rpr.children().filter(|n| n.is_element()) {
                let on = val(&p).is_none_or(|v| !matches!(v, "0" | "false" | "off" | "none"));
                let what = match p.tag_name().name() {
                    "b" => {
                        run.bold = on;
                        None
                    }
                    "i" => {
                        run.italic = on;
                        None
                    }
                    "color" if val(&p).is_some_and(|v| v != "auto") => Some("a colour"),
                    "highlight" if on => Some("a highlight"),
                    "shd" => Some("shading"),
                    "sz" => Some("a type size"),
                    "rFonts" => Some("a font"),
                    "u" if on && style.link.is_none() => Some("an underline"),
                    "strike" | "dstrike" if on => Some("strikethrough"),
                    "caps" | "smallCaps" if on => Some("capitals"),
                    "vertAlign" if val(&p).is_some_and(|v| v != "baseline") => {
                        Some("superscript or subscript")
                    }
                    _ => None,
                };
                if let (Some(what), Some(t)) = (what, tag) {
                    let has_text = r
                        .children()
                        .any(|n| is(&n, "t") && n.text().is_some_and(|t| !t.is_empty()));
                    if has_text {
                        self.not_taken(t, what);
                    }
                }
            }
        }
        for c in r.children().filter(|n| n.is_element() && n.tag_name().namespace() == Some(W)) {
            match c.tag_name().name() {
                "t" => run.text.push_str(c.text().unwrap_or_default()),
                "tab" => run.text.push('\t'),
                "br" if c.attribute((W, "type")).is_none_or(|t| t == "textWrapping") => {
                    run.text.push('\n')
                }
                "cr" => run.text.push('\n'),
                "noBreakHyphen" => run.text.push('\u{2011}'),
                "softHyphen" => run.text.push('\u{ad}'),
                "drawing" | "pict" | "object" => {
                    if let Some(t) = tag {
                        self.not_taken(t, "a picture");
                    }
                }
                "commentReference" => {
                    if let Some(id) = c.attribute((W, "id"))
                        && !self.anchored.iter().any(|a| a == id)
                    {
                        if let Some(cm) = self.comments.get_mut(id) {
                            cm.field = tag.map(str::to_string);
                            cm.after = self.last.clone();
                        }
                        self.anchored.push(id.to_string());
                    }
                }
                _ => {}
            }
        }
        if !run.text.is_empty() {
            for id in &self.open {
                if let Some(c) = self.comments.get_mut(id) {
                    c.quote.push_str(&run.text);
                }
            }
            runs.push((tag.map(str::to_string), run));
        }
    }
}

/// A paragraph's runs with every tracked change rejected: deletions kept,
/// insertions left out.
fn rejected(node: Node, style: &Style, runs: &mut Vec<Run>) {
    for child in node.children() {
        if !child.is_element() || child.tag_name().namespace() != Some(W) {
            continue;
        }
        match child.tag_name().name() {
            "r" => {
                let mut run = Run { link: style.link.clone(), ..Run::default() };
                for c in child.children().filter(|n| n.is_element()) {
                    match c.tag_name().name() {
                        "rPr" => {
                            // The formatting before a tracked change of it.
                            let rpr = c
                                .children()
                                .find(|n| is(n, "rPrChange"))
                                .and_then(|ch| ch.children().find(|n| is(n, "rPr")))
                                .unwrap_or(c);
                            for p in rpr.children().filter(|n| n.is_element()) {
                                let on =
                                    val(&p).is_none_or(|v| !matches!(v, "0" | "false" | "off"));
                                match p.tag_name().name() {
                                    "b" => run.bold = on,
                                    "i" => run.italic = on,
                                    _ => {}
                                }
                            }
                        }
                        "t" | "delText" => run.text.push_str(c.text().unwrap_or_default()),
                        "tab" => run.text.push('\t'),
                        "br" if c.attribute((W, "type")).is_none_or(|t| t == "textWrapping") => {
                            run.text.push('\n')
                        }
                        "cr" => run.text.push('\n'),
                        _ => {}
                    }
                }
                if !run.text.is_empty() {
                    runs.push(run);
                }
            }
            "ins" | "moveTo" | "pPr" => {}
            "hyperlink" => rejected(child, style, runs),
            "sdt" => {
                if let Some(content) = child.children().find(|n| is(n, "sdtContent")) {
                    rejected(content, style, runs);
                }
            }
            _ => rejected(child, style, runs),
        }
    }
}

/// The style a hyperlink gives the runs inside it.
#[derive(Clone, Default)]
struct Style {
    link: Option<String>,
}

/// A control's tag, from its properties.
fn control_tag(sdt: &Node) -> Option<String> {
    let pr = sdt.children().find(|n| is(n, "sdtPr"))?;
    let tag = pr.children().find(|n| is(n, "tag"))?;
    val(&tag).map(str::to_string).filter(|t| !t.trim().is_empty())
}

/// Neighbouring runs in the same style made one.
fn merge(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some(last) if last.bold == r.bold && last.italic == r.italic && last.link == r.link => {
                last.text.push_str(&r.text)
            }
            _ => out.push(r),
        }
    }
    out
}
