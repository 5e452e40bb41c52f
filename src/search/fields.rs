//! What one document gives the index: the terms of its fields and body, each weighted by
//! its field, and their counts.

use rustc_hash::FxHashMap;

use super::tokenize::terms;
use super::{BODY, CONTROL, ID, OWNER, SUMMARY, TAG, TITLE};
use crate::render::view::DocView;

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
    pub fn new(doc: &DocView, body: &str) -> Self {
        let mut counted = DocTerms::default();
        weighted_terms(doc, body, |term, weight| {
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
pub(super) fn weighted_terms(doc: &DocView, body: &str, mut sink: impl FnMut(&str, u32)) {
    let mut field = |text: &str, weight: u32| terms(text, |term| sink(term, weight));
    field(&doc.title, TITLE);
    field(&doc.id, ID);
    for control in &doc.controls {
        field(&control.id, CONTROL);
        // `A.5.15` is also found as `5.15`.
        if let Some(bare) = control.id.strip_prefix("A.") {
            field(bare, CONTROL);
        }
        if let Some((_, local)) = control.id.split_once(':') {
            field(local, CONTROL);
        }
    }
    for tag in &doc.tags {
        field(tag, TAG);
    }
    field(&doc.owner, OWNER);
    field(&doc.summary, SUMMARY);
    field(body, BODY);
}
