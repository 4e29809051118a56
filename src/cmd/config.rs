//! `brief config`, and the settings of every command that reads `brief.toml`
//! (see [`brief::config`]): found from the sources' folder, with this
//! process's environment.

use std::path::{Path, PathBuf};

use brief::config::{self, Config, Overrides};
use brief::diag::escape;

use crate::{OK, Reporter, TROUBLE};

/// The settings for the sources `paths` names (files or folders): the one
/// `brief.toml` above them all, the environment and `overrides`. A bad
/// setting is reported here; `Err` is the exit code.
pub(crate) fn for_sources(
    paths: &[PathBuf],
    overrides: &Overrides,
    report: &Reporter,
) -> Result<Config, u8> {
    let files = brief::collect_sources(paths).map(|s| s.files).unwrap_or_default();
    let file = if files.is_empty() {
        // No source found (yet): the folder named, so `brief config` and an
        // empty batch agree with a later one.
        let folder = match paths.first() {
            Some(p) if p.is_dir() => p.clone(),
            Some(p) => config::folder_of(p),
            None => PathBuf::from("."),
        };
        config::find(&folder)
    } else {
        config::shared(&files).map_err(|d| report.fail(&d))?
    };
    resolve(file.as_deref(), overrides, report)
}

fn resolve(file: Option<&Path>, overrides: &Overrides, report: &Reporter) -> Result<Config, u8> {
    let var = |name: &str| std::env::var(name).ok();
    config::resolve(file, overrides, &var).map_err(|diags| {
        report.diags(&diags);
        TROUBLE
    })
}

/// The distribution policy the settings name, read and checked (every
/// problem reported, located); `Err` is the exit code.
pub(crate) fn policy(
    config: &Config,
    report: &Reporter,
) -> Result<Option<brief::mail::policy::Policy>, u8> {
    let Some(path) = &config.policy.value else { return Ok(None) };
    brief::mail::policy::read(path).map(Some).map_err(|diags| {
        report.diags(&diags);
        TROUBLE
    })
}

/// `brief config [SOURCE]`: every setting, its value and where it came from.
pub(crate) fn run(source: Option<&Path>, report: &Reporter) -> u8 {
    let paths: Vec<PathBuf> = source.into_iter().map(Path::to_path_buf).collect();
    let config = match for_sources(&paths, &Overrides::default(), report) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // The template too: a name that finds nothing is worth knowing now,
    // and worth an exit code a script can see.
    let code = match config.template() {
        Ok(_) => OK,
        Err(d) => {
            report.diag(&d);
            TROUBLE
        }
    };
    let mut out = match &config.file {
        Some(f) => format!("# {}\n", escape(&f.display().to_string())),
        None => format!("# no {} here or above: built-in defaults\n", config::FILE_NAME),
    };
    let entries = config.entries();
    let width = entries.iter().map(|e| e.key.len() + e.value.len() + 3).max().unwrap_or(0);
    for e in &entries {
        let line = format!("{} = {}", e.key, escape(&e.value));
        let origin = escape(&e.origin.to_string());
        out.push_str(&format!("{line:<width$}  # {origin}\n"));
    }
    crate::print(&out);
    code
}
