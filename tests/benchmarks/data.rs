//! Benchmark: what reading a figure's data file adds to a build.
//!
//! Run with `cargo bench --bench data`. Target (issue 29): an XLSX sheet of
//! 1,000 rows read, checked and turned into a figure in under 5 ms. The
//! workbook is written here, the smallest one Excel and calamine accept
//! (stored, not deflated: the figure is calamine's parsing, not inflating).
//! Measured (2 shared cores): 1.5 ms by column names, 1.4 ms by ranges, CSV 0.4 ms.

#[path = "median.rs"]
mod median;
use median::median;
use std::io::Write;

use brief::data::{self, Context, Spec};

const ROWS: usize = 1000;

fn main() {
    let dir = std::env::temp_dir().join(format!("brief-bench-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    std::fs::write(dir.join("long.xlsx"), workbook()).expect("write the workbook");
    let csv: String = std::iter::once("day,value\n".to_string())
        .chain((0..ROWS).map(|i| format!("d{i},{}\n", (i * 37 % 101) as f64 / 7.0)))
        .collect();
    std::fs::write(dir.join("long.csv"), csv).expect("write the CSV");
    for (name, spec) in [
        ("XLSX, 1,000 rows (by column names)", spec("long.xlsx", "Day", "Value")),
        ("XLSX, 1,000 rows (by ranges)", spec("long.xlsx", "A2:A1001", "B2:B1001")),
        ("CSV, 1,000 rows", spec("long.csv", "day", "value")),
    ] {
        let read = || {
            let file = data::open(&dir, &spec.file).expect("opens");
            let d = data::read(&file, &spec, Context { unit: None, language: "en" })
                .unwrap_or_else(|e| panic!("{}", e.render(false)));
            assert_eq!(d.categories.len(), ROWS);
        };
        read();
        let t = median(31, read);
        let goal = if name.starts_with("XLSX") { " (goal < 5 ms)" } else { "" };
        println!("{name:<40} {:>8.2} ms{goal}", t.as_secs_f64() * 1000.0);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn spec(file: &str, categories: &str, values: &str) -> Spec {
    let json = serde_json::json!({
        "file": file, "categories": categories,
        "series": [{"name": "Value", "values": values}],
    });
    serde_json::from_value(json).expect("a data spec")
}

/// One sheet, `Day` and `Value` over `ROWS` rows, shared strings for the text.
fn workbook() -> Vec<u8> {
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Day</t></is></c><c r="B1" t="inlineStr"><is><t>Value</t></is></c></row>"#,
    );
    for i in 0..ROWS {
        let r = i + 2;
        let v = (i * 37 % 101) as f64 / 7.0;
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>d{i}</t></is></c><c r="B{r}"><v>{v}</v></c></row>"#
        ));
    }
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Long" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#)),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).expect("a part");
        zip.write_all(text.as_bytes()).expect("written");
    }
    zip.finish().expect("the workbook").into_inner()
}
