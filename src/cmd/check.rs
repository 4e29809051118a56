//! `brief check`: check every source named and report every problem.

use std::path::PathBuf;

use brief::{Env, check};

use crate::report::Reporter;
use crate::{INVALID, OK, read, sources};

pub(crate) fn run(paths: &[PathBuf], env: &Env, report: &Reporter) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    for path in &found.files {
        let name = path.display().to_string();
        let bytes = match read(path) {
            Ok(b) => b,
            Err((d, c)) => {
                report.diag(&d);
                code = code.max(c);
                continue;
            }
        };
        match check(&name, &bytes, env) {
            Ok(checked) => {
                report.diags(&checked.warnings);
                report.note(&format!("ok: {name}"));
            }
            Err(diags) => {
                report.diags(&diags);
                code = code.max(INVALID);
            }
        }
    }
    code
}
