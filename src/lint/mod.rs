//! Lint: each check is a small function over the resolved `Project` returning diagnostics.
//! (Problems found while reading files come from `load` and `model`.)

mod audits;
mod controls;
mod documents;
mod history;
mod ids;
mod language;
mod mandatory;
mod registers;
mod risks;

use crate::catalog::ControlKey;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
pub use audits::*;
pub use controls::*;
pub use documents::*;
pub use history::*;
pub use ids::*;
pub use language::*;
pub use mandatory::*;
pub use registers::{evidence, finding_actions, finding_status, management_reviews};
pub use risks::*;

/// A lint over the whole project.
pub type LintFn = fn(&Project) -> Vec<Diagnostic>;

/// Every project lint, in the order they run.
pub const LINTS: &[LintFn] = &[
    duplicate_ids,
    unknown_controls,
    legacy_control_ids,
    broken_links,
    reviews,
    unmapped_controls,
    weak_coverage,
    soa_conflicts,
    soa_decisions,
    soa_unapproved,
    url_conflicts,
    risk_controls,
    risk_acceptance,
    risk_actions,
    mandatory_missing,
    mandatory_stale,
    audits_overdue,
    audit_reports,
    auditor_independence,
    audit_coverage,
    finding_actions,
    finding_status,
    evidence,
    management_reviews,
    changed_after_approval,
    placeholder_text,
    vague_language,
    foreign_syntax,
    raw_html_removed,
    external_resources,
];

/// Runs every lint over `project` (in parallel) and returns their diagnostics.
pub fn run(project: &Project) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    LINTS
        .par_iter()
        .flat_map_iter(|lint| lint(project))
        .collect()
}

/// `n unit`, with the unit plural but for one.
pub fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// How a control is named in messages: bare in the default framework, qualified elsewhere.
pub fn control_label(project: &Project, key: ControlKey) -> String {
    let id = project.frameworks.display_id(key);
    format!("{id} {}", project.frameworks.control(key).title)
}
