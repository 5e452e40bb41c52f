//! The view of one document: its front matter, review and controls as the templates show them.

use serde::Serialize;

use crate::frontmatter::{Kind, Status};
use crate::model::summary::{Activity, last_activity};
use crate::model::{Document, Project};
use crate::review::ReviewState;
use crate::routes::{owner_url, register_url};

use super::{ControlRefView, LinkView, control_ref};

/// Everything a template needs about one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocView {
    /// Position in `site.documents`.
    pub index: usize,
    /// The page URL (`policies/access-control/`).
    pub url: String,
    /// The source path (`policies/access-control.md`).
    pub path: String,
    /// Title.
    pub title: String,
    /// `id`.
    pub id: Option<String>,
    /// The folder it lives in (`policies`, `policies/hr`), or empty at the root.
    pub folder: String,
    /// Kind name.
    pub kind: &'static str,
    /// Kind for display ("Policy").
    pub kind_label: &'static str,
    /// Status name.
    pub status: &'static str,
    /// Status for display ("In review").
    pub status_label: &'static str,
    /// Owner.
    pub owner: Option<String>,
    /// The owner's page.
    pub owner_url: Option<String>,
    /// Approver.
    pub approver: Option<String>,
    /// Approval date.
    pub approved_on: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Classification.
    pub classification: Option<String>,
    /// Effective date.
    pub effective: Option<String>,
    /// Last review date.
    pub last_reviewed: Option<String>,
    /// Next review date.
    pub next_review: Option<String>,
    /// Review interval as written.
    pub review_interval: Option<String>,
    /// Where the review stands (`overdue`, `due-soon`, `ok`, `missing`, `not-tracked`).
    pub review_state: ReviewState,
    /// Days to the next review (negative when overdue), when tracked and dated.
    pub days_left: Option<i64>,
    /// A human phrase for the review state ("Overdue by 32 days").
    pub review_label: String,
    /// The latest of `last_reviewed` and `effective` up to today.
    pub last_activity: Option<String>,
    /// What happened then: `reviewed` or `effective`.
    pub last_activity_kind: Option<&'static str>,
    /// Listed controls that resolved.
    pub controls: Vec<ControlRefView>,
    /// Tags.
    pub tags: Vec<String>,
    /// Tags as links to the register filtered by each.
    pub tag_links: Vec<LinkView>,
    /// Summary.
    pub summary: Option<String>,
    /// Link to the source file in the repository browser.
    pub source_url: Option<String>,
}

fn review_label(doc: &Document) -> String {
    let days = doc.review.days_left.unwrap_or(0);
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    match doc.review.state {
        ReviewState::Overdue => format!("Overdue by {} {}", -days, plural(-days)),
        ReviewState::DueSoon if days == 0 => "Due today".to_string(),
        ReviewState::DueSoon => format!("Due in {days} {}", plural(days)),
        ReviewState::Ok => "Current".to_string(),
        ReviewState::Missing => "No review date".to_string(),
        ReviewState::NotTracked => "Not tracked".to_string(),
    }
}

/// A kind for display ("Policy").
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => "Policy",
        Kind::Procedure => "Procedure",
        Kind::Standard => "Standard",
        Kind::Guideline => "Guideline",
        Kind::Plan => "Plan",
        Kind::Record => "Record",
        Kind::Other => "Other",
    }
}

/// A document status for display ("In review").
pub fn doc_status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::Review => "In review",
        Status::Approved => "Approved",
        Status::Retired => "Retired",
    }
}

/// The view of document `index`.
pub fn doc_view(project: &Project, index: usize, doc: &Document) -> DocView {
    let meta = &doc.meta;
    let activity = last_activity(project.today, doc);
    DocView {
        index,
        url: doc.url.clone(),
        path: doc.path().to_string(),
        title: doc.title.clone(),
        id: meta.id.as_ref().map(|i| i.value.clone()),
        folder: doc
            .path()
            .rsplit_once('/')
            .map(|(folder, _)| folder.to_string())
            .unwrap_or_default(),
        kind: meta.kind.as_str(),
        kind_label: kind_label(meta.kind),
        status: meta.status.as_str(),
        status_label: doc_status_label(meta.status),
        owner: meta.owner.clone(),
        owner_url: meta.owner.as_deref().map(owner_url),
        approver: meta.approver.clone(),
        approved_on: meta.approved_on.as_ref().map(|d| d.value.to_string()),
        version: meta.version.clone(),
        classification: meta.classification.clone(),
        effective: meta.effective.map(|d| d.to_string()),
        last_reviewed: meta.last_reviewed.as_ref().map(|d| d.value.to_string()),
        next_review: doc.review.next.map(|d| d.to_string()),
        review_interval: meta.review_interval.as_ref().map(|i| i.value.to_string()),
        review_state: doc.review.state,
        days_left: doc.review.days_left,
        review_label: review_label(doc),
        last_activity: activity.map(|(d, _)| d.to_string()),
        last_activity_kind: activity.map(|(_, kind)| match kind {
            Activity::Reviewed => "reviewed",
            Activity::Effective => "effective",
        }),
        controls: doc
            .control_keys()
            .map(|key| control_ref(project, key))
            .collect(),
        tags: meta.tags.clone(),
        tag_links: meta
            .tags
            .iter()
            .map(|t| LinkView {
                label: t.clone(),
                url: register_url("tag", t),
            })
            .collect(),
        summary: meta.summary.clone(),
        source_url: project
            .config
            .repo_url
            .as_ref()
            .map(|base| format!("{base}/{}", doc.path())),
    }
}
