//! `brief man DIR`: a page per command where `man` looks, and the format
//! reference as `brief-format(5)` holding every word of `docs/format.md`.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, scratch};
#[path = "common/tool.rs"]
mod tool;

use std::path::Path;

/// The words of a text, in order: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of the Markdown a reader sees (its text and code), in order.
fn markdown_words(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser};
    let mut text = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
                text.push(' ');
            }
            Event::Start(pulldown_cmark::Tag::Link { dest_url, .. })
                if dest_url.starts_with("http") =>
            {
                text.push_str(&dest_url);
                text.push(' ');
            }
            _ => text.push(' '),
        }
    }
    words(&text)
}

#[test]
fn the_manual_has_every_command_and_the_whole_format() {
    let dir = scratch("man").join("man");
    brief_ok(&["man", dir.to_str().unwrap()], None);
    for name in [
        "brief",
        "brief-build",
        "brief-check",
        "brief-book",
        "brief-send",
        "brief-new",
        "brief-man",
    ] {
        let page = dir.join(format!("man1/{name}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{name}: {text:.200}");
    }
    // `man` finds the format page by name in the folder, in section 5.
    let found = tool::tool("man", &["-M", dir.to_str().unwrap(), "-w", "brief-format"]);
    assert!(found.trim().ends_with("man5/brief-format.5"), "{found}");
    // Rendered as a reader sees it, every word of docs/format.md, in order.
    let page = dir.join("man5/brief-format.5");
    let shown = tool::tool(
        "groff",
        &["-k", "-man", "-Tutf8", "-P-cbou", "-rLL=300n", page.to_str().unwrap()],
    );
    let shown = words(&shown);
    let markdown =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
            .unwrap();
    let wanted = markdown_words(&markdown);
    assert!(wanted.len() > 2000, "{} words", wanted.len());
    let mut at = 0;
    for (i, word) in wanted.iter().enumerate() {
        match shown[at..].iter().position(|w| w == word) {
            Some(p) => at += p + 1,
            None => panic!(
                "word {i} `{word}` of docs/format.md missing after {:?}",
                &wanted[i.saturating_sub(8)..i]
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
