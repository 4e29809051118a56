//! A real SMTP server for end-to-end tests: Python's aiosmtpd
//! (`tests/fixtures/mail/smtp_server.py`) on 127.0.0.1, saving what it receives.
// Each test file uses what it needs of this module.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::cli::{root, scratch};

const SERVER: &str = "tests/fixtures/mail/smtp_server.py";
/// How long the server may take to start, and a message to arrive.
pub const WAIT: Duration = Duration::from_secs(30);

/// The SMTP server process, killed when dropped, even when a test fails.
pub struct Server {
    child: Child,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    /// Where it saves what it receives: `N.json`, `N.eml`, `N.pdf`.
    pub folder: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Makes sure Python can import aiosmtpd, installing it quietly with pip once.
fn aiosmtpd() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let importable = || {
            Command::new("python3")
                .args(["-c", "import aiosmtpd"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if importable() {
            return Ok(());
        }
        let pip = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "aiosmtpd"])
            .output()
            .map_err(|e| format!("python3 is needed for the SMTP tests ({e})"))?;
        if !pip.status.success() || !importable() {
            return Err(format!(
                "cannot install aiosmtpd: {}",
                String::from_utf8_lossy(&pip.stderr)
            ));
        }
        Ok(())
    });
    if let Err(e) = ready {
        panic!("{e}");
    }
}

/// A port nobody listens on right now, never the same one twice in this process.
pub fn free_port() -> u16 {
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// Starts the server in clear text and waits, at most [`WAIT`], until it listens.
pub fn start(name: &str) -> Server {
    start_with(name, &[])
}

/// Starts the server with `extra` arguments (`starttls CERT KEY`, `tls CERT
/// KEY`) and waits, at most [`WAIT`], until it listens.
pub fn start_with(name: &str, extra: &[&std::ffi::OsStr]) -> Server {
    aiosmtpd();
    let port = free_port();
    let folder = scratch(&format!("smtp-{name}"));
    let child = Command::new("python3")
        .arg(root().join(SERVER))
        .arg(port.to_string())
        .arg(&folder)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let mut server = Server { child, port, folder };
    let ready = server.folder.join("ready");
    let start = Instant::now();
    while !ready.exists() {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("the SMTP server exited at start: {status}");
        }
        assert!(start.elapsed() < WAIT, "the SMTP server did not start within {WAIT:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// What the server recorded of message `n`, waited for at most [`WAIT`].
pub fn received(server: &Server, n: usize) -> serde_json::Value {
    let path = server.folder.join(format!("{n}.json"));
    let start = Instant::now();
    while !path.exists() {
        assert!(start.elapsed() < WAIT, "no message {n} arrived within {WAIT:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// How many messages the server has received so far.
pub fn count(server: &Server) -> usize {
    (1..).take_while(|n| server.folder.join(format!("{n}.eml")).exists()).count()
}
