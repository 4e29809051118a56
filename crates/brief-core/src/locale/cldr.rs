//! CLDR's dates, numbers, plurals and lists for one locale, through ICU4X's compiled data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use fixed_decimal::Decimal;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{E, YMD};
use icu_datetime::input::{DateTime, Time};
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames};
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_decimal::DecimalFormatter;
use icu_list::ListFormatter;
use icu_list::options::{ListFormatterOptions, ListLength};
use icu_locale::fallback::LocaleFallbacker;
use icu_locale::{DataLocale, Locale, LocaleExpander};
use icu_plurals::{PluralCategory, PluralRules};
use writeable::TryWriteable;

use super::patterns::{FULL, GLUE, HM, PAIR, SHORT};

/// The formatters of one locale. Dates are always Gregorian: briefs and
/// their sources give Gregorian dates, whatever calendar the locale prefers.
pub(super) struct Cldr {
    /// CLDR's patterns of [`FULL`], [`SHORT`] and [`HM`], each with the
    /// locale's names and digits it needs (one set of names holds one width
    /// of each field: EEEE and E need two).
    full: Filled,
    short: Filled,
    hm: Filled,
    long: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    weekday: FixedCalendarDateTimeFormatter<Gregorian, E>,
    decimal: DecimalFormatter,
    cardinal: PluralRules,
    ordinal: PluralRules,
    and: ListFormatter,
    /// CLDR's full date-time pattern, `{1}` the date and `{0}` the time.
    glue: &'static str,
    /// Two items side by side (see [`PAIR`]).
    pair: &'static str,
}

/// The pattern of `locale` in `table`: its own or the nearest on its CLDR
/// fallback chain (`pt-AO` → `pt-PT` → `pt`, `zh-TW` → `zh-Hant`).
fn pattern(table: &[(&str, &'static str)], locale: &Locale) -> Option<&'static str> {
    let mut full = locale.id.clone();
    LocaleExpander::new_common().maximize(&mut full);
    let script = full.script;
    let fallbacker = LocaleFallbacker::new();
    let mut chain =
        fallbacker.for_config(Default::default()).fallback_for(DataLocale::from(locale));
    loop {
        let here = chain.get();
        if here.is_unknown() {
            return None;
        }
        let tag = here.to_string();
        // CLDR names Hong Kong's locale zh-Hant-HK; the chain of zh-HK has no script.
        let scripted = match (here.script, here.region, script) {
            (None, Some(region), Some(script)) => {
                format!("{}-{}-{}", here.language, script, region)
            }
            _ => String::new(),
        };
        if let Some((_, pattern)) = table.iter().find(|(t, _)| *t == tag || *t == scripted) {
            return Some(pattern);
        }
        chain.step();
    }
}

/// Formatters already made, by locale: a batch of briefs in one language
/// makes them once.
fn cache() -> &'static Mutex<HashMap<String, Arc<Cldr>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Cldr>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The formatters of `locale`; `None` only if CLDR's compiled data lacks
/// what a formatter needs, which the tests rule out for every supported language.
pub(super) fn get(locale: &Locale) -> Option<Arc<Cldr>> {
    let key = locale.to_string();
    if let Some(found) = cache().lock().ok()?.get(&key) {
        return Some(found.clone());
    }
    let made = Arc::new(Cldr::new(locale)?);
    cache().lock().ok()?.insert(key, made.clone());
    Some(made)
}

impl Cldr {
    fn new(locale: &Locale) -> Option<Cldr> {
        let prefs = DateTimeFormatterPreferences::from(locale);
        Some(Cldr {
            full: Filled::new(prefs, &FULL, locale)?,
            short: Filled::new(prefs, &SHORT, locale)?,
            hm: Filled::new(prefs, &HM, locale)?,
            long: FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()).ok()?,
            weekday: FixedCalendarDateTimeFormatter::try_new(prefs, E::long()).ok()?,
            decimal: DecimalFormatter::try_new(locale.into(), Default::default()).ok()?,
            cardinal: PluralRules::try_new_cardinal(locale.into()).ok()?,
            ordinal: PluralRules::try_new_ordinal(locale.into()).ok()?,
            and: ListFormatter::try_new_and(
                locale.into(),
                ListFormatterOptions::default().with_length(ListLength::Wide),
            )
            .ok()?,
            glue: pattern(&GLUE, locale).unwrap_or("{1}, {0}"),
            pair: pattern(&PAIR, locale).unwrap_or("{0}, {1}"),
        })
    }

    /// Two texts side by side, as the language separates them.
    pub(super) fn pair(&self, first: &str, second: &str) -> String {
        self.pair.replace("{0}", first).replace("{1}", second)
    }

    /// A date and a time, both formatted, joined as the locale joins them.
    pub(super) fn join(&self, date: &str, time: &str) -> String {
        self.glue.replace("{1}", date).replace("{0}", time)
    }

    pub(super) fn full_date(&self, date: NaiveDate) -> String {
        self.full.format(date, NaiveTime::MIN)
    }

    pub(super) fn short_date(&self, date: NaiveDate) -> String {
        self.short.format(date, NaiveTime::MIN)
    }

    pub(super) fn long_date(&self, date: NaiveDate) -> String {
        gregorian(date).map(|d| self.long.format(&d).to_string()).unwrap_or_default()
    }

    pub(super) fn weekday(&self, date: NaiveDate) -> String {
        gregorian(date).map(|d| self.weekday.format(&d).to_string()).unwrap_or_default()
    }

    pub(super) fn time(&self, time: NaiveTime) -> String {
        self.hm.format(NaiveDate::default(), time)
    }

    /// `text` is a plain decimal numeral ("-1234.5").
    pub(super) fn number(&self, text: &str) -> String {
        match text.parse::<Decimal>() {
            Ok(d) => self.decimal.format(&d).to_string(),
            Err(_) => text.to_string(),
        }
    }

    /// The plural category of a plain decimal numeral, cardinal or ordinal.
    pub(super) fn plural(&self, text: &str, ordinal: bool) -> &'static str {
        let rules = if ordinal { &self.ordinal } else { &self.cardinal };
        let Ok(d) = text.parse::<Decimal>() else { return "other" };
        match rules.category_for(&d) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    pub(super) fn and_list(&self, items: &[String]) -> String {
        self.and.format(items.iter()).to_string()
    }
}

/// One of CLDR's patterns with the names and digits it needs.
struct Filled {
    names: FixedCalendarDateTimeNames<Gregorian>,
    pattern: DateTimePattern,
}

impl Filled {
    /// The pattern of `locale` in `table`, its names loaded.
    fn new(
        prefs: DateTimeFormatterPreferences,
        table: &[(&str, &'static str)],
        locale: &Locale,
    ) -> Option<Filled> {
        let pattern: DateTimePattern = pattern(table, locale)?.parse().ok()?;
        let mut names = FixedCalendarDateTimeNames::try_new(prefs).ok()?;
        names.include_for_pattern(&pattern).ok()?;
        Some(Filled { names, pattern })
    }

    fn format(&self, date: NaiveDate, time: NaiveTime) -> String {
        let (Some(date), Ok(time)) =
            (gregorian(date), Time::try_new(time.hour() as u8, time.minute() as u8, 0, 0))
        else {
            return String::new();
        };
        let input = DateTime { date, time };
        let formatted = self.names.with_pattern_unchecked(&self.pattern).format(&input);
        formatted.try_write_to_string().map(|s| s.into_owned()).unwrap_or_default()
    }
}

/// A proleptic Gregorian date; ICU4X takes years from -9999 to 9999, as
/// model does.
fn gregorian(date: NaiveDate) -> Option<Date<Gregorian>> {
    Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8).ok()
}
