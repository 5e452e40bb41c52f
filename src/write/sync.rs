//! Sync: the alternate tree beside an output folder — whether its marker can be trusted, and
//! bringing the previous site up to date with the new one after an exchange, so that the next
//! build finds a tree that differs from the live site only by what it changes.

use std::fs;
use std::io;
use std::path::Path;

use super::manifest::{Manifest, Marker, Survey, unkey};
use super::tree::put;
use crate::error::Fatal;

/// What the alternate tree at `alt` holds, by its manifest; `None` if it has none that can be
/// trusted (a build was killed while writing it, or it is not annexa's), in which case it is
/// removed, to be written again from nothing.
pub(super) fn trusted(alt: &Path) -> Option<Manifest> {
    let meta = alt.symlink_metadata().ok()?;
    if meta.is_dir()
        && let Marker::Manifest(manifest) = Marker::read(alt)
        && manifest.hashed()
        && manifest.len() > 0
    {
        return Some(manifest);
    }
    if meta.is_dir() {
        fs::remove_dir_all(alt).ok();
    } else {
        fs::remove_file(alt).ok();
    }
    None
}

/// Makes `alt` ready to be written: its marker removed (so that a build killed from here on
/// leaves a tree no later build trusts), the folder created.
pub(super) fn open(alt: &Path) -> Result<(), Fatal> {
    let marker = alt.join(super::MARKER);
    match fs::remove_file(&marker) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(Fatal::new(format!(
                "cannot remove `{}`: {e}",
                marker.display()
            )));
        }
        _ => {}
    }
    fs::create_dir_all(alt)
        .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", alt.display())))
}

/// Removes the files `names` (manifest keys) below `root`, and the folders they leave empty.
pub(super) fn remove<'a>(root: &Path, names: impl Iterator<Item = &'a str>) {
    for name in names {
        let path = root.join(unkey(name));
        if fs::remove_file(&path).is_err() {
            continue;
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == root || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// After an exchange: `old` holds the previous site, `target` the new one with `manifest`.
/// Brings `old` up to date with `target` by copying the files that differ and removing the
/// others, then makes it the alternate tree `alt`. A previous site without a manifest with
/// hashes (or one whose update fails) is removed instead: the next build writes it anew.
pub(super) fn catch_up(
    old: &Path,
    target: &Path,
    alt: &Path,
    manifest: &Manifest,
    previous: Option<&(Manifest, Survey)>,
) {
    let updated = previous
        .is_some_and(|(before, survey)| update(old, target, manifest, before, survey).is_ok());
    if !updated || fs::rename(old, alt).is_err() {
        fs::remove_dir_all(old).ok();
    }
}

fn update(
    old: &Path,
    target: &Path,
    manifest: &Manifest,
    before: &Manifest,
    survey: &Survey,
) -> Result<(), Fatal> {
    open(old)?;
    remove(
        old,
        before
            .paths()
            .filter(|p| manifest.hash_of(p).is_none())
            .chain(survey.litter.iter().map(String::as_str))
            .chain(survey.foreign.iter().map(String::as_str)),
    );
    for (name, hash) in manifest.hashes() {
        if before.hash_of(name) == Some(hash) && !survey.dirty.contains(name) {
            continue;
        }
        let rel = unkey(name);
        let bytes = fs::read(target.join(&rel))
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", rel.display())))?;
        put(old, &old.join(&rel), &bytes)
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", rel.display())))?;
    }
    manifest.write(old)
}
