//! A YAML tree that remembers where every node stands, for diagnostics.
//!
//! serde stops at its first error and forgets positions; this tree lets us
//! check the whole source against the schema at once and point at any field.
//! Aliases are shared, never copied, and their expansion is measured before
//! anything walks them, so an alias bomb costs nothing.

use std::collections::HashMap;
use std::rc::Rc;

use serde_saphyr::granit_parser::{Event, Marker, Parser, ScalarStyle, Span as YSpan};

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
    let mut builder = Builder { parser: Parser::new_from_str(text), anchors: HashMap::new() };
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
    /// Anchors by id; a redefined anchor replaces the earlier one, as YAML says.
    anchors: HashMap<usize, Rc<Node>>,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, YSpan), TreeError> {
        loop {
            match self.parser.next_event() {
                // Comments arrive as events because a dependency enables them; skip.
                Some(Ok((Event::Comment(..), _))) => continue,
                Some(Ok(event)) => return Ok(event),
                Some(Err(e)) => {
                    return Err(TreeError {
                        message: format!("YAML syntax error: {}", e.info()),
                        pos: Some(pos_of(e.marker(), 1)),
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
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tagged_str = tag.is_some_and(|t| t.to_string().ends_with("str"));
                (Value::Scalar(classify(&text, style, tagged_str), text.into_owned()), anchor)
            }
            Event::SequenceStart(_, anchor, _) => (Value::Seq(self.seq(depth)?), anchor),
            Event::MappingStart(_, anchor, _) => (Value::Map(self.map(depth)?), anchor),
            Event::Alias(id) => {
                let target = self.anchors.get(&id).cloned();
                let target = target.ok_or_else(|| TreeError {
                    message: "alias to an unknown anchor".into(),
                    pos: Some(pos),
                    hint: None,
                })?;
                (Value::Alias(target), 0)
            }
            _ => return Err(unexpected(&span)),
        };
        let node = Node { value, pos };
        if anchor != 0 {
            self.anchors.insert(anchor, Rc::new(node.clone()));
        }
        Ok(node)
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
        let mut pairs = Vec::new();
        loop {
            let (event, span) = self.next()?;
            let key = match event {
                Event::MappingEnd => return Ok(pairs),
                Event::Anchor(..) => continue,
                event => self.node(event, span, depth + 1)?,
            };
            let value = loop {
                let (event, span) = self.next()?;
                if !matches!(event, Event::Anchor(..)) {
                    break self.node(event, span, depth + 1)?;
                }
            };
            pairs.push((key, value));
        }
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
