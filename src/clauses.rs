//! The clauses of ISO/IEC 27001:2022 and the documented information they require (both
//! compiled in from `catalogs/`): what a `clauses` entry may name, always, whether or not the
//! clause catalog is among `frameworks`.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::catalog;
use crate::diagnostic::{Diagnostic, Lint, Position, did_you_mean};

/// Whether a mandatory item is a document to keep up to date or a record to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Retention {
    /// "Maintain": a document, kept current.
    Maintain,
    /// "Retain": a record, kept as evidence.
    Retain,
}

/// One item of documented information the standard requires (`6.1.3 d`: the SoA).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MandatoryItem {
    /// The clause as the standard's list spells it: `4.3`, `6.1.3 d`.
    pub clause: String,
    /// What it is: "Scope of the ISMS".
    pub item: String,
    /// Document or record.
    pub kind: Retention,
    /// Whether the organisation itself decides what it holds (7.5.1 b): listed, never missing.
    #[serde(default)]
    pub organisation_decides: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MandatoryFile {
    items: Vec<MandatoryItem>,
}

/// Everything a `clauses` entry may name: the clause catalog's ids and the mandatory items.
#[derive(Debug)]
pub struct Clauses {
    /// Each id with its title, clause order (the clauses, then the lettered items).
    ids: Vec<(String, String)>,
    /// The mandatory documented information, in clause order.
    pub mandatory: Vec<MandatoryItem>,
}

/// The id of the built-in clause catalog.
pub const CLAUSE_CATALOG: &str = "iso27001-2022-clauses";

static CLAUSES: LazyLock<Clauses> = LazyLock::new(|| {
    let catalog = catalog::built_in(CLAUSE_CATALOG).expect("the clause catalog is built in");
    let file: MandatoryFile =
        toml::from_str(include_str!("../catalogs/iso27001-2022-mandatory.toml"))
            .expect("the built-in mandatory documents list parses");
    let mut ids: Vec<(String, String)> = catalog
        .controls
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    for item in &file.items {
        if !ids.iter().any(|(id, _)| *id == item.clause) {
            ids.push((item.clause.clone(), item.item.clone()));
        }
    }
    Clauses {
        ids,
        mandatory: file.items,
    }
});

/// The clauses and mandatory items (parsed once).
pub fn clauses() -> &'static Clauses {
    &CLAUSES
}

/// Why a `clauses` entry names nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownClause {
    /// What went wrong.
    pub message: String,
    /// A did-you-mean, or what may be written.
    pub help: String,
}

impl UnknownClause {
    /// The `unknown-control` diagnostic for the entry written at `position` of `file`.
    pub fn diagnostic(&self, file: &str, position: Position) -> Diagnostic {
        Diagnostic::new(Lint::UnknownControl, self.message.clone())
            .in_file(file)
            .at(position)
            .with_help(self.help.clone())
    }
}

impl Clauses {
    /// Resolves a `clauses` entry to its canonical id: `4.3`, `6.1.3 d` (also written `6.1.3d`,
    /// `6.1.3 (d)`, `iso27001-2022-clauses:4.3`; case and spacing are ignored).
    pub fn resolve(&self, raw: &str) -> Result<&str, UnknownClause> {
        let wanted = normalise(raw);
        if let Some((id, _)) = self.ids.iter().find(|(id, _)| *id == wanted) {
            return Ok(id);
        }
        let written = raw.trim();
        let help = if written.to_ascii_uppercase().starts_with("A.") {
            "Annex A controls go in `controls`; `clauses` names clauses of ISO/IEC 27001:2022"
                .to_string()
        } else if let Some(id) = did_you_mean(&wanted, self.ids.iter().map(|(id, _)| id.as_str())) {
            format!("did you mean `{id}`?")
        } else {
            "write a clause of ISO/IEC 27001:2022 (4.1 to 10.2) or a lettered item: 6.1.3 d, 7.2 d, 7.5.1 b"
                .to_string()
        };
        Err(UnknownClause {
            message: format!("clause `{written}` is not a clause of ISO/IEC 27001:2022"),
            help,
        })
    }

    /// The title of a canonical id (a clause's title, or a lettered item's).
    pub fn title(&self, id: &str) -> Option<&str> {
        self.ids
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, t)| t.as_str())
    }

    /// Every canonical id, in clause order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(|(id, _)| id.as_str())
    }
}

/// `6.1.3 (D)` → `6.1.3 d`: lower case, no catalog prefix, no brackets, one space before a letter.
fn normalise(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw
        .get(..CLAUSE_CATALOG.len() + 1)
        .filter(|p| p.eq_ignore_ascii_case(&format!("{CLAUSE_CATALOG}:")))
        .map_or(raw, |_| &raw[CLAUSE_CATALOG.len() + 1..]);
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().filter(|c| !matches!(c, '(' | ')')) {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            if c.is_alphabetic() && out.ends_with(|p: char| p.is_ascii_digit()) {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_lists_parse() {
        let c = clauses();
        assert_eq!(c.mandatory.len(), 15);
        assert_eq!(c.ids().count(), 34 + 3);
        let decided: Vec<&str> = c
            .mandatory
            .iter()
            .filter(|m| m.organisation_decides)
            .map(|m| m.clause.as_str())
            .collect();
        assert_eq!(decided, ["7.5.1 b"]);
        assert_eq!(c.title("6.1.3 d"), Some("Statement of Applicability"));
        assert_eq!(
            c.title("4.3"),
            Some("Determining the scope of the information security management system")
        );
    }

    #[test]
    fn entries_resolve_whatever_their_spelling() {
        let c = clauses();
        for written in [
            "6.1.3 d",
            " 6.1.3D ",
            "6.1.3 (d)",
            "6.1.3  d",
            "iso27001-2022-clauses:6.1.3 d",
        ] {
            assert_eq!(c.resolve(written), Ok("6.1.3 d"), "{written}");
        }
        assert_eq!(c.resolve("10.2"), Ok("10.2"));
        assert_eq!(c.resolve("ISO27001-2022-CLAUSES:4.3"), Ok("4.3"));
    }

    #[test]
    fn unknown_entries_say_what_to_write() {
        let c = clauses();
        let e = c.resolve("6.1.4").unwrap_err();
        assert_eq!(
            e.message,
            "clause `6.1.4` is not a clause of ISO/IEC 27001:2022"
        );
        assert!(e.help.starts_with("did you mean"), "{}", e.help);
        let e = c.resolve("A.5.1").unwrap_err();
        assert_eq!(
            e.help,
            "Annex A controls go in `controls`; `clauses` names clauses of ISO/IEC 27001:2022"
        );
        let e = c.resolve("policy").unwrap_err();
        assert_eq!(
            e.help,
            "write a clause of ISO/IEC 27001:2022 (4.1 to 10.2) or a lettered item: 6.1.3 d, 7.2 d, 7.5.1 b"
        );
    }
}
