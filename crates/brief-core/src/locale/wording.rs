//! The fixed wording of each language: one YAML file per language under
//! `locales/`, one key per phrase, built into the binary. A template folder
//! may bring its own `locales/<code>.yaml` to correct a language's phrases.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Phrases of one language, by key (the English phrase).
pub type Table = BTreeMap<String, String>;

/// The built-in files, in the order of [`super::LANGUAGES`].
const FILES: [(&str, &str); 22] = [
    ("en", include_str!("../../../../locales/en.yaml")),
    ("fr", include_str!("../../../../locales/fr.yaml")),
    ("de", include_str!("../../../../locales/de.yaml")),
    ("es", include_str!("../../../../locales/es.yaml")),
    ("it", include_str!("../../../../locales/it.yaml")),
    ("pt", include_str!("../../../../locales/pt.yaml")),
    ("ru", include_str!("../../../../locales/ru.yaml")),
    ("uk", include_str!("../../../../locales/uk.yaml")),
    ("tr", include_str!("../../../../locales/tr.yaml")),
    ("az", include_str!("../../../../locales/az.yaml")),
    ("ky", include_str!("../../../../locales/ky.yaml")),
    ("kk", include_str!("../../../../locales/kk.yaml")),
    ("uz", include_str!("../../../../locales/uz.yaml")),
    ("ka", include_str!("../../../../locales/ka.yaml")),
    ("hy", include_str!("../../../../locales/hy.yaml")),
    ("ar", include_str!("../../../../locales/ar.yaml")),
    ("fa", include_str!("../../../../locales/fa.yaml")),
    ("he", include_str!("../../../../locales/he.yaml")),
    ("zh", include_str!("../../../../locales/zh.yaml")),
    ("zh-Hant", include_str!("../../../../locales/zh-Hant.yaml")),
    ("ja", include_str!("../../../../locales/ja.yaml")),
    ("ko", include_str!("../../../../locales/ko.yaml")),
];

/// The built-in source text of a language's file.
pub fn source(code: &str) -> Option<&'static str> {
    FILES.iter().find(|(c, _)| *c == code).map(|(_, text)| *text)
}

/// A built-in table, parsed on first use: a run needs one or two of them.
/// A file that does not parse would be empty here;
/// `every_language_has_every_english_key_and_no_other` keeps that from shipping.
fn built_in(code: &str) -> Option<&'static Table> {
    static TABLES: [OnceLock<Table>; FILES.len()] = [const { OnceLock::new() }; FILES.len()];
    let i = FILES.iter().position(|(c, _)| *c == code)?;
    Some(TABLES[i].get_or_init(|| parse(FILES[i].1).unwrap_or_default()))
}

/// The built-in phrase `key` of language `code`.
pub fn phrase(key: &str, code: &str) -> Option<&'static str> {
    built_in(code)?.get(key).map(String::as_str)
}

/// Every key, in the English file's order of keys (sorted).
pub fn keys() -> impl Iterator<Item = &'static str> {
    built_in("en").into_iter().flat_map(|t| t.keys().map(String::as_str))
}

/// A wording file's table.
pub fn parse(text: &str) -> Result<Table, String> {
    serde_saphyr::from_str::<Table>(text).map_err(|e| e.to_string())
}

/// What is wrong with a wording table measured against English: keys
/// missing or unknown, placeholders that differ, empty phrases. When
/// `partial` (a template's corrections), missing keys are allowed.
pub fn problems(table: &Table, partial: bool) -> Vec<String> {
    problems_by_key(table, partial).into_iter().map(|(_, why)| why).collect()
}

/// [`problems`], each with the key it is about, so that it can be located.
pub fn problems_by_key(table: &Table, partial: bool) -> Vec<(String, String)> {
    let Some(en) = built_in("en") else {
        return vec![(String::new(), "no English wording".into())];
    };
    let mut out = Vec::new();
    for key in en.keys().filter(|k| !partial && !table.contains_key(*k)) {
        out.push((key.clone(), format!("`{key}` is missing")));
    }
    for (key, text) in table {
        let why = match en.get(key) {
            None => format!("`{key}` is not a known phrase"),
            Some(english) if placeholders(english) != placeholders(text) => format!(
                "`{key}` has placeholders {:?}, English has {:?}",
                placeholders(text),
                placeholders(english)
            ),
            Some(_) if text.trim().is_empty() => format!("`{key}` is empty"),
            Some(_) => continue,
        };
        out.push((key.clone(), why));
    }
    out
}

/// The `{name}` placeholders of a phrase, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_english_key_and_no_other() {
        let english: Vec<&str> = keys().collect();
        assert!(english.len() >= 39, "{english:?}");
        for (code, text) in FILES {
            let table = parse(text).unwrap_or_else(|e| panic!("locales/{code}.yaml: {e}"));
            assert_eq!(problems(&table, false), Vec::<String>::new(), "locales/{code}.yaml");
        }
    }

    /// Every language's phrases are in its own script and translated: a
    /// file copied from English, or one in another language's script, fails.
    #[test]
    fn every_file_is_written_in_its_language() {
        use unicode_script::{Script, UnicodeScript};
        let script = |code: &str| match code {
            "ru" | "uk" | "ky" | "kk" => Script::Cyrillic,
            "ar" | "fa" => Script::Arabic,
            "he" => Script::Hebrew,
            "zh" | "zh-Hant" | "ja" => Script::Han,
            "ko" => Script::Hangul,
            "ka" => Script::Georgian,
            "hy" => Script::Armenian,
            "en" | "fr" | "de" | "es" | "it" | "pt" | "tr" | "az" | "uz" => Script::Latin,
            other => panic!("locales/{other}.yaml: say which script it is written in"),
        };
        let english = parse(source("en").unwrap()).unwrap();
        for (code, text) in FILES {
            let table = parse(text).unwrap();
            let mut letters: std::collections::HashMap<Script, usize> = Default::default();
            for value in table.values() {
                for c in value.chars().filter(|c| c.is_alphabetic()) {
                    // Japanese kana count as Han: the file's script is its kanji's.
                    let s = match c.script() {
                        Script::Hiragana | Script::Katakana => Script::Han,
                        s => s,
                    };
                    *letters.entry(s).or_default() += 1;
                }
            }
            let dominant = letters.iter().max_by_key(|(_, n)| **n).map(|(s, _)| *s);
            assert_eq!(dominant, Some(script(code)), "locales/{code}.yaml: {letters:?}");
            if code != "en" {
                let same = table.iter().filter(|(k, v)| english.get(*k) == Some(v)).count();
                assert!(
                    same * 5 <= table.len(),
                    "locales/{code}.yaml: {same} phrases as in English"
                );
            }
        }
    }

    #[test]
    fn problems_name_missing_unknown_and_mismatched_phrases() {
        let mut table = parse(source("de").unwrap()).unwrap();
        table.remove("Agenda");
        table.insert("Agendaa".into(), "x".into());
        table.insert("Page {page} of {total}".into(), "Seite {page}".into());
        let found = problems(&table, false);
        assert!(found.iter().any(|p| p == "`Agenda` is missing"), "{found:?}");
        assert!(found.iter().any(|p| p == "`Agendaa` is not a known phrase"), "{found:?}");
        assert!(found.iter().any(|p| p.starts_with("`Page {page} of {total}` has placeholders")));
        // A template's corrections need not repeat every phrase.
        assert!(!problems(&table, true).iter().any(|p| p.contains("missing")));
    }

    #[test]
    fn placeholders_are_found_in_any_order() {
        assert_eq!(placeholders("第{page}页，共{total}页"), ["page", "total"]);
        assert_eq!(placeholders("{total} … {page}"), ["page", "total"]);
        assert!(placeholders("no braces").is_empty());
    }
}
