//! Validated figures: the data a chart is drawn from.

use serde::Serialize;

/// Most figures a brief may hold.
pub const MAX_FIGURES: usize = 200;
/// Most categories (data points) a figure may hold.
pub const MAX_CATEGORIES: usize = 1000;
/// Most series a figure may hold.
pub const MAX_SERIES: usize = 24;

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
}
