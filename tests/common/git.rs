//! Git repositories for the history tests: commits with fixed dates, names and addresses, so
//! that hashes and output are the same on every run; and the `every-lint` fixture in a
//! repository of its own (the fixture folder lives in annexa's repository, whose commits are
//! not an ISMS's history).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Runs `git ARGS` in `dir` with fixed identity and dates (`date` as `YYYY-MM-DD`, noon UTC).
pub fn git_at(dir: &Path, date: &str, args: &[&str]) -> String {
    let stamp = format!("{date}T12:00:00+00:00");
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Ann Author",
            "-c",
            "user.email=ann@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `git init` in `dir`.
pub fn init(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    git_at(dir, "2026-01-01", &["init", "-q"]);
}

/// Commits everything in `dir` on `date` as `author`, with `subject`; returns the hash.
pub fn commit(dir: &Path, date: &str, author: &str, subject: &str) -> String {
    git_at(dir, date, &["add", "-A"]);
    let name = format!("user.name={author}");
    git_at(
        dir,
        date,
        &["-c", &name, "commit", "-q", "--allow-empty", "-m", subject],
    );
    git_at(dir, date, &["rev-parse", "HEAD"]).trim().to_string()
}

/// Writes `text` to `rel` below `dir`, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Copies `from` into `to`, symbolic links as links (with the same target).
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The `every-lint` fixture in a Git repository of its own (made once per test binary): all of
/// it committed on 2025-06-01, then the Access Control Policy (last reviewed 2025-09-30) edited
/// on 2025-11-15, which `changed-after-approval` reports. `small-site` sits beside it, where
/// the fixture's symbolic link leads.
pub fn every_lint() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let base = tempfile::Builder::new()
            .prefix("annexa-every-lint-")
            .tempdir()
            .unwrap()
            .keep();
        let repo = base.join("every-lint");
        copy_tree(&fixtures.join("every-lint"), &repo);
        copy_tree(&fixtures.join("small-site"), &base.join("small-site"));
        init(&repo);
        commit(&repo, "2025-06-01", "Ann Author", "Import the ISMS");
        let policy = repo.join("policies/access-control.md");
        let mut text = fs::read_to_string(&policy).unwrap();
        text.push_str("\nAccess rights are reviewed every quarter.\n");
        fs::write(&policy, text).unwrap();
        commit(
            &repo,
            "2025-11-15",
            "Bob Builder",
            "Review access quarterly",
        );
        repo
    })
}
