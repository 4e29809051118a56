//! Diagnostics: what went wrong, where, what was expected, and how to fix it.
//!
//! A diagnostic carries everything needed to print it (including the offending
//! source line), so batch runs can report it long after the source is gone.

use std::fmt::Write as _;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The brief builds, but something looks wrong.
    Warning,
    /// The brief cannot be built.
    Error,
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    /// Line, 1-based.
    pub line: usize,
    /// Column in characters, 1-based.
    pub col: usize,
    /// Length of the marked text in characters (at least 1 when printed).
    pub len: usize,
    /// The whole source line, for the snippet.
    pub text: String,
}

/// One problem found in a source, a template or the environment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// The file it concerns, as the user named it.
    pub file: String,
    /// Where in the file, if known.
    pub span: Option<Span>,
    /// Field path such as `figures[1].series[0].values[3]`, if it concerns a field.
    pub path: Option<String>,
    /// What was expected there.
    pub expected: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error about `file`.
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    /// A new warning about `file`.
    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    fn new(severity: Severity, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: file.into(),
            span: None,
            path: None,
            expected: None,
            hint: None,
        }
    }

    /// Sets the location.
    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Sets the field path.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.path = (!path.is_empty()).then_some(path);
        self
    }

    /// Sets what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic the way compilers do: message, location, the line
    /// with a caret under the culprit, then what was expected and a hint.
    pub fn render(&self, color: bool) -> String {
        let paint = Paint(color);
        let mut out = String::new();
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let _ = writeln!(out, "{}: {}", paint.on(code, label), paint.on("1", &self.message));
        match &self.span {
            Some(span) => self.render_snippet(&mut out, span, paint),
            None => {
                let _ = writeln!(out, "  {} {}", paint.on("1;34", "-->"), self.file);
                if let Some(path) = &self.path {
                    let _ = writeln!(out, "   = field: {path}");
                }
            }
        }
        if let Some(expected) = &self.expected {
            let _ = writeln!(out, "   = expected: {expected}");
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "   = {}: {hint}", paint.on("1;36", "help"));
        }
        out
    }

    fn render_snippet(&self, out: &mut String, span: &Span, paint: Paint) {
        let num = span.line.to_string();
        let pad = " ".repeat(num.len());
        let arrow = paint.on("1;34", "-->");
        let bar = paint.on("1;34", "|");
        let _ = writeln!(out, "{pad}{arrow} {}:{}:{}", self.file, span.line, span.col);
        let _ = writeln!(out, "{pad} {bar}");
        let (text, col) = window(&span.text.replace('\t', " "), span.col);
        let _ = writeln!(out, "{} {bar} {text}", paint.on("1;34", &num));
        let lead = " ".repeat(col.saturating_sub(1));
        let carets = "^".repeat(span.len.clamp(1, 80));
        let label = self.path.as_deref().unwrap_or("");
        let code = if self.is_error() { "1;31" } else { "1;33" };
        let mark = paint.on(code, &format!("{carets} {label}"));
        let _ = writeln!(out, "{pad} {bar} {lead}{}", mark.trim_end());
    }
}

/// At most 100 characters of a long line, around column `col`; returns the
/// text and the column within it.
fn window(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(WIDTH / 2).min(chars.len() - WIDTH);
    let text: String = chars[start..start + WIDTH].iter().collect();
    let lead = if start > 0 { "…" } else { "" };
    let tail = if start + WIDTH < chars.len() { "…" } else { "" };
    (format!("{lead}{text}{tail}"), col - start + lead.len().min(1))
}

/// ANSI colouring that is a no-op when disabled.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn on(self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

/// Suggests the closest of `options` to a misspelt `word`, if one is close.
pub fn did_you_mean<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    options
        .into_iter()
        .map(|o| (strsim::jaro_winkler(word, o), o))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["title", "classification", "handling"];
        assert_eq!(did_you_mean("clasification", keys), Some("classification"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn renders_caret_under_column() {
        let span = Span { line: 4, col: 3, len: 5, text: "  title: x".into() };
        let d = Diagnostic::error("a.yaml", "bad").at(Some(span)).path("brief.title");
        let text = d.render(false);
        assert!(text.contains(" --> a.yaml:4:3"), "{text}");
        assert!(text.contains("  |   ^^^^^ brief.title"), "{text}");
    }
}
