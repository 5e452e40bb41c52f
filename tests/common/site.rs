//! Helpers for the site tests: building a site, reading it back, and a small HTML scanner that
//! finds tags, attributes and ids without a parser crate.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::{Repo, annexa};

/// `annexa build DIR -o OUT --today TODAY ARGS…`.
pub fn build(dir: &Path, out: &Path, today: &str, args: &[&str]) -> Output {
    annexa()
        .arg("build")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(["--today", today])
        .args(args)
        .output()
        .expect("annexa runs")
}

/// Asserts that a build exited 0, showing its output otherwise.
pub fn assert_built(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "build failed:\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file below `dir`, by `/`-separated relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("a readable folder");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_file() {
            files.insert(rel, fs::read(entry.path()).unwrap());
        } else if entry.file_type().is_dir() && !rel.is_empty() {
            // Folders count too, so that an added or removed empty folder is seen.
            files.insert(format!("{rel}/"), Vec::new());
        }
    }
    files
}

/// The relative paths of every `.html` file below `dir`.
pub fn html_files(dir: &Path) -> Vec<String> {
    snapshot_names(dir)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

fn snapshot_names(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// Reads a text file of the site.
pub fn read(site: &Path, rel: &str) -> String {
    fs::read_to_string(site.join(rel))
        .unwrap_or_else(|e| panic!("cannot read `{rel}` of the site: {e}"))
}

/// One start or end tag.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Lower-case element name.
    pub name: String,
    /// Attributes, names lower-cased, values with character references decoded.
    pub attrs: Vec<(String, String)>,
    /// `</name>`.
    pub end: bool,
}

impl Tag {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A scanned HTML page: its tags and its text (character references decoded).
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Start and end tags, in order.
    pub tags: Vec<Tag>,
    /// The text between tags, including the raw text of `<script>`, `<style>`, `<title>` and
    /// `<textarea>`, decoded, each piece followed by a newline.
    pub text: String,
}

impl Page {
    /// Scans `html`. Comments and the doctype are skipped; the content of raw-text elements
    /// (`script`, `style`) and escapable raw-text elements (`title`, `textarea`) is text, never
    /// tags, as a browser reads it.
    pub fn parse(html: &str) -> Page {
        let mut page = Page::default();
        let bytes = html.as_bytes();
        let mut i = 0;
        let mut text_start = 0;
        while i < bytes.len() {
            if bytes[i] != b'<' {
                i += 1;
                continue;
            }
            let rest = &html[i..];
            let starts_tag = rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
            if !starts_tag {
                i += 1;
                continue;
            }
            page.push_text(&html[text_start..i]);
            if rest.starts_with("<!--") {
                i += rest.find("-->").map_or(rest.len(), |e| e + 3);
                text_start = i;
                continue;
            }
            if rest.starts_with("<!") {
                i += rest.find('>').map_or(rest.len(), |e| e + 1);
                text_start = i;
                continue;
            }
            let (tag, len) = parse_tag(rest);
            i += len;
            text_start = i;
            let Some(tag) = tag else { continue };
            let raw =
                !tag.end && matches!(tag.name.as_str(), "script" | "style" | "title" | "textarea");
            let name = tag.name.clone();
            page.tags.push(tag);
            if raw {
                let close = format!("</{name}");
                let lower = html[i..].to_ascii_lowercase();
                let end = lower.find(&close).map_or(html.len(), |e| i + e);
                let content = &html[i..end];
                if name == "title" || name == "textarea" {
                    page.push_text(content);
                } else {
                    page.text.push_str(content);
                    page.text.push('\n');
                }
                i = end;
                text_start = i;
            }
        }
        page.push_text(&html[text_start..]);
        page
    }

    fn push_text(&mut self, raw: &str) {
        if !raw.trim().is_empty() {
            self.text.push_str(&decode_entities(raw));
            self.text.push('\n');
        }
    }

    /// Every `id` attribute.
    pub fn ids(&self) -> HashSet<String> {
        self.tags
            .iter()
            .filter_map(|t| t.attr("id"))
            .map(str::to_string)
            .collect()
    }

    /// The start tags named `name`.
    pub fn elements<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Tag> + 'a {
        self.tags.iter().filter(move |t| !t.end && t.name == name)
    }

    /// The text as a reader sees it, run by run: each line of text between tags, trimmed,
    /// blank ones left out.
    pub fn texts(&self) -> Vec<&str> {
        self.text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Every tag of `html` with the byte range it takes, scanned as [`Page::parse`] scans them
/// (comments, the doctype and the content of raw-text elements are not tags).
fn tag_spans(html: &str) -> Vec<(usize, usize, Tag)> {
    let mut spans = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if !starts_tag {
            i += 1;
            continue;
        }
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<!") {
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        let (tag, len) = parse_tag(rest);
        let start = i;
        i += len;
        let Some(tag) = tag else { continue };
        let raw =
            !tag.end && matches!(tag.name.as_str(), "script" | "style" | "title" | "textarea");
        if raw {
            let close = format!("</{}", tag.name);
            let lower = html[i..].to_ascii_lowercase();
            spans.push((start, i, tag));
            i = lower.find(&close).map_or(html.len(), |e| i + e);
        } else {
            spans.push((start, i, tag));
        }
    }
    spans
}

/// The outer HTML of every element whose start tag satisfies `pred`, in document order: from
/// its start tag to its matching end tag (elements of the same name inside it are counted), or
/// to the end of `html` when it is never closed. Elements inside a match are matched too.
pub fn outer_html(html: &str, pred: impl Fn(&Tag) -> bool) -> Vec<&str> {
    let spans = tag_spans(html);
    let mut found = Vec::new();
    for (k, (start, end, tag)) in spans.iter().enumerate() {
        if tag.end || !pred(tag) {
            continue;
        }
        if VOID.contains(&tag.name.as_str()) {
            found.push(&html[*start..*end]);
            continue;
        }
        let mut depth = 0usize;
        let mut close = html.len();
        for (_, e, t) in spans[k + 1..].iter().filter(|(_, _, t)| t.name == tag.name) {
            if !t.end {
                depth += 1;
            } else if depth == 0 {
                close = *e;
                break;
            } else {
                depth -= 1;
            }
        }
        found.push(&html[*start..close]);
    }
    found
}

/// The outer HTML of the only element whose start tag satisfies `pred`; `what` names it in the
/// failure message.
pub fn only_element<'a>(html: &'a str, what: &str, pred: impl Fn(&Tag) -> bool) -> &'a str {
    let found = outer_html(html, pred);
    assert_eq!(
        found.len(),
        1,
        "one {what}, found {}: {found:#?}",
        found.len()
    );
    found[0]
}

/// Parses the tag at the start of `s` (which starts with `<`): the tag (None for a stray `<`)
/// and how many bytes it took.
fn parse_tag(s: &str) -> (Option<Tag>, usize) {
    let bytes = s.as_bytes();
    let mut i = 1;
    let end = bytes.get(i) == Some(&b'/');
    if end {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start {
        return (None, 1);
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        let attr_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        if i == attr_start {
            // A `=` with no name: skip it, as a browser does.
            i += 1;
            continue;
        }
        let attr = s[attr_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let v_start = i + 1;
                let v_end = s[v_start..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(s.len(), |p| v_start + p);
                value = decode_entities(&s[v_start..v_end]);
                i = (v_end + 1).min(s.len());
            } else {
                let v_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&s[v_start..i]);
            }
        }
        attrs.push((attr, value));
    }
    (Some(Tag { name, attrs, end }), i)
}

/// Decodes the character references annexa, Tera, ammonia and pulldown-cmark write.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
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

/// Percent-decodes a URL path or fragment.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The scheme of a URL (`https`, `javascript`), lower-cased, as a browser reads it: ASCII tabs
/// and newlines removed, leading and trailing spaces and control characters trimmed.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Resolves a relative URL path against the folder of `from` (both relative to the site
/// root, `/`-separated): the file it names, a folder URL (`x/`, `.`, `..`) naming its
/// `index.html`, and an empty path naming `from` itself. `None` when it climbs above the root.
pub fn resolve(from: &str, path: &str) -> Option<String> {
    if path.is_empty() {
        return Some(from.to_string());
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if matches!(last, "" | "." | "..") {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

/// A built site, scanned once.
pub struct Site {
    /// The output folder.
    pub dir: PathBuf,
    /// Every HTML page, by relative path.
    pub pages: BTreeMap<String, Page>,
}

impl Site {
    /// Scans every page of the site in `dir`.
    pub fn scan(dir: &Path) -> Site {
        let pages = html_files(dir)
            .into_iter()
            .map(|rel| {
                let page = Page::parse(&read(dir, &rel));
                (rel, page)
            })
            .collect();
        Site {
            dir: dir.to_path_buf(),
            pages,
        }
    }

    /// A page, which must exist.
    pub fn page(&self, rel: &str) -> &Page {
        self.pages
            .get(rel)
            .unwrap_or_else(|| panic!("the site has no page `{rel}`"))
    }

    /// Every problem with the site's links: an internal `href`, `src` or `action` that does
    /// not resolve to a file (a folder URL to its `index.html`) or whose `#fragment` names no
    /// element id of an HTML target; an absolute internal URL (`/…`); an element other than a
    /// plain link that loads an `http(s):` or protocol-relative URL; a `javascript:` or
    /// `vbscript:` URL, or a `data:` URL other than an image's or an icon's.
    pub fn link_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
        for (rel, page) in &self.pages {
            ids.insert(rel.clone(), page.ids());
        }
        for (rel, page) in &self.pages {
            for tag in page.tags.iter().filter(|t| !t.end) {
                for (attr, url) in &tag.attrs {
                    if !matches!(attr.as_str(), "href" | "src" | "action" | "poster" | "data") {
                        continue;
                    }
                    if let Some(p) = self.url_problem(rel, tag, url, &ids) {
                        problems.push(format!("{rel}: <{} {attr}=\"{url}\">: {p}", tag.name));
                    }
                }
                if let Some(srcset) = tag.attr("srcset") {
                    problems.push(format!(
                        "{rel}: <{} srcset=\"{srcset}\">: not checked",
                        tag.name
                    ));
                }
            }
        }
        problems
    }

    fn url_problem(
        &self,
        from: &str,
        tag: &Tag,
        url: &str,
        ids: &HashMap<String, HashSet<String>>,
    ) -> Option<String> {
        let trimmed = url.trim();
        if let Some(scheme) = scheme(trimmed) {
            return match scheme.as_str() {
                "http" | "https" if tag.name == "a" => None,
                "http" | "https" => Some("loads a resource from outside the site".into()),
                "javascript" | "vbscript" => Some("a script URL".into()),
                // A data: image or icon is inert and requests nothing; a data: document is not.
                "data" if matches!(tag.name.as_str(), "img" | "link" | "source") => None,
                "data" => Some("a data: document URL".into()),
                _ if tag.name == "a" => None,
                _ => Some("an external URL outside a plain link".into()),
            };
        }
        if trimmed.starts_with("//") {
            return (tag.name != "a").then(|| "loads a protocol-relative resource".into());
        }
        if trimmed.starts_with('/') {
            return Some(
                "an absolute internal URL (it breaks under a base URL and from disk)".into(),
            );
        }
        let (before, fragment) = match trimmed.split_once('#') {
            Some((b, f)) => (b, Some(percent_decode(f))),
            None => (trimmed, None),
        };
        let path = before.split_once('?').map_or(before, |(p, _)| p);
        let Some(target) = resolve(from, &percent_decode(path)) else {
            return Some("climbs above the site root".into());
        };
        if self.dir.join(&target).is_dir() {
            return Some(format!(
                "`{target}` is a folder, linked without a trailing `/`"
            ));
        }
        if !self.dir.join(&target).is_file() {
            return Some(format!("`{target}` does not exist"));
        }
        match fragment {
            Some(f) if !f.is_empty() && target.ends_with(".html") => {
                let found = ids.get(&target).is_some_and(|set| set.contains(&f));
                (!found).then(|| format!("`{target}` has no element with id `{f}`"))
            }
            _ => None,
        }
    }
}

/// Every page and file of fixed name that annexa generates, as files, from the route table:
/// the dashboard, the register, the control matrix, the SoA, reviews, risks, owners, search,
/// the 404 page and the exports.
pub fn fixed_pages() -> Vec<String> {
    use annexa::routes::{ROUTES, file_of};
    ROUTES
        .iter()
        .filter(|r| !r.pattern.contains('{'))
        .map(|r| file_of(r.pattern))
        .collect()
}

/// A repository of `docs` policies whose ids split the search shards (tests/search.rs), each
/// with a body of about 1,100 characters that ends in twenty ids of its own (`pol-0000` to
/// `pol-0019` in the first, and so on).
pub fn many_ids(docs: usize) -> Repo {
    let mut repo = Repo::new();
    let filler = "Staff keep the rules of this policy and report every breach to the security \
                  team at once. ";
    for i in 0..docs {
        let ids: Vec<String> = (0..20).map(|j| format!("pol-{:04}", i * 20 + j)).collect();
        repo = repo.file(
            &format!("policies/p{i:02}.md"),
            &format!(
                "+++\ntitle = \"Policy {i}\"\nowner = \"CISO\"\nlast_reviewed = 2026-06-01\n+++\n\n{}\nSee {}.\n",
                filler.repeat(12),
                ids.join(" ")
            ),
        );
    }
    repo
}
