//! `brief send`'s log: one JSON line per message sent, appended to
//! [`LOG_FILE`] beside the PDFs, and on disk (written and synced) before the
//! next message goes, so a crash loses no line already reported.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

/// The log's name in the output folder.
pub const LOG_FILE: &str = ".brief-send.jsonl";

/// A recipient the server did not take, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Refused {
    /// The address.
    pub recipient: String,
    /// What the server (or the connection) said.
    pub reason: String,
    /// The outcome is not known (no answer came): check before sending again.
    pub unknown: bool,
}

/// One line of the log: one message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LogLine {
    /// When the message was sent, RFC 3339 in UTC.
    pub time: String,
    /// The message's `Message-ID`.
    pub message_id: String,
    /// The briefing source, as named.
    pub source: String,
    /// The PDF attached (its file name in the folder).
    pub pdf: String,
    /// The SHA-256 of the PDF attached, in hex.
    pub pdf_sha256: String,
    /// The marking, as the message's `SIO-Label` carries it.
    pub marking: Option<String>,
    /// The server, `host:port`.
    pub server: String,
    /// The connection's security: `none`, `starttls` or `tls`.
    pub security: String,
    /// The recipients the server accepted the message for.
    pub accepted: Vec<String>,
    /// The recipients it did not.
    pub refused: Vec<Refused>,
    /// The server's reply to the message (often a queue id).
    pub response: Option<String>,
}

/// Appends `entry` as one line to the log in `dir` and syncs it (and, when
/// the log is new, the folder) to disk. A log that is not a regular file (a
/// link, a pipe) is refused rather than written through.
pub fn append(dir: &Path, entry: &LogLine) -> std::io::Result<()> {
    let path = dir.join(LOG_FILE);
    let existed = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => true,
        Ok(_) => {
            return Err(std::io::Error::other(format!("{} is not a regular file", path.display())));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
    // One write call per line: lines of runs appending at once never interleave.
    file.write_all(&line)?;
    file.sync_all()?;
    if !existed {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
