//! Template folders: the partials beside `main.md`, read once and confined to the folder.
//!
//! A folder's templates may `{% include %}`, `{% import %}` or `{% extends %}`
//! each other by their path relative to the folder (`parts/header.md`). Every
//! partial is read up front, so rendering never touches the file system, a
//! batch's state digest covers them all, and nothing outside the folder can be
//! named: absolute paths, `..` and symbolic links are refused with an error.

use std::path::{Path, PathBuf};

use minijinja::{Error, ErrorKind};

use brief_core::diag::Diagnostic;

/// Most files a template folder may hold (main.md included).
pub const MAX_FILES: usize = 256;
/// Largest template file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Deepest subfolder searched for partials.
const MAX_DEPTH: usize = 8;

/// What a folder holds besides `main.md` and `theme.yaml`.
#[derive(Debug, Default)]
pub struct Partials {
    /// Template files by `/`-separated path relative to the folder, with their text.
    pub files: Vec<(String, String)>,
    /// Symbolic links met on the way, which are never followed.
    pub links: Vec<String>,
}

/// The partials of `dir`: every `*.md` and `*.jinja` file under it except `main.md`.
pub fn partials(dir: &Path) -> Result<Partials, Diagnostic> {
    let mut found = Partials::default();
    visit(dir, "", 0, &mut |seen| match seen {
        Seen::Link(rel) => {
            found.links.push(rel);
            Ok(())
        }
        Seen::File { rel, path, len } => {
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            if is_template(name) && rel != "main.md" {
                read(path, rel, len, &mut found)?;
            }
            Ok(())
        }
    })?;
    Ok(found)
}

/// Every file under a template folder that a build may read, by the same
/// walk as [`partials`] (hidden files and links left out, as deep as it
/// goes): what `--watch` and the up-to-date digest look at, so neither can
/// miss a file the template reads.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let _ = visit(dir, "", 0, &mut |seen| {
        if let Seen::File { path, .. } = seen {
            out.push(path.to_path_buf());
        }
        Ok(())
    });
    out
}

/// What the walk meets: a regular file, or a link it does not follow.
enum Seen<'a> {
    File { rel: String, path: &'a Path, len: u64 },
    Link(String),
}

/// The one walk of a template folder, in name order.
fn visit(
    dir: &Path,
    prefix: &str,
    depth: usize,
    found: &mut dyn FnMut(Seen) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let io = |path: &Path, e: std::io::Error| {
        Diagnostic::error(path.display().to_string(), format!("cannot read template folder ({e})"))
    };
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map_err(|e| io(dir, e))?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(String::from) else { continue };
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        // symlink_metadata: a link is reported as a link, never followed.
        let meta = std::fs::symlink_metadata(&path).map_err(|e| io(&path, e))?;
        if meta.file_type().is_symlink() {
            found(Seen::Link(rel))?;
        } else if meta.is_dir() && depth < MAX_DEPTH {
            visit(&path, &format!("{rel}/"), depth + 1, found)?;
        } else if meta.is_file() {
            found(Seen::File { rel, path: &path, len: meta.len() })?;
        }
    }
    Ok(())
}

fn is_template(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".jinja")
}

/// A file of the folder itself (`main.md`, `theme.yaml`) as text: never
/// through a symbolic link, never more than [`MAX_FILE_BYTES`].
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(Error::other("a symbolic link, not followed"));
    }
    if !meta.is_file() {
        return Err(Error::other("not a file"));
    }
    let mut text = String::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::new(ErrorKind::FileTooLarge, "more than the 1 MiB limit"));
    }
    Ok(text)
}

fn read(path: &Path, rel: String, len: u64, found: &mut Partials) -> Result<(), Diagnostic> {
    let file = path.display().to_string();
    if found.files.len() + 1 >= MAX_FILES {
        return Err(Diagnostic::error(
            file,
            format!("template folder holds more than {MAX_FILES} files"),
        )
        .hint("keep only the template's own files in its folder"));
    }
    if len > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            file,
            format!("template file is {len} bytes, more than the 1 MiB limit"),
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(&file, format!("cannot read template ({e})")))?;
    found.files.push((rel, text));
    Ok(())
}

/// The loader behind every template environment. Known files are added up
/// front, so it is asked only for names that are not there: it says why,
/// naming the rule that left the file out rather than "not found".
pub fn loader(links: Vec<String>) -> impl Fn(&str) -> Result<Option<String>, Error> + Send + Sync {
    move |name: &str| {
        let refuse = |detail: String| Err(Error::new(ErrorKind::InvalidOperation, detail));
        let parts: Vec<&str> = name.split('/').collect();
        let folders = parts.len() - 1;
        if escapes(name) {
            refuse(format!("`{name}` is outside the template folder, which templates never leave"))
        } else if let Some(link) = links.iter().find(|l| name == l.as_str()) {
            refuse(format!("`{link}` is a symbolic link, which templates never follow"))
        } else if let Some(link) = links.iter().find(|l| name.starts_with(&format!("{l}/"))) {
            refuse(format!(
                "`{name}` is inside `{link}`, a symbolic link, which templates never follow"
            ))
        } else if parts.iter().any(|p| p.starts_with('.') && *p != ".") {
            refuse(format!(
                "`{name}` is hidden (its name or a folder's starts with `.`), and hidden files are never read"
            ))
        } else if folders > MAX_DEPTH {
            refuse(format!(
                "`{name}` is {folders} folders deep; partials are read at most {MAX_DEPTH} folders deep"
            ))
        } else if !is_template(parts[folders]) {
            refuse(format!("`{name}` is not a template file; partials end in .md or .jinja"))
        } else {
            Ok(None)
        }
    }
}

/// Whether an include name points out of the folder: absolute, a drive, a parent, a backslash.
fn escapes(name: &str) -> bool {
    name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.split('/').any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_caught() {
        for name in ["../x.md", "/etc/passwd", "a/../../b.md", "C:/x.md", "a\\..\\b.md", ".."] {
            assert!(escapes(name), "{name}");
        }
        for name in ["header.md", "parts/header.md", "a..b.md", "./x.md"] {
            assert!(!escapes(name), "{name}");
        }
    }

    #[test]
    fn the_loader_refuses_escapes_and_links_and_misses_the_rest() {
        let load = loader(vec!["linked.md".into()]);
        assert!(
            load("../secret.md").unwrap_err().to_string().contains("outside the template folder")
        );
        assert!(load("linked.md").unwrap_err().to_string().contains("symbolic link"));
        assert_eq!(load("missing.md").unwrap(), None);
    }

    #[test]
    fn the_loader_says_which_rule_left_a_file_out() {
        let load = loader(vec!["parts".into()]);
        let why = |name: &str| load(name).unwrap_err().to_string();
        assert!(
            why("parts/a.md").contains("inside `parts`, a symbolic link"),
            "{}",
            why("parts/a.md")
        );
        assert!(why(".hidden/a.md").contains("hidden"), "{}", why(".hidden/a.md"));
        assert!(why("x/.a.md").contains("hidden"));
        let deep = "1/2/3/4/5/6/7/8/9/a.md";
        assert!(why(deep).contains("9 folders deep; partials are read at most 8"), "{}", why(deep));
        assert_eq!(load("1/2/3/4/5/6/7/8/a.md").unwrap(), None);
        assert!(why("notes.txt").contains("not a template file"));
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("brief-folder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("parts/deep")).unwrap();
        dir
    }

    #[test]
    fn partials_are_read_by_relative_path_and_hidden_files_skipped() {
        let dir = scratch("read");
        for (name, text) in [
            ("main.md", "m"),
            ("parts/a.md", "a"),
            ("parts/deep/b.jinja", "b"),
            (".hidden.md", "h"),
            ("notes.txt", "t"),
        ] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let found = partials(&dir).unwrap();
        let names: Vec<&str> = found.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["parts/a.md", "parts/deep/b.jinja"]);
        // What `--watch` and the up-to-date digest look at is every file the
        // template reads: each partial, main.md, and the rest of the folder.
        let watched: Vec<String> = files(&dir)
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        for name in names.iter().chain(&["main.md", "notes.txt"]) {
            assert!(watched.iter().any(|w| w == name), "{name} not in {watched:?}");
        }
        assert!(!watched.iter().any(|w| w.contains(".hidden")), "{watched:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn too_many_or_too_large_files_are_errors() {
        let dir = scratch("many");
        for i in 0..MAX_FILES {
            std::fs::write(dir.join(format!("parts/{i:03}.md")), "x").unwrap();
        }
        let err = partials(&dir).unwrap_err();
        assert!(err.message.contains("more than 256 files"), "{}", err.message);
        let _ = std::fs::remove_dir_all(&dir);
        let dir = scratch("large");
        std::fs::write(dir.join("big.md"), vec![b'x'; MAX_FILE_BYTES as usize + 1]).unwrap();
        let err = partials(&dir).unwrap_err();
        assert!(err.message.contains("more than the 1 MiB limit"), "{}", err.message);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
