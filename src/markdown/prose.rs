//! The prose of a body, a block at a time and outside code, and the marks the language lints
//! report in it: placeholders, other tools' syntax, vague wording.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

/// Something in a body that a language lint reports, at a byte offset of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// What it is.
    pub what: What,
    /// Byte offset in the body.
    pub offset: usize,
    /// The text as written (a tag, a phrase, a URL).
    pub text: String,
}

/// The kinds of [`Mark`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A template placeholder (`{{name}}`, `[insert …]`, `<insert …>`, `TBD`).
    Placeholder,
    /// Another tool's syntax, printed as it is.
    Foreign(Syntax),
    /// A vague phrase (built in or from `[language] vague_phrases`).
    Vague,
    /// `periodically` or `regularly` with no period in its sentence.
    Periodically,
    /// `should` in a list item or a table cell (not a task, a question or a sentence's start).
    Should,
    /// Raw HTML the sanitiser removes, and what of it.
    Removed(super::Removed),
    /// An image, script or other resource from another host (the text is its URL); the tag's
    /// name, or `img` for a Markdown image.
    External(String),
}

/// Other tools' syntax that annexa prints as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `\pagebreak`, `\newpage`, `\clearpage`.
    PageBreak,
    /// pandoc or kramdown attributes, `{.class}`, `{#id}`, `{: .note}`.
    Attributes,
    /// A pandoc fenced div, `:::`.
    FencedDiv,
    /// A MkDocs admonition, `!!! note`, `??? note`.
    Admonition,
    /// A Hugo shortcode, `{{< … >}}`, `{{% … %}}`.
    Shortcode,
    /// Liquid (Jekyll) or Go template code: `{% … %}`, `{{ site.… }}`, `{{ x | f }}`,
    /// `{{ .Title }}`.
    Template,
}

/// How prose is read: the vague phrases added in `annexa.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Phrases reported as vague besides the built-in ones, as written.
    pub vague_phrases: Vec<String>,
}

/// The phrases `vague-language` reports in every policy and standard.
pub const VAGUE_PHRASES: &[&str] = &[
    "where possible",
    "wherever possible",
    "if possible",
    "as far as possible",
    "as appropriate",
    "where appropriate",
    "if appropriate",
    "if feasible",
    "where feasible",
    "where practicable",
    "if practicable",
];

/// A block of prose read: where its text is in [`Prose`]'s text, and how it is read.
#[derive(Debug, Clone)]
struct Block {
    range: Range<usize>,
    /// Outside quotes and headings: vague wording is read here.
    prose: bool,
    /// Whether `should` is read here: a list item or a table cell, not a task.
    requirement: bool,
}

/// What separates two blocks in [`Prose`]'s text: no pattern matches across a line break
/// followed by a NUL (`[^\n]` stops at the first, `\s` at the second).
const BLOCK_END: &str = "\n\0\n";

/// Reads a body's events, a block of prose at a time, into marks. The blocks are kept in one
/// text and each pattern is run once over it, at [`Prose::finish`]: a pattern run per block
/// cost more in setting up its search than in searching.
#[derive(Debug)]
pub struct Prose<'s> {
    vague: &'s Regex,
    /// Every block's text, each followed by [`BLOCK_END`].
    text: String,
    /// (offset in `text`, offset in the body, whether the text is the body's there byte for
    /// byte), ascending.
    pieces: Vec<(usize, usize, bool)>,
    /// The blocks ended, ascending.
    blocks: Vec<Block>,
    /// Where the open block starts in `text`, and whether it reads `should`.
    open: Option<(usize, bool)>,
    /// For each open list item, whether it is a task.
    items: Vec<bool>,
    quotes: usize,
    cells: usize,
    headings: usize,
    code: bool,
    /// The marks found, by [`Prose::finish`]: a block at a time, in each block its syntax and
    /// placeholders, then vague wording, then `should`.
    pub marks: Vec<Mark>,
}

impl<'s> Prose<'s> {
    /// A reader of vague wording by `vague` (see [`vague_regex`]).
    pub fn new(vague: &'s Regex) -> Self {
        Prose {
            vague,
            text: String::new(),
            pieces: Vec::new(),
            blocks: Vec::new(),
            open: None,
            items: Vec::new(),
            quotes: 0,
            cells: 0,
            headings: 0,
            code: false,
            marks: Vec::new(),
        }
    }

    /// Reads one event of `body`, whose source is at `range`.
    pub fn event(&mut self, body: &str, event: &Event<'_>, range: Range<usize>) {
        match event {
            Event::Text(text) if !self.code => {
                let exact = body.get(range.clone()) == Some(&**text);
                self.push(text, range.start, exact);
            }
            Event::Code(_) | Event::FootnoteReference(_) => {
                self.push("\u{FFFC}", range.start, false)
            }
            // A comment is not on the page; a tag is kept as written, so that a shortcode
            // around it (`{{<figure>}}`) reads whole.
            Event::InlineHtml(html) if html.starts_with("<!--") => {
                self.push("\u{FFFC}", range.start, false)
            }
            Event::InlineHtml(html) => {
                let exact = body.get(range.clone()) == Some(&**html);
                self.push(html, range.start, exact);
            }
            Event::SoftBreak | Event::HardBreak => self.push("\n", range.start, false),
            Event::TaskListMarker(_) => {
                if let Some(task) = self.items.last_mut() {
                    *task = true;
                }
            }
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            _ => self.end_block(),
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        if matches!(
            tag,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ) {
            return;
        }
        self.end_block();
        match tag {
            Tag::Item => self.items.push(false),
            Tag::BlockQuote(_) => self.quotes += 1,
            Tag::TableCell => self.cells += 1,
            Tag::Heading { .. } => self.headings += 1,
            Tag::CodeBlock(_) => self.code = true,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        ) {
            return;
        }
        self.end_block();
        match tag {
            TagEnd::Item => {
                self.items.pop();
            }
            TagEnd::BlockQuote(_) => self.quotes = self.quotes.saturating_sub(1),
            TagEnd::TableCell => self.cells = self.cells.saturating_sub(1),
            TagEnd::Heading(_) => self.headings = self.headings.saturating_sub(1),
            TagEnd::CodeBlock => self.code = false,
            _ => {}
        }
    }

    /// Adds `text`, which is at `at` in the body (byte for byte when `exact`).
    fn push(&mut self, text: &str, at: usize, exact: bool) {
        if self.open.is_none() {
            let in_item = self.items.last().is_some_and(|task| !task);
            let requirement = (in_item || self.cells > 0) && self.headings == 0;
            self.open = Some((self.text.len(), requirement));
        }
        self.pieces.push((self.text.len(), at, exact));
        self.text.push_str(text);
    }

    /// Ends the block read so far (its context is the one it ends in, as it is read).
    fn end_block(&mut self) {
        let Some((start, requirement)) = self.open.take() else {
            return;
        };
        self.blocks.push(Block {
            range: start..self.text.len(),
            prose: self.quotes == 0 && self.headings == 0,
            requirement,
        });
        self.text.push_str(BLOCK_END);
    }

    /// Ends the last block and finds the marks of all of them.
    pub fn finish(&mut self) {
        self.end_block();
        let mut found = Vec::new();
        syntax_and_placeholders(&self.text, &mut found);
        let in_block = |range: &Range<usize>| -> Option<usize> {
            let i = self.blocks.partition_point(|b| b.range.end < range.end);
            let block = self.blocks.get(i)?;
            (block.range.start <= range.start && range.end <= block.range.end).then_some(i)
        };
        let mut placed: Vec<(usize, u8, What, Range<usize>)> = found
            .into_iter()
            .filter_map(|(what, range)| Some((in_block(&range)?, 0, what, range)))
            .collect();
        let mut vague_found = Vec::new();
        vague(&self.text, self.vague, &mut vague_found);
        let mut should_found = Vec::new();
        should(&self.text, &mut should_found);
        for (phase, found) in [(1, vague_found), (2, should_found)] {
            for (what, range) in found {
                let Some(i) = in_block(&range) else { continue };
                let block = &self.blocks[i];
                let wanted = block.prose && (phase == 1 || block.requirement);
                let local = range.start - block.range.start..range.end - block.range.start;
                if wanted && keeps(&what, &self.text[block.range.clone()], local) {
                    placed.push((i, phase, what, range));
                }
            }
        }
        // A block at a time, each phase in its order of finding (the sort is stable).
        placed.sort_by_key(|&(block, phase, _, _)| (block, phase));
        for (_, _, what, range) in placed {
            self.marks.push(Mark {
                what,
                offset: body_offset(&self.pieces, range.start),
                text: self.text[range].to_string(),
            });
        }
    }
}

/// Whether a vague word or a `should` found at `range` of its block's `text` is reported: what
/// it means is read in its sentence, which ends at the block's end.
fn keeps(what: &What, text: &str, range: Range<usize>) -> bool {
    match what {
        What::Periodically => periodically_reported(text, range),
        What::Should => should_reported(text, range),
        _ => true,
    }
}

/// The body offset of `at` in a block's text: in a piece that is not the body's text byte for
/// byte (an escape, an entity, a code span), the piece's start.
fn body_offset(pieces: &[(usize, usize, bool)], at: usize) -> usize {
    let piece = pieces.partition_point(|&(p, _, _)| p <= at).max(1) - 1;
    match pieces.get(piece) {
        Some(&(p, body, true)) => body + (at - p),
        Some(&(_, body, false)) => body,
        None => 0,
    }
}

/// The regex of the vague phrases, the built-in ones and those of `scan`: case-insensitive,
/// word-bounded, any white space between words. It is compiled once for a list of phrases and
/// shared, not cloned: a cloned `Regex` starts with empty search caches, which every document
/// would fill again.
pub fn vague_regex(scan: &Scan) -> Arc<Regex> {
    type Compiled = Option<(Vec<String>, Arc<Regex>)>;
    static LAST: std::sync::Mutex<Compiled> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((phrases, regex)) = last.as_ref()
        && *phrases == scan.vague_phrases
    {
        return Arc::clone(regex);
    }
    let regex = Arc::new(compile_vague(scan));
    *last = Some((scan.vague_phrases.clone(), Arc::clone(&regex)));
    regex
}

fn compile_vague(scan: &Scan) -> Regex {
    let alternatives: Vec<String> = VAGUE_PHRASES
        .iter()
        .copied()
        .chain(scan.vague_phrases.iter().map(String::as_str))
        .filter(|p| !p.trim().is_empty())
        .map(|phrase| {
            // Whole words: a word boundary at each end that is a word character.
            let phrase = phrase.trim();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            let words = phrase
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            let start = if word(phrase.chars().next()) {
                r"\b"
            } else {
                ""
            };
            let end = if word(phrase.chars().last()) {
                r"\b"
            } else {
                ""
            };
            format!("{start}{words}{end}")
        })
        .collect();
    Regex::new(&format!("(?i)(?:{})", alternatives.join("|"))).expect("escaped phrases")
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid built-in pattern")
}

static BRACES: LazyLock<Regex> = LazyLock::new(|| regex(r"\{\{[^\n]*?\}\}|\{%[^\n]*?%\}"));
static OTHER_SYNTAX: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?m)(?P<break>\\(?:pagebreak|newpage|clearpage)\b)|(?P<attrs>\{:?[ \t]*[.#][A-Za-z][\w-]*(?:[ \t]+[^{}\n]*)?\})|(?P<div>^[ \t]*:::+[^\n]*)|(?P<admonition>^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+\w[^\n]*)",
    )
});
static PLACEHOLDERS: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\[(?:insert\b[^\]\n]*|your\s[^\]\n]+|(?:enter|fill\s+in|specify|describe)\s[^\]\n]+|(?:company|organi[sz]ation|client|customer)(?:\s+name)?|name|date)\]|\b(?-i:TBD|TBC|TODO|FIXME|XXX)\b",
    )
});
static SHOULD: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\bshould\b"));
static CONDITIONAL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(?:if|unless|in\s+case|whether)\b"));
static PERIODICALLY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(?:periodically|regularly)\b"));
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|hourly|biannually|semi-annually)\b|\b(?:every|each|per|a|once\s+a)\s+(?:\d+\s+|one\s+|two\s+|three\s+|four\s+|six\s+|twelve\s+|other\s+)?(?:hour|day|week|month|quarter|year)s?\b|\b\d+\s*(?:hour|day|week|month|year)s?\b|\b(?:at\s+least|no\s+less\s+than)\s+(?:once|twice)\b",
    )
});

/// Other tools' syntax and placeholders in `text`; `{{ … }}` is a placeholder unless it is
/// template code (a path, a filter, a leading `.`) or a shortcode.
fn syntax_and_placeholders(text: &str, found: &mut Vec<(What, Range<usize>)>) {
    let mut claimed: Vec<Range<usize>> = Vec::new();
    for m in BRACES.find_iter(text) {
        found.push((braces(m.as_str()), m.range()));
        claimed.push(m.range());
    }
    let free = |range: &Range<usize>, claimed: &[Range<usize>]| {
        claimed
            .iter()
            .all(|c| range.end <= c.start || range.start >= c.end)
    };
    // The pattern starts with a line's blanks, so it has no literal to look for first: run
    // it only where one of its marks is.
    let marked = memchr::memchr2(b'\\', b'{', text.as_bytes()).is_some()
        || [":::", "!!!", "???"]
            .iter()
            .any(|m| memchr::memmem::find(text.as_bytes(), m.as_bytes()).is_some());
    let other = if marked {
        Some(OTHER_SYNTAX.captures_iter(text))
    } else {
        None
    };
    for caps in other.into_iter().flatten() {
        let (syntax, m) = [
            ("break", Syntax::PageBreak),
            ("attrs", Syntax::Attributes),
            ("div", Syntax::FencedDiv),
            ("admonition", Syntax::Admonition),
        ]
        .into_iter()
        .find_map(|(name, syntax)| caps.name(name).map(|m| (syntax, m)))
        .expect("one group matches");
        let trimmed = trim(text, m.range());
        if free(&trimmed, &claimed) {
            claimed.push(trimmed.clone());
            found.push((What::Foreign(syntax), trimmed));
        }
    }
    for m in PLACEHOLDERS.find_iter(text) {
        if free(&m.range(), &claimed) {
            found.push((What::Placeholder, m.range()));
        }
    }
}

/// A match without its leading and trailing blanks.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let found = &text[range.clone()];
    let start = range.start + (found.len() - found.trim_start().len());
    start..range.start + found.trim_end().len()
}

/// What a `{{ … }}` or `{% … %}` is.
fn braces(found: &str) -> What {
    if found.starts_with("{%") {
        return What::Foreign(Syntax::Template);
    }
    let inner = found[2..found.len() - 2].trim();
    if (inner.starts_with('<') && inner.ends_with('>'))
        || (inner.starts_with('%') && inner.ends_with('%'))
    {
        return What::Foreign(Syntax::Shortcode);
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    if inner.is_empty() || inner.chars().all(word) {
        What::Placeholder
    } else {
        What::Foreign(Syntax::Template)
    }
}

/// Vague phrases, and each `periodically` or `regularly` (whether its sentence names a period
/// is read by [`periodically_reported`]; not `periodic`: "no forced periodic changes" is a
/// rule, not a vague one).
fn vague(text: &str, phrases: &Regex, found: &mut Vec<(What, Range<usize>)>) {
    for m in phrases.find_iter(text) {
        found.push((What::Vague, m.range()));
    }
    for m in PERIODICALLY.find_iter(text) {
        found.push((What::Periodically, m.range()));
    }
}

/// Whether the `periodically` at `range` of `text` is vague: its sentence names no period.
fn periodically_reported(text: &str, range: Range<usize>) -> bool {
    !PERIOD.is_match(&text[sentence_around(text, range)])
}

/// Each `should` of `text` (whether it is a requirement is read by [`should_reported`]).
fn should(text: &str, found: &mut Vec<(What, Range<usize>)>) {
    for m in SHOULD.find_iter(text) {
        found.push((What::Should, m.range()));
    }
}

/// Whether the `should` at `range` of `text` is a requirement: not `Should` at the start of a
/// sentence ("Should an incident occur, …"), in a condition ("if a laptop should be lost", no
/// comma between), or in a question.
fn should_reported(text: &str, range: Range<usize>) -> bool {
    let sentence = sentence_around(text, range.clone());
    let before = &text[sentence.start..range.start];
    let starts = !before.chars().any(char::is_alphanumeric) && text[range].starts_with('S');
    let conditional = CONDITIONAL
        .find_iter(before)
        .last()
        .is_some_and(|c| !before[c.end()..].contains(','));
    let question = text[sentence].trim_end().ends_with('?');
    !starts && !conditional && !question
}

/// The sentence of `text` holding `range`: from after the `.`, `!`, `?` or `;` followed by white
/// space (or a line break that ends a line) before it, to the end of the one after it.
fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let ends = |(i, c): &(usize, char)| {
        matches!(c, '.' | '!' | '?' | ';')
            && text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
    };
    let start = text[..range.start]
        .char_indices()
        .rfind(ends)
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text
        .char_indices()
        .skip_while(|&(i, _)| i < range.end)
        .find(ends)
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    start..end
}

#[cfg(test)]
#[path = "prose_tests.rs"]
mod tests;
