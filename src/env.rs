//! The environment of a run: everything that varies between runs, in one value.
//!
//! Tests build an `Env` with a fixed date and creation time, so their output is
//! exact; `main` builds one from the clock and `SOURCE_DATE_EPOCH`.

use std::ffi::OsStr;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::text::FontBook;

/// The latest creation time both a PDF date and a mail Date header can
/// hold: 9999-12-31T23:59:59Z.
pub(crate) const MAX_CREATED: i64 = 253_402_300_799;

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

    /// The creation time `SOURCE_DATE_EPOCH` (its `value`, if set) asks for:
    /// `None` when unset or empty, an error naming the variable and its value
    /// when it is not whole seconds from 0 to `MAX_CREATED`. A bad value is
    /// never ignored: builds would then carry a different date than asked.
    pub fn source_date_epoch(value: Option<&OsStr>) -> Result<Option<i64>, Diagnostic> {
        let Some(value) = value.filter(|v| !v.is_empty()) else { return Ok(None) };
        let text = value.to_string_lossy();
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|secs| (0..=MAX_CREATED).contains(secs))
            .map(Some)
            .ok_or_else(|| {
                Diagnostic::error(
                    "SOURCE_DATE_EPOCH",
                    format!("SOURCE_DATE_EPOCH is `{text}`, which is not a creation time"),
                )
                .expected(format!(
                    "whole seconds since 1970-01-01 00:00 UTC, as `date +%s` prints, \
                     from 0 to {MAX_CREATED} (the end of 9999)"
                ))
                .hint("fix or unset it; unset, each brief is stamped with its own date")
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(value: &str) -> Result<Option<i64>, Diagnostic> {
        Env::source_date_epoch(Some(OsStr::new(value)))
    }

    #[test]
    fn source_date_epoch_is_whole_seconds_in_range() {
        assert_eq!(Env::source_date_epoch(None), Ok(None));
        assert_eq!(epoch(""), Ok(None));
        assert_eq!(epoch("0"), Ok(Some(0)));
        assert_eq!(epoch(" 1625486400\n"), Ok(Some(1_625_486_400)));
        assert_eq!(epoch("253402300799"), Ok(Some(MAX_CREATED)));
        for bad in ["abc", "1.5", "-1", "253402300800", "99999999999999999999"] {
            let d = epoch(bad).unwrap_err();
            assert!(d.message.contains(&format!("SOURCE_DATE_EPOCH is `{bad}`")), "{d:?}");
            assert_eq!(d.file, "SOURCE_DATE_EPOCH");
        }
    }
}
