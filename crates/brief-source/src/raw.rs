//! The briefing source as written: serde types that mirror the format exactly.
//!
//! Dates and times stay strings here so that `model` can check them all and
//! report every bad one, instead of serde stopping at the first.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A briefing source, format version 1: one meeting and its figures.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Briefing source")]
pub struct Source {
    /// Version of the briefing format; 1.
    #[serde(default)]
    pub format: Option<u32>,
    /// The document itself: title, marking, status, dates.
    pub brief: Brief,
    /// The meeting the brief prepares for.
    pub meeting: Meeting,
    /// The bottom line up front (markdown).
    #[serde(default)]
    pub purpose: Option<String>,
    /// Summary (markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Key messages, markdown each.
    #[serde(default)]
    pub key_messages: Vec<String>,
    /// Agenda items.
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// Agreed measures and their state.
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    /// Background (markdown, any length).
    #[serde(default)]
    pub background: Option<String>,
    /// Headline figures shown as tiles.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Data drawn as charts.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Extra sections, in order.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Risks or difficult questions, markdown each.
    #[serde(default)]
    pub risks: Vec<String>,
    /// Sources of the brief's information.
    #[serde(default)]
    pub sources: Vec<Reference>,
    /// Who receives the PDF.
    #[serde(default)]
    pub distribution: Option<Distribution>,
    /// Who drafted, cleared and approved the brief. A brief is a draft until
    /// someone clears it; `send` and `--eml` refuse it until then.
    #[serde(default)]
    pub clearance: Option<Clearance>,
}

/// The document: title, marking, status and dates.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Brief {
    /// Title of the brief.
    pub title: String,
    /// Subtitle.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Document reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Security marking, printed top and bottom of every page (e.g. OFFICIAL).
    #[serde(default)]
    pub classification: Option<String>,
    /// Handling caveat, printed under the marking.
    #[serde(default)]
    pub handling: Option<String>,
    /// draft or final; draft adds a DRAFT watermark. By default a brief with
    /// a `clearance` record is final once someone cleared it and a draft
    /// until then, and one without is final; `final` says the brief is
    /// cleared, so with a `clearance` record it must name a clearer.
    #[serde(default)]
    pub status: Option<Status>,
    /// Version of the brief, e.g. "1.2".
    #[serde(default)]
    pub version: Option<String>,
    /// Date of the brief, ISO 8601 (YYYY-MM-DD).
    #[schemars(extend("format" = "date"))]
    pub date: String,
    /// Figures current as of this date, ISO 8601.
    #[serde(default)]
    #[schemars(extend("format" = "date"))]
    pub as_of: Option<String>,
    /// Who prepared the brief.
    #[serde(default)]
    pub prepared_by: Option<String>,
    /// Who the brief is for.
    #[serde(default)]
    pub prepared_for: Option<String>,
    /// Template used when the command line names none: a folder of that name
    /// under brief.toml's `template_dirs`, else a built-in.
    #[serde(default)]
    pub template: Option<String>,
    /// BCP 47 language tag for date and number style (e.g. en, fr, de).
    #[serde(default)]
    pub language: Option<String>,
}

/// Whether a brief is a draft or final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Work in progress: printed with a DRAFT watermark.
    Draft,
    /// Ready for distribution.
    Final,
}

/// The meeting.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Free text: bilateral meeting, call, visit, summit …
    pub kind: String,
    /// Date of the meeting, ISO 8601.
    #[schemars(extend("format" = "date"))]
    pub date: String,
    /// Start time, HH:MM (24 h).
    #[serde(default)]
    pub time: Option<String>,
    /// The time zone of the start time, by its IANA name (e.g. Asia/Baku),
    /// printed after the time in the brief's language ("Azerbaijan Time").
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Place.
    #[serde(default)]
    pub location: Option<String>,
    /// The parties; two or more.
    pub parties: Vec<Party>,
}

/// One party to the meeting.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Country or organisation.
    pub country: String,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    pub code: Option<String>,
    /// Members of the delegation.
    #[serde(default)]
    pub delegation: Vec<Person>,
}

/// A member of a delegation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Role or title.
    #[serde(default)]
    pub role: Option<String>,
    /// Head of delegation.
    #[serde(default)]
    pub lead: Option<bool>,
    /// Short biography (markdown).
    #[serde(default)]
    pub bio: Option<String>,
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// Topic.
    pub topic: String,
    /// Points under the topic, markdown each.
    #[serde(default)]
    pub points: Vec<String>,
    /// When the item starts, HH:MM (24 h), for a call or a day whose items
    /// have times of their own; in the meeting's time zone unless the item
    /// names one.
    #[serde(default)]
    pub time: Option<String>,
    /// The item's own time zone, by its IANA name (e.g. Europe/Brussels), for
    /// a call across zones: its time is printed with this zone's name.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// An agreed measure and its state.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The measure (markdown).
    pub text: String,
    /// agreed, under consideration, pending or done.
    #[serde(default)]
    pub status: Option<OutcomeStatus>,
    /// Who carries it out.
    #[serde(default)]
    pub owner: Option<String>,
    /// Due date, ISO 8601.
    #[serde(default)]
    #[schemars(extend("format" = "date"))]
    pub due: Option<String>,
}

/// The state of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum OutcomeStatus {
    /// Both sides agreed.
    #[serde(rename = "agreed")]
    Agreed,
    /// Being considered.
    #[serde(rename = "under consideration")]
    UnderConsideration,
    /// Waiting on something.
    #[serde(rename = "pending")]
    Pending,
    /// Carried out.
    #[serde(rename = "done")]
    Done,
}

/// A headline figure shown as a tile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// What the number is.
    pub label: String,
    /// The number.
    pub value: f64,
    /// Unit, e.g. "USD million".
    #[serde(default)]
    pub unit: Option<String>,
    /// Short change text, e.g. "+67%".
    #[serde(default)]
    pub change: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Data drawn as a chart.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Unique id, [a-z0-9-]+; templates refer to it.
    pub id: String,
    /// Chart title.
    pub title: String,
    /// Chart kind (default bar).
    #[serde(default)]
    pub kind: Option<ChartKind>,
    /// Unit for the axis and value labels.
    #[serde(default)]
    pub unit: Option<String>,
    /// One label per data point (or `data:`).
    #[serde(default)]
    pub categories: Vec<String>,
    /// One or more series (or `data:`).
    #[serde(default)]
    pub series: Vec<Series>,
    /// The categories and series read from a file instead: CSV, TSV, XLSX,
    /// ODS or SDMX-CSV in the brief's folder.
    #[serde(default)]
    pub data: Option<Data>,
    /// Source, printed under the chart.
    #[serde(default)]
    pub source: Option<String>,
    /// Note, printed under the chart.
    #[serde(default)]
    pub note: Option<String>,
    /// What the chart shows, in words, for readers who cannot see it (the
    /// tagged PDF's alternate text); generated from the data when absent.
    #[serde(default)]
    pub alt: Option<String>,
}

/// Where a figure's data comes from: a file in the brief's folder, read
/// at each build (instead of `categories` and `series`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Data {
    /// The file, relative to the brief's folder and inside it.
    pub file: String,
    /// csv, tsv, xlsx, ods or sdmx-csv; by default from the file's name (a
    /// CSV file whose first column is DATAFLOW or STRUCTURE is SDMX-CSV).
    #[serde(default)]
    pub format: Option<DataFormat>,
    /// XLSX, ODS: the sheet (default the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// CSV: the field delimiter, one character or `tab` (default: the
    /// commonest of `,` `;` tab `|` in the first line).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// CSV: whether the first line names the columns (default true);
    /// without one, columns are numbered from 1.
    #[serde(default)]
    pub header: Option<bool>,
    /// XLSX, ODS: the row that names the columns, from 1 (default the
    /// sheet's first row with content).
    #[serde(default)]
    pub header_row: Option<u32>,
    /// CSV: the decimal separator, "." (default) or ",".
    #[serde(default)]
    pub decimal: Option<String>,
    /// The categories: a cell range (A2:A9), a column's name, or an SDMX
    /// dimension such as TIME_PERIOD.
    pub categories: String,
    /// The series, each from a cell range, a column or (SDMX) a filter.
    #[serde(default)]
    pub series: Vec<DataSeries>,
    /// SDMX: the dimension values every observation must have.
    #[serde(default)]
    pub filter: std::collections::BTreeMap<String, String>,
    /// SDMX: one series per value of this dimension, named by `labels`.
    #[serde(default)]
    pub series_by: Option<String>,
    /// Names for codes of the file: categories and `series_by` values.
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    /// SDMX: names for observation status flags in the note (default the
    /// English names of the SDMX code list: p Provisional, e Estimated …).
    #[serde(default)]
    pub flags: std::collections::BTreeMap<String, String>,
    /// Multiply every value by this.
    #[serde(default)]
    pub multiply: Option<f64>,
    /// Divide every value by this (1000: thousands to millions).
    #[serde(default)]
    pub divide: Option<f64>,
    /// Round every value to this many decimals.
    #[serde(default)]
    pub round: Option<u32>,
    /// The column of each value's unit (SDMX: UNIT_MEASURE when there is one).
    #[serde(default)]
    pub unit_column: Option<String>,
    /// The unit code the unit column must hold (default: it must read as
    /// the figure's unit, e.g. MIO_USD for USD million, unless values are scaled).
    #[serde(default)]
    pub unit: Option<String>,
}

/// A series of a figure's data file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSeries {
    /// Legend name.
    pub name: String,
    /// A cell range or a column's name (SDMX: default OBS_VALUE).
    #[serde(default)]
    pub values: Option<String>,
    /// SDMX: dimension values of this series' observations, besides the figure's `filter`.
    #[serde(default)]
    pub filter: std::collections::BTreeMap<String, String>,
}

/// The format of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum DataFormat {
    /// Comma- (or otherwise) separated values.
    #[serde(rename = "csv")]
    Csv,
    /// Tab-separated values.
    #[serde(rename = "tsv")]
    Tsv,
    /// Excel workbook.
    #[serde(rename = "xlsx")]
    Xlsx,
    /// OpenDocument spreadsheet.
    #[serde(rename = "ods")]
    Ods,
    /// SDMX-CSV, 1.0 or 2.0.
    #[serde(rename = "sdmx-csv")]
    SdmxCsv,
}

/// How a figure is drawn: defined with the figures it draws.
pub use brief_core::figure::ChartKind;

/// A named row of values.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One per category; null is a missing value.
    pub values: Vec<Option<f64>>,
}

/// An extra section.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Body (markdown).
    pub body: String,
}

/// A source of the brief's information.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Title.
    pub title: String,
    /// Publisher.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Author.
    #[serde(default)]
    pub author: Option<String>,
    /// Date, ISO 8601.
    #[serde(default)]
    pub date: Option<String>,
    /// Address.
    #[serde(default)]
    pub url: Option<String>,
}

/// Who receives the PDF.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// Main recipients, "Name <address>".
    #[serde(default)]
    pub to: Vec<String>,
    /// Copy recipients.
    #[serde(default)]
    pub cc: Vec<String>,
}

/// The brief's clearance: who drafted it, who cleared it, who approved it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clearance {
    /// Who drafted the brief.
    #[serde(default)]
    pub drafted_by: Option<Signoff>,
    /// Who cleared it, one or more, in order; until someone has, the brief is a draft.
    #[serde(default)]
    pub cleared_by: Vec<Signoff>,
    /// Who approved it.
    #[serde(default)]
    pub approved_by: Option<Signoff>,
}

/// One step of the clearance: who, in what role, when.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Full name.
    pub name: String,
    /// Role or post, e.g. "Head of Department".
    #[serde(default)]
    pub role: Option<String>,
    /// When, ISO 8601 (YYYY-MM-DD); not after the brief's date unless `note` says why.
    #[schemars(extend("format" = "date"))]
    pub date: String,
    /// A remark printed with the step; required for a date after the brief's.
    #[serde(default)]
    pub note: Option<String>,
}
