//! Lints over the Git history: documents changed after their approval.

use crate::diagnostic::{Diagnostic, Lint};
use crate::model::Project;

/// `changed-after-approval`: an approved document whose content changed in a commit after its
/// `approved_on` (or `last_reviewed`). Does not run without history.
pub fn changed_after_approval(project: &Project) -> Vec<Diagnostic> {
    let Some(history) = &project.history else {
        return Vec::new();
    };
    crate::past::approval::unapproved(project, history)
        .into_iter()
        .map(|found| {
            let doc = &project.documents[found.document];
            let c = &found.commit;
            Diagnostic::new(
                Lint::ChangedAfterApproval,
                format!(
                    "changed after its approval on {} (`{}`) and not approved again",
                    found.approved, found.field
                ),
            )
            .in_file(doc.path())
            .at(found.position)
            .with_help(format!(
                "commit {} ({}, {}: {}) changed it; have the change approved and set `approved_on` to that date",
                c.short, c.date, c.author, c.subject
            ))
        })
        .collect()
}
