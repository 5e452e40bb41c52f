//! Certification readiness, computed once in the model: each item of mandatory documented
//! information with what satisfies it (documents naming its clause, or a register annexa reads),
//! and a verdict per Stage 1 requirement. `/readiness/`, the dashboard, the lints and the audit
//! pack all read it.

use crate::clauses::{self, MandatoryItem};
use crate::frontmatter::Status;
use crate::model::{Document, Project};
use crate::review::ReviewState;

/// Where one mandatory item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemState {
    /// An approved document within its review date, or a register in force, satisfies it.
    Met,
    /// Only drafts, documents in review or documents overdue for review do.
    Stale,
    /// Nothing does.
    Missing,
}

impl ItemState {
    /// The kebab-case name used in CSS classes and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Met => "met",
            ItemState::Stale => "stale",
            ItemState::Missing => "missing",
        }
    }
}

/// A register (a root TOML file) that is documented information for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Register {
    /// `soa.toml`: the Statement of Applicability (6.1.3 d).
    Soa,
    /// `risks.toml`: the risk assessment results (8.2).
    RiskAssessment,
    /// `risks.toml` with its treatment actions: the treatment results (8.3).
    RiskTreatment,
    /// `audits.toml` with an audit: the audit programme and results (9.2.2).
    AuditProgramme,
    /// `management-reviews.toml` with a review held: the results of management reviews (9.3.3).
    ManagementReviews,
    /// `findings.toml`: the nonconformities and corrective actions (10.2).
    Findings,
}

impl Register {
    /// What the register is, as the readiness page names it.
    pub fn label(self) -> &'static str {
        match self {
            Register::Soa => "Statement of Applicability",
            Register::RiskAssessment => "risk register",
            Register::RiskTreatment => "risk treatment actions",
            Register::AuditProgramme => "audit programme",
            Register::ManagementReviews => "management reviews",
            Register::Findings => "nonconformity log",
        }
    }
}

/// A register satisfying an item. A register in the repository meets its item: whether the SoA
/// is approved is `soa-unapproved`'s to say, and the Stage 1 verdicts show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRef {
    /// Which register.
    pub register: Register,
    /// Its file (`soa.toml`).
    pub file: String,
}

/// One mandatory item and what satisfies it.
#[derive(Debug, Clone)]
pub struct ItemStatus {
    /// The item, from the built-in list.
    pub item: &'static MandatoryItem,
    /// Met, stale or missing.
    pub state: ItemState,
    /// The documents whose `clauses` name it (retired ones left out), in path order.
    pub documents: Vec<usize>,
    /// The registers that are it.
    pub registers: Vec<RegisterRef>,
}

impl ItemStatus {
    /// Whether a missing item is a finding: 7.5.1 b (what the organisation itself determines
    /// necessary) is listed, never missing.
    pub fn is_required(&self) -> bool {
        !self.item.organisation_decides
    }
}

/// Ready, needs attention, or not ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing an auditor would stop at.
    Ready,
    /// There, but not yet in the state an auditor expects (drafts, overdue, unapproved).
    Attention,
    /// Missing.
    NotReady,
}

impl Verdict {
    /// The kebab-case name used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Attention => "attention",
            Verdict::NotReady => "not-ready",
        }
    }

    /// The words the pages show.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "Ready",
            Verdict::Attention => "Needs attention",
            Verdict::NotReady => "Not ready",
        }
    }
}

/// A Stage 1 requirement and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// What a certification body checks (`Mandatory documented information`).
    pub name: &'static str,
    /// The clauses it rests on (`4 to 10`).
    pub clauses: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// One sentence on why.
    pub detail: String,
}

/// Certification readiness: the mandatory items and the Stage 1 verdicts.
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    /// Every mandatory item, in clause order.
    pub items: Vec<ItemStatus>,
    /// A verdict per Stage 1 requirement.
    pub requirements: Vec<Requirement>,
}

impl Readiness {
    /// What the project shows of each item and requirement.
    pub fn of(project: &Project) -> Readiness {
        let items: Vec<ItemStatus> = clauses::clauses()
            .mandatory
            .iter()
            .map(|item| item_status(project, item))
            .collect();
        let mut readiness = Readiness {
            items,
            requirements: Vec::new(),
        };
        readiness.requirements = requirements(project, &readiness);
        readiness
    }

    /// How many required items are met, stale and missing (7.5.1 b counts only when named).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |state| {
            self.items
                .iter()
                .filter(|i| i.state == state && (i.is_required() || state != ItemState::Missing))
                .count()
        };
        (
            count(ItemState::Met),
            count(ItemState::Stale),
            count(ItemState::Missing),
        )
    }

    /// The verdict over all requirements: the worst of them.
    pub fn overall(&self) -> Verdict {
        self.requirements
            .iter()
            .map(|r| r.verdict)
            .max()
            .unwrap_or(Verdict::Ready)
    }
}

/// Whether a document satisfying an item counts in full (approved, within its review date),
/// only as stale (a draft, in review, overdue), or not at all (retired).
pub fn document_state(doc: &Document) -> Option<ItemState> {
    match doc.meta.status {
        Status::Retired => None,
        Status::Approved if doc.review.state != ReviewState::Overdue => Some(ItemState::Met),
        _ => Some(ItemState::Stale),
    }
}

fn item_status(project: &Project, item: &'static MandatoryItem) -> ItemStatus {
    let documents: Vec<usize> = project
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.clause_ids().any(|c| c == item.clause))
        .filter(|(_, d)| document_state(d).is_some())
        .map(|(i, _)| i)
        .collect();
    let registers = registers_for(project, &item.clause);
    let best = documents
        .iter()
        .filter_map(|&i| document_state(&project.documents[i]))
        .chain(registers.iter().map(|_| ItemState::Met))
        .min()
        .unwrap_or(ItemState::Missing);
    ItemStatus {
        item,
        state: best,
        documents,
        registers,
    }
}

/// The registers that are the documented information of `clause`, when the project has them.
fn registers_for(project: &Project, clause: &str) -> Vec<RegisterRef> {
    let registers = &project.registers;
    let (file, register) = match clause {
        "6.1.3 d" => (
            project.soa.file.as_ref().filter(|_| project.soa.read),
            Register::Soa,
        ),
        "8.2" => (
            project
                .risks_file
                .as_ref()
                .filter(|_| !project.risks.is_empty()),
            Register::RiskAssessment,
        ),
        "8.3" => (
            project
                .risks_file
                .as_ref()
                .filter(|_| project.risks.iter().any(|r| !r.actions.is_empty())),
            Register::RiskTreatment,
        ),
        "9.2.2" => (
            registers
                .audits
                .file
                .as_ref()
                .filter(|_| !registers.audits.audits.is_empty()),
            Register::AuditProgramme,
        ),
        "9.3.3" => (
            registers
                .reviews
                .file
                .as_ref()
                .filter(|_| project.register_state.last_review.is_some()),
            Register::ManagementReviews,
        ),
        // A log without entries is a record too: no nonconformity raised yet.
        "10.2" => (registers.findings.file.as_ref(), Register::Findings),
        _ => (None, Register::Soa),
    };
    file.map(|file| RegisterRef {
        register,
        file: file.clone(),
    })
    .into_iter()
    .collect()
}

fn requirements(project: &Project, readiness: &Readiness) -> Vec<Requirement> {
    let (met, stale, missing) = readiness.counts();
    let required = met + stale + missing;
    let documented = Requirement {
        name: "Mandatory documented information",
        clauses: "4 to 10",
        verdict: verdict(missing > 0, stale > 0),
        detail: format!("{met} of {required} items met, {stale} stale, {missing} missing"),
    };
    let soa = &project.soa;
    let statement = Requirement {
        name: "Statement of Applicability, approved",
        clauses: "6.1.3 d",
        verdict: verdict(soa.file.is_none(), !soa.statement.is_complete()),
        detail: match (&soa.file, &soa.statement) {
            (None, _) => "no soa.toml".to_string(),
            (Some(_), s) if !s.is_complete() => {
                "soa.toml does not record its version and approval".to_string()
            }
            (Some(_), s) => format!(
                "version {}, approved by {} on {}",
                s.version.as_deref().unwrap_or(""),
                s.approved_by.as_deref().unwrap_or(""),
                s.approved_on.map(|d| d.to_string()).unwrap_or_default()
            ),
        },
    };
    let today = project.today;
    let overdue = project
        .risks
        .iter()
        .flat_map(|r| &r.actions)
        .filter(|a| a.is_overdue(today))
        .count();
    let expired = project
        .risks
        .iter()
        .filter(|r| {
            r.acceptance_expires
                .as_ref()
                .is_some_and(|d| d.value < today)
        })
        .count();
    let risks = Requirement {
        name: "Risk assessment and treatment",
        clauses: "6.1.2, 6.1.3, 8.2, 8.3",
        verdict: verdict(project.risks.is_empty(), overdue + expired > 0),
        detail: if project.risks.is_empty() {
            "no risks in a risk register (risks.toml)".to_string()
        } else {
            format!(
                "{}, {} overdue, {} expired",
                plural(project.risks.len(), "risk"),
                plural(overdue, "treatment action"),
                plural(expired, "risk acceptance")
            )
        },
    };
    let registers = register_requirements(project);
    [documented, statement, risks]
        .into_iter()
        .chain(registers)
        .collect()
}

/// The verdicts on what the ISMS registers record: audits, management review, nonconformities
/// and evidence.
fn register_requirements(project: &Project) -> [Requirement; 4] {
    let r = &project.registers;
    let s = &project.register_state;
    let today = project.today;
    let audits = Requirement {
        name: "Internal audits, performed on plan",
        clauses: "9.2",
        verdict: verdict(s.audits_performed == 0, !s.audits_on_plan()),
        detail: if s.audits == 0 {
            "no audits in an audit programme (audits.toml)".to_string()
        } else {
            format!(
                "{}, {} performed, {} overdue",
                plural(s.audits, "audit"),
                s.audits_performed,
                s.audits_overdue.len()
            )
        },
    };
    let last = s.last_review.map(|i| &r.reviews.reviews[i]);
    let review = Requirement {
        name: "Management review, within its interval and covering every input",
        clauses: "9.3",
        verdict: verdict(
            last.is_none(),
            s.review_overdue(today) || !s.missing_inputs.is_empty(),
        ),
        detail: match last {
            None => "no management review held (management-reviews.toml)".to_string(),
            Some(review) => {
                let mut detail = format!("last held {}", review.date.value);
                if let Some(next) = s.next_review_due {
                    detail.push_str(&format!(", next due {next}"));
                }
                if !s.missing_inputs.is_empty() {
                    let items: Vec<&str> =
                        s.missing_inputs.iter().map(|i| i.item.as_str()).collect();
                    detail.push_str(&format!("; 9.3.2 inputs not covered: {}", items.join(", ")));
                }
                detail
            }
        },
    };
    let findings = Requirement {
        name: "Nonconformities corrected on time",
        clauses: "10.2",
        verdict: verdict(
            r.findings.file.is_none(),
            !s.overdue_actions.is_empty() || !s.open_majors.is_empty(),
        ),
        detail: if r.findings.file.is_none() {
            "no nonconformity log (findings.toml)".to_string()
        } else {
            format!(
                "{}, {} open ({} major), {} overdue",
                plural(s.findings, "finding"),
                s.open_findings.len(),
                s.open_majors.len(),
                plural(s.overdue_actions.len(), "corrective action")
            )
        },
    };
    let evidence = Requirement {
        name: "Evidence to sample, in date",
        clauses: "9.1, Annex A",
        verdict: verdict(false, s.evidence == 0 || !s.expired_evidence.is_empty()),
        detail: if s.evidence == 0 {
            "no evidence recorded (evidence.toml)".to_string()
        } else {
            format!(
                "{}, {} expired, {} expiring soon",
                plural(s.evidence, "evidence item"),
                s.expired_evidence.len(),
                s.expiring_evidence.len()
            )
        },
    };
    [audits, review, findings, evidence]
}

/// `n unit`, plural but for one.
fn plural(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn verdict(not_ready: bool, attention: bool) -> Verdict {
    if not_ready {
        Verdict::NotReady
    } else if attention {
        Verdict::Attention
    } else {
        Verdict::Ready
    }
}
