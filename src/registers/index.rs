//! Which audits, findings and evidence items name each control (directly, or as a clause of the
//! clause catalog when it is in use), for the control pages and readiness.

use std::collections::HashMap;

use crate::catalog::{ControlKey, Frameworks};
use crate::clauses::CLAUSE_CATALOG;

use super::Registers;
use super::scope::{Clause, clause_of_control, is_within};

/// The register entries of one control, indices in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlRecords {
    /// Audits with it in scope, into `registers.audits.audits`.
    pub audits: Vec<usize>,
    /// Findings about it, into `registers.findings.findings`.
    pub findings: Vec<usize>,
    /// Evidence for it, into `registers.evidence.items`.
    pub evidence: Vec<usize>,
}

/// The records of every control that has any.
pub fn by_control(
    registers: &Registers,
    frameworks: &Frameworks,
) -> HashMap<ControlKey, ControlRecords> {
    let mut map: HashMap<ControlKey, ControlRecords> = HashMap::new();
    // The clause catalog's controls, when it is in use, with their clauses.
    let clause_keys: Vec<(ControlKey, Clause)> = frameworks
        .by_id(CLAUSE_CATALOG)
        .map(|framework| {
            (0..frameworks.catalogs[framework].controls.len())
                .map(|control| ControlKey { framework, control })
                .filter_map(|k| clause_of_control(frameworks, k).map(|c| (k, c)))
                .collect()
        })
        .unwrap_or_default();
    let clause_controls = |clauses: &mut dyn Iterator<Item = Clause>| -> Vec<ControlKey> {
        let clauses: Vec<Clause> = clauses.collect();
        clause_keys
            .iter()
            .filter(|(_, c)| clauses.iter().any(|outer| is_within(c, outer)))
            .map(|(k, _)| *k)
            .collect()
    };
    let mut add =
        |keys: Vec<ControlKey>, pick: fn(&mut ControlRecords) -> &mut Vec<usize>, i: usize| {
            for key in keys {
                let list = pick(map.entry(key).or_default());
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        };
    for (i, audit) in registers.audits.audits.iter().enumerate() {
        let mut keys: Vec<ControlKey> = audit.scope.iter().map(|c| c.value).collect();
        keys.extend(clause_controls(&mut audit.clauses.iter().map(|c| c.value)));
        add(keys, |r| &mut r.audits, i);
    }
    for (i, finding) in registers.findings.findings.iter().enumerate() {
        let mut keys: Vec<ControlKey> = finding.controls.iter().map(|c| c.value).collect();
        keys.extend(clause_controls(
            &mut finding.clauses.iter().map(|c| c.value),
        ));
        add(keys, |r| &mut r.findings, i);
    }
    for (i, item) in registers.evidence.items.iter().enumerate() {
        let mut keys: Vec<ControlKey> = item.controls.iter().map(|c| c.value).collect();
        keys.extend(clause_controls(&mut item.clauses.iter().map(|c| c.value)));
        add(keys, |r| &mut r.evidence, i);
    }
    map
}
