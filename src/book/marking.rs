//! Security markings: whether a brief's marking is known, and which of a
//! book's markings is the highest.
//!
//! "Higher" depends on the government that marks, so a marking is only
//! compared inside one scale: the shipped ones, a theme's own instead of
//! them (`markings`) or beside them (`add_markings`). A marking outside the
//! scales in use is an error on every brief (`OFICIAL-SENSITIVE` printed on
//! every page and in a subject line is a marking nobody's rules know), and
//! a book whose markings belong to no one scale is an error rather than a
//! guess: the cover's marking decides who may carry the book.

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

/// The scales a template's theme knows: its own `markings` instead of the
/// shipped ones, its `add_markings` beside them, else the shipped ones.
pub fn scales(theme: &crate::render::theme::Theme) -> Vec<Scale> {
    match (&theme.markings, &theme.add_markings) {
        (Some(own), _) => vec![Scale::theme(own)],
        (None, Some(added)) => {
            let mut all = shipped();
            all.push(Scale::theme(added));
            all
        }
        (None, None) => shipped(),
    }
}

/// Whether a brief's marking is on one of `scales`; one that is on none is
/// an error at `brief.classification`, with the nearest known marking when
/// one is close (`OFICIAL-SENSITIVE`: did you mean `OFFICIAL-SENSITIVE`?).
pub fn check(file: &str, marking: Option<&str>, scales: &[Scale]) -> Result<(), Diagnostic> {
    match marking {
        Some(m) if !scales.iter().any(|s| s.rank(m).is_some()) => Err(unknown(file, m, scales)),
        _ => Ok(()),
    }
}

/// The error for a marking on none of `scales`.
fn unknown(file: &str, marking: &str, scales: &[Scale]) -> Diagnostic {
    let known: Vec<String> =
        scales.iter().map(|s| format!("{}: {}", s.name, s.levels.join(" < "))).collect();
    let mut names: Vec<String> = Vec::new();
    for s in scales {
        for l in &s.levels {
            names.push(l.clone());
            names.extend(s.prefixes.iter().map(|p| format!("{p} {l}")));
        }
    }
    let given = normal(marking);
    let near = crate::diag::did_you_mean(&given, names.iter().map(String::as_str));
    let d =
        Diagnostic::error(file, format!("unknown marking `{marking}`: it is on no scale in use"))
            .path("brief.classification")
            .expected(known.join("; "));
    match near {
        Some(n) => d.hint(format!("did you mean `{n}`?")),
        None if scales.iter().any(|s| s.name == "theme") => d.hint(
            "correct the brief, or add the marking to the scale in the template's theme.yaml",
        ),
        None => d.hint(
            "use a marking of one scale, or give the template's theme.yaml a scale of the house's own: `add_markings: [LOWEST, …, HIGHEST]` beside these, `markings:` instead of them",
        ),
    }
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
/// (in capitals); `None` when no brief is marked. `scales` are the scales
/// in use (see [`scales`]): the first that holds every marking ranks them.
pub fn highest(briefs: &[Marked<'_>], scales: &[Scale]) -> Result<Option<String>, Vec<Diagnostic>> {
    let marked: Vec<(&str, &str)> =
        briefs.iter().filter_map(|b| b.marking.map(|m| (b.file, m))).collect();
    let Some(&(first_file, _)) = marked.first() else { return Ok(None) };
    // Unknown to every scale in use: name each one.
    let unknown: Vec<Diagnostic> =
        marked.iter().filter_map(|(file, m)| check(file, Some(m), scales).err()).collect();
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
            .expected(format!(
                "every brief's marking on one scale ({})",
                scales.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
            ))
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
        assert_eq!(highest(&b, &shipped()).unwrap().as_deref(), Some("SECRET"));
        let b = marked(&[Some("Confidential"), Some("unclassified")]);
        assert_eq!(highest(&b, &shipped()).unwrap().as_deref(), Some("CONFIDENTIAL"));
        let b = marked(&[Some("NATO RESTRICTED"), Some("NATO CONFIDENTIAL")]);
        assert_eq!(highest(&b, &shipped()).unwrap().as_deref(), Some("NATO CONFIDENTIAL"));
        let b = marked(&[Some("OFFICIAL SENSITIVE"), Some("OFFICIAL")]);
        assert_eq!(highest(&b, &shipped()).unwrap().as_deref(), Some("OFFICIAL SENSITIVE"));
        assert_eq!(highest(&marked(&[None, None]), &shipped()).unwrap(), None);
    }

    #[test]
    fn mixed_scales_and_unknown_markings_are_errors_naming_them() {
        let e =
            highest(&marked(&[Some("OFFICIAL"), Some("UNCLASSIFIED")]), &shipped()).unwrap_err();
        let e = &e[0];
        assert!(e.message.contains("mixes marking scales"), "{}", e.message);
        assert!(e.message.contains("OFFICIAL (UK)") && e.message.contains("UNCLASSIFIED (US)"));
        let e = highest(&marked(&[Some("HUSH-HUSH"), Some("OFFICIAL"), Some("SHH")]), &shipped())
            .unwrap_err();
        assert_eq!(e.len(), 2, "every unknown marking named at once");
        assert!(e[0].message.contains("unknown marking `HUSH-HUSH`"), "{}", e[0].message);
        assert!(e[1].message.contains("unknown marking `SHH`"), "{}", e[1].message);
    }

    #[test]
    fn a_theme_scale_replaces_the_shipped_ones() {
        let scale = Scale::theme(&["low".into(), "mid".into(), "high".into()]);
        let b = marked(&[Some("MID"), Some("low")]);
        assert_eq!(highest(&b, std::slice::from_ref(&scale)).unwrap().as_deref(), Some("MID"));
        let e = highest(&marked(&[Some("SECRET")]), std::slice::from_ref(&scale)).unwrap_err();
        let e = &e[0];
        assert!(e.message.contains("unknown marking `SECRET`"), "{}", e.message);
    }

    #[test]
    fn a_misspelt_marking_is_an_error_with_the_nearest_known_one() {
        let e = check("b.yaml", Some("OFICIAL-SENSITIVE"), &shipped()).unwrap_err();
        assert!(e.message.contains("unknown marking `OFICIAL-SENSITIVE`"), "{}", e.message);
        assert_eq!(e.path.as_deref(), Some("brief.classification"));
        assert_eq!(e.hint.as_deref(), Some("did you mean `OFFICIAL-SENSITIVE`?"));
        let e = check("b.yaml", Some("nato secrett"), &shipped()).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `NATO SECRET`?"));
        for known in
            ["official", "Official Sensitive", "NATO SECRET", "Top  Secret", "UNCLASSIFIED"]
        {
            assert!(check("b.yaml", Some(known), &shipped()).is_ok(), "{known}");
        }
        assert!(check("b.yaml", None, &shipped()).is_ok());
        let e = check("b.yaml", Some("HUSH-HUSH"), &shipped()).unwrap_err();
        assert!(e.hint.unwrap().contains("add_markings"));
    }

    #[test]
    fn a_theme_adds_a_scale_or_replaces_the_shipped_ones() {
        let theme = |yaml: &str| crate::render::theme::Theme::parse("theme.yaml", yaml).unwrap();
        let added = scales(&theme("add_markings: [Reservado, Confidencial, Secreto]\n"));
        assert!(check("b.yaml", Some("RESERVADO"), &added).is_ok());
        assert!(check("b.yaml", Some("OFFICIAL"), &added).is_ok());
        let own = scales(&theme("markings: [Reservado, Confidencial, Secreto]\n"));
        assert!(check("b.yaml", Some("reservado"), &own).is_ok());
        let e = check("b.yaml", Some("OFFICIAL"), &own).unwrap_err();
        assert!(e.expected.as_deref().unwrap().contains("theme: RESERVADO < CONFIDENCIAL"));
        assert_eq!(
            highest(&marked(&[Some("Confidencial"), Some("OFFICIAL")]), &added).unwrap_err().len(),
            1,
            "two scales in one book"
        );
    }
}
