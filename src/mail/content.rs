//! What the message says: the subject line, the plain-text body and its HTML alternative.

use super::markdown;
use crate::locale as lang;
use crate::model::{Brief, Status};

/// `[MARKING] Title — 5 July 2021`: the marking upper-cased (no brackets
/// without one), the meeting's date in the brief's language, and the
/// language's word for DRAFT at the end of a draft.
/// A message about several meetings gives their dates instead.
pub(super) fn subject(brief: &Brief, meetings: Option<&super::Meetings>) -> String {
    let tag = &brief.brief.language;
    let mut subject = String::new();
    if let Some(marking) = marking(brief) {
        subject.push_str(&format!("[{marking}] "));
    }
    let date = match meetings {
        Some(m) => m.dates.clone(),
        None => lang::date(brief.meeting.date, tag),
    };
    subject.push_str(&format!("{} — {date}", brief.brief.title));
    if brief.brief.status == Status::Draft {
        subject.push_str(&format!(" ({})", label("DRAFT", tag)));
    }
    // Line breaks in a header would end it; the title is one line in spirit.
    subject.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The classification in capitals, when there is one.
pub(super) fn marking(brief: &Brief) -> Option<String> {
    let marking = brief.brief.classification.as_deref()?.trim();
    (!marking.is_empty()).then(|| crate::document::marking(marking))
}

/// The `SIO-Label` header field's value (RFC 7444, section 3) for a brief
/// marked `marking`: the display marking as the `marking` parameter, so
/// that a mail gateway filtering by label reads it without parsing the
/// subject. A quoted string when the marking is printable ASCII, else
/// encoded as RFC 2231 says for a parameter value (`marking*=utf-8''…`); a
/// value too long for one line is split into RFC 2231 continuations
/// (`marking*0*=…; marking*1*=…`), one per folded line. No `type`/`label`
/// pair: those carry an ESS or XML security label under a security
/// policy's object identifier, which a brief has no authority to invent.
pub(super) fn sio_label(marking: &str) -> String {
    /// Characters of a parameter per line, so that every line stays short.
    const LINE: usize = 40;
    let marking = marking.split_whitespace().collect::<Vec<_>>().join(" ");
    let printable = |c: char| c == ' ' || c.is_ascii_graphic();
    if marking.chars().all(printable) {
        let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        if marking.len() <= LINE {
            return format!("marking=\"{}\"", quote(&marking));
        }
        let chunks: Vec<String> = marking
            .as_bytes()
            .chunks(LINE)
            .enumerate()
            .map(|(i, c)| format!("marking*{i}=\"{}\"", quote(&String::from_utf8_lossy(c))))
            .collect();
        return chunks.join(";\r\n ");
    }
    // Percent-encoded, never split inside a %XX.
    let mut pieces: Vec<String> = vec![String::new()];
    for b in marking.bytes() {
        // RFC 2231 attribute-char: a token character other than *, ' and %.
        let plain = b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b);
        let code = if plain { char::from(b).to_string() } else { format!("%{b:02X}") };
        if pieces.last().is_some_and(|p| p.len() + code.len() > LINE) {
            pieces.push(String::new());
        }
        if let Some(last) = pieces.last_mut() {
            last.push_str(&code);
        }
    }
    if pieces.len() == 1 {
        return format!("marking*=utf-8''{}", pieces[0]);
    }
    let parts: Vec<String> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let charset = if i == 0 { "utf-8''" } else { "" };
            format!("marking*{i}*={charset}{p}")
        })
        .collect();
    parts.join(";\r\n ")
}

/// The marking and handling caveat as one line: `OFFICIAL — Not for onward distribution`.
fn marking_line(brief: &Brief) -> Option<String> {
    let handling = brief.brief.handling.as_deref().map(str::trim).filter(|h| !h.is_empty());
    let parts: Vec<String> = marking(brief).into_iter().chain(handling.map(String::from)).collect();
    (!parts.is_empty()).then(|| parts.join(" — "))
}

/// A fixed wording in the brief's language, English when there is none.
fn label<'a>(key: &'a str, tag: &str) -> &'a str {
    lang::label(key, tag).unwrap_or(key)
}

/// The meeting as (label, value) rows: kind, date (and time), place; for
/// several meetings, how many and their dates.
fn meeting_rows(brief: &Brief, meetings: Option<&super::Meetings>) -> Vec<(&'static str, String)> {
    let m = &brief.meeting;
    let tag = &brief.brief.language;
    if let Some(several) = meetings {
        let mut rows = vec![
            ("Meetings", lang::number(several.count as f64, 0, tag)),
            ("Dates", several.dates.clone()),
        ];
        if let Some(place) = m.location.as_deref().filter(|p| !p.trim().is_empty()) {
            rows.push(("Place", place.to_string()));
        }
        return rows;
    }
    let mut date = lang::date(m.date, tag);
    if let Some(time) = m.time {
        date = lang::join(&date, &lang::time(time, tag), tag);
    }
    let mut rows = vec![("Meeting", m.kind.clone()), ("Date", date)];
    if let Some(place) = m.location.as_deref().filter(|p| !p.trim().is_empty()) {
        rows.push(("Place", place.to_string()));
    }
    rows
}

/// The plain-text body: marking, title, meeting, purpose, key messages.
/// The plain-text body; `heading` replaces "Key messages" over the list.
pub(super) fn text(
    brief: &Brief,
    heading: Option<&str>,
    meetings: Option<&super::Meetings>,
) -> String {
    let tag = &brief.brief.language;
    let mut blocks: Vec<String> = Vec::new();
    if let Some(line) = marking_line(brief) {
        blocks.push(line);
    }
    let mut title = brief.brief.title.clone();
    if let Some(sub) = &brief.brief.subtitle {
        title.push('\n');
        title.push_str(sub);
    }
    blocks.push(title);
    let rows: Vec<String> = meeting_rows(brief, meetings)
        .into_iter()
        .map(|(k, v)| format!("{}: {v}", label(k, tag)))
        .collect();
    blocks.push(rows.join("\n"));
    if let Some(purpose) = &brief.purpose {
        blocks.push(format!("{}\n{}", label("Purpose", tag), markdown::plain(purpose)));
    }
    if !brief.key_messages.is_empty() {
        let items: Vec<String> = brief
            .key_messages
            .iter()
            .map(|m| format!("- {}", markdown::plain(m).replace('\n', "\n  ")))
            .collect();
        let heading = heading.unwrap_or_else(|| label("Key messages", tag));
        blocks.push(format!("{heading}\n{}", items.join("\n")));
    }
    let clearance = clearance_line(brief);
    if !clearance.is_empty() {
        blocks.push(clearance);
    }
    let mut text = blocks.join("\n\n");
    text.push('\n');
    text
}

/// "Drafted by … · Cleared by … · Approved by …" in the brief's language.
fn clearance_line(brief: &Brief) -> String {
    let tag = &brief.brief.language;
    let word = |key: &str| label(key, tag).to_string();
    crate::render::clearance_line(brief.clearance.as_ref(), tag, &word)
}

/// The HTML body: the same content as [`text`], every text escaped.
pub(super) fn html(
    brief: &Brief,
    subject: &str,
    heading: Option<&str>,
    meetings: Option<&super::Meetings>,
) -> String {
    let tag = &brief.brief.language;
    let esc = crate::escape::xml;
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n</head>\n<body style=\"font-family: sans-serif\">\n",
        esc(tag),
        lang::dir(tag).as_str(),
        esc(subject)
    ));
    if let Some(line) = marking_line(brief) {
        h.push_str(&format!("<p><strong>{}</strong></p>\n", esc(&line)));
    }
    h.push_str(&format!("<h1>{}</h1>\n", esc(&brief.brief.title)));
    if let Some(sub) = &brief.brief.subtitle {
        h.push_str(&format!("<p><em>{}</em></p>\n", esc(sub)));
    }
    h.push_str("<p>");
    let rows: Vec<String> = meeting_rows(brief, meetings)
        .into_iter()
        .map(|(k, v)| format!("<strong>{}:</strong> {}", esc(label(k, tag)), esc(&v)))
        .collect();
    h.push_str(&rows.join("<br>\n"));
    h.push_str("</p>\n");
    if let Some(purpose) = &brief.purpose {
        h.push_str(&format!("<h2>{}</h2>\n", esc(label("Purpose", tag))));
        h.push_str(&markdown::html(purpose));
        h.push('\n');
    }
    if !brief.key_messages.is_empty() {
        let heading = heading.unwrap_or_else(|| label("Key messages", tag));
        h.push_str(&format!("<h2>{}</h2>\n<ul>\n", esc(heading)));
        for m in &brief.key_messages {
            h.push_str(&format!("<li>{}</li>\n", markdown::html_inline(m)));
        }
        h.push_str("</ul>\n");
    }
    let clearance = clearance_line(brief);
    if !clearance.is_empty() {
        h.push_str(&format!("<p><small>{}</small></p>\n", esc(&clearance)));
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// Entries of the changes list an email shows; the rest are counted.
const MAIL_CHANGES: usize = 8;

/// The changes list, shortened: its heading, then at most [`MAIL_CHANGES`]
/// of its short entries, then how many more.
fn changes_lines(changes: &crate::document::ChangesBox) -> (String, Vec<String>) {
    let mut lines: Vec<String> = changes
        .short
        .iter()
        .take(MAIL_CHANGES)
        .map(|e| format!("{}: {}", e.kind, e.text))
        .collect();
    if changes.entries.len() > MAIL_CHANGES {
        lines.push(format!("… (+{})", changes.entries.len() - MAIL_CHANGES));
    }
    if changes.entries.is_empty() {
        lines.push(changes.none.clone());
    }
    (changes.title.clone(), lines)
}

/// The plain-text body with the changes list after the meeting's block.
pub(super) fn changes_text(
    body: String,
    changes: Option<&crate::document::ChangesBox>,
    tag: &str,
) -> String {
    let Some(changes) = changes else { return body };
    let meeting = format!("{}: ", label("Meeting", tag));
    let (title, lines) = changes_lines(changes);
    let list: Vec<String> = lines.iter().map(|l| format!("- {l}")).collect();
    let block = format!("{title}\n{}", list.join("\n"));
    let mut blocks: Vec<&str> = body.trim_end().split("\n\n").collect();
    let at = blocks.iter().position(|b| b.starts_with(&meeting)).map_or(blocks.len(), |i| i + 1);
    blocks.insert(at, &block);
    format!("{}\n", blocks.join("\n\n"))
}

/// The HTML body with the changes list before the first second-level heading.
pub(super) fn changes_html(body: String, changes: Option<&crate::document::ChangesBox>) -> String {
    let Some(changes) = changes else { return body };
    let esc = crate::escape::xml;
    let (title, lines) = changes_lines(changes);
    let mut block = format!("<h2>{}</h2>\n<ul>\n", esc(&title));
    for line in lines {
        block.push_str(&format!("<li>{}</li>\n", esc(&line)));
    }
    block.push_str("</ul>\n");
    let at = body.find("<h2>").or_else(|| body.find("</body>")).unwrap_or(body.len());
    let mut out = body;
    out.insert_str(at, &block);
    out
}
