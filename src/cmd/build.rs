//! `brief build`: settings from the command line, signals, progress and the
//! summary around the batch engine ([`brief::engine`]), and `--watch`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use brief::config::{self, Config, Overrides};
use brief::diag::Diagnostic;
use brief::diff::origin::Origin;
use brief::engine::{self, Done, Failure, Observer, Outcome, Settings};
use brief::watch::Watch;
use brief::{BuildOptions, Env};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{BuildArgs, Paper};
use crate::{INVALID, OK, Reporter, TROUBLE};

/// Exit code after SIGINT (128 + 2), as shells expect.
pub(crate) const INTERRUPTED: u8 = 130;
/// Exit code after SIGTERM (128 + 15).
pub(crate) const TERMINATED: u8 = 143;

/// Runs `brief build`, once or, with `--watch`, until interrupted.
pub fn run(args: &BuildArgs, env: &Env, report: &Reporter) -> u8 {
    let stop = stop_on_signals();
    let config = match super::config::for_sources(&args.sources, &overrides(args), report) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if args.eml && config.from.value.is_none() {
        return report.fail(&engine::no_sender());
    }
    let config = &config;
    let options = match options(args, config, env) {
        Ok(o) => o,
        Err(d) => return report.fail(&d),
    };
    // One brief and one product has nothing to share out: it runs on this
    // thread, with no worker threads started (and no fresh allocator heaps
    // faulted in for them).
    let one =
        args.sources.len() == 1 && args.sources[0].is_file() && products(args, config).len() == 1;
    let pool = match one {
        true => rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread(),
        false => rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)),
    };
    let pool = pool.build();
    let Ok(pool) = pool else {
        return report.fail(&Diagnostic::error("brief", "cannot start worker threads"));
    };
    let mut code = pool.install(|| once(args, config, env, &options, report, &stop));
    if args.watch && stopped(&stop).is_none() {
        code = watch(args, config, env, report, &stop, &pool);
    }
    stopped(&stop).unwrap_or(code)
}

/// SIGINT and SIGTERM stop scheduling new briefs; those under way finish, are
/// renamed into place and recorded in the state file. The flag holds the exit
/// code the signal asks for (130 or 143); a second signal exits at once.
/// signal-hook rather than ctrlc: it tells which signal came, which decides the code.
pub(crate) fn stop_on_signals() -> Arc<AtomicUsize> {
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
pub(crate) fn stopped(stop: &AtomicUsize) -> Option<u8> {
    u8::try_from(stop.load(Ordering::SeqCst)).ok().filter(|c| *c != 0)
}

/// What the command line says, to override `brief.toml` (see [`brief::config`]).
fn overrides(args: &BuildArgs) -> Overrides {
    Overrides {
        template: args.template.clone(),
        products: (!args.products.is_empty()).then(|| args.products.clone()),
        paper: args.paper.map(|p| match p {
            Paper::A4 => "a4".to_string(),
            Paper::Letter => "letter".to_string(),
        }),
        output: args.output.clone(),
        from: args.from.clone(),
        policy: args.policy.clone(),
        ..Overrides::default()
    }
}

fn options(args: &BuildArgs, config: &Config, env: &Env) -> Result<BuildOptions, Diagnostic> {
    let paper = config.paper.value.as_deref().and_then(brief::config::paper_size);
    // `--template` is the run's; brief.toml's is the default of a brief that names none.
    let resolved = config.template()?;
    let (template, default_template) = match config.template.origin {
        config::Origin::Flag(_) => (resolved, None),
        _ => (None, resolved),
    };
    let since = match args.changes_since.as_deref().map(Origin::parse) {
        Some(Origin::File(old)) => {
            let one = args.sources.len() == 1 && !args.sources[0].is_dir();
            if !one {
                return Err(Diagnostic::error(
                    old.display().to_string(),
                    "--changes-since with a file compares one brief with it",
                )
                .hint("for a folder or several briefs, use --changes-since git:REV"));
            }
            match brief::diff::origin::read(&old, env) {
                Ok(version) => Some(Arc::new(version)),
                Err(diags) => {
                    let mut diags = diags.into_iter();
                    return Err(diags.next().unwrap_or_else(|| {
                        Diagnostic::error(old.display().to_string(), "cannot read it")
                    }));
                }
            }
        }
        _ => None,
    };
    let format = match args.format {
        crate::cli::BuildFormat::Pdf => brief::Format::Pdf,
        crate::cli::BuildFormat::Docx => brief::Format::Docx,
    };
    if format == brief::Format::Docx {
        let refused = [
            (args.eml, "--eml", "the email carries the PDF; build the PDF for it"),
            (
                args.sign.sign.is_some() || args.sign.sign_key.is_some(),
                "--sign",
                "a signature is a PDF's; sign the PDF built after clearance",
            ),
            (
                args.embed_source,
                "--embed-source",
                "the DOCX records the source's digest itself; embed the source in the PDF",
            ),
        ];
        if let Some((_, flag, hint)) = refused.iter().find(|(on, _, _)| *on) {
            return Err(Diagnostic::error(
                *flag,
                format!("{flag} applies to PDFs, not to --format docx"),
            )
            .hint(*hint));
        }
    }
    let sign = super::verify::signer(&args.sign)?.map(Arc::new);
    Ok(BuildOptions {
        template,
        paper,
        since,
        embed_source: args.embed_source,
        sign,
        default_template,
        template_dirs: config.template_dirs.value.clone(),
        format,
    })
}

/// One run: settings resolved, the engine called, the outcome reported.
fn once(
    args: &BuildArgs,
    config: &Config,
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
    // The policy decides who the emails may go to; a bad one stops the run.
    let policy = match args.eml.then(|| super::config::policy(config, report)) {
        Some(Ok(p)) => p.map(Arc::new),
        Some(Err(code)) => return code,
        None => None,
    };
    let settings = Settings {
        named: args.sources.clone(),
        output: config.output.value.clone(),
        options: options.clone(),
        products: products(args, config),
        shard: args.shard,
        force: args.force,
        fail_fast: args.fail_fast,
        eml: args.eml,
        from: config.from.value.clone(),
        allow_draft: args.allow_draft,
        policy: policy.clone(),
        manifest: args.manifest.clone(),
        inputs: config
            .template_folder()
            .map(|d| brief::render::folder::files(&d))
            .unwrap_or_default(),
        since_revision: match args.changes_since.as_deref().map(Origin::parse) {
            Some(Origin::Git(rev)) => Some(rev),
            _ => None,
        },
    };
    let progress = Progress::new(report, stop);
    let finished = match engine::run(&settings, found, env, &progress) {
        Ok(f) => f,
        Err(d) => return report.fail(&d),
    };
    progress.finish();
    summary(&finished.done, started.elapsed(), report);
    if let Some(old) = &args.changes_since {
        new_since(&finished.done, old, report);
    }
    finished.problems.iter().for_each(|d| report.diag(d));
    // 2 when a file could not be written (or would replace another source's),
    // 1 when a brief is invalid or failed to build.
    match finished.worst() {
        Some(Failure::Io) => TROUBLE,
        Some(Failure::Invalid) => INVALID,
        None => OK,
    }
}

/// The products to build for every brief: `None` is the brief's own template.
fn products(args: &BuildArgs, config: &Config) -> Vec<Option<String>> {
    if args.all_products {
        return brief::render::builtin_names().map(|n| Some(n.to_string())).collect();
    }
    // `--template` builds the brief with that template, not brief.toml's products.
    let configured = matches!(config.products.origin, config::Origin::File { .. });
    if config.products.value.is_empty() || (configured && args.template.is_some()) {
        vec![None]
    } else {
        config.products.value.iter().cloned().map(Some).collect()
    }
}

/// Progress: a bar on a terminal, plain lines otherwise, nothing with --quiet.
struct Progress<'a> {
    bar: OnceLock<Option<ProgressBar>>,
    report: &'a Reporter,
    stop: &'a AtomicUsize,
}

impl<'a> Progress<'a> {
    fn new(report: &'a Reporter, stop: &'a AtomicUsize) -> Self {
        Progress { bar: OnceLock::new(), report, stop }
    }

    fn bar(&self) -> Option<&ProgressBar> {
        self.bar.get().and_then(Option::as_ref)
    }

    fn finish(&self) {
        if let Some(bar) = self.bar() {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress<'_> {
    fn start(&self, total: usize) {
        let report = self.report;
        let bar = (!report.quiet && std::io::stderr().is_terminal() && total > 1).then(|| {
            let bar = ProgressBar::new(total as u64);
            let style =
                ProgressStyle::with_template("{bar:30} {pos}/{len} briefs, {msg} (ETA {eta})");
            if let Ok(style) = style {
                bar.set_style(style);
            }
            bar
        });
        let _ = self.bar.set(bar);
    }

    fn stopped(&self) -> bool {
        stopped(self.stop).is_some()
    }

    /// Reports one brief: all its diagnostics in one list, so the cap of
    /// [`Reporter::diags`] holds per file, errors first.
    fn done(&self, done: &Done) {
        let mut diags = done.warnings.clone();
        match &done.outcome {
            Outcome::Failed { diags: errors, .. } => diags.extend(errors.iter().cloned()),
            Outcome::Built { .. } | Outcome::UpToDate | Outcome::Skipped => {}
        }
        let print = || {
            self.report.diags(&diags);
            match &done.outcome {
                Outcome::Built { pages, bytes, .. } => {
                    let out = done.output.as_ref().map(|o| o.display().to_string());
                    let kb = *bytes as f64 / 1024.0;
                    let out = out.unwrap_or_default();
                    let s = if *pages == 1 { "" } else { "s" };
                    self.report.note(&format!("built {out} ({pages} page{s}, {kb:.1} KB)"));
                }
                Outcome::UpToDate => {
                    self.report.note(&format!("up to date: {}", done.source.display()))
                }
                Outcome::Failed { .. } | Outcome::Skipped => {}
            }
        };
        match self.bar() {
            Some(bar) => {
                if !diags.is_empty() {
                    bar.suspend(print);
                }
                bar.inc(1);
            }
            None => print(),
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

/// Names the briefs that are new since the revision compared with: their
/// PDFs have no changes box, as there is nothing to compare them with.
fn new_since(done: &[Done], old: &str, report: &Reporter) {
    let new: Vec<String> = done
        .iter()
        .filter(|d| matches!(d.outcome, Outcome::Built { new_since: true, .. }))
        .map(|d| d.source.display().to_string())
        .collect();
    if !new.is_empty() {
        let n = new.len();
        let s = if n == 1 { "" } else { "s" };
        report.note(&format!("{n} brief{s} new since {old}, built without a changes box:"));
        new.iter().for_each(|n| report.note(&format!("  new: {n}")));
    }
}

/// Rebuilds whenever a source or the template folder changes, until a signal.
fn watch(
    args: &BuildArgs,
    config: &Config,
    env: &Env,
    report: &Reporter,
    stop: &AtomicUsize,
    pool: &rayon::ThreadPool,
) -> u8 {
    let mut config = config.clone();
    let mut watch = Watch::new(&args.sources, &settings(args, &config), args.watcher.into());
    if watch.polling {
        report.note("watching by polling (no file system events here)");
    }
    report.note("watching for changes (Ctrl-C to stop)");
    let mut code = OK;
    while stopped(stop).is_none() {
        if !watch.wait(Duration::from_millis(250)).is_empty() {
            // brief.toml may be what changed: read it again (a bad one is
            // reported and the run waits for the next change).
            config = match super::config::for_sources(&args.sources, &overrides(args), report) {
                Ok(c) => c,
                Err(_) => continue,
            };
            let options = match self::options(args, &config, env) {
                Ok(o) => o,
                Err(d) => {
                    report.diag(&d);
                    continue;
                }
            };
            code = pool.install(|| once(args, &config, env, &options, report, stop));
            // The template folder may be another one now.
            watch = Watch::new(&args.sources, &settings(args, &config), args.watcher.into());
        }
    }
    code
}

/// The files besides the sources that `--watch` watches: the template
/// folder, brief.toml, and the data files the sources' figures read.
fn settings(args: &BuildArgs, config: &Config) -> Vec<std::path::PathBuf> {
    let sources = brief::collect_sources(&args.sources).map(|s| s.files).unwrap_or_default();
    let data = sources.iter().flat_map(|s| data_files(s));
    config.template_folder().into_iter().chain(config.file.clone()).chain(data).collect()
}

/// The data files a source's figures name, beside it.
fn data_files(source: &Path) -> Vec<PathBuf> {
    let Ok(bytes) = brief::read_source(source) else { return Vec::new() };
    let Ok(parsed) = brief::source::load(&source.display().to_string(), &bytes) else {
        return Vec::new();
    };
    let folder = source.parent().unwrap_or(Path::new(""));
    let names = parsed.raw.figures.iter().filter_map(|f| f.data.as_ref());
    names.filter_map(|d| brief::data::beside(folder, &d.file).ok()).collect()
}
