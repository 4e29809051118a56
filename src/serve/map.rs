//! A preview build: the very PDF `brief build` writes, and the map from the
//! places on its pages back to the source fields and lines that produced
//! them, read from the field marks layout carried into the frames
//! ([`Item::Field`]), never by searching the text.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::diag::{Diagnostic, Warned};
use crate::frame::{Item, Page};
use crate::{BuildOptions, Env};

/// Where a field's text stands on a page, in points from the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
    /// The field's path, e.g. `key_messages[2]`.
    pub path: String,
}

/// One page's size and fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageMap {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The fields set on it, in reading order.
    pub fields: Vec<FieldBox>,
}

/// A built preview.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The source as named.
    pub file: String,
    /// The PDF, byte for byte what `brief build` writes.
    pub pdf: Vec<u8>,
    /// Each page's fields.
    pub pages: Vec<PageMap>,
    /// Each field's place in the source: line and column, from 1.
    pub lines: BTreeMap<String, (usize, usize)>,
    /// How long each stage took, in ms: check, frames (render and
    /// layout), pdf, map.
    pub stages: Vec<(&'static str, f64)>,
}

/// Builds `bytes` (the source `file`) as `brief build` does, and maps its
/// pages back to the source, with the warnings of checking and laying out.
/// The problems come located, as `check` prints them.
pub fn preview(
    file: &str,
    bytes: &[u8],
    env: &Env,
    options: &BuildOptions,
) -> Result<Warned<Preview>, Vec<Diagnostic>> {
    let locate = |diags: Vec<Diagnostic>| -> Vec<Diagnostic> {
        diags.into_iter().map(|d| crate::locate(d, bytes)).collect()
    };
    let mut stages = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |stage| {
        stages.push((stage, clock.elapsed().as_secs_f64() * 1000.0));
        clock = std::time::Instant::now();
    };
    let (brief, mut warnings) = crate::check(file, bytes, env)?.into_parts();
    lap("check");
    let framed = crate::frames(file, &brief, env, options).map_err(locate)?.take(&mut warnings);
    lap("frames");
    let pages: Vec<PageMap> = framed.doc.pages.iter().map(page_map).collect();
    let pdf = crate::pdf::write_owned(framed.doc, framed.fonts)
        .map_err(|e| vec![Diagnostic::error(file, format!("cannot write the PDF: {e}"))])?;
    let pdf = match &options.sign {
        Some(signer) => crate::sign::sign(&pdf, signer).map_err(|d| vec![d])?,
        None => pdf,
    };
    lap("pdf");
    let index = crate::source::load(file, bytes).ok().map(|l| l.index);
    let mut lines = BTreeMap::new();
    if let Some(index) = &index {
        for field in pages.iter().flat_map(|p| &p.fields) {
            if !lines.contains_key(&field.path)
                && let Some(span) = index.value(&field.path)
            {
                lines.insert(field.path.clone(), (span.line, span.col));
            }
        }
    }
    lap("map");
    Ok(Warned::with(Preview { file: file.to_string(), pdf, pages, lines, stages }, warnings))
}

/// The fields of a page, tags and artifacts looked through.
pub(crate) fn page_map(page: &Page) -> PageMap {
    let mut fields = Vec::new();
    for item in page.leaves() {
        if let Item::Field { x, y, w, h, path } = item {
            fields.push(FieldBox { x: *x, y: *y, w: *w, h: *h, path: path.clone() });
        }
    }
    PageMap { width: page.width, height: page.height, fields }
}

impl Preview {
    /// The page's data as JSON: the map, the source lines, the editor link.
    pub(crate) fn map_json(&self, editor: Option<(String, bool)>) -> Value {
        let round = |v: f32| (v * 10.0).round() / 10.0;
        let pages: Vec<Value> = self
            .pages
            .iter()
            .map(|p| {
                let fields: Vec<Value> = p
                    .fields
                    .iter()
                    .map(|f| json!([round(f.x), round(f.y), round(f.w), round(f.h), f.path]))
                    .collect();
                json!({"w": round(p.width), "h": round(p.height), "fields": fields})
            })
            .collect();
        let lines: serde_json::Map<String, Value> =
            self.lines.iter().map(|(k, (l, c))| (k.clone(), json!([l, c]))).collect();
        let (editor, post) = match editor {
            Some((link, post)) => (Some(link), post),
            None => (None, false),
        };
        json!({
            "file": self.file,
            "pages": pages,
            "lines": lines,
            "editor": editor,
            "editor_post": post,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> (Vec<u8>, Env) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/briefs/az-kg-2021-07-05.yaml");
        let today = chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap_or_default();
        (std::fs::read(path).unwrap_or_default(), Env::fixed(today, Some(1_625_097_600)))
    }

    fn strip(items: &mut Vec<Item>) {
        items.retain(|i| !matches!(i, Item::Field { .. }));
        for item in items {
            if let Item::Tagged { items, .. } | Item::Artifact { items, .. } = item {
                strip(items);
            }
        }
    }

    #[test]
    fn the_map_is_data_the_pdf_leaves_out() {
        let (bytes, env) = example();
        let options = BuildOptions::default();
        let checked = crate::check("brief.yaml", &bytes, &env).unwrap();
        let framed = crate::frames("brief.yaml", &checked.value, &env, &options).unwrap().value;
        let mut bare = framed.doc.clone();
        bare.pages.iter_mut().for_each(|p| strip(&mut p.items));
        assert_ne!(bare, framed.doc, "the example's pages carry field boxes");
        let with = crate::pdf::write_owned(framed.doc, framed.fonts).unwrap();
        let without = crate::pdf::write_owned(bare, framed.fonts).unwrap();
        assert!(with == without, "field boxes change no byte of the PDF");
        let preview = preview("brief.yaml", &bytes, &env, &options).unwrap().value;
        let built = crate::build("brief.yaml", &bytes, &env, &options).unwrap().value;
        assert!(preview.pdf == built.pdf, "the preview is the PDF build writes");
    }

    #[test]
    fn every_key_message_leads_to_its_line() {
        let (bytes, env) = example();
        let preview = preview("brief.yaml", &bytes, &env, &BuildOptions::default()).unwrap().value;
        let text = String::from_utf8_lossy(&bytes);
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let boxes: Vec<&FieldBox> = preview.pages.iter().flat_map(|p| &p.fields).collect();
        for (i, start) in [
            "Azerbaijan welcomes",
            "The joint intergovernmental",
            "Azerbaijan is ready",
            "Azerbaijan will complete",
        ]
        .iter()
        .enumerate()
        {
            let path = format!("key_messages[{i}]");
            assert!(boxes.iter().any(|b| b.path == path && b.w > 20.0), "{path} is on a page");
            assert_eq!(preview.lines.get(&path).map(|l| l.0), Some(line_of(start)), "{path}");
        }
        assert_eq!(preview.lines.get("brief.title").map(|l| l.0), Some(line_of("  title:")));
    }

    #[test]
    fn charts_and_running_lines_lead_to_their_fields() {
        let (bytes, env) = example();
        let preview = preview("brief.yaml", &bytes, &env, &BuildOptions::default()).unwrap().value;
        let text = String::from_utf8_lossy(&bytes);
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let boxes = |path: &str| -> Vec<&FieldBox> {
            preview.pages.iter().flat_map(|p| &p.fields).filter(|f| f.path == path).collect()
        };
        // The two charts side by side: each its own box, as wide as a chart.
        let (a, b) = (boxes("figures[0]"), boxes("figures[1]"));
        assert_eq!((a.len(), b.len()), (1, 1), "{:?}", preview.pages);
        let (a, b) = (a[0], b[0]);
        assert!(a.w > 150.0 && a.h > 100.0 && a.x + a.w <= b.x, "{a:?} {b:?}");
        assert_eq!(
            preview.lines.get("figures[0]").map(|l| l.0),
            Some(line_of("- id: trade-turnover"))
        );
        assert_eq!(
            preview.lines.get("figures[1]").map(|l| l.0),
            Some(line_of("- id: trade-jan-may"))
        );
        // The marking at the head and foot of every page, and the reference line.
        let marking = boxes("brief.classification");
        assert_eq!(marking.len(), 2 * preview.pages.len(), "{marking:?}");
        assert!(marking.iter().any(|f| f.y < 50.0) && marking.iter().any(|f| f.y > 780.0));
        assert_eq!(
            preview.lines.get("brief.classification").map(|l| l.0),
            Some(line_of("  classification:"))
        );
        assert_eq!(boxes("brief.reference").len(), preview.pages.len());
    }
}
