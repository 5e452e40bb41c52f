//! The views of a requirements catalog (the ISO/IEC 27001 clauses): requirements always apply,
//! so what matters is how well documents cover each, a parent clause being covered when all its
//! sub-clauses are.

use serde::Serialize;

use crate::catalog::{Catalog, ControlKey};
use crate::model::{CoverageState, Project};
use crate::routes::control_url;

use super::coverage_label;

/// What a requirement's page and row show besides what every control shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementView {
    /// How well documents cover it: `covered`, `weak` or `gap` (a parent is covered when its
    /// own documents or all its sub-clauses cover it).
    pub coverage: CoverageState,
    /// A label for it.
    pub coverage_label: &'static str,
    /// How many levels of parents it has (`6.1.2` is 1 below `6.1`).
    pub depth: usize,
    /// The requirement it is part of.
    pub parent: Option<SubRequirementView>,
    /// Its sub-clauses, in catalog order.
    pub children: Vec<SubRequirementView>,
    /// Whether it has sub-clauses and every one is covered (so it is covered).
    pub children_covered: bool,
}

/// A requirement as its parent or sub-clause lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubRequirementView {
    /// The id as the catalog writes it.
    pub id: String,
    /// The title.
    pub title: String,
    /// The page.
    pub url: String,
    /// Its coverage state.
    pub coverage: CoverageState,
    /// A label for it.
    pub coverage_label: &'static str,
}

/// A requirements catalog's coverage: each requirement in exactly one state.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RequirementsCoverageView {
    /// All requirements.
    pub total: usize,
    /// Covered (by their documents, or a parent by all its sub-clauses).
    pub covered: usize,
    /// Only weakly covered (documents in review, or overdue for review).
    pub weak: usize,
    /// Not covered.
    pub gaps: usize,
    /// `covered` as a whole percentage of `total` (rounded down; 100 when there are none).
    pub percent: usize,
}

/// The requirement a sub-clause is part of: the one whose id is its own without the last part
/// (`6.1` for `6.1.2`).
fn parent(catalog: &Catalog, control: usize) -> Option<usize> {
    let (parent, _) = catalog.controls[control].id.rsplit_once('.')?;
    catalog.controls.iter().position(|c| c.id == parent)
}

fn sub_requirement(project: &Project, key: ControlKey) -> SubRequirementView {
    let control = project.frameworks.control(key);
    let coverage = project.coverage_state(key);
    SubRequirementView {
        id: control.id.clone(),
        title: control.title.clone(),
        url: control_url(&project.frameworks, key),
        coverage,
        coverage_label: coverage_label(coverage),
    }
}

/// The requirement view of `key`, or `None` in a control catalog.
pub fn requirement_view(project: &Project, key: ControlKey) -> Option<RequirementView> {
    let catalog = &project.frameworks.catalogs[key.framework];
    if catalog.is_controls() {
        return None;
    }
    let framework = key.framework;
    let at = |control| ControlKey { framework, control };
    let mut depth = 0;
    let mut up = parent(catalog, key.control);
    // Each parent's id is shorter than its child's: the walk ends.
    while let Some(p) = up {
        depth += 1;
        up = parent(catalog, p);
    }
    let children: Vec<SubRequirementView> = catalog
        .children(key.control)
        .map(|c| sub_requirement(project, at(c)))
        .collect();
    let coverage = project.coverage_state(key);
    Some(RequirementView {
        coverage,
        coverage_label: coverage_label(coverage),
        depth,
        parent: parent(catalog, key.control).map(|p| sub_requirement(project, at(p))),
        children_covered: !children.is_empty()
            && children
                .iter()
                .all(|c| c.coverage == CoverageState::Covered),
        children,
    })
}

/// The coverage of requirements catalog `framework`, or `None` for a control catalog.
pub fn requirements_coverage(
    project: &Project,
    framework: usize,
) -> Option<RequirementsCoverageView> {
    if project.frameworks.catalogs[framework].is_controls() {
        return None;
    }
    let mut view = RequirementsCoverageView::default();
    for key in project.matrix_controls(framework) {
        view.total += 1;
        *match project.coverage_state(key) {
            CoverageState::Covered => &mut view.covered,
            CoverageState::Weak => &mut view.weak,
            CoverageState::Gap => &mut view.gaps,
        } += 1;
    }
    view.percent = (view.covered * 100).checked_div(view.total).unwrap_or(100);
    Some(view)
}
