//! What the project says of each control: its documents and risks, its SoA decision and
//! reasons, where it stands (applicability and implementation) and how well documents cover it.

use std::collections::HashMap;

use crate::catalog::{ControlKey, Frameworks};
use crate::frontmatter::Status;
use crate::review::ReviewState;
use crate::soa::{Implementation, Reason, SoaEntry};

use super::Project;

/// Where a control stands: applicability and implementation, as the control matrix shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ControlStatus {
    /// Excluded in the SoA.
    NotApplicable,
    /// The SoA states an implementation.
    Stated(Implementation),
    /// Not stated; documents cover it (fully or weakly).
    Documented,
    /// Applicable, not stated, and no document that counts maps to it.
    Gap,
}

impl serde::Serialize for ControlStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl ControlStatus {
    /// The kebab-case name used in exports and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::NotApplicable => "not-applicable",
            ControlStatus::Stated(i) => i.as_str(),
            ControlStatus::Documented => "documented",
            ControlStatus::Gap => "gap",
        }
    }
}

/// How well an applicable control is documented: exactly one of these (serialised as
/// [`CoverageState::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageState {
    /// An approved document within its review date maps to it.
    Covered,
    /// Only documents in review, or approved ones overdue for review, map to it.
    Weak,
    /// Nothing maps to it, or only drafts and retired documents.
    Gap,
}

impl CoverageState {
    /// The kebab-case name used in exports and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageState::Covered => "covered",
            CoverageState::Weak => "weak",
            CoverageState::Gap => "gap",
        }
    }
}

impl Project {
    /// Every document that lists `key`, in path order, whatever its status.
    pub fn documents_for(&self, key: ControlKey) -> &[usize] {
        self.mapped.get(&key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The documents that count for coverage of `key`, fully or weakly: approved or in review.
    pub fn counting_documents_for(&self, key: ControlKey) -> impl Iterator<Item = usize> + '_ {
        self.documents_for(key)
            .iter()
            .copied()
            .filter(|&i| counts_for_coverage(self.documents[i].meta.status))
    }

    /// How well documents cover `key` (whether or not it is applicable). A requirement with
    /// sub-clauses is covered as well as the least covered of them, if its own documents do not
    /// cover it better.
    pub fn coverage_state(&self, key: ControlKey) -> CoverageState {
        let own = self.own_coverage(key);
        let catalog = &self.frameworks.catalogs[key.framework];
        if own == CoverageState::Covered || catalog.is_controls() {
            return own;
        }
        let worst_child = catalog
            .children(key.control)
            .map(|control| {
                self.coverage_state(ControlKey {
                    framework: key.framework,
                    control,
                })
            })
            .max();
        worst_child.map_or(own, |child| own.min(child))
    }

    fn own_coverage(&self, key: ControlKey) -> CoverageState {
        let mut state = CoverageState::Gap;
        for i in self.counting_documents_for(key) {
            let doc = &self.documents[i];
            let current = doc.review.state != ReviewState::Overdue;
            if doc.meta.status == Status::Approved && current {
                return CoverageState::Covered;
            }
            state = CoverageState::Weak;
        }
        state
    }

    /// Whether `key` is ready for an auditor: applicable, covered (an approved document within
    /// its review date maps to it) and backed by evidence that has not expired.
    pub fn is_ready(&self, key: ControlKey) -> bool {
        self.soa.is_applicable(key)
            && self.coverage_state(key) == CoverageState::Covered
            && self
                .registers
                .for_control(key)
                .evidence
                .iter()
                .any(|&i| !self.registers.evidence.items[i].is_expired(self.today))
    }

    /// The risks that list `key`.
    pub fn risks_for(&self, key: ControlKey) -> &[usize] {
        self.risks_by_control
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The SoA decision for `key`, if any.
    pub fn soa_entry(&self, key: ControlKey) -> Option<&SoaEntry> {
        self.soa.entry(key)
    }

    /// Why `key` is included: the reasons the SoA states, and `risk` when a risk is treated by
    /// it (whether or not the SoA says so), in [`Reason::ALL`] order.
    pub fn reasons(&self, key: ControlKey) -> Vec<Reason> {
        let stated = self
            .soa_entry(key)
            .map(|e| e.reasons.as_slice())
            .unwrap_or_default();
        let treats_risk = !self.risks_for(key).is_empty();
        Reason::ALL
            .into_iter()
            .filter(|r| stated.contains(r) || (*r == Reason::Risk && treats_risk))
            .collect()
    }

    /// Where `key` stands for the control matrix.
    pub fn control_status(&self, key: ControlKey) -> ControlStatus {
        match self.soa.entry(key) {
            Some(e) if !e.applicable => ControlStatus::NotApplicable,
            Some(SoaEntry {
                implementation: Some(i),
                ..
            }) => ControlStatus::Stated(i.value),
            _ if self.coverage_state(key) != CoverageState::Gap => ControlStatus::Documented,
            _ => ControlStatus::Gap,
        }
    }

    /// The controls whose `related` names `key`, in catalog order.
    pub fn related_from(&self, key: ControlKey) -> &[ControlKey] {
        self.related_from
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every control of every catalog in use, with its key.
    pub fn all_controls(&self) -> impl Iterator<Item = ControlKey> + '_ {
        self.frameworks
            .catalogs
            .iter()
            .enumerate()
            .flat_map(|(f, c)| {
                (0..c.controls.len()).map(move |i| ControlKey {
                    framework: f,
                    control: i,
                })
            })
    }
}

/// Whether a document with this status counts towards control coverage.
pub fn counts_for_coverage(status: Status) -> bool {
    matches!(status, Status::Approved | Status::Review)
}

/// For each control, the controls of other catalogs in use whose `related` names it.
pub fn map_related_from(frameworks: &Frameworks) -> HashMap<ControlKey, Vec<ControlKey>> {
    let mut from: HashMap<ControlKey, Vec<ControlKey>> = HashMap::new();
    for (f, catalog) in frameworks.catalogs.iter().enumerate() {
        for (c, control) in catalog.controls.iter().enumerate() {
            let key = ControlKey {
                framework: f,
                control: c,
            };
            for related in &control.related {
                if let Ok(target) = frameworks.resolve(related) {
                    let list = from.entry(target).or_default();
                    if target != key && !list.contains(&key) {
                        list.push(key);
                    }
                }
            }
        }
    }
    from
}

#[cfg(test)]
mod tests {
    use super::CoverageState;

    #[test]
    fn coverage_states_serialise_as_their_names() {
        for state in [
            CoverageState::Covered,
            CoverageState::Weak,
            CoverageState::Gap,
        ] {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
    }
}
