//! The batch engine behind `brief build`: check every source, name every
//! output (unique per brief), refuse collisions and outputs that are inputs,
//! build what is not up to date on all cores, write each PDF atomically,
//! record the state file and the manifest.
//!
//! It prints nothing and never exits: the caller hears of each brief through
//! an [`Observer`] and gets every [`Done`] back, failures typed by [`Failure`].

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::batch::{self, Manifest, ManifestEntry, Record, State};
use crate::diag::{Diagnostic, Warned};
use crate::render::Template;
use crate::{BuildOptions, Env, Sources, output_name, template_for, typeset};

/// One run's settings, resolved once from the command line.
pub struct Settings {
    /// The paths named on the command line (files or folders).
    pub named: Vec<PathBuf>,
    /// Output file (one source) or folder.
    pub output: PathBuf,
    /// Template and paper.
    pub options: BuildOptions,
    /// The products to build per brief: `None` is the brief's own template.
    pub products: Vec<Option<String>>,
    /// Build only shard K of N.
    pub shard: Option<(usize, usize)>,
    /// Rebuild what is up to date, and replace what another source wrote.
    pub force: bool,
    /// Stop scheduling after the first failure.
    pub fail_fast: bool,
    /// Also write the `.eml` beside each PDF.
    pub eml: bool,
    /// The `.eml`'s sender (`--from`, `BRIEF_SMTP_FROM`, `brief.toml`); with
    /// `eml` and none, the run is refused: a sender is never invented.
    pub from: Option<String>,
    /// With `eml`: also mail briefs no one cleared, their pages and subject
    /// marked DRAFT; without it such a brief fails.
    pub allow_draft: bool,
    /// With `eml`: the distribution policy each brief's recipients are
    /// checked against; a brief it refuses fails before anything of it is written.
    pub policy: Option<Arc<crate::mail::policy::Policy>>,
    /// Where to write the JSON manifest.
    pub manifest: Option<PathBuf>,
    /// Inputs besides the sources (the template folder's files), never overwritten.
    pub inputs: Vec<PathBuf>,
    /// Show the changes since each brief at this git revision (`--changes-since
    /// git:REV`): the same path read with `git`. A single old version given as a
    /// file goes in [`BuildOptions::since`] instead.
    pub since_revision: Option<String>,
}

/// Hears of a run's progress; called from worker threads.
pub trait Observer: Sync {
    /// The number of briefs the run will report.
    fn start(&self, total: usize);
    /// One brief finished (or was skipped).
    fn done(&self, done: &Done);
    /// True once the run should schedule no more briefs (an interrupt).
    fn stopped(&self) -> bool;
}

/// What a run did.
pub struct Finished {
    /// Every brief, in source order.
    pub done: Vec<Done>,
    /// Files the run could not write after the briefs (state file, manifest).
    pub problems: Vec<Diagnostic>,
}

impl Finished {
    /// The worst failure, if any brief or the run's own files failed.
    pub fn worst(&self) -> Option<Failure> {
        let io = (!self.problems.is_empty()).then_some(Failure::Io);
        self.done.iter().filter_map(|d| d.outcome.failure()).chain(io).max()
    }
}

/// A source read and checked, ready to be given its output path.
pub(crate) struct Ready {
    source: PathBuf,
    bytes: Vec<u8>,
    checked: crate::model::Checked,
}

/// A checked source given its output path.
struct Planned {
    source: PathBuf,
    bytes: Arc<Vec<u8>>,
    checked: Arc<crate::model::Checked>,
    output: PathBuf,
    /// The product (built-in template) when several are built per brief.
    product: Option<String>,
}

/// Why a brief failed; the command maps it to its exit code (1 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// The source (or its template) is invalid, or building it failed.
    Invalid,
    /// A file cannot be written, or would replace another source's output.
    Io,
}

/// One brief's result.
pub enum Outcome {
    /// Built and written.
    Built {
        /// Pages of the PDF.
        pages: usize,
        /// Size of the PDF in bytes.
        bytes: usize,
        /// SHA-256 of the PDF, as recorded in the state file.
        sha256: String,
        /// Built with `--changes-since git:REV`, but the brief is new since
        /// that revision: no changes box.
        new_since: bool,
    },
    /// Its output was already built from the same inputs.
    UpToDate,
    /// Not built.
    Failed {
        /// Why, for the exit code.
        kind: Failure,
        /// What went wrong.
        diags: Vec<Diagnostic>,
    },
    /// Not attempted, after `--fail-fast` or an interrupt.
    Skipped,
}

impl Outcome {
    /// The failure kind, when it failed.
    pub fn failure(&self) -> Option<Failure> {
        match self {
            Outcome::Failed { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    fn invalid(diags: Vec<Diagnostic>) -> Self {
        Outcome::Failed { kind: Failure::Invalid, diags }
    }

    fn io(d: Diagnostic) -> Self {
        Outcome::Failed { kind: Failure::Io, diags: vec![d] }
    }
}

/// What happened to one source (or one product of it).
pub struct Done {
    /// The source, as named.
    pub source: PathBuf,
    /// Where its PDF goes, once it was planned.
    pub output: Option<PathBuf>,
    /// Built, up to date, failed or skipped.
    pub outcome: Outcome,
    /// Warnings from checking the source, then from typesetting it.
    pub warnings: Vec<Diagnostic>,
}

/// Runs one batch over `found` (the sources the command line named). An
/// `Err` is a refusal before any work: colliding outputs, or an output that
/// is an input.
pub fn run(
    settings: &Settings,
    found: Sources,
    env: &Env,
    observer: &dyn Observer,
) -> Result<Finished, Diagnostic> {
    warm_up();
    let eml_from = match (&settings.from, settings.eml) {
        (None, true) => return Err(no_sender()),
        (from, eml) => from.as_deref().filter(|_| eml),
    };
    let mut sources = found.files;
    if let Some((k, n)) = settings.shard {
        sources = batch::shard(sources, &settings.named, k, n);
    }
    let ext = settings.options.format.extension();
    let names_a_pdf = settings.output.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    let single_file = settings.named.len() == 1 && !settings.named[0].is_dir() && names_a_pdf;
    // `-o x.pdf` with several products would make a folder called x.pdf.
    if single_file && settings.products.len() > 1 {
        return Err(Diagnostic::error(
            settings.output.display().to_string(),
            format!(
                "`-o {}` names one PDF, but {} products make {} PDFs",
                settings.output.display(),
                settings.products.len(),
                settings.products.len()
            ),
        )
        .hint("name a folder with -o, or build one product"));
    }
    let out_dir =
        if single_file { batch::folder_of(&settings.output) } else { settings.output.clone() };
    if !single_file && settings.output.is_file() {
        let shown = settings.output.display().to_string();
        return Err(Diagnostic::error(
            &shown,
            format!("-o {shown} is an existing file, but this run writes a folder of PDFs"),
        )
        .hint("-o names a folder (created if missing), or a .pdf file when one source is built"));
    }
    // Read before any work: a damaged state is refused, never taken for empty.
    let state = State::read_or_force(&out_dir, settings.force)?;
    batch::clean_temporaries(&out_dir);
    // Check everything first: output names come from the briefs, and collisions are refused before any work.
    let loaded: Vec<(PathBuf, Result<Ready, Outcome>)> = sources
        .par_iter()
        .map(|s| (s.clone(), isolated(s, || load(s, env)).and_then(|l| l)))
        .collect();
    let planned = plan(loaded, settings, single_file)?;
    overwrites_an_input(&planned, &sources, settings, &out_dir)?;
    let state = Mutex::new(state);
    let fonts = fonts_digest(env);
    observer.start(planned.len() + found.failed.len());
    let failed_any = AtomicBool::new(false);
    // One brief to a named file is always rebuilt, but recorded and checked
    // in its folder's state like any output.
    let rebuild = settings.force || single_file;
    let mut done: Vec<Done> = found
        .failed
        .into_iter()
        .map(|d| Done {
            source: PathBuf::from(&d.file),
            output: None,
            outcome: Outcome::invalid(vec![d]),
            warnings: Vec::new(),
        })
        .collect();
    done.iter().for_each(|d| observer.done(d));
    let options = &settings.options;
    let built: Vec<Done> = planned
        .into_par_iter()
        .map(|(source, planned)| {
            let halted =
                observer.stopped() || (settings.fail_fast && failed_any.load(Ordering::SeqCst));
            let result = match planned {
                Err(outcome) => Done { source, output: None, outcome, warnings: vec![] },
                Ok(_) if halted => {
                    Done { source, output: None, outcome: Outcome::Skipped, warnings: vec![] }
                }
                Ok(p) => {
                    let made = isolated(&p.source, || {
                        let since = settings.since_revision.as_deref();
                        let how = How {
                            force: settings.force,
                            rebuild,
                            eml_from,
                            allow_draft: settings.allow_draft,
                            policy: settings.policy.as_deref(),
                        };
                        make(&p, env, options, &fonts, &state, how, since)
                    })
                    .and_then(|made| made)
                    .unwrap_or_else(Warned::new);
                    let mut warnings = p.checked.warnings.clone();
                    let outcome = made.take(&mut warnings);
                    Done { source: p.source, output: Some(p.output), outcome, warnings }
                }
            };
            if matches!(result.outcome, Outcome::Failed { .. }) {
                failed_any.store(true, Ordering::SeqCst);
            }
            observer.done(&result);
            result
        })
        .collect();
    done.extend(built);
    let mut problems = Vec::new();
    let state = state.into_inner().unwrap_or_else(PoisonError::into_inner);
    problems.extend(state.save(&out_dir).err());
    if let Some(path) = &settings.manifest {
        problems.extend(write_manifest(path, &done, settings.force).err());
    }
    Ok(Finished { done, problems })
}

/// Runs one brief's work so that a panic in it is that brief's failure,
/// never the end of the batch.
fn isolated<T>(source: &Path, work: impl FnOnce() -> T) -> Result<T, Outcome> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let d = Diagnostic::error(
            source.display().to_string(),
            format!("internal error while building this brief: {why}"),
        )
        .hint(
            "this is a bug in brief; please report it with the source. The other briefs were built",
        );
        Outcome::invalid(vec![d])
    })
}

/// Reads and checks one source; a source that cannot be read is an I/O failure.
fn load(source: &Path, env: &Env) -> Result<Ready, Outcome> {
    let bytes = crate::read_source(source).map_err(|(kind, d)| match kind {
        Failure::Io => Outcome::io(d),
        Failure::Invalid => Outcome::invalid(vec![d]),
    })?;
    let checked =
        crate::check(&source.display().to_string(), &bytes, env).map_err(Outcome::invalid)?;
    Ok(Ready { source: source.to_path_buf(), bytes, checked })
}

type Plan = Vec<(PathBuf, Result<Planned, Outcome>)>;

/// Decides where each PDF goes. Briefs whose names would be equal (same
/// meeting date and title) get their source's file stem appended, whatever
/// their order; sources whose stems are equal too are refused, naming both.
fn plan(
    loaded: Vec<(PathBuf, Result<Ready, Outcome>)>,
    settings: &Settings,
    single_file: bool,
) -> Result<Plan, Diagnostic> {
    let base = |l: &Ready| output_name(&l.checked.value);
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, l) in &loaded {
        if let Ok(l) = l {
            *count.entry(base(l)).or_default() += 1;
        }
    }
    let products = &settings.products;
    let mut planned: Plan = Vec::new();
    let mut seen: std::collections::HashMap<PathBuf, PathBuf> = std::collections::HashMap::new();
    for (source, l) in loaded {
        let l = match l {
            Ok(l) => l,
            Err(d) => {
                planned.push((source, Err(d)));
                continue;
            }
        };
        let mut name = base(&l);
        if count[&name] > 1 {
            let stem = l.source.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
            name = format!("{}_{}.pdf", name.trim_end_matches(".pdf"), crate::slug(&stem));
        }
        let (bytes, checked) = (Arc::new(l.bytes), Arc::new(l.checked));
        for product in products {
            let output = if single_file && products.len() == 1 {
                settings.output.clone()
            } else {
                let name = match product {
                    Some(p) => name.replace(".pdf", &format!("_{p}.pdf")),
                    None => name.clone(),
                };
                settings.output.join(name)
            };
            let output = match settings.options.format {
                crate::Format::Pdf => output,
                // `-o x.docx` as given; names made from the brief end in .docx.
                crate::Format::Docx if single_file && products.len() == 1 => output,
                crate::Format::Docx => output.with_extension("docx"),
            };
            if let Some(first) = seen.insert(output.clone(), source.clone()) {
                let msg = format!(
                    "{} and {} would both write {}",
                    first.display(),
                    source.display(),
                    output.display()
                );
                return Err(Diagnostic::error(source.display().to_string(), msg).hint(
                    "their meeting dates, titles and file names are the same: rename one source, or build them into different folders",
                ));
            }
            planned.push((
                source.clone(),
                Ok(Planned {
                    source: source.clone(),
                    bytes: bytes.clone(),
                    checked: checked.clone(),
                    output,
                    product: product.clone(),
                }),
            ));
        }
    }
    Ok(planned)
}

/// Inputs are never outputs: every file the run writes (PDFs, `.eml`s, the
/// manifest) goes through [`batch::check_outputs`] before any work, and the
/// state file is never one of the sources either.
fn overwrites_an_input(
    planned: &Plan,
    sources: &[PathBuf],
    settings: &Settings,
    out_dir: &Path,
) -> Result<(), Diagnostic> {
    let mut inputs: Vec<PathBuf> = sources.iter().chain(&settings.inputs).cloned().collect();
    // The figures' data files, beside their sources.
    for p in planned.iter().filter_map(|(_, p)| p.as_ref().ok()) {
        let folder = p.source.parent().unwrap_or(Path::new(""));
        let files = p.checked.value.figures.iter().filter_map(|f| f.data.as_ref());
        inputs.extend(files.map(|o| folder.join(&o.file)));
    }
    let pdfs: Vec<&PathBuf> =
        planned.iter().filter_map(|(_, p)| Some(&p.as_ref().ok()?.output)).collect();
    let mut outputs: Vec<(PathBuf, &str)> = pdfs.iter().map(|p| (p.to_path_buf(), "PDF")).collect();
    if settings.eml {
        outputs.extend(pdfs.iter().map(|p| (p.with_extension("eml"), "email")));
    }
    if let Some(manifest) = &settings.manifest {
        let ext = manifest.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        if let Some(ext) = ext.filter(|e| ["pdf", "eml", "yaml", "yml"].contains(&e.as_str())) {
            return Err(Diagnostic::error(
                manifest.display().to_string(),
                format!("the manifest is JSON and would replace a .{ext} file"),
            )
            .hint("name it e.g. manifest.json"));
        }
        outputs.push((manifest.clone(), "manifest"));
    }
    batch::check_outputs(&outputs, &inputs)?;
    let state = out_dir.join(batch::STATE_FILE);
    if let Some(source) = inputs.iter().find(|i| batch::same_file(i, &state)) {
        return Err(Diagnostic::error(
            source.display().to_string(),
            format!(
                "{} is the state file of {}, not a briefing source",
                source.display(),
                out_dir.display()
            ),
        )
        .hint("choose another output folder (--output)"));
    }
    Ok(())
}

/// How one brief is made: what may be replaced, whether to rebuild what is
/// up to date, whether to write its email.
#[derive(Clone, Copy)]
struct How<'a> {
    /// Replace files that no run wrote or another source wrote.
    force: bool,
    /// Build even when up to date.
    rebuild: bool,
    /// Write the `.eml` beside the PDF, from this sender.
    eml_from: Option<&'a str>,
    /// Write the `.eml` of a brief no one cleared too, marked DRAFT.
    allow_draft: bool,
    /// The distribution policy the `.eml`'s recipients are checked against.
    policy: Option<&'a crate::mail::policy::Policy>,
}

/// Whether `p`'s email may be written, checked before anything of the brief
/// is: `Ok(true)` when the brief is not cleared and `--allow-draft` marks
/// it DRAFT; `Err` the brief's failure, each refused recipient at its line.
fn may_mail(p: &Planned, how: How<'_>, signed: bool) -> Result<bool, Outcome> {
    let file = p.source.display().to_string();
    let brief = &p.checked.value;
    let draft = match crate::mail::uncleared(brief) {
        Some(why) if !how.allow_draft => {
            let d = Diagnostic::error(&file, format!("no email written: {why}"));
            return Err(Outcome::invalid(vec![d.hint("or build without --eml")]));
        }
        Some(_) => true,
        None => false,
    };
    let policy = crate::mail::policy::decide(
        brief.brief.classification.as_deref(),
        &crate::mail::policy::recipients(brief),
        how.policy,
    );
    let mut diags: Vec<Diagnostic> =
        policy.diagnostics(&file).into_iter().map(|d| crate::locate(d, &p.bytes)).collect();
    if let Some(rule) = policy.signed.as_ref().filter(|_| !signed && diags.is_empty()) {
        let d = Diagnostic::error(&file, format!("{rule}: the PDF must be signed to be mailed"));
        diags.push(d.hint("build with --sign KEY.p12 (or --sign-key and --sign-cert)"));
    }
    if diags.is_empty() { Ok(draft) } else { Err(Outcome::invalid(diags)) }
}

/// A fingerprint of the fonts (see [`FontBook::fingerprint`](crate::text::FontBook::fingerprint)):
/// each face's length and table directory, which holds a checksum of every
/// table; hashing whole faces cost more than building the brief.
fn fonts_digest(env: &Env) -> String {
    format!("{:032x}", env.fonts.fingerprint())
}

/// Starts, once per process and on another core, the first use of what
/// nearly every build needs while this thread reads and checks the sources:
/// the source schema, the fonts' fingerprint, the default template and its
/// theme, the English wording and the faces. Each is kept once parsed (`OnceLock`), so the
/// build finds it ready or waits for it, never makes it twice; a brief
/// that needs none of them has only kept the other core busy. One brief:
/// these are about a sixth of the process's work, done beside the YAML.
fn warm_up() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // A thread of its own: one brief runs on the caller's thread with no
        // pool to share (see `cmd::build`). Where no thread can be started,
        // the build makes each of these when it first needs it.
        let _ = std::thread::Builder::new().name("warm-up".into()).spawn(|| {
            let _ = crate::source::schema();
            // The fonts' fingerprint, for the up-to-date check (`fonts_digest`).
            let _ = crate::text::FontBook::builtin().fingerprint();
            let _ = crate::locale::wording::keys().next();
            let _ = Template::builtin(crate::render::DEFAULT);
            let _ =
                crate::text::FontBook::builtin().family_width(crate::FontStyle::Regular, 10.0, "a");
        });
    });
}

/// Builds one planned brief unless its output is up to date: built (with
/// the typesetting's warnings) or up to date, else the failure.
fn make(
    p: &Planned,
    env: &Env,
    options: &BuildOptions,
    fonts: &str,
    state: &Mutex<State>,
    how: How<'_>,
    since_revision: Option<&str>,
) -> Result<Warned<Outcome>, Outcome> {
    let eml_wanted = how.eml_from.is_some();
    let file = p.source.display().to_string();
    // Only in debug builds, for the test that a panic fails one brief alone.
    #[cfg(debug_assertions)]
    if std::env::var_os("BRIEF_DEBUG_PANIC_ON").is_some_and(|f| p.source.ends_with(f)) {
        panic!("BRIEF_DEBUG_PANIC_ON: a panic, for testing");
    }
    let product = BuildOptions {
        template: p
            .product
            .as_deref()
            .and_then(Template::builtin)
            .or_else(|| options.template.clone()),
        ..options.clone()
    };
    let mut product = product;
    let mut new_since = false;
    if let Some(rev) = since_revision {
        let origin = crate::diff::origin::Origin::Git(rev.to_string());
        match crate::diff::origin::load(&origin, &p.source, env) {
            Ok(Some(old)) => product.since = Some(Arc::new(old)),
            Ok(None) => new_since = true,
            Err(diags) => return Err(Outcome::invalid(since_failed(&file, rev, diags))),
        }
    }
    // An old version named as a file must be of this very brief.
    if let (Some(old), None, false) = (&product.since, since_revision, how.force) {
        let new = crate::diff::origin::value(&p.checked.value);
        if !crate::diff::same_brief(&old.value, &new) {
            let title = |v: &serde_json::Value| {
                v.pointer("/brief/title").and_then(|t| t.as_str()).unwrap_or("").to_string()
            };
            let msg = format!(
                "{} is another brief: \"{}\" ({}), not \"{}\" ({})",
                old.name,
                title(&old.value),
                crate::diff::identity(&old.value),
                title(&new),
                crate::diff::identity(&new),
            );
            return Err(Outcome::invalid(vec![Diagnostic::error(&file, msg).hint(
                "--changes-since compares a brief with an older version of itself (the same reference, or the same parties); --force compares them anyway",
            )]));
        }
    }
    let options = &product;
    let template = match template_for(&file, &p.checked.value, options) {
        Ok(t) => t,
        Err(d) => return Err(Outcome::invalid(vec![crate::locate(d, &p.bytes)])),
    };
    if let Err(d) = crate::check_marking(&file, &p.checked.value, &template) {
        return Err(Outcome::invalid(vec![crate::locate(d, &p.bytes)]));
    }
    // A brief whose email may not be written fails before anything of it is.
    let mut draft = false;
    if eml_wanted {
        match may_mail(p, how, options.sign.is_some()) {
            Ok(d) => draft = d,
            Err(failed) => return Err(failed),
        }
    }
    // The old version and embedding change the PDF as much as the source does.
    let since = options.since.as_ref().map(|v| batch::sha256(v.value.to_string().as_bytes()));
    let signer = options.sign.as_ref().map(|s| s.fingerprint());
    let settings = format!(
        "{:?} {:?} {since:?} {} {signer:?} {:?} {draft}",
        options.paper, env.created, options.embed_source, options.format
    );
    // The figures' data files are inputs as the source is: a changed cell rebuilds.
    let data: BTreeMap<String, String> = p
        .checked
        .value
        .figures
        .iter()
        .filter_map(|f| f.data.as_ref())
        .map(|o| (o.file.clone(), o.sha256.clone()))
        .collect();
    let data_digest = serde_json::to_string(&data).unwrap_or_default();
    let digest = batch::inputs_digest(
        &p.bytes,
        template.source(),
        &settings,
        &[fonts.as_bytes(), data_digest.as_bytes()],
    );
    let source = batch::source_id(&p.source);
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let recorded = lock().get(&p.output).cloned();
    // Checked before the work with what the run knows, and again, under the
    // folder's lock, as each file is put in place.
    let mut targets = vec![(&p.output, "")];
    let eml_path = p.output.with_extension("eml");
    if eml_wanted {
        targets.push((&eml_path, "eml"));
    }
    for (target, kind) in targets {
        if let Err(d) = batch::may_write(target, &source, kind, how.force, Some(state)) {
            return Err(Outcome::io(d));
        }
    }
    if !how.rebuild
        && recorded.is_some_and(|r| r.up_to_date(&p.output, &p.source, &digest, eml_wanted))
    {
        return Ok(Warned::new(Outcome::UpToDate));
    }
    // An uncleared brief mailed with --allow-draft: every page says DRAFT.
    let marked;
    let brief = if draft {
        let mut b = p.checked.value.clone();
        b.brief.status = crate::model::Status::Draft;
        marked = b;
        &marked
    } else {
        &p.checked.value
    };
    let t = match options.format {
        crate::Format::Pdf => typeset(&file, brief, env, options),
        crate::Format::Docx => crate::typeset_docx(&file, &p.bytes, brief, env, options),
    };
    let (t, warnings) = t.map_err(Outcome::invalid)?.into_parts();
    let sha256 = batch::sha256(&t.pdf);
    let mut record = Record {
        inputs: digest,
        source: source.clone(),
        source_sha256: batch::sha256(&p.bytes),
        sha256: sha256.clone(),
        product: p.product.clone(),
        eml: None,
        kind: String::new(),
        data,
    };
    let put = |target: &Path, bytes: &[u8], record: &Record| {
        batch::write_output(target, bytes, record, how.force, Some(state))
    };
    if let Err(d) = put(&p.output, &t.pdf, &record) {
        return Err(Outcome::io(d));
    }
    // Recorded before the email, so a PDF on disk is always attributed to its source.
    lock().record(&p.output, record.clone());
    match eml(p, brief, &t, env, how.eml_from) {
        Ok(None) => {}
        Ok(Some(message)) => {
            let mail = Record::made_by(&source, "eml", &message);
            if let Err(d) = put(&eml_path, &message, &mail) {
                return Err(Outcome::io(d));
            }
            lock().record(&eml_path, mail.clone());
            record.eml = Some(mail.sha256);
            lock().record(&p.output, record);
        }
        Err(failed) => return Err(failed),
    }
    let built = Outcome::Built { pages: t.pages, bytes: t.pdf.len(), sha256, new_since };
    Ok(Warned::with(built, warnings))
}

/// The diagnostics of an old version that cannot be read, each saying which.
fn since_failed(file: &str, rev: &str, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out = vec![
        Diagnostic::error(file, format!("cannot show the changes since git:{rev}"))
            .hint("the old version must be readable and valid; see below"),
    ];
    out.extend(diags);
    out
}

/// The ready-to-send message to write beside the PDF, when asked for.
fn eml(
    p: &Planned,
    brief: &crate::model::Brief,
    t: &crate::Typeset,
    env: &Env,
    from: Option<&str>,
) -> Result<Option<Vec<u8>>, Outcome> {
    let pdf = &t.pdf;
    let Some(from) = from else {
        return Ok(None);
    };
    let name = p.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let options = crate::mail::MessageOptions {
        from: from.to_string(),
        date: env.created_for(brief.brief.date),
        ..Default::default()
    };
    let changes = t.changes.as_ref();
    let message = crate::mail::message_with_changes(brief, pdf, &name, &options, changes);
    let message = message.map_err(|e| {
        Outcome::invalid(vec![
            Diagnostic::error(
                p.source.display().to_string(),
                format!("cannot make the email: {e}"),
            )
            .path("distribution"),
        ])
    })?;
    Ok(Some(message))
}

/// The refusal of `--eml` with no sender.
pub fn no_sender() -> Diagnostic {
    Diagnostic::error("--eml", "no sender for the e-mail")
        .hint("pass --from \"Desk <desk@example.gov>\", set BRIEF_SMTP_FROM, or set `from` under [email] in brief.toml")
}

/// Who writes manifests, in the state file: any run's manifest replaces another's.
pub(crate) const MANIFEST_WRITER: &str = "brief build --manifest";

fn write_manifest(path: &Path, done: &[Done], force: bool) -> Result<(), Diagnostic> {
    let briefs = done
        .iter()
        .map(|d| {
            let on_disk = d.output.as_ref().filter(|o| o.exists());
            // A PDF built by this run is known; any other is read back.
            let (bytes, sha256) = match &d.outcome {
                Outcome::Built { bytes, sha256, .. } => (Some(*bytes), Some(sha256.clone())),
                _ => match on_disk.and_then(|o| {
                    Some((std::fs::metadata(o).ok()?.len(), batch::sha256_file(o).ok()?))
                }) {
                    Some((len, sha)) => (Some(len as usize), Some(sha)),
                    None => (None, None),
                },
            };
            let (status, mut diagnostics) = match &d.outcome {
                Outcome::Built { .. } => ("built", Vec::new()),
                Outcome::UpToDate => ("up-to-date", Vec::new()),
                Outcome::Failed { diags, .. } => ("failed", diags.clone()),
                Outcome::Skipped => ("skipped", Vec::new()),
            };
            diagnostics.extend(d.warnings.iter().cloned());
            let pages = match &d.outcome {
                Outcome::Built { pages, .. } => Some(*pages),
                _ => None,
            };
            ManifestEntry {
                source: d.source.display().to_string(),
                output: on_disk.map(|o| o.display().to_string()),
                status,
                pages,
                bytes,
                sha256,
                diagnostics,
            }
        })
        .collect();
    let manifest = Manifest { version: env!("CARGO_PKG_VERSION"), briefs };
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    let record = Record::made_by(MANIFEST_WRITER, "manifest", &json);
    batch::write_output(path, &json, &record, force, None)?;
    batch::record_one(&batch::folder_of(path), path, record)
}
