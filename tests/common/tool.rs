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
