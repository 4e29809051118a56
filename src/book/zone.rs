//! A book for a principal in another time zone (`brief book --time-zone`):
//! each meeting's date and time as the principal's clock reads them, the
//! meeting's own after it; a time that cannot be converted is shown as the
//! brief gives it, never as a guess, and the book warns.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::diag::Diagnostic;
use crate::locale::{self, zone};
use crate::model::Brief;

/// The meeting's date and start time in zone `to` when they can be
/// converted, else as the brief gives them: what the book orders by.
pub(super) fn at(b: &Brief, to: Option<&str>) -> (NaiveDate, Option<NaiveTime>) {
    let m = &b.meeting;
    converted(b, to).map_or((m.date, m.time), |there| (there.date(), Some(there.time())))
}

/// The meeting's start in zone `to`, when the brief gives a time and zone
/// and the clocks read that time exactly once.
fn converted(b: &Brief, to: Option<&str>) -> Option<NaiveDateTime> {
    let m = &b.meeting;
    match (m.time, m.time_zone.as_deref(), to) {
        (Some(t), Some(from), Some(to)) => zone::convert(m.date.and_time(t), from, to).ok(),
        _ => None,
    }
}

/// The meeting's date (see [`at`]) and its start time as printed in
/// `language`: "09:00 Belgium Time (11:00 Azerbaijan Time)" in zone `to`,
/// "11:00 Azerbaijan Time" without one, "11:00 local time" when the brief
/// gives no zone to convert from; empty for an untimed meeting.
pub(super) fn when(b: &Brief, to: Option<&str>, language: &str) -> (NaiveDate, String) {
    when_as(b, to, language, true)
}

/// [`when`] for the schedule's narrow column, under a line that names zone
/// `to` once: a converted time without that zone's name, "09:00 (11:00
/// Azerbaijan Time)". Five lines of the column were two clocks' names.
pub(super) fn when_in_schedule(b: &Brief, to: Option<&str>, language: &str) -> (NaiveDate, String) {
    when_as(b, to, language, false)
}

fn when_as(b: &Brief, to: Option<&str>, language: &str, name_to: bool) -> (NaiveDate, String) {
    let m = &b.meeting;
    let word = |key: &str| locale::label(key, language).unwrap_or(key).to_string();
    let named = |t: NaiveTime, z: &str| {
        format!("{} {}", locale::time(t, language), zone::name(z, language))
    };
    // Converted once: the date shown and the time beside it.
    let there = converted(b, to);
    let date = there.map_or(m.date, |c| c.date());
    let Some(t) = m.time else { return (date, String::new()) };
    let text = match (m.time_zone.as_deref(), to) {
        (None, None) => locale::time(t, language),
        (None, Some(_)) => word("{time} local time").replace("{time}", &locale::time(t, language)),
        (Some(from), to) => {
            let own = named(t, from);
            // A time that could not be converted (the clocks skip or repeat
            // it) is the meeting's own, named as such: never labelled with
            // the principal's zone (see `warnings`).
            match (to, there.map(|c| c.time())) {
                // Converted, and another clock (not only another name for it).
                (Some(to), Some(there))
                    if (date, there) != (m.date, t)
                        || zone::name(to, language) != zone::name(from, language) =>
                {
                    let own = if date == m.date {
                        own
                    } else {
                        locale::join(&locale::short_date(m.date, language), &own, language)
                    };
                    let there =
                        if name_to { named(there, to) } else { locale::time(there, language) };
                    word("{time} ({local})").replace("{time}", &there).replace("{local}", &own)
                }
                _ => own,
            }
        }
    };
    (date, text)
}

/// A warning, at the brief's `meeting.time`, for each timed meeting the
/// book cannot give in zone `to`.
pub(super) fn warnings(briefs: &[(String, Brief)], to: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, b) in briefs {
        let m = &b.meeting;
        let Some(t) = m.time else { continue };
        let d = match m.time_zone.as_deref() {
            None => Diagnostic::warning(
                file,
                format!("the meeting's time has no time zone, so the book cannot give it in {to}"),
            )
            .hint("add the meeting's `time_zone:` (e.g. Asia/Baku); the book shows the time as local time"),
            Some(from) => match zone::convert(m.date.and_time(t), from, to) {
                Ok(_) => continue,
                Err(why) => Diagnostic::warning(
                    file,
                    format!("{} {} in {from} cannot be given in {to}: {why}", m.date, t.format("%H:%M")),
                )
                .hint("check the time; the book shows it as the brief gives it"),
            },
        };
        out.push(d.path("meeting.time"));
    }
    out
}
