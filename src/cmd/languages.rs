//! `brief languages`: the languages briefs can be written in, or what one tag resolves to.

use brief::diag::Diagnostic;
use brief::locale::{self, LANGUAGES};
use chrono::NaiveDate;

use crate::INVALID;
use crate::report::Reporter;

/// Prints every supported language with its direction and CLDR's full date
/// for a sample day; with a tag, the language it falls back to and its formats.
pub(crate) fn run(tag: Option<&str>, report: &Reporter) -> u8 {
    let sample = NaiveDate::from_ymd_opt(2021, 7, 5).unwrap_or_default();
    let Some(tag) = tag else {
        let mut out = String::new();
        for l in LANGUAGES {
            let dir = locale::dir(l.code).as_str();
            let (name, native) = (pad(l.name, 22), pad(l.native, 14));
            out.push_str(&format!(
                "{:<8}{name}{native}{dir}  {}\n",
                l.code,
                locale::long_date(sample, l.code)
            ));
        }
        out.push_str(
            "Tags with a region or script fall back by CLDR's rules: pt-BR → pt, uz-Latn → uz.\n",
        );
        return crate::print(&out);
    };
    match locale::resolve(tag) {
        Ok(r) => crate::print(&format!(
            "{tag}: wording of {} ({}), formats of {}, {}\n  {}\n  {}\n",
            r.language.code,
            r.language.name,
            r.locale,
            r.dir.as_str(),
            locale::long_date(sample, tag),
            locale::number(1234567.89, 2, tag),
        )),
        Err(e) => {
            let mut d =
                Diagnostic::error("brief languages", e.reason).expected(locale::supported_list());
            if let Some(code) = e.suggestion {
                d = d.hint(format!("did you mean `{code}`?"));
            }
            report.diag(&d);
            INVALID
        }
    }
}

/// `text` padded with spaces to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n).max(1)))
}
