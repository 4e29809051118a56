//! A brief's recipients as mailboxes, through the one address parser that
//! `check` uses too ([`brief_core::address`]).

use lettre::message::Mailbox;

use super::MailError;
use crate::model::Brief;

/// Parses one `Name <addr>` or bare address with the one parser
/// ([`brief_core::address::parse`]); `field` names it in the error.
pub fn parse(field: &str, text: &str) -> Result<Mailbox, MailError> {
    brief_core::address::parse(field, text).map_err(|e| MailError::Address {
        field: e.field,
        value: e.value,
        reason: e.reason,
    })
}

/// Splits an address list (`a@x, "Smith, John" <j@x>`) at the commas
/// between addresses, as RFC 5322 reads it: never inside a quoted name, an
/// angle-bracketed address or a comment. Each piece is trimmed; empty pieces
/// are kept so the parser names them.
pub fn split_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let (mut quoted, mut angle, mut comment, mut escaped) = (false, false, 0usize, false);
    for c in text.chars() {
        if escaped {
            escaped = false;
            piece.push(c);
            continue;
        }
        match c {
            '\\' if quoted || comment > 0 => escaped = true,
            '"' if comment == 0 => quoted = !quoted,
            '<' if !quoted && comment == 0 => angle = true,
            '>' if !quoted && comment == 0 => angle = false,
            '(' if !quoted => comment += 1,
            ')' if !quoted && comment > 0 => comment -= 1,
            ',' if !quoted && !angle && comment == 0 => {
                out.push(piece.trim().to_string());
                piece.clear();
                continue;
            }
            _ => {}
        }
        piece.push(c);
    }
    out.push(piece.trim().to_string());
    out
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

    #[test]
    fn a_list_splits_only_between_addresses() {
        assert_eq!(split_list(r#"a@x,"Smith, John" <j@x>"#), ["a@x", r#""Smith, John" <j@x>"#]);
        assert_eq!(
            split_list(r#""a \", b" <a@x>, (c, d) e@x"#),
            [r#""a \", b" <a@x>"#, "(c, d) e@x"]
        );
        assert_eq!(split_list("a@x,"), ["a@x", ""]);
    }

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
