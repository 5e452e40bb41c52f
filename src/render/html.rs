//! Markdown to HTML for one document: GitHub heading ids, links rewritten to the site's pages
//! and files, code highlighted, raw HTML sanitised; plus the plain text for search.

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use crate::links::{Target, encode_path, is_external};
use crate::markdown;
use crate::model::{Document, Project};
use crate::render::highlight;

/// A rendered document body.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// The HTML, safe to insert into a page.
    pub html: String,
    /// The body as plain text, for search.
    pub text: String,
}

/// Renders `body`, the Markdown body of `doc`. `root` is the relative path from the
/// document's page to the site root (`../../`).
pub fn render_body(project: &Project, doc: &Document, body: &str, root: &str) -> RenderedBody {
    let rewrite = |dest: &str| -> String { rewrite_url(project, doc, root, dest).into_owned() };
    let mut text = String::with_capacity(body.len());
    let mut html = String::with_capacity(body.len() * 3 / 2);
    let parser = Parser::new_ext(body, markdown::options());
    // Raw HTML (and autolinks) need a `<`: without one, events stream straight into the HTML
    // writer, links rewritten on the way. With raw HTML, the sanitiser rewrites every URL at
    // once instead, so the events are looked through first.
    if memchr::memchr(b'<', body.as_bytes()).is_none() {
        let events = Converter::new(doc, &mut text, Some(&rewrite)).convert(parser);
        pulldown_cmark::html::push_html(&mut html, events);
        return RenderedBody { html, text };
    }
    let events: Vec<Event<'_>> = parser.collect();
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let links = (!has_raw_html).then_some(&rewrite as &dyn Fn(&str) -> String);
    let events = events.into_iter().map(|event| match event {
        Event::Html(html) => Event::Html(remote_images_as_links(html)),
        Event::InlineHtml(html) => Event::InlineHtml(remote_images_as_links(html)),
        other => other,
    });
    let converted = Converter::new(doc, &mut text, links).convert(events);
    pulldown_cmark::html::push_html(&mut html, converted);
    if has_raw_html {
        html = sanitise(&html, &rewrite);
    }
    RenderedBody { html, text }
}

/// The plain text of `body`, the Markdown body of `doc`, exactly as [`render_body`] collects it
/// for search, without rendering its HTML (for a page the render cache takes unrendered).
pub fn body_text(doc: &Document, body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let mut converter = Converter::new(doc, &mut text, None);
    converter.text_only = true;
    converter
        .convert(Parser::new_ext(body, markdown::options()))
        .for_each(drop);
    text
}

/// A document page's body as plain text, when its render made it.
pub enum PageText {
    /// The page was taken unrendered from the render cache.
    Reused,
    /// The page was rendered, and this is its body's text.
    Rendered(String),
}

impl PageText {
    /// The text of `doc`'s body `markdown`, made now if the render did not make it.
    pub fn or_extract(self, doc: &Document, markdown: &str) -> String {
        match self {
            PageText::Rendered(text) => text,
            PageText::Reused => body_text(doc, markdown),
        }
    }
}

/// Turns a document's Markdown events into the events of its page: headings get the model's
/// ids, code blocks are highlighted, links and images are rewritten (when `rewrite` is given),
/// and the plain text is collected for search on the way.
struct Converter<'c> {
    headings: std::slice::Iter<'c, crate::document::HeadingSite>,
    text: &'c mut String,
    rewrite: Option<&'c dyn Fn(&str) -> String>,
    /// The language and text of the code block being read.
    code: Option<(String, String)>,
    /// Footnote numbers by label, in the order pulldown-cmark's writer gives them.
    footnotes: Vec<String>,
    /// The label of the footnote definition being read.
    footnote: Option<String>,
    /// How many references to each footnote were written (for their ids).
    references: rustc_hash::FxHashMap<String, usize>,
    /// The text of the last heading, to name the scrolling regions after it.
    heading: String,
    /// Whether a heading is being read.
    in_heading: bool,
    /// Tables and code blocks so far (for their regions' names).
    tables: usize,
    codes: usize,
    /// For each open image, when it is from another host (and so written as a link to it, or
    /// only as its text inside a link): its URL, whether it has alt text yet, and whether it is
    /// written as a link.
    images: Vec<Option<(String, bool, bool)>>,
    /// How many links are open (an image from another host inside one is only its text).
    links: usize,
    /// Only the text is wanted: code blocks are not highlighted.
    text_only: bool,
}

impl<'c> Converter<'c> {
    fn new(
        doc: &'c Document,
        text: &'c mut String,
        rewrite: Option<&'c dyn Fn(&str) -> String>,
    ) -> Self {
        Converter {
            headings: doc.headings.iter(),
            text,
            rewrite,
            code: None,
            footnotes: Vec::new(),
            footnote: None,
            references: Default::default(),
            heading: String::new(),
            in_heading: false,
            tables: 0,
            codes: 0,
            images: Vec::new(),
            links: 0,
            text_only: false,
        }
    }

    /// A footnote's number: the next one at its first reference or definition.
    fn footnote_number(&mut self, label: &str) -> usize {
        match self.footnotes.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(label.to_string());
                self.footnotes.len()
            }
        }
    }

    /// The accessible name of the next scrolling region (a table or a code block): what it
    /// is, numbered, and the heading it is under.
    fn region_name(&mut self, table: bool) -> String {
        let (what, count) = if table {
            self.tables += 1;
            ("Table", self.tables)
        } else {
            self.codes += 1;
            ("Code block", self.codes)
        };
        let under = self.heading.trim();
        if under.is_empty() {
            format!("{what} {count}")
        } else {
            format!("{what} {count} under “{}”", highlight::escape(under))
        }
    }

    /// The page's events for `events`, lazily.
    fn convert<'e>(
        mut self,
        events: impl Iterator<Item = Event<'e>>,
    ) -> impl Iterator<Item = Event<'e>> {
        events.flat_map(move |event| {
            // A table scrolls in a region of its own that the keyboard can reach and scroll.
            let pair = match event {
                Event::Start(Tag::Table(_)) => {
                    let name = self.region_name(true);
                    let open = format!(
                        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\">"
                    );
                    [Some(Event::Html(open.into())), Some(event)]
                }
                Event::End(TagEnd::Table) => [Some(event), Some(Event::Html("</div>\n".into()))],
                // An image from another host is a link to it, never loaded: no request leaves
                // the site. Without alt text, the link reads as its URL.
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if markdown::remote_url(&dest_url) => {
                    let as_link = self.links == 0;
                    self.images.push(Some((dest_url.to_string(), false, as_link)));
                    let link = Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    };
                    [as_link.then(|| self.event(Event::Start(link))).flatten(), None]
                }
                Event::Start(Tag::Image { .. }) => {
                    self.images.push(None);
                    [self.event(event), None]
                }
                Event::End(TagEnd::Image) => match self.images.pop().flatten() {
                    Some((url, alt, as_link)) => [
                        (!alt).then(|| Event::Text(url.into())),
                        as_link.then_some(Event::End(TagEnd::Link)),
                    ],
                    None => [Some(event), None],
                },
                Event::Start(Tag::Link { .. }) => {
                    self.links += 1;
                    [self.event(event), None]
                }
                Event::End(TagEnd::Link) => {
                    self.links = self.links.saturating_sub(1);
                    [Some(event), None]
                }
                other => [self.event(other), None],
            };
            pair.into_iter().flatten()
        })
    }

    /// A footnote reference: named "Footnote N", with an id its back-link returns to.
    fn reference(&mut self, label: &str) -> String {
        let number = self.footnote_number(label);
        let count = self.references.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = highlight::escape(label);
        let own = if *count == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{count}")
        };
        format!(
            "<sup class=\"footnote-reference\"><a href=\"#{id}\" id=\"{own}\" aria-label=\"Footnote {number}\">{number}</a></sup>"
        )
    }

    /// The page's event for one Markdown event, or none while inside a code block.
    fn event<'e>(&mut self, event: Event<'e>) -> Option<Event<'e>> {
        if let Some((lang, buffer)) = self.code.as_mut() {
            return match event {
                Event::Text(t) => {
                    buffer.push_str(&t);
                    None
                }
                Event::End(TagEnd::CodeBlock) => {
                    self.text.push_str(buffer);
                    self.text.push('\n');
                    let lang = std::mem::take(lang);
                    let code = std::mem::take(buffer);
                    self.code = None;
                    if self.text_only {
                        return None;
                    }
                    let name = self.region_name(false);
                    let html = highlight::code_block(&lang, &code, &name);
                    Some(Event::Html(html.into()))
                }
                _ => None,
            };
        }
        Some(match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return None;
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = self.headings.next().map(|h| CowStr::from(h.id.clone()));
                self.heading.clear();
                self.in_heading = true;
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => match self.rewrite {
                Some(rewrite) => Event::Start(with_dest_rewritten(tag, rewrite)),
                None => Event::Start(tag),
            },
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some(Some((_, alt, _))) = self.images.last_mut() {
                    *alt |= !t.is_empty();
                }
                self.text.push_str(t);
                if self.in_heading {
                    self.heading.push_str(t);
                }
                event
            }
            Event::TaskListMarker(done) => {
                // A task-list checkbox is named, so a screen reader reads "Done, checked".
                let checked = if done { " checked" } else { "" };
                Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"Done\"> ")
                        .into(),
                )
            }
            Event::FootnoteReference(label) => Event::InlineHtml(self.reference(&label).into()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let number = self.footnote_number(&label);
                let html = format!(
                    "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{number}</sup>",
                    id = highlight::escape(&label)
                );
                self.footnote = Some(label.to_string());
                Event::Html(html.into())
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let label = self.footnote.take().unwrap_or_default();
                let number = self.footnote_number(&label);
                let back = if self.references.contains_key(&label) {
                    format!(
                        "<a class=\"footnote-backref\" href=\"#fnref-{id}\" aria-label=\"Back to reference {number}\">↩</a>",
                        id = highlight::escape(&label)
                    )
                } else {
                    String::new()
                };
                Event::Html(format!("{back}</div>\n").into())
            }

            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                self.text.push('\n');
                event
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.text.push('\n');
                event
            }
            other => other,
        })
    }
}

/// A link or image tag with its destination passed through `rewrite`.
fn with_dest_rewritten<'a>(tag: Tag<'a>, rewrite: &dyn Fn(&str) -> String) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: rewrite(&dest_url).into(),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: rewrite(&dest_url).into(),
            title,
            id,
        },
        other => other,
    }
}

/// The URL a link in `doc` should have on the site.
fn rewrite_url<'u>(project: &Project, doc: &Document, root: &str, dest: &'u str) -> Cow<'u, str> {
    let trimmed = dest.trim();
    if is_external(trimmed) {
        return if is_safe_scheme(trimmed) {
            Cow::Borrowed(dest)
        } else {
            Cow::Borrowed("#")
        };
    }
    let target = doc
        .target_of(dest)
        .map(Cow::Borrowed)
        .unwrap_or_else(|| Cow::Owned(project.resolve_link(doc.path(), dest)));
    match target.as_ref() {
        Target::Document { index, anchor } => {
            let url = &project.documents[*index].url;
            Cow::Owned(match anchor {
                Some(a) => format!("{root}{}#{}", encode_path(url), encode_fragment(a)),
                None => format!("{root}{}", encode_path(url)),
            })
        }
        Target::File { url } | Target::Page { url } => {
            Cow::Owned(format!("{root}{}", encode_path(url)))
        }
        Target::SameDocument { .. }
        | Target::External
        | Target::Unpublished { .. }
        | Target::Missing { .. } => Cow::Borrowed(dest),
    }
}

fn is_safe_scheme(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [
        "http:", "https:", "mailto:", "tel:", "ftp:", "sftp:", "ssh:", "//",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
}

fn encode_fragment(fragment: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`');
    percent_encoding::utf8_percent_encode(fragment, SET).to_string()
}

/// Cleans HTML that came from raw HTML in a document with the one allow-list
/// ([`markdown::sanitiser`]); relative URLs are rewritten with `rewrite`.
fn sanitise(html: &str, rewrite: &(dyn Fn(&str) -> String + Send + Sync)) -> String {
    let mut builder = markdown::sanitiser();
    builder.url_relative(ammonia::UrlRelative::Custom(Box::new(Rewriter(rewrite))));
    builder.clean(html).to_string()
}

/// Raw HTML with each `<img>` from another host written as a link to it, named by its alt text
/// (else its URL): no request leaves the site. (An `<img>` whose tag spans lines of an HTML
/// block is left to the sanitiser, which drops its `src`.)
fn remote_images_as_links(html: CowStr<'_>) -> CowStr<'_> {
    if !html
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"<img"))
    {
        return html;
    }
    let mut tags = Vec::new();
    markdown::HtmlLinks::new().feed(&html, &[(0, 0)], &mut tags);
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for tag in &tags {
        let remote = tag
            .attrs
            .iter()
            .find(|(name, value)| name == "src" && markdown::remote_url(value));
        let Some((_, url)) = remote.filter(|_| tag.name == "img") else {
            continue;
        };
        let alt = tag
            .attrs
            .iter()
            .find(|(name, value)| name == "alt" && !value.trim().is_empty())
            .map_or(url, |(_, alt)| alt);
        out.push_str(&html[at..tag.offset]);
        out.push_str(&format!(
            "<a href=\"{}\">{}</a>",
            highlight::escape(url),
            highlight::escape(alt)
        ));
        at = tag.offset + tag.written.len();
    }
    if at == 0 {
        return html;
    }
    out.push_str(&html[at..]);
    out.into()
}

/// Rewrites relative URLs in sanitised HTML the way Markdown links are rewritten.
struct Rewriter<'r>(&'r (dyn Fn(&str) -> String + Send + Sync));

impl<'r> ammonia::UrlRelativeEvaluate<'r> for Rewriter<'r> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        Some(Cow::Owned((self.0)(url)))
    }
}

#[cfg(test)]
mod tests {
    use super::render_body;
    use std::fs;

    /// Renders every document of a repository holding `docs` (path, Markdown body).
    fn rendered(docs: &[(&str, &str)]) -> Vec<super::RenderedBody> {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("annexa.toml"), "title = \"T\"\n").unwrap();
        fs::write(dir.path().join("img.png"), "png").unwrap();
        for (path, body) in docs {
            let front = format!("+++\ntitle = \"{path}\"\nowner = \"O\"\n+++\n");
            fs::write(dir.path().join(path), front + body).unwrap();
        }
        let today = jiff::civil::date(2026, 11, 1);
        let loaded =
            crate::model::load(dir.path(), today, &mut crate::load::DocCache::default()).unwrap();
        let project = loaded.project;
        project
            .documents
            .iter()
            .map(|doc| render_body(&project, doc, doc.body(), ""))
            .collect()
    }

    #[test]
    fn streamed_and_collected_events_render_alike() {
        let body = "## Scope\n\nSee [B](b.md#purpose), ![logo](img.png) and \
                    [the web](https://example.com).\n\n```yaml\nkey: value\n```\n\n\
                    ## Scope\n\nAgain.\n";
        // A `<` sends a body down the collecting path; an autolink is not raw HTML, so the
        // links there are still rewritten one by one, as they are when streamed.
        let with_autolink = format!("{body}\nMail <mailto:x@example.com>.\n");
        let [a, b, c] = &rendered(&[
            ("a.md", body),
            ("b.md", "## Purpose\n\nText.\n"),
            ("c.md", &with_autolink),
        ])[..] else {
            panic!("three documents");
        };
        assert!(b.html.contains(r#"<h2 id="purpose">"#), "{}", b.html);
        for expected in [
            r#"<h2 id="scope">Scope</h2>"#,
            r#"<h2 id="scope-1">Scope</h2>"#,
            r##"<a href="b/#purpose">B</a>"##,
            r#"<img src="img.png" alt="logo" />"#,
            r#"<a href="https://example.com">the web</a>"#,
            r#"<pre class="code"#,
        ] {
            assert!(a.html.contains(expected), "{expected} in {}", a.html);
        }
        assert!(c.html.starts_with(&a.html), "{}\n---\n{}", a.html, c.html);
        assert!(c.text.starts_with(&a.text));
        assert!(a.text.contains("key: value\n") && a.text.contains("See B, logo and the web"));
    }

    #[test]
    fn an_image_from_another_host_is_a_link_to_it() {
        let body = "![Logo](https://cdn.example.com/logo.png \"The logo\") ![](//cdn.example.com/x.png)\n\n\
                    [![Badge **b**](https://img.example.com/b.svg)](https://ci.example.com/) ![Here](img.png)\n";
        let [a] = &rendered(&[("a.md", body)])[..] else {
            panic!("one document");
        };
        assert_eq!(
            a.html,
            "<p><a href=\"https://cdn.example.com/logo.png\" title=\"The logo\">Logo</a> \
             <a href=\"//cdn.example.com/x.png\">//cdn.example.com/x.png</a></p>\n\
             <p><a href=\"https://ci.example.com/\">Badge <strong>b</strong></a> \
             <img src=\"img.png\" alt=\"Here\" /></p>\n"
        );
        assert_eq!(a.text, "Logo \nBadge b Here\n");
    }

    #[test]
    fn raw_html_is_sanitised_with_its_links_rewritten() {
        let body = "## Scope\n\n<div onclick=\"x()\">See <a href=\"b.md\">B</a>.</div>\n\n\
                    [Also B](b.md) and <script>alert(1)</script>\n";
        let [a, _] = &rendered(&[("a.md", body), ("b.md", "Text.\n")])[..] else {
            panic!("two documents");
        };
        assert!(
            !a.html.contains("onclick") && !a.html.contains("<script"),
            "{}",
            a.html
        );
        assert_eq!(a.html.matches(r#"href="b/""#).count(), 2, "{}", a.html);
        assert!(a.html.contains(r#"<h2 id="scope">"#), "{}", a.html);
    }
}
