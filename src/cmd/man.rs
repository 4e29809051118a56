//! `brief man`: the manual as man pages: `brief.1`, one page per command
//! (`brief-build.1`, …) and `brief-format.5`, the briefing format reference,
//! made from `docs/format.md` itself so the two cannot say different things.

use std::fmt::Write as _;
use std::path::Path;

use clap::CommandFactory;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::cli::Cli;
use crate::{OK, Reporter, TROUBLE};

/// The format reference, as the repository's docs have it.
const FORMAT: &str = include_str!("../../docs/format.md");

/// Prints `brief.1`, or writes every page under the manual folder `dir`:
/// `man1/` for the commands, `man5/` for the format, where `man` looks.
pub(crate) fn run(dir: Option<&Path>, report: &Reporter) -> u8 {
    let Some(dir) = dir else {
        return match page(Cli::command()) {
            Some(text) => crate::print(&text),
            None => TROUBLE,
        };
    };
    let mut pages = vec![("man1/brief.1".to_string(), page(Cli::command()))];
    let root = Cli::command();
    for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("brief-{}", sub.get_name());
        let cmd = sub.clone().name(name.clone()).bin_name(format!("brief {}", sub.get_name()));
        pages.push((format!("man1/{name}.1"), page(cmd)));
    }
    pages.push(("man5/brief-format.5".to_string(), Some(format_page(FORMAT))));
    for (name, text) in pages {
        let Some(text) = text else { return TROUBLE };
        let path = dir.join(&name);
        if let Some(folder) = path.parent()
            && let Err(e) = std::fs::create_dir_all(folder)
        {
            let d = brief::diag::Diagnostic::error(
                folder.display().to_string(),
                format!("cannot create folder ({e})"),
            );
            return report.fail(&d);
        }
        if let Err(d) = brief::batch::write_atomic(&path, text.as_bytes()) {
            return report.fail(&d);
        }
        report.note(&format!("wrote {}", path.display()));
    }
    OK
}

/// A command's page, as clap_mangen writes it.
fn page(cmd: clap::Command) -> Option<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).ok()?;
    String::from_utf8(out).ok()
}

/// `brief-format(5)`: the Markdown reference as roff (man macros): headings
/// become sections, lists indented paragraphs, code blocks and tables
/// unfilled text; every word of the Markdown is kept.
pub(crate) fn format_page(markdown: &str) -> String {
    let mut out = String::from(
        ".TH BRIEF-FORMAT 5 \"\" \"brief\" \"File Formats\"\n.nh\n.ad l\n.SH NAME\nbrief-format \\- the briefing source format read by brief(1)\n",
    );
    let mut line = String::new();
    let mut verbatim = false;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Vec<String> = Vec::new();
    let flush = |out: &mut String, line: &mut String| {
        let text = line.trim();
        if !text.is_empty() {
            out.push_str(&roff_line(text));
            out.push('\n');
        }
        line.clear();
    };
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut out, &mut line);
                out.push_str(match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => ".SH ",
                    _ => ".SS ",
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                out.push_str(&escape(line.trim()));
                out.push('\n');
                line.clear();
            }
            Event::Start(Tag::Paragraph) => {
                flush(&mut out, &mut line);
                if lists.is_empty() {
                    out.push_str(".PP\n");
                }
            }
            Event::End(TagEnd::Paragraph) => flush(&mut out, &mut line),
            Event::Start(Tag::List(start)) => {
                flush(&mut out, &mut line);
                if !lists.is_empty() {
                    out.push_str(".RS\n");
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, &mut line);
                lists.pop();
                if !lists.is_empty() {
                    out.push_str(".RE\n");
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut line);
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "\\(bu".to_string(),
                };
                let _ = writeln!(out, ".IP {marker} 4");
            }
            Event::End(TagEnd::Item) => flush(&mut out, &mut line),
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut out, &mut line);
                out.push_str(".PP\n.RS 4\n.nf\n");
                verbatim = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                out.push_str(".fi\n.RE\n");
                verbatim = false;
            }
            Event::Start(Tag::Table(_)) => {
                flush(&mut out, &mut line);
                out.push_str(".PP\n.RS 4\n.nf\n");
            }
            Event::End(TagEnd::Table) => out.push_str(".fi\n.RE\n"),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                let row = line.trim().trim_end_matches('|').trim().to_string();
                out.push_str(&escape(&row));
                out.push('\n');
                line.clear();
            }
            Event::End(TagEnd::TableCell) => line.push_str(" | "),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => line
                .push_str(if matches!(event, Event::Start(_)) { "\u{E000}I" } else { "\u{E000}R" }),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => line
                .push_str(if matches!(event, Event::Start(_)) { "\u{E000}B" } else { "\u{E000}R" }),
            Event::Start(Tag::Link { dest_url, .. }) => link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.pop().filter(|u| u.starts_with("http")) {
                    let _ = write!(line, " <{url}>");
                }
            }
            Event::Text(t) if verbatim => {
                for l in t.lines() {
                    out.push_str(&roff_line(l));
                    out.push('\n');
                }
            }
            Event::Text(t) => line.push_str(&t),
            Event::Code(t) => {
                line.push_str("\u{E000}B");
                line.push_str(&t);
                line.push_str("\u{E000}R");
            }
            Event::SoftBreak | Event::HardBreak => line.push(' '),
            // The file's own HTML comments are notes to its editors.
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }
    flush(&mut out, &mut line);
    out.push_str(".SH SEE ALSO\nbrief(1), brief-check(1), brief-new(1), brief-schema(1)\n");
    out
}

/// Text escaped for roff, with the font changes (marked by U+E000, which
/// Markdown text cannot hold as markup) turned into `\fB`, `\fI`, `\fR`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{E000}' => {
                if let Some(f) = chars.next() {
                    let _ = write!(out, "\\f{f}");
                }
            }
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            c => out.push(c),
        }
    }
    out
}

/// One line of running text: escaped, and guarded so that a line starting
/// with `.` or `'` is text, not a request.
fn roff_line(text: &str) -> String {
    let escaped = escape(text);
    if escaped.starts_with(['.', '\'']) { format!("\\&{escaped}") } else { escaped }
}
