//! Validated figures: the data a chart is drawn from.

use serde::Serialize;

/// Most figures a brief may hold.
pub const MAX_FIGURES: usize = 200;
/// Most categories (data points) a figure may hold, but for a line chart.
pub const MAX_CATEGORIES: usize = 1000;
/// Most categories of a line chart: a long series (daily values over
/// decades, a sensor's log) is drawn reduced to about two points per point
/// of the plot's width, its first, last, lowest and highest values kept, and
/// described from every value. 100,000 is 270 years of days: past it the data
/// is no longer a figure for a brief but a data set, and reading, checking and
/// recording it would cost more than the rest of the build.
pub const MAX_LINE_POINTS: usize = 100_000;
/// Most series a figure may hold.
pub const MAX_SERIES: usize = 24;
/// Most categories of a pie: past this, more than two thirds of its slices
/// would be grouped into "Other" (a pie draws ten), and a table says more.
pub const MAX_PIE_CATEGORIES: usize = 30;
/// Most categories of a horizontal bar chart: each bar carries its name
/// beside it, and past this the names no longer fit a page's chart.
pub const MAX_HBAR_CATEGORIES: usize = 40;

/// A chart kind: the one definition, which the source format, the model and
/// charts all use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// Vertical columns.
    Bar,
    /// Horizontal bars.
    Hbar,
    /// Lines.
    Line,
    /// Filled areas.
    Area,
    /// Stacked columns.
    Stacked,
    /// Shares of a whole.
    Pie,
}

impl ChartKind {
    /// Every kind, in the order the format lists them.
    pub const ALL: [ChartKind; 6] =
        [Self::Bar, Self::Hbar, Self::Line, Self::Area, Self::Stacked, Self::Pie];
}

/// One named row of values, one per category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values, finite; `None` is a missing value, drawn as a gap.
    pub values: Vec<Option<f64>>,
}

/// A figure, validated: ids well formed and unique, every series as long as
/// `categories`, every value finite.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Unique id, `[a-z0-9-]+`.
    pub id: String,
    /// Chart title.
    pub title: String,
    /// Chart kind.
    pub kind: ChartKind,
    /// Unit for the value axis and labels.
    pub unit: Option<String>,
    /// Category labels.
    pub categories: Vec<String>,
    /// One or more series.
    pub series: Vec<Series>,
    /// Source line, printed under the chart.
    pub source: Option<String>,
    /// Note, printed under the chart.
    pub note: Option<String>,
    /// Alternate text for readers who cannot see the chart; generated from
    /// the data when absent.
    pub alt: Option<String>,
    /// The file the data was read from, when it was (`data:`): recorded in
    /// the embedded source with the file's SHA-256.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Origin>,
}

/// Where a figure's data was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// The file, as the brief names it.
    pub file: String,
    /// The sheet, or the SDMX dataflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The source line made from them, `trade.xlsx (Turnover)`, printed
    /// when the figure has no `source:` of its own.
    #[serde(skip)]
    pub source: String,
}

/// A figure's data as read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileData {
    /// Category labels.
    pub categories: Vec<String>,
    /// The series, each as long as `categories`.
    pub series: Vec<Series>,
    /// Sentences for the figure's note (an SDMX status flag: "Provisional: 2021.").
    pub notes: Vec<String>,
    /// Where it came from.
    pub origin: Origin,
}
