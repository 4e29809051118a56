//! A YAML tree that remembers where every node stands, for diagnostics.
//!
//! serde stops at its first error and forgets positions; this tree lets us
//! check the whole source against the schema at once and point at any field.
//! Aliases are shared, never copied, and their expansion is measured before
//! anything walks them, so an alias bomb costs nothing.

use std::collections::HashMap;
use std::rc::Rc;

use serde_saphyr::granit_parser::{Event, Marker, Parser, ScalarStyle, Span as YSpan, Tag};

/// Deepest nesting accepted, as the format promises.
pub const MAX_DEPTH: usize = 64;
/// Most nodes (YAML values) a source may hold once aliases are followed.
pub const MAX_NODES: usize = 1_000_000;

/// Where a node starts and how long its first line is, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// Line, 1-based.
    pub line: usize,
    /// Column, 1-based.
    pub col: usize,
    /// Length in characters on its first line.
    pub len: usize,
}

/// A scalar's type under YAML 1.2's core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, including `.inf` and `.nan`.
    Number(f64),
    /// Anything else, and every quoted or block scalar.
    Str(String),
}

/// The content of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar and its raw text.
    Scalar(Scalar, String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping; keys keep their own positions.
    Map(Vec<(Node, Node)>),
    /// An alias to an anchored node, shared.
    Alias(Rc<Node>),
}

/// A node and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The content.
    pub value: Value,
    /// Where it starts.
    pub pos: Pos,
    /// What is wrong with the node itself, found while reading it: the schema
    /// check reports it at the field's path, with every other problem.
    pub flaw: Option<Box<Flaw>>,
}

/// A problem of a node that the YAML reader would otherwise hide: a tag it
/// would ignore, or a control character that would print as a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Flaw {
    /// What is wrong.
    pub message: String,
    /// Where exactly (the character itself, not the start of the node).
    pub pos: Pos,
    /// What was expected.
    pub expected: String,
    /// How to fix it.
    pub hint: String,
}

impl Node {
    /// Follows aliases to the node they stand for.
    pub fn resolve(&self) -> &Node {
        match &self.value {
            Value::Alias(target) => target.resolve(),
            _ => self,
        }
    }

    /// The text of a scalar key.
    pub fn key_text(&self) -> String {
        match &self.resolve().value {
            Value::Scalar(_, raw) => raw.clone(),
            _ => "<complex key>".to_string(),
        }
    }
}

/// Every flaw of `node` and the nodes under it (an alias's target is
/// reported where it is written, not again at each use).
pub fn flaws(node: &Node) -> Vec<&Flaw> {
    let mut out: Vec<&Flaw> = node.flaw.as_deref().into_iter().collect();
    match &node.value {
        Value::Seq(items) => out.extend(items.iter().flat_map(flaws)),
        Value::Map(entries) => {
            out.extend(entries.iter().flat_map(|(k, v)| flaws(k).into_iter().chain(flaws(v))));
        }
        Value::Scalar(..) | Value::Alias(_) => {}
    }
    out
}

/// Why the tree could not be built.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeError {
    /// What went wrong.
    pub message: String,
    /// Where, if known.
    pub pos: Option<Pos>,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Parses one YAML document into a positioned tree; `Ok(None)` when it holds
/// no document at all (empty or only comments).
pub fn parse(text: &str) -> Result<Option<Node>, TreeError> {
    // The YAML reader refuses most control characters as syntax errors,
    // pointing near them but naming no field: read a copy with each replaced
    // by U+FFFD (one character, so every column stays true), and report each
    // at its own place, at the path of the value it is in.
    let (clean, controls) = mask_controls(text);
    let mut builder = Builder {
        parser: Parser::new_from_str(&clean),
        text: &clean,
        controls,
        anchors: HashMap::new(),
        merged: 0,
    };
    let root = builder.document()?;
    if let Some(root) = root.as_ref().filter(|r| expanded_size(r) > MAX_NODES) {
        let error = |message: String, hint: &str| TreeError {
            message,
            pos: Some(root.pos),
            hint: Some(hint.into()),
        };
        return Err(if written_size(root) > MAX_NODES {
            error(
                format!("the source holds more than {MAX_NODES} YAML values"),
                "a brief this large is not read; summarise long lists and split the rest",
            )
        } else {
            error(
                format!("YAML aliases expand to more than {MAX_NODES} values"),
                "a brief needs few aliases, if any; write values out",
            )
        });
    }
    Ok(root)
}

/// Nodes in the tree with every alias followed, saturating; linear in the
/// tree's size because each anchored node is measured once.
fn expanded_size(node: &Node) -> usize {
    fn walk(node: &Node, memo: &mut HashMap<*const Node, usize>) -> usize {
        match &node.value {
            Value::Scalar(..) => 1,
            Value::Seq(items) => {
                items.iter().fold(1usize, |acc, n| acc.saturating_add(walk(n, memo)))
            }
            Value::Map(pairs) => pairs.iter().fold(1usize, |acc, (k, v)| {
                acc.saturating_add(walk(k, memo)).saturating_add(walk(v, memo))
            }),
            Value::Alias(target) => {
                let key = Rc::as_ptr(target);
                if let Some(&size) = memo.get(&key) {
                    return size;
                }
                let size = walk(target, memo);
                memo.insert(key, size);
                size
            }
        }
    }
    walk(node, &mut HashMap::new())
}

/// Nodes as written, each alias counting one.
fn written_size(node: &Node) -> usize {
    match &node.value {
        Value::Scalar(..) | Value::Alias(_) => 1,
        Value::Seq(items) => 1 + items.iter().map(written_size).sum::<usize>(),
        Value::Map(pairs) => {
            1 + pairs.iter().map(|(k, v)| written_size(k) + written_size(v)).sum::<usize>()
        }
    }
}

struct Builder<'a> {
    parser: Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
    /// The source as read, to point at the exact character of a flaw.
    text: &'a str,
    /// The control characters masked in it, in source order.
    controls: Vec<(Pos, char)>,
    /// Anchors by id; a redefined anchor replaces the earlier one, as YAML says.
    anchors: HashMap<usize, Rc<Node>>,
    /// Nodes copied into mappings by merge keys so far: merges copy, so they
    /// are held to the same budget as aliases before anything is copied.
    merged: usize,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, YSpan), TreeError> {
        loop {
            match self.parser.next_event() {
                // Comments arrive as events because a dependency enables them; skip.
                Some(Ok((Event::Comment(..), _))) => continue,
                Some(Ok(event)) => return Ok(event),
                Some(Err(e)) => {
                    let pos = pos_of(e.marker(), 1);
                    if let Some(error) = self.starred_text(pos) {
                        return Err(error);
                    }
                    return Err(TreeError {
                        message: format!("YAML syntax error: {}", e.info()),
                        pos: Some(pos),
                        hint: Some("check indentation, colons and quotes around this place".into()),
                    });
                }
                None => {
                    let message = "unexpected end of YAML".into();
                    return Err(TreeError { message, pos: None, hint: None });
                }
            }
        }
    }

    /// A plain value that starts with `*` (`**bold** text`), `&` or `!`
    /// reads as an alias, anchor or tag to YAML and fails to parse; to a
    /// person it is a sentence. Says so, and shows the line quoted.
    fn starred_text(&self, pos: Pos) -> Option<TreeError> {
        let line = self.text.lines().nth(pos.line.checked_sub(1)?)?;
        let body = line.trim_start();
        let value = body.strip_prefix("- ").map(str::trim_start).or_else(|| {
            let (key, rest) = body.split_once(": ")?;
            (!key.contains(' ') || key.starts_with('"')).then_some(rest.trim_start())
        })?;
        let mark = value.chars().next().filter(|c| matches!(c, '*' | '&' | '!'))?;
        // Only text with a word after the mark: `*alias` alone is YAML.
        if !value.contains(' ') {
            return None;
        }
        let prefix = &body[..body.len() - value.len()];
        let words: Vec<&str> = value.split_whitespace().collect();
        let shown = if words.len() > 5 {
            format!("{} …", words[..5].join(" "))
        } else {
            value.trim_end().to_string()
        };
        Some(TreeError {
            message: format!(
                "a value starting with `{mark}` reads as YAML syntax (an alias, anchor or tag), not as text"
            ),
            pos: Some(Pos { line: pos.line, col: line.len() - value.len() + 1, len: 1 }),
            hint: Some(format!(
                "put the whole text in quotes, closing them where it ends: {prefix}\"{shown}\""
            )),
        })
    }

    fn document(&mut self) -> Result<Option<Node>, TreeError> {
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::Anchor(..) => continue,
                Event::StreamEnd => return Ok(None),
                Event::DocumentStart(..) => break,
                _ => return Err(unexpected(&span)),
            }
        }
        let (event, span) = self.next()?;
        let root = self.node(event, span, 1)?;
        let (end, _) = self.next()?;
        if !matches!(end, Event::DocumentEnd) {
            return Err(TreeError {
                message: "unexpected content after the document".into(),
                pos: None,
                hint: None,
            });
        }
        match self.next()?.0 {
            Event::StreamEnd => Ok(Some(root)),
            _ => Err(TreeError {
                message: "the file holds more than one YAML document".into(),
                pos: None,
                hint: Some("one brief per file: remove the `---` separators".into()),
            }),
        }
    }

    fn node(&mut self, event: Event<'a>, span: YSpan, depth: usize) -> Result<Node, TreeError> {
        if depth > MAX_DEPTH {
            return Err(TreeError {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                pos: Some(pos_of(&span.start, 1)),
                hint: Some("a brief nests a handful of levels; this file is malformed".into()),
            });
        }
        let pos = pos_of(&span.start, span_len(&span));
        let (value, anchor, flaw) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tagged_str = tag.as_ref().is_some_and(|t| t.is_yaml_core_schema_tag("str"));
                let flaw = match tag.as_deref().filter(|t| !tagged_str && !is_merge_tag(t)) {
                    Some(t) => Some(tag_flaw(t, self.tag_pos(t, &span).unwrap_or(pos))),
                    None => self.control(&text, style, &span, pos),
                };
                (Value::Scalar(classify(&text, style, tagged_str), text.into_owned()), anchor, flaw)
            }
            Event::SequenceStart(_, anchor, tag) => {
                let flaw = tag
                    .filter(|t| !t.is_yaml_core_schema_tag("seq"))
                    .map(|t| tag_flaw(&t, self.tag_pos(&t, &span).unwrap_or(pos)));
                (Value::Seq(self.seq(depth)?), anchor, flaw)
            }
            Event::MappingStart(_, anchor, tag) => {
                let flaw = tag
                    .filter(|t| !t.is_yaml_core_schema_tag("map"))
                    .map(|t| tag_flaw(&t, self.tag_pos(&t, &span).unwrap_or(pos)));
                (Value::Map(self.map(depth)?), anchor, flaw)
            }
            Event::Alias(id) => {
                let target = self.anchors.get(&id).cloned();
                let target = target.ok_or_else(|| TreeError {
                    message: "alias to an unknown anchor".into(),
                    pos: Some(pos),
                    hint: None,
                })?;
                (Value::Alias(target), 0, None)
            }
            _ => return Err(unexpected(&span)),
        };
        let node = Node { value, pos, flaw: flaw.map(Box::new) };
        if anchor != 0 {
            self.anchors.insert(anchor, Rc::new(node.clone()));
        }
        Ok(node)
    }

    /// Where a node's tag is written: just before the node, on its line or
    /// the one above (a tagged block mapping starts on the next line).
    fn tag_pos(&self, tag: &Tag, span: &YSpan) -> Option<Pos> {
        let written = tag_text(tag);
        let end = span.start.byte_offset()?;
        let before = self.text.get(..end)?;
        let line_start = |upto: &str| upto.rfind('\n').map_or(0, |i| i + 1);
        let this_line = line_start(before);
        let from = line_start(&before[..this_line.saturating_sub(1)]);
        let at = from + before[from..].rfind(&written)?;
        let line = before[..at].matches('\n').count() + 1;
        let col = before[line_start(&before[..at])..at].chars().count() + 1;
        Some(Pos { line, col, len: written.chars().count() })
    }

    /// A flaw for the first control character in a scalar's text, located at
    /// that character in the source (or at the escape that wrote it), so a
    /// stray character deep in a `|` block is found at its own line.
    fn control(&self, text: &str, style: ScalarStyle, span: &YSpan, pos: Pos) -> Option<Flaw> {
        let start = (span.start.line(), span.start.col() + 1);
        let end = (span.end.line(), span.end.col() + 1);
        let first = self.controls.partition_point(|(p, _)| (p.line, p.col) < start);
        let masked = self.controls.get(first).filter(|(p, _)| (p.line, p.col) < end);
        let (at, bad) = match masked {
            Some(&(at, bad)) => (at, bad),
            None => {
                let bad = text.chars().find(|c| refused(*c))?;
                let at = span
                    .start
                    .byte_offset()
                    .zip(span.end.byte_offset())
                    .and_then(|(start, end)| self.text.get(start..end))
                    .and_then(|written| {
                        let quoted = style == ScalarStyle::DoubleQuoted;
                        find_control(written, quoted, span.start.line(), span.start.col())
                    })
                    .unwrap_or(pos);
                (at, bad)
            }
        };
        if crate::escape::is_direction_control(bad) {
            return Some(Flaw {
                message: format!(
                    "text direction control U+{:04X} ({}) in the text",
                    bad as u32,
                    direction_control_name(bad)
                ),
                pos: at,
                expected: "text shown in the order it is written".into(),
                hint: "delete the invisible character: it would show the words after it in \
                       another order; brief sets each line's direction from its letters"
                    .into(),
            });
        }
        Some(Flaw {
            message: format!("control character U+{:04X} in the text", bad as u32),
            pos: at,
            expected: "printable text (tabs and line breaks are fine)".into(),
            hint: "delete the invisible character; it was probably pasted in with the text".into(),
        })
    }

    fn seq(&mut self, depth: usize) -> Result<Vec<Node>, TreeError> {
        let mut items = Vec::new();
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::SequenceEnd => return Ok(items),
                Event::Anchor(..) => continue,
                event => items.push(self.node(event, span, depth + 1)?),
            }
        }
    }

    fn map(&mut self, depth: usize) -> Result<Vec<(Node, Node)>, TreeError> {
        let mut entries: Vec<Entry> = Vec::new();
        loop {
            let (event, span) = self.next()?;
            let merge = is_merge_key(&event);
            let key = match event {
                Event::MappingEnd => break,
                Event::Anchor(..) => continue,
                event => self.node(event, span, depth + 1)?,
            };
            let value = loop {
                let (event, span) = self.next()?;
                if !matches!(event, Event::Anchor(..)) {
                    break self.node(event, span, depth + 1)?;
                }
            };
            entries.push(match merge {
                true => Entry::Merge(merge_sources(&value)?),
                false => Entry::Pair(key, value),
            });
        }
        if entries.iter().all(|e| matches!(e, Entry::Pair(..))) {
            let pairs = entries.into_iter().filter_map(|e| match e {
                Entry::Pair(k, v) => Some((k, v)),
                Entry::Merge(_) => None,
            });
            return Ok(pairs.collect());
        }
        self.merge(entries)
    }

    /// Resolves merge keys (`<<: *a`, `<<: [*a, *b]`): a key written in the
    /// mapping wins over a merged one, and an earlier merged mapping over a
    /// later one. Merged keys and values keep the positions where they are
    /// written, so errors in them point there.
    fn merge(&mut self, entries: Vec<Entry>) -> Result<Vec<(Node, Node)>, TreeError> {
        let written: std::collections::HashSet<String> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Pair(k, _) => Some(k.key_text()),
                Entry::Merge(_) => None,
            })
            .collect();
        let mut taken = std::collections::HashSet::new();
        let mut pairs = Vec::new();
        for entry in entries {
            let sources = match entry {
                Entry::Pair(k, v) => {
                    pairs.push((k, v));
                    continue;
                }
                Entry::Merge(sources) => sources,
            };
            for source in sources {
                let Value::Map(from) = &source.resolve().value else { continue };
                for (k, v) in from {
                    let name = k.key_text();
                    if written.contains(&name) || !taken.insert(name) {
                        continue;
                    }
                    self.merged = self.merged.saturating_add(written_size(k) + written_size(v));
                    if self.merged > MAX_NODES {
                        return Err(TreeError {
                            message: format!("YAML aliases expand to more than {MAX_NODES} values"),
                            pos: Some(k.pos),
                            hint: Some(
                                "a brief needs few merge keys, if any; write values out".into(),
                            ),
                        });
                    }
                    pairs.push((k.clone(), v.clone()));
                }
            }
        }
        Ok(pairs)
    }
}

/// One entry of a mapping as written: a key and its value, or the mappings
/// a merge key names.
enum Entry {
    Pair(Node, Node),
    Merge(Vec<Rc<Node>>),
}

/// Whether a mapping key is the merge key `<<` (plain, or tagged `!!merge`).
fn is_merge_key(event: &Event<'_>) -> bool {
    match event {
        Event::Scalar(text, style, _, tag) => {
            text == "<<"
                && match tag {
                    Some(t) => is_merge_tag(t),
                    None => *style == ScalarStyle::Plain,
                }
        }
        _ => false,
    }
}

fn is_merge_tag(tag: &Tag) -> bool {
    tag.handle() == "tag:yaml.org,2002:" && tag.suffix() == "merge"
}

/// The mappings a merge key's value names: one mapping, or a list of them.
fn merge_sources(value: &Node) -> Result<Vec<Rc<Node>>, TreeError> {
    let error = |pos: Pos| TreeError {
        message: "a merge key `<<` takes a mapping, or a list of mappings".into(),
        pos: Some(pos),
        hint: Some("write `<<: *name` with `&name` on a mapping, or `<<: [*a, *b]`".into()),
    };
    let is_map = |n: &Node| matches!(n.resolve().value, Value::Map(_));
    match &value.resolve().value {
        Value::Map(_) => Ok(vec![Rc::new(value.clone())]),
        Value::Seq(items) => items
            .iter()
            .map(|item| if is_map(item) { Ok(Rc::new(item.clone())) } else { Err(error(item.pos)) })
            .collect(),
        _ => Err(error(value.pos)),
    }
}

/// C0 controls other than tab and line feed, DEL, and C1 controls: invisible
/// in an editor and drawn as boxes. Bidi marks and zero-width joiners are
/// format characters (Cf), not controls, and stay allowed.
pub fn is_control(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

fn direction_control_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        _ => "pop directional isolate",
    }
}

/// What a scalar may not hold: control characters and direction controls
/// (a data file's text is held to the same).
pub fn refused(c: char) -> bool {
    is_control(c) || crate::escape::is_direction_control(c)
}

/// The text with every control character replaced by U+FFFD, and where each was.
pub fn mask_controls(text: &str) -> (std::borrow::Cow<'_, str>, Vec<(Pos, char)>) {
    if !text.chars().any(is_masked) {
        return (std::borrow::Cow::Borrowed(text), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let (mut line, mut col) = (1, 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A carriage return ends a line (CRLF or alone), as YAML reads it.
        if c == '\r' {
            out.push(c);
            if chars.peek() != Some(&'\n') {
                (line, col) = (line + 1, 1);
            }
            continue;
        }
        if is_control(c) {
            found.push((Pos { line, col, len: 1 }, c));
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
        if c == '\n' {
            (line, col) = (line + 1, 1);
        } else {
            col += 1;
        }
    }
    (std::borrow::Cow::Owned(out), found)
}

fn is_masked(c: char) -> bool {
    is_control(c) && c != '\r'
}

/// The position of the first refused character (control or direction
/// control) in a scalar as written, whether literal or (in double quotes)
/// written as an escape.
fn find_control(written: &str, escapes: bool, line: usize, col: usize) -> Option<Pos> {
    let (mut line, mut col) = (line.max(1), col + 1);
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        if refused(c) {
            return Some(Pos { line, col, len: 1 });
        }
        if escapes && c == '\\' && chars.peek().is_some_and(|n| *n != '\n') {
            let (decoded, width) = escape(&mut chars);
            if decoded.is_some_and(refused) {
                return Some(Pos { line, col, len: width + 1 });
            }
            col += width + 1;
            continue;
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    None
}

/// Reads one double-quoted escape after its backslash: the character it
/// stands for and how many characters it took.
fn escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> (Option<char>, usize) {
    let Some(c) = chars.next() else { return (None, 0) };
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize| {
        let digits: String =
            (0..n).filter_map(|_| chars.next_if(char::is_ascii_hexdigit)).collect();
        let width = digits.chars().count();
        (u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32), width + 1)
    };
    match c {
        '0' => (Some('\0'), 1),
        'a' => (Some('\u{7}'), 1),
        'b' => (Some('\u{8}'), 1),
        'v' => (Some('\u{B}'), 1),
        'f' => (Some('\u{C}'), 1),
        'r' => (Some('\r'), 1),
        'e' => (Some('\u{1B}'), 1),
        'N' => (Some('\u{85}'), 1),
        'x' => hex(chars, 2),
        'u' => hex(chars, 4),
        'U' => hex(chars, 8),
        _ => (Some(c), 1),
    }
}

fn tag_text(tag: &Tag) -> String {
    format!("{}{}", tag.original_handle(), tag.suffix())
}

fn tag_flaw(tag: &Tag, pos: Pos) -> Flaw {
    let written = tag_text(tag);
    Flaw {
        message: format!("the YAML tag `{written}` is not supported"),
        pos,
        expected: "a value without a tag (`!!str` is the one tag allowed on text)".into(),
        hint: "remove the tag: its meaning would be silently lost; quote text that starts with `!`"
            .into(),
    }
}

fn unexpected(span: &YSpan) -> TreeError {
    TreeError {
        message: "unexpected YAML event".into(),
        pos: Some(pos_of(&span.start, 1)),
        hint: None,
    }
}

fn pos_of(marker: &Marker, len: usize) -> Pos {
    Pos { line: marker.line().max(1), col: marker.col() + 1, len: len.max(1) }
}

fn span_len(span: &YSpan) -> usize {
    if span.end.line() == span.start.line() {
        span.end.index().saturating_sub(span.start.index())
    } else {
        1
    }
}

/// Types a scalar the way YAML 1.2's core schema does.
fn classify(text: &str, style: ScalarStyle, tagged_str: bool) -> Scalar {
    if style != ScalarStyle::Plain || tagged_str {
        return Scalar::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "true" | "True" | "TRUE" => Scalar::Bool(true),
        "false" | "False" | "FALSE" => Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Number(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Number(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Scalar::Number(f64::NAN),
        _ => parse_number(text).map_or_else(|| Scalar::Str(text.to_string()), Scalar::Number),
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(hex) = digits.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|v| v as f64);
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|v| v as f64);
    }
    let numeric = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if numeric { text.parse::<f64>().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        parse(text).expect("parses").expect("has a document")
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = root("brief:\n  title: Hello\n");
        let Value::Map(pairs) = &node.value else { panic!("map") };
        let Value::Map(inner) = &pairs[0].1.value else { panic!("map") };
        assert_eq!(inner[0].0.pos, Pos { line: 2, col: 3, len: 5 });
        assert_eq!(inner[0].1.pos, Pos { line: 2, col: 10, len: 5 });
    }

    #[test]
    fn types_scalars_like_yaml_core_schema() {
        assert_eq!(classify("5.4", ScalarStyle::Plain, false), Scalar::Number(5.4));
        assert_eq!(
            classify("2021-07-05", ScalarStyle::Plain, false),
            Scalar::Str("2021-07-05".into())
        );
        assert_eq!(classify("5.4", ScalarStyle::DoubleQuoted, false), Scalar::Str("5.4".into()));
        assert_eq!(classify("~", ScalarStyle::Plain, false), Scalar::Null);
        assert!(
            matches!(classify(".nan", ScalarStyle::Plain, false), Scalar::Number(n) if n.is_nan())
        );
        assert_eq!(classify("NO", ScalarStyle::Plain, false), Scalar::Str("NO".into()));
    }

    #[test]
    fn empty_and_comment_only_have_no_document() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# nothing\n").unwrap(), None);
    }

    #[test]
    fn refuses_alias_bombs_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            let list = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{cur}: &{cur} [{list}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{}", err.message);
    }

    #[test]
    fn refuses_too_many_values_as_written_without_blaming_aliases() {
        let text = format!("[{}]", "0,".repeat(MAX_NODES));
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("holds more than 1000000 YAML values"), "{}", err.message);
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("nesting") || err.message.contains("syntax"),
            "{}",
            err.message
        );
    }
}
