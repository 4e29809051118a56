//! The brief's language: which languages briefs can be written in, their
//! fixed wording (`locales/*.yaml`), and CLDR's dates, numbers, plurals and
//! lists through ICU4X.
//!
//! A language tag resolves to a supported language by CLDR's fallback rules
//! (`pt-BR` → `pt`, `uz-Latn` → `uz`, `zh-TW` → `zh-Hant`; `az-Cyrl` falls
//! back to the root, not to `az`, so it is not supported). Formats use the
//! whole tag, so `pt-BR` and `en-GB` get their own CLDR formats and the
//! wording of `pt` and `en`.

mod cldr;
mod patterns;
pub mod wording;
pub mod zone;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use chrono::{NaiveDate, NaiveTime};
use icu_locale::fallback::LocaleFallbacker;
use icu_locale::{DataLocale, Locale, LocaleDirectionality};
use serde::Serialize;

/// A language briefs can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// Its BCP 47 code, the name of its file in `locales/`.
    pub code: &'static str,
    /// Its English name.
    pub name: &'static str,
    /// Its name in itself.
    pub native: &'static str,
}

const fn lang(code: &'static str, name: &'static str, native: &'static str) -> Language {
    Language { code, name, native }
}

/// Every supported language, each with a wording file of its own.
pub const LANGUAGES: [Language; 22] = [
    lang("en", "English", "English"),
    lang("fr", "French", "français"),
    lang("de", "German", "Deutsch"),
    lang("es", "Spanish", "español"),
    lang("it", "Italian", "italiano"),
    lang("pt", "Portuguese", "português"),
    lang("ru", "Russian", "русский"),
    lang("uk", "Ukrainian", "українська"),
    lang("tr", "Turkish", "Türkçe"),
    lang("az", "Azerbaijani", "azərbaycan"),
    lang("ky", "Kyrgyz", "кыргызча"),
    lang("kk", "Kazakh", "қазақ тілі"),
    lang("uz", "Uzbek", "o‘zbek"),
    lang("ka", "Georgian", "ქართული"),
    lang("hy", "Armenian", "հայերեն"),
    lang("ar", "Arabic", "العربية"),
    lang("fa", "Persian", "فارسی"),
    lang("he", "Hebrew", "עברית"),
    lang("zh", "Chinese (Simplified)", "中文（简体）"),
    lang("zh-Hant", "Chinese (Traditional)", "中文（繁體）"),
    lang("ja", "Japanese", "日本語"),
    lang("ko", "Korean", "한국어"),
];

/// The direction a language is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left (Arabic, Persian, Hebrew).
    Rtl,
}

impl Dir {
    /// `ltr` or `rtl`, as HTML and templates write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// A language tag resolved to a supported language.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The language whose wording the brief uses.
    pub language: &'static Language,
    /// The tag as given, canonical: its CLDR formats.
    pub locale: Locale,
    /// The direction of its script.
    pub dir: Dir,
}

/// Why a tag resolves to no supported language.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsupported {
    /// What is wrong, in a sentence.
    pub reason: String,
    /// The supported code the author most likely meant.
    pub suggestion: Option<&'static str>,
}

/// Resolves a BCP 47 tag (`_` accepted for `-`) by CLDR's fallback chain to
/// the first supported language on it.
pub fn resolve(tag: &str) -> Result<Resolved, Unsupported> {
    // Every filter call of a render asks: remember the answers, a few tags per run.
    static SEEN: OnceLock<Mutex<HashMap<String, Result<Resolved, Unsupported>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if let Some(found) = seen.lock().ok().and_then(|m| m.get(tag).cloned()) {
        return found;
    }
    let found = resolve_uncached(tag);
    if let Ok(mut m) = seen.lock() {
        if m.len() >= 256 {
            m.clear();
        }
        m.insert(tag.to_string(), found.clone());
    }
    found
}

fn resolve_uncached(tag: &str) -> Result<Resolved, Unsupported> {
    let locale = Locale::try_from_str(&tag.replace('_', "-")).map_err(|_| Unsupported {
        reason: format!("`{tag}` is not a BCP 47 language tag"),
        suggestion: suggest(tag),
    })?;
    let fallbacker = LocaleFallbacker::new();
    let mut chain =
        fallbacker.for_config(Default::default()).fallback_for(DataLocale::from(&locale));
    let mut path = Vec::new();
    loop {
        let here = chain.get();
        if here.is_unknown() {
            break;
        }
        // A language, or a language in a script whose wording differs (zh-Hant).
        if here.region.is_none() && here.variant.is_none() {
            let code = here.to_string();
            if let Some(language) = LANGUAGES.iter().find(|l| l.code == code) {
                let dir = if LocaleDirectionality::new_common().is_right_to_left(&locale.id) {
                    Dir::Rtl
                } else {
                    Dir::Ltr
                };
                return Ok(Resolved { language, locale, dir });
            }
        }
        path.push(here.to_string());
        chain.step();
    }
    let reason = if tag.contains(['-', '_']) {
        format!("`{tag}` is not a supported language (CLDR falls back {} → root)", path.join(" → "))
    } else {
        format!("`{tag}` is not a supported language")
    };
    Err(Unsupported { reason, suggestion: suggest(tag) })
}

/// "en (English), fr (French), …": the supported languages for a message.
pub fn supported_list() -> String {
    LANGUAGES.iter().map(|l| format!("{} ({})", l.code, l.name)).collect::<Vec<_>>().join(", ")
}

/// The supported code an unsupported tag most likely meant: a country code
/// written for its language (`kg` for Kyrgyz), a language's name, or a
/// code one letter off when only one is.
pub(crate) fn suggest(tag: &str) -> Option<&'static str> {
    let lower = tag.trim().to_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or_default();
    const COUNTRIES: [(&str, &str); 14] = [
        ("kg", "ky"),
        ("kz", "kk"),
        ("ua", "uk"),
        ("ge", "ka"),
        ("am", "hy"),
        ("ir", "fa"),
        ("il", "he"),
        ("iw", "he"),
        ("cn", "zh"),
        ("jp", "ja"),
        ("kr", "ko"),
        ("br", "pt"),
        ("gb", "en"),
        ("us", "en"),
    ];
    if let Some((_, code)) = COUNTRIES.iter().find(|(c, _)| *c == primary) {
        return Some(code);
    }
    let named = LANGUAGES.iter().max_by(|a, b| {
        let score = |l: &Language| strsim::jaro_winkler(&lower, &l.name.to_lowercase());
        score(a).total_cmp(&score(b))
    })?;
    if lower.len() > 3 && strsim::jaro_winkler(&lower, &named.name.to_lowercase()) > 0.85 {
        return Some(named.code);
    }
    let near: Vec<&Language> =
        LANGUAGES.iter().filter(|l| strsim::levenshtein(primary, l.code) == 1).collect();
    match near.as_slice() {
        [one] if primary.len() == 2 => Some(one.code),
        _ => None,
    }
}

/// The CLDR formatters of a tag: its own, or English when it does not
/// resolve (model has refused such a brief already). `None` only if the
/// compiled data lacked a formatter, which the tests rule out.
fn cldr(tag: &str) -> Option<std::sync::Arc<cldr::Cldr>> {
    let locale = resolve(tag).map(|r| r.locale).unwrap_or(icu_locale::locale!("en"));
    cldr::get(&locale)
}

/// The writing direction of a tag.
pub fn dir(tag: &str) -> Dir {
    resolve(tag).map(|r| r.dir).unwrap_or_default()
}

/// The supported language of a tag's wording, English when none.
pub fn code(tag: &str) -> &'static str {
    resolve(tag).map(|r| r.language.code).unwrap_or("en")
}

/// The full date with the weekday: "Monday, July 5, 2021", "понедельник, 5 июля 2021 г.".
pub fn long_date(date: NaiveDate, tag: &str) -> String {
    cldr(tag).map(|c| c.full_date(date)).unwrap_or_else(|| date.to_string())
}

/// The date without the weekday: "July 5, 2021", "5 июля 2021 г.".
pub fn date(date: NaiveDate, tag: &str) -> String {
    cldr(tag).map(|c| c.long_date(date)).unwrap_or_else(|| date.to_string())
}

/// The short date with the weekday, abbreviated names and the whole year:
/// "Mon, Jul 5, 2021". Never all-numeric: 7/5 reads as two dates across the Atlantic.
pub fn short_date(date: NaiveDate, tag: &str) -> String {
    cldr(tag).map(|c| c.short_date(date)).unwrap_or_else(|| date.to_string())
}

/// A full date and a time of day, as the language joins them (CLDR's
/// date-time pattern): "Monday, July 5, 2021, 09:30", "2021年7月5日星期一 09:30".
pub fn date_time(date: NaiveDate, time: NaiveTime, tag: &str) -> String {
    join(&long_date(date, tag), &self::time(time, tag), tag)
}

/// Two texts already formatted, a date and a time, joined by the language's
/// date-time pattern; templates join their fields (with change bars) so.
pub fn join(date: &str, time: &str, tag: &str) -> String {
    cldr(tag).map(|c| c.join(date, time)).unwrap_or_else(|| format!("{date}, {time}"))
}

/// Texts side by side on one line, each already written, separated as the
/// language separates items ("Europe desk, 5 July 2021", Arabic's "،",
/// Japanese "、"); empty texts are left out.
pub fn pair(items: &[&str], tag: &str) -> String {
    let mut items = items.iter().map(|t| t.trim()).filter(|t| !t.is_empty());
    let Some(first) = items.next() else { return String::new() };
    items.fold(first.to_string(), |out, next| match cldr(tag) {
        Some(c) => c.pair(&out, next),
        None => format!("{out}, {next}"),
    })
}

/// The weekday's name: "Monday", "дүйшөмбү".
pub fn weekday(date: NaiveDate, tag: &str) -> String {
    cldr(tag).map(|c| c.weekday(date)).unwrap_or_default()
}

/// A time of day on the 24-hour clock, in the language's digits and separator.
pub fn time(time: NaiveTime, tag: &str) -> String {
    cldr(tag).map(|c| c.time(time)).unwrap_or_else(|| time.format("%H:%M").to_string())
}

/// A number rounded half away from zero to at most `decimals` decimals
/// (trailing zeros dropped, never "-0"), with the language's separators and
/// digits; `usize::MAX` decimals for the number as written (see [`plain`]).
pub fn number(value: f64, decimals: usize, tag: &str) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = plain(value, decimals);
    cldr(tag).map(|c| c.number(&text)).unwrap_or(text)
}

/// "-1234.5": the numeral ICU4X reads, trailing zeros dropped. Made from
/// the shortest decimal that reads back as the same float (what the source
/// wrote: 0.1 is "0.1", 2.25 is "2.25", never the binary value's
/// 2.2499999…), then rounded there, half away from zero (2.25 to one
/// decimal is "2.3"), so no digit is printed that the source did not write.
fn plain(value: f64, decimals: usize) -> String {
    // Rust writes floats as their shortest round-trip decimal, never with
    // an exponent.
    let written = format!("{}", value.abs());
    let (int, frac) = written.split_once('.').unwrap_or((&written, ""));
    let mut text = if frac.len() <= decimals {
        written.clone()
    } else {
        let mut digits: Vec<u8> = format!("{int}{}", &frac[..decimals]).into_bytes();
        if frac.as_bytes()[decimals] >= b'5' {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let point = digits.len() - decimals;
        let mut out = String::from_utf8(digits).unwrap_or_default();
        if decimals > 0 {
            out.insert(point, '.');
        }
        out
    };
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    if value.is_sign_negative() && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        text.insert(0, '-');
    }
    text
}

/// The languages whose CLDR percent pattern is not "#,##0%": what goes
/// before and after the number, `%` standing for the sign. tests/cldr.rs
/// checks every language against babel's CLDR; a regional locale takes
/// its language's pattern.
const PERCENT: [(&str, &str, &str); 5] = [
    ("de", "", "\u{a0}%"),
    ("es", "", "\u{a0}%"),
    ("fr", "", "\u{a0}%"),
    ("ru", "", "\u{a0}%"),
    ("tr", "%", ""),
];

/// `value` percent ("67.2%", "67,2\u{a0}%", Turkish "%67,2"), rounded to
/// `decimals` as [`number`] rounds; `signed` writes a plus sign before a
/// rise ("+67%"), in the language's own form (with Arabic's bidi mark).
/// Zero is never signed.
pub fn percent(value: f64, decimals: usize, signed: bool, tag: &str) -> String {
    let body = number(value.abs(), decimals, tag);
    let nonzero = plain(value.abs(), decimals).bytes().any(|b| b.is_ascii_digit() && b != b'0');
    // The sign as CLDR writes it before a number ("-", "\u{200e}-", U+2212),
    // a plus sign in the same form.
    let one = number(1.0, 0, tag);
    let negative = number(-1.0, 0, tag);
    let minus = negative.strip_suffix(one.as_str()).unwrap_or("-").to_string();
    let sign = match (nonzero, value < 0.0, signed) {
        (false, _, _) => String::new(),
        (true, true, _) => minus,
        (true, false, true) => minus.replace(['-', '\u{2212}', '\u{2013}'], "+"),
        (true, false, false) => String::new(),
    };
    let (before, after) = PERCENT
        .iter()
        .find(|(c, ..)| *c == code(tag))
        .map_or(("", "%"), |(_, before, after)| (*before, *after));
    // CLDR's percent sign of the numbering system: the Arabic-Indic ones'
    // own, Arabic's Latin one between left-to-right marks.
    let sign_of = match digits(tag)[0] {
        '\u{660}' => "\u{66a}\u{61c}",
        '\u{6f0}' => "\u{66a}",
        _ if code(tag) == "ar" => "\u{200e}%\u{200e}",
        _ => "%",
    };
    let (before, after) = (before.replace('%', sign_of), after.replace('%', sign_of));
    format!("{sign}{before}{body}{after}")
}

/// The decimal and thousands separators of the language, as CLDR's
/// default numbering system writes them (`٫` and `٬` in Arabic).
pub fn separators(tag: &str) -> (char, char) {
    let formatted = cldr(tag).map(|c| c.number("1234567.5")).unwrap_or_default();
    let marks: Vec<char> =
        formatted.chars().filter(|c| !c.is_numeric() && !is_bidi_mark(*c)).collect();
    match (marks.first(), marks.last()) {
        (Some(&group), Some(&decimal)) if marks.len() >= 2 => (decimal, group),
        (_, Some(&decimal)) => (decimal, ','),
        _ => ('.', ','),
    }
}

/// The minus sign of the language, as CLDR writes a negative number
/// (`-` in English, U+2212 in Swedish, Finnish, Norwegian, Hebrew…).
pub fn minus(tag: &str) -> char {
    let formatted = cldr(tag).map(|c| c.number("-1")).unwrap_or_default();
    formatted.chars().find(|c| !c.is_numeric() && !is_bidi_mark(*c)).unwrap_or('-')
}

/// The ten digits of the language's default numbering system: `0`–`9`,
/// or native ones (`٠`–`٩` in Arabic, `۰`–`۹` in Persian).
pub fn digits(tag: &str) -> [char; 10] {
    let mut out = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    let Some(formats) = cldr(tag) else { return out };
    for (i, slot) in out.iter_mut().enumerate() {
        let text = formats.number(&i.to_string());
        if let Some(c) = text.chars().find(|c| c.is_numeric()) {
            *slot = c;
        }
    }
    out
}

fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// CLDR's cardinal plural category of a number: `zero`, `one`, `two`,
/// `few`, `many` or `other`. The number is taken as written with at most
/// `decimals` decimals, since "1.0" and "1" differ in some languages.
pub fn plural(value: f64, tag: &str) -> &'static str {
    cldr(tag).map_or("other", |c| c.plural(&plain(value, 6), false))
}

/// CLDR's ordinal plural category ("1st", "2nd", "3rd", "4th" in English:
/// `one`, `two`, `few`, `other`).
pub fn ordinal(value: f64, tag: &str) -> &'static str {
    cldr(tag).map_or("other", |c| c.plural(&plain(value, 0), true))
}

/// "A, B and C" in the language.
pub fn list(items: &[String], tag: &str) -> String {
    cldr(tag).map(|c| c.and_list(items)).unwrap_or_else(|| items.join(", "))
}

/// The fixed wording `key` in the language; `None` when there is no such phrase.
pub fn label(key: &str, tag: &str) -> Option<&'static str> {
    wording::phrase(key, code(tag)).or_else(|| wording::phrase(key, "en"))
}

/// Every phrase key, for error messages.
pub fn label_keys() -> impl Iterator<Item = &'static str> {
    wording::keys()
}

#[cfg(test)]
mod tests;
