//! Document pages: each document's page rendered (or taken from the render cache) with its
//! search data handed on, its body read only when wanted.

use tera::Value;

use super::{Renderer, root_for, template_of};
use crate::error::Fatal;
use crate::model::Document;
use crate::render::body::Body;
use crate::render::crumbs::crumbs_for_document;
use crate::render::html::{PageText, render_body};
use crate::render::toc::toc;
use crate::render::view::history_view;
use crate::routes::{self, RouteId};
use crate::search::{self, Found, ResultEntry, SearchFields, SearchSink};
use crate::write::{Hash, Tree};

impl<'p> Renderer<'p> {
    /// Renders the documents of chunk `chunk` (see [`search::CHUNK`]), writes their search
    /// result files, and hands each document's search data to `sink`.
    pub fn document_chunk<S: SearchSink>(
        &self,
        chunk: usize,
        out: &Tree,
        sink: &mut S,
    ) -> Result<(), Fatal> {
        let first = chunk * search::CHUNK;
        let last = (first + search::CHUNK).min(self.project.documents.len());
        for i in first..last {
            self.document_into(i, out, sink)?;
        }
        Ok(())
    }

    /// Renders the page of document `index` and hands its search data to `sink`: taken from the
    /// search cache when that holds the document's key, else made from its body's text.
    fn document_into<S: SearchSink>(
        &self,
        index: usize,
        out: &Tree,
        sink: &mut S,
    ) -> Result<(), Fatal> {
        let (fields, mut markdown, key, page) = self.document_parts(index, out)?;
        let cached = (self.search_cache.as_ref().zip(key))
            .and_then(|(cache, key)| cache.get(&key).map(|(data, text)| (data, text, key)));
        let text;
        let (entry, found) = match cached {
            Some((data, cached, key)) => (
                ResultEntry::with_text(index, &fields, cached),
                Found::Cached(data, key),
            ),
            None => {
                text = page.or_extract(&self.project.documents[index], markdown.text()?);
                let entry = ResultEntry::new(index, &fields, &text);
                (entry, Found::Text(&text, key))
            }
        };
        entry.write(out)?;
        sink.add(index, &fields, found, entry)
    }

    /// Renders the page of document `index`; returns its search fields, its search result
    /// entry and its body as plain text (the caller writes the result files).
    pub fn document(
        &self,
        index: usize,
        out: &Tree,
    ) -> Result<(SearchFields<'p>, search::ResultEntry, String), Fatal> {
        let (fields, mut markdown, _, page) = self.document_parts(index, out)?;
        let text = page.or_extract(&self.project.documents[index], markdown.text()?);
        let entry = search::ResultEntry::new(index, &fields, &text);
        Ok((fields, entry, text))
    }

    /// Renders the page of document `index` or takes it from the render cache; returns its
    /// search fields, its Markdown body (read only if it was wanted) and its search key (when
    /// the build keeps a cache).
    fn document_parts(
        &self,
        index: usize,
        out: &Tree,
    ) -> Result<(SearchFields<'p>, Body<'p>, Option<Hash>, PageText), Fatal> {
        let fields = SearchFields::of(self.project, index);
        let mut markdown = Body {
            root: &self.project.root,
            doc: &self.project.documents[index].parsed,
            text: None,
        };
        let key = match self.cache.is_some() || self.search_cache.is_some() {
            true => Some(search::search_key(&fields, &markdown.digest()?)),
            false => None,
        };
        let page = self.document_page(index, out, &mut markdown, key.as_ref())?;
        Ok((fields, markdown, key, page))
    }

    /// Renders the page of document `index`, whose body is `markdown` (search key `key`, when
    /// the build keeps a cache), or takes it unrendered from the render cache.
    fn document_page(
        &self,
        index: usize,
        out: &Tree,
        markdown: &mut Body<'_>,
        body_key: Option<&Hash>,
    ) -> Result<PageText, Fatal> {
        let doc = &self.project.documents[index];
        let root = root_for(&doc.url);
        let file = routes::file_of(&doc.url);
        let key = self
            .cache
            .as_ref()
            .zip(body_key)
            .map(|(c, body)| (c, c.key(self.project, index, body)));
        if let Some((cache, key)) = &key
            && cache.reuse(&doc.url, &file, key, out)
        {
            return Ok(PageText::Reused);
        }
        let body = render_body(self.project, doc, markdown.text()?, &root);
        let mut context = self.context_with(
            None,
            &doc.url,
            "documents",
            &doc.title,
            crumbs_for_document(&doc.url),
        )?;
        context.insert_value("doc", self.doc_values[index].clone());
        // Marked safe here: a `| safe` in the template would copy the whole body once more.
        let shown = without_title(&body.html, doc);
        // The page's own <h1> takes the id of the heading it replaces, so that links to it work.
        let title_id = (shown.len() != body.html.len()).then(|| doc.headings[0].id.as_str());
        context.insert("title_id", &title_id);
        context.insert_value("body", Value::safe_string(shown));
        context.insert("has_code", &body.html.contains("<pre class=\"code\""));
        context.insert("toc", &toc(&doc.headings, title_id.is_some()));
        context.insert("referenced_by", self.project.referenced_by(index));
        context.insert("history", &history_view(self.project, index));
        let (context, _) = context.finish(template_of(RouteId::Document));
        let page = self.render_to(
            out,
            &file,
            template_of(RouteId::Document),
            &context,
            &doc.url,
        )?;
        if let (Some((cache, key)), Some(page)) = (key, page) {
            cache.record(&doc.url, &key, &page);
        }
        Ok(PageText::Rendered(body.text))
    }
}

/// The body without its leading `<h1>` when that heading repeats the document title (the page
/// shows the title in its header already).
fn without_title<'b>(html: &'b str, doc: &Document) -> &'b str {
    let Some(first) = doc.headings.first() else {
        return html;
    };
    let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
    if first.level != 1 || !same(&first.text, &doc.title) || !html.starts_with("<h1") {
        return html;
    }
    match html.find("</h1>") {
        Some(end) => html[end + "</h1>".len()..].trim_start(),
        None => html,
    }
}
