//! Rendering: a validated brief and a minijinja template → document markup.
//!
//! The markup is CommonMark with GFM tables plus a few fenced directives
//! (`::: facts`, `::: fields`, `::: callout`, `::: pagebreak`) and figure
//! embeds (`![Title](figure:id)`); `docs/templates.md` documents it.
//! Undefined variables are errors, and a fuel limit stops runaway loops.

pub mod budget;
mod export;
pub mod folder;
mod house;

pub use export::export;
pub use house::Wording;
use house::{house_fonts, own_wording, phrase};
mod page;
pub mod theme;

use std::sync::OnceLock;

use chrono::NaiveDate;
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, context};

use brief_core::diag::{Diagnostic, Span};
use brief_core::document::{BAR, ChangesBox, field_mark, is_field_path};
use brief_core::locale;
use brief_core::text::FontBook;
use brief_model::Brief;
pub use page::{Extras, Inputs, render, render_with};
pub use theme::Theme;

/// Instructions a template may spend before it is stopped.
pub const FUEL: u64 = 5_000_000;
/// Most markup a template may write, in bytes (32 MiB).
pub const MAX_MARKUP: usize = 32 << 20;
/// Most memory a render of a template folder's (or any not built-in)
/// template may hold, in bytes (256 MiB), when the binary installs
/// [`budget::Budgeted`]; the brief itself is at most 8 MiB.
pub const MAX_MEMORY: usize = 256 << 20;

/// A template ready to render: its files and a configured environment.
/// Cloning is cheap enough to do once per brief in a batch.
#[derive(Clone)]
pub struct Template {
    name: String,
    /// The folder the template came from, for naming its partials in errors.
    root: Option<String>,
    env: Environment<'static>,
    source: String,
    theme: Theme,
    /// The template's own wording (`locales/<code>.yaml`), by language code,
    /// over the built-in phrases.
    wording: std::sync::Arc<Wording>,
    /// Set once a render of this template ran out of memory: later renders
    /// are refused at once instead of parking another thread.
    exhausted: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The house typeface the theme names, loaded from the folder.
    fonts: Option<&'static FontBook>,
    /// A built-in template: its loops only walk the brief, whose size is
    /// bounded, so it renders on the caller's thread without a budget (a
    /// render thread cost a thread start and two hand-overs per brief).
    builtin: bool,
}

/// The built-in templates: name, entry template, theme.
pub const BUILTIN: [(&str, &str, &str); 3] = [
    (
        "briefing-note",
        include_str!("../../../templates/briefing-note/main.md"),
        include_str!("../../../templates/briefing-note/theme.yaml"),
    ),
    (
        "one-pager",
        include_str!("../../../templates/one-pager/main.md"),
        include_str!("../../../templates/one-pager/theme.yaml"),
    ),
    (
        "talking-points",
        include_str!("../../../templates/talking-points/main.md"),
        include_str!("../../../templates/talking-points/theme.yaml"),
    ),
];

/// The built-in template a brief is built with when nothing names another.
pub const DEFAULT: &str = BUILTIN[0].0;

/// The built-in templates' names, in order.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _, _)| *name)
}

/// The built-in templates' names and descriptions.
pub fn builtin_list() -> Vec<(&'static str, String)> {
    BUILTIN
        .iter()
        .map(|(name, _, theme)| {
            let description = Theme::parse(name, theme).ok().and_then(|t| t.description);
            (*name, description.unwrap_or_default())
        })
        .collect()
}

impl Template {
    /// A built-in template by name. Each is compiled once per process (a
    /// batch asked for it twice per brief, and compiling cost more than
    /// rendering); every caller gets its own copy, with its own
    /// out-of-memory flag, so one brief's runaway render never refuses
    /// another's.
    pub fn builtin(name: &str) -> Option<Template> {
        static COMPILED: [OnceLock<Option<Template>>; BUILTIN.len()] =
            [const { OnceLock::new() }; BUILTIN.len()];
        let at = BUILTIN.iter().position(|(n, _, _)| *n == name)?;
        let compiled = COMPILED[at].get_or_init(|| {
            let (name, text, theme) = BUILTIN[at];
            let dir = format!("templates/{name}");
            let theme = Theme::parse(&format!("{dir}/theme.yaml"), theme).ok()?;
            Template::from_source(&format!("{dir}/main.md"), text, theme).ok()
        });
        let mut template = compiled.clone()?;
        template.exhausted = Default::default();
        template.builtin = true;
        Some(template)
    }

    /// A template from its entry file's text and its theme; `file` is the name errors print.
    pub fn from_source(file: &str, text: &str, theme: Theme) -> Result<Template, Diagnostic> {
        let mut env = environment();
        env.add_template_owned(file.to_string(), text.to_string())
            .map_err(|e| template_error(&e, file, text))?;
        let source = format!("{text}\0{theme:?}");
        let exhausted = Default::default();
        let wording = Default::default();
        Ok(Template {
            name: file.to_string(),
            root: None,
            env,
            source,
            theme,
            wording,
            exhausted,
            fonts: None,
            builtin: false,
        })
    }

    /// A template folder: its entry file `main.md`, optionally `theme.yaml`,
    /// and the partials it may include (see [`folder`]). Nothing outside the
    /// folder is read, and symbolic links are not followed.
    pub fn from_dir(dir: &std::path::Path) -> Result<Template, Diagnostic> {
        let theme = match read_theme(dir)? {
            Some((file, text)) => Theme::parse(&file, &text)?,
            None => Theme::default(),
        };
        let mut template = Template::templates(dir, theme)?;
        if let Some(house) = template.theme.fonts.clone() {
            let book = house_fonts(dir, &house)?;
            // A changed font file must rebuild the briefs set in it.
            template.source.push_str(&format!("\0fonts\0{:032x}", book.fingerprint()));
            template.fonts = Some(book);
        }
        let own = own_wording(dir).map_err(|mut all| all.swap_remove(0))?;
        template.add_wording(own);
        Ok(template)
    }

    /// Every problem of a template folder at once, each located: its theme
    /// (all of its keys and values), its templates, its house fonts, its
    /// wording files, and what rendering `sample` through it meets (an
    /// undefined field named, with the closest the brief has).
    pub fn check_dir(dir: &std::path::Path, sample: &Brief) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let theme = match read_theme(dir) {
            Ok(Some((file, text))) => Theme::check(&file, &text).unwrap_or_else(|mut all| {
                found.append(&mut all);
                Theme::default()
            }),
            Ok(None) => Theme::default(),
            Err(d) => {
                found.push(d);
                Theme::default()
            }
        };
        if let Some(house) = &theme.fonts {
            found.extend(house_fonts(dir, house).err());
        }
        let own = own_wording(dir).unwrap_or_else(|mut all| {
            found.append(&mut all);
            Wording::default()
        });
        match Template::templates(dir, theme) {
            Ok(mut template) => {
                template.add_wording(own);
                found.extend(template.render(sample, sample.brief.date).err());
            }
            Err(d) => found.push(d),
        }
        found
    }

    /// The folder's `main.md` and partials, compiled, with `theme`.
    fn templates(dir: &std::path::Path, theme: Theme) -> Result<Template, Diagnostic> {
        let file = dir.join("main.md");
        let shown = file.display().to_string();
        let text = folder::read_text(&file).map_err(|e| {
            Diagnostic::error(&shown, format!("cannot read template ({e})"))
                .hint("a template folder holds its entry template as main.md")
        })?;
        plain_template(&shown, &text)?;
        let mut template = Template::from_source(&shown, &text, theme)?;
        let root = dir.display().to_string();
        let partials = folder::partials(dir)?;
        for (name, text) in partials.files {
            plain_template(&format!("{root}/{name}"), &text)?;
            template.source.push_str(&format!("\0{name}\0{text}"));
            template
                .env
                .add_template_owned(name.clone(), text.clone())
                .map_err(|e| template_error(&e, &format!("{root}/{name}"), &text))?;
        }
        template.env.set_loader(folder::loader(partials.links));
        template.root = Some(root);
        Ok(template)
    }

    fn add_wording(&mut self, own: Wording) {
        for (code, table) in &own {
            self.source.push_str(&format!("\0locales/{code}.yaml\0{table:?}"));
        }
        self.set_wording(own);
    }

    /// The phrase `key` in the language of `tag`: the template's own
    /// wording first, then the built-in one.
    pub fn phrase(&self, key: &str, tag: &str) -> Option<String> {
        phrase(&self.wording, key, tag)
    }

    fn set_wording(&mut self, own: Wording) {
        let own = std::sync::Arc::new(own);
        self.wording = own.clone();
        self.env.add_filter("t", t_filter(own));
    }

    /// The house typeface the template's theme names, if any.
    pub fn fonts(&self) -> Option<&'static FontBook> {
        self.fonts
    }

    /// The theme.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The file name errors print.
    pub fn file(&self) -> &str {
        &self.name
    }

    /// The template files' texts and the theme (part of what an output depends on).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Renders `brief` to markup; `today` feeds the computed values. A
    /// template not built in holds at most [`MAX_MEMORY`] bytes (see [`budget`]).
    pub fn render(&self, brief: &Brief, today: NaiveDate) -> Result<String, Diagnostic> {
        self.render_changes(brief, today, None)
    }

    /// [`Template::render`] with the "Changes since" box and the places of
    /// the change bars, when built with `--changes-since`.
    pub fn render_changes(
        &self,
        brief: &Brief,
        today: NaiveDate,
        changes: Option<&ChangesBox>,
    ) -> Result<String, Diagnostic> {
        use std::sync::atomic::Ordering;
        let exhausted = || {
            Diagnostic::error(
                &self.name,
                format!(
                    "template used more than {} MiB of memory; is a loop building a value that doubles?",
                    MAX_MEMORY >> 20
                ),
            )
            .hint("a template builds its text by writing it out, not by joining ever longer strings")
        };
        if self.builtin {
            return self.render_here(brief, today, changes);
        }
        if self.exhausted.load(Ordering::Relaxed) {
            return Err(exhausted());
        }
        let (this, brief, changes) = (self.clone(), brief.clone(), changes.cloned());
        match budget::run(MAX_MEMORY, move || this.render_here(&brief, today, changes.as_ref())) {
            Ok(result) => result,
            Err(budget::Stopped::Exceeded) => {
                self.exhausted.store(true, Ordering::Relaxed);
                Err(exhausted())
            }
            Err(budget::Stopped::NoThread(e)) => {
                Err(Diagnostic::error(&self.name, format!("cannot start the template ({e})")))
            }
        }
    }

    fn render_here(
        &self,
        brief: &Brief,
        today: NaiveDate,
        changes: Option<&ChangesBox>,
    ) -> Result<String, Diagnostic> {
        let template = self.env.get_template(&self.name).map_err(|e| self.error(&e))?;
        let tag = &brief.brief.language;
        let word = |key: &str| self.phrase(key, tag).unwrap_or_else(|| key.to_string());
        let ctx = context! {
            changes => changes.map(Value::from_serialize),
            clearance_line => clearance_line(brief.clearance.as_ref(), tag, &word),
            today => today.to_string(),
            days_until => (brief.meeting.date - today).num_days(),
            weekday => locale::weekday(brief.meeting.date, &brief.brief.language),
            dir => locale::dir(&brief.brief.language).as_str(),
            ..Value::from_serialize(only_text(brief))
        };
        let mut out = Bounded(Vec::new());
        template.render_captured_to(ctx, &mut out).map_err(|e| {
            let d = self.error(&e);
            match innermost(&e).kind() {
                ErrorKind::UndefinedError => undefined(d, &only_text(brief)),
                _ => d,
            }
        })?;
        // minijinja writes whole strings, so the bytes are UTF-8.
        String::from_utf8(out.0)
            .map_err(|_| Diagnostic::error(&self.name, "template wrote invalid text"))
    }

    /// A located diagnostic for a render error, in whichever file it arose;
    /// an error inside an included file also says where it was included.
    fn error(&self, e: &Error) -> Diagnostic {
        let inner = innermost(e);
        let diagnostic = self.locate(inner);
        match (std::ptr::eq(inner, e), e.line()) {
            (false, Some(line)) => {
                diagnostic.hint(format!("included from {}:{line}", self.file_of(e.name())))
            }
            _ => diagnostic,
        }
    }

    fn locate(&self, e: &Error) -> Diagnostic {
        let name = e.name().unwrap_or(&self.name);
        let source =
            self.env.get_template(name).map(|t| t.source().to_string()).unwrap_or_default();
        template_error(e, &self.file_of(Some(name)), &source)
    }

    /// The file a template name stands for: partials live under the folder.
    fn file_of(&self, name: Option<&str>) -> String {
        match (name, &self.root) {
            (Some(name), Some(root)) if name != self.name => format!("{root}/{name}"),
            _ => self.name.clone(),
        }
    }
}

/// A folder's `theme.yaml`, its name as errors print it and its text; `None` when there is none.
fn read_theme(dir: &std::path::Path) -> Result<Option<(String, String)>, Diagnostic> {
    let file = dir.join("theme.yaml");
    let shown = file.display().to_string();
    match folder::read_text(&file) {
        Ok(text) => Ok(Some((shown, text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(shown, format!("cannot read the theme ({e})"))),
    }
}

/// An undefined-name error made to say which name: minijinja points at the
/// filter or call it reached (`brief.titel | text` at `text`), so the
/// expression on the line up to that point is read for the first dotted
/// name the brief does not have, with the closest it does have.
fn undefined(d: Diagnostic, brief: &serde_json::Value) -> Diagnostic {
    let Some(span) = &d.span else { return d };
    let upto: String = span.text.chars().take(span.col - 1 + span.len).collect();
    let opened = upto.rfind("{{").max(upto.rfind("{%")).map_or(0, |i| i + 2);
    let first_col = upto[..opened].chars().count() + 1;
    // Each dotted name of the expression and the column it starts at.
    let mut names: Vec<(String, usize)> = Vec::new();
    let mut current = String::new();
    let mut quoted = None;
    for (i, c) in upto[opened..].chars().chain([' ']).enumerate() {
        match quoted {
            Some(q) if c == q => quoted = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quoted = Some(c);
                current.clear();
            }
            None if c.is_alphanumeric() || c == '_' || (c == '.' && !current.is_empty()) => {
                current.push(c)
            }
            None => {
                if !current.is_empty() && !current.starts_with(|c: char| c.is_ascii_digit()) {
                    let start = first_col + i - current.chars().count();
                    names.push((std::mem::take(&mut current), start));
                }
                current.clear();
            }
        }
    }
    for (name, col) in names {
        let mut parts = name.split('.');
        let Some(first) = parts.next() else { continue };
        let Some(mut value) = brief.get(first) else { continue };
        let mut walked = first.to_string();
        for part in parts {
            match value.get(part) {
                Some(next) => {
                    value = next;
                    walked = format!("{walked}.{part}");
                }
                None => {
                    let keys: Vec<&str> = value
                        .as_object()
                        .map(|m| m.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let message = format!("undefined field `{walked}.{part}`");
                    let span = span.clone();
                    let len = walked.chars().count() + 1 + part.chars().count();
                    let d = Diagnostic { message, ..d }.at(Some(Span { col, len, ..span }));
                    return match brief_core::diag::did_you_mean(part, keys.iter().copied()) {
                        Some(like) => d.hint(format!("did you mean `{walked}.{like}`?")),
                        None if !keys.is_empty() => d.expected(format!(
                            "one of the fields of `{walked}`: {}",
                            keys.join(", ")
                        )),
                        None => d,
                    };
                }
            }
        }
    }
    d
}

/// The brief's clearance as a note prints it, in `tag`'s language, with
/// `phrase` giving each fixed wording: "Drafted by A (Desk Officer), 1 July
/// 2021 · Cleared by B (Head of Department), 2 July 2021; C, 2 July 2021 ·
/// Approved by D (Director), 3 July 2021". Each step's note follows its
/// date after a dash. Empty when the brief records no clearance.
pub fn clearance_line(
    clearance: Option<&brief_model::Clearance>,
    tag: &str,
    phrase: &dyn Fn(&str) -> String,
) -> String {
    let Some(c) = clearance else { return String::new() };
    let one = |s: &brief_model::Signoff| {
        let mut text = one_line(&s.name);
        if let Some(role) = s.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            text.push_str(&format!(" ({})", one_line(role)));
        }
        // Name and role, then the date, joined as the language joins a pair
        // ("A, 1 July 2021"; Arabic's "،", Chinese "，").
        text = locale::pair(&[&text, &locale::date(s.date, tag)], tag);
        if let Some(note) = s.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            text.push_str(&format!(" — {}", one_line(note)));
        }
        text
    };
    // People apart as the script writes a semicolon.
    let apart = match locale::code(tag) {
        "ar" | "fa" => "\u{61b} ",
        "zh" | "zh-Hant" => "\u{ff1b}",
        _ => "; ",
    };
    let mut parts = Vec::new();
    let mut step = |key: &str, names: Vec<String>| {
        if !names.is_empty() {
            parts.push(phrase(key).replace("{names}", &names.join(apart)));
        }
    };
    step("Drafted by {names}", c.drafted_by.iter().map(one).collect());
    step("Cleared by {names}", c.cleared_by.iter().map(one).collect());
    step("Approved by {names}", c.approved_by.iter().map(one).collect());
    parts.join(" · ")
}

/// A text on one line: a name or role is one line in spirit.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The brief as the template sees it: its markdown fields with the
/// markup's own syntax beyond CommonMark escaped ([`brief_core::escape::fences`]),
/// so a source's text never adds a directive; plain fields are escaped by
/// the `text` and `cell` filters where a template writes them.
fn only_text(brief: &Brief) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value, path: &mut String) {
        match value {
            serde_json::Value::String(text) if brief_model::is_markdown(path) => {
                *text = brief_core::escape::fences(text);
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(item, path);
                    path.truncate(len);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    walk(v, path);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut json = serde_json::to_value(brief).unwrap_or(serde_json::Value::Null);
    walk(&mut json, &mut String::new());
    json
}

/// Whether a content problem the layout found (an image, a link, a table too
/// wide) comes from the brief's own text rather than from the template: the
/// culprit layout names (or, without one, a table row) appears in one of
/// the brief's fields. Used to name the file the author must fix.
pub fn from_brief(brief: &Brief, culprit: Option<&str>) -> bool {
    let culprit = culprit.filter(|c| !c.is_empty());
    let Ok(json) = serde_json::to_value(brief) else { return true };
    let mut found = false;
    let mut stack = vec![&json];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(text) => {
                found |= match culprit {
                    Some(c) => text.contains(c),
                    None => text.lines().any(|l| l.trim_start().starts_with('|')),
                };
            }
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    found
}

impl Template {
    /// A content problem the template itself wrote (see [`from_brief`]), at
    /// the place in the template's files where the culprit is written.
    pub fn content_error(&self, why: &str, hint: &str, culprit: Option<&str>) -> Diagnostic {
        let hint = format!("the template writes this, not the brief; {hint}");
        let found = culprit.filter(|c| !c.is_empty()).and_then(|c| {
            let mut names: Vec<&str> = self.env.templates().map(|(n, _)| n).collect();
            names.sort_by_key(|n| *n != self.name);
            names.into_iter().find_map(|name| {
                let source = self.env.get_template(name).ok()?.source().to_string();
                let at = source.find(c)?;
                let line = source[..at].matches('\n').count() + 1;
                let start = source[..at].rfind('\n').map_or(0, |i| i + 1);
                let col = source[start..at].chars().count() + 1;
                let text = source.lines().nth(line - 1).unwrap_or_default().to_string();
                let span = Span { line, col, len: c.chars().count(), text };
                Some((self.file_of(Some(name)), span))
            })
        });
        match found {
            Some((file, span)) => Diagnostic::error(file, why).at(Some(span)).hint(hint),
            None => Diagnostic::error(&self.name, why).hint(hint),
        }
    }
}

/// The markup being written, refusing to grow past [`MAX_MARKUP`]: fuel
/// bounds a template's steps, not how much each step writes.
struct Bounded(Vec<u8>);

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_MARKUP {
            return Err(std::io::Error::other("the template wrote more than 32 MiB"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The deepest located error in a chain: minijinja wraps an error raised in
/// an included template in one that points at the include.
fn innermost(e: &Error) -> &Error {
    let mut current = e;
    while let Some(next) =
        std::error::Error::source(current).and_then(|s| s.downcast_ref::<Error>())
    {
        if next.line().is_none() || next.name().is_none() {
            break;
        }
        current = next;
    }
    current
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_loader(folder::loader(Vec::new()));
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // Each formatter is one function, offered both as a filter
    // (`{{ d | longdate }}`) and as a function (`{{ fmt_date(d) }}`).
    for (filter, style) in
        [("longdate", "full"), ("date", "long"), ("shortdate", "short"), ("weekday", "weekday")]
    {
        env.add_filter(filter, move |d: String, state: &minijinja::State| {
            fmt_date(d, Some(style.to_string()), state)
        });
    }
    env.add_function("fmt_date", fmt_date);
    let number = |v: f64, decimals: Option<usize>, state: &minijinja::State| {
        // Without a precision, the number as the source wrote it.
        locale::number(v, decimals.unwrap_or(usize::MAX), &language(state))
    };
    env.add_filter("number", number);
    env.add_function("fmt_number", number);
    // `t | time`, or `t | time(zone)` with the zone named after the time
    // in the brief's language ("09:30 Azerbaijan Time"); no zone, no name.
    let time = |t: String, zone: Option<String>, state: &minijinja::State| {
        let time = fmt_time(&t, state)?;
        Ok::<_, Error>(match zone.filter(|z| !z.is_empty()) {
            Some(zone) => format!("{time} {}", locale::zone::name(&zone, &language(state))),
            None => time,
        })
    };
    env.add_filter("time", time);
    env.add_function("fmt_time", time);
    // Not `list`: that is minijinja's own filter, which templates use.
    let list =
        |items: Vec<String>, state: &minijinja::State| locale::list(&items, &language(state));
    env.add_filter("and_list", list);
    env.add_function("fmt_list", list);
    env.add_function("ordinal", |n: f64, state: &minijinja::State| {
        locale::ordinal(n, &language(state)).to_string()
    });
    // Set again with a template folder's own wording.
    env.add_filter("t", t_filter(Default::default()));
    env.add_filter("text", |s: String| brief_core::escape::markup(&s));
    // `isolate`: in a right-to-left brief, a value that reads on its own
    // (an address, a URL) is set as a unit in its own direction (a Unicode
    // first-strong isolate), so `Name <x@y.org>` keeps its brackets in place.
    env.add_filter("isolate", |s: String, state: &minijinja::State| {
        if locale::dir(&language(state)) == locale::Dir::Rtl {
            format!("\u{2068}{s}\u{2069}")
        } else {
            s
        }
    });
    env.add_filter("cell", |s: String| cell(&s));
    env.add_filter("mdcell", |s: String| s.replace('\n', " ").replace('|', "\\|"));
    env.add_function("plural", plural);
    // `datetime(date, time)`: a date and a time already written (with their
    // change bars) joined as the language joins them: "…, 11:00", "… 11:00",
    // Arabic's comma "،".
    env.add_function("datetime", |date: String, time: String, state: &minijinja::State| {
        Value::from_safe_string(locale::join(&date, &time, &language(state)))
    });
    // `pair(a, b, …)`: texts already written set side by side on one line,
    // separated as the language separates items ("Europe desk, 5 July
    // 2021", Arabic's "،", Japanese "、"); empty ones left out.
    env.add_function("pair", |items: minijinja::value::Rest<String>, state: &minijinja::State| {
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        Value::from_safe_string(locale::pair(&items, &language(state)))
    });
    // `bar(path)`, after the text of a paragraph, list item or table cell:
    // the field mark naming the source field shown there (what traces a
    // place on the page back to the source), and the change-bar marker
    // layout draws a bar beside when that field changed. `path is changed`
    // decides whether to open a `::: changed` block.
    env.add_function("bar", |path: String, state: &minijinja::State| {
        let mut out = field_mark(&path);
        if is_changed(state, &path) {
            out.push_str(BAR);
        }
        Value::from_safe_string(out)
    });
    env.add_test("changed", |path: String, state: &minijinja::State| is_changed(state, &path));
    // `{{ summary | barred("summary") }}`: the markup of a field of several
    // blocks in a `::: field PATH` block (what traces it back to the source,
    // as `bar` does for one block), inside a `::: changed` block when it changed.
    env.add_filter("barred", |text: String, path: String, state: &minijinja::State| {
        let text =
            if is_changed(state, &path) { format!("::: changed\n{text}\n:::") } else { text };
        if !is_field_path(&path) { text } else { format!("::: field {path}\n{text}\n:::") }
    });
    env
}

/// The filter `cell`: plain text in a table cell (its `|` already escaped,
/// and no line break, by [`brief_core::escape::markup`]).
pub fn cell(text: &str) -> String {
    brief_core::escape::markup(text)
}

/// The filter `t`: a phrase in the brief's language, `own` wording first.
fn t_filter(
    own: std::sync::Arc<Wording>,
) -> impl Fn(String, &minijinja::State) -> Result<String, Error> + Send + Sync + 'static {
    move |key, state| {
        phrase(&own, &key, &language(state)).ok_or_else(|| {
            let keys: Vec<&str> = locale::label_keys().collect();
            let detail = format!("no wording for `{key}`; known: {}", keys.join(", "));
            Error::new(ErrorKind::InvalidOperation, detail)
        })
    }
}

/// `fmt_date(d, "full" | "long" | "short" | "weekday")`: a date in the
/// brief's language, as CLDR writes it.
fn fmt_date(d: String, style: Option<String>, state: &minijinja::State) -> Result<String, Error> {
    let (date, tag) = (parse_date(&d)?, language(state));
    Ok(match style.as_deref().unwrap_or("full") {
        "full" => locale::long_date(date, &tag),
        "long" => locale::date(date, &tag),
        "short" => locale::short_date(date, &tag),
        "weekday" => locale::weekday(date, &tag),
        other => {
            let detail = format!("`{other}` is not a date style; use full, long, short or weekday");
            return Err(Error::new(ErrorKind::InvalidOperation, detail));
        }
    })
}

/// A time of day (`09:30` or `09:30:00`) on the 24-hour clock in the language's digits.
fn fmt_time(t: &str, state: &minijinja::State) -> Result<String, Error> {
    let time = chrono::NaiveTime::parse_from_str(t, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(t, "%H:%M"))
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("`{t}` is not a time")))?;
    Ok(locale::time(time, &language(state)))
}

/// `plural(n)`: CLDR's category (`one`, `few`, `other`, …);
/// `plural(n, one="…", few="…", other="…")`: the text for n's category
/// (`other` when the category has none); `plural(n, one, other)`: the
/// first for category `one`, the second for every other.
fn plural(state: &minijinja::State, args: minijinja::value::Rest<Value>) -> Result<String, Error> {
    let (n, rest, kwargs): (f64, &[Value], minijinja::value::Kwargs) =
        minijinja::value::from_args(&args)?;
    let rest: Vec<String> = rest.iter().map(|v| v.to_string()).collect();
    let category = locale::plural(n, &language(state));
    let chosen = match rest.as_slice() {
        [] if kwargs.args().next().is_none() => Some(category.to_string()),
        [] => kwargs.get::<Option<String>>(category)?.or(kwargs.get::<Option<String>>("other")?),
        [one, other] => Some(if category == "one" { one.clone() } else { other.clone() }),
        _ => None,
    };
    for key in ["zero", "one", "two", "few", "many", "other"] {
        let _ = kwargs.get::<Option<String>>(key);
    }
    kwargs.assert_all_used()?;
    chosen.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            "plural takes a number and either two texts (one, other) or texts named by CLDR category (one=…, other=…)",
        )
    })
}

/// Whether the item at `path` was added, changed or moved, or lies inside
/// (or holds) one that was: `agenda[1].topic` when agenda item 2 is new.
fn is_changed(state: &minijinja::State, path: &str) -> bool {
    let Some(marks) = state.lookup("changes").and_then(|c| c.get_attr("marks").ok()) else {
        return false;
    };
    let Ok(marks) = marks.try_iter() else { return false };
    let within = |inner: &str, outer: &str| {
        inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    marks
        .filter_map(|m| m.as_str().map(String::from))
        .any(|m| m == path || within(path, &m) || within(&m, path))
}

/// The brief's language, read from the render context.
fn language(state: &minijinja::State) -> String {
    state
        .lookup("brief")
        .and_then(|b| b.get_attr("language").ok())
        .and_then(|l| l.as_str().map(String::from))
        .unwrap_or_else(|| "en".into())
}

fn parse_date(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("`{text}` is not a date")))
}

fn template_error(e: &Error, file: &str, source: &str) -> Diagnostic {
    let line = e.line().unwrap_or(0);
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or_default().to_string();
    let (col, len) = match e.range() {
        Some(r) => {
            let start = source[..r.start.min(source.len())].rfind('\n').map_or(0, |i| i + 1);
            (source[start..r.start.min(source.len())].chars().count() + 1, r.len())
        }
        None => (1, text.chars().count()),
    };
    let what = match e.kind() {
        ErrorKind::UndefinedError => "undefined variable or field",
        ErrorKind::SyntaxError => "template syntax error",
        ErrorKind::UnknownFilter => "unknown filter",
        ErrorKind::UnknownFunction => "unknown function",
        ErrorKind::OutOfFuel => "template ran too long (fuel exhausted); is there an endless loop?",
        ErrorKind::TemplateNotFound => "template not found",
        ErrorKind::WriteFailure => {
            "template wrote more than 32 MiB of markup; is a loop writing the same text again and again?"
        }
        _ => "template error",
    };
    let message = match e.detail() {
        Some(detail) if e.kind() != ErrorKind::WriteFailure => format!("{what}: {detail}"),
        _ => what.to_string(),
    };
    let span = (line > 0).then(|| Span { line, col, len: len.max(1), text });
    let diagnostic = Diagnostic::error(file, message).at(span);
    match e.kind() {
        ErrorKind::TemplateNotFound => diagnostic.hint(
            "include files of the template's own folder by their path in it, e.g. `parts/header.md`",
        ),
        _ => diagnostic,
    }
}

/// A template folder's text, held to what a brief's text is (its words are
/// printed on every brief built with it): no control character but tab and
/// line breaks, and no direction control, written or as a character
/// reference (`&#x202E;` would reverse the words after it).
fn plain_template(file: &str, text: &str) -> Result<(), Diagnostic> {
    use brief_core::escape::refused_kind;
    let refused = |c: char| brief_core::yaml::tree::refused(c) && c != '\r';
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| refused(c)) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let span = brief_core::diag::Span {
            line: text[..at].matches('\n').count() + 1,
            col: text[start..at].chars().count() + 1,
            len: 1,
            text: text[start..].split('\n').next().unwrap_or_default().to_string(),
        };
        let message = format!("{} U+{:04X} in the template", refused_kind(c), c as u32);
        return Err(Diagnostic::error(file, message)
            .at(Some(span))
            .hint("delete the invisible character; it was probably pasted in with the text"));
    }
    use brief_core::text::references::{findings, reference_message};
    if let Some((written, c)) = findings(text).reference {
        return Err(Diagnostic::error(file, reference_message(&written, c))
            .hint("delete the reference: it would put an invisible character on every page"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_variables_are_located_errors() {
        let t = Template::from_source("t.md", "line one\n{{ nope.field }}\n", Theme::default())
            .unwrap();
        let brief = brief_model::tests_support::brief();
        let d = t.render(&brief, brief.brief.date).unwrap_err();
        assert_eq!(d.span.as_ref().map(|s| s.line), Some(2), "{d:?}");
        assert!(d.message.starts_with("undefined"), "{}", d.message);
    }

    #[test]
    fn an_undefined_field_is_named_with_the_closest_there_is() {
        let t = Template::from_source(
            "t.md",
            "x\n# {{ 'a' ~ brief.titel | text }}\n",
            Theme::default(),
        )
        .unwrap();
        let brief = brief_model::tests_support::brief();
        let d = t.render(&brief, brief.brief.date).unwrap_err();
        assert_eq!(d.message, "undefined field `brief.titel`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `brief.title`?"));
        assert_eq!(d.span.as_ref().map(|s| s.line), Some(2));
    }

    #[test]
    fn a_doubling_value_is_stopped_by_the_memory_budget_and_remembered() {
        let text = "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}";
        let t = Template::from_source("t.md", text, Theme::default()).unwrap();
        let brief = brief_model::tests_support::brief();
        let d = t.render(&brief, brief.brief.date).unwrap_err();
        assert!(d.message.contains("more than 256 MiB of memory"), "{}", d.message);
        // A clone (as a batch makes per brief) is refused at once.
        let d = t.clone().render(&brief, brief.brief.date).unwrap_err();
        assert!(d.message.contains("more than 256 MiB of memory"), "{}", d.message);
    }

    #[test]
    fn bars_and_the_changed_test_follow_the_marks() {
        let text = "{{ bar('key_messages[0]') }}|{{ bar('key_messages[1]') }}|{% if 'agenda[1].topic' is changed %}y{% endif %}|{% if 'agenda[10].topic' is changed %}n{% endif %}";
        let t = Template::from_source("t.md", text, Theme::default()).unwrap();
        let brief = brief_model::tests_support::brief();
        let marks = vec!["key_messages[0]".to_string(), "agenda[1]".to_string()];
        let changes = ChangesBox { marks, ..ChangesBox::default() };
        let out = t.render_changes(&brief, brief.brief.date, Some(&changes)).unwrap();
        let (m0, m1) = (field_mark("key_messages[0]"), field_mark("key_messages[1]"));
        assert_eq!(out, format!("{m0}{BAR}|{m1}|y|"));
        assert_eq!(t.render(&brief, brief.brief.date).unwrap(), format!("{m0}|{m1}||"));
    }

    #[test]
    fn endless_loops_run_out_of_fuel() {
        let text =
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
        let t = Template::from_source("t.md", text, Theme::default()).unwrap();
        let brief = brief_model::tests_support::brief();
        let d = t.render(&brief, brief.brief.date).unwrap_err();
        assert!(d.message.contains("fuel"), "{}", d.message);
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    fn render_in(tag: &str, text: &str) -> String {
        let t = Template::from_source("t.md", text, Theme::default()).unwrap();
        let mut brief = brief_model::tests_support::brief();
        brief.brief.language = tag.into();
        t.render(&brief, brief.brief.date).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn templates_see_the_direction_and_cldr_formats() {
        assert_eq!(render_in("ar", "{{ dir }}"), "rtl");
        assert_eq!(render_in("ky", "{{ dir }}"), "ltr");
        let date = "{{ fmt_date('2021-07-05') }}|{{ fmt_date('2021-07-05', 'weekday') }}";
        assert_eq!(
            render_in("ky", date),
            format!(
                "{}|дүйшөмбү",
                locale::long_date(NaiveDate::from_ymd_opt(2021, 7, 5).unwrap(), "ky")
            )
        );
        assert_eq!(
            render_in("de", "{{ fmt_number(1234.5, 1) }} {{ 1234.5 | number(1) }}"),
            "1.234,5 1.234,5"
        );
        assert_eq!(render_in("fa", "{{ fmt_number(12) }}"), "۱۲");
        assert_eq!(
            render_in("ru", "{{ fmt_time('09:30:00') }} {{ '17:05' | time }}"),
            "09:30 17:05"
        );
        assert_eq!(render_in("en", "{{ fmt_list(['A', 'B', 'C']) }}"), "A, B, and C");
        assert_eq!(render_in("ky", "{{ ['A', 'B'] | and_list }}"), "A жана B");
        // minijinja's own `list` is untouched.
        assert_eq!(render_in("en", "{{ 'ab' | list | length }}"), "2");
        assert_eq!(render_in("en", "{{ ordinal(2) }} {{ ordinal(3) }}"), "two few");
    }

    /// docs/format.md names what a template sees besides the brief: each
    /// name it lists is defined.
    #[test]
    fn the_computed_values_the_format_names_are_there() {
        let format = include_str!("../../../docs/format.md");
        let at = format.find("## What a template sees").expect("the section");
        let section = &format[at..at + format[at..].find("The template decides").expect("its end")];
        // The names, not the values said of them in brackets (`ltr` or `rtl`).
        let mut bare = String::new();
        let mut depth = 0;
        for c in section.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                c if depth == 0 => bare.push(c),
                _ => {}
            }
        }
        let mut names = Vec::new();
        for name in bare.split('`').skip(1).step_by(2) {
            if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                names.push(name);
            }
        }
        assert!(names.len() >= 4, "{names:?}");
        for name in names {
            let shown = render_in("en", &format!("{{{{ {name} is defined }}}}"));
            assert_eq!(
                shown.to_lowercase(),
                "true",
                "docs/format.md names `{name}`, which templates do not get"
            );
        }
    }

    #[test]
    fn the_worked_example_of_the_guide_renders_as_it_says() {
        let guide = include_str!("../../../docs/templates.md");
        let start = guide.find("```jinja\n").expect("the example") + 9;
        let text = &guide[start..start + guide[start..].find("```").unwrap()];
        let t = Template::from_source("t.md", text, Theme::default()).unwrap();
        let mut brief = brief_model::tests_support::example();
        let mut out = Vec::new();
        for tag in ["ky", "en"] {
            brief.brief.language = tag.into();
            out.push(t.render(&brief, brief.brief.date).unwrap());
        }
        assert!(out[0].contains("Күнү: 2021-ж., 5-июль, дүйшөмбү"), "{}", out[0]);
        assert!(out[1].contains("Date: Monday, July 5, 2021"), "{}", out[1]);
        assert!(out[1].contains("10 measures — Azerbaijan and Kyrgyzstan"), "{}", out[1]);
        assert!(out[1].contains("(ltr)"), "{}", out[1]);
    }

    #[test]
    fn plural_picks_cldrs_category() {
        let text = "{% for n in [1, 3, 5, 21] %}{{ n }} {{ plural(n, one='мера', few='меры', many='мер') }};{% endfor %}";
        assert_eq!(render_in("ru", text), "1 мера;3 меры;5 мер;21 мера;");
        assert_eq!(render_in("ru", "{{ plural(2) }}"), "few");
        // Two texts: the first for CLDR's `one`, the second for the rest.
        assert_eq!(
            render_in(
                "en",
                "{{ plural(1, 'measure', 'measures') }} {{ plural(3, 'measure', 'measures') }}"
            ),
            "measure measures"
        );
        // A missing category falls back to `other`.
        assert_eq!(render_in("ru", "{{ plural(5, one='a', other='b') }}"), "b");
    }

    #[test]
    fn unknown_date_styles_and_plural_forms_are_errors() {
        let t =
            Template::from_source("t.md", "{{ fmt_date('2021-07-05', 'huge') }}", Theme::default())
                .unwrap();
        let brief = brief_model::tests_support::brief();
        let d = t.render(&brief, brief.brief.date).unwrap_err();
        assert!(d.message.contains("not a date style"), "{}", d.message);
        let t =
            Template::from_source("t.md", "{{ plural(2, ones='x') }}", Theme::default()).unwrap();
        assert!(t.render(&brief, brief.brief.date).is_err());
    }

    #[test]
    fn a_template_folder_may_correct_a_languages_wording() {
        let dir = std::env::temp_dir().join(format!("brief-wording-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("locales")).unwrap();
        std::fs::write(dir.join("main.md"), "{{ 'Agenda' | t }} / {{ 'Summary' | t }}\n").unwrap();
        std::fs::write(
            dir.join("locales/de.yaml"),
            "\"Agenda\": \"Ablauf\"\n\"DRAFT\": \"VORLAGE\"\n",
        )
        .unwrap();
        let t = Template::from_dir(&dir).unwrap();
        let mut brief = brief_model::tests_support::brief();
        brief.brief.language = "de".into();
        brief.brief.status = brief_model::Status::Draft;
        assert_eq!(t.render(&brief, brief.brief.date).unwrap().trim(), "Ablauf / Zusammenfassung");
        let inputs = Inputs { today: brief.brief.date, created: 0, paper: None };
        let rendered = render(&t, &brief, &inputs).unwrap();
        assert_eq!(rendered.furniture.watermark.as_deref(), Some("VORLAGE"));
        // A wrong placeholder or an unknown key is refused, naming the file.
        std::fs::write(
            dir.join("locales/de.yaml"),
            "\"Page {page} of {total}\": \"Seite {page}\"\n",
        )
        .unwrap();
        let d = Template::from_dir(&dir).err().unwrap();
        assert!(d.file.ends_with("de.yaml") && d.message.contains("placeholders"), "{d:?}");
        std::fs::remove_file(dir.join("locales/de.yaml")).unwrap();
        std::fs::write(dir.join("locales/xx.yaml"), "\"Agenda\": \"x\"\n").unwrap();
        let d = Template::from_dir(&dir).err().unwrap();
        assert!(d.message.contains("not a supported language"), "{d:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_title_block_value_on_several_lines_stays_one_field() {
        let t = Template::builtin("briefing-note").unwrap();
        let mut brief = brief_model::tests_support::example();
        let inputs = Inputs { today: brief.brief.date, created: 0, paper: None };
        brief.meeting.location = Some("Baku,\nVenue: Fairmont Hotel".into());
        let rendered = render(&t, &brief, &inputs).unwrap();
        assert!(
            rendered.markup.contains(r"Place: Baku, Venue\: Fairmont Hotel"),
            "{}",
            rendered.markup
        );
    }

    #[test]
    fn the_rendered_document_carries_the_direction_and_chart_words() {
        let t = Template::builtin("briefing-note").unwrap();
        let mut brief = brief_model::tests_support::example();
        let inputs = Inputs { today: brief.brief.date, created: 0, paper: None };
        brief.brief.language = "he".into();
        let rendered = render(&t, &brief, &inputs).unwrap();
        assert_eq!(rendered.dir, locale::Dir::Rtl);
        assert_eq!(rendered.furniture.page_label, "עמוד {page} מתוך {total}");
        brief.brief.language = "de".into();
        let rendered = render(&t, &brief, &inputs).unwrap();
        assert_eq!(rendered.dir, locale::Dir::Ltr);
        assert_eq!(rendered.formats.chart_words.gaps, "Lücken kennzeichnen fehlende Werte.");
    }
}

#[cfg(test)]
mod golden {
    use super::*;

    #[test]
    fn example_markup() {
        let brief = brief_model::tests_support::example();
        let t = Template::builtin("briefing-note").expect("built in");
        let markup = t.render(&brief, brief.brief.date).expect("renders");
        insta::assert_snapshot!(markup);
    }
}
