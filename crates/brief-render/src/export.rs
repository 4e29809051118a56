//! A built-in template written out as a folder a designer can edit: its
//! `main.md`, a `theme.yaml` with every key present and explained, and the
//! English wording with every phrase a template can rename.

use brief_core::frame::Rgb;
use brief_core::locale::wording;
use brief_core::style::{A4, Marking};

use super::BUILTIN;
use super::theme::Theme;

/// The files of built-in template `name`, by path in the folder, with their
/// text; `None` when there is no such template.
pub fn export(name: &str) -> Option<Vec<(String, String)>> {
    let (name, main, theme_text) = BUILTIN.iter().find(|(n, _, _)| *n == name)?;
    let theme = Theme::parse(name, theme_text).ok()?;
    let english = wording::source("en")?;
    let locale = format!(
        "# Corrections to the built-in wording: keep the phrases you rename and\n\
         # delete the rest (a file need not repeat every phrase). Add de.yaml,\n\
         # fr.yaml, ... beside it for other languages, with the same keys.\n{english}"
    );
    Some(vec![
        ("main.md".into(), main.to_string()),
        ("theme.yaml".into(), full_theme(name, &theme)?),
        ("locales/en.yaml".into(), locale),
    ])
}

/// `theme` with every key written out: the values it sets, the built-in
/// values of the keys it leaves out, and the optional keys commented with
/// an example.
fn full_theme(name: &str, theme: &Theme) -> Option<String> {
    let s = theme.style(None).ok()?;
    // The shortest millimetres that give back the very points: a theme
    // exported and built unchanged makes the same PDF, byte for byte.
    let mm = |pt: f32| {
        let exact = pt * 25.4 / 72.0;
        (1..=7)
            .map(|d| {
                let scale = 10f32.powi(d);
                (exact * scale).round() / scale
            })
            .find(|mm| mm * (72.0 / 25.4) == pt)
            .unwrap_or(exact)
    };
    let hex = |c: Rgb| format!("'#{:02x}{:02x}{:02x}'", c.0, c.1, c.2);
    let page = if (s.page_width, s.page_height) == A4 { "a4" } else { "letter" };
    let marking = match s.marking {
        Marking::TopAndBottom => "top and bottom",
        Marking::TopRight => "top right",
    };
    let description = theme.description.clone().unwrap_or_default().replace('\'', "''");
    let drop = if theme.drop.is_empty() { String::new() } else { theme.drop.join(", ") };
    let fit = theme.fit_pages.map_or("# fit_pages: 2".to_string(), |n| format!("fit_pages: {n}"));
    let drop_line = if drop.is_empty() {
        "# drop: [sources, risks, background]".into()
    } else {
        format!("drop: [{drop}]")
    };
    Some(format!(
        "# Theme of the `{name}` template, every key written out with the value it
# takes (the template guide: docs/templates.md). Every key is optional:
# delete one to keep the built-in value. `brief templates check DIR` checks
# the folder.
description: '{description}'
# Paper: a4 or letter (`--paper` overrides it).
page: {page}
# Margins in millimetres.
margins_mm:
  top: {mt}
  bottom: {mb}
  left: {ml}
  right: {mr}
# Type sizes in points, and the line height as a multiple of the size.
body_size: {body}
small_size: {small}
title_size: {title}
heading_size: {heading}
line_height: {lh}
# Largest height of a chart, in points.
chart_height: {chart}
# Colours as #rrggbb.
colors:
  text: {text}
  muted: {muted}
  heading: {hd}
  link: {link}
  rule: {rule}
  callout: {callout}
  table_head: {head}
  watermark: {watermark}
# Chart series colours, in order; without it, the charts' own palette
# (Okabe and Ito's, which colour-blind readers tell apart).
# chart_palette: ['#0072b2', '#e69f00', '#009e73', '#d55e00']
# Where the security marking goes: `top and bottom` (centred) or `top right`.
marking: {marking}
# Most pages the product may have; fields in `drop` are left out, in that
# order, until it fits.
{fit}
{drop_line}
# A house typeface: four font files (TrueType or OpenType) inside this folder.
# fonts:
#   regular: fonts/House-Regular.ttf
#   bold: fonts/House-Bold.ttf
#   italic: fonts/House-Italic.ttf
#   bold_italic: fonts/House-BoldItalic.ttf
# The house's own scale of security markings, lowest first (a summit
# book prints the highest); without it, the UK, US and NATO/EU scales.
# markings: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET]
# Or markings of the house's own beside the shipped scales (give one of the two):
# add_markings: [RESTRICTED, CONFIDENTIAL]
",
        mt = mm(s.margin_top),
        mb = mm(s.margin_bottom),
        ml = mm(s.margin_left),
        mr = mm(s.margin_right),
        body = s.body_size,
        small = s.small_size,
        title = s.title_size,
        heading = s.h2_size,
        lh = s.line_height,
        chart = s.chart_height,
        text = hex(s.text),
        muted = hex(s.muted),
        hd = hex(s.heading),
        link = hex(s.link),
        rule = hex(s.rule),
        callout = hex(s.callout_fill),
        head = hex(s.table_head),
        watermark = hex(s.watermark),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_exports_a_theme_with_every_key_and_the_same_look() {
        for (name, _, theme_text) in BUILTIN {
            let files = export(name).unwrap();
            let theme_file = &files.iter().find(|(p, _)| p == "theme.yaml").unwrap().1;
            let exported = Theme::parse("theme.yaml", theme_file).unwrap();
            let built_in = Theme::parse("t", theme_text).unwrap();
            let (a, b) = (exported.style(None).unwrap(), built_in.style(None).unwrap());
            // Margins round to 0.001 mm; everything else is exact.
            assert!((a.margin_left - b.margin_left).abs() < 0.01, "{name}");
            assert_eq!(
                Style {
                    margin_left: 0.0,
                    margin_right: 0.0,
                    margin_top: 0.0,
                    margin_bottom: 0.0,
                    ..a
                },
                Style {
                    margin_left: 0.0,
                    margin_right: 0.0,
                    margin_top: 0.0,
                    margin_bottom: 0.0,
                    ..b
                },
                "{name}"
            );
            assert_eq!((exported.fit_pages, &exported.drop), (built_in.fit_pages, &built_in.drop));
            // Every key of the theme is in the file, set or commented.
            let keys = crate::theme::schema()["properties"].as_object().unwrap();
            for key in keys.keys() {
                assert!(theme_file.contains(&format!("{key}:")), "{name}: {key} missing");
            }
            let locale = &files.iter().find(|(p, _)| p == "locales/en.yaml").unwrap().1;
            for key in wording::keys() {
                assert!(locale.contains(&format!("{key:?}:")), "{key}");
            }
        }
    }

    use brief_core::style::Style;
}
