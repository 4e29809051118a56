//! The `brief` command: parse arguments, call the library, report, set the exit code.

#![allow(clippy::result_large_err)] // see lib.rs

mod build;
mod cli;
mod send;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use brief::diag::Diagnostic;
use brief::{Env, check, collect_sources};
use clap::{CommandFactory, Parser};
use cli::{Cli, Color, Command};

/// Exit code: every source valid, every output written.
pub(crate) const OK: u8 = 0;
/// Exit code: some source invalid or some build failed.
pub(crate) const INVALID: u8 = 1;
/// Exit code: usage or I/O error.
pub(crate) const TROUBLE: u8 = 2;

// Building a brief is allocation-heavy (shaping, page items, PDF objects):
// glibc malloc spent a fifth of a whole `brief build` in malloc, free and
// page faults, and in a batch its per-thread arenas grow by mprotect calls.
// mimalloc does the work; `Budgeted` keeps each template render within its
// memory budget (see `brief::render::budget`).
#[global_allocator]
static ALLOC: brief::render::budget::Budgeted<mimalloc::MiMalloc> =
    brief::render::budget::Budgeted(mimalloc::MiMalloc);

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
    let env = match environment() {
        Ok(env) => env,
        Err(d) => return ExitCode::from(report.fail(&d)),
    };
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

/// The sources the paths name; skipped links are reported as warnings.
pub(crate) fn sources(
    paths: &[std::path::PathBuf],
    report: &Reporter,
) -> Result<Vec<std::path::PathBuf>, u8> {
    let found = collect_sources(paths).map_err(|d| report.fail(&d))?;
    found.skipped.iter().for_each(|w| report.diag(w));
    Ok(found.files)
}

/// Today from the clock; creation time from `SOURCE_DATE_EPOCH` when set
/// (a bad value is an error, never ignored).
fn environment() -> Result<Env, Diagnostic> {
    let created = Env::source_date_epoch(std::env::var_os("SOURCE_DATE_EPOCH").as_deref())?;
    Ok(Env::fixed(chrono::Utc::now().date_naive(), created))
}

fn check_all(paths: &[std::path::PathBuf], env: &Env, report: &Reporter) -> u8 {
    let sources = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut code = OK;
    for path in &sources {
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
    let style =
        brief::charts::ChartStyle::in_language(&brief::render::formats(&brief.brief.language));
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

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, (Diagnostic, u8)> {
    brief::source::read_file(path).map_err(|e| match e {
        brief::source::ReadError::TooLarge(d) => (d, INVALID),
        brief::source::ReadError::Unreadable(d) => (d, TROUBLE),
    })
}

pub(crate) fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path.display().to_string(), format!("{what} ({e})"))
}

fn new(file: &Path, force: bool, report: &Reporter) -> u8 {
    if file.exists() && !force {
        let d = Diagnostic::error(file.display().to_string(), "file exists")
            .hint("use --force to replace it");
        return report.fail(&d);
    }
    match std::fs::write(file, STARTER) {
        Ok(()) => {
            report.note(&format!("wrote {}", file.display()));
            OK
        }
        Err(e) => report.fail(&io_error(file, "cannot write", e)),
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
        Color::Auto => brief::diag::auto_color(
            std::env::var_os("NO_COLOR").as_deref(),
            std::io::stderr().is_terminal(),
        ),
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
            let file = brief::diag::escape(file);
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
        // Notes quote file names and diagnostics (the batch summary), so
        // they are escaped like diagnostics.
        if !self.quiet {
            eprintln!("{}", brief::diag::escape(text));
        }
    }
}
