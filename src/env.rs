//! The environment of a run: everything that varies between runs, in one value.
//!
//! Tests build an `Env` with a fixed date and creation time, so their output is
//! exact; `main` builds one from the clock and `SOURCE_DATE_EPOCH`.

use chrono::NaiveDate;

use crate::text::FontBook;

/// Today's date, the creation time to stamp, and the fonts to use.
#[derive(Clone, Copy)]
pub struct Env {
    /// Today, for computed values such as days until the meeting.
    pub today: NaiveDate,
    /// Creation time written into PDFs, Unix seconds (`SOURCE_DATE_EPOCH`);
    /// `None` stamps each brief with its own date, see [`Env::created_for`].
    pub created: Option<i64>,
    /// The fonts.
    pub fonts: &'static FontBook,
}

impl Env {
    /// A fixed environment with the bundled fonts.
    pub fn fixed(today: NaiveDate, created: Option<i64>) -> Self {
        Env { today, created, fonts: FontBook::builtin() }
    }

    /// The creation time for a brief dated `date`: the run's, or else noon UTC
    /// of the brief's date, so rebuilding an unchanged brief gives the same bytes.
    pub fn created_for(&self, date: NaiveDate) -> i64 {
        self.created
            .unwrap_or_else(|| date.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp()))
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env").field("today", &self.today).field("created", &self.created).finish()
    }
}
