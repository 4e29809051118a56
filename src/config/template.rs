//! Templates by name: a folder under `brief.toml`'s `template_dirs`, else a
//! built-in; and the template a configuration names, resolved.

use std::path::{Path, PathBuf};

use super::{Config, Origin};
use crate::diag::{Diagnostic, did_you_mean};
use crate::render::{self, Template};

/// A template name (as a source's `brief.template` or a plain `template =`
/// gives it) rather than a path: no separators, not `.` or `..`.
pub(crate) fn is_name(text: &str) -> bool {
    !text.is_empty() && text != "." && text != ".." && !text.contains(['/', '\\'])
}

/// The template named `name`: the folder `name` under the first of `dirs`
/// that has one, else the built-in of that name. `Ok(None)` when nothing
/// matches (see [`template_names`] for what exists).
pub fn lookup(name: &str, dirs: &[PathBuf]) -> Result<Option<Template>, Diagnostic> {
    if !is_name(name) {
        return Ok(None);
    }
    for dir in dirs {
        let folder = dir.join(name);
        if folder.is_dir() {
            return Template::from_dir(&folder).map(Some);
        }
    }
    Ok(Template::builtin(name))
}

/// Every template a name can find: each `dirs` folder's subfolders with a
/// `main.md`, then the built-ins.
pub(crate) fn template_names(dirs: &[PathBuf]) -> Vec<String> {
    let mut names = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut found: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("main.md").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        found.sort();
        names.extend(found.into_iter().map(|n| format!("{n} ({})", dir.join(&n).display())));
    }
    names.extend(render::builtin_names().map(|n| format!("{n} (built-in)")));
    names
}

/// The error for a template name that matches nothing: what exists, and the closest.
pub(crate) fn unknown_template(file: &str, name: &str, dirs: &[PathBuf]) -> Diagnostic {
    let names = template_names(dirs);
    let mut d = Diagnostic::error(file, format!("unknown template `{name}`"))
        .expected(format!("one of: {}", names.join(", ")));
    let bare = names.iter().filter_map(|n| n.split(' ').next());
    if let Some(close) = did_you_mean(name, bare) {
        d = d.hint(format!("did you mean `{close}`?"));
    } else if dirs.is_empty() {
        d = d.hint("a house template is a folder named in brief.toml's template_dirs");
    }
    d
}

impl Config {
    /// The template the setting names, resolved: `Ok(None)` when none is
    /// set. A flag's value is a folder (relative to the working folder) when
    /// one exists, else a name; the file's is a name when it has no `/`,
    /// else a folder relative to the file.
    pub fn template(&self) -> Result<Option<Template>, Diagnostic> {
        let Some(text) = &self.template.value else { return Ok(None) };
        let dirs = &self.template_dirs.value;
        match &self.template.origin {
            Origin::File { path, span } => {
                let file = path.display().to_string();
                let located = |d: Diagnostic| d.at(Some(span.clone())).path("template");
                if is_name(text) {
                    return match lookup(text, dirs) {
                        Ok(Some(t)) => Ok(Some(t)),
                        Ok(None) => Err(located(unknown_template(&file, text, dirs))),
                        Err(d) => Err(d),
                    };
                }
                let folder = self.base.join(text);
                if !folder.is_dir() {
                    let d = Diagnostic::error(&file, format!("no template folder `{text}`"))
                        .hint("a folder with main.md, relative to brief.toml");
                    return Err(located(d));
                }
                Template::from_dir(&folder).map(Some)
            }
            _ => {
                if Path::new(text).is_dir() {
                    return Template::from_dir(Path::new(text)).map(Some);
                }
                match lookup(text, dirs)? {
                    Some(t) => Ok(Some(t)),
                    None => Err(unknown_template(text, text, dirs)
                        .hint("a folder with main.md, or a template name")),
                }
            }
        }
    }

    /// The template folder the setting names, if it is one (for watching
    /// it and never writing over it).
    pub fn template_folder(&self) -> Option<PathBuf> {
        let text = self.template.value.as_deref()?;
        let candidates: Vec<PathBuf> = match &self.template.origin {
            Origin::File { .. } if !is_name(text) => vec![self.base.join(text)],
            Origin::File { .. } => self.template_dirs.value.iter().map(|d| d.join(text)).collect(),
            _ if Path::new(text).is_dir() => vec![PathBuf::from(text)],
            _ if is_name(text) => self.template_dirs.value.iter().map(|d| d.join(text)).collect(),
            _ => Vec::new(),
        };
        candidates.into_iter().find(|c| c.is_dir())
    }
}
