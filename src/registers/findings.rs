//! `findings.toml`: nonconformities, observations and opportunities for improvement
//! (ISO/IEC 27001:2022 10.2), with their source, cause, corrective actions, closure and
//! verification.

use jiff::civil::Date;
use serde::Serialize;

use crate::action::{Action, read_actions};
use crate::catalog::{ControlKey, Frameworks};
use crate::diagnostic::{Diagnostic, Lint, Position, did_you_mean};
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

use super::scope::{self, Clause};
use super::{AuditProgramme, open, require, text, unique};

/// The file name of the nonconformity record.
pub use crate::publish::FINDINGS_FILE;

/// What kind of finding it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// A requirement not met at all, or a failure that puts the ISMS at risk.
    Major,
    /// An isolated lapse.
    Minor,
    /// A risk of a future nonconformity.
    Observation,
    /// An opportunity for improvement.
    Opportunity,
}

impl FindingKind {
    /// Every kind, most serious first.
    pub const ALL: [FindingKind; 4] = [
        FindingKind::Major,
        FindingKind::Minor,
        FindingKind::Observation,
        FindingKind::Opportunity,
    ];

    /// The lower-case name, as written in `findings.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Major => "major",
            FindingKind::Minor => "minor",
            FindingKind::Observation => "observation",
            FindingKind::Opportunity => "opportunity",
        }
    }

    /// Whether it is a nonconformity (major or minor), which must be verified when closed.
    pub fn is_nonconformity(self) -> bool {
        matches!(self, FindingKind::Major | FindingKind::Minor)
    }
}

/// The nonconformity record: every `[[findings]]` entry.
#[derive(Debug, Clone, Default)]
pub struct FindingLog {
    /// `findings.toml` when the project has one.
    pub file: Option<String>,
    /// The findings in file order.
    pub findings: Vec<Finding>,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Unique id (`NC-2026-03`).
    pub id: String,
    /// When it was raised.
    pub raised: Option<Located<Date>>,
    /// Where it came from, as written: an audit id or free text (`incident INC-42`).
    pub source: Option<Located<String>>,
    /// The audit it came from, an index into the programme's audits, when `source` names one.
    pub audit: Option<usize>,
    /// Major, minor, observation or opportunity.
    pub kind: Located<FindingKind>,
    /// The clauses it concerns.
    pub clauses: Vec<Located<Clause>>,
    /// The controls it concerns.
    pub controls: Vec<Located<ControlKey>>,
    /// What was found.
    pub description: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The root cause.
    pub cause: Option<String>,
    /// The corrective actions.
    pub actions: Vec<Action>,
    /// When it was closed; `None` while open.
    pub closed: Option<Located<Date>>,
    /// Who checked that the corrective actions worked.
    pub verified_by: Option<String>,
    /// Where the entry's id stands in the file (the entry's start without one).
    pub position: Position,
}

impl Finding {
    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// Whether it is an open major nonconformity.
    pub fn is_open_major(&self) -> bool {
        self.is_open() && self.kind.value == FindingKind::Major
    }
}

const FINDING_KEYS: &[&str] = &[
    "id",
    "raised",
    "source",
    "kind",
    "clauses",
    "controls",
    "description",
    "owner",
    "cause",
    "actions",
    "closed",
    "verified_by",
];

/// Reads `findings.toml`, resolving control and clause ids and audit sources; problems become
/// diagnostics.
pub fn parse(
    source: &SourceText,
    frameworks: &Frameworks,
    audits: &AuditProgramme,
    out: &mut Vec<Diagnostic>,
) -> FindingLog {
    let mut log = FindingLog {
        file: Some(source.path.clone()),
        ..FindingLog::default()
    };
    let Some((src, table)) = open(source, out) else {
        return log;
    };
    let mut top = Fields::new(src, &table, "");
    let tables = top.tables("findings", out);
    top.finish(&["findings"], out);
    let mut seen = Vec::new();
    for (table, position) in tables {
        if let Some(finding) = read_finding(src, table, position, frameworks, audits, out) {
            let id = Located {
                value: finding.id.clone(),
                position: finding.position,
            };
            if unique(&source.path, "finding", &id, &mut seen, out) {
                log.findings.push(finding);
            }
        }
    }
    log
}

fn read_finding(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    frameworks: &Frameworks,
    audits: &AuditProgramme,
    out: &mut Vec<Diagnostic>,
) -> Option<Finding> {
    let file = &src.source.path;
    let mut f = Fields::new(src, table, "findings.");
    let id = text(&mut f, "id", out);
    let kind_given = f.has("kind");
    let kind = f.string("kind", out);
    let kind = kind.as_ref().and_then(|k| {
        let value = src.choose(
            k,
            &FindingKind::ALL,
            FindingKind::as_str,
            "findings.kind",
            out,
        )?;
        Some(Located {
            value,
            position: k.position,
        })
    });
    let source = text(&mut f, "source", out);
    let audit = source.as_ref().and_then(|s| audit_of(src, s, audits, out));
    let written = f.string_list("clauses", out).unwrap_or_default();
    let listed = scope::resolve_clauses(&written, file, out);
    let controls = f.string_list("controls", out).unwrap_or_default();
    let (controls, from_controls) = scope::split_controls(&controls, frameworks, file, out);
    let clauses = scope::merge(listed, from_controls);
    let finding = Finding {
        id: String::new(),
        raised: f.date("raised", out),
        source,
        audit,
        kind: Located {
            value: FindingKind::Observation,
            position,
        },
        clauses,
        controls,
        description: text(&mut f, "description", out).map(|d| d.value),
        owner: text(&mut f, "owner", out).map(|o| o.value),
        cause: text(&mut f, "cause", out).map(|c| c.value),
        actions: read_actions(&mut f, "actions", "findings.", out),
        closed: f.date("closed", out),
        verified_by: text(&mut f, "verified_by", out).map(|v| v.value),
        position,
    };
    f.finish(FINDING_KEYS, out);
    let present = [("id", id.is_some()), ("kind", kind_given)];
    if !require(src, position, "a finding", &present, out) {
        return None;
    }
    let (id, kind) = (id?, kind?);
    Some(Finding {
        id: id.value,
        position: id.position,
        kind,
        ..finding
    })
}

/// The audit `source` names. A source is read as an audit id when it is one word that starts
/// like an audit id of the programme (the same letters before the first digit: `IA-`); such a
/// source that names no audit is reported. Anything else is free text (`incident INC-42`).
fn audit_of(
    src: TomlSource<'_>,
    source: &Located<String>,
    audits: &AuditProgramme,
    out: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let written = source.value.as_str();
    if let Some(i) = audits
        .audits
        .iter()
        .position(|a| a.id.eq_ignore_ascii_case(written))
    {
        return Some(i);
    }
    let prefix = |id: &str| -> String {
        id.chars()
            .take_while(|c| !c.is_ascii_digit())
            .collect::<String>()
            .to_lowercase()
    };
    let mine = prefix(written);
    let looks_like_audit = !written.contains(char::is_whitespace)
        && !mine.is_empty()
        && mine.len() < written.len()
        && audits.audits.iter().any(|a| prefix(&a.id) == mine);
    if looks_like_audit {
        let help = did_you_mean(written, audits.audits.iter().map(|a| a.id.as_str()))
            .map(|id| format!("did you mean \"{id}\"?"))
            .unwrap_or_else(|| {
                format!(
                    "audits in {}: {}",
                    audits.file.as_deref().unwrap_or(super::AUDITS_FILE),
                    audits
                        .audits
                        .iter()
                        .map(|a| a.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        out.push(
            Diagnostic::new(
                Lint::InvalidConfig,
                format!("`findings.source` \"{written}\" is not an audit of the programme"),
            )
            .in_file(&src.source.path)
            .at(source.position)
            .with_help(help),
        );
    }
    None
}
