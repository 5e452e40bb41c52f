//! The preview site of `serve`: built into a private temporary folder, rebuilt in full or, when
//! only documents changed, page by page; with an error overlay while the content has errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use jiff::civil::Date;

use crate::error::Fatal;
use crate::links::Target;
use crate::load::DocCache;
use crate::model::Project;
use crate::pipeline::{Analysis, Reusable, system_today};
use crate::publish::{self, Role};
use crate::render::{self, Renderer, exports, theme};
use crate::search::{KeptDoc, KeptDocs};
use crate::serve::folders::{PREFIX, remove_stale_previews};
use crate::serve::http::Shared;
use crate::serve::overlay::{errors_and_overlay, overlay_html};
use crate::serve::search_writer::SearchWriter;
use crate::write::{Tree, Written};

/// What a burst of file changes requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Configuration, templates, static files or catalogs changed: rebuild everything.
    Full,
    /// Only documents changed (these, by path): re-render those and the pages that show them.
    Documents(Vec<String>),
}

/// How much of the site a rebuild rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every page, from a new analysis.
    #[default]
    Everything,
    /// The pages the changed documents affect, from a new analysis.
    Pages,
    /// The pages of documents whose body text alone changed, from the kept analysis (no walk,
    /// no model, no views; the lints run again).
    Bodies,
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct RebuildReport {
    /// How much was rendered.
    pub scope: Scope,
    /// Pages rendered.
    pub pages: usize,
    /// Milliseconds from the start of the rebuild until the pages could be served.
    pub millis: u128,
    /// Error-level diagnostics (review findings excluded).
    pub errors: usize,
    /// A problem that stopped the rebuild (the previous site stays up).
    pub fatal: Option<String>,
    /// The diagnostics as `check` prints them, when they differ from the last rebuild's.
    pub diagnostics: Option<String>,
}

impl RebuildReport {
    /// One log line.
    pub fn summary(&self) -> String {
        match &self.fatal {
            Some(message) => format!("annexa: rebuild failed: {message}"),
            None => format!(
                "annexa: {} {} {} in {} ms{}{}",
                if self.scope == Scope::Everything {
                    "built"
                } else {
                    "rebuilt"
                },
                self.pages,
                if self.pages == 1 { "page" } else { "pages" },
                self.millis,
                if self.scope == Scope::Bodies {
                    " (body text only)"
                } else {
                    ""
                },
                match self.errors {
                    0 => String::new(),
                    1 => ", 1 content error (shown in the browser)".to_string(),
                    n => format!(", {n} content errors (shown in the browser)"),
                }
            ),
        }
    }
}

struct Last {
    dir: PathBuf,
    /// What was written into `dir`: a rebuild writes only the files whose bytes changed.
    written: Written,
    /// The last renderer's templates, site-wide views and document values (see
    /// [`Renderer::into_parts`]); the values are re-used for documents whose view is unchanged.
    parts: Option<crate::render::pages::Parts>,
    paths: Vec<String>,
    links: Vec<BTreeSet<usize>>,
    backlinks: Vec<Vec<usize>>,
}

/// The preview site and what is needed to rebuild parts of it.
pub struct Preview {
    root: PathBuf,
    today: Option<Date>,
    /// Writes the search index after each rebuild (dropped, so finished, before `work`).
    search: Option<SearchWriter>,
    work: tempfile::TempDir,
    cache: DocCache,
    /// The last rebuild's analysis, while the site shows it: edits of document bodies alone
    /// are applied to it (see [`Reusable::with_bodies`]).
    kept: Option<Reusable>,
    generation: u64,
    output_dir: String,
    last: Option<Last>,
    /// Set when a rebuild failed part-way: the next one renders everything.
    needs_full: bool,
    /// The diagnostics last printed, so that an unchanged list is not printed again.
    printed: String,
}

impl Preview {
    /// A preview of the project at `root`, built into a new private temporary folder.
    pub fn new(root: &Path, today: Option<Date>) -> Result<Self, Fatal> {
        remove_stale_previews(&std::env::temp_dir());
        let work = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .tempdir()
            .map_err(|e| Fatal::new(format!("cannot create a temporary folder: {e}")))?;
        Ok(Preview {
            root: root.to_path_buf(),
            today,
            search: None,
            work,
            cache: DocCache::new(),
            kept: None,
            generation: 0,
            output_dir: "public".to_string(),
            last: None,
            needs_full: false,
            printed: String::new(),
        })
    }

    /// What the changed `paths` require, or `None` when none of them matter.
    pub fn classify(
        &self,
        canonical_root: &Path,
        root: &Path,
        paths: &[PathBuf],
    ) -> Option<Change> {
        let mut documents = Vec::new();
        for path in paths {
            let rel = path
                .strip_prefix(canonical_root)
                .or_else(|_| path.strip_prefix(root))
                .map(|r| publish::relative(Path::new(""), r));
            let Ok(rel) = rel else { continue };
            if rel.is_empty() || rel == self.output_dir {
                continue;
            }
            let is_document = match publish::classify_file(&rel, &self.output_dir) {
                Role::Document => true,
                Role::Unpublished(why) if why.is_ignored() => continue,
                _ => false,
            };
            if !is_document {
                return Some(Change::Full);
            }
            if !documents.contains(&rel) {
                documents.push(rel);
            }
        }
        (!documents.is_empty()).then_some(Change::Documents(documents))
    }

    /// Rebuilds after `change`, updates what `shared` serves and tells browsers to reload.
    pub fn rebuild(&mut self, change: Change, shared: &Arc<Shared>) -> RebuildReport {
        let started = Instant::now();
        if let Change::Documents(paths) = &change
            && let Some(report) = self.bodies(paths, shared, started)
        {
            return report;
        }
        // The documents kept for the next read must not be shared with the last project.
        self.kept = None;
        let today = self.today.unwrap_or_else(system_today);
        let reusable = match Reusable::analyse(&self.root, today, &mut self.cache) {
            Ok(reusable) => reusable,
            Err(fatal) => {
                self.needs_full = true;
                return self.fail(shared, fatal);
            }
        };
        let analysis = &reusable.analysis;
        self.output_dir = analysis.project.config.output_dir.clone();
        let (errors, overlay) = errors_and_overlay(analysis);
        let same_documents = self.last.as_ref().is_some_and(|last| {
            last.paths.len() == analysis.project.documents.len()
                && last
                    .paths
                    .iter()
                    .zip(&analysis.project.documents)
                    .all(|(p, d)| p == d.path())
        });
        let documents = matches!(change, Change::Documents(_));
        let result = if documents && same_documents && !self.needs_full {
            self.partial(analysis, shared, overlay, started)
        } else {
            self.full(analysis, shared, overlay, started)
        };
        self.finish(result, errors, reusable, shared)
    }

    /// The report of a rebuild that gave `result`, keeping `reusable` when it succeeded.
    fn finish(
        &mut self,
        result: Result<RebuildReport, Fatal>,
        errors: usize,
        reusable: Reusable,
        shared: &Arc<Shared>,
    ) -> RebuildReport {
        self.needs_full = result.is_err();
        let diagnostics = self.diagnostics_to_print(&reusable.analysis);
        match result {
            Ok(mut report) => {
                self.kept = Some(reusable);
                report.errors = errors;
                report.diagnostics = diagnostics;
                report
            }
            Err(fatal) => self.fail(shared, fatal),
        }
    }

    /// Rebuilds after edits of the documents at `paths` that changed their bodies' text alone
    /// (see [`crate::document::ParsedDocument::same_but_body`]), on the last analysis: only
    /// those documents are read, the lints run again, and only their pages are rendered; no
    /// walk, no model, no views, which are all as they were. `None` when the edits are not of
    /// that kind (or there is no last analysis): the caller rebuilds as usual.
    fn bodies(
        &mut self,
        paths: &[String],
        shared: &Arc<Shared>,
        started: Instant,
    ) -> Option<RebuildReport> {
        if self.needs_full || self.last.as_ref().is_none_or(|l| l.parts.is_none()) {
            return None;
        }
        let today = self.today.unwrap_or_else(system_today);
        let kept = self
            .kept
            .take()
            .filter(|k| k.analysis.project.today == today)?;
        let edits = self.cache.read_bodies(&self.root, paths)?;
        let edited: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
        let reusable = kept.with_bodies(edits)?;
        let analysis = &reusable.analysis;
        let (errors, overlay) = errors_and_overlay(analysis);
        let indices: Vec<usize> = edited
            .iter()
            .filter_map(|p| {
                analysis
                    .project
                    .documents
                    .iter()
                    .position(|d| d.path() == p)
            })
            .collect();
        let result = self.render_bodies(analysis, &indices, shared, overlay, started);
        Some(self.finish(result, errors, reusable, shared))
    }

    /// Renders the pages of the documents at `indices` with the last renderer's parts, then
    /// their search data.
    fn render_bodies(
        &mut self,
        analysis: &Analysis,
        indices: &[usize],
        shared: &Arc<Shared>,
        overlay: Option<String>,
        started: Instant,
    ) -> Result<RebuildReport, Fatal> {
        let mut timer = crate::timing::Stages::start();
        let last = self.last.as_mut().expect("checked by `bodies`");
        let parts = last.parts.take().expect("checked by `bodies`");
        let renderer = Renderer::from_parts(&analysis.project, parts);
        let dir = Tree::remembering(&last.dir, &last.written);
        let rendered = render_documents(&renderer, indices, &dir).and_then(|rendered| {
            let shown = renderer.pages_showing_bodies(&dir, indices)?;
            Ok((rendered, shown))
        });
        last.parts = Some(renderer.into_parts());
        let (rendered, shown) = rendered?;
        timer.mark("pages");
        if let Ok(mut served) = shared.served.write() {
            served.overlay = overlay;
        }
        let millis = started.elapsed().as_millis();
        shared.broadcast_reload();
        let pages = rendered.len() + shown;
        self.search_writer(shared).update(rendered);
        Ok(RebuildReport {
            scope: Scope::Bodies,
            pages,
            millis,
            ..Default::default()
        })
    }

    /// The analysis's errors in `check`'s human format and the summary counting the warnings
    /// by lint, as `build` prints them, unless they are what was printed
    /// last (or there are none, and none were).
    fn diagnostics_to_print(&mut self, analysis: &Analysis) -> Option<String> {
        let mut text = Vec::new();
        if !analysis.diagnostics.is_empty() {
            let report = crate::report::Report {
                diagnostics: &analysis.diagnostics,
                documents: analysis.project.documents.len(),
                files: &[],
            };
            report
                .write_with(
                    crate::report::Format::Human,
                    crate::report::Detail::ErrorsOnly,
                    &mut text,
                )
                .ok()?;
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        if text == self.printed {
            return None;
        }
        self.printed = text.clone();
        Some(text)
    }

    /// The thread writing the search index, started at the first rebuild.
    fn search_writer(&mut self, shared: &Arc<Shared>) -> &SearchWriter {
        self.search
            .get_or_insert_with(|| SearchWriter::start(shared))
    }

    fn fail(&self, shared: &Arc<Shared>, fatal: Fatal) -> RebuildReport {
        if let Ok(mut served) = shared.served.write() {
            served.overlay = Some(overlay_html(&[(
                "fatal".into(),
                String::new(),
                fatal.0.clone(),
            )]));
        }
        shared.broadcast_reload();
        RebuildReport {
            fatal: Some(fatal.0),
            ..Default::default()
        }
    }

    fn full(
        &mut self,
        analysis: &Analysis,
        shared: &Arc<Shared>,
        overlay: Option<String>,
        started: Instant,
    ) -> Result<RebuildReport, Fatal> {
        self.generation += 1;
        let dir = self.work.path().join(format!("site-{}", self.generation));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", dir.display())))?;
        let written = Written::default();
        let rendered = theme::load(&analysis.project.root).and_then(|templates| {
            let r = Renderer::with_templates(&analysis.project, templates);
            render::render_site_into::<KeptDocs>(&r, &Tree::remembering(&dir, &written))
                .map(|(stats, docs)| (r, stats, docs))
        });
        let (renderer, stats, docs) = match rendered {
            Ok(result) => result,
            Err(e) => {
                std::fs::remove_dir_all(&dir).ok();
                return Err(e);
            }
        };
        if let Ok(mut served) = shared.served.write() {
            served.dir = Some(dir.clone());
            served.overlay = overlay;
        }
        let millis = started.elapsed().as_millis();
        shared.broadcast_reload();
        let (links, backlinks) = link_maps(&analysis.project);
        let writer = self.search_writer(shared);
        writer.reset(dir.clone(), Arc::clone(&written), docs);
        // The writer no longer writes into the previous folder once it is done.
        writer.wait();
        let previous = self.last.replace(Last {
            dir,
            written,
            parts: Some(renderer.into_parts()),
            paths: analysis
                .project
                .documents
                .iter()
                .map(|d| d.path().to_string())
                .collect(),
            links,
            backlinks,
        });
        if let Some(previous) = previous {
            std::fs::remove_dir_all(previous.dir).ok();
        }
        Ok(RebuildReport {
            scope: Scope::Everything,
            pages: stats.pages,
            millis,
            ..Default::default()
        })
    }

    fn partial(
        &mut self,
        analysis: &Analysis,
        shared: &Arc<Shared>,
        overlay: Option<String>,
        started: Instant,
    ) -> Result<RebuildReport, Fatal> {
        let project = &analysis.project;
        let last = self
            .last
            .as_mut()
            .expect("partial rebuilds follow a full one");
        let mut timer = crate::timing::Stages::start();
        let (links, backlinks) = link_maps(project);
        timer.mark("link maps");
        let (templates, last_site, last_values) = last
            .parts
            .take()
            .expect("partial rebuilds follow a full one");
        let last_views = &last_site.documents;
        let renderer = Renderer::reusing(project, templates, Some((last_views, &last_values)));
        timer.mark("templates and views");
        let views = &renderer.site().documents;
        // A document's page shows its own content, and the titles of the documents linking to
        // it: re-render changed documents, documents whose referrers changed, and the targets
        // of a changed document whose title (view) changed.
        let mut targets: BTreeSet<usize> = BTreeSet::new();
        for (i, doc) in project.documents.iter().enumerate() {
            if doc.reparsed {
                targets.insert(i);
                if views[i] != last_views[i] {
                    targets.extend(last.links[i].iter().copied());
                    targets.extend(links[i].iter().copied());
                }
            }
            if backlinks[i] != last.backlinks[i] {
                targets.insert(i);
            }
        }
        let dir = Tree::remembering(&last.dir, &last.written);
        let targets: Vec<usize> = targets.into_iter().collect();
        let rendered = render_documents(&renderer, &targets, &dir)?;
        let mut pages = rendered.len();
        // Aggregate pages and exports show only what the views hold, but for the two that show
        // bodies: when no document's view changed (an edit of body text), the others are as
        // they were.
        let views_changed = renderer.site().documents != *last_views;
        if views_changed {
            pages += renderer.aggregate_pages(&dir)?;
        } else {
            let edited: Vec<usize> = (0..project.documents.len())
                .filter(|&i| project.documents[i].reparsed)
                .collect();
            pages += renderer.pages_showing_bodies(&dir, &edited)?;
        }
        timer.mark("pages");
        if let Ok(mut served) = shared.served.write() {
            served.overlay = overlay;
        }
        let millis = started.elapsed().as_millis();
        shared.broadcast_reload();
        last.links = links;
        last.backlinks = backlinks;
        if views_changed {
            exports::write_all(project, renderer.site(), &dir)?;
        }
        last.parts = Some(renderer.into_parts());
        crate::drop_in_background((last_site, last_values));
        self.search_writer(shared).update(rendered);
        timer.mark("exports");
        Ok(RebuildReport {
            scope: Scope::Pages,
            pages,
            millis,
            ..Default::default()
        })
    }
}

/// Renders the pages of the documents at `indices` into `dir`, in parallel, with each one's
/// search data for the writer of the index.
fn render_documents(
    renderer: &Renderer,
    indices: &[usize],
    dir: &Tree,
) -> Result<Vec<(usize, KeptDoc)>, Fatal> {
    use rayon::prelude::*;
    indices
        .par_iter()
        .map(|&i| {
            let (fields, entry, text) = renderer.document(i, dir)?;
            Ok((i, KeptDoc::new(&fields, &text, entry)))
        })
        .collect()
}

fn link_maps(project: &Project) -> (Vec<BTreeSet<usize>>, Vec<Vec<usize>>) {
    let links = project
        .documents
        .iter()
        .map(|d| {
            d.targets
                .iter()
                .filter_map(|t| match *t {
                    Target::Document { index, .. } => Some(index),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let backlinks = (0..project.documents.len())
        .map(|i| project.referenced_by(i).to_vec())
        .collect();
    (links, backlinks)
}
