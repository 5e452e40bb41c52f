//! The tokenizer: the search terms of a text, the same for the index and for the JavaScript
//! query. ASCII text, the common case, takes a fast path.

use super::scan::{ALNUM, BYTE_CLASS, LANE_HIGHS, LANE_ONES, SPACE, UPPER, find_byte};

/// Longest term indexed.
const MAX_TERM_CHARS: usize = 40;

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

    /// The eight-byte scans stop at exactly the bytes of their tables, whatever the lane.
    #[test]
    fn lower_alnum_runs_end_where_the_table_says() {
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
    }
}
