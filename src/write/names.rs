//! Names: annexa's folders and files beside an output folder `NAME` are recognisable by their
//! name alone, at every moment of their life (`.NAME.annexa-tmp-PID` while a site is written,
//! `.NAME.annexa-old-PID` while the previous one is removed, `.NAME.annexa-lock`), so that a
//! build holding the lock can remove what killed builds left, and nothing else.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

const TEMP: &str = ".annexa-tmp-";
const OLD: &str = ".annexa-old-";
const LOCK: &str = ".annexa-lock";

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

    /// The folder a new site is written into by this process.
    pub(super) fn temp(&self) -> PathBuf {
        self.path(TEMP, &std::process::id().to_string())
    }

    /// Where this process puts the previous site while removing it.
    pub(super) fn old(&self) -> PathBuf {
        self.path(OLD, &std::process::id().to_string())
    }

    /// The lock file.
    pub(super) fn lock(&self) -> PathBuf {
        self.path(LOCK, "")
    }

    /// Whether a file name beside the output is one of annexa's temporary folders for it.
    fn is_temporary(&self, file: &OsStr) -> bool {
        let file = file.as_encoded_bytes();
        let Some(rest) = file
            .strip_prefix(b".")
            .and_then(|f| f.strip_prefix(self.name.as_encoded_bytes()))
        else {
            return false;
        };
        [TEMP, OLD].iter().any(|kind| {
            rest.strip_prefix(kind.as_bytes())
                .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
        })
    }

    /// Removes the temporary folders killed builds left for this output folder: only real
    /// folders (not links) with exactly those names. Call it holding the lock.
    pub(super) fn remove_leftovers(&self) {
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return;
        };
        for entry in entries.flatten() {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && self.is_temporary(&entry.file_name()) {
                fs::remove_dir_all(entry.path()).ok();
            }
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
            assert!(beside.is_temporary(OsStr::new(name)), "{name}");
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
            assert!(!beside.is_temporary(OsStr::new(name)), "{name}");
        }
        assert_eq!(beside.lock(), Path::new("/x/.public.annexa-lock"));
    }
}
