//! The distribution policy: for each security marking, whether a brief may go
//! by e-mail at all, to which recipients, over what connection and whether
//! its PDF must be signed; and the built-in floor no policy or flag lowers.
//!
//! An organisation writes the policy once (`--policy FILE`, `BRIEF_POLICY`
//! or `policy =` in `brief.toml`), as YAML:
//!
//! ```yaml
//! markings:
//!   OFFICIAL-SENSITIVE:
//!     email: true
//!     domains: [example.gov]
//!     addresses: ["Partner <partner@example.org>"]
//!     tls: true
//!     signed: true
//!   SECRET:
//!     email: false
//! ```
//!
//! The file is read with the briefs' own positioned YAML reader, so every
//! problem is reported at once at its line and column, with a did-you-mean.
//! Without a policy only the floor holds: nothing marked SECRET or above, on
//! any known scale, is ever put in a message, and a marking no scale knows is
//! never mailed either (a misspelt marking cannot slip through).

use std::path::Path;

use brief_source::tree::{self, Node, Pos, Scalar, Value};

use crate::book::marking::{self, Scale};
use crate::diag::{Diagnostic, Span, did_you_mean};
use crate::model::Brief;

/// The environment variable naming a policy file.
pub(crate) const ENV_POLICY: &str = "BRIEF_POLICY";

/// Largest policy file read: a policy is a page of rules.
const MAX_BYTES: u64 = 256 * 1024;

/// The keys of a policy file, of a marking's rule.
const TOP: &[&str] = &["markings", "scale", "unmarked"];
const RULE: &[&str] = &["email", "domains", "addresses", "tls", "signed"];

/// What briefs of one marking may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The marking, in capitals; `(unmarked)` for briefs without one.
    pub marking: String,
    /// Where the rule is written, `policy.yaml:4`, for every decision it makes.
    pub at: String,
    /// Whether it may go by e-mail at all.
    pub email: bool,
    /// The recipients' domains allowed (`example.gov`, or `*.example.gov`
    /// for its subdomains); `None` when the rule names neither domains nor
    /// addresses, and any recipient may receive it.
    pub domains: Option<Vec<String>>,
    /// Single addresses allowed besides the domains, lower case.
    pub addresses: Vec<String>,
    /// TLS is required even to a loopback relay.
    pub tls: bool,
    /// The PDF must carry a valid signature.
    pub signed: bool,
}

/// A distribution policy, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The file, as named.
    pub file: String,
    /// The house's own scale of markings, lowest first, when it has one.
    pub scale: Option<Scale>,
    /// One rule per marking.
    pub rules: Vec<Rule>,
    /// The rule for briefs without a marking; without one they may go anywhere.
    pub unmarked: Option<Rule>,
}

/// One recipient and what the policy says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Where it is written: `distribution.to[1]`, or `--to[0]`.
    pub field: String,
    /// The entry as written.
    pub text: String,
    /// Its bare address, lower case.
    pub address: String,
    /// Why it may not receive the brief, naming the rule; `None` when it may.
    pub refused: Option<String>,
    /// What allowed it, when allowed.
    pub allowed: String,
}

/// What the policy (and the floor) decide for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The marking decided on, in capitals.
    pub marking: Option<String>,
    /// Every recipient, in order.
    pub recipients: Vec<Recipient>,
    /// Why no message may be made at all, whoever it is for (the floor, an
    /// unknown marking, `email: false`); every recipient is refused with it too.
    pub refusal: Option<String>,
    /// TLS is required even to a loopback relay (the rule's `tls`).
    pub tls: bool,
    /// The PDF must carry a valid signature (the rule's `signed`), with the rule's place.
    pub signed: Option<String>,
    /// The rule applied, for `--dry-run`: `policy.yaml:4 (OFFICIAL-SENSITIVE)`.
    pub rule: String,
}

impl Decision {
    /// Whether any recipient is refused (or the message as a whole).
    pub fn refuses(&self) -> bool {
        self.refusal.is_some() || self.recipients.iter().any(|r| r.refused.is_some())
    }

    /// Each refused recipient as an error of `file` at the recipient's
    /// field, unlocated (see [`crate::locate`]); the whole-message refusal
    /// when there are no recipients to name.
    pub fn diagnostics(&self, file: &str) -> Vec<Diagnostic> {
        let refused: Vec<Diagnostic> = self
            .recipients
            .iter()
            .filter_map(|r| {
                let why = r.refused.as_deref()?;
                let d = Diagnostic::error(
                    file,
                    format!("`{}` may not receive this brief: {why}", r.text.trim()),
                );
                Some(d.path(&r.field))
            })
            .collect();
        if !refused.is_empty() {
            return refused;
        }
        self.refusal
            .iter()
            .map(|why| {
                Diagnostic::error(file, format!("not mailed: {why}")).path("brief.classification")
            })
            .collect()
    }
}

/// Whether `marking` is at or above SECRET on a known scale: any marking
/// with the word SECRET in it (`SECRET`, `TOP SECRET`, `NATO SECRET`,
/// `COSMIC TOP SECRET`, `SECRET UE`, `TRÈS SECRET UE`), or, on the house's
/// own scale, any level at or above one that is.
pub(crate) fn above_floor(marking: &str, house: Option<&Scale>) -> bool {
    let secret = |m: &str| {
        crate::document::marking(m).split(|c: char| !c.is_alphanumeric()).any(|w| w == "SECRET")
    };
    if secret(marking) {
        return true;
    }
    let Some(scale) = house else { return false };
    let first = scale.levels.iter().position(|l| secret(l));
    matches!((first, scale.rank(marking)), (Some(floor), Some(rank)) if rank >= floor)
}

/// The scales a marking is looked up in: the policy's own, then the shipped ones.
fn scales(policy: Option<&Policy>) -> Vec<Scale> {
    let mut all: Vec<Scale> = policy.and_then(|p| p.scale.clone()).into_iter().collect();
    all.extend(marking::shipped());
    all
}

/// Every marking the scales know, for did-you-mean.
fn known_markings(scales: &[Scale]) -> Vec<String> {
    let mut out = Vec::new();
    for s in scales {
        for l in &s.levels {
            out.push(l.clone());
            out.extend(s.prefixes.iter().map(|p| format!("{p} {l}")));
        }
    }
    out
}

/// The known marking `m` is closest to, when it is close enough to be a misspelling.
fn close_to_known(m: &str, scales: &[Scale]) -> Option<String> {
    let known = known_markings(scales);
    did_you_mean(&normal(m), known.iter().map(String::as_str)).map(String::from)
}

/// The canonical form of a marking, as [`Scale::rank`] compares them.
fn normal(m: &str) -> String {
    let upper = crate::document::marking(m);
    let words: Vec<&str> = upper.split_whitespace().collect();
    words.join(" ").replace("OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE")
}

/// A marking without the `NATO` or `EU` prefix of its scale.
fn bare(m: &str) -> String {
    let n = normal(m);
    ["NATO ", "EU "].iter().find_map(|p| n.strip_prefix(p)).map_or(n.clone(), String::from)
}

/// The recipients of `brief`'s distribution as (field, text): `to`, then `cc`.
pub fn recipients(brief: &Brief) -> Vec<(String, String)> {
    let Some(d) = &brief.distribution else { return Vec::new() };
    let list = |name: &str, entries: &[String]| -> Vec<(String, String)> {
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("distribution.{name}[{i}]"), e.clone()))
            .collect()
    };
    let mut out = list("to", &d.to);
    out.extend(list("cc", &d.cc));
    out
}

/// Decides who of `recipients` (field, text) may receive a message of a
/// brief marked `marking` under `policy` (or the floor alone).
pub fn decide(
    marking: Option<&str>,
    recipients: &[(String, String)],
    policy: Option<&Policy>,
) -> Decision {
    let marking = marking.map(str::trim).filter(|m| !m.is_empty());
    let scales = scales(policy);
    let house = policy.and_then(|p| p.scale.as_ref());
    let mut decision = Decision {
        marking: marking.map(crate::document::marking),
        recipients: Vec::new(),
        refusal: None,
        tls: false,
        signed: None,
        rule: "no policy: the built-in floor".into(),
    };
    let mut rule: Option<&Rule> = None;
    match marking {
        Some(m) if above_floor(m, house) => {
            decision.refusal = Some(format!(
                "`{}` is at or above SECRET, and the built-in floor never puts such a brief in an e-mail (no policy or flag lowers it)",
                crate::document::marking(m)
            ));
            decision.rule = "the built-in floor (SECRET and above)".into();
        }
        // A marking no scale knows: under a policy no rule can say who may
        // receive it; without one, a near miss of a known marking (`SECERT`,
        // `OFFICAL`) is refused as the misspelling it is, and a marking of
        // another government's own words (`رسمي`) is left to the policy.
        Some(m)
            if scales.iter().all(|s| s.rank(m).is_none())
                && (policy.is_some() || close_to_known(m, &scales).is_some()) =>
        {
            let mut why = format!(
                "`{}` is on no known scale of markings, so no rule can say who may receive it",
                crate::document::marking(m)
            );
            if let Some(close) = close_to_known(m, &scales) {
                why.push_str(&format!(" (did you mean `{close}`?)"));
            }
            decision.refusal = Some(why);
            decision.rule = "the built-in floor (unknown marking)".into();
        }
        Some(m) if scales.iter().all(|s| s.rank(m).is_none()) => {}
        Some(m) => {
            if let Some(p) = policy {
                let n = normal(m);
                // As written first (`NATO RESTRICTED`), else without its prefix.
                let found = p
                    .rules
                    .iter()
                    .find(|r| normal(&r.marking) == n)
                    .or_else(|| p.rules.iter().find(|r| bare(&r.marking) == bare(m)));
                match found {
                    Some(r) => rule = Some(r),
                    None => {
                        decision.refusal = Some(format!(
                            "the policy {} has no rule for `{}`",
                            p.file,
                            crate::document::marking(m)
                        ));
                        decision.rule = format!("{} (no rule for {n})", p.file);
                    }
                }
            }
        }
        None => {
            rule = policy.and_then(|p| p.unmarked.as_ref());
            if let (None, Some(p)) = (rule, policy) {
                decision.rule = format!(
                    "{}: no `unmarked:` rule, so an unmarked brief may go to anyone",
                    p.file
                );
            }
        }
    }
    if let Some(r) = rule {
        decision.rule = format!("{} ({})", r.at, r.marking);
        decision.tls = r.tls;
        decision.signed = r.signed.then(|| format!("{} ({})", r.at, r.marking));
        if !r.email {
            decision.refusal = Some(format!("{}: `{}` may not go by e-mail", r.at, r.marking));
        }
    }
    for (field, text) in recipients {
        let address = crate::mail::address::parse(field, text)
            .map(|m| m.email.to_string().to_lowercase())
            .unwrap_or_else(|_| text.trim().to_lowercase());
        let (refused, allowed) = match (&decision.refusal, rule) {
            (Some(why), _) => (Some(why.clone()), String::new()),
            (None, Some(r)) => judge(r, &address),
            (None, None) => (None, decision.rule.clone()),
        };
        decision.recipients.push(Recipient {
            field: field.clone(),
            text: text.clone(),
            address,
            refused,
            allowed,
        });
    }
    decision
}

/// One address under one rule: (why refused, what allowed it).
fn judge(rule: &Rule, address: &str) -> (Option<String>, String) {
    let Some(domains) = &rule.domains else {
        return (None, format!("{}: `{}` may go to any address", rule.at, rule.marking));
    };
    if rule.addresses.iter().any(|a| a == address) {
        return (None, format!("{}: `{address}` is listed for `{}`", rule.at, rule.marking));
    }
    let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
    if let Some(d) = domains.iter().find(|d| domain_matches(d, domain)) {
        return (None, format!("{}: domain {d} is allowed for `{}`", rule.at, rule.marking));
    }
    let mut allowed: Vec<String> = domains.clone();
    allowed.extend(rule.addresses.iter().cloned());
    let list = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
    (
        Some(format!(
            "{}: `{domain}` is not among the recipients allowed for `{}` ({list})",
            rule.at, rule.marking
        )),
        String::new(),
    )
}

/// `example.gov` matches that domain only; `*.example.gov` its subdomains.
fn domain_matches(pattern: &str, domain: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(parent) => {
            domain.strip_suffix(parent).is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
        }
        None => pattern == domain,
    }
}

/// Reads and checks the policy file at `path`, every problem at once.
pub fn read(path: &Path) -> Result<Policy, Vec<Diagnostic>> {
    use std::io::Read;
    let name = path.display().to_string();
    let fail = |e: std::io::Error| {
        vec![
            Diagnostic::error(&name, format!("cannot read the policy ({e})"))
                .hint("--policy, BRIEF_POLICY and brief.toml's `policy` name a YAML policy file"),
        ]
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if !meta.is_file() {
        return Err(vec![Diagnostic::error(&name, "the policy is not a regular file")]);
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(fail)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(vec![Diagnostic::error(
            &name,
            format!("the policy is larger than {} KiB", MAX_BYTES >> 10),
        )]);
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| vec![Diagnostic::error(&name, "the policy is not UTF-8 text")])?;
    parse(&name, &text)
}

/// Parses a policy's text; `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let mut r = Reader { file, lines: text.lines().collect(), diags: Vec::new() };
    let root = match tree::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(vec![
                Diagnostic::error(file, "the policy is empty")
                    .expected("`markings:` with a rule per marking"),
            ]);
        }
        Err(e) => {
            let d = Diagnostic::error(file, format!("invalid YAML: {}", e.message));
            return Err(vec![d.at(e.pos.map(|p| r.span(p)))]);
        }
    };
    let mut policy =
        Policy { file: file.to_string(), scale: None, rules: Vec::new(), unmarked: None };
    let Some(top) = r.map(&root, "", "a mapping with `markings:`") else { return Err(r.diags) };
    let mut markings = None;
    for (key, value, line) in r.keys(top, TOP, "") {
        match key {
            "markings" => markings = Some(value),
            "scale" => {
                let levels = r.strings(value, "scale");
                if levels.is_empty() {
                    r.error(
                        value.pos,
                        "scale",
                        "the scale is empty",
                        "markings, lowest first: [LOW, …, HIGH]",
                    );
                } else {
                    policy.scale = Some(Scale::theme(&levels));
                }
            }
            _ => policy.unmarked = r.rule(value, "unmarked", "(unmarked)", line),
        }
    }
    let Some(markings) = markings else {
        r.diags.push(
            Diagnostic::error(file, "the policy has no `markings:`")
                .at(Some(r.span(root.pos)))
                .expected("`markings:` with a rule per marking, e.g. `OFFICIAL: {email: true}`"),
        );
        return Err(r.diags);
    };
    let scales = scales(Some(&policy));
    let known = known_markings(&scales);
    let Some(pairs) =
        r.map(markings, "markings", "a rule per marking, e.g. `OFFICIAL: {email: true}`")
    else {
        return Err(r.diags);
    };
    let mut seen: Vec<String> = Vec::new();
    for (k, v) in pairs {
        let name = k.key_text();
        let path = format!("markings.{name}");
        let n = normal(&name);
        if scales.iter().all(|s| s.rank(&name).is_none()) {
            let mut d = Diagnostic::error(file, format!("unknown marking `{name}`"))
                .at(Some(r.span(k.pos)))
                .path(&path)
                .expected(
                    "a marking of the UK, US or NATO/EU scale, or of the policy's own `scale:`",
                );
            if let Some(close) = did_you_mean(&n, known.iter().map(String::as_str)) {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            r.diags.push(d);
            continue;
        }
        if seen.contains(&n) {
            r.error(k.pos, &path, format!("`{name}` has a rule already"), "one rule per marking");
            continue;
        }
        seen.push(n.clone());
        if let Some(rule) = r.rule(v, &path, &n, k.pos.line) {
            if rule.email && above_floor(&n, policy.scale.as_ref()) {
                r.error(
                    v.pos,
                    &format!("{path}.email"),
                    format!("`{n}` is at or above SECRET: the built-in floor never mails it, and no policy can allow it"),
                    "email: false",
                );
            }
            policy.rules.push(rule);
        }
    }
    if r.diags.is_empty() { Ok(policy) } else { Err(r.diags) }
}

/// Walks the policy's tree, collecting every problem.
struct Reader<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
    diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn span(&self, p: Pos) -> Span {
        let text = self.lines.get(p.line.saturating_sub(1)).copied().unwrap_or_default();
        Span { line: p.line, col: p.col, len: p.len.max(1), text: text.to_string() }
    }

    fn error(&mut self, pos: Pos, path: &str, why: impl Into<String>, expected: &str) {
        let d = Diagnostic::error(self.file, why)
            .at(Some(self.span(pos)))
            .path(path)
            .expected(expected);
        self.diags.push(d);
    }

    fn map<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        expected: &str,
    ) -> Option<&'n [(Node, Node)]> {
        match &node.resolve().value {
            Value::Map(pairs) => Some(pairs),
            _ => {
                let at = if path.is_empty() { "the policy" } else { path };
                self.error(node.pos, path, format!("{at} is not a mapping"), expected);
                None
            }
        }
    }

    /// The known keys of a mapping, in order; an unknown one is an error with a did-you-mean.
    fn keys<'n>(
        &mut self,
        pairs: &'n [(Node, Node)],
        known: &'static [&'static str],
        prefix: &str,
    ) -> Vec<(&'static str, &'n Node, usize)> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for (k, v) in pairs {
            let name = k.key_text();
            match known.iter().find(|n| **n == name) {
                Some(n) if seen.contains(n) => {
                    self.error(
                        k.pos,
                        &format!("{prefix}{name}"),
                        format!("`{name}` is given twice"),
                        "each key once",
                    );
                }
                Some(n) => {
                    seen.push(*n);
                    out.push((*n, v, k.pos.line));
                }
                None => {
                    let mut d =
                        Diagnostic::error(self.file, format!("unknown key `{prefix}{name}`"))
                            .at(Some(self.span(k.pos)))
                            .expected(format!("one of: {}", known.join(", ")));
                    if let Some(close) = did_you_mean(&name, known.iter().copied()) {
                        d = d.hint(format!("did you mean `{prefix}{close}`?"));
                    }
                    self.diags.push(d);
                }
            }
        }
        out
    }

    fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        match &node.resolve().value {
            Value::Scalar(Scalar::Bool(b), _) => Some(*b),
            Value::Scalar(_, raw) => {
                self.error(
                    node.pos,
                    path,
                    format!("`{raw}` is not true or false"),
                    "true or false",
                );
                None
            }
            _ => {
                self.error(
                    node.pos,
                    path,
                    format!("`{path}` is not true or false"),
                    "true or false",
                );
                None
            }
        }
    }

    /// A list of strings (a single string is taken as a list of one).
    fn strings_spanned(&mut self, node: &Node, path: &str) -> Vec<(Pos, String)> {
        let items: Vec<&Node> = match &node.resolve().value {
            Value::Seq(items) => items.iter().collect(),
            Value::Scalar(Scalar::Str(_), _) => vec![node],
            _ => {
                self.error(
                    node.pos,
                    path,
                    format!("`{path}` is not a list"),
                    "a list, e.g. [example.gov, example.org]",
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match &item.resolve().value {
                Value::Scalar(Scalar::Str(s), _) => out.push((item.pos, s.clone())),
                Value::Scalar(_, raw) => out.push((item.pos, raw.clone())),
                _ => self.error(item.pos, &format!("{path}[{i}]"), "not a text", "a text"),
            }
        }
        out
    }

    fn strings(&mut self, node: &Node, path: &str) -> Vec<String> {
        self.strings_spanned(node, path).into_iter().map(|(_, s)| s).collect()
    }

    /// The rule at `node`, under the key at line `line` (which rules name).
    fn rule(&mut self, node: &Node, path: &str, marking: &str, line: usize) -> Option<Rule> {
        let pairs =
            self.map(node, path, "`email: true` or `email: false`, and what else the rule says")?;
        let mut rule = Rule {
            marking: marking.to_string(),
            at: format!("{}:{line}", self.file),
            email: false,
            domains: None,
            addresses: Vec::new(),
            tls: false,
            signed: false,
        };
        let before = self.diags.len();
        let (mut email, mut email_given) = (None, false);
        let prefix = format!("{path}.");
        for (key, value, _) in self.keys(pairs, RULE, &prefix) {
            let field = format!("{path}.{key}");
            match key {
                "email" => {
                    email_given = true;
                    email = self.boolean(value, &field);
                }
                "tls" => rule.tls = self.boolean(value, &field).unwrap_or(false),
                "signed" => rule.signed = self.boolean(value, &field).unwrap_or(false),
                "domains" => {
                    let mut domains = Vec::new();
                    for (i, (pos, d)) in self.strings_spanned(value, &field).into_iter().enumerate()
                    {
                        let d = d.trim().to_lowercase();
                        let name = d.strip_prefix("*.").unwrap_or(&d);
                        if valid_domain(name) {
                            domains.push(d);
                        } else {
                            self.error(
                                pos,
                                &format!("{field}[{i}]"),
                                format!("`{d}` is not a domain name"),
                                "a domain such as example.gov, or *.example.gov for its subdomains",
                            );
                        }
                    }
                    rule.domains = Some(domains);
                }
                _ => {
                    for (i, (pos, a)) in self.strings_spanned(value, &field).into_iter().enumerate()
                    {
                        let f = format!("{field}[{i}]");
                        match crate::mail::address::parse(&f, &a) {
                            Ok(m) => rule.addresses.push(m.email.to_string().to_lowercase()),
                            Err(e) => self.error(
                                pos,
                                &f,
                                e.to_string(),
                                "an address such as desk@example.gov",
                            ),
                        }
                    }
                    rule.domains.get_or_insert_with(Vec::new);
                }
            }
        }
        match email {
            Some(e) => rule.email = e,
            None if !email_given => {
                self.error(
                    node.pos,
                    &format!("{path}.email"),
                    format!("the rule for `{marking}` does not say whether it may go by e-mail"),
                    "`email: true` or `email: false`",
                );
            }
            None => {}
        }
        (self.diags.len() == before).then_some(rule)
    }
}

/// Letters, digits and hyphens in dot-separated labels, at least two labels.
fn valid_domain(d: &str) -> bool {
    let labels: Vec<&str> = d.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "markings:\n  OFFICIAL:\n    email: true\n  official sensitive:\n    email: true\n    domains: [example.gov, \"*.partner.example\"]\n    addresses: [\"Liaison <liaison@other.example>\"]\n    tls: true\n    signed: true\n  NATO RESTRICTED:\n    email: false\n";

    fn to(addresses: &[&str]) -> Vec<(String, String)> {
        addresses
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("distribution.to[{i}]"), a.to_string()))
            .collect()
    }

    fn refused(d: &Decision) -> Vec<bool> {
        d.recipients.iter().map(|r| r.refused.is_some()).collect()
    }

    #[test]
    fn domains_subdomains_and_single_addresses() {
        let p = parse("p.yaml", POLICY).unwrap();
        let d = decide(
            Some("OFFICIAL-SENSITIVE"),
            &to(&[
                "A <a@example.gov>",
                "b@example.com",
                "c@x.partner.example",
                "d@partner.example",
                "LIAISON@other.example",
                "e@sub.example.gov",
            ]),
            Some(&p),
        );
        assert_eq!(refused(&d), [false, true, false, true, false, true]);
        assert!(d.tls);
        assert_eq!(d.signed.as_deref(), Some("p.yaml:4 (OFFICIAL-SENSITIVE)"));
        let why = d.recipients[1].refused.as_deref().unwrap();
        assert_eq!(
            why,
            "p.yaml:4: `example.com` is not among the recipients allowed for `OFFICIAL-SENSITIVE` (example.gov, *.partner.example, liaison@other.example)"
        );
        // Any recipient for OFFICIAL; prefixed markings find their rule.
        assert!(!decide(Some("official"), &to(&["x@anywhere.example"]), Some(&p)).refuses());
        let nato = decide(Some("NATO RESTRICTED"), &to(&["a@example.gov"]), Some(&p));
        assert!(nato.refusal.as_deref().unwrap().contains("may not go by e-mail"), "{nato:?}");
    }

    #[test]
    fn the_floor_holds_with_and_without_a_policy() {
        for m in ["SECRET", "top secret", "NATO SECRET", "COSMIC TOP SECRET", "Secret UK Eyes Only"]
        {
            assert!(above_floor(m, None), "{m}");
            let d = decide(Some(m), &to(&["a@example.gov"]), None);
            assert!(d.refusal.as_deref().unwrap().contains("at or above SECRET"), "{m}: {d:?}");
        }
        for m in ["OFFICIAL", "OFFICIAL-SENSITIVE", "CONFIDENTIAL", "NATO RESTRICTED"] {
            assert!(!above_floor(m, None), "{m}");
        }
        let house = parse(
            "h.yaml",
            "scale: [PUBLIC, INTERNAL, SECRET, VAULT]\nmarkings:\n  PUBLIC: {email: true}\n",
        )
        .unwrap();
        assert!(above_floor("VAULT", house.scale.as_ref()));
        assert!(!above_floor("INTERNAL", house.scale.as_ref()));
        let d = decide(Some("VAULT"), &to(&["a@example.gov"]), Some(&house));
        assert!(d.refuses());
        let errors = parse("h.yaml", "markings:\n  TOP SECRET:\n    email: true\n").unwrap_err();
        assert!(errors[0].message.contains("no policy can allow it"), "{errors:?}");
    }

    #[test]
    fn unknown_markings_are_refused_when_a_policy_or_a_near_miss_says_so() {
        let d = decide(Some("SECERT"), &to(&["a@example.gov"]), None);
        assert!(d.refusal.as_deref().unwrap().contains("did you mean `SECRET`?"), "{d:?}");
        let d = decide(Some("OFFICAL"), &to(&["a@example.gov"]), None);
        assert!(d.refuses(), "a misspelt marking never slips through");
        // Another government's own words: only a policy can rule on them.
        assert!(!decide(Some("رسمي"), &to(&["a@example.gov"]), None).refuses());
        let p = parse("p.yaml", POLICY).unwrap();
        assert!(decide(Some("رسمي"), &to(&["a@example.gov"]), Some(&p)).refuses());
        // A known marking without a rule is refused under a policy.
        let d = decide(Some("CONFIDENTIAL"), &to(&["a@example.gov"]), Some(&p));
        assert!(d.refusal.as_deref().unwrap().contains("has no rule for `CONFIDENTIAL`"), "{d:?}");
        // Unmarked briefs go anywhere without an `unmarked:` rule.
        assert!(!decide(None, &to(&["a@example.com"]), Some(&p)).refuses());
    }

    #[test]
    fn every_problem_of_a_policy_is_located_at_once() {
        let text = "markings:\n  OFFICAL:\n    email: true\n  OFFICIAL-SENSITIVE:\n    email: yes\n    domain: [example.gov]\n    domains: [\"not a domain\"]\n  UNCLASSIFIED:\n    tls: true\nscael: [A]\n";
        let errors = parse("p.yaml", text).unwrap_err();
        let at: Vec<(usize, usize)> =
            errors.iter().map(|d| d.span.as_ref().map_or((0, 0), |s| (s.line, s.col))).collect();
        assert_eq!(at, [(10, 1), (2, 3), (6, 5), (5, 12), (7, 15), (9, 5)], "{errors:#?}");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `scale`?"));
        assert_eq!(errors[1].hint.as_deref(), Some("did you mean `OFFICIAL`?"));
        assert_eq!(
            errors[2].hint.as_deref(),
            Some("did you mean `markings.OFFICIAL-SENSITIVE.domains`?")
        );
        assert!(errors[5].message.contains("does not say whether it may go by e-mail"));
        assert!(parse("p.yaml", "scale: [A]\n").unwrap_err()[0].message.contains("no `markings:`"));
        assert!(parse("p.yaml", "markings: [\n").is_err());
    }
}
