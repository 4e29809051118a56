//! `brief review REVIEWED.docx SOURCE.yaml`: a document reviewed in Word
//! taken back into its source. Exit 0 when it changes nothing, 1 when it
//! changes the source, 2 on trouble, as `brief diff`.

use std::io::Write as _;
use std::path::Path;

use brief::diag::Diagnostic;
use brief::{BuildOptions, Env};

use crate::cli::ReviewArgs;
use crate::{INVALID, OK, Reporter, TROUBLE};

/// Runs `brief review`.
pub fn run(args: &ReviewArgs, env: &Env, report: &Reporter) -> u8 {
    let docx = match read_docx(&args.reviewed) {
        Ok(b) => b,
        Err(d) => return report.fail(&d),
    };
    let name = args.source.display().to_string();
    let bytes = match crate::read(&args.source) {
        Ok(b) => b,
        Err((d, code)) => {
            report.diag(&d);
            return code;
        }
    };
    // The template as `brief build` would find it: --template, else the
    // brief's own, brief.toml's, the built-in default. The document's own
    // record of a built-in product comes first when no --template is given.
    let overrides =
        brief::config::Overrides { template: args.template.clone(), ..Default::default() };
    let config =
        match super::config::for_sources(std::slice::from_ref(&args.source), &overrides, report) {
            Ok(c) => c,
            Err(code) => return code,
        };
    let resolved = match config.template() {
        Ok(t) => t,
        Err(d) => return report.fail(&d),
    };
    let (template, default_template) = match config.template.origin {
        brief::config::Origin::Flag(_) => (resolved, None),
        _ => (None, resolved),
    };
    let options = BuildOptions {
        template,
        default_template,
        template_dirs: config.template_dirs.value.clone(),
        ..BuildOptions::default()
    };
    let review = match brief::review::review(&docx, &name, &bytes, env, &options, args.rebase) {
        Ok(r) => r,
        Err(diags) => {
            let diags: Vec<Diagnostic> = diags
                .into_iter()
                .map(|d| {
                    let d = if d.file == "DOCX" {
                        Diagnostic { file: args.reviewed.display().to_string(), ..d }
                    } else {
                        d
                    };
                    brief::locate(d, &bytes)
                })
                .collect();
            report.diags(&diags);
            return TROUBLE;
        }
    };
    let text = super::diff::for_terminal(&brief::review::human(&review));
    let _ = std::io::stdout().write_all(text.as_bytes());
    let target = match (&args.output, args.write) {
        (Some(o), _) => Some(o.as_path()),
        (None, true) => Some(args.source.as_path()),
        (None, false) => None,
    };
    if let Some(target) = target
        && review.yaml.as_bytes() != bytes.as_slice()
    {
        let in_place = brief::batch::same_file(target, &args.source);
        // The source is replaced only when asked for by name: --write.
        if in_place && !args.write {
            return report.fail(
                &Diagnostic::error(
                    target.display().to_string(),
                    "-o names the source; the review would replace it",
                )
                .hint("--write writes the review into the source; or name another file"),
            );
        }
        if brief::batch::same_file(target, &args.reviewed) {
            return report.fail(&Diagnostic::error(
                target.display().to_string(),
                "-o names the reviewed document; the new source would replace it",
            ));
        }
        if !in_place && target.exists() && !args.force {
            return report.fail(
                &Diagnostic::error(
                    target.display().to_string(),
                    format!("{} exists; it would be replaced", target.display()),
                )
                .hint("name another file, or --force replaces it"),
            );
        }
        if let Err(d) = write_atomically(target, review.yaml.as_bytes()) {
            return report.fail(&d);
        }
        report.note(&format!("wrote {}", target.display()));
    }
    if review.changes.is_empty() { OK } else { INVALID }
}

/// The reviewed document, refused before it is read when larger than a
/// document brief reads.
fn read_docx(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error| Diagnostic::error(&shown, format!("cannot read it ({e})"));
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Diagnostic::error(&shown, "not a file"));
    }
    if meta.len() > brief::docx::read::MAX_FILE {
        return Err(Diagnostic::error(
            &shown,
            format!(
                "{} bytes: larger than the {} MiB a reviewed document may be",
                meta.len(),
                brief::docx::read::MAX_FILE >> 20
            ),
        ));
    }
    std::fs::read(path).map_err(io)
}

/// Writes `bytes` to `path` through a file beside it renamed into place, so
/// the source is never left half written.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| Diagnostic::error(&shown, format!("cannot write it ({e})"));
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.brief-review-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}
