//! `brief check`: check every source named and report every problem.

use std::path::{Path, PathBuf};

use brief::Env;

use crate::report::Reporter;
use crate::{INVALID, OK, sources};

/// Checks every source; with `template`, also the template folder (every
/// problem of it once) and each brief rendered through it.
pub(crate) fn run(paths: &[PathBuf], template: Option<&Path>, env: &Env, report: &Reporter) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    let mut template_checked = false;
    for path in &found.files {
        match super::load(path, env, report) {
            Ok(loaded) => {
                let Some(dir) = template else {
                    report.note(&format!("ok: {}", loaded.name));
                    continue;
                };
                if !template_checked {
                    // The folder's own problems once, with the first brief rendered.
                    template_checked = true;
                    code = code.max(super::templates::check_folder(
                        dir,
                        &loaded.checked.brief,
                        report,
                    ));
                    continue;
                }
                match brief::render::Template::from_dir(dir)
                    .and_then(|t| t.render(&loaded.checked.brief, loaded.checked.brief.brief.date))
                {
                    Ok(_) => report.note(&format!("ok: {}", loaded.name)),
                    Err(d) => {
                        report.diag(&d);
                        code = code.max(INVALID);
                    }
                }
            }
            Err(c) => code = code.max(c),
        }
    }
    code
}
