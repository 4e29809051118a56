//! Values quoted in the text: `${figure | category}`, `${figure | category
//! | series}` and `${figure | from -> to}` in a markdown field, replaced
//! once the figures' data is read by the value written in the brief's
//! language with the figure's unit. The value is plain text, escaped for
//! the markup: it never adds structure. `\${` writes the characters themselves.

use std::ops::Range;

use super::{Validator, raw};
use brief_core::diag::{Span, did_you_mean};
use brief_core::locale;

/// The longest reference read, in bytes between the braces: past it a
/// `${` is taken as not closed.
const MAX_REFERENCE: usize = 1024;

/// Problems reported per field, of each kind: a few say enough, and each
/// costs a snippet of its line (about 2 s for a 100 KB line today).
const MAX_REPORTED: usize = 5;

/// A reference as written between the braces.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reference<'a> {
    /// The figure's id.
    pub figure: &'a str,
    /// For a change, the category it is from.
    pub from: Option<&'a str>,
    /// The category (for a change, the one it is to).
    pub category: &'a str,
    /// The series, when the figure has more than one.
    pub series: Option<&'a str>,
}

/// Every `${…}` of `text`, its byte range and what is between the braces;
/// `Err(start)` for a `${` not closed on its line. A `${` after a backslash
/// is text.
pub(crate) fn find(text: &str) -> Vec<Result<(Range<usize>, &str), usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("${").map(|i| at + i) {
        let escaped = text[..i].chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        if escaped {
            at = i + 2;
            continue;
        }
        let rest = &text[i + 2..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        match line.find('}').filter(|end| *end <= MAX_REFERENCE) {
            Some(end) => {
                out.push(Ok((i..i + 2 + end + 1, &rest[..end])));
                at = i + 2 + end + 1;
            }
            None => {
                out.push(Err(i));
                at = i + 2;
            }
        }
    }
    out
}

/// Reads what is between the braces: `figure | category [| series]`, the
/// category `from -> to` (or `→`) for the change between two.
pub(crate) fn parse(inner: &str) -> Result<Reference<'_>, &'static str> {
    let parts: Vec<&str> = inner.split('|').map(str::trim).collect();
    let (figure, category, series) = match parts.as_slice() {
        [figure, category] => (*figure, *category, None),
        [figure, category, series] => (*figure, *category, Some(*series)),
        _ => {
            return Err(
                "a quoted value is `${figure | category}` or `${figure | category | series}`",
            );
        }
    };
    let (from, category) = match category.split_once("->").or_else(|| category.split_once('→')) {
        Some((from, to)) => (Some(from.trim()), to.trim()),
        None => (None, category),
    };
    if figure.is_empty() || category.is_empty() || from.is_some_and(str::is_empty) {
        return Err("a quoted value names a figure and a category");
    }
    Ok(Reference { figure, from, category, series: series.filter(|s| !s.is_empty()) })
}

/// The value written in the language: the number as the figure has it
/// (as the table form writes it) and its unit; a figure in `%` takes the
/// language's percent pattern ("12,5 %", Turkish "%12,5").
pub fn value(v: f64, unit: Option<&str>, tag: &str) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some("%") => locale::percent(v, usize::MAX, false, tag),
        Some(unit) => format!("{}\u{a0}{unit}", locale::number(v, usize::MAX, tag)),
        None => locale::number(v, usize::MAX, tag),
    }
}

/// The change from `from` to `to` in percent, signed ("+67%", "-4.5%"):
/// whole from 10% up, one decimal below; `None` from zero.
pub fn change(from: f64, to: f64, tag: &str) -> Option<String> {
    if from == 0.0 {
        return None;
    }
    let pct = (to - from) / from.abs() * 100.0;
    let decimals = if pct.abs() >= 10.0 { 0 } else { 1 };
    Some(locale::percent(pct, decimals, true, tag))
}

/// A value as text inside markup: every character that could start
/// markup (a unit's `*`, `[`, `<`…) backslash-escaped, and digits at the
/// start of a line followed by the text's `.` or `)` kept from starting a
/// numbered list. Digits, separators, signs and `%` stay as they are, so
/// the model (and a diff of it) reads as the page does.
fn as_text(value: &str, line_start: bool, next: Option<char>) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '.' | ',' | '%' | '+' | '-' | '\'' | '/') {
            out.push('\\');
        }
        out.push(c);
    }
    if line_start && value.chars().all(|c| c.is_ascii_digit()) && matches!(next, Some('.' | ')')) {
        out.push('\\');
    }
    out
}

/// Every markdown field of a source with its path, to be written into.
pub(crate) fn markdown_fields(raw: &mut raw::Source) -> Vec<(String, &mut String)> {
    let mut out: Vec<(String, &mut String)> = Vec::new();
    for (name, field) in [
        ("purpose", &mut raw.purpose),
        ("summary", &mut raw.summary),
        ("background", &mut raw.background),
    ] {
        if let Some(text) = field {
            out.push((name.into(), text));
        }
    }
    for (name, list) in [("key_messages", &mut raw.key_messages), ("risks", &mut raw.risks)] {
        out.extend(list.iter_mut().enumerate().map(|(i, t)| (format!("{name}[{i}]"), t)));
    }
    for (i, item) in raw.agenda.iter_mut().enumerate() {
        let points = item.points.iter_mut().enumerate();
        out.extend(points.map(|(j, t)| (format!("agenda[{i}].points[{j}]"), t)));
    }
    for (i, o) in raw.outcomes.iter_mut().enumerate() {
        out.push((format!("outcomes[{i}].text"), &mut o.text));
    }
    for (i, s) in raw.sections.iter_mut().enumerate() {
        out.push((format!("sections[{i}].body"), &mut s.body));
    }
    for (i, party) in raw.meeting.parties.iter_mut().enumerate() {
        for (j, person) in party.delegation.iter_mut().enumerate() {
            if let Some(bio) = &mut person.bio {
                out.push((format!("meeting.parties[{i}].delegation[{j}].bio"), bio));
            }
        }
    }
    out
}

impl Validator<'_> {
    /// Replaces every quoted value of the markdown fields by its text; a
    /// reference naming no figure, category or series is an error at its
    /// place in the field.
    pub(super) fn quotes(&mut self, raw: &mut raw::Source) {
        let language = raw.brief.language.clone().unwrap_or_else(|| "en".into());
        let figures = raw.figures.clone();
        let usable: Vec<raw::Figure> = figures
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.unread.contains(i))
            .map(|(_, f)| f.clone())
            .collect();
        for (path, text) in markdown_fields(raw) {
            self.typed_numbers(&path, text, &usable, &language);
            if !text.contains("${") {
                continue;
            }
            let mut out = String::with_capacity(text.len());
            let mut last = 0;
            let mut reported = 0;
            let (mut line_begin, mut scanned) = (0, 0);
            for found in find(text) {
                // Each error is located by reading the field again: a few
                // per field say enough.
                let report = reported < MAX_REPORTED;
                let (range, inner) = match found {
                    Ok(found) => found,
                    Err(_) if !report => continue,
                    Err(start) => {
                        reported += 1;
                        let d = self
                            .index
                            .error(&path, "a quoted value's `${` is not closed on its line")
                            .at(self.place(&path, text, start, 2));
                        let hint =
                            "close it with `}`, or write `\\${` for the characters themselves";
                        self.diags.push(d.expected("`${figure | category}`").hint(hint));
                        continue;
                    }
                };
                let written = &text[range.clone()];
                match self.resolve(inner, &figures, &language) {
                    Ok(Some(value)) => {
                        out.push_str(&text[last..range.start]);
                        if let Some(nl) = text[scanned..range.start].rfind('\n') {
                            line_begin = scanned + nl + 1;
                        }
                        scanned = range.start;
                        // Stops at the first letter: linear over the field.
                        let line_start =
                            text[line_begin..range.start].chars().all(char::is_whitespace);
                        let next = text[range.end..].chars().next();
                        out.push_str(&as_text(&value, line_start, next));
                        last = range.end;
                    }
                    Ok(None) => {} // the figure's data could not be read: already reported
                    Err(_) if !report => {}
                    Err((message, expected, hint)) => {
                        reported += 1;
                        let span = self.place(&path, text, range.start, written.chars().count());
                        let d = self.index.error(&path, format!("`{written}`: {message}"));
                        let d = d.at(span).expected(expected);
                        self.diags.push(match hint {
                            Some(h) => d.hint(h),
                            None => d,
                        });
                    }
                }
            }
            out.push_str(&text[last..]);
            *text = out;
        }
    }

    /// A warning for each number typed in `text` that contradicts the figure
    /// its sentence names (see [`typed`](super::typed)); quoted values are
    /// not typed numbers.
    fn typed_numbers(&mut self, path: &str, text: &str, usable: &[raw::Figure], language: &str) {
        let mut blank = text.to_string();
        for (range, _) in find(text).into_iter().flatten() {
            blank.replace_range(range.clone(), &" ".repeat(range.len()));
        }
        let found = super::typed::contradictions(&blank, usable, language);
        for c in found.into_iter().take(MAX_REPORTED) {
            let figure = usable.iter().find(|f| f.id == c.figure);
            let unit = figure.and_then(|f| f.unit.as_deref());
            let several = figure.is_some_and(|f| f.series.len() > 1);
            let first = c.typed.chars().next().unwrap_or('0');
            let nth = text[..c.at].matches(first).count();
            let span = self
                .index
                .char_in(path, first, nth)
                .map(|s| Span { len: c.typed.chars().count(), ..s });
            let series = if several { format!(" ({})", c.series) } else { String::new() };
            let reference = if several {
                format!("${{{} | {} | {}}}", c.figure, c.category, c.series)
            } else {
                format!("${{{} | {}}}", c.figure, c.category)
            };
            let d = self.index.warning(
                path,
                format!(
                    "the number `{}` {} `{}`: its value for `{}`{series} is {}",
                    c.typed,
                    super::CONTRADICTS,
                    c.figure,
                    c.category,
                    value(c.value, unit, language)
                ),
            );
            self.diags.push(d.at(span.or_else(|| self.index.value(path))).hint(format!(
                "quote the figure, `{reference}`, so the text cannot drift from it; or correct the number or the figure"
            )));
        }
    }

    /// Where the `${` at byte `start` of the field's text stands in the
    /// source: found as the how-manieth `$` of the text it is.
    fn place(&self, path: &str, text: &str, start: usize, len: usize) -> Option<Span> {
        let nth = text[..start].matches('$').count();
        let span = self.index.char_in(path, '$', nth).map(|s| Span { len, ..s });
        span.or_else(|| self.index.value(path))
    }

    /// The text of one reference; `None` for a figure already reported.
    #[allow(clippy::type_complexity)]
    fn resolve(
        &self,
        inner: &str,
        figures: &[raw::Figure],
        language: &str,
    ) -> Result<Option<String>, (String, String, Option<String>)> {
        let r = parse(inner).map_err(|m| {
            let expected = "`${figure | category}`, `${figure | category | series}`, or `${figure | from -> to}` for the change in percent";
            (m.to_string(), expected.to_string(), None)
        })?;
        let suggest = |word: &str, options: Vec<&str>| {
            did_you_mean(word, options.iter().copied()).map(|s| format!("did you mean `{s}`?"))
        };
        let listed = |options: &[&str]| {
            let mut shown: Vec<String> =
                options.iter().take(12).map(|o| format!("`{o}`")).collect();
            if options.len() > 12 {
                shown.push(format!("… ({} in all)", options.len()));
            }
            shown.join(", ")
        };
        let Some((i, figure)) = figures.iter().enumerate().find(|(_, f)| f.id == r.figure) else {
            let ids: Vec<&str> = figures.iter().map(|f| f.id.as_str()).collect();
            let expected = if ids.is_empty() {
                "a figure of the brief (it has none)".to_string()
            } else {
                format!("a figure id: {}", listed(&ids))
            };
            return Err((
                format!("no figure has the id `{}`", r.figure),
                expected,
                suggest(r.figure, ids),
            ));
        };
        if self.unread.contains(&i) {
            return Ok(None);
        }
        let names: Vec<&str> = figure.categories.iter().map(String::as_str).collect();
        let category = |name: &str| {
            names.iter().position(|c| c.trim() == name).ok_or_else(|| {
                (
                    format!("figure `{}` has no category `{name}`", figure.id),
                    format!("one of its categories: {}", listed(&names)),
                    suggest(name, names.clone()),
                )
            })
        };
        let to = category(r.category)?;
        let from = r.from.map(category).transpose()?;
        let series_names: Vec<&str> = figure.series.iter().map(|s| s.name.as_str()).collect();
        let series = match r.series {
            Some(name) => {
                figure.series.iter().find(|s| s.name.trim() == name).ok_or_else(|| {
                    (
                        format!("figure `{}` has no series `{name}`", figure.id),
                        format!("one of its series: {}", listed(&series_names)),
                        suggest(name, series_names.clone()),
                    )
                })?
            }
            None if figure.series.len() == 1 => &figure.series[0],
            None => {
                return Err((
                    format!("figure `{}` has {} series: say which", figure.id, figure.series.len()),
                    format!(
                        "`${{{} | {} | SERIES}}` with one of {}",
                        figure.id,
                        r.category,
                        listed(&series_names)
                    ),
                    None,
                ));
            }
        };
        let at = |k: usize| {
            series.values.get(k).copied().flatten().ok_or_else(|| {
                (
                    format!("series `{}` has no value for `{}`", series.name, names[k]),
                    "a category with a value (null is a missing value)".to_string(),
                    None,
                )
            })
        };
        let text = match from {
            None => value(at(to)?, figure.unit.as_deref(), language),
            Some(from) => change(at(from)?, at(to)?, language).ok_or_else(|| {
                (
                    format!(
                        "the change from `{}` cannot be a percentage: its value is 0",
                        names[from]
                    ),
                    "a category to compare with whose value is not 0".to_string(),
                    None,
                )
            })?,
        };
        Ok(Some(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_closed_on_their_line_and_not_after_a_backslash() {
        let text = "Up ${a | 2020} and \\${literal} then ${b | x\n}";
        let found = find(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], Ok((3..14, "a | 2020")));
        assert_eq!(found[1], Err(text.rfind("${b").unwrap()));
        assert!(find("no reference, { one } $5 {x}").is_empty());
        assert!(find(&format!("${{{}}}", "x".repeat(2000))).iter().all(Result::is_err));
    }

    #[test]
    fn a_reference_names_a_figure_a_category_and_perhaps_a_series_or_a_change() {
        let r = parse(" trade | Jan–May 2021 | Exports ").unwrap();
        assert_eq!(
            r,
            Reference {
                figure: "trade",
                from: None,
                category: "Jan–May 2021",
                series: Some("Exports")
            }
        );
        let r = parse("trade | 2019 -> 2020").unwrap();
        assert_eq!((r.from, r.category, r.series), (Some("2019"), "2020", None));
        let r = parse("trade | 2019 → 2020 | Imports").unwrap();
        assert_eq!((r.from, r.category, r.series), (Some("2019"), "2020", Some("Imports")));
        for bad in ["trade", "trade | ", " | 2020", "a | b | c | d", "trade | -> 2020"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_value_is_only_ever_text_in_the_markup() {
        assert_eq!(as_text("5.4\u{a0}USD million", true, Some('.')), "5.4\u{a0}USD million");
        assert_eq!(
            as_text("5\u{a0}*m* [x](y) <b>", false, None),
            "5\u{a0}\\*m\\* \\[x\\]\\(y\\) \\<b\\>"
        );
        assert_eq!(as_text("12", true, Some('.')), "12\\");
        assert_eq!(as_text("12", false, Some('.')), "12");
        assert_eq!(as_text("+5%", true, Some(' ')), "+5%");
    }

    #[test]
    fn values_are_written_in_the_language_with_the_unit() {
        assert_eq!(value(5.4, Some("USD million"), "en"), "5.4\u{a0}USD million");
        assert_eq!(value(1234.5, Some("EUR"), "de"), "1.234,5\u{a0}EUR");
        assert_eq!(value(12.5, Some("%"), "fr"), "12,5\u{a0}%");
        assert_eq!(value(-3.0, None, "en"), "-3");
        assert_eq!(change(3.23, 5.4, "en").as_deref(), Some("+67%"));
        assert_eq!(change(5.4, 5.2, "en").as_deref(), Some("-3.7%"));
        assert_eq!(change(2.0, 2.0, "en").as_deref(), Some("0%"));
        assert_eq!(change(0.0, 2.0, "en"), None);
    }

    const EXAMPLE: &str = include_str!("../../../briefs/az-kg-2021-07-05.yaml");
    const MESSAGE: &str =
        "  - The joint intergovernmental commission should meet again and agree a work plan.";

    /// The example with its second key message replaced by `text`.
    fn checked(text: &str) -> Result<crate::Checked, Vec<crate::Diagnostic>> {
        let source = EXAMPLE.replace(MESSAGE, &format!("  - {text}"));
        assert_ne!(source, EXAMPLE);
        let loaded =
            brief_source::load("t.yaml", source.as_bytes()).map_err(|f| f.diagnostics).unwrap();
        crate::validate(&loaded, &|_| Vec::new())
    }

    #[test]
    fn a_quoted_value_becomes_text_in_the_model() {
        let b = checked(
            "${trade-turnover | 2020} in 2020, then ${trade-jan-may | Jan–May 2020 -> Jan–May 2021 | Trade turnover}; \\${kept}.",
        )
        .unwrap()
        .value;
        assert_eq!(b.key_messages[1], "5.4\u{a0}USD million in 2020, then +64%; \\${kept}.");
        // A unit that would be markup stays text.
        let source = EXAMPLE.replace(
            "unit: USD million\n    categories: [\"2020\"",
            "unit: \"*USD* [m]\"\n    categories: [\"2020\"",
        );
        let source = source.replace(MESSAGE, "  - ${trade-turnover | 2020}");
        let loaded =
            brief_source::load("t.yaml", source.as_bytes()).map_err(|f| f.diagnostics).unwrap();
        let b = crate::validate(&loaded, &|_| Vec::new()).unwrap().value;
        assert_eq!(b.key_messages[1], "5.4\u{a0}\\*USD\\* \\[m\\]");
    }

    fn error(text: &str) -> String {
        let errors = checked(text).expect_err(text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].path.as_deref(), Some("key_messages[1]"));
        errors[0].render(false)
    }

    #[test]
    fn a_reference_naming_nothing_is_a_located_error_with_a_suggestion() {
        insta::assert_snapshot!("quote_no_figure", error("Trade ${trade-turnovr | 2020}."));
        insta::assert_snapshot!("quote_no_category", error("Trade ${trade-turnover | 2021}."));
        insta::assert_snapshot!(
            "quote_no_series",
            error("Trade ${trade-turnover | 2020 | Trade turnovr}.")
        );
        insta::assert_snapshot!("quote_not_closed", error("Trade ${trade-turnover | 2020."));
        insta::assert_snapshot!("quote_malformed", error("Trade ${trade-turnover}."));
    }
}
