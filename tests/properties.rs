//! Bounded property tests over the entry points the fuzz targets in `fuzz/` drive: random input
//! on every `cargo test`, without nightly. The fuzz targets go deeper; these keep CI honest.
//!
//! Inputs are either any text at all or text assembled from tokens that matter to the code
//! under test (`+++`, brackets, tags, `..`, escapes), so that short random cases still reach
//! front matter, links, raw HTML and path tricks.

mod common;

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use annexa::diagnostic::Position;
use annexa::serve::http::{Resolved, resolve};
use annexa::source::SourceText;
use annexa::{document, frontmatter, links, markdown};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

/// Cases per property: the whole file stays well under 20 s in a debug build.
const CASES: u32 = 256;

/// Text made of `tokens`, up to `max` of them.
fn tokens(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens), 0..max).prop_map(|parts| parts.concat())
}

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "###### ",
    "Scope",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[a]: ",
    "[^1]",
    "<",
    ">",
    "<a href=\"",
    "<a href='",
    "<img src=",
    "\">",
    "</a>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<textarea>",
    "`",
    "```",
    "~~~",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "* ",
    "|",
    "| --- |",
    "---",
    "***",
    "x.md",
    "b.md#purpose",
    "#anchor",
    "../",
    "./",
    "/",
    "%20",
    "%2e",
    "http://example.com",
    "javascript:",
    "mailto:a@b",
    "&amp;",
    "&#x09;",
    "&colon;",
    "é",
    "😀",
    " ",
    "\t",
    "\\",
    "\"",
    "'",
    "=",
    "+++",
    "title",
    "\u{0}",
    "\u{feff}",
    "\u{85}",
    "{#id}",
];

const FRONT_MATTER: &[&str] = &[
    "title = \"A\"\n",
    "owner = \"O\"\n",
    "id = \"POL-1\"\n",
    "title = ",
    "owner = ",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    "\n",
    "\r\n",
    "\t",
    " ",
    "#",
    "x",
    "1",
    "1e400",
    "é",
    "😀",
    "\u{0}",
    "controls = [\"A.5.1\", ",
    "\"A.99\"",
    "tags = [",
    "kind = \"policy\"\n",
    "kind = \"polcy\"\n",
    "status = ",
    "\"draft\"",
    "last_reviewed = ",
    "next_review = ",
    "2025-01-31",
    "9999-12-31",
    "2024-02-30",
    "2025-01-01T00:00:00Z",
    "review_interval = ",
    "\"12 months\"",
    "\"99999 years\"",
    "\"0 days\"",
    "\"1 fortnight\"",
    "summary = ",
    "[table]\n",
    "[[array]]\n",
    "unknown = 1\n",
    "+++",
    "---",
];

const SEGMENTS: &[&str] = &[
    "",
    "",
    ".",
    "..",
    "...",
    "%2e",
    "%2E%2e",
    "%252e%252e",
    "%2f",
    "%2F",
    "%5c",
    "%5C",
    "%00",
    "%",
    "%zz",
    "%C3%A9",
    "%FF",
    "\\",
    "..\\..",
    "C:",
    "~",
    "é",
    "out.txt",
    "up",
    "parent",
    "inside",
    "index.html",
    "policies",
    "a",
    "a b",
    "a%20b",
    "x y.txt",
    "%41",
    "%2541",
    "empty",
    "style.css",
    "secret.txt",
    "other",
    "?q",
    "#f",
];

fn any_text() -> impl Strategy<Value = String> {
    "(?s).{0,160}"
}

fn markdown_text() -> BoxedStrategy<String> {
    prop_oneof![any_text(), tokens(MARKDOWN, 60)].boxed()
}

/// Pieces of YAML front matter, valid and broken, for the YAML reading.
const YAML_FRONT_MATTER: &[&str] = &[
    "title: A\n",
    "owner: O\n",
    "version: 1.10\n",
    "last_reviewed: 2025-03-01\n",
    "controls:\n",
    "  - A.5.1\n",
    "- ",
    ": ",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "|\n",
    ">-\n",
    "\n",
    "\r\n",
    "\t",
    "  ",
    "#",
    "x",
    "é",
    "😀",
    "~",
    "null",
];

fn document_text() -> BoxedStrategy<String> {
    prop_oneof![
        any_text(),
        (tokens(YAML_FRONT_MATTER, 24), tokens(MARKDOWN, 30))
            .prop_map(|(yaml, body)| format!("---\n{yaml}\n---\n{body}")),
        (tokens(FRONT_MATTER, 24), tokens(MARKDOWN, 30))
            .prop_map(|(toml, body)| format!("+++\n{toml}\n+++\n{body}")),
        (tokens(FRONT_MATTER, 24), tokens(MARKDOWN, 30))
            .prop_map(|(toml, body)| format!("\u{feff}+++\r\n{toml}+++{body}")),
    ]
    .boxed()
}

/// Line `line` of `text` exists, and `column` is at most one past its last character.
fn assert_within(text: &str, position: Position) -> Result<(), TestCaseError> {
    prop_assert!(position.line >= 1 && position.column >= 1, "{position:?}");
    let line = text.split('\n').nth(position.line as usize - 1);
    let Some(line) = line else {
        return Err(TestCaseError::fail(format!(
            "{position:?} is past the last line"
        )));
    };
    let columns = line.chars().count() as u32 + 1;
    prop_assert!(
        position.column <= columns,
        "{position:?}: {columns} columns"
    );
    Ok(())
}

/// A small site beside a file and a folder outside it, with symbolic links leading out.
fn site() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("secret.txt");
        fs::write(&outside, "secret").unwrap();
        fs::create_dir(dir.path().join("other")).unwrap();
        fs::write(dir.path().join("other/index.html"), "other").unwrap();
        let site = dir.path().join("site");
        for folder in ["policies/a", "empty", "a b", "%41"] {
            fs::create_dir_all(site.join(folder)).unwrap();
        }
        for file in [
            "index.html",
            "policies/a/index.html",
            "a b/x y.txt",
            "%41/index.html",
            "style.css",
        ] {
            fs::write(site.join(file), file).unwrap();
        }
        std::os::unix::fs::symlink(&outside, site.join("out.txt")).unwrap();
        std::os::unix::fs::symlink("../other", site.join("up")).unwrap();
        std::os::unix::fs::symlink("..", site.join("parent")).unwrap();
        std::os::unix::fs::symlink("policies", site.join("inside")).unwrap();
        let canonical = site.canonicalize().unwrap();
        (dir, site, canonical)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Front matter: `split` and `parse` never panic; the split lies inside the text on
    /// character boundaries, and every diagnostic is in the file at a line and column of it.
    #[test]
    fn front_matter_diagnostics_lie_within_the_text(input in document_text()) {
        let source = SourceText::new("policies/a.md", input);
        let text = source.text.as_str();
        let mut out = Vec::new();
        match frontmatter::split(text) {
            Ok(split) => {
                prop_assert!(split.toml.start <= split.toml.end);
                prop_assert!(split.toml.end <= split.body_start && split.body_start <= text.len());
                for at in [split.toml.start, split.toml.end, split.body_start] {
                    prop_assert!(text.is_char_boundary(at), "{split:?}");
                }
                let _ = frontmatter::parse(&source, &split, &Default::default(), &mut out);
            }
            Err((position, _, _)) => assert_within(text, position)?,
        }
        for diagnostic in &out {
            prop_assert_eq!(diagnostic.file.as_deref(), Some("policies/a.md"));
            if let Some(position) = diagnostic.position {
                assert_within(text, position)?;
            }
        }
    }

    /// A whole document: every diagnostic, heading and link of `ParsedDocument::parse` is at a
    /// line and column of the text.
    #[test]
    fn parsed_document_positions_lie_within_the_text(input in document_text()) {
        let source = SourceText::new("policies/a.md", input);
        let text = source.text.clone();
        let mut out = Vec::new();
        let doc = document::ParsedDocument::parse(source, &Default::default(), &mut out);
        for position in out.iter().filter_map(|d| d.position) {
            assert_within(&text, position)?;
        }
        for link in &doc.links {
            assert_within(&text, link.position)?;
        }
        let lines = text.split('\n').count() as u32;
        for heading in &doc.headings {
            prop_assert!(heading.line >= 1 && heading.line <= lines, "{heading:?}");
        }
    }

    /// `outline` never panics; every heading and link offset is a character boundary inside
    /// the body, and so is every offset `html_links` gives and every mark's.
    #[test]
    fn outline_offsets_are_char_boundaries(body in markdown_text()) {
        let scan = markdown::Scan { vague_phrases: vec!["as needed".to_string()] };
        let outline = markdown::outline(&body, &scan);
        for mark in &outline.marks {
            prop_assert!(body.is_char_boundary(mark.offset) && mark.offset <= body.len(), "{mark:?}");
        }
        for heading in &outline.headings {
            prop_assert!(body.is_char_boundary(heading.offset), "{heading:?}");
            prop_assert!((1..=6).contains(&heading.level));
        }
        for link in &outline.links {
            prop_assert!(body.is_char_boundary(link.offset), "{link:?}");
        }
        for (dest, offset) in markdown::html_links(&body) {
            prop_assert!(body.is_char_boundary(offset), "{dest:?} at {offset}");
        }
    }

    /// `join` never returns a path that climbs (`..`), stays put (`.`) or starts at `/`, from
    /// any document path; `split_dest` and `is_external` never panic on the destination.
    #[test]
    fn join_stays_below_the_root(
        from in prop::collection::vec("[a-z é]{1,6}", 1..4),
        dest in prop_oneof![any_text(), tokens(SEGMENTS, 12), tokens(MARKDOWN, 12)],
    ) {
        let from = from.join("/") + ".md";
        let _ = links::is_external(&dest);
        let (path, _anchor) = links::split_dest(&dest);
        for candidate in [path.as_str(), dest.as_str()] {
            if let Some(joined) = links::join(&from, candidate) {
                prop_assert!(!joined.starts_with('/'), "{from} + {candidate:?} = {joined:?}");
                prop_assert!(
                    !joined.split('/').any(|part| part == ".." || part == "."),
                    "{from} + {candidate:?} = {joined:?}"
                );
            }
        }
    }

    /// `encode_path` leaves no space, `#`, `?` or quote, and every `%` it leaves starts an
    /// escape of two hex digits.
    #[test]
    fn encode_path_escapes_what_a_path_cannot_hold(
        path in prop_oneof![any_text(), tokens(SEGMENTS, 12)],
    ) {
        let encoded = links::encode_path(&path);
        prop_assert!(!encoded.contains([' ', '#', '?', '"', '<', '>']), "{encoded:?}");
        let bytes = encoded.as_bytes();
        for (i, _) in encoded.match_indices('%') {
            prop_assert!(
                bytes.len() >= i + 3
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit(),
                "{encoded:?}"
            );
        }
    }

    /// `serve`'s request-path mapping never leads to anything but a file inside the site.
    #[test]
    fn request_paths_never_leave_the_site(
        segments in prop::collection::vec(prop::sample::select(SEGMENTS), 0..8),
        slash in any::<bool>(),
        raw in any_text(),
    ) {
        let (_, site, canonical) = site();
        let joined = segments.join("/");
        let paths = [format!("/{joined}{}", if slash { "/" } else { "" }), joined, raw];
        for path in &paths {
            if let Resolved::File(file) = resolve(site, path) {
                prop_assert!(
                    file.starts_with(canonical) && file.is_file(),
                    "{path:?} led to {}",
                    file.display()
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A one-document repository with any body never makes `annexa check` exit with anything
    /// but 0 (clean) or 1 (content errors): never 2, never a panic.
    #[test]
    fn check_exits_zero_or_one_on_any_document(input in document_text()) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("annexa.toml"), common::QUIET_CONFIG).unwrap();
        fs::create_dir(dir.path().join("policies")).unwrap();
        fs::write(dir.path().join("policies/a.md"), &input).unwrap();
        let output = common::annexa()
            .args(["check", "--today", common::TODAY])
            .arg(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        prop_assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{:?} for {input:?}: {stderr}",
            output.status
        );
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
