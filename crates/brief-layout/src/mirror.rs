//! Right-to-left pages: a laid-out page mirrored left for right.
//!
//! A page in Arabic, Persian or Hebrew is the mirror image of the same page
//! in English: text aligned to the right margin, title-block labels on the
//! right, table columns from right to left, list markers and numbers on the
//! right, tiles and side-by-side figures from the right, page furniture
//! swapped, charts with their value axis on the right and categories read
//! from the right. Layout sets every page as for a left-to-right document
//! and then mirrors it here, once, so no block needs a second code path.
//! Text is never mirrored as glyphs: each run keeps its own glyph order and
//! moves as a unit, and lines of right-to-left paragraphs come from
//! [`lines`](super::lines) pre-mirrored so they end up in visual order.

use brief_core::frame::{Item, Seg};

/// Mirrors `items` about the vertical centre line of a page `width` wide.
pub(super) fn mirror(items: &mut [Item], width: f32) {
    for item in items {
        match item {
            Item::Text(run) => run.x = width - run.x - run.width(),
            Item::Path(path) => {
                for seg in &mut path.segs {
                    match seg {
                        Seg::Move(x, _) | Seg::Line(x, _) => *x = width - *x,
                        Seg::Cubic(x1, _, x2, _, x, _) => {
                            *x1 = width - *x1;
                            *x2 = width - *x2;
                            *x = width - *x;
                        }
                        Seg::Close => {}
                    }
                }
            }
            Item::Link { x, w, .. } | Item::GoTo { x, w, .. } | Item::Field { x, w, .. } => {
                *x = width - *x - *w
            }
            Item::Tagged { items, .. } | Item::Artifact { items, .. } => mirror(items, width),
            // Mirroring a rotation about c by θ is rotating about the
            // mirrored c by −θ what was mirrored first.
            Item::Rotated { x, degrees, items, .. } => {
                *x = width - *x;
                *degrees = -*degrees;
                mirror(items, width);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brief_core::frame::{FontStyle, Glyph, Path, Rgb, TextRun};

    fn run(x: f32, advance: f32) -> TextRun {
        let glyph = Glyph {
            gid: 1,
            face: 0,
            level: 0,
            advance,
            x_offset: 0.0,
            y_offset: 0,
            text: "a".into(),
        };
        TextRun {
            x,
            y: 10.0,
            font: FontStyle::Regular,
            size: 10.0,
            color: Rgb::BLACK,
            glyphs: vec![glyph],
        }
    }

    #[test]
    fn everything_lands_at_its_mirror_place_and_text_keeps_its_glyph_order() {
        let mut items = vec![
            Item::Text(run(50.0, 20.0)),
            Item::Path(Path::rect(10.0, 0.0, 30.0, 5.0)),
            Item::Link { x: 50.0, y: 0.0, w: 20.0, h: 10.0, url: "https://x.org".into() },
            Item::Rotated {
                x: 100.0,
                y: 100.0,
                degrees: 30.0,
                items: vec![Item::Text(run(0.0, 10.0))],
            },
        ];
        mirror(&mut items, 200.0);
        let Item::Text(t) = &items[0] else { panic!() };
        assert_eq!((t.x, t.glyphs[0].text.as_str()), (130.0, "a"));
        let Item::Path(p) = &items[1] else { panic!() };
        let xs: Vec<f32> = p
            .segs
            .iter()
            .filter_map(|s| match s {
                Seg::Move(x, _) | Seg::Line(x, _) => Some(*x),
                _ => None,
            })
            .collect();
        assert_eq!(xs, [190.0, 160.0, 160.0, 190.0]);
        assert!(matches!(items[2], Item::Link { x: 130.0, .. }));
        let Item::Rotated { x, degrees, items: inner, .. } = &items[3] else { panic!() };
        assert_eq!((*x, *degrees), (100.0, -30.0));
        assert!(matches!(&inner[0], Item::Text(t) if t.x == 190.0));
        // Twice is the page as it was.
        mirror(&mut items, 200.0);
        assert!(matches!(&items[0], Item::Text(t) if t.x == 50.0));
    }
}
