//! XLSX and ODS through calamine: a sheet, then cell ranges (`A2:A9`) or
//! columns named in a header row. Formulas are read as the values the
//! spreadsheet program saved with them; a formula saved without one is an
//! error, never a zero. Dates become category labels in the brief's language.

use std::io::Cursor;

use brief_core::diag::Diagnostic;
use brief_core::figure::Series;
use calamine::{Data, Range, Reader, Sheets};

use crate::{Context, DataFormat, MAX_CELLS, MAX_UNZIPPED, Spec, Table, number, unknown};

/// Cells of a sheet: a category or value cell and where it is.
type At = (u32, u32);

pub(crate) fn read(
    shown: &str,
    spec: &Spec,
    bytes: &[u8],
    format: DataFormat,
    cx: Context<'_>,
) -> Result<Table, Diagnostic> {
    let kind = if format == DataFormat::Ods { "ODS" } else { "XLSX" };
    unzipped_size(shown, bytes, kind)?;
    let damaged = |e: String| {
        Diagnostic::error(shown, format!("cannot read the file as {kind} ({e})"))
            .hint("it may be half-written, damaged or of another format: save it again from the spreadsheet program and close it")
    };
    let cursor = Cursor::new(bytes);
    let mut book: Sheets<Cursor<&[u8]>> = match format {
        DataFormat::Ods => {
            Sheets::Ods(calamine::Ods::new(cursor).map_err(|e| damaged(e.to_string()))?)
        }
        _ => Sheets::Xlsx(calamine::Xlsx::new(cursor).map_err(|e| damaged(e.to_string()))?),
    };
    let names = book.sheet_names();
    let sheet = match &spec.sheet {
        Some(s) => names
            .iter()
            .find(|n| *n == s)
            .cloned()
            .ok_or_else(|| unknown(shown, "sheet", s, &names))?,
        None => names.first().cloned().ok_or_else(|| damaged("it has no sheet".into()))?,
    };
    // The sheet's name is printed in the figure's source line.
    if let Some(why) = crate::unprintable(&sheet, &format!("name of the sheet `{sheet}`")) {
        return Err(Diagnostic::error(shown, why)
            .hint("rename the sheet in the spreadsheet program, without the invisible character"));
    }
    let range = book.worksheet_range(&sheet).map_err(|e| damaged(e.to_string()))?;
    let (h, w) = range.get_size();
    if (h as u64) * (w as u64) > MAX_CELLS {
        return Err(Diagnostic::error(
            shown,
            format!("sheet {sheet} spans {h} rows by {w} columns, more than {MAX_CELLS} cells"),
        )
        .hint("copy the figure's cells to a sheet of their own"));
    }
    let mut s = Sheet { shown, sheet: &sheet, range, formulas: None, book: &mut book, cx };
    let (cat_cells, value_cells) = s.cells(spec)?;
    let mut categories = Vec::with_capacity(cat_cells.len());
    for at in &cat_cells {
        let label = s.category(*at)?;
        if let Some(why) = crate::unprintable(&label, "category") {
            return Err(s.error(*at, why).hint(crate::UNPRINTABLE_HINT));
        }
        categories.push(spec.labels.get(&label).cloned().unwrap_or(label));
    }
    let mut series = Vec::new();
    for (spec_s, cells) in spec.series.iter().zip(value_cells) {
        let mut values = Vec::with_capacity(cells.len());
        for at in cells {
            values.push(s.value(at)?);
        }
        series.push(Series { name: spec_s.name.clone(), values });
    }
    let units = match &spec.unit_column {
        Some(u) => {
            let col = s.header_column(spec, u)?;
            cat_cells
                .iter()
                .map(|(r, _)| {
                    let at = (*r, col);
                    (s.text(at), format!("sheet {sheet}, {}", a1(at)))
                })
                .collect()
        }
        None => Vec::new(),
    };
    let dated = made_on(bytes, format);
    Ok(Table { categories, series, notes: Vec::new(), part: Some(sheet.clone()), units, dated })
}

/// Largest metadata part read (`docProps/core.xml`, `meta.xml`): a few
/// hundred bytes in files Excel, LibreOffice or openpyxl write.
const MAX_META: u64 = 64 * 1024;

/// The date the workbook says it was last saved: XLSX `dcterms:modified`
/// in `docProps/core.xml`, ODS `dc:date` in `meta.xml`, else when it was
/// made (`dcterms:created`, `meta:creation-date`). `None` when the file
/// says nothing readable: a figure's source line then gives no date, since
/// the file system's time would differ from copy to copy.
pub(crate) fn made_on(bytes: &[u8], format: DataFormat) -> Option<chrono::NaiveDate> {
    use std::io::Read;
    let (part, tags): (&str, [&str; 2]) = match format {
        DataFormat::Ods => ("meta.xml", ["dc:date", "meta:creation-date"]),
        _ => ("docProps/core.xml", ["dcterms:modified", "dcterms:created"]),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let file = zip.by_name(part).ok()?;
    if file.size() > MAX_META {
        return None;
    }
    let mut xml = String::new();
    file.take(MAX_META).read_to_string(&mut xml).ok()?;
    tags.iter().find_map(|tag| element_date(&xml, tag))
}

/// The date at the start of the text of the first `<tag …>…</tag>`, as
/// W3CDTF writes it (`2021-07-05T10:00:00Z`).
fn element_date(xml: &str, tag: &str) -> Option<chrono::NaiveDate> {
    let open = format!("<{tag}");
    let start = xml
        .match_indices(&open)
        .map(|(i, _)| i + open.len())
        .find(|&i| xml[i..].starts_with(['>', ' ', '\t', '\n', '\r']))?;
    let body = &xml[start..];
    let text = &body[body.find('>')? + 1..];
    let text = text[..text.find('<')?].trim();
    chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// The declared sizes of the zip's parts, before calamine inflates any:
/// a small file that unzips to gigabytes is refused here.
fn unzipped_size(shown: &str, bytes: &[u8], kind: &str) -> Result<(), Diagnostic> {
    let damaged = |e: String| {
        Diagnostic::error(shown, format!("cannot read the file as {kind} ({e})"))
            .hint("it may be half-written, damaged or of another format: save it again from the spreadsheet program and close it")
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| damaged(e.to_string()))?;
        // zip stops each part at its declared size, so the declared
        // total bounds what calamine inflates.
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNZIPPED {
        return Err(Diagnostic::error(
            shown,
            format!("the {kind} file unzips to {total} bytes, more than the 512 MiB limit"),
        )
        .hint("copy the figure's cells to a smaller workbook"));
    }
    Ok(())
}

struct Sheet<'a> {
    shown: &'a str,
    sheet: &'a str,
    range: Range<Data>,
    formulas: Option<Range<String>>,
    book: &'a mut Sheets<Cursor<&'a [u8]>>,
    cx: Context<'a>,
}

impl Sheet<'_> {
    fn error(&self, at: At, message: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::error(self.shown, format!("sheet {}, {}: {message}", self.sheet, a1(at)))
    }

    fn get(&self, at: At) -> &Data {
        self.range.get_value(at).unwrap_or(&Data::Empty)
    }

    /// The cells of the categories and of each series' values.
    fn cells(&mut self, spec: &Spec) -> Result<(Vec<At>, Vec<Vec<At>>), Diagnostic> {
        if spec.series.is_empty() {
            return Err(Diagnostic::error(self.shown, "no series named")
                .expected("`series:` with `- name: …` and `values:` a cell range or column name"));
        }
        if let Some(cats) = parse_range(&spec.categories) {
            let cats = self.line(&spec.categories, cats)?;
            let mut all = Vec::new();
            for s in &spec.series {
                let Some(v) = &s.values else {
                    return Err(Diagnostic::error(
                        self.shown,
                        format!("series `{}` names no cells", s.name),
                    )
                    .expected("`values:` a cell range such as B2:B9"));
                };
                let Some(r) = parse_range(v) else {
                    return Err(Diagnostic::error(
                        self.shown,
                        format!("`{v}` is not a cell range"),
                    )
                    .expected("a range such as B2:B9, as the categories are given as one"));
                };
                let cells = self.line(v, r)?;
                if cells.len() != cats.len() {
                    return Err(Diagnostic::error(
                        self.shown,
                        format!(
                            "series `{}`: {v} holds {} cells for {} categories ({})",
                            s.name,
                            cells.len(),
                            cats.len(),
                            spec.categories
                        ),
                    )
                    .hint("give ranges of the same length"));
                }
                all.push(cells);
            }
            return Ok((cats, all));
        }
        // Columns named in the header row; rows down to the last category.
        let cat_col = self.header_column(spec, &spec.categories)?;
        let header = self.header_row(spec);
        let end = self.range.end().map_or(0, |e| e.0);
        let mut cols = Vec::new();
        for s in &spec.series {
            let Some(v) = &s.values else {
                return Err(Diagnostic::error(
                    self.shown,
                    format!("series `{}` names no column", s.name),
                )
                .expected("`values:` the name of a column in the header row"));
            };
            cols.push(self.header_column(spec, v)?);
        }
        let mut rows: Vec<u32> = Vec::new();
        for r in header + 1..=end {
            let blank = |c: u32| matches!(self.get((r, c)), Data::Empty);
            if blank(cat_col) {
                if let Some(c) = cols.iter().find(|c| !blank(**c)) {
                    return Err(self
                        .error((r, *c), "a value without a category")
                        .hint(format!("fill in {} or clear the row", a1((r, cat_col)))));
                }
                continue;
            }
            rows.push(r);
        }
        if rows.is_empty() {
            return Err(self.error((header, cat_col), "no rows below the header"));
        }
        let cats = rows.iter().map(|r| (*r, cat_col)).collect();
        let all = cols.iter().map(|c| rows.iter().map(|r| (*r, *c)).collect()).collect();
        Ok((cats, all))
    }

    fn header_row(&self, spec: &Spec) -> u32 {
        spec.header_row
            .map(|r| r.saturating_sub(1))
            .unwrap_or_else(|| self.range.start().map_or(0, |s| s.0))
    }

    /// The column whose header cell reads `name`.
    fn header_column(&self, spec: &Spec, name: &str) -> Result<u32, Diagnostic> {
        let row = self.header_row(spec);
        let (start, end) =
            (self.range.start().map_or(0, |s| s.1), self.range.end().map_or(0, |e| e.1));
        let names: Vec<String> = (start..=end).map(|c| self.text((row, c))).collect();
        names
            .iter()
            .position(|n| n == name)
            .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(name)))
            .map(|i| start + i as u32)
            .ok_or_else(|| {
                let mut d = unknown(self.shown, "column", name, &names);
                d.message = format!("sheet {}, row {}: {}", self.sheet, row + 1, d.message);
                d
            })
    }

    /// The cells of a one-row or one-column range.
    fn line(&self, written: &str, (a, b): (At, At)) -> Result<Vec<At>, Diagnostic> {
        let (r0, r1) = (a.0.min(b.0), a.0.max(b.0));
        let (c0, c1) = (a.1.min(b.1), a.1.max(b.1));
        if r0 != r1 && c0 != c1 {
            return Err(Diagnostic::error(
                self.shown,
                format!("`{written}` spans several rows and columns"),
            )
            .expected("one column (A2:A9) or one row (B1:H1)"));
        }
        let n = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if n > MAX_CELLS {
            return Err(Diagnostic::error(
                self.shown,
                format!("`{written}` holds {n} cells, more than {MAX_CELLS}"),
            ));
        }
        Ok((r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (r, c))).collect())
    }

    /// A cell as text, for headers and units.
    fn text(&self, at: At) -> String {
        match self.get(at) {
            Data::String(s) => s.trim().to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    /// Whether the cell holds a formula (read only when an empty value asks).
    fn formula(&mut self, at: At) -> Option<String> {
        if self.formulas.is_none() {
            self.formulas = Some(self.book.worksheet_formula(self.sheet).unwrap_or_default());
        }
        self.formulas.as_ref()?.get_value(at).filter(|f| !f.is_empty()).cloned()
    }

    fn empty(&mut self, at: At) -> Result<(), Diagnostic> {
        match self.formula(at) {
            Some(f) => Err(self.error(at, format!("the formula ={f} has no saved value")).hint(
                "open the file in the spreadsheet program, let it calculate, and save it: the value shown is read, never the formula",
            )),
            None => Ok(()),
        }
    }

    fn value(&mut self, at: At) -> Result<Option<f64>, Diagnostic> {
        let fix = "leave the cell empty for a missing value, or fix the cell";
        match self.get(at).clone() {
            Data::Int(i) => Ok(Some(i as f64)),
            Data::Float(f) if f.is_finite() => Ok(Some(f)),
            Data::Float(f) => Err(self.error(at, format!("{f} is not a finite number"))),
            Data::Empty => self.empty(at).map(|()| None),
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => match number(&s, false) {
                Some(v) => Ok(Some(v)),
                None => Err(self.error(at, format!("\"{}\" is not a number", s.trim())).hint(fix)),
            },
            Data::Error(e) => {
                Err(self.error(at, format!("the cell holds the error {e}")).hint(fix))
            }
            Data::Bool(b) => Err(self
                .error(at, format!("{} is not a number", if b { "TRUE" } else { "FALSE" }))
                .hint(fix)),
            Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Err(self
                .error(at, "a date or time is not a number")
                .hint("point `values:` at the cells of numbers")),
        }
    }

    fn category(&mut self, at: At) -> Result<String, Diagnostic> {
        let date = |d: chrono::NaiveDate| brief_core::locale::date(d, self.cx.language);
        match self.get(at).clone() {
            Data::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Data::Int(i) => Ok(i.to_string()),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(format!("{f:.0}")),
            Data::Float(f) => Ok(f.to_string()),
            Data::Bool(b) => Ok(if b { "TRUE" } else { "FALSE" }.into()),
            Data::DateTime(d) => match d.as_datetime().filter(|_| d.is_datetime()) {
                Some(dt) => Ok(date(dt.date())),
                None => Err(self.error(at, "a duration cannot be a category")),
            },
            Data::DateTimeIso(s) => {
                chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d")
                    .map(date)
                    .map_err(|_| self.error(at, format!("\"{s}\" is not a date")))
            }
            Data::DurationIso(_) => Err(self.error(at, "a duration cannot be a category")),
            Data::Error(e) => Err(self.error(at, format!("the cell holds the error {e}"))),
            Data::Empty | Data::String(_) => {
                self.empty(at)?;
                Err(self.error(at, "the category is empty").hint("every category needs a label"))
            }
        }
    }
}

/// `B2:B9` as 0-based (row, column) corners; `B2` alone is one cell.
fn parse_range(text: &str) -> Option<(At, At)> {
    let text = text.trim().replace('$', "");
    let (a, b) = text.split_once(':').unwrap_or((&text, &text));
    Some((cell(a)?, cell(b)?))
}

fn cell(text: &str) -> Option<At> {
    let letters: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &text[letters.len()..];
    if letters.is_empty()
        || letters.len() > 3
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let col =
        letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
            - 1;
    let row: u32 = digits.parse().ok().filter(|r| *r >= 1 && *r <= 1_048_576)?;
    (col < 16_384).then_some((row - 1, col))
}

/// (row, column) as `C7`.
pub(crate) fn a1((row, col): At) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses_read_and_print_alike() {
        for (text, at) in [
            ("A1", (0, 0)),
            ("C7", (6, 2)),
            ("Z10", (9, 25)),
            ("AA1", (0, 26)),
            ("XFD3", (2, 16_383)),
        ] {
            assert_eq!(cell(text), Some(at), "{text}");
            assert_eq!(a1(at), text);
        }
        assert_eq!(parse_range("$B$2:$B$9"), Some(((1, 1), (8, 1))));
        for bad in ["A0", "Turnover", "1A", "A", "XFE1", "A1048577"] {
            assert_eq!(cell(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod dates {
    use super::*;
    use std::io::Write;

    fn zipped(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn day(y: i32, m: u32, d: u32) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn a_workbook_is_dated_by_its_own_metadata() {
        // As openpyxl and Excel write docProps/core.xml: modified wins over created.
        let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>openpyxl</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2021-06-01T08:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2021-07-05T10:30:00Z</dcterms:modified></cp:coreProperties>"#;
        let xlsx = zipped(&[("docProps/core.xml", core)]);
        assert_eq!(made_on(&xlsx, DataFormat::Xlsx), day(2021, 7, 5));
        let created_only = core.replace("dcterms:modified", "dcterms:other");
        let xlsx = zipped(&[("docProps/core.xml", &created_only)]);
        assert_eq!(made_on(&xlsx, DataFormat::Xlsx), day(2021, 6, 1));
        // LibreOffice's meta.xml.
        let meta = r#"<office:document-meta><office:meta><meta:creation-date>2020-01-02T03:04:05.6</meta:creation-date><dc:date>2021-03-04T05:06:07.8</dc:date></office:meta></office:document-meta>"#;
        assert_eq!(made_on(&zipped(&[("meta.xml", meta)]), DataFormat::Ods), day(2021, 3, 4));
        let created = meta.replace("<dc:date>2021-03-04T05:06:07.8</dc:date>", "");
        assert_eq!(made_on(&zipped(&[("meta.xml", &created)]), DataFormat::Ods), day(2020, 1, 2));
    }

    #[test]
    fn no_readable_date_is_no_date() {
        assert_eq!(made_on(&zipped(&[("xl/workbook.xml", "<workbook/>")]), DataFormat::Xlsx), None);
        let bad = "<dcterms:modified>yesterday</dcterms:modified>";
        assert_eq!(made_on(&zipped(&[("docProps/core.xml", bad)]), DataFormat::Xlsx), None);
        // A longer tag sharing the prefix is not the element.
        let other = "<dcterms:modifiedBy>2021-01-01</dcterms:modifiedBy>";
        assert_eq!(made_on(&zipped(&[("docProps/core.xml", other)]), DataFormat::Xlsx), None);
        let huge = format!("<dcterms:modified>2021-01-01</dcterms:modified>{}", " ".repeat(70_000));
        assert_eq!(made_on(&zipped(&[("docProps/core.xml", &huge)]), DataFormat::Xlsx), None);
        assert_eq!(made_on(b"not a zip", DataFormat::Xlsx), None);
    }
}
