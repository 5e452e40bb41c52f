//! The documents a read keeps: parsed documents kept between reads by their file's stamp
//! (`serve` re-parses only what changed), and the outline cache a build parses bodies with.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::outlines::{OutlineCache, Outlines, Record};
use crate::diagnostic::Diagnostic;
use crate::document::ParsedDocument;
use crate::frontmatter::Reading;

/// Parsed documents kept between reads, keyed by path, with the file's modification time and
/// size: `serve` re-parses only the documents that changed.
#[derive(Debug, Default)]
pub struct DocCache {
    pub(super) enabled: bool,
    /// Documents let go of their text once parsed (see [`ParsedDocument::release_text`]).
    pub(super) release_text: bool,
    pub(super) entries: std::collections::HashMap<String, CachedDoc>,
    /// How the cached documents' front matter was read.
    pub(super) reading: Reading,
    /// The outline cache a build reads documents with, and the outlines of its last read.
    pub(super) outlines: Option<Outlines>,
}

#[derive(Debug)]
pub(super) struct CachedDoc {
    pub(super) stamp: Stamp,
    /// Parsed by [`DocCache::read_bodies`] for a read that follows: still new to it.
    pub(super) fresh: bool,
    /// Shared with the project read: a kept document is not copied.
    pub(super) document: Arc<ParsedDocument>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl DocCache {
    /// A cache that keeps documents between reads (a default one keeps nothing).
    pub fn new() -> Self {
        DocCache {
            enabled: true,
            ..Default::default()
        }
    }

    /// A cache that keeps nothing, for a read whose documents let go of their text once
    /// parsed (see [`document_body`] for reading a body again).
    pub fn releasing_text() -> Self {
        DocCache {
            release_text: true,
            ..Default::default()
        }
    }

    /// This cache, reading the documents it parses with the outline cache in `files.0` (the
    /// next one is written as `files.1` by [`DocCache::save_outlines`]).
    pub fn with_outline_cache(mut self, files: (PathBuf, PathBuf)) -> Self {
        self.outlines = Some(Outlines::new(files));
        self
    }

    /// Puts the outline cache the last read wrote in place (a build calls it once its site is
    /// in place; when this cache is dropped first, the file is removed).
    pub fn commit_outlines(&mut self) {
        if let Some(outlines) = &mut self.outlines {
            outlines.commit();
        }
    }

    /// How many outlines the last read took from the outline cache, and how many it read from
    /// their bodies; `None` without an outline cache.
    pub fn outline_counts(&self) -> Option<(usize, usize)> {
        self.outlines.as_ref().map(Outlines::counts)
    }

    /// Reads the documents at `paths` again, for a project that had them as the cache does:
    /// when each changed in its body's text alone (see [`ParsedDocument::same_but_body`]),
    /// returns them in the order given; `None` when one did not, was not in the cache or is
    /// gone, and then the next [`read`] takes the documents read here as new.
    pub fn read_bodies(&mut self, root: &Path, paths: &[String]) -> Option<Vec<BodyEdit>> {
        let mut edits = Vec::new();
        let mut same = true;
        for path in paths {
            let stamp = file_stamp(&root.join(path));
            let Some(entry) = self.entries.get_mut(path) else {
                same = false;
                break;
            };
            if stamp.0.is_none() {
                same = false;
                break;
            }
            if entry.stamp == stamp {
                continue;
            }
            let (fresh, _) = parse_fresh(root, path, stamp, self.release_text, &self.reading, None);
            same &= entry.document.same_but_body(&fresh.document);
            let before = std::mem::replace(entry, fresh);
            edits.push(BodyEdit {
                path: path.clone(),
                document: Arc::clone(&entry.document),
                before: before.diagnostics,
                after: entry.diagnostics.clone(),
            });
            if !same {
                break;
            }
        }
        if !same {
            for edit in &edits {
                if let Some(entry) = self.entries.get_mut(&edit.path) {
                    entry.fresh = true;
                }
            }
            return None;
        }
        Some(edits)
    }

    /// The documents re-parsed by the last read, by path.
    pub fn changed(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|(_, c)| c.document.reparsed)
            .map(|(p, _)| p.as_str())
    }
}

/// A document read again by [`DocCache::read_bodies`], changed in its body alone.
#[derive(Debug)]
pub struct BodyEdit {
    /// Its path.
    pub path: String,
    /// The document as now parsed.
    pub document: Arc<ParsedDocument>,
    /// What parsing it reported before.
    pub before: Vec<Diagnostic>,
    /// What parsing it reports now.
    pub after: Vec<Diagnostic>,
}

/// A file's modification time and size, which tell whether a cached document is still current.
pub(super) type Stamp = (Option<std::time::SystemTime>, u64);

pub(super) fn file_stamp(path: &Path) -> Stamp {
    match fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    }
}

/// Reads and parses the document at `path`, for the cache with its file's `stamp`; the document
/// lets go of its text when `release_text` is set.
/// Its body's outline is `known`'s when that has it; the record of the outline for the next
/// outline cache comes with the document.
pub(super) fn parse_fresh(
    root: &Path,
    path: &str,
    stamp: Stamp,
    release_text: bool,
    reading: &Reading,
    known: Option<&OutlineCache>,
) -> (CachedDoc, Option<Record>) {
    let (mut record, mut digest) = (None, None);
    let (mut document, diagnostics) =
        super::read_document(root, path, reading, |body, scan| match known {
            Some(known) => {
                let (outline, body_digest, kept) = known.outline(body, scan);
                (record, digest) = (kept, Some(body_digest));
                outline
            }
            None => crate::markdown::outline(body, scan),
        });
    document.body_digest = digest;
    if release_text {
        document.release_text();
    }
    let parsed = CachedDoc {
        stamp,
        fresh: false,
        document: Arc::new(document),
        diagnostics,
    };
    (parsed, record)
}
