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
    env: &Env,
    report: &Reporter,
) -> u8 {
    let loaded = match super::load(source, env, report) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let brief = &loaded.checked.brief;
    let style = brief::charts::ChartStyle::in_language(&brief::document::Formats::of(
        &brief.brief.language,
    ));
    for fig in &brief.figures {
        let (name, bytes) = match format {
            cli::ChartFormat::Svg => (
                format!("{}.svg", fig.id),
                brief::charts::export::svg(fig, &style, env.fonts).into_bytes(),
            ),
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
