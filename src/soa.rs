//! `soa.toml`: the Statement of Applicability decisions, keyed by resolved control.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::{ControlKey, Frameworks};
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::source::SourceText;
use crate::tomlread::{Fields, TomlSource};

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
    const ALL: [Implementation; 4] = [
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

/// One SoA decision.
#[derive(Debug, Clone)]
pub struct SoaEntry {
    /// Whether the control applies.
    pub applicable: bool,
    /// The stated implementation, if any.
    pub implementation: Option<Implementation>,
    /// Why the control is (not) applicable or how it is implemented.
    pub justification: Option<String>,
    /// Where the entry starts in `soa.toml`.
    pub position: Position,
}

/// All SoA decisions of a project.
#[derive(Debug, Clone, Default)]
pub struct Soa {
    /// `soa.toml` when the project has one.
    pub file: Option<String>,
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
            entries: HashMap::new(),
        };
        let src = TomlSource {
            source,
            base: 0,
            lint: Lint::InvalidConfig,
        };
        let Some(table) = src.parse(&source.text, out) else {
            return soa;
        };
        let mut top = Fields::new(src, &table, "");
        let controls = top.table("controls", out);
        top.finish(&["controls"], out);
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
                Err(e) => out.push(
                    Diagnostic::new(Lint::UnknownControl, e.message)
                        .in_file(&source.path)
                        .at(position)
                        .with_help_opt(e.help),
                ),
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
        src.choose(
            &text,
            &Implementation::ALL,
            Implementation::as_str,
            &key,
            out,
        )
    });
    f.finish(&["applicable", "implementation", "justification"], out);
    SoaEntry {
        applicable,
        implementation,
        justification,
        position,
    }
}
