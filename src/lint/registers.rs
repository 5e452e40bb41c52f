//! The lints of the findings, evidence and management review registers (ISO/IEC 27001:2022
//! 9.3, 10.2), and the paths the registers name.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Lint, did_you_mean_path};
use crate::links::Target;
use crate::model::Project;
use crate::registers::{EVIDENCE_FILE, FINDINGS_FILE, MANAGEMENT_REVIEWS_FILE};
use crate::review::days_between;

use super::documents::missing_anchor;
use super::plural;

fn file_or<'a>(file: &'a Option<String>, default: &'a str) -> &'a str {
    file.as_deref().unwrap_or(default)
}

/// What is wrong with a path a register names (written in a file at the root), as a
/// `broken-link` or `broken-anchor` without its place; `None` when it reaches a page or a file.
pub(super) fn path_problem(project: &Project, dest: &str, target: &Target) -> Option<Diagnostic> {
    let written = dest.split('#').next().unwrap_or(dest);
    match target {
        Target::Missing { path, reason } => {
            let message = match reason {
                Some(reason) => format!("`{written}` cannot be linked: {reason}"),
                None => format!("`{written}` does not exist"),
            };
            let candidates = project
                .documents
                .iter()
                .map(|d| d.path())
                .chain(project.assets.iter().map(String::as_str));
            let help =
                did_you_mean_path(path, candidates).map(|near| format!("did you mean `{near}`?"));
            Some(Diagnostic::new(Lint::BrokenLink, message).with_help_opt(help))
        }
        Target::Unpublished { reason, .. } => Some(
            Diagnostic::new(
                Lint::BrokenLink,
                format!("`{written}` is not published on the site"),
            )
            .with_help(reason.clone()),
        ),
        Target::Document {
            index,
            anchor: Some(anchor),
        } => missing_anchor(&project.documents[*index], anchor, dest),
        _ => None,
    }
}

/// `finding-action-overdue`, and `duplicate-id` for an action id already used in
/// `risks.toml` or `findings.toml` (action ids become calendar UIDs).
pub fn finding_actions(project: &Project) -> Vec<Diagnostic> {
    let file = file_or(&project.registers.findings.file, FINDINGS_FILE);
    let mut out = Vec::new();
    let risks_file = file_or(&project.risks_file, crate::risks::RISKS_FILE);
    let mut seen: HashMap<String, String> = HashMap::new();
    for risk in &project.risks {
        for action in &risk.actions {
            seen.entry(action.id.to_lowercase()).or_insert_with(|| {
                format!(
                    "risk {} has it in {risks_file} at line {}",
                    risk.id, action.position.line
                )
            });
        }
    }
    for finding in &project.registers.findings.findings {
        for action in &finding.actions {
            let key = action.id.to_lowercase();
            if let Some(other) = seen.get(&key) {
                out.push(
                    Diagnostic::new(
                        Lint::DuplicateId,
                        format!("action id `{}` is already used", action.id),
                    )
                    .in_file(file)
                    .at(action.position)
                    .with_help(other.clone()),
                );
            } else {
                seen.insert(
                    key,
                    format!(
                        "finding {} has it at line {}",
                        finding.id, action.position.line
                    ),
                );
            }
            let Some(due) = action.due.filter(|_| action.is_overdue(project.today)) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Lint::FindingActionOverdue,
                    format!(
                        "corrective action {} of finding {} was due on {due} ({} ago): {}",
                        action.id,
                        finding.id,
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
                        .or(finding.owner.as_deref())
                        .unwrap_or("unassigned")
                )),
            );
        }
    }
    out
}

/// `finding-open-major` and `finding-unverified`: major nonconformities still open, and
/// nonconformities closed without a record of who verified the correction (10.2 d).
pub fn finding_status(project: &Project) -> Vec<Diagnostic> {
    let file = file_or(&project.registers.findings.file, FINDINGS_FILE);
    let mut out = Vec::new();
    for finding in &project.registers.findings.findings {
        if finding.is_open_major() {
            out.push(
                Diagnostic::new(
                    Lint::FindingOpenMajor,
                    format!("major nonconformity {} is still open", finding.id),
                )
                .in_file(file)
                .at(finding.kind.position)
                .with_help("a certification body will not certify with a major nonconformity open: correct it, then record `closed` and `verified_by`"),
            );
        }
        if let Some(closed) = &finding.closed
            && finding.kind.value.is_nonconformity()
            && finding.verified_by.is_none()
        {
            out.push(
                Diagnostic::new(
                    Lint::FindingUnverified,
                    format!(
                        "nonconformity {} was closed on {} without `verified_by`",
                        finding.id, closed.value
                    ),
                )
                .in_file(file)
                .at(closed.position)
                .with_help("record who checked that the corrective actions worked (ISO/IEC 27001:2022 10.2 d)"),
            );
        }
    }
    out
}

/// `evidence-expired` and `evidence-expiring` (within `due_soon_days`), and `broken-link` or
/// `broken-anchor` for a `location` in the repository that does not lead to a page or a file.
pub fn evidence(project: &Project) -> Vec<Diagnostic> {
    let register = &project.registers.evidence;
    let file = file_or(&register.file, EVIDENCE_FILE);
    let today = project.today;
    let mut out = Vec::new();
    let state = &project.register_state;
    for &i in state
        .expired_evidence
        .iter()
        .chain(&state.expiring_evidence)
    {
        let item = &register.items[i];
        let (Some(expires), Some(expiry)) = (item.expires(), &item.expiry) else {
            continue;
        };
        let d = if item.is_expired(today) {
            Diagnostic::new(
                Lint::EvidenceExpired,
                format!(
                    "evidence {} ({}) expired on {expires} ({})",
                    item.id,
                    item.title,
                    match days_between(expires, today) {
                        0 => "today".to_string(),
                        days => format!("{} ago", plural(days, "day")),
                    }
                ),
            )
        } else {
            Diagnostic::new(
                Lint::EvidenceExpiring,
                format!(
                    "evidence {} ({}) expires on {expires}, in {}",
                    item.id,
                    item.title,
                    plural(days_between(today, expires), "day")
                ),
            )
        };
        let owner = item.owner.as_deref().unwrap_or("unassigned");
        out.push(d.in_file(file).at(expiry.position()).with_help(format!(
            "owner: {owner}; collect it again and update `collected` (or `expires`)"
        )));
    }
    for item in &register.items {
        if let (Some(location), Some(target)) = (&item.location, &item.location_target)
            && let Some(d) = path_problem(project, &location.value, target)
        {
            out.push(d.in_file(file).at(location.position));
        }
    }
    out
}

/// `management-review-overdue` (no review within `interval` of the last), and
/// `management-review-incomplete` (the last review left out 9.3.2 inputs); `broken-link` for
/// minutes that do not lead to a page or a file. Silent without a review held.
pub fn management_reviews(project: &Project) -> Vec<Diagnostic> {
    let record = &project.registers.reviews;
    let file = file_or(&record.file, MANAGEMENT_REVIEWS_FILE);
    let today = project.today;
    let state = &project.register_state;
    let mut out = Vec::new();
    if let Some(last) = state.last_review.map(|i| &record.reviews[i]) {
        if let Some(due) = state
            .next_review_due
            .filter(|_| state.review_overdue(today))
        {
            out.push(
                Diagnostic::new(
                    Lint::ManagementReviewOverdue,
                    format!(
                        "no management review since {}: the next was due by {due} ({} ago)",
                        last.date.value,
                        plural(days_between(due, today), "day")
                    ),
                )
                .in_file(file)
                .at(last.date.position)
                .with_help(format!(
                    "top management reviews the ISMS at planned intervals (ISO/IEC 27001:2022 9.3.1; `management.interval` is {})",
                    record.interval
                )),
            );
        }
        if !state.missing_inputs.is_empty() {
            let missing: Vec<String> = state
                .missing_inputs
                .iter()
                .filter(|i| !i.has_parts())
                .map(|i| format!("{} ({})", i.item, i.title))
                .collect();
            out.push(
                Diagnostic::new(
                    Lint::ManagementReviewIncomplete,
                    format!(
                        "the management review of {} did not cover 9.3.2 {}",
                        last.date.value,
                        missing.join(", ")
                    ),
                )
                .in_file(file)
                .at(last.date.position)
                .with_help("consider every input of ISO/IEC 27001:2022 9.3.2 and list it in `inputs` (d counts when d.1 to d.4 are all listed)"),
            );
        }
    }
    for review in &record.reviews {
        if let (Some(minutes), Some(target)) = (&review.minutes, &review.minutes_target)
            && let Some(d) = path_problem(project, &minutes.value, target)
        {
            out.push(d.in_file(file).at(minutes.position));
        }
    }
    out
}
