//! `brief build`: build each source, write each PDF atomically, report.

use std::path::{Path, PathBuf};

use brief::diag::Diagnostic;
use brief::layout::{Style, style};
use brief::{BuildOptions, Env, build, collect_sources, output_name};

use crate::cli::{BuildArgs, Paper};
use crate::{INVALID, OK, Reporter, TROUBLE, io_error, read};

/// Builds every source named; one bad brief never stops the others.
pub fn run(args: &BuildArgs, env: &Env, report: &Reporter) -> u8 {
    let sources = match collect_sources(&args.sources) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    let page = match args.paper {
        Paper::A4 => style::A4,
        Paper::Letter => style::LETTER,
    };
    let options = BuildOptions { template: None, style: Style::new(page) };
    // One source and an output that names a .pdf file: write exactly there.
    let single_file = sources.len() == 1 && args.output.extension().is_some_and(|e| e == "pdf");
    let mut code = OK;
    for path in &sources {
        code = code.max(one(path, args, single_file, env, &options, report));
    }
    code
}

fn one(
    path: &Path,
    args: &BuildArgs,
    single_file: bool,
    env: &Env,
    options: &BuildOptions,
    report: &Reporter,
) -> u8 {
    let name = path.display().to_string();
    let bytes = match read(path) {
        Ok(b) => b,
        Err((d, c)) => {
            report.diag(&d);
            return c;
        }
    };
    let built = match build(&name, &bytes, env, options) {
        Ok(b) => b,
        Err(diags) => {
            diags.iter().for_each(|d| report.diag(d));
            return INVALID;
        }
    };
    built.warnings.iter().for_each(|w| report.diag(w));
    let target =
        if single_file { args.output.clone() } else { args.output.join(output_name(&built.brief)) };
    match write_atomic(&target, &built.pdf) {
        Ok(()) => {
            let kb = built.pdf.len() as f64 / 1024.0;
            report.note(&format!("built {} ({} pages, {kb:.1} KB)", target.display(), built.pages));
            OK
        }
        Err(d) => report.fail(&d),
    }
}

/// Writes to a temporary file beside the target, then renames it over the
/// target, so a failed or interrupted build never leaves a partial PDF.
fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "cannot create folder", e))?;
    let file_name =
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(target, "cannot write", e));
    }
    let _ = TROUBLE;
    Ok(())
}
