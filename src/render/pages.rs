//! Pages: which page goes where, with which template and context. Site-wide data is Tera's
//! global context `site`, set once; each page's own context holds only what is particular to it.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::document::Document;
use crate::error::Fatal;
use crate::history::Change;
use crate::model::Project;
use crate::render::html::render_body;
use crate::render::search::{self, SearchSink};
use crate::render::theme;
use crate::render::view::{LinkView, SiteView};

/// The fixed top-level pages: (URL, section name, title, template).
pub const SECTIONS: &[(&str, &str, &str, &str)] = &[
    ("", "dashboard", "Dashboard", "index.html"),
    ("documents/", "documents", "Documents", "documents.html"),
    ("controls/", "controls", "Controls", "controls.html"),
    ("soa/", "soa", "Statement of Applicability", "soa.html"),
    ("reviews/", "reviews", "Reviews", "reviews.html"),
    ("risks/", "risks", "Risks", "risks.html"),
    ("owners/", "owners", "Owners", "owners.html"),
    ("search/", "search", "Search", "search.html"),
];

/// A page's own context: where it is and how to get home.
#[derive(Debug, Serialize)]
struct PageInfo<'a> {
    /// Page title.
    title: &'a str,
    /// Root-relative URL of the page.
    url: &'a str,
    /// The nav section it belongs to.
    section: &'static str,
    /// Breadcrumbs from the dashboard to the page's parent.
    crumbs: Vec<LinkView>,
}

/// A heading for a document's table of contents.
#[derive(Debug, Serialize)]
struct TocEntry<'a> {
    level: u8,
    text: &'a str,
    id: &'a str,
}

/// Renders pages of one project with one set of templates.
pub struct Renderer<'p> {
    project: &'p Project,
    tera: Tera,
    site: SiteView,
    /// Each document's view as a template value, shared with `site.documents` in the global
    /// context (a page's `doc` is a reference-counted copy, not a new serialisation).
    doc_values: Vec<Value>,
}

impl<'p> Renderer<'p> {
    /// Loads the templates and builds the site-wide views.
    pub fn new(project: &'p Project) -> Result<Self, Fatal> {
        let history = crate::history::recent_changes(&project.root);
        Ok(Self::with_templates(
            project,
            theme::load(&project.root)?,
            &history,
        ))
    }

    /// Like [`Renderer::new`], with templates and Git history read before (`serve` keeps them
    /// between rebuilds of documents).
    pub fn with_templates(project: &'p Project, mut tera: Tera, history: &[Change]) -> Self {
        let site = SiteView::new(project, history);
        let (site_value, doc_values) = site_values(&site);
        tera.global_context().insert_value("site", site_value);
        Renderer {
            project,
            tera,
            site,
            doc_values,
        }
    }

    /// Frees the templates and views on another thread (see [`crate::drop_in_background`]).
    pub fn discard(self) {
        crate::drop_in_background((self.tera, self.site, self.doc_values));
    }

    /// The project being rendered.
    pub fn project(&self) -> &'p Project {
        self.project
    }

    /// The templates, for re-use by a later renderer.
    pub fn templates(&self) -> &Tera {
        &self.tera
    }

    /// The site-wide views.
    pub fn site(&self) -> &SiteView {
        &self.site
    }

    /// Renders the documents of search chunk `chunk` (see [`search::CHUNK`]), writes the
    /// chunk's search file, and hands each document's search data to `sink`.
    pub fn document_chunk<S: SearchSink>(
        &self,
        chunk: usize,
        out: &Path,
        sink: &mut S,
    ) -> Result<(), Fatal> {
        let first = chunk * search::CHUNK;
        let last = (first + search::CHUNK).min(self.project.documents.len());
        let mut entries = Vec::with_capacity(last - first);
        for i in first..last {
            let (entry, text) = self.document(i, out)?;
            sink.add(i, &self.site.documents[i], &text, &entry);
            entries.push(entry);
        }
        let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
        search::write_chunk(out, chunk, &entries)
    }

    /// Renders the page of document `index`; returns its search result entry and its body as
    /// plain text (the caller writes the chunk file).
    pub fn document(&self, index: usize, out: &Path) -> Result<(String, String), Fatal> {
        let text = self.document_page(index, out)?;
        let entry = search::doc_entry(index, &self.site.documents[index], &text);
        Ok((entry, text))
    }

    /// Renders the page of document `index`; returns its body as plain text (for search).
    fn document_page(&self, index: usize, out: &Path) -> Result<String, Fatal> {
        let doc = &self.project.documents[index];
        let root = root_for(&doc.url);
        let markdown = crate::load::document_body(&self.project.root, doc)?;
        let body = render_body(self.project, doc, &markdown, &root);
        let mut context = self.context(
            &doc.url,
            "documents",
            &doc.title,
            crumbs_for_document(&doc.url),
        );
        context.insert_value("doc", self.doc_values[index].clone());
        // Marked safe here: a `| safe` in the template would copy the whole body once more.
        context.insert_value("body", Value::safe_string(without_title(&body.html, doc)));
        context.insert("has_code", &body.html.contains("<pre class=\"code\">"));
        let toc: Vec<TocEntry> = doc
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| TocEntry {
                level: h.level,
                text: &h.text,
                id: &h.id,
            })
            .collect();
        context.insert("toc", &toc);
        context.insert("referenced_by", self.project.referenced_by(index));
        self.write_page(out, &doc.url, "document.html", &context)?;
        Ok(body.text)
    }

    /// Renders every page that is not a document page; returns how many.
    pub fn aggregate_pages(&self, out: &Path) -> Result<usize, Fatal> {
        use rayon::prelude::*;
        /// One page that is not a document page.
        enum Page {
            Section(usize),
            NotFound,
            Control(usize, usize, usize),
            Owner(usize),
        }
        let mut pages: Vec<Page> = (0..SECTIONS.len()).map(Page::Section).collect();
        pages.push(Page::NotFound);
        for (f, framework) in self.site.frameworks.iter().enumerate() {
            for (g, group) in framework.groups.iter().enumerate() {
                pages.extend((0..group.controls.len()).map(|c| Page::Control(f, g, c)));
            }
        }
        pages.extend((0..self.site.owners.len()).map(Page::Owner));
        // The big lists (register, matrix, SoA, reviews) go first, so they do not finish last.
        pages
            .par_iter()
            .with_max_len(1)
            .try_for_each(|page| match *page {
                Page::Section(i) => {
                    let (url, section, title, template) = SECTIONS[i];
                    let crumbs = if url.is_empty() { vec![] } else { vec![home()] };
                    let context = self.context(url, section, title, crumbs);
                    self.write_page(out, url, template, &context)
                }
                Page::NotFound => {
                    let context = self.context("404.html", "", "Page not found", vec![home()]);
                    self.render_to(out, "404.html", "404.html", &context, "")
                }
                Page::Control(f, g, c) => self.control_page(out, f, g, c),
                Page::Owner(o) => self.owner_page(out, o),
            })?;
        Ok(pages.len())
    }

    fn owner_page(&self, out: &Path, o: usize) -> Result<(), Fatal> {
        let owner = &self.site.owners[o];
        let crumbs = vec![home(), link("Owners", "owners/")];
        let mut context = self.context(&owner.url, "owners", &owner.name, crumbs);
        context.insert("owner", owner);
        context.insert("owner_index", &o);
        self.write_page(out, &owner.url, "owner.html", &context)
    }

    fn control_page(&self, out: &Path, f: usize, g: usize, c: usize) -> Result<(), Fatal> {
        let framework = &self.site.frameworks[f];
        let control = &framework.groups[g].controls[c];
        let crumbs = vec![
            home(),
            link("Controls", "controls/"),
            link(&framework.name, &format!("controls/#{}", framework.anchor)),
        ];
        let title = format!("{} {}", control.id, control.title);
        let mut context = self.context(&control.url, "controls", &title, crumbs);
        context.insert("framework_index", &f);
        context.insert("framework_name", &framework.name);
        context.insert("control", control);
        self.write_page(out, &control.url, "control.html", &context)
    }

    fn context(
        &self,
        url: &str,
        section: &'static str,
        title: &str,
        crumbs: Vec<LinkView>,
    ) -> Context {
        let mut context = Context::new();
        context.insert("root", &root_for(url));
        context.insert(
            "page",
            &PageInfo {
                title,
                url,
                section,
                crumbs,
            },
        );
        context
    }

    fn write_page(
        &self,
        out: &Path,
        url: &str,
        template: &str,
        context: &Context,
    ) -> Result<(), Fatal> {
        let file = format!("{url}index.html");
        self.render_to(out, &file, template, context, url)
    }

    fn render_to(
        &self,
        out: &Path,
        file: &str,
        template: &str,
        context: &Context,
        url: &str,
    ) -> Result<(), Fatal> {
        let path = out.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
        }
        let handle = File::create(&path)
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))?;
        let mut writer = BufWriter::with_capacity(64 * 1024, handle);
        self.tera
            .render_to(template, context, &mut writer)
            .map_err(|e| {
                Fatal::new(format!(
                    "cannot render /{url} with template `{template}`: {}",
                    theme::error_chain(&e)
                ))
            })?;
        writer
            .flush()
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))
    }
}

/// The site view as a template value, and each document's view as a value shared with its
/// `documents`. The documents are serialised in parallel; the rest of the view is small.
fn site_values(site: &SiteView) -> (Value, Vec<Value>) {
    use rayon::prelude::*;
    let doc_values: Vec<Value> = site
        .documents
        .par_iter()
        .map(Value::from_serializable)
        .collect();
    let mut map = Value::from_serializable(site)
        .into_map()
        .expect("the site view serialises as a map");
    map.insert(
        tera::value::Key::Str("documents"),
        Value::from(doc_values.clone()),
    );
    (Value::from(map), doc_values)
}

/// The way back to the site root from a page at `url` (`policies/a/` → `../../`).
pub fn root_for(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

fn home() -> LinkView {
    link("Dashboard", "")
}

fn link(label: &str, url: &str) -> LinkView {
    LinkView {
        label: label.to_string(),
        url: url.to_string(),
    }
}

fn crumbs_for_document(url: &str) -> Vec<LinkView> {
    let mut crumbs = vec![home(), link("Documents", "documents/")];
    let parts: Vec<&str> = url.trim_end_matches('/').split('/').collect();
    for depth in 1..parts.len() {
        let folder = parts[..depth].join("/");
        crumbs.push(link(
            &crate::document::title_from_path(parts[depth - 1]),
            &format!("documents/?folder={}", crate::links::encode_path(&folder)),
        ));
    }
    crumbs
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
