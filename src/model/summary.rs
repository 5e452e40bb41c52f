//! The project in figures, computed once in the model: control coverage per framework, review
//! groups, owners, and the counts of the dashboard. Views, exports and the `reviews` report all
//! read these, so that every page and file agrees.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::catalog::ControlKey;
use crate::frontmatter::{Kind, Status};
use crate::model::{ControlStatus, CoverageState, Document, Project};
use crate::review::ReviewState;
use crate::routes::slug;
use crate::soa::Implementation;

/// Counts of one framework's controls by where they stand. Every applicable control is in
/// exactly one coverage state ([`CoverageState`]): `covered + weak + gaps == applicable`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// All controls shown on the matrix.
    pub total: usize,
    /// Applicable controls.
    pub applicable: usize,
    /// Excluded in the SoA.
    pub not_applicable: usize,
    /// Applicable controls that an approved document within its review date maps to.
    pub covered: usize,
    /// Applicable controls with only documents in review or overdue for review.
    pub weak: usize,
    /// Applicable controls with no document that counts (none, or only drafts and retired
    /// ones), whatever the SoA states of their implementation.
    pub gaps: usize,
    /// The weak controls, in matrix order.
    pub weak_controls: Vec<ControlKey>,
    /// Stated `implemented`.
    pub implemented: usize,
    /// Stated `partial`.
    pub partial: usize,
    /// Stated `planned`.
    pub planned: usize,
    /// Stated `not-implemented`.
    pub not_implemented: usize,
}

impl Coverage {
    /// `covered` as a whole percentage of `applicable`, rounded down (100 when nothing
    /// applies).
    pub fn percent(&self) -> usize {
        (self.covered * 100)
            .checked_div(self.applicable)
            .unwrap_or(100)
    }
}

/// Documents by review state, as indices into the project's documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewGroups {
    /// Overdue, most overdue first.
    pub overdue: Vec<usize>,
    /// Due within `due_soon_days`, soonest first.
    pub due_soon: Vec<usize>,
    /// Reviewed on time and due later, soonest first.
    pub current: Vec<usize>,
    /// Tracked but with no review date.
    pub missing: Vec<usize>,
    /// Recently reviewed or made effective, newest first (at most 8).
    pub recent: Vec<usize>,
}

impl ReviewGroups {
    /// Documents with review tracking (approved or in review).
    pub fn tracked(&self) -> usize {
        self.overdue.len() + self.due_soon.len() + self.current.len() + self.missing.len()
    }
}

/// An owner and their documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The owner as first written.
    pub name: String,
    /// The URL slug (owners whose names slug alike are one owner).
    pub slug: String,
    /// Their documents, soonest next review first, undated last.
    pub documents: Vec<usize>,
    /// How many of them are overdue.
    pub overdue: usize,
    /// How many are due soon.
    pub due_soon: usize,
}

/// The figures of a whole project.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Coverage of each framework in use, in framework order.
    pub coverage: Vec<Coverage>,
    /// Documents by review state.
    pub reviews: ReviewGroups,
    /// Owners, by name ignoring case.
    pub owners: Vec<Owner>,
    /// How many documents have each status, in [`Status::ALL`] order.
    pub by_status: Vec<(Status, usize)>,
    /// How many documents have each kind, for kinds present, in [`Kind::ALL`] order.
    pub by_kind: Vec<(Kind, usize)>,
}

impl Summary {
    /// The figures of `project`.
    pub fn of(project: &Project) -> Summary {
        let docs = &project.documents;
        Summary {
            coverage: (0..project.frameworks.catalogs.len())
                .map(|f| coverage(project, f))
                .collect(),
            reviews: review_groups(project),
            owners: owners(docs),
            by_status: Status::ALL
                .iter()
                .map(|&s| (s, docs.iter().filter(|d| d.meta.status == s).count()))
                .collect(),
            by_kind: Kind::ALL
                .iter()
                .map(|&k| (k, docs.iter().filter(|d| d.meta.kind == k).count()))
                .filter(|&(_, n)| n > 0)
                .collect(),
        }
    }
}

fn coverage(project: &Project, framework: usize) -> Coverage {
    let mut coverage = Coverage::default();
    for key in project.matrix_controls(framework) {
        coverage.total += 1;
        if !project.soa.is_applicable(key) {
            coverage.not_applicable += 1;
            continue;
        }
        coverage.applicable += 1;
        match project.coverage_state(key) {
            CoverageState::Covered => coverage.covered += 1,
            CoverageState::Weak => {
                coverage.weak += 1;
                coverage.weak_controls.push(key);
            }
            CoverageState::Gap => coverage.gaps += 1,
        }
        if let ControlStatus::Stated(stated) = project.control_status(key) {
            *match stated {
                Implementation::Implemented => &mut coverage.implemented,
                Implementation::Partial => &mut coverage.partial,
                Implementation::Planned => &mut coverage.planned,
                Implementation::NotImplemented => &mut coverage.not_implemented,
            } += 1;
        }
    }
    coverage
}

fn review_groups(project: &Project) -> ReviewGroups {
    let docs = &project.documents;
    let by_state = |state: ReviewState| {
        let mut list: Vec<usize> = (0..docs.len())
            .filter(|&i| docs[i].review.state == state)
            .collect();
        list.sort_by_key(|&i| (docs[i].review.days_left, i));
        list
    };
    let mut recent: Vec<(Date, usize)> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| last_activity(project.today, d).map(|(date, _)| (date, i)))
        .collect();
    recent.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ReviewGroups {
        overdue: by_state(ReviewState::Overdue),
        due_soon: by_state(ReviewState::DueSoon),
        current: by_state(ReviewState::Ok),
        missing: by_state(ReviewState::Missing),
        recent: recent.into_iter().take(8).map(|(_, i)| i).collect(),
    }
}

/// What a document's last activity was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// It was reviewed.
    Reviewed,
    /// It took effect.
    Effective,
}

/// The later of a document's last review and its effective date, up to `today`.
pub fn last_activity(today: Date, doc: &Document) -> Option<(Date, Activity)> {
    let reviewed = doc
        .meta
        .last_reviewed
        .as_ref()
        .map(|l| (l.value, Activity::Reviewed));
    let effective = doc.meta.effective.map(|d| (d, Activity::Effective));
    reviewed
        .into_iter()
        .chain(effective)
        .filter(|(d, _)| *d <= today)
        .max_by_key(|(d, _)| *d)
}

fn owners(docs: &[Document]) -> Vec<Owner> {
    let mut by_slug: BTreeMap<String, Owner> = BTreeMap::new();
    // Owners are few and documents many: slug each name once.
    let mut slugs: rustc_hash::FxHashMap<&str, String> = Default::default();
    for (i, doc) in docs.iter().enumerate() {
        let Some(name) = &doc.meta.owner else {
            continue;
        };
        let slug = slugs
            .entry(name.as_str())
            .or_insert_with(|| slug(name))
            .clone();
        let owner = by_slug.entry(slug.clone()).or_insert_with(|| Owner {
            name: name.clone(),
            slug,
            documents: Vec::new(),
            overdue: 0,
            due_soon: 0,
        });
        owner.documents.push(i);
        match doc.review.state {
            ReviewState::Overdue => owner.overdue += 1,
            ReviewState::DueSoon => owner.due_soon += 1,
            _ => {}
        }
    }
    let mut owners: Vec<Owner> = by_slug.into_values().collect();
    for owner in &mut owners {
        let key = |i: usize| (docs[i].review.next.is_none(), docs[i].review.next, i);
        owner.documents.sort_by_key(|&i| key(i));
    }
    owners.sort_by_key(|o| o.name.to_lowercase());
    owners
}
