//! One file per subcommand that has more to it than a call into the library.

pub(crate) mod book;
pub(crate) mod build;
pub(crate) mod charts;
pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod languages;
pub(crate) mod man;
pub(crate) mod new;
pub(crate) mod review;
pub(crate) mod send;
pub(crate) mod serve;
pub(crate) mod templates;
pub(crate) mod verify;

use std::path::Path;

use brief::Env;
use brief::model::Brief;

use crate::{INVALID, Reporter};

/// A source read and checked: what `check`, `charts` and `send` start from.
pub(crate) struct Loaded {
    /// The path as named, for diagnostics.
    pub(crate) name: String,
    /// The source's bytes.
    pub(crate) bytes: Vec<u8>,
    /// The validated brief (its warnings already reported).
    pub(crate) brief: Brief,
    /// How many of those warnings are numbers typed in the text that
    /// contradict their figure: `check --strict-figures` fails on them.
    pub(crate) contradicting: usize,
}

/// Reads and checks one source and reports what it found, warnings too, so
/// no command leaves them out; `Err` is the exit code (1 invalid, 2 unreadable).
pub(crate) fn load(path: &Path, env: &Env, report: &Reporter) -> Result<Loaded, u8> {
    let name = path.display().to_string();
    let bytes = crate::read(path).map_err(|(d, code)| {
        report.diag(&d);
        code
    })?;
    match brief::check(&name, &bytes, env) {
        Ok(checked) => {
            let (brief, warnings) = checked.into_parts();
            report.diags(&warnings);
            let contradicting =
                warnings.iter().filter(|w| w.message.contains(brief::model::CONTRADICTS)).count();
            Ok(Loaded { name, bytes, brief, contradicting })
        }
        Err(diags) => {
            report.diags(&diags);
            Err(INVALID)
        }
    }
}
