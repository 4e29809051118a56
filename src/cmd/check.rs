//! `brief check`: check every source named and report every problem.

use std::path::PathBuf;

use brief::config::Overrides;
use brief::{BuildOptions, Env};

use crate::report::Reporter;
use crate::{INVALID, OK, sources};

pub(crate) fn run(paths: &[PathBuf], env: &Env, report: &Reporter) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    // The template each brief would be built with (brief.toml's folders and
    // default), for what only its theme decides: which markings are known.
    let config = match super::config::for_sources(paths, &Overrides::default(), report) {
        Ok(c) => c,
        Err(c) => return c,
    };
    let options = BuildOptions {
        default_template: config.template().unwrap_or_default(),
        template_dirs: config.template_dirs.value.clone(),
        ..BuildOptions::default()
    };
    for path in &found.files {
        match super::load(path, env, report) {
            Ok(loaded) => {
                let brief = &loaded.checked.brief;
                let marked = brief::template_for(&loaded.name, brief, &options)
                    .and_then(|t| brief::check_marking(&loaded.name, brief, &t));
                match marked {
                    Ok(()) => report.note(&format!("ok: {}", loaded.name)),
                    Err(d) => {
                        report.diag(&brief::locate(d, &loaded.bytes));
                        code = code.max(INVALID);
                    }
                }
            }
            Err(c) => code = code.max(c),
        }
    }
    code
}
