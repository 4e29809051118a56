//! Themes: a template's `theme.yaml`, the page and type settings it asks for.
//!
//! Every key is optional and falls back to the built-in theme; unknown keys
//! are errors, like in briefs, so a misspelt colour never silently vanishes.

use serde::Deserialize;

use brief_core::diag::Diagnostic;
use brief_core::frame::Rgb;
use brief_core::style::{A4, LETTER, Marking, Style};
use brief_core::yaml::{Index, check, tree};
use brief_model::DROPPABLE;

/// A theme as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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

/// The JSON Schema of `theme.yaml`, generated from [`Theme`].
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::to_value(schemars::schema_for!(Theme)).unwrap_or_default())
}

impl Theme {
    /// Parses and checks `theme.yaml`; `file` is the name errors print.
    /// The first problem of [`Theme::check`].
    pub fn parse(file: &str, text: &str) -> Result<Theme, Diagnostic> {
        Theme::check(file, text).map_err(|mut all| all.swap_remove(0))
    }

    /// Parses and checks `theme.yaml`, every problem at once and each at its
    /// line and column: unknown keys with did-you-mean, wrong types, colours,
    /// sizes, page, marking, what `drop` names and font file names.
    pub fn check(file: &str, text: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut index = Index::new(file, text);
        let root = match tree::parse(text) {
            Ok(Some(root)) => root,
            Ok(None) => return Ok(Theme::default()),
            Err(e) => {
                let d = Diagnostic::error(file, format!("bad theme: {}", e.message))
                    .at(e.pos.map(|p| index.span(p)));
                return Err(vec![match e.hint {
                    Some(h) => d.hint(h),
                    None => d,
                }]);
            }
        };
        index.record(&root, "");
        let (problems, json) = check::check(&root, schema());
        let mut found: Vec<Diagnostic> = problems
            .into_iter()
            .map(|p| {
                let mut d = Diagnostic::error(file, format!("bad theme: {}", p.message))
                    .at(Some(index.span(p.pos)))
                    .path(p.path);
                d.expected = p.expected;
                d.hint = p.hint;
                d
            })
            .collect();
        let theme: Theme = json.and_then(|j| serde_json::from_value(j).ok()).unwrap_or_default();
        found.extend(theme.problems(&index));
        found.sort_by_key(|d| d.span.as_ref().map(|s| (s.line, s.col)));
        if found.is_empty() { Ok(theme) } else { Err(found) }
    }

    /// What the schema cannot say: each value's meaning, at its place.
    fn problems(&self, index: &Index) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if let Some(page) = self.page.as_deref().filter(|p| !matches!(*p, "a4" | "letter")) {
            found.push(
                index
                    .error("page", format!("page `{page}` is not a4 or letter"))
                    .expected("a4 or letter"),
            );
        }
        if let Some(m) =
            self.marking.as_deref().filter(|m| !matches!(*m, "top and bottom" | "top right"))
        {
            found.push(
                index
                    .error(
                        "marking",
                        format!("marking `{m}` is not `top and bottom` or `top right`"),
                    )
                    .expected("top and bottom, or top right"),
            );
        }
        let colours = self.colors.iter().flat_map(|c| {
            [
                ("text", &c.text),
                ("muted", &c.muted),
                ("heading", &c.heading),
                ("link", &c.link),
                ("rule", &c.rule),
                ("callout", &c.callout),
                ("table_head", &c.table_head),
                ("watermark", &c.watermark),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (format!("colors.{k}"), v.clone())))
        });
        let palette = self.chart_palette.iter().flatten().enumerate();
        let all = colours.chain(palette.map(|(i, c)| (format!("chart_palette[{i}]"), c.clone())));
        for (path, hex) in all.collect::<Vec<_>>() {
            if let Err(why) = color(&hex) {
                found.push(index.error(&path, why).expected("a colour as #rrggbb, e.g. #1f3b5c"));
            }
        }
        let sizes = [
            ("body_size", self.body_size),
            ("small_size", self.small_size),
            ("title_size", self.title_size),
            ("heading_size", self.heading_size),
            ("line_height", self.line_height),
            ("chart_height", self.chart_height),
        ];
        let margins = self.margins_mm.iter().flat_map(|m| {
            [
                ("margins_mm.top", m.top),
                ("margins_mm.bottom", m.bottom),
                ("margins_mm.left", m.left),
                ("margins_mm.right", m.right),
            ]
        });
        for (path, value, least) in sizes.map(|(p, v)| (p, v, f32::MIN_POSITIVE)) {
            if let Some(v) = value.filter(|v| !v.is_finite() || *v < least) {
                found
                    .push(index.error(path, format!("{path} is {v}")).expected("a number above 0"));
            }
        }
        for (path, value) in margins {
            if let Some(v) = value.filter(|v| !v.is_finite() || *v < 0.0) {
                found.push(
                    index.error(path, format!("{path} is {v}")).expected("0 or more millimetres"),
                );
            }
        }
        if let (true, Err(why)) = (found.is_empty(), self.style(None)) {
            found.push(index.error("", why));
        }
        let droppable: Vec<&str> = DROPPABLE.iter().map(|(name, _)| *name).collect();
        for (i, bad) in self.drop.iter().enumerate() {
            if !droppable.contains(&bad.as_str()) {
                let mut d = index
                    .error(&format!("drop[{i}]"), format!("`{bad}` cannot be dropped"))
                    .expected(format!("one of: {}", droppable.join(", ")));
                if let Some(like) = brief_core::diag::did_you_mean(bad, droppable.iter().copied()) {
                    d = d.hint(format!("did you mean `{like}`?"));
                }
                found.push(d);
            }
        }
        if self.markings.is_some() && self.add_markings.is_some() {
            found.push(
                index.error("add_markings", "both `markings` and `add_markings` are given").hint(
                    "`markings` replaces the shipped scales, `add_markings` keeps them: give one",
                ),
            );
        }
        for (key, scale) in [("markings", &self.markings), ("add_markings", &self.add_markings)] {
            if let Some(levels) = scale
                && (levels.is_empty() || levels.iter().any(|l| l.trim().is_empty()))
            {
                found.push(
                    index
                        .error(key, format!("`{key}` has an empty marking"))
                        .expected("markings lowest first, e.g. [RESTRICTED, CONFIDENTIAL, SECRET]"),
                );
            }
        }
        for (key, name) in self.fonts.iter().flat_map(HouseFonts::files) {
            let plain = std::path::Path::new(name)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if name.is_empty() || !plain {
                found.push(
                    index
                        .error(
                            &format!("fonts.{key}"),
                            format!(
                                "font `{name}` (fonts.{key}) is not a file name inside the template folder"
                            ),
                        )
                        .expected("a path relative to the template folder, such as fonts/House-Regular.ttf")
                        .hint("fonts are read only from the template's own folder, never from the system"),
                );
            }
        }
        found
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

    #[test]
    fn every_problem_at_once_each_at_its_place() {
        let text = "descripton: x\ncolors:\n  text: red\n  hedaing: '#000000'\npage: a5\nbody_size: -3\ndrop: [risk]\nchart_palette: ['#123456', blue]\n";
        let all = Theme::check("theme.yaml", text).unwrap_err();
        let got: Vec<String> = all
            .iter()
            .map(|d| {
                let s = d.span.as_ref().unwrap();
                format!(
                    "{}:{} {} | {}",
                    s.line,
                    s.col,
                    d.message,
                    d.hint.clone().unwrap_or_default()
                )
            })
            .collect();
        insta::assert_snapshot!(got.join("\n"));
    }
}
