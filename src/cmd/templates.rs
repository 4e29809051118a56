//! `brief templates`: list the built-in templates, export one as a folder
//! to make the house's own, and check a template folder.

use std::path::Path;

use brief::Env;
use brief::diag::Diagnostic;

use crate::report::Reporter;
use crate::{INVALID, OK};

/// Lists the built-in templates with their descriptions.
pub(crate) fn list() -> String {
    brief::render::builtin_list().iter().map(|(n, d)| format!("{n:<16} {d}\n")).collect()
}

/// Writes built-in template `name` into `dir`: every file is new, or
/// replaced with `--force`; nothing is written when one would be refused.
pub(crate) fn export(name: &str, dir: &Path, force: bool, report: &Reporter) -> u8 {
    let Some(files) = brief::render::export(name) else {
        let names: Vec<&str> = brief::render::builtin_names().collect();
        let mut d = Diagnostic::error(name, format!("no built-in template `{name}`"))
            .expected(names.join(", "));
        if let Some(like) = brief::diag::did_you_mean(name, names.iter().copied()) {
            d = d.hint(format!("did you mean `{like}`?"));
        }
        return report.fail(&d);
    };
    let paths: Vec<_> = files.iter().map(|(rel, _)| dir.join(rel)).collect();
    let existing = paths.iter().find(|p| std::fs::symlink_metadata(p).is_ok());
    if let (false, Some(there)) = (force, existing) {
        let d = Diagnostic::error(there.display().to_string(), "file exists")
            .hint("export into a new folder, or use --force to replace the template's files");
        return report.fail(&d);
    }
    for (path, (_, text)) in paths.iter().zip(&files) {
        let parent = path.parent().unwrap_or(dir);
        if let Err(e) = std::fs::create_dir_all(parent) {
            let d = Diagnostic::error(
                parent.display().to_string(),
                format!("cannot make the folder ({e})"),
            );
            return report.fail(&d);
        }
        // Without --force each file is created new, so an export racing
        // another into the same folder fails rather than replacing its files.
        let written = if force {
            brief::batch::write_atomic(path, text.as_bytes())
        } else {
            brief::batch::write_new(path, text.as_bytes())
        };
        if let Err(d) = written {
            let d = if force { d } else { d.hint("export into a new folder, or use --force") };
            return report.fail(&d);
        }
    }
    report.note(&format!(
        "wrote {} ({}): edit theme.yaml, main.md and locales/en.yaml, then `brief templates check {}`",
        dir.display(),
        files.iter().map(|(rel, _)| rel.as_str()).collect::<Vec<_>>().join(", "),
        dir.display()
    ));
    OK
}

/// Reports every problem of template folder `dir`, rendering `sample` (a
/// briefing source; the starter brief when none) through it.
pub(crate) fn check(dir: &Path, sample: Option<&Path>, env: &Env, report: &Reporter) -> u8 {
    let brief = match sample {
        Some(path) => match super::load(path, env, report) {
            Ok(loaded) => loaded.brief,
            Err(code) => return code,
        },
        None => match brief::check("starter brief", super::new::STARTER.as_bytes(), env) {
            Ok(checked) => checked.value,
            Err(all) => {
                all.iter().for_each(|d| report.diag(d));
                return INVALID;
            }
        },
    };
    check_folder(dir, &brief, report)
}

/// Every problem of `dir` with `brief` rendered through it, reported; the exit code.
pub(crate) fn check_folder(dir: &Path, brief: &brief::model::Brief, report: &Reporter) -> u8 {
    let found = brief::render::Template::check_dir(dir, brief);
    found.iter().for_each(|d| report.diag(d));
    if found.is_empty() {
        report.note(&format!("ok: template {}", dir.display()));
        OK
    } else {
        INVALID
    }
}
