//! Changes in words: the `brief diff` report (English, for people at a
//! terminal) and the short list of the "Changes since" box and the email,
//! in the brief's language.

use serde_json::Value;

use super::{Change, Changes, Kind};
use crate::document::{ChangeEntry, ChangesBox};
use crate::locale;

/// The report `brief diff` prints: one line per change, then for changed
/// text the words deleted `[-so-]` and inserted `{+so+}`.
pub fn human(changes: &Changes) -> String {
    let mut out = String::new();
    for c in &changes.changes {
        let kind = match c.kind {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
            Kind::Moved => "moved",
        };
        let place = match &c.was {
            Some(was) => format!("{} (was {was})", c.path),
            None => c.path.clone(),
        };
        let detail = match (c.kind, &c.old, &c.new) {
            (Kind::Added, _, Some(new)) => show(new),
            (Kind::Removed, Some(old), _) => show(old),
            (Kind::Changed, Some(old), Some(new)) => changed(c, old, new),
            _ => String::new(),
        };
        if detail.is_empty() {
            out.push_str(&format!("{kind:<8} {place}\n"));
        } else {
            out.push_str(&format!("{kind:<8} {place}: {detail}\n"));
        }
    }
    out
}

fn changed(c: &Change, old: &Value, new: &Value) -> String {
    // Marked words help only where some words stayed.
    if c.words.iter().any(|w| w.op == "equal") {
        return marked(&c.words);
    }
    match (old, new) {
        (Value::Object(_), Value::Object(_)) => {
            let mut parts = Vec::new();
            for (key, before, after) in leaves(old, new) {
                let words = match (before, after) {
                    (Value::String(x), Value::String(y)) => super::words(x, y),
                    _ => Vec::new(),
                };
                let text = if words.iter().any(|w| w.op == "equal") {
                    marked(&words)
                } else {
                    format!("{} → {}", show(before), show(after))
                };
                let name = leaf_name(new, &key).unwrap_or(key);
                parts.push(format!("{name}: {text}"));
            }
            parts.join("; ")
        }
        _ => format!("{} → {}", show(old), show(new)),
    }
}

/// The innermost differences between two records, by path within them:
/// `series[0].values[1]`, `status`. Lists of different lengths count whole.
fn leaves<'a>(old: &'a Value, new: &'a Value) -> Vec<(String, &'a Value, &'a Value)> {
    let mut out = Vec::new();
    walk(String::new(), old, new, &mut out);
    out
}

type Leaf<'a> = (String, &'a Value, &'a Value);

fn walk<'a>(path: String, old: &'a Value, new: &'a Value, out: &mut Vec<Leaf<'a>>) {
    const NULL: &Value = &Value::Null;
    match (old, new) {
        _ if old == new => {}
        (Value::Object(a), Value::Object(b)) => {
            for (key, after) in b {
                let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(inner, a.get(key).unwrap_or(NULL), after, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(format!("{path}[{i}]"), x, y, out);
            }
        }
        _ => out.push((path, old, new)),
    }
}

/// What a leaf of a record names, as the page shows it: a figure's value
/// as "title, series, category" (`Trade by year, Portuguese exports to
/// Brazil, 2025`), a fact's value by the fact's label; `None` for other
/// fields, which their key names.
fn leaf_name(record: &Value, key: &str) -> Option<String> {
    let text = |pointer: &str| record.pointer(pointer).and_then(Value::as_str);
    if key == "value" {
        return text("/label").map(String::from);
    }
    let (s, rest) = key.strip_prefix("series[")?.split_once(']')?;
    let i = rest.strip_prefix(".values[")?.strip_suffix(']')?;
    let (s, i) = (s.parse::<usize>().ok()?, i.parse::<usize>().ok()?);
    let parts =
        [text("/title"), text(&format!("/series/{s}/name")), text(&format!("/categories/{i}"))];
    let parts: Vec<&str> = parts.into_iter().flatten().filter(|p| !p.trim().is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A number as the source wrote it: the shortest decimal that reads back
/// as the same value (`1710`, never `1710.0`; `0.1`, never `0.1000…01`).
fn written(n: &serde_json::Number) -> String {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i.to_string(),
        (_, Some(u), _) => u.to_string(),
        (_, _, Some(f)) => format!("{f}"),
        _ => n.to_string(),
    }
}

/// Words as wdiff writes them: `[-deleted-]{+inserted+}`.
fn marked(words: &[super::Word]) -> String {
    words
        .iter()
        .map(|w| match w.op {
            "delete" => format!("[-{}-]", w.text),
            "insert" => format!("{{+{}+}}", w.text),
            _ => w.text.clone(),
        })
        .collect::<String>()
        .replace('\n', "⏎")
}

/// A value on one line: text quoted, records as `{field: value, …}` without
/// their empty fields.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{:?}", s),
        Value::Null => "(none)".into(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null() && *v != &Value::Array(Vec::new()))
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Number(n) => written(n),
        other => other.to_string(),
    }
}

/// The short list: added, then changed (moves included), then removed,
/// each text cut to about `width` characters.
pub fn entries(changes: &Changes, language: &str, width: usize) -> Vec<ChangeEntry> {
    let word = |key: &str| locale::label(key, language).unwrap_or(key).to_string();
    let mut out = Vec::new();
    for (kinds, key) in [
        (&[Kind::Added][..], "Added"),
        (&[Kind::Changed, Kind::Moved][..], "Changed"),
        (&[Kind::Removed][..], "Removed"),
    ] {
        for c in changes.changes.iter().filter(|c| kinds.contains(&c.kind)) {
            let what = name(&c.path, language);
            let text = match (c.kind, &c.old, &c.new) {
                (Kind::Added, _, Some(v)) | (Kind::Removed, Some(v), _) => {
                    format!("{what}: {}", short(&plain(v, language), width))
                }
                (Kind::Changed, Some(a), Some(b)) => match was_now(a, b, language, width) {
                    (told, true) => told,
                    (told, false) => format!("{what}: {told}"),
                },
                _ => {
                    let number = |p: &str| position(p).map(|n| n.to_string()).unwrap_or_default();
                    let was = c.was.as_deref().map(number).unwrap_or_default();
                    let now = number(&c.path);
                    format!("{}: {}", section(&c.path, language), now_is(&was, &now, language))
                }
            };
            out.push(ChangeEntry { kind: word(key), text });
        }
    }
    out
}

/// "old, now new" in the language. Records (a measure, a fact, a figure)
/// name the fields that changed, unless their main text did; texts are cut
/// around their first difference, so the change itself stays in view. The
/// flag is true when every change is named by what it is on the page (a
/// figure's "title, series, category", a fact's label), so the section and
/// number need not lead.
fn was_now(old: &Value, new: &Value, language: &str, width: usize) -> (String, bool) {
    if let (Value::Object(_), Value::Object(_)) = (old, new)
        && main_text(old) == main_text(new)
    {
        let mut named = true;
        let fields: Vec<String> = leaves(old, new)
            .into_iter()
            .map(|(k, before, after)| {
                let name = leaf_name(new, &k).unwrap_or_else(|| {
                    named = false;
                    // `status` reads as "Status", in the language.
                    let name = capitalized(k.split(['.', '[']).next().unwrap_or(&k));
                    locale::label(&name, language).map_or(name.clone(), String::from)
                });
                // A measure's status reads in the language, as the table shows it;
                // a fact's value carries its unit.
                let value = |v: &Value| match v.as_str().filter(|_| k == "status") {
                    Some(s) => locale::label(s, language).unwrap_or(s).to_string(),
                    None if k == "value" && !v.is_null() => {
                        with_unit(&plain(v, language), new.get("unit").and_then(Value::as_str))
                    }
                    None => plain(v, language),
                };
                let half = width / 2;
                let (x, y) = (short(&value(before), half), short(&value(after), half));
                format!("{name}: {}", now_is(&x, &y, language))
            })
            .collect();
        return (fields.join("; "), named);
    }
    let (a, b) = excerpts(&plain(old, language), &plain(new, language), width / 2);
    (now_is(&a, &b, language), false)
}

/// The text a record is known by (a measure's text, a figure's title…).
fn main_text(record: &Value) -> Option<&str> {
    MAIN.iter().find_map(|k| record.get(*k).and_then(Value::as_str))
}

/// A value with its unit, as a fact tile prints it: "5.4 %" reads "5.4%".
fn with_unit(value: &str, unit: Option<&str>) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some("%") => format!("{value}%"),
        Some(unit) => format!("{value} {unit}"),
        None => value.to_string(),
    }
}

fn capitalized(key: &str) -> String {
    let mut chars = key.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn now_is(old: &str, new: &str, language: &str) -> String {
    locale::label("{old}, now {new}", language)
        .unwrap_or("{old}, now {new}")
        .replace("{old}", old)
        .replace("{new}", new)
}

/// The two texts from a little before their first difference, each cut to
/// about `width` characters.
fn excerpts(old: &str, new: &str, width: usize) -> (String, String) {
    let words = super::words(old, new);
    let lead = match words.first() {
        Some(w) if w.op == "equal" && w.text.split_whitespace().count() > 4 => {
            let kept: Vec<&str> = w.text.split_whitespace().collect();
            let tail = kept[kept.len() - 3..].join(" ");
            Some((w.text.len(), format!("…{tail} ")))
        }
        _ => None,
    };
    let cut = |text: &str| match &lead {
        Some((skip, tail)) => short(&format!("{tail}{}", text.get(*skip..).unwrap_or("")), width),
        None => short(text, width),
    };
    (cut(old), cut(new))
}

/// The box's heading: "Changes since version 0.3 (1 July 2021)".
pub fn heading(old: &Value, language: &str) -> String {
    let version = old.pointer("/brief/version").and_then(Value::as_str);
    let date = old
        .pointer("/brief/date")
        .and_then(Value::as_str)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| locale::date(d, language))
        .unwrap_or_default();
    match version {
        Some(v) => locale::label("Changes since version {version} ({date})", language)
            .unwrap_or_default()
            .replace("{version}", v)
            .replace("{date}", &date),
        None => locale::label("Changes since {date}", language)
            .unwrap_or_default()
            .replace("{date}", &date),
    }
}

/// The 1-based number of the last list index in a path: `agenda[1]` → 2.
fn position(path: &str) -> Option<usize> {
    let open = path.rfind('[')?;
    let close = path[open..].find(']')? + open;
    path[open + 1..close].parse::<usize>().ok().map(|i| i + 1)
}

/// Each field's or list's heading, as the key of its wording in `locale`.
const NAMES: [(&str, &str); 32] = [
    ("brief.title", "Title"),
    ("brief.subtitle", "Subtitle"),
    ("brief.reference", "Reference"),
    ("brief.classification", "Classification"),
    ("brief.handling", "Handling"),
    ("brief.status", "Status"),
    ("brief.version", "Version"),
    // The title block prints the brief's own date on its "From" line
    // ("From: Europe desk, 5 July 2021"): "Date" there is the meeting's.
    ("brief.date", "From"),
    ("brief.as_of", "Figures as of"),
    ("brief.prepared_by", "From"),
    ("brief.prepared_for", "For"),
    ("brief.template", "Template"),
    ("brief.language", "Language"),
    ("meeting.kind", "Meeting"),
    ("meeting.date", "Date"),
    ("meeting.time", "Time"),
    ("meeting.time_zone", "Time zone"),
    ("meeting.location", "Place"),
    ("meeting.parties", "Participants"),
    ("purpose", "Purpose"),
    ("summary", "Summary"),
    ("key_messages", "Key messages"),
    ("agenda", "Agenda"),
    ("outcomes", "Agreed measures"),
    ("background", "Background"),
    ("facts", "Facts"),
    ("figures", "Figures"),
    ("sections", "Sections"),
    ("risks", "Risks and difficult questions"),
    ("sources", "Sources"),
    ("distribution", "Distribution"),
    ("clearance", "Clearance"),
];

/// The section a path is in, as its heading reads.
fn section(path: &str, language: &str) -> String {
    let head = path.split('[').next().unwrap_or(path);
    let key = NAMES.iter().find(|(p, _)| *p == head).map_or(head, |(_, k)| k);
    locale::label(key, language).unwrap_or(key).to_string()
}

/// "Agenda 2.1", "Key messages 3", "Title": the section and the item's
/// number (participants are named in the text instead).
fn name(path: &str, language: &str) -> String {
    let section = section(path, language);
    if path.starts_with("meeting.parties") {
        return section;
    }
    let numbers: Vec<String> = path
        .split('[')
        .skip(1)
        .filter_map(|p| p.split(']').next()?.parse::<usize>().ok())
        .map(|i| (i + 1).to_string())
        .collect();
    if numbers.is_empty() { section } else { format!("{section} {}", numbers.join(".")) }
}

/// The fields a record is known by, in the order they are looked for.
const MAIN: [&str; 7] = ["text", "title", "topic", "country", "name", "label", "id"];

/// A value as a reader sees it: markup dropped, dates in the language,
/// records by their main fields.
fn plain(value: &Value, language: &str) -> String {
    match value {
        Value::String(s) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(date) if s.len() == 10 => locale::date(date, language),
            _ => strip_markup(s),
        },
        Value::Null => "–".into(),
        Value::Object(map) => {
            let main = MAIN.iter().find_map(|k| map.get(*k).and_then(Value::as_str));
            let mut text = main.map(strip_markup).unwrap_or_default();
            if let Some(v) = map.get("value").filter(|v| v.is_number()) {
                let unit = map.get("unit").and_then(Value::as_str);
                let v = with_unit(&plain(v, language), unit);
                text = format!("{v} {text}").split_whitespace().collect::<Vec<_>>().join(" ");
            }
            text
        }
        // As the source wrote it, in the language's digits and separators: 1,710.
        Value::Number(n) => match n.as_f64() {
            Some(f) => locale::number(f, usize::MAX, language),
            None => n.to_string(),
        },
        Value::Array(items) => {
            items.iter().map(|v| plain(v, language)).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// The text of markdown, without its markup, on one line.
fn strip_markup(text: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(&brief_core::text::passage::unmarked(text)) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text cut at a word to about `width` characters, "…" where cut.
pub fn short(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > width / 2 => cut[..at].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', '.']))
}

/// The "Changes since" box for `changes` since the version `old` (its
/// model's JSON), in `language`: what `--changes-since` hands the renderer.
pub fn changes_box(old: &Value, changes: &Changes, language: &str) -> ChangesBox {
    let marks = changes
        .changes
        .iter()
        .filter(|c| c.kind != Kind::Removed)
        .map(|c| c.path.clone())
        .collect();
    ChangesBox {
        title: heading(old, language),
        entries: entries(changes, language, 100),
        short: entries(changes, language, 60),
        none: locale::label("No changes.", language).unwrap_or("No changes.").to_string(),
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key without wording would fall back to English in every language.
    #[test]
    fn every_word_of_the_box_has_its_translations() {
        let keys = NAMES.iter().map(|(_, k)| *k).chain([
            "Added",
            "Changed",
            "Removed",
            "No changes.",
            "{old}, now {new}",
            "Changes since version {version} ({date})",
            "Changes since {date}",
            "Status",
            "Owner",
            "Due",
        ]);
        for key in keys {
            for language in locale::LANGUAGES.iter().map(|l| l.code) {
                assert!(
                    locale::label(key, language).is_some(),
                    "no wording for {key:?} in {language}"
                );
            }
            assert_ne!(locale::label(key, "ru"), Some(key), "{key:?} is not translated");
        }
    }
}
