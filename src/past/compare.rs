//! The change report between two states of the ISMS: documents added, removed and renamed;
//! bodies (sections touched, lines added and removed) and metadata changed; SoA decisions
//! changed; risks added, closed, removed and re-scored; control coverage gained and lost.
//! Computed from two resolved projects; the renderer's `changes` module writes it out.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::catalog::ControlKey;
use crate::model::{CoverageState, Document, Project};
use crate::risks::{Risk, RiskStatus};

use crate::history::diff;
use crate::history::git;

/// A point of the report: the commit (or the working tree) and its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct End {
    /// How the user named it (`v1.0`, `2026-06-22`, `HEAD`).
    pub point: String,
    /// The full commit hash, or `null` for the working tree.
    pub commit: Option<String>,
    /// The abbreviated hash.
    pub short: Option<String>,
    /// The commit date (`YYYY-MM-DD`), or the build's day for the working tree.
    pub date: String,
}

/// A document as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    /// Source path.
    pub path: String,
    /// Title.
    pub title: String,
    /// `id`, when it has one.
    pub id: Option<String>,
}

/// A document that moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// Its path before.
    pub from: String,
    /// Its path after.
    pub to: String,
    /// Its title after.
    pub title: String,
}

/// One field that changed, old → new (`null` when unset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field (`owner`, `status`, `applicable`…).
    pub field: &'static str,
    /// Its value before.
    pub old: Option<String>,
    /// Its value after.
    pub new: Option<String>,
}

/// A document present at both ends whose content changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocChange {
    /// The document at the later end.
    #[serde(flatten)]
    pub document: DocRef,
    /// Its path at the earlier end, when it was renamed.
    pub renamed_from: Option<String>,
    /// The headings of the sections whose lines changed, in order.
    pub sections: Vec<String>,
    /// Body lines added.
    pub lines_added: usize,
    /// Body lines removed.
    pub lines_removed: usize,
    /// Front-matter fields that changed.
    pub metadata: Vec<FieldChange>,
}

/// The document changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentChanges {
    /// New documents.
    pub added: Vec<DocRef>,
    /// Documents gone.
    pub removed: Vec<DocRef>,
    /// Documents moved (also listed in `changed` when their content changed too).
    pub renamed: Vec<Renamed>,
    /// Documents whose body or metadata changed.
    pub changed: Vec<DocChange>,
}

/// A control whose SoA decision changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoaChange {
    /// The control id as the site shows it.
    pub control: String,
    /// Its title.
    pub title: String,
    /// What changed: `applicable`, `implementation`, `justification`.
    pub changes: Vec<FieldChange>,
}

/// A risk as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskRef {
    /// The risk id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A risk whose scores changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rescored {
    /// The risk.
    #[serde(flatten)]
    pub risk: RiskRef,
    /// Inherent and residual ratings, old → new (`likelihood×impact=score`).
    pub changes: Vec<FieldChange>,
}

/// The risk changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RiskChanges {
    /// New risks.
    pub added: Vec<RiskRef>,
    /// Risks whose status became `closed`.
    pub closed: Vec<RiskRef>,
    /// Risks no longer in the register.
    pub removed: Vec<RiskRef>,
    /// Risks re-scored.
    pub rescored: Vec<Rescored>,
}

/// A control whose coverage state changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageChange {
    /// The control id as the site shows it.
    pub control: String,
    /// Its title.
    pub title: String,
    /// Its state before (`covered`, `weak`, `gap`, or `not-applicable`).
    pub old: &'static str,
    /// Its state after.
    pub new: &'static str,
}

/// Control coverage gained and lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoverageChanges {
    /// Controls whose coverage got better (a gap became weak or covered, weak became covered).
    pub gained: Vec<CoverageChange>,
    /// Controls whose coverage got worse.
    pub lost: Vec<CoverageChange>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeReport {
    /// The earlier end.
    pub since: End,
    /// The later end.
    pub until: End,
    /// Document changes.
    pub documents: DocumentChanges,
    /// SoA decisions changed, in matrix order.
    pub soa: Vec<SoaChange>,
    /// Risk changes.
    pub risks: RiskChanges,
    /// Coverage gained and lost, in matrix order.
    pub coverage: CoverageChanges,
    /// The registers (audits, findings, evidence, management reviews) that changed.
    pub registers: Vec<super::registers::RegisterChange>,
}

impl ChangeReport {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        let d = &self.documents;
        let r = &self.risks;
        d.added.is_empty()
            && d.removed.is_empty()
            && d.renamed.is_empty()
            && d.changed.is_empty()
            && self.soa.is_empty()
            && r.added.is_empty()
            && r.closed.is_empty()
            && r.removed.is_empty()
            && r.rescored.is_empty()
            && self.coverage.gained.is_empty()
            && self.coverage.lost.is_empty()
            && self.registers.is_empty()
    }
}

/// The documents git saw renamed from commit `from` to commit `to` (`None`: the working tree),
/// below `dir`: (old path, new path).
pub fn renames(dir: &Path, from: &str, to: Option<&str>) -> Vec<(String, String)> {
    let mut args = vec![
        "diff",
        "-z",
        "--name-status",
        "-M",
        "--relative",
        "--end-of-options",
        from,
    ];
    args.extend(to);
    args.extend(["--", "."]);
    let Some(out) = git::output(dir, &args) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut tokens = text.split('\0');
    let mut found = Vec::new();
    while let Some(status) = tokens.next() {
        match status.bytes().next() {
            Some(b'R') => {
                if let (Some(a), Some(b)) = (tokens.next(), tokens.next()) {
                    found.push((a.to_string(), b.to_string()));
                }
            }
            Some(b'C') => {
                tokens.next();
                tokens.next();
            }
            Some(_) => {
                tokens.next();
            }
            None => {}
        }
    }
    found
}

/// The report from `old` to `new`, with the renames git saw.
pub fn compare(
    old: &Project,
    new: &Project,
    renames: &[(String, String)],
    since: End,
    until: End,
) -> ChangeReport {
    ChangeReport {
        since,
        until,
        documents: documents(old, new, renames),
        soa: soa(old, new),
        risks: risks(old, new),
        coverage: coverage(old, new),
        registers: super::registers::compare(old, new),
    }
}

fn doc_ref(doc: &Document) -> DocRef {
    DocRef {
        path: doc.path().to_string(),
        title: doc.title.clone(),
        id: doc.meta.id.as_ref().map(|i| i.value.clone()),
    }
}

fn documents(old: &Project, new: &Project, renames: &[(String, String)]) -> DocumentChanges {
    let mut changes = DocumentChanges::default();
    let renamed_to: HashMap<&str, &str> = renames
        .iter()
        .filter(|(a, b)| old.document_by_path(a).is_some() && new.document_by_path(b).is_some())
        .map(|(a, b)| (b.as_str(), a.as_str()))
        .collect();
    let moved_away: HashSet<&str> = renamed_to.values().copied().collect();
    for doc in &new.documents {
        let path = doc.path();
        let from = renamed_to.get(path).copied();
        let earlier = from.unwrap_or(path);
        let Some(o) = old
            .document_by_path(earlier)
            .filter(|_| from.is_some() || !moved_away.contains(path))
        else {
            changes.added.push(doc_ref(doc));
            continue;
        };
        if let Some(from) = from {
            changes.renamed.push(Renamed {
                from: from.to_string(),
                to: path.to_string(),
                title: doc.title.clone(),
            });
        }
        if let Some(change) = document_change(old, &old.documents[o], new, doc, from) {
            changes.changed.push(change);
        }
    }
    for doc in &old.documents {
        let path = doc.path();
        if !moved_away.contains(path) && new.document_by_path(path).is_none() {
            changes.removed.push(doc_ref(doc));
        }
    }
    changes
}

fn document_change(
    old_project: &Project,
    old: &Document,
    new_project: &Project,
    new: &Document,
    from: Option<&str>,
) -> Option<DocChange> {
    let old_body = crate::load::document_body(&old_project.root, old).unwrap_or_default();
    let new_body = crate::load::document_body(&new_project.root, new).unwrap_or_default();
    let old_lines: Vec<&str> = old_body.lines().collect();
    let new_lines: Vec<&str> = new_body.lines().collect();
    let diff = diff::lines(&old_lines, &new_lines);
    let metadata = metadata(old_project, old, new_project, new);
    if diff.added.is_empty() && diff.removed.is_empty() && metadata.is_empty() {
        return None;
    }
    let new_sections = sections_of(&new_lines);
    let old_sections = sections_of(&old_lines);
    let mut sections: Vec<String> = Vec::new();
    let touched = diff
        .added
        .iter()
        .map(|&i| &new_sections[i])
        .chain(diff.removed.iter().map(|&i| &old_sections[i]));
    for section in touched {
        if !sections.contains(section) {
            sections.push(section.clone());
        }
    }
    Some(DocChange {
        document: doc_ref(new),
        renamed_from: from.map(str::to_string),
        sections,
        lines_added: diff.added.len(),
        lines_removed: diff.removed.len(),
        metadata,
    })
}

/// The section each line is in: the text of the last ATX heading at or before it (outside code
/// fences), or `(top)` before the first.
fn sections_of(lines: &[&str]) -> Vec<String> {
    let mut current = "(top)".to_string();
    let mut fence: Option<&str> = None;
    let mut sections = Vec::with_capacity(lines.len());
    for line in lines {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if line.len() - trimmed.len() < 4 && trimmed.starts_with('#') {
            let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
            let rest = &trimmed[hashes..];
            if hashes <= 6 && (rest.is_empty() || rest.starts_with([' ', '\t'])) {
                current = rest.trim().trim_end_matches('#').trim().to_string();
            }
        }
        sections.push(current.clone());
    }
    sections
}

fn metadata(
    old_project: &Project,
    old: &Document,
    new_project: &Project,
    new: &Document,
) -> Vec<FieldChange> {
    let fields = |p: &Project, d: &Document| -> Vec<(&'static str, Option<String>)> {
        let m = &d.meta;
        let controls: Vec<String> = d
            .control_keys()
            .map(|k| p.frameworks.display_id(k))
            .collect();
        vec![
            ("title", Some(d.title.clone())),
            ("id", m.id.as_ref().map(|i| i.value.clone())),
            ("owner", m.owner.clone()),
            ("status", Some(m.status.as_str().to_string())),
            ("version", m.version.clone()),
            ("approver", m.approver.clone()),
            (
                "approved_on",
                m.approved_on.as_ref().map(|d| d.value.to_string()),
            ),
            ("classification", m.classification.clone()),
            ("effective", m.effective.map(|d| d.to_string())),
            (
                "last_reviewed",
                m.last_reviewed.as_ref().map(|d| d.value.to_string()),
            ),
            ("next_review", d.review.next.map(|d| d.to_string())),
            (
                "review_interval",
                m.review_interval.as_ref().map(|i| i.value.to_string()),
            ),
            (
                "controls",
                (!controls.is_empty()).then(|| controls.join(", ")),
            ),
        ]
    };
    fields(old_project, old)
        .into_iter()
        .zip(fields(new_project, new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, old), (_, new))| FieldChange { field, old, new })
        .collect()
}

/// The controls of `project`'s control catalogs (not requirements), by `framework:id`.
fn controls_by_id(project: &Project) -> HashMap<String, ControlKey> {
    let mut keys = HashMap::new();
    for (f, catalog) in project.frameworks.catalogs.iter().enumerate() {
        for c in 0..catalog.controls.len() {
            let key = ControlKey {
                framework: f,
                control: c,
            };
            keys.insert(project.frameworks.qualified_id(key), key);
        }
    }
    keys
}

/// Each control of `new`'s catalogs with its key in `old`, in matrix order.
fn paired_controls<'a>(
    old: &'a Project,
    new: &'a Project,
) -> impl Iterator<Item = (ControlKey, Option<ControlKey>)> + 'a {
    let old_keys = controls_by_id(old);
    (0..new.frameworks.catalogs.len())
        .flat_map(move |f| new.matrix_controls(f))
        .map(move |key| {
            let id = new.frameworks.qualified_id(key);
            (key, old_keys.get(&id).copied())
        })
}

fn soa(old: &Project, new: &Project) -> Vec<SoaChange> {
    let decision = |p: &Project, key: ControlKey| -> [(&'static str, Option<String>); 3] {
        let entry = p.soa.entry(key);
        [
            (
                "applicable",
                Some(
                    if p.soa.is_applicable(key) {
                        "yes"
                    } else {
                        "no"
                    }
                    .to_string(),
                ),
            ),
            (
                "implementation",
                entry
                    .and_then(|e| e.implementation.as_ref())
                    .map(|i| i.value.as_str().to_string()),
            ),
            ("justification", entry.and_then(|e| e.justification.clone())),
        ]
    };
    paired_controls(old, new)
        .filter(|(key, _)| new.frameworks.catalogs[key.framework].is_controls())
        .filter_map(|(key, old_key)| {
            let old_key = old_key?;
            let changes: Vec<FieldChange> = decision(old, old_key)
                .into_iter()
                .zip(decision(new, key))
                .filter(|((_, a), (_, b))| a != b)
                .map(|((field, old), (_, new))| FieldChange { field, old, new })
                .collect();
            (!changes.is_empty()).then(|| SoaChange {
                control: new.frameworks.display_id(key),
                title: new.frameworks.control(key).title.clone(),
                changes,
            })
        })
        .collect()
}

fn risk_ref(risk: &Risk) -> RiskRef {
    RiskRef {
        id: risk.id.clone(),
        title: risk.title.clone(),
    }
}

fn rating(likelihood: Option<u8>, impact: Option<u8>) -> Option<String> {
    let (l, i) = (likelihood?, impact?);
    Some(format!("{l}×{i}={}", u16::from(l) * u16::from(i)))
}

fn risks(old: &Project, new: &Project) -> RiskChanges {
    let mut changes = RiskChanges::default();
    let before: HashMap<&str, &Risk> = old.risks.iter().map(|r| (r.id.as_str(), r)).collect();
    let after: HashSet<&str> = new.risks.iter().map(|r| r.id.as_str()).collect();
    for risk in &new.risks {
        let Some(was) = before.get(risk.id.as_str()) else {
            changes.added.push(risk_ref(risk));
            continue;
        };
        if risk.status.value == RiskStatus::Closed && was.status.value != RiskStatus::Closed {
            changes.closed.push(risk_ref(risk));
        }
        let scores = |r: &Risk| {
            [
                ("inherent", rating(r.likelihood, r.impact)),
                ("residual", rating(r.residual_likelihood, r.residual_impact)),
            ]
        };
        let rescored: Vec<FieldChange> = scores(was)
            .into_iter()
            .zip(scores(risk))
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, old), (_, new))| FieldChange { field, old, new })
            .collect();
        if !rescored.is_empty() {
            changes.rescored.push(Rescored {
                risk: risk_ref(risk),
                changes: rescored,
            });
        }
    }
    changes.removed = old
        .risks
        .iter()
        .filter(|r| !after.contains(r.id.as_str()))
        .map(risk_ref)
        .collect();
    changes
}

/// A control's coverage state, `not-applicable` when the SoA excludes it.
fn state(project: &Project, key: ControlKey) -> &'static str {
    if !project.soa.is_applicable(key) {
        return "not-applicable";
    }
    project.coverage_state(key).as_str()
}

fn rank(state: &str) -> u8 {
    match state {
        s if s == CoverageState::Covered.as_str() => 2,
        s if s == CoverageState::Weak.as_str() => 1,
        _ => 0,
    }
}

fn coverage(old: &Project, new: &Project) -> CoverageChanges {
    let mut changes = CoverageChanges::default();
    for (key, old_key) in paired_controls(old, new) {
        let was = old_key.map_or(CoverageState::Gap.as_str(), |k| state(old, k));
        let is = state(new, key);
        if was == is || (was == "not-applicable") != (is == "not-applicable") {
            continue;
        }
        let change = CoverageChange {
            control: new.frameworks.display_id(key),
            title: new.frameworks.control(key).title.clone(),
            old: was,
            new: is,
        };
        if rank(is) > rank(was) {
            changes.gained.push(change);
        } else {
            changes.lost.push(change);
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::sections_of;

    #[test]
    fn lines_belong_to_the_last_heading_outside_code() {
        let lines = [
            "intro",
            "## Scope",
            "text",
            "```",
            "# not a heading",
            "```",
            "more",
        ];
        let sections = sections_of(&lines);
        assert_eq!(sections[0], "(top)");
        assert_eq!(sections[2], "Scope");
        assert_eq!(sections[6], "Scope");
    }
}
