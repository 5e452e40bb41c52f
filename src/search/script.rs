//! Script files: JSON string literals that are safe inside a script, and writing the files.
//! Every search file is a script that hands its data to `annexaSearch`.

use super::scan::{LANE_HIGHS, LANE_ONES, find_byte, zero_lanes};
use crate::error::Fatal;
use crate::write::Tree;

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
pub(super) fn push_script_string(out: &mut String, text: &str) {
    out.push('"');
    push_script_string_content(out, text);
    out.push('"');
}

/// Appends `text` escaped for the inside of a JSON string literal in a script, a run of plain
/// bytes at a time: serde_json's escapes, plus `<`, U+2028 and U+2029 as `\uXXXX`.
pub(super) fn push_script_string_content(out: &mut String, text: &str) {
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

/// The text of the inside of a string literal that [`push_script_string_content`] wrote: its
/// escapes undone (other input is taken as it is); the tests' check of the escapes.
#[cfg(test)]
fn unescape_script_string(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let (ch, used) = match tail.as_bytes().first() {
            Some(b'n') => ('\n', 1),
            Some(b'r') => ('\r', 1),
            Some(b't') => ('\t', 1),
            Some(b'b') => ('\u{8}', 1),
            Some(b'f') => ('\u{c}', 1),
            Some(b'u') => match tail
                .get(1..5)
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32)
            {
                Some(ch) => (ch, 5),
                None => ('\\', 0),
            },
            Some(_) => match tail.chars().next() {
                Some(ch) => (ch, ch.len_utf8()),
                None => ('\\', 0),
            },
            None => ('\\', 0),
        };
        out.push(ch);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

/// Writes `text` to `rel` in the site folder `out`.
pub(super) fn write_script(out: &Tree, rel: &str, text: &str) -> Result<(), Fatal> {
    crate::write::write_file(out, rel, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let inside = &written[1..written.len() - 1];
            assert_eq!(unescape_script_string(inside), sample, "{sample:?}");
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
    fn escapes_are_found_where_the_table_says() {
        let bytes: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for from in 0..bytes.len() {
            let expected = (from..bytes.len())
                .find(|&i| NEEDS_ESCAPE[bytes[i] as usize])
                .unwrap_or(bytes.len());
            assert_eq!(next_needing_escape(&bytes, from), expected, "from {from}");
        }
    }
}
