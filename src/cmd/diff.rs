//! `brief diff OLD NEW`: what changed between two versions, by meaning.
//! Exit 0 when they say the same, 1 when they differ, 2 on trouble, as `diff`.

use std::io::Write;

use brief::Env;
use brief::diag::Diagnostic;
use brief::diff::origin::{self, Origin};
use brief::diff::{self, wording};

use crate::cli::{DiffArgs, DiffFormat};
use crate::{INVALID, OK, Reporter, TROUBLE};

/// Runs `brief diff`.
pub fn run(args: &DiffArgs, env: &Env, report: &Reporter) -> u8 {
    let new = match origin::read(&args.new, env) {
        Ok(v) => v,
        Err(diags) => return trouble(&diags, report),
    };
    let old = match origin::load(&Origin::parse(&args.old), &args.new, env) {
        Ok(Some(v)) => v,
        Ok(None) => {
            let d = Diagnostic::error(
                args.new.display().to_string(),
                format!("this file did not exist at {}", args.old),
            )
            .hint("the brief is new since that revision: there is nothing to compare with");
            return trouble(&[d], report);
        }
        Err(diags) => return trouble(&diags, report),
    };
    let changes = diff::diff_values(&old.value, &new.value);
    let text = match args.format {
        DiffFormat::Human => for_terminal(&wording::human(&changes)),
        DiffFormat::Json => {
            let json = serde_json::json!({
                "old": old.name,
                "new": new.name,
                "same": changes.is_empty(),
                "changes": changes.changes,
            });
            json_for_terminal(&format!("{json:#}\n"))
        }
    };
    // A closed pipe (`brief diff … | head`) is not trouble.
    let _ = std::io::stdout().write_all(text.as_bytes());
    if changes.is_empty() { OK } else { INVALID }
}

/// Text for a terminal: a control character (C0 but tab and line feed, DEL,
/// C1) or a bidirectional override is shown as `\u{…}`, never sent raw, so
/// a brief's text can neither move the cursor nor reorder what is shown.
pub(crate) fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = brief::escape::is_direction_control(c);
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON for a terminal: what serde_json leaves raw but a terminal obeys
/// (DEL, C1 controls, bidirectional overrides) written as `\uXXXX`, which
/// is still the same JSON.
fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let bidi = brief::escape::is_direction_control(c);
        if (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || bidi {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn trouble(diags: &[Diagnostic], report: &Reporter) -> u8 {
    report.diags(diags);
    TROUBLE
}
