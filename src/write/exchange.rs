//! Exchange: puts a finished tree in place of the live one in a single step where the system
//! allows it (`renameat2(RENAME_EXCHANGE)` on Linux), with two renames as the fallback.

use std::io;
use std::path::Path;

/// How [`replace`] may swap the trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    /// One atomic exchange where supported, else two renames.
    Exchange,
    /// Always two renames (the fallback, chosen by tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Renames,
}

/// Puts the tree at `new` in place of `target`. If `target` existed, the previous tree ends
/// at `old` (for the caller to remove or keep); otherwise `new` is simply renamed. With the
/// exchange, `target` names a complete tree at every moment; with the fallback it is missing
/// between the two renames, and put back if the second one fails.
pub(super) fn replace(new: &Path, target: &Path, old: &Path, method: Method) -> io::Result<()> {
    if fs_exists(target) {
        if method == Method::Exchange {
            match exchange(new, target) {
                Ok(()) => {
                    // `new` now holds the previous tree: move it to its known place.
                    if std::fs::rename(new, old).is_err() {
                        std::fs::remove_dir_all(new).ok();
                    }
                    return Ok(());
                }
                Err(e) if !unsupported(&e) => return Err(e),
                Err(_) => {}
            }
        }
        std::fs::rename(target, old)?;
        if let Err(e) = std::fs::rename(new, target) {
            std::fs::rename(old, target).ok();
            return Err(e);
        }
        Ok(())
    } else {
        std::fs::rename(new, target)
    }
}

fn fs_exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Whether `e` says the system or the file system cannot exchange (so two renames must do).
fn unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == io::ErrorKind::Unsupported
    }
}

/// Swaps what the names `a` and `b` point to, atomically: both names exist before and after.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path holds a NUL byte"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that live across the call.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Swaps what the names `a` and `b` point to: not available here, so [`replace`] falls back.
#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange on this system",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(dir: &Path, file: &str, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(file), text).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_and_both_names_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        tree(&a, "a.txt", "first");
        tree(&b, "b.txt", "second");
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(a.join("b.txt")).unwrap(), "second");
        assert_eq!(fs::read_to_string(b.join("a.txt")).unwrap(), "first");
        assert!(!a.join("a.txt").exists() && !b.join("b.txt").exists());
    }

    fn replaces(method: Method) {
        let tmp = tempfile::tempdir().unwrap();
        let (new, target, old) = (
            tmp.path().join(".site.new"),
            tmp.path().join("site"),
            tmp.path().join(".site.old"),
        );
        tree(&target, "index.html", "previous");
        tree(&new, "index.html", "next");
        replace(&new, &target, &old, method).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "next"
        );
        assert_eq!(
            fs::read_to_string(old.join("index.html")).unwrap(),
            "previous"
        );
        assert!(
            !new.exists(),
            "{method:?}: the new tree's name is free again"
        );

        // Without a previous tree, a plain rename.
        let fresh = tmp.path().join("fresh");
        tree(&new, "index.html", "first");
        let old = tmp.path().join(".fresh.old");
        replace(&new, &fresh, &old, method).unwrap();
        assert_eq!(
            fs::read_to_string(fresh.join("index.html")).unwrap(),
            "first"
        );
        assert!(!old.exists() && !new.exists());
    }

    #[test]
    fn replace_by_exchange_keeps_the_previous_tree_at_old() {
        replaces(Method::Exchange);
    }

    #[test]
    fn replace_by_two_renames_keeps_the_previous_tree_at_old() {
        replaces(Method::Renames);
    }

    #[test]
    fn a_failed_second_rename_puts_the_previous_tree_back() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("site");
        tree(&target, "index.html", "previous");
        let missing = tmp.path().join("no-such-tree");
        let old = tmp.path().join(".site.old");
        assert!(replace(&missing, &target, &old, Method::Renames).is_err());
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!old.exists());
    }
}
