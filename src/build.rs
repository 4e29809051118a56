//! `brief build`: check every source, refuse colliding outputs, build what is
//! not up to date on all cores, write each PDF atomically, report.

use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use brief::batch::{self, Entry, Manifest, Record, State};
use brief::diag::Diagnostic;
use brief::layout::style;
use brief::render::Template;
use brief::{BuildOptions, Env, FontStyle, output_name, template_for, typeset};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{BuildArgs, Paper};
use crate::{INVALID, OK, Reporter, TROUBLE, read};

/// Exit code after SIGINT (128 + 2), as shells expect.
pub(crate) const INTERRUPTED: u8 = 130;
/// Exit code after SIGTERM (128 + 15).
pub(crate) const TERMINATED: u8 = 143;

/// Runs `brief build`, once or, with `--watch`, until interrupted.
pub fn run(args: &BuildArgs, env: &Env, report: &Reporter) -> u8 {
    let stop = stop_on_signals();
    let options = match options(args) {
        Ok(o) => o,
        Err(d) => return report.fail(&d),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build();
    let Ok(pool) = pool else {
        return report.fail(&Diagnostic::error("brief", "cannot start worker threads"));
    };
    let mut code = pool.install(|| once(args, env, &options, report, &stop));
    if args.watch && stopped(&stop).is_none() {
        code = watch(args, env, &options, report, &stop, &pool);
    }
    stopped(&stop).unwrap_or(code)
}

/// SIGINT and SIGTERM stop scheduling new briefs; those under way finish, are
/// renamed into place and recorded in the state file. The flag holds the exit
/// code the signal asks for (130 or 143); a second signal exits at once.
/// signal-hook rather than ctrlc: it tells which signal came, which decides the code.
fn stop_on_signals() -> Arc<AtomicUsize> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let code = Arc::new(AtomicUsize::new(0));
    let stopping = Arc::new(AtomicBool::new(false));
    for (signal, exit) in [(SIGINT, INTERRUPTED), (SIGTERM, TERMINATED)] {
        // Registered first, so it sees `stopping` as the previous signal left it.
        let _ = signal_hook::flag::register_conditional_shutdown(
            signal,
            i32::from(exit),
            stopping.clone(),
        );
        let _ = signal_hook::flag::register(signal, stopping.clone());
        let _ = signal_hook::flag::register_usize(signal, code.clone(), usize::from(exit));
    }
    code
}

/// The exit code a signal asked for, once one came.
fn stopped(stop: &AtomicUsize) -> Option<u8> {
    u8::try_from(stop.load(Ordering::SeqCst)).ok().filter(|c| *c != 0)
}

fn options(args: &BuildArgs) -> Result<BuildOptions, Diagnostic> {
    let paper = args.paper.map(|p| match p {
        Paper::A4 => style::A4,
        Paper::Letter => style::LETTER,
    });
    let template = match &args.template {
        None => None,
        Some(t) if Path::new(t).is_dir() => Some(Template::from_dir(Path::new(t))?),
        Some(name) => Some(Template::builtin(name).ok_or_else(|| {
            let names: Vec<&str> = brief::render::BUILTIN.iter().map(|(n, _, _)| *n).collect();
            Diagnostic::error(name.clone(), "no such template or template folder")
                .expected(format!("a folder with main.md, or one of: {}", names.join(", ")))
        })?),
    };
    Ok(BuildOptions { template, paper })
}

/// A source read and checked.
struct Loaded {
    source: PathBuf,
    bytes: Vec<u8>,
    checked: brief::model::Checked,
}

/// A checked source given its output path.
struct Planned {
    source: PathBuf,
    bytes: Arc<Vec<u8>>,
    checked: Arc<brief::model::Checked>,
    output: PathBuf,
    /// The product (built-in template) when several are built per brief.
    product: Option<String>,
}

/// Why a brief failed; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Failure {
    /// The source (or its template) is invalid, or building it failed: exit 1.
    Invalid,
    /// A file cannot be written, or would replace another source's output: exit 2.
    Io,
}

/// One brief's result.
enum Outcome {
    Built { pages: usize, pdf: Vec<u8>, warnings: Vec<Diagnostic> },
    UpToDate,
    Failed { kind: Failure, diags: Vec<Diagnostic> },
    Skipped,
}

impl Outcome {
    fn invalid(diags: Vec<Diagnostic>) -> Self {
        Outcome::Failed { kind: Failure::Invalid, diags }
    }

    fn io(d: Diagnostic) -> Self {
        Outcome::Failed { kind: Failure::Io, diags: vec![d] }
    }
}

/// What happened to one source (or one product of it).
struct Done {
    source: PathBuf,
    /// Where its PDF goes, once it was planned.
    output: Option<PathBuf>,
    outcome: Outcome,
    /// Warnings from checking the source.
    warnings: Vec<Diagnostic>,
}

fn once(
    args: &BuildArgs,
    env: &Env,
    options: &BuildOptions,
    report: &Reporter,
    stop: &AtomicUsize,
) -> u8 {
    let started = Instant::now();
    let found = match crate::sources(&args.sources, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut sources = found.files;
    if let Some((k, n)) = args.shard {
        sources = batch::shard(sources, k, n);
    }
    let single_file = args.sources.len() == 1
        && !args.sources[0].is_dir()
        && args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let out_dir = if single_file {
        args.output.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        args.output.clone()
    };
    batch::clean_temporaries(&out_dir);
    // Check everything first: output names come from the briefs, and collisions are refused before any work.
    let loaded: Vec<(PathBuf, Result<Loaded, Outcome>)> = sources
        .par_iter()
        .map(|s| (s.clone(), isolated(s, || load(s, env)).and_then(|l| l)))
        .collect();
    let planned = match plan(loaded, args, single_file) {
        Ok(p) => p,
        Err(d) => return report.fail(&d),
    };
    if let Some(d) = overwrites_an_input(&planned, &sources, args, &out_dir) {
        return report.fail(&d);
    }
    let state = Mutex::new(State::load(&out_dir));
    let fonts = fonts_digest(env);
    let progress = Progress::new(planned.len() + found.failed.len(), report);
    let failed_any = AtomicBool::new(false);
    // One brief to a named file is always built: no state file beside it.
    let force = args.force || single_file;
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
    done.iter().for_each(|d| progress.done(d));
    let built: Vec<Done> = planned
        .into_par_iter()
        .map(|(source, planned)| {
            let halted =
                stopped(stop).is_some() || (args.fail_fast && failed_any.load(Ordering::SeqCst));
            let result = match planned {
                Err(outcome) => Done { source, output: None, outcome, warnings: vec![] },
                Ok(_) if halted => {
                    Done { source, output: None, outcome: Outcome::Skipped, warnings: vec![] }
                }
                Ok(p) => {
                    let outcome = isolated(&p.source, || {
                        make(&p, env, options, &fonts, &state, force, args.eml)
                    })
                    .unwrap_or_else(|failed| failed);
                    let warnings = p.checked.warnings.clone();
                    Done { source: p.source, output: Some(p.output), outcome, warnings }
                }
            };
            if matches!(result.outcome, Outcome::Failed { .. }) {
                failed_any.store(true, Ordering::SeqCst);
            }
            progress.done(&result);
            result
        })
        .collect();
    done.extend(built);
    progress.finish();
    let mut code = OK;
    if !single_file {
        let state = state.into_inner().unwrap_or_else(PoisonError::into_inner);
        if let Err(d) = state.save(&out_dir) {
            code = report.fail(&d);
        }
    }
    summary(&done, started.elapsed(), report);
    if let Some(path) = &args.manifest
        && let Err(d) = write_manifest(path, &done)
    {
        return report.fail(&d);
    }
    code.max(exit_code(&done))
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
fn load(source: &Path, env: &Env) -> Result<Loaded, Outcome> {
    let bytes = read(source).map_err(|(d, code)| match code {
        TROUBLE => Outcome::io(d),
        _ => Outcome::invalid(vec![d]),
    })?;
    let checked =
        brief::check(&source.display().to_string(), &bytes, env).map_err(Outcome::invalid)?;
    Ok(Loaded { source: source.to_path_buf(), bytes, checked })
}

type Plan = Vec<(PathBuf, Result<Planned, Outcome>)>;

/// Decides where each PDF goes. Briefs whose names would be equal (same
/// meeting date and title) get their source's file stem appended, whatever
/// their order; sources whose stems are equal too are refused, naming both.
fn plan(
    loaded: Vec<(PathBuf, Result<Loaded, Outcome>)>,
    args: &BuildArgs,
    single_file: bool,
) -> Result<Plan, Diagnostic> {
    let base = |l: &Loaded| output_name(&l.checked.brief);
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, l) in &loaded {
        if let Ok(l) = l {
            *count.entry(base(l)).or_default() += 1;
        }
    }
    let products = products(args);
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
            name = format!("{}_{}.pdf", name.trim_end_matches(".pdf"), brief::slug(&stem));
        }
        let (bytes, checked) = (Arc::new(l.bytes), Arc::new(l.checked));
        for product in &products {
            let output = if single_file && products.len() == 1 {
                args.output.clone()
            } else {
                let name = match product {
                    Some(p) => name.replace(".pdf", &format!("_{p}.pdf")),
                    None => name.clone(),
                };
                args.output.join(name)
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

/// The products to build for every brief: `None` is the brief's own template.
fn products(args: &BuildArgs) -> Vec<Option<String>> {
    if args.all_products {
        return brief::render::BUILTIN.iter().map(|(n, _, _)| Some(n.to_string())).collect();
    }
    if args.products.is_empty() {
        vec![None]
    } else {
        args.products.iter().cloned().map(Some).collect()
    }
}

/// Inputs are never outputs: a PDF, `.eml`, manifest or state file that is
/// one of the sources (by device and inode, however it is spelled) is
/// refused before any work, and so is a manifest that would replace a PDF.
fn overwrites_an_input(
    planned: &Plan,
    sources: &[PathBuf],
    args: &BuildArgs,
    out_dir: &Path,
) -> Option<Diagnostic> {
    let inputs: std::collections::HashMap<batch::FileId, &PathBuf> =
        sources.iter().filter_map(|s| Some((batch::file_id(s)?, s))).collect();
    let pdfs: Vec<&PathBuf> =
        planned.iter().filter_map(|(_, p)| Some(&p.as_ref().ok()?.output)).collect();
    let mut outputs: Vec<PathBuf> = pdfs.iter().map(|p| p.to_path_buf()).collect();
    if args.eml {
        outputs.extend(pdfs.iter().map(|p| p.with_extension("eml")));
    }
    outputs.push(out_dir.join(batch::STATE_FILE));
    outputs.extend(args.manifest.clone());
    let refuse = |output: &Path, what: &Path| {
        Diagnostic::error(
            output.display().to_string(),
            format!("would overwrite {}, an input of this run", what.display()),
        )
        .hint("choose another output file or folder (--output, --manifest)")
    };
    for output in &outputs {
        if let Some(source) = batch::file_id(output).and_then(|id| inputs.get(&id)) {
            return Some(refuse(output, source));
        }
    }
    let manifest = args.manifest.as_deref()?;
    let ext = manifest.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    if let Some(ext) = ext.filter(|e| ["pdf", "eml", "yaml", "yml"].contains(&e.as_str())) {
        return Some(
            Diagnostic::error(
                manifest.display().to_string(),
                format!("the manifest is JSON and would replace a .{ext} file"),
            )
            .hint("name it e.g. manifest.json"),
        );
    }
    let state = out_dir.join(batch::STATE_FILE);
    let taken = pdfs.iter().map(|p| p.as_path()).chain([state.as_path()]);
    for output in taken {
        if batch::same_file(manifest, output) {
            return Some(
                Diagnostic::error(
                    manifest.display().to_string(),
                    format!(
                        "the manifest would replace {}, an output of this run",
                        output.display()
                    ),
                )
                .hint("name it e.g. manifest.json"),
            );
        }
    }
    None
}

/// A fingerprint of the fonts: each face's length and table directory. The
/// directory holds a checksum of every table, so any edit to a font changes
/// it; hashing whole faces cost more than building the brief (75 M instructions).
fn fonts_digest(env: &Env) -> String {
    let faces: Vec<Vec<u8>> = FontStyle::ALL
        .iter()
        .map(|s| {
            let bytes = env.fonts.bytes(*s);
            let mut key = (bytes.len() as u64).to_le_bytes().to_vec();
            key.extend_from_slice(&bytes[..bytes.len().min(4096)]);
            key
        })
        .collect();
    let refs: Vec<&[u8]> = faces.iter().map(Vec::as_slice).collect();
    batch::inputs_digest(b"", "", "", &refs)
}

/// Builds one planned brief unless its output is up to date.
fn make(
    p: &Planned,
    env: &Env,
    options: &BuildOptions,
    fonts: &str,
    state: &Mutex<State>,
    force: bool,
    eml_wanted: bool,
) -> Outcome {
    let file = p.source.display().to_string();
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
        paper: options.paper,
    };
    let options = &product;
    let template = match template_for(&file, &p.checked.brief, options) {
        Ok(t) => t,
        Err(d) => return Outcome::invalid(vec![d]),
    };
    let settings = format!("{:?} {:?}", options.paper, env.created);
    let digest = batch::inputs_digest(&p.bytes, template.source(), &settings, &[fonts.as_bytes()]);
    let source = batch::source_id(&p.source);
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let recorded = lock().get(&p.output).cloned();
    let owner = recorded.as_ref().map(|r| &r.source);
    if let Some(owner) = owner.filter(|o| **o != source && !force && p.output.exists()) {
        let msg = format!(
            "{} was written from {owner}; building {file} would replace it",
            p.output.display()
        );
        return Outcome::io(Diagnostic::error(&file, msg).hint(
            "give the briefs different titles or meeting dates, or build into another folder; --force replaces it",
        ));
    }
    if !force && recorded.is_some_and(|r| r.up_to_date(&p.output, &p.source, &digest, eml_wanted)) {
        return Outcome::UpToDate;
    }
    let t = match typeset(&file, &p.checked.brief, env, options) {
        Ok(t) => t,
        Err(diags) => return Outcome::invalid(diags),
    };
    if let Err(d) = batch::write_atomic(&p.output, &t.pdf) {
        return Outcome::io(d);
    }
    let mut record = Record {
        inputs: digest,
        source,
        source_sha256: batch::sha256(&p.bytes),
        sha256: batch::sha256(&t.pdf),
        product: p.product.clone(),
        eml: None,
    };
    // Recorded before the email, so a PDF on disk is always attributed to its source.
    lock().record(&p.output, record.clone());
    match eml(p, &t.pdf, env, eml_wanted) {
        Ok(None) => {}
        Ok(Some(digest)) => {
            record.eml = Some(digest);
            lock().record(&p.output, record);
        }
        Err(failed) => return failed,
    }
    Outcome::Built { pages: t.pages, pdf: t.pdf, warnings: t.warnings }
}

/// Writes the ready-to-send message beside the PDF, when asked for; returns its digest.
fn eml(p: &Planned, pdf: &[u8], env: &Env, wanted: bool) -> Result<Option<String>, Outcome> {
    if !wanted {
        return Ok(None);
    }
    let brief = &p.checked.brief;
    let name = p.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let options = brief::mail::MessageOptions {
        date: env.created_for(brief.brief.date),
        ..Default::default()
    };
    let message = brief::mail::message(brief, pdf, &name, &options).map_err(|e| {
        Outcome::invalid(vec![
            Diagnostic::error(
                p.source.display().to_string(),
                format!("cannot make the email: {e}"),
            )
            .path("distribution"),
        ])
    })?;
    batch::write_atomic(&p.output.with_extension("eml"), &message).map_err(Outcome::io)?;
    Ok(Some(batch::sha256(&message)))
}

/// Progress: a bar on a terminal, plain lines otherwise, nothing with --quiet.
struct Progress<'a> {
    bar: Option<ProgressBar>,
    report: &'a Reporter,
}

impl<'a> Progress<'a> {
    fn new(total: usize, report: &'a Reporter) -> Self {
        let bar = (!report.quiet && std::io::stderr().is_terminal() && total > 1).then(|| {
            let bar = ProgressBar::new(total as u64);
            let style =
                ProgressStyle::with_template("{bar:30} {pos}/{len} briefs, {msg} (ETA {eta})");
            if let Ok(style) = style {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, report }
    }

    /// Reports one brief: all its diagnostics in one list, so the cap of
    /// [`Reporter::diags`] holds per file, errors first.
    fn done(&self, done: &Done) {
        let mut diags = done.warnings.clone();
        match &done.outcome {
            Outcome::Failed { diags: errors, .. } => diags.extend(errors.iter().cloned()),
            Outcome::Built { warnings, .. } => diags.extend(warnings.iter().cloned()),
            Outcome::UpToDate | Outcome::Skipped => {}
        }
        let print = || {
            self.report.diags(&diags);
            match &done.outcome {
                Outcome::Built { pages, pdf, .. } => {
                    let out = done.output.as_ref().map(|o| o.display().to_string());
                    let kb = pdf.len() as f64 / 1024.0;
                    let out = out.unwrap_or_default();
                    self.report.note(&format!("built {out} ({pages} pages, {kb:.1} KB)"));
                }
                Outcome::UpToDate => {
                    self.report.note(&format!("up to date: {}", done.source.display()))
                }
                Outcome::Failed { .. } | Outcome::Skipped => {}
            }
        };
        match &self.bar {
            Some(bar) => {
                if !diags.is_empty() {
                    bar.suspend(print);
                }
                bar.inc(1);
            }
            None => print(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn summary(done: &[Done], took: Duration, report: &Reporter) {
    let count = |f: fn(&Outcome) -> bool| done.iter().filter(|d| f(&d.outcome)).count();
    let built = count(|o| matches!(o, Outcome::Built { .. }));
    let failed = count(|o| matches!(o, Outcome::Failed { .. }));
    let fresh = count(|o| matches!(o, Outcome::UpToDate));
    let skipped = count(|o| matches!(o, Outcome::Skipped));
    if done.len() > 1 || failed > 0 {
        let mut line = format!("{built} built, {failed} failed, {fresh} up to date");
        if skipped > 0 {
            line.push_str(&format!(", {skipped} skipped"));
        }
        report.note(&format!("{line} in {:.2} s", took.as_secs_f64()));
        for d in done {
            if let Outcome::Failed { diags, .. } = &d.outcome {
                let first = diags.first().map(|d| d.message.as_str()).unwrap_or("failed");
                report.note(&format!("  failed: {}: {first}", d.source.display()));
            }
        }
    }
}

/// 2 when a file could not be written (or would replace another source's),
/// 1 when a brief is invalid or failed to build, else 0.
fn exit_code(done: &[Done]) -> u8 {
    let worst = done
        .iter()
        .filter_map(|d| match &d.outcome {
            Outcome::Failed { kind, .. } => Some(*kind),
            _ => None,
        })
        .max();
    match worst {
        Some(Failure::Io) => TROUBLE,
        Some(Failure::Invalid) => INVALID,
        None => OK,
    }
}

fn write_manifest(path: &Path, done: &[Done]) -> Result<(), Diagnostic> {
    let briefs = done
        .iter()
        .map(|d| {
            let on_disk = d.output.as_ref().filter(|o| o.exists());
            let pdf = on_disk.and_then(|o| std::fs::read(o).ok());
            let (status, mut diagnostics) = match &d.outcome {
                Outcome::Built { warnings, .. } => ("built", warnings.clone()),
                Outcome::UpToDate => ("up-to-date", Vec::new()),
                Outcome::Failed { diags, .. } => ("failed", diags.clone()),
                Outcome::Skipped => ("skipped", Vec::new()),
            };
            diagnostics.extend(d.warnings.iter().cloned());
            let pages = match &d.outcome {
                Outcome::Built { pages, .. } => Some(*pages),
                _ => None,
            };
            Entry {
                source: d.source.display().to_string(),
                output: on_disk.map(|o| o.display().to_string()),
                status,
                pages,
                bytes: pdf.as_ref().map(Vec::len),
                sha256: pdf.as_deref().map(batch::sha256),
                diagnostics,
            }
        })
        .collect();
    let manifest = Manifest { version: env!("CARGO_PKG_VERSION"), briefs };
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    batch::write_atomic(path, &json)
}

/// Rebuilds whenever a source or the template folder changes, until a signal.
fn watch(
    args: &BuildArgs,
    env: &Env,
    options: &BuildOptions,
    report: &Reporter,
    stop: &AtomicUsize,
    pool: &rayon::ThreadPool,
) -> u8 {
    report.note("watching for changes (Ctrl-C to stop)");
    let mut last = stamp(args);
    let mut code = OK;
    while stopped(stop).is_none() {
        std::thread::sleep(Duration::from_millis(400));
        let now = stamp(args);
        if now != last {
            last = now;
            let options = match &args.template {
                Some(t) if Path::new(t).is_dir() => match self::options(args) {
                    Ok(o) => o,
                    Err(d) => {
                        report.diag(&d);
                        continue;
                    }
                },
                _ => options.clone(),
            };
            code = pool.install(|| once(args, env, &options, report, stop));
        }
    }
    code
}

/// The number of files and the newest modification time among the sources
/// and the template folder. Only names and times are read, never contents:
/// this runs on every poll.
fn stamp(args: &BuildArgs) -> (usize, Option<SystemTime>) {
    let mut paths = brief::collect_sources(&args.sources).map(|s| s.files).unwrap_or_default();
    if let Some(dir) = args.template.as_ref().map(Path::new).filter(|t| t.is_dir()) {
        template_files(dir, 0, &mut paths);
    }
    let newest =
        paths.iter().filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok()).max();
    (paths.len(), newest)
}

/// Every file under a template folder, links and hidden files left out as the template loader does.
fn template_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        if entry.file_name().to_string_lossy().starts_with('.') || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() && depth < 8 {
            template_files(&entry.path(), depth + 1, out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}
