use proptest::prelude::*;
use rustc_hash::FxHashSet;

use super::*;
use crate::search::heads::{Postings, Ranked, rank_all};

type Scored = Vec<(String, Vec<(u32, u8)>)>;

fn postings<'a>(terms: &'a Scored, documents: usize, split: &'a FxHashSet<String>) -> Postings<'a> {
    Postings {
        terms,
        documents,
        split,
    }
}

fn digests(terms: &Scored) -> Vec<ListDigest> {
    terms.iter().map(|(_, list)| list_digest(list)).collect()
}

/// The record a build of `terms` would keep (no files).
fn record(
    terms: &Scored,
    documents: usize,
    split: &FxHashSet<String>,
    ranked: &Ranked,
) -> HeadsRecord {
    HeadsRecord {
        documents,
        split: split_digest(split.iter()),
        terms: terms
            .iter()
            .zip(digests(terms))
            .map(|((t, _), d)| (t.clone(), d))
            .collect(),
        heads: ranked
            .iter()
            .map(|(key, _, count, page)| (key.clone(), (*count, page.clone())))
            .collect(),
        files: Vec::new(),
    }
}

/// `terms` ranked with what still holds of the record of `before`'s ranking.
fn ranked_after(
    before: &Scored,
    terms: &Scored,
    documents: (usize, usize),
    split: &FxHashSet<String>,
) -> (Ranked, usize) {
    let (old, _) = rank_all(&postings(before, documents.0, split), None);
    let previous = record(before, documents.0, split, &old);
    let digests = digests(terms);
    let now = Terms {
        scored: terms,
        digests: &digests,
    };
    let reuse = Reuse::new(&previous, &now, documents.1, &split_digest(split.iter()));
    rank_all(&postings(terms, documents.1, split), reuse.as_ref())
}

fn scored(terms: &[(&str, &[(u32, u8)])]) -> Scored {
    terms
        .iter()
        .map(|(t, l)| (t.to_string(), l.to_vec()))
        .collect()
}

#[test]
fn a_record_reads_back_and_a_record_cut_short_or_with_more_is_not_one() {
    let terms = scored(&[("access", &[(0, 40), (2, 9)]), ("pol-005", &[(1, 100)])]);
    let split = FxHashSet::from_iter(["po".to_string()]);
    let (ranked, _) = rank_all(&postings(&terms, 3, &split), None);
    let mut written = record(&terms, 3, &split, &ranked);
    written.files = vec![WrittenFile {
        signature: [7; 32],
        file: [9; 32],
        bytes: 300,
    }];
    let digests = digests(&terms);
    let now = Terms {
        scored: &terms,
        digests: &digests,
    };
    let bytes = encode(3, &written.split, &now, &ranked, &written.files);
    assert_eq!(decode(&bytes), Some(written));
    assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
    let mut more = bytes.clone();
    more.push(0);
    assert_eq!(decode(&more), None);
    assert_eq!(decode(&[]), None);
    // A count of terms, heads or files past what the bytes hold is not one: 3 documents, the
    // split digest, then no terms and no heads before the count that is too large.
    let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
    for before in 0..3 {
        let mut damaged = vec![3];
        damaged.extend_from_slice(&[0; 32]);
        damaged.extend(std::iter::repeat_n(0, before));
        damaged.extend_from_slice(&huge);
        assert_eq!(decode(&damaged), None, "after {before} empty counts");
    }
}

#[test]
fn changed_terms_are_those_with_other_postings_and_those_of_one_build_only() {
    let old = scored(&[("a", &[(0, 1)]), ("b", &[(0, 1)]), ("d", &[(1, 5)])]);
    let new = scored(&[
        ("b", &[(0, 2)]),
        ("c", &[(0, 1)]),
        ("d", &[(1, 5)]),
        ("e", &[(2, 1)]),
    ]);
    let old: Vec<(String, ListDigest)> = old
        .iter()
        .map(|(t, l)| (t.clone(), list_digest(l)))
        .collect();
    let digests = digests(&new);
    let now = Terms {
        scored: &new,
        digests: &digests,
    };
    assert_eq!(changed_terms(&old, &now), ["a", "b", "c", "e"]);
    assert_eq!(changed_terms(&[], &now), ["b", "c", "d", "e"]);
}

#[test]
fn a_result_is_taken_unless_a_term_its_query_matches_changed() {
    let before = scored(&[
        ("access", &[(0, 40)]),
        ("acid", &[(1, 9)]),
        ("bank", &[(2, 9)]),
    ]);
    let after = scored(&[
        ("access", &[(0, 40)]),
        ("acid", &[(1, 10)]),
        ("bank", &[(2, 9)]),
    ]);
    let none = FxHashSet::default();
    let (ranked, again) = ranked_after(&before, &after, (3, 3), &none);
    // "ac" (a prefix of both) and "aci", "acid" are ranked again; "acc…" and "b…" are not.
    assert_eq!(again, 3);
    assert_eq!(ranked, rank_all(&postings(&after, 3, &none), None).0);
    // Another number of documents or other split shards: every word is ranked again.
    assert_eq!(ranked_after(&before, &after, (3, 4), &none).1, ranked.len());
    let (old, _) = rank_all(&postings(&before, 3, &none), None);
    let previous = record(&before, 3, &none, &old);
    let digests = digests(&after);
    let now = Terms {
        scored: &after,
        digests: &digests,
    };
    let split = FxHashSet::from_iter(["ac".to_string()]);
    assert!(Reuse::new(&previous, &now, 3, &split_digest(split.iter())).is_none());
}

#[test]
fn a_word_that_matches_only_itself_is_not_ranked_again_for_a_longer_term() {
    // "ac" is split: a last word of two characters matches only the term itself.
    let split = FxHashSet::from_iter(["ac".to_string()]);
    let before = scored(&[("ac", &[(0, 40)]), ("acid", &[(1, 9)])]);
    let after = scored(&[("ac", &[(0, 40)]), ("acid", &[(1, 10)])]);
    let (ranked, again) = ranked_after(&before, &after, (2, 2), &split);
    // "aci" and "acid" only.
    assert_eq!(again, 2);
    assert_eq!(ranked, rank_all(&postings(&after, 2, &split), None).0);
}

/// A small corpus: terms from a few letters and separators (so that prefixes, words of several
/// terms and two-letter words are common), each with postings over ten documents.
fn corpus() -> impl Strategy<Value = Scored> {
    let term = "[ab]{1,3}(-[ab1]{1,2})?";
    let list = prop::collection::btree_map(0u32..10, 1u8..=100, 1..4);
    prop::collection::btree_map(term, list, 1..12).prop_map(|terms| {
        terms
            .into_iter()
            .map(|(t, l)| (t, l.into_iter().collect()))
            .collect()
    })
}

proptest! {
    #[test]
    fn ranking_with_the_previous_record_is_ranking_afresh(
        before in corpus(),
        after in corpus(),
        split in prop::collection::hash_set("[ab]{2}", 0..3),
    ) {
        let split: FxHashSet<String> = split.into_iter().collect();
        let fresh = rank_all(&postings(&after, 10, &split), None).0;
        // Another corpus, and the same one with its first term's postings changed.
        prop_assert_eq!(&ranked_after(&before, &after, (10, 10), &split).0, &fresh);
        let mut edited = after.clone();
        edited[0].1[0].1 = edited[0].1[0].1 % 100 + 1;
        let fresh = rank_all(&postings(&edited, 10, &split), None).0;
        prop_assert_eq!(ranked_after(&after, &edited, (10, 10), &split).0, fresh);
    }
}
