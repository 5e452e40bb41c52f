//! The lints of controls and the SoA: coverage, SoA decisions and their justification.

use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::frontmatter::Status;
use crate::model::{CoverageState, Project};
use crate::review::ReviewState;

use super::control_label;

/// `unmapped-control`: an applicable control that no approved or in-review document maps to.
pub fn unmapped_controls(project: &Project) -> Vec<Diagnostic> {
    let file = coverage_file(project);
    project
        .all_controls()
        .filter(|&key| project.soa.is_applicable(key))
        .filter(|&key| project.coverage_state(key) == CoverageState::Gap)
        .map(|key| {
            let drafts = project.documents_for(key).len();
            let help = if drafts > 0 {
                "only drafts or retired documents map to it; approve one, or".to_string()
            } else {
                "list it in the `controls` of the document that implements it, or".to_string()
            };
            Diagnostic::new(
                Lint::UnmappedControl,
                format!(
                    "control {} is applicable but no approved document maps to it",
                    control_label(project, key)
                ),
            )
            .in_file(file)
            .with_help(format!(
                "{help} mark it `applicable = false` in soa.toml with a justification"
            ))
        })
        .collect()
}

/// `soa-conflict`: an approved document maps to a control the SoA marks not applicable.
pub fn soa_conflicts(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in project
        .documents
        .iter()
        .filter(|d| d.meta.status == Status::Approved)
    {
        for control in &doc.controls {
            let Ok(key) = control.key else { continue };
            let Some(entry) = project.soa_entry(key).filter(|e| !e.applicable) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Lint::SoaConflict,
                    format!(
                        "control {} is not applicable in the SoA, but this approved document maps to it",
                        control_label(project, key)
                    ),
                )
                .in_file(doc.path())
                .at(control.written.position)
                .with_help(format!(
                    "remove it from `controls`, or make it applicable in soa.toml (line {})",
                    entry.position.line
                )),
            );
        }
    }
    out
}

/// The file coverage findings are reported in: `soa.toml`, else `annexa.toml`.
fn coverage_file(project: &Project) -> &str {
    project
        .soa
        .file
        .as_deref()
        .unwrap_or(crate::config::CONFIG_FILE)
}

/// `control-weak-coverage`: an applicable control whose only documents are in review, or
/// approved but overdue for review.
pub fn weak_coverage(project: &Project) -> Vec<Diagnostic> {
    project
        .all_controls()
        .filter(|&key| project.soa.is_applicable(key))
        .filter(|&key| project.coverage_state(key) == CoverageState::Weak)
        .map(|key| {
            let documents: Vec<String> = project
                .counting_documents_for(key)
                .map(|i| {
                    let doc = &project.documents[i];
                    let why = if doc.review.state == ReviewState::Overdue {
                        "overdue for review"
                    } else {
                        "in review"
                    };
                    format!("`{}` ({why})", doc.path())
                })
                .collect();
            let help = if documents.is_empty() {
                "its sub-clauses are not all covered".to_string()
            } else {
                format!(
                    "review and approve one of its documents: {}",
                    documents.join(", ")
                )
            };
            Diagnostic::new(
                Lint::ControlWeakCoverage,
                format!(
                    "control {} is only weakly covered: no approved document within its review date maps to it",
                    control_label(project, key)
                ),
            )
            .in_file(coverage_file(project))
            .with_help(help)
        })
        .collect()
}

/// `soa-exclusion-unjustified`, `soa-excluded-implemented`, `clause-excluded` and
/// `soa-inclusion-unjustified`: the SoA's decisions, control by control (6.1.3 d).
pub fn soa_decisions(project: &Project) -> Vec<Diagnostic> {
    let Some(file) = project.soa.file.as_deref().filter(|_| project.soa.read) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in project.all_controls() {
        let label = || control_label(project, key);
        let entry = project.soa_entry(key);
        let catalog = &project.frameworks.catalogs[key.framework];
        match entry {
            Some(e) if !e.applicable && !catalog.is_controls() => out.push(
                Diagnostic::new(
                    Lint::ClauseExcluded,
                    format!(
                        "{} is marked not applicable, but the requirements of {} are mandatory",
                        label(),
                        catalog.name
                    ),
                )
                .in_file(file)
                .at(e.position)
                .with_help("remove `applicable = false`: only controls can be excluded"),
            ),
            Some(e) if !e.applicable => {
                if e.justification.is_none() {
                    out.push(
                        Diagnostic::new(
                            Lint::SoaExclusionUnjustified,
                            format!("control {} is excluded without a justification", label()),
                        )
                        .in_file(file)
                        .at(e.position)
                        .with_help(
                            "the SoA must justify every exclusion (ISO/IEC 27001:2022 6.1.3 d): add `justification = \"…\"`",
                        ),
                    );
                }
                if let Some(stated) = &e.implementation {
                    out.push(
                        Diagnostic::new(
                            Lint::SoaExcludedImplemented,
                            format!(
                                "control {} is excluded, yet its implementation is stated as \"{}\"",
                                label(),
                                stated.value.as_str()
                            ),
                        )
                        .in_file(file)
                        .at(stated.position)
                        .with_help("remove `implementation`, or make the control applicable"),
                    );
                }
            }
            _ if catalog.is_controls()
                && entry.is_none_or(|e| e.justification.is_none())
                && project.reasons(key).is_empty() =>
            {
                let d = Diagnostic::new(
                    Lint::SoaInclusionUnjustified,
                    format!(
                        "control {} is applicable with no justification, no reason and no risk treating it",
                        label()
                    ),
                )
                .in_file(file)
                .with_help(
                    "give it `reasons = [\"legal\" | \"regulatory\" | \"contract\" | \"business\"]` or a `justification` in soa.toml, or list it in the `controls` of a risk it treats",
                );
                out.push(match entry {
                    Some(e) => d.at(e.position),
                    None => d,
                });
            }
            _ => {}
        }
    }
    out
}

/// `soa-unapproved`: `soa.toml` does not record its version and approval.
pub fn soa_unapproved(project: &Project) -> Vec<Diagnostic> {
    let Some(file) = project.soa.file.as_deref().filter(|_| project.soa.read) else {
        return Vec::new();
    };
    let statement = &project.soa.statement;
    let missing: Vec<&str> = [
        ("version", statement.version.is_none()),
        ("approved_by", statement.approved_by.is_none()),
        ("approved_on", statement.approved_on.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, absent)| absent.then_some(key))
    .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let message = match statement.position {
        Some(_) => format!(
            "the SoA's [statement] lacks {}",
            missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "the SoA has no version and no record of its approval".to_string(),
    };
    vec![
        Diagnostic::new(Lint::SoaUnapproved, message)
            .in_file(file)
            .at(statement.position.unwrap_or(Position { line: 1, column: 1 }))
            .with_help(
                "add [statement] with version = \"…\", approved_by = \"…\" and approved_on = YYYY-MM-DD",
            ),
    ]
}
