//! `brief send`: each brief's PDF to its distribution list, over SMTP.

use std::path::Path;

use brief::Env;
use brief::batch::{self, State};
use brief::config::{Config, Overrides};
use brief::diag::Diagnostic;
use brief::mail::policy::{self, Policy};
use brief::mail::{self, MessageOptions, Security, SmtpOptions};
use brief::model::Status;
use brief::sign::Verdict;

use crate::cli::SendArgs;
use crate::{INVALID, OK, Reporter, TROUBLE};

/// Sends every brief named; a refused brief or recipient never stops the
/// rest, but a log line that cannot be written stops the run: nothing is
/// sent that the log would not record.
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
    let policy = match super::config::policy(&config, report) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let args = &SendArgs { output: Some(config.output.value.clone()), ..args.clone() };
    let smtp = match smtp_options(args, &config) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    // Clear text goes to a relay on this machine or nowhere.
    if smtp.security == Security::None && !loopback(&smtp.server) {
        let d = Diagnostic::error(
            config.security.origin.to_string(),
            format!(
                "--security none would send in clear text to {}: allowed only to a loopback relay (127.0.0.1, ::1, localhost)",
                smtp.server
            ),
        )
        .hint("use --security starttls or tls (the default is starttls)");
        return report.fail(&d);
    }
    let Some(from) =
        config.from.value.clone().or_else(|| args.dry_run.then(|| mail::DEFAULT_FROM.to_string()))
    else {
        let d = Diagnostic::error("brief send", "no sender address").hint(
            "pass --from \"Desk <desk@example.gov>\", set BRIEF_SMTP_FROM, or set `from` under [email] in brief.toml",
        );
        return report.fail(&d);
    };
    let how = How { args, from: &from, smtp: &smtp, policy: policy.as_ref(), env, report };
    let mut code = unreadable;
    for source in &found.files {
        match one(source, &how) {
            Ok(c) => code = code.max(c),
            Err(c) => {
                report.note("stopped: no more messages are sent");
                return code.max(c);
            }
        }
    }
    code
}

/// Whether `server` is this machine: a loopback address, `localhost` or a
/// name under `.localhost` (RFC 6761). Names are not looked up.
pub(crate) fn loopback(server: &str) -> bool {
    let host = server.trim().trim_start_matches('[').trim_end_matches(']');
    let lower = host.to_ascii_lowercase();
    host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        || lower == "localhost"
        || lower.ends_with(".localhost")
}

/// What every brief of a run is sent with.
struct How<'a> {
    args: &'a SendArgs,
    from: &'a str,
    smtp: &'a SmtpOptions,
    policy: Option<&'a Policy>,
    env: &'a Env,
    report: &'a Reporter,
}

/// What the command line says, to override the environment and `brief.toml`.
fn overrides(args: &SendArgs) -> Overrides {
    Overrides {
        output: args.output.clone(),
        from: args.from.clone(),
        server: args.server.clone(),
        port: args.port,
        security: args.security.clone(),
        policy: args.policy.clone(),
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

/// Sends one brief; `Err` stops the run (its log cannot be written).
fn one(source: &Path, how: &How<'_>) -> Result<u8, u8> {
    let (args, report) = (how.args, how.report);
    let super::Loaded { name, bytes, mut brief, .. } = match super::load(source, how.env, report) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let out = args.output.as_deref().unwrap_or(Path::new("out"));
    let (file_name, pdf_path, pdf) = match attachment(source, &bytes, out) {
        Ok(found) => found,
        Err(d) => {
            report.diag(&d);
            return Ok(INVALID);
        }
    };
    if let Some(why) = mail::uncleared(&brief).filter(|_| !args.allow_draft) {
        report.diag(&Diagnostic::error(&name, format!("not sent: {why}")));
        return Ok(INVALID);
    }
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(pdf_time), Some(src_time)) = (modified(&pdf_path), modified(source))
        && let Some(why) = mail::refuse_reason(&brief, pdf_time, src_time, args.allow_draft)
    {
        report.diag(&Diagnostic::error(&name, format!("not sent: {why}")));
        return Ok(INVALID);
    }
    if !brief.cleared() {
        // --allow-draft: the subject says DRAFT, as the pages of a draft do.
        brief.brief.status = Status::Draft;
    }
    if let Some(warning) = mail::size_warning(pdf.len(), args.max_mb * 1024 * 1024) {
        report.diag(&Diagnostic::warning(pdf_path.display().to_string(), warning));
    }
    let decision = policy::decide(
        brief.brief.classification.as_deref(),
        &policy::recipients(&brief),
        how.policy,
    );
    let smtp = how.smtp;
    let place = format!("{}:{}", smtp.server, smtp.port);
    let mut refusals: Vec<Diagnostic> =
        decision.diagnostics(&name).into_iter().map(|d| brief::locate(d, &bytes)).collect();
    if decision.refusal.is_none() {
        if decision.tls && smtp.security == Security::None {
            let why = format!(
                "{}: TLS is required for this brief, even to a loopback relay; not sent over --security none",
                decision.rule
            );
            refusals.push(Diagnostic::error(&name, why).hint("use --security starttls or tls"));
        }
        if let Some(rule) = &decision.signed
            && brief::sign::verify::verify(&pdf).verdict() != Verdict::Valid
        {
            let why = format!(
                "{rule}: the PDF must carry a valid signature, and {} does not (see `brief verify`)",
                pdf_path.display()
            );
            refusals.push(
                Diagnostic::error(&name, why).hint("build it with --sign KEY.p12, then send it"),
            );
        }
    }
    if args.dry_run {
        decisions(&name, &decision, smtp, &place, report);
    }
    if !refusals.is_empty() {
        report.diags(&refusals);
        report.note(&format!("not sent: {name}"));
        return Ok(INVALID);
    }
    let options = MessageOptions {
        from: how.from.to_string(),
        date: how.env.created_for(brief.brief.date),
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
            return Ok(INVALID);
        }
    };
    if args.dry_run {
        let kb = message.len() as f64 / 1024.0;
        report.note(&format!(
            "would send {file_name} ({kb:.1} KB) to {}",
            envelope.recipients.join(", ")
        ));
        return Ok(OK);
    }
    let sent = mail::send(&message, &envelope, smtp);
    // On disk before anything is reported, and before the next message.
    let entry = log_entry(&name, &file_name, &pdf, &message, &decision, smtp, &place, &sent);
    if let Err(e) = mail::log::append(out, &entry) {
        let file = out.join(mail::log::LOG_FILE).display().to_string();
        report.diag(&Diagnostic::error(&file, format!("cannot write the send log ({e})")).hint(
            "the message above was handed to the server; check it arrived before sending again",
        ));
        return Err(TROUBLE);
    }
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
    Ok(if sent.all_ok() { OK } else { INVALID })
}

/// `--dry-run`: every decision about one brief, one line each.
fn decisions(
    name: &str,
    decision: &policy::Decision,
    smtp: &SmtpOptions,
    place: &str,
    report: &Reporter,
) {
    let marking = decision.marking.as_deref().unwrap_or("unmarked");
    report.note(&format!("{name}: {marking}, rule: {}", decision.rule));
    for r in &decision.recipients {
        match &r.refused {
            Some(why) => report.note(&format!("  refused: {}: {why}", r.address)),
            None => report.note(&format!("  allowed: {} ({})", r.address, r.allowed)),
        }
    }
    let connection = match (smtp.security, decision.tls) {
        (Security::None, true) => "clear text, which the rule forbids",
        (Security::None, false) => "clear text to a loopback relay",
        _ => "TLS, the server's certificate verified",
    };
    report.note(&format!("  connection: {} to {place} ({connection})", smtp.security));
    match &decision.signed {
        Some(rule) => report.note(&format!("  signature: required by {rule}")),
        None => report.note("  signature: not required"),
    }
}

/// The send log's line for one message.
#[allow(clippy::too_many_arguments)]
fn log_entry(
    source: &str,
    file_name: &str,
    pdf: &[u8],
    message: &[u8],
    decision: &policy::Decision,
    smtp: &SmtpOptions,
    place: &str,
    sent: &mail::SendReport,
) -> mail::log::LogLine {
    let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    mail::log::LogLine {
        time,
        message_id: mail::message_id(message).unwrap_or_default(),
        source: source.to_string(),
        pdf: file_name.to_string(),
        pdf_sha256: batch::sha256(pdf),
        marking: decision.marking.clone(),
        server: place.to_string(),
        security: smtp.security.to_string(),
        accepted: sent.deliveries.iter().filter(|d| d.ok()).map(|d| d.recipient.clone()).collect(),
        refused: sent
            .failed()
            .map(|d| mail::log::Refused {
                recipient: d.recipient.clone(),
                reason: d.error.clone().unwrap_or_default(),
                unknown: d.unknown,
            })
            .collect(),
        response: sent.response.clone(),
    }
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
