//! Addresses: `Name <addr>` and bare `addr` strings → mailboxes, errors naming the field.

use lettre::message::Mailbox;

use super::MailError;
use crate::model::Brief;

/// Parses one `Name <addr>` or bare address; `field` names it in the error.
pub fn parse(field: &str, text: &str) -> Result<Mailbox, MailError> {
    let trimmed = text.trim();
    let error = |reason: String| MailError::Address {
        field: field.to_string(),
        value: text.to_string(),
        reason,
    };
    if trimmed.is_empty() {
        return Err(error("it is empty".into()));
    }
    trimmed.parse::<Mailbox>().map_err(|e| {
        // lettre's reasons are terse ("Invalid input"): say what is expected.
        let hint = if trimmed.contains(',') && !trimmed.contains('"') {
            "one recipient per entry, and a name with a comma in double quotes: \
             `\"Smith, John\" <john@example.org>`"
        } else {
            "expected `Name <user@example.org>` or `user@example.org`"
        };
        error(format!("{}; {hint}", e.to_string().to_lowercase()))
    })
}

/// The `to` and `cc` mailboxes of the brief's distribution, in order.
pub(super) fn distribution(brief: &Brief) -> Result<(Vec<Mailbox>, Vec<Mailbox>), MailError> {
    let Some(dist) = &brief.distribution else { return Ok((Vec::new(), Vec::new())) };
    let list = |name: &str, entries: &[String]| -> Result<Vec<Mailbox>, MailError> {
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| parse(&format!("distribution.{name}[{i}]"), e))
            .collect()
    };
    Ok((list("to", &dist.to)?, list("cc", &dist.cc)?))
}
