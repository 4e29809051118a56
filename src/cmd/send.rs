//! `brief send`: each brief's PDF to its distribution list, over SMTP.

use std::path::Path;

use brief::Env;
use brief::batch::{self, State};
use brief::config::{Config, Overrides};
use brief::diag::Diagnostic;
use brief::mail::{self, MessageOptions, SmtpOptions};

use crate::cli::SendArgs;
use crate::{INVALID, OK, Reporter};

/// Sends every brief named; a refused brief or recipient never stops the rest.
pub fn run(args: &SendArgs, env: &Env, report: &Reporter) -> u8 {
    let found = match crate::sources(&args.sources, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let unreadable = if found.failed.is_empty() { OK } else { INVALID };
    let config = match super::config::for_sources(&args.sources, &overrides(args), report) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let args = &SendArgs { output: Some(config.output.value.clone()), ..args.clone() };
    let smtp = match smtp_options(args, &config) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    let Some(from) =
        config.from.value.clone().or_else(|| args.dry_run.then(|| mail::DEFAULT_FROM.to_string()))
    else {
        let d = Diagnostic::error("brief send", "no sender address").hint(
            "pass --from \"Desk <desk@example.gov>\", set BRIEF_SMTP_FROM, or set `from` under [email] in brief.toml",
        );
        return report.fail(&d);
    };
    found.files.iter().map(|s| one(s, args, &from, &smtp, env, report)).fold(unreadable, u8::max)
}

/// What the command line says, to override the environment and `brief.toml`.
fn overrides(args: &SendArgs) -> Overrides {
    Overrides {
        output: args.output.clone(),
        from: args.from.clone(),
        server: args.server.clone(),
        port: args.port,
        security: args.security.clone(),
        ..Overrides::default()
    }
}

fn smtp_options(args: &SendArgs, config: &Config) -> Result<SmtpOptions, Diagnostic> {
    let mut smtp = SmtpOptions::new(config.server.value.clone(), config.security.value);
    if let Some(port) = config.port.value {
        smtp.port = port;
    }
    smtp.user = args.user.clone();
    if let Some(path) = &args.ca_file {
        smtp.root_certificate = Some(read_ca(path)?);
        smtp.check_tls().map_err(|e| {
            Diagnostic::error(path.display().to_string(), e)
                .expected("the certificate authority's certificate, in PEM")
                .hint("from DER: openssl x509 -inform der -in CA.crt -out CA.pem")
        })?;
    }
    smtp.password = std::env::var("BRIEF_SMTP_PASSWORD").ok().filter(|p| !p.is_empty());
    // Never fall back to sending without the login that was asked for.
    match (&smtp.user, &smtp.password) {
        (Some(user), None) => Err(Diagnostic::error(
            "--user",
            format!("a user name (`{user}`) but no password: BRIEF_SMTP_PASSWORD is not set"),
        )
        .hint("set BRIEF_SMTP_PASSWORD, or leave out --user (and BRIEF_SMTP_USER) to send without logging in")),
        (None, Some(_)) => Err(Diagnostic::error(
            "BRIEF_SMTP_PASSWORD",
            "a password but no user name to log in with",
        )
        .hint("pass --user (or set BRIEF_SMTP_USER), or unset BRIEF_SMTP_PASSWORD")),
        _ => Ok(smtp),
    }
}

/// Certificate authority files (a whole system bundle is about 200 KB) are
/// read up to this size.
const MAX_CA_BYTES: u64 = 4 << 20;

/// The `--ca-file`, a regular file of at most [`MAX_CA_BYTES`].
fn read_ca(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let name = path.display().to_string();
    let fail = |e: std::io::Error| {
        Diagnostic::error(&name, format!("cannot read the --ca-file ({e})"))
            .hint("name the PEM file of your organisation's certificate authority")
    };
    // Checked before opening too: opening a named pipe blocks.
    let regular = |meta: std::fs::Metadata| {
        meta.is_file()
            .then_some(())
            .ok_or_else(|| Diagnostic::error(&name, "the --ca-file is not a regular file"))
    };
    regular(std::fs::metadata(path).map_err(fail)?)?;
    let file = std::fs::File::open(path).map_err(fail)?;
    regular(file.metadata().map_err(fail)?)?;
    let mut pem = Vec::new();
    file.take(MAX_CA_BYTES + 1).read_to_end(&mut pem).map_err(fail)?;
    if pem.len() as u64 > MAX_CA_BYTES {
        let msg = format!("the --ca-file is larger than {} MiB", MAX_CA_BYTES >> 20);
        return Err(Diagnostic::error(&name, msg));
    }
    Ok(pem)
}

fn one(
    source: &Path,
    args: &SendArgs,
    from: &str,
    smtp: &SmtpOptions,
    env: &Env,
    report: &Reporter,
) -> u8 {
    let super::Loaded { name, bytes, checked } = match super::load(source, env, report) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let brief = checked.brief;
    let (file_name, pdf_path, pdf) =
        match attachment(source, &bytes, args.output.as_deref().unwrap_or(Path::new("out"))) {
            Ok(found) => found,
            Err(d) => {
                report.diag(&d);
                return INVALID;
            }
        };
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(pdf_time), Some(src_time)) = (modified(&pdf_path), modified(source))
        && let Some(why) = mail::refuse_reason(&brief, pdf_time, src_time, args.allow_draft)
    {
        report.diag(&Diagnostic::error(&name, format!("not sent: {why}")));
        return INVALID;
    }
    if let Some(warning) = mail::size_warning(pdf.len(), args.max_mb * 1024 * 1024) {
        report.diag(&Diagnostic::warning(pdf_path.display().to_string(), warning));
    }
    let options = MessageOptions {
        from: from.to_string(),
        date: env.created_for(brief.brief.date),
        unsent: false,
        ..MessageOptions::default()
    };
    let built = mail::message(&brief, &pdf, &file_name, &options)
        .and_then(|m| Ok((m, mail::envelope(&brief, &options)?)));
    let (message, envelope) = match built {
        Ok(x) => x,
        Err(e) => {
            report.diag(
                &Diagnostic::error(&name, format!("cannot make the message: {e}"))
                    .path("distribution"),
            );
            return INVALID;
        }
    };
    if args.dry_run {
        let kb = message.len() as f64 / 1024.0;
        report.note(&format!(
            "would send {file_name} ({kb:.1} KB) to {}",
            envelope.recipients.join(", ")
        ));
        return OK;
    }
    let sent = mail::send(&message, &envelope, smtp);
    for d in &sent.deliveries {
        match &d.error {
            None => report.note(&format!("sent {file_name} to {}", d.recipient)),
            Some(e) if d.unknown => report
                .diag(&Diagnostic::error(&name, format!("{file_name} to {}: {e}", d.recipient))),
            Some(e) => report
                .diag(&Diagnostic::error(&name, format!("not delivered to {}: {e}", d.recipient))),
        }
    }
    // Exit 1 when any recipient was missed, even all of them (the README's
    // "some build failed"); 2 is kept for usage and file errors.
    if sent.all_ok() { OK } else { INVALID }
}

/// The PDF built from this very source: found through the output folder's
/// state file, which records the source and digest of every PDF written, and
/// attached only when its bytes are the ones recorded. A PDF is never taken
/// for a brief's because its name matches: another brief may have written it.
fn attachment(
    source: &Path,
    bytes: &[u8],
    out: &Path,
) -> Result<(String, std::path::PathBuf, Vec<u8>), Diagnostic> {
    let name = source.display().to_string();
    let hint = || format!("build it first: brief build {name} -o {}", out.display());
    let state = State::read(out)?;
    let id = batch::source_id(source);
    let recorded: Vec<_> = state.written_by(&id).filter(|(_, r)| r.product.is_none()).collect();
    if recorded.is_empty() {
        let msg = format!(
            "no PDF built from this source is recorded in {}",
            out.join(batch::STATE_FILE).display()
        );
        return Err(Diagnostic::error(&name, msg).hint(hint()));
    }
    let digest = batch::sha256(bytes);
    let current: Vec<_> = recorded.iter().filter(|(_, r)| r.source_sha256 == digest).collect();
    if current.is_empty() {
        let msg = "not sent: the source changed since its PDF was built";
        return Err(Diagnostic::error(&name, msg).hint(hint()));
    }
    let mut problem = None;
    for (file, record) in current {
        let path = out.join(file);
        // Compared in pieces first: only the file recorded is read whole.
        let read = batch::sha256_file(&path).and_then(|sha| {
            if sha == record.sha256 { std::fs::read(&path) } else { Ok(Vec::new()) }
        });
        match read {
            Ok(pdf) if batch::sha256(&pdf) == record.sha256 => {
                return Ok((file.to_string(), path, pdf));
            }
            Ok(_) => {
                let msg = format!(
                    "not sent: {} was replaced since it was built from this source (its SHA-256 differs)",
                    path.display()
                );
                problem = Some(Diagnostic::error(&name, msg));
            }
            Err(e) => {
                let msg = format!("cannot read the PDF {} ({e})", path.display());
                problem = Some(Diagnostic::error(&name, msg));
            }
        }
    }
    Err(problem.unwrap_or_else(|| Diagnostic::error(&name, "no PDF")).hint(hint()))
}
