//! Rewriting a source's scalar values in place: only the bytes of the
//! values edited change, everything else (comments, order, quoting, the
//! other values' wrapping) stays byte for byte as the author wrote it.

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

/// How a scalar is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain, unquoted.
    Plain,
    /// `'single quoted'`.
    Single,
    /// `"double quoted"`.
    Double,
    /// A `|` block.
    Literal,
    /// A `>` block.
    Folded,
}

/// Where a scalar stands in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// Byte range of the value as written (quotes and block header included).
    pub range: std::ops::Range<usize>,
    /// How it is written.
    pub style: Style,
    /// Its value.
    pub value: String,
}

/// Every scalar value of the source by field path (`brief.title`,
/// `key_messages[2]`, `agenda[0].points[1]`); values under aliases and
/// merge keys are left out (they are not where their text is written).
pub fn scalars(text: &str) -> HashMap<String, Scalar> {
    let mut out = HashMap::new();
    let mut parser = Parser::new_from_str(text);
    // Containers open: a mapping (and whether a key is awaited, the last
    // key) or a sequence (the next index).
    enum Open {
        Map { key: Option<String>, want_key: bool },
        Seq(usize),
    }
    let mut stack: Vec<(String, Open)> = Vec::new();
    let child = |stack: &mut Vec<(String, Open)>| -> Option<String> {
        let (path, open) = stack.last_mut()?;
        match open {
            Open::Map { key, want_key } => {
                let k = key.take()?;
                *want_key = true;
                Some(if path.is_empty() { k } else { format!("{path}.{k}") })
            }
            Open::Seq(i) => {
                let p = format!("{path}[{i}]");
                *i += 1;
                Some(p)
            }
        }
    };
    let mut root = true;
    while let Some(Ok((event, span))) = parser.next_event() {
        // A key awaited: this event is the key.
        if let Some((_, Open::Map { key, want_key })) = stack.last_mut()
            && *want_key
        {
            match &event {
                Event::Scalar(k, ..) => {
                    *key = Some(k.to_string());
                    *want_key = false;
                    continue;
                }
                Event::MappingEnd => {}
                Event::Comment(..) | Event::Anchor(..) => continue,
                // A complex key: nothing under it is addressable.
                _ => {
                    *key = Some("<complex key>".into());
                    *want_key = false;
                }
            }
        }
        match event {
            Event::Scalar(value, style, _, _) => {
                let path =
                    if root && stack.is_empty() { Some(String::new()) } else { child(&mut stack) };
                if let (Some(path), Some(range)) = (path, span.byte_range()) {
                    let style = match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted => Style::Single,
                        ScalarStyle::DoubleQuoted => Style::Double,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                    };
                    if !path.contains("<complex key>") && !path.split('.').any(|k| k == "<<") {
                        out.insert(path, Scalar { range, style, value: value.to_string() });
                    }
                }
            }
            Event::SequenceStart(..) => {
                let path = if stack.is_empty() { Some(String::new()) } else { child(&mut stack) };
                stack.push((path.unwrap_or_else(|| "<complex key>".into()), Open::Seq(0)));
            }
            Event::MappingStart(..) => {
                let path = if stack.is_empty() { Some(String::new()) } else { child(&mut stack) };
                stack.push((
                    path.unwrap_or_else(|| "<complex key>".into()),
                    Open::Map { key: None, want_key: true },
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
            Event::Alias(_) => {
                child(&mut stack);
            }
            Event::DocumentStart(..) => root = true,
            _ => {}
        }
    }
    out
}

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq)]
pub struct EditError {
    /// The field.
    pub path: String,
    /// Why.
    pub why: String,
}

/// `text` with each field's value replaced by a new one, written in the
/// style it had where that style can hold the new value (a block stays a
/// block at its indentation, a quoted value keeps its quotes), else double
/// quoted. Each replacement is read back and must give exactly the value
/// asked for.
pub fn rewrite(text: &str, edits: &[(String, String)]) -> Result<String, EditError> {
    let spans = scalars(text);
    let mut planned: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (path, value) in edits {
        let Some(s) = spans.get(path) else {
            return Err(EditError {
                path: path.clone(),
                why: "the source has no such text value".into(),
            });
        };
        planned.push(write(text, s, value));
    }
    planned.sort_by_key(|(r, _)| r.start);
    if planned.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        return Err(EditError { path: edits[0].0.clone(), why: "two edits overlap".into() });
    }
    let mut out = text.to_string();
    for (range, new) in planned.iter().rev() {
        out.replace_range(range.clone(), new);
    }
    // Read back: every edited value is what was asked for.
    let again = scalars(&out);
    for (path, value) in edits {
        let got = again.get(path).map(|s| s.value.as_str());
        let same = got.is_some_and(|g| {
            g == value || g.trim_end_matches('\n') == value.trim_end_matches('\n')
        });
        if !same {
            return Err(EditError {
                path: path.clone(),
                why: format!("the new value did not read back as written ({got:?})"),
            });
        }
    }
    Ok(out)
}

/// The indentation (in spaces) of the line `at` is on, and the column of `at`.
fn column(text: &str, at: usize) -> (usize, usize) {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let indent = line.len() - line.trim_start_matches(' ').len();
    (indent, text[line_start..at].chars().count())
}

/// The bytes to replace for the scalar `s`, and what to write there.
fn write(text: &str, s: &Scalar, value: &str) -> (std::ops::Range<usize>, String) {
    let (indent, col) = column(text, s.range.start);
    let old = &text[s.range.clone()];
    match s.style {
        Style::Literal | Style::Folded => {
            // The header (`|`, `>-`, `|2`…) stays on its line; the content
            // lines, from the start of the first one, are set at its
            // indentation, and what followed the last one (its line break,
            // blank lines kept by the chomping) stays as it was.
            let line_start = text[..s.range.start].rfind('\n').map_or(0, |i| i + 1);
            let pad = " ".repeat(s.range.start - line_start);
            let range = line_start..s.range.end;
            let old = &text[range.clone()];
            let kept = old.trim_end_matches([' ', '\n', '\r']);
            let trailing = &old[kept.len()..];
            let value = value.trim_end_matches('\n');
            let mut lines = Vec::new();
            if s.style == Style::Literal || value.lines().any(|l| l.starts_with(' ')) {
                lines.extend(value.split('\n').map(str::to_string));
            } else {
                // Folded: each line break of the value is an empty line (a
                // paragraph of markdown two), the text between wrapped.
                for (i, segment) in value.split('\n').enumerate() {
                    if i > 0 {
                        lines.push(String::new());
                    }
                    if !segment.is_empty() {
                        lines.extend(wrap(segment, 88usize.saturating_sub(pad.len()).max(40)));
                    }
                }
            }
            let body: Vec<String> = lines
                .into_iter()
                .map(|l| if l.is_empty() { l } else { format!("{pad}{l}") })
                .collect();
            (range, format!("{}{trailing}", body.join("\n")))
        }
        Style::Single
            if !value.contains('\n') && !value.starts_with(' ') && !value.ends_with(' ') =>
        {
            (s.range.clone(), format!("'{}'", value.replace('\'', "''")))
        }
        Style::Plain if plain_safe(value) => {
            if !old.contains('\n') {
                return (s.range.clone(), value.to_string());
            }
            // Wrapped as the old value was, continuation lines at the
            // indentation of its second line.
            let cont = old
                .lines()
                .nth(1)
                .map(|l| l.len() - l.trim_start_matches(' ').len())
                .unwrap_or(col.max(indent));
            let width = 88usize.saturating_sub(cont).max(40);
            let lines = wrap(value, width);
            (s.range.clone(), lines.join(&format!("\n{}", " ".repeat(cont))))
        }
        _ => (s.range.clone(), double(value)),
    }
}

/// A value as a double-quoted scalar on one line.
fn double(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a value can stand as a plain scalar and still read as this text.
fn plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else { return false };
    let resolves_to_other = matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | ".inf" | "-.inf" | ".nan"
    ) || value.parse::<f64>().is_ok()
        || value.starts_with("0x")
        || value.starts_with("0o");
    !resolves_to_other
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.contains('\n')
        && !value.contains('\t')
        && value.trim() == value
        && !value.chars().any(|c| c.is_control())
}

/// Words wrapped into lines of at most `width` characters (a longer word
/// stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "# A comment\nbrief:\n  title: Old title   # kept\n  subtitle: 'It''s here'\nkey_messages:\n  - First message that\n    wraps onto a second line.\n  - \"Second\"\nsummary: >-\n  One paragraph\n  folded.\n\nbackground: |\n  Line one.\n  Line two.\nafter: 1\n";

    #[test]
    fn finds_every_scalar_with_its_bytes() {
        let s = scalars(SOURCE);
        assert_eq!(&SOURCE[s["brief.title"].range.clone()], "Old title");
        assert_eq!(s["key_messages[0]"].value, "First message that wraps onto a second line.");
        assert_eq!(&SOURCE[s["key_messages[1]"].range.clone()], "\"Second\"");
        assert_eq!(s["summary"].style, Style::Folded);
        assert_eq!(s["background"].value, "Line one.\nLine two.\n");
        assert_eq!(s["after"].value, "1");
    }

    #[test]
    fn rewrites_only_the_edited_values() {
        let edits = vec![
            ("brief.title".to_string(), "New title".to_string()),
            ("brief.subtitle".to_string(), "Isn't it".to_string()),
            ("key_messages[0]".to_string(), "First message, shorter.".to_string()),
            ("summary".to_string(), "One paragraph, now\n\nand a second.".to_string()),
            ("background".to_string(), "Line one.\nLine 2.".to_string()),
        ];
        let out = rewrite(SOURCE, &edits).unwrap();
        assert_eq!(
            out,
            "# A comment\nbrief:\n  title: New title   # kept\n  subtitle: 'Isn''t it'\nkey_messages:\n  - First message, shorter.\n  - \"Second\"\nsummary: >-\n  One paragraph, now\n\n\n  and a second.\n\nbackground: |\n  Line one.\n  Line 2.\nafter: 1\n"
        );
    }

    #[test]
    fn a_value_plain_cannot_hold_is_quoted() {
        for value in ["Note: this", "123", "true", "# not a comment", "a #b", "- item"] {
            let out = rewrite("title: Old\n", &[("title".into(), value.into())]).unwrap();
            assert_eq!(scalars(&out)["title"].value, value, "{out}");
            assert!(out.contains('"'), "{out}");
        }
    }
}
