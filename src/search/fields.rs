//! What one document gives the search: its searchable fields, borrowed from the model, and
//! the terms of those fields and its body, each weighted by its field, and their counts.

use rustc_hash::FxHashMap;

use super::tokenize::terms;
use super::{BODY, CONTROL, ID, OWNER, SUMMARY, TAG, TITLE};
use crate::model::Project;

/// What the index and a result entry read of one document, borrowed from the model.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchFields<'a> {
    /// The page URL (`policies/access-control/`).
    pub url: &'a str,
    /// The title.
    pub title: &'a str,
    /// The front matter's `id` (`POL-003`).
    pub id: Option<&'a str>,
    /// The owner.
    pub owner: Option<&'a str>,
    /// The kind's name (`policy`).
    pub kind: &'static str,
    /// The status's name (`approved`).
    pub status: &'static str,
    /// The summary.
    pub summary: Option<&'a str>,
    /// The tags.
    pub tags: &'a [String],
    /// The listed controls that resolved, by their ids as shown
    /// ([`Frameworks::display_id`](crate::catalog::Frameworks::display_id)).
    pub controls: Vec<String>,
}

impl<'a> SearchFields<'a> {
    /// The fields of document `index` of `project`.
    pub fn of(project: &'a Project, index: usize) -> Self {
        let doc = &project.documents[index];
        let meta = &doc.meta;
        SearchFields {
            url: &doc.url,
            title: &doc.title,
            id: meta.id.as_ref().map(|id| id.value.as_str()),
            owner: meta.owner.as_deref(),
            kind: meta.kind.as_str(),
            status: meta.status.as_str(),
            summary: meta.summary.as_deref(),
            tags: &meta.tags,
            controls: doc
                .control_keys()
                .map(|key| project.frameworks.display_id(key))
                .collect(),
        }
    }
}

/// One document's weighted term counts, and its total weighted length.
#[derive(Debug, Default)]
pub struct DocTerms {
    /// Weighted occurrences of each term.
    pub(super) counts: FxHashMap<String, u32>,
    /// The sum of the counts.
    pub(super) length: u32,
}

impl DocTerms {
    /// Counts the terms of a document's fields and body text.
    pub fn new(fields: &SearchFields<'_>, body: &str) -> Self {
        let mut counted = DocTerms::default();
        weighted_terms(fields, body, |term, weight| {
            match counted.counts.get_mut(term) {
                Some(count) => *count += weight,
                None => {
                    counted.counts.insert(term.to_string(), weight);
                }
            }
            counted.length += weight;
        });
        counted
    }
}

/// Calls `sink` with every term occurrence of a document and the weight of its field.
pub(super) fn weighted_terms(
    fields: &SearchFields<'_>,
    body: &str,
    mut sink: impl FnMut(&str, u32),
) {
    let mut field = |text: &str, weight: u32| terms(text, |term| sink(term, weight));
    field(fields.title, TITLE);
    field(fields.id.unwrap_or_default(), ID);
    for control in &fields.controls {
        field(control, CONTROL);
        // `A.5.15` is also found as `5.15`.
        if let Some(bare) = control.strip_prefix("A.") {
            field(bare, CONTROL);
        }
        if let Some((_, local)) = control.split_once(':') {
            field(local, CONTROL);
        }
    }
    for tag in fields.tags {
        field(tag, TAG);
    }
    field(fields.owner.unwrap_or_default(), OWNER);
    field(fields.summary.unwrap_or_default(), SUMMARY);
    field(body, BODY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_count_with_their_weights_and_controls_by_their_parts() {
        let tags = ["access".to_string()];
        let fields = SearchFields {
            url: "policies/access-control/",
            title: "Access Policy",
            id: Some("POL-003"),
            owner: None,
            kind: "policy",
            status: "approved",
            summary: Some("Who gets access"),
            tags: &tags,
            controls: vec!["A.5.15".to_string(), "nist-csf-2.0:PR.AA-01".to_string()],
        };
        let counted = DocTerms::new(&fields, "body access");
        assert_eq!(counted.counts["access"], TITLE + TAG + SUMMARY + BODY);
        assert_eq!(counted.counts["pol-003"], ID);
        // A control is found whole, without `A.`, and without its framework.
        assert_eq!(counted.counts["a.5.15"], CONTROL);
        assert_eq!(counted.counts["5.15"], CONTROL);
        assert_eq!(counted.counts["nist-csf-2.0:pr.aa-01"], CONTROL);
        assert_eq!(counted.counts["pr.aa-01"], CONTROL);
        // Kind and status are shown in results, not searched.
        assert!(!counted.counts.contains_key("approved"));
        assert_eq!(counted.length, counted.counts.values().sum::<u32>());
    }
}
