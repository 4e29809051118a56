//! The canonical example in Kyrgyz (`language: ky`): every product builds,
//! and the PDFs carry the Kyrgyz wording and CLDR's Kyrgyz dates, with no
//! English word left but names, codes and addresses.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, scratch};
#[path = "common/tool.rs"]
mod tool;

use std::collections::BTreeSet;

use tool::tool;

const SOURCE: &str = "briefs/az-kg-2021-07-05-ky.yaml";

/// Latin-script words the brief itself writes: a publication, codes, the
/// link, the e-mail addresses and the marking (a marking is the marking
/// government's word, not a phrase to translate).
const NAMES: [&str; 17] = [
    "Azernews", "azernews", "https", "www", "az", "COVID", "ECA", "KG", "AZ", "example", "gov",
    "pm", "office", "eca", "desk", "economy", "OFFICIAL",
];

#[test]
fn the_kyrgyz_example_builds_in_every_product_in_kyrgyz() {
    let out = scratch("products");
    brief_ok(&["build", "--all-products", SOURCE, "-o", out.to_str().unwrap()], None);
    let mut pdfs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), 3, "{pdfs:?}");
    let mut all = String::new();
    for pdf in &pdfs {
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        // Every product: the meeting's date in Kyrgyz, as CLDR writes it.
        assert!(text.contains("2021-ж., 5-июль, дүйшөмбү"), "{pdf:?}: {text}");
        for heading in ["Жолугушуу", "Негизги билдирүүлөр", "Максаты", "Барак 1 /"]
        {
            assert!(text.contains(heading), "{pdf:?} lacks {heading}: {text}");
        }
        all.push_str(&text);
    }
    for heading in [
        "Катышуучулар",
        "Кыскача мазмуну",
        "Күн тартиби",
        "Макулдашылган чаралар",
        "Маалымдама",
        "Тобокелдиктер жана татаал суроолор",
        "Булактар",
        "делегациянын башчысы",
        "Макулдашылды",
        "Эскертүү:",
        "Булак:",
        "Кимге:",
        "версия 1.0",
        "5,4",
    ] {
        assert!(all.contains(heading), "no {heading}");
    }
    let latin: BTreeSet<&str> = all
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty() && !NAMES.contains(w))
        .collect();
    assert!(latin.is_empty(), "English or other Latin words left: {latin:?}");
    std::fs::remove_dir_all(&out).unwrap();
}
