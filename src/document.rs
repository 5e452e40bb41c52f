//! One document as parsed from its own text alone: its front matter, its headings and its raw
//! links. It knows nothing of other documents; the model resolves it.

use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::frontmatter::{self, FrontMatter, Kind};
use crate::markdown::{self, Heading};
use crate::publish::{document_url, title_from_path};
use crate::source::SourceText;

/// A link found in a document, with its place in the file, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSite {
    /// The destination as written.
    pub dest: String,
    /// Where the link starts in the file.
    pub position: Position,
    /// Whether it is an image.
    pub image: bool,
    /// Where the destination is written in the file, when a fix can edit it there.
    pub dest_position: Option<Position>,
}

/// A mark of the language lints (a placeholder, foreign syntax, vague wording, removed HTML,
/// an external resource) with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkSite {
    /// What it is.
    pub what: markdown::What,
    /// The text as written.
    pub text: String,
    /// Where it starts in the file.
    pub position: Position,
}

/// A heading with its id and line in the file.
#[derive(Debug, Clone)]
pub struct HeadingSite {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// GitHub-style id.
    pub id: String,
    /// Line in the file.
    pub line: u32,
}

/// A parsed Markdown document.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    /// The file: its path relative to the root and its text.
    pub source: SourceText,
    /// Byte offset of the body in the text.
    pub body_start: usize,
    /// The front matter (empty when it could not be read).
    pub meta: FrontMatter,
    /// Whether the front matter was read; when not, no field lints apply.
    pub meta_read: bool,
    /// The title: the front matter's, else the file name.
    pub title: String,
    /// Headings in order.
    pub headings: Vec<HeadingSite>,
    /// Links and images in order.
    pub links: Vec<LinkSite>,
    /// What the language lints report, in the order of the file.
    pub marks: Vec<MarkSite>,
    /// The site path of the document's page: its source path without `.md`, then `/`.
    pub url: String,
    /// Whether this document was parsed afresh by the last read (not taken from a cache).
    pub reparsed: bool,
    /// The fingerprint of the text it let go of (see [`ParsedDocument::release_text`]), if it did.
    released: Option<u64>,
    /// The [`body_digest`] of its body, when the read that parsed it took it (a build reading
    /// with the outline cache): a page whose other inputs are unchanged is then kept without
    /// reading the body again.
    pub body_digest: Option<crate::write::Hash>,
}

/// The SHA-256 of a document's Markdown body: the key of its outline in the outline cache, and
/// what the search key covers of the body.
pub fn body_digest(body: &str) -> crate::write::Hash {
    use sha2::Digest;
    sha2::Sha256::digest(body.as_bytes()).into()
}

impl ParsedDocument {
    /// The document's path relative to the project root.
    pub fn path(&self) -> &str {
        &self.source.path
    }

    /// The Markdown body after the front matter (empty once the text is released).
    pub fn body(&self) -> &str {
        match self.released {
            Some(_) => "",
            None => &self.source.text[self.body_start..],
        }
    }

    /// Lets go of the document's text once parsing has taken all that the lints and reports
    /// need (every position is computed while parsing), so that 10,000 documents do not hold
    /// 80 MB of text. The body then reads as empty; [`ParsedDocument::body_of`] takes it back from
    /// the text read again.
    pub fn release_text(&mut self) {
        if self.released.is_none() {
            self.released = Some(fingerprint(&self.source.text));
            self.source.release_text();
        }
    }

    /// Whether `other`, the same file parsed again, differs from this document in its body's
    /// text alone: the front matter as written, the title, the headings (level, text, id) and
    /// the links' destinations are the same, so that all the project resolves from the
    /// document is too. Positions may differ. False once either text is released.
    pub fn same_but_body(&self, other: &ParsedDocument) -> bool {
        fn front(d: &ParsedDocument) -> Option<&str> {
            d.source.text.get(..d.body_start)
        }
        fn heading(h: &HeadingSite) -> (u8, &str, &str) {
            (h.level, &h.text, &h.id)
        }
        fn link(l: &LinkSite) -> (&str, bool) {
            (&l.dest, l.image)
        }
        !self.is_released()
            && !other.is_released()
            && self.path() == other.path()
            && self.meta_read == other.meta_read
            && self.title == other.title
            && self.url == other.url
            && front(self) == front(other)
            && self
                .headings
                .iter()
                .map(heading)
                .eq(other.headings.iter().map(heading))
            && self.links.iter().map(link).eq(other.links.iter().map(link))
    }

    /// Whether the text was released.
    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    /// The body of `text`, the document's file read again after [`ParsedDocument::release_text`];
    /// `None` when the file is no longer what was parsed, or the text was never released (the
    /// body is then [`ParsedDocument::body`]).
    pub fn body_of(&self, mut text: String) -> Option<String> {
        if self.released != Some(fingerprint(&text)) || !text.is_char_boundary(self.body_start) {
            return None;
        }
        text.drain(..self.body_start);
        Some(text)
    }

    /// A document whose file could not be read.
    pub fn unreadable(source: SourceText) -> Self {
        let title = title_from_path(&source.path);
        let url = document_url(&source.path);
        ParsedDocument {
            url,
            meta: FrontMatter::empty(Kind::from_folder(&source.path)),
            source,
            body_start: 0,
            meta_read: false,
            title,
            headings: Vec::new(),
            links: Vec::new(),
            marks: Vec::new(),
            reparsed: true,
            released: None,
            body_digest: None,
        }
    }

    /// Parses a document's front matter (read as `reading` says) and body, reporting problems
    /// into `out`.
    pub fn parse(
        source: SourceText,
        reading: &frontmatter::Reading,
        out: &mut Vec<Diagnostic>,
    ) -> Self {
        Self::parse_with(source, reading, out, markdown::outline)
    }

    /// Like [`ParsedDocument::parse`], with the body's outline from `outline` (given the body
    /// and how to read its prose), which must be what [`markdown::outline`] reads in it: the
    /// outline cache's, when it has the body.
    pub fn parse_with(
        source: SourceText,
        reading: &frontmatter::Reading,
        out: &mut Vec<Diagnostic>,
        outline: impl FnOnce(&str, &markdown::Scan) -> markdown::Outline,
    ) -> Self {
        let mut doc = ParsedDocument::unreadable(source);
        let mut closing_line = 0;
        match frontmatter::split(&doc.source.text) {
            Ok(split) => {
                doc.body_start = split.body_start;
                closing_line = split.toml.end;
                if let Some(meta) = frontmatter::parse(&doc.source, &split, reading, out) {
                    doc.meta = meta;
                    doc.meta_read = true;
                }
            }
            Err((position, message, help)) => out.push(
                Diagnostic::new(Lint::InvalidFrontMatter, message)
                    .in_file(doc.path())
                    .at(position)
                    .with_help_opt(help),
            ),
        }
        if let Some(title) = &doc.meta.title {
            doc.title = title.clone();
        }
        if doc.meta_read && doc.body().trim().is_empty() {
            out.push(
                Diagnostic::new(
                    Lint::EmptyDocument,
                    "the document has front matter but no content",
                )
                .in_file(doc.path())
                // At the closing `+++`: the line after it may not exist.
                .at(doc.source.position(closing_line)),
            );
        }
        let outline = outline(doc.body(), &reading.scan);
        doc.take_outline(outline);
        doc
    }

    fn take_outline(&mut self, outline: markdown::Outline) {
        let base = self.body_start;
        self.headings = outline
            .headings
            .into_iter()
            .map(
                |Heading {
                     level,
                     text,
                     id,
                     offset,
                 }| HeadingSite {
                    level,
                    text,
                    id,
                    line: self.source.position(base + offset).line,
                },
            )
            .collect();
        self.links = outline
            .links
            .into_iter()
            .map(|l| LinkSite {
                dest: l.dest,
                position: self.source.position(base + l.offset),
                image: l.image,
                dest_position: l.dest_offset.map(|o| self.source.position(base + o)),
            })
            .collect();
        let mut marks = outline.marks;
        marks.sort_by_key(|m| m.offset);
        self.marks = marks
            .into_iter()
            .map(|m| MarkSite {
                position: self.source.position(base + m.offset),
                what: m.what,
                text: m.text,
            })
            .collect();
    }
}

/// A hash of a document's text, to tell whether the file read again is the one parsed.
fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_text_leaves_what_parsing_found() {
        let text = "+++\ntitle = \"T\"\n+++\n\n# T\n\n## Scope\n\nSee [x](other.md#a).\n";
        let mut diagnostics = Vec::new();
        let mut doc = ParsedDocument::parse(
            SourceText::new("policies/t.md", text.to_string()),
            &Default::default(),
            &mut diagnostics,
        );
        type Outline = (Vec<(String, u32)>, Vec<(String, Position)>);
        let outline = |doc: &ParsedDocument| -> Outline {
            (
                doc.headings
                    .iter()
                    .map(|h| (h.id.clone(), h.line))
                    .collect(),
                doc.links
                    .iter()
                    .map(|l| (l.dest.clone(), l.position))
                    .collect(),
            )
        };
        let parsed = outline(&doc);
        assert!(doc.body().contains("## Scope"));
        doc.release_text();
        assert_eq!(doc.body(), "");
        assert!(doc.source.text.is_empty());
        assert_eq!(outline(&doc), parsed);
        assert_eq!(parsed.0, [("t".to_string(), 5), ("scope".to_string(), 7)]);
        assert_eq!(
            parsed.1,
            [("other.md#a".to_string(), Position { line: 9, column: 5 })]
        );
        assert_eq!(doc.title, "T");
    }
}
