//! Waiting for files to change, for `build --watch` and `serve`: the
//! operating system's events (inotify, FSEvents, ReadDirectoryChangesW,
//! through `notify`), or polling where those are not to be had (a network
//! share, a container without inotify, the watch limit reached), as
//! mdBook's `watch/native.rs` and `poller.rs` split it.
//!
//! A file is watched through its folder, so an editor that saves by
//! writing a new file and renaming it over the old one is seen (a watch on
//! the file itself would follow the old file away). Events for other files
//! in that folder are dropped here.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// How often the polling fallback looks at the files.
pub(crate) const POLL: Duration = Duration::from_millis(300);

/// How long a burst of events may go quiet before it counts as one change:
/// an editor's save is several writes (truncate, write, rename, chmod).
/// Not waited for once the system says the save is whole (see [`whole`]).
const SETTLE: Duration = Duration::from_millis(12);

/// The longest a burst is gathered before it is reported anyway.
const BURST: Duration = Duration::from_millis(250);

/// How files are watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The operating system's events, falling back to polling when they
    /// cannot be had.
    Native,
    /// Polling every `POLL`.
    Poll,
}

/// What to watch: files (each through its folder) and folders (with
/// everything under them, or only the briefing sources under them).
pub struct Watch {
    /// Paths events name (reads left out), and whether the event says a
    /// file is whole ([`whole`]); an empty list is the poller's heartbeat.
    events: Receiver<(Vec<PathBuf>, bool)>,
    // Held so the watching goes on; dropped with the `Watch` (the poller
    // ends when its channel closes).
    _watcher: Option<Box<dyn notify::Watcher + Send>>,
    files: Vec<PathBuf>,
    /// Folders, and whether only briefing sources (`*.yaml`, `*.yml`) in
    /// them count: a batch may write its PDFs inside the folder it reads.
    folders: Vec<(PathBuf, bool)>,
    /// True when the fallback polls instead of the asked-for events.
    pub polling: bool,
}

impl Watch {
    /// Starts watching `sources` (files, and folders of which only the
    /// briefing sources count) and `settings` (files, and folders of which
    /// every file counts: a template). A file that does not exist yet is
    /// watched through its folder, so its creation is seen.
    pub fn new(sources: &[PathBuf], settings: &[PathBuf], mode: Mode) -> Watch {
        let all = || sources.iter().map(|p| (p, true)).chain(settings.iter().map(|p| (p, false)));
        let files: Vec<PathBuf> =
            all().filter(|(p, _)| !p.is_dir()).map(|(p, _)| absolute(p)).collect();
        let folders: Vec<(PathBuf, bool)> =
            all().filter(|(p, _)| p.is_dir()).map(|(p, only)| (absolute(p), only)).collect();
        let mut targets: Vec<(PathBuf, RecursiveMode)> =
            folders.iter().map(|(f, _)| (f.clone(), RecursiveMode::Recursive)).collect();
        for file in &files {
            let parent = file.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
            if !targets.iter().any(|(t, _)| *t == parent) {
                targets.push((parent, RecursiveMode::NonRecursive));
            }
        }
        if mode == Mode::Native {
            let (tx, rx) = channel();
            let handler = move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event
                    && (whole(&event.kind) || !matches!(event.kind, EventKind::Access(_)))
                {
                    let _ = tx.send((event.paths, whole(&event.kind)));
                }
            };
            if let Ok(mut watcher) = notify::recommended_watcher(handler)
                && targets.iter().all(|(t, m)| watcher.watch(t, *m).is_ok())
            {
                let watcher: Box<dyn notify::Watcher + Send> = Box::new(watcher);
                return Watch {
                    events: rx,
                    _watcher: Some(watcher),
                    files,
                    folders,
                    polling: false,
                };
            }
        }
        let (tx, rx) = channel();
        let watched: Vec<PathBuf> =
            files.iter().chain(folders.iter().map(|(f, _)| f)).cloned().collect();
        let _ = std::thread::Builder::new()
            .name("watch-poll".into())
            .spawn(move || poll(&watched, &tx));
        Watch { events: rx, _watcher: None, files, folders, polling: true }
    }

    /// Waits up to `timeout` for a change to a watched file; returns the
    /// files that changed (empty when none did in that time). Reads are
    /// ignored; a burst of events comes back as one change, as soon as
    /// the system says a file of it is whole, else when it goes quiet.
    pub fn wait(&self, timeout: Duration) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        let first = match self.events.recv_timeout(timeout) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => return changed,
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                return changed;
            }
        };
        let mut done = self.take(first, &mut changed);
        let started = Instant::now();
        while !done && started.elapsed() < BURST {
            match self.events.recv_timeout(SETTLE) {
                Ok(event) => done = self.take(event, &mut changed),
                Err(_) => break,
            }
        }
        // What has come in already belongs to the same save.
        while let Ok(event) = self.events.try_recv() {
            self.take(event, &mut changed);
        }
        changed
    }

    /// Adds the watched paths of an event to `changed`; whether it says
    /// one of them is whole.
    fn take(&self, (paths, whole): (Vec<PathBuf>, bool), changed: &mut Vec<PathBuf>) -> bool {
        let mut ours_whole = false;
        for path in paths {
            let source = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            let ours = self.files.contains(&path)
                || self.folders.iter().any(|(f, only)| path.starts_with(f) && (source || !only));
            ours_whole |= ours && whole;
            if ours && !changed.contains(&path) {
                changed.push(path);
            }
        }
        ours_whole
    }
}

/// Whether an event says a file is whole: closed after writing (an editor
/// that writes in place), renamed into place (one that writes a new file
/// and renames it), or removed. Such a save is built at once instead of
/// after [`SETTLE`]; a write the system says nothing more of (no close
/// event on this system) still settles first.
fn whole(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

/// A path made absolute against the working folder, as notify reports them.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The fallback: every [`POLL`], each watched file's and each file under a
/// watched folder's length, modification time (to the nanosecond where the
/// file system keeps it) and inode, compared with the last look. notify's
/// own poller compares whole seconds only, and so misses a second save
/// within the same second. Ends when the `Watch` is dropped.
fn poll(watched: &[PathBuf], tx: &std::sync::mpsc::Sender<(Vec<PathBuf>, bool)>) {
    let mut last = snapshot(watched);
    loop {
        std::thread::sleep(POLL);
        let now = snapshot(watched);
        let mut changed: Vec<PathBuf> =
            now.iter().filter(|(p, s)| last.get(*p) != Some(*s)).map(|(p, _)| p.clone()).collect();
        changed.extend(last.keys().filter(|p| !now.contains_key(*p)).cloned());
        last = now;
        // Sent even when empty: a send that fails means the `Watch` is gone.
        // A file seen changed by a look is whole: its writes came before it.
        if tx.send((changed, true)).is_err() {
            return;
        }
    }
}

type Stamp = (u64, Option<std::time::SystemTime>, u64);

fn snapshot(watched: &[PathBuf]) -> std::collections::HashMap<PathBuf, Stamp> {
    let mut out = std::collections::HashMap::new();
    let mut stack: Vec<PathBuf> = watched.to_vec();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        } else {
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            out.insert(path, (meta.len(), meta.modified().ok(), inode));
        }
    }
    out
}
