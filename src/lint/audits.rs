//! The lints of the audit programme (ISO/IEC 27001:2022 9.2): audits done on plan, their
//! reports kept, auditors independent of what they audit, and the whole ISMS audited in a cycle.

use crate::catalog::ControlKey;
use crate::clauses::CLAUSE_CATALOG;
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::links::Target;
use crate::model::Project;
use crate::registers::scope::{clause_of_control, is_within, leaf_clauses};
use crate::registers::{AUDITS_FILE, Audit};
use crate::review::{Interval, Unit, days_between};

use super::plural;
use super::registers::path_problem;

/// The clause whose documented information is the audit programme and its results: documents
/// that list it are the programme and the reports, which do not make an auditor partial.
const PROGRAMME: &str = "9.2";

/// The cycle when `[programme]` sets none: a certification cycle.
const DEFAULT_CYCLE: Interval = Interval {
    count: 3,
    unit: Unit::Year,
};

fn audits_file(project: &Project) -> &str {
    project
        .registers
        .audits
        .file
        .as_deref()
        .unwrap_or(AUDITS_FILE)
}

/// `audit-overdue`: a planned audit's date has passed and it has no `performed`.
pub fn audits_overdue(project: &Project) -> Vec<Diagnostic> {
    let today = project.today;
    let mut out = Vec::new();
    for &i in &project.register_state.audits_overdue {
        let audit = &project.registers.audits.audits[i];
        let Some(planned) = &audit.planned else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Lint::AuditOverdue,
                format!(
                    "audit {} was planned for {} ({} ago) and has not been performed",
                    audit.id,
                    planned.value,
                    plural(days_between(planned.value, today), "day")
                ),
            )
            .in_file(audits_file(project))
            .at(planned.position)
            .with_help("record `performed = <date>` once it is done, or plan it again with a new `planned` date"),
        );
    }
    out
}

/// `audit-report-missing`: a performed audit names no `report`, or one that does not exist or
/// is not published; `broken-anchor` for a report link whose anchor names no heading.
pub fn audit_reports(project: &Project) -> Vec<Diagnostic> {
    let file = audits_file(project);
    let mut out = Vec::new();
    for audit in &project.registers.audits.audits {
        let Some(performed) = &audit.performed else {
            continue;
        };
        let (Some(report), Some(target)) = (&audit.report, &audit.report_target) else {
            out.push(
                Diagnostic::new(
                    Lint::AuditReportMissing,
                    format!(
                        "audit {} was performed on {} but names no `report`",
                        audit.id, performed.value
                    ),
                )
                .in_file(file)
                .at(performed.position)
                .with_help("keep the audit results (ISO/IEC 27001:2022 9.2.2): add `report = \"<path of the report>\"`"),
            );
            continue;
        };
        let Some(mut d) = path_problem(project, &report.value, target) else {
            continue;
        };
        if d.lint == Lint::BrokenLink {
            d.lint = Lint::AuditReportMissing;
            d.severity = Lint::AuditReportMissing.default_severity();
            d.message = format!("the report of audit {}: {}", audit.id, d.message);
        }
        out.push(d.in_file(file).at(report.position));
    }
    out
}

/// `auditor-not-independent`: the auditor is (case aside) the owner of a document or a risk
/// mapped into the audit's scope (ISO/IEC 27001:2022 9.2.2 b, objectivity and impartiality).
/// A document is in scope through a control in `scope`, or a clause within `clauses` (its front
/// matter's `clauses`, or a clause control when the clause catalog is in use). The audit's own
/// report and the programme (documents of clause 9.2) do not count.
pub fn auditor_independence(project: &Project) -> Vec<Diagnostic> {
    let file = audits_file(project);
    let mut out = Vec::new();
    for audit in &project.registers.audits.audits {
        let Some(auditor) = &audit.auditor else {
            continue;
        };
        let owned = owned_in_scope(project, audit, &auditor.value);
        if owned.is_empty() {
            continue;
        }
        let shown: Vec<&str> = owned.iter().take(3).map(String::as_str).collect();
        let more = match owned.len() - shown.len() {
            0 => String::new(),
            n => format!(" and {} more", n),
        };
        out.push(
            Diagnostic::new(
                Lint::AuditorNotIndependent,
                format!(
                    "auditor {} of audit {} owns what it audits: {}{more}",
                    auditor.value,
                    audit.id,
                    shown.join(", ")
                ),
            )
            .in_file(file)
            .at(auditor.position)
            .with_help("auditors must be objective and impartial (ISO/IEC 27001:2022 9.2.2 b): have someone who does not own these audit them"),
        );
    }
    out
}

/// What `auditor` owns in the audit's scope: documents by path, then risks by id, each once.
fn owned_in_scope(project: &Project, audit: &Audit, auditor: &str) -> Vec<String> {
    let report = match &audit.report_target {
        Some(Target::Document { index, .. }) => Some(*index),
        _ => None,
    };
    let is_auditor =
        |owner: Option<&str>| owner.is_some_and(|o| o.trim().eq_ignore_ascii_case(auditor));
    let mut documents: Vec<usize> = audit
        .scope
        .iter()
        .map(|c| c.value)
        .chain(clause_controls_in_scope(project, audit))
        .flat_map(|key| project.documents_for(key).iter().copied())
        .chain((0..project.documents.len()).filter(|&i| {
            project.documents[i]
                .clause_ids()
                .any(|c| audit.covers_clause(c))
        }))
        .filter(|&i| {
            let doc = &project.documents[i];
            Some(i) != report
                && !doc.clause_ids().any(|c| is_within(c, PROGRAMME))
                && is_auditor(doc.meta.owner.as_deref())
        })
        .collect();
    documents.sort_unstable();
    documents.dedup();
    let risks = (0..project.risks.len()).filter(|&i| {
        project.risks[i].control_keys().any(|k| {
            audit.covers_control(k)
                || clause_of_control(&project.frameworks, k).is_some_and(|c| audit.covers_clause(c))
        })
    });
    let mut owned: Vec<String> = documents
        .into_iter()
        .map(|i| project.documents[i].path().to_string())
        .collect();
    owned.extend(
        risks
            .filter(|&i| is_auditor(project.risks[i].owner.as_deref()))
            .map(|i| format!("risk {}", project.risks[i].id)),
    );
    owned
}

/// The controls of the clause catalog, when it is in use, that lie within the audit's clauses.
fn clause_controls_in_scope<'a>(
    project: &'a Project,
    audit: &'a Audit,
) -> impl Iterator<Item = ControlKey> + 'a {
    let frameworks = &project.frameworks;
    frameworks
        .by_id(CLAUSE_CATALOG)
        .into_iter()
        .flat_map(move |framework| {
            (0..frameworks.catalogs[framework].controls.len())
                .map(move |control| ControlKey { framework, control })
        })
        .filter(move |&k| clause_of_control(frameworks, k).is_some_and(|c| audit.covers_clause(c)))
}

/// `audit-coverage-gap`: clauses and applicable controls that no audit performed within the
/// programme's `cycle` (looking back from today) had in its scope, one finding per catalog.
/// Silent without audits: a new programme has had none yet.
pub fn audit_coverage(project: &Project) -> Vec<Diagnostic> {
    let programme = &project.registers.audits;
    if programme.audits.is_empty() {
        return Vec::new();
    }
    let cycle = programme.cycle.as_ref().map_or(DEFAULT_CYCLE, |c| c.value);
    let at = programme
        .cycle
        .as_ref()
        .map_or(Position { line: 1, column: 1 }, |c| c.position);
    let today = project.today;
    let within: Vec<&Audit> = programme
        .audits
        .iter()
        .filter(|a| {
            a.performed.as_ref().is_some_and(|p| {
                p.value <= today && crate::registers::after(cycle, p.value) > today
            })
        })
        .collect();
    let mut out = Vec::new();
    let clauses: Vec<String> = leaf_clauses()
        .filter(|c| !within.iter().any(|a| a.covers_clause(c)))
        .map(str::to_string)
        .collect();
    if !clauses.is_empty() {
        out.push(gap(
            project,
            "clauses of ISO/IEC 27001:2022",
            &clauses,
            cycle,
            at,
        ));
    }
    for (f, catalog) in project.frameworks.catalogs.iter().enumerate() {
        if !catalog.is_controls() {
            continue;
        }
        let missed: Vec<String> = (0..catalog.controls.len())
            .map(|control| ControlKey {
                framework: f,
                control,
            })
            .filter(|&k| {
                project.soa.is_applicable(k) && !within.iter().any(|a| a.covers_control(k))
            })
            .map(|k| project.frameworks.display_id(k))
            .collect();
        if !missed.is_empty() {
            let what = format!("applicable controls of {}", catalog.name);
            out.push(gap(project, &what, &missed, cycle, at));
        }
    }
    out
}

fn gap(project: &Project, what: &str, ids: &[String], cycle: Interval, at: Position) -> Diagnostic {
    Diagnostic::new(
        Lint::AuditCoverageGap,
        format!(
            "{what} not in the scope of an audit performed in the last {cycle} ({}): {}",
            ids.len(),
            ids.join(", ")
        ),
    )
    .in_file(audits_file(project))
    .at(at)
    .with_help("the programme must audit the whole ISMS each cycle (ISO/IEC 27001:2022 9.2.2): add them to the `scope` or `clauses` of a planned audit")
}
