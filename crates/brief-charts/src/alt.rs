//! A chart's alternate description, for readers who cannot see it: generated
//! from the figure's data in the brief's language, or the figure's own `alt`.
//!
//! A short chart is read out in full ("2020 5.4; 2021 3.6"); one with more
//! than [`FULL_UP_TO`] values in all, or whose values would outweigh its
//! words, gets a summary instead: its categories (all of them when there are
//! few, else their count and range), then per series the lowest and highest
//! value and the overall direction, since nobody listens to two hundred
//! numbers.

use super::ChartStyle;
use super::numbers::format_number;
use brief_core::figure::{ChartKind, Figure, Series};

/// Charts with up to this many values (all series) are read out value by value.
pub const FULL_UP_TO: usize = 12;

/// The words and marks an alt text needs, in one language: its wording
/// file's (`locales/*.yaml`, keys `alt: …`) and its punctuation.
struct Words {
    kind: [&'static str; 6],
    /// "{n} values, {first} to {last}".
    values: &'static str,
    lowest: &'static str,
    highest: &'static str,
    rising: &'static str,
    falling: &'static str,
    flat: &'static str,
    no_data: &'static str,
    /// Its comma, semicolon, colon and full stop, each with the space after it.
    comma: &'static str,
    semicolon: &'static str,
    colon: &'static str,
    stop: &'static str,
    /// The brief's language tag, for CLDR's digits.
    tag: String,
}

/// The words of a BCP 47 tag's language (English where it has no wording).
fn words(language: &str) -> Words {
    let say = |key: &str| brief_core::locale::label(key, language).unwrap_or("");
    let (comma, semicolon, colon, stop) = match brief_core::locale::code(language) {
        "ar" | "fa" => ("\u{60c} ", "\u{61b} ", ": ", ". "),
        "zh" | "zh-Hant" => ("\u{ff0c}", "\u{ff1b}", "\u{ff1a}", "\u{3002}"),
        "ja" => ("\u{3001}", "\u{ff1b}", "\u{ff1a}", "\u{3002}"),
        _ => (", ", "; ", ": ", ". "),
    };
    Words {
        kind: ["alt: bar", "alt: hbar", "alt: line", "alt: area", "alt: stacked", "alt: pie"]
            .map(say),
        values: say("alt: {n} values, {first} to {last}"),
        lowest: say("alt: lowest"),
        highest: say("alt: highest"),
        rising: say("alt: rising"),
        falling: say("alt: falling"),
        flat: say("alt: level"),
        no_data: say("alt: no data"),
        comma,
        semicolon,
        colon,
        stop,
        tag: language.to_string(),
    }
}

fn kind_index(kind: ChartKind) -> usize {
    match kind {
        ChartKind::Bar => 0,
        ChartKind::Hbar => 1,
        ChartKind::Line => 2,
        ChartKind::Area => 3,
        ChartKind::Stacked => 4,
        ChartKind::Pie => 5,
    }
}

/// The alternate description of `fig`: its own `alt` when the source gives
/// one, otherwise "Bar chart, Title, unit: 2020 5.4; 2021 3.6. Source: …"
/// in `language`, numbers as the chart prints them.
pub fn alt_text(fig: &Figure, style: &ChartStyle, language: &str) -> String {
    if let Some(alt) = fig.alt.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        return alt.to_string();
    }
    let w = &words(language);
    let mut out = format!("{}{}{}", w.kind[kind_index(fig.kind)], w.comma, fig.title.trim());
    if let Some(unit) = fig.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        out.push_str(w.comma);
        out.push_str(unit);
    }
    out.push_str(w.colon.trim_end());
    let named = fig.series.len() > 1;
    let label = |series: &Series, body: String| {
        if named { format!("{} – {body}", series.name.trim()) } else { body }
    };
    let values = fig.categories.len() * fig.series.len();
    let full_stop = w.stop.trim_end();
    let source = fig.source.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|source| {
        let stop = if source.ends_with(['.', '\u{3002}']) { "" } else { full_stop };
        format!("{}{}{source}{stop}", style.source_label, w.colon)
    });
    let finish = |parts: Vec<String>| {
        let body = if parts.is_empty() { w.no_data.to_string() } else { parts.join(w.stop) };
        let gap = if w.colon.ends_with(' ') { " " } else { "" };
        let after = source.as_deref().map(|s| format!("{gap}{s}")).unwrap_or_default();
        let stop = if body.ends_with(['.', '\u{3002}']) { "" } else { full_stop };
        format!("{out}{gap}{body}{stop}{after}")
    };
    let full = finish(fig.series.iter().map(|s| label(s, every_value(fig, s, style, w))).collect());
    // A list of numbers longer than the words around it is no sentence a
    // listener can follow: summarise instead.
    if values <= FULL_UP_TO && mostly_words(&full) {
        return full;
    }
    let mut parts = vec![range(fig, w)];
    parts.extend(fig.series.iter().map(|s| label(s, summary(fig, s, style, w))));
    finish(parts)
}

fn mostly_words(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters * 2 >= text.chars().count()
}

fn value(v: Option<f64>, style: &ChartStyle, w: &Words) -> String {
    v.map_or(w.no_data.to_string(), |v| format_number(v, style))
}

fn every_value(fig: &Figure, series: &Series, style: &ChartStyle, w: &Words) -> String {
    let pairs: Vec<String> = fig
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!("{} {}", c.trim(), value(series.values.get(i).copied().flatten(), style, w))
        })
        .collect();
    pairs.join(w.semicolon)
}

/// Range of categories, extremes and direction of a long series.
/// The categories a summary covers: all of them when there are few, else
/// the count and the first and last.
fn range(fig: &Figure, w: &Words) -> String {
    let cats: Vec<&str> = fig.categories.iter().map(|c| c.trim()).collect();
    if cats.len() <= FULL_UP_TO {
        return cats.join(w.comma);
    }
    w.values
        .replace("{n}", &brief_core::locale::number(cats.len() as f64, 0, &w.tag))
        .replace("{first}", cats.first().copied().unwrap_or(""))
        .replace("{last}", cats.last().copied().unwrap_or(""))
}

/// Extremes and direction of one series.
fn summary(fig: &Figure, series: &Series, style: &ChartStyle, w: &Words) -> String {
    let cats = &fig.categories;
    let known: Vec<(usize, f64)> = series
        .values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
        .collect();
    let (Some(lo), Some(hi)) = (
        known.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)),
        known.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1)),
    ) else {
        return w.no_data.to_string();
    };
    let at = |i: usize| cats.get(i).map_or("", |c| c.trim());
    let mut out = format!(
        "{} {} ({}){}{} {} ({})",
        w.lowest,
        format_number(lo.1, style),
        at(lo.0),
        w.comma,
        w.highest,
        format_number(hi.1, style),
        at(hi.0)
    );
    if let (Some(a), Some(b)) = (known.first(), known.last()) {
        let trend = if b.1 > a.1 {
            w.rising
        } else if b.1 < a.1 {
            w.falling
        } else {
            w.flat
        };
        out.push_str(&format!(
            "{}{trend} ({} → {})",
            w.comma,
            format_number(a.1, style),
            format_number(b.1, style)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use brief_core::figure::ChartKind;

    fn figure(categories: &[&str], values: &[f64]) -> Figure {
        Figure {
            id: "t".into(),
            title: "Bilateral trade turnover".into(),
            kind: ChartKind::Bar,
            unit: Some("USD million".into()),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            series: vec![Series {
                name: "Trade".into(),
                values: values.iter().map(|v| Some(*v)).collect(),
            }],
            source: Some("Azernews".into()),
            note: None,
            alt: None,
            data: None,
        }
    }

    #[test]
    fn a_short_chart_is_read_out_value_by_value() {
        let fig = figure(&["2020", "Jan–May 2021"], &[5.4, 3.6]);
        assert_eq!(
            alt_text(&fig, &ChartStyle::default(), "en"),
            "Bar chart, Bilateral trade turnover, USD million: 2020 5.4; Jan–May 2021 3.6. Source: Azernews."
        );
    }

    #[test]
    fn the_words_follow_the_language() {
        let fig = figure(&["2020", "2021"], &[5.4, 3.6]);
        let alt = alt_text(&fig, &ChartStyle::default(), "de-DE");
        assert!(alt.starts_with("Säulendiagramm, Bilateral trade turnover"), "{alt}");
    }

    #[test]
    fn a_long_series_is_summarised_not_listed() {
        let cats: Vec<String> = (1..=40).map(|i| format!("Week {i}")).collect();
        let cats: Vec<&str> = cats.iter().map(String::as_str).collect();
        let values: Vec<f64> = (1..=40).map(|i| f64::from(i) * 2.0).collect();
        let alt = alt_text(&figure(&cats, &values), &ChartStyle::default(), "en");
        assert!(alt.contains("40 values, Week 1 to Week 40"), "{alt}");
        assert!(alt.contains("lowest 2 (Week 1), highest 80 (Week 40)"), "{alt}");
        assert!(alt.contains("rising overall (2 → 80)"), "{alt}");
        assert!(!alt.contains("Week 17"), "{alt}");
    }

    #[test]
    fn every_language_describes_a_chart_in_its_own_words() {
        let cats: Vec<String> = (1..=40).map(|i| format!("W{i}")).collect();
        let cats: Vec<&str> = cats.iter().map(String::as_str).collect();
        let values: Vec<f64> = (1..=40).map(f64::from).collect();
        let english = alt_text(&figure(&cats, &values), &ChartStyle::default(), "en");
        let words = |t: &str| -> Vec<String> {
            t.split(|c: char| !c.is_alphabetic())
                .filter(|w| w.chars().count() > 2)
                .map(str::to_lowercase)
                .collect()
        };
        let data = words("Bilateral trade turnover USD million Azernews Source");
        let vocabulary: Vec<String> =
            words(&english).into_iter().filter(|w| !data.contains(w)).collect();
        assert!(vocabulary.contains(&"lowest".to_string()), "{vocabulary:?}");
        for l in brief_core::locale::LANGUAGES.iter().filter(|l| l.code != "en") {
            let mut fig = figure(&cats, &values);
            for kind in [ChartKind::Line, ChartKind::Pie, ChartKind::Hbar] {
                fig.kind = kind;
                let alt = alt_text(&fig, &ChartStyle::default(), l.code);
                for w in words(&alt) {
                    assert!(!vocabulary.contains(&w), "{}: `{w}` in {alt}", l.code);
                }
            }
        }
        // CLDR's digits for the count: Persian writes ۴۰.
        assert!(alt_text(&figure(&cats, &values), &ChartStyle::default(), "fa").contains("۴۰"));
    }

    #[test]
    fn the_figure_s_own_alt_wins() {
        let mut fig = figure(&["2020"], &[1.0]);
        fig.alt = Some("  Trade fell by a third.  ".into());
        assert_eq!(alt_text(&fig, &ChartStyle::default(), "en"), "Trade fell by a third.");
    }
}
