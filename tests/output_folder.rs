//! The output folder: the new site is exchanged with the previous one in one step, one build at
//! a time holds it, what killed builds left beside it is removed by name, and a folder is
//! replaced only if it holds nothing but what annexa wrote there (its manifest), or --force.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::site::{assert_built, build, snapshot};
use common::{copy_dir, fixture};

const TODAY: &str = common::TODAY;

/// A copy of the small fixture and an output path beside it, in one temporary folder.
struct Setup {
    tmp: tempfile::TempDir,
    repo: PathBuf,
    out: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        copy_dir(&fixture("small-site"), &repo);
        let out = tmp.path().join("out");
        Setup { tmp, repo, out }
    }

    fn build(&self, args: &[&str]) -> Output {
        build(&self.repo, &self.out, TODAY, args)
    }

    /// The output folder as annexa names it in messages (absolute, links resolved).
    fn shown(&self) -> String {
        self.tmp
            .path()
            .canonicalize()
            .unwrap()
            .join("out")
            .display()
            .to_string()
    }

    /// The names in the temporary folder, sorted.
    fn beside(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts a build stopped with exit 2 and exactly this error line.
fn assert_refused(output: &Output, message: &str) {
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(stderr(output), format!("error: {message}\n"));
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

// ---------------------------------------------------------------------------------------------
// The exchange and what killed builds leave

#[test]
fn a_rebuild_exchanges_the_trees_and_leaves_no_folder_beside() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    let first = fs::metadata(setup.out.join("index.html")).unwrap();
    write(
        &setup.repo.join("procedures/restore.md"),
        &common::doc("Restore Procedure", "Restores.\n"),
    );
    assert_built(&setup.build(&[]));
    assert!(setup.out.join("procedures/restore/index.html").is_file());
    let second = fs::metadata(setup.out.join("index.html")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_ne!(first.ino(), second.ino(), "a new tree, not files rewritten");
    }
    let _ = (first, second);
    assert_eq!(
        setup.beside(),
        [".out.annexa-lock", "out", "repo"],
        "no staging or old folder left"
    );
}

#[test]
fn folders_killed_builds_left_are_removed_and_nothing_else() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    // What a build killed while removing the previous site leaves (its marker already gone),
    // and one killed while writing the new site.
    write(
        &setup
            .tmp
            .path()
            .join(".out.annexa-old-123/policies/a/index.html"),
        "old",
    );
    write(
        &setup.tmp.path().join(".out.annexa-tmp-456/.annexa-site"),
        "partial",
    );
    // Names that are not annexa's temporary folders for `out`.
    for name in [
        ".out.annexa-tmp-x/keep.txt",
        ".other.annexa-old-1/keep.txt",
        "out.annexa-tmp-1/keep.txt",
        ".out.annexa-alt/keep.txt",
    ] {
        write(&setup.tmp.path().join(name), "mine");
    }
    write(
        &setup.tmp.path().join(".out.annexa-old-77"),
        "a file, not a folder",
    );
    assert_built(&setup.build(&[]));
    assert!(setup.out.join("index.html").is_file());
    assert_eq!(
        setup.beside(),
        [
            ".other.annexa-old-1",
            ".out.annexa-alt",
            ".out.annexa-lock",
            ".out.annexa-old-77",
            ".out.annexa-tmp-x",
            "out",
            "out.annexa-tmp-1",
            "repo"
        ]
    );
}

#[test]
fn a_failed_build_keeps_the_previous_site_and_adds_nothing() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    let before = snapshot(setup.tmp.path());
    write(
        &setup.repo.join("procedures/broken.md"),
        &common::doc("Broken", "See [the plan](../plans/missing.md).\n"),
    );
    let output = setup.build(&[]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    fs::remove_file(setup.repo.join("procedures/broken.md")).unwrap();
    assert_eq!(snapshot(setup.tmp.path()), before);
}

// ---------------------------------------------------------------------------------------------
// The lock

#[cfg(unix)]
#[test]
fn a_second_build_into_the_same_folder_stops_naming_the_first() {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    let site = snapshot(&setup.out);
    let mut lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(setup.tmp.path().join(".out.annexa-lock"))
        .unwrap();
    // SAFETY: flock on a descriptor owned by `lock`.
    let status = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(status, 0, "the test holds the lock");
    write!(lock, "{}", std::process::id()).unwrap();
    let output = setup.build(&[]);
    assert_refused(
        &output,
        &format!(
            "another annexa build (pid {}) is writing `{}`; wait for it to finish",
            std::process::id(),
            setup.shown()
        ),
    );
    assert_eq!(snapshot(&setup.out), site, "the site is untouched");
    assert_eq!(setup.beside(), [".out.annexa-lock", "out", "repo"]);
    drop(lock);
    assert_built(&setup.build(&[]));
}
