//! Source text and the mapping from byte offsets to 1-based lines and columns.

use std::sync::Arc;

use crate::diagnostic::Position;

/// Line starts of a text, to turn byte offsets into positions.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text` (lines end at `\n`; a `\r` before it is part of the line).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text`; the column counts characters.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = text[self.starts[line]..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
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

    /// Lets go of the text and its line index (every position is then line 1).
    pub fn release_text(&mut self) {
        self.text = Default::default();
        self.lines = Arc::new(LineIndex::new(""));
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
}
