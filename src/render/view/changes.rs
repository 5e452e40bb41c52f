//! The view of the site's change report (`/changes/`): the report from `[changes] since` to the
//! project being built, as sections of items.

use serde::Serialize;

use crate::model::Project;
use crate::past::compare::{ChangeReport, DocRef, End, FieldChange};

/// One line of a section: a label, what it names (linked when it is a page of the site), and
/// what changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeItemView {
    /// `Added`, `Changed`, `Re-scored`…
    pub label: &'static str,
    /// The document, control or risk.
    pub name: String,
    /// Its page, root-relative, when the site has one.
    pub url: Option<String>,
    /// What changed, in words (may be empty).
    pub detail: String,
}

/// A section of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeSectionView {
    /// Heading.
    pub title: &'static str,
    /// Heading id.
    pub id: &'static str,
    /// Its lines.
    pub items: Vec<ChangeItemView>,
}

/// The `/changes/` page.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangesView {
    /// `unset` (no `[changes] since`), `no-history`, `error`, or `ok`.
    pub state: &'static str,
    /// `[changes] since` as written.
    pub since: Option<String>,
    /// Why there is no report (for `error`).
    pub message: Option<String>,
    /// The earlier end, in words.
    pub from: String,
    /// The later end, in words.
    pub to: String,
    /// The sections that have changes.
    pub sections: Vec<ChangeSectionView>,
}

fn end_text(end: &End) -> String {
    match &end.short {
        Some(short) => format!("{} (commit {short}, {})", end.point, end.date),
        None => format!("the {} ({})", end.point, end.date),
    }
}

fn fields(changes: &[FieldChange]) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field, value(&c.old), value(&c.new)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The view of the site's change report for `project`.
pub fn changes_view(project: &Project) -> ChangesView {
    let since = project
        .config
        .changes_since
        .as_ref()
        .map(|s| s.value.clone());
    let Some(since_text) = since.clone() else {
        return ChangesView {
            state: "unset",
            ..Default::default()
        };
    };
    let report = match crate::past::report::for_site(project) {
        None => {
            return ChangesView {
                state: "no-history",
                since,
                ..Default::default()
            };
        }
        Some(Err(message)) => {
            return ChangesView {
                state: "error",
                since: Some(since_text),
                message: Some(message),
                ..Default::default()
            };
        }
        Some(Ok(report)) => report,
    };
    ChangesView {
        state: "ok",
        since,
        from: end_text(&report.since),
        to: end_text(&report.until),
        sections: sections(project, &report),
        message: None,
    }
}

fn doc_item(
    project: &Project,
    label: &'static str,
    doc: &DocRef,
    detail: String,
) -> ChangeItemView {
    let url = project
        .document_by_path(&doc.path)
        .map(|i| project.documents[i].url.clone());
    ChangeItemView {
        label,
        name: doc.title.clone(),
        url,
        detail: if detail.is_empty() {
            doc.path.clone()
        } else {
            format!("{}: {detail}", doc.path)
        },
    }
}

fn control_url(project: &Project, id: &str) -> Option<String> {
    let key = project.frameworks.resolve(id).ok()?;
    Some(crate::routes::control_url(&project.frameworks, key))
}

fn sections(project: &Project, report: &ChangeReport) -> Vec<ChangeSectionView> {
    let d = &report.documents;
    let mut documents: Vec<ChangeItemView> = Vec::new();
    documents.extend(
        d.added
            .iter()
            .map(|r| doc_item(project, "Added", r, String::new())),
    );
    documents.extend(d.removed.iter().map(|r| ChangeItemView {
        label: "Removed",
        name: r.title.clone(),
        url: None,
        detail: r.path.clone(),
    }));
    documents.extend(d.renamed.iter().map(|r| {
        let doc = DocRef {
            path: r.to.clone(),
            title: r.title.clone(),
            id: None,
        };
        let mut item = doc_item(project, "Renamed", &doc, String::new());
        item.detail = format!("{} → {}", r.from, r.to);
        item
    }));
    for c in &d.changed {
        let mut parts = Vec::new();
        if c.lines_added + c.lines_removed > 0 {
            parts.push(format!(
                "+{} −{} lines in {}",
                c.lines_added,
                c.lines_removed,
                c.sections.join(", ")
            ));
        }
        if !c.metadata.is_empty() {
            parts.push(fields(&c.metadata));
        }
        documents.push(doc_item(project, "Changed", &c.document, parts.join("; ")));
    }
    let soa = report
        .soa
        .iter()
        .map(|c| ChangeItemView {
            label: "Changed",
            name: format!("{} {}", c.control, c.title),
            url: control_url(project, &c.control),
            detail: fields(&c.changes),
        })
        .collect();
    let r = &report.risks;
    let risk = |label, id: &str, title: &str, detail: String| ChangeItemView {
        label,
        name: format!("{id} {title}"),
        url: Some(crate::routes::url(crate::routes::RouteId::Risks).to_string()),
        detail,
    };
    let mut risks: Vec<ChangeItemView> = Vec::new();
    risks.extend(
        r.added
            .iter()
            .map(|x| risk("Added", &x.id, &x.title, String::new())),
    );
    risks.extend(
        r.closed
            .iter()
            .map(|x| risk("Closed", &x.id, &x.title, String::new())),
    );
    risks.extend(r.removed.iter().map(|x| ChangeItemView {
        label: "Removed",
        name: format!("{} {}", x.id, x.title),
        url: None,
        detail: String::new(),
    }));
    risks.extend(
        r.rescored
            .iter()
            .map(|x| risk("Re-scored", &x.risk.id, &x.risk.title, fields(&x.changes))),
    );
    let coverage_items = |label, list: &[crate::past::compare::CoverageChange]| {
        list.iter()
            .map(|c| ChangeItemView {
                label,
                name: format!("{} {}", c.control, c.title),
                url: control_url(project, &c.control),
                detail: format!("{} → {}", c.old, c.new),
            })
            .collect::<Vec<_>>()
    };
    let mut coverage = coverage_items("Gained", &report.coverage.gained);
    coverage.extend(coverage_items("Lost", &report.coverage.lost));
    let mut registers: Vec<ChangeItemView> = Vec::new();
    for r in &report.registers {
        for (label, list) in [
            ("Added", &r.added),
            ("Closed", &r.closed),
            ("Removed", &r.removed),
        ] {
            registers.extend(list.iter().map(|e| ChangeItemView {
                label,
                name: format!("{} {}", e.id, e.title),
                url: None,
                detail: r.register.to_string(),
            }));
        }
    }
    [
        ("Documents", "documents", documents),
        ("Statement of Applicability", "soa", soa),
        ("Risks", "risks", risks),
        ("Control coverage", "coverage", coverage),
        ("Registers", "registers", registers),
    ]
    .into_iter()
    .filter(|(_, _, items)| !items.is_empty())
    .map(|(title, id, items)| ChangeSectionView { title, id, items })
    .collect()
}
