//! The lints of the risk register: treatment by excluded controls, acceptance and its record,
//! the appetite, and treatment actions (ISO/IEC 27001:2022 6.1.2, 6.1.3, 8.3).

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Lint};
use crate::model::Project;
use crate::review::days_between;
use crate::risks::Risk;

use super::{control_label, plural};

fn risks_file(project: &Project) -> &str {
    project
        .risks_file
        .as_deref()
        .unwrap_or(crate::risks::RISKS_FILE)
}

/// `risk-excluded-control`: a risk treated by a control the SoA excludes.
pub fn risk_controls(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for risk in &project.risks {
        for control in &risk.controls {
            let Some(entry) = project.soa_entry(control.value).filter(|e| !e.applicable) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Lint::RiskExcludedControl,
                    format!(
                        "risk {} is treated by control {}, which the SoA excludes",
                        risk.id,
                        control_label(project, control.value)
                    ),
                )
                .in_file(risks_file(project))
                .at(control.position)
                .with_help(format!(
                    "make the control applicable in soa.toml (line {}), or treat the risk with another control",
                    entry.position.line
                )),
            );
        }
    }
    out
}

/// `risk-acceptance-missing`, `risk-above-appetite` and `risk-acceptance-expired`: who
/// accepted a risk, at what level, and until when.
pub fn risk_acceptance(project: &Project) -> Vec<Diagnostic> {
    let file = risks_file(project);
    let mut out = Vec::new();
    for risk in &project.risks {
        if risk.is_accepted() && (risk.accepted_by.is_none() || risk.accepted_on.is_none()) {
            out.push(acceptance_missing(risk).in_file(file));
        }
        if let Some(d) = above_appetite(project, risk) {
            out.push(d.in_file(file));
        }
        if let Some(expires) = &risk.acceptance_expires
            && expires.value < project.today
        {
            let days = days_between(expires.value, project.today);
            out.push(
                Diagnostic::new(
                    Lint::RiskAcceptanceExpired,
                    format!(
                        "the acceptance of risk {} expired on {} ({} ago)",
                        risk.id,
                        expires.value,
                        plural(days, "day")
                    ),
                )
                .in_file(file)
                .at(expires.position)
                .with_help(format!(
                    "review the risk with its owner ({}), then renew the acceptance or change the treatment",
                    risk.owner.as_deref().unwrap_or("unassigned")
                )),
            );
        }
    }
    out
}

fn acceptance_missing(risk: &Risk) -> Diagnostic {
    let missing: Vec<&str> = [
        ("`accepted_by`", risk.accepted_by.is_none()),
        ("`accepted_on`", risk.accepted_on.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, absent)| absent.then_some(k))
    .collect();
    let at = match &risk.treatment {
        Some(t) if t.value == crate::risks::Treatment::Accept => t.position,
        _ => risk.status.position,
    };
    Diagnostic::new(
        Lint::RiskAcceptanceMissing,
        format!(
            "risk {} is accepted, but {} {} missing",
            risk.id,
            missing.join(" and "),
            if missing.len() == 1 { "is" } else { "are" }
        ),
    )
    .at(at)
    .with_help(
        "risk owners accept residual risks (ISO/IEC 27001:2022 6.1.3 f): record who accepted it and when",
    )
}

fn above_appetite(project: &Project, risk: &Risk) -> Option<Diagnostic> {
    use crate::risks::RiskStatus;
    let retained = risk.status.value == RiskStatus::Closed || risk.is_accepted();
    let score = risk.retained_score()?;
    let appetite = project.risk_criteria.appetite;
    if !retained || score <= appetite {
        return None;
    }
    let level = project.risk_criteria.level(score);
    let how = if risk.status.value == RiskStatus::Closed {
        "closed"
    } else {
        "accepted"
    };
    Some(
        Diagnostic::new(
            Lint::RiskAboveAppetite,
            format!(
                "risk {} is {how} at score {score} ({}), above the risk appetite of {appetite}",
                risk.id,
                level.as_str()
            ),
        )
        .at(risk.position)
        .with_help("treat it further, or record why it is accepted above the appetite"),
    )
}

/// `risk-action-overdue`, and `duplicate-id` for action ids used twice.
pub fn risk_actions(project: &Project) -> Vec<Diagnostic> {
    let file = risks_file(project);
    let mut out = Vec::new();
    let mut seen: HashMap<String, (&str, u32)> = HashMap::new();
    for risk in &project.risks {
        for action in &risk.actions {
            let key = action.id.to_lowercase();
            if let Some((other, line)) = seen.get(&key) {
                out.push(
                    Diagnostic::new(
                        Lint::DuplicateId,
                        format!("action id `{}` is already used", action.id),
                    )
                    .in_file(file)
                    .at(action.position)
                    .with_help(format!("risk {other} has it at line {line}")),
                );
            } else {
                seen.insert(key, (&risk.id, action.position.line));
            }
            if !action.is_overdue(project.today) {
                continue;
            }
            let due = action.due.expect("an overdue action has a due date");
            out.push(
                Diagnostic::new(
                    Lint::RiskActionOverdue,
                    format!(
                        "treatment action {} of risk {} was due on {due} ({} ago): {}",
                        action.id,
                        risk.id,
                        plural(days_between(due, project.today), "day"),
                        action.action
                    ),
                )
                .in_file(file)
                .at(action.position)
                .with_help(format!(
                    "owner: {}; set `done` to the date it was done, or agree a new `due` date",
                    action
                        .owner
                        .as_deref()
                        .or(risk.owner.as_deref())
                        .unwrap_or("unassigned")
                )),
            );
        }
    }
    out
}
