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
    ///
    /// Every text that comes from outside (a source, a file name, a server's
    /// reply) goes through [`escape`] here, once: a brief cannot clear the
    /// screen, recolour the terminal or start a line of its own such as a fake
    /// `ok:`.
    pub fn render(&self, color: bool) -> String {
        let paint = Paint(color);
        let mut out = String::new();
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let message = escape(&shorten_quotes(&self.message));
        let _ = writeln!(out, "{}: {}", paint.on(code, label), paint.on("1", &message));
        match &self.span {
            Some(span) => self.render_snippet(&mut out, span, paint),
            None => {
                let _ = writeln!(out, "  {} {}", paint.on("1;34", "-->"), escape(&self.file));
                if let Some(path) = &self.path {
                    let _ = writeln!(out, "   = field: {}", escape(path));
                }
            }
        }
        if let Some(expected) = &self.expected {
            let _ = writeln!(out, "   = expected: {}", escape(expected));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "   = {}: {}", paint.on("1;36", "help"), escape(hint));
        }
        out
    }

    fn render_snippet(&self, out: &mut String, span: &Span, paint: Paint) {
        let num = span.line.to_string();
        let pad = " ".repeat(num.len());
        let arrow = paint.on("1;34", "-->");
        let bar = paint.on("1;34", "|");
        let file = escape(&self.file);
        let _ = writeln!(out, "{pad}{arrow} {file}:{}:{}", span.line, span.col);
        let _ = writeln!(out, "{pad} {bar}");
        let (line, col, len) = escape_line(&span.text.replace('\t', " "), span.col, span.len);
        let (text, col) = window(&line, col);
        let _ = writeln!(out, "{} {bar} {text}", paint.on("1;34", &num));
        let lead = " ".repeat(col.saturating_sub(1));
        let carets = "^".repeat(len.clamp(1, 80));
        let label = self.path.as_deref().map(escape).unwrap_or_default();
        let code = if self.is_error() { "1;31" } else { "1;33" };
        let mark = paint.on(code, &format!("{carets} {label}"));
        let _ = writeln!(out, "{pad} {bar} {lead}{}", mark.trim_end());
    }
}

/// `text` safe to print on a terminal: C0 controls, DEL and C1 controls
/// (ESC and CSI start the sequences terminals obey) and direction controls
/// (which reorder what follows) are written as visible escapes such as
/// `\u{1b}`. A newline stays a line break but the next line
/// is indented, so no text can start a line of the output as if it were the
/// tool's own.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\n    "),
            c if is_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A message with every quoted value (between backticks) longer than a
/// line cut in its middle: a 200,000-character value is shown by its ends,
/// as the snippet under it shows a window of its line.
fn shorten_quotes(message: &str) -> std::borrow::Cow<'_, str> {
    // Room for a quoted value, and for the tool's own words between quotes:
    // a value with backticks of its own shifts which parts are quoted, so
    // every part longer than its room is cut, never only the quoted ones.
    const QUOTED: usize = 60;
    const PROSE: usize = 240;
    let room = |i: usize| if i % 2 == 1 { QUOTED } else { PROSE };
    let parts: Vec<&str> = message.split('`').collect();
    if parts.iter().enumerate().all(|(i, p)| p.len() <= room(i)) {
        return message.into();
    }
    let mut out = String::with_capacity(PROSE * parts.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        let (n, keep) = (part.chars().count(), room(i));
        if n > keep {
            out.extend(part.chars().take(keep - 20));
            let _ = write!(out, "…({} characters)…", n - keep + 1);
            out.extend(part.chars().skip(n - 19));
        } else {
            out.push_str(part);
        }
    }
    out.into()
}

/// C0 (tab included), DEL, C1, and the direction controls that would
/// reorder what a terminal shows after them.
fn is_control(c: char) -> bool {
    matches!(u32::from(c), 0..=0x1f | 0x7f..=0x9f) || crate::escape::is_direction_control(c)
}

/// A source line with its controls (newlines too: the snippet is one line)
/// escaped, and the 1-based column and length of the marked text moved to
/// match, so the caret stays under the culprit.
fn escape_line(line: &str, col: usize, len: usize) -> (String, usize, usize) {
    let mut out = String::with_capacity(line.len());
    let (mut new_col, mut new_len) = (col, len);
    // Linear in the line: a 200,000-character value must not cost a
    // quadratic recount of what was written so far.
    for (i, c) in line.chars().enumerate() {
        let extra = if is_control(c) {
            let before = out.len();
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            out.len() - before - 1
        } else {
            out.push(c);
            0
        };
        if i + 1 < col {
            new_col += extra;
        } else if i + 1 < col + len {
            new_len += extra;
        }
    }
    (out, new_col, new_len)
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

/// Whether `--color auto` colours: on a terminal, unless `NO_COLOR` is set
/// to something (<https://no-color.org>: an empty value does not count).
pub fn auto_color(no_color: Option<&std::ffi::OsStr>, terminal: bool) -> bool {
    terminal && no_color.is_none_or(std::ffi::OsStr::is_empty)
}

/// The diagnostic as [`Diagnostic::render`] writes it without colour: what
/// `check` prints, so a caller never assembles its own version of it.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

impl std::error::Error for Diagnostic {}

/// A value and the warnings found making it. Every stage and entry point
/// hands on what it noticed but did not refuse this one way, so a caller
/// collects warnings with [`Warned::and_then`] or [`Warned::take`] instead
/// of merging a `warnings` field of each result by hand.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "its warnings would be lost"]
pub struct Warned<T> {
    /// What was made.
    pub value: T,
    /// Warnings found on the way (never errors), in the order found.
    pub warnings: Vec<Diagnostic>,
}

impl<T> Warned<T> {
    /// A value with no warnings.
    pub fn new(value: T) -> Self {
        Self { value, warnings: Vec::new() }
    }

    /// A value and its warnings.
    pub fn with(value: T, warnings: Vec<Diagnostic>) -> Self {
        Self { value, warnings }
    }

    /// The value changed by `f`, the warnings kept.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U> {
        Warned { value: f(self.value), warnings: self.warnings }
    }

    /// The next step, which may fail: on success its warnings follow these.
    /// On failure the error alone is returned, as a failed step's own
    /// diagnostics are what the caller reports.
    pub fn and_then<U, E>(self, f: impl FnOnce(T) -> Result<Warned<U>, E>) -> Result<Warned<U>, E> {
        let mut next = f(self.value)?;
        let mut warnings = self.warnings;
        warnings.append(&mut next.warnings);
        Ok(Warned { value: next.value, warnings })
    }

    /// Adds a warning.
    pub fn warn(&mut self, warning: Diagnostic) {
        self.warnings.push(warning);
    }

    /// The value, its warnings appended to `into`: for a caller that
    /// gathers the warnings of several steps (a book's briefs).
    pub fn take(self, into: &mut Vec<Diagnostic>) -> T {
        into.extend(self.warnings);
        self.value
    }

    /// The value and the warnings, apart.
    pub fn into_parts(self) -> (T, Vec<Diagnostic>) {
        (self.value, self.warnings)
    }
}

/// ANSI colouring that is a no-op when disabled.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn on(self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

/// Longest word, in characters, a did-you-mean is looked for.
const MAX_SUGGESTABLE: usize = 256;

/// Suggests the closest of `options` to a misspelt `word`, if one is close.
pub fn did_you_mean<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Jaro-Winkler costs the product of the lengths: a 200,000-character
    // value against 600 time zone names took 14 s. No key, name or choice
    // suggested here is near that long, so a word past the bound gets none.
    if word.len() > 4 * MAX_SUGGESTABLE || word.chars().count() > MAX_SUGGESTABLE {
        return None;
    }
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
    fn warnings_of_each_step_follow_in_order_and_a_failure_drops_them() {
        let w = |m: &str| Diagnostic::warning("a.yaml", m);
        let checked = Warned::with(2, vec![w("checked")]);
        let built = checked
            .and_then(|n| Ok::<_, ()>(Warned::with(n * 10, vec![w("typeset")])))
            .unwrap()
            .map(|n| n + 1);
        let (value, warnings) = built.into_parts();
        assert_eq!(value, 21);
        let messages: Vec<&str> = warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["checked", "typeset"]);
        let failed = Warned::with(1, vec![w("lost")]).and_then(|_| Err::<Warned<()>, _>("no"));
        assert_eq!(failed, Err("no"));
        let mut all = vec![w("first")];
        let mut more = Warned::new("x");
        more.warn(w("second"));
        assert_eq!(more.take(&mut all), "x");
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].message, "second");
    }

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

    /// Every line a rendering prints, with no control characters at all.
    fn lines_of(d: &Diagnostic) -> Vec<String> {
        let text = d.render(false);
        assert!(!text.chars().any(|c| is_control(c) && c != '\n'), "{text:?}");
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn controls_from_a_source_are_shown_not_obeyed() {
        let clear = "\u{1b}[2J\u{1b}[H";
        let d = Diagnostic::error(format!("x{clear}.yaml"), format!("unknown field `a{clear}`"))
            .path(format!("brief.a{clear}"))
            .expected("one of: \u{9b}31m, \u{7}\u{7f}")
            .hint("did you mean\nok: briefs/x.yaml");
        let lines = lines_of(&d);
        assert_eq!(lines[0], "error: unknown field `a\\u{1b}[2J\\u{1b}[H`");
        assert_eq!(lines[1], "  --> x\\u{1b}[2J\\u{1b}[H.yaml");
        assert_eq!(lines[2], "   = field: brief.a\\u{1b}[2J\\u{1b}[H");
        assert_eq!(lines[3], "   = expected: one of: \\u{9b}31m, \\u{7}\\u{7f}");
        assert_eq!(lines[4], "   = help: did you mean");
        assert_eq!(lines[5], "    ok: briefs/x.yaml", "a newline cannot start a line of its own");
        assert!(!lines.iter().any(|l| l.starts_with("ok:")));
    }

    #[test]
    fn the_caret_stays_under_the_culprit_after_escaping() {
        // Marks `ESC[1m`, columns 6 to 9.
        let span = Span { line: 2, col: 6, len: 4, text: "a\u{1b}\r: \u{1b}[1mx".into() };
        let d = Diagnostic::error("a.yaml", "bad").at(Some(span));
        let lines = lines_of(&d);
        assert_eq!(lines[3], "2 | a\\u{1b}\\u{d}: \\u{1b}[1mx");
        assert_eq!(lines[4], format!("  | {}{}", " ".repeat(14), "^".repeat(9)));
    }

    /// A right-to-left override in a source line would print the rest of
    /// the snippet backwards on a terminal: it is shown as an escape, and
    /// the caret still points at it.
    #[test]
    fn direction_controls_are_shown_not_obeyed() {
        let span = Span { line: 3, col: 12, len: 1, text: "  owner: ab\u{202e}cd\u{2066}".into() };
        let d = Diagnostic::error("a.yaml", "text direction control U+202E").at(Some(span));
        let lines = lines_of(&d);
        assert_eq!(lines[3], "3 |   owner: ab\\u{202e}cd\\u{2066}");
        assert_eq!(lines[4], format!("  | {}{}", " ".repeat(11), "^".repeat(8)));
    }

    #[test]
    fn a_long_quoted_value_is_shown_by_its_ends() {
        let value = format!("{}tail", "1".repeat(200_000));
        let d = Diagnostic::error("b.yaml", format!("`{value}` is not a valid time"));
        let first = d.render(false).lines().next().unwrap().to_string();
        assert!(first.len() < 200, "{}", first.len());
        assert!(
            first.contains("…(199945 characters)…")
                && first.ends_with("1tail` is not a valid time"),
            "{first}"
        );
        // A value with backticks of its own is cut all the same.
        let ticked =
            format!("`{}` is not a valid time", format!("`{}", "x".repeat(50_000)).repeat(3));
        let first = Diagnostic::error("b.yaml", ticked).render(false);
        assert!(first.lines().next().unwrap().len() < 1_000, "{}", first.len());
        let short = Diagnostic::error("b.yaml", "`25:00` is not a valid time");
        assert_eq!(
            short.render(false).lines().next().unwrap(),
            "error: `25:00` is not a valid time"
        );
    }

    #[test]
    fn an_empty_no_color_does_not_switch_colour_off() {
        use std::ffi::OsStr;
        assert!(auto_color(None, true));
        assert!(auto_color(Some(OsStr::new("")), true));
        assert!(!auto_color(Some(OsStr::new("1")), true));
        assert!(!auto_color(None, false));
    }
}
