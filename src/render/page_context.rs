//! The context every page's template starts from: the navigation, the way back to the root
//! and the page's place in the site, keyed for the render cache where the page's own context is
//! its key.

use tera::{Context, Value};

use super::{NavKey, PageInfo, Renderer, root_for};
use crate::error::Fatal;
use crate::render::cache::{KeyedContext, PageCache};
use crate::render::theme;
use crate::render::view::LinkView;

impl Renderer<'_> {
    /// The context of a page other than a document's: its key is its context, when the
    /// renderer has a cache.
    pub(super) fn context(
        &self,
        url: &str,
        section: &'static str,
        title: &str,
        crumbs: Vec<LinkView>,
    ) -> Result<KeyedContext, Fatal> {
        let seed = self.cache.as_ref().map(PageCache::others_seed);
        self.context_with(seed, url, section, title, crumbs)
    }

    /// The context every page starts from, keyed from `seed` when there is one (a document's
    /// page has a key of its own, and the standalone audit pack none).
    pub(super) fn context_with(
        &self,
        seed: Option<&crate::write::Hash>,
        url: &str,
        section: &'static str,
        title: &str,
        crumbs: Vec<LinkView>,
    ) -> Result<KeyedContext, Fatal> {
        let mut context = KeyedContext::new(seed);
        let root = root_for(url);
        context.insert_value("nav", self.nav(&root, section, url)?);
        context.insert("root", &root);
        context.insert(
            "page",
            &PageInfo {
                title,
                url,
                section,
                crumbs,
            },
        );
        Ok(context)
    }

    /// The main navigation of a page at `url` in `section`, rendered once for every page like
    /// it (a Tera loop on each of 10,000 pages cost 2.6% of a build).
    fn nav(&self, root: &str, section: &'static str, url: &str) -> Result<Value, Fatal> {
        let nav_page = self.site.nav.iter().any(|n| n.url == url);
        let key: NavKey = (root.to_string(), section, nav_page.then(|| url.to_string()));
        if let Some(html) = self.navs.lock().ok().and_then(|n| n.get(&key).cloned()) {
            return Ok(html);
        }
        let mut context = Context::new();
        context.insert("root", root);
        context.insert(
            "page",
            &PageInfo {
                title: "",
                url,
                section,
                crumbs: Vec::new(),
            },
        );
        let html = self.tera.render("nav.html", &context).map_err(|e| {
            Fatal::new(format!(
                "cannot render the navigation with template `nav.html`: {}",
                theme::error_chain(&e)
            ))
        })?;
        let html = Value::safe_string(&html);
        if let Ok(mut navs) = self.navs.lock() {
            navs.insert(key, html.clone());
        }
        Ok(html)
    }
}
