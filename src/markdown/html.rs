//! The start tags of raw HTML, with their attributes, their places and their `href` and `src`
//! links, read with html5ever's tokenizer.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The `href` and `src` values in a piece of raw HTML, with their offsets in it: see
/// [`HtmlLinks`], which this runs on `html` alone.
pub fn html_links(html: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    HtmlLinks::new().feed(html, &[(0, 0)], &mut found);
    found.into_iter().flat_map(|tag| tag.links).collect()
}

/// A start tag in raw HTML: its name and attributes as the tokenizer read them (decoded, the
/// first of repeated attributes), where it is, and its `href` and `src` links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// The element's name, in lower case.
    pub name: String,
    /// Its attributes, (name in lower case, value), in order.
    pub attrs: Vec<(String, String)>,
    /// The byte offset of its `<` in the body.
    pub offset: usize,
    /// The tag as written, from `<` to `>`.
    pub written: String,
    /// Its `href` and `src` values, each with the body offset of the value as written.
    pub links: Vec<(String, usize)>,
}

/// Finds the start tags in a document's raw HTML, each with its place and its links: the values
/// of its `href` and `src` attributes, with the byte offset of each value as written (its
/// opening quote, when it has one; the attribute's name when it has no value).
///
/// What is a link is decided by html5ever's tokenizer, fed the raw HTML fragments of a body in
/// order (pulldown-cmark gives an HTML block one fragment a line, and inline HTML one fragment a
/// tag or comment). One tokenizer reads them all, so a comment, a tag or the text of a
/// `<script>`, `<style>`, `<textarea>`… spanning fragments is read as a browser reads the page,
/// where Markdown text between fragments is escaped and cannot end a comment. Values come
/// decoded (`&amp;`, `&#x09;`, `&colon;`), and neither comments, end tags, text nor other
/// attributes' values hold links.
///
/// Tokens carry no offsets, so the text is fed in pieces that each end just after a `>`: a tag,
/// comment or doctype ends at the `>` that ends the piece during whose feeding it is emitted.
/// A start tag begins at the first `<` followed by an ASCII letter after the end of the token
/// before it (any earlier such `<` would have begun a tag), and its attributes are then found by
/// reading the tag's text with the tokenizer's attribute rules (`attributes`). Each byte is
/// looked at a bounded number of times: the work is linear in the length of the HTML.
pub struct HtmlLinks {
    tokenizer: Tokenizer<LinkSink>,
    input: BufferQueue,
    /// The HTML fed and not yet dropped; what is before `start` has been read to its end.
    text: String,
    /// Where the last tag, comment or doctype ended in `text`.
    start: usize,
    /// Where pieces of `text` are in the body: (offset in `text`, offset in the body),
    /// ascending; within a piece, bytes follow each other in both.
    pieces: Vec<(usize, usize)>,
}

impl Default for HtmlLinks {
    fn default() -> Self {
        Self::new()
    }
}

impl HtmlLinks {
    /// A reader at the start of a body.
    pub fn new() -> Self {
        let opts = TokenizerOpts {
            discard_bom: false,
            ..TokenizerOpts::default()
        };
        HtmlLinks {
            tokenizer: Tokenizer::new(LinkSink::default(), opts),
            input: BufferQueue::default(),
            text: String::new(),
            start: 0,
            pieces: Vec::new(),
        }
    }

    /// Reads the next fragment, `html`, and pushes the start tags it ends onto `found`.
    /// `origins` says where `html` is in the body: pairs of (offset in `html`, offset in the
    /// body), ascending and starting with offset 0 in `html`.
    pub fn feed(&mut self, html: &str, origins: &[(usize, usize)], found: &mut Vec<StartTag>) {
        let base = self.text.len();
        self.pieces
            .extend(origins.iter().map(|&(at, body)| (base + at, body)));
        self.text.push_str(html);
        let mut from = 0;
        let ends = memchr::memchr_iter(b'>', html.as_bytes()).map(|i| i + 1);
        for end in ends.chain(std::iter::once(html.len())) {
            if end == from {
                continue;
            }
            self.input
                .push_back(StrTendril::from_slice(&html[from..end]));
            from = end;
            let _ = self.tokenizer.feed(&self.input);
            if let Some(tag) = self.tokenizer.sink.ended.take() {
                // The piece ended with the `>` of a tag, comment or doctype.
                let end = base + end;
                if let Some(tag) = tag {
                    found.push(self.locate(end, tag));
                }
                self.start = end;
            }
        }
        self.compact();
    }

    /// The start tag read as `tag`, which ends just before `end` in `text`, with its place.
    fn locate(&self, end: usize, tag: Read) -> StartTag {
        let bytes = &self.text.as_bytes()[..end];
        let tag_start = memchr::memchr_iter(b'<', &bytes[self.start..])
            .map(|i| self.start + i)
            .find(|&i| bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
            .unwrap_or(self.start);
        let text = &bytes[tag_start..end - 1];
        let (mut href, mut src) = (None, None);
        attributes(text, |name, at| {
            let slot = if name.eq_ignore_ascii_case(b"href") {
                &mut href
            } else if name.eq_ignore_ascii_case(b"src") {
                &mut src
            } else {
                return;
            };
            // The tokenizer keeps the first of repeated attributes.
            slot.get_or_insert(tag_start + at);
        });
        let links = tag
            .attrs
            .iter()
            .filter_map(|(name, value)| {
                let at = match name.as_str() {
                    "href" => href,
                    "src" => src,
                    _ => return None,
                };
                Some((value.clone(), self.body_offset(at.unwrap_or(tag_start))))
            })
            .collect();
        StartTag {
            name: tag.name,
            attrs: tag.attrs,
            offset: self.body_offset(tag_start),
            written: String::from_utf8_lossy(&bytes[tag_start..end]).into_owned(),
            links,
        }
    }

    /// The body offset of `at` in `text`.
    fn body_offset(&self, at: usize) -> usize {
        let piece = self.pieces.partition_point(|&(p, _)| p <= at).max(1) - 1;
        let (p, body) = self.pieces.get(piece).copied().unwrap_or((0, 0));
        body + (at - p)
    }

    /// Drops what has been read to its end.
    fn compact(&mut self) {
        if self.start == 0 {
            return;
        }
        if self.start == self.text.len() {
            self.text.clear();
            self.pieces.clear();
            self.start = 0;
            return;
        }
        let start = self.start;
        let first = self.pieces.partition_point(|&(p, _)| p <= start).max(1) - 1;
        if let Some(&(p, body)) = self.pieces.get(first) {
            self.pieces[first] = (start, body + (start - p));
        }
        self.pieces.drain(..first);
        for piece in &mut self.pieces {
            piece.0 -= start;
        }
        self.text.drain(..start);
        self.start = 0;
    }
}

/// A start tag as the tokenizer gives it.
struct Read {
    name: String,
    attrs: Vec<(String, String)>,
}

/// Takes the tokenizer's tokens: records the end of each tag, comment and doctype, with the
/// name and attributes of start tags, and puts the tokenizer in the state a browser's tree
/// builder would after the start tag of an element whose text is not HTML.
#[derive(Default)]
struct LinkSink {
    /// Set when a tag, comment or doctype ends: the start tag read, if it was one.
    ended: RefCell<Option<Option<Read>>>,
}

impl TokenSink for LinkSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let attrs = tag
                    .attrs
                    .into_iter()
                    .map(|attr| (attr.name.local.to_string(), String::from(attr.value)))
                    .collect();
                let name = tag.name.to_string();
                let raw = match &*name {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                };
                *self.ended.borrow_mut() = Some(Some(Read { name, attrs }));
                raw
            }
            Token::TagToken(_) | Token::CommentToken(_) | Token::DoctypeToken(_) => {
                *self.ended.borrow_mut() = Some(None);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Reads the attributes of `tag`, a start tag's text from its `<` to before its `>`, by the
/// tokenizer's rules, and calls `each` with each attribute's name and the offset of its value
/// (its opening quote when quoted), or of its name when it has no value.
fn attributes(tag: &[u8], mut each: impl FnMut(&[u8], usize)) {
    let space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let len = tag.len();
    // The tag name.
    let mut i = 1;
    while i < len && !space(tag[i]) && tag[i] != b'/' {
        i += 1;
    }
    loop {
        while i < len && (space(tag[i]) || tag[i] == b'/') {
            i += 1;
        }
        if i >= len {
            return;
        }
        // A name's first character may be `=`.
        let name = i;
        i += 1;
        while i < len && !space(tag[i]) && !matches!(tag[i], b'/' | b'=') {
            i += 1;
        }
        let name_end = i;
        while i < len && space(tag[i]) {
            i += 1;
        }
        let mut at = name;
        if i < len && tag[i] == b'=' {
            i += 1;
            while i < len && space(tag[i]) {
                i += 1;
            }
            at = i;
            match tag.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    i = memchr::memchr(quote, &tag[i + 1..]).map_or(len, |j| i + j + 2);
                }
                _ => {
                    while i < len && !space(tag[i]) {
                        i += 1;
                    }
                }
            }
        }
        each(&tag[name..name_end], at);
    }
}
