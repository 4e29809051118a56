//! SDMX-CSV, 1.0 (`DATAFLOW` first) and 2.0 (`STRUCTURE`, `STRUCTURE_ID`,
//! `ACTION`): observations selected by dimension values, categories from
//! `TIME_PERIOD` or another dimension, values from `OBS_VALUE`, status
//! flags such as provisional kept as a note.

use std::collections::{BTreeMap, HashMap};

use brief_core::diag::Diagnostic;
use brief_core::figure::Series;

use crate::text::{Rows, rows};
use crate::{Spec, Table, number};

/// Names of the SDMX observation status code list (CL_OBS_STATUS), for the
/// note; a brief's `flags:` names them in its own language.
const STATUS: [(&str, &str); 12] = [
    ("B", "Break in series"),
    ("D", "Definition differs"),
    ("E", "Estimated"),
    ("F", "Forecast"),
    ("I", "Imputed"),
    ("K", "Confidential"),
    ("M", "Missing"),
    ("N", "Not significant"),
    ("P", "Provisional"),
    ("S", "Strike"),
    ("U", "Low reliability"),
    ("V", "Unvalidated"),
];

/// A cell's code: `AZ` of `AZ: Azerbaijan` (a file written with labels).
fn code(cell: &str) -> &str {
    let cell = cell.trim();
    cell.split_once(": ").map_or(cell, |(c, _)| c.trim())
}

pub(crate) fn read(shown: &str, spec: &Spec, bytes: &[u8]) -> Result<Table, Diagnostic> {
    let mut rows = rows(shown, bytes, spec.delimiter.as_deref(), true, false)?;
    // `FREQ: Frequency`: headers written with labels name the column by its id.
    for n in &mut rows.names {
        *n = code(n).to_string();
    }
    let layout = match rows.names.first().map(String::as_str) {
        Some("DATAFLOW") => 1,
        Some("STRUCTURE") => 2,
        first => {
            return Err(Diagnostic::error(
                shown,
                format!("this is not SDMX-CSV: the first column is `{}`", first.unwrap_or("")),
            )
            .expected("DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (2.0) as the first column")
            .hint("download the data as SDMX-CSV, or read it as plain CSV with `format: csv`"));
        }
    };
    let part = match layout {
        1 => rows.rows.first().map(|r| r.2[0].trim().to_string()),
        _ => {
            let id = rows.column("STRUCTURE_ID")?;
            rows.rows.first().map(|r| code(&r.2[id]).to_string())
        }
    };
    // The dataflow is printed in the figure's source line.
    if let (Some(p), Some(row)) = (&part, rows.rows.first())
        && let Some(why) = crate::unprintable(p, "dataflow")
    {
        return Err(rows.error(row, why).hint(crate::UNPRINTABLE_HINT));
    }
    let comma = crate::text::decimal_comma(shown, spec)?;
    let filter = columns(&rows, &spec.filter)?;
    let cat = rows.column(&spec.categories)?;
    let base: Vec<usize> = (0..rows.rows.len()).filter(|i| matches(&rows, *i, &filter)).collect();
    if base.is_empty() {
        return Err(nothing(&rows, &filter, &[], "the figure's `filter`"));
    }
    // The series: as listed, each with its own filter, or one per value of `series_by`.
    let mut wanted: Vec<(String, Filter, String)> = Vec::new();
    if let Some(by) = &spec.series_by {
        let col = rows.column(by)?;
        let mut seen: Vec<String> = Vec::new();
        for i in &base {
            let v = code(&rows.rows[*i].2[col]).to_string();
            if let Some(why) = crate::unprintable(&v, "series code") {
                return Err(rows.error(&rows.rows[*i], why).hint(crate::UNPRINTABLE_HINT));
            }
            if !seen.contains(&v) {
                seen.push(v);
            }
        }
        for v in seen {
            let name = spec.labels.get(&v).cloned().unwrap_or_else(|| v.clone());
            wanted.push((name, vec![(col, v)], "OBS_VALUE".into()));
        }
    }
    for s in &spec.series {
        let own = columns(&rows, &s.filter)?;
        wanted.push((s.name.clone(), own, s.values.clone().unwrap_or_else(|| "OBS_VALUE".into())));
    }
    if wanted.is_empty() {
        return Err(Diagnostic::error(shown, "no series named")
            .expected("`series:` (each may add a `filter:`), or `series_by:` a dimension"));
    }
    let status = rows.column("OBS_STATUS").ok();
    let unit_col = match &spec.unit_column {
        Some(u) => Some(rows.column(u)?),
        None => rows.column("UNIT_MEASURE").ok(),
    };
    // Category code → (series index → row).
    let mut found: Vec<HashMap<String, usize>> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut flagged: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut units = Vec::new();
    let mut series = Vec::new();
    for (name, own, value_col) in &wanted {
        let vcol = rows.column(value_col)?;
        let mut at: HashMap<String, usize> = HashMap::new();
        for &i in base.iter().filter(|i| matches(&rows, **i, own)) {
            let c = code(&rows.rows[i].2[cat]).to_string();
            if let Some(why) = crate::unprintable(&c, "category") {
                return Err(rows.error(&rows.rows[i], why).hint(crate::UNPRINTABLE_HINT));
            }
            if let Some(&first) = at.get(&c) {
                return Err(twice(&rows, &spec.categories, &c, name, first, i, &filter, own));
            }
            if !order.contains(&c) {
                order.push(c.clone());
            }
            at.insert(c, i);
        }
        if at.is_empty() {
            let mut all = filter.clone();
            all.extend(own.iter().cloned());
            return Err(nothing(&rows, &all, own, &format!("series `{name}`")));
        }
        found.push(at);
        series.push((name.clone(), vcol));
    }
    if spec.categories == "TIME_PERIOD" {
        order.sort();
    }
    let mut out = Vec::new();
    for ((name, vcol), at) in series.iter().zip(&found) {
        let mut values = Vec::with_capacity(order.len());
        for c in &order {
            let Some(&i) = at.get(c) else {
                values.push(None);
                continue;
            };
            let row = &rows.rows[i];
            let text = row.2[*vcol].trim();
            let v = if text.is_empty() || text == "NaN" || text == ":" {
                None
            } else {
                Some(number(text, comma).ok_or_else(|| {
                    rows.error(
                        row,
                        format!("\"{text}\" in column {} is not a number", rows.names[*vcol]),
                    )
                    .hint("an empty OBS_VALUE (or NaN) is a missing value")
                })?)
            };
            values.push(v);
            if let Some(s) = status {
                let flag = code(&row.2[s]).to_string();
                // A flag without a name in `flags:` is printed as it is.
                if let Some(why) = crate::unprintable(&flag, "status flag") {
                    return Err(rows.error(row, why).hint(crate::UNPRINTABLE_HINT));
                }
                if !flag.is_empty() && !flag.eq_ignore_ascii_case("A") {
                    let label = spec.labels.get(c).cloned().unwrap_or_else(|| c.clone());
                    let entry = flagged.entry(flag).or_default();
                    if !entry.contains(&label) {
                        entry.push(label);
                    }
                }
            }
            if let Some(u) = unit_col {
                units.push((code(&row.2[u]).to_string(), format!("line {}", row.0)));
            }
        }
        out.push(Series { name: name.clone(), values });
    }
    // A flag named "" in `flags:` is left out of the note.
    let notes = flagged
        .into_iter()
        .filter(|(flag, _)| spec.flags.get(flag).is_none_or(|n| !n.is_empty()))
        .map(|(flag, cats)| {
            let name = spec
                .flags
                .get(&flag)
                .cloned()
                .or_else(|| {
                    STATUS
                        .iter()
                        .find(|(c, _)| c.eq_ignore_ascii_case(&flag))
                        .map(|(_, n)| n.to_string())
                })
                .unwrap_or_else(|| format!("Flag {flag}"));
            format!("{name}: {}.", cats.join(", "))
        })
        .collect();
    let categories =
        order.iter().map(|c| spec.labels.get(c).cloned().unwrap_or_else(|| c.clone())).collect();
    Ok(Table { categories, series: out, notes, part, units, dated: None })
}

/// Columns and the code each must hold.
type Filter = Vec<(usize, String)>;

/// The columns of a filter, each checked to exist.
fn columns(
    rows: &Rows<'_>,
    filter: &BTreeMap<String, String>,
) -> Result<Vec<(usize, String)>, Diagnostic> {
    filter.iter().map(|(k, v)| Ok((rows.column(k)?, v.trim().to_string()))).collect()
}

fn matches(rows: &Rows<'_>, i: usize, filter: &[(usize, String)]) -> bool {
    filter.iter().all(|(col, v)| code(&rows.rows[i].2[*col]) == v)
}

/// No observation matches: the first dimension value that left none, and
/// the values that dimension has among the observations matching the rest before it.
fn nothing(
    rows: &Rows<'_>,
    filter: &[(usize, String)],
    _own: &[(usize, String)],
    whose: &str,
) -> Diagnostic {
    let mut left: Vec<usize> = (0..rows.rows.len()).collect();
    for (k, (col, v)) in filter.iter().enumerate() {
        let next: Vec<usize> =
            left.iter().copied().filter(|i| code(&rows.rows[*i].2[*col]) == v).collect();
        if next.is_empty() {
            let mut has: Vec<&str> = Vec::new();
            for i in &left {
                let c = code(&rows.rows[*i].2[*col]);
                if !has.contains(&c) {
                    has.push(c);
                }
            }
            let before: Vec<String> =
                filter[..k].iter().map(|(c, v)| format!("{}={v}", rows.names[*c])).collect();
            let among = if before.is_empty() {
                String::new()
            } else {
                format!(" with {}", before.join(", "))
            };
            let list = if has.len() > 12 {
                format!("{}, …", has[..12].join(", "))
            } else {
                has.join(", ")
            };
            let d = Diagnostic::error(
                rows.shown,
                format!("{whose}: no observation{among} has {}={v}", rows.names[*col]),
            )
            .expected(format!("{} is one of: {list}", rows.names[*col]));
            return match brief_core::diag::did_you_mean(v, has.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d,
            };
        }
        left = next;
    }
    Diagnostic::error(rows.shown, format!("{whose}: no observation matches"))
}

/// Two observations for one category of one series: the dimensions in
/// which they differ, to add to the filter.
#[allow(clippy::too_many_arguments)]
fn twice(
    rows: &Rows<'_>,
    dim: &str,
    c: &str,
    name: &str,
    first: usize,
    second: usize,
    filter: &[(usize, String)],
    own: &[(usize, String)],
) -> Diagnostic {
    let (a, b) = (&rows.rows[first], &rows.rows[second]);
    let fixed: Vec<usize> = filter.iter().chain(own).map(|(c, _)| *c).collect();
    let skip = [
        "OBS_VALUE",
        "OBS_STATUS",
        "OBS_FLAG",
        "OBS_CONF",
        "COMMENT_OBS",
        "DATAFLOW",
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
    ];
    let differ: Vec<usize> = (0..rows.names.len())
        .filter(|c| !fixed.contains(c) && !skip.contains(&rows.names[*c].as_str()))
        .filter(|c| code(&a.2[*c]) != code(&b.2[*c]))
        .collect();
    let d = rows.error(
        b,
        format!(
            "series `{name}` has a second observation for {dim} {c} (the first is on line {})",
            a.0
        ),
    );
    match differ.first() {
        Some(&k) => {
            let list: Vec<String> = differ
                .iter()
                .map(|c| format!("{} ({} and {})", rows.names[*c], code(&a.2[*c]), code(&b.2[*c])))
                .collect();
            d.expected(format!("one observation per {dim}; these differ in {}", list.join(", ")))
                .hint(format!(
                    "add the dimension to the filter, e.g. `{}: {}`",
                    rows.names[k],
                    code(&a.2[k])
                ))
        }
        None => d.hint("the file repeats an observation; remove the duplicate"),
    }
}
