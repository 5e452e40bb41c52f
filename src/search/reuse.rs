//! What a build ranked and wrote of the heads, kept in the search cache for the next build,
//! and what of it still holds: a head is ranked again only when a term its query matches has
//! other postings than before, and a file of heads is written again only when what it is made
//! from changed (its heads, or the text of a document it shows).
//!
//! The ranking of a query is a pure function of the scored postings of the terms it matches,
//! the number of documents (the IDF) and the two-character shards split by a third character
//! (which last words of two characters match as a prefix). So when the last two are the same,
//! a head whose matched terms all hold the same postings (by a digest of each term's list) has
//! the same result count and first page as before. A file of heads is the same bytes when its
//! heads (keys, counts, pages) and the search keys of the documents they show are: its
//! signature covers them, and the file is taken by the hash of the bytes that build wrote, so
//! it is taken only from a site that holds exactly those bytes.

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::heads::Ranked;
use crate::binary::{Reader, push_number};
use crate::write::Hash;

/// A digest of a term's scored postings.
pub(super) type ListDigest = [u8; 16];

/// The digest of one term's scored postings (documents and scores).
pub(super) fn list_digest(list: &[(u32, u8)]) -> ListDigest {
    let mut hasher = Sha256::new();
    for &(doc, score) in list {
        hasher.update(doc.to_le_bytes());
        hasher.update([score]);
    }
    let full: Hash = hasher.finalize().into();
    full[..16].try_into().expect("16 bytes")
}

/// The digest of the set of split shard keys (see `Postings::split`), in any order.
pub(super) fn split_digest<'a>(split: impl Iterator<Item = &'a String>) -> Hash {
    let mut keys: Vec<&String> = split.collect();
    keys.sort_unstable();
    let mut hasher = Sha256::new();
    for key in keys {
        hasher.update((key.len() as u64).to_le_bytes());
        hasher.update(key.as_bytes());
    }
    hasher.finalize().into()
}

/// What one file of heads was made from and what was written: its signature, the hash of its
/// bytes and how many bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WrittenFile {
    /// The signature of what the file is made from ([`Signing::signature`]).
    pub signature: Hash,
    /// The hash of its bytes, as the site's manifest has it.
    pub file: Hash,
    /// Its size in bytes.
    pub bytes: u64,
}

/// A query's result: its count and first page (a count of 0: it finds nothing).
pub(super) type HeadResult = (usize, Vec<u32>);

/// The heads a build ranked and wrote, as the search cache keeps them.
#[derive(Debug, Default, PartialEq)]
pub(super) struct HeadsRecord {
    /// The number of documents.
    pub documents: usize,
    /// The digest of the split shard keys ([`split_digest`]).
    pub split: Hash,
    /// Every term and the digest of its scored postings, sorted by term.
    pub terms: Vec<(String, ListDigest)>,
    /// Every word's result, by head key.
    pub heads: FxHashMap<String, HeadResult>,
    /// The files of heads, by number.
    pub files: Vec<WrittenFile>,
}

/// The bytes of the record of a build of `documents` documents, split shards of digest
/// `split`, `terms`, the results `ranked` and the files of heads `files`: the document count,
/// the split digest, the terms (count, then each term's text and digest), the heads (count,
/// then each key, result count, page length and documents) and the files (count, then each
/// signature, hash and size); numbers LEB128.
pub(super) fn encode(
    documents: usize,
    split: &Hash,
    terms: &Terms<'_>,
    ranked: &Ranked,
    files: &[WrittenFile],
) -> Vec<u8> {
    let mut out = Vec::new();
    push_number(&mut out, documents);
    out.extend_from_slice(split);
    push_number(&mut out, terms.scored.len());
    for i in 0..terms.scored.len() {
        let (term, digest) = terms.get(i).expect("a digest for each term");
        push_text(&mut out, term);
        out.extend_from_slice(digest);
    }
    push_number(&mut out, ranked.len());
    for (key, _, count, page) in ranked {
        push_text(&mut out, key);
        push_number(&mut out, *count);
        push_number(&mut out, page.len());
        page.iter()
            .for_each(|&doc| push_number(&mut out, doc as usize));
    }
    push_number(&mut out, files.len());
    for file in files {
        out.extend_from_slice(&file.signature);
        out.extend_from_slice(&file.file);
        push_number(&mut out, file.bytes as usize);
    }
    out
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    push_number(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// The record in `bytes` ([`encode`]), if they are one whole and nothing else.
pub(super) fn decode(bytes: &[u8]) -> Option<HeadsRecord> {
    let mut reader = Reader { bytes, at: 0 };
    let documents = reader.number()?;
    let split = reader.take(32)?.try_into().ok()?;
    let count = reader.number()?;
    // A term takes at least 17 bytes, a head 3 and a file 65: a count past what the bytes can
    // hold is damage, found as they run out, and reserves no more than they can hold.
    let mut terms = Vec::with_capacity(count.min(bytes.len() / 17));
    for _ in 0..count {
        let term = text(&mut reader)?;
        terms.push((term, reader.take(16)?.try_into().ok()?));
    }
    let count = reader.number()?;
    let mut heads = FxHashMap::default();
    heads.reserve(count.min(bytes.len() / 3));
    for _ in 0..count {
        let key = text(&mut reader)?;
        let found = reader.number()?;
        let length = reader.number()?;
        let page = (0..length)
            .map(|_| reader.number().and_then(|d| u32::try_from(d).ok()))
            .collect::<Option<Vec<u32>>>()?;
        heads.insert(key, (found, page));
    }
    let count = reader.number()?;
    let mut files = Vec::with_capacity(count.min(bytes.len() / 65));
    for _ in 0..count {
        files.push(WrittenFile {
            signature: reader.take(32)?.try_into().ok()?,
            file: reader.take(32)?.try_into().ok()?,
            bytes: reader.number()? as u64,
        });
    }
    (reader.at == bytes.len()).then_some(HeadsRecord {
        documents,
        split,
        terms,
        heads,
        files,
    })
}

fn text(reader: &mut Reader<'_>) -> Option<String> {
    let bytes = reader.slice()?;
    String::from_utf8(bytes.to_vec()).ok()
}

/// The previous build's results that still hold for this build's postings.
pub(super) struct Reuse<'a> {
    heads: &'a FxHashMap<String, HeadResult>,
    /// The terms whose postings differ from the previous build's, or that only one of the two
    /// builds has, sorted.
    changed: Vec<&'a str>,
}

impl<'a> Reuse<'a> {
    /// What of `previous` holds for this build's `terms` (sorted, with their digests), with
    /// `documents` documents and split shards of digest `split`: nothing when either differs.
    pub fn new(
        previous: &'a HeadsRecord,
        terms: &Terms<'a>,
        documents: usize,
        split: &Hash,
    ) -> Option<Reuse<'a>> {
        if previous.documents != documents || previous.split != *split {
            return None;
        }
        Some(Reuse {
            heads: &previous.heads,
            changed: changed_terms(&previous.terms, terms),
        })
    }

    /// The previous result of the query `query` (its terms and whether each matches as a
    /// prefix) under `key`, when it was ranked and no term it matches changed.
    pub fn result(&self, key: &str, query: &[(String, bool)]) -> Option<&'a HeadResult> {
        let matched_changed = query.iter().any(|(term, prefix)| {
            let at = self.changed.partition_point(|c| *c < term.as_str());
            self.changed
                .get(at)
                .is_some_and(|c| *c == term || (*prefix && c.starts_with(term.as_str())))
        });
        if matched_changed {
            return None;
        }
        self.heads.get(key)
    }
}

/// A build's terms, sorted, and the digests of their scored postings, in the same order.
pub(super) struct Terms<'a> {
    /// The terms and their scored postings.
    pub scored: &'a [(String, Vec<(u32, u8)>)],
    /// The digest of each term's postings.
    pub digests: &'a [ListDigest],
}

impl<'a> Terms<'a> {
    fn get(&self, i: usize) -> Option<(&'a str, &'a ListDigest)> {
        Some((self.scored.get(i)?.0.as_str(), self.digests.get(i)?))
    }
}

/// The terms of `old` and `new` (both sorted by term) that differ: in one only, or with other
/// digests; sorted.
fn changed_terms<'a>(old: &'a [(String, ListDigest)], new: &Terms<'a>) -> Vec<&'a str> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    loop {
        let (a, b) = (old.get(i).map(|(t, d)| (t.as_str(), d)), new.get(j));
        match (a, b) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                if a.1 != b.1 {
                    out.push(b.0);
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                out.push(a.0);
                i += 1;
            }
            (Some(a), None) => {
                out.push(a.0);
                i += 1;
            }
            (_, Some(b)) => {
                out.push(b.0);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// How a build knows a file of heads unchanged without making it: the documents' search keys
/// (which its signature covers) and the files the previous build wrote.
pub(super) struct Signing<'a> {
    /// Each document's search key, by index.
    pub keys: &'a [Hash],
    /// The previous build's files, by number.
    pub previous: &'a [WrittenFile],
}

impl Signing<'_> {
    /// The signature of file `file` of `files`, which holds `heads` (key, result count and first
    /// page of each, in order); `None` when a page shows a document without a key.
    pub fn signature<'h>(
        &self,
        files: usize,
        file: usize,
        heads: impl Iterator<Item = (&'h str, usize, &'h [u32])>,
    ) -> Option<Hash> {
        let mut hasher = Sha256::new();
        hasher.update((files as u64).to_le_bytes());
        hasher.update((file as u64).to_le_bytes());
        for (key, count, page) in heads {
            hasher.update((key.len() as u64).to_le_bytes());
            hasher.update(key.as_bytes());
            hasher.update((count as u64).to_le_bytes());
            hasher.update((page.len() as u64).to_le_bytes());
            for &doc in page {
                hasher.update(doc.to_le_bytes());
                hasher.update(self.keys.get(doc as usize)?);
            }
        }
        Some(hasher.finalize().into())
    }

    /// What the previous build wrote as file `file`, when it wrote `files` files too.
    pub fn previous(&self, files: usize, file: usize) -> Option<&WrittenFile> {
        (self.previous.len() == files)
            .then(|| self.previous.get(file))
            .flatten()
    }
}

#[cfg(test)]
#[path = "reuse_tests.rs"]
mod tests;
