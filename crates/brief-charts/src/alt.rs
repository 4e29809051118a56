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

/// The words an alt text needs, in one language.
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
}

const EN: Words = Words {
    kind: [
        "Bar chart",
        "Horizontal bar chart",
        "Line chart",
        "Area chart",
        "Stacked bar chart",
        "Pie chart",
    ],
    values: "{n} values, {first} to {last}",
    lowest: "lowest",
    highest: "highest",
    rising: "rising overall",
    falling: "falling overall",
    flat: "level overall",
    no_data: "no data",
};

const FR: Words = Words {
    kind: [
        "Graphique à barres",
        "Graphique à barres horizontales",
        "Graphique linéaire",
        "Graphique en aires",
        "Graphique à barres empilées",
        "Graphique circulaire",
    ],
    values: "{n} valeurs, de {first} à {last}",
    lowest: "minimum",
    highest: "maximum",
    rising: "en hausse globale",
    falling: "en baisse globale",
    flat: "stable globalement",
    no_data: "aucune donnée",
};

const DE: Words = Words {
    kind: [
        "Säulendiagramm",
        "Balkendiagramm",
        "Liniendiagramm",
        "Flächendiagramm",
        "Gestapeltes Säulendiagramm",
        "Kreisdiagramm",
    ],
    values: "{n} Werte, {first} bis {last}",
    lowest: "niedrigster Wert",
    highest: "höchster Wert",
    rising: "insgesamt steigend",
    falling: "insgesamt fallend",
    flat: "insgesamt gleichbleibend",
    no_data: "keine Daten",
};

const RU: Words = Words {
    kind: [
        "Столбчатая диаграмма",
        "Линейчатая диаграмма",
        "Линейный график",
        "Диаграмма с областями",
        "Столбчатая диаграмма с накоплением",
        "Круговая диаграмма",
    ],
    values: "{n} значений, с {first} по {last}",
    lowest: "минимум",
    highest: "максимум",
    rising: "в целом рост",
    falling: "в целом снижение",
    flat: "в целом без изменений",
    no_data: "нет данных",
};

const TR: Words = Words {
    kind: [
        "Sütun grafiği",
        "Yatay çubuk grafiği",
        "Çizgi grafiği",
        "Alan grafiği",
        "Yığılmış sütun grafiği",
        "Pasta grafiği",
    ],
    values: "{n} değer, {first} - {last}",
    lowest: "en düşük",
    highest: "en yüksek",
    rising: "genel olarak artış",
    falling: "genel olarak düşüş",
    flat: "genel olarak sabit",
    no_data: "veri yok",
};

const AZ: Words = Words {
    kind: [
        "Sütunlu diaqram",
        "Üfüqi zolaqlı diaqram",
        "Xətti qrafik",
        "Sahəli diaqram",
        "Yığılmış sütunlu diaqram",
        "Dairəvi diaqram",
    ],
    values: "{n} dəyər, {first} - {last}",
    lowest: "ən aşağı",
    highest: "ən yüksək",
    rising: "ümumilikdə artım",
    falling: "ümumilikdə azalma",
    flat: "ümumilikdə sabit",
    no_data: "məlumat yoxdur",
};

/// The words of a BCP 47 tag's language; English where there are none.
fn words(language: &str) -> &'static Words {
    match language.split(['-', '_']).next().unwrap_or("") {
        "fr" => &FR,
        "de" => &DE,
        "ru" => &RU,
        "tr" => &TR,
        "az" => &AZ,
        _ => &EN,
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
    let w = words(language);
    let mut out = format!("{}, {}", w.kind[kind_index(fig.kind)], fig.title.trim());
    if let Some(unit) = fig.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        out.push_str(", ");
        out.push_str(unit);
    }
    out.push(':');
    let named = fig.series.len() > 1;
    let label = |series: &Series, body: String| {
        if named { format!("{} – {body}", series.name.trim()) } else { body }
    };
    let values = fig.categories.len() * fig.series.len();
    let source = fig.source.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|source| {
        let stop = if source.ends_with('.') { "" } else { "." };
        format!(" {}: {source}{stop}", style.source_label)
    });
    let finish = |parts: Vec<String>| {
        let body = if parts.is_empty() { w.no_data.to_string() } else { parts.join(". ") };
        format!("{out} {body}.{}", source.as_deref().unwrap_or(""))
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
    pairs.join("; ")
}

/// Range of categories, extremes and direction of a long series.
/// The categories a summary covers: all of them when there are few, else
/// the count and the first and last.
fn range(fig: &Figure, w: &Words) -> String {
    let cats: Vec<&str> = fig.categories.iter().map(|c| c.trim()).collect();
    if cats.len() <= FULL_UP_TO {
        return cats.join(", ");
    }
    w.values
        .replace("{n}", &cats.len().to_string())
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
        "{} {} ({}), {} {} ({})",
        w.lowest,
        format_number(lo.1, style),
        at(lo.0),
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
            ", {trend} ({} → {})",
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
    fn the_figure_s_own_alt_wins() {
        let mut fig = figure(&["2020"], &[1.0]);
        fig.alt = Some("  Trade fell by a third.  ".into());
        assert_eq!(alt_text(&fig, &ChartStyle::default(), "en"), "Trade fell by a third.");
    }
}
