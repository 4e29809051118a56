//! Reporting to the terminal: diagnostics, notes and the per-file cap.

use brief::diag::Diagnostic;

use crate::TROUBLE;

/// Writes diagnostics and notes to stderr.
pub(crate) struct Reporter {
    pub(crate) color: bool,
    pub(crate) quiet: bool,
}

impl Reporter {
    pub(crate) fn diag(&self, d: &Diagnostic) {
        if d.is_error() || !self.quiet {
            eprint!("{}", d.render(self.color));
        }
    }

    /// One file's diagnostics: the first [`Reporter::SHOWN`], then a count of
    /// the rest, so a source with thousands of mistakes stays readable.
    pub(crate) fn diags(&self, list: &[Diagnostic]) {
        let mut shown: Vec<&Diagnostic> =
            list.iter().filter(|d| d.is_error() || !self.quiet).collect();
        // Errors first, so the cap never hides one behind warnings.
        shown.sort_by_key(|d| !d.is_error());
        shown.iter().take(Self::SHOWN).for_each(|d| self.diag(d));
        if let Some(rest) = shown.get(Self::SHOWN..).filter(|r| !r.is_empty()) {
            let file = brief::diag::escape(&rest[0].file);
            eprintln!("… and {} more problems in {file}; fix these first", rest.len());
        }
    }

    /// Most diagnostics printed for one file.
    const SHOWN: usize = 50;

    pub(crate) fn fail(&self, d: &Diagnostic) -> u8 {
        self.diag(d);
        TROUBLE
    }

    pub(crate) fn note(&self, text: &str) {
        // Notes quote file names and diagnostics (the batch summary), so
        // they are escaped like diagnostics.
        if !self.quiet {
            eprintln!("{}", brief::diag::escape(text));
        }
    }
}
