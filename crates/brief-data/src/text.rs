//! CSV and TSV: any delimiter (found from the header line unless given),
//! a header row or numbered columns, quoted fields, a BOM, decimal commas.

use brief_core::diag::{Diagnostic, Span};
use brief_core::figure::Series;

use crate::{DataFormat, MAX_ROWS, Spec, Table, number, unknown};

/// A delimited file read into rows: its header's names and its records,
/// each with its line.
pub(crate) struct Rows<'a> {
    pub shown: &'a str,
    pub text: &'a str,
    pub names: Vec<String>,
    pub rows: Vec<(usize, usize, Vec<String>)>,
}

impl Rows<'_> {
    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Result<usize, Diagnostic> {
        self.names
            .iter()
            .position(|n| n == name)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
            .ok_or_else(|| unknown(self.shown, "column", name, &self.names))
    }

    /// An error at a record's line.
    pub fn error(
        &self,
        row: &(usize, usize, Vec<String>),
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, byte) = (row.0, row.1);
        let rest = self.text.get(byte..).unwrap_or("");
        let text = rest.split(['\n', '\r']).next().unwrap_or("").to_string();
        let len = text.chars().count().max(1);
        Diagnostic::error(self.shown, message).at(Some(Span { line, col: 1, len, text }))
    }
}

/// Splits delimited text into rows. `header` false numbers the columns
/// from 1.
pub(crate) fn rows<'a>(
    shown: &'a str,
    bytes: &'a [u8],
    delimiter: Option<&str>,
    header: bool,
    tsv: bool,
) -> Result<Rows<'a>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::error(shown, format!("line {line} is not UTF-8 text"))
            .expected("a CSV file saved as UTF-8")
            .hint("save it again as \"CSV UTF-8\"")
    })?;
    let delimiter = match delimiter {
        Some(d) => {
            let d = if d == "\\t" || d.eq_ignore_ascii_case("tab") { "\t" } else { d };
            match d.as_bytes() {
                [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => *b,
                _ => {
                    return Err(Diagnostic::error(shown, format!("`{d}` cannot be a delimiter"))
                        .expected("one character such as `,`, `;`, `|` or `tab`"));
                }
            }
        }
        None if tsv => b'\t',
        None => sniff(text),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut all = Vec::new();
    // Lines counted from the byte offsets, as they go: in a file with CRLF
    // line ends (Windows) the reader puts a record's start at the line feed
    // before it, and its own line count is one short.
    let start = |byte: u64| {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        byte + usize::from(text.as_bytes().get(byte) == Some(&b'\n'))
    };
    let (mut counted, mut line) = (0, 1);
    let mut line_at = |byte: usize| {
        if byte > counted {
            line += text.as_bytes()[counted..byte].iter().filter(|b| **b == b'\n').count();
            counted = byte;
        }
        line
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(start(p.byte())));
            Diagnostic::error(shown, format!("line {line}: {e}"))
        })?;
        let (line, byte) =
            record.position().map(|p| start(p.byte())).map_or((0, 0), |b| (line_at(b), b));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if all.len() >= MAX_ROWS {
            return Err(Diagnostic::error(shown, format!("more than {MAX_ROWS} rows"))
                .hint("export only the rows the figure needs"));
        }
        all.push((line, byte, record.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    let names: Vec<String> = if header {
        if all.is_empty() {
            return Err(Diagnostic::error(shown, "the file is empty")
                .expected("a header line naming the columns"));
        }
        all.remove(0).2.into_iter().map(|n| n.trim().to_string()).collect()
    } else {
        let width = all.first().map_or(0, |r| r.2.len());
        (1..=width).map(|i| i.to_string()).collect()
    };
    let out = Rows { shown, text, names, rows: all };
    for row in &out.rows {
        if row.2.len() != out.names.len() {
            let what = if header { "the header has" } else { "the first line has" };
            let n = row.2.len();
            return Err(out
                .error(row, format!("{n} field{}, {what} {}", if n == 1 { "" } else { "s" }, out.names.len()))
                .hint("a field with the delimiter in it must be quoted; check for a missing or extra delimiter"));
        }
    }
    Ok(out)
}

/// The delimiter of the first line that has one, outside quotes: the most
/// frequent of comma, semicolon, tab and bar; a comma if none.
fn sniff(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = candidates.iter().position(|c| *c == b) {
            counts[i] += 1;
        }
    }
    let best = (0..4).max_by_key(|i| (counts[*i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 { b',' } else { candidates[best] }
}

/// Reads categories and series from columns named in the header (or
/// numbered from 1 without one).
pub(crate) fn read(
    shown: &str,
    spec: &Spec,
    bytes: &[u8],
    format: DataFormat,
) -> Result<Table, Diagnostic> {
    let rows = rows(
        shown,
        bytes,
        spec.delimiter.as_deref(),
        spec.header != Some(false),
        format == DataFormat::Tsv,
    )?;
    let comma = decimal_comma(shown, spec)?;
    let cat = rows.column(&spec.categories)?;
    if spec.series.is_empty() {
        return Err(Diagnostic::error(shown, "no series named")
            .expected("`series:` with `- name: …` and `values: COLUMN`"));
    }
    let mut series = Vec::new();
    for s in &spec.series {
        let Some(col) = &s.values else {
            return Err(Diagnostic::error(shown, format!("series `{}` names no column", s.name))
                .expected("`values:` naming the column of its values"));
        };
        let col = rows.column(col)?;
        let mut values = Vec::with_capacity(rows.rows.len());
        for row in &rows.rows {
            let text = row.2[col].trim();
            if text.is_empty() {
                values.push(None);
                continue;
            }
            match number(text, comma) {
                Some(v) => values.push(Some(v)),
                None => {
                    let hint = if !comma && text.contains(',') && number(text, true).is_some() {
                        "if the file writes decimal commas, add `decimal: \",\"` under `data:`"
                    } else {
                        "leave the field empty for a missing value, or fix it"
                    };
                    return Err(rows
                        .error(
                            row,
                            format!("\"{text}\" in column {} is not a number", rows.names[col]),
                        )
                        .hint(hint));
                }
            }
        }
        series.push(Series { name: s.name.clone(), values });
    }
    let mut categories = Vec::with_capacity(rows.rows.len());
    for row in &rows.rows {
        let c = row.2[cat].trim();
        if c.is_empty() {
            return Err(
                rows.error(row, format!("the category (column {}) is empty", rows.names[cat]))
            );
        }
        if let Some(why) = crate::unprintable(c, "category") {
            return Err(rows.error(row, why).hint(crate::UNPRINTABLE_HINT));
        }
        categories.push(spec.labels.get(c).cloned().unwrap_or_else(|| c.to_string()));
    }
    let units = match &spec.unit_column {
        Some(u) => {
            let col = rows.column(u)?;
            rows.rows
                .iter()
                .map(|r| (r.2[col].trim().to_string(), format!("line {}", r.0)))
                .collect()
        }
        None => Vec::new(),
    };
    Ok(Table { categories, series, notes: Vec::new(), part: None, units, dated: None })
}

/// Whether `decimal: ","` was written.
pub(crate) fn decimal_comma(shown: &str, spec: &Spec) -> Result<bool, Diagnostic> {
    match spec.decimal.as_deref() {
        None | Some(".") => Ok(false),
        Some(",") => Ok(true),
        Some(other) => {
            Err(Diagnostic::error(shown, format!("`decimal: {other}` is not a decimal separator"))
                .expected("\".\" or \",\""))
        }
    }
}
