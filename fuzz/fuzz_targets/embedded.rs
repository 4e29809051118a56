//! Fuzz target: a PDF read back for `--changes-since` and `brief diff`. The
//! first byte chooses what the rest is: a whole PDF, or the embedded
//! `brief-source.json` inside a well-formed PDF (plain or deflated), so both
//! the PDF reader's bounds and the embedded source's validation are reached.
//! Whatever comes in, reading it returns (a version or diagnostics), within
//! the bounds, without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn wrap(json: &[u8], deflate: bool) -> Vec<u8> {
    use std::io::Write;
    let (filter, data) = if deflate {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = z.write_all(json);
        (" /Filter /FlateDecode", z.finish().unwrap_or_default())
    } else {
        ("", json.to_vec())
    };
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(brief-source.json) 3 0 R] >> >> >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        b"<< /Type /Filespec /F (brief-source.json) /EF << /F 4 0 R >> >>".to_vec(),
        [format!("<< /Type /EmbeddedFile{filter} /Length {} >>\nstream\n", data.len()).as_bytes(), &data, b"\nendstream"].concat(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 5\n0000000000 65535 f \n").as_bytes());
    for at in offsets {
        out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let pdf = match mode % 3 {
        0 => [b"%PDF-".as_slice(), rest].concat(),
        1 => wrap(rest, false),
        _ => wrap(rest, true),
    };
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    if let Ok(version) = brief::diff::origin::from_bytes("fuzz.pdf".into(), &pdf, &env) {
        // What is read back is a valid brief: it diffs against itself as nothing.
        assert!(brief::diff::diff_values(&version.value, &version.value).is_empty());
    }
});
