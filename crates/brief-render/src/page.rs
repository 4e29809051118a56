//! The parts of a rendered brief that are not markup: page furniture, PDF
//! metadata, figures and the language's formats, all decided here so that
//! layout never looks at the brief.

use chrono::NaiveDate;

use super::Template;
use brief_core::diag::Diagnostic;
use brief_core::document::{ChangesBox, Formats, Furniture, Rendered, RunningLine};
use brief_core::frame::Meta;
use brief_core::locale;
use brief_model::{Brief, Status};

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
    let line = RunningLine::new;
    Furniture {
        marking: b
            .classification
            .as_deref()
            .map(|m| line(&brief_core::document::marking(m), "brief.classification")),
        handling: b.handling.as_deref().map(|h| line(h, "brief.handling")),
        // The field the line starts with: the reference, else the version.
        footer: line(
            &footer(brief, &word),
            match (&b.reference, &b.version) {
                (None, Some(_)) => "brief.version",
                (None, None) => "brief.status",
                _ => "brief.reference",
            },
        ),
        page_label: word("Page {page} of {total}"),
        watermark: draft.then(|| word("DRAFT")),
    }
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
