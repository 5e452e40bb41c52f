//! Names: annexa's folders and files beside an output folder `NAME` are recognisable by their
//! name alone, at every moment of their life (`.NAME.annexa-tmp-PID` while a site is written,
//! `.NAME.annexa-old-PID` while the previous one is removed or brought up to date,
//! `.NAME.annexa-alt` for the alternate tree that the next build writes into,
//! `.NAME.annexa-cache`, `.NAME.annexa-render`, `.NAME.annexa-search`, `.NAME.annexa-outline`
//! and `.NAME.annexa-lock`),
//! so that a
//! build holding the lock can remove what killed builds left (or put back a previous site one
//! left without a live one), and nothing else.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use super::MARKER;

const TEMP: &str = ".annexa-tmp-";
const OLD: &str = ".annexa-old-";
const LOCK: &str = ".annexa-lock";
const ALT: &str = ".annexa-alt";
const CACHE: &str = ".annexa-cache";
const RENDER: &str = ".annexa-render";
/// The render cache being rewritten (renamed to [`RENDER`] when complete).
const RENDER_NEW: &str = ".annexa-render-new";
const SEARCH: &str = ".annexa-search";
/// The search cache being rewritten (renamed to [`SEARCH`] when complete).
const SEARCH_NEW: &str = ".annexa-search-new";
const OUTLINE: &str = ".annexa-outline";
/// The outline cache being rewritten (renamed to [`OUTLINE`] when complete).
const OUTLINE_NEW: &str = ".annexa-outline-new";

/// The places beside one output folder.
#[derive(Debug, Clone)]
pub(super) struct Beside {
    parent: PathBuf,
    name: OsString,
}

impl Beside {
    /// The names beside `target`, an absolute path with a parent and a file name.
    pub(super) fn new(parent: &Path, name: &OsStr) -> Beside {
        Beside {
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
        }
    }

    fn path(&self, kind: &str, pid: &str) -> PathBuf {
        let mut file = OsString::from(".");
        file.push(&self.name);
        file.push(kind);
        file.push(pid);
        self.parent.join(file)
    }

    /// Where this process puts the previous site while removing it.
    pub(super) fn old(&self) -> PathBuf {
        self.path(OLD, &std::process::id().to_string())
    }

    /// The alternate tree: the previous site, which the next build brings up to date.
    pub(super) fn alt(&self) -> PathBuf {
        self.path(ALT, "")
    }

    /// The cache file: the fingerprint of the build that wrote the live site.
    pub(super) fn cache(&self) -> PathBuf {
        self.path(CACHE, "")
    }

    /// The render cache: what each document page of the live site was rendered from.
    pub(super) fn render_cache(&self) -> PathBuf {
        self.path(RENDER, "")
    }

    /// The search cache: each document's search data, by its search key.
    pub(super) fn search_cache(&self) -> PathBuf {
        self.path(SEARCH, "")
    }

    /// Where a build writes the next search cache, until its site is in place.
    pub(super) fn search_cache_new(&self) -> PathBuf {
        self.path(SEARCH_NEW, "")
    }

    /// Makes the search cache a build wrote the search cache (`keep`: its site is in place), or
    /// removes it (the build failed or was refused, and leaves nothing beside the folder).
    pub(super) fn settle_search_cache(&self, keep: bool) {
        let written = self.search_cache_new();
        if !(keep && written.exists() && fs::rename(&written, self.search_cache()).is_ok()) {
            fs::remove_file(&written).ok();
        }
    }

    /// The outline cache: each document body's outline, by the body's key; and where a build
    /// writes the next one.
    pub(super) fn outline_cache(&self) -> (PathBuf, PathBuf) {
        (self.path(OUTLINE, ""), self.path(OUTLINE_NEW, ""))
    }

    /// The lock file.
    pub(super) fn lock(&self) -> PathBuf {
        self.path(LOCK, "")
    }

    /// Which of annexa's temporary folders for this output a file name beside it is, if any.
    fn temporary(&self, file: &OsStr) -> Option<&'static str> {
        let file = file.as_encoded_bytes();
        let rest = file
            .strip_prefix(b".")
            .and_then(|f| f.strip_prefix(self.name.as_encoded_bytes()))?;
        [TEMP, OLD].into_iter().find(|kind| {
            rest.strip_prefix(kind.as_bytes())
                .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
        })
    }

    /// Removes the temporary folders killed builds left for this output folder: only real
    /// folders (not links) with exactly those names. If the output folder is missing (a build
    /// killed between the two renames of the fallback), a previous site left at an `old` name
    /// is put back instead. A render or search cache left half rewritten is removed too (an
    /// outline cache's is written before the lock is taken: the build that reads the outline
    /// cache removes or replaces it). Call it holding the lock.
    pub(super) fn remove_leftovers(&self) {
        fs::remove_file(self.path(RENDER_NEW, "")).ok();
        fs::remove_file(self.path(SEARCH_NEW, "")).ok();
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return;
        };
        let target = self.parent.join(&self.name);
        let mut missing = target.symlink_metadata().is_err();
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let Some(kind) = self.temporary(&entry.file_name()) else {
                continue;
            };
            if missing
                && kind == OLD
                && entry.path().join(MARKER).is_file()
                && fs::rename(entry.path(), &target).is_ok()
            {
                missing = false;
                continue;
            }
            fs::remove_dir_all(entry.path()).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_outputs_temporary_folders_are_leftovers() {
        let beside = Beside::new(Path::new("/x"), OsStr::new("public"));
        for name in [".public.annexa-tmp-123", ".public.annexa-old-9"] {
            assert!(beside.temporary(OsStr::new(name)).is_some(), "{name}");
        }
        for name in [
            "public",
            ".public.annexa-lock",
            ".public.annexa-tmp-",
            ".public.annexa-tmp-12a",
            ".public.annexa-tmp-1.annexa-tmp-2",
            ".public2.annexa-tmp-1",
            ".pub.annexa-tmp-1",
            "public.annexa-tmp-1",
            ".public.annexa-alt",
            ".other.annexa-old-1",
        ] {
            assert!(beside.temporary(OsStr::new(name)).is_none(), "{name}");
        }
        assert_eq!(beside.lock(), Path::new("/x/.public.annexa-lock"));
    }

    #[test]
    fn a_previous_site_left_by_a_killed_fallback_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let beside = Beside::new(tmp.path(), OsStr::new("public"));
        let old = tmp.path().join(".public.annexa-old-41");
        fs::create_dir(&old).unwrap();
        fs::write(old.join(MARKER), "manifest").unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        let partial = tmp.path().join(".public.annexa-tmp-42");
        fs::create_dir(&partial).unwrap();
        beside.remove_leftovers();
        let site = tmp.path().join("public");
        assert_eq!(
            fs::read_to_string(site.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!old.exists() && !partial.exists());

        // With the site in place, an old tree is only a leftover.
        fs::create_dir(&old).unwrap();
        fs::write(old.join(MARKER), "manifest").unwrap();
        beside.remove_leftovers();
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(site.join("index.html")).unwrap(),
            "previous"
        );
    }
}
