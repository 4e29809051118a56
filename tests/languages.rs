//! `brief languages`: every supported language listed, a tag resolved or refused.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, brief_ok, parts, root, scratch};

#[path = "common/tool.rs"]
mod tool;

#[test]
fn lists_every_language_with_its_direction_and_a_cldr_date() {
    let (code, out, err) = parts(&brief(&["languages"], None));
    assert_eq!(code, 0, "{err}");
    for l in brief::locale::LANGUAGES {
        let line = out.lines().find(|line| line.starts_with(&format!("{:<4}", l.code)));
        let line = line.unwrap_or_else(|| panic!("{} missing: {out}", l.code));
        assert!(line.contains(l.name) && line.contains(l.native), "{line}");
    }
    assert!(out.lines().any(|l| l.starts_with("ky") && l.contains("дүйшөмбү")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("ar") && l.contains("rtl")), "{out}");
}

#[test]
fn a_tag_is_resolved_or_refused_with_the_list() {
    let (code, out, err) = parts(&brief(&["languages", "pt-BR"], None));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("pt-BR: wording of pt (Portuguese), formats of pt-BR"), "{out}");
    let (code, _, err) = parts(&brief(&["languages", "--color", "never", "kg"], None));
    assert_eq!(code, 1);
    assert!(err.contains("`kg` is not a supported language"), "{err}");
    assert!(err.contains("ky (Kyrgyz)") && err.contains("did you mean `ky`?"), "{err}");
}

/// Each language's heading for the agenda (its wording file,
/// `locales/CODE.yaml`) and the meeting's date, 2021-07-05, as CLDR writes
/// the full date: written out here, not asked of the code under test. Each
/// is babel's `format_date(d, "full")` letter for letter (brief writes
/// CLDR's full date pattern), fa in Persian digits.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("en", "Agenda", "Monday, July 5, 2021"),
    ("fr", "Ordre du jour", "lundi 5 juillet 2021"),
    ("de", "Tagesordnung", "Montag, 5. Juli 2021"),
    ("es", "Orden del día", "lunes, 5 de julio de 2021"),
    ("it", "Ordine del giorno", "lunedì 5 luglio 2021"),
    ("pt", "Agenda", "segunda-feira, 5 de julho de 2021"),
    ("ru", "Повестка дня", "понедельник, 5 июля 2021 г."),
    ("uk", "Порядок денний", "понеділок, 5 липня 2021 р."),
    ("tr", "Gündem", "5 Temmuz 2021 Pazartesi"),
    ("az", "Gündəlik", "Bazar ertəsi, 5 iyul 2021"),
    ("ky", "Күн тартиби", "2021-ж., 5-июль, дүйшөмбү"),
    ("kk", "Күн тәртібі", "2021 ж. 5 шілде, дүйсенбі"),
    ("uz", "Kun tartibi", "dushanba, 5-iyul, 2021"),
    ("ka", "დღის წესრიგი", "ორშაბათი, 05 ივლისი, 2021"),
    ("hy", "Օրակարգ", "2021 թ. հուլիսի 5, երկուշաբթի"),
    ("ar", "جدول الأعمال", "الاثنين، 5 يوليو 2021"),
    ("fa", "دستور کار", "دوشنبه ۵ ژوئیه ۲۰۲۱"),
    ("he", "סדר יום", "יום שני, 5 ביולי 2021"),
    ("zh", "议程", "2021年7月5日星期一"),
    ("zh-Hant", "議程", "2021年7月5日 星期一"),
    ("ja", "議題", "2021年7月5日月曜日"),
    ("ko", "의제", "2021년 7월 5일 월요일"),
];

/// The languages written right to left.
const RTL: &[&str] = &["ar", "fa", "he"];

/// Every language comes out of the PDF as written: its heading wording and
/// CLDR's date are found by pdftotext, so no glyph is a blank box (a
/// language the bundled fonts cannot draw is refused, naming the script,
/// and fails this test).
#[test]
fn every_language_is_drawn_or_refused_never_printed_as_boxes() {
    let codes: Vec<&str> = brief::locale::LANGUAGES.iter().map(|l| l.code).collect();
    let listed: Vec<&str> = EXPECTED.iter().map(|(code, ..)| *code).collect();
    assert_eq!(codes, listed, "every supported language has its expectations here");
    let dir = scratch("langs");
    let example = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let mut refused = Vec::new();
    for &(code, agenda, date) in EXPECTED {
        let source = dir.join(format!("{code}.yaml"));
        std::fs::write(&source, example.replace("language: en-GB", &format!("language: {code}")))
            .unwrap();
        let pdf = dir.join(format!("{code}.pdf"));
        let (status, _, err) = parts(&brief(
            &["build", "--color", "never", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
            None,
        ));
        if status != 0 {
            assert!(err.contains("the bundled fonts cannot draw"), "{code}: {err}");
            assert!(!pdf.exists(), "{code}: a PDF was left");
            refused.push(code);
            continue;
        }
        let text = tool::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        // pdftotext breaks lines and writes no-break spaces as spaces.
        let flat = |t: &str| {
            t.split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text = flat(&text);
        if RTL.contains(&code) {
            // pdftotext writes a mixed right-to-left line in its own order
            // (visual, with embedding marks): every word must be there, the
            // order is checked by pdf.js in tests/verify.rs.
            let bare = |t: &str| -> String {
                t.chars()
                    .filter(|c| {
                        !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '،' | ',')
                    })
                    .collect()
            };
            let text = bare(&text);
            for word in bare(agenda).split_whitespace().chain(bare(date).split_whitespace()) {
                assert!(text.contains(word), "{code}: `{word}` of {agenda} / {date}");
            }
        } else {
            assert!(
                text.contains(&flat(agenda)) && text.contains(&flat(date)),
                "{code}: {agenda} / {date}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // Every supported language is drawn: its script has a bundled face.
    assert!(refused.is_empty(), "refused: {refused:?}");
}

/// A meeting's time zone is checked by its IANA name (with did-you-mean)
/// and printed after the time in the brief's language, by CLDR's names.
#[test]
fn a_meeting_time_zone_is_checked_and_named_in_the_brief_s_language() {
    let dir = scratch("time-zone");
    let example = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let date = "  kind: Bilateral meeting\n  date: 2021-07-05\n";
    assert!(example.contains(date));
    let zoned = |zone: &str, language: &str| {
        example
            .replace(date, &format!("{date}  time: \"11:00\"\n  time_zone: {zone}\n"))
            .replace("language: en-GB", &format!("language: {language}"))
    };
    for (language, zone, name) in [
        ("en-GB", "asia/baku", "Azerbaijan Time"),
        ("de", "Europe/Berlin", "Deutschland (Ortszeit)"),
        ("ru", "Asia/Bishkek", "Киргизия"),
        ("ja", "Asia/Tokyo", "日本時間"),
    ] {
        let source = dir.join(format!("{language}.yaml"));
        std::fs::write(&source, zoned(zone, language)).unwrap();
        let pdf = dir.join(format!("{language}.pdf"));
        brief_ok(&["build", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()], Some("0"));
        let text = tool::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(text.contains(name), "{language}: no `{name}` in\n{text}");
    }
    let source = dir.join("bad.yaml");
    std::fs::write(&source, zoned("Asia/Bakku", "en-GB")).unwrap();
    let o = brief(&["check", source.to_str().unwrap(), "--color", "never"], None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("`Asia/Bakku` is not a time zone"), "{err}");
    assert!(err.contains("did you mean `Asia/Baku`?"), "{err}");
    assert!(err.contains("bad.yaml:25:14"), "located at its line: {err}");
}

/// An agenda item's own time and zone (a call across zones): printed before
/// its topic with the zone's name in the brief's language; a bad zone is
/// an error at its line with did-you-mean, and a zone without a time too.
#[test]
fn an_agenda_item_s_time_zone_is_checked_located_and_named() {
    let dir = scratch("item-zone");
    let example = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let topic = "  - topic: Trade and economic relations\n";
    assert!(example.contains(topic));
    let item = |fields: &str, language: &str| {
        example
            .replace(topic, &format!("{topic}{fields}"))
            .replace("language: en-GB", &format!("language: {language}"))
    };
    for (language, name) in [("en-GB", "10:00 Belgium Time"), ("fr", "10:00 heure : Belgique")] {
        let source = dir.join(format!("{language}.yaml"));
        let fields = "    time: \"10:00\"\n    time_zone: europe/brussels\n";
        std::fs::write(&source, item(fields, language)).unwrap();
        let pdf = dir.join(format!("{language}.pdf"));
        brief_ok(&["build", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()], Some("0"));
        let text = tool::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        let line = format!("2. {name} · ");
        assert!(text.contains(&line), "{language}: no `{line}` in\n{text}");
    }
    let source = dir.join("bad.yaml");
    let fields = "    time: \"10:00\"\n    time_zone: Europe/Brusels\n  - topic: Press\n    time_zone: Asia/Baku\n";
    std::fs::write(&source, item(fields, "en-GB")).unwrap();
    let o = brief(&["check", source.to_str().unwrap(), "--color", "never"], None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("`Europe/Brusels` is not a time zone"), "{err}");
    assert!(err.contains("did you mean `Europe/Brussels`?"), "{err}");
    let line = 1 + example[..example.find(topic).unwrap()].matches('\n').count() + 2;
    assert!(err.contains(&format!("bad.yaml:{line}:16")), "located at line {line}: {err}");
    assert!(err.contains("agenda[1].time_zone"), "{err}");
    assert!(err.contains("a time zone without a start time"), "{err}");
    assert!(err.contains(&format!("bad.yaml:{}:16", line + 2)), "{err}");
    assert!(err.contains("agenda[2].time_zone"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
