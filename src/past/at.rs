//! The project as it stood at a commit: its files written from Git's objects (`git ls-tree`,
//! then one `git cat-file --batch`) into a private temporary folder, never over the user's
//! working tree. The normal pipeline then reads that folder.

use std::path::{Path, PathBuf};

use crate::error::Fatal;

use crate::history::git::{self, Point, Resolved};
use crate::history::{Repo, Source};

/// A project root written out at a commit; removed when dropped.
#[derive(Debug)]
pub struct Snapshot {
    folder: tempfile::TempDir,
    /// The commit.
    pub commit: Resolved,
    /// Where the history of the snapshot comes from (the live repository, at the commit).
    pub source: Source,
}

impl Snapshot {
    /// The snapshot's project root.
    pub fn root(&self) -> &Path {
        self.folder.path()
    }
}

/// Writes the project at `root` as it stood at `point` into a temporary folder. `what` names
/// the command for messages (`build --at`).
pub fn snapshot(root: &Path, point: &Point, what: &str) -> Result<Snapshot, Fatal> {
    let repo = Repo::require(root, what)?;
    let commit = git::resolve(root, point).map_err(|e| shallow_hint(&repo, e))?;
    snapshot_of(root, &commit)
}

/// Writes the project at `root` as it stood at `commit` into a temporary folder.
pub fn snapshot_of(root: &Path, commit: &Resolved) -> Result<Snapshot, Fatal> {
    let commit = commit.clone();
    let folder = tempfile::Builder::new()
        .prefix("annexa-at-")
        .tempdir()
        .map_err(|e| Fatal::new(format!("cannot create a temporary folder: {e}")))?;
    write_tree(root, &commit.hash, folder.path())?;
    if !folder.path().join(crate::config::CONFIG_FILE).is_file() {
        return Err(Fatal::new(format!(
            "at {} ({}) the project has no {}: it did not exist yet",
            commit.short,
            commit.date,
            crate::config::CONFIG_FILE
        )));
    }
    Ok(Snapshot {
        source: Source::At {
            dir: root.to_path_buf(),
            commit: commit.clone(),
        },
        commit,
        folder,
    })
}

/// Adds the shallow-clone explanation to a failure to resolve a point of history.
pub fn shallow_hint(repo: &Repo, error: Fatal) -> Fatal {
    if repo.shallow {
        Fatal::new(format!("{}; {}", error.0, repo.shallow_message()))
    } else {
        error
    }
}

/// Writes the files below `dir` at `commit` into `to` (paths relative to `dir`).
fn write_tree(dir: &Path, commit: &str, to: &Path) -> Result<(), Fatal> {
    let out = git::output(dir, &["ls-tree", "-r", "-z", "--end-of-options", commit])
        .ok_or_else(|| Fatal::new(format!("cannot list the files of commit {commit}")))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut files: Vec<(bool, String, PathBuf)> = Vec::new();
    for entry in text.split('\0').filter(|e| !e.is_empty()) {
        let Some((head, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = head.split(' ');
        let (mode, kind, id) = (parts.next(), parts.next(), parts.next());
        let (Some(mode), Some("blob"), Some(id)) = (mode, kind, id) else {
            continue; // a submodule
        };
        let rel = Path::new(path);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        files.push((mode == "120000", id.to_string(), to.join(rel)));
    }
    let ids: Vec<String> = files.iter().map(|(_, id, _)| id.clone()).collect();
    let contents = git::blobs(dir, &ids)?;
    for ((link, _, path), bytes) in files.iter().zip(contents) {
        let Some(bytes) = bytes else { continue };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
        }
        let written = if *link {
            write_link(&bytes, path)
        } else {
            std::fs::write(path, &bytes)
        };
        written.map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))?;
    }
    Ok(())
}

#[cfg(unix)]
fn write_link(target: &[u8], path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), path)
}

#[cfg(not(unix))]
fn write_link(target: &[u8], path: &Path) -> std::io::Result<()> {
    std::fs::write(path, target)
}
