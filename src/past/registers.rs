//! The change report's register part: entries added to, closed in and removed from the audit
//! programme, the findings log, the evidence register and the record of management reviews.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::Project;

/// A register entry as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    /// Its id (a management review's date).
    pub id: String,
    /// Its title (a finding's description).
    pub title: String,
}

/// What changed in one register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterChange {
    /// `audits`, `findings`, `evidence` or `management-reviews`.
    pub register: &'static str,
    /// New entries.
    pub added: Vec<EntryRef>,
    /// Entries closed: an audit performed, a finding closed.
    pub closed: Vec<EntryRef>,
    /// Entries no longer in the register.
    pub removed: Vec<EntryRef>,
}

/// One register's entries at one end: id, title, whether closed.
type Entries = Vec<(String, String, bool)>;

fn entries(project: &Project) -> [(&'static str, Entries); 4] {
    let r = &project.registers;
    [
        (
            "audits",
            r.audits
                .audits
                .iter()
                .map(|a| (a.id.clone(), a.title.clone(), a.performed.is_some()))
                .collect(),
        ),
        (
            "findings",
            r.findings
                .findings
                .iter()
                .map(|f| {
                    let title = f.description.clone().unwrap_or_default();
                    (f.id.clone(), title, f.closed.is_some())
                })
                .collect(),
        ),
        (
            "evidence",
            r.evidence
                .items
                .iter()
                .map(|e| (e.id.clone(), e.title.clone(), false))
                .collect(),
        ),
        (
            "management-reviews",
            r.reviews
                .reviews
                .iter()
                .map(|m| {
                    let date = m.date.value.to_string();
                    (date.clone(), format!("Management review of {date}"), false)
                })
                .collect(),
        ),
    ]
}

/// The registers that changed from `old` to `new`, in that order.
pub fn compare(old: &Project, new: &Project) -> Vec<RegisterChange> {
    let entry = |(id, title, _): &(String, String, bool)| EntryRef {
        id: id.clone(),
        title: title.clone(),
    };
    entries(old)
        .into_iter()
        .zip(entries(new))
        .filter_map(|((register, before), (_, after))| {
            let was: HashMap<&str, bool> =
                before.iter().map(|(id, _, c)| (id.as_str(), *c)).collect();
            let now: HashMap<&str, bool> =
                after.iter().map(|(id, _, c)| (id.as_str(), *c)).collect();
            let change = RegisterChange {
                register,
                added: after
                    .iter()
                    .filter(|e| !was.contains_key(e.0.as_str()))
                    .map(entry)
                    .collect(),
                closed: after
                    .iter()
                    .filter(|e| e.2 && was.get(e.0.as_str()) == Some(&false))
                    .map(entry)
                    .collect(),
                removed: before
                    .iter()
                    .filter(|e| !now.contains_key(e.0.as_str()))
                    .map(entry)
                    .collect(),
            };
            let changed =
                !(change.added.is_empty() && change.closed.is_empty() && change.removed.is_empty());
            changed.then_some(change)
        })
        .collect()
}
