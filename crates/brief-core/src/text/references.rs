//! What a markdown field refers to, read as layout reads it: the
//! characters its references decode to (`&#x202E;` is a right-to-left
//! override on the page, though the source shows no such character, so the
//! YAML reader's refusal alone would miss it), and the links and images it
//! names, so `check` refuses what a build would.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag};

/// The first numeric character reference in `markup` (`&#x202E;`,
/// `&#8238;`) that the markdown reader decodes to a character a source may
/// not hold ([`crate::yaml::tree::refused`]): the reference as written and
/// the character. Read with the options layout reads markup with, so a
/// reference in a code span (shown as written) is not one.
pub fn refused_reference(markup: &str) -> Option<(String, char)> {
    if !markup.contains("&#") {
        return None;
    }
    let parser = Parser::new_ext(markup, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        let Event::Text(text) = event else { continue };
        if !text.chars().any(crate::yaml::tree::refused) {
            continue;
        }
        let written = markup.get(range).unwrap_or_default();
        if let Some(found) =
            numeric_references(written).find(|(_, c)| crate::yaml::tree::refused(*c))
        {
            return Some(found);
        }
    }
    None
}

/// The first link or image of `markup` a build refuses: a link that is not
/// an https, http or mailto address ([`crate::document::safe_link`]), or an
/// image that is not one of the brief's figures (`figure:id`). What it is
/// ("link" or "image") and its address as written.
pub fn refused_target(markup: &str) -> Option<(&'static str, String)> {
    if !markup.contains("](") && !markup.contains("]:") {
        return None;
    }
    super::passage::parser(markup).find_map(|event| match event {
        // A passage (`[words]{lang=he}`) is checked as one, elsewhere.
        Event::Start(Tag::Link { link_type: LinkType::ShortcutUnknown, .. }) => None,
        Event::Start(Tag::Link { link_type, dest_url, .. }) => {
            let url = match link_type {
                LinkType::Email => format!("mailto:{dest_url}"),
                _ => dest_url.to_string(),
            };
            (!crate::document::safe_link(&url)).then_some(("link", url))
        }
        Event::Start(Tag::Image { dest_url, .. }) if !dest_url.starts_with("figure:") => {
            Some(("image", dest_url.to_string()))
        }
        _ => None,
    })
}

/// The first words of `markup` no page shows: a link's title (a tooltip a
/// PDF has no place for), a fenced code block's info string, or a link
/// reference definition (`[1]: https://… "Title"`, printed nowhere), so
/// `check` can refuse what would otherwise vanish. As written.
pub fn unprinted(markup: &str) -> Option<String> {
    if !markup.contains(['"', '\'', '(', '`', '~', ':']) {
        return None;
    }
    let mut parser = super::passage::parser(markup);
    let mut used = Vec::new();
    for event in parser.by_ref() {
        match event {
            Event::Start(Tag::Link { link_type, title, .. })
                if link_type != LinkType::ShortcutUnknown && !title.trim().is_empty() =>
            {
                return Some(format!("the link's title `{title}`"));
            }
            Event::Start(Tag::Link { id, .. } | Tag::Image { id, .. }) if !id.is_empty() => {
                used.push(id.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase());
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if !info.trim().is_empty() =>
            {
                return Some(format!("the code block's info `{info}`"));
            }
            _ => {}
        }
    }
    // A definition a link uses gives it its address, as an inline link's
    // does; one no link uses, or its title, prints nowhere.
    let label = parser
        .reference_definitions()
        .iter()
        .filter(|(label, def)| {
            def.title.as_ref().is_some_and(|t| !t.trim().is_empty())
                || !used.contains(
                    &label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
                )
        })
        .map(|(label, _)| label)
        .min()?;
    Some(format!("the link reference definition `[{label}]: …`"))
}

/// Each `&#…;` of `text`, as written, with the character it names.
fn numeric_references(text: &str) -> impl Iterator<Item = (String, char)> + '_ {
    text.match_indices("&#").filter_map(|(at, _)| {
        let rest = &text[at + 2..];
        let end = rest.find(';').filter(|&e| e <= 8)?;
        let digits = &rest[..end];
        let code = match digits.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => digits.parse().ok()?,
        };
        Some((text[at..at + 2 + end + 1].to_string(), char::from_u32(code)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_refused_characters_are_found_as_written() {
        let found = |m: &str| refused_reference(m).map(|(w, c)| (w, c as u32));
        assert_eq!(found("pay &#x202E;100"), Some(("&#x202E;".into(), 0x202E)));
        assert_eq!(found("a &amp; b &#8238;c"), Some(("&#8238;".into(), 0x202E)));
        assert_eq!(found("- item &#X2066; x"), Some(("&#X2066;".into(), 0x2066)));
        assert_eq!(found("bell &#7; here"), Some(("&#7;".into(), 7)));
        assert_eq!(found("**b &#x00202d;**"), Some(("&#x00202d;".into(), 0x202D)));
        // Marks, ordinary characters and code spans (shown as written) are fine.
        assert_eq!(found("&#x200F;&#x200E;&#1548; &#x41; &amp;"), None);
        assert_eq!(found("`&#x202E;` in code"), None);
        assert_eq!(found("no reference"), None);
    }

    #[test]
    fn words_no_page_shows_are_found() {
        assert_eq!(
            unprinted("[a](https://x.org \"Secret words\")").as_deref(),
            Some("the link's title `Secret words`")
        );
        assert_eq!(unprinted("```rust\nx\n```").as_deref(), Some("the code block's info `rust`"));
        let defs = "Sources:\n\n[1]: https://e.org \"Azernews\"";
        assert_eq!(unprinted(defs).as_deref(), Some("the link reference definition `[1]: …`"));
        // Used, without a title: its address goes with the link, as inline.
        assert_eq!(unprinted("See [the report][R 1].\n\n[r  1]: https://e.org"), None);
        let titled = "See [the report][r].\n\n[r]: https://e.org 'Title words'";
        assert_eq!(unprinted(titled).as_deref(), Some("the link's title `Title words`"));
        assert_eq!(unprinted("[a](https://x.org) [w]{lang=he} `code` ```\nx\n```"), None);
        assert_eq!(unprinted("Time: 10:00, \"quoted\" (aside)"), None);
    }

    #[test]
    fn links_and_images_a_build_refuses_are_found() {
        assert_eq!(
            refused_target("[a](javascript:alert(1))"),
            Some(("link", "javascript:alert(1)".into()))
        );
        assert_eq!(refused_target("[a]()"), Some(("link", String::new())));
        assert_eq!(refused_target("![x](/etc/passwd)"), Some(("image", "/etc/passwd".into())));
        assert_eq!(
            refused_target("[a][r]\n\n[r]: file:///etc/passwd"),
            Some(("link", "file:///etc/passwd".into()))
        );
        assert_eq!(refused_target("[a](https://e.org) [m](mailto:a@b.c) ![t](figure:x)"), None);
        assert_eq!(refused_target("[words]{lang=he} and `[a](javascript:x)` <a@b.org>"), None);
    }
}
