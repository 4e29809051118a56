//! Validation: raw source → checked domain model, every problem collected at once.
//!
//! `source` guarantees the shape; this stage checks meaning: dates and times,
//! at least two parties, figure ids and series lengths, characters the fonts
//! can draw. It never stops at the first problem.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

pub use brief_core::figure::{self, ChartKind, Figure, Series};
pub use brief_source::raw::{
    AgendaItem, Distribution, Fact, OutcomeStatus, Party, Person, Section, Status,
};

use brief_core::diag::Diagnostic;
use brief_source::{Index, Parsed, raw};

/// A validated brief: what templates and layout receive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Brief {
    /// The document: title, marking, status, dates.
    pub brief: Doc,
    /// The meeting.
    pub meeting: Meeting,
    /// Bottom line up front (markdown).
    pub purpose: Option<String>,
    /// Summary (markdown).
    pub summary: Option<String>,
    /// Key messages (markdown each).
    pub key_messages: Vec<String>,
    /// Agenda.
    pub agenda: Vec<AgendaItem>,
    /// Agreed measures.
    pub outcomes: Vec<Outcome>,
    /// Background (markdown).
    pub background: Option<String>,
    /// Headline figures.
    pub facts: Vec<Fact>,
    /// Charts.
    pub figures: Vec<Figure>,
    /// Extra sections.
    pub sections: Vec<Section>,
    /// Risks (markdown each).
    pub risks: Vec<String>,
    /// Sources.
    pub sources: Vec<Reference>,
    /// Recipients.
    pub distribution: Option<Distribution>,
    /// Who drafted, cleared and approved it.
    pub clearance: Option<Clearance>,
}

impl Brief {
    /// Whether the brief may go out: someone cleared it, and it does not
    /// say it is a draft. A brief is a draft until cleared.
    pub fn cleared(&self) -> bool {
        self.brief.status != Status::Draft
            && self.clearance.as_ref().is_some_and(|c| !c.cleared_by.is_empty())
    }
}

/// The document's own fields, with defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Reference.
    pub reference: Option<String>,
    /// Security marking.
    pub classification: Option<String>,
    /// Handling caveat.
    pub handling: Option<String>,
    /// Draft or final.
    pub status: Status,
    /// Version.
    pub version: Option<String>,
    /// Date of the brief.
    pub date: NaiveDate,
    /// Figures current as of.
    pub as_of: Option<NaiveDate>,
    /// Prepared by.
    pub prepared_by: Option<String>,
    /// Prepared for.
    pub prepared_for: Option<String>,
    /// Template named in the source.
    pub template: Option<String>,
    /// Language tag (default `en`).
    pub language: String,
}

/// The meeting, with its date and time parsed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    /// Kind of meeting.
    pub kind: String,
    /// Date.
    pub date: NaiveDate,
    /// Start time, written `HH:MM` as in the source (never `HH:MM:SS`).
    #[serde(serialize_with = "hh_mm")]
    pub time: Option<NaiveTime>,
    /// The start time's zone, its IANA name as IANA writes it.
    pub time_zone: Option<String>,
    /// Place.
    pub location: Option<String>,
    /// Two or more parties.
    pub parties: Vec<Party>,
}

/// An agreed measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The measure (markdown).
    pub text: String,
    /// Its state.
    pub status: Option<OutcomeStatus>,
    /// Who carries it out.
    pub owner: Option<String>,
    /// Due date.
    pub due: Option<NaiveDate>,
}

/// A source of information.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Date.
    pub date: Option<NaiveDate>,
    /// Address.
    pub url: Option<String>,
}

/// The fields a theme may leave out to fit its page count, each with how to
/// clear it: one table, so the names a theme accepts and what leaving one out
/// does cannot disagree.
pub const DROPPABLE: [(&str, Clear); 12] = [
    ("purpose", |b| b.purpose = None),
    ("summary", |b| b.summary = None),
    ("key_messages", |b| b.key_messages.clear()),
    ("agenda", |b| b.agenda.clear()),
    ("outcomes", |b| b.outcomes.clear()),
    ("background", |b| b.background = None),
    ("facts", |b| b.facts.clear()),
    ("figures", |b| b.figures.clear()),
    ("sections", |b| b.sections.clear()),
    ("risks", |b| b.risks.clear()),
    ("sources", |b| b.sources.clear()),
    ("distribution", |b| b.distribution = None),
];

/// How a droppable field is left out of a brief.
pub type Clear = fn(&mut Brief);

/// Leaves out one of the [`DROPPABLE`] fields; false for any other name.
pub fn clear(brief: &mut Brief, field: &str) -> bool {
    match DROPPABLE.iter().find(|(name, _)| *name == field) {
        Some((_, clear)) => {
            clear(brief);
            true
        }
        None => false,
    }
}

/// A validated brief and the warnings found on the way.
pub type Checked = brief_core::diag::Warned<Brief>;

pub use brief_core::document::safe_link;

/// Validates a loaded source; `missing_glyphs` lists the characters of a
/// text that the fonts cannot draw, in order. Returns every problem on
/// failure, warnings included.
pub fn validate(
    loaded: &Parsed,
    missing_glyphs: &dyn Fn(&str) -> Vec<char>,
) -> Result<Checked, Vec<Diagnostic>> {
    validate_with(loaded, missing_glyphs, &|spec, _, _| {
        Err(Diagnostic::error(&spec.file, "figure data is read only for a brief read from a file")
            .hint("build or check the brief's file"))
    })
}

/// Reads a figure's `data:` file: `(spec, the figure's unit, the brief's
/// language)`. The caller knows where the brief is and how to read beside it.
pub type ReadData<'a> =
    dyn Fn(&raw::Data, Option<&str>, &str) -> Result<figure::FileData, Diagnostic> + 'a;

/// [`validate`], with the figures' `data:` files read by `read_data`: their
/// values are then checked like values written inline (fonts, magnitudes,
/// lengths), and each figure records the file it came from.
pub fn validate_with(
    loaded: &Parsed,
    missing_glyphs: &dyn Fn(&str) -> Vec<char>,
    read_data: &ReadData<'_>,
) -> Result<Checked, Vec<Diagnostic>> {
    let mut v = Validator {
        index: &loaded.index,
        diags: Vec::new(),
        origins: Vec::new(),
        unread: Vec::new(),
    };
    let mut filled = if loaded.raw.figures.iter().any(|f| f.data.is_some()) {
        v.read_data(&loaded.raw, read_data)
    } else {
        loaded.raw.clone()
    };
    // Quoted values once every figure has its data.
    v.quotes(&mut filled);
    let raw = &filled;
    let brief = v.brief(raw);
    // Every string of the source with its path, for the checks that read
    // them all: made once (the source as JSON, then walked), not per check.
    let json = serde_json::to_value(raw).unwrap_or_default();
    let texts = strings(&json);
    v.glyphs(&texts, missing_glyphs);
    v.wording_glyphs(raw.brief.language.as_deref().unwrap_or("en"), missing_glyphs);
    v.nesting(&texts);
    v.references(&texts);
    v.passages(&texts);
    if v.diags.iter().any(Diagnostic::is_error) {
        return Err(v.diags);
    }
    Ok(Checked::with(brief, v.diags))
}

mod clearance;
mod data;
mod passages;
mod quote;
mod size;
mod typed;
mod values;
mod when;
pub use clearance::{Clearance, Signoff};
pub use quote::{change as quoted_change, value as quoted_value};
pub use values::OUTLIER_RATIO;
/// What the warning of a number typed in the text that contradicts a figure
/// says: `check --strict-figures` fails on it.
pub const CONTRADICTS: &str = "contradicts figure";
use values::{MAX_MAGNITUDE, MIN_MAGNITUDE, Outliers, date_hint};

struct Validator<'a> {
    index: &'a Index,
    diags: Vec<Diagnostic>,
    /// Per figure, the file its data was read from.
    origins: Vec<Option<figure::Origin>>,
    /// Figures whose data file could not be read (already reported).
    unread: Vec<usize>,
}

impl Validator<'_> {
    fn brief(&mut self, raw: &raw::Source) -> Brief {
        if let Some(version) = raw.format.filter(|v| *v != 1) {
            let d = self.index.error("format", format!("unsupported format version {version}"));
            self.diags.push(d.expected("1").hint("this version of brief reads format 1"));
        }
        let doc = self.doc(&raw.brief);
        let meeting = self.meeting(&raw.meeting);
        self.dates_agree(&doc);
        self.distribution(raw.distribution.as_ref());
        let clearance = raw.clearance.as_ref().map(|c| self.clearance(c, doc.date));
        let mut doc = doc;
        doc.status = self.status(raw, clearance.as_ref());
        Brief {
            outcomes: self.outcomes(&raw.outcomes, meeting.date),
            figures: self.figures(&raw.figures),
            sources: self.sources(&raw.sources),
            brief: doc,
            meeting,
            purpose: raw.purpose.clone(),
            summary: raw.summary.clone(),
            key_messages: raw.key_messages.clone(),
            agenda: self.agenda(&raw.agenda),
            background: raw.background.clone(),
            facts: self.facts(&raw.facts),
            sections: raw.sections.clone(),
            risks: raw.risks.clone(),
            distribution: raw.distribution.clone(),
            clearance,
        }
    }

    fn doc(&mut self, raw: &raw::Brief) -> Doc {
        self.not_blank("brief.title", &raw.title);
        let language = raw.language.clone().unwrap_or_else(|| "en".into());
        self.language(&language);
        Doc {
            title: raw.title.trim().to_string(),
            subtitle: raw.subtitle.clone(),
            reference: raw.reference.clone(),
            classification: raw.classification.clone(),
            handling: raw.handling.clone(),
            status: raw.status.unwrap_or(Status::Final),
            version: raw.version.clone(),
            date: self.date("brief.date", &raw.date),
            as_of: raw.as_of.as_ref().map(|d| self.date("brief.as_of", d)),
            prepared_by: raw.prepared_by.clone(),
            prepared_for: raw.prepared_for.clone(),
            template: raw.template.clone(),
            language,
        }
    }

    fn meeting(&mut self, raw: &raw::Meeting) -> Meeting {
        if raw.parties.len() < 2 {
            let d = self.index.error(
                "meeting.parties",
                format!("a meeting needs at least two parties, found {}", raw.parties.len()),
            );
            self.diags.push(
                d.expected("two or more parties").hint("add the other side as `- country: …`"),
            );
        }
        for (i, party) in raw.parties.iter().enumerate() {
            self.party(i, party);
        }
        Meeting {
            kind: raw.kind.clone(),
            date: self.date("meeting.date", &raw.date),
            time: raw.time.as_ref().and_then(|t| self.time("meeting.time", t)),
            time_zone: raw
                .time_zone
                .as_ref()
                .and_then(|z| self.time_zone("meeting.time_zone", z, raw.time.is_some())),
            location: raw.location.clone(),
            parties: raw.parties.clone(),
        }
    }

    fn party(&mut self, i: usize, party: &Party) {
        let path = format!("meeting.parties[{i}]");
        self.not_blank(&format!("{path}.country"), &party.country);
        if let Some(code) = &party.code
            && !(code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()))
        {
            let d = self
                .index
                .error(&format!("{path}.code"), format!("`{code}` is not a country code"));
            self.diags.push(d.expected("an ISO 3166-1 alpha-2 code such as AZ or KG"));
        }
        let leads = party.delegation.iter().filter(|p| p.lead == Some(true)).count();
        if leads > 1 {
            let d = self
                .index
                .warning(&format!("{path}.delegation"), format!("{leads} heads of delegation"));
            self.diags.push(d.hint("mark only one member `lead: true`"));
        }
    }

    fn dates_agree(&mut self, doc: &Doc) {
        // A date already reported as invalid stands in as NaiveDate::MIN:
        // nothing to compare, and never a value to print.
        if let Some(as_of) = doc.as_of
            && as_of > doc.date
            && as_of != NaiveDate::MIN
            && doc.date != NaiveDate::MIN
        {
            let d = self.index.warning(
                "brief.as_of",
                format!("`as_of` ({as_of}) is after the brief's date ({})", doc.date),
            );
            self.diags.push(d.hint("figures cannot be current as of a later date than the brief"));
        }
    }

    /// Every recipient, parsed by the very function `send` and `--eml` use,
    /// so a brief that passes `check` is never refused for its addresses later.
    fn distribution(&mut self, dist: Option<&Distribution>) {
        let Some(dist) = dist else { return };
        for (list, entries) in [("to", &dist.to), ("cc", &dist.cc)] {
            for (i, entry) in entries.iter().enumerate() {
                let path = format!("distribution.{list}[{i}]");
                if let Err(e) = brief_core::address::parse(&path, entry) {
                    let message = e.to_string();
                    let message = message.strip_prefix(&format!("{path}: ")).unwrap_or(&message);
                    self.diags.push(self.index.error(&path, message));
                }
            }
        }
    }

    fn outcomes(&mut self, raw: &[raw::Outcome], meeting: NaiveDate) -> Vec<Outcome> {
        let mut out = Vec::new();
        for (i, o) in raw.iter().enumerate() {
            let path = format!("outcomes[{i}]");
            self.not_blank(&format!("{path}.text"), &o.text);
            let due = o.due.as_ref().map(|d| self.date(&format!("{path}.due"), d));
            if let Some(due) = due.filter(|d| *d < meeting && *d != NaiveDate::MIN) {
                let d = self.index.warning(
                    &format!("{path}.due"),
                    format!("due date {due} is before the meeting ({meeting})"),
                );
                self.diags.push(d.hint("check the year"));
            }
            let (text, status, owner) = (o.text.clone(), o.status, o.owner.clone());
            out.push(Outcome { text, status, owner, due });
        }
        out
    }

    fn sources(&mut self, raw: &[raw::Reference]) -> Vec<Reference> {
        for (i, url) in raw.iter().enumerate().filter_map(|(i, r)| Some((i, r.url.as_ref()?))) {
            if !safe_link(url) {
                let d = self
                    .index
                    .error(&format!("sources[{i}].url"), format!("`{url}` is not a web address"));
                self.diags.push(
                    d.expected("an address starting with https://, http:// or mailto:")
                        .hint("a PDF sent by email links only to the web; write the full address, e.g. https://www.example.org/"),
                );
            }
        }
        let date = |v: &mut Self, i: usize, d: &String| v.date(&format!("sources[{i}].date"), d);
        raw.iter()
            .enumerate()
            .map(|(i, r)| Reference {
                title: r.title.clone(),
                publisher: r.publisher.clone(),
                author: r.author.clone(),
                date: r.date.as_ref().map(|d| date(self, i, d)),
                url: r.url.clone(),
            })
            .collect()
    }

    fn figures(&mut self, raw: &[raw::Figure]) -> Vec<Figure> {
        if raw.len() > figure::MAX_FIGURES {
            let path = format!("figures[{}]", figure::MAX_FIGURES);
            let d = self.index.error(&path, format!("more than {} figures", figure::MAX_FIGURES));
            self.diags.push(
                d.expected(format!("at most {} figures", figure::MAX_FIGURES))
                    .hint("keep the figures the reader needs; put the rest in an annex"),
            );
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for (i, f) in raw.iter().take(figure::MAX_FIGURES).enumerate() {
            let path = format!("figures[{i}]");
            self.figure_id(&path, &f.id, &seen);
            seen.push(&f.id);
            if !self.unread.contains(&i) {
                self.figure_data(&path, f);
            }
            out.push(Figure {
                id: f.id.clone(),
                title: f.title.clone(),
                kind: f.kind.unwrap_or(ChartKind::Bar),
                unit: f.unit.clone(),
                categories: f.categories.clone(),
                series: f
                    .series
                    .iter()
                    .map(|s| Series { name: s.name.clone(), values: s.values.clone() })
                    .collect(),
                source: f.source.clone(),
                note: f.note.clone(),
                alt: f.alt.clone(),
                data: self.origins.get(i).cloned().flatten(),
            });
        }
        out
    }

    fn figure_id(&mut self, path: &str, id: &str, seen: &[&str]) {
        let path = format!("{path}.id");
        let well_formed = !id.is_empty()
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            let slug: String = id
                .to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let d = self.index.error(&path, format!("figure id `{id}` is not well formed"));
            self.diags.push(
                d.expected("lower-case letters, digits and hyphens ([a-z0-9-]+)")
                    .hint(format!("try `{slug}`")),
            );
        } else if seen.contains(&id) {
            let d = self.index.error(&path, format!("figure id `{id}` is used twice"));
            self.diags.push(
                d.expected("a unique id per figure")
                    .hint("templates place figures by id; rename one"),
            );
        }
    }

    /// The facts, each value checked to be one a brief can print.
    fn facts(&mut self, facts: &[raw::Fact]) -> Vec<raw::Fact> {
        for (i, fact) in facts.iter().enumerate() {
            self.printable(&format!("facts[{i}].value"), fact.value);
        }
        facts.to_vec()
    }

    /// An error unless `v` is a number a brief can print whole: finite,
    /// below 10^15 in magnitude (past that a float has no more exact
    /// digits, and "1,700,000,000,000,000,089,258…" is noise), and zero or
    /// at least 10^-9 (a smaller share or amount means a typo or a unit
    /// to change).
    fn printable(&mut self, path: &str, v: f64) -> bool {
        let (message, hint) = if !v.is_finite() {
            (
                "a number is expected, not an infinity or NaN".to_string(),
                "write null for a missing value",
            )
        } else if v.abs() >= MAX_MAGNITUDE {
            (
                format!("{v:e} is beyond the largest number a brief prints (10^15)"),
                "write it in a larger unit (`unit: USD billion`), or check for a typo",
            )
        } else if v != 0.0 && v.abs() < MIN_MAGNITUDE {
            (
                format!("{v:e} is below the smallest number a brief prints (10^-9)"),
                "write it in a smaller unit, or as 0",
            )
        } else {
            return true;
        };
        let d = self.index.error(path, message);
        self.diags.push(d.expected("a finite number below 10^15 in magnitude").hint(hint));
        false
    }

    /// Checks every value of every series, and warns of one far out of line
    /// with the rest of its series: at least [`OUTLIER_RATIO`] times the
    /// median of the others' magnitudes, or of the other sign in a series
    /// otherwise all positive (a typo such as 9,000,000,000,000 for 9,000).
    fn series_values(&mut self, path: &str, f: &raw::Figure) {
        for (j, s) in f.series.iter().enumerate() {
            let vpath = format!("{path}.series[{j}].values");
            let values: Vec<(usize, f64)> =
                s.values.iter().enumerate().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
            let mut ok = true;
            for &(k, v) in &values {
                ok &= self.printable(&format!("{vpath}[{k}]"), v);
            }
            if !ok || values.len() < 3 {
                continue;
            }
            let outliers = Outliers::new(&values.iter().map(|o| o.1).collect::<Vec<_>>());
            for &(k, v) in &values {
                if let Some(why) = outliers.why(v) {
                    let d = self.index.warning(
                        &format!("{vpath}[{k}]"),
                        format!(
                            "{v} is far out of line with the rest of series `{}`: {why}",
                            s.name
                        ),
                    );
                    self.diags.push(d.hint("check for a typo or a value in another unit"));
                }
            }
        }
    }

    fn figure_data(&mut self, path: &str, f: &raw::Figure) {
        self.figure_size(path, f);
        self.series_values(path, f);
        if f.categories.is_empty() {
            let d = self
                .index
                .error(&format!("{path}.categories"), "a figure needs at least one category");
            self.diags.push(d.expected("a list of labels, one per data point"));
        }
        if f.series.is_empty() {
            let d =
                self.index.error(&format!("{path}.series"), "a figure needs at least one series");
            self.diags.push(d.expected("a list of `- name: …` with `values: […]`"));
        }
        for (j, s) in f.series.iter().enumerate() {
            let vpath = format!("{path}.series[{j}].values");
            if s.values.len() != f.categories.len() {
                let d = self.index.error(
                    &vpath,
                    format!(
                        "series `{}` has {} values for {} categories",
                        s.name,
                        s.values.len(),
                        f.categories.len()
                    ),
                );
                self.diags.push(
                    d.expected(format!("{} values, one per category", f.categories.len()))
                        .hint("write null for a missing value"),
                );
            }
        }
        if f.kind == Some(ChartKind::Pie) {
            self.pie(path, f);
        }
    }

    fn pie(&mut self, path: &str, f: &raw::Figure) {
        if f.series.len() > 1 {
            let d =
                self.index.warning(&format!("{path}.series"), "a pie shows only its first series");
            self.diags.push(d.hint("use `bar` or `stacked` to compare series"));
        }
        let negative =
            f.series.first().and_then(|s| s.values.iter().position(|v| v.is_some_and(|v| v < 0.0)));
        if let Some(k) = negative {
            let d = self.index.warning(
                &format!("{path}.series[0].values[{k}]"),
                "a pie cannot show negative values; they are left out",
            );
            self.diags
                .push(d.hint("values of a pie should be parts of a whole; use `bar` for changes"));
        }
    }

    fn date(&mut self, path: &str, text: &str) -> NaiveDate {
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) if text.trim().len() == 10 => d,
            _ => {
                let d = self.index.error(path, format!("`{text}` is not a valid date"));
                self.diags.push(
                    d.expected("a date as YYYY-MM-DD (ISO 8601), e.g. 2021-07-05")
                        .hint(date_hint(text)),
                );
                NaiveDate::MIN
            }
        }
    }

    /// The language must resolve, by CLDR's fallback, to one with wording.
    fn language(&mut self, tag: &str) {
        if let Err(e) = brief_core::locale::resolve(tag) {
            let mut d = self.index.error("brief.language", e.reason).expected(format!(
                "a supported language or a tag that falls back to one (pt-BR, en-GB, uz-Latn): {}",
                brief_core::locale::supported_list()
            ));
            if let Some(code) = e.suggestion {
                d = d.hint(format!("did you mean `{code}`?"));
            }
            self.diags.push(d);
        }
    }

    fn not_blank(&mut self, path: &str, text: &str) {
        if text.trim().is_empty() {
            let d = self.index.error(path, "this field is empty");
            self.diags.push(d.expected("some text"));
        }
    }

    /// The language's own wording and formats must be drawable too: a
    /// brief in a language whose script no bundled face has would print
    /// empty boxes (every supported language is drawn today; a wording
    /// file edited with, say, an emoji would not be).
    fn wording_glyphs(&mut self, tag: &str, missing: &dyn Fn(&str) -> Vec<char>) {
        let Ok(resolved) = brief_core::locale::resolve(tag) else { return };
        let language = resolved.language;
        let sample = chrono::NaiveDate::from_ymd_opt(2021, 7, 5).unwrap_or_default();
        let formats = [
            brief_core::locale::long_date(sample, tag),
            brief_core::locale::short_date(sample, tag),
            brief_core::locale::number(-1234567.89, 2, tag),
        ];
        let phrases =
            brief_core::locale::label_keys().filter_map(|k| brief_core::locale::label(k, tag));
        let texts = phrases.map(String::from).chain(formats);
        let Some((text, c)) =
            texts.into_iter().find_map(|t| missing(&t).first().map(|&c| (t.clone(), c)))
        else {
            return;
        };
        let d = self.index.error(
            "brief.language",
            format!(
                "the bundled fonts cannot draw the {} wording: character `{c}` (U+{:04X}) in “{text}”",
                language.name, c as u32
            ),
        );
        self.diags.push(
            d.expected("wording the bundled fonts draw (see fonts/README.md)").hint(
                "correct the language's wording file, or write the brief in another language",
            ),
        );
    }

    /// Every character no bundled face can draw, each at its own line and
    /// column (inside a block scalar too), in source order.
    fn glyphs(&mut self, texts: &[(String, &str)], missing: &dyn Fn(&str) -> Vec<char>) {
        let mut found = Vec::new();
        for (path, text) in texts {
            let mut seen: Vec<(char, usize)> = Vec::new();
            for c in missing(text) {
                // The how-manieth `c` of this text it is, to find it in the source.
                let nth = match seen.iter_mut().find(|(s, _)| *s == c) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        seen.push((c, 0));
                        0
                    }
                };
                found.push((path.to_string(), c, self.index.char_in(path, c, nth)));
            }
        }
        found.sort_by_key(|(_, _, span)| span.as_ref().map(|s| (s.line, s.col)));
        for (path, c, span) in found {
            let code = format!("U+{:04X}", c as u32);
            let d = self
                .index
                .error(
                    &path,
                    format!("character `{c}` ({code}) cannot be drawn: no bundled font has it"),
                )
                .at(span.or_else(|| self.index.value(&path)));
            self.diags.push(
                d.expected(
                    "text in a script the bundled fonts cover (Latin, Cyrillic, Greek, Georgian, \
                     Armenian, Hebrew, Arabic, Devanagari, Thai, Chinese, Japanese, Korean) \
                     and common symbols",
                )
                .hint(
                    "replace the character (emoji and historic scripts are not bundled), or set \
                     the brief in a house typeface that has it (theme.yaml `fonts:`)",
                ),
            );
        }
    }
}

impl Validator<'_> {
    /// A markdown field's link or image a build would refuse, and a
    /// character reference that decodes to a character the source may not
    /// hold itself (`&#x202E;`, a right-to-left override
    /// that would reverse the words after it; `&#7;`): refused as the
    /// character would be.
    fn references(&mut self, texts: &[(String, &str)]) {
        use brief_core::text::references::{findings, reference_message};
        for (path, text) in texts.iter().filter(|(path, _)| is_markdown(path)) {
            let found = findings(text);
            if let Some(target) = found.target {
                let (why, hint) = target.refusal();
                self.diags.push(self.index.error(path, why).hint(hint));
            }
            if let Some(what) = found.unprinted {
                let d = self.index.error(path, format!("{what} would not be printed"));
                self.diags.push(d.hint(
                    "every word of a field reaches the page: write it in the text, and a link inline as `[words](https://…)`",
                ));
            }
            let Some((written, c)) = found.reference else { continue };
            let d = self.index.error(path, reference_message(&written, c));
            self.diags.push(
                d.expected("text shown in the order it is written")
                    .hint("delete the reference: it would put an invisible character on the page"),
            );
        }
    }

    /// Markup fields nest at most [`MAX_FIELD_NESTING`](brief_core::text::nesting::MAX_FIELD_NESTING)
    /// levels, so layout's recursion stays shallow and `check` finds it.
    fn nesting(&mut self, texts: &[(String, &str)]) {
        use brief_core::text::nesting::{MAX_FIELD_NESTING, depth};
        let mut found = Vec::new();
        for (path, text) in texts {
            let levels = if is_markdown(path) { depth(text) } else { 0 };
            if levels > MAX_FIELD_NESTING {
                found.push((path.to_string(), levels));
            }
        }
        for (path, levels) in found {
            let d = self.index.error(
                &path,
                format!(
                    "markup nests {levels} levels deep, more than the {MAX_FIELD_NESTING} allowed"
                ),
            );
            self.diags.push(
                d.expected(format!(
                    "at most {MAX_FIELD_NESTING} lists, quotes or emphases inside one another"
                ))
                .hint("flatten the nesting: a briefing note is read at a glance"),
            );
        }
    }
}

/// A time as the format writes it: `14:00`, so a diff, an embedded source
/// and a template see the source's own spelling.
fn hh_mm<S: serde::Serializer>(time: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(t) => s.serialize_str(&t.format("%H:%M").to_string()),
        None => s.serialize_none(),
    }
}

/// The fields that take markdown (CommonMark); every other text is printed as written.
pub const MARKDOWN_FIELDS: [&str; 8] =
    ["purpose", "summary", "key_messages", "background", "risks", "body", "bio", "points"];

/// Whether the field at a format-style path (`agenda[0].points[1]`) takes
/// markdown: one of [`MARKDOWN_FIELDS`], or an outcome's `text`.
pub fn is_markdown(path: &str) -> bool {
    let field = path.rsplit('.').next().unwrap_or(path).split('[').next().unwrap_or("");
    MARKDOWN_FIELDS.contains(&field) || (field == "text" && path.starts_with("outcomes["))
}

/// Every string in a JSON value with its format-style path, in order.
fn strings(value: &serde_json::Value) -> Vec<(String, &str)> {
    fn walk<'v>(value: &'v serde_json::Value, path: String, out: &mut Vec<(String, &'v str)>) {
        match value {
            serde_json::Value::String(s) => out.push((path, s)),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(v, if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod tests_support;

#[cfg(test)]
mod tests {
    use super::tests_support;

    #[test]
    fn example_model() {
        insta::assert_yaml_snapshot!(tests_support::example());
    }

    #[test]
    fn quoted_values_are_looked_for_in_every_markdown_field_and_no_other() {
        let text = include_str!("../../../briefs/az-kg-2021-07-05.yaml");
        let mut raw =
            brief_source::load("t.yaml", text.as_bytes()).map_err(|f| f.diagnostics).unwrap().raw;
        let json = serde_json::to_value(&raw).unwrap();
        let mut expected: Vec<String> = super::strings(&json)
            .into_iter()
            .map(|(path, _)| path)
            .filter(|path| super::is_markdown(path))
            .collect();
        let mut visited: Vec<String> =
            super::quote::markdown_fields(&mut raw).into_iter().map(|(p, _)| p).collect();
        expected.sort();
        visited.sort();
        assert!(visited.len() > 10 && visited.iter().any(|p| p.ends_with(".bio")), "{visited:?}");
        assert_eq!(visited, expected);
    }

    #[test]
    fn only_web_and_mail_links_are_safe() {
        for url in ["https://example.org/a", "HTTP://x.org", "mailto:desk@example.gov"] {
            assert!(super::safe_link(url), "{url}");
        }
        for url in
            ["www.example.org", "file:///etc/passwd", "javascript:alert(1)", "https://a b", ""]
        {
            assert!(!super::safe_link(url), "{url}");
        }
    }

    #[test]
    fn check_refuses_the_addresses_send_refuses() {
        let text = format!(
            "{}distribution:\n  to: [\"Desk <desk@example.gov>\"]\n  cc:\n    - Smith, John <john@example.org>\n",
            include_str!("../../../tests/fixtures/good/minimal.yaml")
        );
        let loaded =
            brief_source::load("t.yaml", text.as_bytes()).map_err(|f| f.diagnostics).unwrap();
        let errors = super::validate(&loaded, &|_| Vec::new()).expect_err("refused");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let e = &errors[0];
        assert_eq!(e.path.as_deref(), Some("distribution.cc[0]"));
        assert_eq!(e.span.as_ref().map(|s| (s.line, s.col)), Some((14, 7)));
        assert!(e.message.contains("is not a valid email address"), "{}", e.message);
    }

    fn validated(text: &str) -> Result<Vec<crate::Diagnostic>, Vec<crate::Diagnostic>> {
        let loaded =
            brief_source::load("t.yaml", text.as_bytes()).map_err(|f| f.diagnostics).unwrap();
        super::validate(&loaded, &|_| Vec::new()).map(|c| c.warnings)
    }

    #[test]
    fn a_passage_in_an_unknown_language_is_an_error_at_its_tag() {
        let example = include_str!("../../../briefs/az-kg-2021-07-05.yaml");
        let marked = |tag: &str| {
            example.replace(
                "  expand mutual trade. Direct",
                &format!("  expand [mutual trade]{{{tag}}}. Direct"),
            )
        };
        assert!(validated(&marked("lang=ru")).is_ok());
        for (attribute, col, hint) in [
            ("lang=hebrew", 30, "did you mean `he`?"),
            ("lang=he_IL", 30, "did you mean `he-IL`?"),
            ("lng=he", 25, "did you mean `lang`?"),
            ("lang=xx", 30, "write `\\[`"),
        ] {
            let errors = validated(&marked(attribute)).expect_err(attribute);
            assert_eq!(errors.len(), 1, "{errors:#?}");
            let e = &errors[0];
            assert_eq!(e.path.as_deref(), Some("summary"), "{attribute}");
            assert_eq!(e.span.as_ref().map(|s| (s.line, s.col)), Some((49, col)), "{attribute}");
            assert!(e.hint.as_deref().is_some_and(|h| h.contains(hint)), "{attribute}: {e:?}");
        }
        // In a plain field the brackets are text, never a passage.
        let title = "title: Azerbaijan – Kyrgyzstan bilateral meeting";
        let plain = example.replace(title, "title: \"[Baku]{lang=xx} Azerbaijan\"");
        assert_ne!(plain, example);
        assert!(validated(&plain).is_ok());
    }

    #[test]
    fn a_number_no_brief_can_print_is_an_error_at_its_line() {
        let example = include_str!("../../../briefs/az-kg-2021-07-05.yaml");
        for (value, words) in
            [("1.7e300", "beyond the largest"), ("1e15", "beyond"), ("1e-12", "below")]
        {
            let text = example.replace("values: [5.4, 3.6]", &format!("values: [5.4, {value}]"));
            let errors = validated(&text).expect_err(value);
            let e = errors
                .iter()
                .find(|d| d.path.as_deref() == Some("figures[0].series[0].values[1]"))
                .unwrap_or_else(|| panic!("{value}: {errors:#?}"));
            assert!(e.message.contains(words), "{value}: {}", e.message);
            assert_eq!(e.span.as_ref().map(|s| s.line), Some(129), "{value}");
        }
        let fact = example.replacen("value: 5.4", "value: 1.7e300", 1);
        let errors = validated(&fact).expect_err("a fact of 1.7e300");
        let e = errors.iter().find(|d| d.path.as_deref() == Some("facts[0].value")).unwrap();
        assert_eq!(e.span.as_ref().map(|s| s.line), Some(110));
        let fine = example.replace("values: [5.4, 3.6]", "values: [5.4, 999999999999999]");
        assert!(validated(&fine).is_ok());
    }

    #[test]
    fn a_value_far_out_of_line_with_its_series_is_warned_of_by_value_and_line() {
        let example = include_str!("../../../briefs/az-kg-2021-07-05.yaml");
        let text = example.replace(
            "categories: [\"2020\", \"Jan–May 2021\"]\n    series:\n      - name: Trade turnover\n        values: [5.4, 3.6]",
            "categories: [\"2020\", \"2021\", \"2022\"]\n    series:\n      - name: Trade turnover\n        values: [5.4, 9000000000000, 3.6]",
        );
        assert_ne!(text, example);
        let warnings = validated(&text).expect("a warning, not an error");
        let w = warnings
            .iter()
            .find(|d| d.path.as_deref() == Some("figures[0].series[0].values[1]"))
            .unwrap_or_else(|| panic!("{warnings:#?}"));
        assert!(
            w.message.contains("9000000000000") && w.message.contains("median"),
            "{}",
            w.message
        );
        assert_eq!(w.span.as_ref().map(|s| s.line), Some(129));
        let negative = text.replace("9000000000000", "-4");
        let warnings = validated(&negative).unwrap();
        assert!(warnings.iter().any(|d| d.message.contains("only negative")), "{warnings:#?}");
        let plain = text.replace("9000000000000", "4.1");
        assert!(validated(&plain).unwrap().is_empty());
    }

    #[test]
    fn a_date_in_another_format_gets_the_iso_form_as_a_suggestion() {
        for (date, hint) in [
            ("2026-4-8", "did you mean `2026-04-08`?"),
            ("14/04/2026", "`2026-04-14`"),
            ("04/05/2026", "`2026-05-04` (day first) or `2026-04-05` (month first)"),
            ("2026-02-30", "that month has 28 days"),
            ("2026-13-01", "there is no month 13"),
            ("next Tuesday", "write the year first"),
        ] {
            assert!(super::date_hint(date).contains(hint), "{date}: {}", super::date_hint(date));
        }
        assert!(!super::date_hint("2026-4-8").contains("days"));
    }

    #[test]
    fn an_invalid_as_of_date_is_never_printed_as_an_internal_value() {
        let example = include_str!("../../../briefs/az-kg-2021-07-05.yaml");
        let text = example.replace("as_of: 2021-07-05", "as_of: 2021-7-5");
        let errors = validated(&text).expect_err("invalid as_of");
        let all = format!("{errors:?}");
        assert!(!all.contains("262143"), "{all}");
        assert!(all.contains("2021-07-05"), "{all}");
        let text = example.replace("  date: 2021-07-05\n  as_of", "  date: 5/7/2021\n  as_of");
        assert_ne!(text, example);
        let all = format!("{:?}", validated(&text).expect_err("invalid date"));
        assert!(!all.contains("262143"), "{all}");
    }

    #[test]
    fn a_source_url_that_is_not_a_web_address_is_a_located_error() {
        let text = include_str!("../../../briefs/az-kg-2021-07-05.yaml")
            .replace("url: https://www.azernews.az/", "url: www.azernews.az");
        let loaded =
            brief_source::load("t.yaml", text.as_bytes()).map_err(|f| f.diagnostics).unwrap();
        let errors = super::validate(&loaded, &|_| Vec::new()).err().unwrap();
        let e = errors.iter().find(|d| d.path.as_deref() == Some("sources[0].url")).unwrap();
        assert!(e.message.contains("not a web address") && e.span.is_some(), "{e:?}");
    }
}
