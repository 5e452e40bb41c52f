//! `evidence.toml`: the evidence an auditor samples at Stage 2 — what it shows, for which
//! controls, when it was collected, how long it is valid and where it is kept.

use jiff::civil::Date;

use crate::catalog::{ControlKey, Frameworks};
use crate::diagnostic::{Diagnostic, Position};
use crate::links::Target;
use crate::review::Interval;
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

use super::scope::{self, Clause};
use super::{after, interval, open, require, text, unique};

/// The file name of the evidence register.
pub use crate::publish::EVIDENCE_FILE;

/// The evidence register: every `[[evidence]]` entry.
#[derive(Debug, Clone, Default)]
pub struct EvidenceRegister {
    /// `evidence.toml` when the project has one.
    pub file: Option<String>,
    /// The items in file order.
    pub items: Vec<Evidence>,
}

/// How long a piece of evidence is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// `valid_for`: an interval from `collected`.
    For(Located<Interval>),
    /// `expires`: a date.
    Until(Located<Date>),
}

impl Expiry {
    /// Where it is written.
    pub fn position(&self) -> Position {
        match self {
            Expiry::For(i) => i.position,
            Expiry::Until(d) => d.position,
        }
    }
}

/// One piece of evidence.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Unique id (`EV-014`).
    pub id: String,
    /// What it is.
    pub title: String,
    /// The controls it evidences, each with its place.
    pub controls: Vec<Located<ControlKey>>,
    /// The clauses it evidences (full clause ids written in `controls`).
    pub clauses: Vec<Located<Clause>>,
    /// Who keeps it.
    pub owner: Option<String>,
    /// When it was collected.
    pub collected: Option<Located<Date>>,
    /// How long it is valid; `None` when it does not expire.
    pub expiry: Option<Expiry>,
    /// Where it is kept: a URL or a path in the repository.
    pub location: Option<Located<String>>,
    /// What `location` reaches, once the model resolved it.
    pub location_target: Option<Target>,
    /// Where the entry's id stands in the file (the entry's start without one).
    pub position: Position,
}

impl Evidence {
    /// The day it expires (the last day it is valid is the day before), if it does.
    pub fn expires(&self) -> Option<Date> {
        match &self.expiry {
            Some(Expiry::Until(d)) => Some(d.value),
            Some(Expiry::For(i)) => Some(after(i.value, self.collected.as_ref()?.value)),
            None => None,
        }
    }

    /// Whether it has expired by `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires().is_some_and(|e| e <= today)
    }

    /// Whether it is still valid on `today` but expires within `days` days.
    pub fn is_expiring(&self, today: Date, days: i64) -> bool {
        self.expires()
            .is_some_and(|e| e > today && crate::review::days_between(today, e) <= days)
    }
}

const EVIDENCE_KEYS: &[&str] = &[
    "id",
    "title",
    "controls",
    "owner",
    "collected",
    "valid_for",
    "expires",
    "location",
];

/// Reads `evidence.toml`, resolving control ids; problems become diagnostics.
pub fn parse(
    source: &SourceText,
    frameworks: &Frameworks,
    out: &mut Vec<Diagnostic>,
) -> EvidenceRegister {
    let mut register = EvidenceRegister {
        file: Some(source.path.clone()),
        ..EvidenceRegister::default()
    };
    let Some((src, table)) = open(source, out) else {
        return register;
    };
    let mut top = Fields::new(src, &table, "");
    let tables = top.tables("evidence", out);
    top.finish(&["evidence"], out);
    let mut seen = Vec::new();
    for (table, position) in tables {
        if let Some(item) = read_evidence(src, table, position, frameworks, out) {
            let id = Located {
                value: item.id.clone(),
                position: item.position,
            };
            if unique(&source.path, "evidence", &id, &mut seen, out) {
                register.items.push(item);
            }
        }
    }
    register
}

fn read_evidence(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    frameworks: &Frameworks,
    out: &mut Vec<Diagnostic>,
) -> Option<Evidence> {
    let file = &src.source.path;
    let mut f = Fields::new(src, table, "evidence.");
    let id = text(&mut f, "id", out);
    let title = text(&mut f, "title", out);
    let controls = f.string_list("controls", out).unwrap_or_default();
    let (controls, clauses) = scope::split_controls(&controls, frameworks, file, out);
    let collected = f.date("collected", out);
    let valid_for = interval(&mut f, "valid_for", "evidence.", out);
    let expires = f.date("expires", out);
    let expiry = match (valid_for, expires) {
        (Some(v), Some(e)) => {
            out.push(src.error_at(
                e.position.max(v.position),
                "give `evidence.valid_for` or `evidence.expires`, not both",
            ));
            Some(Expiry::Until(e))
        }
        (Some(v), None) if collected.is_none() => {
            out.push(
                src.error_at(
                    v.position,
                    "`evidence.valid_for` counts from `collected`, which is missing",
                )
                .with_help("add `collected = <date>`, or give `expires = <date>` instead"),
            );
            None
        }
        (Some(v), None) => Some(Expiry::For(v)),
        (None, e) => e.map(Expiry::Until),
    };
    let item = Evidence {
        id: String::new(),
        title: String::new(),
        controls,
        clauses,
        owner: text(&mut f, "owner", out).map(|o| o.value),
        collected,
        expiry,
        location: text(&mut f, "location", out),
        location_target: None,
        position,
    };
    f.finish(EVIDENCE_KEYS, out);
    let present = [("id", id.is_some()), ("title", title.is_some())];
    if !require(src, position, "an evidence item", &present, out) {
        return None;
    }
    let (id, title) = (id?, title?);
    Some(Evidence {
        id: id.value,
        title: title.value,
        position: id.position,
        ..item
    })
}
