//! Sending over SMTP: one connection, one transaction, a result per recipient.
//!
//! `lettre`'s `SmtpTransport` fails the whole message when the server refuses
//! any one `RCPT TO`. Here the dialogue is driven with `lettre`'s
//! `SmtpConnection` instead: every recipient is offered, refusals are recorded,
//! and the message goes once (`DATA`) to all the accepted ones, as a mail
//! server itself would deliver it.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use lettre::Address;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailParameter};
use lettre::transport::smtp::response::{Code, Response, Severity};

use super::Envelope;

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain text (a local relay); no password is sent over it.
    None,
    /// Plain connection upgraded with `STARTTLS`, required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Security {
    /// The usual port: 25, 587 or 465.
    pub(crate) fn default_port(self) -> u16 {
        match self {
            Security::None => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        }
    }
}

impl FromStr for Security {
    type Err = String;

    /// `none`, `starttls` or `tls`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(Security::None),
            "starttls" => Ok(Security::StartTls),
            "tls" => Ok(Security::Tls),
            _ => Err(format!("`{s}` is not a connection security: use none, starttls or tls")),
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Security::None => "none",
            Security::StartTls => "starttls",
            Security::Tls => "tls",
        })
    }
}

/// Where and how to send. The caller reads these from flags or the
/// environment, never from the brief.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpOptions {
    /// Host name or address of the server.
    pub server: String,
    /// Port; `Security::default_port` is the usual one.
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// User name for `AUTH` (PLAIN or LOGIN); used only with a password.
    pub user: Option<String>,
    /// Password for `AUTH`.
    pub password: Option<String>,
    /// Time allowed to connect and for each reply of the server.
    pub timeout: Duration,
    /// A PEM certificate authority trusted besides the system's (an internal CA).
    pub root_certificate: Option<Vec<u8>>,
    /// The name sent with `EHLO`; the host name when `None`.
    pub hello_name: Option<String>,
}

impl SmtpOptions {
    /// Options for `server` with the usual port of `security`, no
    /// credentials and a 30-second timeout.
    pub fn new(server: impl Into<String>, security: Security) -> Self {
        SmtpOptions {
            server: server.into(),
            port: security.default_port(),
            security,
            user: None,
            password: None,
            timeout: Duration::from_secs(30),
            root_certificate: None,
            hello_name: None,
        }
    }
}

impl fmt::Debug for SmtpOptions {
    /// Everything but the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpOptions")
            .field("server", &self.server)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// What happened to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The address, as in the envelope.
    pub recipient: String,
    /// Why it was not delivered; `None` when the server accepted the message for it.
    pub error: Option<String>,
    /// The server's answer never came (no reply in time, a closed connection,
    /// a reply that did not fit), so the outcome for this recipient is not
    /// known; `error` says whether the message had been sent by then.
    pub unknown: bool,
}

impl Delivery {
    /// Whether the server accepted the message for this recipient.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

/// The outcome of [`send`], one entry per recipient in envelope order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReport {
    /// Per-recipient results.
    pub deliveries: Vec<Delivery>,
    /// The server's reply to the message (often a queue id), when it was accepted.
    pub response: Option<String>,
}

impl SendReport {
    /// Whether every recipient was accepted.
    pub fn all_ok(&self) -> bool {
        self.deliveries.iter().all(Delivery::ok)
    }

    /// The recipients that were not delivered to.
    pub fn failed(&self) -> impl Iterator<Item = &Delivery> {
        self.deliveries.iter().filter(|d| !d.ok())
    }
}

/// Why the transaction stopped before every recipient had an answer.
struct Stop {
    /// Said of every recipient that has no result yet.
    reason: String,
    /// The dialogue is out of step with the server (a timeout, a closed
    /// connection, a reply that does not fit): a late reply could be taken
    /// for the answer to the next command, so the connection is dropped,
    /// never reused, and the recipients without an answer are "unknown".
    unknown: bool,
}

/// Sends `message` (from [`super::message`]) to every recipient of
/// `envelope` in one SMTP transaction. Never panics and never stops at the
/// first problem: a refused recipient is reported and the others still get
/// the message; when the connection, TLS or login fails, every recipient is
/// reported failed with that reason. After a timeout or a reply that does not
/// fit, the connection is dropped and every recipient not yet answered for is
/// reported unknown, never guessed.
pub fn send(message: &[u8], envelope: &Envelope, smtp: &SmtpOptions) -> SendReport {
    let mut results: Vec<Option<String>> = vec![None; envelope.recipients.len()];
    if results.is_empty() {
        return SendReport { deliveries: Vec::new(), response: None };
    }
    let outcome = connect(smtp).and_then(|mut conn| {
        let outcome = transact(&mut conn, message, envelope, &mut results, smtp.timeout);
        match &outcome {
            // Delivery is done; a failed goodbye changes nothing.
            Ok(_) | Err(Stop { unknown: false, .. }) => drop(conn.quit()),
            // No QUIT: its reply could be a late one. Dropping closes the socket.
            Err(Stop { unknown: true, .. }) => drop(conn),
        }
        outcome
    });
    let (response, failure) = match outcome {
        Ok(r) => (r, None),
        Err(stop) => (None, Some(stop)),
    };
    let deliveries = envelope
        .recipients
        .iter()
        .zip(results)
        .map(|(recipient, error)| {
            let unknown = error.is_none() && failure.as_ref().is_some_and(|f| f.unknown);
            Delivery {
                recipient: recipient.clone(),
                error: error.or_else(|| failure.as_ref().map(|f| f.reason.clone())),
                unknown,
            }
        })
        .collect();
    SendReport { deliveries, response }
}

/// Opens the connection: TCP or TLS, `STARTTLS` when asked, then `AUTH`.
fn connect(smtp: &SmtpOptions) -> Result<SmtpConnection, Stop> {
    let fail = |reason: String| Stop { reason, unknown: false };
    let credentials = match (&smtp.user, &smtp.password) {
        (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
        (None, None) => None,
        // Sending without the login the caller asked for could pass a
        // relay's checks differently, or be refused only after the fact.
        (Some(_), None) => {
            return Err(fail("a user name without a password: not sending unauthenticated".into()));
        }
        (None, Some(_)) => {
            return Err(fail("a password without a user name: not sending unauthenticated".into()));
        }
    };
    if credentials.is_some() && smtp.security == Security::None {
        return Err(fail(
            "refusing to send a password over an unencrypted connection: use starttls or tls"
                .into(),
        ));
    }
    let hello = smtp.hello_name.clone().map_or_else(ClientId::default, ClientId::Domain);
    let tls = match smtp.security {
        Security::None => None,
        Security::StartTls | Security::Tls => Some(tls_parameters(smtp).map_err(fail)?),
    };
    let wrapper = if smtp.security == Security::Tls { tls.as_ref() } else { None };
    let place = format!("{}:{}", smtp.server, smtp.port);
    let why = |e: &Error| cause(e, smtp.timeout);
    let mut conn = SmtpConnection::connect(
        (smtp.server.as_str(), smtp.port),
        Some(smtp.timeout),
        &hello,
        wrapper,
        None,
    )
    .map_err(|e| fail(format!("cannot connect to {place}: {}", why(&e))))?;
    if let (Security::StartTls, Some(tls)) = (smtp.security, &tls) {
        conn.starttls(tls, &hello)
            .map_err(|e| fail(format!("STARTTLS with {place} failed: {}", why(&e))))?;
    }
    if let Some(credentials) = credentials {
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
            .map_err(|e| fail(format!("login to {place} failed: {}", why(&e))))?;
    }
    Ok(conn)
}

/// TLS with the system's certificate authorities, plus the caller's own.
/// The server's certificate is always verified, its name included: there is
/// no setting that turns either off.
fn tls_parameters(smtp: &SmtpOptions) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(smtp.server.clone());
    if let Some(pem) = &smtp.root_certificate {
        // lettre reads only the CERTIFICATE blocks of a PEM file: a file
        // without one would add nothing and say nothing.
        if !pem.windows(PEM_CERTIFICATE.len()).any(|w| w == PEM_CERTIFICATE) {
            return Err(format!(
                "the root certificate holds no PEM certificate (no `{}` line)",
                String::from_utf8_lossy(PEM_CERTIFICATE)
            ));
        }
        let cert = Certificate::from_pem(pem)
            .map_err(|e| format!("cannot read the root certificate: {e}"))?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build().map_err(|e| format!("cannot set up TLS: {e}"))
}

const PEM_CERTIFICATE: &[u8] = b"-----BEGIN CERTIFICATE-----";

impl SmtpOptions {
    /// Sets up TLS as [`send`] would, without connecting, so that an
    /// unusable root certificate is reported once, before anything is sent.
    pub fn check_tls(&self) -> Result<(), String> {
        tls_parameters(self).map(drop)
    }
}

/// `MAIL FROM`, one `RCPT TO` per recipient (refusals into `results`), then
/// `DATA` for the accepted ones. `Err` applies to every recipient without a
/// result, including those accepted so far.
fn transact(
    conn: &mut SmtpConnection,
    message: &[u8],
    envelope: &Envelope,
    results: &mut [Option<String>],
    timeout: Duration,
) -> Result<Option<String>, Stop> {
    let from: Address = envelope.from.parse().map_err(|e| Stop {
        reason: format!("the sender `{}` is not a valid address: {e}", envelope.from),
        unknown: false,
    })?;
    let utf8 = conn.server_info().supports_feature(Extension::SmtpUtfEight);
    // An address outside ASCII (a Cc such as josé@example.es) cannot be
    // encoded in a header; without SMTPUTF8 the message is refused whole,
    // never sent with raw 8-bit headers to the other recipients.
    let head =
        message.windows(4).position(|w| w == b"\r\n\r\n").map_or(message, |at| &message[..at]);
    if !utf8 && !head.is_ascii() {
        return Err(Stop {
            reason: "the message's headers hold an address that is not ASCII, and the server does not accept SMTPUTF8: not sent".into(),
            unknown: false,
        });
    }
    let mut params = Vec::new();
    if utf8 && !(envelope.from.is_ascii() && envelope.recipients.iter().all(|r| r.is_ascii())) {
        params.push(MailParameter::SmtpUtfEight);
    }
    // Until the message's own reply, nothing has been delivered to anyone.
    let unsent = |f: &Fault, what: &str| stop(f, timeout, what, "the message was not sent");
    expect(conn.command(Mail::new(Some(from), params)), Severity::PositiveCompletion)
        .map_err(|f| unsent(&f, "the server refused the sender"))?;
    let mut accepted = Vec::new();
    for (i, recipient) in envelope.recipients.iter().enumerate() {
        match recipient_command(conn, recipient, utf8) {
            Ok(()) => accepted.push(i),
            Err(Refusal::Address(why)) => results[i] = Some(why),
            Err(Refusal::Server(f)) if f.is_refusal() => {
                results[i] = Some(format!("refused: {}", f.cause(timeout)));
            }
            Err(Refusal::Server(f)) => return Err(unsent(&f, "the server refused the recipient")),
        }
    }
    if accepted.is_empty() {
        return Ok(None);
    }
    expect(conn.command(Data), Severity::PositiveIntermediate)
        .map_err(|f| unsent(&f, "the server did not accept the message"))?;
    // lettre ends DATA with CRLF . CRLF; the message's own final CRLF would
    // otherwise arrive as an extra blank line.
    let body = message.strip_suffix(b"\r\n").unwrap_or(message);
    let reply = expect(conn.message(body), Severity::PositiveCompletion).map_err(|f| {
        stop(&f, timeout, "the server did not accept the message", "it may have been delivered")
    })?;
    Ok(Some(reply.message().collect::<Vec<_>>().join(" ")))
}

/// What to say of the recipients still waiting when `fault` ends the
/// dialogue: a refusal is `what` the server said; anything else is unknown,
/// with the `consequence` for the message.
fn stop(fault: &Fault, timeout: Duration, what: &str, consequence: &str) -> Stop {
    let why = fault.cause(timeout);
    if fault.is_refusal() {
        Stop { reason: format!("{what}: {why}"), unknown: false }
    } else {
        Stop { reason: format!("unknown: {why}; {consequence}"), unknown: true }
    }
}

/// What went wrong with one command.
enum Fault {
    /// `lettre`'s error: a 4yz or 5yz reply, none in time, or none that parses.
    Smtp(Error),
    /// A positive reply of the other kind (say 354 to `RCPT`): out of step.
    OutOfStep(Code),
}

impl Fault {
    /// A 4yz or 5yz reply: an answer, so the dialogue is still in step.
    fn is_refusal(&self) -> bool {
        matches!(self, Fault::Smtp(e) if e.is_transient() || e.is_permanent())
    }

    fn cause(&self, timeout: Duration) -> String {
        match self {
            Fault::Smtp(e) => cause(e, timeout),
            Fault::OutOfStep(code) => format!("the server answered {code}, which does not fit"),
        }
    }
}

/// A reply of the kind `expected` (2yz or 3yz).
fn expect(reply: Result<Response, Error>, expected: Severity) -> Result<Response, Fault> {
    let reply = reply.map_err(Fault::Smtp)?;
    if reply.code().severity == expected { Ok(reply) } else { Err(Fault::OutOfStep(reply.code())) }
}

/// Why a recipient was not offered, or what the server said to it.
enum Refusal {
    /// The address cannot be offered to this server; nothing was sent.
    Address(String),
    /// The server's reply, or the lack of one.
    Server(Fault),
}

/// One `RCPT TO`; an address the server cannot take is refused here, not sent.
fn recipient_command(
    conn: &mut SmtpConnection,
    recipient: &str,
    utf8: bool,
) -> Result<(), Refusal> {
    let address: Address = recipient
        .parse()
        .map_err(|e| Refusal::Address(format!("`{recipient}` is not a valid address: {e}")))?;
    if !recipient.is_ascii() && !utf8 {
        return Err(Refusal::Address(format!(
            "`{recipient}` is not ASCII and the server does not accept SMTPUTF8"
        )));
    }
    expect(conn.command(Rcpt::new(address, Vec::new())), Severity::PositiveCompletion)
        .map(|_| ())
        .map_err(Refusal::Server)
}

/// The cause of `e` in plain words: what the server said, or that it did
/// not answer within `timeout`, never "Resource temporarily unavailable
/// (os error 11)".
pub(super) fn cause(e: &Error, timeout: Duration) -> String {
    if let (Some(code), Some(text)) = (e.status(), std::error::Error::source(e)) {
        return format!("{code} {text}");
    }
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return tls_cause(tls);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            // rustls's failure travels inside an io::Error, whose own
            // `source` skips it.
            if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                return tls_cause(tls);
            }
            return io_cause(io, timeout);
        }
        source = err.source();
    }
    match e.to_string().as_str() {
        // lettre's words for a connection closed in the middle of a reply.
        "response error: incomplete response" => "the server closed the connection".into(),
        other => other.to_string(),
    }
}

/// A failed TLS handshake: above all, why the server's certificate was refused.
fn tls_cause(tls: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let rustls::Error::InvalidCertificate(why) = tls else {
        return format!("TLS failed: {tls}");
    };
    match why {
        C::UnknownIssuer => "the server's certificate was not issued by a trusted certificate \
                             authority (trust your organisation's own with --ca-file)"
            .into(),
        C::NotValidForNameContext { expected, presented } => {
            // webpki lists the names as `DnsName("mail.example.gov")`.
            let names: Vec<&str> = presented
                .iter()
                .map(|n| {
                    n.strip_prefix("DnsName(\"").and_then(|n| n.strip_suffix("\")")).unwrap_or(n)
                })
                .collect();
            let names = if names.is_empty() { "none".into() } else { names.join(", ") };
            format!(
                "the server's certificate is not valid for {} (the names it holds: {names})",
                expected.to_str()
            )
        }
        C::NotValidForName => "the server's certificate is not valid for its name".into(),
        C::Expired | C::ExpiredContext { .. } => {
            format!("the server's certificate has expired: {why}")
        }
        _ => format!("the server's certificate was refused: {why}"),
    }
}

fn io_cause(io: &std::io::Error, timeout: Duration) -> String {
    use std::io::ErrorKind as K;
    match io.kind() {
        // A read timeout is EAGAIN on Unix (WouldBlock) and TimedOut elsewhere.
        K::WouldBlock | K::TimedOut => {
            format!("the server did not answer within {}", seconds(timeout))
        }
        K::ConnectionRefused => "nothing is listening there (connection refused)".into(),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            "the server closed the connection".into()
        }
        _ => {
            // The OS's text without its "(os error N)" tail.
            let text = io.to_string();
            match text.rfind(" (os error ") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        }
    }
}

/// `30 s`, or `1.5 s` for a fractional timeout.
fn seconds(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} s", d.as_secs_f64())
    }
}
