//! The book's email (`brief book --eml`): one message to everyone any of its
//! briefs is distributed to, or to the addresses given, with the book
//! attached and its schedule in the body.

use crate::diag::Diagnostic;
use crate::mail::{self, address};
use crate::model::{Brief, Distribution, Status};

use super::Book;

/// Who the message goes to: `to` when given, else the union of the briefs'
/// distributions (each address once; copied only if no brief sends it to
/// that address directly).
pub fn recipients(book: &Book, to: &[String]) -> Result<Distribution, Diagnostic> {
    if !to.is_empty() {
        for (i, a) in to.iter().enumerate() {
            address::parse(&format!("--to[{i}]"), a)
                .map_err(|e| Diagnostic::error("--to", e.to_string()))?;
        }
        return Ok(Distribution { to: to.to_vec(), cc: Vec::new() });
    }
    let mut seen: Vec<String> = Vec::new();
    let mut out = Distribution { to: Vec::new(), cc: Vec::new() };
    let lists = |e: &super::Chapter| {
        e.brief.distribution.clone().unwrap_or(Distribution { to: Vec::new(), cc: Vec::new() })
    };
    for direct in [true, false] {
        for e in &book.entries {
            let d = lists(e);
            for (i, a) in (if direct { &d.to } else { &d.cc }).iter().enumerate() {
                let field = format!("distribution.{}[{i}]", if direct { "to" } else { "cc" });
                let mbox = address::parse(&field, a).map_err(|err| {
                    Diagnostic::error(e.file.as_str(), err.to_string()).path(field)
                })?;
                let key = mbox.email.to_string().to_lowercase();
                if !seen.contains(&key) {
                    seen.push(key);
                    (if direct { &mut out.to } else { &mut out.cc }).push(a.trim().to_string());
                }
            }
        }
    }
    Ok(out)
}

/// What the distribution policy (and its floor) decide for the book's
/// message: the book's highest marking, to everyone it goes to (`to` when
/// given). A brief marked at or above SECRET refuses the message whatever
/// the book's highest marking is taken to be.
pub fn decide(
    book: &Book,
    to: &[String],
    policy: Option<&crate::mail::policy::Policy>,
) -> Result<crate::mail::policy::Decision, Diagnostic> {
    use crate::mail::policy;
    let distribution = recipients(book, to)?;
    let field = |list: &str, i: usize| {
        if to.is_empty() { format!("distribution.{list}[{i}]") } else { format!("--to[{i}]") }
    };
    let mut list: Vec<(String, String)> =
        distribution.to.iter().enumerate().map(|(i, a)| (field("to", i), a.clone())).collect();
    list.extend(distribution.cc.iter().enumerate().map(|(i, a)| (field("cc", i), a.clone())));
    let house = policy.and_then(|p| p.scale.as_ref());
    let secret = book.entries.iter().find_map(|e| {
        e.brief.brief.classification.as_deref().filter(|m| policy::above_floor(m, house))
    });
    Ok(policy::decide(secret.or(book.marking.as_deref()), &list, policy))
}

/// The `.eml` for the book, `pdf_name` its attachment's name. The message is
/// made by [`mail::message`] from a brief standing for the book: its title,
/// highest marking and caveats, the meetings' date range and number, and
/// one line per meeting of the schedule (when, title, parties, a draft said
/// so, page) where a brief has its key messages.
pub fn message(
    book: &Book,
    pdf_name: &str,
    to: &[String],
    created: i64,
    from: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let distribution = recipients(book, to)?;
    let first =
        book.entries.first().ok_or_else(|| Diagnostic::error("brief book", "an empty book"))?;
    let mut cover: Brief = first.brief.clone();
    let tag = &book.language;
    cover.brief.title = book.title.clone();
    cover.brief.subtitle =
        crate::locale::label("Briefing book", tag).filter(|w| *w != book.title).map(String::from);
    cover.brief.classification = book.marking.clone();
    cover.brief.handling = book.handling.clone();
    cover.brief.language = tag.clone();
    cover.brief.status =
        if book.entries.iter().any(|e| !e.brief.cleared()) { Status::Draft } else { Status::Final };
    // The meetings' kinds are in the schedule below, one line each: the
    // header names how many there are and when, not "X and X".
    cover.meeting.kind =
        crate::locale::label("Briefing book", tag).unwrap_or("Briefing book").into();
    cover.meeting.time = None;
    let common = |e: &super::Chapter| e.brief.meeting.location.clone();
    cover.meeting.location =
        common(first).filter(|l| book.entries.iter().all(|e| common(e).as_ref() == Some(l)));
    for (field, _) in crate::model::DROPPABLE {
        crate::model::clear(&mut cover, field);
    }
    let page = crate::locale::label("Page", tag).unwrap_or("Page");
    cover.key_messages = book
        .entries
        .iter()
        .map(|e| {
            let m = &e.brief.meeting;
            let mut when = crate::locale::short_date(m.date, tag);
            if let Some(t) = m.time {
                when = crate::locale::join(&when, &crate::locale::time(t, tag), tag);
            }
            let n = crate::locale::number((e.first_page + 1) as f64, 0, tag);
            // Plain text: the body renders key messages as markdown.
            let title = e.brief.brief.title.replace(['*', '_', '`', '[', ']'], " ");
            let parties: Vec<&str> = m.parties.iter().map(|p| p.country.as_str()).collect();
            let parties = parties.join(" – ").replace(['*', '_', '`', '[', ']'], " ");
            let draft = if e.brief.cleared() {
                String::new()
            } else {
                format!(" ({})", crate::locale::label("DRAFT", tag).unwrap_or("DRAFT"))
            };
            let cleared = super::cleared_by(&e.brief, tag).replace(['*', '_', '`', '[', ']'], " ");
            let cleared = if e.brief.cleared() {
                crate::locale::label("Cleared by {names}", tag)
                    .unwrap_or("Cleared by {names}")
                    .replace("{names}", &cleared)
            } else {
                cleared
            };
            let cleared = if cleared.is_empty() { String::new() } else { format!(" · {cleared}") };
            format!("{when}: {title} — {parties}{draft} ({page} {n}){cleared}")
        })
        .collect();
    cover.distribution = Some(distribution);
    // Each brief's clearance is on its schedule line; the book has none of its own.
    cover.clearance = None;
    let schedule = crate::locale::label("Schedule", tag).unwrap_or("Schedule").to_string();
    let options = mail::MessageOptions {
        from: from.to_string(),
        date: created,
        list_heading: Some(schedule),
        meetings: Some(mail::Meetings {
            dates: super::date_range(book.entries.iter().map(|e| e.brief.meeting.date), tag),
            count: book.entries.len(),
        }),
        ..Default::default()
    };
    mail::message(&cover, &book.pdf, pdf_name, &options)
        .map_err(|e| Diagnostic::error("brief book", format!("cannot make the email: {e}")))
}
