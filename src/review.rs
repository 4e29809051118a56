//! `brief review`: a DOCX that went through clearance in Word, taken back
//! into its YAML source.
//!
//! Each content control of the reviewed document names the fields it shows.
//! Its text with every tracked change accepted is compared with the text
//! the source gives it now (the same document built again); an edit is
//! traced to the one text value of the source it falls in (by where the
//! changed words stand in the control's text), and that value alone is
//! rewritten in the YAML, in place ([`crate::source::edit`]). Bold, italic
//! and links come back as the source's markdown in markdown fields; what a
//! source cannot hold (a colour, a font, a table, an edit inside a date or a
//! translated word) is reported by field, as is every paragraph added
//! outside any control, with its text and where it stands.

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::docx::read::{self, Comment, Control, Outside, Reviewed, Run};
use crate::{BuildOptions, Env, diff};

/// What a review found.
#[derive(Debug, Clone)]
pub struct Review {
    /// The source's model before.
    pub old: Value,
    /// The model with the edits applied (equal to `old` when none were taken).
    pub new: Value,
    /// The changes, by meaning, as `brief diff` sees them.
    pub changes: diff::Changes,
    /// The values rewritten: path, old value, new value.
    pub edits: Vec<(String, String, String)>,
    /// The new source text (the old one when nothing changed).
    pub yaml: String,
    /// What was not taken, by field (or place), and why.
    pub not_taken: Vec<NotTaken>,
    /// Paragraphs outside any control that the document built from the
    /// source does not have: for the author to place.
    pub outside: Vec<Outside>,
    /// The comments.
    pub comments: Vec<Comment>,
    /// Tracked insertions and deletions in the document (taken as accepted).
    pub tracked: (usize, usize),
    /// The document was made from another version of the source (`--rebase`).
    pub rebased: bool,
}

/// Something of the review that could not go into the source.
#[derive(Debug, Clone, PartialEq)]
pub struct NotTaken {
    /// The field (a control's tag), or the place of text outside any.
    pub field: String,
    /// What and why.
    pub why: String,
}

/// Markdown fields, by path pattern (`[]` any index): their text takes bold,
/// italic and links; every other field is plain text.
const MARKDOWN: [&str; 9] = [
    "purpose",
    "summary",
    "background",
    "key_messages[]",
    "agenda[].points[]",
    "outcomes[].text",
    "sections[].body",
    "risks[]",
    "meeting.parties[].delegation[].bio",
];

fn is_markdown(path: &str) -> bool {
    let mut pattern = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                pattern.push('[');
            }
            ']' => {
                in_index = false;
                pattern.push(']');
            }
            _ if in_index => {}
            c => pattern.push(c),
        }
    }
    MARKDOWN.contains(&pattern.as_str())
}

/// Reviews `docx` against the source `file` (`bytes`).
pub fn review(
    docx: &[u8],
    file: &str,
    bytes: &[u8],
    env: &Env,
    options: &BuildOptions,
    rebase: bool,
) -> Result<Review, Vec<Diagnostic>> {
    let reviewed = read::read(docx).map_err(|e| vec![Diagnostic::error("DOCX", e.to_string())])?;
    let checked = crate::check(file, bytes, env)?;
    let old = diff::origin::value(&checked.value);
    let Some(digest) = reviewed.source_sha256() else {
        return Err(vec![Diagnostic::error(file, "the document was not made by `brief build --format docx`: it records no source")
            .hint("brief review reads documents built with `brief build --format docx`, after review in Word")]);
    };
    if reviewed.format() != Some(&crate::docx::FORMAT_VERSION.to_string()) {
        return Err(vec![Diagnostic::error(
            file,
            format!(
                "the document was made by another version of brief (its fields' layout {}, this brief reads {})",
                reviewed.format().unwrap_or("unknown"),
                crate::docx::FORMAT_VERSION
            ),
        )
        .hint("build it again with this brief, or review it with the brief that made it")]);
    }
    let identity = reviewed.properties.get(crate::docx::IDENTITY).cloned().unwrap_or_default();
    if identity != diff::identity(&old) {
        return Err(vec![
            Diagnostic::error(
                file,
                format!(
                    "the document was made from another brief ({}), not this one ({})",
                    if identity.is_empty() { "unknown" } else { &identity },
                    diff::identity(&old)
                ),
            )
            .hint("review a document against the source it was built from"),
        ]);
    }
    let stale = digest != crate::batch::sha256(bytes);
    if stale && !rebase {
        let name = reviewed.source_name().unwrap_or("the source");
        return Err(vec![Diagnostic::error(
            file,
            format!("the document was made from another version of this brief ({name} as it was then); the source has changed since"),
        )
        .hint("--rebase takes the reviewer's edits where the fields they touch are still as they were, and reports the rest")]);
    }
    // The same document built from the source as it is: what each control
    // said before review.
    let mut build = options.clone();
    // A built-in product is named by its file, `templates/NAME/main.md`.
    let product = reviewed.template().and_then(|t| {
        t.strip_prefix("templates/")?
            .strip_suffix("/main.md")
            .and_then(crate::render::Template::builtin)
    });
    if build.template.is_none() && product.is_some() {
        build.template = product;
    }
    let base = crate::typeset_docx(file, bytes, &checked.value, env, &build)?;
    let baseline =
        read::read(&base.value.pdf).map_err(|e| vec![Diagnostic::error(file, e.to_string())])?;
    if reviewed.controls.is_empty() && !baseline.controls.is_empty() {
        return Err(vec![Diagnostic::error(
            file,
            "the document's content controls have lost the field each stands for: no edit can be traced to the source",
        )
        .hint("edit the document in Word, which keeps them; LibreOffice 7.4 drops their tags when it saves a DOCX")]);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| vec![Diagnostic::error(file, "the source is not UTF-8")])?;
    let scalars = crate::source::edit::scalars(text);
    let mut out = Review {
        old: old.clone(),
        new: old.clone(),
        changes: diff::Changes::default(),
        edits: Vec::new(),
        yaml: text.to_string(),
        not_taken: Vec::new(),
        outside: Vec::new(),
        comments: reviewed.comments.clone(),
        tracked: (reviewed.insertions, reviewed.deletions),
        rebased: stale,
    };
    compare(&reviewed, &baseline, &scalars, stale, &mut out);
    if !out.edits.is_empty() {
        let edits: Vec<(String, String)> =
            out.edits.iter().map(|(p, _, n)| (p.clone(), n.clone())).collect();
        let yaml = crate::source::edit::rewrite(text, &edits).map_err(|e| {
            vec![
                Diagnostic::error(file, format!("cannot write the edit of {}: {}", e.path, e.why))
                    .path(e.path.clone()),
            ]
        })?;
        let checked = crate::check(file, yaml.as_bytes(), env).map_err(|diags| {
            let mut all = vec![Diagnostic::error(file, "the reviewed text does not make a valid brief")
                .hint("the problems below are in the source as the review would leave it; nothing was written")];
            all.extend(diags);
            all
        })?;
        out.new = diff::origin::value(&checked.value);
        out.yaml = yaml;
    }
    out.changes = diff::diff_values(&out.old, &out.new);
    Ok(out)
}

/// A text as characters with their style, for finding where an edit is.
type Styled = Vec<(char, bool, bool, Option<String>)>;

fn styled(paragraphs: &[Vec<Run>]) -> Styled {
    let mut out = Styled::new();
    let mut first = true;
    for p in paragraphs.iter().filter(|p| p.iter().any(|r| !r.text.is_empty())) {
        if !first {
            out.extend("\n\n".chars().map(|c| (c, false, false, None)));
        }
        first = false;
        for r in p {
            out.extend(r.text.chars().map(|c| (c, r.bold, r.italic, r.link.clone())));
        }
    }
    out
}

fn compare(
    reviewed: &Reviewed,
    baseline: &Reviewed,
    scalars: &std::collections::HashMap<String, crate::source::edit::Scalar>,
    rebase: bool,
    out: &mut Review,
) {
    // Controls paired by tag, in order of occurrence.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for control in &reviewed.controls {
        let k = seen.entry(control.tag.as_str()).or_default();
        let base = baseline.controls.iter().filter(|c| c.tag == control.tag).nth(*k);
        *k += 1;
        for what in &control.not_taken {
            out.not_taken.push(NotTaken {
                field: control.tag.clone(),
                why: format!("{what}: a source cannot hold it"),
            });
        }
        let after = styled(&control.paragraphs);
        let Some(base) = base else {
            if !control.text().is_empty() {
                out.not_taken.push(NotTaken {
                    field: control.tag.clone(),
                    why: "the source no longer has this field (or the document holds it twice): its text is not taken".into(),
                });
            }
            continue;
        };
        let before = styled(&base.paragraphs);
        if before == after {
            continue;
        }
        if rebase {
            // Taken only where the field is as the reviewer saw it.
            let original = styled(&control.original);
            let plain = |s: &Styled| s.iter().map(|c| c.0).collect::<String>();
            if plain(&original) == plain(&after) && original.len() == after.len() {
                continue;
            }
            if plain(&original) != plain(&before) {
                out.not_taken.push(NotTaken {
                    field: control.tag.clone(),
                    why: "the field has changed in the source since the document was made: the reviewer's edit is not taken".into(),
                });
                continue;
            }
        }
        edit(control, &before, &after, scalars, out);
    }
    // Paragraphs outside any control that the built document lacks.
    let base: Vec<&str> = baseline.outside.iter().map(|o| o.text.as_str()).collect();
    let now: Vec<&str> = reviewed.outside.iter().map(|o| o.text.as_str()).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &base, &now);
    for op in ops {
        if let similar::DiffOp::Insert { new_index, new_len, .. }
        | similar::DiffOp::Replace { new_index, new_len, .. } = op
        {
            out.outside.extend(reviewed.outside[new_index..new_index + new_len].iter().cloned());
        }
        if let similar::DiffOp::Delete { old_index, old_len, .. }
        | similar::DiffOp::Replace { old_index, old_len, .. } = op
        {
            for o in &baseline.outside[old_index..old_index + old_len] {
                out.not_taken.push(NotTaken {
                    field: place(o.after.as_deref()),
                    why: format!("\"{}\" was changed or deleted, but it is not a field of the source (a heading or label of the template)", o.text),
                });
            }
        }
    }
}

fn place(after: Option<&str>) -> String {
    match after {
        Some(tag) => format!("after {tag}"),
        None => "at the start".into(),
    }
}

/// One control's edit traced to the value it falls in.
fn edit(
    control: &Control,
    before: &Styled,
    after: &Styled,
    scalars: &std::collections::HashMap<String, crate::source::edit::Scalar>,
    out: &mut Review,
) {
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let max_suffix = before.len().min(after.len()) - prefix;
    let suffix = before
        .iter()
        .rev()
        .zip(after.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let (start, end) = (prefix, before.len() - suffix);
    let shown: Vec<char> = before.iter().map(|c| c.0).collect();
    // The text values the control shows, each where it stands in its text.
    let mut best: Option<(usize, usize, &str)> = None;
    for path in control.paths() {
        for (p, s) in scalars.iter().filter(|(p, _)| under(p, path)) {
            let look: Vec<char> = shown_text(p, &s.value).chars().collect();
            if look.is_empty() || look.len() > shown.len() {
                continue;
            }
            for at in 0..=(shown.len() - look.len()) {
                if at <= start && at + look.len() >= end && shown[at..at + look.len()] == look[..] {
                    let better = best.is_none_or(|(_, len, bp)| {
                        look.len() < len || (look.len() == len && p.as_str() < bp)
                    });
                    if better {
                        best = Some((at, look.len(), p.as_str()));
                    }
                }
            }
        }
    }
    let Some((at, len, path)) = best else {
        let what: String = after.iter().map(|c| c.0).collect();
        out.not_taken.push(NotTaken {
            field: control.tag.clone(),
            why: format!(
                "the edit (now \"{}\") falls in text the template computes (a date, a number, a translated word) or spans several values: change the source itself",
                what.trim()
            ),
        });
        return;
    };
    let new_end = at + len + after.len() - before.len();
    let segment = &after[at..new_end];
    let old_segment = &before[at..at + len];
    let old_value = scalars[path].value.clone();
    let new_value = if is_markdown(path) {
        let written = markdown(segment);
        if normal(&markdown(old_segment)) != normal(&old_value) {
            out.not_taken.push(NotTaken {
                field: path.to_string(),
                why: "its markdown is written anew from the document (bold as **, italic as *, links as [text](url))".into(),
            });
        }
        written
    } else {
        let formatted = |s: &[(char, bool, bool, Option<String>)]| {
            s.iter().any(|c| c.1 || c.2 || c.3.is_some())
        };
        if formatted(segment) && !formatted(old_segment) {
            out.not_taken.push(NotTaken {
                field: path.to_string(),
                why: "bold, italic or a link: the field is plain text".into(),
            });
        }
        let text: String = segment.iter().map(|c| c.0).collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if normal(&new_value) == normal(&old_value) {
        return;
    }
    out.edits.push((path.to_string(), old_value, new_value));
}

/// Whether `path` is `root` or a field under it.
fn under(path: &str, root: &str) -> bool {
    path == root
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// A value as the document shows it: markdown without its marks, plain
/// text with its line breaks folded.
fn shown_text(path: &str, value: &str) -> String {
    if !is_markdown(path) {
        return value.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for event in Parser::new(&brief_core::text::passage::unmarked(value)) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak => current.push(' '),
            Event::HardBreak => current.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            )
            | Event::Start(pulldown_cmark::Tag::List(_))
                if !current.is_empty() =>
            {
                blocks.push(std::mem::take(&mut current));
            }
            _ => {}
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks.join("\n\n")
}

/// Whitespace runs made one space.
fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Styled characters as the source's markdown: `**bold**`, `*italic*`,
/// `[text](url)`, paragraphs apart by a blank line; characters markdown
/// would read as marks escaped.
fn markdown(text: &[(char, bool, bool, Option<String>)]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        let (_, b, it, ref link) = text[i];
        let mut j = i;
        while j < text.len() && text[j].1 == b && text[j].2 == it && text[j].3 == *link {
            j += 1;
        }
        let run: String = text[i..j].iter().map(|c| c.0).collect();
        // Marks go round the words, never round the spaces at either end.
        let core = run.trim();
        let (lead, trail) =
            (&run[..run.len() - run.trim_start().len()], &run[run.trim_end().len()..]);
        let mut piece = escape(core);
        if it && !core.is_empty() {
            piece = format!("*{piece}*");
        }
        if b && !core.is_empty() {
            piece = format!("**{piece}**");
        }
        if let Some(url) = link.as_deref().filter(|_| !core.is_empty()) {
            piece = format!("[{piece}](<{url}>)");
        }
        out.push_str(lead);
        out.push_str(&piece);
        out.push_str(trail);
        i = j;
    }
    out.split("\n\n")
        .map(|p| p.replace('\n', " ").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Text made literal in markdown: marks, `&` (which would start a
/// character reference: `&amp;` typed in Word must print as typed) and a
/// line start that would begin a block escaped.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let alnum = |k: Option<&char>| k.is_some_and(|c| c.is_alphanumeric());
        let intraword =
            alnum(i.checked_sub(1).and_then(|k| chars.get(k))) && alnum(chars.get(i + 1));
        let special = matches!(c, '\\' | '*' | '[' | ']' | '`' | '<' | '&')
            || (c == '_' && !intraword)
            || (i == 0 && matches!(c, '#' | '>' | '-' | '+' | '|'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. " at the start would make a numbered list.
    if let Some(dot) = out.find(". ")
        && !out.is_empty()
        && out[..dot].chars().all(|c| c.is_ascii_digit())
        && dot > 0
    {
        out.insert(dot, '\\');
    }
    out
}

/// The report `brief review` prints: the changes by meaning, each comment
/// under the field it is anchored to, then what was not taken and the
/// paragraphs outside any field.
pub fn human(review: &Review) -> String {
    let mut out = String::new();
    let mut shown = vec![false; review.comments.len()];
    let comments_for = |path: &str, shown: &mut Vec<bool>, out: &mut String| {
        for (i, c) in review.comments.iter().enumerate() {
            let tags: Vec<&str> =
                c.field.as_deref().map(|f| f.split_whitespace().collect()).unwrap_or_default();
            if !shown[i] && tags.iter().any(|t| under(path, t) || under(t, path)) {
                shown[i] = true;
                out.push_str(&comment(c));
            }
        }
    };
    for line in diff::wording::human(&review.changes).lines() {
        out.push_str(line);
        out.push('\n');
        let path = line.split_whitespace().nth(1).unwrap_or("").trim_end_matches(':');
        comments_for(path, &mut shown, &mut out);
    }
    if review.changes.is_empty() {
        out.push_str("no changes to the source\n");
    }
    let rest: Vec<usize> = (0..review.comments.len()).filter(|i| !shown[*i]).collect();
    if !rest.is_empty() {
        out.push_str("comments on fields not changed:\n");
        for i in rest {
            let c = &review.comments[i];
            let place = match &c.field {
                Some(f) => f.clone(),
                None => format!("outside any field, {}", place(c.after.as_deref())),
            };
            out.push_str(&format!("  {place}\n"));
            out.push_str(&comment(c));
        }
    }
    if !review.not_taken.is_empty() {
        out.push_str("not taken:\n");
        for n in &review.not_taken {
            out.push_str(&format!("  {}: {}\n", n.field, n.why));
        }
    }
    if !review.outside.is_empty() {
        out.push_str("added outside any field (not taken; place it in the source):\n");
        for o in &review.outside {
            out.push_str(&format!("  {}: \"{}\"\n", place(o.after.as_deref()), o.text));
        }
    }
    let (ins, del) = review.tracked;
    if ins + del > 0 {
        out.push_str(&format!(
            "tracked changes: {ins} insertion{}, {del} deletion{}, taken as accepted\n",
            if ins == 1 { "" } else { "s" },
            if del == 1 { "" } else { "s" }
        ));
    }
    if review.rebased {
        out.push_str("rebased: the document was made from an older version of the source\n");
    }
    out
}

fn comment(c: &Comment) -> String {
    let date = c.date.get(..10).map(|d| format!(" ({d})")).unwrap_or_default();
    let quote = if c.quote.trim().is_empty() {
        String::new()
    } else {
        format!(" on \"{}\"", c.quote.trim())
    };
    format!(
        "    comment by {}{date}{quote}: {}\n",
        if c.author.is_empty() { "someone" } else { &c.author },
        c.text.replace('\n', " / ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_comes_back_from_styled_text() {
        let s = |t: &str, b: bool, i: bool, l: Option<&str>| -> Styled {
            t.chars().map(|c| (c, b, i, l.map(str::to_string))).collect()
        };
        let mut text = s("Welcome the ", false, false, None);
        text.extend(s("67% growth", true, false, None));
        text.extend(s(" in *trade* ", false, false, None));
        text.extend(s("here", false, false, Some("https://example.org")));
        assert_eq!(
            markdown(&text),
            "Welcome the **67% growth** in \\*trade\\* [here](<https://example.org>)"
        );
    }

    #[test]
    fn markdown_fields_are_known_by_path() {
        assert!(is_markdown("key_messages[3]"));
        assert!(is_markdown("meeting.parties[1].delegation[0].bio"));
        assert!(!is_markdown("meeting.parties[1].delegation[0].role"));
        assert!(!is_markdown("brief.title"));
    }

    #[test]
    fn shown_text_drops_marks() {
        assert_eq!(shown_text("summary", "A **b** [c](https://x.org)\nd.\n\nE."), "A b c d.\n\nE.");
        assert_eq!(shown_text("brief.title", "A\n  b"), "A b");
    }
}
