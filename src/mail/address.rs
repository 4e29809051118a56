//! Addresses: `Name <addr>` and bare `addr` strings → mailboxes, errors naming the field.
//!
//! [`parse`] is the one parser for every address `send` uses (`from`, `to`,
//! `cc`), public so that `check` can refuse exactly what `send` would.

use lettre::message::Mailbox;

use super::MailError;
use crate::model::Brief;

/// Parses one `Name <addr>` or bare address; `field` (e.g.
/// `distribution.to[0]`) names it in the error. A pure function: no I/O, no
/// look-ups, so `check` and `send` always agree.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(text: &str) -> String {
        match parse("distribution.to[0]", text) {
            Err(MailError::Address { field, value, reason }) => {
                assert_eq!((field.as_str(), value.as_str()), ("distribution.to[0]", text));
                reason
            }
            other => panic!("`{text}` parsed: {other:?}"),
        }
    }

    #[test]
    fn accepts_names_and_bare_addresses() {
        let m = parse("from", "  Desk <desk@example.gov> ").unwrap();
        assert_eq!(
            (m.name.as_deref(), m.email.to_string().as_str()),
            (Some("Desk"), "desk@example.gov")
        );
        assert_eq!(parse("from", "a@b.example").unwrap().name, None);
        let m = parse("to", "\"Smith, John\" <john@example.org>").unwrap();
        assert_eq!(m.name.as_deref(), Some("Smith, John"));
        assert_eq!(
            parse("to", "Əli <ali@example.az>").unwrap().email.to_string(),
            "ali@example.az"
        );
    }

    #[test]
    fn refuses_with_a_reason_and_a_hint() {
        assert_eq!(reason("  "), "it is empty");
        assert!(reason("not an address").contains("expected `Name <user@example.org>`"));
        assert!(reason("a@b.example, c@d.example").contains("one recipient per entry"));
        assert!(reason("Desk <desk@example.gov").contains("expected"));
        assert!(reason("desk@@example.gov").contains("expected"));
    }
}
