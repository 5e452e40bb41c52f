//! The search cache: each document's search data (the text its snippets are cut from, its
//! weighted length and its weighted term counts) under a key over what that data is made from,
//! kept beside the output folder (`.NAME.annexa-search`), so that a rebuild neither extracts the
//! text of nor counts the terms of a document whose body and searchable fields are unchanged.
//!
//! The file is binary: the header line; annexa's build stamp (its version and executable) as a
//! LEB128 length and bytes; the document count, where the heads record and where the terms
//! begin (all u64) and the directory's check (u32); the directory, one entry of [`ENTRY`] bytes
//! a document in the order of the build that wrote it (its slot): its 32-byte key, weighted
//! length (u32), where its text is and how long (u64, u32) and the text's check (u32); the
//! texts; the heads record (what that build ranked and wrote of the heads, see `reuse`) and its
//! check; the terms (a LEB128 count; then each term's text and posting list, as slot deltas and
//! weighted counts, all LEB128); and the terms' check. Numbers of fixed width are
//! little-endian; a check is the CRC-32 of the bytes. The directory, the heads record and the
//! terms are read when the cache is opened, a text only when its document is found (a rebuild
//! holds 11 MB of the file at 10,000 documents, not 45). The file is not synced to disk (a
//! rebuild waits for no disk), so a crash may leave blocks of zeros, which the checks find. A
//! file that is unreadable, foreign, truncated, damaged or of another build is an empty cache; a
//! document whose text fails its check is not taken from it, and a heads record that fails its
//! check is not used (the documents' data still is). The data under a key is a pure function of
//! what the key covers, so the cache is correct whatever happened to the site, and safe to
//! delete.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::fields::SearchFields;
use super::reuse::{self, HeadsRecord};
use crate::binary::{Reader, checksum, push_number, read_at, stamp};
use crate::write::Hash;

/// The first bytes of the file; a file with others is ignored.
const HEADER: &[u8] = b"annexa-search 4\n";

/// Bytes of a directory entry: key, length, text offset, text length, text check.
const ENTRY: usize = 32 + 4 + 8 + 4 + 4;

/// The key of a document's search data: everything of its fields that is searched, and its
/// Markdown body by its [`crate::document::body_digest`] (the build stamp is the file's,
/// [`SearchCache::open`]).
pub fn search_key(fields: &SearchFields<'_>, body: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    let mut text = |text: &str| {
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    text(fields.title);
    text(fields.id.unwrap_or_default());
    text(fields.owner.unwrap_or_default());
    text(fields.summary.unwrap_or_default());
    text(&fields.controls.len().to_string());
    fields.controls.iter().for_each(|c| text(c));
    text(&fields.tags.len().to_string());
    fields.tags.iter().for_each(|t| text(t));
    hasher.update(body);
    hasher.finalize().into()
}

/// A document's search data found in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachedDoc {
    /// Its place in the file that holds it.
    pub slot: u32,
    /// Its weighted length.
    pub length: u32,
    /// Where its text is in the file, and how long.
    text: (u64, u32),
    /// The text's check.
    check: u32,
}

/// The search cache the previous build wrote: its directory and terms, read when it is opened.
#[derive(Debug, Default)]
pub struct SearchCache {
    file: Option<fs::File>,
    /// Each document's key and data.
    docs: hashbrown::HashMap<Hash, CachedDoc, rustc_hash::FxBuildHasher>,
    /// The terms section, its check taken off.
    terms: Vec<u8>,
    /// How many documents the file holds.
    slots: usize,
    /// What the build that wrote the file ranked and wrote of the heads.
    heads: Option<HeadsRecord>,
}

impl SearchCache {
    /// The cache in `path`: empty when the file is missing, unreadable, damaged or was written
    /// by another build of annexa.
    pub fn open(path: &Path) -> SearchCache {
        Self::open_with(path, &stamp()).unwrap_or_default()
    }

    /// The cache in `path`, if it is a whole cache file written with `stamp`.
    fn open_with(path: &Path, stamp: &[u8]) -> Option<SearchCache> {
        let file = fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        // The header line, the stamp's length (at most 10 bytes) and bytes, three offsets and
        // a check.
        let head_size = HEADER.len() + 10 + stamp.len() + 8 * 3 + 4;
        let head = read_at(&file, 0, head_size.min(size as usize))?;
        let mut reader = Reader {
            bytes: &head,
            at: 0,
        };
        if reader.take(HEADER.len())? != HEADER || reader.slice()? != stamp {
            return None;
        }
        let count = usize::try_from(reader.fixed::<8>()?).ok()?;
        let heads_at = reader.fixed::<8>()?;
        let terms_at = reader.fixed::<8>()?;
        let check = reader.fixed::<4>()? as u32;
        let directory_at = reader.at as u64;
        let directory_size = count.checked_mul(ENTRY)?;
        let texts_at = directory_at + directory_size as u64;
        if texts_at > heads_at || heads_at + 4 > terms_at || terms_at + 4 > size {
            return None;
        }
        let directory = read_at(&file, directory_at, directory_size)?;
        let terms = checked(read_at(&file, terms_at, (size - terms_at) as usize)?)?;
        if checksum(&directory) != check {
            return None;
        }
        let docs = entries(&directory, texts_at, heads_at)?;
        let heads = read_at(&file, heads_at, (terms_at - heads_at) as usize)
            .and_then(checked)
            .and_then(|bytes| reuse::decode(&bytes));
        Some(SearchCache {
            file: Some(file),
            docs,
            terms,
            slots: count,
            heads,
        })
    }

    /// Takes what the build that wrote the file ranked and wrote of the heads.
    pub(super) fn take_heads(&mut self) -> Option<HeadsRecord> {
        self.heads.take()
    }

    /// The search data kept under `key` and its text, if any and the text passes its check.
    pub fn get(&self, key: &Hash) -> Option<(CachedDoc, String)> {
        let doc = self.docs.get(key)?;
        let bytes = read_at(self.file.as_ref()?, doc.text.0, doc.text.1 as usize)?;
        if checksum(&bytes) != doc.check {
            return None;
        }
        Some((*doc, String::from_utf8(bytes).ok()?))
    }

    /// Calls `add` with each term of the file and its postings, document and weighted count,
    /// for the slots in `wanted` (by slot: the documents of this build that took their data from
    /// that slot). Stops at the first byte out of place: what was added stays, and the caller's
    /// index is then incomplete, which `false` reports.
    pub fn postings(
        &self,
        wanted: &[Vec<u32>],
        mut add: impl FnMut(&str, &mut dyn Iterator<Item = (u32, u32)>),
    ) -> bool {
        let mut reader = Reader {
            bytes: &self.terms,
            at: 0,
        };
        let Some(count) = reader.number() else {
            return false;
        };
        let mut list = Vec::new();
        for _ in 0..count {
            let Some(term) = reader.slice().and_then(|t| std::str::from_utf8(t).ok()) else {
                return false;
            };
            let Some(postings) = reader.number() else {
                return false;
            };
            list.clear();
            let mut slot = 0usize;
            for _ in 0..postings {
                let (Some(delta), Some(weight)) = (reader.number(), reader.number()) else {
                    return false;
                };
                slot += delta;
                let (Some(docs), Ok(weight)) = (wanted.get(slot), u32::try_from(weight)) else {
                    return false;
                };
                list.extend(docs.iter().map(|&doc| (doc, weight)));
            }
            if !list.is_empty() {
                add(term, &mut list.iter().copied());
            }
        }
        reader.at == reader.bytes.len()
    }

    /// How many documents the file holds.
    pub fn slots(&self) -> usize {
        self.slots
    }
}

/// `bytes` without the check they end with, if it is theirs.
fn checked(mut bytes: Vec<u8>) -> Option<Vec<u8>> {
    let check = bytes.split_off(bytes.len().checked_sub(4)?);
    (checksum(&bytes).to_le_bytes() == check[..]).then_some(bytes)
}

/// The documents of a directory by key (the first slot of a key that is there twice), when
/// every text lies between `texts` and `terms`.
fn entries(
    directory: &[u8],
    texts: u64,
    terms: u64,
) -> Option<hashbrown::HashMap<Hash, CachedDoc, rustc_hash::FxBuildHasher>> {
    let mut docs = hashbrown::HashMap::with_capacity_and_hasher(
        directory.len() / ENTRY,
        rustc_hash::FxBuildHasher,
    );
    for (slot, entry) in directory.chunks_exact(ENTRY).enumerate() {
        let mut reader = Reader {
            bytes: entry,
            at: 32,
        };
        let (length, offset) = (reader.fixed::<4>()? as u32, reader.fixed::<8>()?);
        let (size, check) = (reader.fixed::<4>()? as u32, reader.fixed::<4>()? as u32);
        if offset < texts || offset + u64::from(size) > terms {
            return None;
        }
        let doc = CachedDoc {
            slot: u32::try_from(slot).ok()?,
            length,
            text: (offset, size),
            check,
        };
        docs.entry(entry[..32].try_into().ok()?).or_insert(doc);
    }
    Some(docs)
}

/// One term of the terms section of a cache file: `term` and its postings (document, weighted
/// count) sorted by document; the documents are the slots of the file.
pub fn term_entry(term: &str, list: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 3 + term.len() + 8);
    push_number(&mut out, term.len());
    out.extend_from_slice(term.as_bytes());
    push_number(&mut out, list.len());
    let mut last = 0;
    for &(doc, count) in list {
        push_number(&mut out, (doc - last) as usize);
        push_number(&mut out, count as usize);
        last = doc;
    }
    out
}

/// What a cache file is written from: document `i` of `keys`, `lengths` and `texts` is slot
/// `i`; `heads` is the heads record's bytes (`reuse::encode`, or none); `terms` are the terms'
/// entries ([`term_entry`]), sorted by term.
pub struct CacheData<'a> {
    /// Each document's search key.
    pub keys: &'a [Hash],
    /// Each document's weighted length.
    pub lengths: &'a [u32],
    /// Each document's snippet text.
    pub texts: &'a [Box<str>],
    /// The heads record.
    pub heads: &'a [u8],
    /// The terms' entries.
    pub terms: &'a [Vec<u8>],
}

/// Writes a cache file of `data` at `path` (the build's `search_new`, which its commit makes
/// the search cache). A file that cannot be written is removed: the cache stays as it was.
pub fn save(path: &Path, data: &CacheData<'_>) {
    if write_file(path, data).is_err() {
        fs::remove_file(path).ok();
    }
}

fn write_file(path: &Path, data: &CacheData<'_>) -> std::io::Result<()> {
    let stamp = stamp();
    let mut head = HEADER.to_vec();
    push_number(&mut head, stamp.len());
    head.extend_from_slice(&stamp);
    let texts_at = (head.len() + 8 + 8 + 8 + 4 + data.keys.len() * ENTRY) as u64;
    let mut directory = Vec::with_capacity(data.keys.len() * ENTRY);
    let mut offset = texts_at;
    for ((key, &length), text) in data.keys.iter().zip(data.lengths).zip(data.texts) {
        directory.extend_from_slice(key);
        directory.extend_from_slice(&length.to_le_bytes());
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(&(text.len() as u32).to_le_bytes());
        directory.extend_from_slice(&checksum(text.as_bytes()).to_le_bytes());
        offset += text.len() as u64;
    }
    let terms_at = offset + data.heads.len() as u64 + 4;
    head.extend_from_slice(&(data.keys.len() as u64).to_le_bytes());
    head.extend_from_slice(&offset.to_le_bytes());
    head.extend_from_slice(&terms_at.to_le_bytes());
    head.extend_from_slice(&checksum(&directory).to_le_bytes());
    let mut file = BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
    file.write_all(&head)?;
    file.write_all(&directory)?;
    for text in data.texts {
        file.write_all(text.as_bytes())?;
    }
    file.write_all(data.heads)?;
    file.write_all(&checksum(data.heads).to_le_bytes())?;
    let mut count = Vec::new();
    push_number(&mut count, data.terms.len());
    let mut check = crc32fast::Hasher::new();
    for piece in std::iter::once(&count).chain(data.terms) {
        check.update(piece);
        file.write_all(piece)?;
    }
    file.write_all(&check.finalize().to_le_bytes())?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache file of `keys` and `texts` (lengths 10, 11, …) and `terms()`, written and read.
    fn file(keys: &[Hash], texts: &[&str]) -> Vec<u8> {
        file_with_heads(keys, texts, &[])
    }

    /// The same, with the heads record `heads`.
    fn file_with_heads(keys: &[Hash], texts: &[&str], heads: &[u8]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let texts: Vec<Box<str>> = texts.iter().map(|t| (*t).into()).collect();
        let lengths: Vec<u32> = (0..keys.len() as u32).map(|i| 10 + i).collect();
        let entries: Vec<Vec<u8>> = terms().iter().map(|(t, l)| term_entry(t, l)).collect();
        let data = CacheData {
            keys,
            lengths: &lengths,
            texts: &texts,
            heads,
            terms: &entries,
        };
        save(&path, &data);
        fs::read(path).unwrap()
    }

    /// The cache in a file of `bytes`, read as one written by `stamp`.
    fn open(bytes: &[u8], stamp: &[u8]) -> Option<SearchCache> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        fs::write(&path, bytes).unwrap();
        SearchCache::open_with(&path, stamp)
    }

    fn terms() -> Vec<(String, Vec<(u32, u32)>)> {
        vec![
            ("access".into(), vec![(0, 3), (2, 200)]),
            // Written as slot deltas: 1, then 1.
            ("zeta".into(), vec![(1, 1), (2, 4)]),
        ]
    }

    #[test]
    fn a_written_cache_reads_back_by_key_with_its_postings_for_the_wanted_slots() {
        let keys = [[1; 32], [2; 32], [3; 32]];
        let cache = open(&file(&keys, &["one", "twø", ""]), &stamp()).expect("a cache");
        assert_eq!(cache.slots(), 3);
        let (second, text) = cache.get(&[2; 32]).expect("slot 1");
        assert_eq!((second.slot, second.length, text.as_str()), (1, 11, "twø"));
        assert_eq!(cache.get(&[3; 32]).unwrap().1, "");
        assert_eq!(cache.get(&[4; 32]), None);
        // Slot 0 is documents 5 and 7 of this build, slot 2 is document 0, slot 1 is unused.
        let wanted = vec![vec![5, 7], vec![], vec![0]];
        let mut seen = Vec::new();
        assert!(cache.postings(&wanted, |term, list| {
            seen.push((term.to_string(), list.collect::<Vec<_>>()))
        }));
        assert_eq!(
            seen,
            [
                ("access".to_string(), vec![(5, 3), (7, 3), (0, 200)]),
                ("zeta".to_string(), vec![(0, 4)])
            ]
        );
    }

    #[test]
    fn a_cache_of_no_documents_or_of_empty_texts_opens() {
        // The directory then ends where the terms begin.
        let none = open(&file(&[], &[]), &stamp()).expect("a cache of no documents");
        assert_eq!((none.slots(), none.get(&[1; 32])), (0, None));
        let empty = open(&file(&[[1; 32], [2; 32]], &["", ""]), &stamp()).expect("a cache");
        assert_eq!(
            empty.get(&[2; 32]).map(|(d, t)| (d.slot, t)),
            Some((1, String::new()))
        );
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_first_slot() {
        let cache = open(&file(&[[1; 32], [1; 32]], &["first", "second"]), &stamp()).unwrap();
        let (doc, text) = cache.get(&[1; 32]).unwrap();
        assert_eq!((doc.slot, text.as_str()), (0, "first"));
        assert_eq!(cache.slots(), 2);
    }

    #[test]
    fn a_cache_of_another_build_cut_short_or_damaged_is_not_used() {
        let bytes = file(&[[1; 32], [2; 32]], &["one", "two"]);
        assert!(open(&bytes, &stamp()).is_some());
        assert!(open(&bytes, b"0.0.0 other").is_none());
        assert!(open(b"", &stamp()).is_none());
        // Cut anywhere: not a cache.
        for end in [HEADER.len() + 10, HEADER.len() + 200, bytes.len() - 2] {
            assert!(open(&bytes[..end], &stamp()).is_none(), "cut at {end}");
        }
        // A byte of the directory or of the terms changed: its check fails.
        let directory_at = bytes.windows(32).position(|w| w == [1; 32]).unwrap();
        for at in [directory_at + 33, bytes.len() - 8] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x40;
            assert!(open(&damaged, &stamp()).is_none(), "byte {at} changed");
        }
        // A text zeroed: that document is not taken, the other is.
        let mut damaged = bytes.clone();
        let at = damaged.windows(3).position(|w| w == b"one").unwrap();
        damaged[at..at + 3].fill(0);
        let cache = open(&damaged, &stamp()).unwrap();
        assert_eq!(cache.get(&[1; 32]), None);
        assert_eq!(cache.get(&[2; 32]).unwrap().1, "two");
        // A posting of a slot past the wanted ones is out of place.
        let whole = open(&bytes, &stamp()).unwrap();
        assert!(!whole.postings(&[vec![0]], |_, _| {}));
        assert!(whole.postings(&[vec![0], vec![], vec![]], |_, _| {}));
    }

    #[test]
    fn a_heads_record_reads_back_and_a_damaged_one_leaves_the_documents_data() {
        let record = HeadsRecord {
            documents: 2,
            split: [5; 32],
            ..Default::default()
        };
        let bytes = reuse::encode(
            2,
            &record.split,
            &reuse::Terms {
                scored: &[],
                digests: &[],
            },
            &Vec::new(),
            &[],
        );
        let written = file_with_heads(&[[1; 32], [2; 32]], &["one", "two"], &bytes);
        let mut cache = open(&written, &stamp()).expect("a cache");
        assert_eq!(cache.take_heads(), Some(record));
        // No record, or a damaged one: none taken, the documents are.
        for heads in [&[][..], &bytes[..bytes.len() - 1]] {
            let mut cache = open(&file_with_heads(&[[1; 32]], &["one"], heads), &stamp()).unwrap();
            assert_eq!(cache.take_heads(), None);
            assert_eq!(cache.get(&[1; 32]).unwrap().1, "one");
        }
        let mut damaged = written.clone();
        let at = damaged.windows(32).position(|w| w == [5; 32]).unwrap();
        damaged[at] ^= 1;
        let mut cache = open(&damaged, &stamp()).expect("the documents' data");
        assert_eq!(cache.take_heads(), None);
        assert_eq!(cache.get(&[2; 32]).unwrap().1, "two");
    }

    #[test]
    fn a_text_outside_the_texts_is_damage() {
        // A directory entry pointing into the terms, with its checks made to agree.
        let mut bytes = file(&[[1; 32]], &["one"]);
        let entry = bytes.windows(32).position(|w| w == [1; 32]).unwrap();
        let terms_at = bytes.len() as u64 - 10;
        bytes[entry + 36..entry + 44].copy_from_slice(&terms_at.to_le_bytes());
        let check = checksum(&bytes[entry..entry + ENTRY]).to_le_bytes();
        bytes[entry - 4..entry].copy_from_slice(&check);
        assert!(open(&bytes, &stamp()).is_none());
    }

    #[test]
    fn numbers_round_trip_and_an_overlong_one_is_damage() {
        for value in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as usize,
            usize::MAX,
        ] {
            let mut bytes = Vec::new();
            push_number(&mut bytes, value);
            let mut reader = Reader {
                bytes: &bytes,
                at: 0,
            };
            assert_eq!(reader.number(), Some(value), "{value}");
            assert_eq!(reader.at, bytes.len());
        }
        let endless = [0xff; 11];
        let mut reader = Reader {
            bytes: &endless,
            at: 0,
        };
        assert_eq!(reader.number(), None);
    }

    #[test]
    fn the_key_covers_each_searched_field_and_the_body() {
        let tags = ["a".to_string()];
        let fields = SearchFields {
            url: "a/",
            title: "T",
            id: Some("X-1"),
            owner: Some("O"),
            kind: "policy",
            status: "approved",
            summary: Some("S"),
            tags: &tags,
            controls: vec!["A.5.1".into()],
        };
        let body = crate::document::body_digest("body");
        let base = search_key(&fields, &body);
        let other_tags = ["b".to_string()];
        let changed = [
            SearchFields {
                title: "U",
                ..fields.clone()
            },
            SearchFields {
                id: None,
                ..fields.clone()
            },
            SearchFields {
                owner: Some("P"),
                ..fields.clone()
            },
            SearchFields {
                summary: None,
                ..fields.clone()
            },
            SearchFields {
                tags: &other_tags,
                ..fields.clone()
            },
            SearchFields {
                controls: vec!["A.5.2".into()],
                ..fields.clone()
            },
        ];
        for other in &changed {
            assert_ne!(search_key(other, &body), base, "{other:?}");
        }
        let other_body = crate::document::body_digest("body ");
        assert_ne!(search_key(&fields, &other_body), base);
        // The URL, kind and status are shown, not searched: the entry is made from the fields.
        let moved = SearchFields {
            url: "b/",
            status: "draft",
            ..fields.clone()
        };
        assert_eq!(search_key(&moved, &body), base);
    }
}
