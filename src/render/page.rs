//! The parts of a rendered brief that are not markup: page furniture, PDF
//! metadata, figures and the language's formats, all decided here so that
//! layout never looks at the brief.

use chrono::NaiveDate;

use super::Template;
use crate::diag::Diagnostic;
use crate::document::{Formats, Furniture, Line, Rendered};
use crate::frame::Meta;
use crate::locale;
use crate::model::{Brief, Status};

/// What a render needs besides the brief and the template: the run's
/// values, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Inputs {
    /// Today, for computed values such as days until the meeting.
    pub today: NaiveDate,
    /// The PDF's creation time, seconds since the Unix epoch.
    pub created: i64,
    /// Paper size in points, overriding the theme's.
    pub paper: Option<(f32, f32)>,
}

/// Stage 3: the brief through the template, plus everything else layout
/// needs, as one [`Rendered`] value.
pub fn render(template: &Template, brief: &Brief, inputs: &Inputs) -> Result<Rendered, Diagnostic> {
    let style =
        template.theme().style(inputs.paper).map_err(|m| Diagnostic::error(template.file(), m))?;
    let markup = template.render(brief, inputs.today)?;
    Ok(Rendered {
        markup,
        style,
        furniture: furniture(brief),
        meta: meta(brief, inputs.created),
        figures: brief.figures.clone(),
        formats: formats(&brief.brief.language),
    })
}

/// The running lines, in the brief's language.
fn furniture(brief: &Brief) -> Furniture {
    let b = &brief.brief;
    let draft = b.status == Status::Draft;
    let line = |text: &str, field| Line { text: text.to_string(), field };
    Furniture {
        marking: b.classification.as_deref().map(|m| line(&marking(m), "brief.classification")),
        handling: b.handling.as_deref().map(|h| line(h, "brief.handling")),
        footer: line(&footer(brief), "brief.reference"),
        page_label: word("Page {page} of {total}", &b.language).to_string(),
        watermark: draft.then(|| word("DRAFT", &b.language).to_string()),
    }
}

/// A security marking as printed everywhere: in capitals.
pub fn marking(classification: &str) -> String {
    classification.to_uppercase()
}

/// Reference, version and draft state, joined by middle dots.
fn footer(brief: &Brief) -> String {
    let b = &brief.brief;
    let mut parts: Vec<String> = b.reference.iter().cloned().collect();
    if let Some(v) = &b.version {
        parts.push(format!("{} {v}", word("version", &b.language)));
    }
    if b.status == Status::Draft {
        parts.push(word("DRAFT", &b.language).to_string());
    }
    parts.join(" · ")
}

/// The PDF's document information.
fn meta(brief: &Brief, created: i64) -> Meta {
    let b = &brief.brief;
    let parties: Vec<String> = brief.meeting.parties.iter().map(|p| p.country.clone()).collect();
    Meta {
        title: b.title.clone(),
        author: b.prepared_by.clone().unwrap_or_default(),
        subject: b
            .subtitle
            .clone()
            .unwrap_or_else(|| format!("{} {}", brief.meeting.kind, brief.meeting.date)),
        keywords: parties,
        created,
        language: b.language.clone(),
    }
}

/// Separators and chart wording of a language.
pub fn formats(language: &str) -> Formats {
    let (decimal, group) = locale::separators(language);
    let label = |key| locale::label(key, language).unwrap_or(key).to_string();
    Formats { decimal, group, source_label: label("Source"), note_label: label("Note") }
}

/// Fixed wording in the brief's language.
fn word(key: &str, language: &str) -> &'static str {
    locale::label(key, language).unwrap_or("")
}
