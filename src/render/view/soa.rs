//! The view of the Statement of Applicability's own record: its version and its approval.

use serde::Serialize;

use crate::model::Project;

/// The SoA's version and approval, as `[statement]` in `soa.toml` gives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatementView {
    /// The version (`2026.2`).
    pub version: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When (`YYYY-MM-DD`).
    pub approved_on: Option<String>,
    /// Whether it states who approved it and when.
    pub approved: bool,
    /// The statement in one line: `Version 2026.2 · approved by CISO on 2026-03-01`, or with
    /// `not approved` when the approval is not stated.
    pub line: String,
}

/// The statement of `project`'s SoA.
pub fn statement_view(project: &Project) -> StatementView {
    let statement = &project.soa.statement;
    let approved_on = statement.approved_on.map(|d| d.to_string());
    let version = match &statement.version {
        Some(v) => format!("Version {v}"),
        None => "No version stated".to_string(),
    };
    let approval = match (&statement.approved_by, &approved_on) {
        (Some(by), Some(on)) => format!("approved by {by} on {on}"),
        (Some(by), None) => format!("approved by {by} (no approval date stated)"),
        (None, Some(on)) => format!("approved on {on} (approver not stated)"),
        (None, None) => "not approved".to_string(),
    };
    StatementView {
        version: statement.version.clone(),
        approved_by: statement.approved_by.clone(),
        approved: statement.approved_by.is_some() && approved_on.is_some(),
        approved_on,
        line: format!("{version} · {approval}"),
    }
}
