//! Text made safe for what it is written into: one definition per target,
//! so a source's text is only ever text wherever it lands.
//!
//! - [`xml`]: XML and HTML character data and attribute values (SVG exports,
//!   the XMP packet, e-mail bodies).
//! - [`markup`]: the document markup (CommonMark with directives) that
//!   templates produce: a brief's words never add emphasis, links, tables,
//!   headings or list items.
//!
//! Text for a terminal is escaped by [`crate::diag::escape`].

/// The explicit bidirectional formatting characters: embeddings, overrides
/// and isolates (U+202A–U+202E, U+2066–U+2069). In a source's text they
/// would reorder what follows them on the page and on a terminal, so a
/// reader sees words in another order than the source holds them (the
/// "Trojan Source" trick); the marks U+200E, U+200F and U+061C only settle
/// where a neutral character goes, and stay allowed.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What to call a character a text may not hold: "text direction control"
/// or "control character", for messages.
pub fn refused_kind(c: char) -> &'static str {
    if is_direction_control(c) { "text direction control" } else { "control character" }
}

/// `text` as XML or HTML character data or an attribute value in either quotes.
/// Control characters other than tab and line breaks, which XML 1.0 cannot
/// hold at all, become spaces.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `text` as plain text inside the markup, on one line: every character
/// that would start markup is backslash-escaped (`:` too, so no `:::`
/// directive fence and no `Label:` row of a `::: fields` block can form; `&`,
/// so an entity is printed as written), a line break is a space (the text
/// never ends the line a template put it on), space before it is dropped,
/// and a value that starts like a list item or a rule stays text.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Space before the text is never printed, and four of it (or a tab)
    // would make the line a code block.
    let mut chars = text.trim_start().chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '`'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '|'
                | '~'
                | '('
                | ')'
                | ':'
                | '&'
        ) {
            out.push('\\');
        }
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
    }
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    // `2021. A year` would start a numbered list (`)` is escaped above).
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with('.') {
        out.insert(digits, '\\');
    }
    out
}

/// A markdown field of a brief made safe inside a template's markup: its
/// CommonMark (emphasis, links, lists, paragraphs) is kept, but the markup's
/// own syntax beyond CommonMark is not: a line that would be a `:::`
/// directive fence (a callout closed, a page break, a `fields` block) and an
/// HTML comment (the change-bar marker is one) are escaped, so they print as
/// written and never add structure.
pub fn fences(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 8);
    let mut code: Option<char> = None;
    for line in markdown.split_inclusive('\n') {
        let body = line.trim_start();
        let inner = after_containers(body);
        let fence = ['`', '~'].into_iter().find(|&f| inner.starts_with(&format!("{f}{f}{f}")));
        match (code, fence) {
            (None, Some(f)) => code = Some(f),
            (Some(open), Some(f)) if open == f => code = None,
            _ => {}
        }
        if body.starts_with(":::") {
            out.push_str(&line[..line.len() - body.len()]);
            out.push('\\');
            out.push_str(body);
        } else if code.is_none() && fence.is_none() && heading_marker(inner) {
            // A heading in a field would be one of the document's own,
            // beside the template's sections (in its outline too): its
            // `#` or underline prints as written.
            let at = line.len() - inner.len();
            out.push_str(&line[..at]);
            out.push('\\');
            out.push_str(&line[at..]);
        } else {
            out.push_str(line);
        }
    }
    if !out.contains("<!--") {
        return out;
    }
    // Each `<!--` not already escaped (an even run of backslashes before it
    // escapes only themselves) gets one.
    let mut escaped = String::with_capacity(out.len() + 8);
    let mut rest = out.as_str();
    while let Some(at) = rest.find("<!--") {
        let before = &rest[..at];
        let slashes = before.len() - before.trim_end_matches('\\').len();
        escaped.push_str(before);
        if slashes.is_multiple_of(2) {
            escaped.push('\\');
        }
        escaped.push_str("<!--");
        rest = &rest[at + 4..];
    }
    escaped.push_str(rest);
    escaped
}

/// `line` after the markers of the block quotes and list items it opens
/// (`> `, `- `, `* `, `+ `, `1. `, `1) `).
fn after_containers(mut line: &str) -> &str {
    loop {
        let rest = line.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let next = if let Some(r) = rest.strip_prefix('>') {
            r
        } else if let Some(r) = rest.strip_prefix(['-', '*', '+']).filter(|r| r.starts_with(' ')) {
            r
        } else if (1..=9).contains(&digits)
            && let Some(r) = rest[digits..].strip_prefix(['.', ')']).filter(|r| r.starts_with(' '))
        {
            r
        } else {
            return rest;
        };
        line = next;
    }
}

/// Whether a line (after its container markers) would make a heading: an
/// ATX `#`, or a setext underline of `=` or `-` alone.
fn heading_marker(inner: &str) -> bool {
    let bare = inner.trim_end();
    inner.starts_with('#')
        || (!bare.is_empty() && (bare.chars().all(|c| c == '=') || bare.chars().all(|c| c == '-')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_the_five_and_drops_controls() {
        assert_eq!(xml("a<b & \"c\">\u{7}\t'd'"), "a&lt;b &amp; &quot;c&quot;&gt; \t&#39;d&#39;");
    }

    #[test]
    fn markup_folds_line_breaks() {
        assert_eq!(
            markup("Baku,\nHotel: Fairmont\r\n- Flame Towers\u{2028}x"),
            r"Baku, Hotel\: Fairmont - Flame Towers x"
        );
    }

    #[test]
    fn markup_adds_no_line_no_fence_no_row() {
        assert_eq!(markup("a\n::: pagebreak"), r"a \:\:\: pagebreak");
        assert_eq!(markup("Room 3: Hall\r\nB"), r"Room 3\: Hall B");
        assert_eq!(markup("2021. A year"), r"2021\. A year");
        assert_eq!(markup("&amp;"), r"\&amp;");
    }

    #[test]
    fn fences_keep_commonmark_and_escape_directives() {
        assert_eq!(fences("**a**\n:::\n  ::: pagebreak\nb"), "**a**\n\\:::\n  \\::: pagebreak\nb");
        // Headings, ATX or setext, also inside list items and quotes; not in code.
        assert_eq!(fences("# H1\n\nText\n===\n"), "\\# H1\n\nText\n\\===\n");
        assert_eq!(fences("- # item\n1. ## two\n> ### q"), "- \\# item\n1. \\## two\n> \\### q");
        assert_eq!(fences("Under\n---\n- a"), "Under\n\\---\n- a");
        assert_eq!(fences("```\n# code\n```\n# h"), "```\n# code\n```\n\\# h");
        assert_eq!(fences("a #not-a-heading\n2021. year"), "a #not-a-heading\n2021. year");
        assert_eq!(fences("x <!--changed--> y"), r"x \<!--changed--> y");
        assert_eq!(fences("a ::: b"), "a ::: b");
    }

    #[test]
    fn markup_leaves_no_markup() {
        assert_eq!(markup("*a* [b](c) | #d"), r"\*a\* \[b\]\(c\) \| \#d");
        assert_eq!(markup("- item"), r"\- item");
        assert_eq!(markup("a*b_[c]"), "a\\*b\\_\\[c\\]");
    }
}
