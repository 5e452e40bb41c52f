//! `soa.toml`: the Statement of Applicability decisions, keyed by resolved control.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::{ControlKey, Frameworks};
use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

/// The file name of the Statement of Applicability.
pub const SOA_FILE: &str = "soa.toml";

/// How far a control is implemented, as the SoA states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Implementation {
    /// In place.
    Implemented,
    /// Partly in place.
    Partial,
    /// Scheduled.
    Planned,
    /// Not in place.
    NotImplemented,
}

impl Implementation {
    /// Every implementation state, in `soa.toml` order.
    pub const ALL: [Implementation; 4] = [
        Implementation::Implemented,
        Implementation::Partial,
        Implementation::Planned,
        Implementation::NotImplemented,
    ];

    /// The kebab-case name used in `soa.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::Implemented => "implemented",
            Implementation::Partial => "partial",
            Implementation::Planned => "planned",
            Implementation::NotImplemented => "not-implemented",
        }
    }
}

/// Why a control is included in the SoA (ISO/IEC 27001:2022 6.1.3 d).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// A risk in the register is treated by it.
    Risk,
    /// A law requires it.
    Legal,
    /// A regulator requires it.
    Regulatory,
    /// A contract requires it.
    Contract,
    /// The business requires it.
    Business,
}

impl Reason {
    /// Every reason, in `soa.toml` order.
    pub const ALL: [Reason; 5] = [
        Reason::Risk,
        Reason::Legal,
        Reason::Regulatory,
        Reason::Contract,
        Reason::Business,
    ];

    /// The lower-case name used in `soa.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Risk => "risk",
            Reason::Legal => "legal",
            Reason::Regulatory => "regulatory",
            Reason::Contract => "contract",
            Reason::Business => "business",
        }
    }
}

/// One SoA decision.
#[derive(Debug, Clone)]
pub struct SoaEntry {
    /// Whether the control applies.
    pub applicable: bool,
    /// The stated implementation, if any, with its place.
    pub implementation: Option<Located<Implementation>>,
    /// The stated reasons for including it.
    pub reasons: Vec<Reason>,
    /// Why the control is (not) applicable or how it is implemented.
    pub justification: Option<String>,
    /// Where the entry starts in `soa.toml`.
    pub position: Position,
}

/// The SoA's own record: its version and its approval.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    /// The version (`2026.2`).
    pub version: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When.
    pub approved_on: Option<Date>,
    /// Where `[statement]` starts.
    pub position: Option<Position>,
}

impl Statement {
    /// Whether the version and the approval are all stated.
    pub fn is_complete(&self) -> bool {
        self.version.is_some() && self.approved_by.is_some() && self.approved_on.is_some()
    }
}

/// All SoA decisions of a project.
#[derive(Debug, Clone, Default)]
pub struct Soa {
    /// `soa.toml` when the project has one.
    pub file: Option<String>,
    /// Whether `soa.toml` could be read (its decisions are judged only then).
    pub read: bool,
    /// Its version and approval (empty without `[statement]`).
    pub statement: Statement,
    /// Decisions by control.
    pub entries: HashMap<ControlKey, SoaEntry>,
}

impl Soa {
    /// The decision for `key`, if the SoA mentions it.
    pub fn entry(&self, key: ControlKey) -> Option<&SoaEntry> {
        self.entries.get(&key)
    }

    /// Whether `key` is applicable (a control the SoA does not mention is).
    pub fn is_applicable(&self, key: ControlKey) -> bool {
        self.entry(key).is_none_or(|e| e.applicable)
    }

    /// Reads `soa.toml`, resolving its control ids against `frameworks`.
    pub fn parse(source: &SourceText, frameworks: &Frameworks, out: &mut Vec<Diagnostic>) -> Soa {
        let mut soa = Soa {
            file: Some(source.path.clone()),
            ..Soa::default()
        };
        let src = TomlSource {
            source,
            base: 0,
            lint: Lint::InvalidConfig,
        };
        let Some(table) = src.parse(&source.text, out) else {
            return soa;
        };
        soa.read = true;
        let mut top = Fields::new(src, &table, "");
        if let Some((statement, position)) = top.table_at("statement", out) {
            soa.statement = read_statement(src, statement, position, out);
        }
        let controls = top.table("controls", out);
        top.finish(&["statement", "controls"], out);
        let Some(controls) = controls else {
            return soa;
        };
        let listing = Fields::new(src, controls, "");
        // In file order, so that a control listed twice is reported where it is repeated.
        let mut entries: Vec<_> = listing.entries().collect();
        entries.sort_by_key(|(_, position, _)| *position);
        for (id, position, value) in entries {
            let Some(table) = value.get_ref().as_table() else {
                out.push(src.error(
                    value.span().start,
                    format!(
                        "`controls.\"{id}\"` must be a table with `applicable` and `justification`"
                    ),
                ));
                continue;
            };
            let entry = read_entry(src, id, position, table, out);
            match frameworks.resolve(id) {
                Ok(key) => {
                    if soa.entries.insert(key, entry).is_some() {
                        out.push(
                            Diagnostic::new(
                                Lint::InvalidConfig,
                                format!("control `{id}` is listed twice in the SoA"),
                            )
                            .in_file(&source.path)
                            .at(position),
                        );
                    }
                }
                Err(e) => out.push(e.diagnostic(&source.path, position)),
            }
        }
        soa
    }
}

fn read_entry(
    src: TomlSource<'_>,
    id: &str,
    position: Position,
    table: &toml::de::DeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> SoaEntry {
    let prefix = format!("controls.\"{id}\".");
    let mut f = Fields::new(src, table, &prefix);
    let applicable = f
        .boolean("applicable", out)
        .map(|b| b.value)
        .unwrap_or(true);
    let justification = f
        .string("justification", out)
        .map(|j| j.value.trim().to_string())
        .filter(|j| !j.is_empty());
    let implementation = f.string("implementation", out).and_then(|text| {
        let key = format!("{prefix}implementation");
        let chosen = src.choose(
            &text,
            &Implementation::ALL,
            Implementation::as_str,
            &key,
            out,
        )?;
        Some(Located {
            value: chosen,
            position: text.position,
        })
    });
    let key = format!("{prefix}reasons");
    let reasons = f
        .string_list("reasons", out)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| src.choose(r, &Reason::ALL, Reason::as_str, &key, out))
        .fold(Vec::new(), |mut all, r| {
            if !all.contains(&r) {
                all.push(r);
            }
            all
        });
    f.finish(
        &["applicable", "implementation", "reasons", "justification"],
        out,
    );
    SoaEntry {
        applicable,
        implementation,
        reasons,
        justification,
        position,
    }
}

fn read_statement(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    out: &mut Vec<Diagnostic>,
) -> Statement {
    let mut f = Fields::new(src, table, "statement.");
    let text = |f: &mut Fields<'_, '_>, key: &str, out: &mut Vec<Diagnostic>| {
        f.string_or_number(key, out)
            .map(|v| v.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let statement = Statement {
        version: text(&mut f, "version", out),
        approved_by: text(&mut f, "approved_by", out),
        approved_on: f.date("approved_on", out).map(|d| d.value),
        position: Some(position),
    };
    f.finish(&["version", "approved_by", "approved_on"], out);
    statement
}
