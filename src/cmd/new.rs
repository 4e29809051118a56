//! `brief new`: write a commented starter brief.

use std::path::Path;

use brief::diag::Diagnostic;

use crate::OK;
use crate::report::Reporter;

pub(crate) const STARTER: &str = include_str!("../../templates/starter.yaml");

/// The schema file the starter's `yaml-language-server` line names.
const SCHEMA_FILE: &str = "brief.schema.json";

/// Writes the starter brief. A symbolic link at `file` counts as a file that
/// exists, even when it dangles, and `--force` replaces the link itself:
/// the starter is never written through a link to wherever it points.
pub(crate) fn run(file: &Path, force: bool, report: &Reporter) -> u8 {
    // Never one of the files brief keeps in a folder (state, lock, temporaries).
    if let Err(d) = brief::batch::check_outputs(&[(file.to_path_buf(), "starter brief")], &[]) {
        return report.fail(&d);
    }
    if std::fs::symlink_metadata(file).is_ok() && !force {
        let d = Diagnostic::error(file.display().to_string(), "file exists")
            .hint("use --force to replace it");
        return report.fail(&d);
    }
    // The language brief.toml sets for the briefs of the file's folder.
    let folder = brief::config::folder_of(file);
    let config = match super::config::for_sources(
        std::slice::from_ref(&folder),
        &Default::default(),
        report,
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let starter = match &config.language.value {
        Some(tag) => with_language(tag),
        None => STARTER.to_string(),
    };
    match brief::batch::write_atomic(file, starter.as_bytes()) {
        Ok(()) => {
            report.note(&format!("wrote {}", file.display()));
            // Its first line points editors (yaml-language-server) at the
            // format's schema beside it.
            let schema = folder.join(SCHEMA_FILE);
            if !schema.exists() {
                report.note(&format!(
                    "for checking as you type: brief schema > {}",
                    schema.display()
                ));
            }
            OK
        }
        Err(d) => report.fail(&d),
    }
}

/// The starter with its `language:` value replaced, the line's comment kept.
/// The tag was checked when brief.toml was read (a supported BCP 47 tag).
fn with_language(tag: &str) -> String {
    let key = "  language: ";
    STARTER
        .lines()
        .map(|line| match line.strip_prefix(key) {
            Some(rest) => {
                let old = rest.split_whitespace().next().unwrap_or_default();
                let rest = rest.replacen(old, &format!("{tag:<width$}", width = old.len()), 1);
                format!("{key}{}\n", rest.trim_end())
            }
            None => format!("{line}\n"),
        })
        .collect()
}
