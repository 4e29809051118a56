//! `brief::mail` end to end: the example brief's message sent over SMTP to a
//! real server (Python's aiosmtpd, `tests/fixtures/mail/smtp_server.py`) on
//! 127.0.0.1, and read back with Python's own email parser, in clear text, over
//! STARTTLS and over TLS with certificates from a CA the test makes with
//! `openssl` (and refused when another CA, or none the client trusts, issued
//! them); and to a scripted server that answers late.

#[path = "common/cli.rs"]
mod cli;
use cli::{command, root, scratch};

#[path = "common/smtp.rs"]
mod smtp;
use smtp::{Server, WAIT, free_port, received};

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use brief::mail::{self, MessageOptions, Security, SendReport, SmtpOptions};
use brief::model::{Brief, Distribution};

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";

/// Starts the server and waits, at most [`WAIT`], until it says it listens.
fn start_server(name: &str) -> Server {
    smtp::start(name)
}

/// Starts the server speaking TLS (`mode` is `starttls` or `tls`) with the
/// certificate `cert` (and `cert`'s key) of `pki`.
fn start_tls_server(name: &str, mode: &str, pki: &Pki, cert: &str) -> Server {
    let (cert, key) = (pki.path(&format!("{cert}.pem")), pki.path(&format!("{cert}.key")));
    smtp::start_with(name, &[mode.as_ref(), cert.as_os_str(), key.as_os_str()])
}

/// The example brief, addressed to two people (with non-ASCII names) and to
/// one address the server refuses.
fn example() -> Brief {
    let today = chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap();
    let env = brief::Env::fixed(today, Some(0));
    let bytes = std::fs::read(root().join(EXAMPLE)).unwrap();
    let mut brief = brief::check(EXAMPLE, &bytes, &env).unwrap().value;
    brief.distribution = Some(Distribution {
        to: vec![
            "Əli Əsədov <ali@example.az>".into(),
            "Refused Person <refuse.me@example.gov>".into(),
        ],
        cc: vec!["Руслан Казакбаев <ruslan@example.kg>".into()],
    });
    brief
}

/// A small stand-in PDF with every byte value, so any text mangling shows.
fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n".iter().copied().chain((0..=255u8).cycle().take(3000)).collect()
}

fn options() -> MessageOptions {
    MessageOptions {
        from: "ECA Desk <desk@example.gov>".into(),
        date: 1_625_486_400,
        unsent: false,
        ..MessageOptions::default()
    }
}

fn smtp(port: u16, security: Security) -> SmtpOptions {
    SmtpOptions {
        port,
        timeout: Duration::from_secs(10),
        hello_name: Some("brief.test".into()),
        ..SmtpOptions::new("127.0.0.1", security)
    }
}

fn outcome(report: &SendReport) -> Vec<(&str, bool)> {
    report.deliveries.iter().map(|d| (d.recipient.as_str(), d.ok())).collect()
}

#[test]
fn delivers_to_everyone_but_the_refused_recipient() {
    let server = start_server("deliver");
    let mut brief = example();
    // A line that is a lone dot would end the SMTP data if not escaped.
    brief.purpose = Some(".\n\n.Lines that start with a dot survive.".into());
    let name = brief::output_name(&brief);
    let pdf = pdf();
    let message = mail::message(&brief, &pdf, &name, &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let report = mail::send(&message, &envelope, &smtp(server.port, Security::None));

    assert_eq!(
        outcome(&report),
        [("ali@example.az", true), ("refuse.me@example.gov", false), ("ruslan@example.kg", true)]
    );
    let refused = report.failed().next().unwrap().error.as_deref().unwrap();
    assert!(refused.contains("550") && refused.contains("recipient refused"), "{refused}");
    assert!(report.response.as_deref().unwrap().contains("accepted as 1"), "{report:?}");

    let got = received(&server, 1);
    assert_eq!(got["mail_from"], "desk@example.gov");
    assert_eq!(got["rcpt_tos"], serde_json::json!(["ali@example.az", "ruslan@example.kg"]));
    assert_eq!(
        got["subject"],
        "[OFFICIAL] Azerbaijan – Kyrgyzstan bilateral meeting — 5 July 2021"
    );
    assert_eq!(got["to"], "Əli Əsədov <ali@example.az>, Refused Person <refuse.me@example.gov>");
    assert_eq!(got["cc"], "Руслан Казакбаев <ruslan@example.kg>");
    assert_eq!(got["filename"], name.as_str());
    assert_eq!(got["content_type"], "application/pdf");
    let text = got["text"].as_str().unwrap().replace("\r\n", "\n");
    assert!(text.contains("- The joint intergovernmental commission should meet again"), "{text}");
    assert!(text.contains("Purpose\n.\n\n.Lines that start with a dot survive.\n"), "{text}");
    assert_eq!(std::fs::read(server.folder.join("1.pdf")).unwrap(), pdf, "attachment intact");
    let saved = std::fs::read(server.folder.join("1.eml")).unwrap();
    assert!(saved == message, "received exactly as built (dot-stuffing, line ends, end)");
    // One transaction for everyone: one message on the server.
    assert!(!server.folder.join("2.eml").exists());
}

#[test]
fn a_server_that_is_not_there_fails_every_recipient() {
    let port = free_port();
    let brief = example();
    let message = mail::message(&brief, &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let report = mail::send(&message, &envelope, &smtp(port, Security::None));

    assert_eq!(report.deliveries.len(), 3);
    assert_eq!(report.failed().count(), 3);
    for d in &report.deliveries {
        let error = d.error.as_deref().unwrap();
        assert_eq!(
            error,
            format!(
                "cannot connect to 127.0.0.1:{port}: nothing is listening there (connection refused)"
            ),
            "the cause in plain words, not the OS's error number"
        );
        assert!(!d.unknown, "nothing was sent, and that is known");
    }
    assert_eq!(report.response, None);
}

#[test]
fn starttls_that_the_server_does_not_offer_fails_every_recipient() {
    let server = start_server("starttls");
    let brief = example();
    let message = mail::message(&brief, &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let report = mail::send(&message, &envelope, &smtp(server.port, Security::StartTls));

    assert_eq!(report.deliveries.len(), 3, "{report:?}");
    for d in &report.deliveries {
        assert!(d.error.as_deref().is_some_and(|e| e.contains("STARTTLS")), "{report:?}");
    }
    assert!(!server.folder.join("1.eml").exists(), "nothing sent in clear text");
}

#[test]
fn when_every_recipient_is_refused_nothing_is_sent() {
    let server = start_server("refused");
    let mut brief = example();
    brief.distribution = Some(Distribution {
        to: vec!["refuse.one@example.gov".into(), "refuse.two@example.gov".into()],
        cc: Vec::new(),
    });
    let message = mail::message(&brief, &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let report = mail::send(&message, &envelope, &smtp(server.port, Security::None));

    assert_eq!(
        outcome(&report),
        [("refuse.one@example.gov", false), ("refuse.two@example.gov", false)]
    );
    assert_eq!(report.response, None);
    assert!(!server.folder.join("1.eml").exists());
}

/// `brief build --eml` then `brief send` through the command line, against
/// the real server: good recipients get the PDF, the refused one is reported,
/// and the exit code says something failed.
#[test]
fn the_send_command_delivers_built_briefs_and_reports_refusals() {
    let server = start_server("cli");
    let dir = scratch("cli");
    let text = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let text = text.replace("<economy@example.gov>", "<refuse.economy@example.gov>");
    let src = dir.join("az-kg.yaml");
    std::fs::write(&src, text).unwrap();
    let out = dir.join("out");
    let brief = |args: &[&str]| cli::brief(args, Some("0"));
    let built = brief(&[
        "build",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--eml",
        "--from",
        "Desk <desk@example.gov>",
    ]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let pdf_name = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";
    let eml = std::fs::read_to_string(out.join(pdf_name.replace(".pdf", ".eml"))).unwrap();
    assert!(eml.contains("X-Unsent: 1") && eml.contains(pdf_name));
    let port = server.port.to_string();
    let common = [
        "send",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--server",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "none",
    ];
    let no_from = brief(&common);
    assert_eq!(no_from.status.code(), Some(2), "a sender is required");
    let mut args = common.to_vec();
    args.extend(["--from", "Desk <desk@example.gov>"]);
    let mut with_user = args.clone();
    with_user.extend(["--user", "desk"]);
    let no_password = brief(&with_user);
    let stderr = String::from_utf8_lossy(&no_password.stderr);
    assert_eq!(no_password.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no password: BRIEF_SMTP_PASSWORD is not set"), "{stderr}");
    assert!(!server.folder.join("1.eml").exists(), "never sent without the login asked for");
    let sent = brief(&args);
    let stderr = String::from_utf8_lossy(&sent.stderr);
    assert_eq!(sent.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not delivered to refuse.economy@example.gov"), "{stderr}");
    assert!(
        stderr.contains(
            "sent 2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf to pm.office@example.gov"
        ),
        "{stderr}"
    );
    let got = received(&server, 1);
    assert_eq!(
        got["rcpt_tos"],
        serde_json::json!(["pm.office@example.gov", "eca.desk@example.gov"])
    );
    assert_eq!(
        std::fs::read(server.folder.join("1.pdf")).unwrap(),
        std::fs::read(out.join(pdf_name)).unwrap()
    );

    // Every recipient failing is exit 1 like some failing (README, "Email").
    let nobody = free_port().to_string();
    let port_at = args.iter().position(|a| *a == port).unwrap();
    args[port_at] = &nobody;
    let failed = brief(&args);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("nothing is listening there (connection refused)").count(),
        3,
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scripted SMTP server for one connection on 127.0.0.1. It answers at
/// once, except that it holds back its reply to the command containing
/// `late` (the message itself is `<message>`) until the client sends its next
/// command, which then gets the late reply first, or hangs up: a server
/// that answers after the client's timeout. It returns the commands it
/// received, and gives up by itself after [`WAIT`] without a client or a line.
fn late_server(late: &'static str) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let server = std::thread::spawn(move || {
        let start = Instant::now();
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if start.elapsed() < WAIT => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => return Vec::new(),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut out = stream.try_clone().unwrap();
        let mut lines = BufReader::new(stream);
        let mut said = Vec::new();
        let mut held: Option<&str> = None;
        let _ = out.write_all(b"220 late.test ESMTP\r\n");
        let mut line = String::new();
        loop {
            line.clear();
            if !matches!(lines.read_line(&mut line), Ok(n) if n > 0) {
                break;
            }
            let command = line.trim_end().to_string();
            let verb = command.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply = match verb.as_str() {
                "EHLO" | "HELO" => "250 late.test\r\n",
                "MAIL" => "250 2.1.0 OK\r\n",
                "RCPT" if command.contains("refuse") => "550 5.1.1 recipient refused\r\n",
                "RCPT" => "250 2.1.5 OK\r\n",
                "DATA" => "354 go ahead\r\n",
                "QUIT" => "221 bye\r\n",
                _ => "500 what?\r\n",
            };
            said.push(command.clone());
            let mut reply = reply;
            if verb == "DATA" {
                let _ = out.write_all(held.take().unwrap_or("").as_bytes());
                let _ = out.write_all(reply.as_bytes());
                // The message, up to its lone dot, is one "command".
                loop {
                    line.clear();
                    if !matches!(lines.read_line(&mut line), Ok(n) if n > 0) {
                        return said;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                }
                said.push("<message>".into());
                reply = "250 2.0.0 accepted\r\n";
            }
            let command = said.last().unwrap();
            if command.contains(late) {
                held = Some(reply);
                continue;
            }
            let _ = out.write_all(held.take().unwrap_or("").as_bytes());
            let _ = out.write_all(reply.as_bytes());
            if verb == "QUIT" {
                break;
            }
        }
        said
    });
    (port, server)
}

fn late_options(port: u16) -> SmtpOptions {
    SmtpOptions { timeout: Duration::from_secs(3), ..smtp(port, Security::None) }
}

fn envelope_to(recipients: &[&str]) -> mail::Envelope {
    mail::Envelope {
        from: "desk@example.gov".into(),
        recipients: recipients.iter().map(|r| r.to_string()).collect(),
    }
}

/// A reply that comes after the timeout must not be read as the answer to
/// the next recipient (which would report a refused address as accepted and
/// an accepted one as refused): the connection is dropped at once.
#[test]
fn a_late_reply_is_never_taken_for_the_next_recipients() {
    let (port, server) = late_server("late.reader@");
    let message = mail::message(&example(), &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = envelope_to(&[
        "ali@example.az",
        "late.reader@example.gov",
        "refuse.me@example.gov",
        "ruslan@example.kg",
    ]);

    let report = mail::send(&message, &envelope, &late_options(port));
    let said = server.join().unwrap();

    for d in &report.deliveries {
        assert_eq!(
            d.error.as_deref(),
            Some("unknown: the server did not answer within 3 s; the message was not sent"),
            "{report:?}"
        );
        assert!(d.unknown, "{report:?}");
    }
    assert_eq!(report.deliveries.len(), 4);
    assert_eq!(report.response, None);
    assert_eq!(
        said,
        [
            "EHLO brief.test",
            "MAIL FROM:<desk@example.gov>",
            "RCPT TO:<ali@example.az>",
            "RCPT TO:<late.reader@example.gov>"
        ],
        "nothing more is sent on a connection that is out of step"
    );
}

/// No reply to the message itself: it may have been delivered, and the
/// report says so instead of "not delivered".
#[test]
fn a_late_reply_to_the_message_leaves_delivery_unknown() {
    let (port, server) = late_server("<message>");
    let message = mail::message(&example(), &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = envelope_to(&["ali@example.az", "refuse.me@example.gov"]);

    let report = mail::send(&message, &envelope, &late_options(port));
    let said = server.join().unwrap();

    let ali = &report.deliveries[0];
    assert_eq!(
        ali.error.as_deref(),
        Some("unknown: the server did not answer within 3 s; it may have been delivered"),
        "{report:?}"
    );
    assert!(ali.unknown);
    let refused = &report.deliveries[1];
    assert_eq!(refused.error.as_deref(), Some("refused: 550 5.1.1 recipient refused"));
    assert!(!refused.unknown, "the server did answer for this one");
    assert_eq!(said.last().map(String::as_str), Some("<message>"), "no QUIT after a timeout");
}

/// `brief` run with `args` and the environment `vars`, no password unless given.
fn run_brief(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut command = command(args, None);
    // Which authorities are trusted is each test's own choice.
    command.env_remove("BRIEF_SMTP_CA").env_remove("SSL_CERT_FILE").env_remove("SSL_CERT_DIR");
    command.envs(vars.iter().copied()).output().unwrap()
}

/// A bad `SOURCE_DATE_EPOCH` (it sets the PDF's creation time and the
/// message's Date) is reported as itself, before anything is built or sent.
#[test]
fn a_bad_source_date_epoch_is_named_not_ignored() {
    let dir = scratch("epoch").join("out");
    let out = dir.to_str().unwrap();
    let example = root().join(EXAMPLE);
    let example = example.to_str().unwrap();
    for value in ["yesterday", "99999999999999"] {
        for args in
            [vec!["build", example, "-o", out], vec!["send", example, "-o", out, "--dry-run"]]
        {
            let run = run_brief(&args, &[("SOURCE_DATE_EPOCH", value)]);
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert_eq!(run.status.code(), Some(2), "{args:?} {value}: {stderr}");
            assert!(
                stderr.starts_with(&format!(
                    "error: SOURCE_DATE_EPOCH is `{value}`, which is not a creation time"
                )),
                "{stderr}"
            );
            assert!(!stderr.contains("cannot write the PDF"), "{stderr}");
        }
    }
    assert!(!dir.exists(), "nothing written");
}

/// An escape sequence written into a source (YAML's `"\e"`) reaches the
/// terminal neither in a diagnostic nor in the batch summary: it is shown.
#[test]
fn no_escape_sequence_from_a_source_reaches_the_terminal() {
    let dir = scratch("escape");
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let text = text.replacen("brief:\n", "brief:\n  \"x\\e[2J\\e[H\": 1\n", 1);
    let src = dir.join("escape.yaml");
    std::fs::write(&src, text).unwrap();
    let out = dir.join("out");
    let (src, out) = (src.to_str().unwrap(), out.to_str().unwrap());
    for args in [vec!["check", src], vec!["build", src, "-o", out]] {
        let run = run_brief(&args, &[("SOURCE_DATE_EPOCH", "0")]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("x\\u{1b}[2J\\u{1b}[H"), "{args:?}: {stderr}");
        assert!(!stderr.contains('\u{1b}'), "{args:?}: {stderr:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--color auto` on a terminal (a pseudo-terminal from Python's `pty`):
/// `NO_COLOR` turns colour off only when it is set to something.
#[test]
fn an_empty_no_color_leaves_colour_on() {
    let dir = scratch("color");
    let src = dir.join("x.yaml");
    std::fs::write(&src, "format: 1\nbrief:\n  titl: x\n").unwrap();
    let on_terminal = |no_color: &str| {
        let run = Command::new("python3")
            .args(["-c", "import pty, sys; pty.spawn(sys.argv[1:])"])
            .arg(env!("CARGO_BIN_EXE_brief"))
            .args(["check", src.to_str().unwrap()])
            .env("NO_COLOR", no_color)
            .stdin(Stdio::null())
            .output()
            .expect("python3 runs");
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    let red = "\u{1b}[1;31merror\u{1b}[0m: ";
    let coloured = on_terminal("");
    assert!(coloured.contains(red), "{coloured:?}");
    let plain = on_terminal("1");
    assert!(plain.contains("error: unknown field `titl`"), "{plain:?}");
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// How `openssl` makes the certificates of [`Pki`]: its own configuration,
/// so that the system's `openssl.cnf` adds nothing.
const PKI_CONFIG: &str = "\
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[misnamed]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.example.gov
";

/// Throwaway certificates for one test, made with the `openssl` command in a
/// temporary folder that is removed, keys and all, when dropped:
///
/// - `ca`: the test's certificate authority, the one the client is told to trust;
/// - `server`: issued by `ca` for 127.0.0.1 and localhost (subjectAltName);
///
/// and those of them the test asks for:
///
/// - `misnamed`: issued by `ca` for mail.example.gov only;
/// - `other-ca`, another authority;
/// - `stranger`: issued by `other-ca` for 127.0.0.1 and localhost.
///
/// Each is `NAME.pem` with its key in `NAME.key`.
struct Pki {
    dir: PathBuf,
}

/// `openssl req`'s arguments for a new P-256 key, unencrypted (it is thrown away).
const NEW_KEY: [&str; 5] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Pki {
    /// `ca` and `server`, and each of `more` (each openssl run costs about 0.1 s).
    fn new(name: &str, more: &[&str]) -> Pki {
        let dir = scratch(&format!("pki-{name}"));
        let pki = Pki { dir };
        std::fs::write(pki.path("pki.cnf"), PKI_CONFIG).unwrap();
        pki.authority("ca", "brief test CA");
        pki.issue("server", "ca", "server", 2);
        for wanted in more {
            match *wanted {
                "misnamed" => pki.issue("misnamed", "ca", "misnamed", 3),
                "other-ca" => pki.authority("other-ca", "another CA"),
                "stranger" => pki.issue("stranger", "other-ca", "server", 4),
                other => panic!("no certificate `{other}` in Pki"),
            }
        }
        pki
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn read(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.path(file)).unwrap()
    }

    /// A P-256 key, and its self-signed certificate as an authority, valid two days.
    fn authority(&self, name: &str, common_name: &str) {
        let (key, pem, subject) =
            (format!("{name}.key"), format!("{name}.pem"), format!("/CN={common_name}"));
        self.openssl(
            &["req", "-x509", "-config", "pki.cnf", "-extensions", "ca"]
                .into_iter()
                .chain(NEW_KEY)
                .chain(["-keyout", &key, "-out", &pem, "-days", "2", "-subj", &subject])
                .collect::<Vec<_>>(),
        );
    }

    /// A P-256 key and a certificate for it, valid two days, that `issuer`
    /// signs with the extensions of section `section` of [`PKI_CONFIG`].
    fn issue(&self, name: &str, issuer: &str, section: &str, serial: u32) {
        let (key, csr, pem) = (format!("{name}.key"), format!("{name}.csr"), format!("{name}.pem"));
        let (issuer_pem, issuer_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
        self.openssl(
            &["req", "-new", "-config", "pki.cnf"]
                .into_iter()
                .chain(NEW_KEY)
                .chain(["-keyout", &key, "-out", &csr, "-subj", "/CN=127.0.0.1"])
                .collect::<Vec<_>>(),
        );
        let serial = serial.to_string();
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &issuer_pem,
            "-CAkey",
            &issuer_key,
            "-set_serial",
            &serial,
            "-days",
            "2",
            "-extfile",
            "pki.cnf",
            "-extensions",
            section,
            "-out",
            &pem,
        ]);
    }

    /// Runs `openssl` in the folder; a failure stops the test with its words.
    fn openssl(&self, args: &[&str]) {
        let run = Command::new("openssl")
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .expect("the openssl command runs (tests/run installs it)");
        assert!(
            run.status.success(),
            "openssl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

fn trusting(port: u16, security: Security, ca: &[u8]) -> SmtpOptions {
    SmtpOptions { root_certificate: Some(ca.to_vec()), ..smtp(port, security) }
}

/// The TLS version message `got` came over, as the server saw it.
fn tls_of(got: &serde_json::Value) -> &str {
    let version = got["tls"].as_str().unwrap_or("none: clear text");
    assert!(["TLSv1.2", "TLSv1.3"].contains(&version), "{got}");
    version
}

/// What a client that does not trust the issuer of the server's certificate says.
const UNTRUSTED: &str = "the server's certificate was not issued by a trusted certificate \
                         authority";

/// The example, sent with `security` to a server speaking `mode` with a
/// certificate from the test's CA: refused while the client trusts only the
/// system's authorities; delivered once it trusts the CA, over TLS as the
/// server saw it, byte for byte as built.
fn delivers_over_tls(mode: &str, security: Security) {
    let pki = Pki::new(mode, &[]);
    let server = start_tls_server(&format!("{mode}-ok"), mode, &pki, "server");
    let brief = example();
    let name = brief::output_name(&brief);
    let pdf = pdf();
    let message = mail::message(&brief, &pdf, &name, &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let untrusted = mail::send(&message, &envelope, &smtp(server.port, security));
    assert_eq!(untrusted.failed().count(), 3, "{untrusted:?}");
    for d in &untrusted.deliveries {
        let error = d.error.as_deref().unwrap();
        assert!(error.contains(UNTRUSTED), "{error}");
        assert!(!d.unknown, "refused before anything was sent: {error}");
    }

    let started = Instant::now();
    let report =
        mail::send(&message, &envelope, &trusting(server.port, security, &pki.read("ca.pem")));
    let took = started.elapsed();

    assert_eq!(
        outcome(&report),
        [("ali@example.az", true), ("refuse.me@example.gov", false), ("ruslan@example.kg", true)]
    );
    // Message 1: the refused attempt delivered nothing.
    assert!(report.response.as_deref().unwrap().contains("accepted as 1"), "{report:?}");
    let got = received(&server, 1);
    eprintln!("{mode}: delivered over {} in {took:?}", tls_of(&got));
    assert_eq!(got["mail_from"], "desk@example.gov");
    assert_eq!(got["rcpt_tos"], serde_json::json!(["ali@example.az", "ruslan@example.kg"]));
    assert_eq!(
        got["subject"],
        "[OFFICIAL] Azerbaijan – Kyrgyzstan bilateral meeting — 5 July 2021"
    );
    assert_eq!(got["filename"], name.as_str());
    assert_eq!(std::fs::read(server.folder.join("1.pdf")).unwrap(), pdf, "attachment intact");
    assert!(std::fs::read(server.folder.join("1.eml")).unwrap() == message, "received as built");
    assert!(!server.folder.join("2.eml").exists());
}

#[test]
fn delivers_over_starttls_to_a_server_certified_by_the_callers_ca() {
    delivers_over_tls("starttls", Security::StartTls);
}

#[test]
fn delivers_over_implicit_tls_to_a_server_certified_by_the_callers_ca() {
    delivers_over_tls("tls", Security::Tls);
}

/// A server whose certificate another CA issued is refused, for every
/// recipient, before anything is sent; the same server, once its own CA is
/// trusted, takes the message as its first: the issuer was the reason.
fn refuses_a_certificate_from_another_ca(mode: &str, security: Security) {
    let pki = Pki::new(&format!("{mode}-stranger"), &["other-ca", "stranger"]);
    let server = start_tls_server(&format!("{mode}-stranger"), mode, &pki, "stranger");
    let brief = example();
    let message = mail::message(&brief, &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let report =
        mail::send(&message, &envelope, &trusting(server.port, security, &pki.read("ca.pem")));

    let place = format!("127.0.0.1:{}", server.port);
    let stage = match security {
        Security::StartTls => format!("STARTTLS with {place} failed"),
        _ => format!("cannot connect to {place}"),
    };
    assert_eq!(report.deliveries.len(), 3);
    for d in &report.deliveries {
        let error = d.error.as_deref().unwrap();
        assert!(error.starts_with(&format!("{stage}: {UNTRUSTED}")), "{error}");
        assert!(!d.unknown, "{error}");
    }
    assert_eq!(report.response, None);

    let other = trusting(server.port, security, &pki.read("other-ca.pem"));
    let control = mail::send(&message, &envelope, &other);
    assert_eq!(control.failed().count(), 1, "{control:?}");
    assert!(control.response.as_deref().unwrap().contains("accepted as 1"), "{control:?}");
    tls_of(&received(&server, 1));
}

#[test]
fn starttls_refuses_a_server_certified_by_another_ca() {
    refuses_a_certificate_from_another_ca("starttls", Security::StartTls);
}

#[test]
fn implicit_tls_refuses_a_server_certified_by_another_ca() {
    refuses_a_certificate_from_another_ca("tls", Security::Tls);
}

/// A certificate from the trusted CA, but for another name: refused too.
#[test]
fn a_certificate_for_another_name_is_refused() {
    let pki = Pki::new("misnamed", &["misnamed"]);
    let server = start_tls_server("misnamed", "tls", &pki, "misnamed");
    let brief = example();
    let message = mail::message(&brief, &pdf(), "brief.pdf", &options()).unwrap();
    let envelope = mail::envelope(&brief, &options()).unwrap();

    let report =
        mail::send(&message, &envelope, &trusting(server.port, Security::Tls, &pki.read("ca.pem")));

    assert_eq!(report.failed().count(), 3, "{report:?}");
    let error = report.deliveries[0].error.as_deref().unwrap();
    assert_eq!(
        error,
        format!(
            "cannot connect to 127.0.0.1:{}: the server's certificate is not valid for \
             127.0.0.1 (the names it holds: mail.example.gov)",
            server.port
        )
    );
    // The server writes a message before it answers 250, so none came.
    assert!(!server.folder.join("1.eml").exists());
}

/// `brief build` of the example (three recipients) into a folder of its
/// own; the folder is removed when dropped.
struct Built {
    dir: PathBuf,
    src: String,
    out: String,
}

impl Drop for Built {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const BUILT_PDF: &str = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";

fn built_example(name: &str) -> Built {
    let dir = scratch(&format!("mail-{name}"));
    let src = dir.join("az-kg.yaml");
    std::fs::copy(root().join(EXAMPLE), &src).unwrap();
    let (src, out) =
        (src.to_str().unwrap().to_string(), dir.join("out").to_str().unwrap().to_string());
    let built = run_brief(&["build", &src, "-o", &out], &[("SOURCE_DATE_EPOCH", "0")]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    Built { dir, src, out }
}

/// `brief send` of `built` to 127.0.0.1:`port` with `security`, plus `extra`
/// arguments and the environment `vars`; the exit code and standard error.
fn send_cli(
    built: &Built,
    port: u16,
    security: &str,
    extra: &[&str],
    vars: &[(&str, &str)],
) -> (Option<i32>, String) {
    let port = port.to_string();
    let mut args = vec!["send", &built.src, "-o", &built.out, "--server", "127.0.0.1"];
    args.extend(["--port", &port, "--security", security, "--from", "Desk <desk@example.gov>"]);
    args.extend(extra);
    let mut vars = vars.to_vec();
    vars.push(("SOURCE_DATE_EPOCH", "0"));
    let run = run_brief(&args, &vars);
    (run.status.code(), String::from_utf8_lossy(&run.stderr).into_owned())
}

const CLI_RECIPIENTS: [&str; 3] =
    ["pm.office@example.gov", "eca.desk@example.gov", "economy@example.gov"];

/// Checks that message `n` is the built example, to its three recipients, over TLS.
fn assert_cli_delivery(server: &Server, built: &Built, n: usize) {
    let got = received(server, n);
    tls_of(&got);
    assert_eq!(got["rcpt_tos"], serde_json::json!(CLI_RECIPIENTS));
    assert_eq!(
        got["subject"],
        "[OFFICIAL] Azerbaijan – Kyrgyzstan bilateral meeting — 5 July 2021"
    );
    assert_eq!(got["filename"], BUILT_PDF);
    assert_eq!(
        std::fs::read(server.folder.join(format!("{n}.pdf"))).unwrap(),
        std::fs::read(std::path::Path::new(&built.out).join(BUILT_PDF)).unwrap(),
        "the PDF arrives as built"
    );
}

/// `brief send --security tls` trusts the authority of `--ca-file` (or
/// `BRIEF_SMTP_CA`) besides the system's, and no other.
#[test]
fn the_send_command_trusts_the_ca_file_it_is_given() {
    let pki = Pki::new("cli-tls", &["other-ca"]);
    let server = start_tls_server("cli-tls", "tls", &pki, "server");
    let built = built_example("cli-tls");
    let ca = pki.path("ca.pem");
    let other = pki.path("other-ca.pem");
    let send =
        |extra: &[&str], vars: &[(&str, &str)]| send_cli(&built, server.port, "tls", extra, vars);

    for (extra, vars) in [
        (vec![], vec![]),
        (vec!["--ca-file", other.to_str().unwrap()], vec![]),
        (vec![], vec![("BRIEF_SMTP_CA", other.to_str().unwrap())]),
    ] {
        let (code, stderr) = send(&extra, &vars);
        assert_eq!(code, Some(1), "{extra:?} {vars:?}: {stderr}");
        for to in CLI_RECIPIENTS {
            let said = format!(
                "not delivered to {to}: cannot connect to 127.0.0.1:{}: {UNTRUSTED}",
                server.port
            );
            assert!(stderr.contains(&said), "{extra:?} {vars:?}: {stderr}");
        }
    }

    let started = Instant::now();
    let (code, stderr) = send(&["--ca-file", ca.to_str().unwrap()], &[]);
    let took = started.elapsed();
    assert_eq!(code, Some(0), "{stderr}");
    for to in CLI_RECIPIENTS {
        assert!(stderr.contains(&format!("sent {BUILT_PDF} to {to}")), "{stderr}");
    }
    assert_cli_delivery(&server, &built, 1);
    eprintln!("brief send --security tls --ca-file: {took:?}");

    let (code, stderr) = send(&[], &[("BRIEF_SMTP_CA", ca.to_str().unwrap())]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_cli_delivery(&server, &built, 2);
    assert!(!server.folder.join("3.eml").exists());
}

/// `SSL_CERT_FILE` replaces the system's authorities (rustls-native-certs
/// 0.8 reads it on Unix, and lettre 0.11 trusts what it loads), so an
/// operator can point `brief send` at a bundle without `--ca-file`.
#[test]
fn the_send_command_trusts_ssl_cert_file_over_starttls() {
    let pki = Pki::new("cli-starttls", &["other-ca"]);
    let server = start_tls_server("cli-starttls", "starttls", &pki, "server");
    let built = built_example("cli-starttls");
    let file = |name: &str| pki.path(name).to_str().unwrap().to_string();

    let (code, stderr) =
        send_cli(&built, server.port, "starttls", &[], &[("SSL_CERT_FILE", &file("other-ca.pem"))]);
    assert_eq!(code, Some(1), "{stderr}");
    let said = format!(
        "not delivered to pm.office@example.gov: STARTTLS with 127.0.0.1:{} failed: {UNTRUSTED}",
        server.port
    );
    assert!(stderr.contains(&said), "{stderr}");

    let (code, stderr) =
        send_cli(&built, server.port, "starttls", &[], &[("SSL_CERT_FILE", &file("ca.pem"))]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_cli_delivery(&server, &built, 1);
}

/// A `--ca-file` that cannot be used stops `send` before it connects
/// (exit 2, nothing listens on the port anyway), naming the file.
#[test]
fn an_unusable_ca_file_is_reported_before_connecting() {
    let pki = Pki::new("cli-bad-ca", &[]);
    let built = built_example("cli-bad-ca");
    let port = free_port();
    let corrupt = pki.path("corrupt.pem");
    std::fs::write(&corrupt, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
        .unwrap();
    let not_a_certificate = pki.path("not-a-certificate.pem");
    std::fs::write(
        &not_a_certificate,
        "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let missing = pki.path("missing.pem");
    let cases = [
        (missing, "cannot read the --ca-file"),
        (pki.dir.clone(), "the --ca-file is not a regular file"),
        (pki.path("ca.key"), "the root certificate holds no PEM certificate"),
        (corrupt, "cannot read the root certificate"),
        (not_a_certificate, "cannot set up TLS"),
    ];
    for (file, says) in cases {
        let file = file.to_str().unwrap();
        let (code, stderr) = send_cli(&built, port, "tls", &["--ca-file", file], &[]);
        assert_eq!(code, Some(2), "{file}: {stderr}");
        assert!(stderr.contains(file) && stderr.contains(says), "{file}: {stderr}");
        assert!(!stderr.contains("connection refused"), "{file}: {stderr}");
    }
    // A usable file gets as far as connecting.
    let (code, stderr) =
        send_cli(&built, port, "tls", &["--ca-file", pki.path("ca.pem").to_str().unwrap()], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nothing is listening there (connection refused)"), "{stderr}");
}

/// `brief send` with no flags at all: server, port, security, sender and
/// output folder from the `brief.toml` above the source, against the real server.
#[test]
fn the_send_command_takes_its_settings_from_brief_toml() {
    let server = start_server("toml");
    let dir = scratch("toml");
    let text = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let text = text.replace("<economy@example.gov>", "<refuse.economy@example.gov>");
    let desk = dir.join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    let src = desk.join("az-kg.yaml");
    std::fs::write(&src, text).unwrap();
    let toml = format!(
        "output = \"pdfs\"\n[email]\nfrom = \"Toml Desk <toml@example.gov>\"\n\
         [smtp]\nserver = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
        server.port
    );
    std::fs::write(dir.join("brief.toml"), toml).unwrap();
    let brief = |args: &[&str]| {
        let mut cmd = cli::command(args, Some("0"));
        for var in
            ["BRIEF_SMTP_FROM", "BRIEF_SMTP_SERVER", "BRIEF_SMTP_PORT", "BRIEF_SMTP_SECURITY"]
        {
            cmd.env_remove(var);
        }
        cmd.output().expect("runs brief")
    };
    let built = brief(&["build", src.to_str().unwrap()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let pdf_name = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";
    assert!(dir.join("pdfs").join(pdf_name).is_file(), "output from brief.toml");
    let sent = brief(&["send", src.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&sent.stderr);
    assert_eq!(sent.status.code(), Some(1), "one recipient is refused: {stderr}");
    assert!(stderr.contains(&format!("sent {pdf_name} to pm.office@example.gov")), "{stderr}");
    let got = received(&server, 1);
    assert_eq!(got["mail_from"], "toml@example.gov");
}

/// A Cc outside ASCII, to a server without SMTPUTF8: the message is refused
/// whole, naming why, and never sent with raw 8-bit headers to the others.
#[test]
fn a_non_ascii_cc_is_never_sent_raw_without_smtputf8() {
    let (port, server) = late_server("never-late");
    let mut brief = example();
    if let Some(d) = brief.distribution.as_mut() {
        d.cc.push("José <josé@example.es>".into());
    }
    let message = mail::message(&brief, &pdf(), "brief.pdf", &options()).unwrap();
    let head = message.split(|b| *b == b'\n').take_while(|l| l.len() > 1).flatten().copied();
    assert!(!head.collect::<Vec<u8>>().is_ascii(), "the test needs a raw address in a header");
    let envelope = envelope_to(&["ali@example.az", "josé@example.es"]);
    let report = mail::send(&message, &envelope, &late_options(port));
    let said = server.join().unwrap();
    assert!(!said.iter().any(|c| c == "<message>"), "sent: {said:?}");
    for d in &report.deliveries {
        let e = d.error.as_deref().unwrap_or("");
        assert!(e.contains("SMTPUTF8") && e.contains("not sent"), "{report:?}");
    }
}
