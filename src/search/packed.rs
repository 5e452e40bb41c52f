//! Posting lists packed into script strings: for each posting, the gap from the previous
//! document (the first from 0) and the score, each a number in base-45 digits. A digit is one
//! ASCII character from `#` to `}` without `\`, so the string needs no escapes: the 45 lower
//! values end a number, the 45 upper ones say that more digits follow (most significant
//! first). `search.js` reads it back with `unpack()`.
//!
//! The postings `[3,94,3316,45]` take 14 bytes as JSON and 8 packed (`&R'Qm?Q#`); a posting
//! of a document a few after the one before it takes 2 or 3.

/// Digits of each value: the lower half ends a number, the upper half continues it.
const BASE: u32 = 45;
/// The character of digit value 0 (`#`).
const FIRST: u8 = b'#';

/// The character of digit value `value` (0 to 89): `#` onwards, skipping `\`.
fn digit(value: u32) -> char {
    debug_assert!(value < 2 * BASE);
    let code = FIRST + value as u8;
    char::from(if code >= b'\\' { code + 1 } else { code })
}

/// Appends `n` in base-45 digits to `out`.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u32; 6];
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

/// Appends the packed form of `list` (documents in increasing order, with their scores) to
/// `out`, without quotes.
pub(super) fn push_packed(out: &mut String, list: &[(u32, u8)]) {
    let mut previous = 0;
    for &(doc, score) in list {
        push_number(out, doc - previous);
        push_number(out, u32::from(score));
        previous = doc;
    }
}

/// The postings of a packed string, as `search.js` reads them: `[doc, score, doc, score, …]`.
/// `None` for a character that is no digit, or a number left unfinished.
#[cfg(test)]
pub(super) fn unpack(text: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let (mut n, mut doc, mut first) = (0u32, 0u32, true);
    for c in text.bytes() {
        let value = match c {
            b'#'..=b'[' => u32::from(c - FIRST),
            b']'..=b'}' => u32::from(c - FIRST - 1),
            _ => return None,
        };
        if value >= BASE {
            n = n * BASE + (value - BASE);
            continue;
        }
        n = n * BASE + value;
        if first {
            doc += n;
            out.push(doc);
        } else {
            out.push(n);
        }
        first = !first;
        n = 0;
    }
    (first && n == 0).then_some(out)
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
        // 0 and 94 (2·45 + 4); a gap of 3316 (1·45² + 28·45 + 31) and 45 (1·45 + 0).
        assert_eq!(packed(&[(0, 94), (3316, 45)]), "#R'QmBQ#");
        assert_eq!(packed(&[(3, 94), (3316, 45)]), "&R'Qm?Q#");
        assert_eq!(packed(&[(3, 1), (4, 44)]), "&$$O");
        // The 45 ending digits run from `#` to `O`, the continuing ones from `P` to `}`,
        // without `\`.
        let digits: String = (0..90).map(digit).collect();
        assert_eq!(
            digits,
            "#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}"
        );
        assert_eq!(unpack("#R'QmBQ#"), Some(vec![0, 94, 3316, 45]));
    }

    #[test]
    fn unfinished_or_foreign_text_is_refused() {
        assert_eq!(unpack("#"), None);
        assert_eq!(unpack("#P"), None);
        assert_eq!(unpack("#\\"), None);
        assert_eq!(unpack("# "), None);
    }

    proptest! {
        #[test]
        fn packing_is_undone_by_unpacking(
            gaps in proptest::collection::vec((0u32..200_000, 1u8..=255), 0..40)
        ) {
            let mut doc = 0u32;
            let list: Vec<(u32, u8)> = gaps
                .iter()
                .enumerate()
                .map(|(i, &(gap, score))| {
                    doc += if i == 0 { gap } else { gap + 1 };
                    (doc, score)
                })
                .collect();
            let text = packed(&list);
            let is_digit = |b: u8| (FIRST..=b'}').contains(&b) && b != b'\\';
            prop_assert!(text.bytes().all(is_digit), "{}", text);
            let flat: Vec<u32> = list.iter().flat_map(|&(d, s)| [d, u32::from(s)]).collect();
            prop_assert_eq!(unpack(&text), Some(flat));
        }
    }
}
