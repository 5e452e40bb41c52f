//! Write: a site is built into a hidden folder beside the output folder, holding a lock on it,
//! and exchanged with the previous site only when complete, so a failed or killed build leaves
//! the previous site as it was. Each site's marker lists the files annexa wrote; a folder that
//! holds others, the project root and its parents are not replaced.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Fatal;
use exchange::Method;
use lock::OutputLock;
use manifest::{Manifest, Marker};
use names::Beside;

mod exchange;
mod lock;
mod manifest;
mod names;

pub use manifest::MARKER;

/// A site being written into a temporary folder beside its final place, with the output
/// folder locked against other builds until it is committed or aborted.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    target: PathBuf,
    force: bool,
    temp: PathBuf,
    beside: Beside,
    _lock: OutputLock,
}

impl Staging {
    /// The folder to write the new site into.
    pub fn dir(&self) -> &Path {
        &self.temp
    }

    /// Checks that `target` may be replaced (`force`: even if it holds files annexa did not
    /// write), locks it, removes what killed builds left beside it, and creates the temporary
    /// folder. A refusal changes nothing, in or beside `target`.
    pub fn begin(root: &Path, target: &Path, force: bool) -> Result<Staging, Fatal> {
        let target = absolute(target)?;
        let root = root
            .canonicalize()
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", root.display())))?;
        check_replaceable(&root, &target, force, None)?;
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(Fatal::new(format!(
                "`{}` cannot be an output folder",
                target.display()
            )));
        };
        fs::create_dir_all(parent)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
        let beside = Beside::new(parent, name);
        let lock = OutputLock::acquire(&beside.lock(), &target)?;
        beside.remove_leftovers();
        let temp = beside.temp();
        fs::create_dir(&temp)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", temp.display())))?;
        Ok(Staging {
            root,
            target,
            force,
            temp,
            beside,
            _lock: lock,
        })
    }

    /// Writes the manifest of the finished site, checks again (holding the lock) that the
    /// folder it replaces holds only what annexa wrote, and exchanges the two: the previous
    /// site is removed, or stays whole if anything fails.
    pub fn commit(self) -> Result<PathBuf, Fatal> {
        if let Err(e) = self.prepare() {
            fs::remove_dir_all(&self.temp).ok();
            return Err(e);
        }
        let old = self.beside.old();
        if let Err(e) = exchange::replace(&self.temp, &self.target, &old, Method::Exchange) {
            fs::remove_dir_all(&self.temp).ok();
            return Err(Fatal::new(format!(
                "cannot move the new site into `{}`: {e}",
                self.target.display()
            )));
        }
        fs::remove_dir_all(&old).ok();
        Ok(self.target.clone())
    }

    fn prepare(&self) -> Result<(), Fatal> {
        let manifest = Manifest::scan(&self.temp)?;
        check_replaceable(&self.root, &self.target, self.force, Some(&manifest))?;
        manifest.write(&self.temp)
    }

    /// Removes the temporary folder (after a failed build).
    pub fn abort(self) {
        fs::remove_dir_all(&self.temp).ok();
    }
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
/// new site's files `staged` once they exist.
fn check_replaceable(
    root: &Path,
    target: &Path,
    force: bool,
    staged: Option<&Manifest>,
) -> Result<(), Fatal> {
    if root.starts_with(target) {
        return Err(Fatal::new(format!(
            "refusing to use `{}` as the output folder: it is the project root or contains it",
            target.display()
        )));
    }
    let Ok(meta) = target.metadata() else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(Fatal::new(format!(
            "refusing to replace `{}`: it is a file, not a folder",
            target.display()
        )));
    }
    if force {
        return Ok(());
    }
    let marker = Marker::read(target);
    if let Marker::Absent = marker {
        let mut entries = fs::read_dir(target)
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", target.display())))?;
        if entries.any(|e| e.is_ok_and(|e| !manifest::ignored(&e.file_name()))) {
            return Err(Fatal::new(format!(
                "refusing to replace `{}`: it is not empty and annexa did not create it (no {MARKER} file); choose another output folder with -o, empty it, or pass --force",
                target.display()
            )));
        }
        return Ok(());
    }
    let foreign = manifest::foreign_files(target, &marker, staged)?;
    if foreign.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 3;
    let mut list = foreign[..foreign.len().min(SHOWN)].join(", ");
    if foreign.len() > SHOWN {
        list.push_str(&format!(" (and {} more)", foreign.len() - SHOWN));
    }
    Err(Fatal::new(format!(
        "`{}` holds files annexa did not write: {list}; move them, choose another -o, or pass --force",
        target.display()
    )))
}

/// Writes `bytes` to `rel` below `dir`, creating folders as needed.
pub fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Fatal> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    fs::write(&path, bytes)
        .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))
}

/// Copies the file at `from` to `rel` below `dir`.
pub fn copy_file(from: &Path, dir: &Path, rel: &str) -> Result<(), Fatal> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    fs::copy(from, &path)
        .map(|_| ())
        .map_err(|e| Fatal::new(format!("cannot copy `{}`: {e}", from.display())))
}
