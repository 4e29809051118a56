//! `brief serve`: settings from the command line and brief.toml, the
//! server ([`brief::serve`]) started, its address printed first, then a
//! build of whatever changes, until interrupted.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use brief::config::{self, Config, Overrides};
use brief::diag::Diagnostic;
use brief::serve::{self, Entry, Server};
use brief::watch::Watch;
use brief::{BuildOptions, Env};

use crate::cli::{Paper, ServeArgs};
use crate::{OK, Reporter};

/// Runs `brief serve` until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs, env: &Env, report: &Reporter) -> u8 {
    let stop = super::build::stop_on_signals();
    let sources = vec![args.source.clone()];
    let mut config = match super::config::for_sources(&sources, &overrides(args), report) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut options = match options(args, &config) {
        Ok(o) => o,
        Err(d) => return report.fail(&d),
    };
    let found = match crate::sources(&sources, report) {
        Ok(f) => f,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let folder = args.source.is_dir();
    let mut entries: Vec<(String, Option<PathBuf>)> =
        found.files.iter().map(|f| (f.display().to_string(), Some(f.clone()))).collect();
    // A folder's briefs bound as its summit book, as `brief book` binds them.
    if folder && found.files.len() > 1 {
        entries.push(("Summit book (all briefs)".to_string(), None));
    }
    let listen = serve::Options { bind: args.bind, port: args.port, editor: args.editor.clone() };
    let server = match Server::start(&listen, entries, folder) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    // The address is the first line, on stdout, so a script can read it.
    let url = server.url();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{url}");
    let _ = out.flush();
    if args.bind.is_some_and(|ip| !ip.is_loopback()) {
        report.note(
            "warning: --bind makes the preview reachable from other machines; it has no password",
        );
    }
    // Watching before the first builds, so a save made while they run is seen.
    let mut watch = Watch::new(&sources, &settings(&config), args.watcher.into());
    if watch.polling {
        report.note("watching by polling (no file system events here)");
    }
    for entry in server.entries() {
        build(&server, &entry, &sources, env, &options, &config, report);
    }
    if args.open {
        open(&url, report);
    }
    report.note("watching for changes (Ctrl-C to stop)");
    while super::build::stopped(&stop).is_none() {
        let changed = watch.wait(Duration::from_millis(250));
        if changed.is_empty() {
            continue;
        }
        let settings_changed = changed.iter().any(|c| is_setting(c, &config));
        if settings_changed {
            // brief.toml or the template: read them again, then build everything.
            config = match super::config::for_sources(&sources, &overrides(args), report) {
                Ok(c) => c,
                Err(_) => continue,
            };
            options = match self::options(args, &config) {
                Ok(o) => o,
                Err(d) => {
                    report.diag(&d);
                    continue;
                }
            };
            watch = Watch::new(&sources, &settings(&config), args.watcher.into());
        }
        if folder {
            add_new(&server, &sources);
        }
        for entry in server.entries() {
            let hit = entry.source.as_ref().is_some_and(|s| {
                let s = std::path::absolute(s).unwrap_or_else(|_| s.clone());
                changed.contains(&s)
            });
            // The book binds every brief: rebuilt after any of them.
            if settings_changed || hit || entry.source.is_none() {
                build(&server, &entry, &sources, env, &options, &config, report);
            }
        }
    }
    super::build::stopped(&stop).unwrap_or(OK)
}

/// brief.toml or a file of the template folder (anything else watched is a brief).
fn is_setting(path: &std::path::Path, config: &Config) -> bool {
    let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
    config.file.clone().map(absolute).is_some_and(|f| f == path)
        || config.template_folder().map(absolute).is_some_and(|t| path.starts_with(t))
}

/// Builds one entry and says how it went in one line.
fn build(
    server: &Server,
    entry: &Arc<Entry>,
    sources: &[PathBuf],
    env: &Env,
    options: &BuildOptions,
    config: &Config,
    report: &Reporter,
) {
    let started = std::time::Instant::now();
    let result = match &entry.source {
        Some(_) => serve::rebuild(server, entry, env, options),
        None => {
            let files = brief::collect_sources(sources).map(|s| s.files).unwrap_or_default();
            let book = brief::book::Options {
                title: None,
                template: options.template.clone(),
                paper: options.paper,
                language: None,
                since_revision: None,
                mark_uncleared: false,
                time_zone: config.book_time_zone.value.clone(),
            };
            serve::rebuild_book(server, entry, &files, env, &book)
        }
    };
    let ms = started.elapsed().as_millis();
    let name = &entry.name;
    match result {
        Ok(pages) => {
            let s = if pages == 1 { "" } else { "s" };
            report.note(&format!("built {name} ({pages} page{s}) in {ms} ms"));
        }
        Err(errors) => {
            let s = if errors == 1 { "" } else { "s" };
            report.note(&format!("{name}: {errors} problem{s}, shown over the last good pages"));
        }
    }
}

/// Briefs that appeared in the folder since the start get their own entry.
fn add_new(server: &Server, sources: &[PathBuf]) {
    let Ok(found) = brief::collect_sources(sources) else { return };
    let known: Vec<PathBuf> = server.entries().iter().filter_map(|e| e.source.clone()).collect();
    for file in found.files {
        if !known.contains(&file) {
            server.add(file.display().to_string(), file);
        }
    }
}

/// What is watched besides the source: the template folder and brief.toml.
fn settings(config: &Config) -> Vec<PathBuf> {
    config.template_folder().into_iter().chain(config.file.clone()).collect()
}

fn overrides(args: &ServeArgs) -> Overrides {
    Overrides {
        template: args.template.clone(),
        paper: args.paper.map(|p| match p {
            Paper::A4 => "a4".to_string(),
            Paper::Letter => "letter".to_string(),
        }),
        ..Overrides::default()
    }
}

/// What to build with, as `brief build` resolves it: `--template` is the
/// run's, brief.toml's the default of a brief that names none; `--product`
/// a built-in template for every brief.
fn options(args: &ServeArgs, config: &Config) -> Result<BuildOptions, Diagnostic> {
    let resolved = config.template()?;
    let (template, default_template) = match config.template.origin {
        config::Origin::Flag(_) => (resolved, None),
        _ => (None, resolved),
    };
    let product = args.product.as_deref().and_then(brief::render::Template::builtin);
    Ok(BuildOptions {
        template: product.or(template),
        paper: config.paper.value.as_deref().and_then(config::paper_size),
        default_template,
        template_dirs: config.template_dirs.value.clone(),
        ..BuildOptions::default()
    })
}

/// Opens the page in the desktop's browser; failing that, says so.
fn open(url: &str, report: &Reporter) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => report.note(&format!("cannot open a browser ({opener}: {e}); open {url}")),
    }
}
