//! `brief new`: write a commented starter brief.

use std::path::Path;

use brief::diag::Diagnostic;

use crate::OK;
use crate::report::Reporter;

const STARTER: &str = include_str!("../../templates/starter.yaml");

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
    match brief::batch::write_atomic(file, STARTER.as_bytes()) {
        Ok(()) => {
            report.note(&format!("wrote {}", file.display()));
            OK
        }
        Err(d) => report.fail(&d),
    }
}
