//! A resolved document: what parsing found, with its links, controls and review resolved
//! against the rest of the project.

use std::ops::Deref;
use std::sync::Arc;

use jiff::civil::Date;

use crate::catalog::{ControlKey, Frameworks, Unresolved};
use crate::clauses::{self, UnknownClause};
use crate::config::Config;
use crate::document::{LinkSite, ParsedDocument};
use crate::links::{Published, Target};
use crate::review::{self, Review, ReviewInputs};
use crate::tomlread::Located;

/// A control id as a document lists it, resolved against the catalogs in use.
#[derive(Debug, Clone)]
pub struct ControlRef {
    /// The id as written, with its place in the front matter.
    pub written: Located<String>,
    /// The control, or why there is none.
    pub key: Result<ControlKey, Unresolved>,
}

/// A `clauses` entry as a document lists it, resolved against the clauses of ISO/IEC 27001:2022.
#[derive(Debug, Clone)]
pub struct ClauseRef {
    /// The entry as written, with its place in the front matter.
    pub written: Located<String>,
    /// The canonical id (`6.1.3 d`), or why there is none.
    pub id: Result<&'static str, UnknownClause>,
}

/// A document of the project, resolved. It reads as its [`ParsedDocument`] (title, front
/// matter, headings, raw links) and adds what only the whole project can tell.
#[derive(Debug, Clone)]
pub struct Document {
    /// What parsing the file found.
    pub parsed: Arc<ParsedDocument>,
    /// What each of `parsed.links` points at, in the same order.
    pub targets: Vec<Target>,
    /// The listed controls, resolved.
    pub controls: Vec<ControlRef>,
    /// The listed clauses, resolved.
    pub clauses: Vec<ClauseRef>,
    /// The review schedule as of the project's day.
    pub review: Review,
}

impl Deref for Document {
    type Target = ParsedDocument;

    fn deref(&self) -> &ParsedDocument {
        &self.parsed
    }
}

/// What resolving a document needs to know of the project.
pub struct Resolver<'a> {
    /// What the site publishes.
    pub published: Published<'a>,
    /// The catalogs in use.
    pub frameworks: &'a Frameworks,
    /// The settings.
    pub config: &'a Config,
    /// The day reviews are computed for.
    pub today: Date,
}

impl Resolver<'_> {
    /// Resolves one parsed document.
    pub fn resolve(&self, parsed: Arc<ParsedDocument>) -> Document {
        let targets = parsed
            .links
            .iter()
            .map(|link| self.published.resolve(parsed.path(), &link.dest))
            .collect();
        let controls = parsed
            .meta
            .controls
            .iter()
            .map(|written| ControlRef {
                key: self.frameworks.resolve(&written.value),
                written: written.clone(),
            })
            .collect();
        let clauses = parsed
            .meta
            .clauses
            .iter()
            .map(|written| ClauseRef {
                id: clauses::clauses().resolve(&written.value),
                written: written.clone(),
            })
            .collect();
        let review = self.review(&parsed);
        Document {
            parsed,
            targets,
            controls,
            clauses,
            review,
        }
    }

    fn review(&self, doc: &ParsedDocument) -> Review {
        let inputs = ReviewInputs {
            // A document whose front matter could not be read has no review to assess (its
            // invalid-front-matter or unreadable-file error says why); it is not "missing" one.
            tracked: doc.meta_read && doc.meta.status.is_tracked(),
            next_review: doc.meta.next_review.as_ref().map(|d| d.value),
            last_reviewed: doc.meta.last_reviewed.as_ref().map(|d| d.value),
            interval: doc
                .meta
                .review_interval
                .as_ref()
                .map_or(self.config.reviews.default_interval, |i| i.value),
        };
        review::review(inputs, self.today, self.config.reviews.due_soon_days)
    }
}

impl Document {
    /// Each link with what it points at, in order.
    pub fn links(&self) -> impl Iterator<Item = (&LinkSite, &Target)> {
        self.parsed.links.iter().zip(&self.targets)
    }

    /// What a link written as `dest` in this document points at, when parsing found it.
    pub fn target_of(&self, dest: &str) -> Option<&Target> {
        self.links().find(|(l, _)| l.dest == dest).map(|(_, t)| t)
    }

    /// The canonical ids of the listed clauses that resolved, in the order listed.
    pub fn clause_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.clauses
            .iter()
            .filter_map(|c| c.id.as_ref().ok().copied())
    }

    /// The keys of the listed controls that resolved, in the order listed.
    pub fn control_keys(&self) -> impl Iterator<Item = ControlKey> + '_ {
        self.controls
            .iter()
            .filter_map(|c| c.key.as_ref().ok().copied())
    }
}
