//! Render: the site's pages from the model and the theme, the search index and the exports,
//! written into a folder (the staging folder of a build, or the preview folder of `serve`).

mod body;
pub mod cache;
pub mod changes;
mod crumbs;
pub mod exports;
pub mod highlight;
pub mod html;
pub mod pages;
pub mod theme;
mod toc;
mod values;
pub mod view;
pub mod xlsx;

use rayon::prelude::*;

use crate::error::Fatal;
use crate::model::Project;
use crate::search;
use crate::write;
use crate::write::Tree;

pub use pages::Renderer;

/// What a render produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderStats {
    /// HTML pages written.
    pub pages: usize,
    /// Files copied (document attachments, theme assets, `static/`).
    pub files: usize,
    /// Search index sizes.
    pub search: search::IndexStats,
    /// Pages taken unrendered from the render cache.
    pub unchanged: usize,
}

/// Renders the whole site of `project` into `out`. With `caches`, pages whose key is unchanged
/// since the build that recorded it are taken as they are (see [`cache`]), and documents whose
/// search key is unchanged give the search index the data kept for them; the render cache of
/// this render is returned, to be saved once the site is in place (the index writes the new
/// search cache to `search_new`, which the commit puts in its place).
pub fn render_site(
    project: &Project,
    out: &Tree,
    caches: Option<&write::CacheFiles>,
) -> Result<(RenderStats, Option<cache::PageCache>), Fatal> {
    let mut timer = crate::timing::Stages::start();
    let (templates, own) = theme::sources(&project.root)?;
    let mut renderer = Renderer::with_templates(project, theme::compile(&templates)?);
    if let Some(files) = caches {
        renderer = renderer
            .with_cache(|site| cache::PageCache::open(&files.pages, project, site, &templates, own))
            .with_search_cache(search::SearchCache::open(&files.search));
    }
    timer.mark("templates and views");
    let rendered = render_pages_into::<search::SearchIndex>(&renderer, out);
    let cache = renderer.take_cache();
    let search_cache = renderer.take_search_cache();
    // The views and their template values are not needed for the search index: they go
    // first, so that the build's peak memory is not both at once.
    renderer.discard();
    let (mut stats, sink) = rendered?;
    timer = crate::timing::Stages::start();
    let saved = search_cache.zip(caches.map(|f| f.search_new.as_path()));
    stats.search = sink.write(out, saved)?;
    timer.mark("search index");
    let (ranked, heads) = stats.search.heads;
    let (made, files) = stats.search.head_files;
    timer.note(&format!(
        "search heads: {ranked} of {heads} ranked, {made} of {files} files made"
    ));
    stats.unchanged = cache.as_ref().map_or(0, cache::PageCache::reused);
    Ok((stats, cache))
}

/// Renders the whole site with `renderer`, handing the documents' search data to a sink of type
/// `S` (the index itself for `build`, kept per document for `serve`).
pub fn render_site_into<S: search::SearchSink>(
    renderer: &Renderer<'_>,
    out: &Tree,
) -> Result<(RenderStats, S::Kept), Fatal> {
    let mut timer = crate::timing::Stages::start();
    let (mut stats, sink) = render_pages_into::<S>(renderer, out)?;
    let (search, kept) = sink.finish(out)?;
    stats.search = search;
    timer.mark("search index");
    Ok((stats, kept))
}

/// Renders every page and export with `renderer`, and collects the documents' search data in
/// a sink of type `S`, not yet written.
fn render_pages_into<S: search::SearchSink>(
    renderer: &Renderer<'_>,
    out: &Tree,
) -> Result<(RenderStats, S), Fatal> {
    let mut timer = crate::timing::Stages::start();
    let project = renderer.project();
    let mut stats = RenderStats {
        files: copy_files(project, out)?,
        ..Default::default()
    };
    timer.mark("copy files");
    // Pages that are not document pages, and the exports, need only the views: they are
    // rendered alongside the documents, so that both cores stay busy to the end.
    let (sink, (pages, exported)) = rayon::join(
        || {
            chunks(project)
                .into_par_iter()
                .try_fold(S::default, |mut sink, chunk| {
                    renderer.document_chunk(chunk, out, &mut sink)?;
                    Ok::<_, Fatal>(sink)
                })
                .try_reduce(S::default, |a, b| Ok(a.merge(b)))
        },
        || {
            rayon::join(
                || renderer.aggregate_pages(out),
                || exports::write_all(project, renderer.site(), out),
            )
        },
    );
    stats.pages += project.documents.len() + pages?;
    exported?;
    timer.mark("pages and exports");
    Ok((stats, sink?))
}

/// The search chunks of the project's documents.
pub fn chunks(project: &Project) -> std::ops::Range<usize> {
    0..project.documents.len().div_ceil(search::CHUNK)
}

/// Copies theme assets, the generated highlight stylesheet, document attachments and `static/`.
fn copy_files(project: &Project, out: &Tree) -> Result<usize, Fatal> {
    let mut count = 0;
    for (rel, bytes) in theme::static_files() {
        write::write_file(out, &format!("{}/{rel}", theme::ASSETS_DIR), &bytes)?;
        count += 1;
    }
    write::write_file(
        out,
        &format!("{}/highlight.css", theme::ASSETS_DIR),
        highlight::stylesheet().as_bytes(),
    )?;
    project
        .assets
        .par_iter()
        .try_for_each(|rel| write::copy_file(&project.root.join(rel), out, rel))?;
    count += project.assets.len();
    for (source, url) in project.static_files.iter().filter_map(|p| {
        let url = project.site.files.get(p)?;
        Some((p, url))
    }) {
        write::copy_file(&project.root.join(source), out, url)?;
        count += 1;
    }
    Ok(count)
}
