//! Where an old version comes from: a YAML file, the same file at a git
//! revision (`git:REV`, read with the `git` command), or a PDF built with
//! `--embed-source`, whose embedded model is read back.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::Env;
use crate::diag::Diagnostic;

/// An old version as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A YAML source or a PDF with an embedded source.
    File(PathBuf),
    /// The new version's own path at a git revision.
    Git(String),
}

impl Origin {
    /// `git:REV` or a path.
    pub fn parse(text: &str) -> Origin {
        match text.strip_prefix("git:") {
            Some(rev) => Origin::Git(rev.to_string()),
            None => Origin::File(PathBuf::from(text)),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Git(rev) => write!(f, "git:{rev}"),
        }
    }
}

/// A version read: the model's JSON and the name to report it by.
#[derive(Debug, Clone)]
pub struct Version {
    /// The validated brief as JSON (see [`super::canonical`]).
    pub value: Value,
    /// Where it came from, for messages: a path, `REV:path` or the PDF.
    pub name: String,
}

/// Reads the old version of the brief at `new` (a source path). `Ok(None)`
/// when `new` did not exist at a git revision: a brief new since then.
pub fn load(origin: &Origin, new: &Path, env: &Env) -> Result<Option<Version>, Vec<Diagnostic>> {
    match origin {
        Origin::File(path) => read(path, env).map(Some),
        Origin::Git(rev) => {
            let Some(bytes) = at_revision(new, rev).map_err(|d| vec![d])? else {
                return Ok(None);
            };
            if bytes.starts_with(b"%PDF-") {
                return from_bytes(format!("{rev}:{}", new.display()), &bytes, env).map(Some);
            }
            // The figures' data files as they were at that revision too.
            let folder = new.parent().unwrap_or(Path::new(""));
            let open = |name: &str| {
                let path = crate::data::beside(folder, name)?;
                let shown = format!("{rev}:{}", path.display());
                match at_revision(&path, rev)? {
                    Some(bytes) => Ok(crate::data::File { shown, path, bytes }),
                    None => Err(Diagnostic::error(
                        shown,
                        "the data file did not exist at that revision",
                    )),
                }
            };
            let name = format!("{rev}:{}", new.display());
            let checked = crate::check_in(&name, &bytes, env, &open)?;
            Ok(Some(Version { value: value(&checked.value), name }))
        }
    }
}

/// Reads a version from a file: a PDF's embedded source, else a YAML source.
pub fn read(path: &Path, env: &Env) -> Result<Version, Vec<Diagnostic>> {
    let bytes = crate::read_source(path).map_err(|(_, d)| vec![d])?;
    from_bytes(path.display().to_string(), &bytes, env)
}

/// A version from a file's bytes: a PDF's embedded source, else a YAML source
/// (public for the fuzz target that reads PDFs back).
pub(crate) fn from_bytes(
    name: String,
    bytes: &[u8],
    env: &Env,
) -> Result<Version, Vec<Diagnostic>> {
    if bytes.starts_with(b"%PDF-") {
        let json = crate::pdf::embed::read(bytes).map_err(|why| {
            let d = Diagnostic::error(&name, &why);
            vec![if why == crate::pdf::embed::MISSING {
                d.hint("build the old version with `brief build --embed-source`, or name its YAML source or git:REV")
            } else {
                d
            }]
        })?;
        return embedded(name, &json, env);
    }
    let checked = crate::check(&name, bytes, env)?;
    Ok(Version { value: value(&checked.value), name })
}

/// A version from the source embedded in a PDF. The PDF is input from
/// outside, so its source is validated exactly as a source file is (JSON is
/// YAML): an impossible date, a bad figure id or an unknown kind is refused,
/// and what is compared is the model that validation makes, never the JSON
/// as found.
fn embedded(name: String, json: &[u8], env: &Env) -> Result<Version, Vec<Diagnostic>> {
    let mut value: Value = serde_json::from_slice(json).map_err(|e| {
        vec![Diagnostic::error(&name, format!("the embedded source is not valid JSON ({e})"))]
    })?;
    if !value.pointer("/brief/title").is_some_and(Value::is_string) {
        return Err(vec![Diagnostic::error(&name, "the embedded source is not a brief")]);
    }
    // Embedded by a version that wrote a time as `HH:MM:SS`.
    if let Some(Value::String(t)) = value.pointer_mut("/meeting/time")
        && t.len() == 8
        && t.ends_with(":00")
    {
        t.truncate(5);
    }
    // A figure read from a data file carries its values inline and, under
    // `data`, where they came from: provenance, not a file to read again.
    if let Some(Value::Array(figures)) = value.get_mut("figures") {
        for f in figures.iter_mut().filter_map(Value::as_object_mut) {
            f.remove("data");
        }
    }
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    let shown = format!("{name} (embedded source)");
    let checked = crate::check(&shown, &bytes, env)?;
    Ok(Version { value: self::value(&checked.value), name })
}

/// The JSON form of a validated brief.
pub fn value(brief: &crate::model::Brief) -> Value {
    serde_json::to_value(brief).unwrap_or(Value::Null)
}

/// The file at `path` as it was at revision `rev`; `None` when it did not
/// exist there. Errors outside a repository and for an unknown revision.
pub(crate) fn at_revision(path: &Path, rev: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
    let file = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = path.file_name() else {
        return Err(Diagnostic::error(file, "not a file"));
    };
    let git = |args: &[&str]| {
        Command::new("git").arg("-C").arg(&dir).args(args).output().map_err(|e| {
            Diagnostic::error(&file, format!("cannot run git ({e})"))
                .hint("install git, or name the old version's file instead of git:REV")
        })
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Diagnostic::error(&file, format!("`git:{rev}` names no revision"))
            .expected("git:REV, e.g. git:HEAD, git:HEAD~1, git:v0.3"));
    }
    // One process when the file is there (a batch asks once per brief); the
    // reason is looked for only when it is not.
    let spec = format!("{rev}:./{}", name.to_string_lossy());
    let shown = blob(&dir, &spec).map_err(|e| {
        Diagnostic::error(&file, format!("cannot run git ({e})"))
            .hint("install git, or name the old version's file instead of git:REV")
    })?;
    if shown.status.success() {
        if shown.stdout.len() > crate::source::MAX_BYTES {
            return Err(Diagnostic::error(
                &file,
                format!(
                    "too large at `{rev}`: more than the {} MiB limit of a source",
                    crate::source::MAX_BYTES >> 20
                ),
            ));
        }
        return Ok(Some(shown.stdout));
    }
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        return Err(Diagnostic::error(&file, "git:REV: this file is not inside a git repository")
            .hint(
                "name the old version's file (YAML, or a PDF built with --embed-source) instead",
            ));
    }
    let commit = format!("{rev}^{{commit}}");
    let known = git(&["rev-parse", "--verify", "--quiet", &commit])?;
    if !known.status.success() {
        return Err(Diagnostic::error(&file, format!("unknown git revision `{rev}`"))
            .expected("a commit, branch or tag of this repository, e.g. HEAD~1")
            .hint("list them with `git log --oneline` or `git tag`"));
    }
    let exists = git(&["cat-file", "-e", &spec])?;
    if exists.status.success() {
        let why = String::from_utf8_lossy(&shown.stderr).trim().to_string();
        return Err(Diagnostic::error(&file, format!("cannot read it at `{rev}` ({why})")));
    }
    Ok(None)
}

/// `git cat-file blob SPEC`, its output read only up to one byte past the
/// source limit: a huge file at that revision is never held whole.
fn blob(dir: &Path, spec: &str) -> std::io::Result<std::process::Output> {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "blob", spec])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = Vec::new();
    if let Some(out) = child.stdout.take() {
        out.take(crate::source::MAX_BYTES as u64 + 1).read_to_end(&mut stdout)?;
    }
    if stdout.len() > crate::source::MAX_BYTES {
        let _ = child.kill();
    }
    let mut stderr = Vec::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = (&mut err).take(64 * 1024).read_to_end(&mut stderr);
    }
    let status = child.wait()?;
    Ok(std::process::Output { status, stdout, stderr })
}
