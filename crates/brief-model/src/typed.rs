//! Numbers typed in the text that contradict a figure: in a sentence that
//! names exactly one category of one figure (and, where the figure has
//! several series, exactly one of its series) and holds exactly one other
//! number, that number must be the value, in some power of a thousand
//! (`5.4` USD million may be written `5,400,000`), at the precision of the
//! less precise of the two. Anything less certain is left alone: a warning
//! must never be a false alarm.

use brief_core::locale;

use super::raw;

/// A number of a sentence that contradicts a figure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contradiction {
    /// Byte offset of the number in the text.
    pub at: usize,
    /// The number as typed.
    pub typed: String,
    /// The figure's id, category and series.
    pub figure: String,
    pub category: String,
    pub series: String,
    /// The figure's value.
    pub value: f64,
}

/// The sentences of `text`: byte ranges ended by `.`, `!`, `?` or `;` before
/// a space or the end, or by a blank line.
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let next = bytes.get(i + 1).copied();
        let ends = matches!(c, '.' | '!' | '?' | ';' | '。' | '！' | '？' | '؛')
            && next.is_none_or(|n| n.is_ascii_whitespace())
            || (c == '\n' && next == Some(b'\n'));
        if ends {
            out.push((start, &text[start..=i + c.len_utf8() - 1]));
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out
}

/// A figure with more categories is not matched: its labels are a long
/// sequence (days, months) more often named in passing than quoted, and
/// the check stays linear in practice.
const MAX_MATCHED_CATEGORIES: usize = 60;
/// A longer text is not checked.
const MAX_TEXT: usize = 64 * 1024;

/// Where `needle` stands in `hay` as a whole word (case folded; `lower` is
/// `hay` lower-cased), byte ranges.
fn words(hay: &str, lower: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    let needle_l = needle.trim().to_lowercase();
    if needle_l.is_empty() || lower.len() != hay.len() {
        return Vec::new();
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    lower
        .match_indices(&needle_l)
        .filter(|(i, m)| {
            !word(hay[..*i].chars().next_back()) && !word(hay[i + m.len()..].chars().next())
        })
        .map(|(i, m)| i..i + m.len())
        .collect()
}

/// The numbers typed in a sentence, with their byte ranges: digits with
/// the language's group and decimal separators, not part of a word
/// (COVID-19), not a year alone, not a percentage unless `percent`.
fn numbers(sentence: &str, tag: &str, percent: bool) -> Vec<(std::ops::Range<usize>, f64, usize)> {
    let (decimal, group) = locale::separators(tag);
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        let before = k.checked_sub(1).map(|j| chars[j].1);
        if !c.is_ascii_digit() {
            k += 1;
            continue;
        }
        if before.is_some_and(|b| b.is_alphanumeric() || matches!(b, '-' | '_' | '/' | '.' | ',')) {
            // The digits of a word or code: COVID-19, A4, v2.
            while k < chars.len() && chars[k].1.is_alphanumeric() {
                k += 1;
            }
            continue;
        }
        let mut text = String::new();
        let mut decimals = None;
        let mut end = k;
        while end < chars.len() {
            let ch = chars[end].1;
            let digit_after = chars.get(end + 1).is_some_and(|(_, n)| n.is_ascii_digit());
            if ch.is_ascii_digit() {
                text.push(ch);
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            } else if ch == decimal && digit_after && decimals.is_none() {
                text.push('.');
                decimals = Some(0);
            } else if (ch == group || ch == '\u{a0}' || ch == '\u{202f}')
                && digit_after
                && decimals.is_none()
            {
            } else {
                break;
            }
            end += 1;
        }
        let after = chars.get(end).map(|(_, c)| *c);
        let stop = chars.get(end).map_or(sentence.len(), |(i, _)| *i);
        k = end;
        if after.is_some_and(|a| a.is_alphabetic() || matches!(a, '-' | '/' | '×')) {
            continue; // 19th, 3-D, 2020/21, 2×
        }
        // A bound or an approximation is not the value: ≥ 20, ≈ 2, ~5, < 3.
        let lead = sentence[..start].trim_end_matches([' ', '\u{a0}', '\u{202f}', '$', '€', '£']);
        if lead.ends_with(['≥', '≤', '≈', '~', '<', '>', '±', '+', '−']) {
            continue;
        }
        let is_percent = sentence[stop..].trim_start().starts_with(['%', '٪']);
        if is_percent != percent {
            continue;
        }
        let Ok(value) = text.parse::<f64>() else { continue };
        if decimals.is_none() && (1900.0..=2100.0).contains(&value) && text.len() == 4 {
            continue; // a year
        }
        out.push((start..stop, value, decimals.unwrap_or(0)));
    }
    out
}

/// Whether `typed` (with `decimals` decimals) is `value` in some power of a
/// thousand, at the less precise of the two's precision.
fn agrees(typed: f64, decimals: usize, value: f64) -> bool {
    let round = |v: f64, d: i32| (v * 10f64.powi(d)).round() / 10f64.powi(d);
    let value_decimals = format!("{}", value.abs()).split_once('.').map_or(0, |(_, f)| f.len());
    [1.0, 1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9].iter().any(|k| {
        let v = value * k;
        let vd = (value_decimals as i32) - (k.log10().round() as i32);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        close(round(v, decimals as i32), typed) || (vd >= 0 && close(round(typed, vd), v))
    })
}

/// The contradictions of one text (references already blanked out).
pub(crate) fn contradictions(text: &str, figures: &[raw::Figure], tag: &str) -> Vec<Contradiction> {
    let mut out = Vec::new();
    if text.len() > MAX_TEXT {
        return out;
    }
    for (offset, sentence) in sentences(text) {
        let lower = sentence.to_lowercase();
        // Every (figure, category) the sentence names, and where.
        let mut named = Vec::new();
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        for f in figures.iter().filter(|f| f.categories.len() <= MAX_MATCHED_CATEGORIES) {
            for (c, name) in f.categories.iter().enumerate() {
                let found = words(sentence, &lower, name);
                if !found.is_empty() {
                    named.push((f, c));
                    taken.extend(found);
                }
            }
        }
        // Exactly one category text (the same label in two figures is two).
        let [(figure, category)] = named.as_slice() else { continue };
        let series: Vec<&raw::Series> = match figure.series.as_slice() {
            [one] => vec![one],
            all => all.iter().filter(|s| !words(sentence, &lower, &s.name).is_empty()).collect(),
        };
        let [series] = series.as_slice() else { continue };
        // The sentence is about this quantity: it names the series, or the unit.
        let about = |name: &str| !words(sentence, &lower, name).is_empty();
        let unit = figure.unit.as_deref().filter(|u| u.trim() != "%");
        if !about(&series.name) && !unit.is_some_and(about) {
            continue;
        }
        let Some(Some(value)) = series.values.get(*category).copied() else { continue };
        let percent = figure.unit.as_deref().is_some_and(|u| u.trim() == "%");
        let typed: Vec<_> = numbers(sentence, tag, percent)
            .into_iter()
            .filter(|(r, ..)| !taken.iter().any(|t| t.start < r.end && r.start < t.end))
            .collect();
        let [(range, number, decimals)] = typed.as_slice() else { continue };
        if !agrees(*number, *decimals, value) {
            out.push(Contradiction {
                at: offset + range.start,
                typed: sentence[range.clone()].to_string(),
                figure: figure.id.clone(),
                category: figure.categories[*category].clone(),
                series: series.name.clone(),
                value,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(id: &str, unit: &str, categories: &[&str], series: &[(&str, &[f64])]) -> raw::Figure {
        raw::Figure {
            id: id.into(),
            title: "T".into(),
            kind: None,
            unit: Some(unit.into()),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            series: series
                .iter()
                .map(|(n, v)| raw::Series {
                    name: n.to_string(),
                    values: v.iter().map(|x| Some(*x)).collect(),
                })
                .collect(),
            data: None,
            source: None,
            note: None,
            alt: None,
        }
    }

    #[test]
    fn a_number_that_is_not_the_named_category_s_value_is_found() {
        let figures = [figure(
            "trade",
            "USD million",
            &["2020", "Jan–May 2021"],
            &[("Turnover", &[5.4, 3.6])],
        )];
        let found = contradictions(
            "Turnover reached $5.6 million in 2020. It was 3.6 in Jan–May 2021.",
            &figures,
            "en",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].typed.as_str(), found[0].category.as_str(), found[0].at),
            ("5.6", "2020", 18)
        );
        // Agreeing: as written, rounded, more precise, in another power of a thousand.
        for fine in [
            "Turnover reached $5.4 million in 2020.",
            "Turnover reached $5 million in 2020.",
            "Turnover reached $5.43 million in 2020.",
            "Turnover reached $5,400,000 in 2020.",
            "Turnover reached USD 0.0054 bn in 2020.",
        ] {
            let found = contradictions(fine, &figures, "en");
            assert!(found.is_empty(), "{fine}: {found:?}");
        }
        // Ambiguous: two categories, two numbers, a percentage, a year alone.
        for unsure in [
            "Turnover fell from 5.4 in 2020 to 3.1 in Jan–May 2021.",
            "In 2020 turnover was 5.6 and 7.1 more.",
            "Turnover grew 12% in 2020.",
            "In 2020, COVID-19 cut turnover.",
            "Turnover reached ≈ 5.6 in 2020.",
            "Turnover was at least 2× the 2020 level.",
            "Tourism reached 5.6 million visitors in 2020.",
            "Turnover in 2020 was lower than in 2019.",
        ] {
            assert!(contradictions(unsure, &figures, "en").is_empty(), "{unsure}");
        }
        // The language's separators: 5,6 in German is five point six.
        assert_eq!(contradictions("Der Turnover betrug 2020 5,6.", &figures, "de").len(), 1);
        assert!(contradictions("Der Turnover betrug 2020 5,4.", &figures, "de").is_empty());
    }

    #[test]
    fn with_several_series_the_sentence_must_name_one() {
        let figures = [figure("t", "", &["2020"], &[("Exports", &[3.0]), ("Imports", &[2.0])])];
        assert!(contradictions("In 2020 turnover was 4.", &figures, "en").is_empty());
        assert!(contradictions("Exports and imports were 4 in 2020.", &figures, "en").is_empty());
        assert_eq!(contradictions("Exports were 4 in 2020.", &figures, "en").len(), 1);
        assert!(contradictions("Imports were 2 in 2020.", &figures, "en").is_empty());
    }
}
