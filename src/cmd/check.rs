//! `brief check`: check every source named and report every problem, each
//! recipient the distribution policy (or its floor) refuses included.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use brief::Env;
use brief::config::{self, Overrides};
use brief::mail::policy::{self, Policy};

use crate::report::Reporter;
use crate::{INVALID, OK, TROUBLE, sources};

pub(crate) fn run(paths: &[PathBuf], policy: Option<&Path>, env: &Env, report: &Reporter) -> u8 {
    let found = match sources(paths, report) {
        Ok(s) => s,
        Err(code) => return code,
    };
    found.failed.iter().for_each(|d| report.diag(d));
    let mut code = if found.failed.is_empty() { OK } else { INVALID };
    let mut policies = Policies { flag: policy.map(Path::to_path_buf), read: HashMap::new() };
    for path in &found.files {
        let loaded = match super::load(path, env, report) {
            Ok(l) => l,
            Err(c) => {
                code = code.max(c);
                continue;
            }
        };
        let policy = match policies.of(path, report) {
            Ok(p) => p,
            Err(c) => {
                code = code.max(c);
                continue;
            }
        };
        let diags = refused(&loaded.name, &loaded.bytes, &loaded.checked.brief, policy.as_deref());
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
