//! Pages: each page of the site map rendered with its route's template and its context.
//! Site-wide data is Tera's global context `site`, set once; each page's own context holds only
//! what is particular to it.

use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::catalog::ControlKey;
use crate::error::Fatal;
use crate::model::Project;
use crate::render::cache::{KeyedContext, PageCache};
use crate::render::crumbs::{crumbs_for_document, home, link};
use crate::render::theme;
use crate::render::values::site_values;
use crate::render::view::{DocView, FolderView, LinkView, SiteView};
use crate::routes::{self, Page, RouteId};
use crate::search::SearchCache;
use crate::write::Tree;

#[path = "page_context.rs"]
mod context;

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

/// What a renderer is made of besides its project: the templates (with the site's value in
/// their global context), the site-wide views and each document's template value.
pub type Parts = (Tera, SiteView, Vec<Value>);

/// Renders pages of one project with one set of templates.
pub struct Renderer<'p> {
    project: &'p Project,
    tera: Tera,
    site: SiteView,
    /// Each document's view as a template value, shared with `site.documents` in the global
    /// context (a page's `doc` is a reference-counted copy, not a new serialisation).
    doc_values: Vec<Value>,
    /// The main navigation as rendered by `nav.html`, by the way back to the root, the section
    /// and the nav page the page is (if any): a few dozen kinds of page share a few renders.
    navs: std::sync::Mutex<std::collections::HashMap<NavKey, Value>>,
    /// What earlier builds rendered each page from, when the build keeps a cache.
    cache: Option<PageCache>,
    /// Documents' search data from earlier builds, when the build keeps a search cache.
    search_cache: Option<SearchCache>,
}

/// What a page's main navigation depends on: the way back to the root, its section, and its URL
/// when that is a nav entry's (the entry is then the current page, not just its section).
type NavKey = (String, &'static str, Option<String>);

impl<'p> Renderer<'p> {
    /// Loads the templates and builds the site-wide views.
    pub fn new(project: &'p Project) -> Result<Self, Fatal> {
        Ok(Self::with_templates(project, theme::load(&project.root)?))
    }

    /// Like [`Renderer::new`], with templates read before (`serve` keeps them between
    /// rebuilds of documents).
    pub fn with_templates(project: &'p Project, tera: Tera) -> Self {
        Self::reusing(project, tera, None)
    }

    /// Like [`Renderer::with_templates`], taking the template value of each document whose
    /// view equals its view in `previous` (views and values of an earlier renderer of the same
    /// documents, as `serve` keeps them) instead of serialising it again.
    pub fn reusing(
        project: &'p Project,
        mut tera: Tera,
        previous: Option<(&[DocView], &[Value])>,
    ) -> Self {
        let mut site = SiteView::new(project);
        let (site_value, doc_values) = site_values(&mut site, previous);
        tera.global_context().insert_value("site", site_value);
        Self::from_parts(project, (tera, site, doc_values))
    }

    /// The renderer taking pages whose key is unchanged unrendered from the cache
    /// that `open` gives for its site-wide views.
    pub fn with_cache(mut self, open: impl FnOnce(&SiteView) -> PageCache) -> Self {
        self.cache = Some(open(&self.site));
        self
    }

    /// The render cache, once the render is done.
    pub fn take_cache(&mut self) -> Option<PageCache> {
        self.cache.take()
    }

    /// The renderer taking documents' search data from `cache` when it holds their key.
    pub fn with_search_cache(mut self, cache: SearchCache) -> Self {
        self.search_cache = Some(cache);
        self
    }

    /// The search cache, once the render is done (the index reads its terms).
    pub fn take_search_cache(&mut self) -> Option<SearchCache> {
        self.search_cache.take()
    }

    /// The templates (with the site's value in their global context), the site-wide views and
    /// the documents' template values, for a later renderer of the same views
    /// ([`Renderer::from_parts`]).
    pub fn into_parts(self) -> Parts {
        (self.tera, self.site, self.doc_values)
    }

    /// A renderer of `project` from the parts of an earlier one ([`Renderer::into_parts`]) whose
    /// views are still `project`'s: nothing is built again. `serve` uses it after edits that
    /// changed the text of document bodies alone.
    pub fn from_parts(project: &'p Project, parts: Parts) -> Self {
        let (tera, site, doc_values) = parts;
        Renderer {
            project,
            tera,
            site,
            doc_values,
            navs: Default::default(),
            cache: None,
            search_cache: None,
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

    /// Each document's view as a template value.
    pub fn doc_values(&self) -> &[Value] {
        &self.doc_values
    }

    /// The audit pack document as `annexa pack` writes it: the `/audit-pack/` page, standalone.
    pub fn audit_pack(&self) -> Result<Vec<u8>, Fatal> {
        let id = RouteId::AuditPack;
        let route = routes::route(id);
        let mut context = self.context_with(
            None,
            route.pattern,
            route.section,
            route.title,
            vec![home()],
        )?;
        let root = root_for(route.pattern);
        context.insert(
            "pack",
            &crate::render::view::pack_view(self.project, &root)?,
        );
        let (context, _) = context.finish(template_of(id));
        self.tera
            .render(template_of(id), &context)
            .map(String::into_bytes)
            .map_err(|e| {
                Fatal::new(format!(
                    "cannot render the audit pack with template `{}`: {}",
                    template_of(id),
                    theme::error_chain(&e)
                ))
            })
    }

    /// Renders every generated page of the site map; returns how many.
    pub fn aggregate_pages(&self, out: &Tree) -> Result<usize, Fatal> {
        use rayon::prelude::*;
        let pages = &self.project.site.pages;
        // The big lists (register, matrix, SoA, reviews) come first, so they do not finish last.
        pages
            .par_iter()
            .with_max_len(1)
            .try_for_each(|page| self.page(out, page))?;
        Ok(pages.len())
    }

    /// Renders one generated page.
    fn page(&self, out: &Tree, page: &Page) -> Result<(), Fatal> {
        match page {
            Page::Fixed(id) => self.fixed_page(out, *id),
            Page::Control(key) => self.control_page(out, *key),
            Page::Requirements(framework) => self.requirements_page(out, *framework),
            Page::Owner(slug) => self.owner_page(out, slug),
            Page::Folder(folder) => self.folder_page(out, folder),
            Page::Audit(slug) => self.register_page(out, RouteId::Audits, slug),
            Page::Finding(slug) => self.register_page(out, RouteId::Findings, slug),
            Page::Evidence(slug) => self.register_page(out, RouteId::Evidence, slug),
        }
    }

    /// Renders again the pages other than their own that show the bodies of `documents`: the
    /// change report (when `[changes] since` is set: it counts changed lines) and the audit pack
    /// (when it holds one of them). Returns how many. For `serve`, after edits that left every
    /// document's view as it was, when no other aggregate page can have changed: a new page
    /// that shows document bodies belongs here too, or `serve` leaves it stale.
    pub fn pages_showing_bodies(&self, out: &Tree, documents: &[usize]) -> Result<usize, Fatal> {
        let mut pages = 0;
        if self.project.config.changes_since.is_some() {
            self.fixed_page(out, RouteId::Changes)?;
            pages += 1;
        }
        let in_pack = self
            .project
            .readiness
            .items
            .iter()
            .any(|item| item.documents.iter().any(|i| documents.contains(i)));
        if in_pack {
            self.fixed_page(out, RouteId::AuditPack)?;
            pages += 1;
        }
        Ok(pages)
    }

    fn fixed_page(&self, out: &Tree, id: RouteId) -> Result<(), Fatal> {
        let route = routes::route(id);
        let url = route.pattern;
        let crumbs = if url.is_empty() { vec![] } else { vec![home()] };
        // The 404 page is served at any depth: it belongs to no section.
        let section = route.section;
        let mut context = self.context(url, section, route.title, crumbs)?;
        if id == RouteId::Changes {
            context.insert("changes", &crate::render::view::changes_view(self.project));
        }
        if id == RouteId::AuditPack {
            let root = root_for(url);
            context.insert(
                "pack",
                &crate::render::view::pack_view(self.project, &root)?,
            );
        }
        self.insert_register(&mut context, id);
        self.write_page(out, url, template_of(id), context)
    }

    /// The list of a register page (`audits/`, `findings/`, `evidence/`), when `id` is one.
    fn insert_register(&self, context: &mut KeyedContext, id: RouteId) {
        use crate::render::view::{audit_view, evidence_view, finding_view};
        let p = self.project;
        let registers = &p.registers;
        match id {
            RouteId::Audits => {
                let audits: Vec<_> = (0..registers.audits.audits.len())
                    .map(|i| audit_view(p, i))
                    .collect();
                context.insert("audits", &audits);
                let cycle = registers.audits.cycle.as_ref().map(|c| c.value.to_string());
                context.insert("cycle", &cycle);
            }
            RouteId::Findings => {
                let findings: Vec<_> = (0..registers.findings.findings.len())
                    .map(|i| finding_view(p, i))
                    .collect();
                context.insert("findings", &findings);
            }
            RouteId::Evidence => {
                let items: Vec<_> = (0..registers.evidence.items.len())
                    .map(|i| evidence_view(p, i))
                    .collect();
                context.insert("items", &items);
            }
            _ => {}
        }
    }

    /// The page of the first audit, finding or evidence item (of the register at `list`) whose
    /// id slugs to `slug`.
    fn register_page(&self, out: &Tree, list: RouteId, slug: &str) -> Result<(), Fatal> {
        use crate::render::view::{audit_view, evidence_view, finding_view};
        let p = self.project;
        let registers = &p.registers;
        let find = |ids: &mut dyn Iterator<Item = &str>| {
            let mut ids = ids;
            Iterator::position(&mut ids, |id| routes::slug(id) == slug)
        };
        let (entry, template, title, url) = match list {
            RouteId::Audits => {
                let Some(i) = find(&mut registers.audits.audits.iter().map(|a| a.id.as_str()))
                else {
                    return Ok(());
                };
                let view = audit_view(p, i);
                let title = format!("{} {}", view.id, view.title);
                let url = view.url.clone();
                (Value::from_serializable(&view), RouteId::Audit, title, url)
            }
            RouteId::Findings => {
                let Some(i) = find(&mut registers.findings.findings.iter().map(|f| f.id.as_str()))
                else {
                    return Ok(());
                };
                let view = finding_view(p, i);
                let title = format!("{} {}", view.id, view.kind_label);
                let url = view.url.clone();
                (
                    Value::from_serializable(&view),
                    RouteId::Finding,
                    title,
                    url,
                )
            }
            _ => {
                let Some(i) = find(&mut registers.evidence.items.iter().map(|e| e.id.as_str()))
                else {
                    return Ok(());
                };
                let view = evidence_view(p, i);
                let title = format!("{} {}", view.id, view.title);
                let url = view.url.clone();
                (
                    Value::from_serializable(&view),
                    RouteId::EvidenceItem,
                    title,
                    url,
                )
            }
        };
        let route = routes::route(list);
        let crumbs = vec![home(), link(route.title, route.pattern)];
        let mut context = self.context(&url, route.section, &title, crumbs)?;
        context.insert_value("entry", entry);
        self.write_page(out, &url, template_of(template), context)
    }

    fn owner_page(&self, out: &Tree, slug: &str) -> Result<(), Fatal> {
        let Some(o) = self.site.owners.iter().position(|o| o.slug == slug) else {
            return Ok(());
        };
        let owner = &self.site.owners[o];
        let crumbs = vec![home(), link("Owners", routes::url(RouteId::Owners))];
        let mut context = self.context(&owner.url, "owners", &owner.name, crumbs)?;
        context.insert("owner", owner);
        context.insert("owner_index", &o);
        self.write_page(out, &owner.url, template_of(RouteId::Owner), context)
    }

    fn control_page(&self, out: &Tree, key: ControlKey) -> Result<(), Fatal> {
        let Some((framework, control)) = self.site.control(key) else {
            return Ok(());
        };
        // A requirement's way up is its catalog's list of requirements.
        let framework_url = framework
            .requirements_url
            .clone()
            .unwrap_or_else(|| format!("{}#{}", routes::url(RouteId::Controls), framework.anchor));
        let crumbs = vec![
            home(),
            link("Controls", routes::url(RouteId::Controls)),
            link(&framework.name, &framework_url),
        ];
        let title = format!("{} {}", control.id, control.title);
        let mut context = self.context(&control.url, "controls", &title, crumbs)?;
        context.insert("framework_index", &key.framework);
        context.insert("framework_name", &framework.name);
        context.insert("requirements_url", &framework.requirements_url);
        context.insert("control", control);
        self.write_page(out, &control.url, template_of(RouteId::Control), context)
    }

    fn requirements_page(&self, out: &Tree, f: usize) -> Result<(), Fatal> {
        let Some(framework) = self.site.frameworks.get(f) else {
            return Ok(());
        };
        let Some(url) = &framework.requirements_url else {
            return Ok(());
        };
        let crumbs = vec![home(), link("Controls", routes::url(RouteId::Controls))];
        let title = format!("{}: requirements", framework.name);
        let mut context = self.context(url, "controls", &title, crumbs)?;
        context.insert("framework", framework);
        self.write_page(out, url, template_of(RouteId::Requirements), context)
    }

    fn folder_page(&self, out: &Tree, folder: &str) -> Result<(), Fatal> {
        let view = FolderView::new(self.project, folder);
        let crumbs = crumbs_for_document(&view.url);
        let title = format!("{folder}/");
        let mut context = self.context(&view.url, "documents", &title, crumbs)?;
        context.insert("folder", &view);
        self.write_page(out, &view.url, template_of(RouteId::Folder), context)
    }

    fn write_page(
        &self,
        out: &Tree,
        url: &str,
        template: &str,
        context: KeyedContext,
    ) -> Result<(), Fatal> {
        let file = routes::file_of(url);
        let (context, key) = context.finish(template);
        let cache = self.cache.as_ref().zip(key);
        if let Some((cache, key)) = &cache
            && cache.reuse(url, &file, key, out)
        {
            return Ok(());
        }
        let page = self.render_to(out, &file, template, &context, url)?;
        if let (Some((cache, key)), Some(page)) = (cache, page) {
            cache.record(url, &key, &page);
        }
        Ok(())
    }

    fn render_to(
        &self,
        out: &Tree,
        file: &str,
        template: &str,
        context: &Context,
        url: &str,
    ) -> Result<Option<crate::write::Hash>, Fatal> {
        let mut page = Vec::with_capacity(64 * 1024);
        self.tera
            .render_to(template, context, &mut page)
            .map_err(|e| {
                Fatal::new(format!(
                    "cannot render /{url} with template `{template}`: {}",
                    theme::error_chain(&e)
                ))
            })?;
        out.write_hashed(file, &page)
    }
}

/// The way back to the site root from a page at `url` (`policies/a/` → `../../`).
pub fn root_for(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// The template of a route that renders pages.
fn template_of(id: RouteId) -> &'static str {
    routes::route(id)
        .template
        .expect("a page route has a template")
}

#[path = "pages/documents.rs"]
mod documents;
