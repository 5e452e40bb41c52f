//! Which files of the project have uncommitted changes in Git, so `--fix` leaves them alone.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The files under `root` (relative to it) that `git status` shows as changed, staged or
/// untracked; `None` when `root` is not in a Git work tree (or git is missing).
pub fn dirty_files(root: &Path) -> Option<BTreeSet<String>> {
    let prefix = git(root, &["rev-parse", "--show-prefix"])?;
    let prefix = prefix.trim_end_matches(['\n', '\r']);
    let status = git(
        root,
        &[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            ".",
        ],
    )?;
    let mut files = BTreeSet::new();
    let mut entries = status.split('\0');
    while let Some(entry) = entries.next() {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = entry.split_at(3);
        if code.starts_with('R') || code.starts_with('C') {
            entries.next(); // the rename's source
        }
        if let Some(rel) = path.strip_prefix(prefix) {
            files.insert(rel.to_string());
        }
    }
    Some(files)
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
