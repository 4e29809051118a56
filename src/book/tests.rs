//! The book's front matter: schedule page numbers and links when the
//! schedule itself runs over several pages, and markup kept out of it.

use super::*;

fn sources(n: usize) -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    (0..n)
        .map(|i| {
            // Markup characters in a title stay text on the schedule.
            let t =
                text.replacen("\n  title: ", &format!("\n  title: No *{:02}* [x](y) | ", n - i), 1);
            (format!("b{i:02}.yaml"), t.into_bytes())
        })
        .collect()
}

#[test]
fn a_schedule_over_several_pages_numbers_and_links_every_brief_right() {
    let env = Env::fixed(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), Some(0));
    let book =
        bind(&sources(40), &env, &Options::default()).unwrap_or_else(|d| panic!("{d:?}")).value;
    assert!(book.front_pages >= 3, "40 rows take more than one schedule page");
    assert_eq!(book.entries[0].first_page, book.front_pages);
    // Meeting order: same meeting, so by title: "*01*" first.
    assert!(book.entries[0].brief.brief.title.starts_with("No *01*"));
    let doc = lopdf::Document::load_mem(&book.pdf).unwrap();
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), book.pages);
    let mut targets = Vec::new();
    for id in &pages[1..book.front_pages] {
        let page = doc.get_dictionary(*id).unwrap();
        let Ok(annots) =
            page.get(b"Annots").and_then(|a| doc.dereference(a).map(|(_, o)| o.clone()))
        else {
            continue;
        };
        for a in annots.as_array().unwrap() {
            let a = doc.dereference(a).unwrap().1.as_dict().unwrap().clone();
            let action =
                doc.dereference(a.get(b"A").unwrap()).unwrap().1.as_dict().unwrap().clone();
            let d = action.get(b"D").unwrap().as_array().unwrap().clone();
            let target = d[0].as_reference().unwrap();
            targets.push(pages.iter().position(|p| *p == target).unwrap());
        }
    }
    targets.sort_unstable();
    targets.dedup();
    let firsts: Vec<usize> = book.entries.iter().map(|e| e.first_page).collect();
    assert_eq!(targets, firsts);
}

#[test]
fn brief_text_is_escaped_into_markup() {
    assert_eq!(esc("*a* [b](c) | #d"), r"\*a\* \[b\]\(c\) \| \#d");
    assert_eq!(esc("- item"), r"\- item");
    assert_eq!(esc("two\nlines"), "two lines");
}
