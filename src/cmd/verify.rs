//! `brief verify`, and reading the signer that `build --sign` and `book --sign` use.

use std::path::PathBuf;

use brief::diag::{Diagnostic, escape};
use brief::sign::{Signer, Verdict};

use crate::cli::SignArgs;
use crate::{INVALID, OK, Reporter, TROUBLE};

/// The environment variable holding the PKCS#12 password.
const PASSWORD: &str = "BRIEF_SIGN_PASSWORD";

/// The signer the flags name, if any: a PKCS#12 file (password from
/// `BRIEF_SIGN_PASSWORD`) or PEM key and certificate files.
pub(crate) fn signer(args: &SignArgs) -> Result<Option<Signer>, Diagnostic> {
    if let Some(p12) = &args.sign {
        let password = std::env::var(PASSWORD).map_err(|_| {
            Diagnostic::error(p12.display().to_string(), format!("{PASSWORD} is not set")).hint(
                format!("set {PASSWORD} to the PKCS#12 file's password (empty if it has none)"),
            )
        })?;
        return Signer::from_p12(p12, &password).map(Some);
    }
    match (&args.sign_key, &args.sign_cert) {
        (Some(key), Some(cert)) => Signer::from_pem(key, cert).map(Some),
        _ => Ok(None),
    }
}

/// Runs `brief verify`: a line per signature on stdout; 0 when every file is
/// validly signed, 1 when one is not, 2 when one cannot be read.
pub(crate) fn run(files: &[PathBuf], report: &Reporter) -> u8 {
    let mut code = OK;
    let mut out = String::new();
    for path in files {
        let name = escape(&path.display().to_string());
        let found = match brief::sign::verify::verify_file(path) {
            Ok(r) => r,
            Err(d) => {
                report.diag(&d);
                code = TROUBLE;
                continue;
            }
        };
        let verdict = found.verdict();
        let word = if verdict == Verdict::Valid { "valid" } else { "INVALID" };
        out.push_str(&format!("{name}: {word}\n"));
        if found.signatures.is_empty() {
            out.push_str("  no signature\n");
        }
        for (i, s) in found.signatures.iter().enumerate() {
            let n = i + 1;
            let time = s.time.as_deref().map(escape).unwrap_or_else(|| "no time (/M)".into());
            match (&s.problem, &s.signer) {
                (Some(p), _) => out.push_str(&format!("  signature {n}: BROKEN: {}\n", escape(p))),
                (None, Some(who)) => {
                    out.push_str(&format!(
                        "  signature {n}: intact, signed by {}, at {time}\n",
                        escape(who)
                    ));
                }
                (None, None) => out.push_str(&format!("  signature {n}: intact\n")),
            }
            let covers = if s.end() == found.len {
                format!("the whole file ({} bytes) but its own signature", found.len)
            } else {
                format!("bytes 0 to {} of {}", s.end(), found.len)
            };
            out.push_str(&format!("    covers {covers}\n"));
        }
        if let Some(tail) = &found.appended {
            out.push_str(&format!("  NOT COVERED: {}\n", escape(tail)));
        }
        match &found.source {
            None => {}
            Some(Ok(())) => out.push_str(&format!(
                "  embedded source {}: inside the signed range\n",
                brief::pdf::embed::NAME
            )),
            Some(Err(e)) => out.push_str(&format!(
                "  embedded source {}: {}\n",
                brief::pdf::embed::NAME,
                escape(e)
            )),
        }
        if verdict == Verdict::Invalid && code == OK {
            code = INVALID;
        }
    }
    crate::print(&out);
    code
}
