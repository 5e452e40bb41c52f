//! Source text and the mapping from byte offsets to 1-based lines and columns.

use std::sync::{Arc, OnceLock};

use crate::diagnostic::Position;

/// Line starts of a text, to turn byte offsets into positions.
///
/// A column counts the characters from the line's start to the offset. On a long line (a
/// paragraph of thousands of links written on one line) counting from the line's start for
/// every offset would take time in the square of the line's length, so lines longer than
/// [`CHECKPOINT_STRIDE`] get checkpoints, every `CHECKPOINT_STRIDE` bytes, of the column there;
/// a position counts from the nearest checkpoint before it. They are made the first time a
/// position on such a line is asked for, so a text with short lines never pays for them.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    checkpoints: OnceLock<Vec<Checkpoint>>,
}

/// How far apart checkpoints are, in bytes: a position counts at most this many bytes.
pub const CHECKPOINT_STRIDE: usize = 512;

/// A place on a long line, on a character boundary, and the column of the character there.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    column: usize,
}

impl LineIndex {
    /// Indexes the line starts of `text` (lines end at `\n`; a `\r` before it is part of the line).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            checkpoints: OnceLock::new(),
        }
    }

    /// The position of byte `offset` in `text` (the text this index was made for); the column
    /// counts characters.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let (from, column) = if offset - start <= CHECKPOINT_STRIDE {
            (start, 1)
        } else {
            let checkpoints = self.checkpoints.get_or_init(|| self.checkpoints_of(text));
            let after = checkpoints.partition_point(|c| c.offset <= offset);
            match after.checked_sub(1).map(|i| checkpoints[i]) {
                Some(c) if c.offset >= start => (c.offset, c.column),
                _ => (start, 1),
            }
        };
        Position {
            line: line as u32 + 1,
            column: (column + text[from..offset].chars().count()) as u32,
        }
    }

    /// Checkpoints of every line of `text` longer than the stride, in offset order.
    fn checkpoints_of(&self, text: &str) -> Vec<Checkpoint> {
        let mut checkpoints = Vec::new();
        let ends = self.starts.iter().skip(1).copied().chain([text.len()]);
        for (&start, end) in self.starts.iter().zip(ends) {
            let mut at = start;
            let mut column = 1;
            while end - at > CHECKPOINT_STRIDE {
                let next = floor_char_boundary(text, at + CHECKPOINT_STRIDE);
                column += text[at..next].chars().count();
                at = next;
                checkpoints.push(Checkpoint { offset: at, column });
            }
        }
        checkpoints
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A file's text, its path relative to the project root, and its line index. The text and the
/// index are shared, so a copy (as `serve` keeps of every document) costs no copy of the text.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    /// The text, without a leading byte order mark.
    pub text: Arc<String>,
    lines: Arc<LineIndex>,
}

impl SourceText {
    /// Wraps `text` read from `path`, dropping a UTF-8 byte order mark.
    pub fn new(path: impl Into<String>, text: String) -> Self {
        let text = without_bom(text);
        let lines = LineIndex::new(&text);
        SourceText {
            path: path.into(),
            text: Arc::new(text),
            lines: Arc::new(lines),
        }
    }

    /// The position of byte `offset` of the text.
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }

    /// The byte offset of `position` (line and character column), if the text has it.
    pub fn offset(&self, position: Position) -> Option<usize> {
        offset_of(&self.text, position)
    }

    /// Lets go of the text and its line index (every position is then line 1).
    pub fn release_text(&mut self) {
        self.text = Default::default();
        self.lines = Arc::new(LineIndex::new(""));
    }
}

/// The byte offset in `text` of `position` (1-based line, column in characters), if the text
/// has that line and column (one past the line's last character is the line's end).
pub fn offset_of(text: &str, position: Position) -> Option<usize> {
    let line = position.line.checked_sub(1)? as usize;
    let start = if line == 0 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 1)? + 1
    };
    let rest = &text[start..];
    let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let column = position.column.checked_sub(1)? as usize;
    match line_text.char_indices().nth(column) {
        Some((i, _)) => Some(start + i),
        None if line_text.chars().count() == column => Some(start + line_text.len()),
        None => None,
    }
}

/// `text` without a leading UTF-8 byte order mark.
pub fn without_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\r\nçd\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 4), Position { line: 2, column: 1 });
        // 'd' follows a two-byte character: byte 6, column 2.
        assert_eq!(index.position(text, 6), Position { line: 2, column: 2 });
        assert_eq!(index.position(text, 8), Position { line: 3, column: 1 });
        assert_eq!(index.position(text, 99), Position { line: 3, column: 2 });
    }

    #[test]
    fn positions_on_one_long_line_count_every_character_before_them() {
        // A first short line, then one line of 100,000 links, each after a multi-byte
        // character: `é` is two bytes, `€` three, so columns and bytes part ways.
        let mut text = String::from("first line\n");
        let mut expected = Vec::new();
        let mut column = 1;
        for i in 0..100_000 {
            let pad = if i % 2 == 0 { "é " } else { "€ " };
            text.push_str(pad);
            column += 2;
            expected.push((text.len(), column));
            text.push_str("[x](a.md) ");
            column += 10;
        }
        text.push_str("\nlast");
        let index = LineIndex::new(&text);
        // In order, out of order, and the same offset again: each is exact.
        for &(offset, column) in expected.iter().chain(expected.iter().rev().step_by(7)) {
            assert_eq!(
                index.position(&text, offset),
                Position { line: 2, column },
                "byte {offset}"
            );
        }
        // The space after `€`, then a byte inside `€`: the position of the character.
        let (offset, column) = expected[1];
        assert_eq!(
            index.position(&text, offset - 1),
            Position {
                line: 2,
                column: column - 1
            }
        );
        assert_eq!(
            index.position(&text, offset - 2),
            Position {
                line: 2,
                column: column - 2
            }
        );
        let last = text.len() - 4;
        assert_eq!(index.position(&text, last), Position { line: 3, column: 1 });
        assert_eq!(index.position(&text, last - 1).line, 2);
    }
}
