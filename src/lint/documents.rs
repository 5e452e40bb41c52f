//! The lints of documents: ids, control ids, links and anchors, reviews, URLs.

use std::collections::HashMap;

use crate::diagnostic::{
    Diagnostic, Fix, Lint, Position, close_matches, did_you_mean, did_you_mean_path,
    only_path_match,
};
use crate::links::{Target, relative_to};
use crate::model::{Document, Project};
use crate::review::{PastCalendar, ReviewState};

use super::plural;

/// `duplicate-id`: two documents share an `id` (compared without case).
pub fn duplicate_ids(project: &Project) -> Vec<Diagnostic> {
    let mut first: HashMap<String, &Document> = HashMap::new();
    let mut out = Vec::new();
    for doc in &project.documents {
        let Some(id) = &doc.meta.id else { continue };
        let key = id.value.trim().to_lowercase();
        match first.get(&key) {
            Some(other) => out.push(
                Diagnostic::new(
                    Lint::DuplicateId,
                    format!("id `{}` is already used", id.value),
                )
                .in_file(doc.path())
                .at(id.position)
                .with_help(format!("`{}` has the same id", other.path())),
            ),
            None => {
                first.insert(key, doc);
            }
        }
    }
    out
}

/// `unknown-control`: a document lists a control that is in no framework in use, or a clause
/// that is not one of ISO/IEC 27001:2022.
pub fn unknown_controls(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &project.documents {
        for (i, control) in doc.controls.iter().enumerate() {
            let Err(e) = &control.key else { continue };
            if e.lint == Lint::UnknownControl && super::is_legacy(&control.written.value) {
                continue; // `legacy-control-id`
            }
            let at = doc.meta.control_text.get(i).copied().flatten();
            let fix = (e.lint == Lint::UnknownControl)
                .then(|| super::respelt(project, &control.written.value, at))
                .flatten();
            out.push(
                e.diagnostic(doc.path(), control.written.position)
                    .with_fix_opt(fix),
            );
        }
        for clause in &doc.clauses {
            if let Err(e) = &clause.id {
                out.push(e.diagnostic(doc.path(), clause.written.position));
            }
        }
    }
    out
}

/// `broken-link` and `broken-anchor`: relative links to nothing, or to a missing heading.
pub fn broken_links(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &project.documents {
        for (link, target) in doc.links() {
            let found = match target {
                Target::Missing { path, reason } => {
                    let d = missing_target(project, doc, &link.dest, path, reason.as_deref());
                    let fix = reason
                        .is_none()
                        .then(|| certain_target(project, doc, &link.dest, path))
                        .flatten();
                    Some(d.with_fix_opt(link_fix(link, fix)))
                }
                Target::Unpublished { reason, .. } => {
                    let written = link.dest.split('#').next().unwrap_or(&link.dest);
                    Some(
                        Diagnostic::new(
                            Lint::BrokenLink,
                            format!("`{written}` is not published on the site"),
                        )
                        .with_help(reason.clone()),
                    )
                }
                Target::Document {
                    index,
                    anchor: Some(anchor),
                } => anchor_problem(&project.documents[*index], anchor, &link.dest)
                    .map(|(d, fix)| d.with_fix_opt(link_fix(link, fix))),
                Target::SameDocument { anchor } if !anchor.is_empty() => {
                    anchor_problem(doc, anchor, &link.dest)
                        .map(|(d, fix)| d.with_fix_opt(link_fix(link, fix)))
                }
                _ => None,
            };
            if let Some(d) = found {
                out.push(d.in_file(doc.path()).at(link.position));
            }
        }
    }
    out
}

/// The fix replacing a link's destination with `replacement`, where the destination is
/// written inline.
fn link_fix(link: &crate::document::LinkSite, replacement: Option<String>) -> Option<Fix> {
    Some(Fix::replace(link.dest_position?, &link.dest, replacement?))
}

/// The destination a missing link certainly meant: the only file with a close name.
fn certain_target(project: &Project, doc: &Document, dest: &str, resolved: &str) -> Option<String> {
    let candidates = project
        .documents
        .iter()
        .map(|d| d.path())
        .chain(project.assets.iter().map(String::as_str));
    let near = only_path_match(resolved, candidates)?;
    let mut suggestion = relative_to(doc.path(), near);
    if let Some((_, anchor)) = dest.split_once('#') {
        suggestion = format!("{suggestion}#{anchor}");
    }
    Some(suggestion)
}

fn missing_target(
    project: &Project,
    doc: &Document,
    dest: &str,
    resolved: &str,
    reason: Option<&str>,
) -> Diagnostic {
    let written = dest.split('#').next().unwrap_or(dest);
    let message = match reason {
        Some(reason) => format!("`{written}` cannot be linked: {reason}"),
        None => format!("`{written}` does not exist"),
    };
    let candidates = project
        .documents
        .iter()
        .map(|d| d.path())
        .chain(project.assets.iter().map(String::as_str));
    let help = did_you_mean_path(resolved, candidates).map(|near| {
        let mut suggestion = relative_to(doc.path(), near);
        if let Some((_, anchor)) = dest.split_once('#') {
            suggestion = format!("{suggestion}#{anchor}");
        }
        format!("did you mean `{suggestion}`?")
    });
    Diagnostic::new(Lint::BrokenLink, message).with_help_opt(help)
}

/// `broken-anchor` for `anchor` in `target`, if no heading has it.
pub(super) fn missing_anchor(target: &Document, anchor: &str, dest: &str) -> Option<Diagnostic> {
    anchor_problem(target, anchor, dest).map(|(d, _)| d)
}

/// `broken-anchor` for `anchor` in `target`, if no heading has it, with the destination
/// rewritten to the only close heading id, if there is one.
fn anchor_problem(
    target: &Document,
    anchor: &str,
    dest: &str,
) -> Option<(Diagnostic, Option<String>)> {
    if target.headings.iter().any(|h| h.id == anchor) {
        return None;
    }
    let fix = match close_matches(anchor, target.headings.iter().map(|h| h.id.as_str())).as_slice()
    {
        [only] => {
            let before = dest.split_once('#').map_or("", |(b, _)| b);
            Some(format!("{before}#{only}"))
        }
        _ => None,
    };
    let ids = target.headings.iter().map(|h| h.id.as_str());
    let help = did_you_mean(anchor, ids)
        .map(|id| format!("did you mean `#{id}`?"))
        .or_else(|| {
            (target.headings.is_empty()).then(|| format!("`{}` has no headings", target.path()))
        });
    Some((
        Diagnostic::new(
            Lint::BrokenAnchor,
            format!(
                "`{dest}`: no heading with id `{anchor}` in `{}`",
                target.path()
            ),
        )
        .with_help_opt(help),
        fix,
    ))
}

/// `review-overdue`, `review-due-soon` and `review-date-missing`.
pub fn reviews(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &project.documents {
        if !doc.meta_read {
            continue;
        }
        let review = &doc.review;
        if let Some(past) = review.past_calendar {
            out.push(past_calendar(project, doc, past));
            continue;
        }
        let at = review_position(doc);
        let d = match (review.state, review.next, review.days_left) {
            (ReviewState::Overdue, Some(next), Some(days)) => Diagnostic::new(
                Lint::ReviewOverdue,
                format!(
                    "review overdue: `{}` was due for review on {next} ({} ago)",
                    doc.title,
                    plural(-days, "day")
                ),
            )
            .with_help(format!(
                "review the document, then set `last_reviewed` (owner: {})",
                doc.meta.owner.as_deref().unwrap_or("unknown")
            )),
            (ReviewState::DueSoon, Some(next), Some(days)) => Diagnostic::new(
                Lint::ReviewDueSoon,
                match days {
                    0 => format!(
                        "review due today: `{}` is due for review on {next}",
                        doc.title
                    ),
                    _ => format!(
                        "review due soon: `{}` is due for review on {next} (in {})",
                        doc.title,
                        plural(days, "day")
                    ),
                },
            ),
            (ReviewState::Missing, _, _) => Diagnostic::new(
                Lint::ReviewDateMissing,
                format!("`{}` has no review date", doc.title),
            )
            .with_help(
                "set `last_reviewed` (the next review follows the interval) or `next_review`",
            ),
            _ => continue,
        };
        out.push(d.in_file(doc.path()).at(at));
    }
    out
}

/// `invalid-front-matter`: `last_reviewed` plus the interval is past the calendar's end; at the
/// document's interval, else at `last_reviewed` (the interval is then the project's default).
fn past_calendar(project: &Project, doc: &Document, past: PastCalendar) -> Diagnostic {
    let (at, help) = match &doc.meta.review_interval {
        Some(interval) => (Some(interval.position), None),
        None => (
            doc.meta.last_reviewed.as_ref().map(|d| d.position),
            Some(format!(
                "the interval is `reviews.default_interval` of annexa.toml ({})",
                project.config.reviews.default_interval
            )),
        ),
    };
    Diagnostic::new(Lint::InvalidFrontMatter, past.to_string())
        .in_file(doc.path())
        .at(at.unwrap_or(Position { line: 1, column: 1 }))
        .with_help_opt(help)
}

fn review_position(doc: &Document) -> Position {
    doc.meta
        .next_review
        .as_ref()
        .or(doc.meta.last_reviewed.as_ref())
        .map(|d| d.position)
        .unwrap_or(Position { line: 1, column: 1 })
}

/// `url-conflict`: a document whose page would overwrite a page or file annexa generates, or
/// land in a folder annexa writes whole (see [`crate::routes::ROUTES`]), or another document's
/// page (`a.md` and `a.MD`).
pub fn url_conflicts(project: &Project) -> Vec<Diagnostic> {
    let files: Vec<&str> = crate::routes::fixed_files().collect();
    let mut seen: HashMap<String, &Document> = HashMap::new();
    let mut out = Vec::new();
    for doc in &project.documents {
        let url = &doc.url;
        let generated = project.site.page_at(url).is_some()
            || files.contains(&url.trim_end_matches('/'))
            || crate::model::site_map::owned(url);
        let message = if generated {
            Some(format!(
                "this document would be published at /{url}, where annexa puts a page of its own"
            ))
        } else {
            seen.get(&url.to_lowercase()).map(|other| {
                format!(
                    "this document and `{}` would both be published at /{url}",
                    other.path()
                )
            })
        };
        if let Some(message) = message {
            out.push(
                Diagnostic::new(Lint::UrlConflict, message)
                    .in_file(doc.path())
                    .at(Position { line: 1, column: 1 })
                    .with_help("rename the file or move it to another folder"),
            );
        }
        seen.entry(url.to_lowercase()).or_insert(doc);
    }
    out
}
