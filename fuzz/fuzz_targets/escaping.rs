//! Fuzz target: the markup escaping. Any text as a plain field is exactly
//! that text (line breaks as spaces, space at the ends dropped) in a
//! paragraph, a heading and a title-block row, and adds no element; any
//! text as a markdown field inside a callout never closes it, nor adds a
//! page break, a `fields` block or a change bar. A violation panics.
#![no_main]

use brief::escape::{fences, markup};
use brief::layout::markup::{Block, Span, parse};
use libfuzzer_sys::fuzz_target;

fn text_of(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

fn all(blocks: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    for b in blocks {
        out.push(b);
        match b {
            Block::Callout(inner) | Block::Changed(inner) | Block::Small(inner) => out.extend(all(inner)),
            Block::List(_, items) => items.iter().for_each(|i| out.extend(all(i))),
            _ => {}
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if s.len() > 4096 {
        return;
    }
    let want = s.replace("\r\n", " ").replace(['\r', '\n'], " ").trim().to_string();
    if !want.is_empty() {
        let e = markup(s);
        if let Ok(blocks) = parse(&format!("{e}\n")) {
            match &blocks[..] {
                [Block::Para(spans)] => assert_eq!(text_of(spans).trim(), want, "{s:?}"),
                other => panic!("{s:?} made {other:?}"),
            }
        }
        if let Ok(blocks) = parse(&format!("::: fields\nMeeting: {e}\nDate: today\n:::\n")) {
            match &blocks[..] {
                [Block::Fields(rows)] => {
                    assert_eq!(rows.len(), 2, "{s:?} added a row");
                    assert_eq!(text_of(&rows[0].1).trim(), want, "{s:?}");
                }
                other => panic!("{s:?} in fields made {other:?}"),
            }
        }
    }
    let doc = format!("::: callout\n**Purpose.** {}\n:::\n\nAfter.\n", fences(s));
    if let Ok(blocks) = parse(&doc) {
        assert!(
            matches!(&blocks[..], [Block::Callout(_), Block::Para(after)] if text_of(after) == "After."),
            "{s:?} made {blocks:?}"
        );
        if let Some(Block::Callout(inner)) = blocks.first() {
            for b in all(inner) {
                assert!(
                    !matches!(b, Block::PageBreak | Block::Fields(_) | Block::Facts(_) | Block::Callout(_) | Block::Small(_) | Block::Changed(_)),
                    "{s:?} added {b:?}"
                );
                if let Block::Para(spans) | Block::Heading(_, spans) = b {
                    assert!(!spans.iter().any(|sp| sp.changed), "{s:?} drew a change bar");
                }
            }
        }
    }
});
