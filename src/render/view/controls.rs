//! The views of the control matrix: frameworks, their groups and controls, and coverage.

use serde::Serialize;

use crate::catalog::ControlKey;
use crate::model::summary::Coverage;
use crate::model::{ControlStatus, Project};
use crate::routes::{control_url, slug};

use super::{ControlRefView, control_ref};

/// One control with its SoA decision, documents and risks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlView {
    /// Which control it is.
    #[serde(skip)]
    pub key: ControlKey,
    /// The id as the catalog writes it.
    pub id: String,
    /// The title.
    pub title: String,
    /// Theme or group.
    pub group: String,
    /// The group's anchor on the matrix page.
    pub group_anchor: String,
    /// Optional description.
    pub description: Option<String>,
    /// The control page URL.
    pub url: String,
    /// Its row anchor on the matrix and SoA pages (`iso27001-2022-a-5-15`).
    pub anchor: String,
    /// Whether it applies.
    pub applicable: bool,
    /// Whether the SoA mentions it.
    pub in_soa: bool,
    /// Where it stands: `not-applicable`, `implemented`, `partial`, `planned`,
    /// `not-implemented`, `documented` or `gap`.
    pub status: ControlStatus,
    /// A label for the status.
    pub status_label: &'static str,
    /// The SoA justification.
    pub justification: Option<String>,
    /// Indices into `site.documents` of every document that lists it.
    pub documents: Vec<usize>,
    /// How many of them count for coverage (approved or in review).
    pub counting_documents: usize,
    /// Indices into `site.risks`.
    pub risks: Vec<usize>,
    /// Related controls in other catalogs in use.
    pub related: Vec<ControlRefView>,
    /// Related ids in catalogs not in use, shown as text.
    pub related_elsewhere: Vec<String>,
    /// Attribute name and values (ISO/IEC 27002 attributes).
    pub attributes: Vec<(String, String)>,
}

/// A group (theme) of a framework's controls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    /// Group name.
    pub name: String,
    /// Its anchor id on the matrix page.
    pub anchor: String,
    /// Controls in catalog order.
    pub controls: Vec<ControlView>,
}

/// Counts of a framework's controls by status (see [`Coverage`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CoverageView {
    /// All controls.
    pub total: usize,
    /// Applicable controls.
    pub applicable: usize,
    /// Excluded in the SoA.
    pub not_applicable: usize,
    /// Applicable controls with at least one approved or in-review document.
    pub documented: usize,
    /// Applicable controls with no such document.
    pub gaps: usize,
    /// `documented` as a whole percentage of `applicable`.
    pub percent: usize,
    /// Stated `implemented`.
    pub implemented: usize,
    /// Stated `partial`.
    pub partial: usize,
    /// Stated `planned`.
    pub planned: usize,
    /// Stated `not-implemented`.
    pub not_implemented: usize,
}

impl From<&Coverage> for CoverageView {
    fn from(c: &Coverage) -> Self {
        CoverageView {
            total: c.total,
            applicable: c.applicable,
            not_applicable: c.not_applicable,
            documented: c.documented,
            gaps: c.gaps,
            percent: c.percent(),
            implemented: c.implemented,
            partial: c.partial,
            planned: c.planned,
            not_implemented: c.not_implemented,
        }
    }
}

/// A framework in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkView {
    /// Catalog id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Its section anchor on the matrix and SoA pages.
    pub anchor: String,
    /// Coverage counts.
    pub coverage: CoverageView,
    /// Groups in order.
    pub groups: Vec<GroupView>,
}

fn status_label(status: ControlStatus) -> &'static str {
    use crate::soa::Implementation::*;
    match status {
        ControlStatus::NotApplicable => "Not applicable",
        ControlStatus::Stated(Implemented) => "Implemented",
        ControlStatus::Stated(Partial) => "Partial",
        ControlStatus::Stated(Planned) => "Planned",
        ControlStatus::Stated(NotImplemented) => "Not implemented",
        ControlStatus::Documented => "Documented",
        ControlStatus::Gap => "Gap",
    }
}

fn control_view(project: &Project, key: ControlKey) -> ControlView {
    let control = project.frameworks.control(key);
    let catalog_slug = slug(&project.frameworks.catalogs[key.framework].id);
    let entry = project.soa_entry(key);
    let status = project.control_status(key);
    let mut related = Vec::new();
    let mut related_elsewhere = Vec::new();
    for r in &control.related {
        match project.frameworks.resolve(r) {
            Ok(k) => related.push(control_ref(project, k)),
            Err(_) => related_elsewhere.push(r.clone()),
        }
    }
    ControlView {
        key,
        id: control.id.clone(),
        title: control.title.clone(),
        group: control.group.clone(),
        group_anchor: format!("{catalog_slug}-{}", slug(&control.group)),
        description: control.description.clone(),
        url: control_url(&project.frameworks, key),
        anchor: format!("{catalog_slug}-{}", slug(&control.id)),
        applicable: project.soa.is_applicable(key),
        in_soa: entry.is_some(),
        status,
        status_label: status_label(status),
        justification: entry.and_then(|e| e.justification.clone()),
        documents: project.documents_for(key).to_vec(),
        counting_documents: project.counting_documents_for(key).count(),
        risks: project.risks_for(key).to_vec(),
        related,
        related_elsewhere,
        attributes: control
            .attributes
            .iter()
            .map(|(name, values)| (name.replace('_', " "), values.join(", ")))
            .collect(),
    }
}

/// The view of framework `framework`: its groups of controls and its coverage.
pub fn framework_view(project: &Project, framework: usize) -> FrameworkView {
    let catalog = &project.frameworks.catalogs[framework];
    let groups: Vec<GroupView> = catalog
        .groups
        .iter()
        .map(|group| GroupView {
            name: group.clone(),
            anchor: format!("{}-{}", slug(&catalog.id), slug(group)),
            controls: catalog
                .group_controls(group)
                .map(|(control, _)| control_view(project, ControlKey { framework, control }))
                .collect(),
        })
        .filter(|g| !g.controls.is_empty())
        .collect();
    FrameworkView {
        id: catalog.id.clone(),
        name: catalog.name.clone(),
        description: catalog.description.clone(),
        anchor: slug(&catalog.id),
        coverage: CoverageView::from(&project.summary.coverage[framework]),
        groups,
    }
}
