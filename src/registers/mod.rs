//! The ISMS registers beside the risk register, each an optional TOML file at the root:
//! `audits.toml` (audit programme, 9.2), `findings.toml` (nonconformities, 10.2),
//! `evidence.toml` (what an auditor samples) and `management-reviews.toml` (9.3).

pub mod audits;
pub mod evidence;
pub mod findings;
pub mod index;
pub mod inputs;
pub mod reviews;
pub mod scope;
pub mod state;

use jiff::civil::Date;

use crate::catalog::Frameworks;
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::links::Target;
use crate::review::Interval;
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

pub use audits::{AUDITS_FILE, Audit, AuditProgramme};
pub use evidence::{EVIDENCE_FILE, Evidence, EvidenceRegister, Expiry};
pub use findings::{FINDINGS_FILE, Finding, FindingKind, FindingLog};
pub use index::ControlRecords;
pub use reviews::{MANAGEMENT_REVIEWS_FILE, ManagementReview, ReviewRecord};
pub use state::RegisterState;

/// The source texts of the register files that exist, as `load` read them.
#[derive(Debug, Default)]
pub struct RegisterFiles {
    /// `audits.toml`.
    pub audits: Option<SourceText>,
    /// `findings.toml`.
    pub findings: Option<SourceText>,
    /// `evidence.toml`.
    pub evidence: Option<SourceText>,
    /// `management-reviews.toml`.
    pub reviews: Option<SourceText>,
}

/// The four registers, parsed and resolved (empty where the file is absent).
#[derive(Debug, Clone, Default)]
pub struct Registers {
    /// The internal audit programme.
    pub audits: AuditProgramme,
    /// Nonconformities, observations and opportunities.
    pub findings: FindingLog,
    /// Evidence an auditor can sample.
    pub evidence: EvidenceRegister,
    /// Management reviews held.
    pub reviews: ReviewRecord,
    /// The entries that name each control.
    by_control: std::collections::HashMap<crate::catalog::ControlKey, ControlRecords>,
}

impl Registers {
    /// Parses the files that exist, resolving control and clause ids against `frameworks` and
    /// a finding's `source` against the audits; problems become diagnostics.
    pub fn parse(
        files: &RegisterFiles,
        frameworks: &Frameworks,
        out: &mut Vec<Diagnostic>,
    ) -> Self {
        let audits = files
            .audits
            .as_ref()
            .map(|s| audits::parse(s, frameworks, out))
            .unwrap_or_default();
        let findings = files
            .findings
            .as_ref()
            .map(|s| findings::parse(s, frameworks, &audits, out))
            .unwrap_or_default();
        let evidence = files
            .evidence
            .as_ref()
            .map(|s| evidence::parse(s, frameworks, out))
            .unwrap_or_default();
        let reviews = files
            .reviews
            .as_ref()
            .map(|s| reviews::parse(s, out))
            .unwrap_or_default();
        let mut registers = Registers {
            audits,
            findings,
            evidence,
            reviews,
            by_control: Default::default(),
        };
        registers.by_control = index::by_control(&registers, frameworks);
        registers
    }

    /// The audits, findings and evidence items that name control `key`.
    pub fn for_control(&self, key: crate::catalog::ControlKey) -> &ControlRecords {
        static NONE: ControlRecords = ControlRecords {
            audits: Vec::new(),
            findings: Vec::new(),
            evidence: Vec::new(),
        };
        self.by_control.get(&key).unwrap_or(&NONE)
    }

    /// Resolves every path the registers name (audit reports, evidence locations, minutes) with
    /// `resolve`, which reads a link written in a file at the root.
    pub fn resolve_paths(&mut self, resolve: impl Fn(&str) -> Target) {
        for audit in &mut self.audits.audits {
            audit.report_target = audit.report.as_ref().map(|r| resolve(&r.value));
        }
        for item in &mut self.evidence.items {
            item.location_target = item.location.as_ref().map(|l| resolve(&l.value));
        }
        for review in &mut self.reviews.reviews {
            review.minutes_target = review.minutes.as_ref().map(|m| resolve(&m.value));
        }
    }
}

/// A register file's TOML, read with its source; `None` after a syntax error.
fn open<'s>(
    source: &'s SourceText,
    out: &mut Vec<Diagnostic>,
) -> Option<(TomlSource<'s>, toml::de::DeTable<'s>)> {
    let src = TomlSource {
        source,
        base: 0,
        lint: Lint::InvalidConfig,
    };
    let table = src.parse(&source.text, out)?;
    Some((src, table))
}

/// An interval such as `3 years` at `key`, reporting one that cannot be read.
fn interval(
    f: &mut Fields<'_, '_>,
    key: &str,
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Located<Interval>> {
    let text = f.string(key, out)?;
    match text.value.parse::<Interval>() {
        Ok(value) => Some(Located {
            value,
            position: text.position,
        }),
        Err(e) => {
            out.push(
                f.source()
                    .error_at(text.position, format!("`{prefix}{key}`: {e}")),
            );
            None
        }
    }
}

/// A trimmed, non-empty string at `key`.
fn text(f: &mut Fields<'_, '_>, key: &str, out: &mut Vec<Diagnostic>) -> Option<Located<String>> {
    f.string(key, out)
        .map(|s| Located {
            value: s.value.trim().to_string(),
            position: s.position,
        })
        .filter(|s| !s.value.is_empty())
}

/// Reports `missing-field` at `position` when an entry lacks a required key.
fn require(
    src: TomlSource<'_>,
    position: Position,
    what: &str,
    keys: &[(&str, bool)],
    out: &mut Vec<Diagnostic>,
) -> bool {
    let missing: Vec<String> = keys
        .iter()
        .filter(|(_, present)| !present)
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    if missing.is_empty() {
        return true;
    }
    out.push(
        Diagnostic::new(
            Lint::MissingField,
            format!("{what} needs {}", missing.join(" and ")),
        )
        .in_file(&src.source.path)
        .at(position),
    );
    false
}

/// Reports `duplicate-id` when `id` is already among `seen` (case ignored); otherwise records
/// it with its line.
fn unique(
    file: &str,
    what: &str,
    id: &Located<String>,
    seen: &mut Vec<(String, u32)>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let key = &id.value;
    if let Some((first, line)) = seen.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
        out.push(
            Diagnostic::new(
                Lint::DuplicateId,
                format!("{what} id `{}` is used twice", id.value),
            )
            .in_file(file)
            .at(id.position)
            .with_help(format!("`{first}` is at line {line}")),
        );
        return false;
    }
    seen.push((key.clone(), id.position.line));
    true
}

/// The date `interval` after `from`, or the last date annexa can compute with.
pub fn after(interval: Interval, from: Date) -> Date {
    interval.after(from).unwrap_or(crate::review::LAST_DATE)
}
