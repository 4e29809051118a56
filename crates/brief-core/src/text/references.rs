//! What a markdown field refers to, read as layout reads it: the
//! characters its references decode to (`&#x202E;` is a right-to-left
//! override on the page, though the source shows no such character, so the
//! YAML reader's refusal alone would miss it), and the links and images it
//! names, so `check` refuses what a build would.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag};

/// A link or an image a build refuses, its address as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A link that is not an https, http or mailto address
    /// ([`crate::document::safe_link`]).
    Link(String),
    /// An image that is not one of the brief's figures (`figure:id`).
    Image(String),
}

impl Target {
    /// Why a build refuses it, and what to write instead: the words layout's
    /// error and `check`'s alike.
    pub fn refusal(&self) -> (String, &'static str) {
        match self {
            Target::Link(url) => (
                format!("the link `{url}` is not a web address"),
                "a PDF sent by email links only to https://, http:// or mailto: addresses; write the full address",
            ),
            Target::Image(url) => (
                format!("the image `{url}` cannot be shown: a brief embeds only its own figures"),
                "place a figure as `![title](figure:id)` in a paragraph of its own; other images are never read",
            ),
        }
    }
}

/// What a markdown field holds that a build would refuse or not print,
/// each the first of its kind, found in one reading.
#[derive(Debug, Default, PartialEq)]
pub struct Findings {
    /// A link or image a build refuses.
    pub target: Option<Target>,
    /// Words no page shows: a link's title (a tooltip a PDF has no place
    /// for), a fenced code block's info string, or a link reference
    /// definition no link uses or with a title (printed nowhere); described.
    pub unprinted: Option<String>,
    /// A numeric character reference (`&#x202E;`, `&#8238;`) the markdown
    /// reader decodes to a character a source may not hold
    /// ([`crate::yaml::tree::refused`]): as written, and the character. A
    /// reference in a code span (shown as written) is not one.
    pub reference: Option<(String, char)>,
}

/// Reads `markup` once, with the parser layout reads it with, for what
/// [`Findings`] lists.
pub fn findings(markup: &str) -> Findings {
    let mut found = Findings::default();
    // Each finding needs one of these; most fields hold none.
    if !["&#", "](", "]:", "<", "```", "~~~"].iter().any(|p| markup.contains(p)) {
        return found;
    }
    let mut parser = super::passage::parser(markup).into_offset_iter();
    let mut used = Vec::new();
    let label = |id: &str| id.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    for (event, range) in parser.by_ref() {
        match event {
            // A passage (`[words]{lang=he}`) is checked as one, elsewhere.
            Event::Start(Tag::Link { link_type: LinkType::ShortcutUnknown, .. }) => {}
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                if found.target.is_none() && !crate::document::safe_link(&url) {
                    found.target = Some(Target::Link(url));
                }
                if found.unprinted.is_none() && !title.trim().is_empty() {
                    found.unprinted = Some(format!("the link's title `{title}`"));
                }
                used.push(label(&id));
            }
            Event::Start(Tag::Image { dest_url, id, .. }) => {
                if found.target.is_none() && !dest_url.starts_with("figure:") {
                    found.target = Some(Target::Image(dest_url.to_string()));
                }
                used.push(label(&id));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if found.unprinted.is_none() && !info.trim().is_empty() =>
            {
                found.unprinted = Some(format!("the code block's info `{info}`"));
            }
            Event::Text(text)
                if found.reference.is_none() && text.chars().any(crate::yaml::tree::refused) =>
            {
                let written = markup.get(range).unwrap_or_default();
                found.reference =
                    numeric_references(written).find(|(_, c)| crate::yaml::tree::refused(*c));
            }
            _ => {}
        }
    }
    // A definition a link uses gives it its address, as an inline link's
    // does; one no link uses, or its title, prints nowhere.
    if found.unprinted.is_none() {
        let unused = parser
            .reference_definitions()
            .iter()
            .filter(|(id, def)| {
                def.title.as_ref().is_some_and(|t| !t.trim().is_empty())
                    || !used.contains(&label(id))
            })
            .map(|(id, _)| id)
            .min();
        found.unprinted = unused.map(|id| format!("the link reference definition `[{id}]: …`"));
    }
    found
}

/// What `check` says of a character reference [`Findings::reference`]
/// found: `written`, and the character it stands for.
pub fn reference_message(written: &str, c: char) -> String {
    let kind = crate::escape::refused_kind(c);
    format!("the character reference `{written}` is the {kind} U+{:04X}", c as u32)
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
        let found = |m: &str| findings(m).reference.map(|(w, c)| (w, c as u32));
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
        let unprinted = |m: &str| findings(m).unprinted;
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
        let refused_target = |m: &str| findings(m).target;
        assert_eq!(
            refused_target("[a](javascript:alert(1))"),
            Some(Target::Link("javascript:alert(1)".into()))
        );
        assert_eq!(refused_target("[a]()"), Some(Target::Link(String::new())));
        assert_eq!(refused_target("![x](/etc/passwd)"), Some(Target::Image("/etc/passwd".into())));
        assert_eq!(
            refused_target("[a][r]\n\n[r]: file:///etc/passwd"),
            Some(Target::Link("file:///etc/passwd".into()))
        );
        assert_eq!(refused_target("[a](https://e.org) [m](mailto:a@b.c) ![t](figure:x)"), None);
        // An autolink is a link too.
        assert_eq!(
            refused_target("see <file:///etc/passwd>"),
            Some(Target::Link("file:///etc/passwd".into()))
        );
        assert_eq!(refused_target("[words]{lang=he} and `[a](javascript:x)` <a@b.org>"), None);
    }
}
