//! The search index: an inverted index split into small shards by term prefix, plus one small
//! file per document for result titles and snippets (and one more for the rest of a long
//! text). Every file is a script that hands its data to `annexaSearch`, so the index loads from
//! disk (file://) as well as over HTTP, and a query fetches only the shards of its terms and
//! the files of the results it shows.
//!
//! Ranking is BM25 over weighted fields (title, id and controls count most, then tags, owner and
//! summary, then body). The term-frequency part is computed here; the JavaScript adds IDF.
//!
//! One job a file: `tokenize` (the terms of a text), `fields` (a document's weighted terms),
//! `entry` (its result entry and files), `index` (the inverted index), `shards` (its terms grouped
//! into files by prefix), `packed` (posting lists as strings),
//! `script` (script-safe strings and writing the files), `sink` (where rendered documents'
//! search data goes, for `build` and `serve`), `cache` (documents' search data kept across
//! builds), `reuse` (the heads a build can take from the previous one) and `scan` (the byte
//! classes and eight-byte scans they share).

mod cache;
mod entry;
mod fields;
mod heads;
mod index;
mod packed;
mod reuse;
mod scan;
mod script;
mod shards;
mod sink;
mod tokenize;

pub use cache::{CachedDoc, SearchCache, search_key};
pub use entry::ResultEntry;
pub use fields::{DocTerms, SearchFields};
pub use heads::bucket;
pub use index::{IndexStats, SearchIndex};
pub use shards::shard_file;
pub use sink::{Found, KeptDoc, KeptDocs, SearchSink, write_kept_entry, write_kept_index};
pub use tokenize::terms;

/// Where the index lives in the site.
pub const SEARCH_DIR: &str = "search";

/// Documents rendered, and their search entries written, as one task.
pub const CHUNK: usize = 8;

/// Field weights, as multiples of a body occurrence.
const TITLE: u32 = 10;
const ID: u32 = 10;
const CONTROL: u32 = 8;
const TAG: u32 = 5;
const OWNER: u32 = 4;
const SUMMARY: u32 = 3;
const BODY: u32 = 1;
