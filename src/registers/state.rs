//! Where the registers stand on a given day, in figures: what a readiness page, a dashboard or
//! the lints need to know without walking the registers again.

use jiff::civil::Date;

use super::Registers;
use super::inputs::ReviewInput;

/// The registers' state on `today`. Lists hold indices into the registers' entries, in file
/// order.
#[derive(Debug, Clone, Default)]
pub struct RegisterState {
    /// The audits of the programme.
    pub audits: usize,
    /// The audits performed (with `performed`).
    pub audits_performed: usize,
    /// Audits planned before today and not performed (`audit-overdue`), into
    /// `registers.audits.audits`.
    pub audits_overdue: Vec<usize>,
    /// Every finding.
    pub findings: usize,
    /// Findings without `closed`, into `registers.findings.findings`.
    pub open_findings: Vec<usize>,
    /// Open major nonconformities (`finding-open-major`), into `registers.findings.findings`.
    pub open_majors: Vec<usize>,
    /// Corrective actions past their `due` and not done (`finding-action-overdue`), as
    /// (finding, action) indices.
    pub overdue_actions: Vec<(usize, usize)>,
    /// Every evidence item.
    pub evidence: usize,
    /// Evidence past its expiry (`evidence-expired`), into `registers.evidence.items`.
    pub expired_evidence: Vec<usize>,
    /// Evidence valid today but expiring within `due_soon_days` (`evidence-expiring`).
    pub expiring_evidence: Vec<usize>,
    /// The last management review held by today, into `registers.reviews.reviews`.
    pub last_review: Option<usize>,
    /// The 9.3.2 inputs the last review did not cover (`management-review-incomplete`).
    pub missing_inputs: Vec<&'static ReviewInput>,
    /// When the next management review is due (`interval` after the last one).
    pub next_review_due: Option<Date>,
}

impl RegisterState {
    /// The state of `registers` on `today`, with evidence "expiring" within `due_soon_days`.
    pub fn of(registers: &Registers, today: Date, due_soon_days: i64) -> Self {
        let audits = &registers.audits.audits;
        let findings = &registers.findings.findings;
        let items = &registers.evidence.items;
        let indices =
            |n: usize, keep: &dyn Fn(usize) -> bool| (0..n).filter(|&i| keep(i)).collect();
        let reviews = &registers.reviews;
        let last_review = reviews
            .last(today)
            .and_then(|last| reviews.reviews.iter().position(|r| std::ptr::eq(r, last)));
        RegisterState {
            audits: audits.len(),
            audits_performed: audits.iter().filter(|a| a.performed.is_some()).count(),
            audits_overdue: indices(audits.len(), &|i| audits[i].is_overdue(today)),
            findings: findings.len(),
            open_findings: indices(findings.len(), &|i| findings[i].is_open()),
            open_majors: indices(findings.len(), &|i| findings[i].is_open_major()),
            overdue_actions: findings
                .iter()
                .enumerate()
                .flat_map(|(f, finding)| {
                    finding
                        .actions
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.is_overdue(today))
                        .map(move |(a, _)| (f, a))
                })
                .collect(),
            evidence: items.len(),
            expired_evidence: indices(items.len(), &|i| items[i].is_expired(today)),
            expiring_evidence: indices(items.len(), &|i| {
                items[i].is_expiring(today, due_soon_days)
            }),
            last_review,
            missing_inputs: last_review
                .map(|i| reviews.reviews[i].missing_inputs())
                .unwrap_or_default(),
            next_review_due: reviews.next_due(today),
        }
    }

    /// Whether every audit due by today was performed.
    pub fn audits_on_plan(&self) -> bool {
        self.audits_overdue.is_empty()
    }

    /// Whether the next management review's due date has passed (never without a review).
    pub fn review_overdue(&self, today: Date) -> bool {
        self.next_review_due.is_some_and(|d| d < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Frameworks, built_in};
    use crate::registers::RegisterFiles;
    use crate::source::SourceText;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_state_counts_what_is_late_open_and_expiring() {
        let text = |name: &str, t: &str| Some(SourceText::new(name, t.to_string()));
        let files = RegisterFiles {
            audits: text(
                "audits.toml",
                "[[audits]]\nid = \"A1\"\ntitle = \"x\"\nplanned = 2026-01-01\n\n\
                 [[audits]]\nid = \"A2\"\ntitle = \"y\"\nplanned = 2026-01-01\nperformed = 2026-01-02\n\n\
                 [[audits]]\nid = \"A3\"\ntitle = \"z\"\nplanned = 2026-11-01\n",
            ),
            findings: text(
                "findings.toml",
                "[[findings]]\nid = \"F1\"\nkind = \"major\"\n\
                 actions = [{ id = \"C1\", action = \"a\", due = 2026-10-31 }, { id = \"C2\", action = \"b\", due = 2026-11-01 }]\n\n\
                 [[findings]]\nid = \"F2\"\nkind = \"major\"\nclosed = 2026-10-01\n\n\
                 [[findings]]\nid = \"F3\"\nkind = \"minor\"\n",
            ),
            evidence: text(
                "evidence.toml",
                "[[evidence]]\nid = \"E1\"\ntitle = \"x\"\nexpires = 2026-11-01\n\n\
                 [[evidence]]\nid = \"E2\"\ntitle = \"y\"\ncollected = 2026-08-01\nvalid_for = \"3 months\"\n\n\
                 [[evidence]]\nid = \"E3\"\ntitle = \"z\"\nexpires = 2026-12-01\n\n\
                 [[evidence]]\nid = \"E4\"\ntitle = \"w\"\n",
            ),
            reviews: text(
                "management-reviews.toml",
                "[management]\ninterval = \"6 months\"\n[[reviews]]\ndate = 2026-03-01\ninputs = [\"a\"]\n\n\
                 [[reviews]]\ndate = 2026-05-01\ninputs = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\"]\n\n\
                 [[reviews]]\ndate = 2027-01-01\n",
            ),
        };
        let frameworks = Frameworks {
            catalogs: vec![built_in("iso27001-2022").unwrap()],
        };
        let mut out = Vec::new();
        let registers = Registers::parse(&files, &frameworks, &mut out);
        assert_eq!(out, []);
        let today = date("2026-11-01");
        let state = RegisterState::of(&registers, today, 30);
        assert_eq!((state.audits, state.audits_performed), (3, 1));
        assert_eq!(state.audits_overdue, [0]);
        assert!(!state.audits_on_plan());
        assert_eq!(state.findings, 3);
        assert_eq!(state.open_findings, [0, 2]);
        assert_eq!(state.open_majors, [0]);
        assert_eq!(state.overdue_actions, [(0, 0)]);
        assert_eq!(state.evidence, 4);
        assert_eq!(state.expired_evidence, [0, 1]);
        assert_eq!(state.expiring_evidence, [2]);
        assert_eq!(state.last_review, Some(1));
        let missing: Vec<&str> = state
            .missing_inputs
            .iter()
            .map(|i| i.item.as_str())
            .collect();
        assert_eq!(missing, ["d", "d.1", "d.2", "d.3", "d.4"]);
        assert_eq!(state.next_review_due, Some(date("2026-11-01")));
        assert!(!state.review_overdue(today));
        assert!(state.review_overdue(date("2026-11-02")));
        let empty = RegisterState::of(&Registers::default(), today, 30);
        assert!(empty.audits_on_plan() && empty.last_review.is_none());
        assert!(!empty.review_overdue(today));
    }
}
