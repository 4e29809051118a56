//! Field paths → positions in a YAML text: where each key and value stands,
//! and the text's lines for snippets, so any field can be pointed at.

use std::collections::HashMap;

use super::tree::{Node, Pos, Value};
use crate::diag::{Diagnostic, Span};

/// Field paths → positions in the source, and the source lines for snippets.
#[derive(Debug, Clone, Default)]
pub struct Index {
    file: String,
    lines: Vec<String>,
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
}

impl Index {
    /// An index of `text` (named `file` in diagnostics), empty until [`Index::record`].
    pub fn new(file: &str, text: &str) -> Self {
        // Lines as YAML counts them: a lone carriage return ends one too.
        let lines =
            text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])).map(String::from).collect();
        Index { file: file.to_string(), lines, ..Default::default() }
    }

    /// The file name diagnostics print.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The span of a field's value, or of the nearest enclosing field that has one.
    pub fn value(&self, path: &str) -> Option<Span> {
        let mut path = path;
        loop {
            if let Some(pos) = self.values.get(path) {
                return Some(self.span(*pos));
            }
            path = parent(path)?;
        }
    }

    /// The span of a field's key, falling back to its value.
    pub fn key(&self, path: &str) -> Option<Span> {
        self.keys.get(path).map(|p| self.span(*p)).or_else(|| self.value(path))
    }

    /// The span of the `nth` (from 0) character `c` of a field's text: found
    /// by reading the source from where the value starts, so it is exact in
    /// plain, quoted and block scalars alike (`None` when an escape such as
    /// `\u2192` wrote the character, or the field has no position).
    pub fn char_in(&self, path: &str, c: char, nth: usize) -> Option<Span> {
        let pos = self.values.get(path)?;
        let mut left = nth;
        for (l, line) in self.lines.iter().enumerate().skip(pos.line.saturating_sub(1)) {
            let skip = if l + 1 == pos.line { pos.col.saturating_sub(1) } else { 0 };
            for (col, ch) in line.chars().enumerate().skip(skip) {
                if ch == c {
                    if left == 0 {
                        return Some(self.span(Pos { line: l + 1, col: col + 1, len: 1 }));
                    }
                    left -= 1;
                }
            }
        }
        None
    }

    /// A span at a position.
    pub fn span(&self, pos: Pos) -> Span {
        let text = self.lines.get(pos.line.saturating_sub(1)).cloned().unwrap_or_default();
        Span { line: pos.line, col: pos.col, len: pos.len, text }
    }

    /// An error at a field's value, with its path.
    pub fn error(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file, message).at(self.value(path)).path(path)
    }

    /// A warning at a field's value, with its path.
    pub fn warning(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.file, message).at(self.value(path)).path(path)
    }

    /// Records where `node` and everything under it stands, `path` being its field path.
    pub fn record(&mut self, node: &Node, path: &str) {
        self.values.insert(path.to_string(), node.pos);
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.record(item, &format!("{path}[{i}]"));
                }
            }
            Value::Map(pairs) => {
                for (k, v) in pairs {
                    let name = k.key_text();
                    let field = if path.is_empty() { name } else { format!("{path}.{name}") };
                    self.keys.insert(field.clone(), k.pos);
                    self.record(v, &field);
                }
            }
            Value::Scalar(..) | Value::Alias(_) => {}
        }
    }
}

/// `a.b[2]` → `a.b`, `a.b` → `a`, `a` → ``.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    Some(path.rfind(['.', '[']).map_or("", |i| &path[..i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_paths() {
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a.b"), Some("a"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
    }
}
