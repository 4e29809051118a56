//! Markup → document tree: CommonMark (pulldown-cmark, GFM tables) plus
//! fenced `:::` directives and `figure:` embeds.

use std::sync::Arc;

use super::Error;
use brief_core::document::read_field_mark;
use brief_core::text::references::Target;
use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    /// The text; `"\n"` is a hard line break.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Link target.
    pub link: Option<String>,
    /// The block this run is in changed since the version compared with:
    /// layout draws a change bar beside it (see [`brief_core::document::BAR`]).
    pub changed: bool,
    /// The source fields whose text ends with this run (field marks, see
    /// [`brief_core::document::field_mark`]): the DOCX puts the block in a
    /// content control named after them.
    pub fields: Vec<String>,
    /// The source field this text shows: named by the field mark after it
    /// (see [`brief_core::document::field_mark`]) or by the `::: field`
    /// block around it. Layout places an [`Item::Field`] over it, so a place
    /// on the page leads back to the source.
    ///
    /// [`Item::Field`]: brief_core::frame::Item::Field
    pub field: Option<Arc<str>>,
    /// The language of the passage this run is in (`[words]{lang=he}`, see
    /// [`brief_core::text::passage`]), a checked BCP 47 tag. Runs of one
    /// passage share the one `Arc`: its address tells two passages in the
    /// same language apart, each its own tagged `Span`.
    pub lang: Option<Arc<str>>,
}

/// Whether two runs are in the same passage, or both in none.
pub fn same_passage(a: &Option<Arc<str>>, b: &Option<Arc<str>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Inline content: styled runs.
pub type Inline = Vec<Span>;

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading, level 1–6.
    Heading(u8, Inline),
    /// A paragraph.
    Para(Inline),
    /// A list; items are blocks; `Some(n)` numbers from n.
    List(Option<u64>, Vec<Vec<Block>>),
    /// A table: header cells, then rows.
    Table(Vec<Inline>, Vec<Vec<Inline>>),
    /// A boxed, shaded block.
    Callout(Vec<Block>),
    /// Blocks that changed since the version compared with: each gets a
    /// change bar beside it.
    Changed(Vec<Block>),
    /// Blocks showing one source field (`::: field PATH`): laid out as if
    /// unwrapped; the path traces them back to the source.
    Field(String, Vec<Block>),
    /// Smaller text.
    Small(Vec<Block>),
    /// Label/value pairs of the title block.
    Fields(Vec<(String, Inline)>),
    /// Fact tiles: the big figure, then the caption.
    Facts(Vec<(Inline, Inline)>),
    /// A chart, by figure id, with its alt text.
    Figure(String),
    /// A horizontal rule.
    Rule,
    /// Start a new page.
    PageBreak,
}

/// Parses markup into blocks. Unknown directives are errors, named, and so
/// are images other than the brief's own figures: nothing is read from disk.
pub fn parse(markup: &str) -> Result<Vec<Block>, Error> {
    let mut blocks = Vec::new();
    let mut lines = markup.lines().peekable();
    let mut plain = String::new();
    while let Some(line) = lines.next() {
        let Some(name) = line.trim_start().strip_prefix(":::").map(str::trim) else {
            plain.push_str(line);
            plain.push('\n');
            continue;
        };
        blocks.extend(markdown(&std::mem::take(&mut plain))?);
        if name.is_empty() {
            continue; // a stray closing fence
        }
        if name == "pagebreak" {
            // Self-closing; a closing fence right after it is allowed.
            lines.next_if(|l| l.trim() == ":::");
            blocks.push(Block::PageBreak);
            continue;
        }
        let mut body = String::new();
        let mut depth = 1;
        for inner in lines.by_ref() {
            let t = inner.trim();
            if t == ":::" {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            } else if t.starts_with(":::") && t.len() > 3 {
                depth += 1;
            }
            body.push_str(inner);
            body.push('\n');
        }
        blocks.push(directive(name, &body)?);
    }
    blocks.extend(markdown(&plain)?);
    Ok(blocks)
}

fn directive(name: &str, body: &str) -> Result<Block, Error> {
    Ok(match name {
        "callout" => Block::Callout(parse(body)?),
        "small" => Block::Small(parse(body)?),
        "changed" => Block::Changed(parse(body)?),
        field if field.starts_with("field ") => {
            let path = field["field ".len()..].trim();
            if !brief_core::document::is_field_path(path) {
                return Err(Error::Markup(format!("`::: field {path}` names no field path")));
            }
            let mut inner = parse(body)?;
            let shared: Arc<str> = Arc::from(path);
            attribute(&mut inner, &shared);
            Block::Field(path.to_string(), inner)
        }
        "pagebreak" => Block::PageBreak,
        "fields" => Block::Fields(fields(body)?),
        "facts" => Block::Facts(facts(body)?),
        other => {
            return Err(Error::Markup(format!(
                "unknown directive `::: {other}` (known: callout, small, fields, facts, changed, field, pagebreak)"
            )));
        }
    })
}

/// Gives every text of `blocks` that names no field yet the field `path`
/// (the text of a `::: field PATH` block; marks inside it name their own).
fn attribute(blocks: &mut [Block], path: &Arc<str>) {
    let spans = |inline: &mut Inline| {
        for span in inline.iter_mut().filter(|s| s.field.is_none()) {
            span.field = Some(path.clone());
        }
    };
    for block in blocks {
        match block {
            Block::Heading(_, inline) | Block::Para(inline) => spans(inline),
            Block::List(_, items) => items.iter_mut().for_each(|item| attribute(item, path)),
            Block::Table(head, rows) => {
                head.iter_mut().chain(rows.iter_mut().flatten()).for_each(spans);
            }
            Block::Callout(inner) | Block::Changed(inner) | Block::Small(inner) => {
                attribute(inner, path)
            }
            Block::Field(_, inner) => attribute(inner, path),
            Block::Fields(fields) => fields.iter_mut().for_each(|(_, value)| spans(value)),
            Block::Facts(tiles) => tiles.iter_mut().for_each(|(big, caption)| {
                spans(big);
                spans(caption);
            }),
            Block::Figure(_) | Block::Rule | Block::PageBreak => {}
        }
    }
}

/// `Label: value` lines; a line without a colon goes on the value before it
/// (a value with a line break in it), never dropped.
fn fields(body: &str) -> Result<Vec<(String, Inline)>, Error> {
    let mut raw: Vec<(String, String)> = Vec::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match (line.split_once(':'), raw.last_mut()) {
            (None, Some((_, value))) => {
                value.push(' ');
                value.push_str(line);
            }
            (Some((k, v)), _) => raw.push((k.trim().to_string(), v.trim().to_string())),
            (None, None) => raw.push((String::new(), line.to_string())),
        }
    }
    raw.into_iter().map(|(k, v)| Ok((k, inline(&v)?))).collect()
}

/// Each list item is a tile: its first bold run is the figure, the rest the caption.
fn facts(body: &str) -> Result<Vec<(Inline, Inline)>, Error> {
    let mut tiles = Vec::new();
    for block in markdown(body)? {
        let Block::List(_, items) = block else { continue };
        for item in items {
            let spans: Inline = item
                .into_iter()
                .flat_map(|b| match b {
                    Block::Para(s) => s,
                    _ => Vec::new(),
                })
                .collect();
            let split = spans.iter().position(|s| !s.bold).unwrap_or(spans.len());
            let (big, rest) = spans.split_at(split);
            let mut caption = rest.to_vec();
            if let Some(first) = caption.first_mut() {
                first.text = first.text.trim_start().to_string();
            }
            tiles.push((big.to_vec(), caption));
        }
    }
    Ok(tiles)
}

/// Trailing white space off the end of a cell or paragraph, as CommonMark
/// strips it: a field mark after it (`bio text <!--field:…-->`) keeps the
/// parser from doing so, and a space at the end would print. The fields a
/// run left empty carried go to the run before it.
fn trim_end(inline: &mut Inline) {
    while let Some(last) = inline.last_mut() {
        let kept = last.text.trim_end_matches([' ', '\t']).len();
        last.text.truncate(kept);
        if !last.text.is_empty() {
            break;
        }
        let gone = inline.pop().map(|s| s.fields).unwrap_or_default();
        if let Some(before) = inline.last_mut() {
            for f in gone {
                if !before.fields.contains(&f) {
                    before.fields.push(f);
                }
            }
        }
    }
}

/// `<br>`, `<br/>` or `<br />`: a line break inside a table cell.
fn is_br(html: &str) -> bool {
    matches!(html.trim().to_ascii_lowercase().as_str(), "<br>" | "<br/>" | "<br />")
}

fn inline(text: &str) -> Result<Inline, Error> {
    Ok(match markdown(&inline_start(text))?.into_iter().next() {
        Some(Block::Para(spans)) => spans,
        _ => vec![Span { text: text.to_string(), ..Span::default() }],
    })
}

/// A value read as inline text: what would open a block at its start (the
/// `1.` of the German date "1. März 2026", a `#`, `>` or `- `) escaped, so
/// it stays a paragraph and its marks are read, not printed.
fn inline_start(text: &str) -> std::borrow::Cow<'_, str> {
    let body = text.trim_start();
    let at = text.len() - body.len();
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let next = |i: usize| body.as_bytes().get(i).copied();
    let spaced = |i: usize| matches!(next(i), None | Some(b' ' | b'\t'));
    let escape = match next(0) {
        Some(b'#' | b'>' | b'=' | b'|') => Some(0),
        Some(b'-' | b'+' | b'*') if spaced(1) => Some(0),
        Some(b'0'..=b'9')
            if digits <= 9 && matches!(next(digits), Some(b'.' | b')')) && spaced(digits + 1) =>
        {
            Some(digits)
        }
        _ => None,
    };
    match escape {
        Some(i) => format!("{}\\{}", &text[..at + i], &text[at + i..]).into(),
        None => text.into(),
    }
}

/// Plain CommonMark with GFM tables.
fn markdown(text: &str) -> Result<Vec<Block>, Error> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Builder::default();
    for event in brief_core::text::passage::parser(text) {
        b.event(event);
    }
    match b.refused.take() {
        Some(Refused::Image(url)) => {
            let (why, hint) = Target::Image(url.clone()).refusal();
            Err(Error::Content { why, hint, culprit: Some(url) })
        }
        Some(Refused::Figure(id, place)) => Err(Error::Content {
            why: format!("the figure `{id}` cannot be placed in {place}"),
            hint: "place a figure as `![title](figure:id)` in a paragraph of its own",
            culprit: Some(id),
        }),
        Some(Refused::Passage(value, why)) => Err(Error::Content {
            why,
            hint: "mark a passage as `[words]{lang=tag}` with a BCP 47 tag (he, ja, sr-Cyrl); write `\\[` for a bracket that marks nothing",
            culprit: Some(value),
        }),
        Some(Refused::Link(url)) => {
            let (why, hint) = Target::Link(url.clone()).refusal();
            Err(Error::Content { why, hint, culprit: Some(url) })
        }
        None => Ok(b.finish()),
    }
}

/// Markup a brief may not carry, kept to report the first.
enum Refused {
    /// An image that is not a `figure:` embed.
    Image(String),
    /// A figure where only text can go: its id and the place.
    Figure(String, &'static str),
    /// A link that is not https, http or mailto.
    Link(String),
    /// A passage attribute that is not a known language: its value, why.
    Passage(String, String),
}

/// A table being read: header cells, finished rows, the row in progress.
type TableParts = (Vec<Inline>, Vec<Vec<Inline>>, Vec<Inline>);

/// Builds blocks from pulldown-cmark events with a stack of open containers.
#[derive(Default)]
struct Builder {
    /// Open containers: finished blocks so far inside each.
    stack: Vec<Vec<Block>>,
    /// Open list items and the list they belong to.
    lists: Vec<(Option<u64>, Vec<Vec<Block>>)>,
    inline: Inline,
    bold: u32,
    italic: u32,
    link: Option<String>,
    table: Option<TableParts>,
    heading: Option<u8>,
    image: Option<String>,
    /// The first image or link refused.
    refused: Option<Refused>,
    /// The passage being read, and its attribute as written, which the
    /// text after its `]` starts with and which is not printed.
    passage: Option<(Arc<str>, String)>,
    /// What is left to drop of the attribute of the passage just closed.
    strip: String,
}

impl Builder {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => self.push(Block::Rule),
            Event::InlineHtml(t) if is_br(&t) => self.text("\n"),
            Event::InlineHtml(t) if t.trim() == brief_core::document::BAR => self.changed(),
            // Field marks trace the page back to the source; they print
            // nothing, and name the fields of the text before them.
            Event::InlineHtml(t) if read_field_mark(&t).is_some() => {
                let path = read_field_mark(&t).unwrap_or_default();
                if let Some(last) = self.inline.last_mut()
                    && !last.fields.iter().any(|f| f == path)
                {
                    last.fields.push(path.to_string());
                }
                self.field(path)
            }
            Event::Html(t) if read_field_mark(&t).is_some() => {
                self.field(read_field_mark(&t).unwrap_or_default())
            }
            Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            Tag::Link { link_type: LinkType::ShortcutUnknown, dest_url, title, .. } => {
                use brief_core::text::passage;
                let (key, _, _) = passage::attribute(&title).unwrap_or_default();
                let tag = match passage::language(key, &dest_url) {
                    Ok(language) => language.tag,
                    Err(refused) => {
                        let why = match refused.suggestion {
                            Some(s) => format!("{}; did you mean `{s}`?", refused.reason),
                            None => refused.reason,
                        };
                        self.refused.get_or_insert(Refused::Passage(dest_url.to_string(), why));
                        String::new()
                    }
                };
                self.passage = Some((Arc::from(tag), title.to_string()));
            }
            Tag::Link { link_type, dest_url, .. } => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                if !brief_core::document::safe_link(&url) {
                    self.refused.get_or_insert(Refused::Link(url.clone()));
                }
                self.link = Some(url);
            }
            Tag::Image { dest_url, .. } => self.image = Some(dest_url.to_string()),
            Tag::Heading { level, .. } => self.heading = Some(level as u8),
            Tag::List(start) => {
                self.flush_para(); // text of a tight item before its sub-list
                self.lists.push((start, Vec::new()));
            }
            Tag::Item => self.stack.push(Vec::new()),
            Tag::Table(_) => self.table = Some((Vec::new(), Vec::new(), Vec::new())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Link => match self.passage.take() {
                Some((_, attribute)) => self.strip = attribute,
                None => self.link = None,
            },
            TagEnd::Image => self.image(),
            TagEnd::Paragraph => {
                trim_end(&mut self.inline);
                self.flush_para();
            }
            TagEnd::Heading(_) => {
                let level = self.heading.take().unwrap_or(1);
                let spans = std::mem::take(&mut self.inline);
                self.push(Block::Heading(level, spans));
            }
            TagEnd::Item => {
                self.flush_para(); // tight lists have no paragraph events
                let item = self.stack.pop().unwrap_or_default();
                if let Some((_, items)) = self.lists.last_mut() {
                    items.push(item);
                }
            }
            TagEnd::List(_) => {
                if let Some((start, items)) = self.lists.pop() {
                    self.push(Block::List(start, items));
                }
            }
            TagEnd::TableCell => {
                let mut cell = std::mem::take(&mut self.inline);
                trim_end(&mut cell);
                if let Some((_, _, row)) = self.table.as_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some((head, _, row)) = self.table.as_mut() {
                    *head = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some((_, rows, row)) = self.table.as_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some((head, rows, _)) = self.table.take() {
                    self.push(Block::Table(head, rows));
                }
            }
            _ => {}
        }
    }

    /// A figure ends the paragraph so far and stands as a block; the alt
    /// text never reaches `inline` (the chart draws its own title).
    fn image(&mut self) {
        let url = self.image.take().unwrap_or_default();
        match url.strip_prefix("figure:") {
            Some(id) if self.table.is_none() && self.heading.is_none() => {
                self.flush_para();
                self.push(Block::Figure(id.to_string()));
            }
            Some(id) => {
                let place = if self.table.is_some() { "a table cell" } else { "a heading" };
                self.refused.get_or_insert(Refused::Figure(id.to_string(), place));
            }
            None => {
                self.refused.get_or_insert(Refused::Image(url));
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.image.is_some() {
            return;
        }
        // The attribute after a passage's `]` is not printed.
        let mut text = text;
        if !self.strip.is_empty() {
            let n: usize = text
                .chars()
                .zip(self.strip.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a.len_utf8())
                .sum();
            let whole = n == self.strip.len();
            self.strip =
                if whole || n < text.len() { String::new() } else { self.strip.split_off(n) };
            text = &text[n..];
            if text.is_empty() {
                return;
            }
        }
        let lang = self.passage.as_ref().map(|(tag, _)| tag.clone());
        let span = Span {
            text: text.to_string(),
            bold: self.bold > 0,
            italic: self.italic > 0,
            link: self.link.clone(),
            changed: false,
            fields: Vec::new(),
            field: None,
            lang,
        };
        match self.inline.last_mut() {
            // Text after a field mark starts a run of its own, so that each
            // run knows the field it shows; layout shapes runs split only by
            // a mark as one, so nothing printed changes.
            Some(last)
                if !last.changed
                    && last.field.is_none()
                    && last.bold == span.bold
                    && last.italic == span.italic
                    && last.link == span.link
                    && same_passage(&last.lang, &span.lang)
                    && text != "\n"
                    && last.text != "\n" =>
            {
                last.text.push_str(text)
            }
            _ => self.inline.push(span),
        }
    }

    /// A change bar marker: the text so far (the paragraph, item or cell
    /// it ends) is marked; a marker with no text before it marks nothing.
    fn changed(&mut self) {
        if let Some(last) = self.inline.last_mut() {
            last.changed = true;
        }
    }

    /// A field mark: the text since the last mark (in this paragraph, item
    /// or cell) shows that field; a mark with no text before it marks nothing.
    fn field(&mut self, path: &str) {
        let path: Arc<str> = Arc::from(path);
        for span in self.inline.iter_mut().rev().take_while(|s| s.field.is_none()) {
            span.field = Some(path.clone());
        }
    }

    fn flush_para(&mut self) {
        if !self.inline.is_empty() {
            let spans = std::mem::take(&mut self.inline);
            self.push(Block::Para(spans));
        }
    }

    fn push(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(container) => container.push(block),
            None => self.stack_root().push(block),
        }
    }

    fn stack_root(&mut self) -> &mut Vec<Block> {
        if self.stack.is_empty() {
            self.stack.push(Vec::new());
        }
        &mut self.stack[0]
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_para();
        self.stack.into_iter().next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives_lists_tables_and_figures() {
        let text = "# T\n\n::: callout\n**Purpose.** Do it.\n:::\n\n- a\n- b\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n![x](figure:trade)\n";
        let blocks = parse(text).unwrap();
        assert!(matches!(&blocks[0], Block::Heading(1, _)));
        assert!(matches!(&blocks[1], Block::Callout(inner) if inner.len() == 1));
        assert!(matches!(&blocks[2], Block::List(None, items) if items.len() == 2));
        assert!(matches!(&blocks[3], Block::Table(h, rows) if h.len() == 2 && rows.len() == 1));
        assert_eq!(blocks[4], Block::Figure("trade".into()));
    }

    #[test]
    fn a_field_value_on_several_lines_is_kept_whole() {
        let blocks = parse(
            "::: fields\nDatenstand: 1. März 2026<!--field:brief.as_of--><!--changed-->\n:::\n",
        )
        .unwrap();
        let Block::Fields(fields) = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!(fields[0].1.len(), 1, "{fields:?}");
        assert_eq!((fields[0].1[0].text.as_str(), fields[0].1[0].changed), ("1. März 2026", true));
        for value in ["# 1", "> q", "- x", "12) y", "+ z", "= w"] {
            let blocks = parse(&format!("::: fields\nL: {value}\n:::\n")).unwrap();
            let Block::Fields(fields) = &blocks[0] else { panic!("{blocks:?}") };
            let text: String = fields[0].1.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(text, value);
        }
        let blocks = parse("::: fields\nPlace: Baku,\nAzerbaijan\n\nFor: Desk\n:::\n").unwrap();
        let Block::Fields(fields) = &blocks[0] else { panic!("{blocks:?}") };
        let text = |i: usize| fields[i].1.iter().map(|s| s.text.as_str()).collect::<String>();
        assert_eq!((fields.len(), text(0), text(1)), (2, "Baku, Azerbaijan".into(), "Desk".into()));
    }

    #[test]
    fn a_change_marker_marks_its_paragraph_and_is_not_printed() {
        let blocks = parse("- one<!--changed-->\n- two\n\n::: changed\nThree.\n:::\n").unwrap();
        let Block::List(_, items) = &blocks[0] else { panic!("{blocks:?}") };
        let spans = |item: &Vec<Block>| match &item[0] {
            Block::Para(spans) => spans.clone(),
            other => panic!("{other:?}"),
        };
        let first = spans(&items[0]);
        assert!(first.iter().any(|s| s.changed));
        assert_eq!(first.iter().map(|s| s.text.as_str()).collect::<String>(), "one");
        assert!(!spans(&items[1]).iter().any(|s| s.changed));
        assert!(matches!(&blocks[1], Block::Changed(inner) if inner.len() == 1), "{blocks:?}");
    }

    #[test]
    fn unknown_directive_is_an_error() {
        assert!(parse("::: donut\nx\n:::\n").unwrap_err().to_string().contains("donut"));
    }

    #[test]
    fn fact_tiles_split_figure_and_caption() {
        let blocks = parse("::: facts\n- **5.4 USD million** Trade, 2020\n:::\n").unwrap();
        let Block::Facts(tiles) = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!(tiles[0].0[0].text, "5.4 USD million");
        assert_eq!(tiles[0].1[0].text, "Trade, 2020");
    }

    #[test]
    fn images_other_than_figures_are_refused_and_never_read() {
        for text in [
            "![s](../../etc/passwd)\n",
            "Inline ![logo](/etc/hostname) here.\n",
            "| a |\n|---|\n| ![x](figure:f) |\n",
        ] {
            let err = parse(text).unwrap_err();
            assert!(matches!(err, Error::Content { .. }), "{text}: {err}");
        }
    }

    #[test]
    fn a_figure_in_a_table_cell_or_heading_is_named_as_a_figure() {
        for (text, place) in [
            ("| a |\n|---|\n| ![x](figure:trade) |\n", "a table cell"),
            ("# Title ![x](figure:trade)\n", "a heading"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert_eq!(err, format!("the figure `trade` cannot be placed in {place}"), "{text}");
        }
    }

    #[test]
    fn a_figure_inside_a_paragraph_keeps_the_text_around_it_in_order() {
        let blocks = parse("Before ![t](figure:f) after.\n").unwrap();
        let texts: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Para(spans) => spans.iter().map(|s| s.text.as_str()).collect::<String>(),
                Block::Figure(id) => format!("[{id}]"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["Before ", "[f]", " after."]);
    }

    #[test]
    fn links_go_only_to_the_web_and_email_autolinks_get_mailto() {
        for text in
            ["[f](file:///etc/passwd)\n", "[j](javascript:alert(1))\n", "[r](relative/page)\n"]
        {
            assert!(matches!(parse(text), Err(Error::Content { .. })), "{text}");
        }
        let blocks = parse("Write to <desk@example.gov> or [us](https://example.org).\n").unwrap();
        let Block::Para(spans) = &blocks[0] else { panic!("{blocks:?}") };
        let links: Vec<&str> = spans.iter().filter_map(|s| s.link.as_deref()).collect();
        assert_eq!(links, ["mailto:desk@example.gov", "https://example.org"]);
    }

    fn para(text: &str) -> Inline {
        match parse(text).unwrap().into_iter().next() {
            Some(Block::Para(spans)) => spans,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_passage_in_another_language_is_marked_and_its_attribute_not_printed() {
        let spans = para(
            "The [Leviathan **field**]{lang=he} and [Тара]{lang=sr-cyrl}; [Тара]{lang=sr-Cyrl}.\n",
        );
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, "The Leviathan field and Тара; Тара.");
        let langs: Vec<(&str, Option<&str>)> =
            spans.iter().map(|s| (s.text.as_str(), s.lang.as_deref())).collect();
        assert_eq!(
            langs,
            [
                ("The ", None),
                ("Leviathan ", Some("he")),
                ("field", Some("he")),
                (" and ", None),
                ("Тара", Some("sr-Cyrl")),
                ("; ", None),
                ("Тара", Some("sr-Cyrl")),
                (".", None)
            ]
        );
        assert!(spans[2].bold && same_passage(&spans[1].lang, &spans[2].lang));
        // Two passages in one language are two passages.
        assert!(!same_passage(&spans[4].lang, &spans[6].lang));
    }

    #[test]
    fn an_escaped_passage_prints_as_written() {
        for (markup, printed) in [
            (r"\[Leviathan]{lang=he}", "[Leviathan]{lang=he}"),
            (r"[Leviathan]\{lang=he}", "[Leviathan]{lang=he}"),
            ("[Leviathan] {lang=he}", "[Leviathan] {lang=he}"),
            ("[sic]{1}", "[sic]{1}"),
        ] {
            let spans = para(markup);
            let text: String = spans.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(text, printed);
            assert!(spans.iter().all(|s| s.lang.is_none()), "{markup}");
        }
        // A plain field's text, escaped by render, is text.
        let spans = para(&brief_core::escape::markup("[Leviathan]{lang=he}"));
        assert!(spans.iter().all(|s| s.lang.is_none()));
    }

    #[test]
    fn a_passage_in_no_known_language_is_an_error_with_a_suggestion() {
        for (markup, says) in [
            ("[x]{lang=hebrew}", "did you mean `he`?"),
            ("[x]{lng=he}", "did you mean `lang`?"),
            ("[x]{lang=he_IL}", "did you mean `he-IL`?"),
            ("[x]{lang=xx}", "no language CLDR knows"),
        ] {
            let err = parse(markup).unwrap_err();
            assert!(
                matches!(&err, Error::Content { .. }) && err.to_string().contains(says),
                "{markup}: {err}"
            );
        }
    }
}
