//! The brief's markdown fields as plain text (`**b**` → `b`, `[t](u)` → `t (u)`) and as escaped HTML.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub(super) use crate::escape::xml as escape;

/// Markdown → plain text: emphasis dropped, links as `text (url)`, list items
/// as `- item`, blocks separated by one blank line, no trailing whitespace.
pub(super) fn plain(markdown: &str) -> String {
    let markdown = &*brief_core::text::passage::unmarked(markdown);
    let mut out = String::new();
    // Each open link: its address and where its text starts in `out`.
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("----\n\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Start(Tag::Link { dest_url, .. }) => links.push((dest_url.into(), out.len())),
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = links.pop() {
                    // An autolink's text is its address already.
                    if out.get(start..).is_some_and(|text| text != url) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Start(Tag::List(_)) => {
                end_line(&mut out);
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end_line(&mut out);
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                end_line(&mut out);
                out.push_str(&"  ".repeat(depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                // Paragraphs inside a list item are lines of the item.
                out.push_str(if depth > 0 { "\n" } else { "\n\n" });
            }
            _ => {}
        }
    }
    tidy(&out)
}

/// Starts a new line unless at the start of one.
fn end_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Trailing spaces gone, at most one blank line in a row, none at either end.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Markdown → HTML, every text escaped; raw HTML in the source is shown as
/// text, and only http, https and mailto links become links.
pub(super) fn html(markdown: &str) -> String {
    let markdown = &*brief_core::text::passage::unmarked(markdown);
    let mut out = String::new();
    // Whether each open link became an `<a>`.
    let mut links: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&escape(&t)),
            Event::Code(t) => out.push_str(&format!("<code>{}</code>", escape(&t))),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let safe = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|s| dest_url.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)));
                if safe {
                    out.push_str(&format!("<a href=\"{}\">", escape(&dest_url)));
                }
                links.push(safe);
            }
            Event::End(TagEnd::Link) => {
                out.push_str(if links.pop() == Some(true) { "</a>" } else { "" });
            }
            Event::Start(tag) => out.push_str(open(&tag)),
            Event::End(tag) => out.push_str(close(tag)),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// The opening HTML of a block or span; headings inside a field are bold
/// paragraphs, so they do not compete with the message's own headings.
fn open(tag: &Tag) -> &'static str {
    match tag {
        Tag::Paragraph => "<p>",
        Tag::Heading { .. } => "<p><strong>",
        Tag::BlockQuote(_) => "<blockquote>\n",
        Tag::CodeBlock(_) => "<pre>",
        Tag::List(Some(_)) => "<ol>\n",
        Tag::List(None) => "<ul>\n",
        Tag::Item => "<li>",
        Tag::Emphasis => "<em>",
        Tag::Strong => "<strong>",
        Tag::Strikethrough => "<del>",
        _ => "",
    }
}

/// The closing HTML matching [`open`].
fn close(tag: TagEnd) -> &'static str {
    match tag {
        TagEnd::Paragraph => "</p>\n",
        TagEnd::Heading(_) => "</strong></p>\n",
        TagEnd::BlockQuote(_) => "</blockquote>\n",
        TagEnd::CodeBlock => "</pre>\n",
        TagEnd::List(true) => "</ol>\n",
        TagEnd::List(false) => "</ul>\n",
        TagEnd::Item => "</li>\n",
        TagEnd::Emphasis => "</em>",
        TagEnd::Strong => "</strong>",
        TagEnd::Strikethrough => "</del>",
        _ => "",
    }
}

/// Markdown → HTML for inside an element such as `<li>`: a lone paragraph
/// loses its `<p>` so list items stay tight.
pub(super) fn html_inline(markdown: &str) -> String {
    let html = html(markdown);
    match html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}
