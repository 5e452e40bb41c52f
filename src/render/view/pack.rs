//! The audit pack view: one printable document for an auditor before Stage 1 (cover, contents,
//! the mandatory documents in clause order and in full, the SoA, the risks, the registers).
//! `/audit-pack/` and `annexa pack` render it with the same template.

use serde::Serialize;

use crate::error::Fatal;
use crate::model::Project;
use crate::model::readiness::ItemState;
use crate::render::html::render_body;

/// A mandatory document as the pack prints it, in full.
#[derive(Debug, Clone, Serialize)]
pub struct PackDocView {
    /// Its anchor in the pack (`doc-3`).
    pub anchor: String,
    /// The items it is (`4.3 Scope of the ISMS`).
    pub items: Vec<String>,
    /// Its title.
    pub title: String,
    /// Its path in the repository.
    pub path: String,
    /// Front matter shown under the title: (label, value).
    pub meta: Vec<(&'static str, String)>,
    /// The body as HTML, its ids prefixed with the anchor so that documents do not clash.
    pub body: String,
}

/// An item of the contents: a mandatory item and the documents that are it.
#[derive(Debug, Clone, Serialize)]
pub struct PackItemView {
    /// `6.1.3 d`.
    pub clause: String,
    /// "Statement of Applicability".
    pub item: String,
    /// Where it is in the pack: document anchors, or a section (`soa`, `risks`, `audits`…).
    pub targets: Vec<(String, String)>,
}

/// An audit of the programme.
#[derive(Debug, Clone, Serialize)]
pub struct PackAuditView {
    /// Id, title, planned, performed and auditor, as text.
    pub cells: [String; 5],
}

/// A finding of the log.
#[derive(Debug, Clone, Serialize)]
pub struct PackFindingView {
    /// Id, kind, raised, closed and description, as text.
    pub cells: [String; 5],
}

/// The whole pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackView {
    /// The scope, in the words of the 4.3 document's summary (or its title).
    pub scope: Option<String>,
    /// The commit the pack was made from, when the history is read.
    pub commit: Option<String>,
    /// The contents, item by item.
    pub items: Vec<PackItemView>,
    /// The mandatory documents, in clause order, each once.
    pub documents: Vec<PackDocView>,
    /// The audit programme.
    pub audits: Vec<PackAuditView>,
    /// The findings.
    pub findings: Vec<PackFindingView>,
    /// The last management review: its date and the inputs it did not cover.
    pub last_review: Option<(String, Vec<String>)>,
    /// Whether the project has the registers (`audits.toml`, `findings.toml`,
    /// `management-reviews.toml`).
    pub has_registers: bool,
}

/// The pack of `project`, with document bodies rendered for a page `root` away from the site
/// root.
pub fn pack_view(project: &Project, root: &str) -> Result<PackView, Fatal> {
    let mut order: Vec<usize> = Vec::new();
    let mut items = Vec::new();
    for status in &project.readiness.items {
        let mut targets: Vec<(String, String)> = status
            .registers
            .iter()
            .map(|r| {
                (
                    section_of(r.register).to_string(),
                    r.register.label().to_string(),
                )
            })
            .collect();
        for &i in &status.documents {
            if !order.contains(&i) {
                order.push(i);
            }
            let n = order.iter().position(|&o| o == i).unwrap_or(0);
            targets.push((format!("doc-{}", n + 1), project.documents[i].title.clone()));
        }
        items.push(PackItemView {
            clause: status.item.clause.clone(),
            item: status.item.item.clone(),
            targets,
        });
    }
    let documents = order
        .iter()
        .enumerate()
        .map(|(n, &i)| pack_document(project, i, n + 1, root))
        .collect::<Result<Vec<_>, Fatal>>()?;
    let scope = project
        .readiness
        .items
        .iter()
        .find(|s| s.item.clause == "4.3")
        .and_then(|s| s.documents.first())
        .map(|&i| {
            let doc = &project.documents[i];
            doc.meta
                .summary
                .clone()
                .unwrap_or_else(|| doc.title.clone())
        });
    let registers = &project.registers;
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(PackView {
        scope,
        commit: project.history.as_ref().map(|h| h.head.clone()),
        items,
        documents,
        audits: registers
            .audits
            .audits
            .iter()
            .map(|a| PackAuditView {
                cells: [
                    a.id.clone(),
                    a.title.clone(),
                    date(a.planned.as_ref().map(|d| d.value)),
                    date(a.performed.as_ref().map(|d| d.value)),
                    a.auditor
                        .as_ref()
                        .map(|x| x.value.clone())
                        .unwrap_or_default(),
                ],
            })
            .collect(),
        findings: registers
            .findings
            .findings
            .iter()
            .map(|f| PackFindingView {
                cells: [
                    f.id.clone(),
                    f.kind.value.as_str().to_string(),
                    date(f.raised.as_ref().map(|d| d.value)),
                    date(f.closed.as_ref().map(|d| d.value)),
                    f.description.clone().unwrap_or_default(),
                ],
            })
            .collect(),
        last_review: project.register_state.last_review.map(|i| {
            (
                registers.reviews.reviews[i].date.value.to_string(),
                project
                    .register_state
                    .missing_inputs
                    .iter()
                    .map(|m| m.item.clone())
                    .collect(),
            )
        }),
        has_registers: registers.audits.file.is_some()
            || registers.findings.file.is_some()
            || registers.reviews.file.is_some(),
    })
}

fn section_of(register: crate::model::readiness::Register) -> &'static str {
    use crate::model::readiness::Register;
    match register {
        Register::Soa => "soa",
        Register::RiskAssessment | Register::RiskTreatment => "risks",
        Register::AuditProgramme | Register::ManagementReviews | Register::Findings => "registers",
    }
}

fn pack_document(
    project: &Project,
    index: usize,
    n: usize,
    root: &str,
) -> Result<PackDocView, Fatal> {
    let doc = &project.documents[index];
    let markdown = crate::load::document_body(&project.root, doc)?;
    let body = render_body(project, doc, &markdown, root);
    let anchor = format!("doc-{n}");
    let status = match crate::model::readiness::document_state(doc) {
        Some(ItemState::Met) => doc.meta.status.as_str().to_string(),
        _ if doc.meta.status.is_tracked() && doc.review.state.as_str() == "overdue" => {
            "approved, overdue for review".to_string()
        }
        _ => doc.meta.status.as_str().to_string(),
    };
    let mut meta: Vec<(&'static str, String)> = vec![("Status", status)];
    let mut add = |label: &'static str, value: Option<String>| {
        if let Some(v) = value {
            meta.push((label, v));
        }
    };
    add("Id", doc.meta.id.as_ref().map(|i| i.value.clone()));
    add("Version", doc.meta.version.clone());
    add("Owner", doc.meta.owner.clone());
    add("Approver", doc.meta.approver.clone());
    add(
        "Last reviewed",
        doc.meta.last_reviewed.as_ref().map(|d| d.value.to_string()),
    );
    add("Next review", doc.review.next.map(|d| d.to_string()));
    let items = doc
        .clause_ids()
        .filter_map(|c| {
            crate::clauses::clauses()
                .mandatory
                .iter()
                .find(|m| m.clause == c)
                .map(|m| format!("{} {}", m.clause, m.item))
        })
        .collect();
    Ok(PackDocView {
        body: prefix_ids(&body.html, &anchor),
        anchor,
        items,
        title: doc.title.clone(),
        path: doc.path().to_string(),
        meta,
    })
}

/// Prefixes the ids of a document's HTML, and its links to them, with `prefix-`.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}-"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}-"))
}
