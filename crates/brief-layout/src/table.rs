//! Tables: column widths from content, wrapped cells, one chunk per row.

use super::lines::{Line, TextStyle, longest_word, natural_width};
use super::markup::Inline;
use super::{Chunk, Error, Flow, changed, place_line};
use brief_core::frame::{ArtifactKind, Item, NodeId, Path, Role};

/// Column geometry of one table.
pub(super) struct Table {
    widths: Vec<f32>,
    pad: f32,
}

impl Table {
    /// Sizes columns: each gets at least its longest word, the rest of the
    /// width is shared in proportion to how much more each would like.
    /// A table whose columns cannot each be one character wide is an error,
    /// never a heap of overlapping glyphs.
    pub(super) fn new(head: &[Inline], rows: &[Vec<Inline>], flow: &Flow) -> Result<Table, String> {
        let pad = 3.2;
        let cols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let size = flow.style.body_size * 0.9;
        let narrowest = 2.0 * pad + size;
        if cols as f32 * narrowest > flow.width {
            let fit = (flow.width / narrowest) as usize;
            return Err(format!(
                "a table has {cols} columns, more than the {fit} that fit across the page"
            ));
        }
        let style = flow.text_style(size);
        let bold = TextStyle { bold: true, ..style };
        let mut min = vec![0.0f32; cols];
        let mut max = vec![0.0f32; cols];
        let all = std::iter::once((head, bold)).chain(rows.iter().map(|r| (r.as_slice(), style)));
        for (row, st) in all {
            for (c, cell) in row.iter().enumerate().take(cols) {
                let longest = longest_word(cell, st, flow.fonts);
                let full = natural_width(cell, st, flow.fonts);
                min[c] = min[c].max(longest + 2.0 * pad);
                max[c] = max[c].max(full + 2.0 * pad);
            }
        }
        Ok(Table { widths: share(&min, &max, flow.width), pad })
    }

    /// One row as a chunk: wrapped cells, rules, header shading; it may be
    /// cut between lines when it does not fit.
    /// The row is tagged as a TR of `group` (THead or TBody), one TH or TD
    /// per column, empty cells included so the grid stays regular.
    pub(super) fn row_chunk(
        &self,
        row: &[Inline],
        header: bool,
        group: NodeId,
        flow: &mut Flow,
    ) -> Chunk {
        let s = std::rc::Rc::clone(&flow.style);
        let size = s.body_size * 0.9;
        let style = TextStyle { bold: header, ..flow.text_style(size) };
        let leading = size * 1.3;
        let cells: Vec<Vec<Line>> = self
            .widths
            .iter()
            .enumerate()
            .map(|(c, w)| {
                row.get(c)
                    .map(|cell| flow.lines(cell, style, w - 2.0 * self.pad, leading))
                    .unwrap_or_default()
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * leading + 2.0 * self.pad;
        let mut items = Vec::new();
        let total: f32 = self.widths.iter().sum();
        if header {
            let shade = Path::rect(flow.x, 0.0, total, height).filled(s.table_head);
            items.push(Item::Artifact {
                kind: ArtifactKind::Layout,
                items: vec![Item::Path(shade)],
            });
        }
        let tr = flow.tree.add(group, Role::TR);
        let mut x = flow.x;
        for (c, cell) in cells.into_iter().enumerate() {
            let node = flow.tree.add(tr, if header { Role::TH } else { Role::TD });
            for (i, line) in cell.into_iter().enumerate() {
                let baseline = self.pad + leading * (i as f32 + 0.78);
                items.extend(flow.tag_line(node, line, x + self.pad, baseline, size));
            }
            x += self.widths[c];
        }
        let rule = Path::line(flow.x, height, flow.x + total, height)
            .stroked(s.rule, if header { 0.9 } else { 0.4 });
        items.push(Item::Artifact { kind: ArtifactKind::Layout, items: vec![Item::Path(rule)] });
        let cuts = (1..lines).map(|i| self.pad + leading * i as f32).collect();
        let what = Some(if header { "a table's header row" } else { "a table row" }.into());
        Chunk { height, items, keep_with_next: header, cuts, what, ..Chunk::default() }
    }

    /// Set above the rest of a row split across pages: an ellipsis in the
    /// first column, so the reader sees the row goes on.
    pub(super) fn continued(&self, flow: &Flow) -> Chunk {
        let s = &flow.style;
        let size = s.body_size * 0.9;
        let style = TextStyle { italic: true, color: s.muted, ..flow.text_style(size) };
        let mark = [super::markup::Span { text: "…".into(), ..Default::default() }];
        let leading = size * 1.3;
        let items = super::lines::break_lines(&mark, style, f32::MAX, flow.fonts)
            .into_iter()
            .flat_map(|l| place_line(l, flow.x + self.pad, self.pad + leading * 0.78, size))
            .collect();
        // Not content: it stands for the row already read on the page before.
        let items = vec![Item::Artifact { kind: ArtifactKind::Pagination, items }];
        Chunk { height: leading + self.pad, items, ..Chunk::default() }
    }
}

/// Column widths from content. Every column gets its longest word first,
/// so no word is broken while the words fit across at all; what is left is
/// shared out fairly: each column whose whole content needs less than an
/// equal share of it gets just that, and the columns still wanting more
/// split the rest equally, so one long cell (a place's full name) cannot
/// take the width its neighbours need to keep their words whole. Spare
/// width, when every column is whole, goes in proportion to content. When
/// even the longest words do not fit, the columns whose longest word fits
/// an equal share keep it whole and the others split the rest.
fn share(min: &[f32], max: &[f32], width: f32) -> Vec<f32> {
    let max: Vec<f32> = max.iter().zip(min).map(|(a, b)| a.max(*b)).collect();
    let max_total: f32 = max.iter().sum();
    if max_total <= width {
        return max.iter().map(|m| m + (width - max_total) * m / max_total.max(1.0)).collect();
    }
    let min_total: f32 = min.iter().sum();
    if min_total >= width {
        return fill(&vec![0.0; min.len()], min, width);
    }
    fill(min, &max, width)
}

/// Water-filling: from `base`, `width - Σbase` shared out so that each
/// column wanting less than an equal share of what is left gets what it
/// wants (`want`), and the others split the rest equally.
fn fill(base: &[f32], want: &[f32], width: f32) -> Vec<f32> {
    let mut widths = base.to_vec();
    let mut extra = width - base.iter().sum::<f32>();
    let mut open: Vec<usize> = (0..want.len()).filter(|c| want[*c] > base[*c]).collect();
    while !open.is_empty() {
        let fair = extra / open.len() as f32;
        let (whole, wanting): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|c| want[**c] - widths[**c] <= fair);
        if whole.is_empty() {
            for c in &wanting {
                widths[*c] += fair;
            }
            break;
        }
        for c in whole {
            extra -= want[c] - widths[c];
            widths[c] = want[c];
        }
        open = wanting;
    }
    widths
}

impl Flow<'_> {
    pub(super) fn table(&mut self, head: &[Inline], rows: &[Vec<Inline>]) -> Result<(), Error> {
        let t = Table::new(head, rows, self).map_err(|why| Error::Content {
            why,
            hint: "split the table, or turn it so its rows become columns",
            culprit: None,
        })?;
        let table = self.tree.add(self.parent, Role::Table);
        let thead = self.tree.add(table, Role::THead);
        let header = Box::new(t.row_chunk(head, true, thead, self));
        let continued = Box::new(t.continued(self));
        let tbody = self.tree.add(table, Role::TBody);
        let mut first = true;
        for row in rows {
            if self.error.is_some() {
                break;
            }
            let mut chunk = t.row_chunk(row, false, tbody, self);
            chunk.header = Some(header.clone());
            chunk.continued = Some(continued.clone());
            if first {
                let mut h = (*header).clone();
                h.keep_with_next = true;
                self.push(h);
                first = false;
            }
            let was = std::mem::replace(&mut self.bar, row.iter().any(|c| changed(c)));
            self.push(chunk);
            self.bar = was;
        }
        self.gap(self.style.para_gap);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn columns_fill_the_width_and_respect_minimums() {
        let w = share(&[50.0, 30.0, 30.0], &[400.0, 60.0, 40.0], 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01);
        assert!(w[0] >= 50.0 && w[1] >= 30.0 && w[2] >= 30.0);
    }

    #[test]
    fn words_too_long_for_the_page_never_squeeze_the_short_columns() {
        // Two cells of one 3,000-letter word beside "Status" and a date.
        let w = share(&[9000.0, 9000.0, 40.0, 60.0], &[9000.0, 9000.0, 40.0, 60.0], 480.0);
        assert!((w.iter().sum::<f32>() - 480.0).abs() < 0.01, "{w:?}");
        assert_eq!((w[2], w[3]), (40.0, 60.0), "{w:?}");
        assert!((w[0] - 190.0).abs() < 0.01 && (w[1] - 190.0).abs() < 0.01, "{w:?}");
    }

    #[test]
    fn one_long_column_never_squeezes_the_others_below_their_words() {
        // Seven columns as in a book's schedule: one long place name wants
        // a whole line; each other column keeps its longest word whole and
        // the short ones get their whole content.
        let min = [60.0, 30.0, 70.0, 60.0, 60.0, 95.0, 25.0];
        let max = [60.0, 30.0, 900.0, 150.0, 160.0, 95.0, 25.0];
        let w = share(&min, &max, 480.0);
        assert!((w.iter().sum::<f32>() - 480.0).abs() < 0.01, "{w:?}");
        for (c, (w, m)) in w.iter().zip(min).enumerate() {
            assert!(*w >= m - 0.01, "column {c} is {w}, its longest word {m}");
        }
        assert!(w[2] < 480.0 * 0.45, "the long column takes {} of 480", w[2]);
        let (a, b, c) = (w[2] - min[2], w[3] - min[3], w[4] - min[4]);
        assert!((a - b).abs() < 0.01 && (b - c).abs() < 0.01, "equal shares: {w:?}");
    }
}
