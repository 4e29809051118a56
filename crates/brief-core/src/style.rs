//! The page and type settings a layout uses: sizes, margins, colours.

use crate::frame::Rgb;

/// Page geometry, type scale and colours.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Page width in points.
    pub page_width: f32,
    /// Page height in points.
    pub page_height: f32,
    /// Left margin.
    pub margin_left: f32,
    /// Right margin.
    pub margin_right: f32,
    /// Top of the text area.
    pub margin_top: f32,
    /// Bottom margin (below the text area).
    pub margin_bottom: f32,
    /// Body text size.
    pub body_size: f32,
    /// Small text size (captions, distribution).
    pub small_size: f32,
    /// Title size.
    pub title_size: f32,
    /// Section heading size.
    pub h2_size: f32,
    /// Sub-heading size.
    pub h3_size: f32,
    /// Fact tile figure size.
    pub fact_size: f32,
    /// Marking size.
    pub marking_size: f32,
    /// Line height as a multiple of the size.
    pub line_height: f32,
    /// Space after a paragraph.
    pub para_gap: f32,
    /// Space between list items.
    pub item_gap: f32,
    /// Space above a heading.
    pub heading_gap: f32,
    /// Largest chart height.
    pub chart_height: f32,
    /// Body text colour.
    pub text: Rgb,
    /// Secondary text colour.
    pub muted: Rgb,
    /// Heading colour.
    pub heading: Rgb,
    /// Link colour.
    pub link: Rgb,
    /// Rules and table lines.
    pub rule: Rgb,
    /// Callout and tile background.
    pub callout_fill: Rgb,
    /// Table header background.
    pub table_head: Rgb,
    /// Watermark colour: mid grey, so it survives greyscale print.
    pub watermark: Rgb,
    /// Chart series colours; empty for the charts' own palette.
    pub palette: Vec<Rgb>,
    /// Where the security marking is printed.
    pub marking: Marking,
}

/// Where the security marking goes, as different governments require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// Centred at the top and the bottom of every page (UK, US, EU).
    TopAndBottom,
    /// The top right-hand corner of every page (Canada).
    TopRight,
}

/// A4 portrait, in points.
pub const A4: (f32, f32) = (595.276, 841.89);
/// US Letter portrait, in points.
pub const LETTER: (f32, f32) = (612.0, 792.0);

impl Style {
    /// The built-in theme on a page of the given size.
    pub fn new(page: (f32, f32)) -> Self {
        Style {
            page_width: page.0,
            page_height: page.1,
            margin_left: 57.0,
            margin_right: 57.0,
            margin_top: 64.0,
            margin_bottom: 58.0,
            body_size: 11.0,
            small_size: 9.0,
            title_size: 18.0,
            h2_size: 13.0,
            h3_size: 11.5,
            fact_size: 15.0,
            marking_size: 10.0,
            line_height: 1.28,
            para_gap: 5.5,
            item_gap: 2.0,
            heading_gap: 7.0,
            chart_height: 215.0,
            text: Rgb(25, 25, 25),
            muted: Rgb(90, 96, 105),
            heading: Rgb(18, 52, 94),
            link: Rgb(18, 70, 150),
            rule: Rgb(170, 176, 184),
            callout_fill: Rgb(236, 240, 246),
            table_head: Rgb(224, 230, 238),
            watermark: Rgb(185, 185, 185),
            palette: Vec::new(),
            marking: Marking::TopAndBottom,
        }
    }

    /// Width of the text column.
    pub fn text_width(&self) -> f32 {
        self.page_width - self.margin_left - self.margin_right
    }

    /// Bottom of the text area, from the page top.
    pub fn text_bottom(&self) -> f32 {
        self.page_height - self.margin_bottom
    }
}

impl Default for Style {
    fn default() -> Self {
        Style::new(A4)
    }
}
