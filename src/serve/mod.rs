//! `brief serve`: a local web page that shows a brief's pages as they will
//! print, updated on every save, with the problems of a save that does not
//! build over the last good pages, and a map from every text on a page back
//! to the field (and source line) it came from.
//!
//! The server holds the last good build of each brief in memory and writes
//! no file. Browsers hear of builds through Server-Sent Events; a build
//! only bumps a counter and wakes them, so a slow or vanished browser never
//! holds a build up. Only the preview's own pages, scripts and builds are
//! served, from a fixed table of routes: no request path ever reaches the
//! file system.

pub mod http;
mod map;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::diag::{Diagnostic, Warned};
use crate::{BuildOptions, Env};
use http::{Request, Response};

pub use map::{Preview, preview};

/// Most connections served at once; more wait in the kernel's queue.
const MAX_CONNECTIONS: usize = 64;
/// Most event streams open at once (browser tabs on the preview).
const MAX_STREAMS: usize = 32;
/// How often an idle event stream sends a comment, so a browser that went
/// away is noticed and its thread ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The files of the page, built into the binary: pdf.js (pdfjs-dist
/// 5.6.205, legacy build, Apache-2.0, its licence served beside it) and
/// the preview's own page, script and style.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("/assets/pdf.min.mjs", "text/javascript", include_bytes!("../../assets/pdfjs/pdf.min.mjs")),
    (
        "/assets/pdf.worker.min.mjs",
        "text/javascript",
        include_bytes!("../../assets/pdfjs/pdf.worker.min.mjs"),
    ),
    (
        "/assets/pdfjs-LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/pdfjs/LICENSE"),
    ),
    ("/assets/preview.js", "text/javascript", include_bytes!("../../assets/serve/preview.js")),
    ("/assets/preview.css", "text/css", include_bytes!("../../assets/serve/preview.css")),
    ("/assets/index.js", "text/javascript", include_bytes!("../../assets/serve/index.js")),
];
const PREVIEW_HTML: &[u8] = include_bytes!("../../assets/serve/preview.html");
const INDEX_HTML: &[u8] = include_bytes!("../../assets/serve/index.html");

/// How the server is reached and what it may do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on; `None` is the loopback addresses,
    /// 127.0.0.1 and ::1.
    pub bind: Option<IpAddr>,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The editor link: a URL with `{file}`, `{line}` and `{col}`
    /// (`vscode://file/{file}:{line}:{col}`), or a command run on the
    /// preview's request (`code -g {file}:{line}`).
    pub editor: Option<String>,
}

/// One entry of the preview: a brief, or the folder's summit book.
pub struct Entry {
    /// Its name on the page (the source as named, or "Summit book").
    pub name: String,
    /// The source; `None` for the book.
    pub source: Option<PathBuf>,
    state: Mutex<State>,
}

/// What an entry's page shows.
#[derive(Default)]
struct State {
    /// The last good build.
    good: Option<Arc<Good>>,
    /// The problems of the last build, when it failed.
    errors: Vec<Diagnostic>,
    /// Its warnings.
    warnings: Vec<Diagnostic>,
    /// Builds so far, good or not.
    builds: u64,
}

/// A build that succeeded, as served.
struct Good {
    /// Which build it was.
    build: u64,
    pdf: Arc<Vec<u8>>,
    /// The page-to-source map and the rest of the page's data.
    map: Value,
    pages: usize,
    ms: u128,
    /// When the build started and ended, in ms since the epoch, and its
    /// stages' times: where a save's time goes (scripts/serve-latency).
    started: f64,
    ended: f64,
    stages: Value,
}

/// The running server.
pub struct Server {
    shared: Arc<Shared>,
    /// The addresses it listens on.
    pub addrs: Vec<SocketAddr>,
}

struct Shared {
    entries: Mutex<Vec<Arc<Entry>>>,
    /// A single brief (its page at `/`) or a folder (an index at `/`).
    folder: bool,
    /// The addresses listened on.
    addrs: Vec<SocketAddr>,
    editor: Option<String>,
    /// Bumped by every build; event streams wait on it.
    generation: Mutex<u64>,
    changed: Condvar,
    connections: AtomicUsize,
    streams: AtomicUsize,
}

impl Server {
    /// Listens and serves in background threads until the process ends.
    /// `entries` are the previews (names and sources); `folder` says
    /// whether `/` is an index of them or the one brief's page.
    pub fn start(
        options: &Options,
        entries: Vec<(String, Option<PathBuf>)>,
        folder: bool,
    ) -> Result<Server, Diagnostic> {
        let listeners = listen(options)?;
        let addrs: Vec<SocketAddr> = listeners.iter().filter_map(|l| l.local_addr().ok()).collect();
        let shared = Arc::new(Shared {
            entries: Mutex::new(
                entries
                    .into_iter()
                    .map(|(name, source)| Arc::new(Entry::new(name, source)))
                    .collect(),
            ),
            folder,
            addrs: addrs.clone(),
            editor: options.editor.clone(),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            connections: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
        });
        for listener in listeners {
            let shared = shared.clone();
            std::thread::spawn(move || accept(&listener, &shared));
        }
        Ok(Server { shared, addrs })
    }

    /// The address to open: the first one listened on.
    pub fn url(&self) -> String {
        format!("http://{}/", host_of(self.addrs[0]))
    }

    /// The entries, in order.
    pub fn entries(&self) -> Vec<Arc<Entry>> {
        lock(&self.shared.entries).clone()
    }

    /// Adds an entry for a brief that appeared in the folder; its index.
    pub fn add(&self, name: String, source: PathBuf) -> usize {
        let mut entries = lock(&self.shared.entries);
        entries.push(Arc::new(Entry::new(name, Some(source))));
        entries.len() - 1
    }

    /// Records a build of `entry` and tells every browser.
    pub(crate) fn publish(
        &self,
        entry: &Entry,
        built: Result<Warned<Preview>, Vec<Diagnostic>>,
        took: Duration,
    ) {
        {
            let mut state = lock(&entry.state);
            state.builds += 1;
            let build = state.builds;
            match built {
                Ok(Warned { value: p, warnings }) => {
                    let map = p.map_json(self.shared.editor_link(entry.source.as_deref()));
                    let stages: serde_json::Map<String, Value> =
                        p.stages.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
                    let ended = epoch_ms(std::time::SystemTime::now());
                    state.warnings = warnings;
                    state.errors.clear();
                    state.good = Some(Arc::new(Good {
                        build,
                        pdf: Arc::new(p.pdf),
                        map,
                        pages: p.pages.len(),
                        ms: took.as_millis(),
                        started: ended - took.as_secs_f64() * 1000.0,
                        ended,
                        stages: Value::Object(stages),
                    }));
                }
                Err(diags) => {
                    let (errors, warnings) = diags.into_iter().partition(Diagnostic::is_error);
                    state.errors = errors;
                    state.warnings = warnings;
                }
            }
        }
        let mut generation = lock(&self.shared.generation);
        *generation += 1;
        self.shared.changed.notify_all();
    }
}

impl Entry {
    fn new(name: String, source: Option<PathBuf>) -> Self {
        Entry { name, source, state: Mutex::new(State::default()) }
    }

    /// The state for the folder's index: `ok`, `warnings`, `errors` or `building`.
    pub fn summary(&self) -> &'static str {
        let state = lock(&self.state);
        match (state.builds, state.errors.is_empty(), state.warnings.is_empty()) {
            (0, _, _) => "building",
            (_, false, _) => "errors",
            (_, true, false) => "warnings",
            (_, true, true) => "ok",
        }
    }
}

/// A time in milliseconds since the epoch, as a browser's `Date.now()`.
fn epoch_ms(t: std::time::SystemTime) -> f64 {
    t.duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `127.0.0.1:8000`, `[::1]:8000`.
fn host_of(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
    }
}

/// The listening sockets: the address asked for, or 127.0.0.1 and, on
/// the same port, ::1 where the system has it.
fn listen(options: &Options) -> Result<Vec<TcpListener>, Diagnostic> {
    let fail = |addr: SocketAddr, e: std::io::Error| {
        Diagnostic::error("brief serve", format!("cannot listen on {}: {e}", host_of(addr)))
            .hint("choose another --port, or 0 for any free one")
    };
    let first =
        SocketAddr::new(options.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)), options.port);
    let listener = TcpListener::bind(first).map_err(|e| fail(first, e))?;
    let port = listener.local_addr().map_err(|e| fail(first, e))?.port();
    let mut listeners = vec![listener];
    if options.bind.is_none()
        && let Ok(v6) = TcpListener::bind(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port))
    {
        listeners.push(v6);
    }
    Ok(listeners)
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(http::TIMEOUT));
            let _ = Response::text(503, "too many connections").send(&mut stream, false);
            continue;
        }
        let shared = shared.clone();
        let spawned = std::thread::Builder::new().name("serve".into()).spawn({
            let shared = shared.clone();
            move || {
                serve(&shared, stream);
                shared.connections.fetch_sub(1, Ordering::SeqCst);
            }
        });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn serve(shared: &Shared, mut stream: TcpStream) {
    let request = match http::read(&mut stream) {
        Ok(r) => r,
        Err(None) => return,
        Err(Some(http::Refusal(status, why))) => {
            let _ = Response::text(status, why).send(&mut stream, false);
            return;
        }
    };
    // DNS rebinding: a page of another site, its name pointed at 127.0.0.1,
    // sends its own name as Host; only this server's own addresses pass.
    if !request.host.as_deref().is_some_and(|h| shared.host_allowed(h)) {
        let _ = Response::text(421, "this server answers only to its own address")
            .send(&mut stream, false);
        return;
    }
    let head = request.method == "HEAD";
    if request.method == "GET" {
        if request.path == "/events" {
            return events(shared, stream, None);
        }
        if let Some(entry) = route_entry(shared, &request.path, "events") {
            return events(shared, stream, Some(entry));
        }
    }
    let response = route(shared, &request);
    let _ = response.send(&mut stream, head);
}

/// `/b/{i}/{rest}` → the entry `i` when `rest` is `what`.
fn route_entry(shared: &Shared, path: &str, what: &str) -> Option<Arc<Entry>> {
    let rest = path.strip_prefix("/b/")?;
    let (index, tail) = rest.split_once('/')?;
    if tail != what
        || index.is_empty()
        || !index.bytes().all(|b| b.is_ascii_digit())
        || index.len() > 6
    {
        return None;
    }
    lock(&shared.entries).get(index.parse::<usize>().ok()?).cloned()
}

fn route(shared: &Shared, request: &Request) -> Response {
    let path = request.path.as_str();
    match request.method.as_str() {
        "GET" | "HEAD" => {}
        "POST" if route_entry(shared, path, "edit").is_some() => return edit(shared, request),
        _ => {
            let mut r = Response::text(405, "only GET and HEAD, and POST to an editor link");
            r.headers.push("Allow: GET, HEAD".into());
            return r;
        }
    }
    if let Some((_, kind, body)) = ASSETS.iter().find(|(p, _, _)| *p == path) {
        return Response::ok(kind, *body);
    }
    if path == "/" {
        if shared.folder {
            return Response::ok("text/html; charset=utf-8", INDEX_HTML);
        }
        let mut r = Response::text(303, "the preview is at /b/0/");
        r.headers.push("Location: /b/0/".into());
        return r;
    }
    if path == "/briefs" {
        return Response::json(&index(shared));
    }
    if let Some(_entry) = route_entry(shared, path, "") {
        return Response::ok("text/html; charset=utf-8", PREVIEW_HTML);
    }
    if let Some(entry) = route_entry(shared, path, "state") {
        return Response::json(&state_json(shared, &entry));
    }
    if let Some(entry) = route_entry(shared, path, "pdf") {
        let good = lock(&entry.state).good.clone();
        return match good {
            Some(good) => Response::ok("application/pdf", good.pdf.as_ref().clone()),
            None => Response::text(404, "not built yet"),
        };
    }
    Response::text(404, "not found")
}

fn index(shared: &Shared) -> Value {
    let entries = lock(&shared.entries).clone();
    let briefs: Vec<Value> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let state = lock(&e.state);
            let (pages, ms) = match &state.good {
                Some(g) => (Some(g.pages), Some(g.ms)),
                None => (None, None),
            };
            drop(state);
            json!({"name": e.name, "href": format!("/b/{i}/"), "state": e.summary(), "pages": pages, "ms": ms})
        })
        .collect();
    json!({ "briefs": briefs })
}

fn state_json(shared: &Shared, entry: &Entry) -> Value {
    let state = lock(&entry.state);
    let diag = |d: &Diagnostic| {
        json!({
            "severity": if d.is_error() { "error" } else { "warning" },
            "message": d.message,
            "file": d.file,
            "line": d.span.as_ref().map(|s| s.line),
            "col": d.span.as_ref().map(|s| s.col),
            "path": d.path,
            "text": d.render(false),
        })
    };
    let good = state.good.as_ref().map(|g| {
        let mut map = g.map.clone();
        map["build"] = json!(g.build);
        map["ms"] = json!(g.ms);
        map["started"] = json!(g.started);
        map["ended"] = json!(g.ended);
        map["stages"] = g.stages.clone();
        map
    });
    json!({
        "name": entry.name,
        "folder": shared.folder,
        "version": state.builds,
        "errors": state.errors.iter().map(diag).collect::<Vec<_>>(),
        "warnings": state.warnings.iter().map(diag).collect::<Vec<_>>(),
        "good": good,
    })
}

/// The event stream: one message per build, a comment when idle. An
/// entry's stream carries the entry's state (what `/b/{i}/state` answers)
/// with its last good PDF in base64, so its page draws the new pages without
/// a request; the index's carries the build count. It only reads the counter and the state; nothing
/// a build does waits for it.
fn events(shared: &Shared, mut stream: TcpStream, entry: Option<Arc<Entry>>) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        let _ = Response::text(503, "too many open previews").send(&mut stream, false);
        return;
    }
    let head =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n{}\r\n", http::COMMON);
    let mut seen = None;
    let mut ok = stream.write_all(head.as_bytes()).is_ok();
    while ok {
        let now = {
            let generation = lock(&shared.generation);
            let (generation, _) = shared
                .changed
                .wait_timeout_while(generation, KEEPALIVE, |g| Some(*g) == seen)
                .unwrap_or_else(PoisonError::into_inner);
            *generation
        };
        let message = match &entry {
            _ if Some(now) == seen => ": idle\n\n".to_string(),
            // One line: serde_json writes no newline, and escapes those of strings.
            Some(entry) => {
                let mut state = state_json(shared, entry);
                // The pages themselves, so the page draws them without asking.
                // Only the build the state names: one published in between
                // is fetched by the page instead.
                let good = lock(&entry.state).good.clone();
                if let Some(good) = good.filter(|g| state["good"]["build"] == json!(g.build)) {
                    use base64::Engine as _;
                    let pdf = base64::engine::general_purpose::STANDARD.encode(&*good.pdf);
                    state["good"]["pdf"] = json!(pdf);
                }
                state["sent"] = json!(epoch_ms(std::time::SystemTime::now()));
                format!("data: {state}\n\n")
            }
            None => format!("data: {now}\n\n"),
        };
        seen = Some(now);
        ok = stream.write_all(message.as_bytes()).and_then(|()| stream.flush()).is_ok();
    }
    shared.streams.fetch_sub(1, Ordering::SeqCst);
}

impl Shared {
    /// Whether a `Host` (or an Origin's host) names this server: `localhost`
    /// or an address it listens on, with its port. Any IP address passes
    /// when it listens on all of them (`--bind 0.0.0.0`): an address is
    /// never a name a rebinding page could own.
    fn host_allowed(&self, host: &str) -> bool {
        let port = self.addrs[0].port();
        let any = self.addrs.iter().any(|a| a.ip().is_unspecified());
        let loopback = self.addrs.iter().any(|a| a.ip().is_loopback());
        if host.eq_ignore_ascii_case(&format!("localhost:{port}")) {
            return loopback || any;
        }
        match host.parse::<SocketAddr>() {
            Ok(addr) if addr.port() == port => {
                any || self.addrs.iter().any(|a| a.ip() == addr.ip())
            }
            _ => false,
        }
    }

    /// The editor link for a source: a URL with `{line}` and `{col}` left
    /// for the page, and whether the page asks the server to run it.
    fn editor_link(&self, source: Option<&Path>) -> Option<(String, bool)> {
        let editor = self.editor.as_deref()?;
        let source = std::path::absolute(source?).ok()?;
        if editor.contains("://") {
            let file = url_path(&source.to_string_lossy());
            Some((editor.replace("{file}", &file), false))
        } else {
            Some(("#edit".to_string(), true))
        }
    }
}

/// A path for a URL: everything but unreserved characters and `/` escaped.
fn url_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `POST /b/{i}/edit` with `line=N&col=M`: runs the `--editor` command on
/// that entry's own source, never on a file the request names. Only a page
/// of this server may ask (its Origin), and only numbers are taken from it.
fn edit(shared: &Shared, request: &Request) -> Response {
    let origin_ok = request
        .origin
        .as_deref()
        .and_then(|o| o.strip_prefix("http://"))
        .is_some_and(|h| shared.host_allowed(h));
    if !origin_ok {
        return Response::text(403, "only the preview's own page may open the editor");
    }
    let (Some(editor), Some(entry)) =
        (shared.editor.as_deref(), route_entry(shared, &request.path, "edit"))
    else {
        return Response::text(404, "no editor configured");
    };
    if editor.contains("://") {
        return Response::text(404, "the editor is a link");
    }
    let Some(source) = entry.source.as_deref().and_then(|s| std::path::absolute(s).ok()) else {
        return Response::text(404, "no source");
    };
    let body = String::from_utf8_lossy(&request.body);
    let number = |key: &str| {
        body.split('&').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse::<u32>().ok())
    };
    let (Some(line), col) = (number("line"), number("col").unwrap_or(1)) else {
        return Response::text(400, "line=N expected");
    };
    let file = source.to_string_lossy();
    let words: Vec<String> = editor
        .split_whitespace()
        .map(|w| {
            w.replace("{file}", &file)
                .replace("{line}", &line.to_string())
                .replace("{col}", &col.to_string())
        })
        .collect();
    let Some((program, args)) = words.split_first() else {
        return Response::text(404, "no editor configured");
    };
    match std::process::Command::new(program).args(args).stdin(std::process::Stdio::null()).spawn()
    {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
            Response {
                status: 204,
                kind: "text/plain",
                body: Vec::new().into(),
                headers: Vec::new(),
            }
        }
        Err(e) => Response::text(500, &format!("cannot start the editor: {e}")),
    }
}

/// Binds `sources` into the folder's summit book, as `brief book` does
/// with `options`, and publishes it as `entry`; its pages have no map.
pub fn rebuild_book(
    server: &Server,
    entry: &Entry,
    sources: &[PathBuf],
    env: &Env,
    options: &crate::book::Options,
) -> Result<usize, usize> {
    let started = Instant::now();
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for path in sources {
        match crate::read_source(path) {
            Ok(bytes) => read.push((path.display().to_string(), bytes)),
            Err((_, d)) => failed.push(d),
        }
    }
    let built = if failed.is_empty() {
        crate::book::bind(&read, env, options).map(|book| {
            book.map(|book| Preview {
                file: entry.name.clone(),
                pages: (0..book.pages).map(|_| map::PageMap::default()).collect(),
                pdf: book.pdf,
                lines: Default::default(),
                stages: Vec::new(),
            })
        })
    } else {
        Err(failed)
    };
    let result = match &built {
        Ok(p) => Ok(p.value.pages.len()),
        Err(d) => Err(d.iter().filter(|d| d.is_error()).count()),
    };
    server.publish(entry, built, started.elapsed());
    result
}

/// Builds `entry` from its source with `options`, timed, and publishes it.
pub fn rebuild(
    server: &Server,
    entry: &Entry,
    env: &Env,
    options: &BuildOptions,
) -> Result<usize, usize> {
    let Some(source) = entry.source.as_deref() else { return Err(0) };
    let started = Instant::now();
    let built = match crate::read_source(source) {
        Ok(bytes) => preview(&source.display().to_string(), &bytes, env, options),
        Err((_, d)) => Err(vec![d]),
    };
    let result = match &built {
        Ok(p) => Ok(p.value.pages.len()),
        Err(d) => Err(d.iter().filter(|d| d.is_error()).count()),
    };
    server.publish(entry, built, started.elapsed());
    result
}
