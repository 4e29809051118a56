//! `brief build`: check every source, refuse colliding outputs, build what is
//! not up to date on all cores, write each PDF atomically, report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use brief::batch::{self, Entry, Manifest, State};
use brief::diag::Diagnostic;
use brief::layout::style;
use brief::render::Template;
use brief::{BuildOptions, Env, FontStyle, output_name, template_for, typeset};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{BuildArgs, Paper};
use crate::{INVALID, OK, Reporter, TROUBLE, read};

/// Exit code after an interrupt (128 + SIGINT), as shells expect.
const INTERRUPTED: u8 = 130;

/// Runs `brief build`, once or, with `--watch`, until interrupted.
pub fn run(args: &BuildArgs, env: &Env, report: &Reporter) -> u8 {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Ctrl-C stops scheduling new briefs; those under way finish and are renamed into place.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let options = match options(args) {
        Ok(o) => o,
        Err(d) => return report.fail(&d),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build();
    let Ok(pool) = pool else {
        return report.fail(&Diagnostic::error("brief", "cannot start worker threads"));
    };
    let mut code = pool.install(|| once(args, env, &options, report, &stop));
    if args.watch {
        code = watch(args, env, &options, report, &stop, &pool);
    }
    if stop.load(Ordering::SeqCst) { INTERRUPTED } else { code }
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

/// A source checked and given its output path.
struct Planned {
    source: PathBuf,
    bytes: Vec<u8>,
    checked: brief::model::Checked,
    output: PathBuf,
    /// The product (built-in template) when several are built per brief.
    product: Option<Template>,
}

/// One brief's result.
enum Outcome {
    Built { pages: usize, pdf: Vec<u8>, warnings: Vec<Diagnostic> },
    UpToDate,
    Failed(Vec<Diagnostic>),
    Skipped,
}

fn once(
    args: &BuildArgs,
    env: &Env,
    options: &BuildOptions,
    report: &Reporter,
    stop: &AtomicBool,
) -> u8 {
    let started = Instant::now();
    let mut sources = match crate::sources(&args.sources, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some((k, n)) = args.shard {
        sources = batch::shard(sources, k, n);
    }
    let single_file = args.sources.len() == 1
        && !args.sources[0].is_dir()
        && args.output.extension().is_some_and(|e| e == "pdf");
    let out_dir = if single_file {
        args.output.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        args.output.clone()
    };
    batch::clean_temporaries(&out_dir);
    // Check everything first: output names come from the briefs, and collisions are refused before any work.
    let checked: Vec<(PathBuf, Result<Planned, Vec<Diagnostic>>)> = sources
        .par_iter()
        .flat_map_iter(|s| plan(s, env, args, single_file).into_iter().map(|p| (s.clone(), p)))
        .collect();
    if let Some(d) = collision(&checked) {
        return report.fail(&d);
    }
    let state = std::sync::Mutex::new(State::load(&out_dir));
    let fonts = fonts_digest(env);
    let progress = Progress::new(checked.len(), report);
    let fail_fast = args.fail_fast;
    let failed_any = AtomicBool::new(false);
    let outcomes: Vec<(PathBuf, Option<PathBuf>, Outcome, Vec<Diagnostic>)> = checked
        .into_par_iter()
        .map(|(source, planned)| {
            let stopped =
                stop.load(Ordering::SeqCst) || (fail_fast && failed_any.load(Ordering::SeqCst));
            let result = match planned {
                Err(diags) => (source, None, Outcome::Failed(diags), Vec::new()),
                Ok(_) if stopped => (source, None, Outcome::Skipped, Vec::new()),
                Ok(p) => {
                    // One brief to a named file is always built: no state file beside it.
                    let force = args.force || single_file;
                    let outcome = make(&p, env, options, &fonts, &state, force, args.eml);
                    (p.source, Some(p.output), outcome, p.checked.warnings)
                }
            };
            if matches!(result.2, Outcome::Failed(_)) {
                failed_any.store(true, Ordering::SeqCst);
            }
            progress.done(&result.0, result.1.as_deref(), &result.2, &result.3);
            result
        })
        .collect();
    progress.finish();
    if let Ok(state) = state.into_inner()
        && !single_file
        && let Err(d) = state.save(&out_dir)
    {
        report.diag(&d);
    }
    summary(&outcomes, started.elapsed(), report);
    if let Some(path) = &args.manifest
        && let Err(d) = write_manifest(path, &outcomes)
    {
        return report.fail(&d);
    }
    exit_code(&outcomes)
}

/// Reads and checks one source and decides where its PDF goes.
fn plan(
    source: &Path,
    env: &Env,
    args: &BuildArgs,
    single_file: bool,
) -> Vec<Result<Planned, Vec<Diagnostic>>> {
    let loaded = read(source).map_err(|(d, _)| vec![d]).and_then(|bytes| {
        brief::check(&source.display().to_string(), &bytes, env).map(|c| (bytes, c))
    });
    let (bytes, checked) = match loaded {
        Ok(x) => x,
        Err(d) => return vec![Err(d)],
    };
    let products = products(args);
    products
        .iter()
        .map(|product| {
            let mut name = output_name(&checked.brief);
            if let Some(p) = product {
                name = name.replace(".pdf", &format!("_{p}.pdf"));
            }
            let output = if single_file && products.len() == 1 {
                args.output.clone()
            } else {
                args.output.join(name)
            };
            let template = product.as_deref().and_then(Template::builtin);
            Ok(Planned {
                source: source.to_path_buf(),
                bytes: bytes.clone(),
                checked: checked.clone(),
                output,
                product: template,
            })
        })
        .collect()
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

/// Two sources that would write the same file: refused up front, naming both.
fn collision(checked: &[(PathBuf, Result<Planned, Vec<Diagnostic>>)]) -> Option<Diagnostic> {
    let mut seen: std::collections::HashMap<&Path, &Path> = std::collections::HashMap::new();
    for (source, planned) in checked {
        let Ok(p) = planned else { continue };
        if let Some(first) = seen.insert(&p.output, source) {
            let msg = format!(
                "{} and {} would both write {}",
                first.display(),
                source.display(),
                p.output.display()
            );
            return Some(Diagnostic::error(source.display().to_string(), msg)
                .hint("give the briefs different titles or meeting dates, or build them into different folders"));
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
    state: &std::sync::Mutex<State>,
    force: bool,
    eml_wanted: bool,
) -> Outcome {
    let file = p.source.display().to_string();
    let product = BuildOptions {
        template: p.product.clone().or_else(|| options.template.clone()),
        paper: options.paper,
    };
    let options = &product;
    let template = match template_for(&file, &p.checked.brief, options) {
        Ok(t) => t,
        Err(d) => return Outcome::Failed(vec![d]),
    };
    let settings = format!("{:?} {:?}", options.paper, env.created);
    let digest = batch::inputs_digest(&p.bytes, template.source(), &settings, &[fonts.as_bytes()]);
    let fresh = state.lock().map(|s| s.up_to_date(&p.output, &p.source, &digest)).unwrap_or(false);
    if fresh && !force {
        return Outcome::UpToDate;
    }
    match typeset(&file, &p.checked.brief, env, options) {
        Ok(t) => match batch::write_atomic(&p.output, &t.pdf)
            .and_then(|()| eml(p, &t.pdf, env, eml_wanted))
        {
            Ok(()) => {
                if let Ok(mut s) = state.lock() {
                    s.record(&p.output, &digest);
                }
                Outcome::Built { pages: t.pages, pdf: t.pdf, warnings: t.warnings }
            }
            Err(d) => Outcome::Failed(vec![d]),
        },
        Err(diags) => Outcome::Failed(diags),
    }
}

/// Writes the ready-to-send message beside the PDF, when asked for.
fn eml(p: &Planned, pdf: &[u8], env: &Env, wanted: bool) -> Result<(), Diagnostic> {
    if !wanted {
        return Ok(());
    }
    let brief = &p.checked.brief;
    let name = p.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let options = brief::mail::MessageOptions {
        date: env.created_for(brief.brief.date),
        ..Default::default()
    };
    let message = brief::mail::message(brief, pdf, &name, &options).map_err(|e| {
        Diagnostic::error(p.source.display().to_string(), format!("cannot make the email: {e}"))
            .path("distribution")
    })?;
    batch::write_atomic(&p.output.with_extension("eml"), &message)
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

    fn done(
        &self,
        source: &Path,
        output: Option<&Path>,
        outcome: &Outcome,
        warnings: &[Diagnostic],
    ) {
        let print = || {
            self.report.diags(warnings);
            match outcome {
                Outcome::Failed(diags) => self.report.diags(diags),
                Outcome::Built { pages, pdf, warnings } => {
                    self.report.diags(warnings);
                    let out = output.map(|o| o.display().to_string()).unwrap_or_default();
                    let kb = pdf.len() as f64 / 1024.0;
                    self.report.note(&format!("built {out} ({pages} pages, {kb:.1} KB)"));
                }
                Outcome::UpToDate => self.report.note(&format!("up to date: {}", source.display())),
                Outcome::Skipped => {}
            }
        };
        match &self.bar {
            Some(bar) => {
                let warned =
                    matches!(outcome, Outcome::Built { warnings, .. } if !warnings.is_empty());
                if matches!(outcome, Outcome::Failed(_)) || !warnings.is_empty() || warned {
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

fn summary(
    outcomes: &[(PathBuf, Option<PathBuf>, Outcome, Vec<Diagnostic>)],
    took: Duration,
    report: &Reporter,
) {
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(&o.2)).count();
    let built = count(|o| matches!(o, Outcome::Built { .. }));
    let failed = count(|o| matches!(o, Outcome::Failed(_)));
    let fresh = count(|o| matches!(o, Outcome::UpToDate));
    let skipped = count(|o| matches!(o, Outcome::Skipped));
    if outcomes.len() > 1 || failed > 0 {
        let mut line = format!("{built} built, {failed} failed, {fresh} up to date");
        if skipped > 0 {
            line.push_str(&format!(", {skipped} skipped"));
        }
        report.note(&format!("{line} in {:.2} s", took.as_secs_f64()));
        for (source, _, outcome, _) in outcomes {
            if let Outcome::Failed(diags) = outcome {
                let first = diags.first().map(|d| d.message.as_str()).unwrap_or("failed");
                report.note(&format!("  failed: {}: {first}", source.display()));
            }
        }
    }
}

fn exit_code(outcomes: &[(PathBuf, Option<PathBuf>, Outcome, Vec<Diagnostic>)]) -> u8 {
    let failed = outcomes.iter().any(|o| matches!(o.2, Outcome::Failed(_)));
    let io = outcomes.iter().any(|o| match &o.2 {
        Outcome::Failed(d) => d.iter().any(|d| d.message.starts_with("cannot write")),
        _ => false,
    });
    if io {
        TROUBLE
    } else if failed {
        INVALID
    } else {
        OK
    }
}

fn write_manifest(
    path: &Path,
    outcomes: &[(PathBuf, Option<PathBuf>, Outcome, Vec<Diagnostic>)],
) -> Result<(), Diagnostic> {
    let briefs = outcomes
        .iter()
        .map(|(source, output, outcome, warnings)| {
            let on_disk = output.as_ref().filter(|o| o.exists());
            let pdf = on_disk.and_then(|o| std::fs::read(o).ok());
            let (status, mut diagnostics) = match outcome {
                Outcome::Built { warnings, .. } => ("built", warnings.clone()),
                Outcome::UpToDate => ("up-to-date", Vec::new()),
                Outcome::Failed(d) => ("failed", d.clone()),
                Outcome::Skipped => ("skipped", Vec::new()),
            };
            diagnostics.extend(warnings.iter().cloned());
            let pages = match outcome {
                Outcome::Built { pages, .. } => Some(*pages),
                _ => None,
            };
            Entry {
                source: source.display().to_string(),
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

/// Rebuilds whenever a source or the template folder changes, until Ctrl-C.
fn watch(
    args: &BuildArgs,
    env: &Env,
    options: &BuildOptions,
    report: &Reporter,
    stop: &AtomicBool,
    pool: &rayon::ThreadPool,
) -> u8 {
    report.note("watching for changes (Ctrl-C to stop)");
    let mut last = stamp(args);
    let mut code = OK;
    while !stop.load(Ordering::SeqCst) {
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

/// The newest modification time among the sources and the template folder.
fn stamp(args: &BuildArgs) -> (usize, Option<SystemTime>) {
    let mut paths = brief::collect_sources(&args.sources).map(|s| s.files).unwrap_or_default();
    if let Some(dir) = args.template.as_ref().map(Path::new).filter(|t| t.is_dir()) {
        paths.extend(["main.md", "theme.yaml"].map(|f| dir.join(f)));
        let partials = brief::render::folder::partials(dir).map(|p| p.files).unwrap_or_default();
        paths.extend(partials.iter().map(|(name, _)| dir.join(name)));
    }
    let newest =
        paths.iter().filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok()).max();
    (paths.len(), newest)
}
