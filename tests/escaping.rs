//! No text is a command (issue 24): a property test over many generated
//! strings, heavy in the markup's own syntax, that a plain field comes out
//! as exactly that text and adds no element wherever a template writes it,
//! and that a markdown field never adds a directive (a page break, a
//! `fields` row, a callout closed) around it.

use brief::escape::{fences, markup};
use brief::layout::markup::{Block, Span, parse};

/// Characters that mean something to CommonMark or to the directives,
/// weighted towards them, plus letters, spaces and line breaks.
const ALPHABET: &[&str] = &[
    ":",
    ":::",
    "::: pagebreak",
    "::: fields",
    "::: callout",
    "\n",
    "\r\n",
    "\r",
    " ",
    "    ",
    "\t",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "#",
    "|",
    "~",
    "-",
    "+",
    "=",
    "1.",
    "2)",
    "&amp;",
    "&#58;",
    "\\",
    "<!--changed-->",
    "<br>",
    "figure:x",
    "http://x",
    "a",
    "b",
    "Classification: TOP SECRET",
    "é",
    "\u{2028}",
    "$",
    "^",
    "%",
];

/// A small deterministic generator (xorshift64*), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn string(&mut self) -> String {
        let n = (self.next() % 12) as usize;
        (0..n).map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize]).collect()
    }
}

fn text_of(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// What a plain field should read as on the page: line breaks (CR, LF and
/// Unicode's line and paragraph separators) are spaces, and space at either
/// end of a paragraph is not printed.
fn expected(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n', '\u{2028}', '\u{2029}'], " ").trim().to_string()
}

const ROUNDS: u64 = 20_000;

#[test]
fn a_plain_field_is_exactly_its_text_in_a_paragraph_a_heading_and_a_fields_row() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..ROUNDS {
        let s = rng.string();
        let want = expected(&s);
        if want.is_empty() {
            continue;
        }
        let escaped = markup(&s);
        // A paragraph of its own.
        let blocks = parse(&format!("{escaped}\n")).unwrap();
        match &blocks[..] {
            [Block::Para(spans)] => assert_eq!(text_of(spans).trim(), want, "{s:?}"),
            other => panic!("{s:?} made {other:?}"),
        }
        // A heading.
        let blocks = parse(&format!("# {escaped}\n")).unwrap();
        match &blocks[..] {
            [Block::Heading(1, spans)] => assert_eq!(text_of(spans).trim(), want, "{s:?}"),
            other => panic!("# {s:?} made {other:?}"),
        }
        // A table cell, as the `cell` filter writes it.
        let table = format!("| A | B |\n|---|---|\n| {} | z |\n", brief::render::cell(&s));
        match &parse(&table).unwrap()[..] {
            [Block::Table(head, rows)] => {
                assert_eq!(head.len(), 2);
                assert_eq!(rows.len(), 1, "{s:?}: {rows:?}");
                assert_eq!(rows[0].len(), 2, "{s:?} added a cell: {rows:?}");
                assert_eq!(text_of(&rows[0][0]).trim(), want, "{s:?}");
            }
            other => panic!("{s:?} in a table made {other:?}"),
        }
        // The value of a title-block row, between two rows.
        let fields = format!("::: fields\nMeeting: {escaped}\nDate: today\n:::\n");
        match &parse(&fields).unwrap()[..] {
            [Block::Fields(rows)] => {
                assert_eq!(rows.len(), 2, "{s:?} added a row: {rows:?}");
                assert_eq!(rows[0].0, "Meeting");
                assert_eq!(text_of(&rows[0].1).trim(), want, "{s:?}");
            }
            other => panic!("{s:?} in fields made {other:?}"),
        }
    }
}

/// Every block inside `blocks`, nested ones too.
fn all(blocks: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    for b in blocks {
        out.push(b);
        match b {
            Block::Callout(inner) | Block::Changed(inner) | Block::Small(inner) => {
                out.extend(all(inner))
            }
            Block::List(_, items) => items.iter().for_each(|i| out.extend(all(i))),
            _ => {}
        }
    }
    out
}

#[test]
fn a_markdown_field_never_adds_a_directive_around_or_inside_it() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..ROUNDS {
        let s = rng.string();
        let doc = format!("::: callout\n**Purpose.** {}\n:::\n\nAfter.\n", fences(&s));
        let Ok(blocks) = parse(&doc) else { continue };
        // The callout, then the paragraph after it: nothing closed early.
        let (Some(Block::Callout(inner)), Some(Block::Para(after))) =
            (blocks.first(), blocks.last())
        else {
            panic!("{s:?} made {blocks:?}");
        };
        assert_eq!(blocks.len(), 2, "{s:?} made {blocks:?}");
        assert_eq!(text_of(after), "After.");
        for b in all(inner) {
            assert!(
                !matches!(
                    b,
                    Block::PageBreak
                        | Block::Fields(_)
                        | Block::Facts(_)
                        | Block::Callout(_)
                        | Block::Small(_)
                        | Block::Changed(_)
                ),
                "{s:?} added {b:?}"
            );
        }
        let changed = all(inner).iter().any(|b| match b {
            Block::Para(spans) | Block::Heading(_, spans) => spans.iter().any(|s| s.changed),
            _ => false,
        });
        assert!(!changed, "{s:?} drew a change bar");
    }
}
