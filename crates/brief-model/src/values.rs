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

/// A series' values, ready to tell which one is far out of line with the
/// others: their magnitudes sorted once, so judging every value of a long
/// series (a line chart of 100,000 points) is n log n, not n² log n.
pub(crate) struct Outliers {
    magnitudes: Vec<f64>,
    /// How many values are zero or negative.
    not_positive: usize,
}

impl Outliers {
    pub(crate) fn new(values: &[f64]) -> Self {
        let mut magnitudes: Vec<f64> = values.iter().map(|v| v.abs()).collect();
        magnitudes.sort_by(f64::total_cmp);
        Outliers { magnitudes, not_positive: values.iter().filter(|v| **v <= 0.0).count() }
    }

    /// Why `v`, one of the values, is far out of line with the others (at
    /// least two), if it is.
    pub(crate) fn why(&self, v: f64) -> Option<String> {
        if v < 0.0 && self.not_positive == 1 {
            return Some("the only negative value".into());
        }
        // The others, sorted: every magnitude but one equal to |v|.
        let at = self.magnitudes.partition_point(|m| m.total_cmp(&v.abs()).is_lt());
        let other = |i: usize| self.magnitudes[if i < at { i } else { i + 1 }];
        let n = self.magnitudes.len() - 1;
        let median =
            if n % 2 == 1 { other(n / 2) } else { (other(n / 2 - 1) + other(n / 2)) / 2.0 };
        (median > 0.0 && v.abs() >= median * OUTLIER_RATIO)
            .then(|| format!("{:.0} times the median of the others ({median})", v.abs() / median))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, value by value: the median of the others, sorted anew.
    fn naive(v: f64, others: &[f64]) -> Option<String> {
        if v < 0.0 && others.iter().all(|o| *o > 0.0) {
            return Some("the only negative value".into());
        }
        let mut m: Vec<f64> = others.iter().map(|o| o.abs()).collect();
        m.sort_by(f64::total_cmp);
        let n = m.len();
        let median = if n % 2 == 1 { m[n / 2] } else { (m[n / 2 - 1] + m[n / 2]) / 2.0 };
        (median > 0.0 && v.abs() >= median * OUTLIER_RATIO)
            .then(|| format!("{:.0} times the median of the others ({median})", v.abs() / median))
    }

    #[test]
    fn outliers_agree_with_the_median_of_the_others() {
        let sets: [&[f64]; 6] = [
            &[5.4, 3.6, 9000.0],
            &[5.4, 3.6, 4.0, 9000.0],
            &[1.0, 2.0, -3.0, 4.0],
            &[0.0, 0.0, 1.0, -1.0, 0.001],
            &[2.0, 2.0, 2.0, 2.0, 5000.0, 5000.0],
            &[1e-3, 7.0, 7.0, -7.0, 1e6, 0.5, 3.0],
        ];
        for values in sets {
            let outliers = Outliers::new(values);
            for (k, &v) in values.iter().enumerate() {
                let others: Vec<f64> =
                    values.iter().enumerate().filter(|o| o.0 != k).map(|o| *o.1).collect();
                assert_eq!(outliers.why(v), naive(v, &others), "{v} in {values:?}");
            }
        }
        assert!(Outliers::new(&[5.4, 3.6, 9000.0]).why(9000.0).is_some());
    }
}
