//! Figures' data read from the files they came from: CSV and TSV, XLSX and
//! ODS (calamine), SDMX-CSV; every value located in its file.
//!
//! A data file is read only from the brief's folder or below, bounded in
//! size (and, for spreadsheets, in what it unzips to and in cells), and every
//! problem names the file and the place in it: a line for text files, a
//! sheet and cell for spreadsheets.

mod sdmx;
mod sheet;
mod text;

use std::path::{Component, Path, PathBuf};

use brief_core::diag::Diagnostic;
use brief_core::figure::{FileData, Origin, Series};
pub use brief_source::raw::{Data as Spec, DataFormat, DataSeries};
use sha2::{Digest, Sha256};

/// Largest data file read.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Most bytes the parts of a spreadsheet may unzip to, as their headers declare.
pub const MAX_UNZIPPED: u64 = 512 * 1024 * 1024;
/// Most cells of a sheet's used range.
pub const MAX_CELLS: u64 = 20_000_000;
/// Most records of a CSV file.
pub const MAX_ROWS: usize = 2_000_000;

/// What a figure's reading knows besides the file: the figure's unit, to
/// check the file's unit column against, and the brief's language, for
/// dates that become category labels.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The figure's `unit:`.
    pub unit: Option<&'a str>,
    /// The brief's language tag.
    pub language: &'a str,
}

/// A data file's bytes, read from the brief's folder.
#[derive(Debug, Clone)]
pub struct File {
    /// The name errors print: the brief's folder joined with the name written.
    pub shown: String,
    /// The file on disk.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Reads the data file `name` (as the brief writes it) from `folder`, the
/// brief's folder: never from outside it, neither by `..`, an absolute path
/// nor a symbolic link; never more than [`MAX_BYTES`]; never a spreadsheet
/// another program has open (its lock file beside it).
pub fn open(folder: &Path, name: &str) -> Result<File, Diagnostic> {
    let joined = beside(folder, name)?;
    let shown = joined.display().to_string();
    let outside = |why: &str| {
        Diagnostic::error(&shown, format!("`{name}` is outside the brief's folder ({why})"))
            .expected("a file in the brief's folder or below, e.g. `data/trade.xlsx`")
            .hint("copy the file beside the brief")
    };
    let io = |e: std::io::Error| {
        let d = Diagnostic::error(&shown, format!("cannot read the data file ({e})"));
        if e.kind() == std::io::ErrorKind::NotFound {
            d.hint("the name is relative to the brief's folder")
        } else {
            d
        }
    };
    let base =
        std::fs::canonicalize(if folder.as_os_str().is_empty() { Path::new(".") } else { folder })
            .map_err(io)?;
    let real = std::fs::canonicalize(&joined).map_err(io)?;
    if !real.starts_with(&base) {
        return Err(outside("a symbolic link leads out of it"));
    }
    let meta = std::fs::metadata(&real).map_err(io)?;
    if !meta.is_file() {
        return Err(Diagnostic::error(&shown, "the data file is not a regular file")
            .expected("a CSV, TSV, XLSX or ODS file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(too_large(&shown, meta.len()));
    }
    if let Some(lock) = lock_file(&joined) {
        return Err(Diagnostic::error(
            &shown,
            format!("the spreadsheet is open in another program (its lock file {lock} is beside it)"),
        )
        .hint("save and close it there, then build again; if no program has it open, delete the lock file"));
    }
    use std::io::Read;
    let file = std::fs::File::open(&real).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large(&shown, bytes.len() as u64));
    }
    Ok(File { shown, path: real, bytes })
}

/// `folder` joined with `name`, a name of a file in it or below: never
/// absolute, never with `..` (checked before any file is touched).
pub fn beside(folder: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    let joined = folder.join(name);
    let shown = joined.display().to_string();
    if name.trim().is_empty() {
        return Err(Diagnostic::error(&shown, "no file named").expected("a file name"));
    }
    let rel = Path::new(name);
    if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(Diagnostic::error(
            &shown,
            format!("`{name}` is outside the brief's folder (an absolute path or `..`)"),
        )
        .expected("a file in the brief's folder or below, e.g. `data/trade.xlsx`")
        .hint("copy the file beside the brief"));
    }
    Ok(joined)
}

fn too_large(shown: &str, len: u64) -> Diagnostic {
    Diagnostic::error(shown, format!("the data file is {len} bytes, more than the 64 MiB limit"))
        .hint("export only the rows and columns the figure needs")
}

/// Excel's `~$name.xlsx` and LibreOffice's `.~lock.name.xlsx#`, if either
/// is beside `path`.
fn lock_file(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !["xlsx", "xlsm", "ods"].contains(&ext.as_str()) {
        return None;
    }
    [format!("~${name}"), format!(".~lock.{name}#")]
        .into_iter()
        .find(|lock| path.with_file_name(lock).exists())
}

/// The format of a data file: as written, else by its extension; a CSV
/// file whose first column is `DATAFLOW` or `STRUCTURE` is SDMX-CSV.
pub fn format_of(spec: &Spec, bytes: &[u8]) -> Option<DataFormat> {
    if let Some(f) = spec.format {
        return Some(f);
    }
    let ext = Path::new(&spec.file).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => Some(DataFormat::Xlsx),
        "ods" => Some(DataFormat::Ods),
        "tsv" | "tab" => Some(DataFormat::Tsv),
        "csv" | "txt" => {
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let first: Vec<u8> =
                text.iter().take_while(|b| !matches!(b, b'\n' | b'\r')).copied().collect();
            let first = String::from_utf8_lossy(&first);
            let cell = first.split([',', ';', '\t']).next().unwrap_or("").trim_matches(['"', ' ']);
            let cell = cell.split(':').next().unwrap_or("");
            Some(if cell == "DATAFLOW" || cell == "STRUCTURE" {
                DataFormat::SdmxCsv
            } else {
                DataFormat::Csv
            })
        }
        _ => None,
    }
}

/// A figure's data read from `file` as `spec` says: categories, series and
/// notes (an SDMX observation's status flags), scaled and rounded, and
/// where they came from.
pub fn read(file: &File, spec: &Spec, cx: Context<'_>) -> Result<FileData, Diagnostic> {
    let shown = file.shown.as_str();
    let Some(format) = format_of(spec, &file.bytes) else {
        return Err(Diagnostic::error(shown, "cannot tell the data file's format from its name")
            .expected("a name ending .csv, .tsv, .xlsx or .ods, or `format:`")
            .hint("add `format: csv` (or tsv, xlsx, ods, sdmx-csv)"));
    };
    if spec.multiply.is_some() && spec.divide.is_some() {
        return Err(Diagnostic::error(shown, "`multiply` and `divide` both given")
            .hint("keep one: `divide: 1000` turns thousands into millions"));
    }
    let mut table = match format {
        DataFormat::Csv | DataFormat::Tsv => text::read(shown, spec, &file.bytes, format)?,
        DataFormat::SdmxCsv => sdmx::read(shown, spec, &file.bytes)?,
        DataFormat::Xlsx | DataFormat::Ods => sheet::read(shown, spec, &file.bytes, format, cx)?,
    };
    check_unit(shown, spec, cx, &table.units)?;
    let factor = spec.multiply.or(spec.divide.map(|d| 1.0 / d));
    for values in table.series.iter_mut().map(|s| &mut s.values) {
        for v in values.iter_mut().flatten() {
            if let Some(f) = factor {
                *v *= f;
            }
            if let Some(d) = spec.round {
                let p = 10f64.powi(d.min(12) as i32);
                *v = (*v * p).round() / p;
            }
        }
    }
    let file_name = Path::new(&spec.file)
        .file_name()
        .map_or(spec.file.clone(), |n| n.to_string_lossy().into_owned());
    Ok(FileData {
        categories: table.categories,
        series: table.series,
        notes: table.notes,
        origin: Origin {
            file: spec.file.clone(),
            part: table.part.clone(),
            sha256: sha256(&file.bytes),
            source: {
                let named = match &table.part {
                    Some(part) => format!("{file_name} ({part})"),
                    None => file_name,
                };
                match table.dated {
                    Some(d) => format!("{named}, {}", brief_core::locale::date(d, cx.language)),
                    None => named,
                }
            },
        },
    })
}

/// Hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What a reader found, before scaling.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub notes: Vec<String>,
    /// The sheet or dataflow.
    pub part: Option<String>,
    /// Each value's unit, where the file has a unit column: (unit, where).
    pub units: Vec<(String, String)>,
    /// The date the file says it was saved (spreadsheets' metadata).
    pub dated: Option<chrono::NaiveDate>,
}

/// The file's unit column agrees with itself, with `data.unit` where the
/// brief names the code, else with the figure's unit when nothing rescales.
fn check_unit(
    shown: &str,
    spec: &Spec,
    cx: Context<'_>,
    units: &[(String, String)],
) -> Result<(), Diagnostic> {
    let Some((first, at)) = units.first() else {
        if let Some(unit) = &spec.unit {
            return Err(Diagnostic::error(
                shown,
                format!("`unit: {unit}` is given, but the file has no unit column"),
            )
            .hint("name the column with `unit_column:`"));
        }
        return Ok(());
    };
    if let Some((other, there)) = units.iter().find(|(u, _)| u != first) {
        return Err(Diagnostic::error(
            shown,
            format!("{there}: the unit is {other}, but {at} has {first}"),
        )
        .hint("a figure shows one unit: add the unit to the filter, or split the figure"));
    }
    match (&spec.unit, cx.unit) {
        (Some(unit), _) if unit != first => Err(Diagnostic::error(
            shown,
            format!("{at}: the unit is {first}, not {unit} as the brief says"),
        )
        .hint("correct `unit:` under `data:`, or check that this is the right file")),
        (None, Some(figure)) if spec.multiply.is_none() && spec.divide.is_none() && !same_unit(first, figure) => {
            Err(Diagnostic::error(
                shown,
                format!("{at}: the unit is {first}, which does not read as the figure's unit `{figure}`"),
            )
            .hint(format!("if they are the same, confirm it with `unit: {first}` under `data:`; else fix the figure's unit or scale the values (`divide: 1000`)")))
        }
        _ => Ok(()),
    }
}

/// Whether a unit code such as `MIO_USD` names what `USD million` does.
fn same_unit(code: &str, words: &str) -> bool {
    fn tokens(s: &str) -> Vec<String> {
        let mut t: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| match w.to_ascii_uppercase().as_str() {
                "MIO" | "MN" | "MILLION" | "MILLIONS" | "M" => "MIO".to_string(),
                "THS" | "THOUSAND" | "THOUSANDS" | "K" => "THS".to_string(),
                "BN" | "BLN" | "BILLION" | "BILLIONS" => "BN".to_string(),
                "PC" | "PCT" | "PERCENT" | "%" => "PC".to_string(),
                w => w.to_string(),
            })
            .collect();
        if s.contains('%') {
            t.push("PC".into());
        }
        t.sort();
        t.dedup();
        t
    }
    tokens(code) == tokens(words)
}

/// A number as a data file writes it: `.` or the file's decimal comma, an
/// optional sign and exponent; no thousands separators (they are ambiguous).
pub(crate) fn number(text: &str, comma: bool) -> Option<f64> {
    let t = text.trim().trim_start_matches('+');
    let owned;
    let t = if comma {
        if t.contains('.') {
            return None;
        }
        owned = t.replace(',', ".");
        owned.as_str()
    } else {
        t
    };
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b"-.eE+".contains(&b)) {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// What is wrong with a text from a data file that a page will show (a
/// category, a series named by a code): a control character, or a
/// direction control that would reorder the words after it, as the YAML
/// reader refuses them in a source. `None` when it is only text.
pub(crate) fn unprintable(text: &str, what: &str) -> Option<String> {
    let c = text.chars().find(|&c| brief_core::yaml::tree::refused(c))?;
    let kind = brief_core::escape::refused_kind(c);
    Some(format!("the {what} holds the {kind} U+{:04X}", c as u32))
}

/// The hint for [`unprintable`].
pub(crate) const UNPRINTABLE_HINT: &str =
    "delete the invisible character in the file; it was probably pasted in with the text";

/// A name not found among `names`: which there are, and the nearest.
pub(crate) fn unknown(shown: &str, what: &str, name: &str, names: &[String]) -> Diagnostic {
    let list: Vec<&str> = names.iter().map(String::as_str).filter(|n| !n.is_empty()).collect();
    let shown_list =
        if list.len() > 12 { format!("{}, …", list[..12].join(", ")) } else { list.join(", ") };
    let d = Diagnostic::error(shown, format!("no {what} `{name}`"))
        .expected(format!("one of: {shown_list}"));
    match brief_core::diag::did_you_mean(name, list.iter().copied()) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d,
    }
}

#[cfg(test)]
mod tests;
