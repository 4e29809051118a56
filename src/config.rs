//! `brief.toml`: what a project configures once, found by walking up from a source's folder.
//!
//! The file is looked for in the source's folder, then in each folder above
//! it up to the filesystem root, the first one found winning (as Cargo finds
//! `Cargo.toml`). The search does not stop at a version-control root: an
//! office's `brief.toml` at the top of a shared folder covers every
//! repository beneath it.
//!
//! Each setting comes from the first of: a command-line flag, an environment
//! variable (`BRIEF_SMTP_FROM`, `BRIEF_SMTP_SERVER`, `BRIEF_SMTP_PORT`,
//! `BRIEF_SMTP_SECURITY`, `BRIEF_POLICY`), `brief.toml`, the built-in default. The
//! environment sits above the file as it does for Cargo: a file is shared by
//! a project, the environment belongs to the one run. A password is never
//! read from the file (only `BRIEF_SMTP_PASSWORD`).
//!
//! The file is parsed with `toml`'s spanned tables, so every problem is
//! located (file, line, column) and all are reported at once; an unknown key
//! is an error with a did-you-mean, as a brief's is. Paths in the file are
//! relative to the file's folder.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Span, did_you_mean};
use crate::mail::Security;
use crate::render;

mod template;
pub use template::lookup;
pub(crate) use template::{is_name, unknown_template};

/// The file's name.
pub const FILE_NAME: &str = "brief.toml";

/// Largest `brief.toml` read: a configuration is a few lines.
const MAX_BYTES: u64 = 64 * 1024;

/// Default output folder.
pub(crate) const DEFAULT_OUTPUT: &str = "out";
/// Default SMTP server.
pub(crate) const DEFAULT_SERVER: &str = "localhost";

/// The environment variables read, by setting.
pub(crate) const ENV_FROM: &str = "BRIEF_SMTP_FROM";
/// SMTP server from the environment.
pub(crate) const ENV_SERVER: &str = "BRIEF_SMTP_SERVER";
/// SMTP port from the environment.
pub(crate) const ENV_PORT: &str = "BRIEF_SMTP_PORT";
/// SMTP security from the environment.
pub(crate) const ENV_SECURITY: &str = "BRIEF_SMTP_SECURITY";
/// The distribution policy file from the environment.
pub(crate) const ENV_POLICY: &str = crate::mail::policy::ENV_POLICY;

/// The keys of the file, by table: the schema unknown keys are matched against.
const TOP: &[&str] = &[
    "template",
    "template_dirs",
    "products",
    "language",
    "paper",
    "output",
    "policy",
    "email",
    "smtp",
    "book",
];
const EMAIL: &[&str] = &["from"];
const BOOK: &[&str] = &["time_zone"];
const SMTP: &[&str] = &["server", "port", "security"];

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, e.g. `--from`.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A `brief.toml`, at the value.
    File {
        /// The file.
        path: PathBuf,
        /// The value's place in it.
        span: Span,
    },
    /// The built-in default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Env(var) => write!(f, "environment {var}"),
            Origin::File { path, span } => write!(f, "{}:{}", path.display(), span.line),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn default(value: T) -> Self {
        Setting { value, origin: Origin::Default }
    }
}

/// What the command line gives; each `Some` overrides the environment and the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--template`: a folder (relative to the working folder) or a name.
    pub template: Option<String>,
    /// `--products`.
    pub products: Option<Vec<String>>,
    /// `--paper`: `a4` or `letter`.
    pub paper: Option<String>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `--from`.
    pub from: Option<String>,
    /// `--server`.
    pub server: Option<String>,
    /// `--port`.
    pub port: Option<u16>,
    /// `--security`.
    pub security: Option<String>,
    /// `--policy`: the distribution policy file.
    pub policy: Option<PathBuf>,
    /// `--time-zone`: the principal's, for the book's schedule.
    pub time_zone: Option<String>,
}

/// The effective settings for the sources of one folder.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `brief.toml` read, if one was found.
    pub file: Option<PathBuf>,
    /// The default template, as written: a folder, or a name looked up in
    /// `template_dirs` and then among the built-ins. Resolve it with
    /// [`Config::template`].
    pub template: Setting<Option<String>>,
    /// Folders whose subfolders are templates a source may name; resolved
    /// against the file's folder.
    pub template_dirs: Setting<Vec<PathBuf>>,
    /// The products (built-in templates) to build per brief; empty for the brief's own.
    pub products: Setting<Vec<String>>,
    /// The language `brief new` writes into a starter brief. A brief's own
    /// language is always in the brief, so it builds the same wherever it sits.
    pub language: Setting<Option<String>>,
    /// `a4` or `letter`; `None` for the template's.
    pub paper: Setting<Option<String>>,
    /// The output folder.
    pub output: Setting<PathBuf>,
    /// The e-mail sender; `None` when nothing gives one (`--eml` and `send` then refuse).
    pub from: Setting<Option<String>>,
    /// SMTP server.
    pub server: Setting<String>,
    /// SMTP port; `None` for the security's default.
    pub port: Setting<Option<u16>>,
    /// SMTP connection security.
    pub security: Setting<Security>,
    /// The distribution policy file, checked to be a readable file.
    pub policy: Setting<Option<PathBuf>>,
    /// The time zone of the person a book is for (`[book] time_zone`): the
    /// schedule's times are converted into it. An IANA name as IANA writes it.
    pub book_time_zone: Setting<Option<String>>,
    /// The folder relative values of the file are resolved against.
    base: PathBuf,
}

/// One line of [`Config::entries`].
#[derive(Debug, Clone)]
pub struct ConfigLine<'a> {
    /// The key as written in `brief.toml` (`email.from`, `smtp.port`).
    pub key: &'static str,
    /// The value, TOML-quoted; `(none)` when unset.
    pub value: String,
    /// Where it came from.
    pub origin: &'a Origin,
}

/// Finds the `brief.toml` that applies to the sources of `folder`: the
/// first in it or above it.
pub fn find(folder: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(folder)
        .or_else(|_| std::path::absolute(folder))
        .unwrap_or_else(|_| folder.to_path_buf());
    start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|f| f.is_file())
}

/// The folder whose `brief.toml` applies to a source: its own.
pub fn folder_of(source: &Path) -> PathBuf {
    match source.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The one `brief.toml` that applies to all of `sources` (or `None`, for
/// none); sources under different files are refused, so that one run never
/// mixes two projects' settings.
pub fn shared(sources: &[PathBuf]) -> Result<Option<PathBuf>, Diagnostic> {
    let mut found: Option<(Option<PathBuf>, &PathBuf)> = None;
    for source in sources {
        let file = find(&folder_of(source));
        match &found {
            None => found = Some((file, source)),
            Some((first, by)) if *first != file => {
                let name = |f: &Option<PathBuf>| {
                    f.as_ref().map_or("no brief.toml".to_string(), |f| f.display().to_string())
                };
                return Err(Diagnostic::error(
                    source.display().to_string(),
                    format!(
                        "this source is configured by {}, but {} by {}",
                        name(&file),
                        by.display(),
                        name(first)
                    ),
                )
                .hint("build the sources of each project in a run of its own"));
            }
            Some(_) => {}
        }
    }
    Ok(found.and_then(|(f, _)| f))
}

/// The effective settings: `overrides`, then the environment (`var`), then
/// `file` (a `brief.toml`, see [`find`]), then the defaults. Every problem of
/// the file is reported at once, located.
pub fn resolve(
    file: Option<&Path>,
    overrides: &Overrides,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, Vec<Diagnostic>> {
    let mut config = Config {
        file: file.map(Path::to_path_buf),
        template: Setting::default(None),
        template_dirs: Setting::default(Vec::new()),
        products: Setting::default(Vec::new()),
        language: Setting::default(None),
        paper: Setting::default(None),
        output: Setting::default(PathBuf::from(DEFAULT_OUTPUT)),
        from: Setting::default(None),
        server: Setting::default(DEFAULT_SERVER.to_string()),
        port: Setting::default(None),
        security: Setting::default(Security::StartTls),
        policy: Setting::default(None),
        book_time_zone: Setting::default(None),
        base: PathBuf::from("."),
    };
    let mut diags = Vec::new();
    if let Some(path) = file {
        config.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        read_file(path, &mut config, &mut diags);
    }
    environment(var, &mut config, &mut diags);
    flags(overrides, &mut config, &mut diags);
    if diags.is_empty() { Ok(config) } else { Err(diags) }
}

fn read_file(path: &Path, config: &mut Config, diags: &mut Vec<Diagnostic>) {
    let name = path.display().to_string();
    let text = match read_bounded(path) {
        Ok(t) => t,
        Err(d) => return diags.push(d),
    };
    let table = match DeTable::parse(&text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let span = e.span().map(|r| span_at(&text, r));
            let message = e.message().lines().next().unwrap_or("invalid TOML").to_string();
            return diags.push(
                Diagnostic::error(&name, format!("invalid TOML: {message}"))
                    .at(span)
                    .hint("see https://toml.io for the syntax"),
            );
        }
    };
    let mut file = FileReader { name: &name, path, text: &text, diags };
    for (key, value) in file.keys(&table, TOP, "") {
        match key {
            "template" => {
                if let Some(t) = file.string(key, value) {
                    config.template = file.setting(Some(t), value);
                }
            }
            "template_dirs" => {
                let dirs = file.strings(key, value);
                let base = config.base.clone();
                let dirs = dirs.into_iter().map(|d| base.join(d)).collect();
                config.template_dirs = file.setting(dirs, value);
            }
            "products" => {
                let mut products = Vec::new();
                for (at, p) in file.strings_spanned(key, value) {
                    match product(&name, &p) {
                        Ok(()) => products.push(p),
                        Err(d) => file.push(d.at(Some(span_at(&text, at)))),
                    }
                }
                config.products = file.setting(products, value);
            }
            "language" => {
                if let Some(tag) = file.string(key, value) {
                    match crate::locale::resolve(&tag) {
                        Ok(_) => config.language = file.setting(Some(tag), value),
                        Err(e) => file.error(
                            key,
                            value,
                            format!("unsupported language `{tag}`: {}", e.reason),
                            "a BCP 47 tag `brief languages` lists, e.g. en-GB",
                        ),
                    }
                }
            }
            "paper" => {
                if let Some(p) = file.string(key, value) {
                    match paper_name(&p) {
                        Some(p) => config.paper = file.setting(Some(p.to_string()), value),
                        None => file.error(
                            key,
                            value,
                            format!("unknown paper size `{p}`"),
                            "a4 or letter",
                        ),
                    }
                }
            }
            "output" => {
                if let Some(o) = file.string(key, value) {
                    config.output = file.setting(config.base.join(o), value);
                }
            }
            "policy" => {
                if let Some(p) = file.string(key, value) {
                    let policy = config.base.join(&p);
                    match std::fs::File::open(&policy).and_then(|f| f.metadata()) {
                        Ok(m) if m.is_file() => config.policy = file.setting(Some(policy), value),
                        Ok(_) => file.error(
                            key,
                            value,
                            format!("`{p}` is not a file"),
                            "a distribution policy file, relative to brief.toml",
                        ),
                        Err(e) => file.error(
                            key,
                            value,
                            format!("cannot read `{p}` ({e})"),
                            "a distribution policy file, relative to brief.toml",
                        ),
                    }
                }
            }
            "email" => {
                let Some(table) = file.table(key, value) else { continue };
                for (key, value) in file.keys(table, EMAIL, "email.") {
                    if let Some(from) = file.string(key, value) {
                        match check_from(&from) {
                            Ok(()) => config.from = file.setting(Some(from), value),
                            Err(why) => file.error(
                                "email.from",
                                value,
                                why,
                                "an address such as \"Europe Desk <desk@example.gov>\"",
                            ),
                        }
                    }
                }
            }
            "smtp" => {
                let Some(table) = file.table(key, value) else { continue };
                for (key, value) in file.keys(table, SMTP, "smtp.") {
                    match key {
                        "server" => {
                            if let Some(s) = file.string(key, value).filter(|s| !s.is_empty()) {
                                config.server = file.setting(s, value);
                            }
                        }
                        "port" => match value.get_ref().as_integer().and_then(|i| {
                            i.as_str().parse::<u16>().ok().filter(|p| *p != 0 && i.radix() == 10)
                        }) {
                            Some(p) => config.port = file.setting(Some(p), value),
                            None => file.error(
                                "smtp.port",
                                value,
                                "not a port number",
                                "a whole number from 1 to 65535",
                            ),
                        },
                        _ => {
                            if let Some(s) = file.string(key, value) {
                                match s.parse::<Security>() {
                                    Ok(sec) => config.security = file.setting(sec, value),
                                    Err(e) => file.error(
                                        "smtp.security",
                                        value,
                                        e.to_string(),
                                        "none, starttls or tls",
                                    ),
                                }
                            }
                        }
                    }
                }
            }
            "book" => {
                let Some(table) = file.table(key, value) else { continue };
                for (key, value) in file.keys(table, BOOK, "book.") {
                    if let Some(zone) = file.string(key, value) {
                        match time_zone(&zone) {
                            Ok(z) => config.book_time_zone = file.setting(Some(z), value),
                            Err(d) => file.push(
                                Diagnostic { file: name.clone(), ..d }
                                    .at(Some(span_at(&text, value.span())))
                                    .path("book.time_zone"),
                            ),
                        }
                    }
                }
            }
            // `keys` yields only the keys of TOP, each handled above.
            _ => {}
        }
    }
}

/// Reads and checks one table's keys for [`read_file`].
struct FileReader<'a> {
    name: &'a str,
    path: &'a Path,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl<'a> FileReader<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The known keys of `table`, in the file's order; an unknown one is an
    /// error with a did-you-mean.
    fn keys<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        known: &'static [&'static str],
        prefix: &str,
    ) -> Vec<(&'static str, &'t Value<'i>)> {
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        let mut out = Vec::new();
        for (key, value) in entries {
            let name: &str = key.get_ref();
            match known.iter().find(|k| **k == name) {
                Some(k) => out.push((*k, value)),
                None => {
                    let mut d =
                        Diagnostic::error(self.name, format!("unknown key `{prefix}{name}`"))
                            .at(Some(span_at(self.text, key.span())))
                            .expected(format!("one of: {}", known.join(", ")));
                    if let Some(close) = did_you_mean(name, known.iter().copied()) {
                        d = d.hint(format!("did you mean `{prefix}{close}`?"));
                    }
                    self.push(d);
                }
            }
        }
        out
    }

    fn setting<T>(&self, value: T, at: &Value<'_>) -> Setting<T> {
        let span = span_at(self.text, at.span());
        Setting { value, origin: Origin::File { path: self.path.to_path_buf(), span } }
    }

    fn error(&mut self, key: &str, at: &Value<'_>, why: impl Into<String>, expected: &str) {
        let d = Diagnostic::error(self.name, why)
            .at(Some(span_at(self.text, at.span())))
            .path(key)
            .expected(expected);
        self.push(d);
    }

    fn string(&mut self, key: &str, at: &Value<'_>) -> Option<String> {
        match at.get_ref().as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                let found = at.get_ref().type_str();
                self.error(key, at, format!("`{key}` is a {found}"), "a string in quotes");
                None
            }
        }
    }

    fn strings_spanned(&mut self, key: &str, at: &Value<'_>) -> Vec<(Range<usize>, String)> {
        let Some(array) = at.get_ref().as_array() else {
            let found = at.get_ref().type_str();
            self.error(
                key,
                at,
                format!("`{key}` is a {found}"),
                "a list of strings, e.g. [\"a\", \"b\"]",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in array.iter().enumerate() {
            if let Some(s) = self.string(&format!("{key}[{i}]"), item) {
                out.push((item.span(), s));
            }
        }
        out
    }

    fn strings(&mut self, key: &str, at: &Value<'_>) -> Vec<String> {
        self.strings_spanned(key, at).into_iter().map(|(_, s)| s).collect()
    }

    fn table<'t, 'i>(&mut self, key: &str, at: &'t Value<'i>) -> Option<&'t DeTable<'i>> {
        let table = at.get_ref().as_table();
        if table.is_none() {
            let found = at.get_ref().type_str();
            self.error(key, at, format!("`{key}` is a {found}"), &format!("a table: [{key}]"));
        }
        table
    }
}

fn read_bounded(path: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let name = path.display().to_string();
    let io = |e: std::io::Error| Diagnostic::error(&name, format!("cannot read ({e})"));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Diagnostic::error(&name, format!("larger than {} KiB", MAX_BYTES / 1024))
            .hint("a brief.toml holds a few settings"));
    }
    String::from_utf8(bytes).map_err(|_| Diagnostic::error(&name, "not UTF-8 text"))
}

/// A byte range of `text` as a located span (line and column 1-based, in characters).
fn span_at(text: &str, range: Range<usize>) -> Span {
    let start = range.start.min(text.len());
    let start = (0..=start).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = range.end.clamp(start, line_end);
    let end = (end..=line_end).find(|i| text.is_char_boundary(*i)).unwrap_or(line_end);
    Span {
        line: text[..start].matches('\n').count() + 1,
        col: text[line_start..start].chars().count() + 1,
        len: text[start..end].chars().count().max(1),
        text: text[line_start..line_end].trim_end_matches('\r').to_string(),
    }
}

fn environment(
    var: &dyn Fn(&str) -> Option<String>,
    config: &mut Config,
    diags: &mut Vec<Diagnostic>,
) {
    let get = |name: &str| var(name).filter(|v| !v.is_empty());
    if let Some(from) = get(ENV_FROM) {
        match check_from(&from) {
            Ok(()) => config.from = Setting { value: Some(from), origin: Origin::Env(ENV_FROM) },
            Err(why) => diags.push(Diagnostic::error(ENV_FROM, why)),
        }
    }
    if let Some(server) = get(ENV_SERVER) {
        config.server = Setting { value: server, origin: Origin::Env(ENV_SERVER) };
    }
    if let Some(port) = get(ENV_PORT) {
        match port.parse::<u16>() {
            Ok(p) if p != 0 => {
                config.port = Setting { value: Some(p), origin: Origin::Env(ENV_PORT) }
            }
            _ => diags.push(
                Diagnostic::error(ENV_PORT, format!("`{port}` is not a port number"))
                    .expected("a whole number from 1 to 65535"),
            ),
        }
    }
    if let Some(policy) = get(ENV_POLICY) {
        config.policy =
            Setting { value: Some(PathBuf::from(policy)), origin: Origin::Env(ENV_POLICY) };
    }
    if let Some(security) = get(ENV_SECURITY) {
        match security.parse::<Security>() {
            Ok(s) => config.security = Setting { value: s, origin: Origin::Env(ENV_SECURITY) },
            Err(e) => diags.push(
                Diagnostic::error(ENV_SECURITY, e.to_string()).expected("none, starttls or tls"),
            ),
        }
    }
}

fn flags(o: &Overrides, config: &mut Config, diags: &mut Vec<Diagnostic>) {
    if let Some(t) = &o.template {
        config.template = Setting { value: Some(t.clone()), origin: Origin::Flag("--template") };
    }
    if let Some(p) = &o.products {
        config.products = Setting { value: p.clone(), origin: Origin::Flag("--products") };
    }
    if let Some(p) = &o.paper {
        config.paper = Setting { value: Some(p.clone()), origin: Origin::Flag("--paper") };
    }
    if let Some(out) = &o.output {
        config.output = Setting { value: out.clone(), origin: Origin::Flag("--output") };
    }
    if let Some(from) = &o.from {
        match check_from(from) {
            Ok(()) => {
                config.from = Setting { value: Some(from.clone()), origin: Origin::Flag("--from") }
            }
            Err(why) => diags.push(Diagnostic::error("--from", why)),
        }
    }
    if let Some(p) = &o.policy {
        config.policy = Setting { value: Some(p.clone()), origin: Origin::Flag("--policy") };
    }
    if let Some(zone) = &o.time_zone {
        match time_zone(zone) {
            Ok(z) => {
                config.book_time_zone =
                    Setting { value: Some(z), origin: Origin::Flag("--time-zone") }
            }
            Err(d) => diags.push(d),
        }
    }
    if let Some(s) = &o.server {
        config.server = Setting { value: s.clone(), origin: Origin::Flag("--server") };
    }
    if let Some(p) = o.port {
        config.port = Setting { value: Some(p), origin: Origin::Flag("--port") };
    }
    if let Some(s) = &o.security {
        match s.parse::<Security>() {
            Ok(sec) => config.security = Setting { value: sec, origin: Origin::Flag("--security") },
            Err(e) => diags.push(
                Diagnostic::error("--security", e.to_string()).expected("none, starttls or tls"),
            ),
        }
    }
}

/// An IANA time zone name, as IANA writes it, or why not (did-you-mean).
fn time_zone(name: &str) -> Result<String, Diagnostic> {
    use crate::locale::zone;
    if let Some(z) = zone::canonical(name.trim()) {
        return Ok(z.to_string());
    }
    let mut d = Diagnostic::error("--time-zone", format!("`{name}` is not a time zone"))
        .expected("an IANA time zone name, e.g. Europe/Brussels, Asia/Baku, America/New_York");
    if let Some(like) = did_you_mean(name.trim(), zone::names()) {
        d = d.hint(format!("did you mean `{like}`?"));
    }
    Err(d)
}

fn check_from(from: &str) -> Result<(), String> {
    from.parse::<lettre::message::Mailbox>()
        .map(drop)
        .map_err(|e| format!("`{from}` is not an e-mail address ({e})"))
}

fn product(file: &str, name: &str) -> Result<(), Diagnostic> {
    if render::builtin_names().any(|n| n == name) {
        return Ok(());
    }
    let names: Vec<&str> = render::builtin_names().collect();
    let mut d = Diagnostic::error(file, format!("no built-in template `{name}`"))
        .path("products")
        .expected(format!("one of: {}", names.join(", ")));
    if let Some(close) = did_you_mean(name, names.iter().copied()) {
        d = d.hint(format!("did you mean `{close}`?"));
    }
    Err(d)
}

/// `a4` or `letter` (any case), as the canonical name.
pub(crate) fn paper_name(text: &str) -> Option<&'static str> {
    ["a4", "letter"].into_iter().find(|p| p.eq_ignore_ascii_case(text))
}

/// The size of a paper `paper_name` accepts, in points.
pub fn paper_size(name: &str) -> Option<(f32, f32)> {
    match paper_name(name)? {
        "a4" => Some(crate::style::A4),
        _ => Some(crate::style::LETTER),
    }
}

impl Config {
    /// Every setting, in the file's order of keys, for `brief config`.
    pub fn entries(&self) -> Vec<ConfigLine<'_>> {
        fn quote(s: &str) -> String {
            format!("{s:?}")
        }
        fn path(p: &Path) -> String {
            quote(&p.display().to_string())
        }
        fn list(items: impl Iterator<Item = String>) -> String {
            format!("[{}]", items.collect::<Vec<_>>().join(", "))
        }
        let none = || "(none)".to_string();
        let opt = |o: &Option<String>| o.as_deref().map_or_else(none, quote);
        vec![
            ConfigLine {
                key: "template",
                value: opt(&self.template.value),
                origin: &self.template.origin,
            },
            ConfigLine {
                key: "template_dirs",
                value: list(self.template_dirs.value.iter().map(|p| path(p))),
                origin: &self.template_dirs.origin,
            },
            ConfigLine {
                key: "products",
                value: list(self.products.value.iter().map(|p| quote(p))),
                origin: &self.products.origin,
            },
            ConfigLine {
                key: "language",
                value: opt(&self.language.value),
                origin: &self.language.origin,
            },
            ConfigLine { key: "paper", value: opt(&self.paper.value), origin: &self.paper.origin },
            ConfigLine {
                key: "output",
                value: path(&self.output.value),
                origin: &self.output.origin,
            },
            ConfigLine {
                key: "policy",
                value: self.policy.value.as_deref().map_or_else(none, path),
                origin: &self.policy.origin,
            },
            ConfigLine {
                key: "email.from",
                value: opt(&self.from.value),
                origin: &self.from.origin,
            },
            ConfigLine {
                key: "smtp.server",
                value: quote(&self.server.value),
                origin: &self.server.origin,
            },
            ConfigLine {
                key: "smtp.port",
                value: self.port.value.map_or_else(none, |p| p.to_string()),
                origin: &self.port.origin,
            },
            ConfigLine {
                key: "smtp.security",
                value: quote(&self.security.value.to_string()),
                origin: &self.security.origin,
            },
            ConfigLine {
                key: "book.time_zone",
                value: opt(&self.book_time_zone.value),
                origin: &self.book_time_zone.origin,
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let file = dir.join(FILE_NAME);
        std::fs::write(&file, text).unwrap();
        file
    }

    fn scratch(name: &str) -> crate::testing::Scratch {
        crate::testing::Scratch::new(&format!("config-{name}"))
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn unknown_keys_are_located_with_did_you_mean_all_at_once() {
        let dir = scratch("unknown");
        let file = write(
            &dir,
            "tempalte = \"x\"\nlanguage = \"en-GB\"\n[smtp]\nsrever = \"mx\"\nport = 0\n",
        );
        let diags = resolve(Some(&file), &Overrides::default(), &no_env).unwrap_err();
        assert_eq!(diags.len(), 3, "{diags:#?}");
        let key = &diags[0];
        assert_eq!(key.message, "unknown key `tempalte`");
        let span = key.span.as_ref().unwrap();
        assert_eq!((span.line, span.col, span.len), (1, 1, 8));
        assert_eq!(key.hint.as_deref(), Some("did you mean `template`?"));
        assert_eq!(diags[1].message, "unknown key `smtp.srever`");
        assert_eq!(diags[1].hint.as_deref(), Some("did you mean `smtp.server`?"));
        assert_eq!(diags[1].span.as_ref().unwrap().line, 4);
        assert_eq!(diags[2].path.as_deref(), Some("smtp.port"));
        assert_eq!(diags[2].span.as_ref().unwrap().line, 5);
    }

    #[test]
    fn flags_beat_environment_beats_file_beats_default() {
        let dir = scratch("order");
        let file =
            write(&dir, "[email]\nfrom = \"File <file@example.gov>\"\n[smtp]\nport = 2525\n");
        let env = |v: &str| (v == ENV_FROM).then(|| "Env <env@example.gov>".to_string());
        let c = resolve(Some(&file), &Overrides::default(), &env).unwrap();
        assert_eq!(c.from.value.as_deref(), Some("Env <env@example.gov>"));
        assert_eq!(c.from.origin, Origin::Env(ENV_FROM));
        assert_eq!(c.port.value, Some(2525));
        assert!(matches!(&c.port.origin, Origin::File { span, .. } if span.line == 4));
        assert_eq!(c.server.origin, Origin::Default);
        let flag = Overrides { from: Some("Flag <flag@example.gov>".into()), ..Default::default() };
        let c = resolve(Some(&file), &flag, &env).unwrap();
        assert_eq!(c.from.value.as_deref(), Some("Flag <flag@example.gov>"));
        assert_eq!(c.from.origin, Origin::Flag("--from"));
    }

    #[test]
    fn found_walking_up_and_paths_relative_to_the_file() {
        let dir = scratch("walk");
        let file = write(&dir, "template_dirs = [\"templates\"]\noutput = \"pdf\"\n");
        let deep = dir.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let found = find(&deep).unwrap();
        assert_eq!(found, std::fs::canonicalize(&file).unwrap());
        let c = resolve(Some(&found), &Overrides::default(), &no_env).unwrap();
        assert!(
            c.output.value.ends_with("pdf") && c.output.value.starts_with(found.parent().unwrap())
        );
        assert_eq!(c.template_dirs.value, vec![found.parent().unwrap().join("templates")]);
    }

    #[test]
    fn products_are_built_in_names_located_in_the_list() {
        let dir = scratch("products");
        let file = write(&dir, "products = [\"one-pager\", \"talking-point\"]\n");
        let diags = resolve(Some(&file), &Overrides::default(), &no_env).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].file, file.display().to_string());
        let span = diags[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col, span.len), (1, 26, 15));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `talking-points`?"));
    }

    #[test]
    fn policy_must_be_a_readable_file() {
        let dir = scratch("policy");
        let file = write(&dir, "policy = \"missing.yaml\"\n");
        let diags = resolve(Some(&file), &Overrides::default(), &no_env).unwrap_err();
        assert!(diags[0].message.starts_with("cannot read `missing.yaml`"), "{diags:?}");
        std::fs::write(dir.join("missing.yaml"), "x").unwrap();
        let c = resolve(Some(&file), &Overrides::default(), &no_env).unwrap();
        assert_eq!(c.policy.value, Some(dir.join("missing.yaml")));
    }

    #[test]
    fn the_book_s_time_zone_is_checked_located_and_overridden_by_the_flag() {
        let dir = scratch("zone");
        let file = write(&dir, "[book]\ntime_zone = \"Europe/Brusels\"\n");
        let diags = resolve(Some(&file), &Overrides::default(), &no_env).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].file, file.display().to_string());
        assert_eq!(diags[0].message, "`Europe/Brusels` is not a time zone");
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `Europe/Brussels`?"));
        let span = diags[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (2, 13));
        let file = write(&dir, "[book]\ntime_zone = \"europe/brussels\"\n");
        let c = resolve(Some(&file), &Overrides::default(), &no_env).unwrap();
        assert_eq!(c.book_time_zone.value.as_deref(), Some("Europe/Brussels"));
        assert!(matches!(&c.book_time_zone.origin, Origin::File { span, .. } if span.line == 2));
        let flag = Overrides { time_zone: Some("Asia/Baku".into()), ..Default::default() };
        let c = resolve(Some(&file), &flag, &no_env).unwrap();
        assert_eq!(c.book_time_zone.value.as_deref(), Some("Asia/Baku"));
        assert_eq!(c.book_time_zone.origin, Origin::Flag("--time-zone"));
        let flag = Overrides { time_zone: Some("Asia/Bakku".into()), ..Default::default() };
        let diags = resolve(Some(&file), &flag, &no_env).unwrap_err();
        assert_eq!(diags[0].file, "--time-zone");
    }

    #[test]
    fn spans_count_characters() {
        let s = span_at("a = 1\nä = \"x\"\n", 11..14);
        assert_eq!((s.line, s.col, s.len, s.text.as_str()), (2, 5, 3, "ä = \"x\""));
    }
}
