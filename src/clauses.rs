//! The clauses of ISO/IEC 27001:2022 that `clauses` fields name: the built-in clause catalog,
//! always available whether or not it is among `frameworks`, plus lettered items (`6.1.3 d`).

use std::sync::OnceLock;

use crate::catalog::{self, Catalog, ControlKey, Frameworks, Unresolved};
use crate::diagnostic::{Diagnostic, Lint, did_you_mean};
use crate::tomlread::Located;

/// The id of the built-in clause catalog.
pub const CLAUSES_ID: &str = "iso27001-2022-clauses";

/// One clause, or one lettered item of a clause (`6.1.3 d`, `7.5.1 b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClauseRef {
    /// Index into the clause catalog's controls.
    pub clause: usize,
    /// The list item of the clause, when one is named (`d` of `6.1.3 d`).
    pub item: Option<char>,
}

/// The clause catalog, parsed once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| catalog::built_in(CLAUSES_ID).expect("the clause catalog is built in"))
}

impl ClauseRef {
    /// The id as written canonically: `8.1`, `6.1.3 d`.
    pub fn id(self) -> String {
        let id = &catalog().controls[self.clause].id;
        match self.item {
            Some(item) => format!("{id} {item}"),
            None => id.clone(),
        }
    }

    /// The clause's title (of the whole clause, for a lettered item).
    pub fn title(self) -> &'static str {
        &catalog().controls[self.clause].title
    }

    /// Whether this is `other` or lies within it (`9.2.2` and `9.2.2 c` lie within `9.2`); a
    /// lettered item contains nothing but itself.
    pub fn is_within(self, other: ClauseRef) -> bool {
        if self == other {
            return true;
        }
        if other.item.is_some() {
            return false;
        }
        let mine = &catalog().controls[self.clause].id;
        let theirs = &catalog().controls[other.clause].id;
        mine.strip_prefix(theirs.as_str())
            .is_some_and(|rest| rest.starts_with('.') || (rest.is_empty() && self.item.is_some()))
    }

    /// The clause as a control of the catalogs in use, when the clause catalog is among them.
    pub fn control_key(self, frameworks: &Frameworks) -> Option<ControlKey> {
        let framework = frameworks.by_id(CLAUSES_ID)?;
        let id = &catalog().controls[self.clause].id;
        let control = frameworks.catalogs[framework].find(id)?;
        Some(ControlKey { framework, control })
    }

    /// The clause behind a control of the catalogs in use, when it is one of the clause catalog.
    pub fn of_control(frameworks: &Frameworks, key: ControlKey) -> Option<ClauseRef> {
        let catalog_in_use = &frameworks.catalogs[key.framework];
        if !catalog_in_use.id.eq_ignore_ascii_case(CLAUSES_ID) {
            return None;
        }
        let clause = catalog().find(&catalog_in_use.controls[key.control].id)?;
        Some(ClauseRef { clause, item: None })
    }
}

/// Every clause without sub-clauses (`9.2.1`, `9.2.2` but not `9.2`), in catalog order: what
/// must each be audited for the clauses to be.
pub fn leaves() -> impl Iterator<Item = ClauseRef> {
    let catalog = catalog();
    (0..catalog.controls.len())
        .filter(|&i| catalog.children(i).next().is_none())
        .map(|clause| ClauseRef { clause, item: None })
}

/// Resolves a clause id: `8.1`, `iso27001-2022-clauses:8.1`, or a lettered item such as
/// `6.1.3 d` (a clause id, a space, one letter).
pub fn resolve(raw: &str) -> Result<ClauseRef, Unresolved> {
    let trimmed = raw.trim();
    let bare = match trimmed.split_once(':') {
        Some((framework, id)) if framework.trim().eq_ignore_ascii_case(CLAUSES_ID) => id.trim(),
        _ => trimmed,
    };
    let catalog = catalog();
    if let Some(clause) = catalog.find(bare) {
        return Ok(ClauseRef { clause, item: None });
    }
    if let Some((id, item)) = bare.rsplit_once(' ')
        && let [letter] = item.trim().as_bytes()
        && letter.is_ascii_alphabetic()
        && let Some(clause) = catalog.find(id.trim())
    {
        return Ok(ClauseRef {
            clause,
            item: Some(letter.to_ascii_lowercase() as char),
        });
    }
    let help = did_you_mean(bare, catalog.controls.iter().map(|c| c.id.as_str()))
        .map(|c| format!("did you mean `{c}`?"))
        .or_else(|| {
            Some(
                "clauses are ISO/IEC 27001:2022 clause ids such as `8.1` or `9.2.2`, or a lettered item such as `6.1.3 d`".to_string(),
            )
        });
    Err(Unresolved {
        lint: Lint::UnknownControl,
        message: format!("`{trimmed}` is not a clause of ISO/IEC 27001:2022"),
        help,
    })
}

/// Resolves written clause ids, reporting each unknown one; a clause listed twice counts once.
pub fn resolve_all(
    written: &[Located<String>],
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<Located<ClauseRef>> {
    let mut clauses: Vec<Located<ClauseRef>> = Vec::with_capacity(written.len());
    for w in written {
        match resolve(&w.value) {
            Ok(c) if !clauses.iter().any(|k| k.value == c) => clauses.push(Located {
                value: c,
                position: w.position,
            }),
            Ok(_) => {}
            Err(e) => out.push(e.diagnostic(file, w.position)),
        }
    }
    clauses
}

/// Splits a written list of controls (`scope`, `controls`) into controls and clauses: a full
/// clause id (`iso27001-2022-clauses:8.1`), or a bare id that resolves to the clause catalog
/// when it is in use, counts as a clause; the rest resolve against the catalogs in use.
pub fn split_controls(
    written: &[Located<String>],
    frameworks: &Frameworks,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> (Vec<Located<ControlKey>>, Vec<Located<ClauseRef>>) {
    let mut controls: Vec<Located<ControlKey>> = Vec::with_capacity(written.len());
    let mut clauses: Vec<Located<ClauseRef>> = Vec::new();
    for w in written {
        let full_clause = w
            .value
            .split_once(':')
            .is_some_and(|(f, _)| f.trim().eq_ignore_ascii_case(CLAUSES_ID));
        let clause = if full_clause {
            match resolve(&w.value) {
                Ok(c) => Some(c),
                Err(e) => {
                    out.push(e.diagnostic(file, w.position));
                    continue;
                }
            }
        } else {
            match frameworks.resolve(&w.value) {
                Ok(key) => match ClauseRef::of_control(frameworks, key) {
                    Some(c) => Some(c),
                    None => {
                        if !controls.iter().any(|k| k.value == key) {
                            controls.push(Located {
                                value: key,
                                position: w.position,
                            });
                        }
                        None
                    }
                },
                Err(e) => {
                    out.push(e.diagnostic(file, w.position));
                    None
                }
            }
        };
        if let Some(c) = clause
            && !clauses.iter().any(|k| k.value == c)
        {
            clauses.push(Located {
                value: c,
                position: w.position,
            });
        }
    }
    (controls, clauses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_ids_and_lettered_items_resolve() {
        assert_eq!(resolve("8.1").unwrap().id(), "8.1");
        assert_eq!(
            resolve(" iso27001-2022-clauses:9.2.2 ").unwrap().id(),
            "9.2.2"
        );
        assert_eq!(resolve("6.1.3 d").unwrap().id(), "6.1.3 d");
        assert_eq!(resolve("7.5.1 B").unwrap().id(), "7.5.1 b");
        let e = resolve("9.2.3").unwrap_err();
        assert_eq!(e.message, "`9.2.3` is not a clause of ISO/IEC 27001:2022");
        assert!(resolve("6.1.3 dd").is_err());
        assert!(resolve("A.5.1").is_err());
    }

    #[test]
    fn clauses_lie_within_their_parents() {
        let c = |s: &str| resolve(s).unwrap();
        assert!(c("9.2.2").is_within(c("9.2")));
        assert!(c("9.2.2 c").is_within(c("9.2")));
        assert!(c("9.2.2 c").is_within(c("9.2.2")));
        assert!(!c("9.2").is_within(c("9.2.2")));
        assert!(!c("9.2.2").is_within(c("9.2.2 c")));
        assert!(!c("10.1").is_within(c("10.2")));
        assert!(!c("9.3.1").is_within(c("9.2")));
        assert_eq!(leaves().count(), 30);
    }
}
