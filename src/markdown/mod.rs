//! Markdown facts shared by the model and the renderer: parser options, GitHub heading ids,
//! the headings and links of a document body, the marks the language lints report, and the
//! HTML sanitiser's allow-list.

mod html;
mod prose;
mod sanitise;

pub use html::{HtmlLinks, StartTag, html_links};
pub use prose::{Mark, Scan, Syntax, VAGUE_PHRASES, What};
pub use sanitise::{Removed, sanitiser};

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// The Markdown dialect: CommonMark plus tables, footnotes, strikethrough and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Gives headings GitHub's ids: lower case, punctuation dropped, spaces to hyphens,
/// and `-1`, `-2`… for repeats within one document.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: rustc_hash::FxHashMap<String, usize>,
}

impl Slugger {
    /// The id for the next heading with this text (github-slugger's algorithm).
    pub fn slug(&mut self, text: &str) -> String {
        let base = github_slug(text);
        if !self.seen.contains_key(&base) {
            // The first heading with this text (the common case).
            self.seen.insert(base.clone(), 0);
            return base;
        }
        let mut result = base.clone();
        while self.seen.contains_key(&result) {
            let count = self.seen.entry(base.clone()).or_insert(0);
            *count += 1;
            result = format!("{base}-{count}");
        }
        self.seen.insert(result.clone(), 0);
        result
    }
}

/// GitHub's heading id for `text`, before repeats are numbered.
pub fn github_slug(text: &str) -> String {
    let text = text.trim();
    if !text.is_ascii() {
        return slug_chars(text);
    }
    // The same rules a byte at a time: ASCII lower-casing is Unicode lower-casing here.
    text.bytes()
        .filter_map(|b| match b {
            b' ' => Some('-'),
            b'-' | b'_' => Some(b as char),
            b if b.is_ascii_alphanumeric() => Some(b.to_ascii_lowercase() as char),
            _ => None,
        })
        .collect()
}

/// [`github_slug`] of trimmed text, a character at a time.
fn slug_chars(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// A heading of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its plain text.
    pub text: String,
    /// Its GitHub-style id.
    pub id: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// A link or image destination found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLink {
    /// The destination as written (reference links resolved).
    pub dest: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// Whether it is an image.
    pub image: bool,
    /// Byte offset in the body of the destination as written, when it is written inline
    /// (`[text](dest)`) exactly as `dest` reads: where a fix would edit it.
    pub dest_offset: Option<usize>,
}

/// The headings and links of a Markdown body, in order.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Headings with their ids.
    pub headings: Vec<Heading>,
    /// Links and images, including reference-style ones and raw HTML's `href` and `src`
    /// values; none from code or HTML comments.
    pub links: Vec<RawLink>,
    /// What the language lints report, in no particular order; none from code.
    pub marks: Vec<Mark>,
}

/// Whether a link or image destination is on another host: `http:`, `https:`, `ftp:` or a
/// network path (`//host/…`), in any case.
pub fn remote_url(dest: &str) -> bool {
    let dest = dest.trim_matches(|c: char| c <= ' ');
    let lower = |n: usize| dest.get(..n).map(str::to_ascii_lowercase);
    ["http:", "https:", "ftp:"]
        .iter()
        .any(|scheme| lower(scheme.len()).as_deref() == Some(*scheme))
        || ["//", "\\\\", "/\\", "\\/"]
            .iter()
            .any(|p| dest.starts_with(p))
}

/// Reads the headings, links and marks of `body` in one pass, with vague wording as `scan` says.
pub fn outline(body: &str, scan: &Scan) -> Outline {
    let mut outline = Outline::default();
    let vague = prose::vague_regex(scan);
    let mut prose = prose::Prose::new(&vague);
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, String, usize)> = None;
    // Raw HTML is read by one reader for the whole body, made at the first fragment.
    let mut html_reader: Option<HtmlLinks> = None;
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        prose.event(body, &event, range.clone());
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), String::new(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, offset)) = heading.take() {
                    let id = slugger.slug(&text);
                    outline.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                        offset,
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::Email) => outline.links.push(RawLink {
                dest_offset: (link_type == LinkType::Inline)
                    .then(|| inline_dest(body, range.clone(), &dest_url))
                    .flatten(),
                dest: dest_url.to_string(),
                offset: range.start,
                image: false,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                if remote_url(&dest_url) {
                    outline.marks.push(Mark {
                        what: What::External("img".to_string()),
                        offset: range.start,
                        text: dest_url.to_string(),
                    });
                }
                outline.links.push(RawLink {
                    dest_offset: (link_type == LinkType::Inline)
                        .then(|| inline_dest(body, range.clone(), &dest_url))
                        .flatten(),
                    dest: dest_url.to_string(),
                    offset: range.start,
                    image: true,
                })
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading_text, _)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                let reader = html_reader.get_or_insert_with(HtmlLinks::new);
                let source = body.get(range.clone()).unwrap_or_default();
                if source == &*html {
                    reader.feed(&html, &[(0, range.start)], &mut found);
                } else {
                    reader.feed(&html, &line_origins(&html, source, range.start), &mut found);
                }
                for tag in found.drain(..) {
                    if let Some(mark) = tag_mark(&tag) {
                        outline.marks.push(mark);
                    }
                    outline
                        .links
                        .extend(tag.links.into_iter().map(|(dest, offset)| RawLink {
                            dest,
                            offset,
                            image: false,
                            dest_offset: None,
                        }));
                }
            }
            _ => {}
        }
    }
    prose.finish();
    outline.marks.append(&mut prose.marks);
    outline
}

/// The names of elements that are placeholders: `<insert email address here>`.
const PLACEHOLDER_TAGS: &[&str] = &[
    "insert",
    "enter",
    "your",
    "add",
    "fill",
    "specify",
    "describe",
    "company",
    "organisation",
    "organization",
    "name",
    "date",
    "tbd",
];

/// What a language lint reports about a start tag of raw HTML, if anything: a placeholder,
/// else a resource from another host, else what the sanitiser removes.
fn tag_mark(tag: &StartTag) -> Option<Mark> {
    let mark = |what, text: &str| Mark {
        what,
        offset: tag.offset,
        text: text.to_string(),
    };
    if PLACEHOLDER_TAGS.contains(&tag.name.as_str()) {
        return Some(mark(What::Placeholder, &tag.written));
    }
    let remote = tag
        .attrs
        .iter()
        .find(|(name, value)| name == "src" && remote_url(value));
    if let Some((_, url)) = remote {
        return Some(mark(What::External(tag.name.clone()), url));
    }
    sanitise::removed(tag).map(|removed| mark(What::Removed(removed), &tag.written))
}

/// The body offset of an inline link's destination: just after the link's last `](` (or
/// `](<`), when the text there is `dest` as written (no escapes, no entities).
fn inline_dest(body: &str, range: std::ops::Range<usize>, dest: &str) -> Option<usize> {
    let source = body.get(range.clone())?;
    let open = source.rfind("](")? + 2;
    let open = if source[open..].starts_with('<') {
        open + 1
    } else {
        open
    };
    (!dest.is_empty() && source[open..].starts_with(dest)).then_some(range.start + open)
}

/// Where the lines of `html`, the text of an HTML event, are in the body, whose `source` (the
/// event's range) starts at `start`: pulldown-cmark leaves container markers (a block quote's
/// `> `) out of the lines of inline HTML, so each line of `html` ends where a line of `source`
/// ends.
fn line_origins(html: &str, source: &str, start: usize) -> Vec<(usize, usize)> {
    let mut origins = Vec::new();
    let mut at = 0;
    let mut source_line_start = 0;
    let mut source_lines = source.split_inclusive('\n');
    for line in html.split_inclusive('\n') {
        let source_line_end = match source_lines.next() {
            Some(source_line) => source_line_start + source_line.len(),
            None => source.len(),
        };
        let from = source_line_end
            .saturating_sub(line.len())
            .max(source_line_start);
        origins.push((at, start + from));
        at += line.len();
        source_line_start = source_line_end;
    }
    if origins.is_empty() {
        origins.push((0, start));
    }
    origins
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        let mut s = Slugger::default();
        assert_eq!(
            s.slug("Roles & Responsibilities"),
            "roles--responsibilities"
        );
        assert_eq!(s.slug("A.5.15 Access control"), "a515-access-control");
        assert_eq!(s.slug("Scope"), "scope");
        assert_eq!(s.slug("Scope"), "scope-1");
        assert_eq!(s.slug("Scope"), "scope-2");
        assert_eq!(s.slug("Scope 1"), "scope-1-1");
        assert_eq!(s.slug("Über `code` Größe"), "über-code-größe");
        assert_eq!(s.slug("snake_case-name"), "snake_case-name");
    }

    #[test]
    fn ascii_slugs_match_the_character_rules() {
        for text in [
            "Roles & Responsibilities",
            "A.5.15 Access control",
            "snake_case-name (v2)!",
            "  Tabs\tand\x0Bodd  spaces ",
            "",
        ] {
            assert_eq!(github_slug(text), slug_chars(text.trim()), "{text:?}");
        }
    }

    fn pairs(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|&(d, at)| (d.to_string(), at)).collect()
    }

    /// The destinations and offsets of the links `outline` finds in `body`.
    fn outline_links(body: &str) -> Vec<(String, usize)> {
        outline(body, &Scan::default())
            .links
            .into_iter()
            .map(|l| (l.dest, l.offset))
            .collect()
    }

    #[test]
    fn raw_html_links_are_start_tag_href_and_src_values() {
        // The offset is the value's as written: its opening quote, when it has one.
        assert_eq!(html_links("<a href=\"x.md\">x</a>"), pairs(&[("x.md", 8)]));
        assert_eq!(
            html_links("<img src=\"pic.png\">"),
            pairs(&[("pic.png", 9)])
        );
        assert_eq!(html_links("<a href='x.md'>x</a>"), pairs(&[("x.md", 8)]));
        assert_eq!(html_links("<a href=x.md>x</a>"), pairs(&[("x.md", 8)]));
        assert_eq!(html_links("<a href = x.md >x</a>"), pairs(&[("x.md", 10)]));
        assert_eq!(html_links("<A HREF=\"X.md\">x</A>"), pairs(&[("X.md", 8)]));
        assert_eq!(html_links("<IMG\tSrc='p.png'/>"), pairs(&[("p.png", 9)]));
        assert_eq!(
            html_links("<a href=\"a.md\" title=x>a</a> and <img alt=\"\" src=b.png>"),
            pairs(&[("a.md", 8), ("b.png", 49)])
        );
        assert_eq!(
            html_links("<source src=\"v.webm\" href=\"h.md\">"),
            pairs(&[("v.webm", 12), ("h.md", 26)])
        );
        // A repeated attribute counts once, with its first value (as a browser reads it).
        assert_eq!(
            html_links("<a href=\"one.md\" href=\"two.md\">"),
            pairs(&[("one.md", 8)])
        );
        // An attribute without a value is an empty link (to the page itself).
        assert_eq!(html_links("<a href>x</a>"), pairs(&[("", 3)]));
    }

    #[test]
    fn raw_html_links_are_decoded() {
        assert_eq!(
            html_links(
                "<a href=\"a.md?x=1&amp;y=2#s\">a</a> <a href='java&#x09;script&#58;x'>b</a> <img src=\"&unknown;.png\"> <a href=\"x&colon;y\">"
            ),
            pairs(&[
                ("a.md?x=1&y=2#s", 8),
                ("java\tscript:x", 43),
                ("&unknown;.png", 83),
                ("x:y", 108)
            ])
        );
    }

    #[test]
    fn other_attributes_comments_text_and_end_tags_hold_no_links() {
        assert_eq!(html_links("<abbr title=\"see href=old.md\">x</abbr>"), []);
        assert_eq!(
            html_links("<abbr title=\"see href=old.md\" data-src='y' href=\"new.md\">x</abbr>"),
            pairs(&[("new.md", 48)])
        );
        assert_eq!(html_links("<!-- <a href=\"removed.md\">old</a> -->"), []);
        assert_eq!(
            html_links("<!-- a > b <img src=\"c.png\"> --><a href=\"d.md\">"),
            pairs(&[("d.md", 40)])
        );
        assert_eq!(html_links("see href=x.md and src=y.png"), []);
        assert_eq!(html_links("</a href=\"x.md\">"), []);
        assert_eq!(html_links("<!DOCTYPE html><?pi href=\"x.md\"?>"), []);
        assert_eq!(
            html_links("a <3 b < c <a href=\"x.md\">"),
            pairs(&[("x.md", 19)])
        );
        // The text of a script or a textarea is not HTML.
        assert_eq!(
            html_links("<script>var s = '<a href=\"x.md\">';</script><a href=\"y.md\">"),
            pairs(&[("y.md", 51)])
        );
        assert_eq!(html_links("<textarea><img src=\"x.png\"></textarea>"), []);
    }

    #[test]
    fn an_inline_comment_holds_no_links() {
        let body = "text <!-- <a href=\"x.md\">x</a> --> text <a href=\"y.md\">y</a>\n";
        assert_eq!(outline_links(body), pairs(&[("y.md", 48)]));
        let body = "text <!-- two\nlines <a href=\"x.md\">x</a> --> text\n";
        assert_eq!(outline_links(body), []);
    }

    #[test]
    fn a_comment_over_several_lines_of_an_html_block_holds_no_links() {
        // pulldown-cmark gives each line of an HTML block as an event of its own.
        let body = "Intro\n\n<!-- start\n<a href=\"x.md\">x</a>\n<img src=\"x.png\">\nend -->\n\n<a href=\"y.md\">y</a>\n";
        assert_eq!(outline_links(body), pairs(&[("y.md", 74)]));
        let body = "> <!-- start\n> <a href=\"x.md\">x</a>\n> end -->\n\n- <!--\n  <img src=\"x.png\">\n  -->\n";
        assert_eq!(outline_links(body), []);
        // A comment left open in an HTML block hides the raw HTML after it, as on the page.
        let body = "<div>\n<!-- open\n</div>\n\ntext <a href=\"y.md\">y</a> -->\n";
        assert_eq!(outline_links(body), []);
    }

    #[test]
    fn a_tag_over_several_lines_is_found_where_it_is_written() {
        let body = "<div>\n<a\n  href=\"x.md\">x</a>\n</div>\n";
        assert_eq!(outline_links(body), pairs(&[("x.md", 16)]));
        // In a block quote, pulldown-cmark leaves the `> ` out of inline HTML's lines.
        let body = "> quote <a\n> href=\"x.md\">x</a>\n";
        assert_eq!(outline_links(body), pairs(&[("x.md", 18)]));
    }

    #[test]
    fn many_links_on_one_line_are_read_in_one_pass() {
        let line = "<a href=\"x.md\">".repeat(20_000);
        let found = html_links(&line);
        assert_eq!(found.len(), 20_000);
        assert_eq!(found[19_999], ("x.md".to_string(), 15 * 19_999 + 8));
        let body = format!("{}\n", "<a href=\"x.md\">x</a> ".repeat(20_000));
        assert_eq!(outline(&body, &Scan::default()).links.len(), 20_000);
    }

    #[test]
    fn outline_finds_links_but_not_in_code() {
        let body = "# Intro\n\nSee [a](a.md#x) and `[b](b.md)`.\n\n```\n[c](c.md)\n```\n\n[d][ref]\n\n[ref]: d.md\n\n<img src=\"pic.svg\">\n";
        let o = outline(body, &Scan::default());
        let dests: Vec<&str> = o.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md#x", "d.md", "pic.svg"]);
        assert_eq!(o.headings[0].id, "intro");
        assert_eq!(&body[o.links[0].offset..o.links[0].offset + 3], "[a]");
    }
}
