//! What a register entry is about: the controls and clauses of `scope`, `controls` and
//! `clauses`, resolved, and how clauses nest (`9.2.2` lies within `9.2`).

use crate::catalog::{ControlKey, Frameworks};
use crate::clauses::{CLAUSE_CATALOG, clauses};
use crate::diagnostic::Diagnostic;
use crate::tomlread::Located;

/// A clause's canonical id (`8.1`, `6.1.3 d`), as [`crate::clauses::Clauses::resolve`] gives it.
pub type Clause = &'static str;

/// Whether clause `inner` is `outer` or lies within it: `9.2.2` and `9.2.2 c` lie within `9.2`;
/// a lettered item (`6.1.3 d`) holds nothing but itself.
pub fn is_within(inner: &str, outer: &str) -> bool {
    if inner == outer {
        return true;
    }
    if outer.contains(' ') {
        return false;
    }
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with(' '))
}

/// Every clause without sub-clauses (`9.2.1`, `9.2.2`, not `9.2`; no lettered items), in
/// clause order: those that must each be audited for every clause to be.
pub fn leaf_clauses() -> impl Iterator<Item = Clause> {
    let plain = || clauses().ids().filter(|id| !id.contains(' '));
    plain().filter(move |&id| !plain().any(|other| other != id && is_within(other, id)))
}

/// The clause behind a control of the catalogs in use, when it is one of the clause catalog.
pub fn clause_of_control(frameworks: &Frameworks, key: ControlKey) -> Option<Clause> {
    let catalog = &frameworks.catalogs[key.framework];
    if !catalog.id.eq_ignore_ascii_case(CLAUSE_CATALOG) {
        return None;
    }
    clauses().resolve(&catalog.controls[key.control].id).ok()
}

/// Resolves written clause ids, reporting each unknown one; a clause listed twice counts once.
pub fn resolve_clauses(
    written: &[Located<String>],
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<Located<Clause>> {
    let mut list: Vec<Located<Clause>> = Vec::with_capacity(written.len());
    for w in written {
        match clauses().resolve(&w.value) {
            Ok(id) => push_once(&mut list, id, w),
            Err(e) => out.push(e.diagnostic(file, w.position)),
        }
    }
    list
}

fn push_once<T: PartialEq>(list: &mut Vec<Located<T>>, value: T, at: &Located<String>) {
    if !list.iter().any(|k| k.value == value) {
        list.push(Located {
            value,
            position: at.position,
        });
    }
}

/// Splits a written list of controls (`scope`, `controls`) into controls and clauses: a full
/// clause id (`iso27001-2022-clauses:8.1`), or a bare id that resolves to the clause catalog
/// when it is in use, counts as a clause; the rest resolve against the catalogs in use.
pub fn split_controls(
    written: &[Located<String>],
    frameworks: &Frameworks,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> (Vec<Located<ControlKey>>, Vec<Located<Clause>>) {
    let mut controls: Vec<Located<ControlKey>> = Vec::with_capacity(written.len());
    let mut found: Vec<Located<Clause>> = Vec::new();
    for w in written {
        let full_clause = w
            .value
            .split_once(':')
            .is_some_and(|(f, _)| f.trim().eq_ignore_ascii_case(CLAUSE_CATALOG));
        if full_clause {
            match clauses().resolve(&w.value) {
                Ok(id) => push_once(&mut found, id, w),
                Err(e) => out.push(e.diagnostic(file, w.position)),
            }
            continue;
        }
        match frameworks.resolve(&w.value) {
            Ok(key) => match clause_of_control(frameworks, key) {
                Some(id) => push_once(&mut found, id, w),
                None => push_once(&mut controls, key, w),
            },
            Err(e) => out.push(e.diagnostic(file, w.position)),
        }
    }
    (controls, found)
}

/// `clauses` and the clauses written in `scope` or `controls`, each once, `clauses` first.
pub fn merge(mut listed: Vec<Located<Clause>>, more: Vec<Located<Clause>>) -> Vec<Located<Clause>> {
    for c in more {
        if !listed.iter().any(|k| k.value == c.value) {
            listed.push(c);
        }
    }
    listed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_lie_within_their_parents() {
        assert!(is_within("9.2.2", "9.2"));
        assert!(is_within("9.2.2", "9.2.2"));
        assert!(is_within("6.1.3 d", "6.1.3"));
        assert!(is_within("6.1.3 d", "6.1"));
        assert!(!is_within("9.2", "9.2.2"));
        assert!(!is_within("6.1.3", "6.1.3 d"));
        assert!(!is_within("10.1", "1"));
        assert!(!is_within("9.3.1", "9.2"));
        let leaves: Vec<&str> = leaf_clauses().collect();
        assert_eq!(leaves.len(), 30);
        assert!(
            leaves.contains(&"9.2.2") && !leaves.contains(&"9.2") && !leaves.contains(&"6.1.3 d")
        );
    }
}
