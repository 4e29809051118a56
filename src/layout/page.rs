//! Pagination and page furniture: chunks → pages with marking, reference,
//! "Page X of Y" and the DRAFT watermark.

use super::{Chunk, Style, shift};
use crate::frame::{Bookmark, Document, FontStyle, Item, Meta, Page, Path, Rgb, TextRun};
use crate::model::{Brief, Status};
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
            if y == top && sheets.len() > 1 {
                if let Some(header) = &chunk.header {
                    place(sheets.last_mut(), header, y);
                    y += header.height;
                }
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
    brief: &Brief,
    style: &Style,
    fonts: &FontBook,
) -> Document {
    let total = sheets.len();
    let mut doc = Document { meta: meta(brief), ..Document::default() };
    for (i, sheet) in sheets.into_iter().enumerate() {
        let mut items = Vec::new();
        if brief.brief.status == Status::Draft {
            items.push(watermark(style, fonts));
        }
        items.extend(sheet.items);
        items.extend(furniture(i + 1, total, brief, style, fonts));
        doc.bookmarks.extend(sheet.bookmarks.into_iter().map(|title| Bookmark { title, page: i }));
        doc.pages.push(Page { width: style.page_width, height: style.page_height, items });
    }
    doc
}

fn meta(brief: &Brief) -> Meta {
    let b = &brief.brief;
    let parties: Vec<String> = brief.meeting.parties.iter().map(|p| p.country.clone()).collect();
    Meta {
        title: b.title.clone(),
        author: b.prepared_by.clone().unwrap_or_default(),
        subject: b
            .subtitle
            .clone()
            .unwrap_or_else(|| format!("{} {}", brief.meeting.kind, brief.meeting.date)),
        keywords: parties,
        created: 0,
    }
}

/// Text centred (align 0.5), left (0) or right (1) on `x` at baseline `y`.
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
    let w: f32 = glyphs.iter().map(|g| g.advance).sum();
    Item::Text(TextRun { x: x - w * align, y, font, size, color, glyphs })
}

fn furniture(
    page: usize,
    total: usize,
    brief: &Brief,
    style: &Style,
    fonts: &FontBook,
) -> Vec<Item> {
    let b = &brief.brief;
    let mid = style.page_width / 2.0;
    let (left, right) = (style.margin_left, style.page_width - style.margin_right);
    let size = style.marking_size;
    let mut items = Vec::new();
    if let Some(marking) = &b.classification {
        let marking = marking.to_uppercase();
        items.push(text(fonts, FontStyle::Bold, size, style.text, &marking, mid, 30.0, 0.5));
        items.push(text(
            fonts,
            FontStyle::Bold,
            size,
            style.text,
            &marking,
            mid,
            style.page_height - 22.0,
            0.5,
        ));
    }
    if let Some(handling) = &b.handling {
        items.push(text(
            fonts,
            FontStyle::Regular,
            size * 0.85,
            style.muted,
            handling,
            mid,
            42.0,
            0.5,
        ));
    }
    let rule_y = 50.0;
    items.push(Item::Path(Path::line(left, rule_y, right, rule_y).stroked(style.rule, 0.5)));
    let foot_y = style.page_height - 40.0;
    items.push(Item::Path(
        Path::line(left, foot_y - 11.0, right, foot_y - 11.0).stroked(style.rule, 0.5),
    ));
    let small = style.small_size;
    let mut left_text = b.reference.clone().unwrap_or_default();
    if let Some(v) = &b.version {
        left_text = if left_text.is_empty() {
            format!("Version {v}")
        } else {
            format!("{left_text} · version {v}")
        };
    }
    if b.status == Status::Draft {
        left_text =
            if left_text.is_empty() { "DRAFT".into() } else { format!("{left_text} · DRAFT") };
    }
    items.push(text(fonts, FontStyle::Regular, small, style.muted, &left_text, left, foot_y, 0.0));
    let page_text = format!("Page {page} of {total}");
    items.push(text(fonts, FontStyle::Regular, small, style.muted, &page_text, right, foot_y, 1.0));
    items
}

/// A large diagonal DRAFT in mid grey behind the text: visible in greyscale.
fn watermark(style: &Style, fonts: &FontBook) -> Item {
    let size = 120.0;
    let (cx, cy) = (style.page_width / 2.0, style.page_height / 2.0);
    let run =
        text(fonts, FontStyle::Bold, size, style.watermark, "DRAFT", cx, cy + size * 0.35, 0.5);
    Item::Rotated { x: cx, y: cy, degrees: 45.0, items: vec![run] }
}
