//! Where rendered documents' search data goes: straight into the index (`build`), or kept per
//! document for `serve`, which re-indexes and rewrites result files after a partial rebuild.

use super::cache::CachedDoc;
use super::entry::ResultEntry;
use super::fields::{DocTerms, SearchFields};
use super::index::{IndexStats, SearchIndex};
use crate::error::Fatal;
use crate::write::{Hash, Tree};

/// What a rendered document gives the search besides its fields and result entry.
#[derive(Debug)]
pub enum Found<'t> {
    /// Its body as plain text, and its search key when the build keeps a search cache.
    Text(&'t str, Option<Hash>),
    /// Its search data, found in the search cache under the key.
    Cached(CachedDoc, Hash),
}

/// Where the search data of rendered documents goes: straight into an index (`build`), or kept
/// per document so that a later partial rebuild can re-index (`serve`).
pub trait SearchSink: Default + Send {
    /// What is left once the index is written.
    type Kept: Send;
    /// Takes document `index`'s searchable fields, search data and result entry.
    fn add(
        &mut self,
        index: usize,
        fields: &SearchFields<'_>,
        found: Found<'_>,
        entry: ResultEntry,
    ) -> Result<(), Fatal>;
    /// Combines two partial sinks.
    fn merge(self, other: Self) -> Self;
    /// Writes the shards and `search/meta.js`.
    fn finish(self, out: &Tree) -> Result<(IndexStats, Self::Kept), Fatal>;
}

impl SearchSink for SearchIndex {
    type Kept = ();

    fn add(
        &mut self,
        index: usize,
        fields: &SearchFields<'_>,
        found: Found<'_>,
        entry: ResultEntry,
    ) -> Result<(), Fatal> {
        match found {
            Found::Text(text, key) => {
                self.add_document(index, fields, text);
                if let Some(key) = key {
                    self.add_key(index, key);
                }
            }
            Found::Cached(doc, key) => {
                self.add_cached(index, doc);
                self.add_key(index, key);
            }
        }
        self.add_entry(index, &entry);
        Ok(())
    }

    fn merge(self, other: Self) -> Self {
        SearchIndex::merge(self, other)
    }

    fn finish(self, out: &Tree) -> Result<(IndexStats, ()), Fatal> {
        Ok((self.write(out, None)?, ()))
    }
}

/// One document's search data, kept between rebuilds.
#[derive(Debug)]
pub struct KeptDoc {
    /// Its result entry.
    pub entry: ResultEntry,
    /// Its weighted terms.
    pub terms: DocTerms,
}

impl KeptDoc {
    /// The search data of a document from its searchable fields, body text and entry.
    pub fn new(fields: &SearchFields<'_>, text: &str, entry: ResultEntry) -> Self {
        KeptDoc {
            entry,
            terms: DocTerms::new(fields, text),
        }
    }
}

/// Every document's search data, collected by index during a render.
#[derive(Debug, Default)]
pub struct KeptDocs(Vec<(usize, KeptDoc)>);

impl SearchSink for KeptDocs {
    type Kept = Vec<KeptDoc>;

    /// `serve` keeps every document's terms, which the search cache does not hold by
    /// document: its renderer has no search cache, so a document found in one is an error.
    fn add(
        &mut self,
        index: usize,
        fields: &SearchFields<'_>,
        found: Found<'_>,
        entry: ResultEntry,
    ) -> Result<(), Fatal> {
        match found {
            Found::Text(text, _) => {
                self.0.push((index, KeptDoc::new(fields, text, entry)));
                Ok(())
            }
            Found::Cached(..) => Err(Fatal::new(format!(
                "cannot keep the search data of `{}`: it was taken from a search cache",
                fields.url
            ))),
        }
    }

    fn merge(mut self, other: Self) -> Self {
        self.0.extend(other.0);
        self
    }

    fn finish(mut self, out: &Tree) -> Result<(IndexStats, Vec<KeptDoc>), Fatal> {
        self.0.sort_by_key(|(index, _)| *index);
        let docs: Vec<KeptDoc> = self.0.into_iter().map(|(_, doc)| doc).collect();
        Ok((write_kept_index(out, &docs)?, docs))
    }
}

/// Writes the index from kept documents, in document order.
pub fn write_kept_index(out: &Tree, docs: &[KeptDoc]) -> Result<IndexStats, Fatal> {
    let mut index = SearchIndex::default();
    for (i, doc) in docs.iter().enumerate() {
        index.add_ref(i, &doc.terms);
        index.add_entry(i, &doc.entry);
    }
    index.write(out, None)
}

/// Rewrites the result files of kept document `index`.
pub fn write_kept_entry(out: &Tree, docs: &[KeptDoc], index: usize) -> Result<(), Fatal> {
    match docs.get(index) {
        Some(doc) => doc.entry.write(out),
        None => Ok(()),
    }
}
