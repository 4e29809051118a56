//! Judging what a source wrote: whether a number is printable and in line
//! with its series, and what a date in another format was meant to be.

use chrono::NaiveDate;

/// Numbers from this magnitude up are errors: a float has no more exact
/// digits to print.
pub(crate) const MAX_MAGNITUDE: f64 = 1e15;
/// Non-zero numbers below this magnitude are errors.
pub(crate) const MIN_MAGNITUDE: f64 = 1e-9;
/// A value at least this many times the median magnitude of the rest of its
/// series is warned of.
pub const OUTLIER_RATIO: f64 = 1000.0;

/// Why `v` is far out of line with `others` (at least two), if it is.
pub(crate) fn outlier(v: f64, others: &[f64]) -> Option<String> {
    if v < 0.0 && others.iter().all(|o| *o > 0.0) {
        return Some("the only negative value".into());
    }
    let mut magnitudes: Vec<f64> = others.iter().map(|o| o.abs()).collect();
    magnitudes.sort_by(f64::total_cmp);
    let n = magnitudes.len();
    let median = if n % 2 == 1 {
        magnitudes[n / 2]
    } else {
        (magnitudes[n / 2 - 1] + magnitudes[n / 2]) / 2.0
    };
    (median > 0.0 && v.abs() >= median * OUTLIER_RATIO)
        .then(|| format!("{:.0} times the median of the others ({median})", v.abs() / median))
}

/// A hint for a date that is not YYYY-MM-DD: the ISO form where the
/// source's reading is clear.
pub(crate) fn date_hint(text: &str) -> String {
    const ISO: &str = "write the year first, then month and day, with hyphens";
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    let numbers: Vec<Option<u32>> = parts.iter().map(|p| p.trim().parse::<u32>().ok()).collect();
    let iso = |y: u32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y as i32, m, d).map(|date| date.format("%Y-%m-%d").to_string())
    };
    let month_days = |y: u32, m: u32| {
        (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(y as i32, m, *d).is_some())
    };
    match (parts.as_slice(), numbers.as_slice()) {
        // Year first: 2026-4-8, 2026/04/08, or a day the month does not have.
        ([year, ..], [Some(y), Some(m), Some(d)]) if year.trim().len() == 4 => {
            if let Some(date) = iso(*y, *m, *d) {
                format!("did you mean `{date}`? (two digits for month and day)")
            } else if !(1..=12).contains(m) {
                format!("there is no month {m}; {ISO}")
            } else if let Some(last) = month_days(*y, *m) {
                format!("that month has {last} days")
            } else {
                ISO.into()
            }
        }
        // Year last: 14/04/2026 is unambiguous, 04/05/2026 is not.
        ([.., year], [Some(a), Some(b), Some(y)]) if year.trim().len() == 4 => {
            match (iso(*y, *b, *a), iso(*y, *a, *b)) {
                (Some(dmy), Some(mdy)) if dmy != mdy => {
                    format!("{ISO}: `{dmy}` (day first) or `{mdy}` (month first)")
                }
                (Some(date), _) | (None, Some(date)) => format!("{ISO}: `{date}`"),
                (None, None) => ISO.into(),
            }
        }
        _ => ISO.into(),
    }
}
