//! How much a figure may hold: categories and series, fewer categories for
//! the kinds that name each one (pies, horizontal bars), many more for a
//! line chart, which draws a long series reduced.

use super::{Validator, raw};
use brief_core::figure::{self, ChartKind};

impl Validator<'_> {
    pub(super) fn figure_size(&mut self, path: &str, f: &raw::Figure) {
        let line = f.kind == Some(ChartKind::Line);
        let most = if line { figure::MAX_LINE_POINTS } else { figure::MAX_CATEGORIES };
        let limits = [
            ("categories", f.categories.len(), most),
            ("series", f.series.len(), figure::MAX_SERIES),
        ];
        let kind_limit = match f.kind {
            Some(ChartKind::Pie) => Some(("a pie", figure::MAX_PIE_CATEGORIES)),
            Some(ChartKind::Hbar) => Some(("a horizontal bar chart", figure::MAX_HBAR_CATEGORIES)),
            _ => None,
        };
        if let Some((what, max)) = kind_limit.filter(|(_, max)| f.categories.len() > *max) {
            let d = self.index.error(
                &format!("{path}.categories[{max}]"),
                format!(
                    "{what} of {} categories cannot name each of them legibly",
                    f.categories.len()
                ),
            );
            self.diags.push(d.expected(format!("at most {max} categories for {what}")).hint(
                "show the figures as a table, use `bar` or `line` for a long sequence, \
                 or group the smallest categories into one",
            ));
        }
        for (field, len, max) in limits {
            if len > max {
                let read = f.data.as_ref().map(|d| format!(" ({len} read from {})", d.file));
                let message = format!("more than {max} {field}{}", read.unwrap_or_default());
                let d = self.index.error(&format!("{path}.{field}[{max}]"), message);
                let hint = if field == "categories" && !line && len <= figure::MAX_LINE_POINTS {
                    "a chart is read at a glance: aggregate the data, or draw the long sequence as `kind: line` (up to 100000 points)"
                } else {
                    "a chart is read at a glance: aggregate the data, or split it into several figures"
                };
                self.diags.push(d.expected(format!("at most {max} {field}")).hint(hint));
            }
        }
    }
}
