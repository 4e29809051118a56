//! `brief` turns YAML briefing sources into PDF briefing notes.
//!
//! # The pipeline
//!
//! Each stage is a crate of its own (`crates/brief-*`, re-exported here under
//! the stage's name) with one typed entry point; a stage depends only on the
//! stages before it, so a forbidden import does not compile:
//!
//! 1. [`source::load`]: YAML bytes → [`source::Parsed`] (raw serde types with
//!    `deny_unknown_fields`, plus the position of every field). Size, encoding,
//!    nesting and alias budgets are checked first; every structural problem is
//!    reported at once, located.
//! 2. [`model::validate`]: raw → [`model::Brief`], checking meaning (dates,
//!    parties, figure ids, series lengths, glyph coverage); all problems at once.
//! 3. [`render::render`]: brief + template (minijinja) → [`document::Rendered`]:
//!    the markup (CommonMark with a few block directives) and everything else
//!    a page needs (style, furniture, metadata, figures, number formats).
//! 4. [`layout::layout`]: rendered document → shaped, broken, paginated
//!    [`frame::Document`]; [`charts::draw`] draws figures into the same page
//!    items. Layout sees only the rendered document, never the brief.
//! 5. [`pdf::write`]: frames → PDF bytes (lopdf objects), fonts embedded and subset,
//!    byte-identical run to run.
//!
//! Shared vocabulary between stages, owned by none (the `brief-core` crate,
//! which depends on no stage): [`document`] (what render
//! hands layout), [`style`] (page settings), [`figure`] (chart data),
//! [`frame`] (positioned page items), [`locale`] (wording and formats of each
//! language, for render, charts and mail) and [`text`] (fonts and shaping).
//!
//! Around the pipeline: [`engine`] (a batch run: naming, refusals, building
//! on all cores), [`batch`] (sharding, the state file, up-to-date checks, the
//! run manifest, atomic writes), [`mail`] (the `.eml` message and SMTP sending),
//! [`diff`] (what changed between two versions of a brief, for `brief diff`
//! and `--changes-since`) and [`book`] (briefs bound into one summit book:
//! each laid out by `frames`, the pages written once), [`watch`] (waiting
//! for files to change, for `--watch` and `serve`) and [`serve`] (the live
//! preview in a browser, with its page-to-source map).
//!
//! Everything that varies between runs (today's date, creation time, fonts)
//! comes in through one [`Env`]. The library never prints and never exits:
//! it returns values and [`diag::Diagnostic`]s; the binary's `report.rs`
//! prints them and `main.rs` turns the outcome into an exit code.
//!
//! # Building a brief
//!
//! ```
//! let source = std::fs::read("briefs/az-kg-2021-07-05.yaml")?;
//! // A fixed date and creation time: the same bytes on every run.
//! let today = chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap();
//! let env = brief::Env::fixed(today, Some(1_625_097_600));
//! let (built, warnings) =
//!     brief::build("az-kg.yaml", &source, &env, &brief::BuildOptions::default())
//!         .map_err(|diags| format!("{} problems", diags.len()))?
//!         .into_parts();
//! assert!(built.pdf.starts_with(b"%PDF-"));
//! assert_eq!(built.pages, 2);
//! assert!(warnings.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod batch;
pub mod book;
pub mod config;
pub mod diff;
pub mod engine;
mod env;
pub mod mail;
pub mod review;
pub mod serve;
#[cfg(test)]
mod testing;
pub mod watch;

// The stages, each a crate of its own (crates/brief-*), so that the compiler
// keeps each to what the stage before produced.
pub use brief_charts as charts;
pub use brief_data as data;
pub use brief_docx as docx;
pub use brief_layout as layout;
pub use brief_model as model;
pub use brief_pdf as pdf;
pub use brief_render as render;
pub use brief_sign as sign;
pub use brief_source as source;
// The vocabulary they share.
pub use brief_core::{diag, document, escape, figure, frame, locale, style, text};

use std::path::{Path, PathBuf};

pub use env::Env;

use diag::{Diagnostic, Warned};
pub use frame::FontStyle;

/// Loads and validates one source: stages 1 and 2. The brief comes with the
/// warnings found checking it; an `Err` holds every problem, warnings too.
///
/// A figure's `data:` file is read from the folder of `file` (a path).
pub fn check(file: &str, bytes: &[u8], env: &Env) -> Result<model::Checked, Vec<Diagnostic>> {
    let folder = Path::new(file).parent().unwrap_or(Path::new(""));
    check_in(file, bytes, env, &|name: &str| data::open(folder, name))
}

/// [`check`], with data files read by `open` (a file of the brief's folder
/// by the name the brief gives it): the working tree's, or a revision's.
pub(crate) fn check_in(
    file: &str,
    bytes: &[u8],
    env: &Env,
    open: &dyn Fn(&str) -> Result<data::File, Diagnostic>,
) -> Result<model::Checked, Vec<Diagnostic>> {
    let fonts = env.fonts;
    let missing = |text: &str| fonts.missing_chars(text);
    let read = |spec: &source::raw::Data, unit: Option<&str>, language: &str| {
        let file = open(&spec.file)?;
        data::read(&file, spec, data::Context { unit, language })
    };
    match source::load(file, bytes) {
        Ok(loaded) => model::validate_with(&loaded, &missing, &read),
        Err(failed) => {
            // Report the meaning of what did load too, so one pass shows every problem.
            let mut diags = failed.diagnostics;
            if let Some(partial) = failed.partial {
                let semantic = match model::validate_with(&partial, &missing, &read) {
                    Ok(checked) => checked.warnings,
                    Err(all) => all,
                };
                diags.extend(semantic);
            }
            Err(diags)
        }
    }
}

/// The briefing sources a command line names, and the links skipped on the way.
#[derive(Debug, Default)]
pub struct Sources {
    /// Source files, in order: as given, then each folder's sorted.
    pub files: Vec<PathBuf>,
    /// A warning for every symbolic link found inside a folder and not followed.
    pub skipped: Vec<Diagnostic>,
    /// An error for every briefing source found inside a folder that cannot
    /// be examined (a path too long, say): never left out silently.
    pub failed: Vec<Diagnostic>,
}

/// Expands files and folders into the briefing sources they name: files as
/// given, folders searched recursively for `*.yaml` and `*.yml`, sorted.
/// Inside a folder, symbolic links are never followed, so a batch never
/// leaves the folders it was given; each one skipped is a warning.
pub fn collect_sources(paths: &[PathBuf]) -> Result<Sources, Diagnostic> {
    let mut out = Sources::default();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else if path.exists() {
            out.files.push(path.clone());
        } else {
            return Err(Diagnostic::error(path.display().to_string(), "no such file or folder"));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Sources) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(dir.display().to_string(), format!("cannot read folder ({e})"))
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        match entry {
            Ok(e) => entries.push(e.path()),
            Err(e) => out.failed.push(io(e)),
        }
    }
    entries.sort();
    // `.YAML`, `.Yml`: the case of an extension says nothing on some systems.
    let is_source = |p: &Path| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
    };
    for path in entries {
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                let file = path.display().to_string();
                let why = format!("cannot read ({e}); not built");
                if is_source(&path) {
                    out.failed.push(Diagnostic::error(file, why));
                } else {
                    out.skipped.push(Diagnostic::warning(file, why));
                }
                continue;
            }
        };
        if meta.file_type().is_symlink() {
            let skipped = Diagnostic::warning(path.display().to_string(), "symbolic link skipped")
                .hint("a batch never follows links out of its folders; name the file itself to build it");
            out.skipped.push(skipped);
        } else if meta.is_dir() {
            walk(&path, out)?;
        } else if meta.is_file() {
            if is_source(&path) {
                out.files.push(path);
            }
        } else {
            // A FIFO, socket or device: never read (a FIFO would block the run).
            let skipped = Diagnostic::warning(
                path.display().to_string(),
                "skipped: not a regular file (a pipe, socket or device)",
            )
            .hint("a batch reads only regular files; save the brief to a file");
            out.skipped.push(skipped);
        }
    }
    Ok(())
}

/// Reads a source without loading an oversized one into memory; the error
/// says whether the source is invalid (too big) or could not be read.
pub fn read_source(path: &Path) -> Result<Vec<u8>, (engine::Failure, Diagnostic)> {
    source::read_file(path).map_err(|e| match e {
        source::ReadError::Unreadable(d) => (engine::Failure::Io, d),
        source::ReadError::TooLarge(d) => (engine::Failure::Invalid, d),
    })
}

/// What `build` needs besides the source: the template and the paper.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// The template; the source's `brief.template` or the default when `None`.
    pub template: Option<render::Template>,
    /// Paper size in points, overriding the theme's.
    pub paper: Option<(f32, f32)>,
    /// The version to show changes since (`--changes-since`): a box on the
    /// first page and change bars beside what changed.
    pub since: Option<std::sync::Arc<diff::origin::Version>>,
    /// Attach the validated model as canonical JSON (`--embed-source`).
    pub embed_source: bool,
    /// Sign the finished PDF (`--sign`, `--sign-key`).
    pub sign: Option<std::sync::Arc<sign::Signer>>,
    /// The template of a brief that names none, instead of the built-in
    /// default (`brief.toml`'s `template`).
    pub default_template: Option<render::Template>,
    /// Folders whose subfolders a brief's `template:` may name, before the
    /// built-ins (`brief.toml`'s `template_dirs`).
    pub template_dirs: Vec<PathBuf>,
    /// What to write: a PDF, or a Word document (`--format docx`).
    pub format: Format,
}

/// The file a build writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// A tagged PDF.
    #[default]
    Pdf,
    /// A Word document, for clearance in Word (`brief review` reads it back).
    Docx,
}

impl Format {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// A built brief; [`build`] returns it with the warnings found on the way.
pub struct Built {
    /// The validated brief.
    pub brief: model::Brief,
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
}

/// A typeset document: the PDF and its page count. [`typeset`] returns it
/// with its warnings, such as sections dropped to fit the theme's page count.
pub(crate) struct Typeset {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// The changes box, when built with [`BuildOptions::since`] (the email lists it too).
    pub changes: Option<document::ChangesBox>,
}

/// Builds one source into PDF bytes: every stage, in order.
pub fn build(
    file: &str,
    bytes: &[u8],
    env: &Env,
    options: &BuildOptions,
) -> Result<Warned<Built>, Vec<Diagnostic>> {
    check(file, bytes, env)?.and_then(|brief| {
        let t = typeset(file, &brief, env, options)
            .map_err(|diags| diags.into_iter().map(|d| locate(d, bytes)).collect::<Vec<_>>())?;
        Ok(t.map(|t| Built { pages: t.pages, brief, pdf: t.pdf }))
    })
}

/// The template a brief is built with: the run's (`--template`), else the one
/// the brief names (a folder of [`BuildOptions::template_dirs`], else a
/// built-in), else the configured default, else the built-in default.
pub fn template_for(
    file: &str,
    brief: &model::Brief,
    options: &BuildOptions,
) -> Result<render::Template, Diagnostic> {
    if let Some(t) = &options.template {
        return Ok(t.clone());
    }
    let name = match brief.brief.template.as_deref() {
        Some(name) => name,
        None => match &options.default_template {
            Some(t) => return Ok(t.clone()),
            None => render::DEFAULT,
        },
    };
    let dirs = &options.template_dirs;
    let unknown = || {
        let d = config::unknown_template(file, name, dirs).path("brief.template");
        if d.hint.is_some() { d } else { d.hint("or pass --template DIR for a template folder") }
    };
    if !config::is_name(name) {
        return Err(unknown().hint(
            "a source names a template; a folder is given with --template or in brief.toml",
        ));
    }
    config::lookup(name, dirs)?.ok_or_else(unknown)
}

/// Whether the brief's marking is on a scale its template's theme knows:
/// the shipped scales, the theme's own instead (`markings`) or beside them
/// (`add_markings`); see [`book::marking`]. One on none is an error at
/// `brief.classification`, with the nearest known marking.
pub fn check_marking(
    file: &str,
    brief: &model::Brief,
    template: &render::Template,
) -> Result<(), Diagnostic> {
    let scales = book::marking::scales(template.theme());
    book::marking::check(file, brief.brief.classification.as_deref(), &scales)
}

/// Gives a diagnostic about a source's field (see [`Diagnostic::path`]) the
/// field's place in the source, when it has none.
pub fn locate(d: Diagnostic, bytes: &[u8]) -> Diagnostic {
    match (&d.span, &d.path) {
        (None, Some(path)) => {
            let span = source::load(&d.file, bytes).ok().and_then(|l| l.index.value(path));
            d.at(span)
        }
        _ => d,
    }
}

/// Stages 3 to 5 for a validated brief: render, lay out, write. A theme with
/// `fit_pages` leaves out the brief's fields in its `drop` order until the
/// document fits, and says what it left out.
pub(crate) fn typeset(
    file: &str,
    brief: &model::Brief,
    env: &Env,
    options: &BuildOptions,
) -> Result<Warned<Typeset>, Vec<Diagnostic>> {
    let (framed, warnings) = frames(file, brief, env, options)?.into_parts();
    let pages = framed.doc.pages.len();
    let pdf = pdf::write_owned(framed.doc, framed.fonts)
        .map_err(|e| vec![Diagnostic::error(file, format!("cannot write the PDF: {e}"))])?;
    let pdf = match &options.sign {
        Some(signer) => sign::sign(&pdf, signer).map_err(|d| vec![d])?,
        None => pdf,
    };
    Ok(Warned::with(Typeset { pages, pdf, changes: framed.changes }, warnings))
}

/// A brief laid out but not yet written: what [`typeset`] writes, and what a
/// book binds with other briefs into one document. [`frames`] returns it with
/// its warnings, such as sections dropped to fit the theme's page count.
pub(crate) struct Framed {
    /// The pages.
    pub doc: frame::Document,
    /// The faces its glyphs are in (one chain: every variant of a book's
    /// bundled or house faces numbers them alike).
    pub fonts: &'static text::FontBook,
    /// The changes box, when built with [`BuildOptions::since`].
    pub changes: Option<document::ChangesBox>,
    /// The rendered document the pages were laid out from (after a theme
    /// left out what it must to fit), for the DOCX.
    pub rendered: document::Rendered,
    /// The template's file, as errors name it (`templates/one-pager/main.md`).
    pub template: String,
}

/// Stages 3 and 4 and a Word document instead of a PDF: the same rendered
/// document, the pages laid out only to leave out what a theme's page count
/// requires. `bytes` is the source file, whose digest the document records
/// so that `brief review` knows what it was made from.
pub(crate) fn typeset_docx(
    file: &str,
    bytes: &[u8],
    brief: &model::Brief,
    env: &Env,
    options: &BuildOptions,
) -> Result<Warned<Typeset>, Vec<Diagnostic>> {
    let (framed, warnings) = frames(file, brief, env, options)?.into_parts();
    let digest = batch::sha256(bytes);
    let identity = diff::identity(&diff::origin::value(brief));
    let name =
        Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let info = docx::Info {
        source_sha256: &digest,
        source_name: &name,
        template: framed.template.as_str(),
        identity: &identity,
    };
    let bytes = docx::write(&framed.rendered, framed.fonts, &info)
        .map_err(|e| vec![Diagnostic::error(file, format!("cannot write the DOCX: {e}"))])?;
    let pages = framed.doc.pages.len();
    Ok(Warned::with(Typeset { pdf: bytes, pages, changes: framed.changes }, warnings))
}

/// Stages 3 and 4 of [`typeset`]: render and lay out, without writing.
pub(crate) fn frames(
    file: &str,
    brief: &model::Brief,
    env: &Env,
    options: &BuildOptions,
) -> Result<Warned<Framed>, Vec<Diagnostic>> {
    let template = template_for(file, brief, options).map_err(|d| vec![d])?;
    let theme = template.theme();
    // A marking no scale in use knows would be printed on every page.
    check_marking(file, brief, &template).map_err(|d| vec![d])?;
    let inputs = render::Inputs {
        today: env.today,
        created: env.created_for(brief.brief.date),
        paper: options.paper,
    };
    // Han characters take the regional forms of the brief's language.
    // The template's house typeface, if it has one, before the bundled chain.
    let fonts = template.fonts().unwrap_or(env.fonts).for_language(&brief.brief.language);
    let extras = extras(brief, options);
    let mut brief = brief.clone();
    let mut dropped: Vec<&str> = Vec::new();
    let (doc, rendered) = loop {
        let rendered =
            render::render_with(&template, &brief, &inputs, &extras).map_err(|d| vec![d])?;
        let laid = layout::layout(&rendered, fonts);
        // Far too long is over the page count too: a theme that fits pages drops fields first.
        if theme.fit_pages.is_some()
            && matches!(laid, Err(layout::Error::TooLong))
            && let Some(field) = theme.drop.get(dropped.len())
        {
            model::clear(&mut brief, field);
            dropped.push(field);
            continue;
        }
        let doc = laid.map_err(|e| {
            vec![match e {
                layout::Error::Markup(why) => Diagnostic::error(
                    template.file(),
                    format!("cannot lay out the brief: {why}"),
                ),
                layout::Error::TooLong => Diagnostic::error(file, e.to_string()).hint(
                    "a briefing note is read in minutes: summarise, or split it into several briefs",
                ),
                layout::Error::Content { why, hint, culprit }
                    if !render::from_brief(&brief, culprit.as_deref()) =>
                {
                    template.content_error(&why, hint, culprit.as_deref())
                }
                layout::Error::Content { why, hint, .. } => {
                    Diagnostic::error(file, why).hint(hint)
                }
                layout::Error::Furniture { field, why } => Diagnostic::error(file, why)
                    .path(field)
                    .hint("shorten it: markings, handling and references repeat on every page"),
            }]
        })?;
        let over = theme.fit_pages.is_some_and(|max| doc.pages.len() > max);
        match theme.drop.get(dropped.len()) {
            Some(field) if over => {
                // The theme's drop list was checked against DROPPABLE when read.
                model::clear(&mut brief, field);
                dropped.push(field);
            }
            _ => break (doc, rendered),
        }
    };
    let mut warnings = Vec::new();
    if let Some(max) = theme.fit_pages {
        let pages = doc.pages.len();
        if !dropped.is_empty() {
            let msg = format!(
                "left out {} to fit {max} page{}",
                dropped.join(", "),
                if max == 1 { "" } else { "s" }
            );
            warnings
                .push(Diagnostic::warning(file, msg).hint(format!("template {}", template.file())));
        }
        if pages > max {
            warnings.push(Diagnostic::warning(
                file,
                format!("{pages} pages, more than the template's {max}"),
            ));
        }
    }
    let template = template.file().to_string();
    let framed = Framed { doc, fonts, changes: extras.changes, rendered, template };
    Ok(Warned::with(framed, warnings))
}

/// The changes box and the embedded source, from the whole brief (before a
/// theme leaves anything out to fit its pages).
fn extras(brief: &model::Brief, options: &BuildOptions) -> render::Extras {
    let changes = options.since.as_ref().map(|old| {
        let changes = diff::diff_values(&old.value, &diff::origin::value(brief));
        diff::wording::changes_box(&old.value, &changes, &brief.brief.language)
    });
    let embedded = options.embed_source.then(|| diff::canonical(brief));
    render::Extras { changes, embedded }
}

/// Longest slug kept whole; a longer title is cut at a word and given a hash.
const SLUG_MAX: usize = 60;

/// The default output name: `{date}_{slug}.pdf`, ASCII only, safe for mail.
///
/// The title is transliterated (deunicode: Cyrillic, Greek, Georgian, Arabic,
/// Chinese… all become readable Latin), so titles in other scripts never
/// collapse to one empty slug. A slug cut to `SLUG_MAX` characters, or one
/// still empty (a title of symbols), ends in a short hash of the whole title,
/// so two titles that differ only past the cut still get different names.
pub fn output_name(brief: &model::Brief) -> String {
    let title = &brief.brief.title;
    let slug = slug(title);
    let hash = || batch::sha256(title.as_bytes())[..8].to_string();
    let slug = if slug.is_empty() {
        hash()
    } else if slug.len() > SLUG_MAX {
        // Cut at a word when one ends in the second half, so the name stays readable.
        let cut = &slug[..SLUG_MAX];
        let cut = match cut.rfind('-') {
            Some(at) if at >= SLUG_MAX / 2 => &cut[..at],
            _ => cut.trim_end_matches('-'),
        };
        format!("{cut}-{}", hash())
    } else {
        slug
    };
    format!("{}_{slug}.pdf", brief.meeting.date)
}

/// Text as a file-name part: transliterated to ASCII, lower case, runs of
/// anything but letters and digits made one `-`, none at either end.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.truncate(slug.trim_end_matches('-').len());
    slug
}
