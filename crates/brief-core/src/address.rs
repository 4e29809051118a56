//! E-mail address syntax: `Name <addr>` and bare `addr` strings → mailboxes.
//!
//! The one parser for every address a brief names: `check` (through the
//! model) and `send` both call [`parse`], so they refuse exactly the same.

use std::fmt;

use lettre::message::Mailbox;

/// An address that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressError {
    /// Where the address came from, e.g. `distribution.cc[1]` or `from`.
    pub field: String,
    /// The text as written.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let AddressError { field, value, reason } = self;
        write!(f, "{field}: `{value}` is not a valid email address ({reason})")
    }
}

impl std::error::Error for AddressError {}

/// Parses one `Name <addr>` or bare address; `field` (e.g.
/// `distribution.to[0]`) names it in the error. A pure function: no I/O, no
/// look-ups, so `check` and `send` always agree.
pub fn parse(field: &str, text: &str) -> Result<Mailbox, AddressError> {
    let trimmed = text.trim();
    let error =
        |reason: String| AddressError { field: field.to_string(), value: text.to_string(), reason };
    if trimmed.is_empty() {
        return Err(error("it is empty".into()));
    }
    // A name is shown by every mail program: held to what a brief's text is.
    if let Some(c) = trimmed.chars().find(|&c| crate::yaml::tree::refused(c)) {
        let kind = crate::escape::refused_kind(c);
        return Err(error(format!("it holds the {kind} U+{:04X}", c as u32)));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A mail program shows the name as it is: a direction control in it
    /// would reverse the words after it, a control character is not text.
    #[test]
    fn a_name_is_held_to_what_a_brief_s_text_is() {
        assert!(parse("from", "Desk <desk@example.gov>").is_ok());
        assert!(parse("from", "\u{200F}Desk <desk@example.gov>").is_ok(), "a mark is fine");
        let e = parse("from", "Desk \u{202E}evil <d@example.gov>").unwrap_err();
        assert_eq!(e.reason, "it holds the text direction control U+202E");
        let e = parse("email.from", "Desk\u{7} <d@example.gov>").unwrap_err();
        assert_eq!(e.reason, "it holds the control character U+0007");
    }
}
