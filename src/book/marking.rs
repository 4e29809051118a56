//! Security markings in order: which of a book's markings is the highest.
//!
//! "Higher" depends on the government that marks, so a marking is only
//! compared inside one scale: the shipped ones, or a theme's own. A marking
//! outside the scale in use, or a book whose markings belong to no one
//! scale, is an error rather than a guess: the cover's marking decides who
//! may carry the book.

use crate::diag::Diagnostic;

/// A scale of markings, lowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Whose scale, for messages: `UK`, `US`, `NATO/EU` or `theme`.
    pub name: String,
    /// The markings, lowest first, in capitals.
    pub levels: Vec<String>,
    /// Prefixes a marking may carry in this scale (`NATO SECRET`).
    pub prefixes: Vec<String>,
}

impl Scale {
    fn new(name: &str, levels: &[&str], prefixes: &[&str]) -> Scale {
        Scale {
            name: name.to_string(),
            levels: levels.iter().map(|l| l.to_string()).collect(),
            prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// A theme's own scale (`markings:` in theme.yaml), lowest first.
    pub fn theme(levels: &[String]) -> Scale {
        Scale {
            name: "theme".into(),
            levels: levels.iter().map(|l| normal(l)).collect(),
            prefixes: Vec::new(),
        }
    }

    /// The rank of `marking` in the scale (0 lowest), if it is on it.
    pub fn rank(&self, marking: &str) -> Option<usize> {
        let m = normal(marking);
        let bare = self
            .prefixes
            .iter()
            .find_map(|p| m.strip_prefix(p.as_str()).and_then(|r| r.strip_prefix(' ')))
            .unwrap_or(&m);
        self.levels.iter().position(|l| *l == bare)
    }
}

/// The scales shipped: UK, US and NATO/EU.
pub fn shipped() -> Vec<Scale> {
    vec![
        Scale::new("UK", &["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"], &[]),
        Scale::new("US", &["UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET"], &[]),
        Scale::new("NATO/EU", &["RESTRICTED", "CONFIDENTIAL", "SECRET"], &["NATO", "EU"]),
    ]
}

/// A marking as compared: capitals, single spaces, `OFFICIAL SENSITIVE`
/// and `OFFICIAL-SENSITIVE` alike.
fn normal(marking: &str) -> String {
    let upper = crate::document::marking(marking);
    let words: Vec<&str> = upper.split_whitespace().collect();
    words.join(" ").replace("OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE")
}

/// One brief's marking, with the file it comes from for messages.
pub struct Marked<'a> {
    /// The source file.
    pub file: &'a str,
    /// Its `brief.classification`, if any.
    pub marking: Option<&'a str>,
}

/// The highest marking of the briefs, as the first brief with it writes it
/// (in capitals); `None` when no brief is marked. `theme` is the theme's own
/// scale; without one, the shipped scale that holds every marking.
pub fn highest(
    briefs: &[Marked<'_>],
    theme: Option<&Scale>,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let marked: Vec<(&str, &str)> =
        briefs.iter().filter_map(|b| b.marking.map(|m| (b.file, m))).collect();
    let Some(&(first_file, _)) = marked.first() else { return Ok(None) };
    let scales = match theme {
        Some(s) => vec![s.clone()],
        None => shipped(),
    };
    // Unknown to every scale in use: name each one.
    let known: Vec<String> =
        scales.iter().map(|s| format!("{}: {}", s.name, s.levels.join(" < "))).collect();
    let hint = if theme.is_some() {
        "add it to the theme's `markings` scale, or correct the brief"
    } else {
        "use a marking of one scale, or give the template's theme.yaml its own `markings: [LOWEST, …, HIGHEST]`"
    };
    let unknown: Vec<Diagnostic> = marked
        .iter()
        .filter(|(_, m)| scales.iter().all(|s| s.rank(m).is_none()))
        .map(|(file, m)| {
            Diagnostic::error(*file, format!("unknown marking `{m}`: no order to rank it in"))
                .path("brief.classification")
                .expected(known.join("; "))
                .hint(hint)
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let Some(scale) = scales.iter().find(|s| marked.iter().all(|(_, m)| s.rank(m).is_some()))
    else {
        // Every marking is on some scale, but no one scale holds them all.
        let mut seen: Vec<String> = Vec::new();
        for (file, m) in &marked {
            let on: Vec<&str> =
                scales.iter().filter(|s| s.rank(m).is_some()).map(|s| s.name.as_str()).collect();
            seen.push(format!("{file}: {m} ({})", on.join(" or ")));
        }
        return Err(vec![
            Diagnostic::error(
                first_file,
                format!("the book mixes marking scales: {}", seen.join("; ")),
            )
            .path("brief.classification")
            .expected("every brief's marking on one scale (UK, US or NATO/EU)")
            .hint("a book goes to one government's readers: bind briefs of one marking scale"),
        ]);
    };
    let top = marked
        .iter()
        .enumerate()
        .max_by_key(|(i, (_, m))| (scale.rank(m), std::cmp::Reverse(*i)))
        .map(|(_, (_, m))| crate::document::marking(m));
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(ms: &[Option<&'a str>]) -> Vec<Marked<'a>> {
        ms.iter().map(|m| Marked { file: "b.yaml", marking: *m }).collect()
    }

    #[test]
    fn the_highest_of_one_scale_wins_whatever_the_order() {
        let b = marked(&[Some("Official"), Some("SECRET"), None, Some("official-sensitive")]);
        assert_eq!(highest(&b, None).unwrap().as_deref(), Some("SECRET"));
        let b = marked(&[Some("Confidential"), Some("unclassified")]);
        assert_eq!(highest(&b, None).unwrap().as_deref(), Some("CONFIDENTIAL"));
        let b = marked(&[Some("NATO RESTRICTED"), Some("NATO CONFIDENTIAL")]);
        assert_eq!(highest(&b, None).unwrap().as_deref(), Some("NATO CONFIDENTIAL"));
        let b = marked(&[Some("OFFICIAL SENSITIVE"), Some("OFFICIAL")]);
        assert_eq!(highest(&b, None).unwrap().as_deref(), Some("OFFICIAL SENSITIVE"));
        assert_eq!(highest(&marked(&[None, None]), None).unwrap(), None);
    }

    #[test]
    fn mixed_scales_and_unknown_markings_are_errors_naming_them() {
        let e = highest(&marked(&[Some("OFFICIAL"), Some("UNCLASSIFIED")]), None).unwrap_err();
        let e = &e[0];
        assert!(e.message.contains("mixes marking scales"), "{}", e.message);
        assert!(e.message.contains("OFFICIAL (UK)") && e.message.contains("UNCLASSIFIED (US)"));
        let e = highest(&marked(&[Some("HUSH-HUSH"), Some("OFFICIAL"), Some("SHH")]), None)
            .unwrap_err();
        assert_eq!(e.len(), 2, "every unknown marking named at once");
        assert!(e[0].message.contains("unknown marking `HUSH-HUSH`"), "{}", e[0].message);
        assert!(e[1].message.contains("unknown marking `SHH`"), "{}", e[1].message);
    }

    #[test]
    fn a_theme_scale_replaces_the_shipped_ones() {
        let scale = Scale::theme(&["low".into(), "mid".into(), "high".into()]);
        let b = marked(&[Some("MID"), Some("low")]);
        assert_eq!(highest(&b, Some(&scale)).unwrap().as_deref(), Some("MID"));
        let e = highest(&marked(&[Some("SECRET")]), Some(&scale)).unwrap_err();
        let e = &e[0];
        assert!(e.message.contains("unknown marking `SECRET`"), "{}", e.message);
    }
}
