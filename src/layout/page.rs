//! Pagination and page furniture: chunks → pages with marking, reference,
//! "Page X of Y" and the DRAFT watermark.

use super::{Chunk, Error, Style, shift};
use crate::document::{Furniture, Rendered};
use crate::frame::{Bookmark, Document, FontStyle, Item, Page, Path, Rgb, TextRun};
use crate::style::Marking;
use crate::text::FontBook;

/// A page being filled: items placed so far and its bookmarks.
#[derive(Default)]
pub(super) struct Sheet {
    items: Vec<Item>,
    bookmarks: Vec<String>,
}

/// Fills pages with chunks, moving a whole group of chunks that must stay
/// together to the next page when it does not fit.
pub(super) fn paginate(chunks: Vec<Chunk>, style: &Style) -> Vec<Sheet> {
    let top = style.margin_top;
    let bottom = style.text_bottom();
    let mut sheets = vec![Sheet::default()];
    let mut y = top;
    for group in groups(chunks) {
        if group.iter().any(|c| c.page_break) {
            sheets.push(Sheet::default());
            y = top;
            continue;
        }
        let height: f32 = group.iter().map(|c| c.height).sum();
        let fits = y + height - trailing_gap(&group) <= bottom;
        if !fits && y > top && height <= bottom - top {
            sheets.push(Sheet::default());
            y = top;
        }
        for chunk in group {
            if y + chunk.height - if chunk.gap { chunk.height } else { 0.0 } > bottom && y > top {
                sheets.push(Sheet::default());
                y = top;
            }
            if chunk.gap && y == top {
                continue;
            }
            if y == top
                && sheets.len() > 1
                && let Some(header) = &chunk.header
            {
                place(sheets.last_mut(), header, y);
                y += header.height;
            }
            place(sheets.last_mut(), &chunk, y);
            y += chunk.height;
        }
    }
    sheets.retain(|s| !s.items.is_empty());
    if sheets.is_empty() {
        sheets.push(Sheet::default());
    }
    sheets
}

fn place(sheet: Option<&mut Sheet>, chunk: &Chunk, y: f32) {
    let Some(sheet) = sheet else { return };
    sheet.items.extend(chunk.items.iter().cloned().map(|i| shift(i, y)));
    if let Some(b) = &chunk.bookmark {
        sheet.bookmarks.push(b.clone());
    }
}

fn trailing_gap(group: &[Chunk]) -> f32 {
    group.iter().rev().take_while(|c| c.gap).map(|c| c.height).sum()
}

/// Splits the flow where a page may end: after a chunk that does not keep with the next.
fn groups(chunks: Vec<Chunk>) -> Vec<Vec<Chunk>> {
    let mut groups = Vec::new();
    let mut current = Vec::new();
    for chunk in chunks {
        let keep = chunk.keep_with_next;
        let is_break = chunk.page_break;
        if is_break && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
        current.push(chunk);
        if !keep || is_break {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Adds the furniture to every page, now that the page count is known.
pub(super) fn finish(
    sheets: Vec<Sheet>,
    rendered: &Rendered,
    style: &Style,
    fonts: &FontBook,
) -> Document {
    let total = sheets.len();
    let mut doc = Document { meta: rendered.meta.clone(), ..Document::default() };
    let furniture_of = &rendered.furniture;
    for (i, sheet) in sheets.into_iter().enumerate() {
        let mut items = Vec::new();
        if let Some(word) = &furniture_of.watermark {
            items.push(watermark(style, fonts, word));
        }
        items.extend(sheet.items);
        items.extend(furniture(i + 1, total, furniture_of, style, fonts));
        doc.bookmarks.extend(sheet.bookmarks.into_iter().map(|title| Bookmark { title, page: i }));
        doc.pages.push(Page { width: style.page_width, height: style.page_height, items });
    }
    doc
}

/// Text centred (align 0.5), left (0) or right (1) on `x` at baseline `y`.
#[allow(clippy::too_many_arguments)] // a flat call reads best at the call sites
fn text(
    fonts: &FontBook,
    font: FontStyle,
    size: f32,
    color: Rgb,
    s: &str,
    x: f32,
    y: f32,
    align: f32,
) -> Item {
    let glyphs = fonts.shape(font, size, s);
    let w = advance(&glyphs);
    Item::Text(TextRun { x: x - w * align, y, font, size, color, glyphs })
}

/// Width of shaped text: the sum of its advances.
fn advance(glyphs: &[crate::frame::Glyph]) -> f32 {
    glyphs.iter().map(|g| g.advance).sum()
}

fn furniture(
    page: usize,
    total: usize,
    f: &Furniture,
    style: &Style,
    fonts: &FontBook,
) -> Vec<Item> {
    let mid = style.page_width / 2.0;
    let (left, right) = (style.margin_left, style.page_width - style.margin_right);
    let (size, small) = (style.marking_size, style.small_size);
    let line =
        |font, size, color, s: &str, x, y, align| text(fonts, font, size, color, s, x, y, align);
    let mut items = Vec::new();
    if let Some(marking) = f.marking.as_ref().map(|m| m.text.as_str()) {
        let bold = FontStyle::Bold;
        match style.marking {
            Marking::TopAndBottom => {
                items.push(line(bold, size, style.text, marking, mid, 30.0, 0.5));
                let bottom = style.page_height - 22.0;
                items.push(line(bold, size, style.text, marking, mid, bottom, 0.5));
            }
            Marking::TopRight => {
                items.push(line(bold, size, style.text, marking, right, 30.0, 1.0))
            }
        }
    }
    if let Some(handling) = &f.handling {
        let muted = style.muted;
        items.push(line(FontStyle::Regular, size * 0.85, muted, &handling.text, mid, 42.0, 0.5));
    }
    items.push(Item::Path(Path::line(left, 50.0, right, 50.0).stroked(style.rule, 0.5)));
    let foot_y = style.page_height - 40.0;
    items.push(Item::Path(
        Path::line(left, foot_y - 11.0, right, foot_y - 11.0).stroked(style.rule, 0.5),
    ));
    items.push(line(FontStyle::Regular, small, style.muted, &f.footer.text, left, foot_y, 0.0));
    let page_text =
        f.page_label.replace("{page}", &page.to_string()).replace("{total}", &total.to_string());
    items.push(line(FontStyle::Regular, small, style.muted, &page_text, right, foot_y, 1.0));
    items
}

/// Checks that every furniture line fits across the page, so a long marking
/// or reference is an error naming its field, never text run off the paper.
pub(super) fn check_furniture(f: &Furniture, style: &Style, fonts: &FontBook) -> Result<(), Error> {
    let width = |font, size, s: &str| advance(&fonts.shape(font, size, s));
    let page = f.page_label.replace("{page}", "1000").replace("{total}", "1000");
    let footer = format!("{}    {page}", f.footer.text);
    let lines = [
        (
            "marking",
            f.marking
                .as_ref()
                .map(|m| (m.field, width(FontStyle::Bold, style.marking_size, &m.text))),
        ),
        (
            "handling caveat",
            f.handling
                .as_ref()
                .map(|h| (h.field, width(FontStyle::Regular, style.marking_size * 0.85, &h.text))),
        ),
        (
            "reference and version",
            Some((f.footer.field, width(FontStyle::Regular, style.small_size, &footer))),
        ),
    ];
    let room = style.text_width();
    for (label, line) in lines {
        if let Some((field, used)) = line.filter(|(_, w)| *w > room) {
            let why = format!(
                "the {label} is too long for its line on every page ({used:.0} pt, room for {room:.0} pt)"
            );
            return Err(Error::Furniture { field, why });
        }
    }
    Ok(())
}

/// A large diagonal DRAFT in mid grey behind the text: visible in greyscale.
fn watermark(style: &Style, fonts: &FontBook, draft: &str) -> Item {
    let size = 120.0;
    let (cx, cy) = (style.page_width / 2.0, style.page_height / 2.0);
    let run = text(fonts, FontStyle::Bold, size, style.watermark, draft, cx, cy + size * 0.35, 0.5);
    Item::Rotated { x: cx, y: cy, degrees: 45.0, items: vec![run] }
}
