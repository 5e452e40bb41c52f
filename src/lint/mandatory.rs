//! Lints of the mandatory documented information: an item nothing satisfies, and an item only
//! drafts, documents in review or overdue for review satisfy.

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Lint};
use crate::frontmatter::Status;
use crate::model::readiness::{ItemState, ItemStatus};
use crate::model::{Document, Project};

/// `mandatory-document-missing`: no document names the item's clause and no register is it.
/// 7.5.1 b, which the organisation itself determines, is never missing.
pub fn mandatory_missing(project: &Project) -> Vec<Diagnostic> {
    project
        .readiness
        .items
        .iter()
        .filter(|s| s.state == ItemState::Missing && s.is_required())
        .map(|s| {
            let clause = &s.item.clause;
            let name = format!(
                "add `clauses = [\"{clause}\"]` to the front matter of the document that holds it"
            );
            let help = match clause.as_str() {
                "6.1.3 d" => format!("keep the Statement of Applicability in soa.toml, or {name}"),
                "8.2" => format!("keep the risk register in risks.toml, or {name}"),
                "8.3" => {
                    format!("record treatment `actions` on the risks in risks.toml, or {name}")
                }
                "9.2.2" => format!("keep the audit programme in audits.toml, or {name}"),
                "9.3.3" => format!("record the reviews held in management-reviews.toml, or {name}"),
                "10.2" => format!("keep the nonconformities in findings.toml, or {name}"),
                _ => name,
            };
            Diagnostic::new(
                Lint::MandatoryDocumentMissing,
                format!(
                    "no documented information for {clause} {}: ISO/IEC 27001:2022 requires it",
                    s.item.item
                ),
            )
            .in_file(CONFIG_FILE)
            .with_help(help)
        })
        .collect()
}

/// `mandatory-document-stale`: the item rests only on drafts, documents in review or overdue
/// for review. Reported at the first such document's `clauses` entry.
pub fn mandatory_stale(project: &Project) -> Vec<Diagnostic> {
    project
        .readiness
        .items
        .iter()
        .filter(|s| s.state == ItemState::Stale)
        .filter_map(|s| stale(project, s))
        .collect()
}

fn stale(project: &Project, status: &ItemStatus) -> Option<Diagnostic> {
    let item = status.item;
    let why: Vec<String> = status
        .documents
        .iter()
        .map(|&i| {
            let doc = &project.documents[i];
            format!("`{}` {}", doc.title, why_stale(doc))
        })
        .collect();
    let d = Diagnostic::new(
        Lint::MandatoryDocumentStale,
        format!(
            "documented information for {} {} is not current: {}",
            item.clause,
            item.item,
            why.join("; ")
        ),
    );
    // A stale item rests on documents only (a register in the repository meets its item).
    let doc = &project.documents[*status.documents.first()?];
    let d = d.in_file(doc.path()).with_help(help(doc));
    Some(
        match doc
            .clauses
            .iter()
            .find(|c| c.id.as_ref().is_ok_and(|id| *id == item.clause))
        {
            Some(entry) => d.at(entry.written.position),
            None => d,
        },
    )
}

fn why_stale(doc: &Document) -> &'static str {
    match doc.meta.status {
        Status::Draft => "is a draft",
        Status::Review => "is in review",
        _ => "is overdue for review",
    }
}

fn help(doc: &Document) -> String {
    match doc.meta.status {
        Status::Draft | Status::Review => format!(
            "approve `{}` (`status = \"approved\"`, with `last_reviewed`)",
            doc.path()
        ),
        _ => format!(
            "review `{}`, then set `last_reviewed` (owner: {})",
            doc.path(),
            doc.meta.owner.as_deref().unwrap_or("none")
        ),
    }
}
