//! `brief book`: read the sources, bind them with [`brief::book`], write the
//! book atomically, or name every brief that stops it.

use brief::Env;
use brief::book::{Options, bind};
use brief::diag::Diagnostic;
use brief::render::Template;
use brief::style;

use crate::cli::{BookArgs, Paper};
use crate::{INVALID, OK, Reporter, TROUBLE};

/// Who writes books, in the state file: any book may replace another.
const BOOK_WRITER: &str = "brief book";

/// Runs `brief book`.
pub fn run(args: &BookArgs, env: &Env, report: &Reporter) -> u8 {
    // The key is read first: a wrong password fails before any work.
    let signer = match super::verify::signer(&args.sign) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    let found = match crate::sources(&args.sources, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if !found.failed.is_empty() {
        report.diags(&found.failed);
        report.note("no book written: every brief must build");
        return TROUBLE;
    }
    // The one check every written file goes through, before any work.
    let mut outputs = vec![(args.output.clone(), "book")];
    if args.eml {
        outputs.push((args.output.with_extension("eml"), "book's email"));
    }
    let mut inputs = found.files.clone();
    if let Some(dir) = &args.template {
        inputs.extend(brief::render::folder::files(dir));
    }
    if let Err(d) = brief::batch::check_outputs(&outputs, &inputs) {
        return report.fail(&d);
    }
    // The settings, before any work: the principal's time zone, and for
    // the email the sender (never invented) and the policy (see `brief config`).
    let overrides = brief::config::Overrides {
        from: args.from.clone(),
        policy: args.policy.clone(),
        time_zone: args.time_zone.clone(),
        ..Default::default()
    };
    let config = match super::config::for_sources(&args.sources, &overrides, report) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let time_zone = config.book_time_zone.value.clone();
    let (from, policy) = if args.eml {
        let policy = match super::config::policy(&config, report) {
            Ok(p) => p,
            Err(code) => return code,
        };
        match config.from.value {
            Some(from) => (from, policy),
            None => return report.fail(&brief::engine::no_sender()),
        }
    } else {
        (String::new(), None)
    };
    let mut sources = Vec::new();
    for path in &found.files {
        match crate::read(path) {
            Ok(bytes) => sources.push((path.display().to_string(), bytes)),
            Err((d, code)) => {
                report.diag(&d);
                report.note("no book written: every brief must build");
                return code;
            }
        }
    }
    let template = match &args.template {
        Some(dir) => match Template::from_dir(dir) {
            Ok(t) => t,
            Err(d) => return report.fail(&d),
        },
        None => match Template::builtin(&args.product) {
            Some(t) => t,
            None => return report.fail(&Diagnostic::error(&args.product, "no such product")),
        },
    };
    let options = Options {
        title: args.title.clone(),
        template: Some(template),
        paper: args.paper.map(|p| match p {
            Paper::A4 => style::A4,
            Paper::Letter => style::LETTER,
        }),
        language: args.language.clone(),
        since_revision: args.changes_since.clone(),
        mark_uncleared: args.eml && args.allow_draft,
        time_zone,
    };
    let (mut book, warnings) = match bind(&sources, env, &options) {
        Ok(b) => b.into_parts(),
        Err(diags) => {
            // Grouped by file, so each brief's problems read together.
            let mut files: Vec<&str> = Vec::new();
            for d in &diags {
                if !files.contains(&d.file.as_str()) {
                    files.push(&d.file);
                }
            }
            for file in files {
                let mine: Vec<Diagnostic> =
                    diags.iter().filter(|d| d.file == file).cloned().collect();
                report.diags(&mine);
            }
            let bad: std::collections::BTreeSet<&str> =
                diags.iter().filter(|d| d.is_error()).map(|d| d.file.as_str()).collect();
            let names: Vec<&str> = bad.into_iter().collect();
            report.note(&format!("no book written: {} stopped it", names.join(", ")));
            return INVALID;
        }
    };
    warnings.iter().for_each(|w| report.diag(w));
    let to: Vec<String> =
        args.to.iter().flat_map(|list| brief::mail::address::split_list(list)).collect();
    if args.eml {
        let refusals = mail_refusals(&book, &to, policy.as_ref(), args, signer.is_some());
        if !refusals.is_empty() {
            report.diags(&refusals);
            report.note("no book written: its email may not go out");
            return INVALID;
        }
    }
    // Signed before the email is made, so the message carries the signed book.
    if let Some(signer) = signer {
        match brief::sign::sign(&book.pdf, &signer) {
            Ok(pdf) => book.pdf = pdf,
            Err(d) => return report.fail(&d),
        }
    }
    // The message is made before anything is written: never a book without
    // the email asked for, nor an email for a book that is not there.
    let eml = if args.eml {
        let name =
            args.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match brief::book::mail::message(&book, &name, &to, book.created, &from) {
            Ok(m) => Some(m),
            Err(d) => {
                report.diag(&d);
                report.note("no book written: the email cannot be made");
                return INVALID;
            }
        }
    } else {
        None
    };
    // Who wrote what is there is checked once the briefs are known to bind,
    // so a bad brief is reported first, and again as each file is renamed.
    let dir = brief::batch::folder_of(&args.output);
    let known = match brief::batch::State::read_or_force(&dir, args.force) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    for (output, _) in &outputs {
        if let Err(d) = known.may_replace(output, BOOK_WRITER, "book", args.force) {
            return report.fail(&d);
        }
    }
    let mut state = brief::batch::State::default();
    let mut files = vec![(args.output.clone(), book.pdf.as_slice())];
    if let Some(m) = &eml {
        files.push((args.output.with_extension("eml"), m.as_slice()));
    }
    for (path, bytes) in files {
        let record = brief::batch::Record::made_by(BOOK_WRITER, "book", bytes);
        if let Err(d) = brief::batch::write_output(&path, bytes, &record, args.force, None) {
            let _ = state.save(&dir);
            return report.fail(&d);
        }
        state.record(&path, record);
    }
    if let Err(d) = state.save(&dir) {
        return report.fail(&d);
    }
    report.note(&format!(
        "wrote {}: {} briefs, {} pages, {} KB",
        args.output.display(),
        book.entries.len(),
        book.pages,
        book.pdf.len().div_ceil(1024)
    ));
    OK
}

/// Why the book's email may not be written: each brief no one cleared
/// (unless `--allow-draft`), each recipient the policy or its floor refuses,
/// a signature the policy requires and `--sign` does not give.
fn mail_refusals(
    book: &brief::book::Book,
    to: &[String],
    policy: Option<&brief::mail::policy::Policy>,
    args: &BookArgs,
    signed: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !args.allow_draft {
        for e in book.entries.iter().filter(|e| !e.brief.cleared()) {
            let why = brief::mail::uncleared(&e.brief).unwrap_or_default();
            out.push(Diagnostic::error(&e.file, format!("not mailed: {why}")));
        }
    }
    match brief::book::mail::decide(book, to, policy) {
        Ok(decision) => {
            let name = if to.is_empty() { "brief book" } else { "--to" };
            out.extend(decision.diagnostics(name));
            if let Some(rule) = decision.signed.as_ref().filter(|_| !signed && !decision.refuses())
            {
                out.push(
                    Diagnostic::error(
                        "brief book",
                        format!("{rule}: the book must be signed to be mailed"),
                    )
                    .hint("bind it with --sign KEY.p12 (or --sign-key and --sign-cert)"),
                );
            }
        }
        Err(d) => out.push(d),
    }
    out
}
