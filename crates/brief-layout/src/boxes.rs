//! Boxes in the flow: callouts, the title block's fields and fact tiles.

use std::rc::Rc;

use brief_core::frame::{Item, NodeId, Path, Role};

use super::lines::TextStyle;
use super::markup::{Block, Inline, Span};
use super::{Chunk, Error, Flow, changed, layout_artifact, merge};

impl Flow<'_> {
    pub(super) fn boxed(&mut self, inner: &[Block], depth: usize) -> Result<(), Error> {
        let s = Rc::clone(&self.style);
        let pad = s.body_size * 0.7;
        let outer = self.held.replace((Vec::new(), 0.0));
        let (x, width) = (self.x, self.width);
        self.x += self.indent(pad + 3.0);
        self.width -= self.indent(2.0 * pad + 3.0);
        self.gap(pad);
        for b in inner {
            self.block(b, depth)?;
        }
        let (mut parts, _) = std::mem::replace(&mut self.held, outer).unwrap_or_default();
        while parts.last().is_some_and(|c| c.gap) && parts.len() > 1 {
            parts.pop();
        }
        parts.push(Chunk { height: pad, gap: true, ..Chunk::default() });
        self.x = x;
        self.width = width;
        // One shaded box: the callout is one chunk, split between its lines
        // when it does not fit, its shading cut with it.
        let mut merged = merge(parts);
        let bg = Path::rect(x, 0.0, width, merged.height).filled(s.callout_fill);
        let bar = Path::rect(x, 0.0, 3.0, merged.height).filled(s.heading);
        merged.items.splice(0..0, [Item::Path(bg), Item::Path(bar)]);
        merged.what = Some("a callout".into());
        self.push(merged);
        self.gap(s.para_gap);
        Ok(())
    }

    pub(super) fn fields(&mut self, fields: &[(String, Inline)]) {
        let s = Rc::clone(&self.style);
        let size = s.body_size;
        let leading = size * s.line_height;
        let label_style = TextStyle { bold: true, color: s.muted, ..self.text_style(size) };
        // A label wraps between words, never inside one: the column is as
        // wide as its longest word ("Катышуучулар"), within a third of the text.
        let widest = fields
            .iter()
            .flat_map(|(label, _)| label.split_whitespace())
            .map(|word| {
                let span = [Span { text: word.to_string(), ..Span::default() }];
                let lines = self.lines(&span, label_style, self.width, leading);
                lines.iter().map(|l| l.width).fold(0.0, f32::max)
            })
            .fold(0.0, f32::max);
        let gap = size * 0.75;
        let label_w = (size * 8.0).max(widest + gap).min(self.width / 3.0);
        for (label, value) in fields {
            let node = self.tree.add(self.parent, Role::P);
            let label = [Span { text: label.clone(), ..Span::default() }];
            let label_lines = self.lines(&label, label_style, label_w - gap, leading);
            let style = self.text_style(size);
            let lines = self.lines(value, style, self.width - label_w, leading);
            let mut items = Vec::new();
            // A long label wraps in its column like a long value does.
            // Each line tagged on its own: a long field is split between lines.
            for (i, line) in label_lines.iter().enumerate() {
                let baseline = leading * (i as f32 + 0.78);
                items.extend(self.tag_line(node, line.clone(), self.x, baseline, size));
            }
            for (i, line) in lines.iter().enumerate() {
                let (x, baseline) = (self.x + label_w, leading * (i as f32 + 0.78));
                items.extend(self.tag_line(node, line.clone(), x, baseline, size));
            }
            let n = lines.len().max(label_lines.len()).max(1);
            let height = leading * n as f32;
            let cuts = (1..n).map(|i| leading * i as f32).collect();
            let what = Some("a field of the title block".into());
            let was = std::mem::replace(&mut self.bar, changed(value));
            self.push(Chunk {
                height,
                items,
                keep_with_next: true,
                cuts,
                what,
                ..Chunk::default()
            });
            self.bar = was;
        }
        // The rule under the block stays with its last field.
        let rule = Path::line(self.x, 4.0, self.x + self.width, 4.0).stroked(s.rule, 0.75);
        self.push(Chunk {
            height: s.para_gap + 4.0,
            items: vec![layout_artifact(vec![Item::Path(rule)])],
            ..Chunk::default()
        });
    }

    pub(super) fn facts(&mut self, tiles: &[(Inline, Inline)], div: NodeId) {
        let s = Rc::clone(&self.style);
        let per_row = tiles.len().clamp(1, 3);
        let gutter = 8.0;
        let tile_w = (self.width - gutter * (per_row as f32 - 1.0)) / per_row as f32;
        let pad = 7.0;
        let big_h = s.fact_size * 1.2;
        let cap_h = s.small_size * 1.3;
        for row in tiles.chunks(per_row) {
            let mut items = Vec::new();
            let mut cells = Vec::new();
            for (big, caption) in row {
                let big_style =
                    TextStyle { bold: true, color: s.heading, ..self.text_style(s.fact_size) };
                let big_lines = self.lines(big, big_style, tile_w - 2.0 * pad, big_h);
                let cap_style = self.text_style(s.small_size);
                let cap = self.lines(caption, cap_style, tile_w - 2.0 * pad, cap_h);
                cells.push((big_lines, cap));
            }
            let height = cells
                .iter()
                .map(|(b, c)| b.len() as f32 * big_h + c.len() as f32 * cap_h)
                .fold(0.0, f32::max)
                + 2.0 * pad;
            let mut tops = Vec::new();
            for (i, (big_lines, cap)) in cells.into_iter().enumerate() {
                let x = self.x + i as f32 * (tile_w + gutter);
                let tile = Path::rect(x, 0.0, tile_w, height).filled(s.callout_fill);
                items.push(layout_artifact(vec![Item::Path(tile)]));
                let (big, small) = (self.tree.add(div, Role::P), self.tree.add(div, Role::P));
                let mut y = pad;
                for l in big_lines {
                    items.extend(self.tag_line(big, l, x + pad, y + big_h * 0.8, s.fact_size));
                    tops.push((y, y + big_h));
                    y += big_h;
                }
                for l in cap {
                    items.extend(self.tag_line(small, l, x + pad, y + cap_h * 0.8, s.small_size));
                    tops.push((y, y + cap_h));
                    y += cap_h;
                }
            }
            // Tiles side by side break only where no line of any tile is cut.
            let mut cuts: Vec<f32> = tops
                .iter()
                .map(|(top, _)| *top)
                .filter(|c| *c > pad && tops.iter().all(|(a, b)| c <= a || c >= b))
                .collect();
            cuts.sort_by(f32::total_cmp);
            cuts.dedup();
            let what = Some("a row of fact tiles".into());
            let bar = row.iter().any(|(big, caption)| changed(big) || changed(caption));
            let was = std::mem::replace(&mut self.bar, bar);
            self.push(Chunk { height: height + gutter, items, cuts, what, ..Chunk::default() });
            self.bar = was;
        }
        self.gap(s.para_gap);
    }
}
