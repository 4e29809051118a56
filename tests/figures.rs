//! Every figure whole: each chart kind, with long labels in Latin, Cyrillic,
//! Arabic and CJK, at full width (a figure alone) and half width (two side
//! by side), reaches the PDF with every word of its title, unit,
//! categories, series names, note and source (read back with `pdftotext`),
//! and with no "…" the source did not write; and every chart of several
//! series shows a filled mark of each series' colour beside its name.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/tool.rs"]
mod tool;

use std::path::{Path, PathBuf};
use std::process::Command;

use brief::charts::ChartStyle;
use brief::frame::{Item, Rgb, Seg, TextRun};

/// The texts of one script's figures.
struct Script {
    code: &'static str,
    title: &'static str,
    unit: &'static str,
    categories: [&'static str; 5],
    series: [&'static str; 3],
    note: &'static str,
    source: &'static str,
}

const SCRIPTS: [Script; 4] = [
    Script {
        code: "latin",
        title: "Bilateral trade by main group of goods, both directions, five latest years",
        unit: "EUR million, current prices",
        categories: [
            "Machinery and mechanical appliances, electrical equipment and parts thereof",
            "Vehicles other than railway or tramway rolling stock",
            "Mineral fuels, mineral oils and products of their distillation",
            "Pharmaceutical products, including vaccines",
            "Pulp of wood, paper and paperboard",
        ],
        series: [
            "Portuguese exports to Brazil (goods, free on board)",
            "Brazilian exports to Portugal (goods, cost insurance freight)",
            "Re-exports through third-country ports of the region",
        ],
        note: "Figures for the latest year are provisional and may be revised upward.",
        source: "Instituto Nacional de Estatística, Comércio Internacional de Bens",
    },
    Script {
        code: "cyrillic",
        title: "Двусторонняя торговля по основным группам товаров за пять последних лет",
        unit: "млн евро в текущих ценах",
        categories: [
            "Машины и механические устройства, электрооборудование и их части",
            "Средства наземного транспорта, кроме железнодорожного",
            "Топливо минеральное, нефть и продукты её перегонки",
            "Фармацевтическая продукция, включая вакцины",
            "Бумага и картон, изделия из бумажной массы",
        ],
        series: [
            "Экспорт первой страны во вторую (товары, ФОБ)",
            "Экспорт второй страны в первую (товары, СИФ)",
            "Реэкспорт через порты третьих стран региона",
        ],
        note: "Данные за последний год предварительные и могут быть пересмотрены.",
        source: "Национальный статистический комитет, внешняя торговля товарами",
    },
    Script {
        code: "arabic",
        title: "حجم التبادل التجاري بين البلدين حسب مجموعات السلع الرئيسية",
        unit: "مليون دولار أمريكي بالأسعار الجارية",
        categories: [
            "الآلات والأجهزة الميكانيكية والمعدات الكهربائية وأجزاؤها",
            "المركبات وقطع غيارها ولوازمها",
            "الوقود المعدني والزيوت المعدنية ومنتجات تقطيرها",
            "المنتجات الصيدلانية بما فيها اللقاحات",
            "الورق والكرتون ومصنوعاتهما",
        ],
        series: [
            "صادرات البلد الأول إلى البلد الثاني",
            "صادرات البلد الثاني إلى البلد الأول",
            "إعادة التصدير عبر الموانئ الإقليمية",
        ],
        note: "البيانات للسنة الأخيرة أولية وقابلة للمراجعة",
        source: "الهيئة الوطنية للإحصاء، التجارة الخارجية للسلع",
    },
    Script {
        code: "cjk",
        title: "两国主要商品类别的双边贸易额（最近五年）",
        unit: "百万美元，按当年价格计算",
        categories: [
            "机械器具及其零件、电气设备及其零件",
            "车辆及其零件和附件，但铁道车辆除外",
            "矿物燃料、矿物油及其蒸馏产品",
            "药品，包括疫苗",
            "纸及纸板；纸浆、纸或纸板制品",
        ],
        series: [
            "第一国对第二国的出口（离岸价）",
            "第二国对第一国的出口（到岸价）",
            "经地区港口的转口贸易",
        ],
        note: "最近一年的数据为初步数据，可能修订。",
        source: "国家统计局对外贸易统计",
    },
];

const KINDS: [&str; 6] = ["bar", "hbar", "line", "area", "stacked", "pie"];

/// A figure of `kind` in `script`, as YAML (JSON strings are YAML strings).
fn figure_yaml(script: &Script, kind: &str, id: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let series = if kind == "pie" { &script.series[..1] } else { &script.series[..] };
    let mut out = format!(
        "  - id: {id}\n    title: {}\n    kind: {kind}\n    unit: {}\n    categories: [{}]\n    series:\n",
        q(script.title),
        q(script.unit),
        script.categories.map(q).join(", ")
    );
    for (j, name) in series.iter().enumerate() {
        let values: Vec<String> = (0..5).map(|i| format!("{}", 12 + 7 * i + 5 * j)).collect();
        out += &format!("      - name: {}\n        values: [{}]\n", q(name), values.join(", "));
    }
    out += &format!("    note: {}\n    source: {}\n", q(script.note), q(script.source));
    out
}

/// The example brief with `figures` in place of its own.
fn brief_with(figures: &str) -> String {
    let example =
        std::fs::read_to_string(cli::root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let (head, rest) = example.split_once("\nfigures:\n").expect("the example has figures");
    let (_, tail) = rest.split_once("\nrisks:").expect("risks follow the figures");
    format!("{head}\nfigures:\n{figures}\nrisks:{tail}")
}

/// Sources: every kind alone (full width), and all kinds of a script in a
/// row (paired, half width); as (name, path).
fn sources(dir: &Path) -> Vec<(String, PathBuf)> {
    std::fs::create_dir_all(dir).unwrap();
    let mut out = Vec::new();
    for script in &SCRIPTS {
        for kind in KINDS {
            let name = format!("{}-{kind}-full", script.code);
            let path = dir.join(format!("{name}.yaml"));
            std::fs::write(&path, brief_with(&figure_yaml(script, kind, "f"))).unwrap();
            out.push((name, path));
        }
        let all: String = KINDS.iter().map(|k| figure_yaml(script, k, &format!("f-{k}"))).collect();
        let name = format!("{}-half", script.code);
        let path = dir.join(format!("{name}.yaml"));
        std::fs::write(&path, brief_with(&all)).unwrap();
        out.push((name, path));
    }
    out
}

/// Bidirectional controls pdftotext wraps right-to-left runs in.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn every_word_of_every_figure_reaches_the_page_in_every_script_and_width() {
    let dir = cli::scratch("words");
    let bin = env!("CARGO_BIN_EXE_brief");
    let mut failures = Vec::new();
    for (name, source) in sources(&dir) {
        let pdf = dir.join(format!("{name}.pdf"));
        let out = Command::new(bin)
            .args(["build", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "0")
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        // Content-stream order keeps a wrapped label's lines together, and
        // two charts side by side apart.
        let text = tool::tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
        if text.contains('…') {
            failures.push(format!("{name}: an ellipsis the source did not write"));
        }
        let haystack: String =
            text.chars().filter(|c| !c.is_whitespace() && !is_bidi_control(*c)).collect();
        let script = SCRIPTS.iter().find(|s| name.starts_with(s.code)).unwrap();
        // A pie shows its first series.
        let series = if name.contains("-pie-") { &script.series[..1] } else { &script.series };
        let texts = [script.title, script.unit, script.note, script.source]
            .into_iter()
            .chain(script.categories)
            .chain(series.iter().copied());
        for field in texts {
            for word in field.split_whitespace() {
                // Punctuation may move to the other end of a right-to-left word.
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                if !word.is_empty() && !haystack.contains(word) {
                    failures.push(format!("{name}: {word:?} of {field:?} is not on the page"));
                }
            }
        }
    }
    if std::env::var_os("KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(failures.is_empty(), "{} missing:\n{}", failures.len(), failures.join("\n"));
}

/// Text runs and filled paths of a page, whatever they are nested in.
fn collect<'a>(items: &'a [Item], runs: &mut Vec<&'a TextRun>, fills: &mut Vec<(Rgb, [f32; 4])>) {
    for item in items {
        match item {
            Item::Text(run) => runs.push(run),
            Item::Path(p) => {
                let Some(color) = p.fill else { continue };
                let points = p.segs.iter().filter_map(|s| match *s {
                    Seg::Move(x, y) | Seg::Line(x, y) | Seg::Cubic(_, _, _, _, x, y) => {
                        Some((x, y))
                    }
                    Seg::Close => None,
                });
                let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
                for (x, y) in points {
                    b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                }
                if b[0] <= b[2] {
                    fills.push((color, b));
                }
            }
            Item::Tagged { items, .. } | Item::Artifact { items, .. } => {
                collect(items, runs, fills)
            }
            _ => {}
        }
    }
}

/// Whether a filled mark of `color` sits beside `run`: on its line, its near
/// edge within a few points of the text's start or end (right-to-left pages
/// set the swatch on the right; a line swatch's filled mark is its marker,
/// in the middle of a 20-point line).
fn swatch_beside(run: &TextRun, color: Rgb, fills: &[(Rgb, [f32; 4])]) -> bool {
    let (left, right) = (run.x, run.x + run.width());
    let (top, bottom) = (run.y - run.size, run.y + run.size * 0.3);
    fills.iter().any(|(c, b)| {
        let middle = (b[1] + b[3]) / 2.0;
        let size_ok = b[2] - b[0] <= 24.0 && b[3] - b[1] <= 12.0;
        let near = (left - b[2] >= -0.5 && left - b[2] <= 14.0)
            || (b[0] - right >= -0.5 && b[0] - right <= 14.0);
        *c == color && size_ok && near && middle >= top && middle <= bottom
    })
}

#[test]
fn every_series_name_has_a_swatch_of_its_colour_beside_it() {
    let dir = cli::scratch("swatches");
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut sources = sources(&dir);
    // And more series than the palette has colours, with long names.
    let many: Vec<String> = (0..24)
        .map(|i| format!("Exports of machinery and mechanical appliances to partner number {i}"))
        .collect();
    let mut fig = String::from(
        "  - id: many\n    title: Twenty-four series\n    kind: line\n    categories: [\"2021\", \"2022\", \"2023\"]\n    series:\n",
    );
    for (i, name) in many.iter().enumerate() {
        fig += &format!("      - name: {name}\n        values: [{i}, {}, {}]\n", i + 1, i + 2);
    }
    for (width, figures) in
        [("full", fig.clone()), ("half", format!("{fig}{}", fig.replace("id: many", "id: many-2")))]
    {
        let path = dir.join(format!("many-{width}.yaml"));
        std::fs::write(&path, brief_with(&figures)).unwrap();
        sources.push((format!("many-{width}"), path));
    }
    for (name, source) in sources {
        let bytes = std::fs::read(&source).unwrap();
        let checked_brief =
            brief::check(&name, &bytes, &env).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let template = brief::render::Template::builtin("briefing-note").unwrap();
        let inputs = brief::render::Inputs { today: env.today, created: 0, paper: None };
        let rendered = brief::render::render(&template, &checked_brief.value, &inputs).unwrap();
        let fonts = env.fonts.for_language(&checked_brief.value.brief.language);
        let doc = brief::layout::layout(&rendered, fonts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let palette = ChartStyle::for_page(&rendered.style, &rendered.formats).palette;
        let (mut runs, mut fills) = (Vec::new(), Vec::new());
        for page in &doc.pages {
            collect(&page.items, &mut runs, &mut fills);
        }
        for fig in rendered.figures.iter().filter(|f| f.series.len() > 1) {
            for (i, series) in fig.series.iter().enumerate() {
                let color = palette[i % palette.len()];
                // The name, or the first line of it where it wraps.
                // A right-to-left run holds its glyphs in visual order.
                let found = runs.iter().any(|r| {
                    let reversed: String = r.glyphs.iter().rev().map(|g| g.text.as_str()).collect();
                    [r.text(), reversed]
                        .iter()
                        .any(|t| !t.trim().is_empty() && series.name.starts_with(t.trim()))
                        && swatch_beside(r, color, &fills)
                });
                checked += 1;
                if !found {
                    failures
                        .push(format!("{name}, {}: no swatch beside {:?}", fig.id, series.name));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(checked >= 4 * 5 * 3 * 2 + 48, "only {checked} series names checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
