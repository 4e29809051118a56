//! Passages in another language: `[Leviathan field]{lang=he}`, pandoc's
//! bracketed span with its one attribute that matters for a page. The words
//! print as written; the PDF tags them as a `Span` with `/Lang`, shaping and
//! bidi follow the language, and a screen reader switches voice there.
//!
//! CommonMark reads `[words]` with no link definition as plain text; the
//! parser's broken-link hook sees it, and when `{key=value}` follows right
//! after the `]`, turns it into a link whose destination is the value and
//! whose title is the attribute as written (what the reader of the events
//! drops from the text after it). Model validation (per field, so `check`
//! points at the tag) and layout read passages through the same [`parser`].
//! A passage holds no link (CommonMark links do not nest) and no passage;
//! `\[` or `\{` keeps the brackets as text.

use icu_locale::{LanguageIdentifier, LocaleDirectionality, LocaleExpander, TransformResult};
use pulldown_cmark::{BrokenLink, CowStr, LinkType, Options, Parser};

use crate::locale::Dir;

/// Longest attribute read, braces included; longer text is no attribute.
const MAX_ATTRIBUTE: usize = 64;

/// An attribute `{key=value}` at the start of `after` (the text right after
/// a `]`): `(key, value, its length in bytes)`. The value is anything up to
/// the `}` but space, braces and backslashes, so a malformed tag is read and
/// refused by name rather than printed.
pub fn attribute(after: &str) -> Option<(&str, &str, usize)> {
    let body = after.strip_prefix('{')?;
    let end = body.find('}')?;
    let inner = &body[..end];
    if end + 2 > MAX_ATTRIBUTE {
        return None;
    }
    let (key, value) = inner.split_once('=')?;
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let plain =
        |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || "{}\\".contains(c));
    (word(key) && plain(value)).then_some((key, value, end + 2))
}

/// CommonMark with GFM tables, as layout reads it, with passages: a
/// `[words]{key=value}` is a link of type [`LinkType::ShortcutUnknown`],
/// destination the value, title the attribute (`{lang=he}`) as written.
pub fn parser(text: &str) -> Parser<'_, impl pulldown_cmark::BrokenLinkCallback<'_>> {
    Parser::new_with_broken_link_callback(
        text,
        Options::ENABLE_TABLES,
        Some(hook(text, |_, _, _| {})),
    )
}

/// The parser's broken-link hook that makes a passage of `[words]` followed
/// by an attribute: one rule for layout, the model's checks and the
/// unmarked text alike. `seen` hears of each passage: the span of its
/// `[words]`, the key and value, and the attribute's length.
fn hook<'t>(
    text: &'t str,
    mut seen: impl FnMut(std::ops::Range<usize>, (&'t str, &'t str), usize),
) -> impl FnMut(BrokenLink<'t>) -> Option<(CowStr<'t>, CowStr<'t>)> {
    move |link| {
        if link.link_type != LinkType::Shortcut {
            return None;
        }
        let after = text.get(link.span.end..)?;
        let (key, value, len) = attribute(after)?;
        seen(link.span, (key, value), len);
        Some((CowStr::Borrowed(value), CowStr::Borrowed(&after[..len])))
    }
}

/// Reads `text` as layout does, telling `seen` of each passage (see [`hook`]).
fn each_passage<'t>(
    text: &'t str,
    seen: impl FnMut(std::ops::Range<usize>, (&'t str, &'t str), usize),
) {
    Parser::new_with_broken_link_callback(text, Options::ENABLE_TABLES, Some(hook(text, seen)))
        .for_each(drop);
}

/// Every passage attribute of a markdown text, in order: `(key, value,
/// byte offset of the value in `text`)`.
pub fn attributes(text: &str) -> Vec<(String, String, usize)> {
    let mut found: Vec<(String, String, usize)> = Vec::new();
    let seen = |span: std::ops::Range<usize>, (key, value): (&str, &str), _| {
        let at = span.end + 1 + key.len() + 1;
        if !found.iter().any(|(_, _, a)| *a == at) {
            found.push((key.to_string(), value.to_string(), at));
        }
    };
    each_passage(text, seen);
    found
}

/// `text` with its passages unmarked, their words kept: `the [field]{lang=he}`
/// → `the field`, for what shows markdown without the page's structure (an
/// e-mail body, a review's or a diff's reading of a field).
pub fn unmarked(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("]{") {
        return text.into();
    }
    // Each passage: where its `[` is, where its `]` is, and the attribute's length.
    let mut marks = Vec::new();
    let seen = |span: std::ops::Range<usize>, _, len| marks.push((span.start, span.end - 1, len));
    each_passage(text, seen);
    marks.sort_unstable();
    marks.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (open, close, len) in marks {
        if open < at {
            continue;
        }
        out.push_str(&text[at..open]);
        out.push_str(&text[open + 1..close]);
        at = close + 1 + len;
    }
    out.push_str(&text[at..]);
    out.into()
}

/// The only attribute a passage takes.
pub const KEY: &str = "lang";

/// A passage's language, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// The tag in canonical form (`sr-Cyrl`, `zh-Hant`).
    pub tag: String,
    /// The direction of its script.
    pub dir: Dir,
}

/// Why an attribute is refused: what is wrong, and the likely meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// What is wrong, in a sentence.
    pub reason: String,
    /// What was most likely meant (`lang`, a tag).
    pub suggestion: Option<String>,
}

/// Checks a passage attribute: the key is `lang`, the value a well-formed
/// BCP 47 tag of a language CLDR knows (any language, not only those a
/// brief is written in: a Thai or Serbian quotation is fine).
pub fn language(key: &str, value: &str) -> Result<Language, Refused> {
    if key != KEY {
        return Err(Refused {
            reason: format!("`{key}` is not an attribute of a passage; `{KEY}` is the only one"),
            suggestion: Some(KEY.to_string()),
        });
    }
    let suggest = || {
        crate::locale::suggest(value)
            .map(str::to_string)
            .or_else(|| (value.contains('_')).then(|| value.replace('_', "-")))
            .or_else(|| {
                let codes = crate::locale::LANGUAGES.iter().map(|l| l.code);
                crate::diag::did_you_mean(value, codes).map(str::to_string)
            })
    };
    let Ok(id) = LanguageIdentifier::try_from_str(value) else {
        return Err(Refused {
            reason: format!("`{value}` is not a BCP 47 language tag"),
            suggestion: suggest(),
        });
    };
    // A language CLDR has likely subtags for is a language it knows; `xx`
    // or `und` is none a reader could switch to.
    let mut max = id.clone();
    if id.language.is_unknown()
        || LocaleExpander::new_extended().maximize(&mut max) == TransformResult::Unmodified
            && id.script.is_none()
    {
        return Err(Refused {
            reason: format!("`{value}` names no language CLDR knows"),
            suggestion: suggest(),
        });
    }
    let rtl = LocaleDirectionality::new_extended().is_right_to_left(&id);
    Ok(Language { tag: id.to_string(), dir: if rtl { Dir::Rtl } else { Dir::Ltr } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_where_a_shortcut_reference_is_followed_by_one() {
        let text = "The [Leviathan field]{lang=he} and [Тамара]{lang=sr-Cyrl}; [x] {lang=fr}.";
        let found: Vec<String> = attributes(text)
            .into_iter()
            .map(|(k, v, at)| format!("{k}={v} at {}", &text[at..at + v.len()]))
            .collect();
        assert_eq!(found, ["lang=he at he", "lang=sr-Cyrl at sr-Cyrl"]);
        for literal in [
            r"\[a]{lang=he}",
            r"[a]\{lang=he}",
            "[a] {lang=he}",
            "[a]{lang = he}",
            "[a](b){lang=he}",
        ] {
            assert!(attributes(literal).is_empty(), "{literal}");
        }
        assert_eq!(attribute("{lang=he}x"), Some(("lang", "he", 9)));
        assert_eq!(attribute("{lng=he_IL}"), Some(("lng", "he_IL", 11)));
        assert_eq!(attribute("{lang=}"), None);
    }

    #[test]
    fn unmarked_keeps_the_words_and_their_markup() {
        assert_eq!(unmarked("a [*b* c]{lang=he} d [e]{lang=ja}"), "a *b* c d e");
        assert_eq!(unmarked(r"a \[b]{lang=he}"), r"a \[b]{lang=he}");
        assert_eq!(unmarked("[t](https://x.org) [u]"), "[t](https://x.org) [u]");
    }

    #[test]
    fn tags_are_checked_with_a_suggestion() {
        assert_eq!(language("lang", "he").unwrap(), Language { tag: "he".into(), dir: Dir::Rtl });
        assert_eq!(language("lang", "sr-cyrl").unwrap().tag, "sr-Cyrl");
        assert_eq!(language("lang", "th").unwrap().dir, Dir::Ltr);
        assert_eq!(language("lang", "yi").unwrap().dir, Dir::Rtl);
        assert_eq!(language("lang", "ja-JP").unwrap().tag, "ja-JP");
        let refused = |k: &str, v: &str| language(k, v).unwrap_err();
        assert_eq!(refused("lng", "he").suggestion.as_deref(), Some("lang"));
        assert_eq!(refused("lang", "he_IL").suggestion.as_deref(), Some("he-IL"));
        assert_eq!(refused("lang", "hebrew").suggestion.as_deref(), Some("he"));
        assert!(refused("lang", "xx").reason.contains("no language"));
        assert!(refused("lang", "und").reason.contains("no language"));
        assert!(refused("lang", "e!").reason.contains("not a BCP 47"));
    }
}
