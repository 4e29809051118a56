//! Golden reports of each kind of change, and the property that a report
//! holds every difference: applying it to the old version gives the new.

use super::*;
use crate::model::tests_support::example;
use crate::model::{Brief, Person, Section};

/// The report of `edit` on the example, as `brief diff` prints it and as JSON.
fn report(edit: impl FnOnce(&mut Brief)) -> String {
    let old = example();
    let mut new = old.clone();
    edit(&mut new);
    let changes = diff(&old, &new);
    let json = serde_json::to_string_pretty(&changes).unwrap();
    format!("{}\n{json}\n", wording::human(&changes))
}

#[test]
fn the_same_brief_has_no_changes() {
    assert!(diff(&example(), &example()).is_empty());
    assert_eq!(wording::human(&diff(&example(), &example())), "");
}

#[test]
fn golden_fields() {
    insta::assert_snapshot!(report(|b| {
        b.brief.version = Some("0.4".into());
        b.brief.title = "Azerbaijan – Kyrgyzstan bilateral talks".into();
        b.meeting.time = chrono::NaiveTime::from_hms_opt(9, 30, 0);
        b.brief.classification = None;
    }));
}

#[test]
fn golden_participants() {
    insta::assert_snapshot!(report(|b| {
        b.meeting.parties[0].delegation.push(Person {
            name: "Jeyhun Bayramov".into(),
            role: Some("Minister of Foreign Affairs".into()),
            lead: None,
            bio: None,
        });
        b.meeting.parties[1].delegation.clear();
    }));
}

#[test]
fn golden_rewording_is_one_change_with_the_words_marked() {
    insta::assert_snapshot!(report(|b| {
        b.key_messages[1] =
            "The joint intergovernmental commission must meet this year and agree a work plan."
                .into();
    }));
}

#[test]
fn golden_reordering_is_a_move() {
    insta::assert_snapshot!(report(|b| {
        b.key_messages.swap(0, 3);
        b.agenda.swap(1, 2);
    }));
}

#[test]
fn golden_added_and_removed() {
    insta::assert_snapshot!(report(|b| {
        b.key_messages.remove(2);
        b.key_messages.push("Kyrgyzstan is invited to the Baku Energy Week.".into());
        b.risks.push("Questions on the Kumtor gold mine: say it is an internal matter.".into());
        b.sections.insert(0, Section { title: "Annex".into(), body: "Details.".into() });
    }));
}

#[test]
fn golden_agenda_points_and_topics() {
    insta::assert_snapshot!(report(|b| {
        b.agenda[0].topic = "Political relations".into();
        b.agenda[1].points.push("Transit along the Middle Corridor.".into());
        b.agenda[2].points.clear();
    }));
}

#[test]
fn golden_outcomes() {
    insta::assert_snapshot!(report(|b| {
        b.outcomes[2].status = Some(crate::model::OutcomeStatus::Agreed);
        b.outcomes[3].owner = Some("Ministry of Economy of Azerbaijan".into());
        b.outcomes[0].due = chrono::NaiveDate::from_ymd_opt(2021, 12, 31);
    }));
}

#[test]
fn golden_facts_and_figure_values() {
    insta::assert_snapshot!(report(|b| {
        b.facts[0].value = 5.6;
        b.figures[0].series[0].values[1] = Some(3.7);
    }));
}

#[test]
fn golden_consecutive_changed_words_are_one_change() {
    // As `git diff --word-diff`: the words inserted between "meet" and
    // "and" are one insertion, never pairs interleaved with their spaces.
    insta::assert_snapshot!(report(|b| {
        b.key_messages[1] = "The joint intergovernmental commission must convene this autumn \
                             and agree a work plan."
            .into();
        b.agenda[1].topic = "Trade, transit and investment".into();
    }));
}

#[test]
fn golden_an_item_replaced_by_an_unrelated_one_is_a_removal_and_an_addition() {
    insta::assert_snapshot!(report(|b| {
        b.key_messages[2] =
            "Kyrgyzstan is invited to the Baku Energy Week in June as a guest country.".into();
        b.purpose = Some("Agree the dates of the next session of the commission.".into());
    }));
}

#[test]
fn golden_numbers_as_written_named_by_what_they_are() {
    let mut old = example();
    old.figures[0].series[0].values[1] = Some(1710.0);
    old.facts[0].value = 1710.0;
    let mut new = old.clone();
    new.figures[0].series[0].values[1] = Some(1745.0);
    new.facts[0].value = 0.04;
    let changes = diff(&old, &new);
    let box_lines: Vec<String> = wording::entries(&changes, "en", 100)
        .iter()
        .map(|e| format!("{}: {}", e.kind, e.text))
        .collect();
    let report = format!("{}\n{}\n", wording::human(&changes), box_lines.join("\n"));
    assert!(!report.contains("1710.0") && !report.contains("1745.0"), "{report}");
    assert!(report.contains("Jan–May 2021: 1710 → 1745"), "{report}");
    assert!(report.contains("Jan–May 2021: 1,710, now 1,745"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn the_brief_date_is_named_as_the_title_block_names_it() {
    let old = example();
    let mut new = old.clone();
    new.brief.date = chrono::NaiveDate::from_ymd_opt(2021, 7, 4).unwrap();
    let entries = wording::entries(&diff(&old, &new), "en", 100);
    // "Date" in the title block is the meeting's; the brief's own date
    // stands on its "From" line.
    assert_eq!(entries[0].text, "From: July 5, 2021, now July 4, 2021");
}

#[test]
fn the_short_list_is_in_the_language_and_cut_around_the_change() {
    let old = example();
    let mut new = old.clone();
    new.brief.language = "de".into();
    new.key_messages[0] = old.key_messages[0].replace("wants to build on it", "will build on it");
    new.key_messages.remove(3);
    new.outcomes[2].status = Some(crate::model::OutcomeStatus::Agreed);
    let changes = diff(&old, &new);
    let entries = wording::entries(&changes, "de", 100);
    let lines: Vec<String> = entries.iter().map(|e| format!("{}: {}", e.kind, e.text)).collect();
    insta::assert_snapshot!(lines.join("\n"));
    // The old and the new wording of the changed message both show the change.
    let message = lines.iter().find(|l| l.contains("Kernbotschaften 1")).unwrap();
    assert!(message.contains("wants to") && message.contains("will build"), "{message}");
}

/// A small deterministic generator (xorshift), so failures replay exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

const WORDS: [&str; 8] = ["trade", "new", "visit", "energy", "fund", "Baku", "agreed", "plan"];

/// A list edited at random: an item removed, added, moved or reworded.
fn edit_list<T: Clone>(
    rng: &mut Rng,
    list: &mut Vec<T>,
    make: impl Fn(String) -> T,
    reword: impl Fn(&mut T, &str),
) {
    let word = WORDS[rng.below(WORDS.len())];
    match rng.below(4) {
        0 if !list.is_empty() => {
            let at = rng.below(list.len());
            list.remove(at);
        }
        1 => {
            let at = rng.below(list.len() + 1);
            list.insert(at, make(format!("A {word} item number {}", rng.below(1000))));
        }
        2 if list.len() > 1 => {
            let (a, b) = (rng.below(list.len()), rng.below(list.len()));
            list.swap(a, b);
        }
        _ if !list.is_empty() => {
            let at = rng.below(list.len());
            reword(&mut list[at], word);
        }
        _ => {}
    }
}

fn mutate(rng: &mut Rng, b: &mut Brief) {
    let text = |s: String| s;
    let append = |s: &mut String, w: &str| s.push_str(&format!(" {w}"));
    match rng.below(12) {
        0 => edit_list(rng, &mut b.key_messages, text, append),
        1 => edit_list(rng, &mut b.risks, text, append),
        2 => edit_list(
            rng,
            &mut b.agenda,
            |t| crate::model::AgendaItem {
                topic: t,
                points: vec!["A point".into()],
                time: None,
                time_zone: None,
            },
            |a, w| append(&mut a.topic, w),
        ),
        3 if !b.agenda.is_empty() => {
            let i = rng.below(b.agenda.len());
            edit_list(rng, &mut b.agenda[i].points, text, append);
        }
        4 => edit_list(
            rng,
            &mut b.outcomes,
            |t| crate::model::Outcome { text: t, status: None, owner: None, due: None },
            |o, w| o.owner = Some(w.into()),
        ),
        5 => edit_list(
            rng,
            &mut b.facts,
            |t| crate::model::Fact { label: t, value: 1.0, unit: None, change: None, note: None },
            |f, _| f.value += 1.0,
        ),
        6 => {
            let i = rng.below(b.meeting.parties.len());
            let person = |n: String| Person { name: n, role: None, lead: None, bio: None };
            let role = |p: &mut Person, w: &str| p.role = Some(w.into());
            edit_list(rng, &mut b.meeting.parties[i].delegation, person, role);
        }
        7 => edit_list(
            rng,
            &mut b.sections,
            |t| Section { title: t, body: "Body.".into() },
            |s, w| append(&mut s.body, w),
        ),
        8 if !b.figures.is_empty() => {
            let f = rng.below(b.figures.len());
            let v = &mut b.figures[f].series[0].values;
            let i = rng.below(v.len());
            v[i] = Some(rng.below(100) as f64);
        }
        9 => b.brief.version = Some(format!("0.{}", rng.below(9))),
        10 => b.meeting.parties.swap(0, 1),
        _ => append(&mut b.brief.title, WORDS[rng.below(WORDS.len())]),
    }
}

#[test]
fn a_report_holds_every_difference_and_nothing_else() {
    let base = example();
    let value = |b: &Brief| serde_json::to_value(b).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut versions = vec![base.clone()];
    for round in 0..400 {
        let mut next = versions[rng.below(versions.len())].clone();
        for _ in 0..=rng.below(5) {
            mutate(&mut rng, &mut next);
        }
        let a = &versions[rng.below(versions.len())];
        let (va, vb) = (value(a), value(&next));
        assert!(diff(&next, &next).is_empty(), "round {round}: a version differs from itself");
        let forward = diff_values(&va, &vb);
        assert_eq!(apply(&va, &forward), vb, "round {round}: {}", wording::human(&forward));
        let back = diff_values(&vb, &va);
        assert_eq!(apply(&vb, &back), va, "round {round}: {}", wording::human(&back));
        assert_eq!(forward.is_empty(), va == vb, "round {round}");
        versions.push(next);
    }
}

#[test]
fn canonical_json_is_the_same_bytes_for_the_same_brief_and_carries_no_comments() {
    let source = include_str!("../../briefs/az-kg-2021-07-05.yaml");
    assert!(source.contains("# Source:"));
    let json = canonical(&example());
    assert_eq!(json, canonical(&example()));
    let text = String::from_utf8(json).unwrap();
    assert!(!text.contains("Every measure reported in the article"), "a YAML comment leaked");
    let back: Value = serde_json::from_str(&text).unwrap();
    assert!(diff_values(&back, &serde_json::to_value(example()).unwrap()).is_empty());
}

#[test]
fn a_pdf_read_back_inflates_no_more_than_a_source_may_hold() {
    assert_eq!(crate::pdf::embed::MAX_INFLATED, crate::source::MAX_BYTES);
}
