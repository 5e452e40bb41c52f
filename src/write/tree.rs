//! Tree: the folder a render writes into. In a build, each file's bytes are hashed: a file the
//! folder already holds with those bytes is not written again, and one that the live site holds
//! with them is only noted, to be copied from it if the site changes at all.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::manifest::{Hash, Manifest, hash, key};
use crate::error::Fatal;

/// Where a file of the new site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The folder holds it already.
    Held,
    /// The live site holds it: copied from there if the folder is to become the site.
    Live,
    /// Written into the folder by this render.
    Written,
}

/// The folder a site is rendered into.
#[derive(Debug)]
pub struct Tree {
    dir: PathBuf,
    /// `None` for a plain folder (`serve`'s preview), where every file is simply written.
    diff: Option<Diff>,
    /// In a plain folder, what was written into it, by path: a file whose bytes it holds is
    /// not written again.
    written: Option<Written>,
}

/// What was written into a plain folder, by `/`-separated path: the hash of each file's bytes.
pub type Written = std::sync::Arc<Mutex<HashMap<String, Hash>>>;

#[derive(Debug)]
struct Diff {
    /// What the folder holds, by manifest path.
    held: HashMap<String, Hash>,
    /// What the live site holds as annexa wrote it, by manifest path.
    live: HashMap<String, Hash>,
    /// Every file of the new site.
    files: Mutex<Vec<(String, Hash, Source)>>,
    /// Set once the folder may be written: its marker is removed first, so that a build killed
    /// while writing leaves a folder that no later build trusts.
    opened: OnceLock<Result<(), String>>,
}

/// What a render put into a build's folder.
#[derive(Debug)]
pub(super) struct Rendered {
    /// Every file of the new site, with its hash.
    pub(super) manifest: Manifest,
    /// Files written into the folder.
    pub(super) written: Vec<String>,
    /// Files to copy from the live site before the folder becomes the site.
    pub(super) from_live: Vec<String>,
}

impl Tree {
    /// A folder where every file is written (and nothing is recorded).
    pub fn plain(dir: &Path) -> Tree {
        Tree {
            dir: dir.to_path_buf(),
            diff: None,
            written: None,
        }
    }

    /// A plain folder that skips writing a file whose bytes `written` says it holds, and
    /// notes in it what it writes (`serve`'s preview, rebuilt in place: only what changed is
    /// written, as in a build).
    pub fn remembering(dir: &Path, written: &Written) -> Tree {
        Tree {
            written: Some(std::sync::Arc::clone(written)),
            ..Tree::plain(dir)
        }
    }

    /// A build's folder at `dir`, which holds `held` (by its manifest), beside the live site
    /// that holds `live` unchanged since annexa wrote it.
    pub(super) fn staged(
        dir: &Path,
        held: HashMap<String, Hash>,
        live: HashMap<String, Hash>,
    ) -> Tree {
        Tree {
            dir: dir.to_path_buf(),
            diff: Some(Diff {
                held,
                live,
                files: Mutex::new(Vec::new()),
                opened: OnceLock::new(),
            }),
            written: None,
        }
    }

    /// Removes the file `rel` when this folder remembers writing it, and forgets it (`serve`'s
    /// preview, rebuilt in place). Any other folder holds only what was written into it: a
    /// build's site is what it wrote, and a plain folder starts empty.
    pub fn remove_stale(&self, rel: &str) {
        let wrote = self
            .written
            .as_ref()
            .is_some_and(|w| w.lock().is_ok_and(|mut w| w.remove(rel).is_some()));
        if wrote {
            fs::remove_file(self.dir.join(rel)).ok();
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `rel` (a `/`-separated path) below the folder, unless it holds them.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Fatal> {
        self.write_hashed(rel, bytes).map(|_| ())
    }

    /// Like [`Tree::write`]; returns the hash of `bytes` in a build's folder (`None` in a
    /// plain folder, where nothing is hashed).
    pub fn write_hashed(&self, rel: &str, bytes: &[u8]) -> Result<Option<Hash>, Fatal> {
        let path = self.dir.join(rel);
        let Some(diff) = &self.diff else {
            return self.put_plain(rel, &path, bytes).map(|()| None);
        };
        let name = key(Path::new(rel));
        let hash = hash(bytes);
        let source = if diff.held.get(&name) == Some(&hash) {
            Source::Held
        } else if diff.live.get(&name) == Some(&hash) {
            Source::Live
        } else {
            self.open()?;
            put(&self.dir, &path, bytes)
                .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))?;
            Source::Written
        };
        if let Ok(mut files) = diff.files.lock() {
            files.push((name, hash, source));
        }
        Ok(Some(hash))
    }

    /// Writes `bytes` at `path` (`rel` below a plain folder), unless the folder remembers
    /// writing them there.
    fn put_plain(&self, rel: &str, path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
        let failed = |e: io::Error| Fatal::new(format!("cannot write `{}`: {e}", path.display()));
        let Some(written) = &self.written else {
            return put(&self.dir, path, bytes).map_err(failed);
        };
        let hash = hash(bytes);
        let held = |w: &HashMap<String, Hash>| w.get(rel) == Some(&hash);
        if written.lock().is_ok_and(|w| held(&w)) {
            return Ok(());
        }
        put(&self.dir, path, bytes).map_err(failed)?;
        if let Ok(mut w) = written.lock() {
            w.insert(rel.to_string(), hash);
        }
        Ok(())
    }

    /// Takes the file at `rel` into the new site as it is, unrendered, when the folder or the
    /// live site holds it with the bytes whose hash is `hash` (what an earlier render of the
    /// same inputs wrote); returns whether it did. Never in a plain folder.
    pub fn keep(&self, rel: &str, hash: &Hash) -> bool {
        let Some(diff) = &self.diff else {
            return false;
        };
        let name = key(Path::new(rel));
        let source = if diff.held.get(&name) == Some(hash) {
            Source::Held
        } else if diff.live.get(&name) == Some(hash) {
            Source::Live
        } else {
            return false;
        };
        match diff.files.lock() {
            Ok(mut files) => {
                files.push((name, *hash, source));
                true
            }
            Err(_) => false,
        }
    }

    /// Copies the file at `from` to `rel` below the folder, unless it holds its bytes.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<(), Fatal> {
        if self.diff.is_none() {
            let path = self.dir.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| {
                    Fatal::new(format!("cannot create `{}`: {e}", parent.display()))
                })?;
            }
            return fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| Fatal::new(format!("cannot copy `{}`: {e}", from.display())));
        }
        let bytes = fs::read(from)
            .map_err(|e| Fatal::new(format!("cannot copy `{}`: {e}", from.display())))?;
        self.write(rel, &bytes)
    }

    /// Removes the folder's marker (once) before anything in it changes; creates the folder.
    fn open(&self) -> Result<(), Fatal> {
        let Some(diff) = &self.diff else {
            return Ok(());
        };
        diff.opened
            .get_or_init(|| super::sync::open(&self.dir).map_err(|e| e.0))
            .clone()
            .map_err(Fatal::new)
    }

    /// What the render put into the folder.
    pub(super) fn finish(self) -> Rendered {
        let diff = self.diff.expect("a build's folder");
        let files = diff.files.into_inner().unwrap_or_default();
        let mut written = Vec::new();
        let mut from_live = Vec::new();
        let mut all = Vec::with_capacity(files.len());
        for (name, hash, source) in files {
            match source {
                Source::Written => written.push(name.clone()),
                Source::Live => from_live.push(name.clone()),
                Source::Held => {}
            }
            all.push((name, hash));
        }
        Rendered {
            manifest: Manifest::of(all),
            written,
            from_live,
        }
    }
}

/// Writes `bytes` at `path` below `root`, creating folders; where a file stands in the way of a
/// folder, or a folder in the way of the file (the site's shape changed), it is removed.
pub(super) fn put(root: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let attempt = || {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    };
    attempt().or_else(|_| {
        clear_way(root, path);
        attempt()
    })
}

/// Removes what stands in the way of a file at `path` below `root`: files where its folders
/// go, and a folder where it goes.
fn clear_way(root: &Path, path: &Path) {
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let mut at = root.to_path_buf();
    let parts: Vec<_> = rel.iter().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(meta) = at.symlink_metadata() else {
            return;
        };
        let last = i + 1 == parts.len();
        if last && meta.is_dir() {
            fs::remove_dir_all(&at).ok();
        } else if !last && !meta.is_dir() {
            fs::remove_file(&at).ok();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembering_folder_skips_bytes_it_wrote_and_forgets_what_it_removes() {
        let tmp = tempfile::tempdir().unwrap();
        let written = Written::default();
        let tree = Tree::remembering(tmp.path(), &written);
        tree.write("a/b.js", b"one").unwrap();
        // Changed behind its back: the same bytes again are not written, other bytes are.
        fs::write(tmp.path().join("a/b.js"), "by hand").unwrap();
        tree.write("a/b.js", b"one").unwrap();
        assert_eq!(
            fs::read_to_string(tmp.path().join("a/b.js")).unwrap(),
            "by hand"
        );
        tree.write("a/b.js", b"two").unwrap();
        assert_eq!(
            fs::read_to_string(tmp.path().join("a/b.js")).unwrap(),
            "two"
        );
        // Removed, and forgotten: the same bytes are written again.
        tree.remove_stale("a/b.js");
        assert!(!tmp.path().join("a/b.js").exists());
        tree.write("a/b.js", b"two").unwrap();
        assert_eq!(
            fs::read_to_string(tmp.path().join("a/b.js")).unwrap(),
            "two"
        );
    }

    #[test]
    fn files_held_are_not_written_and_the_live_sites_are_noted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("alt");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(super::super::MARKER), "marker").unwrap();
        let held = HashMap::from([("same.html".to_string(), hash(b"same"))]);
        let live = HashMap::from([("live.html".to_string(), hash(b"live"))]);
        let tree = Tree::staged(&dir, held, live);
        tree.write("same.html", b"same").unwrap();
        tree.write("live.html", b"live").unwrap();
        assert!(
            dir.join(super::super::MARKER).exists(),
            "nothing written yet"
        );
        tree.write("a/new.html", b"new").unwrap();
        assert!(!dir.join(super::super::MARKER).exists(), "opened");
        let rendered = tree.finish();
        assert_eq!(rendered.written, ["a/new.html"]);
        assert_eq!(rendered.from_live, ["live.html"]);
        assert_eq!(
            rendered.manifest.paths().collect::<Vec<_>>(),
            ["a/new.html", "live.html", "same.html"]
        );
        assert!(!dir.join("same.html").exists() && !dir.join("live.html").exists());
    }

    #[test]
    fn a_file_in_the_way_of_a_folder_and_a_folder_in_the_way_of_a_file_go() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::write(root.join("a"), "was a file").unwrap();
        put(root, &root.join("a/index.html"), b"now a folder").unwrap();
        assert_eq!(
            fs::read(root.join("a/index.html")).unwrap(),
            b"now a folder"
        );
        put(root, &root.join("a"), b"a file again").unwrap();
        assert_eq!(fs::read(root.join("a")).unwrap(), b"a file again");
    }
}
