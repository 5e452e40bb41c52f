//! Markdown to HTML for one document: GitHub heading ids, links rewritten to the site's pages
//! and files, code highlighted, raw HTML sanitised; plus the plain text for search.

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use crate::document::Document;
use crate::links::{Target, encode_path, is_external};
use crate::markdown;
use crate::model::Project;
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
    let events: Vec<Event<'_>> = Parser::new_ext(body, markdown::options()).collect();
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let rewrite = |dest: &str| -> String { rewrite_url(project, doc, root, dest).into_owned() };
    let mut text = String::new();
    let mut out_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut headings = doc.headings.iter();
    let mut code: Option<(String, String)> = None;
    for event in events {
        if let Some((lang, buffer)) = code.as_mut() {
            match event {
                Event::Text(t) => buffer.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    text.push_str(buffer);
                    text.push('\n');
                    out_events.push(Event::Html(highlight::code_block(lang, buffer).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = headings.next().map(|h| CowStr::from(h.id.clone()));
                out_events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            // With raw HTML in the page, the sanitiser rewrites every URL at once instead.
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) if !has_raw_html => {
                out_events.push(Event::Start(with_dest_rewritten(tag, &rewrite)));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                text.push_str(t);
                out_events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                out_events.push(event);
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_),
            ) => {
                text.push('\n');
                out_events.push(event);
            }
            other => out_events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    if has_raw_html {
        html = sanitise(&html, &rewrite);
    }
    RenderedBody { html, text }
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
        .links
        .iter()
        .find(|l| l.dest == dest)
        .map(|l| Cow::Borrowed(&l.target))
        .unwrap_or_else(|| Cow::Owned(project.resolve_link(doc.path(), dest)));
    match target.as_ref() {
        Target::Document { index, anchor } => {
            let url = &project.documents[*index].url;
            Cow::Owned(match anchor {
                Some(a) => format!("{root}{}#{}", encode_path(url), encode_fragment(a)),
                None => format!("{root}{}", encode_path(url)),
            })
        }
        Target::File { path } => Cow::Owned(format!("{root}{}", encode_path(path))),
        Target::SameDocument { .. } | Target::External | Target::Missing { .. } => {
            Cow::Borrowed(dest)
        }
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

/// Cleans HTML that came from raw HTML in a document: no scripts, no event handlers, no
/// `javascript:` URLs; keeps heading ids, highlight classes, task-list checkboxes and table
/// alignment. Relative URLs are rewritten with `rewrite`.
fn sanitise(html: &str, rewrite: &(dyn Fn(&str) -> String + Send + Sync)) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class", "id", "style"])
        .add_tags(["input", "figure", "figcaption", "section", "mark"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["width", "height", "loading"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            (_, "style") => is_alignment(value).then_some(Cow::Borrowed(value)),
            ("input", "type") => (value == "checkbox").then_some(Cow::Borrowed(value)),
            _ => Some(Cow::Borrowed(value)),
        })
        .url_relative(ammonia::UrlRelative::Custom(Box::new(Rewriter(rewrite))));
    builder.clean(html).to_string()
}

/// Rewrites relative URLs in sanitised HTML the way Markdown links are rewritten.
struct Rewriter<'r>(&'r (dyn Fn(&str) -> String + Send + Sync));

impl<'r> ammonia::UrlRelativeEvaluate<'r> for Rewriter<'r> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        Some(Cow::Owned((self.0)(url)))
    }
}

fn is_alignment(style: &str) -> bool {
    let normal: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let normal = normal.trim_end_matches(';');
    matches!(
        normal,
        "text-align:left" | "text-align:center" | "text-align:right"
    )
}
