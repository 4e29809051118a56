//! Figures in the flow: one chart or a pair side by side, tagged as Figures,
//! with whatever a chart has no room for printed whole under it.

use std::rc::Rc;

use brief_charts::ChartStyle;
use brief_core::document::Rendered;
use brief_core::figure::Figure;
use brief_core::frame::{Item, NodeId, Role, tagged};

use super::lines::TextStyle;
use super::markup::Span;
use super::{Chunk, Error, Flow};

impl<'a> Flow<'a> {
    fn find_figure(&self, id: &str) -> Result<&'a Figure, String> {
        let doc: &'a Rendered = self.doc;
        doc.figures.iter().find(|f| f.id == id).ok_or_else(|| {
            let ids: Vec<&str> = doc.figures.iter().map(|f| f.id.as_str()).collect();
            format!(
                "the template places figure `{id}`, but the brief has no such figure (ids: {})",
                ids.join(", ")
            )
        })
    }

    /// Where a chart stands, as the field box of its figure (`figures[1]`):
    /// a click on it names the figure and its source line.
    fn figure_field(&self, fig: &Figure, x: f32, w: f32, h: f32) -> Item {
        let at = self.doc.figures.iter().position(|f| std::ptr::eq(f, fig)).unwrap_or_default();
        Item::Field { x, y: 0.0, w, h, path: format!("figures[{at}]") }
    }

    pub(super) fn figure(&mut self, id: &str) -> Result<(), Error> {
        let fig = self.find_figure(id)?;
        let s = Rc::clone(&self.style);
        let chart_style = self.chart_style(&s);
        let height = (self.width * 0.5).min(s.chart_height);
        let (x, width, page) = (self.x, self.width, self.page);
        let (height, mut drawn) =
            drawn::cached(&[fig], &chart_style, self.fonts, [x, width, page], || {
                // Grown for a long legend or many bars, within a page; what sizing
                // measured is kept for the drawing.
                let chart = brief_charts::Chart::new(fig, &chart_style, self.fonts);
                let height = chart.box_height(width, height).min(page * 0.85).max(height);
                (height, vec![chart.draw(x, 0.0, width, height)])
            });
        let mut drawn = drawn.pop().unwrap_or_default();
        let left_out = std::mem::take(&mut drawn.left_out);
        let (mut items, figure) = self.tag_chart(fig, drawn, &chart_style);
        items.push(self.figure_field(fig, self.x, self.width, height));
        let what = Some(format!("the figure `{id}`").into());
        self.gap(s.para_gap * 0.5);
        let mut chunk = Chunk { height: height + s.para_gap, items, what, ..Chunk::default() };
        chunk.keep_with_next = !left_out.is_empty();
        self.push(chunk);
        self.left_out(figure, None, &left_out);
        Ok(())
    }

    /// Prints under a chart, in small type, the texts of its figure the box
    /// had no room for: every character of a figure reaches the page. In a
    /// pair, each is headed by its figure's title.
    fn left_out(&mut self, figure: NodeId, title: Option<&str>, texts: &[String]) {
        if texts.is_empty() {
            return;
        }
        let s = Rc::clone(&self.style);
        let style = TextStyle { color: s.muted, ..self.text_style(s.small_size) };
        let mut spans = Vec::new();
        let mut texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        // In a pair the title says which chart the text belongs to; it leads
        // even when it is one of the texts left out (it is met first).
        if let Some(title) = title.map(str::trim) {
            texts.retain(|t| *t != title);
            spans.push(Span { text: format!("{title} "), bold: true, ..Span::default() });
        }
        if !texts.is_empty() {
            spans.push(Span { text: texts.join(" · "), ..Span::default() });
        }
        let node = self.tree.add(figure, Role::Caption);
        self.para(&spans, style, s.line_height, node);
        self.gap(s.para_gap * 0.5);
    }

    pub(super) fn figure_pair(&mut self, a: &str, b: &str) -> Result<(), Error> {
        let (fa, fb) = (self.find_figure(a)?, self.find_figure(b)?);
        let s = Rc::clone(&self.style);
        let gutter = s.body_size * 1.5;
        let w = (self.width - gutter) / 2.0;
        let chart_style = self.chart_style(&s);
        let height = (w * 0.68).min(s.chart_height);
        let (x, page) = (self.x, self.page);
        let (height, drawn) =
            drawn::cached(&[fa, fb], &chart_style, self.fonts, [x, w, page], || {
                // One height for both, so their plots line up.
                let (ca, cb) = (
                    brief_charts::Chart::new(fa, &chart_style, self.fonts),
                    brief_charts::Chart::new(fb, &chart_style, self.fonts),
                );
                let height = ca
                    .box_height(w, height)
                    .max(cb.box_height(w, height))
                    .min(page * 0.85)
                    .max(height);
                (height, vec![ca.draw(x, 0.0, w, height), cb.draw(x + w + gutter, 0.0, w, height)])
            });
        let [mut first, mut second]: [brief_charts::Drawn; 2] =
            drawn.try_into().unwrap_or_default();
        let first_out = std::mem::take(&mut first.left_out);
        let (mut items, first_node) = self.tag_chart(fa, first, &chart_style);
        let second_out = std::mem::take(&mut second.left_out);
        let (more, second_node) = self.tag_chart(fb, second, &chart_style);
        items.extend(more);
        items.push(self.figure_field(fa, self.x, w, height));
        items.push(self.figure_field(fb, self.x + w + gutter, w, height));
        let what = Some(format!("the figures `{a}` and `{b}`").into());
        self.gap(s.para_gap * 0.5);
        let mut chunk = Chunk { height: height + s.para_gap, items, what, ..Chunk::default() };
        chunk.keep_with_next = !(first_out.is_empty() && second_out.is_empty());
        self.push(chunk);
        self.left_out(first_node, Some(&fa.title), &first_out);
        self.left_out(second_node, Some(&fb.title), &second_out);
        Ok(())
    }

    /// A chart's parts as structure: one Figure, described by its Alt
    /// text, holding the title caption, the drawing and the source caption,
    /// in that reading order.
    fn tag_chart(
        &mut self,
        fig: &Figure,
        drawn: brief_charts::Drawn,
        style: &ChartStyle,
    ) -> (Vec<Item>, NodeId) {
        let figure = self.tree.add(self.parent, Role::Figure);
        let alt = brief_charts::alt_text(fig, style, &self.doc.meta.language);
        if let Some(node) = self.tree.get_mut(figure) {
            node.alt = Some(alt);
        }
        let title = self.tree.add(figure, Role::Caption);
        let mut items: Vec<Item> = tagged(title, drawn.title).into_iter().collect();
        items.extend(tagged(figure, drawn.body));
        let foot = self.tree.add(figure, Role::Caption);
        items.extend(tagged(foot, drawn.foot));
        (items, figure)
    }
}

/// Charts drawn before in this process, by everything a drawing depends on:
/// the figures, the chart style, the fonts and the box. A preview rebuilt
/// on every save redraws only the figures whose data or look changed; a
/// batch, whose briefs differ, pays a lookup and a copy per chart.
mod drawn {
    use std::collections::VecDeque;
    use std::sync::{Mutex, PoisonError};

    use brief_charts::{ChartStyle, Drawn};
    use brief_core::figure::Figure;
    use brief_core::text::FontBook;

    /// The drawings kept: enough for every figure of a long brief or two.
    const KEEP: usize = 48;

    type Kept = VecDeque<(String, (f32, Vec<Drawn>))>;
    static KEPT: Mutex<Kept> = Mutex::new(VecDeque::new());

    /// The height and drawings `draw` makes for `figures` in `style` with
    /// `fonts` at `place` (left edge, width, page height), drawn again only
    /// when they were not drawn before. The key is the whole input, written
    /// out, not a hash of it: two inputs never share a drawing.
    pub(super) fn cached(
        figures: &[&Figure],
        style: &ChartStyle,
        fonts: &FontBook,
        place: [f32; 3],
        draw: impl FnOnce() -> (f32, Vec<Drawn>),
    ) -> (f32, Vec<Drawn>) {
        // A book of fonts lives as long as the process (they are leaked
        // once made), so its address names it; its faces' digest guards it.
        let book = (std::ptr::from_ref(fonts) as usize, fonts.fingerprint());
        let key = format!("{figures:?}\0{style:?}\0{book:?}\0{place:?}");
        let kept = || KEPT.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, found)) = kept().iter().find(|(k, _)| *k == key) {
            return found.clone();
        }
        let made = draw();
        let mut kept = kept();
        if kept.len() >= KEEP {
            kept.pop_front();
        }
        kept.push_back((key, made.clone()));
        made
    }
}
