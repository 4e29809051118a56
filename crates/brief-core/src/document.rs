//! What render hands to layout: the document markup and everything else a
//! page needs, already in the brief's language and the template's style.
//!
//! Layout sees only this value, never the brief or the template, so a new
//! field in the source format or a new template filter cannot change how
//! pages are made without passing through here.

use crate::figure::Figure;
use crate::frame::Meta;
use crate::style::Style;

/// The change-bar marker: what a template's `bar(path)` writes after a block
/// that changed, an HTML comment which layout reads as "draw a change bar
/// beside this block". Part of the markup both stages speak, so defined here.
pub const BAR: &str = "<!--changed-->";

/// The field mark: what a template's `bar(path)` writes after the text of a
/// block (paragraph, list item, table cell, heading) to name the source field
/// it shows, e.g. `<!--field:key_messages[2]-->`. Layout and the PDF ignore
/// it as print; it is how a place on the page, or a paragraph of another
/// format, is traced back to the field that produced it. A path with other
/// characters than a field path has (letters, digits, `_`, `.`, `[`, `]`)
/// writes no mark, so a mark can never end early or carry text.
pub fn field_mark(path: &str) -> String {
    if is_field_path(path) { format!("<!--field:{path}-->") } else { String::new() }
}

/// The path a field mark names, if `html` is one (surrounding space allowed).
pub fn read_field_mark(html: &str) -> Option<&str> {
    let path = html.trim().strip_prefix("<!--field:")?.strip_suffix("-->")?;
    is_field_path(path).then_some(path)
}

/// Whether `path` is written as a field path: letters, digits, `_`, `.`, `[`, `]`.
pub fn is_field_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 200
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.[]".contains(&b))
}

/// A rendered brief, ready to lay out.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Document markup: CommonMark with the block directives of `docs/templates.md`.
    pub markup: String,
    /// The page style: size, margins, type, colours.
    pub style: Style,
    /// What repeats on every page.
    pub furniture: Furniture,
    /// Title, author, subject, keywords and creation time of the PDF.
    pub meta: Meta,
    /// The figures the markup may place, by id.
    pub figures: Vec<Figure>,
    /// Number formats and chart wording of the brief's language.
    pub formats: Formats,
    /// The direction of the brief's language: right to left for Arabic,
    /// Persian and Hebrew, so that layout can mirror the page.
    pub dir: crate::locale::Dir,
}

/// The running lines of every page, each with the source field it shows so
/// a line too long for the page is reported against that field.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// The security marking, in capitals, top (and bottom) of every page.
    pub marking: Option<RunningLine>,
    /// The handling caveat under the top marking.
    pub handling: Option<RunningLine>,
    /// Reference, version and draft state, bottom left.
    pub footer: RunningLine,
    /// "Page {page} of {total}" in the brief's language, bottom right.
    pub page_label: String,
    /// The watermark word of a draft ("DRAFT", "ENTWURF"), if it is one.
    pub watermark: Option<String>,
}

/// One furniture line and the source field it comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunningLine {
    /// The text as printed.
    pub text: String,
    /// The field's path in the source, e.g. `brief.classification`.
    pub field: &'static str,
}

impl RunningLine {
    /// A running line of `text`: one line, so each run of white space (a
    /// line break in a `handling:` written over two lines) is one space, as
    /// a paragraph prints it, never two words glued together.
    pub fn new(text: &str, field: &'static str) -> RunningLine {
        RunningLine { text: text.split_whitespace().collect::<Vec<_>>().join(" "), field }
    }
}

/// Number formats and chart wording in the brief's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Formats {
    /// Decimal separator.
    pub decimal: char,
    /// Thousands separator.
    pub group: char,
    /// Minus sign (CLDR's: U+2212 in some languages, `-` in others).
    pub minus: char,
    /// The ten digits of the language's numbering system (`۰`–`۹` in
    /// Persian), for page numbers and chart numbers.
    pub digits: [char; 10],
    /// "Source" before a chart's source line.
    pub source_label: String,
    /// "Note" before a chart's note.
    pub note_label: String,
    /// The sentences charts add under a figure, and their mark for no data.
    pub chart_words: ChartWords,
}

impl Formats {
    /// The separators, digits and chart wording of a language, in the
    /// built-in wording: for charts exported alone and the book's own pages.
    pub fn of(language: &str) -> Formats {
        Formats::with_phrases(language, &|key| {
            crate::locale::label(key, language).unwrap_or(key).to_string()
        })
    }

    /// The separators and digits of a language, its labels and chart words
    /// as `phrase` gives them (a template's own wording first).
    pub fn with_phrases(language: &str, phrase: &dyn Fn(&str) -> String) -> Formats {
        let (decimal, group) = crate::locale::separators(language);
        Formats {
            decimal,
            group,
            minus: crate::locale::minus(language),
            digits: crate::locale::digits(language),
            source_label: phrase("Source"),
            note_label: phrase("Note"),
            chart_words: ChartWords::from_phrases(phrase),
        }
    }
}

/// What a chart says about values it cannot draw, in the brief's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartWords {
    /// Under a line or area chart with missing values.
    pub gaps: String,
    /// Under a stacked bar chart with missing values.
    pub stacks: String,
    /// Under a bar chart with missing values.
    pub bars: String,
    /// "Not shown: {parts}." under a pie with slices it cannot draw.
    pub not_shown: String,
    /// "no data for {categories}".
    pub no_data: String,
    /// "negative values for {categories} cannot be shown as shares".
    pub negative: String,
    /// The mark where a bar is missing: "n/a".
    pub na: String,
    /// The slice that groups a pie's smallest categories: "Other".
    pub other: String,
    /// "“Other” groups {categories}." under such a pie.
    pub grouped: String,
}

impl ChartWords {
    /// The chart words of a language, each phrase looked up by `phrase`.
    pub fn from_phrases(phrase: impl Fn(&str) -> String) -> ChartWords {
        ChartWords {
            gaps: phrase("chart: gaps"),
            stacks: phrase("chart: stacks"),
            bars: phrase("chart: bars"),
            not_shown: phrase("chart: not shown"),
            no_data: phrase("chart: no data"),
            negative: phrase("chart: negative"),
            na: phrase("chart: n/a"),
            other: phrase("chart: other"),
            grouped: phrase("chart: grouped"),
        }
    }
}

impl Default for ChartWords {
    /// English.
    fn default() -> Self {
        ChartWords::from_phrases(|key| {
            crate::locale::label(key, "en").unwrap_or_default().to_string()
        })
    }
}

/// Whether a link may go into a brief: https, http and mailto addresses only.
/// A `file:`, `javascript:` or `launch:` link in a mailed PDF is a hazard, and
/// an address without a scheme leads nowhere from a PDF. Model checks the
/// brief's fields with it, layout the links a template writes.
pub fn safe_link(url: &str) -> bool {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("https" | "http" | "mailto"))
        && !url.contains(char::is_whitespace)
}

/// `text` with its ASCII digits written in `digits` (unchanged for `0`–`9`).
pub fn in_digits(text: &str, digits: &[char; 10]) -> String {
    if digits[0] == '0' {
        return text.to_string();
    }
    text.chars()
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()).map_or(c, |d| digits[d as usize]))
        .collect()
}

/// The "Changes since" box as templates see it (`changes`), in the brief's
/// language, and the paths the change bars mark (`bar(path)`, `is changed`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ChangesBox {
    /// "Changes since version 0.3 (1 July 2021)".
    pub title: String,
    /// What was added, changed and removed, shortened.
    pub entries: Vec<ChangeEntry>,
    /// The same, shorter, for the email body.
    pub short: Vec<ChangeEntry>,
    /// What the box says when nothing changed.
    pub none: String,
    /// Paths of the new version's items that were added, changed or moved.
    pub marks: Vec<String>,
}

/// One entry of the changes list, in the brief's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChangeEntry {
    /// "Added", "Changed" or "Removed", translated.
    pub kind: String,
    /// What and how, e.g. "Key messages 2: old wording → new wording".
    pub text: String,
}

/// A security marking as printed everywhere: in capitals.
pub fn marking(classification: &str) -> String {
    classification.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_marks_round_trip_and_refuse_what_is_not_a_path() {
        let mark = field_mark("meeting.parties[0].delegation[1]");
        assert_eq!(mark, "<!--field:meeting.parties[0].delegation[1]-->");
        assert_eq!(
            read_field_mark(&format!(" {mark}\n")),
            Some("meeting.parties[0].delegation[1]")
        );
        for bad in ["", "a-->b", "a b", "x<y", "é"] {
            assert_eq!(field_mark(bad), "", "{bad:?}");
        }
        assert_eq!(read_field_mark("<!--changed-->"), None);
        assert_eq!(read_field_mark("<!--field:a--b-->"), None);
    }
}
