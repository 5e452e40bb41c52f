//! Posting lists packed into script strings: each posting, a document and its score (1 to
//! 100), is one number, the documents skipped since the previous posting (for the first, the
//! document itself) times 100 plus the score less 1, in base-45 digits. A digit is one ASCII
//! character from `#` to `}` without `\`, so the string needs no escapes: the 45 lower values
//! end a number, the 45 upper ones say that more digits follow (most significant first).
//! `search.js` reads it back with `unpack()`.
//!
//! The postings `[3,94,3316,45]` take 14 bytes as JSON and 6 packed (`XDSmjO`); a posting of
//! the document after the one before it takes 2 bytes, or 1 with a score of 45 or less.
//!
//! A list is written *dense* instead where that is shorter (a term found in most documents):
//! `!` and the digit of an offset (0 to 11), then one character a document from document 0 to
//! the last of the list: `#` where the term is absent, else the digit of its score less the
//! offset (1 to 89), or, for a score out of that range, `~` and the digit of the score less 1
//! (scores 1 to 90) or `!` and the digit of the score less 91 (91 to 100). The offset is the
//! one that leaves fewest scores out of range. A word of each of 10,000 documents, most of
//! them scored above 45, takes 10 KB so instead of 20 KB.

/// Digits of each value: the lower half ends a number, the upper half continues it.
const BASE: u64 = 45;
/// Scores run from 1 to this.
const SCORES: u64 = 100;
/// The character of digit value 0 (`#`).
const FIRST: u8 = b'#';
/// The first character of a dense list; in the list, the character before the digit of a
/// score of 91 to 100 less 91.
const DENSE: char = '!';
/// In a dense list, the character before the digit of a score of 1 to 90 less 1.
const LOW: char = '~';
/// The highest score `LOW` escapes: one for each digit value.
const LOW_ESCAPED: u8 = 2 * BASE as u8;
/// The largest offset of a dense list: its one-character scores are then 12 to 100.
const MAX_OFFSET: u8 = 11;
/// Scores a dense list writes in one character: the offset plus 1 to this.
const ONE_CHARACTER: u8 = 89;

/// The character of digit value `value` (0 to 89): `#` onwards, skipping `\`.
fn digit(value: u64) -> char {
    debug_assert!(value < 2 * BASE);
    let code = FIRST + value as u8;
    char::from(if code >= b'\\' { code + 1 } else { code })
}

/// Appends `n` in base-45 digits to `out`.
fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u64; 12];
    let mut count = 0;
    loop {
        digits[count] = n % BASE;
        count += 1;
        n /= BASE;
        if n == 0 {
            break;
        }
    }
    for &d in digits[1..count].iter().rev() {
        out.push(digit(BASE + d));
    }
    out.push(digit(digits[0]));
}

/// Appends the packed form of `list` (documents in increasing order, with their scores from 1
/// to 100) to `out`, without quotes: sparse, or dense where that is shorter.
pub(super) fn push_packed(out: &mut String, list: &[(u32, u8)]) {
    let start = out.len();
    push_sparse(out, list);
    let sparse = out.len() - start;
    // A dense list is at least its two characters and one a document up to its last.
    if list
        .last()
        .is_some_and(|&(last, _)| 3 + (last as usize) < sparse)
    {
        let mut dense = String::with_capacity(sparse);
        push_dense(&mut dense, list, dense_offset(list));
        if dense.len() < sparse {
            out.truncate(start);
            out.push_str(&dense);
        }
    }
}

/// Appends `list` as one posting after another.
fn push_sparse(out: &mut String, list: &[(u32, u8)]) {
    let mut next = 0;
    for &(doc, score) in list {
        push_posting(out, u64::from(doc - next), u64::from(score));
        next = doc + 1;
    }
}

/// Whether a dense list with `offset` writes `score` in one character.
fn in_range(score: u8, offset: u8) -> bool {
    score > offset && score - offset <= ONE_CHARACTER
}

/// The offset of a dense list that leaves the fewest scores of `list` out of range (the
/// smallest of those).
fn dense_offset(list: &[(u32, u8)]) -> u8 {
    let mut counts = [0usize; 101];
    for &(_, score) in list {
        counts[usize::from(score.clamp(1, SCORES as u8))] += 1;
    }
    (0..=MAX_OFFSET)
        .min_by_key(|&offset| {
            let out: usize = (1..=100u8)
                .filter(|&s| !in_range(s, offset))
                .map(|s| counts[usize::from(s)])
                .sum();
            (out, offset)
        })
        .expect("offsets")
}

/// Appends `list` as one character a document, from document 0 to its last, with `offset`.
fn push_dense(out: &mut String, list: &[(u32, u8)], offset: u8) {
    out.push(DENSE);
    out.push(digit(u64::from(offset)));
    let mut next = 0;
    for &(doc, score) in list {
        out.extend(std::iter::repeat_n(digit(0), (doc - next) as usize));
        let score = score.clamp(1, SCORES as u8);
        if in_range(score, offset) {
            out.push(digit(u64::from(score - offset)));
        } else if score <= LOW_ESCAPED {
            out.push(LOW);
            out.push(digit(u64::from(score - 1)));
        } else {
            out.push(DENSE);
            out.push(digit(u64::from(score - LOW_ESCAPED - 1)));
        }
        next = doc + 1;
    }
}

/// Appends the packed form of `list`, postings `(document, class, score)` with a class each
/// below `classes` (the prefix unions of `shards`), to `out`: as [`push_packed`], with the
/// documents skipped times `classes` plus the class in place of the documents skipped.
pub(super) fn push_classed(out: &mut String, list: &[(u32, u32, u8)], classes: u32) {
    let mut next = 0;
    for &(doc, class, score) in list {
        let skipped = u64::from(doc - next) * u64::from(classes) + u64::from(class);
        push_posting(out, skipped, u64::from(score));
        next = doc + 1;
    }
}

/// Appends one posting: `skipped` times 100 plus the score less 1.
fn push_posting(out: &mut String, skipped: u64, score: u64) {
    push_number(out, skipped * SCORES + score.clamp(1, SCORES) - 1);
}

/// The postings of a packed string, as `search.js` reads them: `[doc, score, doc, score, …]`.
/// `None` for a character that is no digit, or a number left unfinished.
#[cfg(test)]
pub(super) fn unpack(text: &str) -> Option<Vec<u64>> {
    if let Some(dense) = text.strip_prefix(DENSE) {
        return unpack_dense(dense);
    }
    let triples = unpack_classed(text, 1)?;
    Some(triples.chunks(3).flat_map(|t| [t[0], t[1]]).collect())
}

/// The value of digit character `c` (the inverse of [`digit`]); `None` for any other.
#[cfg(test)]
fn digit_value(c: u8) -> Option<u64> {
    match c {
        b'#'..=b'[' => Some(u64::from(c - FIRST)),
        b']'..=b'}' => Some(u64::from(c - FIRST - 1)),
        _ => None,
    }
}

/// The postings of a dense list, its `!` taken off: `[doc, score, …]`.
#[cfg(test)]
fn unpack_dense(text: &str) -> Option<Vec<u64>> {
    let value = |c: Option<u8>| digit_value(c?);
    let mut bytes = text.bytes();
    let offset = value(bytes.next())?;
    if offset > u64::from(MAX_OFFSET) {
        return None;
    }
    let mut out = Vec::new();
    let mut doc = 0;
    while let Some(c) = bytes.next() {
        let score = match c {
            b'~' => 1 + value(bytes.next())?,
            b'!' => u64::from(LOW_ESCAPED) + 1 + value(bytes.next())?,
            _ => match value(Some(c))? {
                0 => 0,
                v => v + offset,
            },
        };
        if score > SCORES {
            return None;
        }
        if score > 0 {
            out.extend([doc, score]);
        }
        doc += 1;
    }
    Some(out)
}

/// The postings of a string of [`push_classed`]: `[doc, score, class, …]`.
#[cfg(test)]
pub(super) fn unpack_classed(text: &str, classes: u64) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let (mut n, mut next, mut open) = (0u64, 0u64, false);
    for c in text.bytes() {
        let value = digit_value(c)?;
        n = n * BASE + value % BASE;
        open = value >= BASE;
        if open {
            continue;
        }
        let doc = next + n / SCORES / classes;
        out.extend([doc, n % SCORES + 1, n / SCORES % classes]);
        next = doc + 1;
        n = 0;
    }
    (!open).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn packed(list: &[(u32, u8)]) -> String {
        let mut out = String::new();
        push_packed(&mut out, list);
        out
    }

    #[test]
    fn postings_pack_to_these_characters() {
        assert_eq!(packed(&[]), "");
        // Document 0 with score 94: 93 (2·45 + 3); 3316 with 45: 3315 skipped, 331,544
        // (3·45³ + 28·45² + 32·45 + 29).
        assert_eq!(packed(&[(0, 94), (3316, 45)]), "R&Smq@");
        // Document 3 with 94: 393 (8·45 + 33); then 3312 skipped: 331,244
        // (3·45³ + 28·45² + 25·45 + 44).
        assert_eq!(packed(&[(3, 94), (3316, 45)]), "XDSmjO");
        // The next document with a score of 45 or less is one character; 46 to 100, two.
        assert_eq!(packed(&[(0, 1), (1, 45), (2, 46), (3, 100)]), "#OQ#R,");
        // The 45 ending digits run from `#` to `O`, the continuing ones from `P` to `}`,
        // without `\`.
        let digits: String = (0..90).map(digit).collect();
        assert_eq!(
            digits,
            "#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}"
        );
        assert_eq!(unpack("R&Smq@"), Some(vec![0, 94, 3316, 45]));
    }

    #[test]
    fn a_list_of_most_documents_is_dense_where_that_is_shorter() {
        // Sparse, each posting is two characters (a score of 50 is 49, one continuing digit):
        // eight. Dense, `!`, the offset 0 (`#`) and one character a document: six.
        assert_eq!(packed(&[(0, 50), (1, 50), (2, 50), (3, 50)]), "!#UUUU");
        // With a score of 95, offset 6 (`)`) writes every score in one character: 50 is 44
        // (`O`), 95 is 89 (`}`); document 1 is absent (`#`).
        let list = [(0, 50), (2, 95), (3, 50), (4, 50), (5, 50)];
        assert_eq!(packed(&list), "!)O#}OOO");
        assert_eq!(
            unpack("!)O#}OOO"),
            Some(vec![0, 50, 2, 95, 3, 50, 4, 50, 5, 50])
        );
        // Six scores of 100 take offset 11 (`.`), 100 is 89 (`}`); a score of 1 is then out
        // of range: `~` and the digit of 0.
        let list = [
            (0, 100),
            (1, 100),
            (2, 100),
            (3, 100),
            (4, 100),
            (5, 100),
            (6, 1),
        ];
        assert_eq!(packed(&list), "!.}}}}}}~#");
        // Scores of 1 keep offset 0; 95 is then out of range: `!` and the digit of 4 (`'`).
        let list = [(0, 1), (1, 60), (2, 95), (3, 60), (4, 60), (5, 1), (6, 60)];
        assert_eq!(packed(&list), "!#$`!'``$`");
        assert_eq!(
            unpack("!#$`!'``$`"),
            Some(vec![0, 1, 1, 60, 2, 95, 3, 60, 4, 60, 5, 1, 6, 60])
        );
        // Longer dense (2 + 4 + one score out of range): sparse.
        assert_eq!(packed(&[(0, 1), (1, 45), (2, 46), (3, 100)]), "#OQ#R,");
        // As long either way (`!#}V`, and seven characters dense with 95 out of range): sparse.
        assert_eq!(packed(&[(0, 89), (1, 51)]), "QNQ(");
        assert_eq!(packed(&[(0, 1), (1, 60), (2, 95), (3, 60)]), "#Q1R'Q1");
        // One shorter dense (`!#}VV`, sparse `QNQ(Q(`).
        assert_eq!(packed(&[(0, 89), (1, 51), (2, 51)]), "!#}VV");
        // Escapes reach 90 and 100 exactly.
        assert_eq!(unpack("!#~}!,"), Some(vec![0, 90, 1, 100]));
        // An offset past 11, a score past 100, an unfinished escape, a foreign character or
        // no offset at all is refused.
        assert_eq!(unpack("!/"), None);
        assert_eq!(unpack("!#!-"), None);
        assert_eq!(unpack("!.~"), None);
        assert_eq!(unpack("!# "), None);
        assert_eq!(unpack("!"), None);
    }

    #[test]
    fn classed_postings_carry_their_class() {
        let mut out = String::new();
        // Document 0 of class 1 with 50: (0·3 + 1)·100 + 49 = 149; document 2 of class 2 with
        // 7: (1·3 + 2)·100 + 6 = 506.
        push_classed(&mut out, &[(0, 1, 50), (2, 2, 7)], 3);
        assert_eq!(out, "S1[.");
        assert_eq!(unpack_classed(&out, 3), Some(vec![0, 50, 1, 2, 7, 2]));
    }

    #[test]
    fn unfinished_or_foreign_text_is_refused() {
        assert_eq!(unpack("P"), None);
        assert_eq!(unpack("#P"), None);
        assert_eq!(unpack("#\\"), None);
        assert_eq!(unpack("# "), None);
    }

    /// Postings from `(gap, score)` pairs: the first document is its gap, each next one the
    /// gap past the one before.
    fn postings_after(gaps: &[(u32, u8)]) -> Vec<(u32, u8)> {
        let mut doc = 0u32;
        gaps.iter()
            .enumerate()
            .map(|(i, &(gap, score))| {
                doc += if i == 0 { gap } else { gap + 1 };
                (doc, score)
            })
            .collect()
    }

    /// `[doc, score, …]`, as `unpack` gives them.
    fn flatten(list: &[(u32, u8)]) -> Vec<u64> {
        list.iter()
            .flat_map(|&(d, s)| [u64::from(d), u64::from(s)])
            .collect()
    }

    proptest! {
        #[test]
        fn packing_is_undone_by_unpacking(
            gaps in proptest::collection::vec((0u32..200_000, 1u8..=100), 0..40)
        ) {
            let list = postings_after(&gaps);
            let text = packed(&list);
            let is_digit = |b: u8| (FIRST..=b'}').contains(&b) && b != b'\\';
            prop_assert!(text.bytes().all(is_digit), "{}", text);
            let flat = flatten(&list);
            prop_assert_eq!(unpack(&text), Some(flat));
        }

        #[test]
        fn close_postings_unpack_and_take_the_shorter_form(
            gaps in proptest::collection::vec((0u32..4, 1u8..=100), 1..60)
        ) {
            let list = postings_after(&gaps);
            let text = packed(&list);
            let mut sparse = String::new();
            push_sparse(&mut sparse, &list);
            let mut dense = String::new();
            push_dense(&mut dense, &list, dense_offset(&list));
            prop_assert_eq!(text.len(), sparse.len().min(dense.len()));
            for offset in 0..=MAX_OFFSET {
                let mut other = String::new();
                push_dense(&mut other, &list, offset);
                prop_assert!(dense.len() <= other.len(), "offset {}: {}", offset, other);
                prop_assert_eq!(unpack(&other), unpack(&dense));
            }
            let flat = flatten(&list);
            prop_assert_eq!(unpack(&sparse), Some(flat.clone()));
            prop_assert_eq!(unpack(&dense), Some(flat.clone()));
            prop_assert_eq!(unpack(&text), Some(flat));
        }
    }
}
