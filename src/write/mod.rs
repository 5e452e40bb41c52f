//! Write: the output folder is built as a hidden sibling and swapped in only when complete, so
//! a failed or killed build leaves the previous site as it was. annexa marks the folders it
//! creates and refuses to replace any other non-empty folder, the project root, or its parents.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Fatal;
use exchange::Method;
use lock::OutputLock;
use names::Beside;

mod exchange;
mod lock;
mod names;

/// The file that marks a folder as a site annexa built (and may replace).
pub const MARKER: &str = ".annexa-site";

const MARKER_TEXT: &str =
    "This folder was built by annexa. `annexa build` replaces it as a whole.\n";

/// A site being written into a temporary folder beside its final place, with the output
/// folder locked against other builds until it is committed or aborted.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    beside: Beside,
    _lock: OutputLock,
}

impl Staging {
    /// The folder to write the new site into.
    pub fn dir(&self) -> &Path {
        &self.temp
    }

    /// Checks that `target` may be replaced, locks it, removes what killed builds left beside
    /// it, and creates the temporary folder.
    pub fn begin(root: &Path, target: &Path) -> Result<Staging, Fatal> {
        let target = absolute(target)?;
        let root = root
            .canonicalize()
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", root.display())))?;
        check_replaceable(&root, &target)?;
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
        fs::write(temp.join(MARKER), MARKER_TEXT)
            .map_err(|e| Fatal::new(format!("cannot write in `{}`: {e}", temp.display())))?;
        Ok(Staging {
            target,
            temp,
            beside,
            _lock: lock,
        })
    }

    /// Swaps the finished site into place, removing the previous one.
    pub fn commit(self) -> Result<PathBuf, Fatal> {
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

fn check_replaceable(root: &Path, target: &Path) -> Result<(), Fatal> {
    if root.starts_with(target) {
        return Err(Fatal::new(format!(
            "refusing to use `{}` as the output folder: it is the project root or contains it",
            target.display()
        )));
    }
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return Err(Fatal::new(format!(
            "refusing to replace `{}`: it is a file, not a folder",
            target.display()
        )));
    }
    if target.join(MARKER).is_file() {
        return Ok(());
    }
    let empty = fs::read_dir(target)
        .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", target.display())))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    Err(Fatal::new(format!(
        "refusing to replace `{}`: it is not empty and annexa did not create it (no {MARKER} file); choose another output folder with -o, or empty it",
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
