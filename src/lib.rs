//! annexa: turns a Git repository of Markdown ISMS documents into a searchable static site,
//! and checks it in CI.
//!
//! Data flows one way: [`load`] reads the repository → [`model`] resolves it into an immutable
//! [`model::Project`] → [`lint`] checks it ([`pipeline`] runs these three) → [`render`] and
//! [`write`] produce the site. [`publish`] decides what is a document and what is published;
//! [`routes`] owns the site's URLs; [`search`] builds the site's full-text index from the model;
//! [`text`] escapes user text for the outputs that are not HTML. [`commands`] drives the stages
//! for each CLI command.

#![warn(missing_docs)]

pub mod action;
pub(crate) mod binary;
pub mod catalog;
pub mod clauses;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod fix;
pub mod frontmatter;
pub mod history;
pub mod legacy;
pub mod links;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pack;
pub mod past;
pub mod pipeline;
pub mod publish;
pub mod registers;
pub mod render;
pub mod report;
pub mod review;
pub mod reviews;
pub mod risks;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod soa;
pub mod source;
pub mod text;
pub mod timing;
pub mod tomlread;
pub mod write;
pub mod yamlread;

/// Frees `value` on a thread of its own. A build's model and template context hold every
/// document several times over; freeing them takes a tenth of a second at 10,000 documents, which
/// the command need not wait for (the process may exit first, which frees everything at once).
pub fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
