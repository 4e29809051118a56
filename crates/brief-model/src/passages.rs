//! Passages in another language in markdown fields (`[words]{lang=he}`):
//! each names a language CLDR knows, or `check` points at its tag.

use super::{Validator, is_markdown};

impl Validator<'_> {
    /// Every passage marked in another language (`[words]{lang=he}`, see
    /// [`brief_core::text::passage`]) in a markdown field names a language
    /// CLDR knows; the error points at the tag as written.
    pub(super) fn passages(&mut self, texts: &[(String, &str)]) {
        use brief_core::text::passage;
        let mut found = Vec::new();
        for (path, text) in texts {
            if !is_markdown(path) || !text.contains("]{") {
                continue;
            }
            for (key, value, at) in passage::attributes(text) {
                if let Err(refused) = passage::language(&key, &value) {
                    // The key's or the value's first character, counted.
                    let (word, at) = if key == passage::KEY {
                        (value.as_str(), at)
                    } else {
                        (key.as_str(), at - key.len() - 1)
                    };
                    let c = word.chars().next().unwrap_or('{');
                    let nth = text[..at].matches(c).count();
                    found.push((path.to_string(), refused, c, nth, word.chars().count()));
                }
            }
        }
        for (path, refused, c, nth, len) in found {
            let span =
                self.index.char_in(&path, c, nth).map(|s| brief_core::diag::Span { len, ..s });
            let mut d = self
                .index
                .error(&path, refused.reason)
                .at(span.or_else(|| self.index.value(&path)));
            d = d.expected("a passage marked `[words]{lang=tag}`, the tag a BCP 47 language tag (he, ja, sr-Cyrl, zh-Hant)");
            d = match refused.suggestion {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint("write `\\[` for a bracket that marks no passage"),
            };
            self.diags.push(d);
        }
    }
}
