//! `brief charts`: every figure of one brief as a file of its own.

use std::path::Path;

use brief::Env;
use brief::diag::Diagnostic;

use crate::OK;
use crate::cli;
use crate::report::Reporter;

/// `brief charts`: every figure of one brief as its own file.
pub(crate) fn run(
    source: &Path,
    out: &Path,
    format: cli::ChartFormat,
    force: bool,
    env: &Env,
    report: &Reporter,
) -> u8 {
    let loaded = match super::load(source, env, report) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let brief = &loaded.brief;
    // Every chart goes through the one check before any is written: never an
    // input, never a file brief keeps, never a file no run of brief wrote.
    let ext = match format {
        cli::ChartFormat::Svg => "svg",
        cli::ChartFormat::Pdf => "pdf",
        cli::ChartFormat::Png => "png",
    };
    let planned: Vec<(std::path::PathBuf, &str)> =
        brief.figures.iter().map(|f| (out.join(format!("{}.{ext}", f.id)), "chart")).collect();
    if let Err(d) = brief::batch::check_outputs(&planned, &[source.to_path_buf()]) {
        return report.fail(&d);
    }
    if out.is_file() {
        return report.fail(
            &Diagnostic::error(
                out.display().to_string(),
                format!(
                    "-o {} is an existing file; -o names the folder charts are written into",
                    out.display()
                ),
            )
            .hint("name a folder (created if missing)"),
        );
    }
    let mut state = match brief::batch::State::read_or_force(out, force) {
        Ok(s) => s,
        Err(d) => return report.fail(&d),
    };
    let writer = brief::batch::source_id(source);
    for (path, _) in &planned {
        if let Err(d) = state.may_replace(path, &writer, "chart", force) {
            return report.fail(&d);
        }
    }
    let style = brief::charts::ChartStyle::in_language(&brief::document::Formats::of(
        &brief.brief.language,
    ));
    for fig in &brief.figures {
        let (name, bytes) = match format {
            cli::ChartFormat::Svg => (
                format!("{}.svg", fig.id),
                brief::charts::export::svg(fig, &style, env.fonts).into_bytes(),
            ),
            cli::ChartFormat::Png => {
                let scale = brief::charts::picture::PNG_SCALE;
                match brief::charts::picture::export_png(fig, &style, env.fonts, scale) {
                    Ok(b) => (format!("{}.png", fig.id), b),
                    Err(e) => {
                        return report.fail(&Diagnostic::error(
                            &fig.id,
                            format!("cannot write the chart ({e})"),
                        ));
                    }
                }
            }
            cli::ChartFormat::Pdf => {
                let created = env.created_for(brief.brief.date);
                let page = brief::charts::export::page(
                    fig,
                    &style,
                    env.fonts,
                    created,
                    &brief.brief.language,
                );
                match brief::pdf::write(&page, env.fonts) {
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
        let record = brief::batch::Record::made_by(&writer, "chart", &bytes);
        if let Err(d) = brief::batch::write_output(&path, &bytes, &record, force, None) {
            let _ = state.save(out);
            return report.fail(&d);
        }
        state.record(&path, record);
        report.note(&format!("wrote {}", path.display()));
    }
    if !brief.figures.is_empty()
        && let Err(d) = state.save(out)
    {
        return report.fail(&d);
    }
    if brief.figures.is_empty() {
        report.note("the brief has no figures");
    }
    OK
}
