//! Front matter: `frontmatter::split` and `frontmatter::parse` on arbitrary text, as
//! `document.rs` calls them. Neither may panic; the split's ranges lie inside the text on
//! character boundaries, and every diagnostic's line and column lie within the text.
#![no_main]

use annexa::diagnostic::Position;
use annexa::frontmatter;
use annexa::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let source = SourceText::new("policies/a.md", input.to_string());
    let text = source.text.as_str();
    let mut out = Vec::new();
    match frontmatter::split(text) {
        Ok(split) => {
            assert!(split.toml.start <= split.toml.end, "{split:?}");
            assert!(split.toml.end <= split.body_start, "{split:?}");
            assert!(split.body_start <= text.len(), "{split:?}");
            for at in [split.toml.start, split.toml.end, split.body_start] {
                assert!(text.is_char_boundary(at), "{split:?}");
            }
            let _ = frontmatter::parse(&source, split.toml, &mut out);
        }
        Err((position, message, _)) => {
            assert!(!message.is_empty());
            assert_within(text, position);
        }
    }
    for diagnostic in &out {
        assert_eq!(
            diagnostic.file.as_deref(),
            Some("policies/a.md"),
            "{diagnostic:?}"
        );
        if let Some(position) = diagnostic.position {
            assert_within(text, position);
        }
    }
});

/// Line `line` exists, and `column` is at most one past its last character.
fn assert_within(text: &str, position: Position) {
    let line = text.split('\n').nth(position.line as usize - 1);
    let Some(line) = line.filter(|_| position.line >= 1) else {
        panic!("{position:?} is past the last line");
    };
    let columns = line.chars().count() as u32 + 1;
    assert!(
        position.column >= 1 && position.column <= columns,
        "{position:?}: the line has {columns} columns"
    );
}
