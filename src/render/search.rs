//! The search index: an inverted index split into small shards by term prefix, plus one small
//! file per document for result titles and snippets. Every file is a script that hands its data
//! to `annexaSearch`, so the index loads from disk (file://) as well as over HTTP, and a query
//! fetches only the shards of its terms and the files of the results it shows.
//!
//! Ranking is BM25 over weighted fields (title, id and controls count most, then tags, owner and
//! summary, then body). The term-frequency part is computed here; the JavaScript adds IDF.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::error::Fatal;
use crate::render::view::DocView;

/// Where the index lives in the site.
pub const SEARCH_DIR: &str = "search";

/// Shards larger than this (bytes of JSON) are split by one more character.
const SHARD_SPLIT_BYTES: usize = 48 * 1024;
/// Characters of body text kept per document for snippets.
const SNIPPET_TEXT_CHARS: usize = 4000;
/// Longest term indexed.
const MAX_TERM_CHARS: usize = 40;

/// Field weights, as multiples of a body occurrence.
const TITLE: u32 = 10;
const ID: u32 = 10;
const CONTROL: u32 = 8;
const TAG: u32 = 5;
const OWNER: u32 = 4;
const SUMMARY: u32 = 3;
const BODY: u32 = 1;

/// Calls `emit` with every search term of `text`: each word lower-cased, its alphanumeric
/// parts, and — for words like `A.5.15` or `POL-005` — the whole word too. Stop words are
/// dropped. The JavaScript query tokenizer follows the same rules.
pub fn terms(text: &str, mut emit: impl FnMut(&str)) {
    let mut lower = String::new();
    if text.is_ascii() {
        ascii_terms(text, &mut lower, &mut emit);
        return;
    }
    for raw in text.split(|c: char| c.is_whitespace()) {
        if raw.is_ascii() {
            ascii_terms(raw, &mut lower, &mut emit);
        } else {
            unicode_word_terms(raw, &mut lower, &mut emit);
        }
    }
}

/// Byte classes for [`ascii_terms`].
const SPACE: u8 = 1;
const ALNUM: u8 = 2;
const UPPER: u8 = 4;

/// The class of every byte: whitespace as `char::is_whitespace` sees it in ASCII (space, \t,
/// \n, \x0B, \x0C, \r), alphanumeric, upper case.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte == b' ' || (byte >= b'\t' && byte <= b'\r') {
            class[b] = SPACE;
        } else if byte.is_ascii_alphanumeric() {
            class[b] = if byte.is_ascii_uppercase() {
                ALNUM | UPPER
            } else {
                ALNUM
            };
        }
        b += 1;
    }
    class
};

/// What one pass over a word's bytes found.
#[derive(Clone, Copy)]
struct WordScan {
    /// Offset of the first alphanumeric byte, or `usize::MAX` when there is none.
    start: usize,
    /// Offset after the last alphanumeric byte.
    end: usize,
    /// A non-alphanumeric byte seen since the first alphanumeric one.
    gap: bool,
    /// A non-alphanumeric byte between two alphanumeric ones (`A.5.15`, `POL-005`).
    inner: bool,
    /// An upper-case letter.
    upper: bool,
}

impl WordScan {
    const EMPTY: WordScan = WordScan {
        start: usize::MAX,
        end: 0,
        gap: false,
        inner: false,
        upper: false,
    };
}

/// [`terms`] of ASCII text (the common case), in one pass over its bytes. Most words are
/// lower-case letters and digits, perhaps followed by punctuation (`data,`): those are taken by
/// a tight loop; any other word is scanned byte by byte for [`word_terms`].
fn ascii_terms(text: &str, lower: &mut String, emit: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let class_at = |i: usize| BYTE_CLASS[bytes[i] as usize];
    let mut i = 0;
    while i < bytes.len() {
        if class_at(i) & SPACE != 0 {
            i += 1;
            continue;
        }
        let start = i;
        i = lower_alnum_run_end(bytes, i);
        let run_end = i;
        while i < bytes.len() && class_at(i) == 0 {
            i += 1;
        }
        if run_end > start && (i == bytes.len() || class_at(i) & SPACE != 0) {
            let word = &text[start..run_end];
            if word.len() <= MAX_TERM_CHARS && !is_stop_word(word) {
                emit(word);
            }
            continue;
        }
        let (end, scan) = scan_word(&bytes[start..]);
        word_terms(&text[start..start + end], scan, lower, emit);
        i = start + end;
    }
}

/// The end of the run of lower-case ASCII letters and digits that starts at `from` in ASCII
/// `bytes`. Eight bytes are tested at a time, so that the end of a short word costs one
/// predictable branch, not a mispredicted loop exit.
fn lower_alnum_run_end(bytes: &[u8], from: usize) -> usize {
    // For lanes below 0x80: the high bit is set where `lo <= lane <= hi`.
    let in_range = |x: u64, lo: u8, hi: u8| {
        let at_least_lo = x + LANE_ONES * u64::from(0x80 - lo);
        let above_hi = x + LANE_ONES * u64::from(0x7F - hi);
        at_least_lo & !above_hi & LANE_HIGHS
    };
    find_byte(
        bytes,
        from,
        |lanes| !(in_range(lanes, b'a', b'z') | in_range(lanes, b'0', b'9')) & LANE_HIGHS,
        |byte| BYTE_CLASS[byte as usize] != ALNUM,
    )
}

/// A byte repeated in each of the eight lanes of a `u64`: `LANE_ONES * byte`.
const LANE_ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each lane.
const LANE_HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each lane of `lanes` that is zero (exact in the lowest such lane; a borrow
/// may set lanes above it).
fn zero_lanes(lanes: u64) -> u64 {
    lanes.wrapping_sub(LANE_ONES) & !lanes & LANE_HIGHS
}

/// The offset of the first byte at or after `from` that `is_match`, or the length of `bytes`,
/// tested eight bytes at a time: `candidates` sets the high bit of the lane of every match
/// among eight little-endian bytes (and perhaps of other lanes, above the lowest or rejected
/// by `is_match`).
fn find_byte(
    bytes: &[u8],
    from: usize,
    candidates: impl Fn(u64) -> u64,
    is_match: impl Fn(u8) -> bool,
) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let lanes = candidates(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        if lanes == 0 {
            i += 8;
            continue;
        }
        let at = i + (lanes.trailing_zeros() / 8) as usize;
        if is_match(bytes[at]) {
            return at;
        }
        i = at + 1;
    }
    bytes[i..]
        .iter()
        .position(|&byte| is_match(byte))
        .map_or(bytes.len(), |at| i + at)
}

/// Scans the word at the start of `bytes` (up to the first whitespace): where it ends, and what
/// it holds.
fn scan_word(bytes: &[u8]) -> (usize, WordScan) {
    let mut scan = WordScan::EMPTY;
    for (i, &byte) in bytes.iter().enumerate() {
        let class = BYTE_CLASS[byte as usize];
        if class & SPACE != 0 {
            return (i, scan);
        }
        if class & ALNUM != 0 {
            if scan.start == usize::MAX {
                scan.start = i;
            }
            scan.inner |= scan.gap;
            scan.upper |= class & UPPER != 0;
            scan.end = i + 1;
        } else if scan.start != usize::MAX {
            scan.gap = true;
        }
    }
    (bytes.len(), scan)
}

/// The terms of one ASCII word that [`ascii_terms`] scanned.
fn word_terms(word: &str, scan: WordScan, lower: &mut String, emit: &mut impl FnMut(&str)) {
    if scan.start == usize::MAX {
        return;
    }
    let word = &word[scan.start..scan.end];
    if !scan.inner {
        // A plain word (most of them): one term, lower-cased in place of a copy when it can be.
        if word.len() > MAX_TERM_CHARS {
            return;
        }
        let term = if scan.upper {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            lower.as_str()
        } else {
            word
        };
        if !is_stop_word(term) {
            emit(term);
        }
        return;
    }
    lower.clear();
    lower.push_str(word);
    lower.make_ascii_lowercase();
    if lower.len() <= MAX_TERM_CHARS {
        emit(lower);
    }
    for part in lower.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() && part.len() <= MAX_TERM_CHARS && !is_stop_word(part) {
            emit(part);
        }
    }
}

/// Whether `term` is a stop word, too common to index: `a`, `an`, `and`, … `with` (a `match`
/// compiles to a few length and byte tests).
fn is_stop_word(term: &str) -> bool {
    matches!(
        term,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "this"
            | "to"
            | "was"
            | "were"
            | "will"
            | "with"
    )
}

/// [`terms`] of one word with non-ASCII characters.
fn unicode_word_terms(raw: &str, lower: &mut String, emit: &mut impl FnMut(&str)) {
    let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return;
    }
    lower.clear();
    lower.extend(word.chars().flat_map(char::to_lowercase));
    let compound = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .nth(1)
        .is_some();
    if compound && lower.chars().count() <= MAX_TERM_CHARS {
        emit(lower);
    }
    for part in lower.split(|c: char| !c.is_alphanumeric()) {
        if !part.is_empty() && part.chars().count() <= MAX_TERM_CHARS && !is_stop_word(part) {
            emit(part);
        }
    }
}

/// One document's weighted term counts, and its total weighted length.
#[derive(Debug, Default)]
pub struct DocTerms {
    counts: FxHashMap<String, u32>,
    length: u32,
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
fn weighted_terms(doc: &DocView, body: &str, mut sink: impl FnMut(&str, u32)) {
    let mut field = |text: &str, weight: u32| terms(text, |term| sink(term, weight));
    field(&doc.title, TITLE);
    field(doc.id.as_deref().unwrap_or_default(), ID);
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
    field(doc.owner.as_deref().unwrap_or_default(), OWNER);
    field(doc.summary.as_deref().unwrap_or_default(), SUMMARY);
    field(body, BODY);
}

/// Documents per search file: a result list loads only the files of the results it shows.
pub const CHUNK: usize = 8;

/// The search entry of document `index`: what a result shows, as a script call:
/// `annexaSearch.doc(index,{"u":url,"t":title,"i":id,"o":owner,"k":kind,"s":status,
/// "m":summary,"c":"controls","x":"text"});`.
pub fn doc_entry(index: usize, doc: &DocView, body: &str) -> String {
    let text = collapse_whitespace(body, SNIPPET_TEXT_CHARS);
    let mut entry =
        String::with_capacity(text.len() + doc.summary.as_deref().map_or(0, str::len) + 256);
    entry.push_str("annexaSearch.doc(");
    entry.push_str(itoa::Buffer::new().format(index));
    let fields: [(&str, &str); 7] = [
        ("{\"u\":", &doc.url),
        (",\"t\":", &doc.title),
        (",\"i\":", doc.id.as_deref().unwrap_or_default()),
        (",\"o\":", doc.owner.as_deref().unwrap_or_default()),
        (",\"k\":", doc.kind),
        (",\"s\":", doc.status),
        (",\"m\":", doc.summary.as_deref().unwrap_or_default()),
    ];
    entry.push(',');
    for (key, value) in fields {
        entry.push_str(key);
        push_script_string(&mut entry, value);
    }
    entry.push_str(",\"c\":\"");
    for (i, control) in doc.controls.iter().enumerate() {
        if i > 0 {
            entry.push(' ');
        }
        push_script_string_content(&mut entry, &control.id);
    }
    entry.push_str("\",\"x\":");
    push_script_string(&mut entry, &text);
    entry.push_str("});\n");
    entry
}

/// Writes `search/docs/C.js`, the entries of the documents of chunk `chunk`.
pub fn write_chunk(out: &Path, chunk: usize, entries: &[&str]) -> Result<(), Fatal> {
    write(
        out,
        &format!("{SEARCH_DIR}/docs/{chunk}.js"),
        &entries.concat(),
    )
}

/// The first words of `text`, up to about `limit` characters, with runs of whitespace made one
/// space.
fn collapse_whitespace(text: &str, limit: usize) -> String {
    if !text.is_ascii() {
        return collapse_any_whitespace(text, limit);
    }
    let mut out = String::with_capacity(text.len().min(limit + 64));
    collapse_ascii_whitespace(text, limit, &mut out);
    out
}

/// [`collapse_whitespace`] of any text, a character at a time.
fn collapse_any_whitespace(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count >= limit {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        count += word.chars().count() + 1;
    }
    out
}

/// [`collapse_whitespace`] of ASCII text. A word is added while the words before it and their
/// spaces are fewer than `limit` characters. Words that follow each other after one space are
/// copied together, as the span of text they already are.
fn collapse_ascii_whitespace(text: &str, limit: usize, out: &mut String) {
    let bytes = text.as_bytes();
    let is_space = |i: usize| BYTE_CLASS[bytes[i] as usize] & SPACE != 0;
    // The span of text not yet copied, and the length of the result with it.
    let mut span: Option<(usize, usize)> = None;
    let mut length = 0;
    let mut i = 0;
    loop {
        let gap = i;
        while i < bytes.len() && is_space(i) {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let used = if length == 0 { 0 } else { length + 1 };
        if used >= limit {
            break;
        }
        let start = i;
        i = next_space(bytes, i);
        span = match span {
            Some((from, _)) if start == gap + 1 && bytes[gap] == b' ' => Some((from, i)),
            Some((from, to)) => {
                out.push_str(&text[from..to]);
                out.push(' ');
                Some((start, i))
            }
            None => Some((start, i)),
        };
        length = used + (i - start);
    }
    if let Some((from, to)) = span {
        out.push_str(&text[from..to]);
    }
}

/// The offset of the first whitespace byte (as [`BYTE_CLASS`] has it) at or after `from`, or
/// the length of `bytes`. Eight bytes are tested at a time for a byte up to 0x20, the lowest
/// of which is then checked against the table.
fn next_space(bytes: &[u8], from: usize) -> usize {
    find_byte(
        bytes,
        from,
        |lanes| lanes.wrapping_sub(LANE_ONES * 0x21) & !lanes & LANE_HIGHS,
        |byte| BYTE_CLASS[byte as usize] & SPACE != 0,
    )
}

/// A term looked up in [`SearchIndex`]: it hashes like the `String` keys, and compares with
/// them inline, which for words of a few bytes costs less than a call to `memcmp` (this lookup
/// runs for every word of every document).
#[derive(Hash)]
struct Word<'a>(&'a str);

impl hashbrown::Equivalent<String> for Word<'_> {
    fn equivalent(&self, key: &String) -> bool {
        same_bytes(self.0.as_bytes(), key.as_bytes())
    }
}

/// Whether `a` and `b` hold the same bytes, compared a word at a time: short slices as two
/// overlapping loads from each end.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let u64_at = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    let u32_at = |s: &[u8], i: usize| u32::from_ne_bytes(s[i..i + 4].try_into().expect("4 bytes"));
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => u32_at(a, 0) == u32_at(b, 0) && u32_at(a, n - 4) == u32_at(b, n - 4),
        _ => {
            let mut i = 0;
            while i + 8 < n {
                if u64_at(a, i) != u64_at(b, i) {
                    return false;
                }
                i += 8;
            }
            u64_at(a, n - 8) == u64_at(b, n - 8)
        }
    }
}

/// The inverted index being built: raw weighted counts per term and document, merged from
/// documents as they are rendered, so per-document term maps are dropped early.
#[derive(Debug, Default)]
pub struct SearchIndex {
    postings: hashbrown::HashMap<String, Vec<(u32, u32)>, rustc_hash::FxBuildHasher>,
    lengths: Vec<(u32, u32)>,
}

impl SearchIndex {
    /// Counts document `index`'s terms straight into the index (no per-document map). Documents
    /// must be added in increasing order within one partial index.
    pub fn add_document(&mut self, index: usize, doc: &DocView, body: &str) {
        let index = index as u32;
        let mut length = 0;
        let postings = &mut self.postings;
        weighted_terms(doc, body, |term, weight| {
            length += weight;
            match postings.get_mut(&Word(term)) {
                Some(list) => match list.last_mut() {
                    Some((last, count)) if *last == index => *count += weight,
                    _ => list.push((index, weight)),
                },
                None => {
                    postings.insert(term.to_string(), vec![(index, weight)]);
                }
            }
        });
        self.lengths.push((index, length));
    }

    /// Adds a borrowed document's terms (for `serve`, which keeps them).
    pub fn add_ref(&mut self, index: usize, doc: &DocTerms) {
        self.lengths.push((index as u32, doc.length));
        for (term, &count) in &doc.counts {
            self.postings
                .entry(term.clone())
                .or_default()
                .push((index as u32, count));
        }
    }

    /// Combines two partial indexes.
    pub fn merge(mut self, other: SearchIndex) -> SearchIndex {
        let (mut big, small) = if self.postings.len() >= other.postings.len() {
            (std::mem::take(&mut self), other)
        } else {
            (other, std::mem::take(&mut self))
        };
        big.lengths.extend(small.lengths);
        for (term, list) in small.postings {
            big.postings.entry(term).or_default().extend(list);
        }
        big
    }

    /// Writes the shards and `search/meta.js`.
    pub fn write(self, out: &Path) -> Result<IndexStats, Fatal> {
        let n = self.lengths.len();
        let mut lengths = vec![
            0u32;
            self.lengths
                .iter()
                .map(|(i, _)| *i as usize + 1)
                .max()
                .unwrap_or(0)
        ];
        for (index, length) in &self.lengths {
            lengths[*index as usize] = *length;
        }
        let average =
            (lengths.iter().map(|&l| u64::from(l)).sum::<u64>() as f64 / n.max(1) as f64).max(1.0);
        let mut postings: Vec<(String, Vec<(u32, u32)>)> = self.postings.into_iter().collect();
        postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let entries: Vec<(String, String)> = postings
            .into_par_iter()
            .map(|(term, mut list)| {
                list.sort_unstable();
                let entry = posting_entry(&term, &list, &lengths, average);
                (term, entry)
            })
            .collect();
        let shards = shard(&entries);
        let bytes = shards
            .par_iter()
            .map(|(key, body)| {
                let mut text = String::with_capacity(body.len() + key.len() + 32);
                text.push_str("annexaSearch.shard(");
                push_script_string(&mut text, key);
                text.push_str(",{");
                text.push_str(body);
                text.push_str("});\n");
                write(
                    out,
                    &format!("{SEARCH_DIR}/shards/{}.js", shard_file(key)),
                    &text,
                )?;
                Ok(text.len())
            })
            .try_reduce(|| 0, |a, b| Ok::<_, Fatal>(a + b))?;
        let mut stats = IndexStats {
            terms: entries.len(),
            shards: shards.len(),
            bytes,
        };
        let mut meta = format!("annexaSearch.meta({{\"n\":{n},\"chunk\":{CHUNK},\"shards\":[");
        for (i, key) in shards.keys().enumerate() {
            if i > 0 {
                meta.push(',');
            }
            push_script_string(&mut meta, key);
        }
        meta.push_str("]});\n");
        stats.bytes += meta.len();
        write(out, &format!("{SEARCH_DIR}/meta.js"), &meta)?;
        Ok(stats)
    }
}

/// Where the search data of rendered documents goes: straight into an index (`build`), or kept
/// per document so that a later partial rebuild can re-index (`serve`).
pub trait SearchSink: Default + Send {
    /// What is left once the index is written.
    type Kept: Send;
    /// Takes document `index`'s body text and result entry.
    fn add(&mut self, index: usize, doc: &DocView, text: &str, entry: &str);
    /// Combines two partial sinks.
    fn merge(self, other: Self) -> Self;
    /// Writes the shards and `search/meta.js`.
    fn finish(self, out: &Path) -> Result<(IndexStats, Self::Kept), Fatal>;
}

impl SearchSink for SearchIndex {
    type Kept = ();

    fn add(&mut self, index: usize, doc: &DocView, text: &str, _entry: &str) {
        self.add_document(index, doc, text);
    }

    fn merge(self, other: Self) -> Self {
        SearchIndex::merge(self, other)
    }

    fn finish(self, out: &Path) -> Result<(IndexStats, ()), Fatal> {
        Ok((self.write(out)?, ()))
    }
}

/// One document's search data, kept between rebuilds.
#[derive(Debug)]
pub struct KeptDoc {
    /// Its result entry (a line of its chunk file).
    pub entry: String,
    /// Its weighted terms.
    pub terms: DocTerms,
}

impl KeptDoc {
    /// The search data of a document from its view, body text and entry.
    pub fn new(doc: &DocView, text: &str, entry: String) -> Self {
        KeptDoc {
            entry,
            terms: DocTerms::new(doc, text),
        }
    }
}

/// Every document's search data, collected by index during a render.
#[derive(Debug, Default)]
pub struct KeptDocs(Vec<(usize, KeptDoc)>);

impl SearchSink for KeptDocs {
    type Kept = Vec<KeptDoc>;

    fn add(&mut self, index: usize, doc: &DocView, text: &str, entry: &str) {
        self.0
            .push((index, KeptDoc::new(doc, text, entry.to_string())));
    }

    fn merge(mut self, other: Self) -> Self {
        self.0.extend(other.0);
        self
    }

    fn finish(mut self, out: &Path) -> Result<(IndexStats, Vec<KeptDoc>), Fatal> {
        self.0.sort_by_key(|(index, _)| *index);
        let docs: Vec<KeptDoc> = self.0.into_iter().map(|(_, doc)| doc).collect();
        Ok((write_kept_index(out, &docs)?, docs))
    }
}

/// Writes the index from kept documents, in document order.
pub fn write_kept_index(out: &Path, docs: &[KeptDoc]) -> Result<IndexStats, Fatal> {
    let mut index = SearchIndex::default();
    for (i, doc) in docs.iter().enumerate() {
        index.add_ref(i, &doc.terms);
    }
    index.write(out)
}

/// Rewrites chunk file `chunk` from kept documents.
pub fn write_kept_chunk(out: &Path, docs: &[KeptDoc], chunk: usize) -> Result<(), Fatal> {
    let first = chunk * CHUNK;
    let end = (first + CHUNK).min(docs.len());
    let entries: Vec<&str> = docs[first..end].iter().map(|d| d.entry.as_str()).collect();
    write_chunk(out, chunk, &entries)
}

/// Sizes of a written index.
#[derive(Debug, Clone, Copy, Default)]
pub struct IndexStats {
    /// Distinct terms.
    pub terms: usize,
    /// Shard files.
    pub shards: usize,
    /// Bytes of shards and meta.
    pub bytes: usize,
}

/// One term's posting list as JSON: `"term":[doc,score,doc,score…]`, scored with BM25's
/// term-frequency part (`lengths` are the documents' weighted lengths).
fn posting_entry(term: &str, list: &[(u32, u32)], lengths: &[u32], average: f64) -> String {
    let mut entry = String::with_capacity(list.len() * 8 + term.len() + 4);
    push_script_string(&mut entry, term);
    entry.push_str(":[");
    let mut number = itoa::Buffer::new();
    for (i, &(doc, count)) in list.iter().enumerate() {
        let norm = 1.2 * (0.25 + 0.75 * f64::from(lengths[doc as usize]) / average);
        let tf = f64::from(count);
        let score = (tf * 2.2 / (tf + norm) * 100.0 / 2.2)
            .round()
            .clamp(1.0, 255.0) as u8;
        if i > 0 {
            entry.push(',');
        }
        entry.push_str(number.format(doc));
        entry.push(',');
        entry.push_str(number.format(score));
    }
    entry.push(']');
    entry
}

/// Groups the posting entries of `entries` (sorted by term) into shards keyed by their terms'
/// first two characters, splitting large shards by a third character (terms of two characters
/// or fewer stay in the two-character shard).
fn shard(entries: &[(String, String)]) -> BTreeMap<String, String> {
    let mut groups: BTreeMap<String, Vec<(&String, &String)>> = BTreeMap::new();
    for (term, entry) in entries {
        groups
            .entry(prefix(term, 2))
            .or_default()
            .push((term, entry));
    }
    let mut shards = BTreeMap::new();
    for (key, entries) in groups {
        let size: usize = entries.iter().map(|(_, e)| e.len() + 1).sum();
        if size <= SHARD_SPLIT_BYTES {
            shards.insert(key, join(entries.iter().map(|(_, e)| e.as_str())));
            continue;
        }
        let mut split: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (term, entry) in &entries {
            split.entry(prefix(term, 3)).or_default().push(entry);
        }
        for (sub, list) in split {
            shards.insert(sub, join(list.into_iter()));
        }
    }
    shards
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.collect::<Vec<_>>().join(",")
}

fn prefix(term: &str, chars: usize) -> String {
    term.chars().take(chars).collect()
}

/// A shard's file name: the UTF-8 bytes of its key in hex (the JavaScript computes the same).
pub fn shard_file(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Bytes that a JSON string in a script cannot hold as they are: `"`, `\\`, control characters,
/// `<` (so that no `</script>` can appear) and 0xE2, the lead byte of U+2028 and U+2029.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[0xE2] = true;
    table
};

/// Appends `text` as a JSON string literal that is also safe inside a script file: no
/// `</script>`, no line separators.
fn push_script_string(out: &mut String, text: &str) {
    out.push('"');
    push_script_string_content(out, text);
    out.push('"');
}

/// Appends `text` escaped for the inside of a JSON string literal in a script, a run of plain
/// bytes at a time: serde_json's escapes, plus `<`, U+2028 and U+2029 as `\uXXXX`.
fn push_script_string_content(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut i = 0;
    loop {
        i = next_needing_escape(bytes, i);
        let Some(&byte) = bytes.get(i) else {
            break;
        };
        i += 1;
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'<' => "\\u003c",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0xE2 => match &bytes[i - 1..] {
                [_, 0x80, 0xA8, ..] => "\\u2028",
                [_, 0x80, 0xA9, ..] => "\\u2029",
                _ => continue,
            },
            _ => "",
        };
        out.push_str(&text[plain_from..i - 1]);
        if escaped.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xF)]));
        } else {
            out.push_str(escaped);
        }
        if byte == 0xE2 {
            i += 2;
        }
        plain_from = i;
    }
    out.push_str(&text[plain_from..]);
}

/// The offset of the first byte at or after `from` that [`NEEDS_ESCAPE`], or the length of
/// `bytes`. Eight bytes are tested at a time: a byte below 0x20, or equal to `"`, `\\`, `<`
/// or 0xE2, sets the high bit of its lane (the lowest lane set is exact; lanes above it may
/// be set by borrows).
fn next_needing_escape(bytes: &[u8], from: usize) -> usize {
    find_byte(
        bytes,
        from,
        |lanes| {
            (lanes.wrapping_sub(LANE_ONES * 0x20) & !lanes & LANE_HIGHS)
                | zero_lanes(lanes ^ (LANE_ONES * u64::from(b'"')))
                | zero_lanes(lanes ^ (LANE_ONES * u64::from(b'\\')))
                | zero_lanes(lanes ^ (LANE_ONES * u64::from(b'<')))
                | zero_lanes(lanes ^ (LANE_ONES * 0xE2))
        },
        |byte| NEEDS_ESCAPE[byte as usize],
    )
}

fn write(out: &Path, rel: &str, text: &str) -> Result<(), Fatal> {
    crate::write::write_file(out, rel, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn terms_keep_ids_whole_and_split() {
        assert_eq!(
            all("See A.5.15, and POL-005."),
            ["see", "a.5.15", "5", "15", "pol-005", "pol", "005"]
        );
        assert_eq!(
            all("The Access-Control policy"),
            ["access-control", "access", "control", "policy"]
        );
        assert_eq!(all("Größe ÜBER"), ["größe", "über"]);
    }

    /// The obvious implementation the fast one must match (and the JavaScript follows).
    fn reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for raw in text.split(|c: char| c.is_whitespace()) {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                continue;
            }
            let lower = word.to_lowercase();
            let parts: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() > 1 && lower.chars().count() <= MAX_TERM_CHARS {
                out.push(lower.clone());
            }
            for part in parts {
                if part.chars().count() <= MAX_TERM_CHARS && !STOP_WORDS.contains(&part) {
                    out.push(part.to_string());
                }
            }
        }
        out
    }

    const STOP_WORDS: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
        "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
    ];

    #[test]
    fn snippets_collapse_ascii_whitespace_like_any_whitespace() {
        let long = "A policy sets out\nthe rules.  Each\tstaff member reads it,\x01and signs.\n\n\
                    Reviews happen yearly; the owner approves changes\r\nbefore publication. ";
        let samples = [
            "  one\ttwo\n\nthree\x0Bfour\x0Cfive\r\nsix  ",
            "é\u{00A0}nbsp  and\u{2028}line über",
            "",
            " \n ",
            "word",
            "one two three four five six seven eight nine ten",
            "a\x01b\x1fc d\x7fe averyveryverylongwordthatspansmanylanes x",
            long,
        ];
        for sample in samples {
            for limit in (0..sample.len() + 3).chain([100, 4000]) {
                assert_eq!(
                    collapse_whitespace(sample, limit),
                    collapse_any_whitespace(sample, limit),
                    "{sample:?} {limit}"
                );
            }
        }
        assert_eq!(
            collapse_whitespace(" one\ttwo\n\nthree\x0Bfour ", 100),
            "one two three four"
        );
        // A word is added while fewer than `limit` characters come before it.
        assert_eq!(collapse_whitespace("aa bb cc", 4), "aa bb");
        assert_eq!(collapse_whitespace("é aa bb cc", 5), "é aa");
    }

    /// The reference for [`push_script_string`]: serde_json, then the script-safe escapes.
    fn script_json(value: &str) -> String {
        serde_json::to_string(value)
            .expect("a string serialises")
            .replace('<', "\\u003c")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    }

    #[test]
    fn script_strings_are_escaped_like_serde_json() {
        let samples = [
            "plain text",
            "",
            "quote \" backslash \\ slash / lt < gt > amp &",
            "controls \u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f} end",
            "separators \u{2028} and \u{2029}, other E2: \u{2022} \u{20ac} \u{2030}",
            "</script><!-- é 東京 😀",
            "\u{2028}",
            "ends with a separator\u{2029}",
        ];
        for sample in samples {
            let mut written = String::new();
            push_script_string(&mut written, sample);
            assert_eq!(written, script_json(sample), "{sample:?}");
        }
    }

    #[test]
    fn escapes_are_found_at_every_offset_of_a_word() {
        let specials = [
            "\"", "\\", "<", "\n", "\u{1}", "\u{1f}", "\u{2028}", "\u{2029}", "\u{2022}", " ", "!",
            "\u{7f}", "é", "東",
        ];
        for special in specials {
            for at in 0..20 {
                let mut sample: String = "abcdefghijklmnopqrstuvwxyz"[..at].to_string();
                sample.push_str(special);
                sample.push_str("ABCDEFGHIJKLMNOPQRST");
                let mut written = String::new();
                push_script_string(&mut written, &sample);
                assert_eq!(written, script_json(&sample), "{sample:?}");
            }
        }
    }

    /// The eight-byte scans stop at exactly the bytes of their tables, whatever the lane.
    #[test]
    fn byte_scans_stop_where_their_tables_say() {
        let ascii: Vec<u8> = (0..128u8)
            .chain(0..128u8)
            .chain(b"abc123xyz09az".iter().copied())
            .collect();
        for from in 0..ascii.len() {
            let expected = (from..ascii.len())
                .find(|&i| BYTE_CLASS[ascii[i] as usize] != ALNUM)
                .unwrap_or(ascii.len());
            assert_eq!(lower_alnum_run_end(&ascii, from), expected, "from {from}");
        }
        let bytes: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for from in 0..bytes.len() {
            let expected = (from..bytes.len())
                .find(|&i| NEEDS_ESCAPE[bytes[i] as usize])
                .unwrap_or(bytes.len());
            assert_eq!(next_needing_escape(&bytes, from), expected, "from {from}");
            let expected = (from..bytes.len())
                .find(|&i| BYTE_CLASS[bytes[i] as usize] & SPACE != 0)
                .unwrap_or(bytes.len());
            assert_eq!(next_space(&bytes, from), expected, "from {from}");
        }
    }

    #[test]
    fn same_bytes_is_slice_equality() {
        let words: Vec<Vec<u8>> = (0..=20)
            .map(|n| (0..n).map(|i| b'a' + (i % 26) as u8).collect())
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(same_bytes(a, b), a == b);
            }
            // Every single-byte difference, at every position.
            for at in 0..a.len() {
                let mut other = a.clone();
                other[at] ^= 0x20;
                assert!(!same_bytes(a, &other), "{a:?} vs {other:?}");
            }
        }
    }

    #[test]
    fn a_word_finds_its_term() {
        let mut map: hashbrown::HashMap<String, u32, rustc_hash::FxBuildHasher> =
            Default::default();
        for (i, term) in ["a", "abcd", "abcdefgh", "abcdefghijklmnopq", "é"]
            .iter()
            .enumerate()
        {
            map.insert(term.to_string(), i as u32);
        }
        assert_eq!(map.get(&Word("abcdefgh")), Some(&2));
        assert_eq!(map.get(&Word("é")), Some(&4));
        assert_eq!(map.get(&Word("abcdefghijklmnopq")), Some(&3));
        assert_eq!(map.get(&Word("abcdefghijklmnopr")), None);
        assert_eq!(map.get(&Word("b")), None);
    }

    #[test]
    fn stop_word_match_is_the_list() {
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["", "th", "thee", "ands", "i", "policy", "The"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn fast_terms_match_the_reference() {
        let samples = [
            "Plain words, and (parenthesised) ones; with \"quotes\" and end.",
            "ids: A.5.15 5.15 POL-005 nist-csf-2.0:PR.AA-01 snake_case a--b -x- ...",
            "Mixed ÜBER-größe café naïve 東京 Ω-Test x\u{00A0}y\ttab\nnew",
            "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd.ee.ff",
            "averyveryveryveryveryveryverylongwordthatexceedsfortycharacters x",
            "",
            "   ",
            "!!!",
            "THE The the a A an",
            "Information Security Policy ISMS isms-scope A1 1a 2026-11-01 x_y",
            "end. end, (start [x] `code` a.b, c-d. e:f; A. the. the) -- 42% $5 x",
            "trailing punctuation!?",
            "word",
            "the",
        ];
        for sample in samples {
            assert_eq!(all(sample), reference(sample), "{sample:?}");
        }
    }
}
