//! CLDR's dates, numbers, plurals and lists for one locale, through ICU4X's compiled data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use fixed_decimal::Decimal;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{E, T, YMD, YMDE};
use icu_datetime::input::Time;
use icu_datetime::preferences::HourCycle;
use icu_datetime::{
    DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter, NoCalendarFormatter,
};
use icu_decimal::DecimalFormatter;
use icu_list::ListFormatter;
use icu_list::options::{ListFormatterOptions, ListLength};
use icu_locale::Locale;
use icu_plurals::{PluralCategory, PluralRules};

/// The formatters of one locale. Dates are always Gregorian: briefs and
/// their sources give Gregorian dates, whatever calendar the locale prefers.
pub(super) struct Cldr {
    full: FixedCalendarDateTimeFormatter<Gregorian, YMDE>,
    short: FixedCalendarDateTimeFormatter<Gregorian, YMDE>,
    long: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    weekday: FixedCalendarDateTimeFormatter<Gregorian, E>,
    time: NoCalendarFormatter<T>,
    decimal: DecimalFormatter,
    cardinal: PluralRules,
    ordinal: PluralRules,
    and: ListFormatter,
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
        // Briefing notes give meeting times on the 24-hour clock in every
        // language, as diplomatic programmes do: where CLDR's default is the
        // 12-hour clock (en, ar, ko: "9:30 AM"), ask for h23. Only there, as
        // asking changes the pattern of 24-hour locales too ("9:30" → "09:30" in es).
        let mut time = NoCalendarFormatter::try_new(prefs, T::hm()).ok()?;
        let afternoon = Time::try_new(13, 0, 0, 0).ok()?;
        if !time.format(&afternoon).to_string().contains("13") {
            let mut h23 = prefs;
            h23.hour_cycle = Some(HourCycle::H23);
            time = NoCalendarFormatter::try_new(h23, T::hm()).ok()?;
        }
        Some(Cldr {
            full: FixedCalendarDateTimeFormatter::try_new(prefs, YMDE::long()).ok()?,
            short: FixedCalendarDateTimeFormatter::try_new(prefs, YMDE::medium()).ok()?,
            long: FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()).ok()?,
            weekday: FixedCalendarDateTimeFormatter::try_new(prefs, E::long()).ok()?,
            time,
            decimal: DecimalFormatter::try_new(locale.into(), Default::default()).ok()?,
            cardinal: PluralRules::try_new_cardinal(locale.into()).ok()?,
            ordinal: PluralRules::try_new_ordinal(locale.into()).ok()?,
            and: ListFormatter::try_new_and(
                locale.into(),
                ListFormatterOptions::default().with_length(ListLength::Wide),
            )
            .ok()?,
        })
    }

    pub(super) fn full_date(&self, date: NaiveDate) -> String {
        gregorian(date).map(|d| self.full.format(&d).to_string()).unwrap_or_default()
    }

    pub(super) fn short_date(&self, date: NaiveDate) -> String {
        gregorian(date).map(|d| self.short.format(&d).to_string()).unwrap_or_default()
    }

    pub(super) fn long_date(&self, date: NaiveDate) -> String {
        gregorian(date).map(|d| self.long.format(&d).to_string()).unwrap_or_default()
    }

    pub(super) fn weekday(&self, date: NaiveDate) -> String {
        gregorian(date).map(|d| self.weekday.format(&d).to_string()).unwrap_or_default()
    }

    pub(super) fn time(&self, time: NaiveTime) -> String {
        let Ok(t) = Time::try_new(time.hour() as u8, time.minute() as u8, 0, 0) else {
            return String::new();
        };
        self.time.format(&t).to_string()
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

/// A proleptic Gregorian date; ICU4X takes years from -9999 to 9999, as
/// model does.
fn gregorian(date: NaiveDate) -> Option<Date<Gregorian>> {
    Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8).ok()
}
