//! The outline cache: what [`markdown::outline`] read in each document body (its headings,
//! links and the language lints' marks, the slowest part of loading), kept beside the output
//! folder (`.NAME.annexa-outline`) under the SHA-256 of the body, so that a build parses again
//! only the bodies it has not seen.
//!
//! The file is binary: the header line; annexa's build stamp as a LEB128 length and bytes; the
//! SHA-256 of how prose is read ([`Scan`]: `[language] vague_phrases`); the record count (u64)
//! and the CRC-32 of the records (u32), both little-endian; then each record: the body's 32-byte
//! key, and its outline as a LEB128 length and bytes (numbers LEB128, texts a LEB128 length and
//! UTF-8). Offsets are in the body, so a record holds wherever the body sits in its file; the
//! positions are computed from the file as it is read. A file that is missing, foreign,
//! damaged or of another build or scan is an empty cache, and the outline under a key is a pure
//! function of the body it covers: the cache is safe to delete, and a document taken from it
//! is the document parsing would give (`tests/render_cache.rs` builds both ways and compares).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::binary::{Reader, checksum, push_number, stamp};
use crate::document::body_digest;
use crate::markdown::{self, Heading, Mark, Outline, RawLink, Removed, Scan, Syntax, What};
use crate::write::Hash;

/// The first bytes of the file; a file with others is ignored.
const HEADER: &[u8] = b"annexa-outline 1\n";

/// The outlines a previous build wrote, by the key of their body.
#[derive(Debug, Default)]
pub struct OutlineCache {
    /// The file's records.
    bytes: Vec<u8>,
    /// Where each key's outline is in `bytes`.
    records: hashbrown::HashMap<Hash, (usize, usize), rustc_hash::FxBuildHasher>,
    /// How many records the file holds.
    count: usize,
}

/// A document's outline as the next cache file holds it.
#[derive(Debug)]
pub struct Record {
    /// The key of its body.
    key: Hash,
    /// Its bytes: where they are in the cache read, or read from the body.
    bytes: RecordBytes,
}

#[derive(Debug)]
enum RecordBytes {
    Kept(usize, usize),
    Fresh(Vec<u8>),
}

impl OutlineCache {
    /// The cache in `path`, for bodies read as `scan` says: empty when the file is missing,
    /// unreadable, damaged, or written by another build of annexa or for another scan.
    pub fn open(path: &Path, scan: &Scan) -> OutlineCache {
        fs::read(path)
            .ok()
            .and_then(|bytes| Self::from_bytes(bytes, &stamp(), &scan_key(scan)))
            .unwrap_or_default()
    }

    fn from_bytes(bytes: Vec<u8>, stamp: &[u8], scan: &Hash) -> Option<OutlineCache> {
        let mut reader = Reader {
            bytes: &bytes,
            at: 0,
        };
        if reader.take(HEADER.len())? != HEADER
            || reader.slice()? != stamp
            || reader.take(32)? != scan
        {
            return None;
        }
        let count = usize::try_from(reader.fixed::<8>()?).ok()?;
        let check = reader.fixed::<4>()? as u32;
        if checksum(&bytes[reader.at..]) != check {
            return None;
        }
        let mut records = hashbrown::HashMap::with_capacity_and_hasher(
            count.min(bytes.len() / 33),
            rustc_hash::FxBuildHasher,
        );
        for _ in 0..count {
            let key: Hash = reader.take(32)?.try_into().ok()?;
            let len = reader.number()?;
            let start = reader.at;
            reader.take(len)?;
            records.entry(key).or_insert((start, start + len));
        }
        (reader.at == bytes.len()).then_some(OutlineCache {
            bytes,
            records,
            count,
        })
    }

    /// The outline of `body` (read as `scan` says): the cache's, else read from the body; with
    /// the body's [`body_digest`] and the record of the outline for the next cache file (none
    /// when it cannot be written as one).
    pub fn outline(&self, body: &str, scan: &Scan) -> (Outline, Hash, Option<Record>) {
        let key = body_digest(body);
        if let Some(&(start, end)) = self.records.get(&key)
            && let Some(outline) = decode(&self.bytes[start..end])
        {
            let bytes = RecordBytes::Kept(start, end);
            return (outline, key, Some(Record { key, bytes }));
        }
        let outline = markdown::outline(body, scan);
        let record = encode(&outline).map(|bytes| Record {
            key,
            bytes: RecordBytes::Fresh(bytes),
        });
        (outline, key, record)
    }

    /// The bytes of `record`, one of this cache's or read from its body.
    fn bytes<'a>(&'a self, record: &'a Record) -> &'a [u8] {
        match &record.bytes {
            RecordBytes::Kept(start, end) => &self.bytes[*start..*end],
            RecordBytes::Fresh(bytes) => bytes,
        }
    }
}

/// The outline cache of a build: the file it reads and the next one, which the read writes
/// beside it as soon as its documents are parsed (the cache read and the records are let go of
/// then) and [`Outlines::commit`] puts in its place once the site is; until then, and for a
/// build that fails or is refused, the next file is removed when this is dropped.
#[derive(Debug)]
pub struct Outlines {
    /// The cache file and where the next one is written before it replaces it.
    files: (PathBuf, PathBuf),
    /// Whether the last read wrote the next file (and it is not yet in place).
    pending: bool,
    /// Of the last read: the outlines taken from the cache, and those read from their body.
    counts: (usize, usize),
}

impl Outlines {
    /// The outline cache in `files.0`; the next one is written as `files.1`, then renamed.
    pub fn new(files: (PathBuf, PathBuf)) -> Outlines {
        Outlines {
            files,
            pending: false,
            counts: (0, 0),
        }
    }

    /// The cache file as it is now, for bodies read as `scan` says.
    pub fn open(&self, scan: &Scan) -> OutlineCache {
        OutlineCache::open(&self.files.0, scan)
    }

    /// Takes the records of a read that used `known` (for bodies read as `scan` says), in its
    /// order: writes the next cache file when it would differ from the one read. Nothing is
    /// synced (a lost or damaged file is an empty cache); a file that cannot be written is
    /// removed.
    pub fn keep(&mut self, known: &OutlineCache, scan: &Scan, records: &[Record]) {
        let fresh = records
            .iter()
            .filter(|r| matches!(r.bytes, RecordBytes::Fresh(_)))
            .count();
        self.counts = (records.len() - fresh, fresh);
        self.pending = false;
        let new = &self.files.1;
        if fresh == 0 && records.len() == known.count {
            // What a build killed before its commit left, if anything.
            fs::remove_file(new).ok();
            return;
        }
        if write_file(new, known, records, scan).is_ok() {
            self.pending = true;
        } else {
            fs::remove_file(new).ok();
        }
    }

    /// Of the last read: how many outlines came from the cache, and how many were read from
    /// their body.
    pub fn counts(&self) -> (usize, usize) {
        self.counts
    }

    /// Puts the next cache file the last read wrote in place of the one it read.
    pub fn commit(&mut self) {
        let (path, new) = &self.files;
        if std::mem::take(&mut self.pending) && fs::rename(new, path).is_err() {
            fs::remove_file(new).ok();
        }
    }
}

impl Drop for Outlines {
    fn drop(&mut self) {
        if self.pending {
            fs::remove_file(&self.files.1).ok();
        }
    }
}

fn write_file(
    path: &Path,
    known: &OutlineCache,
    records: &[Record],
    scan: &Scan,
) -> std::io::Result<()> {
    let stamp = stamp();
    let mut head = HEADER.to_vec();
    push_number(&mut head, stamp.len());
    head.extend_from_slice(&stamp);
    head.extend_from_slice(&scan_key(scan));
    let mut body = Vec::with_capacity(records.iter().map(|r| known.bytes(r).len() + 36).sum());
    for record in records {
        let bytes = known.bytes(record);
        body.extend_from_slice(&record.key);
        push_number(&mut body, bytes.len());
        body.extend_from_slice(bytes);
    }
    head.extend_from_slice(&(records.len() as u64).to_le_bytes());
    head.extend_from_slice(&checksum(&body).to_le_bytes());
    let mut file = fs::File::create(path)?;
    file.write_all(&head)?;
    file.write_all(&body)
}

/// The key of how prose is read.
fn scan_key(scan: &Scan) -> Hash {
    let mut hasher = Sha256::new();
    for phrase in &scan.vague_phrases {
        hasher.update((phrase.len() as u64).to_le_bytes());
        hasher.update(phrase.as_bytes());
    }
    hasher.finalize().into()
}

/// Other tools' syntax, by its number in a record.
const SYNTAXES: [Syntax; 6] = [
    Syntax::PageBreak,
    Syntax::Attributes,
    Syntax::FencedDiv,
    Syntax::Admonition,
    Syntax::Shortcode,
    Syntax::Template,
];

/// `outline` as a record's bytes; `None` for a mark this format has no number for.
fn encode(outline: &Outline) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    push_number(&mut out, outline.headings.len());
    for h in &outline.headings {
        push_number(&mut out, usize::from(h.level));
        push_text(&mut out, &h.text);
        push_text(&mut out, &h.id);
        push_number(&mut out, h.offset);
    }
    push_number(&mut out, outline.links.len());
    for l in &outline.links {
        push_text(&mut out, &l.dest);
        push_number(&mut out, l.offset);
        push_number(
            &mut out,
            usize::from(l.image) | (l.dest_offset.is_some() as usize) << 1,
        );
        if let Some(at) = l.dest_offset {
            push_number(&mut out, at);
        }
    }
    push_number(&mut out, outline.marks.len());
    for m in &outline.marks {
        push_what(&mut out, &m.what)?;
        push_number(&mut out, m.offset);
        push_text(&mut out, &m.text);
    }
    Some(out)
}

fn push_what(out: &mut Vec<u8>, what: &What) -> Option<()> {
    match what {
        What::Placeholder => push_number(out, 0),
        What::Vague => push_number(out, 1),
        What::Periodically => push_number(out, 2),
        What::Should => push_number(out, 3),
        What::Foreign(syntax) => {
            push_number(out, 4);
            push_number(out, SYNTAXES.iter().position(|s| s == syntax)?);
        }
        What::Removed(removed) => {
            push_number(out, 5);
            match removed {
                Removed::Element => push_number(out, 0),
                Removed::ElementAndContent => push_number(out, 1),
                Removed::Attributes(names) => {
                    push_number(out, 2);
                    push_number(out, names.len());
                    names.iter().for_each(|n| push_text(out, n));
                }
            }
        }
        What::External(tag) => {
            push_number(out, 6);
            push_text(out, tag);
        }
    }
    Some(())
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    push_number(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// The outline in a record's `bytes`, if they are a whole record.
fn decode(bytes: &[u8]) -> Option<Outline> {
    let mut r = Reader { bytes, at: 0 };
    let mut outline = Outline::default();
    for _ in 0..r.number()? {
        outline.headings.push(Heading {
            level: u8::try_from(r.number()?).ok()?,
            text: text(&mut r)?,
            id: text(&mut r)?,
            offset: r.number()?,
        });
    }
    for _ in 0..r.number()? {
        let dest = text(&mut r)?;
        let offset = r.number()?;
        let flags = r.number()?;
        let dest_offset = if flags & 2 != 0 {
            Some(r.number()?)
        } else {
            None
        };
        outline.links.push(RawLink {
            dest,
            offset,
            image: flags & 1 != 0,
            dest_offset,
        });
    }
    for _ in 0..r.number()? {
        outline.marks.push(Mark {
            what: what(&mut r)?,
            offset: r.number()?,
            text: text(&mut r)?,
        });
    }
    (r.at == bytes.len()).then_some(outline)
}

fn what(r: &mut Reader<'_>) -> Option<What> {
    Some(match r.number()? {
        0 => What::Placeholder,
        1 => What::Vague,
        2 => What::Periodically,
        3 => What::Should,
        4 => What::Foreign(*SYNTAXES.get(r.number()?)?),
        5 => What::Removed(match r.number()? {
            0 => Removed::Element,
            1 => Removed::ElementAndContent,
            2 => {
                let count = r.number()?;
                let mut names = Vec::with_capacity(count.min(64));
                for _ in 0..count {
                    names.push(text(r)?);
                }
                Removed::Attributes(names)
            }
            _ => return None,
        }),
        6 => What::External(text(r)?),
        _ => return None,
    })
}

fn text(r: &mut Reader<'_>) -> Option<String> {
    String::from_utf8(r.slice()?.to_vec()).ok()
}

#[cfg(test)]
#[path = "outlines_tests.rs"]
mod tests;
