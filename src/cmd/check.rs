//! `brief check`: check every source named and report every problem.

use std::path::{Path, PathBuf};

use brief::config::Overrides;
use brief::{BuildOptions, Env};

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
    let mut template_checked = false;
    for path in &found.files {
        let loaded = match super::load(path, env, report) {
            Ok(loaded) => loaded,
            Err(c) => {
                code = code.max(c);
                continue;
            }
        };
        let brief = &loaded.checked.brief;
        if let Some(dir) = template
            && !template_checked
        {
            // The folder's own problems once, with the first brief rendered.
            template_checked = true;
            let folder = super::templates::check_folder(dir, brief, report);
            code = code.max(folder);
            if folder != OK {
                continue;
            }
        }
        let checked = match template {
            Some(dir) => brief::render::Template::from_dir(dir).and_then(|t| {
                t.render(brief, brief.brief.date)?;
                brief::check_marking(&loaded.name, brief, &t)
            }),
            None => brief::template_for(&loaded.name, brief, &options)
                .and_then(|t| brief::check_marking(&loaded.name, brief, &t)),
        };
        match checked {
            Ok(()) => report.note(&format!("ok: {}", loaded.name)),
            Err(d) => {
                report.diag(&brief::locate(d, &loaded.bytes));
                code = code.max(INVALID);
            }
        }
    }
    code
}
