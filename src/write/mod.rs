//! Write: a site is built in an alternate tree beside the output folder, holding a lock on it,
//! and exchanged with the live site only when complete, so a failed or killed build leaves the
//! live site as it was. Each tree's marker lists the files annexa wrote, with their hashes: a
//! build writes into the alternate tree only the files whose bytes differ from what it holds,
//! and after the exchange brings the previous site (now the alternate tree) up to date the same
//! way. A folder that holds files annexa did not write, the project root and its parents are
//! not replaced.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Fatal;
use exchange::Method;
use lock::OutputLock;
use manifest::{Manifest, Marker, Survey, unkey};
use names::Beside;

mod exchange;
mod inputs;
mod lock;
mod manifest;
mod names;
mod sync;
mod tree;
mod walk;

pub use inputs::{executable_stamp, fingerprint};
pub use manifest::{Hash, MARKER, hex, parse_hex, push_hex};
pub use tree::{Tree, Written};

/// The files beside an output folder that a build keeps its caches in.
#[derive(Debug, Clone)]
pub struct CacheFiles {
    /// The render cache (`.NAME.annexa-render`, see `render::cache`).
    pub pages: PathBuf,
    /// The search cache (`.NAME.annexa-search`, see `search::SearchCache`).
    pub search: PathBuf,
    /// Where the build writes the next search cache (`.NAME.annexa-search-new`): the commit
    /// makes it the search cache once the site is in place; a failed, refused or aborted build
    /// removes it.
    pub search_new: PathBuf,
}

/// A site being written into the alternate tree beside its final place, with the output folder
/// locked against other builds until it is committed or aborted.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    target: PathBuf,
    force: bool,
    beside: Beside,
    /// The live site's manifest and what else it holds, when it has a manifest with hashes.
    live: Option<(Manifest, Survey)>,
    /// What the alternate tree holds, when its marker can be trusted.
    held: Option<Manifest>,
    tree: Tree,
    _lock: OutputLock,
}

/// What a finished render reports, recorded beside the site with the build's fingerprint.
#[derive(Debug, Clone)]
pub struct Done {
    /// The fingerprint of the build's inputs ([`fingerprint`]), taken before it read them;
    /// `None` for a build that is never cached (`--at`).
    pub fingerprint: Option<Hash>,
    /// What the build reported.
    pub built: Built,
}

/// What a build reported: its counts and what its check printed, recorded beside the site so
/// that a later build that finds nothing changed prints them again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// HTML pages.
    pub pages: usize,
    /// Files copied.
    pub files: usize,
    /// Documents read.
    pub documents: usize,
    /// What the check printed (errors in full, warnings counted).
    pub report: String,
}

/// Whether the build that wrote the output folder `target` had `fingerprint`, by its cache file
/// alone (before anything is read, locked or checked: [`Staging::up_to_date`] decides).
pub fn built_with(target: &Path, fingerprint: &Hash) -> bool {
    absolute(target)
        .ok()
        .and_then(|target| beside(&target))
        .and_then(|beside| inputs::Cached::read(&beside.cache()))
        .is_some_and(|cached| cached.fingerprint == *fingerprint)
}

/// The outline cache beside the output folder `target` (`.NAME.annexa-outline`, see
/// `load::Outlines`) and where a build writes the next one (`.NAME.annexa-outline-new`);
/// `None` for a root or a folder whose absolute path cannot be known.
pub fn outline_cache(target: &Path) -> Option<(PathBuf, PathBuf)> {
    Some(beside(&absolute(target).ok()?)?.outline_cache())
}

/// annexa's names beside the (absolute) output folder `target`; `None` for a root.
fn beside(target: &Path) -> Option<Beside> {
    Some(Beside::new(target.parent()?, target.file_name()?))
}

/// What a committed build did to the output folder.
#[derive(Debug, Clone)]
pub struct Committed {
    /// The output folder.
    pub path: PathBuf,
    /// Whether the new site is the live one, byte for byte: then nothing was written.
    pub unchanged: bool,
    /// Files written into the alternate tree (and copied into the previous site after).
    pub written: usize,
}

impl Staging {
    /// The output folder (absolute).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The folder the new site is rendered into.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Where the caches of this output folder are kept (`.NAME.annexa-render`,
    /// `.NAME.annexa-search`).
    pub fn caches(&self) -> CacheFiles {
        CacheFiles {
            pages: self.beside.render_cache(),
            search: self.beside.search_cache(),
            search_new: self.beside.search_cache_new(),
        }
    }

    /// Checks that `target` may be replaced (`force`: even if it holds files annexa did not
    /// write), locks it, removes what killed builds left beside it, and opens the alternate
    /// tree. A refusal changes nothing, in or beside `target`.
    pub fn begin(root: &Path, target: &Path, force: bool) -> Result<Staging, Fatal> {
        let target = absolute(target)?;
        let root = root
            .canonicalize()
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", root.display())))?;
        let live = check_replaceable(&root, &target, force, None)?;
        let (Some(parent), Some(beside)) = (target.parent(), beside(&target)) else {
            return Err(Fatal::new(format!(
                "`{}` cannot be an output folder",
                target.display()
            )));
        };
        fs::create_dir_all(parent)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
        let lock = OutputLock::acquire(&beside.lock(), &target)?;
        beside.remove_leftovers();
        let alt = beside.alt();
        let held = sync::trusted(&alt);
        let hashes =
            |m: Option<&Manifest>, skip: Option<&Survey>| -> HashMap<String, manifest::Hash> {
                m.into_iter()
                    .flat_map(|m| m.hashes())
                    .filter(|(p, _)| skip.is_none_or(|s| !s.dirty.contains(*p)))
                    .map(|(p, h)| (p.to_string(), h))
                    .collect()
            };
        let tree = Tree::staged(
            &alt,
            hashes(held.as_ref(), None),
            hashes(live.as_ref().map(|l| &l.0), live.as_ref().map(|l| &l.1)),
        );
        Ok(Staging {
            root,
            target,
            force,
            beside,
            live,
            held,
            tree,
            _lock: lock,
        })
    }

    /// What the build that wrote the live site reported, when it had the same `fingerprint`
    /// and the site is still exactly what it wrote: then nothing needs reading or rendering.
    pub fn up_to_date(&self, fingerprint: &Hash) -> Option<Built> {
        let (manifest, survey) = self.live.as_ref()?;
        let cached = inputs::Cached::read(&self.beside.cache())?;
        (survey.clean()
            && cached.fingerprint == *fingerprint
            && cached.manifest == manifest::hash(manifest.text().as_bytes()))
        .then_some(cached.built)
    }

    /// Finishes the alternate tree (copies what it lacks from the live site, removes what the
    /// new site no longer has, writes its manifest), checks again for a site of the previous
    /// version that it holds only what annexa wrote, and exchanges the two trees; then brings
    /// the previous site, now the alternate tree, up to date. When the new site is the live one
    /// byte for byte, nothing is written and nothing exchanged.
    pub fn commit(self, done: Done) -> Result<Committed, Fatal> {
        let beside = self.beside.clone();
        let committed = self.commit_site(done);
        beside.settle_search_cache(committed.is_ok());
        committed
    }

    /// [`Staging::commit`], but for the search cache the build wrote.
    fn commit_site(self, done: Done) -> Result<Committed, Fatal> {
        let Staging {
            root,
            target,
            force,
            beside,
            live,
            held,
            tree,
            _lock,
        } = self;
        let alt = tree.dir().to_path_buf();
        let rendered = tree.finish();
        let written = rendered.written.len();
        let cache = beside.cache();
        fs::remove_file(&cache).ok();
        let record = done.fingerprint.map(|fingerprint| inputs::Cached {
            fingerprint,
            manifest: manifest::hash(rendered.manifest.text().as_bytes()),
            built: done.built,
        });
        let record = |cache: &Path| {
            if let Some(record) = &record {
                record.write(cache);
            }
        };
        if let Some((live_manifest, survey)) = &live
            && survey.clean()
            && *live_manifest == rendered.manifest
            && rendered.written.is_empty()
        {
            record(&cache);
            return Ok(Committed {
                path: target,
                unchanged: true,
                written: 0,
            });
        }
        if live.is_none()
            && let Err(e) = check_replaceable(&root, &target, force, Some(&rendered.manifest))
        {
            if held.is_none() {
                fs::remove_dir_all(&alt).ok();
            }
            return Err(e);
        }
        sync::open(&alt)?;
        copy_from_live(&rendered, &target, &alt)?;
        if let Some(held) = &held {
            sync::remove(
                &alt,
                held.paths()
                    .filter(|p| rendered.manifest.hash_of(p).is_none()),
            );
        }
        rendered.manifest.write(&alt)?;
        let old = beside.old();
        exchange::replace(&alt, &target, &old, Method::Exchange).map_err(|e| {
            Fatal::new(format!(
                "cannot move the new site into `{}`: {e}",
                target.display()
            ))
        })?;
        record(&cache);
        if old.exists() {
            sync::catch_up(&old, &target, &alt, &rendered.manifest, live.as_ref());
        }
        Ok(Committed {
            path: target,
            unchanged: false,
            written,
        })
    }

    /// Gives up the build (after a failed render): the live site is untouched. An alternate
    /// tree this build created is removed; one it found is, if anything was written into it, no
    /// longer trusted, and written anew next time.
    pub fn abort(self) {
        self.beside.settle_search_cache(false);
        if self.held.is_none() {
            fs::remove_dir_all(self.tree.dir()).ok();
        }
    }
}

/// Copies into `alt` the files of `rendered` that the live site at `target` holds with the
/// bytes this build made (in parallel: after a build from nothing, that is every file); stops
/// when one of them is not what the manifest says, changed since the build read it.
fn copy_from_live(rendered: &tree::Rendered, target: &Path, alt: &Path) -> Result<(), Fatal> {
    use rayon::prelude::*;
    rendered.from_live.par_iter().try_for_each(|name| {
        let bytes = fs::read(target.join(unkey(name)))
            .ok()
            .filter(|b| Some(manifest::hash(b)) == rendered.manifest.hash_of(name));
        let Some(bytes) = bytes else {
            return Err(Fatal::new(format!(
                "`{}` changed during the build; build again",
                target.join(unkey(name)).display()
            )));
        };
        let path = alt.join(unkey(name));
        tree::put(alt, &path, &bytes)
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))
    })
}

/// `path` made absolute and normalised, following symlinks of the parts that exist.
fn absolute(path: &Path) -> Result<PathBuf, Fatal> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Fatal::new(format!("cannot read the current folder: {e}")))?
            .join(path)
    };
    let mut existing = path.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut result = canonical;
            for part in rest.iter().rev() {
                match part {
                    p if p == ".." => {
                        result.pop();
                    }
                    p if p == "." => {}
                    p => result.push(p),
                }
            }
            return Ok(result);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return Ok(path),
        }
    }
}

/// Refuses `target` if it is the project root or contains it, is a file, or (unless `force`)
/// holds files annexa did not write: judged by its marker, and for a legacy site against the
/// new site's files `staged` once they exist. A site with a manifest of this version comes back
/// with its manifest and what a walk found besides.
fn check_replaceable(
    root: &Path,
    target: &Path,
    force: bool,
    staged: Option<&Manifest>,
) -> Result<Option<(Manifest, Survey)>, Fatal> {
    if root.starts_with(target) {
        return Err(Fatal::new(format!(
            "refusing to use `{}` as the output folder: it is the project root or contains it",
            target.display()
        )));
    }
    let Ok(meta) = target.metadata() else {
        return Ok(None);
    };
    if !meta.is_dir() {
        return Err(Fatal::new(format!(
            "refusing to replace `{}`: it is a file, not a folder",
            target.display()
        )));
    }
    let marker = Marker::read(target);
    if let Marker::Manifest(manifest) = &marker
        && manifest.hashed()
    {
        let survey = manifest::survey(target, manifest)?;
        if !force && !survey.foreign.is_empty() {
            return Err(foreign_error(target, &survey.foreign));
        }
        return Ok(Some((manifest.clone(), survey)));
    }
    if force {
        return Ok(None);
    }
    if let Marker::Absent = marker {
        let mut entries = fs::read_dir(target)
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", target.display())))?;
        if entries.any(|e| e.is_ok_and(|e| !manifest::ignored(&e.file_name()))) {
            return Err(Fatal::new(format!(
                "refusing to replace `{}`: it is not empty and annexa did not create it (no {MARKER} file); choose another output folder with -o, empty it, or pass --force",
                target.display()
            )));
        }
        return Ok(None);
    }
    let foreign = manifest::foreign_files(target, &marker, staged)?;
    if foreign.is_empty() {
        return Ok(None);
    }
    Err(foreign_error(target, &foreign))
}

/// The refusal of a folder that holds the files `foreign` (sorted) annexa did not write.
fn foreign_error(target: &Path, foreign: &[String]) -> Fatal {
    const SHOWN: usize = 3;
    let mut list = foreign[..foreign.len().min(SHOWN)].join(", ");
    if foreign.len() > SHOWN {
        list.push_str(&format!(" (and {} more)", foreign.len() - SHOWN));
    }
    Fatal::new(format!(
        "`{}` holds files annexa did not write: {list}; move them, choose another -o, or pass --force",
        target.display()
    ))
}

/// Writes `bytes` to `rel` below the folder `out`, unless it holds them already.
pub fn write_file(out: &Tree, rel: &str, bytes: &[u8]) -> Result<(), Fatal> {
    out.write(rel, bytes)
}

/// Copies the file at `from` to `rel` below the folder `out`, unless it holds its bytes.
pub fn copy_file(from: &Path, out: &Tree, rel: &str) -> Result<(), Fatal> {
    out.copy(from, rel)
}
