//! The registers' exports: `audits.csv`, `findings.csv` and `evidence.csv`, and the registers'
//! events of the review calendar (planned audits, corrective actions, evidence expiries and the
//! next management review).

use jiff::civil::Date;

use crate::model::Project;
use crate::registers::scope::Clause;
use crate::render::view::{action_summary, audit_state, evidence_state};
use crate::render::xlsx::Cell;
use crate::text::ics_text;
use crate::tomlread::Located;

use super::{Table, compact};

const AUDIT_COLUMNS: &[(&str, &str)] = &[
    ("id", "Audit"),
    ("title", "Title"),
    ("scope", "Controls"),
    ("clauses", "Clauses"),
    ("planned", "Planned"),
    ("performed", "Performed"),
    ("status", "Status"),
    ("auditor", "Auditor"),
    ("report", "Report"),
    ("findings", "Findings"),
];

const FINDING_COLUMNS: &[(&str, &str)] = &[
    ("id", "Finding"),
    ("raised", "Raised"),
    ("source", "Source"),
    ("kind", "Kind"),
    ("clauses", "Clauses"),
    ("controls", "Controls"),
    ("description", "Description"),
    ("owner", "Owner"),
    ("cause", "Root cause"),
    ("actions", "Corrective actions"),
    ("closed", "Closed"),
    ("verified_by", "Verified by"),
    ("status", "Status"),
];

const EVIDENCE_COLUMNS: &[(&str, &str)] = &[
    ("id", "Evidence"),
    ("title", "Title"),
    ("controls", "Controls"),
    ("owner", "Owner"),
    ("collected", "Collected"),
    ("expires", "Expires"),
    ("status", "Status"),
    ("location", "Location"),
];

fn date(d: &Option<Located<Date>>) -> Cell {
    Cell::text(d.as_ref().map(|d| d.value.to_string()))
}

fn clause_list(list: &[Located<Clause>]) -> Cell {
    let ids: Vec<&str> = list.iter().map(|c| c.value).collect();
    Cell::from(ids.join("; "))
}

fn control_list(project: &Project, keys: impl Iterator<Item = crate::catalog::ControlKey>) -> Cell {
    let ids: Vec<String> = keys.map(|k| project.frameworks.display_id(k)).collect();
    Cell::from(ids.join("; "))
}

/// One row per audit, in file order; `status` is `performed`, `overdue`, `planned` or
/// `unscheduled`, `findings` the ids of the findings whose source it is.
pub(super) fn audits_table(project: &Project) -> Table {
    let registers = &project.registers;
    let rows = registers
        .audits
        .audits
        .iter()
        .enumerate()
        .map(|(i, audit)| {
            let findings: Vec<&str> = registers
                .findings
                .findings
                .iter()
                .filter(|f| f.audit == Some(i))
                .map(|f| f.id.as_str())
                .collect();
            vec![
                Cell::from(audit.id.as_str()),
                Cell::from(audit.title.as_str()),
                control_list(project, audit.scope.iter().map(|c| c.value)),
                clause_list(&audit.clauses),
                date(&audit.planned),
                date(&audit.performed),
                Cell::from(audit_state(audit, project.today).0),
                Cell::text(audit.auditor.as_ref().map(|a| a.value.as_str())),
                Cell::text(audit.report.as_ref().map(|r| r.value.as_str())),
                Cell::from(findings.join("; ")),
            ]
        })
        .collect();
    Table {
        columns: AUDIT_COLUMNS,
        rows,
    }
}

/// One row per finding, in file order; `actions` as the risk register writes them
/// (`CA-1 Fix it (due 2026-10-01, overdue)`), `status` `open` or `closed`.
pub(super) fn findings_table(project: &Project) -> Table {
    let rows = project
        .registers
        .findings
        .findings
        .iter()
        .map(|finding| {
            let actions: Vec<String> = finding
                .actions
                .iter()
                .map(|a| action_summary(a, project.today))
                .collect();
            vec![
                Cell::from(finding.id.as_str()),
                date(&finding.raised),
                Cell::text(finding.source.as_ref().map(|s| s.value.as_str())),
                Cell::from(finding.kind.value.as_str()),
                clause_list(&finding.clauses),
                control_list(project, finding.controls.iter().map(|c| c.value)),
                Cell::text(finding.description.as_deref()),
                Cell::text(finding.owner.as_deref()),
                Cell::text(finding.cause.as_deref()),
                Cell::from(actions.join("; ")),
                date(&finding.closed),
                Cell::text(finding.verified_by.as_deref()),
                Cell::from(if finding.is_open() { "open" } else { "closed" }),
            ]
        })
        .collect();
    Table {
        columns: FINDING_COLUMNS,
        rows,
    }
}

/// One row per evidence item, in file order; `expires` computed from `valid_for` where given,
/// `status` `valid`, `expiring`, `expired` or `no-expiry`.
pub(super) fn evidence_table(project: &Project) -> Table {
    let rows = project
        .registers
        .evidence
        .items
        .iter()
        .map(|item| {
            let keys = item.controls.iter().map(|c| c.value);
            let mut controls = match control_list(project, keys) {
                Cell::Text(t) => t,
                Cell::Number(n) => n.to_string(),
            };
            for clause in &item.clauses {
                if !controls.is_empty() {
                    controls.push_str("; ");
                }
                controls.push_str(clause.value);
            }
            vec![
                Cell::from(item.id.as_str()),
                Cell::from(item.title.as_str()),
                Cell::from(controls),
                Cell::text(item.owner.as_deref()),
                date(&item.collected),
                Cell::text(item.expires().map(|d| d.to_string())),
                Cell::from(evidence_state(project, item).0),
                Cell::text(item.location.as_ref().map(|l| l.value.as_str())),
            ]
        })
        .collect();
    Table {
        columns: EVIDENCE_COLUMNS,
        rows,
    }
}

/// One all-day event, as content lines.
fn event(uid: &str, stamp: &str, day: Date, summary: &str, description: &str) -> [String; 9] {
    let end = day.tomorrow().unwrap_or(day);
    [
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@annexa", ics_text(uid)),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;VALUE=DATE:{}", compact(&day.to_string())),
        format!("DTEND;VALUE=DATE:{}", compact(&end.to_string())),
        format!("SUMMARY:{}", ics_text(summary)),
        format!("DESCRIPTION:{}", ics_text(description)),
        "TRANSP:TRANSPARENT".to_string(),
        "END:VEVENT".to_string(),
    ]
}

/// The registers' calendar events: each audit planned and not performed, each open corrective
/// action with a due date, each evidence expiry, and the next management review.
pub(super) fn ics_events(project: &Project, stamp: &str, lines: &mut Vec<String>) {
    let registers = &project.registers;
    for audit in &registers.audits.audits {
        let Some(planned) = audit.planned.as_ref().filter(|_| audit.performed.is_none()) else {
            continue;
        };
        let auditor = audit
            .auditor
            .as_ref()
            .map_or("not assigned", |a| a.value.as_str());
        lines.extend(event(
            &format!("audit-{}", audit.id),
            stamp,
            planned.value,
            &format!("Internal audit planned: {} {}", audit.id, audit.title),
            &format!("Auditor: {auditor}"),
        ));
    }
    for finding in &registers.findings.findings {
        for action in finding.actions.iter().filter(|a| a.done.is_none()) {
            let Some(due) = action.due else {
                continue;
            };
            let owner = action
                .owner
                .as_deref()
                .or(finding.owner.as_deref())
                .unwrap_or("unassigned");
            lines.extend(event(
                &format!("action-{}", action.id),
                stamp,
                due,
                &format!(
                    "Corrective action due: {} {} ({})",
                    action.id, action.action, finding.id
                ),
                &format!(
                    "Owner: {owner}\nFinding: {} ({})",
                    finding.id,
                    finding.kind.value.as_str()
                ),
            ));
        }
    }
    for item in &registers.evidence.items {
        let Some(expires) = item.expires() else {
            continue;
        };
        lines.extend(event(
            &format!("evidence-{}", item.id),
            stamp,
            expires,
            &format!("Evidence expires: {} {}", item.id, item.title),
            &format!("Owner: {}", item.owner.as_deref().unwrap_or("unassigned")),
        ));
    }
    if let Some(due) = project.register_state.next_review_due {
        lines.extend(event(
            "management-review",
            stamp,
            due,
            "Management review due",
            &format!(
                "The next management review (ISO/IEC 27001:2022 9.3), {} after the last",
                registers.reviews.interval
            ),
        ));
    }
}
