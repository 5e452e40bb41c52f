//! The shards: posting entries grouped into files by the first characters of their terms. A
//! group larger than the split size is split by one more character, again and again, until
//! each is small enough or holds one term; a term is in the shard of the longest key that
//! begins it (`shardFor()` in `search.js`). A split group keeps a shard of its own key for the
//! term that is the key (if any), and when of three or more characters, a *prefix union* of
//! the others, so that a query word matching as a prefix loads one shard and one union, never
//! all the shards below it.
//!
//! A union `[[df, …],"postings"]` holds, for every document that any of its terms finds, the
//! score and document frequency of the term that scores it highest at the prefix weight: the
//! frequencies once in the list, the postings packed with the index of theirs (see `packed`).
//! `search.js` computes the same floating-point products from it as from the terms' own
//! postings, so ranking is unchanged.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::SEARCH_DIR;
use super::heads::{PREFIX_WEIGHT, term_weight};
use super::packed::push_classed;
use super::script::{push_script_string, write_script};
use crate::error::Fatal;
use crate::write::Tree;

/// The index's terms, as the shards are made from them.
pub(super) struct Terms<'a> {
    /// `(term, [(document, score)])`, sorted by term.
    pub scored: &'a [(String, Vec<(u32, u8)>)],
    /// The posting entry of each term (`"term":"postings"`), in the same order.
    pub entries: &'a [String],
    /// The number of documents.
    pub documents: usize,
}

/// The shards and the prefix unions of an index, by key.
#[derive(Debug, Default)]
pub(super) struct Shards {
    /// Each shard's entries, joined by commas.
    pub shards: BTreeMap<String, String>,
    /// Each split key's union, `[[df, …],"postings"]`.
    pub unions: BTreeMap<String, String>,
}

impl Shards {
    /// Writes each shard as `search/shards/HEX.js`, `annexaSearch.shard("key",{entries});`
    /// (HEX: the key's UTF-8 bytes in hex), and each union as `search/shards/HEX-u.js`,
    /// `annexaSearch.union("key",[[df, …],"postings"]);`. Returns the bytes written.
    pub fn write(&self, out: &Tree) -> Result<usize, Fatal> {
        let shards = FileKind {
            suffix: "",
            call: "shard(",
            open: ",{",
            close: "});\n",
        };
        let unions = FileKind {
            suffix: "-u",
            call: "union(",
            open: ",",
            close: ");\n",
        };
        Ok(shards.write_all(out, &self.shards)? + unions.write_all(out, &self.unions)?)
    }

    /// The keys of two characters that were split (a key of more begins with them): a last
    /// word of two characters matches as a prefix only when its shard was not split
    /// (`prefixable()` in `search.js`).
    pub fn split_pairs(&self) -> FxHashSet<String> {
        self.shards
            .keys()
            .filter(|key| key.chars().count() > 2)
            .map(|key| prefix(key, 2))
            .collect()
    }
}

/// One kind of file of the split index: its name's suffix and the call that wraps its body.
struct FileKind {
    suffix: &'static str,
    call: &'static str,
    open: &'static str,
    close: &'static str,
}

impl FileKind {
    /// Writes each of `files` (key, body) as `search/shards/HEX{suffix}.js`,
    /// `annexaSearch.{call}"key"{open}body{close}`, in parallel. Returns the bytes written.
    fn write_all(&self, out: &Tree, files: &BTreeMap<String, String>) -> Result<usize, Fatal> {
        files
            .par_iter()
            .map(|(key, body)| {
                let mut text = String::with_capacity(body.len() + key.len() + 32);
                text.push_str("annexaSearch.");
                text.push_str(self.call);
                push_script_string(&mut text, key);
                text.push_str(self.open);
                text.push_str(body);
                text.push_str(self.close);
                let file = format!("{SEARCH_DIR}/shards/{}{}.js", shard_file(key), self.suffix);
                write_script(out, &file, &text)?;
                Ok(text.len())
            })
            .try_reduce(|| 0, |a, b| Ok::<_, Fatal>(a + b))
    }
}

/// The shards of `terms`, with groups larger than `split_bytes` split.
pub(super) fn shard(terms: &Terms<'_>, split_bytes: usize) -> Shards {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (term, _)) in terms.scored.iter().enumerate() {
        groups.entry(prefix(term, 2)).or_default().push(i);
    }
    groups
        .into_par_iter()
        .map(|(key, group)| {
            let mut out = Shards::default();
            split_into(&mut out, terms, key, &group, split_bytes);
            out
        })
        .reduce(Shards::default, |mut a, b| {
            a.shards.extend(b.shards);
            a.unions.extend(b.unions);
            a
        })
}

/// Adds the terms `group` (indices into `terms`, all beginning with `key`) to `out`: as one
/// shard `key` when small enough or one term; else as shard `key` with the term that is `key`,
/// (for three characters or more) the prefix union of the others, and the others grouped by
/// their next character, each group split in turn.
fn split_into(
    out: &mut Shards,
    terms: &Terms<'_>,
    key: String,
    group: &[usize],
    split_bytes: usize,
) {
    let size: usize = group.iter().map(|&i| terms.entries[i].len() + 1).sum();
    if size <= split_bytes || group.len() == 1 {
        let entries: Vec<&str> = group.iter().map(|&i| terms.entries[i].as_str()).collect();
        out.shards.insert(key, entries.join(","));
        return;
    }
    let chars = key.chars().count();
    let mut longer: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in group {
        let term = &terms.scored[i].0;
        if *term == key {
            out.shards.insert(key.clone(), terms.entries[i].clone());
        } else {
            longer.entry(prefix(term, chars + 1)).or_default().push(i);
        }
    }
    if chars >= 3
        && let Some(union) = union_of(terms, group, &key)
    {
        out.unions.insert(key.clone(), union);
    }
    for (sub, group) in longer {
        split_into(out, terms, sub, &group, split_bytes);
    }
}

/// The prefix union of the terms of `group` other than `key`: `[[df, …],"postings"]`.
fn union_of(terms: &Terms<'_>, group: &[usize], key: &str) -> Option<String> {
    // For each document: the highest product, and the score and frequency that make it.
    let mut best: FxHashMap<u32, (f64, u8, usize)> = FxHashMap::default();
    for &i in group {
        let (term, list) = &terms.scored[i];
        if term == key {
            continue;
        }
        let weight = term_weight(list.len(), terms.documents, PREFIX_WEIGHT);
        for &(doc, score) in list {
            let product = f64::from(score) * weight;
            let slot = best.entry(doc).or_insert((f64::NEG_INFINITY, 0, 0));
            if product > slot.0 {
                *slot = (product, score, list.len());
            }
        }
    }
    if best.is_empty() {
        return None;
    }
    // The frequencies, the most used first (then the smaller), so that most postings take
    // the fewest digits.
    let mut uses: FxHashMap<usize, usize> = FxHashMap::default();
    for &(_, _, df) in best.values() {
        *uses.entry(df).or_default() += 1;
    }
    let mut classes: Vec<(usize, usize)> = uses.into_iter().collect();
    classes.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let class_of: FxHashMap<usize, u32> = classes
        .iter()
        .enumerate()
        .map(|(i, &(df, _))| (df, i as u32))
        .collect();
    let mut postings: Vec<(u32, u32, u8)> = best
        .into_iter()
        .map(|(doc, (_, score, df))| (doc, class_of[&df], score))
        .collect();
    postings.sort_unstable();
    let mut entry = String::from("[[");
    for (i, (df, _)) in classes.iter().enumerate() {
        if i > 0 {
            entry.push(',');
        }
        entry.push_str(itoa::Buffer::new().format(*df));
    }
    entry.push_str("],\"");
    push_classed(&mut entry, &postings, classes.len() as u32);
    entry.push_str("\"]");
    Some(entry)
}

/// The first `chars` characters of `term`.
pub(super) fn prefix(term: &str, chars: usize) -> String {
    term.chars().take(chars).collect()
}

/// A shard's file name: the UTF-8 bytes of its key in hex (the JavaScript computes the same).
pub fn shard_file(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::posting_entry;

    /// Terms with their postings, sorted by term.
    type Scored = Vec<(String, Vec<(u32, u8)>)>;

    /// The scored terms of `list` and their posting entries.
    fn terms_of(list: &[(&str, Vec<(u32, u8)>)]) -> (Scored, Vec<String>) {
        let scored: Scored = list
            .iter()
            .map(|(t, l)| (t.to_string(), l.clone()))
            .collect();
        let entries = scored
            .iter()
            .map(|(term, list)| posting_entry(term, list))
            .collect();
        (scored, entries)
    }

    #[test]
    fn small_groups_stay_whole_and_large_ones_split_with_a_union() {
        let (scored, entries) = terms_of(&[
            ("a", vec![(0, 10)]),
            ("pa", vec![(1, 10)]),
            ("pol", vec![(0, 50)]),
            ("pol-1", vec![(1, 60)]),
            ("pol-2", vec![(1, 70), (2, 20)]),
            ("policy", vec![(0, 30), (2, 30)]),
        ]);
        let terms = Terms {
            scored: &scored,
            entries: &entries,
            documents: 4,
        };
        // Everything fits: one shard per two characters.
        let whole = shard(&terms, 1 << 20);
        assert_eq!(whole.shards.keys().collect::<Vec<_>>(), ["a", "pa", "po"]);
        assert!(whole.unions.is_empty());
        // Split to the end: `po` holds no term of its own and has no union (two characters);
        // `pol` holds its term, and has the union of `pol-1`, `pol-2` and `policy`; `pol-`
        // has no term, and the union of its two. With 4 documents, a term found in one weighs ln(1 + 3.5 / 1.5) ·
        // 0.8 = 0.963, in two ln 2 · 0.8 = 0.555. In `pol`, document 0 is scored highest by
        // `policy` (30, df 2), document 1 by `pol-1` (60 · 0.963 = 57.8 over `pol-2`'s
        // 70 · 0.555 = 38.8), document 2 by `policy` (30 over 20): df 2 is used twice, so it
        // is class 0. The postings: 0·100 + 29 ("@"); (0·2 + 1)·100 + 59 = 159 = 3·45 + 24
        // ("S;"); 29 ("@"). In `pol-`, df 1 and 2 are used once each (the smaller first):
        // document 1 skips one, (1·2 + 0)·100 + 59 = 259 = 5·45 + 34 ("UE"); document 2,
        // (0·2 + 1)·100 + 19 = 119 = 2·45 + 29 ("R@").
        let split = shard(&terms, 8);
        assert_eq!(
            split.shards.keys().collect::<Vec<_>>(),
            ["a", "pa", "pol", "pol-1", "pol-2", "poli"]
        );
        assert_eq!(split.shards["pol"], "\"pol\":\"Q'\"");
        assert_eq!(split.shards["poli"], entries[5]);
        assert_eq!(split.unions.keys().collect::<Vec<_>>(), ["pol", "pol-"]);
        assert_eq!(split.unions["pol"], "[[2,1],\"@S;@\"]");
        assert_eq!(split.unions["pol-"], "[[1,2],\"UER@\"]");
        // `po` was split (a last word `po` then matches exactly, not as a prefix); `pa` not.
        assert_eq!(
            split.split_pairs(),
            FxHashSet::from_iter(["po".to_string()])
        );
        assert!(whole.split_pairs().is_empty());
    }
}
