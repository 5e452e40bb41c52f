//! Markdown facts shared by the model and the renderer: parser options, GitHub heading ids,
//! and the headings and links of a document body.

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
}

/// The headings and links of a Markdown body, in order.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Headings with their ids.
    pub headings: Vec<Heading>,
    /// Links and images, including reference-style ones; none from code.
    pub links: Vec<RawLink>,
}

/// Reads the headings and links of `body` in one pass.
pub fn outline(body: &str) -> Outline {
    let mut outline = Outline::default();
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, String, usize)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
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
                dest: dest_url.to_string(),
                offset: range.start,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => outline.links.push(RawLink {
                dest: dest_url.to_string(),
                offset: range.start,
                image: true,
            }),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading_text, _)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                for (dest, at) in html_links(&html) {
                    outline.links.push(RawLink {
                        dest,
                        offset: range.start + at,
                        image: false,
                    });
                }
            }
            _ => {}
        }
    }
    outline
}

/// The `href` and `src` values in a piece of raw HTML, with their offsets in it.
pub fn html_links(html: &str) -> Vec<(String, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for attr in ["href", "src"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let at = from + i;
            from = at + attr.len();
            let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
            let rest = lower[from..].trim_start();
            if !before_ok || !rest.starts_with('=') {
                continue;
            }
            let value_start = html.len() - rest.len() + 1;
            let value = html[value_start..].trim_start();
            let value_start = html.len() - value.len();
            let (value, quoted) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => (&value[1..], Some(q)),
                _ => (value, None),
            };
            let end = match quoted {
                Some(q) => value.find(q),
                None => value.find(|c: char| c.is_whitespace() || c == '>'),
            }
            .unwrap_or(value.len());
            found.push((decode_char_refs(&value[..end]), value_start));
        }
    }
    found.sort_by_key(|(_, at)| *at);
    found
}

/// Decodes the character references of an attribute value (`&amp;`, `&#x09;`, `&#58;`), as
/// a browser does before it reads the URL; unknown named references stay as written.
fn decode_char_refs(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let name_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..name_end];
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.map(|c| char::from_u32(c).unwrap_or('\u{fffd}'))
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "colon" => Some(':'),
                "sol" => Some('/'),
                "num" => Some('#'),
                "quest" => Some('?'),
                "period" => Some('.'),
                "lpar" => Some('('),
                "rpar" => Some(')'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let semicolon = rest[name_end..].starts_with(';');
                rest = &rest[name_end + usize::from(semicolon)..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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

    #[test]
    fn raw_html_links_are_decoded() {
        let links = html_links(
            "<a href=\"a.md?x=1&amp;y=2#s\">a</a> <a href='java&#x09;script&#58;x'>b</a> <img src=\"&unknown;.png\">",
        );
        let dests: Vec<&str> = links.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(dests, ["a.md?x=1&y=2#s", "java\tscript:x", "&unknown;.png"]);
    }

    #[test]
    fn outline_finds_links_but_not_in_code() {
        let body = "# Intro\n\nSee [a](a.md#x) and `[b](b.md)`.\n\n```\n[c](c.md)\n```\n\n[d][ref]\n\n[ref]: d.md\n\n<img src=\"pic.svg\">\n";
        let o = outline(body);
        let dests: Vec<&str> = o.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md#x", "d.md", "pic.svg"]);
        assert_eq!(o.headings[0].id, "intro");
        assert_eq!(&body[o.links[0].offset..o.links[0].offset + 3], "[a]");
    }
}
