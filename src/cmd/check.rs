//! `brief check`: check every source named and report every problem.

use std::path::PathBuf;

use brief::Env;

use crate::report::Reporter;
use crate::{INVALID, OK, sources};

pub(crate) fn run(paths: &[PathBuf], env: &Env, report: &Reporter) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    for path in &found.files {
        match super::load(path, env, report) {
            Ok(loaded) => report.note(&format!("ok: {}", loaded.name)),
            Err(c) => code = code.max(c),
        }
    }
    code
}
