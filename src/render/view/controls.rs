//! The views of the control matrix: frameworks, their groups and controls, and coverage.

use serde::Serialize;

use crate::catalog::ControlKey;
use crate::model::summary::Coverage;
use crate::model::{ControlStatus, CoverageState, Project};
use crate::routes::{self, RouteId, control_url, slug};
use crate::soa::{Implementation, Reason};

use super::requirements::{
    RequirementView, RequirementsCoverageView, requirement_view, requirements_coverage,
};
use super::{ControlRefView, OptionView, control_ref};

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
    /// The implementation the SoA states, if any.
    pub implementation: Option<Implementation>,
    /// The implementation for CSS classes: one of [`Implementation`]'s names, or
    /// `not-applicable`, or `not-stated`.
    pub implementation_state: &'static str,
    /// A label for it (`Implemented`, `Not stated`, `Not applicable`).
    pub implementation_label: &'static str,
    /// How well documents cover it: `covered`, `weak` or `gap`; `None` when it is excluded.
    pub coverage: Option<CoverageState>,
    /// A label for the coverage (`Covered`, `Weak`, `Gap`; empty when excluded).
    pub coverage_label: &'static str,
    /// Why it is included: the SoA's reasons, and `risk` when a risk is treated by it.
    pub reasons: Vec<ReasonView>,
    /// The SoA justification.
    pub justification: Option<String>,
    /// Indices into `site.documents` of every document that lists it.
    pub documents: Vec<usize>,
    /// Indices into `site.documents` of the documents that count for its coverage (approved or
    /// in review): the documents the SoA names.
    pub soa_documents: Vec<usize>,
    /// How many of them count for coverage (approved or in review).
    pub counting_documents: usize,
    /// Indices into `site.risks`.
    pub risks: Vec<usize>,
    /// Related controls in the catalogs in use, both ways: those its `related` names and those
    /// whose `related` names it, each once, in catalog order.
    pub related: Vec<ControlRefView>,
    /// Related ids in catalogs not in use, shown as text.
    pub related_elsewhere: Vec<String>,
    /// Attribute name and values (ISO/IEC 27002 attributes).
    pub attributes: Vec<(String, String)>,
    /// The attributes, each kind with its label and its values with theirs, in catalog order.
    pub attribute_kinds: Vec<AttributeView>,
    /// In a requirements catalog: its coverage, parent and sub-clauses; `None` for a control.
    pub requirement: Option<RequirementView>,
    /// Whether it is ready for an auditor: applicable, covered and backed by unexpired evidence.
    pub ready: bool,
    /// The audits, findings and evidence that name it.
    pub records: super::registers::ControlRecordsView,
}

/// One kind of attribute of a control (`control_type`) and its values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeView {
    /// The kind as the catalog names it (`control_type`).
    pub name: String,
    /// Its label (`Control type`).
    pub label: String,
    /// The matrix filter's query parameter and the row's `data-attr-` suffix (`control-type`).
    pub filter: String,
    /// The values, each with its label (`governance_and_ecosystem`, `Governance and ecosystem`).
    pub values: Vec<AttributeValueView>,
    /// The values joined with `|`, for the row's `data-attr-` attribute.
    pub data: String,
}

/// One value of a control's attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeValueView {
    /// The value as the catalog writes it.
    pub value: String,
    /// What the page shows.
    pub label: String,
    /// The control matrix filtered to this value (`controls/?control-type=preventive`).
    pub url: String,
}

/// A filter of the control matrix: one kind of attribute, over the values controls have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeFilterView {
    /// The query parameter and `data-attr-` suffix it filters on (`security-domains`).
    pub name: String,
    /// The select's label (`Security domains`).
    pub label: String,
    /// The values present, sorted, with their labels.
    pub options: Vec<OptionView>,
}

/// A catalog's attribute name or value as the site shows it: an identifier in snake case
/// (`governance_and_ecosystem`) reads as words (`Governance and ecosystem`); anything else
/// (`KMS configuration`) is shown as written.
pub fn humanise(text: &str) -> String {
    let identifier = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !identifier {
        return text.to_string();
    }
    let words = text
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => text.to_string(),
    }
}

/// The control matrix filtered by one attribute value (`controls/?control-type=preventive`).
fn matrix_url(filter: &str, value: &str) -> String {
    const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let value = percent_encoding::utf8_percent_encode(value, QUERY_VALUE);
    format!("{}?{filter}={value}", routes::url(RouteId::Controls))
}

fn attribute_view(name: &str, values: &[String]) -> AttributeView {
    AttributeView {
        name: name.to_string(),
        label: humanise(name),
        filter: slug(name),
        values: values
            .iter()
            .map(|v| AttributeValueView {
                value: v.clone(),
                label: humanise(v),
                url: matrix_url(&slug(name), v),
            })
            .collect(),
        data: values.join("|"),
    }
}

/// The matrix filters: a select per kind of attribute the controls of `frameworks` have, in
/// the order kinds first appear, each over the values present (kinds whose names slug alike
/// are one filter).
pub fn attribute_filters(frameworks: &[FrameworkView]) -> Vec<AttributeFilterView> {
    let mut filters: Vec<(AttributeFilterView, Vec<(String, String)>)> = Vec::new();
    let controls = frameworks
        .iter()
        .flat_map(|f| &f.groups)
        .flat_map(|g| &g.controls);
    for control in controls {
        for kind in &control.attribute_kinds {
            let at = match filters.iter().position(|(f, _)| f.name == kind.filter) {
                Some(at) => at,
                None => {
                    let filter = AttributeFilterView {
                        name: kind.filter.clone(),
                        label: kind.label.clone(),
                        options: Vec::new(),
                    };
                    filters.push((filter, Vec::new()));
                    filters.len() - 1
                }
            };
            let values = kind
                .values
                .iter()
                .map(|v| (v.value.clone(), v.label.clone()));
            filters[at].1.extend(values);
        }
    }
    filters
        .into_iter()
        .map(|(mut filter, values)| {
            filter.options = super::distinct_options(&mut values.into_iter());
            filter
        })
        .collect()
}

/// A reason for including a control in the SoA.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonView {
    /// `risk`, `legal`, `regulatory`, `contract` or `business`.
    pub name: &'static str,
    /// Its label (`Risk`, `Legal`…).
    pub label: &'static str,
}

/// The label of an SoA reason.
pub fn reason_label(reason: Reason) -> &'static str {
    match reason {
        Reason::Risk => "Risk",
        Reason::Legal => "Legal",
        Reason::Regulatory => "Regulatory",
        Reason::Contract => "Contract",
        Reason::Business => "Business",
    }
}

/// The label of a stated implementation.
pub fn implementation_label(implementation: Implementation) -> &'static str {
    match implementation {
        Implementation::Implemented => "Implemented",
        Implementation::Partial => "Partial",
        Implementation::Planned => "Planned",
        Implementation::NotImplemented => "Not implemented",
    }
}

/// The label of a coverage state.
pub fn coverage_label(coverage: CoverageState) -> &'static str {
    match coverage {
        CoverageState::Covered => "Covered",
        CoverageState::Weak => "Weak",
        CoverageState::Gap => "Gap",
    }
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
    /// Applicable controls that an approved document within its review date maps to.
    pub covered: usize,
    /// Applicable controls with only documents in review or overdue for review.
    pub weak: usize,
    /// Applicable controls with no document that counts.
    pub gaps: usize,
    /// `covered` as a whole percentage of `applicable`.
    pub percent: usize,
    /// `weak` as a whole percentage of `applicable` (for the amber part of a bar).
    pub weak_percent: usize,
    /// The weak controls, in matrix order, with their own ids (not qualified).
    pub weak_controls: Vec<ControlRefView>,
    /// Stated `implemented`.
    pub implemented: usize,
    /// Stated `partial`.
    pub partial: usize,
    /// Stated `planned`.
    pub planned: usize,
    /// Stated `not-implemented`.
    pub not_implemented: usize,
}

impl CoverageView {
    fn new(project: &Project, c: &Coverage) -> Self {
        CoverageView {
            total: c.total,
            applicable: c.applicable,
            not_applicable: c.not_applicable,
            covered: c.covered,
            weak: c.weak,
            gaps: c.gaps,
            percent: c.percent(),
            // Rounded so that the covered and weak parts of a bar never add up past 100.
            weak_percent: ((c.covered + c.weak) * 100)
                .checked_div(c.applicable)
                .unwrap_or(0)
                .saturating_sub(c.percent()),
            weak_controls: c
                .weak_controls
                .iter()
                .map(|&key| {
                    let control = project.frameworks.control(key);
                    ControlRefView {
                        id: control.id.clone(),
                        title: control.title.clone(),
                        url: control_url(&project.frameworks, key),
                    }
                })
                .collect(),
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
    /// Whether the SoA lists it: a control catalog, not a catalog of requirements (the
    /// clauses of ISO/IEC 27001 always apply).
    pub soa: bool,
    /// Coverage counts.
    pub coverage: CoverageView,
    /// Groups in order.
    pub groups: Vec<GroupView>,
    /// What it lists: `controls`, or `requirements` that always apply (the ISO/IEC 27001
    /// clauses).
    pub kind: &'static str,
    /// The page listing a requirements catalog's requirements (`controls/<framework>/`).
    pub requirements_url: Option<String>,
    /// A requirements catalog's coverage, parents covered by their sub-clauses.
    pub requirements: Option<RequirementsCoverageView>,
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
    let applicable = project.soa.is_applicable(key);
    let implementation = entry
        .and_then(|e| e.implementation.as_ref())
        .map(|i| i.value);
    let (implementation_state, implementation_label) = match implementation {
        _ if !applicable => ("not-applicable", "Not applicable"),
        Some(i) => (i.as_str(), self::implementation_label(i)),
        None => ("not-stated", "Not stated"),
    };
    let coverage = applicable.then(|| project.coverage_state(key));
    let mut related = Vec::new();
    let mut related_elsewhere = Vec::new();
    let mut related_keys = Vec::new();
    for r in &control.related {
        match project.frameworks.resolve(r) {
            Ok(k) => related_keys.push(k),
            Err(_) => related_elsewhere.push(r.clone()),
        }
    }
    // Both ways: the controls whose `related` names this one too.
    related_keys.extend_from_slice(project.related_from(key));
    related_keys.sort_unstable();
    related_keys.dedup();
    related_keys.retain(|&k| k != key);
    related.extend(related_keys.into_iter().map(|k| control_ref(project, k)));
    ControlView {
        key,
        id: control.id.clone(),
        title: control.title.clone(),
        group: control.group.clone(),
        group_anchor: format!("{catalog_slug}-{}", slug(&control.group)),
        description: control.description.clone(),
        url: control_url(&project.frameworks, key),
        anchor: format!("{catalog_slug}-{}", slug(&control.id)),
        applicable,
        in_soa: entry.is_some(),
        status,
        status_label: status_label(status),
        implementation,
        implementation_state,
        implementation_label,
        coverage,
        coverage_label: coverage.map_or("", coverage_label),
        reasons: project
            .reasons(key)
            .into_iter()
            .map(|r| ReasonView {
                name: r.as_str(),
                label: reason_label(r),
            })
            .collect(),
        justification: entry.and_then(|e| e.justification.clone()),
        documents: project.documents_for(key).to_vec(),
        soa_documents: project.counting_documents_for(key).collect(),
        counting_documents: project.counting_documents_for(key).count(),
        risks: project.risks_for(key).to_vec(),
        related,
        related_elsewhere,
        attributes: control
            .attributes
            .iter()
            .map(|(name, values)| (name.replace('_', " "), values.join(", ")))
            .collect(),
        attribute_kinds: control
            .attributes
            .iter()
            .map(|(name, values)| attribute_view(name, values))
            .collect(),
        requirement: requirement_view(project, key),
        ready: project.is_ready(key),
        records: super::registers::control_records(project, key),
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
        soa: catalog.is_controls(),
        coverage: CoverageView::new(project, &project.summary.coverage[framework]),
        groups,
        kind: if catalog.is_controls() {
            "controls"
        } else {
            "requirements"
        },
        requirements_url: (!catalog.is_controls())
            .then(|| routes::requirements_url(&project.frameworks, framework)),
        requirements: requirements_coverage(project, framework),
    }
}

#[cfg(test)]
mod tests {
    use super::humanise;

    #[test]
    fn identifiers_read_as_words_and_other_text_as_written() {
        assert_eq!(
            humanise("governance_and_ecosystem"),
            "Governance and ecosystem"
        );
        assert_eq!(humanise("control_type"), "Control type");
        assert_eq!(humanise("preventive"), "Preventive");
        assert_eq!(humanise("KMS configuration"), "KMS configuration");
        assert_eq!(humanise("Already Cased"), "Already Cased");
        assert_eq!(humanise("soc_2__type_ii"), "Soc 2 type ii");
        assert_eq!(humanise("_"), "_");
        assert_eq!(humanise(""), "");
    }
}
