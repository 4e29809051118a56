//! The figure's values as the cartesian charts read them: safe indexing,
//! stack sums and the value range to show.

use brief_core::figure::{ChartKind, Figure};

/// The figure's values with safe indexing.
pub(crate) struct Data<'f> {
    pub(crate) fig: &'f Figure,
    pub(crate) n: usize,
}

impl<'f> Data<'f> {
    pub(crate) fn new(fig: &'f Figure) -> Self {
        Data { fig, n: fig.categories.len() }
    }

    pub(crate) fn k(&self) -> usize {
        self.fig.series.len()
    }

    /// Value `i` of series `s`; beyond ±1e300 (where axis arithmetic
    /// overflows) a value cannot be drawn and counts as missing.
    pub(crate) fn get(&self, s: usize, i: usize) -> Option<f64> {
        self.fig.series.get(s)?.values.get(i).copied().flatten().filter(|v| v.abs() <= 1e300)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.k()).flat_map(move |s| (0..self.n).filter_map(move |i| self.get(s, i)))
    }

    /// Sum of the positive and of the negative values of category `i`.
    pub(crate) fn stack_sums(&self, i: usize) -> (f64, f64) {
        (0..self.k())
            .filter_map(|s| self.get(s, i))
            .fold((0.0, 0.0), |(p, n), v| if v >= 0.0 { (p + v, n) } else { (p, n + v) })
    }

    /// The value range to show, or `None` when there is nothing to plot.
    pub(crate) fn extent(&self, kind: ChartKind) -> Option<(f64, f64)> {
        let (lo, hi) = if kind == ChartKind::Stacked {
            let sums: Vec<(f64, f64)> = (0..self.n)
                .filter(|&i| (0..self.k()).any(|s| self.get(s, i).is_some()))
                .map(|i| self.stack_sums(i))
                .collect();
            if sums.is_empty() {
                return None;
            }
            (
                sums.iter().map(|s| s.1).fold(0.0, f64::min),
                sums.iter().map(|s| s.0).fold(0.0, f64::max),
            )
        } else {
            let mut values = self.values().peekable();
            values.peek()?;
            values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
        };
        Some(if from_zero(kind, lo, hi) { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) })
    }
}

/// Bars and areas start at zero; lines too when they have negatives or
/// their values come close to zero anyway.
fn from_zero(kind: ChartKind, lo: f64, hi: f64) -> bool {
    kind != ChartKind::Line || lo < 0.0 || lo <= hi * 0.3
}
