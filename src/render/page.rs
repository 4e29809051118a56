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

/// What a build adds to the brief on request: the changes since an older
/// version (`--changes-since`) and the embedded source (`--embed-source`).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The "Changes since" box and the places of the change bars.
    pub changes: Option<ChangesBox>,
    /// The canonical JSON to attach to the PDF.
    pub embedded: Option<Vec<u8>>,
}

/// The "Changes since" box as templates see it (`changes`), in the brief's
/// language, and the paths the change bars mark (`bar(path)`, `is changed`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ChangesBox {
    /// "Changes since version 0.3 (1 July 2021)".
    pub title: String,
    /// What was added, changed and removed, shortened.
    pub entries: Vec<crate::diff::wording::Entry>,
    /// The same, shorter, for the email body.
    pub short: Vec<crate::diff::wording::Entry>,
    /// What the box says when nothing changed.
    pub none: String,
    /// Paths of the new version's items that were added, changed or moved.
    pub marks: Vec<String>,
}

impl ChangesBox {
    /// The box for `changes` since the version `old` (its model's JSON).
    pub fn new(
        old: &serde_json::Value,
        changes: &crate::diff::Changes,
        language: &str,
    ) -> ChangesBox {
        use crate::diff::Kind;
        let marks = changes
            .changes
            .iter()
            .filter(|c| c.kind != Kind::Removed)
            .map(|c| c.path.clone())
            .collect();
        ChangesBox {
            title: crate::diff::wording::heading(old, language),
            entries: crate::diff::wording::entries(changes, language, 100),
            short: crate::diff::wording::entries(changes, language, 60),
            none: locale::label("No changes.", language).unwrap_or("No changes.").to_string(),
            marks,
        }
    }
}

/// Stage 3: the brief through the template, plus everything else layout
/// needs, as one [`Rendered`] value.
pub fn render(template: &Template, brief: &Brief, inputs: &Inputs) -> Result<Rendered, Diagnostic> {
    render_with(template, brief, inputs, &Extras::default())
}

/// [`render`], with the changes box and bars and the embedded source.
pub fn render_with(
    template: &Template,
    brief: &Brief,
    inputs: &Inputs,
    extras: &Extras,
) -> Result<Rendered, Diagnostic> {
    let style =
        template.theme().style(inputs.paper).map_err(|m| Diagnostic::error(template.file(), m))?;
    let markup = template.render_changes(brief, inputs.today, extras.changes.as_ref())?;
    let mut meta = meta(brief, inputs.created);
    meta.embedded = extras.embedded.clone();
    Ok(Rendered {
        markup,
        style,
        furniture: furniture(template, brief),
        meta,
        figures: brief.figures.clone(),
        formats: Formats::with_phrases(&brief.brief.language, &|key| {
            template.phrase(key, &brief.brief.language).unwrap_or_else(|| key.to_string())
        }),
        dir: locale::dir(&brief.brief.language),
    })
}

/// The running lines, in the brief's language.
fn furniture(template: &Template, brief: &Brief) -> Furniture {
    let b = &brief.brief;
    let word = |key: &str| template.phrase(key, &b.language).unwrap_or_default();
    let draft = b.status == Status::Draft;
    let line = |text: &str, field| Line { text: text.to_string(), field };
    Furniture {
        marking: b.classification.as_deref().map(|m| line(&marking(m), "brief.classification")),
        handling: b.handling.as_deref().map(|h| line(h, "brief.handling")),
        footer: line(&footer(brief, &word), "brief.reference"),
        page_label: word("Page {page} of {total}"),
        watermark: draft.then(|| word("DRAFT")),
    }
}

/// A security marking as printed everywhere: in capitals.
pub fn marking(classification: &str) -> String {
    classification.to_uppercase()
}

/// Reference, version and draft state, joined by middle dots.
fn footer(brief: &Brief, word: &dyn Fn(&str) -> String) -> String {
    let b = &brief.brief;
    let mut parts: Vec<String> = b.reference.iter().cloned().collect();
    if let Some(v) = &b.version {
        parts.push(format!("{} {v}", word("version")));
    }
    if b.status == Status::Draft {
        parts.push(word("DRAFT"));
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
        embedded: None,
        language: b.language.clone(),
    }
}
