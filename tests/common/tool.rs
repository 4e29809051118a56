//! Runs a system tool the tests check PDFs with (qpdf, poppler-utils) and returns its output.

use std::process::Command;

/// `name args…`'s standard output; a missing tool or a failure fails the test.
pub fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed ({e}); run tests/run"));
    assert!(o.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The text of each page of `pdf` from one `pdftotext` run (options such as
/// `-layout` in `options`), split on the form feed it ends every page with:
/// one process per PDF, not one per page.
#[allow(dead_code)] // not every test file that runs tools reads pages
pub fn page_texts(pdf: &std::path::Path, options: &[&str]) -> Vec<String> {
    let path = pdf.to_str().expect("a UTF-8 path");
    let args: Vec<&str> = options.iter().copied().chain([path, "-"]).collect();
    let text = tool("pdftotext", &args);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // The last page's form feed leaves an empty tail.
    assert_eq!(pages.pop().as_deref(), Some(""), "{path}: text does not end with a form feed");
    pages
}
