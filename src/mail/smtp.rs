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
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailParameter};

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
    pub fn default_port(self) -> u16 {
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
    /// Port; [`Security::default_port`] is the usual one.
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

/// Sends `message` (from [`super::message`]) to every recipient of
/// `envelope` in one SMTP transaction. Never panics and never stops at the
/// first problem: a refused recipient is reported and the others still get
/// the message; when the connection, TLS or login fails, every recipient is
/// reported failed with that reason.
pub fn send(message: &[u8], envelope: &Envelope, smtp: &SmtpOptions) -> SendReport {
    let mut results: Vec<Option<String>> = vec![None; envelope.recipients.len()];
    if results.is_empty() {
        return SendReport { deliveries: Vec::new(), response: None };
    }
    let outcome = connect(smtp).and_then(|mut conn| {
        let outcome = transact(&mut conn, message, envelope, &mut results);
        if outcome.is_ok() {
            // Delivery is done; a failed goodbye changes nothing.
            let _ = conn.quit();
        } else {
            conn.abort();
        }
        outcome
    });
    let (response, failure) = match outcome {
        Ok(r) => (r, None),
        Err(e) => (None, Some(e)),
    };
    let deliveries = envelope
        .recipients
        .iter()
        .zip(results)
        .map(|(recipient, error)| Delivery {
            recipient: recipient.clone(),
            error: error.or_else(|| failure.clone()),
        })
        .collect();
    SendReport { deliveries, response }
}

/// Opens the connection: TCP or TLS, `STARTTLS` when asked, then `AUTH`.
fn connect(smtp: &SmtpOptions) -> Result<SmtpConnection, String> {
    let credentials = match (&smtp.user, &smtp.password) {
        (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
        _ => None,
    };
    if credentials.is_some() && smtp.security == Security::None {
        return Err("refusing to send a password over an unencrypted connection: \
                    use starttls or tls"
            .into());
    }
    let hello = smtp.hello_name.clone().map_or_else(ClientId::default, ClientId::Domain);
    let tls = match smtp.security {
        Security::None => None,
        Security::StartTls | Security::Tls => Some(tls_parameters(smtp)?),
    };
    let wrapper = if smtp.security == Security::Tls { tls.as_ref() } else { None };
    let place = format!("{}:{}", smtp.server, smtp.port);
    let mut conn = SmtpConnection::connect(
        (smtp.server.as_str(), smtp.port),
        Some(smtp.timeout),
        &hello,
        wrapper,
        None,
    )
    .map_err(|e| format!("cannot connect to {place}: {e}"))?;
    if let (Security::StartTls, Some(tls)) = (smtp.security, &tls) {
        conn.starttls(tls, &hello).map_err(|e| format!("STARTTLS with {place} failed: {e}"))?;
    }
    if let Some(credentials) = credentials {
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
            .map_err(|e| format!("login to {place} failed: {e}"))?;
    }
    Ok(conn)
}

/// TLS with the system's certificate authorities, plus the caller's own.
fn tls_parameters(smtp: &SmtpOptions) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(smtp.server.clone());
    if let Some(pem) = &smtp.root_certificate {
        let cert = Certificate::from_pem(pem)
            .map_err(|e| format!("cannot read the root certificate: {e}"))?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build().map_err(|e| format!("cannot set up TLS: {e}"))
}

/// `MAIL FROM`, one `RCPT TO` per recipient (refusals into `results`), then
/// `DATA` for the accepted ones. `Err` fails every recipient not already failed.
fn transact(
    conn: &mut SmtpConnection,
    message: &[u8],
    envelope: &Envelope,
    results: &mut [Option<String>],
) -> Result<Option<String>, String> {
    let from: Address = envelope
        .from
        .parse()
        .map_err(|e| format!("the sender `{}` is not a valid address: {e}", envelope.from))?;
    let utf8 = conn.server_info().supports_feature(Extension::SmtpUtfEight);
    let mut params = Vec::new();
    if utf8 && !(envelope.from.is_ascii() && envelope.recipients.iter().all(|r| r.is_ascii())) {
        params.push(MailParameter::SmtpUtfEight);
    }
    conn.command(Mail::new(Some(from), params))
        .map_err(|e| format!("the server refused the sender: {e}"))?;
    let mut accepted = Vec::new();
    for (i, recipient) in envelope.recipients.iter().enumerate() {
        match recipient_command(conn, recipient, utf8) {
            Ok(()) => accepted.push(i),
            Err(e) => results[i] = Some(e),
        }
    }
    if accepted.is_empty() {
        return Ok(None);
    }
    // lettre ends DATA with CRLF . CRLF; the message's own final CRLF would
    // otherwise arrive as an extra blank line.
    let body = message.strip_suffix(b"\r\n").unwrap_or(message);
    let data = conn.command(Data).and_then(|_| conn.message(body));
    match data {
        Ok(reply) => Ok(Some(reply.message().collect::<Vec<_>>().join(" "))),
        Err(e) => {
            let why = format!("the server did not accept the message: {e}");
            for i in accepted {
                results[i] = Some(why.clone());
            }
            Ok(None)
        }
    }
}

/// One `RCPT TO`; an address the server cannot take is refused here, not sent.
fn recipient_command(conn: &mut SmtpConnection, recipient: &str, utf8: bool) -> Result<(), String> {
    let address: Address =
        recipient.parse().map_err(|e| format!("`{recipient}` is not a valid address: {e}"))?;
    if !recipient.is_ascii() && !utf8 {
        return Err(format!("`{recipient}` is not ASCII and the server does not accept SMTPUTF8"));
    }
    conn.command(Rcpt::new(address, Vec::new())).map(|_| ()).map_err(|e| format!("refused: {e}"))
}
