//! Control ids written in another edition's or another spelling's form: `legacy-control-id`
//! (an ISO/IEC 27001:2013 id) and the certain re-spelling of an unknown id (`A5.15`).

use crate::diagnostic::{Diagnostic, Fix, Lint, Position};
use crate::legacy::{self, Legacy};
use crate::model::Project;

/// `legacy-control-id`: a document lists an ISO/IEC 27001:2013 Annex A id (`A.9.2.3`); the
/// help names the 2022 control(s) it became, and a one-to-one mapping is a fix.
pub fn legacy_control_ids(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &project.documents {
        for (i, control) in doc.controls.iter().enumerate() {
            let Err(e) = &control.key else { continue };
            if e.lint != Lint::UnknownControl {
                continue;
            }
            let Some(old) = legacy::find(&control.written.value) else {
                continue;
            };
            let at = doc.meta.control_text.get(i).copied().flatten();
            out.push(
                legacy_diagnostic(project, old, &control.written.value, at)
                    .in_file(doc.path())
                    .at(control.written.position),
            );
        }
    }
    out
}

/// Whether `unknown-control` leaves `written` to `legacy-control-id`.
pub fn is_legacy(written: &str) -> bool {
    legacy::find(written).is_some()
}

fn legacy_diagnostic(
    project: &Project,
    old: &Legacy,
    written: &str,
    at: Option<Position>,
) -> Diagnostic {
    let named: Vec<(String, Option<String>)> = old
        .became
        .iter()
        .map(|id| match project.frameworks.resolve(id) {
            Ok(key) => (
                project.frameworks.display_id(key),
                Some(project.frameworks.control(key).title.clone()),
            ),
            Err(_) => (id.clone(), None),
        })
        .collect();
    let list: Vec<String> = named
        .iter()
        .map(|(id, title)| match title {
            Some(t) => format!("{id} {t}"),
            None => id.clone(),
        })
        .collect();
    let help = match list.as_slice() {
        [one] => format!("in ISO/IEC 27001:2022 it is {one}"),
        many => format!(
            "in ISO/IEC 27001:2022 it became {}: list those this document implements",
            many.join("; ")
        ),
    };
    let fix = match (named.as_slice(), at) {
        ([(id, Some(_))], Some(at)) => Some(Fix::replace(at, written, id.clone())),
        _ => None,
    };
    Diagnostic::new(
        Lint::LegacyControlId,
        format!(
            "`{written}` is an ISO/IEC 27001:2013 control id ({})",
            old.title
        ),
    )
    .with_help(help)
    .with_fix_opt(fix)
}

/// The one control whose id reads as `written` once case and punctuation are set aside
/// (`A5.15`, `A-5-15` → `A.5.15`), as a fix at `at`.
pub fn respelt(project: &Project, written: &str, at: Option<Position>) -> Option<Fix> {
    let at = at?;
    if written.contains(':') {
        return None;
    }
    let wanted = squash(written);
    let wanted = wanted.as_str();
    let mut found = project
        .frameworks
        .catalogs
        .iter()
        .enumerate()
        .flat_map(|(f, c)| {
            c.controls
                .iter()
                .enumerate()
                .filter_map(move |(i, control)| {
                    (squash(&control.id) == wanted).then_some(crate::catalog::ControlKey {
                        framework: f,
                        control: i,
                    })
                })
        });
    let key = found.next()?;
    if found.next().is_some() {
        return None;
    }
    Some(Fix::replace(
        at,
        written,
        project.frameworks.display_id(key),
    ))
}

/// An id without case and punctuation: `A.5.15` → `a515`.
fn squash(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
