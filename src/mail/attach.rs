//! The PDF as a MIME part, named so that Outlook and Exchange show the name too.
//!
//! `lettre` writes a long file name as RFC 2231 continuations
//! (`filename*0="…"`), which Outlook and Exchange's IMAP do not read: the
//! attachment arrives as `ATT00001.dat`. A plain ASCII name is written here as
//! a plain quoted `filename` (and `name` on the Content-Type, which older
//! clients read); other names keep `lettre`'s standard RFC 2231 encoding.

use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Attachment, Body, SinglePart};

use super::MailError;

/// The PDF part: `application/pdf`, base64, named `name`.
pub(super) fn pdf_part(pdf: &[u8], name: &str) -> Result<SinglePart, MailError> {
    // Always base64: a PDF is binary, even a tiny one that happens to be ASCII.
    let body = Body::new_with_encoding(pdf.to_vec(), ContentTransferEncoding::Base64)
        .map_err(|_| MailError::Build("cannot encode the PDF as base64".into()))?;
    let build = |e: String| MailError::Build(e);
    if !is_plain(name) {
        let pdf_type = ContentType::parse("application/pdf").map_err(|e| build(e.to_string()))?;
        return Ok(Attachment::new(name.to_string()).body(body, pdf_type));
    }
    let pdf_type = ContentType::parse(&format!("application/pdf; name=\"{name}\""))
        .map_err(|e| build(e.to_string()))?;
    Ok(SinglePart::builder().header(Disposition(name.to_string())).header(pdf_type).body(body))
}

/// Letters, digits, `.`, `_` and `-` only, as `output_name` makes them: no
/// quoting or encoding needed anywhere.
fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// `Content-Disposition: attachment; filename="…"` for a plain name.
#[derive(Debug, Clone, PartialEq)]
struct Disposition(String);

impl Header for Disposition {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Disposition")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let name = s.strip_prefix("attachment; filename=\"").and_then(|r| r.strip_suffix('"'));
        name.filter(|n| is_plain(n))
            .map(|n| Disposition(n.to_string()))
            .ok_or_else(|| "not a plain attachment disposition".into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("attachment; filename=\"{}\"", self.0))
    }
}
