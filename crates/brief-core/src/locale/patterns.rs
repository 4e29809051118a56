//! CLDR 49 patterns that ICU4X's compiled data does not carry as such, one
//! row for each locale that sets its own (others inherit their parent's).
//! The rows are what `python3 tests/cldr/check.py --patterns` prints from
//! babel's copy of CLDR for the supported tags; tests/cldr.rs checks that
//! they still are, and every regional locale's output against babel.

/// CLDR's full date patterns (`dateFormats`, full) where a locale sets its
/// own; every other locale inherits its parent's. ICU4X has no "full"
/// length: its long year-month-day-weekday field set is matched against the
/// locale's skeletons, and in Portugal and the countries that follow it the
/// match is `yMMMEEEEd` ("segunda-feira, 5/07/2021") where CLDR's full date
/// is "segunda-feira, 5 de julho de 2021". So the pattern is CLDR's, the
/// names and digits ICU4X's.
pub(super) const FULL: [(&str, &str); 35] = [
    ("ar", "EEEE\u{60c} d MMMM y"),
    ("az", "EEEE, d MMMM y"),
    ("de", "EEEE, d. MMMM y"),
    ("en", "EEEE, MMMM d, y"),
    ("es", "EEEE, d 'de' MMMM 'de' y"),
    ("fa", "EEEE d MMMM y"),
    ("fr", "EEEE d MMMM y"),
    ("he", "EEEE, d \u{5d1}MMMM y"),
    ("hy", "y \u{569}. MMMM d, EEEE"),
    ("it", "EEEE d MMMM y"),
    ("ja", "y\u{5e74}M\u{6708}d\u{65e5}EEEE"),
    ("ka", "EEEE, dd MMMM, y"),
    ("kk", "y\u{202f}'\u{436}'. d MMMM, EEEE"),
    ("ko", "y\u{b144} MMMM d\u{c77c} EEEE"),
    ("ky", "y-'\u{436}'., d-MMMM, EEEE"),
    ("pt", "EEEE, d 'de' MMMM 'de' y"),
    ("ru", "EEEE, d MMMM y\u{202f}'\u{433}'."),
    ("tr", "d MMMM y EEEE"),
    ("uk", "EEEE, d MMMM y\u{202f}'\u{440}'."),
    ("uz", "EEEE, d-MMMM, y"),
    ("zh", "y\u{5e74}M\u{6708}d\u{65e5}EEEE"),
    ("en-001", "EEEE, d MMMM y"),
    ("en-AE", "EEEE, d MMMM y"),
    ("en-BW", "EEEE, dd MMMM y"),
    ("en-BZ", "EEEE, dd MMMM y"),
    ("en-IE", "EEEE d MMMM y"),
    ("en-MV", "EEEE d MMMM y"),
    ("en-ZA", "EEEE, dd MMMM y"),
    ("en-ZW", "EEEE, dd MMMM y"),
    ("es-HN", "EEEE dd 'de' MMMM 'de' y"),
    ("fr-CH", "EEEE, d MMMM y"),
    ("it-CH", "EEEE, d MMMM y"),
    ("zh-Hant", "y\u{5e74}M\u{6708}d\u{65e5} EEEE"),
    ("zh-Hant-HK", "y\u{5e74}M\u{6708}d\u{65e5}EEEE"),
    ("zh-Hant-MO", "y\u{5e74}M\u{6708}d\u{65e5}EEEE"),
];

/// CLDR's abbreviated date with the weekday (`availableFormats`, `yMMMEd`):
/// the short date, never all-numeric. ICU4X's medium field set is matched
/// against every skeleton and in New Zealand gives "Mon, 5/07/2021".
pub(super) const SHORT: [(&str, &str); 35] = [
    ("ar", "E\u{60c} d MMM y"),
    ("az", "E, d MMM y"),
    ("de", "E, d. MMM y"),
    ("en", "E, MMM d, y"),
    ("es", "E, d MMM y"),
    ("fa", "E d MMM y"),
    ("fr", "E d MMM y"),
    ("he", "E, d \u{5d1}MMM y"),
    ("hy", "y \u{569}. MMM d, E"),
    ("it", "E d MMM y"),
    ("ja", "y\u{5e74}M\u{6708}d\u{65e5}(E)"),
    ("ka", "E, d MMM. y"),
    ("kk", "y\u{202f}'\u{436}'. d MMM, E"),
    ("ko", "y\u{b144} MMM d\u{c77c} (E)"),
    ("ky", "y-'\u{436}'. d-MMM, E"),
    ("pt", "E, d 'de' MMM 'de' y"),
    ("ru", "E, d MMM y\u{202f}'\u{433}'."),
    ("tr", "d MMM y E"),
    ("uk", "E, d MMM y\u{202f}'\u{440}'."),
    ("uz", "E, d-MMM, y"),
    ("zh", "y\u{5e74}M\u{6708}d\u{65e5}E"),
    ("en-001", "E, d MMM y"),
    ("en-AE", "E, d MMM y"),
    ("en-AU", "E d MMM y"),
    ("en-BW", "E, dd MMM y"),
    ("en-BZ", "E, dd MMM y"),
    ("en-IE", "E d MMM y"),
    ("en-MT", "E, dd MMM y"),
    ("en-ZA", "E, dd MMM y"),
    ("en-ZW", "E, dd MMM, y"),
    ("es-MX", "EEE, d 'de' MMM 'de' y"),
    ("es-US", "EEE, d 'de' MMM 'de' y"),
    ("fa-AF", "E, MMM d, y"),
    ("pt-PT", "E, d/MM/y"),
    ("zh-Hant", "y\u{5e74}M\u{6708}d\u{65e5}E"),
];

/// CLDR's 24-hour time of day (`availableFormats`, `Hm`) where a locale sets
/// its own. Briefing notes give meeting times on the 24-hour clock in every
/// language, as diplomatic programmes do; ICU4X's time field set follows the
/// locale's clock, and switching a 12-hour pattern to h23 keeps its hour
/// width ("9:30" in zh-Hant, where CLDR's own 24-hour time is "09:30").
pub(super) const HM: [(&str, &str); 31] = [
    ("ar", "HH:mm"),
    ("az", "HH:mm"),
    ("de", "HH:mm"),
    ("en", "HH:mm"),
    ("es", "H:mm"),
    ("fa", "H:mm"),
    ("fr", "HH:mm"),
    ("he", "H:mm"),
    ("hy", "H:mm"),
    ("it", "HH:mm"),
    ("ja", "H:mm"),
    ("ka", "HH:mm"),
    ("kk", "HH:mm"),
    ("ko", "HH:mm"),
    ("ky", "HH:mm"),
    ("pt", "HH:mm"),
    ("ru", "HH:mm"),
    ("tr", "HH:mm"),
    ("uk", "HH:mm"),
    ("uz", "HH:mm"),
    ("zh", "HH:mm"),
    ("en-DK", "HH.mm"),
    ("en-FI", "H.mm"),
    ("en-ID", "HH.mm"),
    ("en-IL", "H:mm"),
    ("en-JP", "H:mm"),
    ("es-419", "HH:mm"),
    ("es-CO", "H:mm"),
    ("fa-AF", "HH:mm"),
    ("fr-CA", "HH 'h' mm"),
    ("zh-Hant", "HH:mm"),
];

/// CLDR's full date-time patterns (`dateTimeFormats`, standard): how a
/// meeting's date and time are joined. ICU4X's compiled data carries only
/// the `atTime` variant ("{1} 'at' {0}").
pub(super) const GLUE: [(&str, &str); 24] = [
    ("ar", "{1}\u{60c} {0}"),
    ("az", "{1} {0}"),
    ("de", "{1}, {0}"),
    ("en", "{1}, {0}"),
    ("es", "{1}, {0}"),
    ("fa", "{1}\u{60c} \u{633}\u{627}\u{639}\u{62a} {0}"),
    ("fr", "{1}, {0}"),
    ("he", "{1}, {0}"),
    ("hy", "{1}, {0}"),
    ("it", "{1} {0}"),
    ("ja", "{1} {0}"),
    ("ka", "{1}, {0}"),
    ("kk", "{1}, {0}"),
    ("ko", "{1} {0}"),
    ("ky", "{1} {0}"),
    ("pt", "{1} {0}"),
    ("ru", "{1}, {0}"),
    ("tr", "{1} {0}"),
    ("uk", "{1}, {0}"),
    ("uz", "{1}, {0}"),
    ("zh", "{1} {0}"),
    ("en-MV", "{1} {0}"),
    ("pt-PT", "{1}, {0}"),
    ("zh-Hant", "{1} {0}"),
];

/// How two items that are not a list of like things stand side by side on
/// one line ("From: Europe desk, 5 July 2021"): CLDR's standard list
/// pattern for the middle of a list (`listPatterns`, standard, `middle`),
/// which is "{0}, {1}" in most languages, "{0}、{1}" in Japanese and
/// "{0}،\u{200f} {1}" in Persian. Two languages differ from it, on
/// purpose: Arabic's list joins with و ("and") at every place, which a
/// desk and a date are not, so Arabic takes its comma (U+060C), as CLDR's
/// Arabic full date and date-time patterns do; Chinese lists with the
/// enumeration comma 、, which joins only like items, so Chinese takes its
/// ordinary comma ，. The rows are `tests/cldr/check.py --patterns`' (its
/// `pair`), checked by tests/cldr.rs like the others.
pub(super) const PAIR: [(&str, &str); 22] = [
    ("ar", "{0}\u{60c} {1}"),
    ("az", "{0}, {1}"),
    ("de", "{0}, {1}"),
    ("en", "{0}, {1}"),
    ("es", "{0}, {1}"),
    ("fa", "{0}\u{60c}\u{200f} {1}"),
    ("fr", "{0}, {1}"),
    ("he", "{0}, {1}"),
    ("hy", "{0}, {1}"),
    ("it", "{0}, {1}"),
    ("ja", "{0}\u{3001}{1}"),
    ("ka", "{0}, {1}"),
    ("kk", "{0}, {1}"),
    ("ko", "{0}, {1}"),
    ("ky", "{0}, {1}"),
    ("pt", "{0}, {1}"),
    ("ru", "{0}, {1}"),
    ("tr", "{0}, {1}"),
    ("uk", "{0}, {1}"),
    ("uz", "{0}, {1}"),
    ("zh", "{0}\u{ff0c}{1}"),
    ("zh-Hant", "{0}\u{ff0c}{1}"),
];
