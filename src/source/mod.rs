//! Reading: YAML bytes → the raw source model, with every structural problem located.
//!
//! Order matters for safety: size, encoding and YAML budgets are checked before
//! anything expands the input, the schema check then reports every structural
//! problem at once, and serde builds the typed model only from a clean tree.

pub mod check;
pub mod raw;
pub mod tree;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::diag::{Diagnostic, Span};
use tree::{Node, Pos, Value};

/// Largest source accepted, as the format promises.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// A source read and checked structurally, with the positions of its fields.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed source.
    pub raw: raw::Source,
    /// Where each field stands.
    pub index: Index,
}

/// Field paths → positions in the source, and the source lines for snippets.
#[derive(Debug, Clone, Default)]
pub struct Index {
    file: String,
    lines: Vec<String>,
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
}

impl Index {
    fn new(file: &str, text: &str) -> Self {
        let lines = text.lines().map(String::from).collect();
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

    fn record(&mut self, node: &Node, path: &str) {
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

/// The JSON Schema of the format, generated from the raw types.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(raw::Source)).unwrap_or_default()
    })
}

/// Why a source could not be loaded: every structural problem and, when
/// the rest of the source still makes a brief, that brief, so its meaning can
/// be checked in the same pass.
#[derive(Debug)]
pub struct Failed {
    /// The problems, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The source with the faulty parts left out, if it still holds a brief.
    pub partial: Option<Box<Loaded>>,
}

impl From<Vec<Diagnostic>> for Failed {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Failed { diagnostics, partial: None }
    }
}

/// Reads a source from bytes; `file` is the name diagnostics print.
pub fn load(file: &str, bytes: &[u8]) -> Result<Loaded, Failed> {
    let text = decode(file, bytes).map_err(|d| vec![d])?;
    let mut index = Index::new(file, text);
    let root = match tree::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![empty(file, bytes)].into()),
        Err(e) => {
            let d = Diagnostic::error(file, e.message).at(e.pos.map(|p| index.span(p)));
            return Err(vec![match e.hint {
                Some(h) => d.hint(h),
                None => d,
            }]
            .into());
        }
    };
    if !matches!(root.resolve().value, Value::Map(_)) {
        let d = Diagnostic::error(file, "a brief must be a mapping of fields at the top level")
            .at(Some(index.span(root.pos)))
            .expected("`brief:`, `meeting:` and the other fields of the format")
            .hint("start from `brief new FILE`");
        return Err(vec![d].into());
    }
    index.record(&root, "");
    let (problems, json) = check::check(&root, schema());
    if !problems.is_empty() {
        let diagnostics = problems.into_iter().map(|p| problem(&index, p)).collect();
        let partial = json
            .and_then(|j| serde_json::from_value::<raw::Source>(j).ok())
            .map(|raw| Box::new(Loaded { raw, index }));
        return Err(Failed { diagnostics, partial });
    }
    deserialize(text, &index).map(|raw| Loaded { raw, index }).map_err(Failed::from)
}

fn problem(index: &Index, p: check::Problem) -> Diagnostic {
    let mut d = Diagnostic::error(index.file(), p.message).at(Some(index.span(p.pos))).path(p.path);
    d.expected = p.expected;
    d.hint = p.hint;
    d
}

fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_BYTES {
        return Err(Diagnostic::error(
            file,
            format!("source is {} bytes, more than the 8 MiB limit", bytes.len()),
        )
        .hint("a brief is text; move bulky material elsewhere"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let col = String::from_utf8_lossy(good.rsplit(|b| *b == b'\n').next().unwrap_or_default())
            .chars()
            .count()
            + 1;
        Diagnostic::error(
            file,
            format!("source is not UTF-8 text (invalid byte 0x{:02X})", bytes[e.valid_up_to()]),
        )
        .at(Some(Span { line, col, len: 1, text: String::new() }))
        .expected("a UTF-8 encoded YAML file")
        .hint("save the file as UTF-8, or check that it is a brief and not a binary file")
    })?;
    if text.contains('\0') {
        return Err(Diagnostic::error(file, "source contains NUL bytes; it is not a text file")
            .expected("a UTF-8 encoded YAML file"));
    }
    Ok(text)
}

fn empty(file: &str, bytes: &[u8]) -> Diagnostic {
    let what = if bytes.is_empty() {
        "source is empty"
    } else {
        "source holds no YAML document (only blanks or comments)"
    };
    Diagnostic::error(file, what)
        .expected("a brief with at least `brief:` and `meeting:`")
        .hint("run `brief new FILE` for a starter brief")
}

fn deserialize(text: &str, index: &Index) -> Result<raw::Source, Vec<Diagnostic>> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: tree::MAX_DEPTH, max_nodes: tree::MAX_NODES },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let pos =
            e.location().map(|l| Pos { line: l.line() as usize, col: l.column() as usize, len: 1 });
        let message = e.without_snippet().to_string();
        vec![Diagnostic::error(index.file(), message).at(pos.map(|p| index.span(p)))]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "brief:\n  title: T\n  date: 2021-07-05\nmeeting:\n  kind: Call\n  date: 2021-07-05\n  parties:\n    - country: A\n    - country: B\n";

    fn errors(text: &str) -> Vec<Diagnostic> {
        load("t.yaml", text.as_bytes()).expect_err("should fail").diagnostics
    }

    #[test]
    fn loads_minimal_brief() {
        let loaded = load("t.yaml", MINIMAL.as_bytes()).expect("loads");
        assert_eq!(loaded.raw.meeting.parties.len(), 2);
        assert_eq!(loaded.index.value("meeting.parties[1].country").map(|s| s.line), Some(9));
    }

    #[test]
    fn reports_all_structural_problems_at_once() {
        let text = MINIMAL
            .replace("  title: T\n", "  title: T\n  clasification: X\n  status: finalised\n");
        let errs = errors(&text);
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `classification`?"));
        assert_eq!(errs[1].path.as_deref(), Some("brief.status"));
    }

    #[test]
    fn plain_numbers_are_accepted_as_text() {
        let text = MINIMAL.replace("  title: T\n", "  title: T\n  version: 1.2\n");
        let loaded = load("t.yaml", text.as_bytes()).expect("loads");
        assert_eq!(loaded.raw.brief.version.as_deref(), Some("1.2"));
    }

    #[test]
    fn parent_paths() {
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a.b"), Some("a"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
    }
}
