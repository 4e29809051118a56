//! Email distribution: a brief and its PDF → an RFC 5322 message, and sending it over SMTP.
//!
//! The CLI uses this module in three steps:
//!
//! 1. [`refuse_reason`]: whether the brief may go out at all (a draft, or a PDF
//!    older than its source, is refused).
//! 2. [`message`]: the message bytes, deterministic for the same inputs, to
//!    write as an `.eml` draft (`X-Unsent: 1`) or to send; [`size_warning`]
//!    when the attachment may be too big for mail servers.
//! 3. [`envelope`] and [`send`]: one SMTP transaction to every recipient in
//!    `distribution`, with a result per recipient in a [`SendReport`].
//!
//! MIME is built by `lettre`'s message builder; the SMTP dialogue uses
//! `lettre`'s connection so that one refused recipient does not stop the others.

pub mod address;
mod attach;
mod content;
pub mod log;
mod markdown;
pub mod policy;
mod smtp;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MessageBuilder, MultiPart, SinglePart};

use crate::model::{Brief, Status};

pub use smtp::{Security, SendReport, SmtpOptions, send};

/// The `From` used when the caller gives none: a placeholder that mail clients
/// replace with the sender's own account when they open an `.eml` draft.
pub const DEFAULT_FROM: &str = "brief <noreply@localhost>";

/// Default message size limit for [`size_warning`]: 10 MiB, the default of
/// Exchange and of many other servers.
pub const DEFAULT_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The latest Date header `lettre` can write: 9999-12-31T23:59:59Z.
const MAX_DATE: i64 = 253_402_300_799;

/// How to build a message besides the brief and the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageOptions {
    /// The sender, `Name <addr>` or a bare address. Default [`DEFAULT_FROM`].
    pub from: String,
    /// The Date header, Unix seconds: pass the PDF's creation time so an
    /// unchanged brief gives an identical message. Default 0.
    pub date: i64,
    /// Add `X-Unsent: 1`, so Outlook and others open the file as a draft to
    /// send. Default `true` (for `.eml` files); set `false` when sending.
    pub unsent: bool,
    /// The heading of the body's list, instead of "Key messages" in the
    /// brief's language: a summit book's message lists its schedule.
    pub list_heading: Option<String>,
    /// Several meetings instead of the brief's one: a summit book's date
    /// range (in the subject and the body) and number of meetings.
    pub meetings: Option<Meetings>,
}

/// What a message about several meetings says instead of one meeting's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meetings {
    /// Their dates as the reader reads them: "5 July – 20 November 2026".
    pub dates: String,
    /// How many there are.
    pub count: usize,
}

impl Default for MessageOptions {
    fn default() -> Self {
        MessageOptions {
            from: DEFAULT_FROM.to_string(),
            date: 0,
            unsent: true,
            list_heading: None,
            meetings: None,
        }
    }
}

/// Why a message could not be built or addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// An address that does not parse; `field` is e.g. `distribution.cc[1]` or `from`.
    Address {
        /// Where the address came from.
        field: String,
        /// The text as written.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The Date is outside what a Date header can hold (1970 to 9999).
    Date(i64),
    /// `distribution` names nobody, so there is nobody to send to.
    NoRecipients,
    /// The MIME builder refused the message.
    Build(String),
}

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailError::Address { field, value, reason } => {
                write!(f, "{field}: `{value}` is not a valid email address ({reason})")
            }
            MailError::Date(secs) => {
                write!(f, "date {secs} (Unix seconds) cannot be written in a Date header")
            }
            MailError::NoRecipients => f.write_str(
                "the brief has no recipients: add `distribution.to` or `distribution.cc`",
            ),
            MailError::Build(e) => write!(f, "cannot build the message: {e}"),
        }
    }
}

impl std::error::Error for MailError {}

/// Builds the email for `brief`, with `pdf` attached as `pdf_name`.
///
/// Headers: From (`options.from`), To and Cc (from `distribution`; none is
/// allowed for a draft), Subject `[MARKING] Title — 5 July 2021`, a fixed Date
/// (`options.date`), a Message-ID and MIME boundaries derived from a hash of
/// the content, and `X-Unsent: 1` when `options.unsent`. Body: plain text and
/// HTML alternatives, then the PDF (`application/pdf`, base64). The same
/// inputs always give the same bytes; lines end in CRLF.
pub fn message(
    brief: &Brief,
    pdf: &[u8],
    pdf_name: &str,
    options: &MessageOptions,
) -> Result<Vec<u8>, MailError> {
    message_with_changes(brief, pdf, pdf_name, options, None)
}

/// [`message`] for a PDF built with `--changes-since`: the body lists what
/// changed (shortened) right after the meeting.
pub fn message_with_changes(
    brief: &Brief,
    pdf: &[u8],
    pdf_name: &str,
    options: &MessageOptions,
    changes: Option<&crate::document::ChangesBox>,
) -> Result<Vec<u8>, MailError> {
    let from = address::parse("from", &options.from)?;
    let (to, cc) = address::distribution(brief)?;
    let date = date_header(options.date)?;
    let meetings = options.meetings.as_ref();
    let subject = content::subject(brief, meetings);
    let heading = options.list_heading.as_deref();
    let text = content::text(brief, heading, meetings);
    let text = content::changes_text(text, changes, &brief.brief.language);
    let html = content::changes_html(content::html(brief, &subject, heading, meetings), changes);
    let key = content_key(&[
        options.from.as_bytes(),
        &options.date.to_le_bytes(),
        &[u8::from(options.unsent)],
        joined(&to).as_bytes(),
        joined(&cc).as_bytes(),
        subject.as_bytes(),
        text.as_bytes(),
        html.as_bytes(),
        pdf_name.as_bytes(),
        pdf,
    ]);

    let mut builder = headers(&from, &to, &cc, subject, date, &key, options.unsent);
    if let Some(marking) = content::marking(brief) {
        let name = HeaderName::new_from_ascii_str("SIO-Label");
        let value = content::sio_label(&marking);
        builder =
            builder.raw_header(HeaderValue::dangerous_new_pre_encoded(name, value.clone(), value));
    }
    let envelope = lettre_envelope(&from, &to, &cc)?;
    let body = mime_body(&key, text, html, pdf, pdf_name)?;
    let built = builder.envelope(envelope).multipart(body);
    built.map(|m| m.formatted()).map_err(|e| MailError::Build(e.to_string()))
}

/// `text` as RFC 2047 encoded-words (UTF-8, base64) of at most 39 bytes
/// each, never parting a character, folded one to a line: plain ASCII,
/// and no line longer than 78 characters.
fn encoded_words(text: &str) -> String {
    use base64::Engine as _;
    let mut words = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(39);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let chunk = base64::engine::general_purpose::STANDARD.encode(&rest[..end]);
        words.push(format!("=?utf-8?b?{chunk}?="));
        rest = &rest[end..];
    }
    words.join("\r\n ")
}

/// The message's headers, in a fixed order; the Message-ID is the content key.
fn headers(
    from: &Mailbox,
    to: &[Mailbox],
    cc: &[Mailbox],
    subject: String,
    date: SystemTime,
    key: &str,
    unsent: bool,
) -> MessageBuilder {
    let builder = lettre::Message::builder().from(from.clone());
    // lettre leaves a word of plain ASCII as it is, so a title holding
    // `=?utf-8?q?…?=` would be decoded by the reader's mail program (into
    // other words, a line break, a fake header): such a subject is encoded
    // whole, so every program shows the characters written.
    let builder = if subject.contains("=?") {
        let name = HeaderName::new_from_ascii_str("Subject");
        let encoded = encoded_words(&subject);
        builder.raw_header(HeaderValue::dangerous_new_pre_encoded(name, subject, encoded))
    } else {
        builder.subject(subject)
    };
    let mut builder = builder.date(date).message_id(Some(format!("<{key}@brief.local>")));
    for mbox in to {
        builder = builder.to(mbox.clone());
    }
    for mbox in cc {
        builder = builder.cc(mbox.clone());
    }
    if unsent {
        let name = HeaderName::new_from_ascii_str("X-Unsent");
        builder = builder.raw_header(HeaderValue::new(name, "1".to_string()));
    }
    builder
}

/// The envelope lettre requires to build a message. It is never written into
/// the message; a draft may have no recipients yet, so the sender stands in.
fn lettre_envelope(
    from: &Mailbox,
    to: &[Mailbox],
    cc: &[Mailbox],
) -> Result<lettre::address::Envelope, MailError> {
    let recipients: Vec<_> = to.iter().chain(cc).map(|m| m.email.clone()).collect();
    let rcpt = if recipients.is_empty() { vec![from.email.clone()] } else { recipients };
    lettre::address::Envelope::new(Some(from.email.clone()), rcpt)
        .map_err(|e| MailError::Build(e.to_string()))
}

/// mixed [ alternative [ text, html ], pdf ], with boundaries from `key`:
/// they contain `=_`, which neither base64 nor quoted-printable can produce,
/// and a hash of the text they enclose, so they cannot occur in it.
fn mime_body(
    key: &str,
    text: String,
    html: String,
    pdf: &[u8],
    pdf_name: &str,
) -> Result<MultiPart, MailError> {
    let attachment = attach::pdf_part(pdf, pdf_name)?;
    let alternative = MultiPart::alternative()
        .boundary(format!("=_alt_{key}"))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(text))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html));
    Ok(MultiPart::mixed()
        .boundary(format!("=_mix_{key}"))
        .multipart(alternative)
        .singlepart(attachment))
}

/// The SMTP envelope of the message [`message`] builds: the sender's address
/// and every `to` and `cc` address, each once, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `MAIL FROM`: the bare address of `options.from`.
    pub from: String,
    /// `RCPT TO`: bare addresses.
    pub recipients: Vec<String>,
}

/// The envelope for sending `brief` from `options.from`; an error when an
/// address is malformed or `distribution` names nobody.
pub fn envelope(brief: &Brief, options: &MessageOptions) -> Result<Envelope, MailError> {
    let from = address::parse("from", &options.from)?;
    let (to, cc) = address::distribution(brief)?;
    let mut recipients: Vec<String> = Vec::new();
    for mbox in to.iter().chain(&cc) {
        let addr = mbox.email.to_string();
        if !recipients.iter().any(|r| r.eq_ignore_ascii_case(&addr)) {
            recipients.push(addr);
        }
    }
    if recipients.is_empty() {
        return Err(MailError::NoRecipients);
    }
    Ok(Envelope { from: from.email.to_string(), recipients })
}

/// A warning when a PDF of `pdf_len` bytes makes a message bigger than
/// `limit` bytes ([`DEFAULT_SIZE_LIMIT`] by default). Base64 makes the
/// attachment about 37% bigger, and servers count the encoded size.
pub fn size_warning(pdf_len: usize, limit: usize) -> Option<String> {
    // 57 bytes per 76-character base64 line plus CRLF, and room for the text.
    let encoded = pdf_len.div_ceil(57).saturating_mul(78).saturating_add(16 * 1024);
    (encoded > limit).then(|| {
        format!(
            "the PDF is {} and the message about {}, over the {} limit many mail servers set; \
             recipients may not receive it",
            megabytes(pdf_len),
            megabytes(encoded),
            megabytes(limit)
        )
    })
}

fn megabytes(bytes: usize) -> String {
    // Display only: the precision lost converting to f64 is far below 0.1 MB.
    #[allow(clippy::cast_precision_loss)]
    let mb = bytes as f64 / (1024.0 * 1024.0);
    format!("{mb:.1} MB")
}

/// Why `brief` may not go out uncleared, when it is not cleared (see
/// [`Brief::cleared`]): a brief is a draft until someone clears it.
pub fn uncleared(brief: &Brief) -> Option<String> {
    if brief.cleared() {
        return None;
    }
    Some(if brief.brief.status == Status::Draft {
        "the brief is not cleared: it is a draft (`brief.status: draft`, or no one under \
         `clearance.cleared_by`); clear it, or pass --allow-draft to send it marked DRAFT"
            .to_string()
    } else {
        "the brief is not cleared: no one is named under `clearance.cleared_by`; record who \
         cleared it, or pass --allow-draft to send it marked DRAFT"
            .to_string()
    })
}

/// The `Message-ID` of a message [`message`] made, as written (`<…>`).
pub fn message_id(message: &[u8]) -> Option<String> {
    let head =
        message.windows(4).position(|w| w == b"\r\n\r\n").map_or(message, |at| &message[..at]);
    head.split(|b| *b == b'\n').find_map(|line| {
        let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("Message-ID").then(|| value.trim().to_string())
    })
}

/// Why `brief` must not be sent now, if it must not: not cleared unless
/// `allow_draft` (see [`uncleared`]), or a PDF last modified before its
/// source (stale).
pub fn refuse_reason(
    brief: &Brief,
    pdf_modified: SystemTime,
    source_modified: SystemTime,
    allow_draft: bool,
) -> Option<String> {
    if let Some(why) = uncleared(brief).filter(|_| !allow_draft) {
        return Some(why);
    }
    if pdf_modified < source_modified {
        return Some(
            "the PDF is older than its source: rebuild it before sending, so recipients get \
             what the source says"
                .to_string(),
        );
    }
    None
}

/// The Date header's time; an error outside 1970–9999, which `lettre` cannot write.
fn date_header(secs: i64) -> Result<SystemTime, MailError> {
    match u64::try_from(secs) {
        Ok(s) if secs <= MAX_DATE => Ok(UNIX_EPOCH + Duration::from_secs(s)),
        _ => Err(MailError::Date(secs)),
    }
}

fn joined(mboxes: &[Mailbox]) -> String {
    mboxes.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// 32 hex digits of FNV-1a (128 bit) over the parts, each length-prefixed so
/// that moving bytes from one part to the next changes the key.
fn content_key(parts: &[&[u8]]) -> String {
    let hash = parts.iter().fold(brief_core::hash::Fnv128::new(), |h, part| {
        h.bytes(&(part.len() as u64).to_le_bytes()).bytes(part)
    });
    format!("{:032x}", hash.finish())
}
