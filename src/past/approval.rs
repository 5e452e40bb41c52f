//! Changes after approval: an approved document as it stands compared with the version that
//! was approved. The approved version is the file at its last commit on or before `approved_on`
//! (else `last_reviewed`), or its first committed version when it was first committed after
//! that day (an imported ISMS is not flagged wholesale). A change counts when the body, or a
//! front-matter field other than the approval and review fields, differs. Committer dates.

use jiff::civil::Date;

use crate::diagnostic::Position;
use crate::frontmatter::Status;
use crate::model::{Document, Project};

use crate::history::{Commit, History};

/// Front-matter fields whose change does not change what was approved.
pub const APPROVAL_FIELDS: &[&str] = &[
    "approved_on",
    "approver",
    "last_reviewed",
    "next_review",
    "review_interval",
];

/// An approved document that changed after its approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unapproved {
    /// Index of the document.
    pub document: usize,
    /// The approval date.
    pub approved: Date,
    /// The field the date comes from (`approved_on` or `last_reviewed`).
    pub field: &'static str,
    /// Where that field is.
    pub position: Position,
    /// The first commit after the approval that changed what was approved.
    pub commit: Commit,
}

/// The approval date of `doc` and its field, when it is approved and has one.
fn approval(doc: &Document) -> Option<(Date, &'static str, Position)> {
    if doc.meta.status != Status::Approved {
        return None;
    }
    if let Some(on) = &doc.meta.approved_on {
        return Some((on.value, "approved_on", on.position));
    }
    let reviewed = doc.meta.last_reviewed.as_ref()?;
    Some((reviewed.value, "last_reviewed", reviewed.position))
}

/// One document's question: its approved blob and the blobs of the later commits, oldest first.
struct Question<'h> {
    document: usize,
    approved: Date,
    field: &'static str,
    position: Position,
    approved_blob: &'h str,
    later: Vec<(&'h str, &'h Commit)>,
}

/// The approved documents of `project` that changed after their approval, by document.
pub fn unapproved(project: &Project, history: &History) -> Vec<Unapproved> {
    let mut questions = Vec::new();
    for (index, doc) in project.documents.iter().enumerate() {
        let Some((date, field, position)) = approval(doc) else {
            continue;
        };
        let changes = history.of(doc.path());
        let Some(oldest) = changes.last() else {
            continue;
        };
        let approved_at = changes
            .iter()
            .position(|c| history.commit(c).date <= date)
            .unwrap_or(changes.len() - 1);
        let later: Vec<(&str, &Commit)> = changes[..approved_at]
            .iter()
            .rev()
            .map(|c| (c.blob.as_str(), history.commit(c)))
            .filter(|(_, commit)| commit.date > date)
            .collect();
        if later.is_empty() {
            continue;
        }
        let approved_blob = changes.get(approved_at).unwrap_or(oldest).blob.as_str();
        questions.push(Question {
            document: index,
            approved: date,
            field,
            position,
            approved_blob,
            later,
        });
    }
    if questions.is_empty() {
        return Vec::new();
    }
    let ids: Vec<&str> = questions
        .iter()
        .flat_map(|q| std::iter::once(q.approved_blob).chain(q.later.iter().map(|(b, _)| *b)))
        .collect();
    let Ok(contents) = history.blobs(&ids) else {
        return Vec::new();
    };
    let mut contents = contents.into_iter();
    let mut found = Vec::new();
    for q in questions {
        let approved = contents.next().flatten();
        let later: Vec<_> = (0..q.later.len())
            .map(|_| contents.next().flatten())
            .collect();
        let Some(approved) = approved else { continue };
        let approved = String::from_utf8_lossy(&approved);
        let doc = &project.documents[q.document];
        let Ok(now) = std::fs::read(project.root.join(doc.path())) else {
            continue;
        };
        if same_approved_content(&approved, &String::from_utf8_lossy(&now)) {
            continue;
        }
        let first = q.later.iter().zip(&later).find(|(_, text)| {
            text.as_ref()
                .is_some_and(|t| !same_approved_content(&approved, &String::from_utf8_lossy(t)))
        });
        if let Some(((_, commit), _)) = first {
            found.push(Unapproved {
                document: q.document,
                approved: q.approved,
                field: q.field,
                position: q.position,
                commit: (*commit).clone(),
            });
        }
    }
    found
}

/// Whether two versions of a document hold the same approved content: the same body, and the
/// same front matter but for the approval and review fields.
pub fn same_approved_content(a: &str, b: &str) -> bool {
    let (a_meta, a_body) = parts(a);
    let (b_meta, b_body) = parts(b);
    a_body == b_body && a_meta == b_meta
}

/// A document's front-matter lines (less the approval and review fields) and its body, with
/// line endings made alike.
fn parts(text: &str) -> (Vec<String>, String) {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let Ok(split) = crate::frontmatter::split(&text) else {
        return (Vec::new(), text);
    };
    let meta = text[split.toml.clone()]
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty() && !is_approval_line(line))
        .map(str::to_string)
        .collect();
    (meta, text[split.body_start..].to_string())
}

fn is_approval_line(line: &str) -> bool {
    let key = line
        .split(['=', ':'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    APPROVAL_FIELDS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_and_review_fields_do_not_count() {
        let a = "+++\ntitle = \"A\"\napproved_on = 2026-01-01\n+++\nBody\n";
        let b =
            "+++\ntitle = \"A\"\napproved_on = 2026-03-01\nlast_reviewed = 2026-03-01\n+++\nBody\n";
        assert!(same_approved_content(a, b));
        assert!(!same_approved_content(a, &a.replace("Body", "Other")));
        assert!(!same_approved_content(a, &a.replace("\"A\"", "\"B\"")));
        assert!(same_approved_content(a, &a.replace('\n', "\r\n")));
    }
}
