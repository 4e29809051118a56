//! The preview in a real browser (Debian's Chromium, headless, driven by
//! Selenium through the system's chromedriver; tests/scripts/preview-browser.py):
//! the title read from pdf.js's text layer, a save seen, a broken save's
//! diagnostic over the old pages, a click on a key message, a chart and the
//! marking each traced to its field and line, and screenshots of each for a
//! person to look at.
//! Its own tier (`tests/run` installs Chromium and Selenium), one browser
//! session for all of it.

#[path = "common/cli.rs"]
mod cli;
use cli::{command, root, scratch};

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

/// A running `brief serve`, killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `brief serve PATH --port 0`; the server and its URL.
fn serve(path: &std::path::Path) -> (Served, String) {
    let mut child = command(&["serve", path.to_str().unwrap(), "--port", "0"], Some("1625097600"))
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
    let url = rx.recv_timeout(Duration::from_secs(30)).expect("the address first");
    (Served(child), url.trim().to_string())
}

fn python() -> std::path::PathBuf {
    std::env::var_os("BRIEF_BROWSER_PYTHON")
        .map(Into::into)
        .unwrap_or_else(|| root().join("target/browser-venv/bin/python"))
}

#[test]
fn the_preview_in_chromium() {
    let dir = scratch("chromium");
    let one = dir.join("one");
    let folder = dir.join("folder");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let source = one.join("brief.yaml");
    std::fs::copy(root().join("briefs/az-kg-2021-07-05.yaml"), &source).unwrap();
    for name in ["az-kg-2021-07-05.yaml", "tr-gr-2026-05-20.yaml"] {
        std::fs::copy(root().join("briefs").join(name), folder.join(name)).unwrap();
    }
    let broken = std::fs::read_to_string(root().join("briefs/jp-kr-2026-11-20.yaml")).unwrap();
    std::fs::write(folder.join("jp-kr-broken.yaml"), broken.replacen("title:", "titel:", 1))
        .unwrap();
    let (_one, url) = serve(&source);
    let (_folder, folder_url) = serve(&folder);
    let shots = root().join("target/browser-shots");
    std::fs::create_dir_all(&shots).unwrap();
    let script = root().join("tests/scripts/preview-browser.py");
    let mut run = std::process::Command::new(python())
        .args([script.to_str().unwrap(), "check", &url, source.to_str().unwrap(), &folder_url])
        .arg(&shots)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs the browser script (tests/run installs Selenium in target/browser-venv)");
    // Bounded: a browser that hangs fails the test, never the suite.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = run.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = run.kill();
            panic!("the browser test took over 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = run.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(status.success(), "{}\n{}", text(&out.stdout), text(&out.stderr));
    let said = text(&out.stdout);
    for step in [
        "title read from the text layer",
        "new title shown",
        "diagnostic at line",
        "clicked: key_messages[1]",
        "clicked: figures[0]",
        "clicked: brief.classification",
        "folder index shown",
    ] {
        assert!(said.contains(step), "{step}: {said}");
    }
    for shot in ["preview.png", "preview-error.png", "folder-index.png"] {
        let png = std::fs::read(shots.join(shot)).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{shot}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
