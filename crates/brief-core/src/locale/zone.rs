//! Time zones: an IANA name checked against CLDR's list, and the zone named
//! in the brief's language by CLDR's location format ("Azerbaijan Time",
//! "heure : Azerbaïdjan"), which needs no offset and so no rules database.

use icu_datetime::NoCalendarFormatter;
use icu_datetime::fieldsets::zone::Location;
use icu_time::TimeZone;
use icu_time::zone::iana::IanaParserExtended;

/// The IANA name as IANA writes it (`asia/baku` → `Asia/Baku`), or
/// `None` when CLDR knows no such zone.
pub fn canonical(name: &str) -> Option<&'static str> {
    let parsed = IanaParserExtended::new().parse(name);
    (parsed.time_zone != TimeZone::UNKNOWN).then_some(parsed.normalized)
}

/// Every IANA name CLDR knows, for a did-you-mean.
pub fn names() -> impl Iterator<Item = &'static str> {
    IanaParserExtended::new().iter_all().map(|z| z.normalized)
}

/// The zone's name in the language of `tag`: "Azerbaijan Time".
pub fn name(iana: &str, tag: &str) -> String {
    let zone = IanaParserExtended::new().parse(iana).time_zone;
    let locale = super::resolve(tag).map(|r| r.locale).unwrap_or(icu_locale::locale!("en"));
    match NoCalendarFormatter::try_new((&locale).into(), Location) {
        Ok(formatter) => formatter.format(&zone.without_offset()).to_string(),
        Err(_) => iana.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_checked_and_named_in_each_language() {
        assert_eq!(canonical("asia/baku"), Some("Asia/Baku"));
        assert_eq!(canonical("Europe/Baku"), None);
        assert!(names().any(|n| n == "Asia/Bishkek"));
        assert_eq!(name("Asia/Baku", "en"), "Azerbaijan Time");
        assert_eq!(name("Europe/Berlin", "de"), "Deutschland (Ortszeit)");
        assert_eq!(name("Asia/Bishkek", "ru"), "Киргизия");
        assert_eq!(name("Asia/Tokyo", "ja"), "日本時間");
    }
}
