//! The vocabulary the stages share and none owns: what one stage hands the
//! next, and the services every stage calls.
//!
//! - [`diag`]: located diagnostics, the error type of every stage.
//! - [`figure`]: chart data, from the model to the charts.
//! - [`document`]: what render hands layout ([`document::Rendered`]).
//! - [`style`]: page settings.
//! - [`frame`]: positioned page items, what layout hands the PDF writer.
//! - [`text`]: fonts, fallback, shaping and bidi.
//! - [`locale`]: wording and CLDR formats of each language.
//! - [`address`]: e-mail address syntax, for the model's check and for sending.
//! - [`hash`]: stable digests.
//! - [`yaml`]: YAML with the place of every node, checked against a schema.

pub mod address;
pub mod diag;
pub mod document;
pub mod escape;
pub mod figure;
pub mod frame;
pub mod hash;
pub mod locale;
pub mod style;
pub mod text;
pub mod yaml;
