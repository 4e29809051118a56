//! HTTP/1.1 for the preview, as little as it needs: one GET (or a small
//! POST) per connection, the request head parsed by `httparse` (hyper's
//! parser) from a buffer of bounded size, timeouts on every socket, the
//! answer written whole and the connection closed.
//!
//! Why not a server crate: tiny_http reads a header line of any length into
//! memory (its issue #56, open since 2015), and axum brings tokio and hyper
//! for a local page with five routes. Here nothing a client sends can make
//! the server hold more than `MAX_HEAD` + `MAX_BODY` bytes for it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Most bytes of a request's line and headers.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Most bytes of a request's body (only the editor link has one).
pub(crate) const MAX_BODY: usize = 256;
/// Most headers of a request.
const MAX_HEADERS: usize = 48;
/// How long a client may take to send its whole request (not each piece of
/// it: one byte every few seconds would hold a connection for ever), or to
/// take an answer's next bytes; a stalled client then loses its connection,
/// never the server.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// A request, as far as the preview reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD` or `POST`.
    pub method: String,
    /// The path, percent-decoded, without the query.
    pub path: String,
    /// The query, as sent (after `?`), empty when none.
    pub query: String,
    /// The `Host` header, if sent.
    pub host: Option<String>,
    /// The `Origin` header, if sent.
    pub origin: Option<String>,
    /// The body (at most `MAX_BODY` bytes).
    pub body: Vec<u8>,
}

/// Why a request is refused before it is routed: the status and a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub u16, pub &'static str);

/// Reads one request from `stream`, within `MAX_HEAD` and `TIMEOUT` for
/// the whole of it. `Err(None)` when the client went away (or stayed
/// silent) before sending one.
pub fn read(stream: &mut TcpStream) -> Result<Request, Option<Refusal>> {
    read_within(stream, TIMEOUT)
}

fn read_within(stream: &mut TcpStream, timeout: Duration) -> Result<Request, Option<Refusal>> {
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let deadline = std::time::Instant::now() + timeout;
    // Each read may wait only for what is left of the request's time.
    let left = |stream: &TcpStream| {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        !left.is_zero() && stream.set_read_timeout(Some(left)).is_ok()
    };
    let mut buf = vec![0u8; MAX_HEAD];
    let mut len = 0;
    loop {
        if !left(stream) {
            return Err((len > 0).then_some(Refusal(408, "request took too long")));
        }
        let n = match stream.read(&mut buf[len..]) {
            Ok(0) | Err(_) if len == 0 => return Err(None),
            // The read waited out what was left of the request's time.
            Err(e) if timed_out(&e) => return Err(Some(Refusal(408, "request took too long"))),
            Ok(0) | Err(_) => return Err(Some(Refusal(400, "incomplete request"))),
            Ok(n) => n,
        };
        len += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf[..len]) {
            Ok(httparse::Status::Complete(head)) => {
                let mut request = request(&parsed)?;
                let length = content_length(&parsed)?;
                if length > MAX_BODY {
                    return Err(Some(Refusal(413, "request body too large")));
                }
                let mut body = buf[head..len].to_vec();
                body.truncate(length);
                while body.len() < length {
                    if !left(stream) {
                        return Err(Some(Refusal(408, "request took too long")));
                    }
                    let mut more = [0u8; MAX_BODY];
                    match stream.read(&mut more[..length - body.len()]) {
                        Err(e) if timed_out(&e) => {
                            return Err(Some(Refusal(408, "request took too long")));
                        }
                        Ok(0) | Err(_) => return Err(Some(Refusal(400, "incomplete body"))),
                        Ok(n) => body.extend_from_slice(&more[..n]),
                    }
                }
                request.body = body;
                return Ok(request);
            }
            Ok(httparse::Status::Partial) if len == buf.len() => {
                return Err(Some(Refusal(431, "request head too large")));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(Some(Refusal(431, "too many headers")));
            }
            Err(_) => return Err(Some(Refusal(400, "malformed request"))),
        }
    }
}

/// A read that ended because its timeout passed (how the platform says so).
fn timed_out(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
}

fn request(parsed: &httparse::Request) -> Result<Request, Option<Refusal>> {
    let method = parsed.method.unwrap_or_default().to_string();
    let target = parsed.path.unwrap_or_default();
    // Only origin-form targets (`/path?query`): an absolute URL or `*`
    // names something other than this server's own files.
    if !target.starts_with('/') {
        return Err(Some(Refusal(400, "the request target must be a path")));
    }
    let (raw, query) = target.split_once('?').unwrap_or((target, ""));
    let path = decode(raw).ok_or(Some(Refusal(400, "malformed path")))?;
    let header = |name: &str| {
        let mut found = parsed.headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name));
        let first = found.next().and_then(|h| std::str::from_utf8(h.value).ok()).map(str::trim);
        // Two Host headers are ambiguous: neither is believed.
        if found.next().is_some() { None } else { first.map(str::to_string) }
    };
    Ok(Request {
        method,
        path,
        query: query.to_string(),
        host: header("host"),
        origin: header("origin"),
        body: Vec::new(),
    })
}

fn content_length(parsed: &httparse::Request) -> Result<usize, Option<Refusal>> {
    let mut length = 0;
    for h in parsed.headers.iter() {
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Some(Refusal(411, "a body needs Content-Length")));
        }
        if h.name.eq_ignore_ascii_case("content-length") {
            let text = std::str::from_utf8(h.value).unwrap_or_default().trim();
            length = text.parse::<usize>().map_err(|_| Some(Refusal(400, "bad Content-Length")))?;
        }
    }
    Ok(length)
}

/// `%XX`-decodes a path; `None` when an escape is malformed or the result
/// is not UTF-8, or it holds a NUL. Routes compare the decoded path, so
/// `%2e%2e` is `..` and refused like it.
pub fn decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.contains('\0'))
}

/// An answer: status, content type, body, and any extra headers.
pub(crate) struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub kind: &'static str,
    /// The body.
    pub body: std::borrow::Cow<'static, [u8]>,
    /// Extra headers, `Name: value` without the line end.
    pub headers: Vec<String>,
}

impl Response {
    /// A 200 with a body.
    pub fn ok(kind: &'static str, body: impl Into<std::borrow::Cow<'static, [u8]>>) -> Self {
        Response { status: 200, kind, body: body.into(), headers: Vec::new() }
    }

    /// A plain-text answer with status `status`.
    pub fn text(status: u16, text: &str) -> Self {
        let body = format!("{text}\n").into_bytes();
        Response {
            status,
            kind: "text/plain; charset=utf-8",
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// JSON.
    pub fn json(value: &serde_json::Value) -> Self {
        Response::ok("application/json", value.to_string().into_bytes())
    }

    /// Writes the answer and ends the exchange. Every answer forbids
    /// framing by another site, sniffing and caching, and sets a content
    /// security policy that lets the page run only its own scripts.
    pub fn send(self, stream: &mut impl Write, head_only: bool) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}",
            self.status,
            reason(self.status),
            self.kind,
            self.body.len(),
            COMMON
        );
        for h in &self.headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

/// Headers of every answer, the event stream's too.
pub(crate) const COMMON: &str = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n\
Content-Security-Policy: default-src 'self'; img-src 'self' data: blob:; \
worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; \
base-uri 'none'; frame-ancestors 'none'; form-action 'none'\r\n\
Connection: close\r\n";

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that sends its request a byte at a time, each in time for
    /// the last, is cut off when the request's own time is up: it cannot
    /// hold a connection for ever. Bounded: the client stops after 3 s.
    #[test]
    fn a_request_trickled_in_is_cut_off_at_its_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let at = listener.local_addr().expect("its address");
        let client = std::thread::spawn(move || {
            let mut c = TcpStream::connect(at).expect("connects");
            let _ = std::io::Write::write_all(&mut c, b"GET / HTTP/1.1\r\n");
            for _ in 0..30 {
                std::thread::sleep(Duration::from_millis(100));
                if std::io::Write::write_all(&mut c, b"X").is_err() {
                    break;
                }
            }
        });
        let (mut stream, _) = listener.accept().expect("accepts");
        let started = std::time::Instant::now();
        let refused = read_within(&mut stream, Duration::from_millis(500));
        assert_eq!(refused, Err(Some(Refusal(408, "request took too long"))));
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        drop(stream);
        client.join().expect("the client ends");
    }

    #[test]
    fn decoding_finds_dots_however_written_and_refuses_bad_escapes() {
        assert_eq!(decode("/a/%2e%2E/b").as_deref(), Some("/a/../b"));
        assert_eq!(decode("/%E2%86%92").as_deref(), Some("/→"));
        assert_eq!(decode("/%zz"), None);
        assert_eq!(decode("/%2"), None);
        assert_eq!(decode("/%00"), None);
        assert_eq!(decode("/%ff"), None);
    }
}
