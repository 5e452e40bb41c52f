//! The render cache: for each page, a key over everything the page shows and the hash of the
//! bytes it became, kept beside the output folder (`.NAME.annexa-render`), so that a rebuild
//! renders only the pages whose key changed and takes the others as the previous build wrote
//! them.
//!
//! A document page's key covers the site-wide part of every page (annexa's build, the
//! templates, what of the global `site` view a document page shows: title, navigation, day,
//! exports) and what is particular to the document: its Markdown body, its view (front matter,
//! review state, controls, risks), the views of the documents that link to it, the URLs its
//! links resolve to, and its history. A project with templates of its own may show anything of
//! the site and of any document on any page: there, the whole `site` view and every document's
//! view are in the site-wide part. Any other page shows the global `site` and its own context:
//! its key is the site-wide part, the whole site view, every document's view and everything put
//! in its context ([`KeyedContext`]). The cache is only a memo of a deterministic render (the
//! same key always gives the same bytes) and is safe to delete; a page is taken unrendered only
//! when the folder being written or the live site holds exactly the bytes recorded for it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::links::Target;
use crate::model::Project;
use crate::render::view::{SiteView, history_view};
use crate::write::{Hash, Tree, hex, parse_hex, push_hex};

/// The first line of the cache file; a file with another is ignored.
const HEADER: &str = "annexa-render 1";

/// What the previous build rendered and what this one renders, by page URL.
#[derive(Debug)]
pub struct PageCache {
    path: PathBuf,
    /// The site-wide part of every key.
    global: Hash,
    /// Each document's view, hashed (a page shows its own and its referrers').
    views: Vec<Hash>,
    /// The site-wide part of the keys of the pages that are not documents' pages: the global
    /// part, the whole site view and every document's view (Tera's global `site`).
    others: Hash,
    /// The previous build's keys and page hashes, when its site-wide part was this one's.
    previous: HashMap<String, (Hash, Hash)>,
    /// This build's keys and page hashes.
    recorded: Mutex<Vec<(String, Hash, Hash)>>,
    /// Pages taken unrendered.
    reused: AtomicUsize,
}

impl PageCache {
    /// The cache at `path` for a render of `project` with `site`'s views and templates
    /// `templates` (`own`: the project has templates of its own). An unreadable, foreign or
    /// outdated file gives an empty cache.
    pub fn open(
        path: &Path,
        project: &Project,
        site: &SiteView,
        templates: &[(String, String)],
        own: bool,
    ) -> PageCache {
        use rayon::prelude::*;
        let views: Vec<Hash> = site
            .documents
            .par_iter()
            .map(|view| {
                let mut hasher = Hashing::new(&[0; 32]);
                hasher.json(view);
                hasher.finish()
            })
            .collect();
        let global = site_key(project, site, templates, own.then_some(&views[..]));
        let mut others = Hashing::new(&global);
        others.json(site);
        for view in &views {
            others.0.update(view);
        }
        PageCache {
            path: path.to_path_buf(),
            global,
            views,
            others: others.finish(),
            previous: read(path, &global).unwrap_or_default(),
            recorded: Mutex::new(Vec::new()),
            reused: AtomicUsize::new(0),
        }
    }

    /// The key of document `index`'s page, whose Markdown body and searched fields have the
    /// search key `body` ([`crate::search::search_key`]).
    pub fn key(&self, project: &Project, index: usize, body: &Hash) -> Hash {
        let mut hasher = Hashing::new(&self.global);
        let doc = &project.documents[index];
        hasher.text(&doc.url);
        hasher.0.update(body);
        hasher.0.update(self.views[index]);
        for &referrer in project.referenced_by(index) {
            hasher.0.update(self.views[referrer]);
        }
        for target in &doc.targets {
            match target {
                Target::Document { index, anchor } => {
                    hasher.text(&project.documents[*index].url);
                    hasher.text(anchor.as_deref().unwrap_or(""));
                }
                other => hasher.text(&format!("{other:?}")),
            }
        }
        hasher.json(&history_view(project, index));
        hasher.finish()
    }

    /// The start of the key of a page that is not a document's page ([`KeyedContext`]).
    pub fn others_seed(&self) -> &Hash {
        &self.others
    }

    /// Takes the page at `url` (file `file`) unrendered into `out` when the previous build
    /// rendered it from `key` and `out` can have those bytes; returns whether it did.
    pub fn reuse(&self, url: &str, file: &str, key: &Hash, out: &Tree) -> bool {
        let Some((old_key, page)) = self.previous.get(url) else {
            return false;
        };
        if old_key != key || !out.keep(file, page) {
            return false;
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
        self.record(url, key, page);
        true
    }

    /// Notes that the page at `url` rendered from `key` has the bytes whose hash is `page`.
    pub fn record(&self, url: &str, key: &Hash, page: &Hash) {
        if let Ok(mut recorded) = self.recorded.lock() {
            recorded.push((url.to_string(), *key, *page));
        }
    }

    /// How many pages were taken unrendered.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Writes this build's entries, replacing the file (through a temporary file and a
    /// rename). A cache that cannot be written is left out: the next build renders everything.
    pub fn save(self) {
        let mut recorded = self.recorded.into_inner().unwrap_or_default();
        recorded.sort();
        let mut text = String::with_capacity(recorded.len() * 160 + 100);
        text.push_str(HEADER);
        text.push('\n');
        push_hex(&mut text, &self.global);
        text.push('\n');
        for (url, key, page) in &recorded {
            text.push_str(url);
            text.push('\t');
            push_hex(&mut text, key);
            text.push('\t');
            push_hex(&mut text, page);
            text.push('\n');
        }
        // `.NAME.annexa-render-new`, which the next build removes if this one is killed here.
        let mut temporary = self.path.clone().into_os_string();
        temporary.push("-new");
        let temporary = PathBuf::from(temporary);
        let written = fs::write(&temporary, text).and_then(|()| fs::rename(&temporary, &self.path));
        if written.is_err() {
            fs::remove_file(&temporary).ok();
            fs::remove_file(&self.path).ok();
        }
    }
}

/// The site-wide part of every page's key.
fn site_key(
    project: &Project,
    site: &SiteView,
    templates: &[(String, String)],
    every_view: Option<&[Hash]>,
) -> Hash {
    let mut hasher = Hashing::new(&[0; 32]);
    hasher.text(HEADER);
    hasher.text(env!("CARGO_PKG_VERSION"));
    hasher.text(&crate::write::executable_stamp());
    for (name, text) in templates {
        hasher.text(name);
        hasher.text(text);
    }
    hasher.json(&project.config.base_url);
    match every_view {
        // Templates of the project's own may show anything of the site on a document's page.
        Some(views) => {
            hasher.json(site);
            for view in views {
                hasher.0.update(view);
            }
        }
        // The default theme's document page shows these of the site (in `base.html`), the
        // navigation (`nav.html`) and, of other documents, only its referrers' views.
        None => hasher.json(&(
            &site.title,
            &site.organisation,
            &site.base_url,
            &site.today,
            &site.generator,
            &site.as_of,
            &site.nav,
            &site.exports,
        )),
    }
    hasher.finish()
}

/// The entries of the cache file at `path`, when it was written under the site-wide key `global`.
fn read(path: &Path, global: &Hash) -> Option<HashMap<String, (Hash, Hash)>> {
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER || lines.next()? != hex(global) {
        return None;
    }
    lines
        .map(|line| {
            let mut fields = line.split('\t');
            let (url, key, page) = (fields.next()?, fields.next()?, fields.next()?);
            Some((url.to_string(), (parse_hex(key)?, parse_hex(page)?)))
        })
        .collect()
}

/// A page's template context with, when it has a seed, a running key over everything put in
/// it: the key of a page that is not a document's page. Such a page shows Tera's global `site`
/// (which the seed covers, [`PageCache::others_seed`]) and its own context, so the same
/// template and context give the same bytes.
pub struct KeyedContext {
    context: tera::Context,
    hasher: Option<Hashing>,
}

impl KeyedContext {
    /// An empty context, keyed from `seed` when there is one.
    pub fn new(seed: Option<&Hash>) -> Self {
        KeyedContext {
            context: tera::Context::new(),
            hasher: seed.map(Hashing::new),
        }
    }

    /// Puts `value` in the context as `key` (and into the key).
    pub fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(hasher) = &mut self.hasher {
            hasher.text(key);
            hasher.json(value);
        }
        self.context.insert(key, value);
    }

    /// Puts a template value in the context as `key` (and into the key).
    pub fn insert_value(&mut self, key: &'static str, value: tera::Value) {
        if let Some(hasher) = &mut self.hasher {
            hasher.text(key);
            hasher.json(&value);
        }
        self.context.insert_value(key, value);
    }

    /// The context, and its page's key when it is keyed, for rendering with `template`.
    pub fn finish(self, template: &str) -> (tera::Context, Option<Hash>) {
        let key = self.hasher.map(|mut hasher| {
            hasher.text(template);
            hasher.finish()
        });
        (self.context, key)
    }
}

/// A SHA-256 over a sequence of texts and serialised values, each framed by its length.
struct Hashing(Sha256);

impl Hashing {
    fn new(seed: &Hash) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(seed);
        Hashing(hasher)
    }

    fn text(&mut self, text: &str) {
        self.0.update((text.len() as u64).to_le_bytes());
        self.0.update(text.as_bytes());
    }

    fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        let mut bytes = Vec::with_capacity(1024);
        match serde_json::to_writer(&mut bytes, value) {
            Ok(()) => self.text(&String::from_utf8_lossy(&bytes)),
            // A view that cannot be serialised cannot be compared: never the same key.
            Err(_) => self.text(&format!("{:?}", std::time::SystemTime::now())),
        }
    }

    fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_framed_so_that_moving_a_boundary_changes_the_key() {
        let key = |parts: &[&str]| {
            let mut h = Hashing::new(&[0; 32]);
            for p in parts {
                h.text(p);
            }
            h.finish()
        };
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_eq!(key(&["ab", "c"]), key(&["ab", "c"]));
    }
}
