//! Chart tests: every kind and the awkward inputs stay inside their box, keep
//! their texts, never overlap text, and draw identically twice; plus a PDF
//! rendering and a timing loop, both `#[ignore]`d, for looking and measuring.

use super::{ChartStyle, draw};
use brief_core::figure::{ChartKind, Figure, Series};
use brief_core::frame::{Document, Item, Page, Path, Rgb, Seg};
use brief_core::text::FontBook;

/// A bounding box: x0, y0, x1, y1.
type BBox = (f32, f32, f32, f32);
/// A chart box: x, y, width, height.
type Frame = (f32, f32, f32, f32);
/// An edge case: its name and how to build it for a kind.
type Case<'a> = (&'static str, Box<dyn Fn(ChartKind) -> Figure + 'a>);

fn figure(kind: ChartKind, categories: &[&str], series: &[(&str, &[Option<f64>])]) -> Figure {
    Figure {
        id: "test".into(),
        title: format!("{kind:?} chart: what the numbers say"),
        kind,
        unit: Some("EUR million".into()),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        series: series
            .iter()
            .map(|(n, v)| Series { name: n.to_string(), values: v.to_vec() })
            .collect(),
        source: Some("Ministry of Finance; own calculations".into()),
        note: Some("Preliminary data for the latest year.".into()),
        alt: None,
        data: None,
    }
}

fn some(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().map(|v| Some(*v)).collect()
}

fn months(n: usize) -> Vec<String> {
    const M: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    (0..n).map(|i| format!("{} {}", M[i % 12], 2023 + i / 12)).collect()
}

/// Every chart the tests and the rendering use, with a name.
fn samples() -> Vec<(&'static str, Figure)> {
    use ChartKind::*;
    let cats5 = ["2020", "2021", "2022", "2023", "2024"];
    let long = [
        "Агентство по развитию инвестиций",
        "Министерство экономики и коммерции",
        "Health and social protection",
        "Education",
        "Государственная налоговая служба при Министерстве финансов",
        "Defence",
        "Transport and communications infrastructure",
        "Other",
    ];
    let m24 = months(24);
    let m24: Vec<&str> = m24.iter().map(String::as_str).collect();
    let wave = |k: f64| -> Vec<Option<f64>> {
        (0..24)
            .map(|i| {
                if i == 7 || (k > 1.0 && i == 15) {
                    None
                } else {
                    Some(100.0 + k * 12.0 + (i as f64 * 0.7 + k).sin() * 20.0)
                }
            })
            .collect()
    };
    let countries: Vec<String> = (0..24).map(|i| format!("Страна номер {}", i + 1)).collect();
    let countries: Vec<&str> = countries.iter().map(String::as_str).collect();
    let vals24: Vec<Option<f64>> = (0..24).map(|i| Some(1000.0 + 250.0 * i as f64)).collect();
    let mut out = vec![
        (
            "bar",
            figure(Bar, &cats5, &[("Revenue", &some(&[1200.0, 1350.5, 1100.0, 1480.0, 1525.0]))]),
        ),
        (
            "bar-multi",
            figure(
                Bar,
                &["North", "South", "East", "West"],
                &[
                    ("2022", &[Some(12.0), Some(-4.5), Some(7.25), None]),
                    ("2023", &some(&[14.0, -2.0, 8.0, 3.0])),
                    ("2024", &some(&[15.5, 1.0, 9.0, 4.0])),
                ],
            ),
        ),
        (
            "hbar",
            figure(
                Hbar,
                &long,
                &[("Budget", &some(&[120.0, 85.0, 430.0, 390.0, 60.0, 210.0, 175.0, 40.0]))],
            ),
        ),
        (
            "hbar-multi",
            figure(
                Hbar,
                &["Wages", "Goods and services", "Interest", "Transfers"],
                &[
                    ("Plan", &some(&[420.0, 180.0, 95.0, 260.0])),
                    ("Outturn", &[Some(410.0), Some(195.0), None, Some(240.0)]),
                ],
            ),
        ),
        (
            "line",
            figure(
                Line,
                &m24,
                &[("Exports", &wave(1.0)), ("Imports", &wave(2.0)), ("Balance", &wave(3.0))],
            ),
        ),
        (
            "line-legend",
            figure(
                Line,
                &cats5,
                &[
                    ("Consumer prices, all items", &some(&[2.1, 3.4, 8.9, 6.1, 3.2])),
                    ("Food and non-alcoholic beverages", &some(&[3.0, 4.1, 12.5, 7.7, 2.9])),
                    ("Energy", &some(&[-1.5, 9.0, 25.0, 4.0, -2.0])),
                    ("Services", &some(&[1.8, 2.2, 4.3, 5.0, 4.1])),
                ],
            ),
        ),
        (
            "area",
            figure(
                Area,
                &m24[..12],
                &[("Tourists", &wave(1.0)[..12]), ("Residents", &wave(3.0)[..12])],
            ),
        ),
        (
            "stacked",
            figure(
                Stacked,
                &["Q1", "Q2", "Q3", "Q4", "Q1 25", "Q2 25"],
                &[
                    ("Households", &some(&[1.2, 1.5, 1.1, 0.9, 1.4, 1.6])),
                    (
                        "Government",
                        &[Some(0.5), Some(-0.3), Some(0.4), None, Some(-0.6), Some(0.2)],
                    ),
                    ("Net exports", &some(&[-0.4, -0.8, 0.3, -1.1, 0.2, -0.5])),
                ],
            ),
        ),
        (
            "pie",
            figure(
                Pie,
                &["Income tax", "VAT", "Customs duties", "Excise", "Other", "Grants", "Loss"],
                &[(
                    "Revenue",
                    &[Some(35.0), Some(41.0), Some(9.5), Some(6.0), None, Some(0.3), Some(-2.0)],
                )],
            ),
        ),
        ("bar-24-long-cyrillic", figure(Bar, &countries, &[("Value", &vals24)])),
        ("line-24-months", figure(Line, &m24, &[("Index", &wave(1.0))])),
        ("bar-billions", {
            let mut f =
                figure(Bar, &cats5, &[("Exports", &some(&[1.2e9, 2.45e9, 3.1e9, 2.8e9, 3.35e9]))]);
            f.unit = Some("USD".into());
            f
        }),
        (
            "bar-long-labels",
            figure(
                Bar,
                &long,
                &[("Budget", &some(&[120.0, 85.0, 430.0, 390.0, 60.0, 210.0, 175.0, 40.0]))],
            ),
        ),
    ];
    out.extend(edge_cases());
    out
}

/// Inputs that must draw something sensible without panicking.
fn edge_cases() -> Vec<(&'static str, Figure)> {
    use ChartKind::*;
    let none: &[Option<f64>] = &[None, None, None];
    let names: Vec<String> = (1..=10).map(|i| format!("Series {i}")).collect();
    let rows: Vec<Vec<Option<f64>>> = (0..10).map(|i| vec![Some(i as f64), Some(1.0)]).collect();
    let many: Vec<(&str, &[Option<f64>])> =
        names.iter().zip(&rows).map(|(n, r)| (n.as_str(), r.as_slice())).collect();
    let cases: Vec<Case> = vec![
        ("all-none", Box::new(|k| figure(k, &["A", "B", "C"], &[("S", none), ("T", none)]))),
        ("one-category", Box::new(|k| figure(k, &["Only"], &[("S", &[Some(42.0)])]))),
        (
            "single-value",
            Box::new(|k| figure(k, &["A", "B", "C"], &[("S", &[None, Some(7.0), None])])),
        ),
        (
            "all-negative",
            Box::new(|k| figure(k, &["A", "B", "C"], &[("S", &some(&[-3.0, -12.5, -0.4]))])),
        ),
        (
            "tiny-to-huge",
            Box::new(|k| figure(k, &["A", "B", "C"], &[("S", &some(&[0.001, 5e5, 1e9]))])),
        ),
        ("zeros", Box::new(|k| figure(k, &["A", "B"], &[("S", &some(&[0.0, 0.0]))]))),
        ("no-categories", Box::new(|k| figure(k, &[], &[("S", &[])]))),
        ("no-series", Box::new(|k| figure(k, &["A"], &[]))),
        ("many-series", Box::new(|k| figure(k, &["A", "B"], &many))),
    ];
    let mut out = Vec::new();
    for (name, make) in &cases {
        out.extend([Bar, Hbar, Line, Area, Stacked, Pie].map(|kind| (*name, make(kind))));
    }
    let mut bare = figure(Bar, &["A", "B"], &[("S", &some(&[1.0, 2.0]))]);
    (bare.unit, bare.source, bare.note) = (None, None, None);
    out.push(("bare", bare));
    out
}

/// Boxes of `items`, with strokes and rotation taken into account.
fn boxes(fonts: &FontBook, items: &[Item], out: &mut Vec<BBox>) {
    for item in items {
        match item {
            Item::Path(p) => out.extend(path_box(p)),
            Item::Text(t) => {
                let (a, d) = (fonts.ascender(t.font, t.size), fonts.descender(t.font, t.size));
                out.push((t.x, t.y - a, t.x + t.width(), t.y - d));
            }
            Item::Link { x, y, w, h, .. } | Item::GoTo { x, y, w, h, .. } => {
                out.push((*x, *y, x + w, y + h))
            }
            Item::Field { .. } => {}
            Item::Rotated { x, y, degrees, items } => {
                let mut inner = Vec::new();
                boxes(fonts, items, &mut inner);
                out.extend(inner.into_iter().map(|b| rotate_box(b, *x, *y, *degrees)));
            }
            Item::Tagged { items, .. } | Item::Artifact { items, .. } => boxes(fonts, items, out),
        }
    }
}

fn path_box(p: &Path) -> Option<BBox> {
    let mut pts: Vec<(f32, f32)> = Vec::new();
    for s in &p.segs {
        match *s {
            Seg::Move(x, y) | Seg::Line(x, y) => pts.push((x, y)),
            // Sampled: the control points of an arc lie outside the circle.
            Seg::Cubic(a, b, c, d, e, f) => {
                let (x0, y0) = pts.last().copied().unwrap_or((a, b));
                pts.extend((1..=32).map(|i| {
                    let t = i as f32 / 32.0;
                    let u = 1.0 - t;
                    let bez = |p0: f32, p1: f32, p2: f32, p3: f32| {
                        u * u * u * p0
                            + 3.0 * u * u * t * p1
                            + 3.0 * u * t * t * p2
                            + t * t * t * p3
                    };
                    (bez(x0, a, c, e), bez(y0, b, d, f))
                }));
            }
            Seg::Close => {}
        }
    }
    let pad = p.stroke.as_ref().map_or(0.0, |s| s.width / 2.0);
    let b = pts.iter().fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |b, &(x, y)| {
        (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y))
    });
    (!pts.is_empty()).then_some((b.0 - pad, b.1 - pad, b.2 + pad, b.3 + pad))
}

/// The box around `b` turned counter-clockwise on the page (y down) about (cx, cy).
fn rotate_box(b: BBox, cx: f32, cy: f32, degrees: f32) -> BBox {
    let (s, c) = degrees.to_radians().sin_cos();
    let corners = [(b.0, b.1), (b.2, b.1), (b.0, b.3), (b.2, b.3)];
    corners.iter().fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |acc, &(x, y)| {
        let (dx, dy) = (x - cx, y - cy);
        let (rx, ry) = (cx + dx * c + dy * s, cy - dx * s + dy * c);
        (acc.0.min(rx), acc.1.min(ry), acc.2.max(rx), acc.3.max(ry))
    })
}

/// Every text in `items`, rotated ones included.
fn texts(items: &[Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Text(t) => out.push(t.text()),
            Item::Rotated { items, .. } => texts(items, out),
            _ => {}
        }
    }
}

/// Ink boxes of the unrotated text runs (cap height plus accents above the
/// baseline, descenders below), to check for overlaps.
fn text_boxes(items: &[Item]) -> Vec<(String, BBox)> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Text(t) => {
                Some((t.text(), (t.x, t.y - 0.85 * t.size, t.x + t.width(), t.y + 0.25 * t.size)))
            }
            _ => None,
        })
        .collect()
}

/// Draws `fig` into a box and checks the invariants every chart must keep.
fn check(name: &str, fig: &Figure, w: f32, h: f32) -> Vec<Item> {
    let fonts = FontBook::builtin();
    let style = ChartStyle::default();
    let (x, y) = (40.0, 70.0);
    let items = draw(fig, &style, fonts, x, y, w, h);
    assert!(items == draw(fig, &style, fonts, x, y, w, h), "{name}: not deterministic");
    assert!(!format!("{items:?}").contains("NaN"), "{name}: NaN in output");
    let mut all = Vec::new();
    boxes(fonts, &items, &mut all);
    const EPS: f32 = 0.05;
    for b in &all {
        assert!(
            b.0 >= x - EPS && b.1 >= y - EPS && b.2 <= x + w + EPS && b.3 <= y + h + EPS,
            "{name}: {b:?} leaves the box"
        );
    }
    // Runs may touch but must not cover each other.
    let tb = text_boxes(&items);
    for (i, (ta, a)) in tb.iter().enumerate() {
        for (tb_, b) in &tb[i + 1..] {
            let overlap_x = a.2.min(b.2) - a.0.max(b.0);
            let overlap_y = a.3.min(b.3) - a.1.max(b.1);
            assert!(
                overlap_x <= 0.3 || overlap_y <= 0.3,
                "{name}: {ta:?} {a:?} overlaps {tb_:?} {b:?}"
            );
        }
    }
    let mut found = Vec::new();
    texts(&items, &mut found);
    let title = fig.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if h >= 150.0 && !title.is_empty() {
        assert!(
            found.iter().any(|t| !t.is_empty() && title.starts_with(t.trim_end_matches('…'))),
            "{name}: no title in {found:?}"
        );
    }
    items
}

fn joined_texts(items: &[Item]) -> String {
    let mut found = Vec::new();
    texts(items, &mut found);
    found.join(" ")
}

#[test]
fn every_sample_keeps_the_invariants() {
    for (name, fig) in samples() {
        for (w, h) in [
            (480.0, 300.0),
            (495.0, 330.0),
            (240.0, 220.0),
            (240.0, 200.0),
            (160.0, 130.0),
            (160.0, 120.0),
        ] {
            check(name, &fig, w, h);
        }
    }
}

#[test]
fn tiny_and_degenerate_boxes_do_not_panic() {
    let fonts = FontBook::builtin();
    let style = ChartStyle::default();
    for (name, fig) in samples() {
        for (w, h) in
            [(40.0, 30.0), (10.0, 500.0), (500.0, 10.0), (0.0, 0.0), (-5.0, 20.0), (f32::NAN, 10.0)]
        {
            let items = draw(&fig, &style, fonts, 0.0, 0.0, w, h);
            if w > 0.0 && h > 0.0 {
                check(name, &fig, w, h);
            } else {
                assert!(items.is_empty(), "{name}");
            }
        }
    }
}

#[test]
fn short_categories_and_series_names_are_present() {
    for (name, fig) in samples().into_iter().filter(|(n, _)| {
        ["bar", "bar-multi", "hbar-multi", "stacked", "area", "line-legend"].contains(n)
    }) {
        let items = check(name, &fig, 480.0, 300.0);
        let all = joined_texts(&items);
        // Twelve months in 480 pt are thinned, by design.
        for c in fig.categories.iter().filter(|_| name != "area") {
            assert!(all.contains(c.as_str()), "{name}: category {c:?} missing from {all}");
        }
        for s in fig.series.iter().filter(|_| fig.series.len() > 1) {
            assert!(all.contains(s.name.as_str()), "{name}: series {:?} missing", s.name);
        }
        assert!(all.contains("Source: Ministry"), "{name}: source line missing");
        assert!(all.contains("Note: Preliminary"), "{name}: note line missing");
    }
}

#[test]
fn long_labels_are_wrapped_rotated_or_thinned_not_lost() {
    for (name, fig) in samples() {
        if !name.starts_with("bar-24")
            && !name.starts_with("bar-long")
            && !name.starts_with("line-24")
            && name != "hbar"
        {
            continue;
        }
        let items = check(name, &fig, 480.0, 300.0);
        let all = joined_texts(&items);
        // The first category is always labelled (possibly shortened or wrapped).
        let first_word = fig.categories[0].split_whitespace().next().unwrap();
        assert!(all.contains(first_word), "{name}: {first_word} missing in {all}");
    }
}

/// The outline of a marker, moved to its centre and scaled to its size, so
/// the same kind of marker gives the same outline at any place and radius.
fn marker_shape(p: &Path) -> String {
    let (x0, y0, x1, y1) = path_box(&Path { stroke: None, ..p.clone() }).unwrap_or_default();
    let (cx, cy, r) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0, ((x1 - x0).max(y1 - y0) / 2.0).max(1e-3));
    let at = |x: f32, y: f32| format!("{:.1} {:.1}", (x - cx) / r, (y - cy) / r);
    let segs: Vec<String> = p
        .segs
        .iter()
        .map(|s| match *s {
            Seg::Move(x, y) => format!("M{}", at(x, y)),
            Seg::Line(x, y) => format!("L{}", at(x, y)),
            Seg::Cubic(_, _, _, _, x, y) => format!("C{}", at(x, y)),
            Seg::Close => "Z".into(),
        })
        .collect();
    segs.join(" ")
}

/// Per series colour: the distinct dash patterns of its series lines and the
/// distinct outlines of its markers (filled, ringed in white), in the order
/// the colours first appear.
type Cues = Vec<(Rgb, Vec<Vec<f32>>, Vec<String>)>;

fn series_cues(items: &[Item]) -> Cues {
    let mut out: Cues = Vec::new();
    for item in items {
        let Item::Path(p) = item else { continue };
        let (color, dash, shape) = match (&p.fill, &p.stroke) {
            (None, Some(s)) if s.width > 1.5 => (s.color, Some(s.dash.clone()), None),
            (Some(fill), Some(s)) if s.color == Rgb::WHITE && p.segs.len() > 3 => {
                (*fill, None, Some(marker_shape(p)))
            }
            _ => continue,
        };
        let i = out.iter().position(|e| e.0 == color).unwrap_or_else(|| {
            out.push((color, Vec::new(), Vec::new()));
            out.len() - 1
        });
        let (_, dashes, markers) = &mut out[i];
        dashes.extend(dash.filter(|d| !dashes.contains(d)));
        markers.extend(shape.filter(|m| !markers.contains(m)));
    }
    out
}

#[test]
fn line_series_differ_by_dash_and_marker() {
    // "line" labels its series directly, "line-legend" has legend swatches too.
    for name in ["line", "line-legend"] {
        let (_, fig) = samples().into_iter().find(|(n, _)| *n == name).unwrap();
        let cues = series_cues(&check(name, &fig, 480.0, 300.0));
        assert_eq!(cues.len(), fig.series.len(), "{name}: one colour per series: {cues:?}");
        for (color, dashes, markers) in &cues {
            assert_eq!(dashes.len(), 1, "{name}: {color:?} has dashes {dashes:?}");
            assert_eq!(markers.len(), 1, "{name}: {color:?} has markers {markers:?}");
        }
        for (i, a) in cues.iter().enumerate() {
            for b in &cues[i + 1..] {
                assert_ne!(a.1, b.1, "{name}: {:?} and {:?} share a dash", a.0, b.0);
                assert_ne!(a.2, b.2, "{name}: {:?} and {:?} share a marker", a.0, b.0);
            }
        }
    }
}

#[test]
fn pie_labels_show_percentages_and_skip_unplottable_values() {
    let (_, fig) = samples().into_iter().find(|(n, _)| *n == "pie").unwrap();
    let items = check("pie", &fig, 480.0, 300.0);
    let all = joined_texts(&items);
    assert!(all.contains("VAT") && all.contains('%'), "{all}");
    assert!(all.contains("<1%"), "{all}");
    assert!(all.contains("Not shown: no data for Other; negative values for Loss"), "{all}");
}

#[test]
fn missing_values_are_explained() {
    let (_, fig) = samples().into_iter().find(|(n, _)| *n == "bar-multi").unwrap();
    let all = joined_texts(&check("bar-multi", &fig, 480.0, 300.0));
    assert!(all.contains("n/a"), "{all}");
}

/// A small deterministic generator, so the random test is reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.next() as usize % items.len()]
    }
}

#[test]
fn random_figures_keep_the_invariants() {
    let mut rng = Lcg(7);
    let words =
        ["", " ", "A", "Δ€£", "2024", "Кыргызстан", "very long category name indeed", "😀", "x\ny"];
    let values = [0.0, 1.0, -1.0, 0.5, 1e-9, 3.3e7, -2.5e9, 1e15, -1e300, 1e300, 42.0, f64::MAX];
    let kinds = ChartKind::ALL;
    for round in 0..400 {
        let n = rng.next() as usize % 30;
        let k = rng.next() as usize % 5;
        let categories: Vec<String> = (0..n).map(|i| format!("{}{i}", rng.pick(&words))).collect();
        let series =
            (0..k)
                .map(|s| Series {
                    name: format!("{} {s}", rng.pick(&words)),
                    values: (0..n)
                        .map(|_| {
                            if rng.next().is_multiple_of(5) {
                                None
                            } else {
                                Some(*rng.pick(&values))
                            }
                        })
                        .collect(),
                })
                .collect();
        let fig = Figure {
            id: "r".into(),
            title: rng.pick(&words).to_string(),
            kind: *rng.pick(&kinds),
            unit: Some(rng.pick(&words).to_string()),
            categories,
            series,
            source: Some(rng.pick(&words).repeat(3)),
            note: None,
            alt: None,
            data: None,
        };
        let w = 60.0 + (rng.next() % 500) as f32;
        let h = 40.0 + (rng.next() % 400) as f32;
        check(&format!("random {round}"), &fig, w, h);
    }
}

/// A page per sample chart in three sizes, then the edge cases six to a page,
/// each chart box outlined; written to `path` for review
/// (`pdftoppm -r 70 -png /tmp/charts.pdf /tmp/chart`).
pub(crate) fn render_samples(path: &str) {
    let all = samples();
    let (main, edges) = all.split_at(all.len() - edge_cases().len());
    let mut pages: Vec<Page> = main
        .iter()
        .map(|(name, fig)| {
            let boxes = [
                (50.0, 50.0, 495.0, 330.0),
                (50.0, 420.0, 240.0, 220.0),
                (310.0, 420.0, 160.0, 130.0),
            ];
            sample_page(name, &boxes.iter().map(|b| (fig, *b)).collect::<Vec<_>>())
        })
        .collect();
    for chunk in edges.chunks(6) {
        let grid: Vec<(&Figure, Frame)> = chunk
            .iter()
            .enumerate()
            .map(|(i, (_, fig))| {
                (fig, (40.0 + 265.0 * (i % 2) as f32, 40.0 + 250.0 * (i / 2) as f32, 250.0, 230.0))
            })
            .collect();
        let names: Vec<&str> = chunk.iter().map(|(n, _)| *n).collect();
        pages.push(sample_page(&names.join(", "), &grid));
    }
    let doc = Document { pages, ..Document::default() };
    let bytes = brief_pdf::write(&doc, FontBook::builtin()).expect("pdf");
    std::fs::write(path, bytes).expect("write pdf");
}

/// One A4 page with `charts` drawn in their boxes and `name` at the foot.
fn sample_page(name: &str, charts: &[(&Figure, Frame)]) -> Page {
    let fonts = FontBook::builtin();
    let style = ChartStyle::default();
    let mut items = Vec::new();
    for (fig, (x, y, w, h)) in charts {
        items.push(Item::Path(Path::rect(*x, *y, *w, *h).stroked(Rgb(230, 200, 200), 0.3)));
        items.extend(draw(fig, &style, fonts, *x, *y, *w, *h));
    }
    let font = brief_core::frame::FontStyle::Regular;
    let glyphs = fonts.shape(font, 8.0, name);
    items.push(Item::Text(brief_core::frame::TextRun {
        x: 50.0,
        y: 815.0,
        font,
        size: 8.0,
        color: Rgb(150, 150, 150),
        glyphs,
    }));
    Page { width: 595.28, height: 841.89, items }
}

#[test]
#[ignore = "writes /tmp/charts.pdf for visual review"]
fn render_samples_to_pdf() {
    render_samples("/tmp/charts.pdf");
}

#[test]
fn chart_notes_and_marks_are_in_the_briefs_language() {
    let style = ChartStyle::in_language(&brief_core::document::Formats::of("de"));
    let fonts = FontBook::builtin();
    let drawn = |name: &str| {
        let (_, fig) = samples().into_iter().find(|(n, _)| *n == name).unwrap();
        joined_texts(&draw(&fig, &style, fonts, 40.0, 70.0, 480.0, 300.0))
    };
    let pie = drawn("pie");
    assert!(pie.contains("Nicht dargestellt: keine Daten für Other"), "{pie}");
    assert!(pie.contains("negative Werte für Loss"), "{pie}");
    let bars = drawn("bar-multi");
    assert!(bars.contains("k.\u{a0}A.") && !bars.contains("n/a"), "{bars}");
    assert!(bars.contains("fehlen die Balken"), "{bars}");
    for english in ["Not shown", "no data", "missing", "Gaps"] {
        assert!(!pie.contains(english) && !bars.contains(english), "{english}");
    }
}

#[test]
fn bar_labels_show_the_values_as_written_where_they_fit_and_rounded_where_not() {
    let fig = figure(
        ChartKind::Bar,
        &["2024", "2025"],
        &[("Portuguese exports to Brazil", &some(&[1710.0, 1745.25]))],
    );
    let found = {
        let mut t = Vec::new();
        texts(&check("as written", &fig, 460.0, 230.0), &mut t);
        t
    };
    assert!(found.iter().any(|t| t == "1,710"), "{found:?}");
    assert!(found.iter().any(|t| t == "1,745.25"), "{found:?}");
    // Eight pairs of bars in a narrow box: no room for 1,745.25, so the
    // labels round alike (three significant digits) or are left out.
    let categories: Vec<String> = (2018..2026).map(|y| y.to_string()).collect();
    let cats: Vec<&str> = categories.iter().map(String::as_str).collect();
    let values = some(&[1710.0, 1745.25, 1702.5, 1699.0, 1710.0, 1745.25, 1702.5, 1699.0]);
    let narrow = figure(ChartKind::Bar, &cats, &[("A", &values), ("B", &values)]);
    let mut t = Vec::new();
    texts(&check("narrow", &narrow, 180.0, 150.0), &mut t);
    assert!(!t.iter().any(|t| t == "1,745.25"), "{t:?}");
}
