//! `brief` turns YAML briefing sources into PDF briefing notes.

pub mod charts;
pub mod frame;
pub mod model;
pub mod pdf;
pub mod text;
