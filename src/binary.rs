//! The pieces of annexa's binary cache files (`.NAME.annexa-search`, `.NAME.annexa-outline`):
//! LEB128 numbers, length-prefixed byte strings, little-endian fixed-width numbers, CRC-32
//! checks and the build stamp that says which build of annexa wrote a file.

use std::fs;

/// `len` bytes of `file` from `offset`.
pub(crate) fn read_at(file: &fs::File, offset: u64, len: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0; len];
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(&mut bytes, offset).ok()?;
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = file;
        file.seek(SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut bytes).ok()?;
    }
    Some(bytes)
}

/// The check of `bytes`.
pub(crate) fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// annexa's version and the stamp of its executable: what a cache holds is what this build of
/// annexa makes of a document.
pub(crate) fn stamp() -> Vec<u8> {
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        crate::write::executable_stamp()
    )
    .into_bytes()
}

/// Reads the numbers and byte strings of a cache file.
pub(crate) struct Reader<'a> {
    /// The bytes read.
    pub(crate) bytes: &'a [u8],
    /// Where the next read starts.
    pub(crate) at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }

    pub(crate) fn number(&mut self) -> Option<usize> {
        let mut value = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    pub(crate) fn slice(&mut self) -> Option<&'a [u8]> {
        let n = self.number()?;
        self.take(n)
    }

    /// A little-endian number of `N` bytes.
    pub(crate) fn fixed<const N: usize>(&mut self) -> Option<u64> {
        let mut bytes = [0; 8];
        bytes[..N].copy_from_slice(self.take(N)?);
        Some(u64::from_le_bytes(bytes))
    }
}

/// Appends `value` as a LEB128 varint.
pub(crate) fn push_number(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}
