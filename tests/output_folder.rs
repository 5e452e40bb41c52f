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
        [
            ".out.annexa-alt",
            ".out.annexa-cache",
            ".out.annexa-lock",
            ".out.annexa-outline",
            ".out.annexa-render",
            ".out.annexa-search",
            "out",
            "repo"
        ],
        "the previous site kept as the alternate tree; no staging or old folder left"
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
    // An alternate tree without a manifest (a build killed while updating it) is not trusted:
    // it is removed, and written anew when a build needs it.
    write(
        &setup.tmp.path().join(".out.annexa-alt/index.html"),
        "half written",
    );
    // Names that are not annexa's temporary folders for `out`.
    for name in [
        ".out.annexa-tmp-x/keep.txt",
        ".other.annexa-old-1/keep.txt",
        "out.annexa-tmp-1/keep.txt",
    ] {
        write(&setup.tmp.path().join(name), "mine");
    }
    write(
        &setup.tmp.path().join(".out.annexa-old-77"),
        "a file, not a folder",
    );
    // A render cache and a search cache a killed build left half rewritten.
    write(
        &setup.tmp.path().join(".out.annexa-render-new"),
        "annexa-render 1\n",
    );
    write(
        &setup.tmp.path().join(".out.annexa-search-new"),
        "annexa-search 1\n",
    );
    assert_built(&setup.build(&[]));
    assert!(setup.out.join("index.html").is_file());
    assert_eq!(
        setup.beside(),
        [
            ".other.annexa-old-1",
            ".out.annexa-cache",
            ".out.annexa-lock",
            ".out.annexa-old-77",
            ".out.annexa-outline",
            ".out.annexa-render",
            ".out.annexa-search",
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

/// Asserts `out` is a whole site: a manifest whose every file is there.
fn assert_whole_site(out: &Path, when: &str) {
    let marker = fs::read_to_string(out.join(".annexa-site"))
        .unwrap_or_else(|e| panic!("{when}: no site at {}: {e}", out.display()));
    assert!(marker.starts_with("annexa-site manifest 3\n"), "{when}");
    let files: Vec<&str> = marker
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once(' ').expect("hash and path").1)
        .collect();
    assert!(files.len() > 100, "{when}: {} files", files.len());
    for file in files {
        assert!(out.join(file).is_file(), "{when}: {file} is missing");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    let started = std::time::Instant::now();
    assert_built(&setup.build(&[]));
    let took = started.elapsed();
    // Kills spread over a whole build, from its start to past its end: whenever the kill
    // lands, the output folder is the previous site or the new one, whole.
    for step in 0..12 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annexa"))
            .arg("build")
            .arg(&setup.repo)
            .arg("-o")
            .arg(&setup.out)
            .args(["--today", TODAY])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took * step / 10);
        child.kill().ok();
        child.wait().unwrap();
        let when = format!("killed after {step}/10 of a build");
        if setup.out.exists() {
            assert_whole_site(&setup.out, &when);
        } else {
            // Only where the file system cannot exchange: killed between the two renames,
            // the previous site waits beside, for the next build to put back.
            let old = setup
                .beside()
                .into_iter()
                .find(|n| n.starts_with(".out.annexa-old-"));
            let old = old.unwrap_or_else(|| panic!("{when}: no site at all"));
            assert_whole_site(&setup.tmp.path().join(old), &when);
            assert_built(&setup.build(&[]));
        }
    }
    assert_built(&setup.build(&[]));
    assert_whole_site(&setup.out, "the build after");
    assert_eq!(
        setup.beside(),
        [
            ".out.annexa-cache",
            ".out.annexa-lock",
            ".out.annexa-outline",
            ".out.annexa-render",
            ".out.annexa-search",
            "out",
            "repo"
        ]
    );
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
    assert_eq!(
        setup.beside(),
        [
            ".out.annexa-cache",
            ".out.annexa-lock",
            ".out.annexa-outline",
            ".out.annexa-render",
            ".out.annexa-search",
            "out",
            "repo"
        ]
    );
    drop(lock);
    assert_built(&setup.build(&[]));
}

// ---------------------------------------------------------------------------------------------
// The marker: what annexa wrote, and nothing else, is replaced

/// The one-line marker of sites built before manifests.
const LEGACY_MARKER: &str =
    "This folder was built by annexa. `annexa build` replaces it as a whole.\n";

fn user_files(out: &Path) {
    for rel in ["notes.txt", "img/photo.jpg", "a.txt", "b.txt", "z/y.txt"] {
        write(&out.join(rel), "mine");
    }
}

#[test]
fn a_marker_beside_user_files_does_not_make_them_annexas() {
    for marker in ["forged\n", LEGACY_MARKER, ""] {
        let setup = Setup::new();
        user_files(&setup.out);
        write(&setup.out.join(".annexa-site"), marker);
        let before = snapshot(setup.tmp.path());
        assert_refused(
            &setup.build(&[]),
            &format!(
                "`{}` holds files annexa did not write: a.txt, b.txt, img/photo.jpg (and 2 more); move them, choose another -o, or pass --force",
                setup.shown()
            ),
        );
        let mut after = snapshot(setup.tmp.path());
        // A legacy site is judged against the new site, so that build held the lock.
        after.remove(".out.annexa-lock");
        assert_eq!(after, before, "marker {marker:?}: nothing else changed");

        assert_built(&setup.build(&["--force"]));
        assert!(setup.out.join("index.html").is_file());
        assert!(
            !setup.out.join("notes.txt").exists(),
            "replaced with --force"
        );
    }
}

#[test]
fn a_site_annexa_built_is_replaced_despite_os_litter_and_edits() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    write(&setup.out.join(".DS_Store"), "Finder");
    write(&setup.out.join("policies/Thumbs.db"), "Explorer");
    write(
        &setup.out.join("index.html"),
        "edited by hand: annexa's file all the same",
    );
    assert_built(&setup.build(&[]));
    assert!(!setup.out.join(".DS_Store").exists());
    assert!(!setup.out.join("policies/Thumbs.db").exists());
    assert!(common::site::read(&setup.out, "index.html").contains("<!DOCTYPE html>"));
}

#[test]
fn a_file_dropped_into_a_site_stops_the_next_build() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    write(&setup.out.join("notes.txt"), "mine");
    write(&setup.out.join("policies/draft.md"), "mine too");
    let before = snapshot(setup.tmp.path());
    assert_refused(
        &setup.build(&[]),
        &format!(
            "`{}` holds files annexa did not write: notes.txt, policies/draft.md; move them, choose another -o, or pass --force",
            setup.shown()
        ),
    );
    assert_eq!(snapshot(setup.tmp.path()), before, "nothing changed");
    fs::remove_file(setup.out.join("notes.txt")).unwrap();
    fs::remove_file(setup.out.join("policies/draft.md")).unwrap();
    assert_built(&setup.build(&[]));
}

#[test]
fn a_site_of_the_previous_version_is_replaced_once() {
    let setup = Setup::new();
    assert_built(&setup.build(&[]));
    // What the previous version left: its one-line marker, and a page of a document deleted
    // since (which the new site does not have, but which is annexa's page).
    fs::write(setup.out.join(".annexa-site"), LEGACY_MARKER).unwrap();
    fs::rename(
        setup.out.join("procedures/backup"),
        setup.out.join("procedures/deleted"),
    )
    .unwrap();
    write(&setup.out.join("Thumbs.db"), "Explorer");
    assert_built(&setup.build(&[]));
    assert!(setup.out.join("procedures/backup/index.html").is_file());
    assert!(!setup.out.join("procedures/deleted").exists());
    let marker = fs::read_to_string(setup.out.join(".annexa-site")).unwrap();
    assert!(
        marker.starts_with("annexa-site manifest 3\n"),
        "now a manifest: {marker}"
    );
    assert!(
        marker.contains(" procedures/backup/index.html\n"),
        "{marker}"
    );
}

#[test]
fn a_folder_annexa_did_not_create_is_replaced_only_with_force() {
    let setup = Setup::new();
    write(&setup.out.join("notes.txt"), "mine");
    assert_refused(
        &setup.build(&[]),
        &format!(
            "refusing to replace `{}`: it is not empty and annexa did not create it (no .annexa-site file); choose another output folder with -o, empty it, or pass --force",
            setup.shown()
        ),
    );
    assert_eq!(setup.beside(), ["out", "repo"], "no lock file either");
    assert_built(&setup.build(&["--force"]));
    assert!(!setup.out.join("notes.txt").exists());

    // A folder holding only OS litter counts as empty.
    let litter = setup.tmp.path().join("litter");
    write(&litter.join(".DS_Store"), "Finder");
    assert_built(&build(&setup.repo, &litter, TODAY, &[]));

    // --force never makes the project root an output folder.
    let output = build(&setup.repo, &setup.repo, TODAY, &["--force"]);
    assert_refused(
        &output,
        &format!(
            "refusing to use `{}` as the output folder: it is the project root or contains it",
            setup.repo.canonicalize().unwrap().display()
        ),
    );
}
