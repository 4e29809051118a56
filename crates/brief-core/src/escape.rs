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

/// `text` as plain text inside the markup: every character that would start
/// markup is backslash-escaped, and a value that starts like a list item or
/// a rule stays text.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '(' | ')')
        {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_the_five_and_drops_controls() {
        assert_eq!(xml("a<b & \"c\">\u{7}\t'd'"), "a&lt;b &amp; &quot;c&quot;&gt; \t&#39;d&#39;");
    }

    #[test]
    fn markup_leaves_no_markup() {
        assert_eq!(markup("*a* [b](c) | #d"), r"\*a\* \[b\]\(c\) \| \#d");
        assert_eq!(markup("- item"), r"\- item");
        assert_eq!(markup("a*b_[c]"), "a\\*b\\_\\[c\\]");
    }
}
