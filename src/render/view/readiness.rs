//! The certification readiness view: the mandatory items with what satisfies them, the Stage 1
//! verdicts and the registers' state, for `/readiness/`, the dashboard and the audit pack.

use serde::Serialize;

use crate::model::Project;
use crate::model::readiness::{ItemState, Register};
use crate::routes::{self, RouteId};

/// One mandatory item as the readiness page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    /// `6.1.3 d`.
    pub clause: String,
    /// "Statement of Applicability".
    pub item: String,
    /// `document` (maintain) or `record` (retain).
    pub kind: &'static str,
    /// `met`, `stale`, `missing`, or `decided` (7.5.1 b with nothing named).
    pub state: &'static str,
    /// The state in words.
    pub label: &'static str,
    /// The documents naming it, each with its status in words.
    pub documents: Vec<SatisfierView>,
    /// The registers that are it.
    pub registers: Vec<SatisfierView>,
}

/// A document or register satisfying an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SatisfierView {
    /// Its title, or the register's name.
    pub label: String,
    /// Its page.
    pub url: String,
    /// `met` or `stale`.
    pub state: &'static str,
    /// Why it is stale, or its status, in words.
    pub note: String,
}

/// A Stage 1 requirement with its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementView {
    /// What is checked.
    pub name: &'static str,
    /// The clauses.
    pub clauses: &'static str,
    /// `ready`, `attention` or `not-ready`.
    pub verdict: &'static str,
    /// The verdict in words.
    pub label: &'static str,
    /// Why.
    pub detail: String,
    /// Where to look.
    pub url: Option<String>,
}

/// Certification readiness, as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadinessView {
    /// The overall verdict (`ready`, `attention`, `not-ready`).
    pub verdict: &'static str,
    /// In words.
    pub label: &'static str,
    /// One line for the dashboard: "12 of 14 mandatory items met, 1 stale, 1 missing".
    pub headline: String,
    /// Required items met.
    pub met: usize,
    /// Required items stale.
    pub stale: usize,
    /// Required items missing.
    pub missing: usize,
    /// Every item, in clause order.
    pub items: Vec<ItemView>,
    /// The Stage 1 requirements.
    pub requirements: Vec<RequirementView>,
    /// The page.
    pub url: &'static str,
    /// The audit pack document.
    pub pack_url: &'static str,
}

/// The readiness view of `project`.
pub fn readiness_view(project: &Project) -> ReadinessView {
    let readiness = &project.readiness;
    let (met, stale, missing) = readiness.counts();
    let items = readiness
        .items
        .iter()
        .map(|s| {
            let (state, label) = match s.state {
                ItemState::Met => ("met", "Met"),
                ItemState::Stale => ("stale", "Stale"),
                ItemState::Missing if !s.is_required() => ("decided", "Organisation decides"),
                ItemState::Missing => ("missing", "Missing"),
            };
            ItemView {
                clause: s.item.clause.clone(),
                item: s.item.item.clone(),
                kind: match s.item.kind {
                    crate::clauses::Retention::Maintain => "document",
                    crate::clauses::Retention::Retain => "record",
                },
                state,
                label,
                documents: s.documents.iter().map(|&i| document(project, i)).collect(),
                registers: s
                    .registers
                    .iter()
                    .map(|r| SatisfierView {
                        label: format!("{} ({})", capitalised(r.register.label()), r.file),
                        url: register_url(r.register).to_string(),
                        state: "met",
                        note: String::new(),
                    })
                    .collect(),
            }
        })
        .collect();
    let overall = readiness.overall();
    ReadinessView {
        verdict: overall.as_str(),
        label: overall.label(),
        headline: format!(
            "{met} of {} mandatory items met, {stale} stale, {missing} missing",
            met + stale + missing
        ),
        met,
        stale,
        missing,
        items,
        requirements: readiness
            .requirements
            .iter()
            .map(|r| RequirementView {
                name: r.name,
                clauses: r.clauses,
                verdict: r.verdict.as_str(),
                label: r.verdict.label(),
                detail: r.detail.clone(),
                url: requirement_url(r.clauses),
            })
            .collect(),
        url: routes::url(RouteId::Readiness),
        pack_url: routes::url(RouteId::AuditPack),
    }
}

fn document(project: &Project, index: usize) -> SatisfierView {
    let doc = &project.documents[index];
    let state = crate::model::readiness::document_state(doc);
    let note = match (state, doc.meta.status) {
        (Some(ItemState::Met), _) => "approved".to_string(),
        (_, crate::frontmatter::Status::Draft) => "draft".to_string(),
        (_, crate::frontmatter::Status::Review) => "in review".to_string(),
        _ => "overdue for review".to_string(),
    };
    SatisfierView {
        label: doc.title.clone(),
        url: doc.url.clone(),
        state: if state == Some(ItemState::Met) {
            "met"
        } else {
            "stale"
        },
        note,
    }
}

/// The page of a register (the risk register page for both of its items).
fn register_url(register: Register) -> &'static str {
    match register {
        Register::Soa => routes::url(RouteId::Soa),
        Register::RiskAssessment | Register::RiskTreatment => routes::url(RouteId::Risks),
        Register::AuditProgramme => routes::url(RouteId::Audits),
        Register::Findings => routes::url(RouteId::Findings),
        // The last management review is shown on the readiness page itself.
        Register::ManagementReviews => routes::url(RouteId::Readiness),
    }
}

/// Where the evidence for a requirement is on the site.
fn requirement_url(clauses: &str) -> Option<String> {
    match clauses {
        "6.1.3 d" => Some(routes::url(RouteId::Soa).to_string()),
        "6.1.2, 6.1.3, 8.2, 8.3" => Some(routes::url(RouteId::Risks).to_string()),
        "9.2" => Some(routes::url(RouteId::Audits).to_string()),
        "10.2" => Some(routes::url(RouteId::Findings).to_string()),
        "9.1, Annex A" => Some(routes::url(RouteId::Evidence).to_string()),
        _ => None,
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
