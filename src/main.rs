//! The `brief` command: parse arguments, call the library, report, set the exit code.

mod cli;
mod cmd;
mod report;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use brief::diag::Diagnostic;
use brief::{Env, Sources, collect_sources};
use clap::{CommandFactory, Parser};
use cli::{Cli, Color, Command, TemplatesAction};

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

pub(crate) use report::Reporter;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap quotes the argument it refuses: one holding a control
            // character or a direction control is shown escaped (and so
            // without colour), never raw on the terminal.
            let plain = e.render().to_string();
            let raw = std::env::args_os().any(|a| {
                a.to_string_lossy()
                    .chars()
                    .any(|c| c.is_control() || brief::escape::is_direction_control(c))
            });
            if e.use_stderr() && raw {
                eprint!("{}", cmd::diff::for_terminal(&plain));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(if e.use_stderr() { TROUBLE } else { OK });
        }
    };
    let report = Reporter { color: use_color(cli.color), quiet: cli.quiet };
    let env = match environment() {
        Ok(env) => env,
        Err(d) => return ExitCode::from(report.fail(&d)),
    };
    let code = match cli.command {
        Command::Check { sources, template, policy, strict_figures } => {
            let (template, policy) = (template.as_deref(), policy.as_deref());
            cmd::check::run(&sources, template, policy, strict_figures, &env, &report)
        }
        Command::Build(args) => cmd::build::run(&args, &env, &report),
        Command::Book(args) => cmd::book::run(&args, &env, &report),
        Command::Serve(args) => cmd::serve::run(&args, &env, &report),
        Command::Send(args) => cmd::send::run(&args, &env, &report),
        Command::Charts { source, output, format, force } => {
            cmd::charts::run(&source, &output, format, force, &env, &report)
        }
        Command::Diff(args) => cmd::diff::run(&args, &env, &report),
        Command::Review(args) => cmd::review::run(&args, &env, &report),
        Command::Verify { files } => cmd::verify::run(&files, &report),
        Command::Schema => print(&format!("{:#}\n", brief::source::schema())),
        Command::Templates { action } => match action.unwrap_or(TemplatesAction::List) {
            TemplatesAction::List => print(&cmd::templates::list()),
            TemplatesAction::Export { name, dir, force } => {
                cmd::templates::export(&name, &dir, force, &report)
            }
            TemplatesAction::Check { dir, brief } => {
                cmd::templates::check(&dir, brief.as_deref(), &env, &report)
            }
        },
        Command::Languages { tag } => cmd::languages::run(tag.as_deref(), &report),
        Command::New { file, force } => cmd::new::run(&file, force, &report),
        Command::Config { source } => cmd::config::run(source.as_deref(), &report),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "brief", &mut std::io::stdout());
            OK
        }
        Command::Man { dir } => cmd::man::run(dir.as_deref(), &report),
    };
    ExitCode::from(code)
}

/// The sources the paths name; skipped files are reported as warnings here,
/// sources that could not be examined, and folders that hold none, are left
/// to the caller to count as failures. A file named twice (the same file by
/// device and inode, however spelled) is refused: it would be built, bound
/// or sent twice.
pub(crate) fn sources(paths: &[std::path::PathBuf], report: &Reporter) -> Result<Sources, u8> {
    let mut found = collect_sources(paths).map_err(|d| report.fail(&d))?;
    found.skipped.iter().for_each(|w| report.diag(w));
    if let Some(d) = brief::batch::given_twice(&found.files) {
        return Err(report.fail(&d));
    }
    for folder in paths.iter().filter(|p| p.is_dir()) {
        let under = |f: &Path| f.starts_with(folder);
        let none = !found.files.iter().any(|f| under(f))
            && !found.failed.iter().any(|d| under(Path::new(&d.file)));
        if none {
            found.failed.push(
                Diagnostic::error(
                    folder.display().to_string(),
                    format!("no briefing sources under {}", folder.display()),
                )
                .expected("*.yaml or *.yml files in the folder or its subfolders")
                .hint("check the folder's name"),
            );
        }
    }
    Ok(found)
}

/// Today from the clock; creation time from `SOURCE_DATE_EPOCH` when set
/// (a bad value is an error, never ignored).
fn environment() -> Result<Env, Diagnostic> {
    let created = Env::source_date_epoch(std::env::var_os("SOURCE_DATE_EPOCH").as_deref())?;
    Ok(Env::fixed(chrono::Utc::now().date_naive(), created))
}

/// Reads a source; the error carries its exit code (an oversized source is
/// invalid, not an I/O failure).
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, (Diagnostic, u8)> {
    brief::read_source(path).map_err(|(kind, d)| match kind {
        brief::engine::Failure::Io => (d, TROUBLE),
        brief::engine::Failure::Invalid => (d, INVALID),
    })
}

/// Prints to stdout; a closed pipe is not an error.
pub(crate) fn print(text: &str) -> u8 {
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
