//! The clearance record: who drafted, cleared and approved a brief, each
//! date checked against the brief's, and the status that follows from it.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Status, Validator, raw};

/// The clearance, dates parsed.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Clearance {
    /// Who drafted it.
    pub drafted_by: Option<Signoff>,
    /// Who cleared it, in order.
    pub cleared_by: Vec<Signoff>,
    /// Who approved it.
    pub approved_by: Option<Signoff>,
}

/// One step of the clearance.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Signoff {
    /// Full name.
    pub name: String,
    /// Role or post.
    pub role: Option<String>,
    /// When.
    pub date: NaiveDate,
    /// A remark printed with the step.
    pub note: Option<String>,
}

impl Validator<'_> {
    /// The status: as written, else follows the clearance (a brief that
    /// records one is a draft until someone cleared it). `final` says the
    /// brief is cleared, so with a clearance record it must name a clearer.
    pub(super) fn status(&mut self, raw: &raw::Source, clearance: Option<&Clearance>) -> Status {
        let clearers = clearance.map(|c| c.cleared_by.len());
        match (raw.brief.status, clearers) {
            (Some(Status::Final), Some(0)) => {
                let d = self.index.error(
                    "brief.status",
                    "`status: final` says the brief is cleared, but `clearance.cleared_by` names no one",
                );
                self.diags.push(
                    d.expected("at least one clearer under `clearance.cleared_by`")
                        .hint("add who cleared it (name, role, date), or write `status: draft`"),
                );
                Status::Final
            }
            (Some(s), _) => s,
            (None, Some(0)) => Status::Draft,
            (None, _) => Status::Final,
        }
    }

    /// Each step's date, checked not to follow the brief's unless its note says why.
    pub(super) fn clearance(&mut self, raw: &raw::Clearance, brief_date: NaiveDate) -> Clearance {
        let step = |v: &mut Self, path: String, s: &raw::Signoff| {
            v.not_blank(&format!("{path}.name"), &s.name);
            let date = v.date(&format!("{path}.date"), &s.date);
            let said = s.note.as_deref().is_some_and(|n| !n.trim().is_empty());
            if date > brief_date && brief_date != NaiveDate::MIN && !said {
                let d = v.index.error(
                    &format!("{path}.date"),
                    format!("{date} is after the brief's date ({brief_date})"),
                );
                v.diags.push(
                    d.expected(format!("a date on or before {brief_date}"))
                        .hint("correct the date, or say why in this step's `note:`"),
                );
            }
            Signoff { name: s.name.clone(), role: s.role.clone(), date, note: s.note.clone() }
        };
        Clearance {
            drafted_by: raw
                .drafted_by
                .as_ref()
                .map(|s| step(self, "clearance.drafted_by".into(), s)),
            cleared_by: raw
                .cleared_by
                .iter()
                .enumerate()
                .map(|(i, s)| step(self, format!("clearance.cleared_by[{i}]"), s))
                .collect(),
            approved_by: raw
                .approved_by
                .as_ref()
                .map(|s| step(self, "clearance.approved_by".into(), s)),
        }
    }
}
