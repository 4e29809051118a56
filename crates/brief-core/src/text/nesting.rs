//! How deeply markup nests: the limit that keeps layout's recursion shallow.
//!
//! Layout walks the markup tree recursively, so an unbounded depth (2,500
//! nested list markers fit in 5 KB) would overflow the stack. Both model
//! validation (per field, so `check` finds it) and layout (the whole markup a
//! template wrote) measure depth here, with the same parser options layout uses.

use pulldown_cmark::{Event, Options, Parser, TagEnd};

/// Most levels one markup field of a brief may nest.
pub const MAX_FIELD_NESTING: usize = 16;

/// Most levels the whole markup may nest: a template adds a few levels
/// around the brief's fields (a numbered list around key messages, a callout).
pub const MAX_NESTING: usize = 32;

/// The deepest nesting in `markup`: block quotes, lists, emphasis, links and
/// images inside one another, plus the `:::` blocks around them. A list and
/// its item count as one level.
pub fn depth(markup: &str) -> usize {
    let mut deepest = 0;
    let mut open = 0usize;
    let mut plain = String::new();
    // Mirrors layout's reading of `:::` fences: each run of plain lines is
    // CommonMark inside however many fenced blocks are open around it.
    for line in markup.lines() {
        let Some(name) = line.trim_start().strip_prefix(":::").map(str::trim) else {
            plain.push_str(line);
            plain.push('\n');
            continue;
        };
        deepest = deepest.max(open + markdown_depth(&std::mem::take(&mut plain)));
        if name.is_empty() {
            open = open.saturating_sub(1);
        } else if name != "pagebreak" {
            open += 1;
            deepest = deepest.max(open);
        }
    }
    deepest.max(open + markdown_depth(&plain))
}

/// Nesting depth of plain CommonMark (with GFM tables, as layout reads it).
fn markdown_depth(text: &str) -> usize {
    if text.trim().is_empty() {
        return 0;
    }
    let mut deepest = 0;
    let mut open = 0usize;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(tag) if nests(tag.to_end()) => {
                open += 1;
                deepest = deepest.max(open);
            }
            Event::End(end) if nests(end) => open = open.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Tags that can hold themselves: paragraphs, headings, items and table
/// parts cannot, so they add no level.
fn nests(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lists_quotes_emphasis_and_fenced_blocks() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("Plain text.\n"), 0);
        assert_eq!(depth("- a\n  - b\n    - **c**\n"), 4);
        assert_eq!(depth("> > > quoted\n"), 3);
        assert_eq!(depth("::: callout\n::: small\n- a\n:::\n:::\n"), 3);
        assert_eq!(depth("::: pagebreak\n\n- a\n"), 1);
    }

    #[test]
    fn thousands_of_list_markers_are_measured_not_recursed() {
        let deep = format!("{}x\n", "- ".repeat(2500));
        assert_eq!(depth(&deep), 2500);
        let quotes = format!("{}x\n", "> ".repeat(2500));
        assert_eq!(depth(&quotes), 2500);
        let fences = "::: callout\n".repeat(5000);
        assert_eq!(depth(&fences), 5000);
    }
}
