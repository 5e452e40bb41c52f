//! The site map: every page and file the site will publish, decided before anything is
//! rendered, so that links resolve against the published site and the renderer, the
//! `url-conflict` lint and link checking agree on what is where.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::catalog::{ControlKey, Frameworks};
use crate::document::ParsedDocument;
use crate::links::Target;
use crate::publish::{self, folder_url};
use crate::routes::{self, Page, ROUTES, RouteId};

/// What the site publishes besides documents, and what links to folders and files reach.
#[derive(Debug, Default)]
pub struct SiteMap {
    /// Every generated page, in render order (the long lists first).
    pub pages: Vec<Page>,
    /// The generated pages by URL.
    pub by_url: HashMap<String, Page>,
    /// Published files (attachments, static files) by source path, with their URLs.
    pub files: HashMap<String, String>,
    /// What a link to each walked folder reaches.
    pub folders: HashMap<String, Target>,
    /// The documents directly in each listed folder, in path order.
    pub folder_documents: BTreeMap<String, Vec<usize>>,
    /// The folders directly below each listed folder that hold documents, in path order.
    pub folder_children: BTreeMap<String, Vec<String>>,
}

/// What the site map is made from.
pub struct SiteInputs<'a> {
    /// The parsed documents, sorted by path.
    pub documents: &'a [Arc<ParsedDocument>],
    /// Attachments, by source path.
    pub assets: &'a [String],
    /// Files under `static/`, by source path.
    pub static_files: &'a [String],
    /// Every walked folder (the root is `""`).
    pub dirs: &'a std::collections::HashSet<String>,
    /// The catalogs in use.
    pub frameworks: &'a Frameworks,
    /// The audits, findings and evidence, which have pages of their own.
    pub registers: &'a crate::registers::Registers,
}

impl SiteMap {
    /// Lays out the site of a project.
    pub fn new(inputs: &SiteInputs<'_>) -> SiteMap {
        let mut map = SiteMap::default();
        map.add_fixed_pages();
        map.add_control_pages(inputs.frameworks);
        map.add_owner_pages(inputs.documents);
        map.add_register_pages(inputs.registers);
        map.add_files(inputs);
        map.add_folders(inputs);
        map
    }

    /// The page generated at `url`, if any.
    pub fn page_at(&self, url: &str) -> Option<&Page> {
        self.by_url.get(url)
    }

    fn add(&mut self, page: Page, frameworks: &Frameworks) {
        self.by_url.insert(page.url(frameworks), page.clone());
        self.pages.push(page);
    }

    fn add_fixed_pages(&mut self) {
        let none = Frameworks::default();
        for route in ROUTES {
            let fixed = route.template.is_some() && !route.pattern.contains('{');
            if fixed {
                self.add(Page::Fixed(route.id), &none);
            }
        }
    }

    fn add_control_pages(&mut self, frameworks: &Frameworks) {
        for (f, catalog) in frameworks.catalogs.iter().enumerate() {
            if !catalog.is_controls() {
                self.add(Page::Requirements(f), frameworks);
            }
            for control in catalog.in_group_order() {
                let key = ControlKey {
                    framework: f,
                    control,
                };
                self.add(Page::Control(key), frameworks);
            }
        }
    }

    fn add_owner_pages(&mut self, documents: &[Arc<ParsedDocument>]) {
        let slugs: BTreeSet<String> = documents
            .iter()
            .filter_map(|d| d.meta.owner.as_deref())
            .map(routes::slug)
            .collect();
        let none = Frameworks::default();
        for slug in slugs {
            self.add(Page::Owner(slug), &none);
        }
    }

    /// A page for each audit, finding and evidence item, at the slug of its id (ids that slug
    /// alike share the first one's page).
    fn add_register_pages(&mut self, registers: &crate::registers::Registers) {
        let none = Frameworks::default();
        let slugs = |ids: &mut dyn Iterator<Item = &str>| -> BTreeSet<String> {
            ids.map(routes::slug).collect()
        };
        let audits = slugs(&mut registers.audits.audits.iter().map(|a| a.id.as_str()));
        let findings = slugs(&mut registers.findings.findings.iter().map(|f| f.id.as_str()));
        let evidence = slugs(&mut registers.evidence.items.iter().map(|e| e.id.as_str()));
        for slug in audits {
            self.add(Page::Audit(slug), &none);
        }
        for slug in findings {
            self.add(Page::Finding(slug), &none);
        }
        for slug in evidence {
            self.add(Page::Evidence(slug), &none);
        }
    }

    fn add_files(&mut self, inputs: &SiteInputs<'_>) {
        for asset in inputs.assets {
            self.files.insert(asset.clone(), asset.clone());
        }
        for path in inputs.static_files {
            if let publish::Role::Static { url } = publish::classify_file(path, "") {
                self.files.insert(path.clone(), url);
            }
        }
    }

    /// Decides what a link to each folder reaches: the document published at the folder's URL,
    /// else a listing of its documents (the dashboard for the root), else nothing.
    fn add_folders(&mut self, inputs: &SiteInputs<'_>) {
        let by_url: HashMap<&str, usize> = inputs
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.url.as_str(), i))
            .collect();
        // Folders holding documents at any depth, each with the documents directly in it.
        let mut below: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, doc) in inputs.documents.iter().enumerate() {
            let mut folder = doc.path();
            let mut direct = true;
            while let Some((parent, _)) = folder.rsplit_once('/') {
                let list = below.entry(parent.to_string()).or_default();
                if direct {
                    list.push(i);
                }
                direct = false;
                folder = parent;
            }
        }
        let dashboard = routes::url(RouteId::Dashboard).to_string();
        self.folders
            .insert(String::new(), Target::Page { url: dashboard });
        let none = Frameworks::default();
        let mut dirs: Vec<&String> = inputs.dirs.iter().filter(|d| !d.is_empty()).collect();
        dirs.sort();
        for dir in dirs {
            let url = folder_url(dir);
            let target = if let Some(&index) = by_url.get(url.as_str()) {
                Target::Document {
                    index,
                    anchor: None,
                }
            } else if let Some(documents) = below.remove(dir.as_str()) {
                if self.by_url.contains_key(&url) || owned(&url) {
                    unpublished(dir, format!("annexa's own page is published at /{url}"))
                } else {
                    self.folder_documents.insert(dir.clone(), documents);
                    if let Some((parent, _)) = dir.rsplit_once('/') {
                        let siblings = self.folder_children.entry(parent.to_string());
                        siblings.or_default().push(dir.clone());
                    }
                    self.add(Page::Folder(dir.clone()), &none);
                    Target::Page { url }
                }
            } else {
                unpublished(
                    dir,
                    format!("no page is published for the folder {dir}/, as it holds no documents"),
                )
            };
            self.folders.insert(dir.clone(), target);
        }
    }
}

/// Whether `url` is inside a folder annexa writes whole.
pub fn owned(url: &str) -> bool {
    routes::owned_folders().any(|folder| url.starts_with(folder))
}

fn unpublished(dir: &str, reason: String) -> Target {
    Target::Unpublished {
        path: dir.to_string(),
        reason,
    }
}
