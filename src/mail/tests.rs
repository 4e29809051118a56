//! Tests of the mail module: headers, bodies, encodings, determinism, the golden `.eml`.

use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::model::Distribution;

/// Noon UTC on 5 July 2021: what `build` stamps the example PDF with.
const CREATED: i64 = 1_625_486_400;

fn example() -> Brief {
    let today = chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap();
    let env = crate::Env::fixed(today, Some(0));
    let bytes = include_bytes!("../../briefs/az-kg-2021-07-05.yaml");
    crate::check("az-kg-2021-07-05.yaml", bytes, &env).unwrap().value
}

fn options() -> MessageOptions {
    MessageOptions { date: CREATED, ..MessageOptions::default() }
}

fn eml(brief: &Brief, pdf: &[u8]) -> String {
    let bytes = message(brief, pdf, "brief.pdf", &options()).unwrap();
    String::from_utf8(bytes).unwrap()
}

fn with_distribution(to: &[&str], cc: &[&str]) -> Brief {
    let mut brief = example();
    let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    brief.distribution = Some(Distribution { to: list(to), cc: list(cc) });
    brief
}

/// The unfolded value of a top-level header.
fn header(eml: &str, name: &str) -> String {
    let head = eml.split("\r\n\r\n").next().unwrap();
    let unfolded = head.replace("\r\n ", " ");
    let prefix = format!("{name}: ");
    unfolded.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap().to_string()
}

/// Decodes RFC 2047 encoded-words (UTF-8, B or Q); the space between two
/// adjacent encoded-words is dropped, as the RFC says.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let (before, word) = rest.split_at(start);
        if !(after_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let parts: Vec<&str> = word[2..].splitn(3, '?').collect();
        let end = parts[2].find("?=").unwrap();
        assert!(parts[0].eq_ignore_ascii_case("utf-8"), "charset {}", parts[0]);
        let bytes = match parts[1] {
            "b" | "B" => base64(&parts[2][..end]),
            _ => quoted_printable(&parts[2][..end].replace('_', " ")),
        };
        out.push_str(&String::from_utf8(bytes).unwrap());
        rest = &parts[2][end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The decoded body of the first part with this content type.
fn part(eml: &str, content_type: &str) -> Vec<u8> {
    let at = eml.find(&format!("Content-Type: {content_type}")).unwrap();
    let headers_end = at + eml[at..].find("\r\n\r\n").unwrap();
    let headers = &eml[at..headers_end];
    let body_start = headers_end + 4;
    let body = &eml[body_start..body_start + eml[body_start..].find("\r\n--").unwrap()];
    if headers.contains("Content-Transfer-Encoding: base64") {
        base64(body)
    } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        quoted_printable(body)
    } else {
        body.as_bytes().to_vec()
    }
}

#[test]
fn subject_has_the_marking_title_and_date() {
    let brief = example();
    assert_eq!(
        content::subject(&brief, None),
        "[OFFICIAL] Azerbaijan – Kyrgyzstan bilateral meeting — 5 July 2021"
    );
}

#[test]
fn subject_without_marking_has_no_brackets() {
    let mut brief = example();
    brief.brief.classification = None;
    assert_eq!(
        content::subject(&brief, None),
        "Azerbaijan – Kyrgyzstan bilateral meeting — 5 July 2021"
    );
    brief.brief.classification = Some("  ".into());
    assert!(!content::subject(&brief, None).contains('['));
    brief.brief.classification = Some("official-sensitive".into());
    assert!(content::subject(&brief, None).starts_with("[OFFICIAL-SENSITIVE] "));
}

#[test]
fn subject_follows_the_language_and_marks_drafts() {
    let mut brief = example();
    brief.brief.language = "ru".into();
    brief.brief.status = Status::Draft;
    brief.brief.title = "Встреча\nв Баку".into();
    assert_eq!(
        content::subject(&brief, None),
        "[OFFICIAL] Встреча в Баку — 5 июля 2021 г. (ПРОЕКТ)"
    );
}

#[test]
fn every_word_of_the_message_follows_the_language() {
    let mut brief = example();
    brief.brief.language = "ky".into();
    brief.brief.status = Status::Draft;
    let subject = content::subject(&brief, None);
    assert!(subject.ends_with("(ДОЛБООР)"), "{subject}");
    assert!(subject.contains(&crate::locale::date(brief.meeting.date, "ky")), "{subject}");
    let text = content::text(&brief, None, None);
    for word in ["Жолугушуу:", "Күнү:", "Орду:", "Максаты", "Негизги билдирүүлөр"]
    {
        assert!(text.contains(word), "{word}: {text}");
    }
    for english in ["Meeting", "Date:", "Place:", "Purpose", "Key messages", "DRAFT"] {
        assert!(!text.contains(english) && !subject.contains(english), "{english}: {text}");
    }
    brief.brief.language = "ar".into();
    let html = content::html(&brief, &content::subject(&brief, None), None, None);
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("الرسائل الرئيسية"), "{html}");
}

#[test]
fn non_ascii_names_and_subject_are_encoded_words() {
    let mut brief = with_distribution(
        &["Əli Əsədov <ali@example.az>", "plain@example.gov"],
        &["Руслан Казакбаев <ruslan@example.kg>"],
    );
    brief.brief.title = "Azərbaycan – Qırğızıstan görüşü".into();
    let eml = eml(&brief, b"%PDF-1.7 test");
    assert!(eml.is_ascii(), "headers and bodies are 7-bit");
    let to = header(&eml, "To");
    assert!(to.to_ascii_lowercase().contains("=?utf-8?"), "{to}");
    assert_eq!(decode_words(&to), "Əli Əsədov <ali@example.az>, plain@example.gov");
    assert_eq!(decode_words(&header(&eml, "Cc")), "Руслан Казакбаев <ruslan@example.kg>");
    assert_eq!(decode_words(&header(&eml, "Subject")), content::subject(&brief, None));
    // RFC 5322's hard limit; lettre folds at 78 where it can, but never
    // between an encoded-word and its address.
    assert!(eml.lines().all(|l| l.len() <= 998));
}

/// A title that reads as an encoded-word (here: a line break and a Bcc)
/// is shown as written: the subject is encoded whole, so no mail program
/// decodes the source's own `=?…?=` into other text.
#[test]
fn an_encoded_word_in_the_title_stays_the_words_written() {
    let mut brief = example();
    brief.brief.title =
        "=?utf-8?q?=0D=0ABcc:_z@attacker.example?= and a long title that folds".into();
    let eml = eml(&brief, b"%PDF-1.7 test");
    assert!(eml.is_ascii() && eml.lines().all(|l| l.len() <= 78), "{eml}");
    let subject = header(&eml, "Subject");
    assert!(!subject.contains("=?utf-8?q?"), "{subject}");
    assert_eq!(decode_words(&subject), content::subject(&brief, None));
    assert_eq!(eml.matches("\r\nSubject: ").count(), 1);
    // An ordinary subject is left to lettre, as before.
    let eml = super::tests::eml(&example(), b"%PDF-1.7 test");
    assert!(header(&eml, "Subject").starts_with("[OFFICIAL] Azerbaijan"), "{eml}");
}

#[test]
fn malformed_addresses_are_named() {
    for (to, cc, field, value) in [
        (&["Office <pm.office@>"][..], &[][..], "distribution.to[0]", "Office <pm.office@>"),
        (
            &["ok@example.gov"],
            &["ok@example.gov", "no at sign"],
            "distribution.cc[1]",
            "no at sign",
        ),
        (&[""], &[], "distribution.to[0]", ""),
        (&["A <a@x.org>, B <b@x.org>"], &[], "distribution.to[0]", "A <a@x.org>, B <b@x.org>"),
    ] {
        let brief = with_distribution(to, cc);
        let err = message(&brief, b"", "b.pdf", &options()).unwrap_err();
        let MailError::Address { field: f, value: v, .. } = &err else { panic!("{err:?}") };
        assert_eq!((f.as_str(), v.as_str()), (field, value));
        assert!(err.to_string().contains(field), "{err}");
        assert_eq!(envelope(&brief, &options()).unwrap_err(), err);
    }
    let comma = with_distribution(&["Smith, John <john@example.org>"], &[]);
    let err = message(&comma, b"", "b.pdf", &options()).unwrap_err().to_string();
    assert!(err.contains("`\"Smith, John\" <john@example.org>`"), "{err}");
    let from = MessageOptions { from: "nobody".into(), ..options() };
    let err = message(&example(), b"", "b.pdf", &from).unwrap_err();
    assert!(err.to_string().starts_with("from: `nobody` is not a valid email address"), "{err}");
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let brief = example();
    let a = message(&brief, b"%PDF-1.7 test", "b.pdf", &options()).unwrap();
    let b = message(&brief.clone(), b"%PDF-1.7 test", "b.pdf", &options()).unwrap();
    assert_eq!(a, b);
    let other = eml(&brief, b"%PDF-1.7 other");
    let a = String::from_utf8(a).unwrap();
    assert_ne!(header(&a, "Message-ID"), header(&other, "Message-ID"));
    assert!(header(&a, "Message-ID").ends_with("@brief.local>"));
    assert_eq!(header(&a, "Date"), "Mon, 05 Jul 2021 12:00:00 +0000");
}

#[test]
fn the_attachment_decodes_to_the_pdf() {
    // Every byte value, so nothing is lost to a text encoding.
    let pdf: Vec<u8> =
        b"%PDF-1.7\n".iter().copied().chain((0..=255u8).cycle().take(70_000)).collect();
    let big = eml(&example(), &pdf);
    assert_eq!(part(&big, "application/pdf"), pdf);
    assert!(big.contains(
        "Content-Disposition: attachment; filename=\"brief.pdf\"\r\n\
         Content-Type: application/pdf; name=\"brief.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n"
    ));
    // A tiny ASCII "PDF" is still sent as base64.
    let small = eml(&example(), b"%PDF-1.7 test");
    assert!(small.contains("Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcgdGVzdA==\r\n"));
}

#[test]
fn a_name_that_is_not_plain_ascii_is_encoded_per_rfc_2231() {
    let bytes = message(&example(), b"%PDF", "Görüş 5 iyul.pdf", &options()).unwrap();
    let eml = String::from_utf8(bytes).unwrap();
    assert!(eml.is_ascii());
    assert!(eml.contains("filename*0*=utf-8''G%C3%B6r%C3%BC%C5%9F%205%20iyul.pdf"), "{eml}");
}

#[test]
fn the_text_body_has_purpose_meeting_and_key_messages() {
    let brief = example();
    let text = String::from_utf8(part(&eml(&brief, b""), "text/plain")).unwrap();
    assert!(text.contains("Date: 5 July 2021\r\nPlace: Baku, Azerbaijan"), "{text}");
    assert!(text.contains("to a new level in trade"), "markdown stripped: {text}");
    assert!(text.contains(
        "- Azerbaijan welcomes the 67% growth in mutual trade in January–May 2021 and wants to \
         build on it."
    ));
    assert!(text.contains("its Alat Free Economic Zone experience"));
    assert!(!text.contains('*'));
    assert_eq!(text.matches("\r\n- ").count(), brief.key_messages.len());
}

#[test]
fn markdown_becomes_plain_text() {
    let md = "**Bold** and *it* and [the site](https://example.org) and <https://x.org>, `code`.";
    assert_eq!(
        markdown::plain(md),
        "Bold and it and the site (https://example.org) and https://x.org, code."
    );
    assert_eq!(markdown::plain("One\n\n- a\n- b\n\nTwo"), "One\n\n- a\n- b\n\nTwo");
}

#[test]
fn html_is_escaped() {
    let mut brief = example();
    brief.brief.title = "Tom & Jerry <b>".into();
    brief.key_messages = vec![
        "<script>alert(\"x\")</script> & 'quotes'".into(),
        "[bad](javascript:alert(1)) [good](https://example.org/?a=1&b=\"2\")".into(),
    ];
    let html = content::html(&brief, &content::subject(&brief, None), None, None);
    assert!(html.contains("<h1>Tom &amp; Jerry &lt;b&gt;</h1>"), "{html}");
    assert!(html.contains("<title>[OFFICIAL] Tom &amp; Jerry &lt;b&gt; — 5 July 2021</title>"));
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("&amp; &#39;quotes&#39;"));
    assert!(!html.contains("javascript:alert(1)\""), "unsafe links are text: {html}");
    assert!(html.contains("<a href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\">good</a>"));
    let eml = eml(&brief, b"");
    let decoded = String::from_utf8(part(&eml, "text/html")).unwrap();
    assert_eq!(decoded, html.replace('\n', "\r\n"));
}

#[test]
fn a_brief_without_recipients_is_a_draft_without_to() {
    let mut brief = example();
    brief.distribution = None;
    let eml = eml(&brief, b"");
    assert!(!eml.contains("\r\nTo: ") && !eml.contains("\r\nCc: "));
    assert_eq!(envelope(&brief, &options()), Err(MailError::NoRecipients));
}

#[test]
fn the_envelope_lists_each_recipient_once() {
    let brief = with_distribution(
        &["A <a@example.gov>", "b@example.gov"],
        &["Again <A@example.gov>", "C <c@example.gov>"],
    );
    let from = MessageOptions { from: "Desk <desk@example.gov>".into(), ..options() };
    let env = envelope(&brief, &from).unwrap();
    assert_eq!(env.from, "desk@example.gov");
    assert_eq!(env.recipients, ["a@example.gov", "b@example.gov", "c@example.gov"]);
}

#[test]
fn x_unsent_is_an_option() {
    let brief = example();
    assert_eq!(header(&eml(&brief, b""), "X-Unsent"), "1");
    let sent = MessageOptions { unsent: false, ..options() };
    let bytes = message(&brief, b"", "b.pdf", &sent).unwrap();
    assert!(!String::from_utf8(bytes).unwrap().contains("X-Unsent"));
}

#[test]
fn every_line_ends_in_crlf() {
    let eml = eml(&example(), b"%PDF-1.7 test");
    assert!(eml.ends_with("\r\n"));
    assert_eq!(eml.matches('\n').count(), eml.matches("\r\n").count());
}

#[test]
fn dates_outside_a_date_header_are_errors() {
    for date in [-1, MAX_DATE + 1, i64::MIN, i64::MAX] {
        let o = MessageOptions { date, ..options() };
        assert_eq!(message(&example(), b"", "b.pdf", &o), Err(MailError::Date(date)));
    }
    let last = MessageOptions { date: MAX_DATE, ..options() };
    assert!(message(&example(), b"", "b.pdf", &last).is_ok());
}

#[test]
fn size_warning_counts_the_encoded_size() {
    assert_eq!(size_warning(200_000, DEFAULT_SIZE_LIMIT), None);
    let warning = size_warning(9 * 1024 * 1024, DEFAULT_SIZE_LIMIT).unwrap();
    assert!(warning.contains("9.0 MB") && warning.contains("10.0 MB limit"), "{warning}");
    assert!(size_warning(2_000_000, 2_000_000).is_some());
    assert_eq!(size_warning(usize::MAX, usize::MAX), None, "no overflow");
}

#[test]
fn drafts_and_stale_pdfs_are_refused() {
    let mut brief = example();
    let (old, new) = (UNIX_EPOCH + Duration::from_secs(100), UNIX_EPOCH + Duration::from_secs(200));
    assert_eq!(refuse_reason(&brief, new, old, false), None);
    assert_eq!(refuse_reason(&brief, new, new, false), None);
    assert!(refuse_reason(&brief, old, new, false).unwrap().contains("older than its source"));
    brief.brief.status = Status::Draft;
    assert!(refuse_reason(&brief, new, old, false).unwrap().contains("draft"));
    assert_eq!(refuse_reason(&brief, new, old, true), None);
}

#[test]
fn a_brief_no_one_cleared_is_refused_unless_drafts_are_allowed() {
    let mut brief = example();
    let (old, new) = (UNIX_EPOCH + Duration::from_secs(100), UNIX_EPOCH + Duration::from_secs(200));
    assert!(brief.cleared(), "the example is cleared");
    assert_eq!(uncleared(&brief), None);
    brief.clearance.as_mut().unwrap().cleared_by.clear();
    assert!(!brief.cleared());
    let why = refuse_reason(&brief, new, old, false).unwrap();
    assert!(why.contains("not cleared") && why.contains("clearance.cleared_by"), "{why}");
    assert_eq!(refuse_reason(&brief, new, old, true), None);
    brief.clearance = None;
    assert!(uncleared(&brief).is_some(), "no record is no clearance");
}

#[test]
fn the_marking_is_an_sio_label_header_and_the_clearance_is_in_both_bodies() {
    let eml = eml(&example(), b"%PDF");
    assert_eq!(header(&eml, "SIO-Label"), "marking=\"OFFICIAL\"");
    let text = String::from_utf8(part(&eml, "text/plain")).unwrap();
    assert!(
        text.contains("Cleared by Rashad Aliyev (Head, Europe and Central Asia Department), 30 June 2021; Samira Huseynova (Legal Adviser), 1 July 2021"),
        "{text}"
    );
    assert!(
        text.contains("Drafted by Leyla Mammadova") && text.contains("Approved by Elnur Mammadov")
    );
    let html = String::from_utf8(part(&eml, "text/html")).unwrap();
    assert!(html.contains("<p><small>Drafted by Leyla Mammadova"), "{html}");
    let mut unmarked = example();
    unmarked.brief.classification = None;
    assert!(!self::eml(&unmarked, b"%PDF").contains("SIO-Label"));
}

#[test]
fn a_marking_outside_ascii_is_labelled_per_rfc_2231() {
    assert_eq!(content::sio_label("OFFICIAL-SENSITIVE"), "marking=\"OFFICIAL-SENSITIVE\"");
    assert_eq!(content::sio_label("A \"B\"\\ C"), "marking=\"A \\\"B\\\"\\\\ C\"");
    assert_eq!(content::sio_label("ДСП 1"), "marking*=utf-8''%D0%94%D0%A1%D0%9F%201");
    let mut brief = example();
    brief.brief.classification = Some("Для служебного пользования".into());
    let eml = eml(&brief, b"%PDF");
    let label = header(&eml, "SIO-Label");
    assert!(label.starts_with("marking*0*=utf-8''%D0%94%D0%9B%D0%AF%20"), "{label}");
    assert!(label.contains("; marking*1*=%") && label.is_ascii(), "{label}");
    let head = eml.split("\r\n\r\n").next().unwrap();
    assert!(head.lines().all(|l| l.len() <= 78), "every header line short: {head}");
    let long = "OFFICIAL-SENSITIVE ".repeat(5);
    let folded = long.trim_end();
    assert_eq!(
        content::sio_label(&long).replace("\r\n ", " "),
        format!(
            "marking*0=\"{}\"; marking*1=\"{}\"; marking*2=\"{}\"",
            &folded[..40],
            &folded[40..80],
            &folded[80..]
        )
    );
}

#[test]
fn the_message_id_is_read_back_from_the_message() {
    let eml = eml(&example(), b"%PDF");
    let id = message_id(eml.as_bytes()).unwrap();
    assert!(id.starts_with('<') && id.ends_with("@brief.local>"), "{id}");
    assert_eq!(header(&eml, "Message-ID"), id);
}

#[test]
fn security_parses_from_flags() {
    assert_eq!("STARTTLS".parse::<Security>(), Ok(Security::StartTls));
    assert_eq!("tls".parse::<Security>().map(Security::default_port), Ok(465));
    assert!("ssl".parse::<Security>().unwrap_err().contains("none, starttls or tls"));
    let smtp =
        SmtpOptions { password: Some("secret".into()), ..SmtpOptions::new("h", Security::None) };
    assert!(!format!("{smtp:?}").contains("secret"));
}

#[test]
fn a_password_is_never_sent_in_clear() {
    let smtp = SmtpOptions {
        user: Some("user".into()),
        password: Some("secret".into()),
        port: 9,
        ..SmtpOptions::new("127.0.0.1", Security::None)
    };
    let env = Envelope { from: "a@example.org".into(), recipients: vec!["b@example.org".into()] };
    let report = send(b"", &env, &smtp);
    assert!(report.deliveries[0].error.as_deref().unwrap().contains("unencrypted"), "{report:?}");
    let nobody = Envelope { recipients: Vec::new(), ..env };
    assert!(send(b"", &nobody, &smtp).deliveries.is_empty());
}

#[test]
fn a_login_asked_for_is_never_skipped() {
    let env = Envelope { from: "a@example.org".into(), recipients: vec!["b@example.org".into()] };
    for (user, password, why) in [
        (Some("user"), None, "a user name without a password"),
        (None, Some("secret"), "a password without a user name"),
    ] {
        let smtp = SmtpOptions {
            user: user.map(Into::into),
            password: password.map(Into::into),
            port: 9,
            ..SmtpOptions::new("127.0.0.1", Security::StartTls)
        };
        let report = send(b"", &env, &smtp);
        let error = report.deliveries[0].error.as_deref().unwrap();
        assert_eq!(error, format!("{why}: not sending unauthenticated"));
    }
}

#[test]
fn example_eml() {
    let brief = example();
    let name = crate::output_name(&brief);
    let eml = message(&brief, b"%PDF-1.7 test", &name, &options()).unwrap();
    insta::assert_snapshot!(String::from_utf8(eml).unwrap().replace("\r\n", "\n"));
}

/// A brief marked in Russian, no one having cleared it: the subject says
/// DRAFT, the label is RFC 2231-encoded, the body names only who drafted it.
#[test]
fn uncleared_eml_marked_outside_ascii() {
    let mut brief = example();
    brief.brief.classification = Some("Для служебного пользования".into());
    brief.brief.status = Status::Draft;
    if let Some(c) = brief.clearance.as_mut() {
        c.cleared_by.clear();
        c.approved_by = None;
    }
    let name = crate::output_name(&brief);
    let eml = message(&brief, b"%PDF-1.7 test", &name, &options()).unwrap();
    insta::assert_snapshot!(String::from_utf8(eml).unwrap().replace("\r\n", "\n"));
}
