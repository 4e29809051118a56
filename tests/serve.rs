//! `brief serve` over HTTP: the PDF it serves is the one `build` writes,
//! saves rebuild it, a broken save shows `check`'s text over the last good
//! pages, and the safety rules hold (its own address only, its own files
//! only, bounded requests, a stalled browser never holds a build up).
//! Every server binds 127.0.0.1 on a free port and is killed at the end;
//! every wait is bounded.

#[path = "common/cli.rs"]
mod cli;
use cli::{command, scratch};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";
const EPOCH: &str = "1625097600";
/// The longest any wait in these tests may take.
const PATIENCE: Duration = Duration::from_secs(30);

/// A scratch folder, removed when dropped (after its server: declared first).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `brief serve`, killed when dropped.
struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    host: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Served {
    let mut all = vec!["serve", "--port", "0"];
    all.extend_from_slice(args);
    let mut child = command(&all, Some(EPOCH))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts brief serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(PATIENCE).expect("brief serve prints its address first");
    let host = line
        .trim()
        .strip_prefix("http://")
        .and_then(|r| r.strip_suffix('/'))
        .unwrap_or_else(|| panic!("first line is the URL: {line:?}"))
        .to_string();
    assert!(host.starts_with("127.0.0.1:"), "binds the loopback address: {host}");
    assert!(!host.ends_with(":0"), "--port 0 picked a port: {host}");
    Served { child, host }
}

/// A raw exchange: `request` sent as is; the status and body read back.
fn raw(host: &str, request: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole answer");
    let head = String::from_utf8_lossy(&answer[..end]).to_string();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, answer[end + 4..].to_vec())
}

fn get(served: &Served, path: &str) -> (u16, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", served.host);
    raw(&served.host, request.as_bytes())
}

fn state(served: &Served, entry: usize) -> serde_json::Value {
    let (status, body) = get(served, &format!("/b/{entry}/state"));
    assert_eq!(status, 200);
    serde_json::from_slice(&body).unwrap()
}

/// Polls the state until `done` holds; the state it held in.
fn until(
    served: &Served,
    entry: usize,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let s = state(served, entry);
        if done(&s) {
            return s;
        }
        assert!(started.elapsed() < PATIENCE, "waited in vain; last state {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn copy_example(dir: &Path) -> PathBuf {
    let source = dir.join("brief.yaml");
    std::fs::copy(cli::root().join(EXAMPLE), &source).unwrap();
    source
}

/// Replaces the first `old` in the file by `new`, as an editor saves.
fn edit(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(old), "{old:?} in {}", file.display());
    std::fs::write(file, text.replacen(old, new, 1)).unwrap();
}

fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn serves_the_pdf_build_writes_and_rebuilds_on_save() {
    let dir = scratch("rebuild");
    let _clean = Scratch(dir.clone());
    let source = copy_example(&dir);
    let served = serve(&[source.to_str().unwrap()]);
    let first = until(&served, 0, |s| !s["good"].is_null());
    let (status, pdf) = get(&served, "/b/0/pdf");
    assert_eq!(status, 200);
    let built = dir.join("built.pdf");
    let out =
        command(&["build", source.to_str().unwrap(), "-o", built.to_str().unwrap()], Some(EPOCH))
            .output()
            .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        pdf == std::fs::read(&built).unwrap(),
        "the preview shows the PDF build writes, byte for byte"
    );

    // The map: every key message is on a page, at its own source line.
    let lines = &first["good"]["lines"];
    for i in 0..3 {
        let path = format!("key_messages[{i}]");
        let on_page = first["good"]["pages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["fields"].as_array().unwrap())
            .any(|f| f[4] == path.as_str() && f[2].as_f64().unwrap() > 10.0);
        assert!(on_page, "{path} has a place on a page: {}", first["good"]["pages"]);
        assert!(lines[&path][0].as_u64().unwrap() > 1, "{path} has a line: {lines}");
    }
    let title_line = line_of(&source, "title:") as u64;
    assert_eq!(lines["brief.title"][0].as_u64(), Some(title_line), "{lines}");

    // A save: a new build, told through the event stream.
    let mut events = TcpStream::connect(&served.host).unwrap();
    events.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(events, "GET /b/0/events HTTP/1.1\r\nHost: {}\r\n\r\n", served.host).unwrap();
    let mut events = BufReader::new(events);
    let data = |events: &mut BufReader<TcpStream>| loop {
        let mut line = String::new();
        assert!(events.read_line(&mut line).unwrap() > 0, "the stream stays open");
        // Each message is the state, as /b/0/state answers it, with the PDF.
        if let Some(state) = line.strip_prefix("data: ") {
            return serde_json::from_str::<serde_json::Value>(state.trim()).unwrap();
        }
    };
    let before = data(&mut events)["version"].as_u64().unwrap();
    let version = first["version"].as_u64().unwrap();
    edit(&source, "title: ", "title: Renamed ");
    let told = data(&mut events);
    let after = told["version"].as_u64().unwrap();
    assert!(after > before, "a build after the save ({before} → {after})");
    let s = until(&served, 0, |s| s["version"].as_u64() > Some(version));
    assert!(s["errors"].as_array().unwrap().is_empty(), "{s}");
    let (_, new_pdf) = get(&served, "/b/0/pdf");
    assert!(new_pdf != pdf, "the new build is served");
    // The event brought the very PDF /b/0/pdf serves for its build.
    use base64::Engine as _;
    let sent = base64::engine::general_purpose::STANDARD
        .decode(told["good"]["pdf"].as_str().expect("the PDF in the event"))
        .unwrap();
    assert!(sent.starts_with(b"%PDF-") && sent != pdf, "the new build's PDF came with its event");
    if told["good"]["build"] == s["good"]["build"] {
        assert!(sent == new_pdf, "the same bytes as /b/0/pdf");
    }
}

#[test]
fn a_broken_save_shows_what_check_prints_over_the_last_good_pages() {
    let dir = scratch("broken");
    let _clean = Scratch(dir.clone());
    let source = copy_example(&dir);
    let served = serve(&[source.to_str().unwrap()]);
    let good = until(&served, 0, |s| !s["good"].is_null());
    let (_, pdf) = get(&served, "/b/0/pdf");
    let date_line = line_of(&source, "  date: ");
    let text = std::fs::read_to_string(&source).unwrap();
    let old_date = text.lines().nth(date_line - 1).unwrap().to_string();
    edit(&source, &old_date, "  date: 2021-13-45");
    let s = until(&served, 0, |s| !s["errors"].as_array().unwrap().is_empty());
    let check =
        command(&["check", source.to_str().unwrap()], None).env("NO_COLOR", "1").output().unwrap();
    let printed = String::from_utf8_lossy(&check.stderr);
    let error = &s["errors"][0];
    assert_eq!(error["line"].as_u64(), Some(date_line as u64), "{s}");
    assert!(
        printed.contains(error["text"].as_str().unwrap()),
        "the same text as check:\n{printed}\n---\n{}",
        error["text"]
    );
    assert_eq!(s["good"]["build"], good["good"]["build"], "the last good pages stay");
    assert_eq!(get(&served, "/b/0/pdf").1, pdf);
    edit(&source, "  date: 2021-13-45", &old_date);
    let fixed = until(&served, 0, |s| s["errors"].as_array().unwrap().is_empty());
    assert!(fixed["good"]["build"].as_u64() > good["good"]["build"].as_u64());
}

#[test]
fn only_its_own_address_is_answered() {
    let dir = scratch("host");
    let _clean = Scratch(dir.clone());
    let source = copy_example(&dir);
    let served = serve(&[source.to_str().unwrap()]);
    let port = served.host.rsplit(':').next().unwrap().to_string();
    for (host, want) in [
        (served.host.clone(), 200),
        (format!("localhost:{port}"), 200),
        (format!("LOCALHOST:{port}"), 200),
        (format!("evil.example:{port}"), 421),
        ("127.0.0.1".to_string(), 421),
        (format!("127.0.0.1:{port}.evil.example"), 421),
    ] {
        let request = format!("GET /assets/preview.css HTTP/1.1\r\nHost: {host}\r\n\r\n");
        assert_eq!(raw(&served.host, request.as_bytes()).0, want, "Host: {host}");
    }
    let none = raw(&served.host, b"GET /assets/preview.css HTTP/1.1\r\n\r\n");
    assert_eq!(none.0, 421, "no Host");
    let two = format!("GET / HTTP/1.1\r\nHost: {}\r\nHost: evil.example\r\n\r\n", served.host);
    assert_eq!(raw(&served.host, two.as_bytes()).0, 421, "two Hosts");
}

#[test]
fn only_its_own_files_are_served() {
    let dir = scratch("files");
    let _clean = Scratch(dir.clone());
    let source = copy_example(&dir);
    std::os::unix::fs::symlink("/etc/passwd", dir.join("linked.yaml")).unwrap();
    std::os::unix::fs::symlink(&source, dir.join("again.yaml")).unwrap();
    let served = serve(&[dir.to_str().unwrap()]);
    let (status, index) = get(&served, "/briefs");
    assert_eq!(status, 200);
    let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
    let names: Vec<&str> =
        index["briefs"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 1, "links are never followed: {names:?}");
    assert!(names[0].ends_with("brief.yaml"));
    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/%2E%2E%2FCargo.toml",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../../../../etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/b/0/../../brief.yaml",
        "/b/0/brief.yaml",
        "/brief.yaml",
        "/linked.yaml",
        "/b/1/",
        "/b/1/pdf",
        "/b/99999999999999999999/",
        "/assets/",
        "/assets/preview.js/",
        "/assets/preview.js%00",
    ] {
        let (status, body) = get(&served, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("root:") && !body.contains("[package]") && !body.contains("meeting:"),
            "{path}: {body}"
        );
    }
    for target in
        [format!("http://{}/assets/preview.css", served.host), "*".into(), "/etc/passwd".into()]
    {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", served.host);
        let (status, _) = raw(&served.host, request.as_bytes());
        assert!(status == 400 || status == 404, "{target}: {status}");
    }
    // Nothing writes: only the editor link takes a POST, and none is set.
    let post = format!(
        "POST /b/0/edit HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Length: 6\r\n\r\nline=1",
        served.host
    );
    assert_eq!(raw(&served.host, post.as_bytes()).0, 404);
    let put =
        format!("PUT /b/0/pdf HTTP/1.1\r\nHost: {}\r\nContent-Length: 1\r\n\r\nx", served.host);
    assert_eq!(raw(&served.host, put.as_bytes()).0, 405);
    assert_eq!(get(&served, "/assets/pdfjs-LICENSE").0, 200, "pdf.js's licence beside it");
}

#[test]
fn requests_are_bounded_and_a_stalled_browser_holds_nothing_up() {
    let dir = scratch("bounded");
    let _clean = Scratch(dir.clone());
    let source = copy_example(&dir);
    let served = serve(&[source.to_str().unwrap()]);
    until(&served, 0, |s| !s["good"].is_null());
    let host = &served.host;
    let long = format!(
        "GET /assets/preview.css HTTP/1.1\r\nHost: {host}\r\nX-Long: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert_eq!(raw(host, long.as_bytes()).0, 431);
    let many: String = (0..100).map(|i| format!("X-{i}: 1\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: {host}\r\n{many}\r\n");
    assert_eq!(raw(host, many.as_bytes()).0, 431);
    let big =
        format!("POST /b/0/edit HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1000000000\r\n\r\n");
    assert_eq!(raw(host, big.as_bytes()).0, 413);
    let chunked = format!(
        "POST /b/0/edit HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    );
    assert_eq!(raw(host, chunked.as_bytes()).0, 411);

    // Browsers that stall: one connected and silent, one half a request,
    // one reading no events; and one that leaves in the middle.
    let mut stalled = Vec::new();
    stalled.push(TcpStream::connect(host).unwrap());
    let mut half = TcpStream::connect(host).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
    stalled.push(half);
    let mut deaf = TcpStream::connect(host).unwrap();
    write!(deaf, "GET /events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    stalled.push(deaf);
    let mut gone = TcpStream::connect(host).unwrap();
    write!(gone, "GET /b/0/events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    drop(gone);
    let version = state(&served, 0)["version"].as_u64().unwrap();
    for i in 0..5 {
        edit(&source, "title: ", &format!("title: {i} "));
        let started = Instant::now();
        until(&served, 0, |s| s["version"].as_u64() > Some(version + i));
        assert!(started.elapsed() < Duration::from_secs(10), "a build waited on a browser");
    }
    drop(stalled);
}

#[test]
fn a_folder_has_an_index_with_each_briefs_state() {
    let dir = scratch("folder");
    let _clean = Scratch(dir.clone());
    let good = copy_example(&dir);
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, std::fs::read_to_string(&good).unwrap().replacen("title:", "titel:", 1))
        .unwrap();
    let served = serve(&[dir.to_str().unwrap(), "--watcher", "poll"]);
    let started = Instant::now();
    let index = loop {
        let (_, body) = get(&served, "/briefs");
        let index: serde_json::Value = serde_json::from_slice(&body).unwrap();
        if index["briefs"].as_array().unwrap().iter().all(|b| b["state"] != "building") {
            break index;
        }
        assert!(started.elapsed() < PATIENCE);
        std::thread::sleep(Duration::from_millis(50));
    };
    let briefs = index["briefs"].as_array().unwrap();
    let state = |name: &str| {
        briefs.iter().find(|b| b["name"].as_str().unwrap().ends_with(name)).unwrap()["state"]
            .clone()
    };
    assert_eq!(state("bad.yaml"), "errors", "{index}");
    assert!(state("brief.yaml") == "ok" || state("brief.yaml") == "warnings", "{index}");
    let (status, page) = get(&served, "/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("/assets/index.js"));
    // The polling fallback sees a save too.
    let i = briefs.iter().position(|b| b["name"].as_str().unwrap().ends_with("bad.yaml")).unwrap();
    std::fs::write(&bad, std::fs::read_to_string(&good).unwrap()).unwrap();
    until(&served, i, |s| s["errors"].as_array().unwrap().is_empty() && !s["good"].is_null());
}

#[test]
fn the_editor_link_opens_only_the_briefs_own_source() {
    let dir = scratch("editor");
    let _clean = Scratch(dir.clone());
    let source = copy_example(&dir);
    // A command: run on the page's request, with the brief's own path and
    // the line asked for; nothing a request says names another file.
    let served = serve(&[source.to_str().unwrap(), "--editor", "touch {file}-{line}-{col}"]);
    let s = until(&served, 0, |s| !s["good"].is_null());
    assert_eq!(s["good"]["editor_post"], true, "{s}");
    let host = &served.host;
    let post = |origin: &str, body: &str| {
        let request = format!(
            "POST /b/0/edit HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        raw(host, request.as_bytes()).0
    };
    assert_eq!(post("", "line=52&col=5"), 403, "no Origin");
    assert_eq!(post("Origin: http://evil.example\r\n", "line=52&col=5"), 403);
    assert_eq!(post(&format!("Origin: http://{host}\r\n"), "line=../../x"), 400);
    assert_eq!(post(&format!("Origin: http://{host}\r\n"), "line=52&col=5"), 204);
    let opened = dir.join("brief.yaml-52-5");
    let started = Instant::now();
    while !opened.exists() {
        assert!(started.elapsed() < PATIENCE, "the editor command ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "nothing else written: {names:?}");
    drop(served);
    // A URL: the page builds the link; the server runs nothing.
    let served =
        serve(&[source.to_str().unwrap(), "--editor", "vscode://file/{file}:{line}:{col}"]);
    let s = until(&served, 0, |s| !s["good"].is_null());
    let link = s["good"]["editor"].as_str().unwrap();
    assert!(
        link.starts_with("vscode://file/") && link.ends_with("brief.yaml:{line}:{col}"),
        "{link}"
    );
    assert_eq!(s["good"]["editor_post"], false);
}
