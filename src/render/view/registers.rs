//! The views of the ISMS registers: each audit, finding and evidence item with its state in
//! words, the links it makes, and the short references control pages list.

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::ControlKey;
use crate::clauses::clauses;
use crate::links::Target;
use crate::model::Project;
use crate::registers::{Audit, Evidence, Finding, FindingKind};
use crate::routes::{audit_url, evidence_url, finding_url};
use crate::tomlread::Located;

use super::risks::{ActionView, action_view};
use super::{ControlRefView, control_ref};

/// A clause an entry names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseView {
    /// The canonical id (`9.2.2`, `6.1.3 d`).
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A path or URL a register names, as a link when it leads somewhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathView {
    /// As written.
    pub text: String,
    /// Where it leads: root-relative for a page or file of the site, absolute for an `http(s)`
    /// URL; `None` when it leads nowhere (missing, unpublished, or another scheme).
    pub url: Option<String>,
    /// Whether `url` leaves the site.
    pub external: bool,
}

/// A short reference to an audit, finding or evidence item, with its state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordRefView {
    /// Its id.
    pub id: String,
    /// Its title (for a finding: its kind and the start of its description).
    pub title: String,
    /// Its page.
    pub url: String,
    /// Its state, for CSS classes (`performed`, `open`, `expired`…).
    pub state: &'static str,
    /// The state in words.
    pub state_label: &'static str,
}

/// An internal audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// The controls in its scope.
    pub scope: Vec<ControlRefView>,
    /// The clauses in its scope.
    pub clauses: Vec<ClauseView>,
    /// When it is planned (`YYYY-MM-DD`).
    pub planned: Option<String>,
    /// When it was performed.
    pub performed: Option<String>,
    /// `performed`, `overdue` (planned before today, not performed), `planned` or `unscheduled`.
    pub state: &'static str,
    /// The state in words.
    pub state_label: &'static str,
    /// Who audits.
    pub auditor: Option<String>,
    /// The report.
    pub report: Option<PathView>,
    /// The findings whose `source` is this audit.
    pub findings: Vec<RecordRefView>,
}

/// A finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingView {
    /// Its id.
    pub id: String,
    /// Its page.
    pub url: String,
    /// When it was raised.
    pub raised: Option<String>,
    /// Its source as written.
    pub source: Option<String>,
    /// The audit it came from, when `source` names one.
    pub audit: Option<RecordRefView>,
    /// `major`, `minor`, `observation` or `opportunity`.
    pub kind: FindingKind,
    /// The kind in words (`Major nonconformity`).
    pub kind_label: &'static str,
    /// The clauses it concerns.
    pub clauses: Vec<ClauseView>,
    /// The controls it concerns.
    pub controls: Vec<ControlRefView>,
    /// What was found.
    pub description: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The root cause.
    pub cause: Option<String>,
    /// The corrective actions.
    pub actions: Vec<ActionView>,
    /// How many of them are overdue.
    pub overdue_actions: usize,
    /// When it was closed.
    pub closed: Option<String>,
    /// Who verified the correction.
    pub verified_by: Option<String>,
    /// `open` or `closed`.
    pub state: &'static str,
    /// The state in words.
    pub state_label: &'static str,
}

/// A piece of evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceView {
    /// Its id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Its page.
    pub url: String,
    /// The controls it evidences.
    pub controls: Vec<ControlRefView>,
    /// The clauses it evidences.
    pub clauses: Vec<ClauseView>,
    /// Who keeps it.
    pub owner: Option<String>,
    /// When it was collected.
    pub collected: Option<String>,
    /// When it expires.
    pub expires: Option<String>,
    /// `valid`, `expiring` (within `due_soon_days`), `expired` or `no-expiry`.
    pub state: &'static str,
    /// The state in words.
    pub state_label: &'static str,
    /// Where it is kept.
    pub location: Option<PathView>,
}

/// The audits, findings and evidence a control page lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ControlRecordsView {
    /// Audits with it in scope.
    pub audits: Vec<RecordRefView>,
    /// Findings about it.
    pub findings: Vec<RecordRefView>,
    /// Evidence for it.
    pub evidence: Vec<RecordRefView>,
}

fn date(d: &Option<Located<Date>>) -> Option<String> {
    d.as_ref().map(|d| d.value.to_string())
}

fn clause_views(list: &[Located<&'static str>]) -> Vec<ClauseView> {
    list.iter()
        .map(|c| ClauseView {
            id: c.value.to_string(),
            title: clauses().title(c.value).unwrap_or_default().to_string(),
        })
        .collect()
}

fn control_views(project: &Project, list: &[Located<ControlKey>]) -> Vec<ControlRefView> {
    list.iter().map(|c| control_ref(project, c.value)).collect()
}

/// A path a register names, as a link where it leads to a page or file, or to an `http(s)`
/// URL (no other scheme becomes a link: a `javascript:` location stays text).
fn path_view(project: &Project, text: &str, target: Option<&Target>) -> PathView {
    let external = matches!(target, Some(Target::External));
    let url = match target {
        Some(Target::Document { index, anchor }) => {
            let url = &project.documents[*index].url;
            Some(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            })
        }
        Some(Target::File { url } | Target::Page { url }) => Some(url.clone()),
        Some(Target::External) => {
            let lower = text.trim().to_ascii_lowercase();
            (lower.starts_with("https://") || lower.starts_with("http://"))
                .then(|| text.trim().to_string())
        }
        _ => None,
    };
    PathView {
        text: text.to_string(),
        external: external && url.is_some(),
        url,
    }
}

/// The state of an audit on `today`, with its label.
pub fn audit_state(audit: &Audit, today: Date) -> (&'static str, &'static str) {
    if audit.performed.is_some() {
        ("performed", "Performed")
    } else if audit.is_overdue(today) {
        ("overdue", "Overdue")
    } else if audit.planned.is_some() {
        ("planned", "Planned")
    } else {
        ("unscheduled", "Not scheduled")
    }
}

/// The kind of a finding in words.
pub fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Major => "Major nonconformity",
        FindingKind::Minor => "Minor nonconformity",
        FindingKind::Observation => "Observation",
        FindingKind::Opportunity => "Opportunity for improvement",
    }
}

/// The state of a piece of evidence on `today`, with its label.
pub fn evidence_state(project: &Project, item: &Evidence) -> (&'static str, &'static str) {
    let today = project.today;
    let soon = i64::from(project.config.reviews.due_soon_days);
    if item.expires().is_none() {
        ("no-expiry", "No expiry")
    } else if item.is_expired(today) {
        ("expired", "Expired")
    } else if item.is_expiring(today, soon) {
        ("expiring", "Expiring soon")
    } else {
        ("valid", "Valid")
    }
}

fn finding_state(finding: &Finding) -> (&'static str, &'static str) {
    if finding.is_open() {
        ("open", "Open")
    } else {
        ("closed", "Closed")
    }
}

/// A short reference to audit `i`.
pub fn audit_ref(project: &Project, i: usize) -> RecordRefView {
    let audit = &project.registers.audits.audits[i];
    let (state, state_label) = audit_state(audit, project.today);
    RecordRefView {
        id: audit.id.clone(),
        title: audit.title.clone(),
        url: audit_url(&audit.id),
        state,
        state_label,
    }
}

/// A short reference to finding `i`.
pub fn finding_ref(project: &Project, i: usize) -> RecordRefView {
    let finding = &project.registers.findings.findings[i];
    let (state, state_label) = finding_state(finding);
    RecordRefView {
        id: finding.id.clone(),
        title: kind_label(finding.kind.value).to_string(),
        url: finding_url(&finding.id),
        state,
        state_label,
    }
}

/// A short reference to evidence item `i`.
pub fn evidence_ref(project: &Project, i: usize) -> RecordRefView {
    let item = &project.registers.evidence.items[i];
    let (state, state_label) = evidence_state(project, item);
    RecordRefView {
        id: item.id.clone(),
        title: item.title.clone(),
        url: evidence_url(&item.id),
        state,
        state_label,
    }
}

/// The view of audit `i`.
pub fn audit_view(project: &Project, i: usize) -> AuditView {
    let audit = &project.registers.audits.audits[i];
    let (state, state_label) = audit_state(audit, project.today);
    let findings = project
        .registers
        .findings
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.audit == Some(i))
        .map(|(f, _)| finding_ref(project, f))
        .collect();
    AuditView {
        id: audit.id.clone(),
        title: audit.title.clone(),
        url: audit_url(&audit.id),
        scope: control_views(project, &audit.scope),
        clauses: clause_views(&audit.clauses),
        planned: date(&audit.planned),
        performed: date(&audit.performed),
        state,
        state_label,
        auditor: audit.auditor.as_ref().map(|a| a.value.clone()),
        report: audit
            .report
            .as_ref()
            .map(|r| path_view(project, &r.value, audit.report_target.as_ref())),
        findings,
    }
}

/// The view of finding `i`.
pub fn finding_view(project: &Project, i: usize) -> FindingView {
    let finding = &project.registers.findings.findings[i];
    let today = project.today;
    let (state, state_label) = finding_state(finding);
    FindingView {
        id: finding.id.clone(),
        url: finding_url(&finding.id),
        raised: date(&finding.raised),
        source: finding.source.as_ref().map(|s| s.value.clone()),
        audit: finding.audit.map(|a| audit_ref(project, a)),
        kind: finding.kind.value,
        kind_label: kind_label(finding.kind.value),
        clauses: clause_views(&finding.clauses),
        controls: control_views(project, &finding.controls),
        description: finding.description.clone(),
        owner: finding.owner.clone(),
        cause: finding.cause.clone(),
        actions: finding
            .actions
            .iter()
            .map(|a| action_view(a, today))
            .collect(),
        overdue_actions: finding
            .actions
            .iter()
            .filter(|a| a.is_overdue(today))
            .count(),
        closed: date(&finding.closed),
        verified_by: finding.verified_by.clone(),
        state,
        state_label,
    }
}

/// The view of evidence item `i`.
pub fn evidence_view(project: &Project, i: usize) -> EvidenceView {
    let item = &project.registers.evidence.items[i];
    let (state, state_label) = evidence_state(project, item);
    EvidenceView {
        id: item.id.clone(),
        title: item.title.clone(),
        url: evidence_url(&item.id),
        controls: control_views(project, &item.controls),
        clauses: clause_views(&item.clauses),
        owner: item.owner.clone(),
        collected: date(&item.collected),
        expires: item.expires().map(|d| d.to_string()),
        state,
        state_label,
        location: item
            .location
            .as_ref()
            .map(|l| path_view(project, &l.value, item.location_target.as_ref())),
    }
}

/// The audits, findings and evidence of control `key`.
pub fn control_records(project: &Project, key: ControlKey) -> ControlRecordsView {
    let records = project.registers.for_control(key);
    ControlRecordsView {
        audits: records
            .audits
            .iter()
            .map(|&i| audit_ref(project, i))
            .collect(),
        findings: records
            .findings
            .iter()
            .map(|&i| finding_ref(project, i))
            .collect(),
        evidence: records
            .evidence
            .iter()
            .map(|&i| evidence_ref(project, i))
            .collect(),
    }
}
