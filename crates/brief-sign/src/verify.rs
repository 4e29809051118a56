//! `brief verify`: each signature's integrity (the digest over its byte
//! range and the CMS signature), its coverage (the signed revision ends the
//! file, or exactly what was appended after it), its signer and time, and
//! whether an embedded brief source is the one signed.
//!
//! Signatures are found by their `/ByteRange` in the file's bytes, not
//! through the object tree: a tampered file whose objects no longer parse is
//! still checked, and reported broken rather than unreadable.

use std::io::Read;
use std::path::Path;

use brief_core::diag::Diagnostic;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// Most bytes of a PDF `verify` reads.
pub const MAX_PDF: u64 = 64 << 20;
/// Most bytes of one signature's CMS.
pub const MAX_CMS: usize = 256 << 10;

/// The outcome, as `verify`'s exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every signature is intact and the last covers the whole file.
    Valid,
    /// No signature, a broken one, or content after the signed revision.
    Invalid,
}

/// One signature found in the file.
#[derive(Debug)]
pub struct Signature {
    /// Its `/ByteRange`.
    pub range: [usize; 4],
    /// The signer's common name, when the signature is intact.
    pub signer: Option<String>,
    /// The signing time (`/M`), as written (a PDF date), when present.
    pub time: Option<String>,
    /// Why the signature is broken, if it is.
    pub problem: Option<String>,
}

impl Signature {
    /// Where the signed revision ends.
    pub fn end(&self) -> usize {
        self.range[2] + self.range[3]
    }
}

/// What `verify` found in one file.
#[derive(Debug)]
pub struct Report {
    /// The signatures, in file order.
    pub signatures: Vec<Signature>,
    /// The file's length.
    pub len: usize,
    /// What follows the last signed revision, when something does.
    pub appended: Option<String>,
    /// Whether the embedded brief source (`--embed-source`) is the one signed:
    /// `None` when there is none.
    pub source: Option<Result<(), String>>,
}

impl Report {
    /// Valid when there is a signature, every one is intact, and the last
    /// signed revision is the whole file.
    pub fn verdict(&self) -> Verdict {
        let intact = self.signatures.iter().all(|s| s.problem.is_none());
        let source_ok = !matches!(self.source, Some(Err(_)));
        if !self.signatures.is_empty() && intact && self.appended.is_none() && source_ok {
            Verdict::Valid
        } else {
            Verdict::Invalid
        }
    }
}

/// Reads at most [`MAX_PDF`] bytes of `path` and verifies them; `Err` is trouble
/// (unreadable, too large).
pub fn verify_file(path: &Path) -> Result<Report, Diagnostic> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read it: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_PDF + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read it: {e}")))?;
    if bytes.len() as u64 > MAX_PDF {
        return Err(Diagnostic::error(&name, "too large to verify")
            .expected(format!("a PDF of at most {} MiB", MAX_PDF >> 20)));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(Diagnostic::error(&name, "not a PDF file").expected("a file starting %PDF-"));
    }
    Ok(verify(&bytes))
}

/// Verifies every signature of a PDF held in memory.
pub fn verify(bytes: &[u8]) -> Report {
    let mut signatures: Vec<Signature> = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"/ByteRange") {
        let start = at + found;
        at = start + b"/ByteRange".len();
        let Some(range) = parse_range(&bytes[at..]) else { continue };
        if signatures.iter().any(|s| s.range == range) {
            continue;
        }
        signatures.push(check_one(bytes, range, start));
    }
    let end = signatures.iter().map(Signature::end).max();
    let appended = match end {
        Some(end) if end < bytes.len() => Some(describe(&bytes[end..])),
        _ => None,
    };
    let source = end.and_then(|end| source(bytes, end));
    Report { signatures, len: bytes.len(), appended, source }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `[a b c d]` after `/ByteRange`.
fn parse_range(after: &[u8]) -> Option<[usize; 4]> {
    let text = &after[..after.len().min(200)];
    let open = text.iter().position(|&b| !b.is_ascii_whitespace())?;
    if text[open] != b'[' {
        return None;
    }
    let close = open + text[open..].iter().position(|&b| b == b']')?;
    let inner = std::str::from_utf8(&text[open + 1..close]).ok()?;
    let nums: Vec<usize> =
        inner.split_ascii_whitespace().map(|n| n.parse().ok()).collect::<Option<_>>()?;
    nums.try_into().ok()
}

fn check_one(bytes: &[u8], range: [usize; 4], dict_at: usize) -> Signature {
    let mut sig = Signature { range, signer: None, time: None, problem: None };
    let [a, b, c, d] = range;
    let fits = a == 0 && b < c && c.checked_add(d).is_some_and(|e| e <= bytes.len());
    if !fits || bytes.get(b) != Some(&b'<') || bytes.get(c - 1) != Some(&b'>') {
        sig.problem = Some(format!("its byte range [{a} {b} {c} {d}] does not fit the file"));
        return sig;
    }
    sig.time = time(bytes, dict_at);
    let hex = &bytes[b + 1..c - 1];
    if hex.len() / 2 > MAX_CMS {
        sig.problem = Some(format!("its signature is larger than {MAX_CMS} bytes"));
        return sig;
    }
    let Some(cms) = unhex(hex) else {
        sig.problem = Some("its /Contents is not a hex string".into());
        return sig;
    };
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..b]);
    hasher.update(&bytes[c..c + d]);
    match crate::cms_sig::check(&cms, &hasher.finalize()) {
        Ok(checked) => sig.signer = Some(common_name(&checked.cert)),
        Err(e) => sig.problem = Some(e),
    }
    sig
}

fn unhex(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()).collect()
}

/// The `/M` of the signature dictionary holding the `/ByteRange` at `at`:
/// searched from the dictionary's `obj` to the range.
fn time(bytes: &[u8], at: usize) -> Option<String> {
    let from = at.saturating_sub(4096);
    let window = &bytes[from..at];
    let start = window.windows(3).rposition(|w| w == b"obj").map_or(0, |p| p + 3);
    let dict = &window[start..];
    let mut i = 0;
    while let Some(p) = find(&dict[i..], b"/M") {
        let after = i + p + 2;
        i = after;
        let rest = &dict[after..];
        let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
        let raw = match rest.first()? {
            b'(' => rest[1..rest.iter().position(|&b| b == b')')?].to_vec(),
            b'<' => unhex(&rest[1..rest.iter().position(|&b| b == b'>')?])?,
            _ => continue,
        };
        return Some(pdf_date(&String::from_utf8_lossy(&raw)));
    }
    None
}

/// `D:20231114221320Z` as `2023-11-14 22:13:20 UTC`; anything else as written.
fn pdf_date(raw: &str) -> String {
    let d = raw.strip_prefix("D:").unwrap_or(raw);
    if d.len() >= 14 && d.is_char_boundary(14) && d[..14].bytes().all(|b| b.is_ascii_digit()) {
        let zone = match &d[14..] {
            "" | "Z" => "UTC".to_string(),
            z => z.replace('\'', ""),
        };
        format!(
            "{}-{}-{} {}:{}:{} {zone}",
            &d[..4],
            &d[4..6],
            &d[6..8],
            &d[8..10],
            &d[10..12],
            &d[12..14]
        )
    } else {
        raw.to_string()
    }
}

/// Says what follows the signed revision: how many bytes, how many later
/// revisions, which objects they define.
fn describe(tail: &[u8]) -> String {
    let revisions = tail.windows(5).filter(|w| w == b"%%EOF").count();
    let text = String::from_utf8_lossy(tail);
    let mut objects: Vec<String> = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_ascii_whitespace().take(3).collect();
        if let [n, g, "obj"] = words.as_slice()
            && n.bytes().all(|b| b.is_ascii_digit())
            && g.bytes().all(|b| b.is_ascii_digit())
        {
            objects.push(format!("{n} {g}"));
        }
    }
    let objects = match objects.len() {
        0 => "no objects".to_string(),
        n if n <= 12 => format!("objects {}", objects.join(", ")),
        n => format!("{n} objects ({}, ...)", objects[..12].join(", ")),
    };
    format!(
        "{} bytes after the signed revision: {revisions} later revision(s) defining {objects}",
        tail.len()
    )
}

/// Whether the embedded source of the whole file is the one in the signed revision.
fn source(bytes: &[u8], end: usize) -> Option<Result<(), String>> {
    let now = brief_pdf::embed::read(bytes).ok();
    let signed = brief_pdf::embed::read(&bytes[..end]).ok();
    match (now, signed) {
        (None, None) => None,
        (Some(a), Some(b)) if a == b => Some(Ok(())),
        (Some(_), Some(_)) => Some(Err("the embedded source was replaced after signing".into())),
        (Some(_), None) => Some(Err("the embedded source was added after signing".into())),
        (None, Some(_)) => Some(Err("the signed embedded source can no longer be read".into())),
    }
}

/// A certificate's common name, or its whole subject when it has none.
pub(crate) fn common_name(cert: &Certificate) -> String {
    let subject = cert.tbs_certificate().subject();
    match subject.common_name() {
        Ok(Some(cn)) => String::from(cn),
        _ => subject.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_dates_and_tails_are_read() {
        assert_eq!(parse_range(b" [0 10 20 30   ]"), Some([0, 10, 20, 30]));
        assert_eq!(parse_range(b" [0 10 20]"), None);
        assert_eq!(parse_range(b" /X"), None);
        assert_eq!(pdf_date("D:20231114221320Z"), "2023-11-14 22:13:20 UTC");
        assert_eq!(pdf_date("D:20231114221320+01'00'"), "2023-11-14 22:13:20 +0100");
        let tail = b"7 0 obj\n<<>>\nendobj\n8 0 obj\n1\nendobj\nstartxref\n1\n%%EOF\n";
        assert_eq!(
            describe(tail),
            format!(
                "{} bytes after the signed revision: 1 later revision(s) defining objects 7 0, 8 0",
                tail.len()
            )
        );
    }

    #[test]
    fn no_signature_is_invalid() {
        let report = verify(b"%PDF-1.7\n%%EOF\n");
        assert!(report.signatures.is_empty());
        assert_eq!(report.verdict(), Verdict::Invalid);
    }
}
