//! The heads of one-word queries: for every word a query of one word can be that finds
//! something (every prefix of two or more characters of every term, and every one-character
//! term), its result count, its first page of results in rank order, and for each of them the
//! window of body text its snippet is cut from. A first query of one word loads its head (one
//! small file, chosen by a hash of the word) and the fields of the results shown, never the
//! full text of a document nor a posting list: so that any such query loads a bounded number of
//! bytes at any corpus size (150 KB at 10,000 documents is the target, see `benches/`).
//!
//! The ranking is the one `search.js` computes from the shards (the same BM25 weights, IDF
//! and prefix rule, in the same floating-point operations), so the first page agrees with
//! "Show more", which ranks from the shards, and a query of two words still ranks from them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::SEARCH_DIR;
use super::reuse::{Reuse, Signing, WrittenFile};
use super::script::push_script_string;
use super::tokenize::terms;
use crate::error::Fatal;
use crate::write::Tree;

/// Results on a page, and so in a head; written into `search/meta.js` as `page`, which
/// `search.js` pages by.
pub const PAGE: usize = 10;
/// The weight of a term that the last word of a query matches as a prefix (`PREFIX_WEIGHT`).
pub(super) const PREFIX_WEIGHT: f64 = 0.8;
/// UTF-16 units of text that a snippet shows before and after its first match (`snippet()`).
const BEFORE: usize = 70;
const AFTER: usize = 170;
/// UTF-16 units shown when nothing in the text matches and there is no summary.
const PLAIN: usize = 200;
/// Average bytes of a file of heads: the number of files is a power of two chosen so that
/// they hold about this much each.
const BUCKET_BYTES: usize = 6 * 1024;

/// What the heads are computed from: every term's scored postings, sorted by term.
pub(super) struct Postings<'a> {
    /// `(term, [(document, score)])`, sorted by term; documents in increasing order.
    pub terms: &'a [(String, Vec<(u32, u8)>)],
    /// The number of documents (`n` of `meta.js`).
    pub documents: usize,
    /// The two-character shard keys that were split by a third character: a last word of two
    /// characters matches as a prefix only when its shard was not split (`prefixable()`).
    pub split: &'a FxHashSet<String>,
}

/// What a snippet needs of each document: its text (as in `search/text/`) and whether it has
/// a summary (shown when nothing in the text matches).
pub(super) struct Texts<'a> {
    /// The snippet text of each document, by index.
    pub text: &'a [Box<str>],
    /// Whether each document has a summary.
    pub summary: &'a [bool],
}

/// A query term: its text, and whether it matches as a prefix.
type Term = (String, bool);

impl Postings<'_> {
    /// The terms `search.js` makes of a query of the one word `word`: the tokenizer's terms in
    /// order, each once, and whether each matches as a prefix (`prefixable()`).
    fn query(&self, word: &str) -> Vec<Term> {
        let mut out: Vec<Term> = Vec::new();
        terms(word, |term| {
            if !out.iter().any(|(t, _)| t == term) {
                let chars = term.chars().count();
                let prefix = chars >= 3 || (chars == 2 && !self.split.contains(term));
                out.push((term.to_string(), prefix));
            }
        });
        out
    }

    /// The best score of each document for one query term (`rank()`'s `best`), by document
    /// when `sorted`.
    fn best(&self, (term, prefix): &Term, sorted: bool, scratch: &mut Scratch) -> Vec<(u32, f64)> {
        let start = self
            .terms
            .partition_point(|(t, _)| t.as_str() < term.as_str());
        for (t, postings) in self.terms[start..]
            .iter()
            .take_while(|(t, _)| t.starts_with(term.as_str()))
        {
            let weight = if t == term {
                1.0
            } else if *prefix {
                PREFIX_WEIGHT
            } else {
                continue;
            };
            let w = term_weight(postings.len(), self.documents, weight);
            for &(doc, score) in postings {
                scratch.offer(doc, f64::from(score) * w);
            }
        }
        scratch.take(sorted)
    }

    /// The ranked results of a query (`rank()`): the documents every term finds, by the sum of
    /// their best scores (added in the order of the terms), highest first, then by index.
    fn rank(&self, query: &[Term], memo: &Memo, scratch: &mut Scratch) -> Vec<(u32, f64)> {
        let mut totals: Option<Vec<(u32, f64)>> = None;
        for (i, term) in query.iter().enumerate() {
            // The later terms of a word (`pol` of `pol-005`) recur across words: kept.
            let next = if i == 0 {
                // One term needs no order; the first of several is intersected by document.
                self.best(term, query.len() > 1, scratch)
            } else {
                let best = memo.get(term, || self.best(term, true, scratch));
                intersect(totals.as_deref().unwrap_or_default(), &best)
            };
            let empty = next.is_empty();
            totals = Some(next);
            if empty {
                break;
            }
        }
        totals.unwrap_or_default()
    }
}

/// What a score of a term found in `df` of `documents` documents is multiplied by: its IDF
/// times `weight` (`idf(df) * weight` in `search.js`, the same floating-point operations).
pub(super) fn term_weight(df: usize, documents: usize, weight: f64) -> f64 {
    let (n, df) = (documents as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln() * weight
}

/// Scores of the documents both lists hold (both by document), summed: `a`'s plus `b`'s.
fn intersect(a: &[(u32, f64)], b: &[(u32, f64)]) -> Vec<(u32, f64)> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let mut j = 0;
    for &(doc, score) in a {
        while j < b.len() && b[j].0 < doc {
            j += 1;
        }
        if j < b.len() && b[j].0 == doc {
            out.push((doc, score + b[j].1));
        }
    }
    out
}

/// Scores by document.
type Scores = Arc<Vec<(u32, f64)>>;

/// The best scores of the later terms of words, computed once.
#[derive(Default)]
struct Memo(Mutex<FxHashMap<Term, Scores>>);

impl Memo {
    fn get(&self, term: &Term, compute: impl FnOnce() -> Vec<(u32, f64)>) -> Scores {
        if let Some(found) = self.0.lock().ok().and_then(|m| m.get(term).cloned()) {
            return found;
        }
        let computed = Arc::new(compute());
        if let Ok(mut map) = self.0.lock() {
            map.insert(term.clone(), computed.clone());
        }
        computed
    }
}

/// A score per document, for one term at a time, with the documents touched.
struct Scratch {
    score: Vec<f64>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(documents: usize) -> Self {
        Scratch {
            score: vec![f64::NAN; documents],
            touched: Vec::new(),
        }
    }

    fn offer(&mut self, doc: u32, score: f64) {
        let slot = &mut self.score[doc as usize];
        if slot.is_nan() {
            *slot = score;
            self.touched.push(doc);
        } else if score > *slot {
            *slot = score;
        }
    }

    /// The scores offered, by document when `sorted`; the scratch is left empty.
    fn take(&mut self, sorted: bool) -> Vec<(u32, f64)> {
        if sorted {
            self.touched.sort_unstable();
        }
        let out = self
            .touched
            .iter()
            .map(|&doc| (doc, self.score[doc as usize]))
            .collect();
        for &doc in &self.touched {
            self.score[doc as usize] = f64::NAN;
        }
        self.touched.clear();
        out
    }
}

/// The first page of `ranked`, in order (`ranked.sort()` of `rank()`).
fn first_page(mut ranked: Vec<(u32, f64)>) -> Vec<u32> {
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if ranked.len() > PAGE {
        ranked.select_nth_unstable_by(PAGE - 1, order);
        ranked.truncate(PAGE);
    }
    ranked.sort_unstable_by(order);
    ranked.into_iter().map(|(doc, _)| doc).collect()
}

/// Every word whose head is written: each prefix of two or more characters of each term, and
/// each term of one character, as the terms its query has (words that give the same terms,
/// `pol` and `pol-`, are one).
fn words(postings: &Postings<'_>) -> Vec<(String, Vec<Term>)> {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut out = Vec::new();
    for (term, _) in postings.terms {
        let ends: Vec<usize> = term.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        let from = if ends.len() == 1 { 0 } else { 1 };
        for &end in &ends[from..] {
            let query = postings.query(&term[..end]);
            if query.is_empty() {
                continue;
            }
            let key = key_of(&query);
            if seen.insert(key.clone()) {
                out.push((key, query));
            }
        }
    }
    out
}

/// A head's key: the query's terms, one space apart (`key` in `search.js`).
fn key_of(query: &[Term]) -> String {
    let mut key = String::new();
    for (i, (term, _)) in query.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(term);
    }
    key
}

/// The ranked first pages of every word's query: `(key, query, result count, first page)`,
/// for every word (a count of 0: the word finds nothing, and has no head).
pub(super) type Ranked = Vec<(String, Vec<Term>, usize, Vec<u32>)>;

/// Ranks the query of every word that has a head (the heads without their windows); with
/// `reuse`, a query whose previous result still holds takes it. Returns how many were ranked.
pub(super) fn rank_all(postings: &Postings<'_>, reuse: Option<&Reuse<'_>>) -> (Ranked, usize) {
    let memo = Memo::default();
    let again = AtomicUsize::new(0);
    let ranked = words(postings)
        .into_par_iter()
        .map_init(
            || Scratch::new(postings.documents),
            |scratch, (key, query)| {
                if let Some((count, page)) = reuse.and_then(|r| r.result(&key, &query)) {
                    return (key, query, *count, page.clone());
                }
                again.fetch_add(1, Ordering::Relaxed);
                let ranked = postings.rank(&query, &memo, scratch);
                let count = ranked.len();
                (key, query, count, first_page(ranked))
            },
        )
        .collect();
    (ranked, again.into_inner())
}

/// What [`write`] did: the number of files, their bytes, and (when signed) what each was made
/// from, with how many of them were made (the others were the previous build's).
pub(super) struct Written {
    /// The number of files of heads.
    pub buckets: usize,
    /// Their bytes.
    pub bytes: usize,
    /// Each file's signature and hash, when the files were signed.
    pub files: Option<Vec<WrittenFile>>,
    /// How many files were made and written (not taken as the previous build wrote them).
    pub made: usize,
}

/// Writes the heads into `search/heads/H.js` files, `annexaSearch.heads(H,{"key":[count,
/// [doc,offset,length,"window",…]],…});`. A word that finds nothing has no head: `search.js`
/// then knows there is no result. The number of files is a power of two chosen from the size
/// the heads will have (each result about 260 bytes), so that no file is built twice or held
/// with the others. With `signing`, a file whose signature is the previous build's, and whose
/// bytes the site holds, is taken as it is.
pub(super) fn write(
    out: &Tree,
    ranked: &Ranked,
    texts: &Texts<'_>,
    signing: Option<&Signing<'_>>,
) -> Result<Written, Fatal> {
    let found: Vec<usize> = (0..ranked.len()).filter(|&i| ranked[i].2 > 0).collect();
    let estimate: usize = found
        .iter()
        .map(|&i| ranked[i].0.len() + 16 + ranked[i].3.len() * 260)
        .sum();
    let buckets = (estimate / BUCKET_BYTES).max(1).next_power_of_two();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for i in found {
        members[bucket(&ranked[i].0, buckets)].push(i);
    }
    let files = members
        .into_par_iter()
        .enumerate()
        .map(|(file, heads)| {
            let heads = Heads {
                file,
                of: buckets,
                members: &heads,
                ranked,
            };
            heads.write(out, texts, signing)
        })
        .collect::<Result<Vec<_>, Fatal>>()?;
    Ok(Written {
        buckets,
        bytes: files.iter().map(|(f, _)| f.bytes as usize).sum(),
        made: files.iter().filter(|(_, made)| *made).count(),
        files: signing.map(|_| files.iter().map(|(f, _)| *f).collect()),
    })
}

/// One file of heads: its number, of how many, and its heads (indexes into `ranked`).
struct Heads<'a> {
    file: usize,
    of: usize,
    members: &'a [usize],
    ranked: &'a Ranked,
}

impl Heads<'_> {
    /// Writes the file, unless `signing` finds it unchanged; returns what it is and whether it
    /// was made.
    fn write(
        &self,
        out: &Tree,
        texts: &Texts<'_>,
        signing: Option<&Signing<'_>>,
    ) -> Result<(WrittenFile, bool), Fatal> {
        let rel = format!("{SEARCH_DIR}/heads/{}.js", self.file);
        let signature = signing.and_then(|s| {
            s.signature(
                self.of,
                self.file,
                self.members.iter().map(|&i| {
                    let (key, _, count, page) = &self.ranked[i];
                    (key.as_str(), *count, page.as_slice())
                }),
            )
        });
        let previous = signing.and_then(|s| s.previous(self.of, self.file));
        if let (Some(signature), Some(previous)) = (signature, previous)
            && previous.signature == signature
            && out.keep(&rel, &previous.file)
        {
            return Ok((*previous, false));
        }
        let mut text = format!("annexaSearch.heads({},{{", self.file);
        for (n, &i) in self.members.iter().enumerate() {
            let (_, query, count, page) = &self.ranked[i];
            if n > 0 {
                text.push(',');
            }
            push_head(&mut text, query, *count, page, texts);
        }
        text.push_str("});\n");
        let hash = out.write_hashed(&rel, text.as_bytes())?;
        let written = WrittenFile {
            signature: signature.unwrap_or_default(),
            file: hash.unwrap_or_default(),
            bytes: text.len() as u64,
        };
        Ok((written, true))
    }
}

/// The file of heads that holds `key`: FNV-1a of its UTF-8 bytes, modulo `buckets` (a power
/// of two). `search.js` computes the same.
pub fn bucket(key: &str, buckets: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in key.as_bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash as usize & (buckets - 1)
}

/// Appends one head: `"key":[count,[doc,offset,length,"window",…]]`.
fn push_head(entry: &mut String, query: &[Term], count: usize, page: &[u32], texts: &Texts<'_>) {
    let words = pattern_words(query);
    push_script_string(entry, &key_of(query));
    entry.push_str(":[");
    let mut number = itoa::Buffer::new();
    entry.push_str(number.format(count));
    entry.push_str(",[");
    for (i, &doc) in page.iter().enumerate() {
        let text = texts.text.get(doc as usize).map_or("", |t| t);
        let summary = texts.summary.get(doc as usize).copied().unwrap_or(false);
        let window = window(text, &words, summary);
        if i > 0 {
            entry.push(',');
        }
        for value in [doc as usize, window.offset, window.length] {
            entry.push_str(number.format(value));
            entry.push(',');
        }
        push_script_string(entry, &text[window.bytes.0..window.bytes.1]);
    }
    entry.push_str("]]");
}

/// The words a snippet highlights (`markPattern()`): the query's terms of two or more
/// characters, or all of them when none is that long.
fn pattern_words(query: &[Term]) -> Vec<&str> {
    let long: Vec<&str> = query
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| t.chars().count() >= 2)
        .collect();
    if long.is_empty() {
        query.iter().map(|(t, _)| t.as_str()).collect()
    } else {
        long
    }
}

/// The part of a text a snippet is cut from.
#[derive(Debug, PartialEq)]
pub(super) struct Window {
    /// Its byte range in the text.
    pub bytes: (usize, usize),
    /// UTF-16 units of text before it.
    pub offset: usize,
    /// UTF-16 units of the whole text.
    pub length: usize,
}

/// The window of `text` that `snippet()` needs for a query of `words`: from 70 UTF-16 units
/// before the first match of any of them (matched without regard to case, anywhere in a
/// word) to 171 after it; without a match, nothing when there is a summary (shown instead),
/// else the first 200 units.
pub(super) fn window(text: &str, words: &[&str], summary: bool) -> Window {
    let ascii = text.is_ascii();
    let units = |bytes: usize| {
        if ascii {
            bytes
        } else {
            text[..bytes].encode_utf16().count()
        }
    };
    let length = units(text.len());
    let at = words.iter().filter_map(|w| first_match(text, w)).min();
    let (from, to) = match at {
        Some(at) => {
            let at = units(at);
            (at.saturating_sub(BEFORE), (at + AFTER + 1).min(length))
        }
        None if summary => (0, 0),
        None => (0, PLAIN.min(length)),
    };
    // Byte offsets of the UTF-16 range, widened to whole characters.
    let (start, end) = if ascii {
        (from, to)
    } else {
        let mut unit = 0;
        let (mut start, mut end) = (0, text.len());
        let mut start_found = false;
        for (i, c) in text.char_indices() {
            if !start_found && unit + c.len_utf16() > from {
                start = i;
                start_found = true;
            }
            if unit >= to {
                end = i;
                break;
            }
            unit += c.len_utf16();
        }
        if !start_found {
            start = text.len();
        }
        (start, end.max(start))
    };
    Window {
        bytes: (start, end),
        offset: units(start),
        length,
    }
}

/// The byte offset of the first place `word` (lower case) occurs in `text`, letter case
/// aside.
fn first_match(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let w = word.as_bytes();
    let first = *w.first()?;
    if !word.is_ascii() {
        return text.char_indices().map(|(i, _)| i).find(|&i| {
            let mut rest = text[i..].chars().flat_map(char::to_lowercase);
            word.chars().all(|c| rest.next() == Some(c))
        });
    }
    let upper = first.to_ascii_uppercase();
    let mut from = 0;
    while let Some(found) = memchr::memchr2(first, upper, &bytes[from..]) {
        let at = from + found;
        if bytes.len() - at >= w.len() && bytes[at..at + w.len()].eq_ignore_ascii_case(w) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_holds_the_first_ten_results_best_first_ties_by_document() {
        // Twelve documents, scored 1 to 12 but documents 4 and 9 tied at 20.
        let mut ranked: Vec<(u32, f64)> = (0..12u32).map(|d| (d, f64::from(d) + 1.0)).collect();
        ranked[4].1 = 20.0;
        ranked[9].1 = 20.0;
        assert_eq!(first_page(ranked), [4, 9, 11, 10, 8, 7, 6, 5, 3, 2]);
        // Fewer than a page: all of them.
        assert_eq!(first_page(vec![(3, 1.0), (1, 2.0)]), [1, 3]);
    }

    #[test]
    fn windows_reach_from_seventy_units_before_the_first_match_to_171_after() {
        let text = format!("{}Access granted {}", "x ".repeat(50), "y ".repeat(100));
        let w = window(&text, &["granted", "access"], false);
        assert_eq!(w.bytes, (30, 271));
        assert_eq!((w.offset, w.length), (30, text.len()));
        // Near the start, and near the end.
        let w = window("short access text", &["access"], false);
        assert_eq!((w.bytes, w.offset, w.length), ((0, 17), 0, 17));
        // No match: the summary is shown, or else the first 200 units.
        assert_eq!(window(&text, &["zzz"], true).bytes, (0, 0));
        assert_eq!(window(&text, &["zzz"], false).bytes, (0, 200));
    }

    #[test]
    fn windows_count_utf16_units_and_keep_whole_characters() {
        // "é" is one unit, "😀" two; the match is at unit 73.
        let text = format!("{}😀é access", "a".repeat(69));
        let w = window(&text, &["access"], false);
        // 73 - 70 = unit 3: inside the "a"s, byte 3.
        assert_eq!((w.bytes.0, w.offset), (3, 3));
        assert_eq!(w.length, 69 + 2 + 1 + 7);
        assert_eq!(&text[w.bytes.0..w.bytes.1], &text[3..]);
        // A cut inside a surrogate pair widens to the whole character.
        let text = format!("😀{}access", "b".repeat(69));
        let w = window(&text, &["access"], false);
        assert_eq!((w.bytes.0, w.offset), (0, 0));
        let text = format!("é{} Access", "b".repeat(70));
        assert_eq!(first_match(&text, "access"), Some(2 + 71));
        assert_eq!(first_match("ÜBER über", "über"), Some(0));
    }

    #[test]
    fn buckets_are_fnv1a() {
        assert_eq!(bucket("", 1 << 31), 0x811c_9dc5 & 0x7fff_ffff);
        assert_eq!(bucket("a", 1 << 31), 0xe40c_292c & 0x7fff_ffff);
        assert_eq!(bucket("policy", 1), 0);
    }
}
