//! Byte classes and the eight-bytes-at-a-time byte search: the scanning primitives of the
//! tokenizer, the snippet text and the script-string writer.

/// Whitespace, in [`BYTE_CLASS`].
pub(super) const SPACE: u8 = 1;
/// Alphanumeric, in [`BYTE_CLASS`].
pub(super) const ALNUM: u8 = 2;
/// Upper case, in [`BYTE_CLASS`] (with [`ALNUM`]).
pub(super) const UPPER: u8 = 4;

/// The class of every byte: whitespace as `char::is_whitespace` sees it in ASCII (space, \t,
/// \n, \x0B, \x0C, \r), alphanumeric, upper case.
pub(super) const BYTE_CLASS: [u8; 256] = {
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

/// A byte repeated in each of the eight lanes of a `u64`: `LANE_ONES * byte`.
pub(super) const LANE_ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each lane.
pub(super) const LANE_HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each lane of `lanes` that is zero (exact in the lowest such lane; a borrow
/// may set lanes above it).
pub(super) fn zero_lanes(lanes: u64) -> u64 {
    lanes.wrapping_sub(LANE_ONES) & !lanes & LANE_HIGHS
}

/// The offset of the first byte at or after `from` that `is_match`, or the length of `bytes`,
/// tested eight bytes at a time: `candidates` sets the high bit of the lane of every match
/// among eight little-endian bytes (and perhaps of other lanes, above the lowest or rejected
/// by `is_match`).
pub(super) fn find_byte(
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
