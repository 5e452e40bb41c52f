//! The inverted index: weighted counts per term and document, merged from partial indexes,
//! scored with BM25's term-frequency part and written as shards by term prefix, with
//! `search/meta.js`.

use rayon::prelude::*;

use super::SEARCH_DIR;
use super::cache::{self, CachedDoc, SearchCache};
use super::entry::ResultEntry;
use super::fields::{DocTerms, SearchFields, weighted_terms};
use super::heads::{self, Postings, Texts};
use super::packed::push_packed;
use super::reuse;
use super::script::{push_script_string, write_script};
use super::shards;
use crate::error::Fatal;
use crate::write::{Hash, Tree};

/// Shards larger than this (bytes of script) are split by one more character, again and again
/// until each is small enough or holds a single term.
const SHARD_SPLIT_BYTES: usize = 16 * 1024;

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
    /// Each document's snippet text and whether it has a summary, for the heads.
    texts: Vec<(u32, Box<str>, bool)>,
    /// The documents whose terms are in the search cache, by slot and index.
    cached: Vec<(u32, u32)>,
    /// Each document's search key, when the build keeps a search cache.
    keys: Vec<(u32, Hash)>,
}

impl SearchIndex {
    /// Counts document `index`'s terms straight into the index (no per-document map). Documents
    /// must be added in increasing order within one partial index.
    pub fn add_document(&mut self, index: usize, fields: &SearchFields<'_>, body: &str) {
        let index = index as u32;
        let mut length = 0;
        let postings = &mut self.postings;
        weighted_terms(fields, body, |term, weight| {
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

    /// Keeps what the snippets of document `index` are cut from, out of its result entry.
    pub fn add_entry(&mut self, index: usize, entry: &ResultEntry) {
        self.texts
            .push((index as u32, entry.text().into(), entry.has_summary()));
    }

    /// Takes document `index`'s weighted length from the search cache; its terms are added from
    /// the cache when the index is written.
    pub fn add_cached(&mut self, index: usize, doc: CachedDoc) {
        self.lengths.push((index as u32, doc.length));
        self.cached.push((doc.slot, index as u32));
    }

    /// Notes document `index`'s search key, under which the search cache keeps its data.
    pub fn add_key(&mut self, index: usize, key: Hash) {
        self.keys.push((index as u32, key));
    }

    /// Adds the terms of the documents taken from `cache` (read from `path`); returns whether
    /// the file should be written again: not when every document was taken from the slot of
    /// its own index. The cache is freed before the index is scored.
    fn take_cached(&mut self, cache: SearchCache, path: &std::path::Path) -> Result<bool, Fatal> {
        if !self.add_cached_postings(&cache) {
            std::fs::remove_file(path).ok();
            return Err(Fatal::new(format!(
                "the search cache `{}` does not hold what it lists (it was removed): build again",
                path.display()
            )));
        }
        let n = self.lengths.len();
        let same = self.cached.len() == n
            && cache.slots() == n
            && self.cached.iter().all(|&(slot, index)| slot == index);
        crate::drop_in_background(cache);
        Ok(!same)
    }

    /// Adds the terms of the documents taken from `cache`.
    fn add_cached_postings(&mut self, cache: &SearchCache) -> bool {
        if self.cached.is_empty() {
            return true;
        }
        let mut wanted = vec![Vec::new(); cache.slots()];
        for &(slot, index) in &self.cached {
            match wanted.get_mut(slot as usize) {
                Some(docs) => docs.push(index),
                None => return false,
            }
        }
        let postings = &mut self.postings;
        cache.postings(&wanted, |term, list| match postings.get_mut(&Word(term)) {
            Some(known) => known.extend(list),
            None => {
                postings.insert(term.to_string(), list.collect());
            }
        })
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
        big.texts.extend(small.texts);
        big.cached.extend(small.cached);
        big.keys.extend(small.keys);
        for (term, list) in small.postings {
            big.postings.entry(term).or_default().extend(list);
        }
        big
    }

    /// Writes the shards, the heads and `search/meta.js`. With `cache` (the search cache the
    /// documents were looked up in, and its file), the terms of the documents found in it are
    /// added first, the heads whose results and files still hold are taken from it, and the file
    /// is written anew for the next build unless it would be the same.
    pub fn write(
        mut self,
        out: &Tree,
        cache: Option<(SearchCache, &std::path::Path)>,
    ) -> Result<IndexStats, Fatal> {
        let (path, rewrite, previous) = match cache {
            Some((mut cache, path)) => {
                let previous = cache.take_heads();
                (Some(path), self.take_cached(cache, path)?, previous)
            }
            None => (None, false, None),
        };
        let n = self.lengths.len();
        let cached = self.cached.len();
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
        let keys = path.and_then(|_| keys_in_order(std::mem::take(&mut self.keys), n));
        let scored = score_all(self.postings, &lengths, keys.is_some());
        let entries: Vec<String> = scored
            .terms
            .par_iter()
            .map(|(term, list)| posting_entry(term, list))
            .collect();
        let shards = shards::shard(
            &shards::Terms {
                scored: &scored.terms,
                entries: &entries,
                documents: n,
            },
            SHARD_SPLIT_BYTES,
        );
        drop(entries);
        let bytes = shards.write(out)?;
        let split = shards.split_pairs();
        let split_digest = reuse::split_digest(split.iter());
        let shard_count = shards.shards.len();
        let term_digests = reuse::Terms {
            scored: &scored.terms,
            digests: &scored.digests,
        };
        let reuse = previous
            .as_ref()
            .and_then(|p| reuse::Reuse::new(p, &term_digests, n, &split_digest));
        let (ranked, ranked_again) = heads::rank_all(
            &Postings {
                terms: &scored.terms,
                documents: n,
                split: &split,
            },
            reuse.as_ref(),
        );
        let terms = scored.terms.len();
        let mut texts = vec![Box::<str>::default(); lengths.len()];
        let mut summary = vec![false; lengths.len()];
        for (index, text, has) in self.texts {
            summary[index as usize] = has;
            texts[index as usize] = text;
        }
        let signing = keys.as_deref().map(|keys| reuse::Signing {
            keys,
            previous: previous.as_ref().map_or(&[], |p| &p.files),
        });
        let texts = Texts {
            text: &texts,
            summary: &summary,
        };
        let written = heads::write(out, &ranked, &texts, signing.as_ref())?;
        let record_changed = previous
            .as_ref()
            .is_none_or(|p| ranked_again > 0 || Some(&p.files) != written.files.as_ref());
        if let (Some(path), Some(keys), Some(files)) = (path, &keys, &written.files)
            && (rewrite || record_changed)
        {
            let record = reuse::encode(n, &split_digest, &term_digests, &ranked, files);
            let data = cache::CacheData {
                keys,
                lengths: &lengths,
                texts: texts.text,
                heads: &record,
                terms: &scored.kept,
            };
            cache::save(path, &data);
        }
        let mut stats = IndexStats {
            terms,
            shards: shard_count,
            bytes: bytes + written.bytes,
            cached,
            heads: (ranked_again, ranked.len()),
            head_files: (written.made, written.buckets),
        };
        let page = heads::PAGE;
        let buckets = written.buckets;
        let mut meta = format!(
            "annexaSearch.meta({{\"n\":{n},\"page\":{page},\"heads\":{buckets},\"shards\":"
        );
        push_keys(&mut meta, shards.shards.keys());
        meta.push_str(",\"unions\":");
        push_keys(&mut meta, shards.unions.keys());
        meta.push_str("});\n");
        stats.bytes += meta.len();
        write_script(out, &format!("{SEARCH_DIR}/meta.js"), &meta)?;
        Ok(stats)
    }
}

/// A term and its postings: document and score.
type Scored = (String, Vec<(u32, u8)>);

/// Every term's scored postings, in term order, and (when kept for the search cache) each
/// term's entry of it and the digest of its scored postings.
struct ScoredTerms {
    terms: Vec<Scored>,
    /// Each term's entry of the search cache ([`cache::term_entry`]).
    kept: Vec<Vec<u8>>,
    /// The digest of each term's scored postings ([`reuse::list_digest`]).
    digests: Vec<reuse::ListDigest>,
}

/// Every term's postings scored, in term order, with (when `keep`) each term's entry of the
/// search cache and the digest of its scored postings; each list is freed as it is scored.
fn score_all(
    postings: hashbrown::HashMap<String, Vec<(u32, u32)>, rustc_hash::FxBuildHasher>,
    lengths: &[u32],
    keep: bool,
) -> ScoredTerms {
    let n = lengths.len();
    let average =
        (lengths.iter().map(|&l| u64::from(l)).sum::<u64>() as f64 / n.max(1) as f64).max(1.0);
    let mut postings: Vec<(String, Vec<(u32, u32)>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (terms, kept): (Vec<Scored>, Vec<_>) = postings
        .into_par_iter()
        .map(|(term, mut list)| {
            list.sort_unstable();
            let scores: Vec<(u32, u8)> = list
                .iter()
                .map(|&(doc, count)| (doc, score(count, lengths[doc as usize], average)))
                .collect();
            let kept = keep.then(|| (cache::term_entry(&term, &list), reuse::list_digest(&scores)));
            ((term, scores), kept)
        })
        .unzip();
    let (kept, digests) = kept.into_iter().flatten().unzip();
    ScoredTerms {
        terms,
        kept,
        digests,
    }
}

/// The search keys of documents `0..n` in order, when every one has its key.
fn keys_in_order(mut keys: Vec<(u32, Hash)>, n: usize) -> Option<Vec<Hash>> {
    keys.sort_unstable_by_key(|(index, _)| *index);
    let in_order = keys.len() == n
        && keys
            .iter()
            .enumerate()
            .all(|(i, (at, _))| *at as usize == i);
    in_order.then(|| keys.into_iter().map(|(_, key)| key).collect())
}

/// Appends `keys` as a JSON list of strings.
fn push_keys<'a>(out: &mut String, keys: impl Iterator<Item = &'a String>) {
    out.push('[');
    for (i, key) in keys.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_script_string(out, key);
    }
    out.push(']');
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
    /// Documents whose search data was taken from the search cache.
    pub cached: usize,
    /// Heads ranked by this build (the others' results were the previous build's), and all.
    pub heads: (usize, usize),
    /// Files of heads made and written (the others were taken as the previous build wrote
    /// them), and all.
    pub head_files: (usize, usize),
}

/// BM25's term-frequency part of `count` weighted occurrences in a document of weighted length
/// `length` (`average` over all), as a whole number from 1 to 100.
fn score(count: u32, length: u32, average: f64) -> u8 {
    let norm = 1.2 * (0.25 + 0.75 * f64::from(length) / average);
    let tf = f64::from(count);
    (tf * 2.2 / (tf + norm) * 100.0 / 2.2)
        .round()
        .clamp(1.0, 100.0) as u8
}

/// One term's posting list as a script entry: `"term":"packed postings"` (see `packed`).
pub(super) fn posting_entry(term: &str, list: &[(u32, u8)]) -> String {
    let mut entry = String::with_capacity(list.len() * 3 + term.len() + 6);
    push_script_string(&mut entry, term);
    entry.push_str(":\"");
    push_packed(&mut entry, list);
    entry.push('"');
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
