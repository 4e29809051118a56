//! The `brief` command: parse arguments, call the library, report, set the exit code.

#![allow(clippy::result_large_err)] // see lib.rs

mod build;
mod cli;
mod send;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use brief::diag::Diagnostic;
use brief::{Env, Sources, check, collect_sources};
use clap::{CommandFactory, Parser};
use cli::{Cli, Color, Command};

/// Exit code: every source valid, every output written.
pub(crate) const OK: u8 = 0;
/// Exit code: some source invalid or some build failed.
pub(crate) const INVALID: u8 = 1;
/// Exit code: usage or I/O error.
pub(crate) const TROUBLE: u8 = 2;

const STARTER: &str = include_str!("../templates/starter.yaml");

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { TROUBLE } else { OK });
        }
    };
    let report = Reporter { color: use_color(cli.color), quiet: cli.quiet };
    let env = environment();
    let code = match cli.command {
        Command::Check { sources } => check_all(&sources, &env, &report),
        Command::Build(args) => build::run(&args, &env, &report),
        Command::Send(args) => send::run(&args, &env, &report),
        Command::Charts { source, output, format } => {
            charts(&source, &output, format, &env, &report)
        }
        Command::Schema => print(&format!("{:#}\n", brief::source::schema())),
        Command::Templates => {
            let list: String = brief::render::builtin_list()
                .iter()
                .map(|(n, d)| format!("{n:<16} {d}\n"))
                .collect();
            print(&list)
        }
        Command::New { file, force } => new(&file, force, &report),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "brief", &mut std::io::stdout());
            OK
        }
        Command::Man => man(),
    };
    ExitCode::from(code)
}

/// The sources the paths name; skipped links are reported as warnings here,
/// sources that could not be examined are left to the caller to count.
pub(crate) fn sources(paths: &[std::path::PathBuf], report: &Reporter) -> Result<Sources, u8> {
    let found = collect_sources(paths).map_err(|d| report.fail(&d))?;
    found.skipped.iter().for_each(|w| report.diag(w));
    Ok(found)
}

/// Today from the clock; creation time from `SOURCE_DATE_EPOCH` when set.
fn environment() -> Env {
    let created =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    Env::fixed(chrono::Utc::now().date_naive(), created)
}

fn check_all(paths: &[std::path::PathBuf], env: &Env, report: &Reporter) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    for path in &found.files {
        let name = path.display().to_string();
        let bytes = match read(path) {
            Ok(b) => b,
            Err((d, c)) => {
                report.diag(&d);
                code = code.max(c);
                continue;
            }
        };
        match check(&name, &bytes, env) {
            Ok(checked) => {
                report.diags(&checked.warnings);
                report.note(&format!("ok: {name}"));
            }
            Err(diags) => {
                report.diags(&diags);
                code = code.max(INVALID);
            }
        }
    }
    code
}

/// Reads a source without loading an oversized one into memory; the error
/// carries its exit code (an oversized source is invalid, not an I/O failure).
/// `brief charts`: every figure of one brief as its own file.
fn charts(source: &Path, out: &Path, format: cli::ChartFormat, env: &Env, report: &Reporter) -> u8 {
    let bytes = match read(source) {
        Ok(b) => b,
        Err((d, c)) => {
            report.diag(&d);
            return c;
        }
    };
    let checked = match check(&source.display().to_string(), &bytes, env) {
        Ok(c) => c,
        Err(diags) => {
            report.diags(&diags);
            return INVALID;
        }
    };
    let brief = &checked.brief;
    let (decimal, group) = brief::render::lang::separators(&brief.brief.language);
    let label =
        |key| brief::render::lang::label(key, &brief.brief.language).unwrap_or(key).to_string();
    let style = brief::charts::ChartStyle {
        decimal,
        group,
        source_label: label("Source"),
        note_label: label("Note"),
        ..Default::default()
    };
    for fig in &brief.figures {
        let (name, bytes) = match format {
            cli::ChartFormat::Svg => (
                format!("{}.svg", fig.id),
                brief::charts::export::svg(fig, &style, env.fonts).into_bytes(),
            ),
            cli::ChartFormat::Pdf => {
                let created = env.created_for(brief.brief.date);
                match brief::charts::export::pdf(fig, &style, env.fonts, created) {
                    Ok(b) => (format!("{}.pdf", fig.id), b),
                    Err(e) => {
                        return report.fail(&Diagnostic::error(
                            &fig.id,
                            format!("cannot write the chart ({e})"),
                        ));
                    }
                }
            }
        };
        let path = out.join(name);
        if let Err(d) = brief::batch::write_atomic(&path, &bytes) {
            return report.fail(&d);
        }
        report.note(&format!("wrote {}", path.display()));
    }
    if brief.figures.is_empty() {
        report.note("the brief has no figures");
    }
    OK
}

/// Reads a source; the error carries its exit code (an oversized source is
/// invalid, not an I/O failure).
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, (Diagnostic, u8)> {
    brief::read_source(path).map_err(|(kind, d)| match kind {
        brief::engine::Failure::Io => (d, TROUBLE),
        brief::engine::Failure::Invalid => (d, INVALID),
    })
}

/// Writes the starter brief. A symbolic link at `file` counts as a file that
/// exists, even when it dangles, and `--force` replaces the link itself:
/// the starter is never written through a link to wherever it points.
fn new(file: &Path, force: bool, report: &Reporter) -> u8 {
    if std::fs::symlink_metadata(file).is_ok() && !force {
        let d = Diagnostic::error(file.display().to_string(), "file exists")
            .hint("use --force to replace it");
        return report.fail(&d);
    }
    match brief::batch::write_atomic(file, STARTER.as_bytes()) {
        Ok(()) => {
            report.note(&format!("wrote {}", file.display()));
            OK
        }
        Err(d) => report.fail(&d),
    }
}

fn man() -> u8 {
    let mut out = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => print(&String::from_utf8_lossy(&out)),
        Err(_) => TROUBLE,
    }
}

/// Prints to stdout; a closed pipe is not an error.
fn print(text: &str) -> u8 {
    let _ = std::io::stdout().write_all(text.as_bytes());
    OK
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
    }
}

/// Writes diagnostics and notes to stderr.
pub(crate) struct Reporter {
    color: bool,
    pub(crate) quiet: bool,
}

impl Reporter {
    pub(crate) fn diag(&self, d: &Diagnostic) {
        if d.is_error() || !self.quiet {
            eprint!("{}", d.render(self.color));
        }
    }

    /// One file's diagnostics: the first [`Reporter::SHOWN`], then a count of
    /// the rest, so a source with thousands of mistakes stays readable.
    pub(crate) fn diags(&self, list: &[Diagnostic]) {
        let mut shown: Vec<&Diagnostic> =
            list.iter().filter(|d| d.is_error() || !self.quiet).collect();
        // Errors first, so the cap never hides one behind warnings.
        shown.sort_by_key(|d| !d.is_error());
        shown.iter().take(Self::SHOWN).for_each(|d| self.diag(d));
        if let Some(rest) = shown.get(Self::SHOWN..).filter(|r| !r.is_empty()) {
            let file = &rest[0].file;
            eprintln!("… and {} more problems in {file}; fix these first", rest.len());
        }
    }

    /// Most diagnostics printed for one file.
    const SHOWN: usize = 50;

    pub(crate) fn fail(&self, d: &Diagnostic) -> u8 {
        self.diag(d);
        TROUBLE
    }

    pub(crate) fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }
}
