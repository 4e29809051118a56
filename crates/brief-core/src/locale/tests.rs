//! Resolution of tags, and CLDR's formats as ICU4X gives them; tests/cldr.rs
//! checks every language against CLDR's data as Python's babel reads it.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn tags_resolve_by_cldr_fallback() {
    let code = |tag: &str| resolve(tag).map(|r| r.language.code);
    assert_eq!(code("pt-BR"), Ok("pt"));
    assert_eq!(code("uz-Latn"), Ok("uz"));
    assert_eq!(code("en-GB"), Ok("en"));
    assert_eq!(code("en_GB"), Ok("en"));
    assert_eq!(code("zh-CN"), Ok("zh"));
    assert_eq!(code("ky"), Ok("ky"));
    // Traditional Chinese has wording of its own, which Taiwan, Hong Kong
    // and Macau take; Singapore writes Simplified.
    for tag in ["zh-Hant", "zh-TW", "zh-HK", "zh-MO", "zh-Hant-HK"] {
        assert_eq!(code(tag), Ok("zh-Hant"), "{tag}");
    }
    assert_eq!(code("zh-SG"), Ok("zh"));
    assert_eq!(code("zh-Hans"), Ok("zh"));
    // CLDR's parent of these is the root, not the bare language: Cyrillic
    // Azerbaijani and Uzbek are not the wording we carry.
    for tag in ["az-Cyrl", "sr-Latn", "xx", "uz-Cyrl"] {
        let e = resolve(tag).unwrap_err();
        assert!(e.reason.contains("not a supported language"), "{tag}: {e:?}");
    }
    assert!(resolve("az-Cyrl").unwrap_err().reason.contains("az-Cyrl → root"));
    assert!(resolve("not a tag").unwrap_err().reason.contains("not a BCP 47"));
}

#[test]
fn unsupported_tags_get_a_did_you_mean() {
    let hint = |tag: &str| resolve(tag).unwrap_err().suggestion;
    assert_eq!(hint("kg"), Some("ky"), "the country's code for its language");
    assert_eq!(hint("ua"), Some("uk"));
    assert_eq!(hint("Kyrgyzz"), Some("ky"));
    assert_eq!(hint("german"), Some("de"));
    assert_eq!(hint("xx"), None);
    assert!(supported_list().starts_with("en (English), fr (French)"));
}

#[test]
fn right_to_left_languages_are_known_from_cldr() {
    for tag in ["ar", "fa", "he", "ar-EG"] {
        assert_eq!(dir(tag), Dir::Rtl, "{tag}");
    }
    for tag in ["en", "ky", "zh", "ka"] {
        assert_eq!(dir(tag), Dir::Ltr, "{tag}");
    }
    assert_eq!(Dir::Rtl.as_str(), "rtl");
}

#[test]
fn dates_come_from_cldr() {
    let monday = d(2021, 7, 5);
    assert!(long_date(monday, "ky").contains("дүйшөмбү"), "{}", long_date(monday, "ky"));
    assert_eq!(weekday(monday, "de"), "Montag");
    assert_eq!(date(monday, "de"), "5. Juli 2021");
    assert_eq!(long_date(monday, "en-GB"), "Monday, 5 July 2021");
    assert_eq!(long_date(monday, "en"), "Monday, July 5, 2021");
    // A Persian brief still gives Gregorian dates, in Persian digits.
    assert!(date(monday, "fa").contains("۲۰۲۱"), "{}", date(monday, "fa"));
    assert_eq!(time(NaiveTime::from_hms_opt(9, 30, 0).unwrap(), "en"), "09:30");
}

#[test]
fn numbers_use_the_languages_separators_and_digits() {
    assert_eq!(number(1234567.891, 2, "en"), "1,234,567.89");
    assert_eq!(number(1234.5, 1, "de"), "1.234,5");
    assert_eq!(number(-5.0, 1, "en"), "-5");
    assert_eq!(number(-0.001, 1, "en"), "0");
    assert_eq!(number(5.4, 1, "tr"), "5,4");
    assert_eq!(separators("de"), (',', '.'));
    assert_eq!(separators("en"), ('.', ','));
    // CLDR's default numbering system: Latin digits for Arabic as such,
    // Arabic-Indic ones in Egypt; Extended Arabic-Indic for Persian.
    assert_eq!(separators("ar"), ('.', ','));
    assert_eq!(separators("ar-EG"), ('٫', '٬'));
    assert_eq!(digits("ar-EG")[7], '٧');
    assert_eq!(digits("ar")[7], '7');
    assert_eq!(digits("fa")[4], '۴');
    assert_eq!(digits("he")[4], '4');
    assert_eq!(number(12.5, 1, "ar-EG"), "١٢٫٥");
}

#[test]
fn plurals_and_lists_come_from_cldr() {
    assert_eq!(plural(1.0, "en"), "one");
    assert_eq!(plural(3.0, "en"), "other");
    assert_eq!([1.0, 2.0, 5.0, 21.0].map(|n| plural(n, "ru")), ["one", "few", "many", "one"]);
    assert_eq!(plural(1.5, "ru"), "other");
    assert_eq!(
        [1.0, 2.0, 3.0, 4.0, 11.0].map(|n| ordinal(n, "en")),
        ["one", "two", "few", "other", "other"]
    );
    assert_eq!(
        [0.0, 1.0, 2.0, 3.0, 11.0, 100.0].map(|n| plural(n, "ar")),
        ["zero", "one", "two", "few", "many", "other"]
    );
    let items = ["A".to_string(), "B".into(), "C".into()];
    assert_eq!(list(&items, "en"), "A, B, and C");
    assert_eq!(list(&items, "de"), "A, B und C");
}

#[test]
fn every_supported_language_has_its_formatters() {
    for l in LANGUAGES {
        assert!(cldr(l.code).is_some(), "{}", l.code);
        assert_eq!(resolve(l.code).map(|r| r.language.code), Ok(l.code));
        assert!(!weekday(d(2021, 7, 5), l.code).is_empty(), "{}", l.code);
    }
}

#[test]
fn labels_follow_the_language_and_region_tags_share_it() {
    assert_eq!(label("Agenda", "de"), Some("Tagesordnung"));
    assert_eq!(label("Agenda", "en-GB"), Some("Agenda"));
    assert_eq!(label("Agenda", "pt-BR"), Some("Agenda"));
    assert_eq!(label("Key messages", "ky"), Some("Негизги билдирүүлөр"));
    assert_eq!(label("DRAFT", "tr"), Some("TASLAK"));
    assert_eq!(label("nope", "de"), None);
}

#[test]
fn the_minus_sign_is_cldrs() {
    assert_eq!(super::minus("en"), '-');
    assert_eq!(super::minus("fa"), '\u{2212}');
}

#[test]
fn numbers_print_as_written_or_rounded_half_away_from_zero() {
    let as_written = usize::MAX;
    assert_eq!(number(0.04, as_written, "en"), "0.04");
    assert_eq!(number(0.123456789, as_written, "en"), "0.123456789");
    assert_eq!(number(2.25, as_written, "en"), "2.25");
    assert_eq!(number(1710.0, as_written, "en"), "1,710");
    assert_eq!(number(0.1 + 0.2, as_written, "en"), "0.30000000000000004");
    assert_eq!(number(2.25, 1, "en"), "2.3");
    assert_eq!(number(-2.25, 1, "en"), "-2.3");
    assert_eq!(number(0.125, 2, "en"), "0.13");
    assert_eq!(number(9.96, 1, "en"), "10");
    assert_eq!(number(999.95, 1, "de"), "1.000");
    assert_eq!(number(2.25, 1, "de"), "2,3");
    assert_eq!(number(-0.04, 1, "en"), "0");
}

#[test]
fn two_texts_stand_side_by_side_as_the_language_separates_items() {
    let items = ["Europe desk", "5 July 2021"];
    assert_eq!(pair(&items, "en"), "Europe desk, 5 July 2021");
    assert_eq!(pair(&items, "ar"), "Europe desk\u{60c} 5 July 2021");
    assert_eq!(pair(&items, "ja"), "Europe desk\u{3001}5 July 2021");
    assert_eq!(pair(&items, "zh-TW"), "Europe desk\u{ff0c}5 July 2021");
    assert_eq!(pair(&items, "de-AT"), "Europe desk, 5 July 2021");
    assert_eq!(pair(&["a", " ", "b", "c"], "en"), "a, b, c", "empty ones left out");
    assert_eq!(pair(&[], "en"), "");
}

#[test]
fn percentages_take_the_languages_pattern_and_sign() {
    use super::percent;
    assert_eq!(percent(67.18, 0, true, "en"), "+67%");
    assert_eq!(percent(-4.25, 1, true, "en"), "-4.3%");
    assert_eq!(percent(12.5, 1, false, "fr"), "12,5\u{a0}%");
    assert_eq!(percent(-12.0, 0, true, "tr"), "-%12");
    assert_eq!(percent(0.04, 1, true, "de"), "0\u{a0}%");
    assert_eq!(percent(5.0, 0, true, "ar"), "\u{200e}+5\u{200e}%\u{200e}");
    assert_eq!(percent(5.5, 1, true, "ar-EG"), "\u{61c}+٥٫٥٪\u{61c}");
    assert_eq!(percent(-5.0, 0, true, "fa"), "\u{200e}\u{2212}۵٪");
}
