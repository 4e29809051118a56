//! Themes: a template's `theme.yaml`, the page and type settings it asks for.
//!
//! Every key is optional and falls back to the built-in theme; unknown keys
//! are errors, like in briefs, so a misspelt colour never silently vanishes.

use serde::Deserialize;

use brief_core::diag::Diagnostic;
use brief_core::frame::Rgb;
use brief_core::style::{A4, LETTER, Marking, Style};
use brief_model::DROPPABLE;

/// A theme as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// One-line description shown by `brief templates`.
    pub description: Option<String>,
    /// `a4` or `letter`.
    pub page: Option<String>,
    /// Margins in millimetres.
    pub margins_mm: Option<Margins>,
    /// Body text size in points.
    pub body_size: Option<f32>,
    /// Small text size.
    pub small_size: Option<f32>,
    /// Title size.
    pub title_size: Option<f32>,
    /// Section heading size.
    pub heading_size: Option<f32>,
    /// Line height as a multiple of the size.
    pub line_height: Option<f32>,
    /// Largest chart height in points.
    pub chart_height: Option<f32>,
    /// Colours as `#rrggbb`.
    pub colors: Option<Colors>,
    /// Chart series colours as `#rrggbb`, in order.
    pub chart_palette: Option<Vec<String>>,
    /// Where the marking goes: `top and bottom` (centred) or `top right`.
    pub marking: Option<String>,
    /// Most pages the product may have; sections are left out in `drop` order to fit.
    pub fit_pages: Option<usize>,
    /// Brief fields to leave out, in this order, until the document fits.
    #[serde(default)]
    pub drop: Vec<String>,
    /// A house typeface: font files in the template's own folder.
    pub fonts: Option<HouseFonts>,
    /// The house's own scale of security markings, lowest first, instead
    /// of the shipped ones (UK, US, NATO/EU): a brief's marking must be on
    /// it, and a summit book ranks by it.
    pub markings: Option<Vec<String>>,
    /// A scale of the house's own, lowest first, known beside the shipped
    /// ones (`markings` replaces them).
    pub add_markings: Option<Vec<String>>,
}

/// The four faces of a house typeface, as file names inside the template
/// folder. All four are required: a missing style would otherwise be faked
/// from another and look wrong on every page.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseFonts {
    /// Upright, normal weight.
    pub regular: String,
    /// Upright, bold.
    pub bold: String,
    /// Italic.
    pub italic: String,
    /// Bold italic.
    pub bold_italic: String,
}

impl HouseFonts {
    /// The files in [`FontStyle::ALL`](brief_core::frame::FontStyle::ALL) order, with their keys.
    pub fn files(&self) -> [(&'static str, &str); 4] {
        [
            ("regular", &self.regular),
            ("bold", &self.bold),
            ("italic", &self.italic),
            ("bold_italic", &self.bold_italic),
        ]
    }
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    /// Top.
    pub top: Option<f32>,
    /// Bottom.
    pub bottom: Option<f32>,
    /// Left.
    pub left: Option<f32>,
    /// Right.
    pub right: Option<f32>,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    /// Body text.
    pub text: Option<String>,
    /// Secondary text.
    pub muted: Option<String>,
    /// Headings and accents.
    pub heading: Option<String>,
    /// Links.
    pub link: Option<String>,
    /// Rules and table lines.
    pub rule: Option<String>,
    /// Callout and tile background.
    pub callout: Option<String>,
    /// Table header background.
    pub table_head: Option<String>,
    /// DRAFT watermark.
    pub watermark: Option<String>,
}

const MM: f32 = 72.0 / 25.4;

impl Theme {
    /// Parses and checks `theme.yaml`; `file` is the name errors print.
    pub fn parse(file: &str, text: &str) -> Result<Theme, Diagnostic> {
        let theme: Theme = serde_saphyr::from_str(text).map_err(|e| {
            let span = e.location().map(|l| brief_core::diag::Span {
                line: l.line() as usize,
                col: l.column() as usize,
                len: 1,
                text: text
                    .lines()
                    .nth((l.line() as usize).saturating_sub(1))
                    .unwrap_or_default()
                    .to_string(),
            });
            Diagnostic::error(file, format!("bad theme: {}", e.without_snippet())).at(span)
        })?;
        theme.style(None).map_err(|m| Diagnostic::error(file, m))?;
        let droppable: Vec<&str> = DROPPABLE.iter().map(|(name, _)| *name).collect();
        if let Some(bad) = theme.drop.iter().find(|d| !droppable.contains(&d.as_str())) {
            return Err(Diagnostic::error(file, format!("`{bad}` cannot be dropped"))
                .expected(format!("one of: {}", droppable.join(", "))));
        }
        if theme.markings.is_some() && theme.add_markings.is_some() {
            return Err(Diagnostic::error(file, "both `markings` and `add_markings` are given")
                .hint(
                    "`markings` replaces the shipped scales, `add_markings` keeps them: give one",
                ));
        }
        for (key, scale) in [("markings", &theme.markings), ("add_markings", &theme.add_markings)] {
            if let Some(levels) = scale
                && (levels.is_empty() || levels.iter().any(|l| l.trim().is_empty()))
            {
                return Err(Diagnostic::error(file, format!("`{key}` has an empty marking"))
                    .expected("markings lowest first, e.g. [RESTRICTED, CONFIDENTIAL, SECRET]"));
            }
        }
        for (key, name) in theme.fonts.iter().flat_map(HouseFonts::files) {
            let plain = std::path::Path::new(name)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if name.is_empty() || !plain {
                return Err(Diagnostic::error(
                    file,
                    format!(
                        "font `{name}` (fonts.{key}) is not a file name inside the template folder"
                    ),
                )
                .expected("a path relative to the template folder, such as fonts/House-Regular.ttf")
                .hint(
                    "fonts are read only from the template's own folder, never from the system",
                ));
            }
        }
        Ok(theme)
    }

    /// The page style this theme asks for; `paper` overrides its page size.
    pub fn style(&self, paper: Option<(f32, f32)>) -> Result<Style, String> {
        let page = match (paper, self.page.as_deref()) {
            (Some(p), _) => p,
            (None, None | Some("a4")) => A4,
            (None, Some("letter")) => LETTER,
            (None, Some(other)) => return Err(format!("page `{other}` is not a4 or letter")),
        };
        let mut s = Style::new(page);
        if let Some(m) = &self.margins_mm {
            set(&mut s.margin_top, m.top.map(|v| v * MM));
            set(&mut s.margin_bottom, m.bottom.map(|v| v * MM));
            set(&mut s.margin_left, m.left.map(|v| v * MM));
            set(&mut s.margin_right, m.right.map(|v| v * MM));
        }
        set(&mut s.body_size, self.body_size);
        set(&mut s.small_size, self.small_size);
        set(&mut s.title_size, self.title_size);
        set(&mut s.h2_size, self.heading_size);
        set(&mut s.line_height, self.line_height);
        set(&mut s.chart_height, self.chart_height);
        if let Some(c) = &self.colors {
            self.colors_into(c, &mut s)?;
        }
        if let Some(p) = &self.chart_palette {
            s.palette = p.iter().map(|c| color(c)).collect::<Result<_, _>>()?;
        }
        s.marking = match self.marking.as_deref() {
            None | Some("top and bottom") => Marking::TopAndBottom,
            Some("top right") => Marking::TopRight,
            Some(other) => {
                return Err(format!("marking `{other}` is not `top and bottom` or `top right`"));
            }
        };
        if s.text_width() < 100.0 || s.body_size <= 0.0 || s.line_height < 0.8 {
            return Err("margins or sizes leave no room for text".into());
        }
        Ok(s)
    }

    fn colors_into(&self, c: &Colors, s: &mut Style) -> Result<(), String> {
        let pairs = [
            (&c.text, &mut s.text),
            (&c.muted, &mut s.muted),
            (&c.heading, &mut s.heading),
            (&c.link, &mut s.link),
            (&c.rule, &mut s.rule),
            (&c.callout, &mut s.callout_fill),
            (&c.table_head, &mut s.table_head),
            (&c.watermark, &mut s.watermark),
        ];
        for (given, slot) in pairs {
            if let Some(hex) = given {
                *slot = color(hex)?;
            }
        }
        Ok(())
    }
}

fn set(slot: &mut f32, value: Option<f32>) {
    if let Some(v) = value.filter(|v| v.is_finite() && *v >= 0.0) {
        *slot = v;
    }
}

/// `#rrggbb` → colour.
fn color(hex: &str) -> Result<Rgb, String> {
    let digits =
        hex.strip_prefix('#').filter(|d| d.len() == 6 && d.chars().all(|c| c.is_ascii_hexdigit()));
    let d = digits.ok_or_else(|| format!("colour `{hex}` is not #rrggbb"))?;
    let byte = |i: usize| u8::from_str_radix(&d[i..i + 2], 16).unwrap_or(0);
    Ok(Rgb(byte(0), byte(2), byte(4)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_theme_is_the_built_in_style() {
        assert_eq!(Theme::parse("t", "{}").unwrap().style(None).unwrap(), Style::new(A4));
    }

    #[test]
    fn theme_keys_apply() {
        let t = Theme::parse(
            "t",
            "page: letter\nbody_size: 14\ncolors:\n  heading: '#112233'\nmarking: top right\n",
        )
        .unwrap();
        let s = t.style(None).unwrap();
        assert_eq!((s.page_width, s.body_size, s.heading), (612.0, 14.0, Rgb(0x11, 0x22, 0x33)));
        assert_eq!(s.marking, Marking::TopRight);
    }

    #[test]
    fn mistakes_are_errors() {
        assert!(Theme::parse("t", "colour: red\n").unwrap_err().message.contains("colour"));
        assert!(Theme::parse("t", "colors:\n  text: red\n").is_err());
        assert!(Theme::parse("t", "drop: [everything]\n").is_err());
        assert!(Theme::parse("t", "margins_mm: {left: 100, right: 100}\n").is_err());
        let fonts = |r: &str| {
            format!("fonts: {{regular: '{r}', bold: b.ttf, italic: i.ttf, bold_italic: z.ttf}}\n")
        };
        assert!(Theme::parse("t", &fonts("r.ttf")).is_ok());
        assert!(
            Theme::parse("t", &fonts("../r.ttf")).unwrap_err().message.contains("fonts.regular")
        );
        assert!(Theme::parse("t", &fonts("/usr/share/fonts/r.ttf")).is_err());
        assert!(Theme::parse("t", "fonts: {regular: r.ttf}\n").is_err());
        assert!(Theme::parse("t", "markings: [A]\nadd_markings: [B]\n").is_err());
        assert!(Theme::parse("t", "markings: []\n").is_err());
        assert!(Theme::parse("t", "add_markings: [A, '']\n").is_err());
        assert!(Theme::parse("t", "add_markings: [A, B]\n").is_ok());
    }
}
