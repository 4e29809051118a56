//! Validation: raw source → checked domain model, every problem collected at once.

pub mod figure;

pub use figure::{ChartKind, Figure, Series};
