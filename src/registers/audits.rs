//! `audits.toml`: the internal audit programme (ISO/IEC 27001:2022 9.2.2) — its cycle and its
//! audits, each with its scope of controls and clauses, dates, auditor and report.

use jiff::civil::Date;

use crate::catalog::{ControlKey, Frameworks};
use crate::diagnostic::{Diagnostic, Position};
use crate::links::Target;
use crate::review::Interval;
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

use super::scope::{self, Clause, is_within};
use super::{interval, open, require, text, unique};

/// The file name of the audit programme.
pub use crate::publish::AUDITS_FILE;

/// The audit programme: `[programme]` and every `[[audits]]`.
#[derive(Debug, Clone, Default)]
pub struct AuditProgramme {
    /// `audits.toml` when the project has one.
    pub file: Option<String>,
    /// `programme.cycle`: every clause and applicable control is audited within it.
    pub cycle: Option<Located<Interval>>,
    /// The audits in file order.
    pub audits: Vec<Audit>,
}

/// One internal audit, planned or performed.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Unique id (`IA-2026-02`).
    pub id: String,
    /// What it audits, in a few words.
    pub title: String,
    /// The controls in its scope (`scope`), each with its place.
    pub scope: Vec<Located<ControlKey>>,
    /// The clauses in its scope (`clauses`, and full clause ids written in `scope`).
    pub clauses: Vec<Located<Clause>>,
    /// When it is planned.
    pub planned: Option<Located<Date>>,
    /// When it was performed; `None` while not yet done.
    pub performed: Option<Located<Date>>,
    /// Who audits (a role or a name).
    pub auditor: Option<Located<String>>,
    /// The report, a path in the repository (or a URL).
    pub report: Option<Located<String>>,
    /// What `report` reaches on the site, once the model resolved it.
    pub report_target: Option<Target>,
    /// Where the entry's id stands in the file (the entry's start without one).
    pub position: Position,
}

impl Audit {
    /// Whether the audit is planned for before `today` and not performed.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.performed.is_none() && self.planned.as_ref().is_some_and(|p| p.value < today)
    }

    /// Whether control `key` is in its scope.
    pub fn covers_control(&self, key: ControlKey) -> bool {
        self.scope.iter().any(|c| c.value == key)
    }

    /// Whether clause `clause` is in its scope, itself or through a clause above it.
    pub fn covers_clause(&self, clause: &str) -> bool {
        self.clauses.iter().any(|c| is_within(clause, c.value))
    }
}

const AUDIT_KEYS: &[&str] = &[
    "id",
    "title",
    "scope",
    "clauses",
    "planned",
    "performed",
    "auditor",
    "report",
];

/// Reads `audits.toml`, resolving control and clause ids; problems become diagnostics.
pub fn parse(
    source: &SourceText,
    frameworks: &Frameworks,
    out: &mut Vec<Diagnostic>,
) -> AuditProgramme {
    let mut programme = AuditProgramme {
        file: Some(source.path.clone()),
        ..AuditProgramme::default()
    };
    let Some((src, table)) = open(source, out) else {
        return programme;
    };
    let mut top = Fields::new(src, &table, "");
    if let Some(t) = top.table("programme", out) {
        let mut f = Fields::new(src, t, "programme.");
        programme.cycle = interval(&mut f, "cycle", "programme.", out);
        f.finish(&["cycle"], out);
    }
    let tables = top.tables("audits", out);
    top.finish(&["programme", "audits"], out);
    let mut seen = Vec::new();
    for (table, position) in tables {
        if let Some(audit) = read_audit(src, table, position, frameworks, out) {
            let id = Located {
                value: audit.id.clone(),
                position: audit.position,
            };
            if unique(&source.path, "audit", &id, &mut seen, out) {
                programme.audits.push(audit);
            }
        }
    }
    programme
}

fn read_audit(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    frameworks: &Frameworks,
    out: &mut Vec<Diagnostic>,
) -> Option<Audit> {
    let file = &src.source.path;
    let mut f = Fields::new(src, table, "audits.");
    let id = text(&mut f, "id", out);
    let title = text(&mut f, "title", out);
    let scope = f.string_list("scope", out).unwrap_or_default();
    let (scope, from_scope) = scope::split_controls(&scope, frameworks, file, out);
    let written = f.string_list("clauses", out).unwrap_or_default();
    let clauses = scope::merge(scope::resolve_clauses(&written, file, out), from_scope);
    let audit = Audit {
        id: String::new(),
        title: String::new(),
        scope,
        clauses,
        planned: f.date("planned", out),
        performed: f.date("performed", out),
        auditor: text(&mut f, "auditor", out),
        report: text(&mut f, "report", out),
        report_target: None,
        position,
    };
    f.finish(AUDIT_KEYS, out);
    let present = [("id", id.is_some()), ("title", title.is_some())];
    if !require(src, position, "an audit", &present, out) {
        return None;
    }
    let (id, title) = (id?, title?);
    Some(Audit {
        id: id.value,
        title: title.value,
        position: id.position,
        ..audit
    })
}
