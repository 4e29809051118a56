//! How charts look: colours, sizes and the words around them, from the theme.

use brief_core::document::{ChartWords, Formats};
use brief_core::frame::Rgb;
use brief_core::style::Style;

/// Chart appearance, from the theme.
#[derive(Debug, Clone)]
pub struct ChartStyle {
    /// Series colours, in series order; reused cyclically, with a different
    /// hatch, marker and dash, when there are more series than colours.
    pub palette: Vec<Rgb>,
    /// Title, labels and the zero line.
    pub text: Rgb,
    /// Axis numbers, grid lines (lightened), note and source lines.
    pub muted: Rgb,
    /// Size of labels, unit line and legend, in points.
    pub font_size: f32,
    /// Size of the title, in points.
    pub title_size: f32,
    /// Decimal separator.
    pub decimal: char,
    /// Thousands separator.
    pub group: char,
    /// The words before the source and note lines, in the brief's language.
    pub source_label: String,
    /// The word before the note line.
    pub note_label: String,
    /// The notes charts add and the mark for no data, in the brief's language.
    pub words: ChartWords,
    /// Labels are set right to left (the brief's language is written so;
    /// layout mirrors the whole chart with its page).
    pub rtl: bool,
    /// The digits numbers are written in (the language's numbering system).
    pub digits: [char; 10],
}

impl Default for ChartStyle {
    /// Okabe–Ito colours (safe for the common colour-vision deficiencies),
    /// ordered so neighbouring series also differ in lightness; 8.5 pt labels.
    fn default() -> Self {
        ChartStyle {
            palette: vec![
                Rgb(0x00, 0x72, 0xB2), // blue
                Rgb(0xE6, 0x9F, 0x00), // orange
                Rgb(0x00, 0x9E, 0x73), // bluish green
                Rgb(0xD5, 0x5E, 0x00), // vermillion
                Rgb(0x56, 0xB4, 0xE9), // sky blue
                Rgb(0xCC, 0x79, 0xA7), // reddish purple
                Rgb(0x33, 0x33, 0x33), // near black
                Rgb(0xF0, 0xE4, 0x42), // yellow, last: weak on white
            ],
            text: Rgb(0x22, 0x22, 0x22),
            muted: Rgb(0x66, 0x66, 0x66),
            font_size: 8.5,
            title_size: 10.0,
            decimal: '.',
            group: ',',
            source_label: "Source".into(),
            note_label: "Note".into(),
            words: ChartWords::default(),
            rtl: false,
            digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        }
    }
}

impl ChartStyle {
    /// The default look in a language's formats: what `brief charts` uses.
    pub fn in_language(formats: &Formats) -> ChartStyle {
        ChartStyle {
            decimal: formats.decimal,
            group: formats.group,
            digits: formats.digits,
            source_label: formats.source_label.clone(),
            note_label: formats.note_label.clone(),
            words: formats.chart_words.clone(),
            ..ChartStyle::default()
        }
    }

    /// The look on a page of `style`: its text colour and palette (the
    /// default palette when the theme names none), in the language's formats.
    pub fn for_page(style: &Style, formats: &Formats) -> ChartStyle {
        let base = ChartStyle::in_language(formats);
        let palette =
            if style.palette.is_empty() { base.palette.clone() } else { style.palette.clone() };
        ChartStyle { text: style.text, palette, ..base }
    }
}

/// The style with unusable values replaced, so layout maths never sees a
/// zero, negative or huge size or an empty palette.
pub(crate) fn sanitize(style: &ChartStyle) -> ChartStyle {
    let default = ChartStyle::default();
    let size = |v: f32, d: f32| {
        if v.is_finite() && v >= 4.0 { v.min(48.0) } else { d }
    };
    ChartStyle {
        palette: if style.palette.is_empty() { default.palette } else { style.palette.clone() },
        font_size: size(style.font_size, default.font_size),
        title_size: size(style.title_size, default.title_size),
        ..style.clone()
    }
}
