//! `brief check`: check every source named and report every problem: each
//! recipient the distribution policy (or its floor) refuses included, the
//! marking against the template's scales, and with `--template` the
//! template folder itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use brief::config::{self, Overrides};
use brief::mail::policy::{self, Policy};
use brief::{BuildOptions, Env};

use crate::report::Reporter;
use crate::{INVALID, OK, TROUBLE, sources};

/// Checks every source; with `template`, also the template folder (every
/// problem of it once) and each brief rendered through it.
pub(crate) fn run(
    paths: &[PathBuf],
    template: Option<&Path>,
    policy: Option<&Path>,
    strict_figures: bool,
    env: &Env,
    report: &Reporter,
) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    // The template each brief would be built with (brief.toml's folders and
    // default), for what only its theme decides: which markings are known.
    let config = match super::config::for_sources(paths, &Overrides::default(), report) {
        Ok(c) => c,
        Err(c) => return c,
    };
    let options = BuildOptions {
        default_template: config.template().unwrap_or_default(),
        template_dirs: config.template_dirs.value.clone(),
        ..BuildOptions::default()
    };
    let mut policies = Policies { flag: policy.map(Path::to_path_buf), read: HashMap::new() };
    let mut template_checked = false;
    for path in &found.files {
        let loaded = match super::load(path, env, report) {
            Ok(l) => l,
            Err(c) => {
                code = code.max(c);
                continue;
            }
        };
        let brief = &loaded.brief;
        let contradicting = loaded.contradicting;
        if strict_figures && contradicting > 0 {
            let d = brief::diag::Diagnostic::error(
                &loaded.name,
                format!("{contradicting} number(s) in the text contradict their figures (above)"),
            );
            report
                .diag(&d.hint("--strict-figures fails on them; quote the figure's value instead"));
            code = code.max(INVALID);
            continue;
        }
        if let Some(dir) = template
            && !template_checked
        {
            // The folder's own problems once, with the first brief rendered.
            template_checked = true;
            let folder = super::templates::check_folder(dir, brief, report);
            code = code.max(folder);
            if folder != OK {
                continue;
            }
        }
        let policy = match policies.of(path, report) {
            Ok(p) => p,
            Err(c) => {
                code = code.max(c);
                continue;
            }
        };
        let marked = match template {
            Some(dir) => brief::render::Template::from_dir(dir).and_then(|t| {
                t.render(brief, brief.brief.date)?;
                brief::check_marking(&loaded.name, brief, &t)
            }),
            None => brief::template_for(&loaded.name, brief, &options)
                .and_then(|t| brief::check_marking(&loaded.name, brief, &t)),
        };
        let mut diags: Vec<_> =
            marked.err().map(|d| brief::locate(d, &loaded.bytes)).into_iter().collect();
        diags.extend(refused(&loaded.name, &loaded.bytes, brief, policy.as_deref()));
        if diags.is_empty() {
            report.note(&format!("ok: {}", loaded.name));
        } else {
            report.diags(&diags);
            code = code.max(INVALID);
        }
    }
    code
}

/// Every recipient of `brief` the policy (or the floor) refuses, as an
/// error at the recipient's line in the source.
pub(crate) fn refused(
    name: &str,
    bytes: &[u8],
    brief: &brief::model::Brief,
    policy: Option<&Policy>,
) -> Vec<brief::diag::Diagnostic> {
    let recipients = policy::recipients(brief);
    if recipients.is_empty() {
        return Vec::new();
    }
    let decision = policy::decide(brief.brief.classification.as_deref(), &recipients, policy);
    decision.diagnostics(name).into_iter().map(|d| brief::locate(d, bytes)).collect()
}

/// The policy of each source: `--policy`, else `BRIEF_POLICY`, else the
/// `policy` of the `brief.toml` above the source; each file read once.
struct Policies {
    flag: Option<PathBuf>,
    read: HashMap<Option<PathBuf>, Result<Option<Arc<Policy>>, u8>>,
}

impl Policies {
    fn of(&mut self, source: &Path, report: &Reporter) -> Result<Option<Arc<Policy>>, u8> {
        let toml = config::find(&config::folder_of(source));
        // A bad file is reported once, and fails every source under it.
        if let Some(p) = self.read.get(&toml) {
            return p.clone();
        }
        let overrides = Overrides { policy: self.flag.clone(), ..Overrides::default() };
        let var = |name: &str| std::env::var(name).ok();
        let policy = config::resolve(toml.as_deref(), &overrides, &var)
            .map_err(|diags| {
                report.diags(&diags);
                TROUBLE
            })
            .and_then(|settings| super::config::policy(&settings, report))
            .map(|p| p.map(Arc::new));
        self.read.insert(toml, policy.clone());
        policy
    }
}
